import path from 'node:path';
import { resolveProject, type Project } from '../config/project.js';
import { openEngine } from '../engine/index.js';
import type { Engine, EngineInfo } from '../engine/types.js';
import type { MigrationFile } from '../migrations/discover.js';
import { loadProjectMigrations } from '../migrations/project-migrations.js';
import { SUPABASE_PLATFORM_ROLES } from '../runners/supabase-platform.js';
import { prepareHistory, replayHistory, type PreparedHistory } from '../replay/replay.js';
import type { ReplayReport } from '../replay/types.js';
import { loadSqlParser } from '../sql/parse.js';
import type { HistoryEvent, HistoryFile } from '../history/events.js';
import { walkHistory } from '../history/walker.js';
import { prestartEngine, takeResolvedProject, takeStartedEngine } from './early-engine.js';
import { engineOptionsFor } from './engine-options.js';
import type { ReplayCommandOptions } from './options.js';
import type { TimingRecorder } from './timings.js';

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
  const taken = takeResolvedProject(options);
  if (taken) return taken; // its time is the CLI's config stage
  const resolve = () => resolveProject({ cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner, baseline: options.baseline });
  return options.timings ? options.timings.timeSync('config', resolve, configDetail) : resolve();
}

/** What `--verbose` says of the config stage. */
export function configDetail(project: Project): string {
  return `${project.configSource ?? 'no config file: layout detected'}; runner ${project.runner.name} (${project.runnerSource})`;
}

/** Reads + parses the project's baseline and migrations (no database involved yet). */
export async function loadHistory(options: ReplayCommandOptions, resolved?: Project): Promise<LoadedHistory> {
  const timings = options.timings;
  const project = resolved ?? resolveRunProject(options);
  if (project.detected) options.onNotice?.(project.detected);
  const folder = path.relative(project.root, project.migrationsDir) || '.';
  const { baseline, migrations } = timed(
    timings,
    'discovery',
    () => loadProjectMigrations(project, { strict: true }),
    (found) => `${found.migrations.length} files in ${folder}/ by the ${project.runner.name} runner's rules${found.baseline.length > 0 ? `, ${found.baseline.length} baseline files` : ''}`,
  );
  const prepare = async () => {
    await loadSqlParser();
    return prepareHistory(baseline, migrations, project.platformBaseline ? SUPABASE_PLATFORM_ROLES : []);
  };
  const prepared = timings
    ? await timings.time('parse', prepare, (p) => `${p.files.length} files parsed with libpg-query${p.extensions.length > 0 ? `, extensions ${p.extensions.join(', ')}` : ''}`)
    : await prepare();
  return { project, baseline, migrations, prepared };
}

/** Times a synchronous step when there is a recorder. */
function timed<T>(timings: TimingRecorder | undefined, stage: Parameters<TimingRecorder['timeSync']>[0], run: () => T, detail: (result: T) => string): T {
  return timings ? timings.timeSync(stage, run, detail) : run();
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
  const timings = options.timings;
  const opening = early ?? openEngine(engineOptionsFor(history.project, options, history.prepared.extensions));
  const engine = timings
    ? await timings.time('engine start', () => opening, (e) => engineDetail(e.info, early !== undefined))
    : await opening;
  try {
    const replayStarted = performance.now();
    const report = await replayHistory(engine, history.prepared, { keepGoing: options.keepGoing, mode: history.project.mode, onFile: options.onProgress });
    if (timings) recordReplay(timings, report, performance.now() - replayStarted);
    const dump = timings
      ? await timings.time('dump', () => engine.dump(), (text) => `pg_dump ${engine.info.pgDumpVersion}, ${text.split('\n').length} lines`)
      : await engine.dump();
    const outcome = { history, report, dump };
    const extra = inside ? await inside(engine, outcome) : undefined;
    return { ...outcome, extra };
  } finally {
    if (timings) await timings.time('engine close', () => engine.close(), closeDetail(engine.info));
    else await engine.close();
  }
}

function engineDetail(info: EngineInfo, early: boolean): string {
  const parts = [`${info.name}, Postgres ${info.postgresVersion}`];
  if (info.cache) parts.push(`data directory cache ${info.cache}`);
  if (early) parts.push('created in the background while the files were read (the time shown is the wait)');
  return parts.join(', ');
}

function closeDetail(info: EngineInfo): string {
  return info.name === 'pglite' ? 'embedded Postgres stopped' : 'throwaway database and role dropped';
}

/** The replay's time split into the baseline files and the migrations, with each file's own time. */
function recordReplay(timings: TimingRecorder, report: ReplayReport, totalMs: number): void {
  const files = (role: 'baseline' | 'migration') =>
    report.files.filter((f) => f.role === role).map((f) => ({ file: f.file, ms: Math.round(f.ms * 10) / 10, status: f.status }));
  const baseline = files('baseline');
  const migrations = files('migration');
  const baselineMs = baseline.reduce((sum, f) => sum + f.ms, 0);
  const count = (list: typeof baseline, status: string) => list.filter((f) => f.status === status).length;
  const summary = (list: typeof baseline) =>
    `${count(list, 'applied')} applied${count(list, 'failed') ? `, ${count(list, 'failed')} failed` : ''}${count(list, 'skipped') ? `, ${count(list, 'skipped')} skipped` : ''}`;
  if (baseline.length > 0) timings.add('baseline', baselineMs, `${baseline.length} files: ${summary(baseline)}`, { files: baseline });
  timings.add('replay', Math.max(0, totalMs - baselineMs), `${migrations.length} files: ${summary(migrations)}`, { files: migrations });
}

function startEngineEarly(options: ReplayCommandOptions, project?: Project): Promise<Engine> | undefined {
  prestartEngine(options, project);
  return takeStartedEngine(options);
}
