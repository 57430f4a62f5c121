import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { EngineError } from '../errors.js';
import { BUILTIN_EXTENSIONS, PGLITE_CONTRIB } from './extensions.js';
import { quoteIdent } from './quote.js';
import { defaultCacheDir, openDataDirCache } from './pglite-cache.js';
import { wholeMessagesOnly } from './pglite-dump.js';
import { stripRestrictLines } from './restrict.js';
import type { Engine, EngineInfo, EngineOptions } from './types.js';

const require = createRequire(import.meta.url);

let cachedVersion: string | undefined;

/** PGlite's package version (its package.json is not exported, so find it next to the entry point). */

export function pgliteVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  cachedVersion = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

/** Starts an in-process PGlite (Postgres 18, WASM) with the contrib extensions the SQL asks for. */
export async function openPgliteEngine(options: EngineOptions & { projectRoot?: string }): Promise<Engine> {
  const requested = (options.extensions ?? []).filter((name) => !BUILTIN_EXTENSIONS.has(name));
  const missing = requested.filter((name) => !(name in PGLITE_CONTRIB));
  if (missing.length > 0) {
    throw new EngineError(
      `the embedded engine (PGlite ${pgliteVersion()}) does not ship the extension${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      'replay on a real Postgres instead: --engine server --database-url postgres://... (or PGDRIFT_DATABASE_URL), or --engine docker --image <an image with the extension>',
    );
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const extensions: Record<string, unknown> = {};
  for (const name of requested) {
    const moduleName = PGLITE_CONTRIB[name];
    const mod = (await import(`@electric-sql/pglite/contrib/${moduleName}`)) as Record<string, unknown>;
    extensions[moduleName] = mod[moduleName];
  }

  const cache = openDataDirCache(options.cacheDir ?? defaultCacheDir(options.projectRoot));
  const key = `pglite-${pgliteVersion()}-${requested.join('+') || 'base'}`;
  let db: PGlite | undefined;
  let cacheState: 'hit' | 'miss' | 'rebuilt' = 'miss';
  const cached = cache.read(key);
  if (cache.lastReadFoundCorrupt) cacheState = 'rebuilt';
  try {
    if (cached) {
      try {
        db = await PGlite.create({ extensions: extensions as any, loadDataDir: new Blob([new Uint8Array(cached)]) });
        cacheState = 'hit';
      } catch {
        cache.evict(key); // a tarball that verified but does not load (e.g. written by an incompatible build)
        cacheState = 'rebuilt';
        db = undefined;
      }
    }
    if (!db) {
      db = await PGlite.create({ extensions: extensions as any });
      const fresh = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
      try {
        cache.write(key, fresh);
      } catch {
        // A read-only cache folder only costs speed.
      }
    }
  } catch (error: any) {
    throw new EngineError(`the embedded engine (PGlite) could not start: ${error?.message ?? error}`);
  }
  const instance = db;
  const version = String((await instance.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v);
  const info: EngineInfo = { name: 'pglite', postgresVersion: version, pgDumpVersion: version, cache: cacheState };

  // Not registered for signal cleanup on purpose: everything lives in this process and dies with it, and a JS
  // signal handler could not run anyway while the WASM engine is busy, so Ctrl-C keeps its default: stop now.
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await instance.close();
  };

  return {
    info,
    async exec(sql) {
      await instance.exec(sql);
    },
    async query<Row>(sql: string, params?: unknown[]) {
      return (await instance.query<Row>(sql, params)).rows;
    },
    async ensureRole(name) {
      // The whole cluster lives in this process and dies with it: nothing to track.
      const exists = await instance.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [name]);
      if (exists.rows.length === 0) await instance.exec(`CREATE ROLE ${quoteIdent(name)} NOLOGIN`);
    },
    async dump() {
      const { pgDump } = await import('@electric-sql/pglite-tools/pg_dump');
      const file = await pgDump({ pg: wholeMessagesOnly(instance), args: ['--schema-only', '--no-owner'] });
      const text = stripRestrictLines(await file.text());
      // pgDump runs in our single session and leaves its read-only transaction open and the search_path empty:
      // end the transaction and restore the path, so the database stays usable (e.g. check --idempotent).
      await instance.exec(`ROLLBACK; SET search_path TO "$user", public`);
      return text;
    },
    close,
  };
}
