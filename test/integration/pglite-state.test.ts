import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseTar, type ParsedTarFileItem } from 'nanotar';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgliteEngine } from '../../src/engine/pglite.js';
import type { Engine } from '../../src/engine/types.js';

// Saved data directories (src/engine/pglite-state.ts): what a state holds, and that a start from one is its own.
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-state-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const segmentsOf = (state: Buffer) =>
  (parseTar(gunzipSync(state).buffer as ArrayBuffer) as ParsedTarFileItem[])
    .map((entry) => /^pg_wal\/([0-9A-F]{24})$/.exec(entry.name)?.[1])
    .filter((name): name is string => Boolean(name))
    .sort();

async function withEngine<T>(options: { initialState?: Buffer }, use: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openPgliteEngine({ engine: 'pglite', cacheDir, ...options });
  try {
    return await use(engine);
  } finally {
    await engine.close();
  }
}

describe('a saved embedded state', () => {
  it('holds the WAL segments from the redo point to the insert point only, and an engine started from it goes on writing WAL', async () => {
    const walRange = `SELECT redo_wal_file AS first, pg_walfile_name(pg_current_wal_insert_lsn()) AS last FROM pg_control_checkpoint()`;
    const { state, expected, everySegment } = await withEngine({}, async (engine) => {
      // several segment switches leave finished and recycled segments in pg_wal
      for (let i = 0; i < 4; i++) await engine.exec(`CREATE TABLE t${i} (id int PRIMARY KEY); SELECT pg_switch_wal();`);
      const everySegment = (await engine.query<{ name: string }>(`SELECT name FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' ORDER BY 1`)).map((r) => r.name);
      const state = await engine.saveState!();
      const [{ first, last }] = await engine.query<{ first: string; last: string }>(walRange);
      return { state, expected: everySegment.filter((name) => name >= first && name <= last), everySegment };
    });
    expect(everySegment.length).toBeGreaterThan(2);
    expect(expected.length).toBeGreaterThan(0);
    // the redo..insert range, nothing around it
    expect(segmentsOf(state)).toEqual(expected);
    expect(expected.length).toBeLessThan(everySegment.length);

    await withEngine({ initialState: state }, async (engine) => {
      expect((await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('t0', 't1', 't2', 't3')`))[0].n).toBe(4);
      // past the last kept segment: Postgres makes the segments it needs
      for (let i = 4; i < 8; i++) await engine.exec(`CREATE TABLE t${i} (id int PRIMARY KEY); SELECT pg_switch_wal();`);
      await engine.exec('CHECKPOINT');
      expect((await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname ~ '^t[0-7]$'`))[0].n).toBe(8);
      const again = await engine.saveState!();
      await withEngine({ initialState: again }, async (next) => {
        expect((await next.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname ~ '^t[0-7]$'`))[0].n).toBe(8);
      });
    });
  });

  it('starts engines that do not share files: what one writes, another started from the same bytes does not see', async () => {
    const state = await withEngine({}, async (engine) => {
      await engine.exec('CREATE TABLE kept (id int)');
      return engine.saveState!();
    });
    // the engine's files are views of the decompressed tar; the saved bytes themselves must stay as they were
    const before = Buffer.from(state);
    await withEngine({ initialState: state }, async (engine) => {
      await engine.exec('CREATE TABLE only_in_first (id int); INSERT INTO kept SELECT generate_series(1, 1000); CHECKPOINT');
    });
    expect(state.equals(before)).toBe(true);
    await withEngine({ initialState: state }, async (engine) => {
      const tables = (await engine.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname IN ('kept', 'only_in_first')`)).map((r) => r.relname);
      expect(tables).toEqual(['kept']);
      expect((await engine.query<{ n: number }>('SELECT count(*)::int AS n FROM kept'))[0].n).toBe(0);
    });
  });

  it('carries fresh planner statistics of the catalogs the replay grew (pg_dump plans its catalog queries on them)', async () => {
    const estimate = `SELECT reltuples::bigint AS estimated, (SELECT count(*) FROM pg_attribute)::bigint AS actual FROM pg_class WHERE oid = 'pg_attribute'::regclass`;
    const state = await withEngine({}, async (engine) => {
      for (let i = 0; i < 60; i++) await engine.exec(`CREATE TABLE wide${i} (a int, b text, c jsonb, d timestamptz, e numeric, f uuid, g text[], h bool)`);
      const [before] = await engine.query<{ estimated: string; actual: string }>(estimate);
      // initdb's statistics: the ~900 columns added since are not in them
      expect(Number(before.actual) - Number(before.estimated)).toBeGreaterThan(500);
      return engine.saveState!();
    });
    await withEngine({ initialState: state }, async (engine) => {
      const [after] = await engine.query<{ estimated: string; actual: string }>(estimate);
      expect(Number(after.estimated)).toBe(Number(after.actual));
      const columns = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = 'pg_catalog' AND tablename = 'pg_depend'`);
      expect(columns[0].n).toBeGreaterThan(0);
    });
  });

  it('refuses bytes that are not a saved data directory, as the start error', async () => {
    await expect(openPgliteEngine({ engine: 'pglite', cacheDir, initialState: Buffer.from('not a tar at all'.repeat(64)) })).rejects.toThrow(/could not start: the saved data directory is not a tar archive/);
  });
});
