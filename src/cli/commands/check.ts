import type { Argv, CommandModule } from 'yargs';
import { runHandler } from '../context.js';
import { emitReport, formatOption, type FormatArgs } from '../formats.js';
import { beginReplayCommand, withReplayOptions, type ReplayArgs } from '../shared-options.js';

interface CheckArgs extends ReplayArgs, FormatArgs {
  ignore?: string[];
  idempotent?: boolean;
  lint?: boolean;
  include?: string[];
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Replay the migrations, compare with the latest snapshot (drift), and lint: the CI gate',
  builder: (yargs: Argv) =>
    formatOption(withReplayOptions(yargs))
      .option('ignore', { type: 'string', array: true, describe: 'Object name pattern to ignore (repeatable), e.g. public.migrations' })
      .option('idempotent', { type: 'boolean', default: false, describe: 'Apply every migration a second time; report files that fail or change the schema' })
      .option('lint', { type: 'boolean', default: true, describe: 'Also lint the migrations (--no-lint to skip)' })
      .option('include', { type: 'string', array: true, choices: ['privileges'], describe: 'Also compare privileges (GRANT/REVOKE)' })
      .example('$0 check', 'exit 0: no drift; exit 1: drift, a failed migration or lint errors')
      .example('$0 check --keep-going --format json', 'report every failing file and the drift as JSON')
      .example('$0 check --format text --format sarif=pgdrift.sarif', 'text for people, SARIF for code scanning')
      .example('$0 check --ignore public.migrations --idempotent', 'ignore the runner bookkeeping table; re-apply every file') as Argv<CheckArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const { console, replayOptions, started } = beginReplayCommand(args);
      const { check } = await import('../../commands/check.js'); // loaded on use: keeps start-up fast
      const result = await check({
        ...replayOptions,
        ignore: args.ignore,
        idempotent: args.idempotent,
        lint: args.lint,
        includePrivileges: args.include?.includes('privileges'),
      });
      console.clearProgress();
      console.verbose(`check: ${Math.round(performance.now() - started)} ms (${result.comparison} comparison)`);
      const idempotencyFailures = result.idempotency?.failures ?? [];
      await emitReport(
        {
          command: 'check',
          engine: result.engine,
          files: result.files,
          migrationFailures: [...result.migrationFailures, ...idempotencyFailures.map((f) => ({ ...f, message: `second run: ${f.message}` }))],
          drift: [...result.drift, ...(result.idempotency?.changed ?? []).map((item) => ({ ...item, details: [`changed by applying the migrations a second time`, ...item.details.map(String)] }))],
          findings: args.lint === false ? undefined : result.findings,
          snapshot: result.snapshot,
          unconfirmed: result.unconfirmed,
          exitCode: result.exitCode,
        },
        args.format,
        { output: args.output },
      );
      return result.exitCode;
    }),
};
