import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSqlParser } from '../../src/sql/parse.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { diffModels } from '../../src/diff/diff.js';
import { canonicalizeThroughEngine } from '../../src/diff/canonicalize.js';
import type { Engine } from '../../src/engine/types.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/dumps/${name}`, import.meta.url), 'utf8');
const withoutHeader = (dump: string) => dump.replace(/^-- Dumped (from|by) .*$/gm, '').replace(/^\\(un)?restrict .*$/gm, '');

/** A minimal engine on PGlite (Postgres 18), for these tests only. */
async function pgliteEngine(): Promise<Engine> {
  const db = await PGlite.create({ extensions: { citext } });
  let closed = false;
  return {
    info: { name: 'pglite', postgresVersion: '18', pgDumpVersion: '18' },
    exec: async (sql) => void (await db.exec(sql)),
    query: async <Row,>(sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows,
    async dump() {
      const text = await (await pgDump({ pg: db, args: ['--schema-only'] })).text();
      await db.exec('ROLLBACK; SET search_path TO public');
      return text;
    },
    async close() {
      if (!closed) await db.close();
      closed = true;
    },
  };
}

/** A minimal engine on the local Postgres 15 server (trust auth): a throwaway database per engine. */
async function serverEngine(): Promise<Engine> {
  const database = `pgdrift_canon_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = ['-h', '127.0.0.1', '-U', 'postgres'];
  execFileSync('createdb', [...admin, database]);
  const client = new pg.Client({ host: '127.0.0.1', user: 'postgres', database });
  await client.connect();
  let closed = false;
  return {
    info: { name: 'server', postgresVersion: '15', pgDumpVersion: '15' },
    exec: async (sql) => void (await client.query(sql)),
    query: async <Row,>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    dump: async () => execFileSync('pg_dump', [...admin, '--schema-only', database], { encoding: 'utf8' }),
    async close() {
      if (closed) return;
      closed = true;
      await client.end();
      execFileSync('dropdb', [...admin, '--if-exists', database]);
    },
  };
}

const engines: Engine[] = [];
async function track(engine: Promise<Engine>): Promise<Engine> {
  const e = await engine;
  engines.push(e);
  return e;
}

beforeAll(loadSqlParser);
afterAll(async () => {
  for (const engine of engines) await engine.close();
});

describe('canonicalizeThroughEngine', () => {
  test('PGlite: a pg_dump 15 text and a pg_dump 18 text come back as the same dump', async () => {
    const from15 = await canonicalizeThroughEngine(fixture('rich.pg15.sql'), await track(pgliteEngine()));
    const from18 = await canonicalizeThroughEngine(fixture('rich.pg18.sql'), await track(pgliteEngine()));
    // The texts still differ in PG18's NOT NULL constraint names on partitions (copied from the parent or not):
    // the model does not compare those names.
    const lines15 = new Set(withoutHeader(from15).split('\n'));
    const onlyIn18 = withoutHeader(from18).split('\n').filter((line) => !lines15.has(line));
    expect(onlyIn18.every((line) => /CONSTRAINT \w+_not_null NOT NULL/.test(line))).toBe(true);
    expect(diffModels(buildSchemaModel(from15, 'a.sql'), buildSchemaModel(from18, 'b.sql'))).toEqual([]);
    // the one reload re-printed the CHECK on both sides
    expect(from15).toContain("ANY (ARRAY[('active'::character varying)::text");
  });

  test('the local Postgres 15 server: a pg_dump 18 text reloads and equals the pg_dump 15 original', async () => {
    const engine = await track(serverEngine());
    const reloaded = await canonicalizeThroughEngine(fixture('rich.pg18.sql'), engine);
    expect(reloaded).toContain('Dumped by pg_dump version 15');
    expect(diffModels(buildSchemaModel(reloaded, 'reloaded.sql'), buildSchemaModel(fixture('rich.pg15.sql'), 'rich.pg15.sql'))).toEqual([]);
  });

  test('skips owners, grants to missing roles and public-schema statements; creates policy roles', async () => {
    const dump = [
      "SELECT pg_catalog.set_config('search_path', '', false);",
      'SET transaction_timeout = 0;',
      'CREATE SCHEMA public;',
      "COMMENT ON SCHEMA public IS 'standard public schema';",
      'CREATE TABLE public.t (id integer NOT NULL);',
      'ALTER TABLE public.t OWNER TO some_owner_that_does_not_exist;',
      'GRANT SELECT ON TABLE public.t TO some_reader_that_does_not_exist;',
      'ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;',
      'CREATE POLICY p ON public.t TO pgdrift_canon_test_role USING (true);',
    ].join('\n');
    const text = await canonicalizeThroughEngine(dump, await track(pgliteEngine()));
    expect(text).toContain('CREATE TABLE public.t');
    expect(text).toContain('TO pgdrift_canon_test_role');
  });
});
