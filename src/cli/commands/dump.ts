import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../../util/fs.js';
import { runHandler } from '../context.js';
import { beginReplayCommand, withReplayOptions, type ReplayArgs } from '../shared-options.js';

interface DumpArgs extends ReplayArgs {
  format: 'sql' | 'json';
  output?: string;
}

export const dumpCommand: CommandModule<object, DumpArgs> = {
  command: 'dump',
  describe: 'Replay the migrations in a throwaway Postgres and print the resulting schema (pg_dump --schema-only)',
  builder: (yargs: Argv) =>
    withReplayOptions(yargs)
      .option('format', { choices: ['sql', 'json'] as const, default: 'sql' as const, describe: 'sql: the pg_dump text; json: the replay report' })
      .option('output', { alias: 'o', type: 'string', describe: 'Write to a file instead of stdout (atomically; with --format sql, only when every migration applied: a failed replay never replaces the file)' })
      .example('$0 dump', 'print the schema the migrations produce')
      .example('$0 dump -o schema.sql', 'write the dump to a file; left untouched when a migration fails')
      .example('$0 dump --keep-going > partial.sql', 'replay past failing files and keep the partial dump anyway')
      .example('$0 dump --format json', 'the replay report: engine, files with timings, failures')
      .example('$0 dump --engine server --database-url postgres://postgres@localhost/postgres', 'replay on a real server') as Argv<DumpArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const { console, replayOptions, timings } = beginReplayCommand(args);
      // loaded on use: keeps start-up fast
      const { dump } = await timings.time('load', () => import('../../commands/dump.js'), 'the dump command and its pipeline');
      const result = await dump(replayOptions);
      console.clearProgress();
      const text = args.format === 'json' ? `${JSON.stringify(result.report, null, 2)}\n` : result.sql;
      const failed = result.report.migrationFailures.length > 0;
      timings.timeSync(
        'report',
        () => {
          // The dump of a failed replay is not the schema: it must never replace a good file (e.g. a snapshot).
          if (args.output && args.format !== 'json' && failed) process.stderr.write(`pgdrift: ${args.output} not written: the replay failed (see below); the file is unchanged\n`);
          else if (args.output) writeFileAtomic(args.output, text);
          else process.stdout.write(text);
        },
        `${args.format === 'json' ? 'replay report (JSON)' : 'schema SQL'} to ${args.output ?? 'stdout'}`,
      );
      console.timings(timings.summary());
      if (args.format !== 'json' && result.report.migrationFailures.length > 0) {
        process.stderr.write(`${(await import('../../report/text.js')).renderFailures(result.report.migrationFailures, console.colors)}\n`);
      }
      return result.exitCode;
    }),
};
