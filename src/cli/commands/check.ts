import path from 'node:path';
import pc from 'picocolors';
import type { Argv, CommandModule } from 'yargs';
import type { WrittenMigration } from '../../fix/write-migration.js';
import type { Finding } from '../../lint/types.js';
import type { CheckOptions, CheckResult } from '../../commands/check.js';
import { InputError, PgdriftError } from '../../errors.js';
import type { Report } from '../../report/types.js';
import { writeFileAtomic } from '../../util/fs.js';
import { runHandler, useColor, type Console } from '../context.js';
import { emitReport, formatOption, parseFormats, type FormatArgs } from '../formats.js';
import { beginReplayCommand, withReplayOptions, withSnapshotOption, type ReplayArgs } from '../shared-options.js';

interface CheckArgs extends ReplayArgs, FormatArgs {
  ignore?: string[];
  idempotent?: boolean;
  lint?: boolean;
  include?: string[];
  writeMigration?: string;
  allowDestructive?: boolean;
  acceptAssumptions?: boolean;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Replay the migrations, compare with the latest snapshot (drift), and lint: the CI gate',
  builder: (yargs: Argv) =>
    formatOption(withSnapshotOption(withReplayOptions(yargs)))
      .option('ignore', { type: 'string', array: true, describe: 'Object name pattern to ignore (repeatable), e.g. public.migrations' })
      .option('idempotent', { type: 'boolean', default: false, describe: 'Apply every migration a second time; report files that fail or change the schema' })
      .option('lint', { type: 'boolean', default: true, describe: 'Also lint the migrations (--no-lint to skip)' })
      .option('include', { type: 'string', array: true, choices: ['privileges'], describe: 'Also compare privileges (GRANT/REVOKE, from the dumps themselves: never dropped by the reload)' })
      .option('write-migration', {
        type: 'string',
        describe: "On drift, write the next migration file (runner's naming, team header) with the DDL that makes the migrations produce the snapshot; optional name, default reconcile_schema_drift",
      })
      .option('allow-destructive', { type: 'boolean', describe: 'With --write-migration: write DROP TABLE, DROP COLUMN and narrowing type changes as SQL (default: as comments)' })
      .option('accept-assumptions', {
        type: 'boolean',
        default: false,
        describe: "Pass with no drift even when the runner's settings left the replay an assumption (the notices); by default such a check fails",
      })
      .example('$0 check', "exit 0: no drift; exit 1: drift, a failed migration, lint errors, or a replay resting on the runner's settings pgdrift could not read (the text ends with the replay, lint and drift verdicts)")
      .example('$0 check --accept-assumptions', "pass with no drift although notices say the replay assumed some of the runner's settings")
      .example('$0 check --keep-going --format json', 'report every failing file and the drift as JSON')
      .example('$0 check --format text --format sarif=pgdrift.sarif', 'text for people, SARIF for code scanning')
      .example('$0 check --ignore public.migrations --idempotent', 'ignore the runner bookkeeping table; re-apply every file')
      .example('$0 check --pg 16,17,18', 'replay on the embedded Postgres 16, 17 and 18; report what fails or differs on only some')
      .example('$0 check --write-migration add_hotfix_index', 'on drift, write migrations/NNN_add_hotfix_index.sql that closes it') as Argv<CheckArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const { console, replayOptions, timings } = beginReplayCommand(args);
      // loaded on use: keeps start-up fast
      const [{ parseMajorList }, { check }] = await timings.time(
        'load',
        () => Promise.all([import('../../engine/embedded-major.js'), import('../../commands/check.js')]),
        'the check command and its pipeline',
      );
      const checkOptions = {
        ...replayOptions,
        ignore: args.ignore,
        idempotent: args.idempotent,
        lint: args.lint,
        includePrivileges: args.include?.includes('privileges'),
        writeMigration: args.writeMigration === undefined ? undefined : { name: args.writeMigration || undefined, allowDestructive: args.allowDestructive },
        acceptAssumptions: args.acceptAssumptions,
      };
      const majors = parseMajorList(args.pg);
      if (majors.length > 1) return runMatrix(args, checkOptions, majors, console);
      const result = await check(checkOptions).catch(async (error: unknown) => {
        console.clearProgress();
        const failedBefore = error instanceof PgdriftError ? error.failedBefore : undefined;
        if (failedBefore?.length) process.stderr.write(`${(await import('../../report/text.js')).renderFailures(failedBefore, console.colors)}\n`);
        throw error;
      });
      console.clearProgress();
      if (result.written) reportWrittenMigration(result.written);
      const formats = args.format;
      await timings.time(
        'report',
        () => emitReport({ ...checkReport(result, args.lint !== false), timings: timings.summary() }, formats, { output: args.output }),
        (formats ?? ['text']).join(', '),
      );
      console.timings(timings.summary());
      return result.exitCode;
    }),
};

