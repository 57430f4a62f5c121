import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSqlParser } from '../../src/sql/parse.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { diffModels } from '../../src/diff/diff.js';
import { canonicalizeThroughEngine } from '../../src/engine/reload.js';
import { openEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/types.js';
import { adminQuery, leftovers, SERVER_URL, serverTest } from '../helpers/postgres.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/dumps/${name}`, import.meta.url), 'utf8');
const withoutHeader = (dump: string) => dump.replace(/^-- Dumped (from|by) .*$/gm, '').replace(/^\\(un)?restrict .*$/gm, '');

const pgliteEngine = () => openEngine({ engine: 'pglite', extensions: ['citext'] });
const serverEngine = () => openEngine({ engine: 'server', databaseUrl: SERVER_URL });

const engines: Engine[] = [];
async function track(engine: Promise<Engine>): Promise<Engine> {
  const e = await engine;
  engines.push(e);
  return e;
}

beforeAll(loadSqlParser);
afterAll(async () => {
  for (const engine of engines) await engine.close();
  expect(await leftovers()).toEqual([]);
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
    const [a, b] = [buildSchemaModel(from15, 'a.sql'), buildSchemaModel(from18, 'b.sql')];
    expect([a.tables.length > 0, b.tables.length > 0]).toEqual([true, true]);
    expect(diffModels(a, b)).toEqual([]);
    // the one reload re-printed the CHECK on both sides
    expect(from15).toContain("ANY (ARRAY[('active'::character varying)::text");
  });

  serverTest('the local Postgres 15 server: a pg_dump 18 text reloads and equals the pg_dump 15 original', async () => {
    const engine = await track(serverEngine());
    const reloaded = await canonicalizeThroughEngine(fixture('rich.pg18.sql'), engine);
    expect(reloaded).toContain('Dumped by pg_dump version 15');
    const [a, b] = [buildSchemaModel(reloaded, 'reloaded.sql'), buildSchemaModel(fixture('rich.pg15.sql'), 'rich.pg15.sql')];
    expect([a.tables.length > 0, b.tables.length > 0]).toEqual([true, true]);
    expect(diffModels(a, b)).toEqual([]);
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

serverTest('server engine: a role created for a policy is dropped with the throwaway database', async () => {
  const role = `pgdrift_policy_role_${process.pid}`;
  const engine = await serverEngine();
  try {
    const text = await canonicalizeThroughEngine(
      `CREATE TABLE public.t (id integer);\nALTER TABLE public.t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON public.t TO ${role} USING (true);`,
      engine,
    );
    expect(text).toContain(`TO ${role}`);
  } finally {
    await engine.close();
  }
  expect(await adminQuery('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).toEqual([]);
});
