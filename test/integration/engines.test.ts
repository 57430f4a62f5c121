import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, withEngine } from '../../src/engine/index.js';
import { EngineError } from '../../src/errors.js';
import { SERVER_URL, serverDescribe } from '../helpers/postgres.js';

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

  it("dumps a session whose search_path is empty, as replaying a pg_dump text leaves it, and keeps that path (field: danbooru's structure.sql)", async () => {
    await withEngine({ engine: 'pglite', cacheDir }, async (engine) => {
      await engine.exec("SELECT pg_catalog.set_config('search_path', '', false); CREATE TABLE public.t (id int);");
      expect(await engine.dump()).toContain('CREATE TABLE public.t');
      const rows = await engine.query<{ path: string }>("SELECT current_setting('search_path') AS path");
      expect(rows[0].path).toBe('');
    });
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

describe('PGlite dump of a large schema', () => {
  it('dumps 1,000 tables (pg_dump sends queries over 8 KB in pieces; PGlite must only see whole messages)', async () => {
    await withEngine({ engine: 'pglite', cacheDir }, async (engine) => {
      const statements: string[] = [];
      for (let i = 0; i < 1000; i++) {
        statements.push(`CREATE TABLE table_with_a_long_name_${i} (id int PRIMARY KEY, parent_id int REFERENCES table_with_a_long_name_${Math.max(0, i - 1)}(id));`);
      }
      await engine.exec(statements.join('\n'));
      const dump = await engine.dump();
      expect(dump.match(/^CREATE TABLE /gm)).toHaveLength(1000);
    });
  });
});

/** A simple-query protocol message ('Q'). */
const query = (text: string) => {
  const body = Buffer.from(`${text}\0`);
  const message = Buffer.alloc(5 + body.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
};

describe('completeMessagesLength', () => {
  it('counts only whole frontend messages (startup packet and typed messages)', async () => {
    const { completeMessagesLength } = await import('../../src/engine/pglite-dump.js');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8, 0);
    const two = Buffer.concat([startup, query('SELECT 1'), query('SELECT 22')]);
    expect(completeMessagesLength(two)).toBe(two.length);
    expect(completeMessagesLength(two.subarray(0, two.length - 1))).toBe(8 + query('SELECT 1').length);
    expect(completeMessagesLength(two.subarray(0, 3))).toBe(0);
  });
});

describe('wholeMessagesOnly', () => {
  it('hands pg_dump a long answer in one piece, with the same bytes PGlite sent in many (pglite-tools copies all it holds per piece)', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    type PGlite = InstanceType<typeof PGlite>;
    const { wholeMessagesOnly } = await import('../../src/engine/pglite-dump.js');
    const pg = await PGlite.create();
    try {
      const ask = async (target: PGlite, split: boolean) => {
        const pieces: Uint8Array[] = [];
        const bytes = query(`SELECT repeat('x', 200) || n AS v FROM generate_series(1, 20000) AS n`);
        // pg_dump's libpq may send a message in several writes: the first half alone gets no answer
        const parts = split ? [bytes.subarray(0, 9), bytes.subarray(9)] : [bytes];
        for (const part of parts) {
          const returned = target.execProtocolRawStream(part, { onRawData: (data: Uint8Array) => void pieces.push(data.slice()) });
          // pglite-tools does not await the call: the answer must be there when it returns
          const whenReturned = pieces.length;
          await returned;
          expect(pieces.length).toBe(whenReturned);
        }
        return pieces;
      };
      const direct = await ask(pg, false);
      const wrapped = await ask(wholeMessagesOnly(pg), true);
      expect(direct.length).toBeGreaterThan(10);
      expect(wrapped).toHaveLength(1);
      expect(Buffer.from(wrapped[0]).equals(Buffer.concat(direct))).toBe(true);
    } finally {
      await pg.close();
    }
  });
});

serverDescribe('server engine: the COMMENT ON EXTENSION plpgsql of pg_dump up to 10', () => {
  it('fails as the NOSUPERUSER replay role, with a hint that says why and what to do', async () => {
    const error = await withEngine({ engine: 'server', databaseUrl: SERVER_URL }, (engine) => engine.exec("COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language'")).catch((e) => e);
    expect(error.message).toMatch(/must be owner of extension plpgsql/);
    expect(error.hint).toMatch(/^pg_dump up to 10 writes COMMENT ON EXTENSION plpgsql.*--engine pglite/);
  });
});