/** What --write-migration did, on stderr (stdout carries the report). */
function reportWrittenMigration(written: WrittenMigration & { findings: Finding[] }): void {
  const lines: string[] = [];
  if (written.file) {
    lines.push(`pgdrift: wrote ${written.file} (${written.fix.plan.steps.length} step${written.fix.plan.steps.length === 1 ? '' : 's'}); run pgdrift check again to confirm it closes the drift`);
    if (written.fix.plan.unsafeCount > 0) lines.push(`pgdrift: ${written.fix.plan.unsafeCount} destructive step(s) are in the file as comments (marked UNSAFE); --allow-destructive writes them`);
    for (const f of written.findings) lines.push(`pgdrift: ${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`);
  } else {
    lines.push(`pgdrift: no migration written: ${written.skipped}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** The report every renderer receives for one check (idempotency findings folded into failures and drift). */
export function checkReport(result: CheckResult, linted = true): Report {
  const idempotencyFailures = result.idempotency?.failures ?? [];
  return {
    command: 'check',
    engine: result.engine,
    files: result.files,
    skippedFiles: result.skippedFiles,
    notices: result.notices,
    ...(result.standIns ? { standIns: result.standIns } : {}),
    ...(result.runnerRole ? { runnerRole: result.runnerRole } : {}),
    ...(result.databaseStatements ? { databaseStatements: result.databaseStatements } : {}),
    ...(result.notCompared ? { notCompared: result.notCompared } : {}),
    ...(result.assumptionsAccepted !== undefined ? { assumptionsAccepted: result.assumptionsAccepted } : {}),
    migrationFailures: [...result.migrationFailures, ...idempotencyFailures.map((f) => ({ ...f, message: `second run: ${f.message}` }))],
    drift: [...result.drift, ...(result.idempotency?.changed ?? []).map((item) => ({ ...item, details: [`changed by applying the migrations a second time`, ...item.details.map(String)] }))],
    findings: linted ? result.findings : undefined,
    snapshot: result.snapshot,
    unconfirmed: result.unconfirmed,
    exitCode: result.exitCode,
  };
}

/** `check --pg 16,17,18`: each major in turn, then one report (text or json) of all of them. */
async function runMatrix(args: CheckArgs, options: CheckOptions, majors: number[], console: Console): Promise<number> {
  const formats = parseFormats(args.format, args.output);
  const unsupported = formats.find((spec) => spec.format !== 'text' && spec.format !== 'json');
  if (unsupported) {
    throw new InputError(`--format ${unsupported.format} cannot show several majors at once`, { hint: 'use --format text or --format json with --pg lists, or run one major at a time' });
  }
  const { checkMatrix } = await import('../../pipeline/check-matrix.js');
  const { renderMatrixJson, renderMatrixText } = await import('../../report/matrix.js');
  const matrix = await checkMatrix(options, majors);
  console.clearProgress();
  const reports = new Map(matrix.runs.filter((run) => run.result).map((run) => [run.pg, checkReport(run.result!, args.lint !== false)] as const));
  for (const spec of formats) {
    const toStdout = spec.file === undefined;
    const text =
      spec.format === 'json'
        ? renderMatrixJson(matrix, reports)
        : renderMatrixText(matrix, reports, pc.createColors(toStdout && useColor(process.stdout)));
    if (toStdout) process.stdout.write(text);
    else writeFileAtomic(path.resolve(spec.file!), text);
  }
  return matrix.exitCode;
}
