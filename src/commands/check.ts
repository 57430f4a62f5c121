import path from 'node:path';
import { writeFixMigration, type WriteMigrationOptions, type WrittenMigration } from '../fix/write-migration.js';
import { diffModels } from '../diff/diff.js';
import type { DriftItem } from '../diff/types.js';
import type { Engine, EngineInfo } from '../engine/types.js';
import type { Finding } from '../lint/types.js';
import { buildSchemaModel } from '../model/build.js';
import { replayHistory } from '../replay/replay.js';
import type { MigrationFailure, ReplayReport, RunnerRoleReport } from '../replay/types.js';
import { PgdriftError } from '../errors.js';
import { attributeDrift } from '../pipeline/attribute.js';
import { compareDumps, type Comparison, type Unconfirmed } from '../pipeline/compare.js';
import { lint, lintHistory } from './lint.js';
import type { ReplayCommandOptions } from '../pipeline/options.js';
import { engineOptionsFor, projectExtensions, replayProject, resolveRunProject, type LoadedHistory } from '../pipeline/replay-project.js';
import { comparedSnapshot, handWrittenLines } from '../pipeline/hand-written-snapshot.js';
import { loadLatestSnapshot, NoSnapshotError, snapshotComparison } from '../pipeline/snapshot-side.js';
import { loadProjectMigrations } from '../migrations/project-migrations.js';
import { loadSqlParser } from '../sql/parse.js';
import { isVirtualFile } from '../migrations/virtual-file.js';
import { NO_MIGRATION_APPLIED } from '../report/describe.js';
import { withSnapshotExtensionHints } from '../pipeline/snapshot-extension-hint.js';
import { dbmateSchemaFileNotices } from '../runners/dbmate-schema-versions.js';

export interface CheckOptions extends ReplayCommandOptions {
  /** extra object-name patterns to ignore, on top of the config's `ignore` */
  ignore?: string[];
  /** apply every migration a second time and report files that fail or change the schema (runners that re-apply all files) */
  idempotent?: boolean;
  /** also run the linter (default true) */
  lint?: boolean;
  /** keep GRANT/REVOKE in the comparison */
  includePrivileges?: boolean;
  /** on drift, write the next migration with the DDL that makes the migrations produce the snapshot (src/fix/) */
  writeMigration?: WriteMigrationOptions;
  /**
   * take the runner notices (settings pgdrift could not read or replay, so the replay rests on an assumption) as what
   * the team's runner does: without it, a check that finds no drift but has such notices does not pass
   */
  acceptAssumptions?: boolean;
}

/** The snapshot check compared with. */
export interface CheckSnapshot {
  path: string;
  pgDumpVersion?: string;
  postgresVersion?: string;
  /**
   * The file is not pg_dump output (no pg_dump header, entry comments or preamble): it was loaded into a throwaway
   * database of `engine`, after the files in `after`, and compared as that database's pg_dump prints it.
   */
  handWritten?: { engine: EngineInfo['name']; after: string[]; files?: string[] };
}

/** The result of `pgdrift check`. `drift`, `migrationFailures`, `snapshot`, `engine` form the documented JSON contract. */
export interface CheckResult {
  drift: DriftItem[];
  migrationFailures: MigrationFailure[];
  snapshot: CheckSnapshot;
  engine: EngineInfo;
  files: ReplayReport['files'];
  /** files in the migrations folder the runner would not apply, with the reason (absent when none) */
  skippedFiles?: ReplayReport['skippedFiles'];
  /** what the project's runner settings leave uncertain (Spring Boot's spring.flyway.enabled=false), when anything */
  notices?: string[];
  /** the extensions the embedded engine replayed with pgdrift's stand-ins (ReplayReport.standIns), when any */
  standIns?: string[];
  /** server and docker: what the replay role, standing for the runner's connecting role, did not run (ReplayReport.runnerRole) */
  runnerRole?: RunnerRoleReport;
  /** statements on the team's database by name that the replay left out (ReplayReport.databaseStatements), when any */
  databaseStatements?: ReplayReport['databaseStatements'];
  /** with notices: whether they were accepted as the runner's behaviour (acceptAssumptions); if not, the check fails */
  assumptionsAccepted?: boolean;
  /**
   * what differs between the two sides where the comparison does not look, by design (privileges without
   * `--include privileges`; in diff of two schemas, owners), when anything: a clean result says so
   */
  notCompared?: string[];
  /** lint findings (only those not suppressed or baselined) */
  findings: Finding[];
  /** --idempotent: files that failed or changed the schema when applied a second time */
  idempotency?: { failures: MigrationFailure[]; changed: DriftItem[] };
  /**
   * how the comparison was settled: directly (no expression-text difference needed confirming), confirmed after
   * reloading both sides through the engine, or unconfirmed (the reload could not run: see `unconfirmed`)
   */
  comparison: Comparison['method'];
  /** why some differences are reported with `confirmed: false`, and the engine option that would confirm them */
  unconfirmed?: Unconfirmed;
  /** --write-migration: the file written (or why none was), and the lint findings of that file */
  written?: WrittenMigration & { findings: Finding[] };
  /** the replayed schema (pg_dump --schema-only): not part of the JSON contract; the --pg matrix compares majors with it */
  dump: string;
  exitCode: 0 | 1;
}

