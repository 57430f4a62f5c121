import { closeSync, openSync, readSync } from 'node:fs';
import { latestSnapshot, resolveProject, type Project } from '../config/project.js';
import { dumpedFromMajor } from '../engine/embedded-major.js';
import { withEngine } from '../engine/index.js';
import type { Engine } from '../engine/types.js';
import type { MigrationFile } from '../migrations/discover.js';
import { loadProjectMigrations } from '../migrations/project-migrations.js';
import { SUPABASE_PLATFORM_ROLES } from '../runners/supabase-platform.js';
import { prepareHistory, replayHistory, type PreparedHistory } from '../replay/replay.js';
import type { ReplayReport } from '../replay/types.js';
import { loadSqlParser } from '../sql/parse.js';
import type { HistoryEvent, HistoryFile } from '../history/events.js';
import { walkHistory } from '../history/walker.js';
import { prestartEngine, takeResolvedProject, takeStartedEngine } from './early-engine.js';
import { replayWithCache } from './cached-replay.js';
import { engineOptionsFor, type SnapshotOrigin } from './engine-options.js';
import type { ReplayCommandOptions } from './options.js';

export { engineOptionsFor };

export interface LoadedHistory {
  project: Project;
  baseline: MigrationFile[];
  migrations: MigrationFile[];
  prepared: PreparedHistory;
}

/**
 * The project a command runs on, resolved once per command (the CLI's early engine start resolves it first:
 * taken from there), with `--migrations`, `--runner` and `--baseline` applied.
 */
export function resolveRunProject(options: ReplayCommandOptions): Project {
  return takeResolvedProject(options) ?? resolveProject({ cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner, baseline: options.baseline });
}

/** Reads + parses the project's baseline and migrations (no database involved yet). */
export async function loadHistory(options: ReplayCommandOptions, project: Project = resolveRunProject(options)): Promise<LoadedHistory> {
  if (project.detected) options.onNotice?.(project.detected);
  await loadSqlParser();
  const { baseline, migrations } = loadProjectMigrations(project, { strict: true });
  return { project, baseline, migrations, prepared: prepareHistory(baseline, migrations, project.platformBaseline ? SUPABASE_PLATFORM_ROLES : []) };
}

const eventsOf = new WeakMap<LoadedHistory, { events: HistoryEvent[]; skipped: string[] }>();

/**
 * The history walker's events over the loaded files, computed once per loaded history and shared by
 * attribution and docs (the linter walks alongside its rules). Files that do not parse are listed in `skipped`.
 */
export function historyEvents(history: LoadedHistory): { events: HistoryEvent[]; skipped: string[] } {
  let found = eventsOf.get(history);
  if (!found) {
    const files: HistoryFile[] = [];
    const skipped: string[] = [];
    let migrationIndex = 0;
    for (const prepared of history.prepared.files) {
      const fileIndex = prepared.role === 'baseline' ? -1 : migrationIndex++;
      if (prepared.parsed) files.push({ file: prepared.migration.file, role: prepared.role, fileIndex, parsed: prepared.parsed });
      else skipped.push(prepared.migration.file);
    }
    found = { events: walkHistory(files), skipped };
    eventsOf.set(history, found);
  }
  return found;
}

export interface ReplayOutcome {
  history: LoadedHistory;
  report: ReplayReport;
  /** the engine's pg_dump --schema-only text, without \restrict lines */
  dump: string;
}

/**
 * Replays the project's history on a fresh throwaway engine and dumps the result. `inside` runs extra work
 * on the same engine before it is closed (e.g. canonicalising a snapshot).
 */
export async function replayProject<T = undefined>(
  options: ReplayCommandOptions,
  inside?: (engine: Engine, outcome: ReplayOutcome) => Promise<T>,
  project?: Project,
): Promise<ReplayOutcome & { extra?: T }> {
  // A server or container takes a while to create a database; that needs nothing from the migrations (PGlite
  // needs their extensions), so it starts now and the files are read and parsed meanwhile.
  const early = startEngineEarly(options, project);
  let history: LoadedHistory;
  try {
    history = await loadHistory(options, project);
  } catch (error) {
    early?.then((engine) => engine.close()).catch(() => {});
    throw error;
  }
  const replayOptions = { keepGoing: options.keepGoing, mode: history.project.mode, onFile: options.onProgress };
  const run = async (engine: Engine) => {
    const report = await replayHistory(engine, history.prepared, replayOptions);
    const dump = await engine.dump();
    const outcome = { history, report, dump };
    const extra = inside ? await inside(engine, outcome) : undefined;
    return { ...outcome, extra };
  };
  if (!early) {
    const engineOptions = engineOptionsFor(history.project, options, history.prepared.extensions, await snapshotOrigin(history.project));
    if (engineOptions.majorNotice) options.onNotice?.(engineOptions.majorNotice);
    if (engineOptions.engine === 'pglite' && !options.noCache && process.env.PGDRIFT_NO_CACHE !== '1') {
      const replayed = await replayWithCache(engineOptions, history, replayOptions, { cacheDir: options.cacheDir, onVerbose: options.onVerbose });
      try {
        const outcome = { history, report: replayed.report, dump: replayed.dump };
        const extra = inside ? await inside(replayed.engine, outcome) : undefined;
        return { ...outcome, extra };
      } finally {
        await replayed.engine.close();
      }
    }
    return withEngine(engineOptions, run);
  }
  const engine = await early;
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}

/** The latest snapshot's "Dumped from database version" major: the embedded engine's default major. */
export async function snapshotOrigin(project: Project): Promise<SnapshotOrigin> {
  try {
    const latest = await latestSnapshot(project);
    if (!latest) return {};
    return { major: dumpedFromMajor(readHead(latest.path)), file: latest.file };
  } catch {
    return {}; // an unreadable snapshot is reported by the command that reads it
  }
}

/** The first 4 KB of a file: the dump header is at the top, and a snapshot can be megabytes. */
function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function startEngineEarly(options: ReplayCommandOptions, project?: Project): Promise<Engine> | undefined {
  prestartEngine(options, project);
  return takeStartedEngine(options);
}
