import { resolveProject, type Project } from '../config/project.js';
import { withEngine } from '../engine/index.js';
import { replayLimits } from '../engine/limits.js';
import type { Engine } from '../engine/types.js';
import type { MigrationFile } from '../migrations/discover.js';
import { loadProjectMigrations } from '../migrations/project-migrations.js';
import { SUPABASE_PLATFORM_ROLES } from '../runners/supabase-platform.js';
import { prepareHistory, replayHistory, type PreparedHistory } from '../replay/replay.js';
import type { ReplayReport } from '../replay/types.js';
import { loadSqlParser } from '../sql/parse.js';
import { prestartEngine, takeStartedEngine } from './early-engine.js';
import { engineOptionsFor } from './engine-options.js';
import type { ReplayCommandOptions } from './options.js';

export { engineOptionsFor };

export interface LoadedHistory {
  project: Project;
  baseline: MigrationFile[];
  migrations: MigrationFile[];
  prepared: PreparedHistory;
}

/** Resolves the project and reads + parses its baseline and migrations (no database involved yet). */
export async function loadHistory(options: ReplayCommandOptions): Promise<LoadedHistory> {
  const project = resolveProject({ cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner, baseline: options.baseline });
  if (project.detected) options.onNotice?.(project.detected);
  await loadSqlParser();
  const { baseline, migrations } = loadProjectMigrations(project, { strict: true });
  return { project, baseline, migrations, prepared: prepareHistory(baseline, migrations, project.platformBaseline ? SUPABASE_PLATFORM_ROLES : []) };
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
): Promise<ReplayOutcome & { extra?: T }> {
  // A server or container takes a while to create a database; that needs nothing from the migrations (PGlite
  // needs their extensions), so it starts now and the files are read and parsed meanwhile.
  const early = startEngineEarly(options);
  let history: LoadedHistory;
  try {
    history = await loadHistory(options);
  } catch (error) {
    early?.then((engine) => engine.close()).catch(() => {});
    throw error;
  }
  const run = async (engine: Engine) => {
    const report = await replayHistory(engine, history.prepared, {
      keepGoing: options.keepGoing,
      mode: history.project.mode,
      onFile: options.onProgress,
      timeoutMs: replayLimits(history.project.config.replay).timeoutMs,
    });
    const dump = await engine.dump();
    const outcome = { history, report, dump };
    const extra = inside ? await inside(engine, outcome) : undefined;
    return { ...outcome, extra };
  };
  if (!early) return withEngine(engineOptionsFor(history.project, options, history.prepared.extensions), run);
  const engine = await early;
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}

function startEngineEarly(options: ReplayCommandOptions): Promise<Engine> | undefined {
  prestartEngine(options);
  return takeStartedEngine(options);
}
