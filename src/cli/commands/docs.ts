import type { Argv, CommandModule } from 'yargs';
import { runHandler } from '../context.js';
import { beginReplayCommand, withReplayOptions, withSnapshotOption, type ReplayArgs } from '../shared-options.js';

interface DocsArgs extends ReplayArgs {
  out?: string;
  from?: string;
  check?: boolean;
  timestamp?: boolean;
}

export const docsCommand: CommandModule<object, DocsArgs> = {
  command: 'docs',
  describe: 'Write Markdown docs of the schema (index + Mermaid ER diagram, one page per table with its migration history)',
  builder: (yargs: Argv) =>
    withSnapshotOption(withReplayOptions(yargs))
      .option('out', { type: 'string', describe: 'Output folder (default: config docs.out, then docs/schema)' })
      .option('from', { type: 'string', describe: 'What to document: migrations (default), snapshot, a .sql dump, or a postgres:// URL (read-only); all but migrations work without a migrations folder (no history then)' })
      .option('check', { type: 'boolean', default: false, describe: 'Write nothing; exit 1 listing stale, missing and extra files' })
      .option('timestamp', { type: 'boolean', default: false, describe: 'Print the generation time in the docs (off: byte-identical output)' })
      .example('$0 docs', 'document the schema the migrations produce into docs/schema/')
      .example('$0 docs --check', 'in CI: fail when the committed docs are stale')
      .example('$0 docs --keep-going', 'document past failing migrations: the index names them and says the schema is partial')
      .example('$0 docs --from snapshot --out /tmp/docs', 'document the latest committed snapshot')
      .example('$0 docs --from prod.sql', 'document a pg_dump file (the history needs the migrations folder)') as Argv<DocsArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const { console, replayOptions, timings } = beginReplayCommand(args, { prestart: (args.from ?? 'migrations') === 'migrations' });
      // loaded on use: keeps start-up fast
      const { docs } = await timings.time('load', () => import('../../commands/docs.js'), 'the docs command and its pipeline');
      const result = await docs({ ...replayOptions, out: args.out, from: args.from, check: args.check, timestamp: args.timestamp });
      console.clearProgress();
      const failures = result.report?.migrationFailures ?? [];
      if (failures.length > 0) process.stderr.write(`${(await import('../../report/text.js')).renderFailures(failures, console.colors)}\n`);
      const lines: string[] = [];
      if (args.check) {
        for (const file of result.stale) lines.push(`stale:   ${file}`);
        for (const file of result.missing) lines.push(`missing: ${file}`);
        for (const file of result.extra) lines.push(`extra:   ${file}`);
        lines.push(lines.length === 0 ? `docs are fresh: ${result.out}` : `docs are out of date in ${result.out}: run pgdrift docs`);
      } else if (failures.length === 0 || args.keepGoing) {
        lines.push(`${result.written.length} file(s) written, ${result.extra.length} removed in ${result.out}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      console.timings(timings.summary());
      return result.exitCode;
    }),
};
