import type { Argv } from 'yargs';
import type { ReplayCommandOptions } from '../pipeline/options.js';
import type { EngineName } from '../engine/types.js';
import { prestartEngine } from '../pipeline/early-engine.js';
import { TimingRecorder } from '../pipeline/timings.js';
import { Console, type GlobalArgs } from './context.js';

/** Flags of every command that replays migrations. */
export function withReplayOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('engine', {
      choices: ['pglite', 'server', 'docker'] as const,
      describe: 'Where to replay: embedded PGlite (default), a Postgres server (--database-url), or a Docker container',
    })
    .option('database-url', {
      type: 'string',
      describe: 'Admin URL of a Postgres server (server engine); a throwaway database is created and dropped. Env: PGDRIFT_DATABASE_URL',
    })
    .option('pg', { type: 'string', describe: 'Docker engine: Postgres major version (image postgres:<N>-alpine)' })
    .option('image', { type: 'string', describe: 'Docker engine: image to run, e.g. postgres:16-alpine' })
    .option('keep-going', { type: 'boolean', default: false, describe: 'Go on past failing migrations and report them all' });
}

export interface ReplayArgs extends GlobalArgs {
  engine?: EngineName;
  databaseUrl?: string;
  pg?: string;
  image?: string;
  keepGoing?: boolean;
}

export function replayOptionsFrom(args: ReplayArgs, console: Console): ReplayCommandOptions {
  return {
    cwd: args.cwd,
    configFile: args.config,
    engine: args.engine ?? (args.pg || args.image ? 'docker' : undefined),
    databaseUrl: args.databaseUrl,
    image: args.image,
    pg: args.pg,
    keepGoing: args.keepGoing,
    onNotice: (message) => console.notice(message),
    onProgress: ({ index, total, file }) => console.progress(`replaying ${index + 1}/${total} ${file}`),
    timings: new TimingRecorder(),
  };
}

/** The common start of a replaying command: its console and options, with the throwaway database already starting. */
export function beginReplayCommand(args: ReplayArgs, options: { prestart?: boolean } = {}) {
  const console = new Console(args);
  const replayOptions = replayOptionsFrom(args, console);
  if (options.prestart ?? true) prestartEngine(replayOptions); // the database is created while the rest loads
  return { console, replayOptions, timings: replayOptions.timings!, started: performance.now() };
}
