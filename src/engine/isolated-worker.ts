import { parentPort } from 'node:worker_threads';
import { openPgliteEngine, prewarmPglite, type WarmStart } from './pglite.js';
import { defaultCacheDir } from './pglite-cache.js';
import type { Engine } from './types.js';

/**
 * The embedded engine inside a worker thread (see isolated.ts): PGlite runs a query synchronously in WASM, so
 * only another thread can stop one that never ends. This side just forwards calls to the ordinary PGlite engine.
 */
export type WorkerRequest =
  | { id: number; op: 'prewarm'; pg: number | undefined; projectRoot: string | undefined }
  | { id: number; op: 'open'; options: Parameters<typeof openPgliteEngine>[0] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'query'; sql: string; params?: unknown[] }
  | { id: number; op: 'dump' }
  | { id: number; op: 'ensureRole'; name: string }
  | { id: number; op: 'saveState' }
  | { id: number; op: 'close' };

export type WorkerResponse = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: SerializedError };

/** An error as data: the Postgres fields the replay reads, and an EngineError's hint. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  position?: string | number;
  detail?: string;
  hint?: string;
  where?: string;
}

export function serializeError(error: unknown): SerializedError {
  const e = (error ?? {}) as Record<string, unknown>;
  const pick = (key: string) => (typeof e[key] === 'string' || typeof e[key] === 'number' ? (e[key] as string) : undefined);
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: String(e.message ?? error),
    code: pick('code'),
    position: pick('position'),
    detail: pick('detail'),
    hint: pick('hint'),
    where: pick('where'),
  };
}

if (parentPort) {
  const port = parentPort;
  let engine: Engine | undefined;
  /** what a 'prewarm' prepared (isolated.ts sends it to a spare worker); a failure there only costs the head start */
  let warm: Promise<WarmStart | undefined> | undefined;
  port.on('message', async (request: WorkerRequest) => {
    if (request.op === 'prewarm') {
      warm = prewarmPglite(request.pg, defaultCacheDir(request.projectRoot)).catch(() => undefined);
      await warm;
      port.postMessage({ id: request.id, ok: true } satisfies WorkerResponse);
      return;
    }
    try {
      let value: unknown;
      if (request.op === 'open') {
        engine = await openPgliteEngine(request.options, await warm);
        value = engine.info;
      } else if (!engine) {
        throw new Error('the embedded engine is not open');
      } else if (request.op === 'exec') await engine.exec(request.sql);
      else if (request.op === 'query') value = await engine.query(request.sql, request.params);
      else if (request.op === 'dump') value = await engine.dump();
      else if (request.op === 'ensureRole') await engine.ensureRole(request.name);
      else if (request.op === 'saveState') value = await engine.saveState!();
      else if (request.op === 'close') await engine.close();
      port.postMessage({ id: request.id, ok: true, value } satisfies WorkerResponse);
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies WorkerResponse);
    }
  });
}
