import { chooseEngine, type Project } from '../config/project.js';
import { dockerImageFor } from '../engine/docker.js';
import { replayLimits } from '../engine/limits.js';
import { chooseEmbeddedMajor, parseMajorList, type MajorChoice } from '../engine/embedded-major.js';
import type { EngineOptions } from '../engine/types.js';
import { InputError } from '../errors.js';
import { SUPABASE_SEARCH_PATH } from '../runners/supabase-platform.js';
import type { ReplayCommandOptions } from './options.js';

/** What the latest snapshot says about the server it was dumped from (its "Dumped from database version" header). */
export interface SnapshotOrigin {
  major?: number;
  file?: string;
  /** where the major was read: the snapshot's header (the default), or `[db] major_version` of supabase/config.toml */
  source?: 'header' | 'supabase-config';
}

/**
 * The engine a command runs on: flags, then env PGDRIFT_DATABASE_URL, then config, then PGlite. For PGlite also
 * the major (--pg, config "pg", the snapshot's origin, else the newest).
 */
export function engineOptionsFor(
  project: Project,
  options: ReplayCommandOptions,
  extensions: string[],
  origin: SnapshotOrigin = {},
  features: { icu?: boolean; concurrentIndex?: boolean; searchPathReset?: boolean; domainDefault?: boolean } = {},
): EngineOptions & { projectRoot: string; majorNotice?: string } {
  const databaseUrl = options.databaseUrl ?? process.env.PGDRIFT_DATABASE_URL ?? project.config.databaseUrl;
  const engine = chooseEngine(project, options.engine, options.engine ? undefined : options.databaseUrl);
  const majors = parseMajorList(options.pg ?? project.config.pg);
  if (majors.length > 1) {
    throw new InputError(`--pg ${majors.join(',')} names several majors; this command replays on one`, {
      hint: 'only `pgdrift check` runs a matrix of majors; pass one major here',
    });
  }
  let choice: MajorChoice | undefined;
  if (engine === 'pglite') choice = chooseEmbeddedMajor({ requested: majors[0], snapshotMajor: origin.major, snapshotFile: origin.file, fromConfig: origin.source === 'supabase-config', extensions, icu: features.icu, concurrentIndex: features.concurrentIndex, searchPathReset: features.searchPathReset, domainDefault: features.domainDefault });
  return {
    engine,
    databaseUrl,
    image: engine === 'docker' ? dockerImageFor({ image: options.image ?? project.config.docker?.image, pg: majors[0] }) : undefined,
    extensions,
    limits: replayLimits(project.config.replay),
    projectRoot: project.root,
    ...(project.platformBaseline ? { searchPath: SUPABASE_SEARCH_PATH, standIns: 'supabase' as const } : {}),
    ...(choice ? { pg: choice.major, ...(choice.reason ? { majorReason: choice.reason } : {}), ...(choice.notice ? { majorNotice: choice.notice } : {}) } : {}),
  };
}
