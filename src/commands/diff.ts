import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveProject } from '../config/project.js';
import { loadConfig } from '../config/load.js';
import type { DriftItem } from '../diff/types.js';
import { objectLines } from '../diff/diff.js';
import type { EngineInfo, EngineOptions } from '../engine/types.js';
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
import { engineOptionsFor, projectExtensions, replayProject, type LoadedHistory } from '../pipeline/replay-project.js';
import { handWrittenLines, normalizeHandWrittenSnapshot, writtenByPgDump } from '../pipeline/hand-written-snapshot.js';
import { loadLatestSnapshot, readDumpFile, snapshotComparison, type SnapshotPart } from '../pipeline/snapshot-side.js';

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
  /**
   * what differs between the two sides where the comparison does not look, by design (privileges without
   * `--include privileges`; in diff of two schemas, owners), when anything: a clean result says so
   */
  notCompared?: string[];

  exitCode: 0 | 1;
}

/** Each item B has (added or changed) points at its line in B's file (its table's, for a part the file writes inside it). */
function linesInB(items: DriftItem[], model: SchemaModel | readonly SchemaModel[], file: string, compared: SchemaModel[]): DriftItem[] {
  // a set of schema files: each file's own lines, the first file that has the object
  const files = (Array.isArray(model) ? model.map((m) => ({ file: m.file, lines: objectLines(m, compared) })) : [{ file, lines: objectLines(model as SchemaModel, compared) }]);
  const find = (key: string) => {
    for (const entry of files) {
      const line = entry.lines.get(key);
      if (line !== undefined) return { file: entry.file, line };
    }
    return undefined;
  };
  return items.map((item) => {
    if (item.change === 'removed' || item.source.migration) return item;
    const place = find(`${item.kind}:${item.name}`) ?? find(`table:${item.name.split('.').slice(0, 2).join('.')}`);
    return place === undefined ? item : { ...item, source: { ...item.source, migration: place } };
  });
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
  /** a file: its absolute path */
  path?: string;
  /** a hand-written file, loaded through the engine: the file's own model (for its lines); a set of schema files: each one's */
  handWritten?: SchemaModel | SchemaModel[];
  /** the snapshot as a set of schema files (LoadedSnapshot.parts) */
  parts?: SnapshotPart[];
  /** a file the user has (its lines mean something), rather than a replay or a live database */
  isFile: boolean;
}

/**
 * `pgdrift diff A B`: each side is a migrations folder (replayed), a .sql dump, a postgres:// URL (dumped
 * read-only), or `snapshot` (the latest committed snapshot).
 */
