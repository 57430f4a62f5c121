import type { EngineName } from '../engine/types.js';
import type { TimingRecorder } from './timings.js';

/** Options every command that replays migrations accepts (the CLI flags map onto these one to one). */
export interface ReplayCommandOptions {
  /** project folder (default: process.cwd()) */
  cwd?: string;
  /** explicit config file, relative to cwd */
  configFile?: string;
  engine?: EngineName;
  /** admin URL for the server engine (default: env PGDRIFT_DATABASE_URL, then config) */
  databaseUrl?: string;
  /** docker engine image, or a Postgres major version */
  image?: string;
  /** Postgres major: of the embedded engine (16, 17, 18; "16,17,18" runs check on each), or the docker image's */
  pg?: string | number;
  /** replay this migrations folder instead of the configured one (relative to cwd) */
  migrations?: string;
  /** the migration runner, instead of the configured or detected one */
  runner?: string;
  /** baseline files instead of the configured ones (relative to cwd) */
  baseline?: string[];
  /** the snapshot file (or glob) instead of the configured one (relative to cwd) */
  snapshot?: string;
  /** go on past failing migration files and report them all */
  keepGoing?: boolean;
  /** called before each file is applied (the CLI draws progress with it) */
  onProgress?: (event: { index: number; total: number; file: string; role: 'baseline' | 'migration' }) => void;
  /** bypass the replay cache (the data-dir cache of a fresh cluster is still used) */
  noCache?: boolean;
  /** where the replay cache lives (default: the data-dir cache's folder: node_modules/.cache/pgdrift, or PGDRIFT_CACHE_DIR) */
  cacheDir?: string;
  /** called with a line for --verbose (cache hits, reuse) */
  onVerbose?: (message: string) => void;
  /** called with a one-line message for the user (detected layout, ...) */
  onNotice?: (message: string) => void;
  /** records each stage's time (`--verbose`, JSON `timings`); stages are not timed without one */
  timings?: TimingRecorder;
}
