import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, withEngine } from '../../src/engine/index.js';
import { EngineError } from '../../src/errors.js';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('PGlite engine', () => {
  it('caches the initial data directory: the second start uses it, a corrupt file is detected and rebuilt', async () => {
    const first = await withEngine({ engine: 'pglite', cacheDir }, async (engine) => engine.info);
    expect(first.cache).toBe('miss');
    expect(first.postgresVersion).toMatch(/^18\./);
    const entries = readdirSync(cacheDir).filter((f) => f.endsWith('.tgz'));
    expect(entries).toHaveLength(1);

    const second = await withEngine({ engine: 'pglite', cacheDir }, async (engine) => {
      await engine.exec('CREATE TABLE t (id int)');
      return engine.info;
    });
    expect(second.cache).toBe('hit');

    // Flip bytes in the middle of the cached tarball: the checksum in its name no longer matches.
    const file = path.join(cacheDir, entries[0]);
    const data = readFileSync(file);
    data[Math.floor(data.length / 2)] ^= 0xff;
    writeFileSync(file, data);
    const third = await withEngine({ engine: 'pglite', cacheDir }, async (engine) => {
      const rows = await engine.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_class WHERE relname = $1', ['t']);
      expect(rows[0].n).toBe(0); // a fresh database, not the previous one
      return engine.info;
    });
    expect(third.cache).toBe('rebuilt');
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tgz'))).toHaveLength(1);
  });

  it('loads the contrib extensions the SQL asks for', async () => {
    await withEngine({ engine: 'pglite', cacheDir, extensions: ['citext', 'uuid-ossp', 'pg_trgm'] }, async (engine) => {
      await engine.exec('CREATE EXTENSION citext; CREATE EXTENSION "uuid-ossp"; CREATE EXTENSION pg_trgm;');
      const rows = await engine.query<{ ok: boolean }>(`SELECT 'A'::citext = 'a'::citext AS ok`);
      expect(rows[0].ok).toBe(true);
    });
  });

  it('names the server and docker engines for an extension PGlite lacks', async () => {
    const error = await openEngine({ engine: 'pglite', cacheDir, extensions: ['postgis'] }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('postgis');
    expect(error.hint).toMatch(/--engine server.*--engine docker/);
  });
});

const dockerAvailable = (() => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
})();
const DOCKER_SKIP_REASON = 'no Docker engine answers `docker info` on this machine';

describe('docker engine', () => {
  it.skipIf(!dockerAvailable)('replays and dumps inside a postgres:16-alpine container (pg_dump in the container)', async () => {
    await withEngine({ engine: 'docker', image: 'postgres:16-alpine' }, async (engine) => {
      await engine.exec('CREATE TABLE t (id int PRIMARY KEY)');
      expect(engine.info.postgresVersion).toMatch(/^16\./);
      expect(await engine.dump()).toContain('CREATE TABLE public.t');
    });
  });

  it.runIf(!dockerAvailable)(`without a Docker engine: exit 3 naming the other engines (docker integration skipped: ${DOCKER_SKIP_REASON})`, async () => {
    console.warn(`[pgdrift tests] docker engine integration test skipped: ${DOCKER_SKIP_REASON}`);
    const error = await openEngine({ engine: 'docker', image: 'postgres:16-alpine' }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/no Docker engine/);
    expect(error.hint).toMatch(/pglite.*server/);
  });
});
