import type { Argv, CommandModule } from 'yargs';
import { runHandler } from '../context.js';
import { beginReplayCommand, withReplayOptions, withSnapshotOption, type ReplayArgs } from '../shared-options.js';

interface SnapshotArgs extends ReplayArgs {
  date?: string;
  force?: boolean;
  keep?: number;
  docs?: boolean;
}

export const snapshotCommand: CommandModule<object, SnapshotArgs> = {
  command: 'snapshot',
  describe: 'Write docs/architecture/schema-actual-<date>.sql (and the docs) only when the schema really changed',
  builder: (yargs: Argv) =>
    withSnapshotOption(withReplayOptions(yargs))
      .option('date', { type: 'string', describe: 'Date in the file name, YYYY-MM-DD (default: today, UTC)' })
      .option('force', { type: 'boolean', default: false, describe: 'Write a snapshot even when nothing changed, and over a hand-written snapshot file (one pg_dump did not write); never over a set of schema files (Supabase declarative schemas)' })
      .option('keep', { type: 'number', describe: 'Delete all but the newest N snapshots' })
      .option('docs', { type: 'boolean', default: true, describe: 'Regenerate the docs with a new snapshot (--no-docs to skip)' })
      .example('$0 snapshot', 'nightly: a new dated snapshot + docs when the migrations changed the schema, else nothing')
      .example('$0 snapshot --keep 5', 'and keep only the five newest snapshots') as Argv<SnapshotArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const { console, replayOptions, timings } = beginReplayCommand(args);
      // loaded on use: keeps start-up fast
      const { snapshot } = await timings.time('load', () => import('../../commands/snapshot.js'), 'the snapshot command and its pipeline');
      const result = await snapshot({ ...replayOptions, date: args.date, force: args.force, keep: args.keep, docs: args.docs });
      console.clearProgress();
      if (result.report.migrationFailures.length > 0) {
        process.stderr.write(`${(await import('../../report/text.js')).renderFailures(result.report.migrationFailures, console.colors)}\n`);
        process.stderr.write('no snapshot written\n');
        return result.exitCode;
      }
      const lines: string[] = [];
      if (result.written) {
        lines.push(`wrote ${result.written}${result.previous ? ` (previous: ${result.previous})` : ''}`);
        if (result.changed.length > 0) {
          lines.push((await import('../../report/index.js')).renderReport({ command: 'diff', migrationFailures: [], drift: result.changed, exitCode: 0 }, 'text', { colors: console.colors }).trimEnd());
        }
        if (result.docs) lines.push(`docs: ${result.docs.written.length} file(s) written in ${result.docs.out}`);
      } else {
        lines.push(`schema unchanged since ${result.previous}: nothing written`);
      }
      for (const file of result.pruned) lines.push(`pruned ${file}`);
      process.stdout.write(`${lines.join('\n')}\n`);
      console.timings(timings.summary());
      return result.exitCode;
    }),
};