export async function diff(a: string, b: string, options: DiffOptions = {}): Promise<DiffResult> {
  await loadSqlParser();
  const resolvedA = await resolveSide(a, options);
  const resolvedB = await resolveSide(b, options);
  const project = resolveProjectQuietly(options);
  const engine =
    options.canonicalize === false
      ? undefined
      : engineOptionsFor(project ?? fallbackProject(options), { ...options, databaseUrl: options.databaseUrl }, []);
  const history = resolvedB.history ?? resolvedA.history;
  // A hand-written file is compared as pg_dump prints it once loaded (as check compares it), on the replay's engine
  // after its baseline when the other side is a migrations folder; never without an engine (--no-canonicalize).
  const replayedOn = resolvedB.engine ?? resolvedA.engine;
  const loadOn = engine && { ...engine, ...(replayedOn ? { engine: replayedOn.name, pg: replayedOn.major } : {}), extensions: history?.prepared.extensions ?? [] };
  const sideA = loadOn ? await loadedIfHandWritten(resolvedA, history, loadOn) : resolvedA;
  const sideB = loadOn ? await loadedIfHandWritten(resolvedB, history, loadOn) : resolvedB;
  // compared as check compares the migrations with a snapshot (a supabase db dump on either side, say)
  const settings = snapshotComparison(history?.project ?? project ?? { ignore: [], platformBaseline: false }, {
    supabaseDbDump: sideA.model?.supabaseDbDump === true || sideB.model?.supabaseDbDump === true,
  }, history ? projectExtensions(history) : []);
  const comparison = await compareDumps(sideB, sideA, {
    ...settings,
    // the platform's extensions are left out one way only: when they came from the baseline of a replayed B
    platformExtensions: sideB.history ? settings.platformExtensions : [],
    ignore: [...settings.ignore, ...(options.ignore ?? [])],
    includePrivileges: options.includePrivileges,
    engine,
    // a replayed side is owned by the engine's role: its owners say nothing about the schema's
    noteOwners: !sideA.history && !sideB.history,
  });
  for (const note of comparison.notes) options.onNotice?.(note);
  const found = sideA.handWritten ? handWrittenLines(comparison.drift, sideA.handWritten, [comparison.models.ours, comparison.models.theirs]) : comparison.drift;
  const attributed = history ? attributeDrift(found, history, sideB.history ? sideB.report : sideA.report) : found;
  // Lines in A only mean something when A is a file the user has (a dump file or the snapshot), not a replay or a URL.
  let drift = sideA.isFile ? attributed : attributed.map(({ source: { snapshot: _, ...source }, ...item }) => ({ ...item, source }));
  // and B's, where B is such a file: the line of what B has (an object added, or changed), as `← file:line`
  if (sideB.isFile && !sideB.history && (sideB.handWritten ?? sideB.model)) drift = linesInB(drift, sideB.handWritten ?? sideB.model!, sideB.label, [comparison.models.ours, comparison.models.theirs]);
  let fix: GeneratedFix | undefined;
  if (options.sql) {
    const fixOptions = fixOptionsFor(project, options, () => loadProjectMigrations(project!).migrations);
    fix = generateFix(comparison.models.theirs, comparison.models.ours, drift, fixOptions);
    drift = fix.drift;
    // the script says what it does not cover, as the report does: never a bare "no differences, nothing to do"
    if (comparison.notCompared.length > 0) {
      fix = { ...fix, sql: `${comparison.notCompared.map((text) => `-- pgdrift: not compared: ${text}`).join('\n')}\n${fix.sql}` };
    }
  }
  const failures = [...sideA.failures, ...sideB.failures];
  return {
    drift,
    sides: { a: sideA.info, b: sideB.info },
    migrationFailures: failures,
    engine: sideB.engine ?? sideA.engine,
    unconfirmed: comparison.unconfirmed,
    ...(comparison.notCompared.length > 0 ? { notCompared: comparison.notCompared } : {}),
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
      path: snapshot.file.path,
      ...(snapshot.parts ? { parts: snapshot.parts } : {}),
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
  return { info: { label: spec, path: spec, pgDumpVersion: model.pgDumpVersion, postgresVersion: dumpedFrom(text) }, text, label: spec, model, failures: [], isFile: true, path: absolute };
}

/** The history a hand-written file is loaded after when no side is a migrations folder: nothing before it. */
const NOTHING_BEFORE = { baseline: [], prepared: { files: [], extensions: [], roles: [] } };

/** A file side pg_dump did not write, loaded into a throwaway database and dumped again (hand-written-snapshot.ts). */
async function loadedIfHandWritten(side: ResolvedSide, history: LoadedHistory | undefined, engine: EngineOptions & { projectRoot?: string }): Promise<ResolvedSide> {
  if (!side.isFile || !side.model || !side.path || (!side.parts && writtenByPgDump({ text: side.text, model: side.model }))) return side;
  const loaded = await normalizeHandWrittenSnapshot({ file: { file: side.label, path: side.path }, text: side.text, parts: side.parts }, history ?? NOTHING_BEFORE, engine);
  const handWritten = side.parts ? side.parts.map((part) => part.model) : side.model;
  return { ...side, text: loaded.text, model: loaded.model, handWritten, info: { ...side.info, handWritten: { engine: loaded.engine, after: loaded.after, ...(loaded.files ? { files: loaded.files } : {}) } } };
}

/**
 * The project around the diff, when there is one: its config's settings (ignore, extensions, runner) apply to what is
 * compared. Diffing two files needs no project, so a folder pgdrift cannot make a project of is no error; an invalid
 * config file is (it is read first, as every command reads it): a diff that quietly left out the config's "ignore"
 * would report differences the team told pgdrift to leave alone.
 */
function resolveProjectQuietly(options: DiffOptions) {
  const root = path.resolve(options.cwd ?? process.cwd());
  if (existsSync(root)) loadConfig(root, options.configFile);
  try {
    return resolveProject({ cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner, baseline: options.baseline, migrationsOptional: true });
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

