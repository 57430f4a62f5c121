import { createRequire } from 'node:module';
import path from 'node:path';
import { closest } from '../util/strings.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

// shared with the launcher (bin/pgdrift.js), which compiles the parser early for the same commands
const commandLists = require('../../bin/commands.json') as { parsing: string[]; replaying: string[] };
const PARSING_COMMANDS = new Set(commandLists.parsing);
const REPLAYING_COMMANDS = new Set(commandLists.replaying);

/** Whether a replaying command will likely run on the embedded engine (and which major), judged from argv alone. */
function embeddedEngineGuess(argv: string[]): { pg: number | undefined; projectRoot: string } | undefined {
  if (!REPLAYING_COMMANDS.has(argv[0] ?? '') || process.env.PGDRIFT_DATABASE_URL) return undefined;
  let pg: number | undefined;
  let projectRoot = process.cwd();
  for (let i = 1; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[i + 1];
    if (flag === '--database-url' || flag === '--image' || flag === '--help' || flag === '-h') return undefined;
    if (flag === '--engine' && value !== 'pglite') return undefined;
    if (flag === '--pg') pg = Number(value) || undefined;
    if (flag === '--cwd' || flag === '-C') projectRoot = path.resolve(value ?? '.');
  }
  return { pg, projectRoot };
}

/** The pgdrift command line; every command is a thin wrapper over a library function in src/commands. */
export async function main(argv: string[]): Promise<void> {
  // `pgdrift --version` is what scripts and CI call to check the install: answer before loading yargs
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${version}\n`);
    return;
  }
  // A command that parses SQL starts loading the parser now: V8 compiles its WebAssembly on background threads
  // while yargs and the command's modules load on this one. The command awaits the same load later (loadSqlParser
  // loads once), and reports a failure there.
  if (PARSING_COMMANDS.has(argv[0] ?? '')) void import('../sql/parse.js').then((parser) => parser.loadSqlParser()).catch(() => {});
  // Likewise the embedded engine's worker: it imports PGlite and compiles its WebAssembly meanwhile (the sample's
  // warm check: engine start 860 → 630 ms). A guess from the arguments only; if the config picks another engine or
  // major, the spare worker is never used and ends with the process.
  const embedded = embeddedEngineGuess(argv);
  if (embedded) void import('../engine/isolated.js').then((isolated) => isolated.prewarmIsolatedEngine(embedded.pg, embedded.projectRoot)).catch(() => {});
  const [{ default: yargs }, { reportError }, { checkCommand }, { diffCommand }, { dumpCommand }, { docsCommand }, { initCommand }, { snapshotCommand }, { lintCommand }, { cleanupCommand }] =
    await Promise.all([
      import('yargs'),
      import('./context.js'),
      import('./commands/check.js'),
      import('./commands/diff.js'),
      import('./commands/dump.js'),
      import('./commands/docs.js'),
      import('./commands/init.js'),
      import('./commands/snapshot.js'),
      import('./commands/lint.js'),
      import('./commands/cleanup.js'),
    ]);
  const cli = yargs(expandVerboseLevel(argv))
    .scriptName('pgdrift')
    .usage('$0 <command> [options]\n\nReplay PostgreSQL migrations in a throwaway database, catch drift against the committed snapshot, lint migrations, document the schema.')
    .option('cwd', { alias: 'C', type: 'string', describe: 'Run in this project folder', global: true })
    .option('config', { type: 'string', describe: 'Config file (default: pgdrift.config.json, or "pgdrift" in package.json)', global: true })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'No progress or notices', global: true })
    .option('verbose', { type: 'count', describe: 'Each stage on its own line with its time and what it did; --verbose=2 adds each replayed file', global: true })
    .option('debug', { type: 'boolean', describe: 'Stack traces on errors', global: true })
    .option('allow-outside-project', {
      type: 'boolean',
      describe: 'Let config paths (snapshot, baseline, docs.out, templates...) and symbolic links leave the project folder',
      global: true,
    })
    .middleware((args) => {
      // read where the paths are resolved (config/project.ts), so library calls honour the env variable too
      // (the name of ALLOW_OUTSIDE_ENV in util/project-paths.ts, not imported here to keep start-up light)
      if (args.allowOutsideProject) process.env.PGDRIFT_ALLOW_OUTSIDE_PROJECT = '1';
    })
    .command(checkCommand)
    .command(diffCommand)
    .command(lintCommand)
    .command(dumpCommand)
    .command(snapshotCommand)
    .command(docsCommand)
    .command(initCommand)
    .command(cleanupCommand)
    .demandCommand(1, 'Name a command: check, diff, dump, lint, snapshot, docs, init or cleanup (see --help)')
    .recommendCommands()
    .strict()
    .version(version)
    .help()
    .alias('h', 'help')
    .epilogue('Exit codes: 0 ok, 1 drift / failed migration / lint errors, 2 usage, config, input or file-system error (read-only, disk full), 3 engine could not start or the server went away, 4 a bug in pgdrift.\nDocs: README.md')
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((message, error) => {
      // yargs' own argument errors (a flag without its value: "Not enough arguments following: format") come as a
      // YError: usage, not a bug in pgdrift
      if (error && error.name !== 'YError') {
        process.exitCode = reportError(error, {});
        return;
      }
      message ??= error?.message ?? '';
      const suggestion = suggestFlag(message, Object.keys((cli as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key));
      process.stderr.write(`pgdrift: ${message}${suggestion ? `\n${suggestion}` : ''}\nRun pgdrift --help for usage.\n`);
      process.exit(2);
    });
  skipHelpPrerender(cli);
  await cli.parseAsync();
}

/**
 * yargs renders the whole help text each time it starts a command handler, only to have it at hand should the
 * command fail (yargs 17, lib/command.js `cacheHelpMessage`). Our .fail() never prints help, and that rendering
 * (the display width of every option of every command) cost ~50 ms of each run. `--help` renders on demand as before.
 */
function skipHelpPrerender(cli: unknown): void {
  const usage = (cli as { getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** `--verbose=2` → `--verbose --verbose`: a counted flag that also reads as a level (yargs counts repeats only). */
export function expandVerboseLevel(argv: string[]): string[] {
  return argv.flatMap((arg) => {
    const level = /^--verbose=(\d+)$/.exec(arg)?.[1];
    return level === undefined ? [arg] : Array.from({ length: Number(level) }, () => '--verbose');
  });
}

/** "Unknown argument: enigne" → "Did you mean --engine?" (yargs suggests commands, not flags). */
export function suggestFlag(message: string, known: string[]): string | undefined {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message)?.[1]?.split(', ')[0];
  if (!unknown) return undefined;
  // aliases (-C) and yargs' camelCase twins (databaseUrl) are not what people type
  const match = closest(unknown.replace(/^-+/, ''), known.filter((name) => name.length > 1 && !/[A-Z]/.test(name)));
  return match ? `Did you mean --${match}?` : undefined;
}
