import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedVersion, EMBEDDED_BUILDS } from '../../src/engine/pglite-builds.js';
import { pruneCache } from '../../src/engine/pglite-cache.js';
import { openReplayCache, prefixKeys, sessionStateBarrier, type CacheFile, type ReplayIdentity } from '../../src/engine/replay-cache.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';

const identity: ReplayIdentity = { engine: 'pglite0.5.8-pgdump0.4.8-pg18', runner: 'default', mode: 'file', order: 'lexicographic', keepGoing: false, extensions: [] };
const file = (name: string, text: string): CacheFile => ({ role: 'migration', file: `migrations/${name}`, text, statements: parseSql(text, name).statements });
const dir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-replay-cache-'));

beforeAll(() => loadSqlParser());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replay cache keys', () => {
  it('chain every file: a prefix keeps its keys, any change of content, name, engine, runner or mode changes them', () => {
    const files = [file('001.sql', 'CREATE TABLE a (id int);'), file('002.sql', 'CREATE TABLE b (id int);')];
    const keys = prefixKeys(identity, files);
    expect(prefixKeys(identity, [...files, file('003.sql', 'CREATE TABLE c ();')]).slice(0, 2)).toEqual(keys);
    expect(prefixKeys(identity, [files[0], file('002.sql', 'CREATE TABLE b (id bigint);')])[0]).toBe(keys[0]);
    expect(prefixKeys(identity, [files[0], file('002.sql', 'CREATE TABLE b (id bigint);')])[1]).not.toBe(keys[1]);
    expect(prefixKeys(identity, [files[0], file('002_renamed.sql', files[1].text)])[1]).not.toBe(keys[1]);
    for (const change of [{ engine: 'pglite0.3.16-pgdump0.2.21-pg17' }, { runner: 'flyway' }, { mode: 'statement' }, { extensions: ['citext'] }]) {
      expect(prefixKeys({ ...identity, ...change }, files)[0]).not.toBe(keys[0]);
    }
  });

  it('a file whose transaction the next one shares (Liquibase: a changeset of two changes) keys apart: the state after it alone is no commit point', () => {
    const files = [file('001.sql', "ALTER TYPE mood ADD VALUE 'b';"), file('002.sql', "CREATE TABLE t (m mood DEFAULT 'b');")];
    const keys = prefixKeys(identity, files);
    expect(prefixKeys(identity, [{ ...files[0], joinsNext: true }, files[1]])[0]).not.toBe(keys[0]);
  });
});

describe('session state ends a reusable prefix', () => {
  it('finds the first file that leaves session state behind', () => {
    const plain = file('001.sql', 'CREATE TABLE a (id int); ALTER TABLE a ADD COLUMN b text;');
    const cases: Array<[string, boolean]> = [
      ['SET search_path TO app, public;', true],
      ['SET LOCAL search_path TO app;', false],
      ['SET ROLE admin;', true],
      ['PREPARE q AS SELECT 1;', true],
      ['CREATE TEMP TABLE scratch (id int);', true],
      ['CREATE TEMP SEQUENCE scratch_seq;', true],
      ['CREATE SEQUENCE kept_seq;', false],
      ["SELECT set_config('search_path', 'app', false);", true],
      ["DO $$ BEGIN UPDATE a SET b = 'x'; END $$;", false],
      ['DO $$ BEGIN SET search_path = app; END $$;', true],
      ["DO $$ BEGIN EXECUTE 'SELECT 1'; END $$;", true],
      ["DO $$ BEGIN PERFORM set_config('search_path', 'app', false); END $$;", true],
      ['DO $$ BEGIN CREATE TEMP TABLE scratch (id int); END $$;', true],
      ["DO $$ BEGIN IF true THEN CREATE TABLE kept (id int); END IF; END $$;", false],
      ["DO LANGUAGE plv8 $$ plv8.execute('SET search_path = app') $$;", true],
      ['DO $$ BEGIN this is not plpgsql; END $$;', true],
      ['ALTER TABLE a ALTER COLUMN b SET DEFAULT 1;', false],
    ];
    for (const [sql, barrier] of cases) {
      expect(sessionStateBarrier([plain, file('002.sql', sql), plain]), sql).toBe(barrier ? 1 : 3);
    }
  });
});

describe('replay cache store', () => {
  it('returns what was written, ignores a corrupt entry, and stays under its size bound', () => {
    const cache = openReplayCache(dir);
    const report = { engine: { name: 'pglite' as const, postgresVersion: '18.3', pgDumpVersion: '18.3' }, files: [], migrationFailures: [] };
    cache.writeReplay('k1', { dump: 'CREATE TABLE a ();', report });
    expect(cache.readReplay('k1')?.dump).toBe('CREATE TABLE a ();');
    const entry = readdirSync(dir).find((n) => n.startsWith('replay-k1.'))!;
    writeFileSync(path.join(dir, entry), '{"format":1,"dump":"CREATE TABLE b ();"}');
    expect(cache.readReplay('k1')).toBeUndefined(); // the content no longer matches the hash in its name
    expect(readdirSync(dir).some((n) => n.startsWith('replay-k1.'))).toBe(false);

    for (const [i, key] of ['old', 'mid', 'new'].entries()) {
      cache.writeState(key, Buffer.alloc(1000, i));
      const name = readdirSync(dir).find((n) => n.startsWith(`state-${key}.`))!;
      const time = new Date(Date.now() - (3 - i) * 60_000);
      utimesSync(path.join(dir, name), time, time);
    }
    pruneCache(dir, ['state-'], 2500);
    const left = readdirSync(dir).filter((n) => n.startsWith('state-'));
    expect(left.map((n) => n.split('.')[0]).sort()).toEqual(['state-mid', 'state-new']);
    expect(left.reduce((sum, n) => sum + statSync(path.join(dir, n)).size, 0)).toBeLessThanOrEqual(2500);
  });

  it('finds the longest saved prefix', () => {
    const cache = openReplayCache(dir);
    cache.writeState('p2', Buffer.from('two'));
    cache.writeState('p4', Buffer.from('four'));
    expect(cache.longestState(['p1', 'p2', 'p3', 'p4', 'p5'], 5)).toMatchObject({ files: 4, key: 'p4' });
    expect(cache.longestState(['p1', 'p2', 'p3', 'p4', 'p5'], 3)).toMatchObject({ files: 2, key: 'p2' });
    expect(cache.longestState(['p1'], 1)).toBeUndefined();
  });
});

describe('pinned embedded builds', () => {
  it('are the versions installed', () => {
    for (const build of Object.values(EMBEDDED_BUILDS)) {
      expect(installedVersion(build.pglitePackage)).toBe(build.pgliteVersion);
      expect(installedVersion(`${build.toolsPackage}/pg_dump`)).toBe(build.toolsVersion);
    }
  });
});
