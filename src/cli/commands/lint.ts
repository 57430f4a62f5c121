import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { Console, runHandler } from '../context.js';
import { TimingRecorder } from '../../pipeline/timings.js';
import { emitReport, formatOption, type FormatArgs } from '../formats.js';
import { withMigrationOptions, type MigrationArgs } from '../shared-options.js';

interface LintArgs extends GlobalArgs, FormatArgs, MigrationArgs {
  files?: string[];
  since?: string;
  writeBaseline?: boolean;
  preset?: string;
  maxWarnings?: number;
  keepGoing?: boolean;
  fix?: boolean;
}

export const lintCommand: CommandModule<object, LintArgs> = {
  command: 'lint [files..]',
  describe: 'Lint migration files: file names, numbering, headers, team conventions, safety rules, end-state schema rules',
  builder: (yargs: Argv) =>
    formatOption(withMigrationOptions(yargs))
      .positional('files', { type: 'string', array: true, describe: 'Only report on these files (the whole history still builds the schema state)' })
      .option('since', { type: 'string', describe: 'Git ref of the merged history (e.g. origin/main): merged files must not change; new numbers must be above it' })
      .option('write-baseline', { type: 'boolean', default: false, describe: 'Accept the current findings into the lint baseline (config lint.baselineFile, default pgdrift-baseline.json; prunes entries that no longer occur)' })
      .option('preset', { choices: ['recommended', 'helios', 'strict'], describe: 'Rule preset (default: from config, or detected)' })
      .option('fix', {
        type: 'boolean',
        default: false,
        describe: 'Apply safe mechanical fixes (IF [NOT] EXISTS, CONCURRENTLY where the runner allows it, timestamptz) to new migrations only: those not on --since, or the files named',
      })
      .option('max-warnings', { type: 'number', describe: 'Exit 1 when there are more warnings than this' })
      .option('keep-going', { type: 'boolean', default: false, hidden: true, describe: 'Accepted for symmetry with check; lint reads files statically and always goes on' })
      .example('$0 lint', 'lint the whole history')
      .example('$0 lint --since origin/main --format github', 'in a pull request: annotations on the diff')
      .example('$0 lint --fix --since origin/main', 'fix what can be fixed mechanically in the files of this pull request')
      .example('$0 lint --write-baseline', 'adopt the linter on a legacy history: accept today\'s findings') as Argv<LintArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const console = new Console(args);
      const timings = new TimingRecorder();
      const { lint } = await import('../../commands/lint.js'); // loaded on use: keeps start-up fast
      const result = await lint({
        timings,
        cwd: args.cwd,
        configFile: args.config,
        migrations: args.migrations,
        runner: args.runner,
        baseline: args.baseline,
        onNotice: (message) => console.notice(message),
        files: args.files,
        since: args.since,
        writeBaseline: args.writeBaseline,
        preset: args.preset,
        maxWarnings: args.maxWarnings,
        fix: args.fix,
      });
      for (const f of result.fixed ?? []) console.notice(`fixed ${f.file}:${f.line}:${f.column} ${f.rule}: ${f.title}`);
      for (const file of result.fixSkipped ?? []) console.notice(`not fixed ${file}: the fixed text would not parse (please report it)`);
      if (args.fix && (result.fixed ?? []).length === 0) console.notice('nothing to fix');
      if (args.writeBaseline) console.notice(`baseline written: ${result.baselined} finding(s) accepted`);
      await timings.time(
        'report',
        () =>
          emitReport(
            { command: 'lint', migrationFailures: [], findings: result.findings, suppressed: result.suppressed, baselined: result.baselined, exitCode: result.exitCode, timings: timings.summary() },
            args.format,
            { output: args.output },
          ),
        (args.format ?? ['text']).join(', '),
      );
      console.timings(timings.summary());
      return result.exitCode;
    }),
};
