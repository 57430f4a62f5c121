import { createHook } from 'node:async_hooks';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openIsolatedPgliteEngine, prewarmIsolatedEngine } from '../../src/engine/isolated.js';
import type { Engine } from '../../src/engine/types.js';

// PGlite starts slowly on a shared 2-core machine
vi.setConfig({ testTimeout: 300_000 });

/** Worker threads of this process that have started and not yet gone (async_hooks sees the real threads). */
const liveWorkers = new Set<number>();
createHook({
  init(id, type) {
    if (type === 'WORKER') liveWorkers.add(id);
  },
  destroy(id) {
    liveWorkers.delete(id);
  },
}).enable();

/** The live worker count once it reaches `expected`, or what it still is after 10 s. */
async function settledWorkerCount(expected: number): Promise<number> {
  for (let waited = 0; waited < 10_000 && liveWorkers.size !== expected; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  return liveWorkers.size;
}

/** Fails instead of waiting for ever (a call sent to a worker that has gone never settles). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle in ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-isolated-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/**
 * A statement over its time limit replaces the worker, and the new one re-opens with the same options; `breakOpen`
 * changes them after the first open so that re-open fails, the way a restart meets a failing open for real.
 */
async function failedRestart(engine: Engine, breakOpen: () => void, failure: RegExp): Promise<void> {
  expect(liveWorkers.size).toBe(1);
  breakOpen();
  await expect(within(engine.exec('DO $$ BEGIN LOOP END LOOP; END $$', { timeoutMs: 1_000 }), 120_000, 'the timed-out statement')).rejects.toThrow(failure);
  expect(await settledWorkerCount(0)).toBe(0);
  // no worker to wait on: the next call fails at once with what stopped the engine, and close returns
  await expect(within(engine.query('SELECT 1'), 10_000, 'a call after the failed restart')).rejects.toThrow(failure);
  await within(engine.close(), 10_000, 'close after the failed restart');
  expect(liveWorkers.size).toBe(0);
}

describe('embedded engine in a worker thread (isolated.ts): a restart whose open fails', () => {
  it('uses the built worker script (without it the engine runs in-process and nothing here is tested)', () => {
    expect(existsSync(path.resolve('dist/engine/isolated-worker.js')), 'run npm run build first').toBe(true);
  });

  it('ends the worker it started (an extension the build lacks: the worker would stay alive)', async () => {
    const extensions: string[] = [];
    const engine = await openIsolatedPgliteEngine({ engine: 'pglite', cacheDir, extensions });
    await failedRestart(engine, () => extensions.push('pgdrift_no_such_extension'), /does not ship the extension pgdrift_no_such_extension/);
  });

  it('ends the worker it started (a saved state that no longer loads)', async () => {
    const first = await openIsolatedPgliteEngine({ engine: 'pglite', cacheDir });
    await first.exec('CREATE TABLE kept (id int)');
    const state = await first.saveState!();
    await first.close();
    expect(await settledWorkerCount(0)).toBe(0);

    const engine = await openIsolatedPgliteEngine({ engine: 'pglite', cacheDir, initialState: state });
    expect((await engine.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_class WHERE relname = 'kept'`))[0].n).toBe('1');
    await failedRestart(engine, () => state.fill(0), /could not start/);
  });
});

describe('embedded engine in a worker thread (isolated.ts): a worker started ahead (prewarmIsolatedEngine)', () => {
  it('is the one the next engine of its major opens in; no second worker starts', async () => {
    expect(await settledWorkerCount(0)).toBe(0);
    prewarmIsolatedEngine(); // the newest major, as `pg: undefined` means
    expect(liveWorkers.size).toBe(1);
    const engine = await openIsolatedPgliteEngine({ engine: 'pglite', cacheDir, pg: 18 });
    expect(liveWorkers.size).toBe(1);
    expect((await engine.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`))[0].v.slice(0, 2)).toBe('18');
    await engine.close();
    expect(await settledWorkerCount(0)).toBe(0);
  });

  it('is left alone by an engine of another major, which starts its own worker', async () => {
    prewarmIsolatedEngine(17);
    const engine = await openIsolatedPgliteEngine({ engine: 'pglite', cacheDir });
    expect(liveWorkers.size).toBe(2);
    await engine.close();
    expect(await settledWorkerCount(1)).toBe(1); // the spare, still waiting for a Postgres 17 engine
    const seventeen = await openIsolatedPgliteEngine({ engine: 'pglite', cacheDir, pg: 17 });
    expect(liveWorkers.size).toBe(1);
    expect((await seventeen.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`))[0].v.slice(0, 2)).toBe('17');
    await seventeen.close();
    expect(await settledWorkerCount(0)).toBe(0);
  });
});

describe('embedded engine in a worker thread (isolated.ts): the data-dir cache read ahead by the spare worker', () => {
  it("is what the open loads when its key is the run's (shown here by deleting the cache file after the read)", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-readahead-'));
    const own = path.join(root, 'cache');
    process.env.PGDRIFT_CACHE_DIR = own;
    try {
      const first = await openIsolatedPgliteEngine({ engine: 'pglite', extensions: ['citext'] });
      await first.close();
      expect(readdirSync(own).filter((name) => name.startsWith('pglite-'))).toHaveLength(1);

      await prewarmIsolatedEngine(undefined, root);
      for (const name of readdirSync(own)) rmSync(path.join(own, name));
      const engine = await openIsolatedPgliteEngine({ engine: 'pglite', extensions: ['citext'] });
      expect(engine.info.cache).toBe('hit'); // without the read-ahead copy: 'miss' (a fresh initdb)
      expect((await engine.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_available_extensions WHERE name = 'citext'`))[0].n).toBe('1');
      await engine.close();
    } finally {
      delete process.env.PGDRIFT_CACHE_DIR;
      rmSync(root, { recursive: true, force: true });
    }
    expect(await settledWorkerCount(0)).toBe(0);
  });
});
