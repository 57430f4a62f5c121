import { chooseEngine, type Project } from '../config/project.js';
import { dockerImageFor } from '../engine/docker.js';
import { replayLimits } from '../engine/limits.js';
import type { EngineOptions } from '../engine/types.js';
import type { ReplayCommandOptions } from './options.js';

/** The engine a command runs on: flags, then env PGDRIFT_DATABASE_URL, then config, then PGlite. */
export function engineOptionsFor(project: Project, options: ReplayCommandOptions, extensions: string[]): EngineOptions & { projectRoot: string } {
  const databaseUrl = options.databaseUrl ?? process.env.PGDRIFT_DATABASE_URL ?? project.config.databaseUrl;
  const engine = chooseEngine(project, options.engine, options.engine ? undefined : options.databaseUrl);
  return {
    engine,
    databaseUrl,
    image: engine === 'docker' ? dockerImageFor({ image: options.image ?? project.config.docker?.image, pg: options.pg }) : undefined,
    extensions,
    limits: replayLimits(project.config.replay),
    projectRoot: project.root,
  };
}
