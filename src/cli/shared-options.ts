import type { Argv } from 'yargs';
import type { ReplayCommandOptions } from '../pipeline/options.js';
import type { EngineName } from '../engine/types.js';
import { prestartEngine } from '../pipeline/early-engine.js';
import { TimingRecorder } from '../pipeline/timings.js';
import { Console, type GlobalArgs } from './context.js';
import { RUNNER_NAMES, type RunnerName } from '../runners/types.js';

/** Flags of every command that reads migrations: they override the config, so a repository can be tried without one. */
export function withMigrationOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('migrations', { type: 'string', requiresArg: true, describe: 'The migrations folder (default: config "migrations", then detected)' })
    .option('runner', {
      choices: RUNNER_NAMES,
      describe: 'The migration runner whose naming, order, sections and transactions to follow (default: config "runner", then detected)',
    })
    .option('baseline', { type: 'string', array: true, requiresArg: true, describe: 'SQL file applied before the migrations (repeatable; replaces config "baseline")' });
}

export interface MigrationArgs {
  migrations?: string;
  runner?: RunnerName;
  baseline?: string[];
}

/** Flags of every command that replays migrations. */
export function withReplayOptions<T>(yargs: Argv<T>) {
  return withMigrationOptions(yargs)
    .option('engine', {
      choices: ['pglite', 'server', 'docker'] as const,
      describe: 'Where to replay: embedded PGlite (default), a Postgres server (--database-url), or a Docker container',
    })
    .option('database-url', {
      type: 'string',
      describe: 'Admin URL of a Postgres server (server engine); a throwaway database is created and dropped. Env: PGDRIFT_DATABASE_URL',
    })
    .option('pg', {
      type: 'string',
      describe:
        'Postgres major: embedded engine 16, 17 or 18 (default: the latest snapshot\'s "Dumped from" major, else supabase/config.toml [db] major_version, else 18); check also takes a list, e.g. 16,17,18; docker: image postgres:<N>-alpine',
    })
    .option('image', { type: 'string', describe: 'Docker engine: image to run, e.g. postgres:16-alpine' })
    .option('keep-going', { type: 'boolean', default: false, describe: 'Go on past failing migrations and report them all' })
    .option('cache', { type: 'boolean', default: true, describe: 'Reuse the replay of an unchanged history or prefix (--no-cache replays everything)' });
}

/** `--snapshot`, for the commands that read or write the project's snapshot (check, snapshot, docs). */
export function withSnapshotOption<T>(yargs: Argv<T>) {
  return yargs.option('snapshot', {
    type: 'string',
    requiresArg: true,
    describe: 'The committed schema dump to compare with / write: a file, or a glob whose * is the date, or a folder of hand-written schema files loaded in order (default: config "snapshot", then the runner\'s, then docs/architecture/schema-actual-*.sql, then a Supabase project\'s declarative schema files)',
  });
}

export interface ReplayArgs extends GlobalArgs, MigrationArgs {
  snapshot?: string;
  engine?: EngineName;
  databaseUrl?: string;
  pg?: string;
  image?: string;
  keepGoing?: boolean;
  cache?: boolean;
}

export function replayOptionsFrom(args: ReplayArgs, console: Console): ReplayCommandOptions {
  return {
    cwd: args.cwd,
    configFile: args.config,
    engine: args.engine ?? (args.image ? 'docker' : undefined),
    databaseUrl: args.databaseUrl,
    image: args.image,
    pg: args.pg,
    keepGoing: args.keepGoing,
    noCache: args.cache === false,
    onVerbose: (message) => console.verbose(message),
    migrations: args.migrations,
    runner: args.runner,
    baseline: args.baseline,
    snapshot: args.snapshot,
    onNotice: (message) => console.notice(message),
    onProgress: ({ index, total, file }) => console.progress(`replaying ${index + 1}/${total} ${file}`),
    timings: new TimingRecorder(),
  };
}

/** The common start of a replaying command: its console and options, with the throwaway database already starting. */
export function beginReplayCommand(args: ReplayArgs, options: { prestart?: boolean } = {}) {
  const console = new Console(args);
  const replayOptions = replayOptionsFrom(args, console);
  // the database is created while the rest loads
  if (options.prestart ?? true) replayOptions.timings!.timeSync('config', () => prestartEngine(replayOptions), 'project and runner resolved; a server or container engine starts meanwhile');
  return { console, replayOptions, timings: replayOptions.timings!, started: performance.now() };
}
