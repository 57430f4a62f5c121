import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveProject } from '../config/project.js';
import type { DriftItem } from '../diff/types.js';
import type { EngineInfo } from '../engine/types.js';
import { isDatabaseUrl, redactUrl } from '../engine/url.js';
import { numbered } from '../runners/numbered.js';
import { InputError } from '../errors.js';
import type { SchemaModel } from '../model/types.js';
import type { SideInfo } from '../report/types.js';
import type { MigrationFailure, ReplayReport } from '../replay/types.js';
import { loadSqlParser } from '../sql/parse.js';
import { fixOptionsFor, generateFix, type GeneratedFix } from '../fix/project.js';
import { loadProjectMigrations } from '../migrations/project-migrations.js';
import { attributeDrift } from '../pipeline/attribute.js';
import { dumpedFrom } from './check.js';
import { compareDumps, type Unconfirmed } from '../pipeline/compare.js';
import type { ReplayCommandOptions } from '../pipeline/options.js';
import { dumpLiveDatabase } from '../pipeline/read-database.js';
import { engineOptionsFor, replayProject, type LoadedHistory } from '../pipeline/replay-project.js';
import { loadLatestSnapshot, readDumpFile, snapshotComparison } from '../pipeline/snapshot-side.js';

export interface DiffOptions extends ReplayCommandOptions {
  ignore?: string[];
  includePrivileges?: boolean;
  /** confirm differences by reloading both sides through an engine (default true) */
  canonicalize?: boolean;
  /** also write the DDL that turns A into B (`--sql`): `fix` in the result, `sql` on each item */
  sql?: boolean;
  /** with `sql`: write destructive steps as SQL rather than comments, and the style overrides */
  allowDestructive?: boolean;
  concurrently?: boolean;
  idempotent?: boolean;
}

export interface DiffResult {
  /** changes from A to B: added = only in B, removed = only in A, changed: from A to B */
  drift: DriftItem[];
  sides: { a: SideInfo; b: SideInfo };
  migrationFailures: MigrationFailure[];
  engine?: EngineInfo;
  /** why some items carry `confirmed: false` (the confirming reload could not run), and how to confirm them */
  unconfirmed?: Unconfirmed;
  /** `sql`: the DDL that turns A into B */
  fix?: GeneratedFix;
  exitCode: 0 | 1;
}

interface ResolvedSide {
  info: SideInfo;
  text: string;
  label: string;
  model?: SchemaModel;
  history?: LoadedHistory;
  /** a replayed folder's report: attribution counts only statements that took effect */
  report?: ReplayReport;
  failures: MigrationFailure[];
  engine?: EngineInfo;
  /** a file the user has (its lines mean something), rather than a replay or a live database */
  isFile: boolean;
}

/**
 * `pgdrift diff A B`: each side is a migrations folder (replayed), a .sql dump, a postgres:// URL (dumped
 * read-only), or `snapshot` (the latest committed snapshot).
 */
