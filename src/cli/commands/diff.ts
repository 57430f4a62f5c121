import type { Argv, CommandModule } from 'yargs';
import { Console, runHandler } from '../context.js';
import { emitReport, formatOption, type FormatArgs } from '../formats.js';
import { replayOptionsFrom, withReplayOptions, type ReplayArgs } from '../shared-options.js';
import { emitFixSql } from '../fix-output.js';

interface DiffArgs extends ReplayArgs, FormatArgs {
  a: string;
  b: string;
  ignore?: string[];
  canonicalize?: boolean;
  include?: string[];
  sql?: boolean;
  allowDestructive?: boolean;
  concurrently?: boolean;
  idempotent?: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <a> <b>',
  describe: 'Semantic diff of two schemas: each a migrations folder, a .sql dump, a postgres:// URL (read-only) or "snapshot"',
  builder: (yargs: Argv) =>
    formatOption(withReplayOptions(yargs))
      .positional('a', { type: 'string', demandOption: true, describe: 'the "from" side' })
      .positional('b', { type: 'string', demandOption: true, describe: 'the "to" side: + only in B, - only in A, ~ changed from A to B' })
      .option('ignore', { type: 'string', array: true, describe: 'Object name pattern to ignore (repeatable)' })
      .option('canonicalize', { type: 'boolean', default: true, describe: 'Confirm expression-text differences (defaults, CHECKs, view queries, function bodies...) by reloading both sides through the engine; structural ones need no reload. When the reload cannot run, those are reported as unconfirmed. --no-canonicalize: AST comparison only' })
      .option('include', { type: 'string', array: true, choices: ['privileges'], describe: 'Also compare privileges (GRANT/REVOKE, from the dumps themselves: never dropped by the reload)' })
      .option('sql', { type: 'boolean', describe: 'Print the DDL that turns A into B instead of the report (with --format: each item carries its "sql")' })
      .option('allow-destructive', { type: 'boolean', describe: 'With --sql: write DROP TABLE, DROP COLUMN and narrowing type changes as SQL (default: as comments)' })
      .option('concurrently', { type: 'boolean', describe: "With --sql: CREATE/DROP INDEX CONCURRENTLY (default: unless the project's runner runs a file inside a transaction)" })
      .option('idempotent', { type: 'boolean', describe: "With --sql: re-runnable DDL, IF NOT EXISTS... (default: when the project's lint preset asks for it)" })
      .example('$0 diff snapshot migrations', 'what the migrations change relative to the committed snapshot')
      .example('$0 diff snapshot "$PROD_DATABASE_URL"', 'check production against the docs (read-only dump)')
      .example('$0 diff old.sql new.sql --format json', 'two dump files')
      .example('$0 diff "$PROD_DATABASE_URL" snapshot --sql > fix.sql', 'the DDL that brings production to the snapshot') as Argv<DiffArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const console = new Console(args);
      const { diff } = await import('../../commands/diff.js'); // loaded on use: keeps start-up fast
      const result = await diff(args.a, args.b, {
        ...replayOptionsFrom(args, console),
        ignore: args.ignore,
        canonicalize: args.canonicalize,
        includePrivileges: args.include?.includes('privileges'),
        sql: args.sql,
        allowDestructive: args.allowDestructive,
        concurrently: args.concurrently,
        idempotent: args.idempotent,
      });
      console.clearProgress();
      if (result.fix && args.format === undefined) {
        await emitFixSql(result.fix.sql, args.output);
        return result.exitCode;
      }
      await emitReport(
        { command: 'diff', engine: result.engine, migrationFailures: result.migrationFailures, drift: result.drift, sides: result.sides, unconfirmed: result.unconfirmed, notCompared: result.notCompared, exitCode: result.exitCode },
        args.format,
        { output: args.output },
      );
      return result.exitCode;
    }),
};