/**
 * `pgdrift check`: replay the migrations, compare the result with the latest snapshot, and lint.
 * Drift found by the direct model comparison is confirmed by reloading both sides through the same engine
 * (so pg_dump versions and Postgres's re-printing of expressions can never cause a false alarm); a clean
 * direct comparison needs no reload.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const timings = options.timings;
  // The project once, for every stage; the snapshot first: a missing or unreadable one is an input error
  // before any database starts.
  const project = resolveRunProject(options);
  const snapshot = await (timings
    ? timings.time('model build', () => loadLatestSnapshot(project), (s) => `read and parsed ${s.file.file}: ${s.model.tables.length} tables`, { side: 'snapshot' })
    : loadLatestSnapshot(project)
  ).catch(async (error: unknown) => {
    // the check stops before the replay, which says what was detected: say it here, so the user sees which folder
    // and runner the advice is about
    if (project.detected) options.onNotice?.(project.detected);
    // "run pgdrift snapshot" is the wrong advice for a folder nothing can be replayed from (JavaScript migrations
    // only, files the runner refuses): the migrations' own input error comes first, as snapshot would give it
    if (error instanceof NoSnapshotError) {
      await loadSqlParser();
      loadProjectMigrations(project, { strict: true });
    }
    throw error;
  });
  const outcome = await replayProject(options, async (engine, { history, dump, report }) => {
    const project = history.project;
    const engineOptions = { ...engineOptionsFor(project, options, history.prepared.extensions), engine: engine.info.name, pg: engine.info.major };
    const theirs = await comparedSnapshot(snapshot, history, engineOptions, timings).catch((error: unknown) => {
      // a snapshot that does not load stops the check; the migrations that failed before it are said too
      if (error instanceof PgdriftError && report.migrationFailures.length > 0) error.failedBefore = report.migrationFailures;
      throw error;
    });
    const settings = snapshotComparison(project, theirs.model, projectExtensions(history));
    const ignore = [...settings.ignore, ...(options.ignore ?? [])];
    const comparison = await compareDumps({ text: dump, label: 'the replayed migrations' }, theirs, {
      ...settings,
      ignore,
      includePrivileges: options.includePrivileges,
      engine: engineOptions,
      timings,
    });
    for (const note of comparison.notes) options.onNotice?.(note);
    for (const note of dbmateSchemaFileNotices(history.project.runner, history.migrations, snapshot.text, snapshot.file.file)) options.onNotice?.(note);
    // a hand-written snapshot was compared through the engine's dump of it: its lines are the file's own again
    const found = theirs.normalized ? handWrittenLines(comparison.drift, snapshot.parts?.map((part) => part.model) ?? snapshot.model, [comparison.models.ours, comparison.models.theirs]) : comparison.drift;
    const attribute = () => attributeDrift(found, history, report);
    const drift = timings ? timings.timeSync('attribution', attribute, (items) => `${items.filter((d) => d.source.migration).length} of ${items.length} differences traced to a migration line`) : attribute();
    const runSecondPass = () => secondPass(engine, history, dump, ignore);
    const idempotency = !options.idempotent
      ? undefined
      : timings
        ? await timings.time('second pass', runSecondPass, (r) => `every migration applied again: ${r.failures.length} failed, ${r.changed.length} changes`)
        : await runSecondPass();
    return { drift, comparison: comparison.method, unconfirmed: comparison.unconfirmed, idempotency, models: comparison.models, normalized: theirs.normalized, notCompared: comparison.notCompared };
  }, project);
  const { comparison, idempotency, models, normalized } = outcome.extra!;
  let unconfirmed = outcome.extra!.unconfirmed;
  let drift = outcome.extra!.drift;
  let notCompared = outcome.extra!.notCompared;
  // the hints read what the snapshot has that the replay lacks (an extension no migration creates), even when no
  // migration applied
  const failures = withSnapshotExtensionHints(outcome.report.migrationFailures, drift, projectExtensions(outcome.history));
  // A replay that applied no migration (a syntax error stops it before anything runs; the first file failed):
  // comparing leaves every object of the snapshot "missing", which is no drift of the migrations. Not compared.
  if (noMigrationApplied(outcome.report)) {
    drift = [];
    notCompared = [NO_MIGRATION_APPLIED];
    // no difference is reported, so none is unconfirmed: "0 differences could not be confirmed" said the reload
    // failed on a comparison that is not made (field: sushiibot/sushii-db on the server engine, timescaledb)
    unconfirmed = undefined;
  }
  // The linter reads the very files the replay read and parsed (so `--migrations other/` lints other/).
  const { history } = outcome;
  let written: CheckResult['written'];
  if (options.writeMigration && drift.length > 0 && outcome.report.migrationFailures.length === 0) {
    const result = writeFixMigration(history.project, { migrations: models.ours, snapshot: models.theirs }, drift, options.writeMigration);
    drift = result.fix.drift;
    // The new file alone, linted as part of the history, with the project's preset: it must come out clean.
    const lintOptions = { cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner };
    const fileFindings = result.file ? (await lint({ ...lintOptions, files: [path.join(history.project.root, result.file)] })).findings : [];
    written = { ...result, findings: fileFindings };
  }
  const runLint = async () =>
    options.lint === false
      ? []
      : (await lintHistory({ cwd: options.cwd, configFile: options.configFile }, { project: history.project, migrations: history.migrations, baseline: history.baseline, prepared: history.prepared })).findings;
  const findings = timings ? await timings.time('lint', runLint, (f) => (options.lint === false ? 'skipped (--no-lint)' : `${f.length} findings`)) : await runLint();
  const idempotencyFailed = idempotency !== undefined && (idempotency.failures.length > 0 || idempotency.changed.length > 0);
  // a migration the runner applies but pgdrift cannot replay (a JavaScript one): no drift found is not "clean"
  const incomplete = (outcome.report.skippedFiles ?? []).some((f) => f.appliedByRunner);
  // the runner's settings left the replay an assumption (its notices): no drift found is not "clean" unless accepted
  const notices = outcome.report.notices ?? [];
  const assumed = notices.length > 0 && !options.acceptAssumptions;
  const failed = drift.length > 0 || failures.length > 0 || findings.some((f) => f.severity === 'error') || idempotencyFailed || incomplete || assumed;
  return {
    drift,
    migrationFailures: failures,
    snapshot: {
      path: snapshot.file.file,
      pgDumpVersion: snapshot.model.pgDumpVersion,
      postgresVersion: dumpedFrom(snapshot.text),
      ...(normalized ? { handWritten: { engine: normalized.engine, after: normalized.after, ...(normalized.files ? { files: normalized.files } : {}) } } : {}),
    },
    engine: outcome.report.engine,
    files: outcome.report.files,
    ...(outcome.report.skippedFiles ? { skippedFiles: outcome.report.skippedFiles } : {}),
    ...(outcome.report.standIns ? { standIns: outcome.report.standIns } : {}),
    ...(outcome.report.runnerRole ? { runnerRole: outcome.report.runnerRole } : {}),
    ...(outcome.report.databaseStatements ? { databaseStatements: outcome.report.databaseStatements } : {}),
    ...(notices.length > 0 ? { notices, assumptionsAccepted: Boolean(options.acceptAssumptions) } : {}),
    ...(notCompared.length > 0 ? { notCompared } : {}),
    findings,
    idempotency,
    comparison,
    dump: outcome.dump,
    unconfirmed,
    written,
    exitCode: failed ? 1 : 0,
  };
}

/** A replay that failed before any of the project's migrations applied (from the cache or in this run). */
function noMigrationApplied(report: ReplayReport): boolean {
  const migrations = report.files.filter((f) => f.role === 'migration' && !isVirtualFile(f.file));
  return report.migrationFailures.length > 0 && migrations.length > 0 && !migrations.some((f) => f.status === 'applied');
}

/** Applies every migration again on the replayed database, as a runner that re-applies all files at start does. */
async function secondPass(engine: Engine, history: LoadedHistory, firstDump: string, ignore: string[]) {
  const migrationsOnly = { ...history.prepared, files: history.prepared.files.filter((f) => f.role === 'migration') };
  const report = await replayHistory(engine, migrationsOnly, { keepGoing: true, mode: history.project.mode });
  const secondDump = await engine.dump();
  const changed = attributeDrift(diffModels(buildSchemaModel(secondDump, 'second pass'), buildSchemaModel(firstDump, 'first pass'), { ignore }), history);
  return { failures: report.migrationFailures, changed };
}

/** "-- Dumped from database version 15.19 (Debian ...)" → "15.19" */
export function dumpedFrom(text: string): string | undefined {
  return /^-- Dumped from database version (\S+)/m.exec(text)?.[1];
}