export async function diff(a: string, b: string, options: DiffOptions = {}): Promise<DiffResult> {
  await loadSqlParser();
  const sideA = await resolveSide(a, options);
  const sideB = await resolveSide(b, options);
  const project = resolveProjectQuietly(options);
  const engine =
    options.canonicalize === false
      ? undefined
      : engineOptionsFor(project ?? fallbackProject(options), { ...options, databaseUrl: options.databaseUrl }, []);
  const history = sideB.history ?? sideA.history;
  // compared as check compares the migrations with a snapshot (a supabase db dump on either side, say)
  const settings = snapshotComparison(history?.project ?? project ?? { ignore: [], platformBaseline: false }, {
    supabaseDbDump: sideA.model?.supabaseDbDump === true || sideB.model?.supabaseDbDump === true,
  });
  const comparison = await compareDumps(sideB, sideA, {
    ...settings,
    ignore: [...settings.ignore, ...(options.ignore ?? [])],
    includePrivileges: options.includePrivileges,
    engine,
  });
  for (const note of comparison.notes) options.onNotice?.(note);
  const attributed = history ? attributeDrift(comparison.drift, history, sideB.history ? sideB.report : sideA.report) : comparison.drift;
  // Lines in A only mean something when A is a file the user has (a dump file or the snapshot), not a replay or a URL.
  let drift = sideA.isFile ? attributed : attributed.map(({ source: { snapshot: _, ...source }, ...item }) => ({ ...item, source }));
  let fix: GeneratedFix | undefined;
  if (options.sql) {
    const fixOptions = fixOptionsFor(project, options, () => loadProjectMigrations(project!).migrations);
    fix = generateFix(comparison.models.theirs, comparison.models.ours, drift, fixOptions);
    drift = fix.drift;
  }
  const failures = [...sideA.failures, ...sideB.failures];
  return {
    drift,
    sides: { a: sideA.info, b: sideB.info },
    migrationFailures: failures,
    engine: sideB.engine ?? sideA.engine,
    unconfirmed: comparison.unconfirmed,
    fix,
    exitCode: drift.length > 0 || failures.length > 0 ? 1 : 0,
  };
}

async function resolveSide(spec: string, options: DiffOptions): Promise<ResolvedSide> {
  if (spec === 'snapshot') {
    const project = resolveProject({ cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner });
    const snapshot = await loadLatestSnapshot(project);
    return {
      info: { label: `snapshot ${snapshot.file.file}`, path: snapshot.file.file, pgDumpVersion: snapshot.model.pgDumpVersion, postgresVersion: dumpedFrom(snapshot.text) },
      text: snapshot.text,
      label: snapshot.file.file,
      model: snapshot.model,
      failures: [],
      isFile: true,
    };
  }
  if (isDatabaseUrl(spec)) {
    const live = await dumpLiveDatabase(spec);
    const label = redactUrl(spec);
    return { info: { label, pgDumpVersion: live.pgDumpVersion, postgresVersion: live.postgresVersion }, text: live.text, label, failures: [], isFile: false };
  }
  const absolute = path.resolve(options.cwd ?? process.cwd(), spec);
  if (!existsSync(absolute)) {
    throw new InputError(`diff: ${spec} is neither a file, a folder, a postgres:// URL nor the word "snapshot"`, {
      // a relative path is read from the project folder (-C), not from where the command was typed
      hint: path.isAbsolute(spec) ? 'check the path' : `relative paths are read from the project folder: looked for ${absolute}`,
    });
  }
  if (statSync(absolute).isDirectory()) {
    const replayed = await replayProject({ ...options, migrations: absolute });
    return {
      info: { label: `migrations folder ${spec}`, path: spec, pgDumpVersion: replayed.report.engine.pgDumpVersion, postgresVersion: replayed.report.engine.postgresVersion },
      text: replayed.dump,
      label: `the replay of migrations folder ${spec}`,
      history: replayed.history,
      report: replayed.report,
      failures: replayed.report.migrationFailures,
      engine: replayed.report.engine,
      isFile: false,
    };
  }
  const { text, model } = readDumpFile(absolute, spec);
  return { info: { label: spec, path: spec, pgDumpVersion: model.pgDumpVersion, postgresVersion: dumpedFrom(text) }, text, label: spec, model, failures: [], isFile: true };
}

function resolveProjectQuietly(options: DiffOptions) {
  try {
    return resolveProject({ cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner, baseline: options.baseline });
  } catch {
    return undefined;
  }
}

/** Diffing two files needs no project; canonicalisation then uses the engine flags alone. */
function fallbackProject(options: DiffOptions) {
  const root = path.resolve(options.cwd ?? process.cwd());
  return {
    root,
    config: {},
    migrationsDir: root,
    baselineFiles: [],
    snapshotGlob: '',
    order: 'lexicographic' as const,
    mode: 'file' as const,
    runner: numbered,
    runnerSource: 'config' as const,
    platformBaseline: false,
    ignore: [],
  };
}

