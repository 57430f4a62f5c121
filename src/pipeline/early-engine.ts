import { chooseEngine, resolveProject, type Project } from '../config/project.js';
import { openEngine } from '../engine/index.js';
import { newRunName } from '../engine/throwaway.js';
import type { Engine } from '../engine/types.js';
import { engineOptionsFor } from './engine-options.js';
import type { ReplayCommandOptions } from './options.js';

/**
 * Creating a throwaway database on a server (or starting a container) takes longer than anything pgdrift does
 * meanwhile, and needs nothing from the migrations (PGlite does: their extensions). So it is started as early as
 * possible, and the replay picks it up. An engine nobody picks up is closed by the process cleanup registry.
 */
const started = new Map<string, { engine: Promise<Engine>; databaseName: string }>();
/** the project resolved to start the engine early, handed to the command so it is resolved once */
const resolvedProjects = new Map<string, Project>();

function keyOf(options: ReplayCommandOptions): string {
  const { cwd, configFile, engine, databaseUrl, image, pg, migrations, runner, baseline } = options;
  return JSON.stringify([cwd ?? process.cwd(), configFile, engine, databaseUrl, image, pg, migrations, runner, baseline]);
}

/** Starts the engine for these options now, unless it is PGlite or the project cannot be resolved (reported later). */
export function prestartEngine(options: ReplayCommandOptions, project?: Project): void {
  const key = keyOf(options);
  if (started.has(key)) return;
  let engineOptions;
  try {
    if (!project) {
      project = resolveProject(options);
      resolvedProjects.set(key, project);
    }
    engineOptions = engineOptionsFor(project, options, []);
  } catch {
    return;
  }
  if (engineOptions.engine === 'pglite') return;
  const databaseName = newRunName();
  const engine = openEngine({ ...engineOptions, databaseName });
  engine.catch(() => {}); // awaited, and reported, by whoever takes it
  started.set(key, { engine, databaseName });
}

/**
 * The database the migrations are replayed in, named before it exists: `postgres` on the embedded engine, else a new
 * throwaway name, given to the engine that creates it and to the runners' current-database placeholders, which are
 * replaced at discovery (RunnerOptions.replayDatabase). One per replay: concurrent replays never share it.
 */
export function newReplayDatabaseName(options: ReplayCommandOptions, project: Project): string {
  return chooseEngine(project, options.engine, options.engine ? undefined : options.databaseUrl) === 'pglite' ? 'postgres' : newRunName();
}

/** The project prestartEngine resolved for these options, once (the command resolves it otherwise). */
export function takeResolvedProject(options: ReplayCommandOptions): Project | undefined {
  const key = keyOf(options);
  const project = resolvedProjects.get(key);
  resolvedProjects.delete(key);
  return project;
}

/** The engine started for these options, once: the caller owns it from now on. */
export function takeStartedEngine(options: ReplayCommandOptions): { engine: Promise<Engine>; databaseName: string } | undefined {
  const key = keyOf(options);
  const engine = started.get(key);
  started.delete(key);
  return engine;
}
