import pg from 'pg';
import { resolveProject } from '../config/project.js';
import { dropLeftovers, listLeftovers, type Leftover } from '../engine/reaper.js';
import { redactUrl, scrubSecrets } from '../engine/url.js';
import { EngineError, InputError } from '../errors.js';

export interface CleanupOptions {
  cwd?: string;
  configFile?: string;
  /** admin URL (default: env PGDRIFT_DATABASE_URL, then config databaseUrl) */
  databaseUrl?: string;
  /** list only */
  dryRun?: boolean;
  /** also remove objects named by earlier pgdrift versions, whose creator cannot be checked */
  all?: boolean;
}

export interface CleanupResult {
  /** every throwaway object found, live ones included */
  found: Leftover[];
  dropped: Leftover[];
  failed: Array<{ leftover: Leftover; reason: string }>;
}

/**
 * `pgdrift cleanup`: lists the throwaway databases and roles pgdrift runs made on a server and removes those
 * whose run is gone (crashed, SIGKILLed) or too old. A live run's objects are listed and never touched.
 */
export async function cleanup(options: CleanupOptions = {}): Promise<CleanupResult> {
  const url = options.databaseUrl ?? process.env.PGDRIFT_DATABASE_URL ?? configUrl(options);
  if (!url) {
    throw new InputError('cleanup needs the server: --database-url postgres://... or PGDRIFT_DATABASE_URL', {
      hint: 'the embedded engine leaves nothing behind; only server runs can',
    });
  }
  const admin = new pg.Client({ connectionString: url, application_name: 'pgdrift-cleanup', connectionTimeoutMillis: 10_000 });
  admin.on('error', () => {});
  try {
    await admin.connect();
  } catch (error: any) {
    throw new EngineError(`cannot connect to ${redactUrl(url)}: ${scrubSecrets(String(error?.message ?? error), url)}`);
  }
  try {
    const found = await listLeftovers(admin);
    const doomed = found.filter((l) => l.state === 'stale' || (options.all && l.state === 'unknown'));
    if (options.dryRun || doomed.length === 0) return { found, dropped: [], failed: [] };
    return { found, ...(await dropLeftovers(admin, doomed)) };
  } finally {
    await admin.end().catch(() => {});
  }
}

function configUrl(options: CleanupOptions): string | undefined {
  try {
    return resolveProject({ cwd: options.cwd, configFile: options.configFile }).config.databaseUrl;
  } catch {
    return undefined; // no project here: cleanup needs only the URL
  }
}
