import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { diffModels } from '../../src/diff/diff.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

beforeAll(loadSqlParser);

// Field sweep (branch field-drift): Postgres 18 adds `ADD CONSTRAINT name NOT NULL col NOT VALID` (the safe way to
// make a column NOT NULL on a big table: add it NOT VALID, then VALIDATE CONSTRAINT in a later migration). pg_dump 18
// prints a not-validated one as a separate `ALTER TABLE ... ADD CONSTRAINT t_a_nn NOT NULL a NOT VALID;` and a
// validated one inline (`a integer CONSTRAINT t_a_nn NOT NULL`). The model kept only "a is NOT NULL", so a snapshot
// dumped before the VALIDATE migration compared clean with the replay after it (and the two pg_dump 18 texts below
// diffed as "no differences"): rows may hold NULL on one side only.
const HEADER = `--
-- PostgreSQL database dump
--

-- Dumped from database version 18.3
-- Dumped by pg_dump version 18.3

SELECT pg_catalog.set_config('search_path', '', false);

SET default_table_access_method = heap;
`;

const notValid = `${HEADER}
CREATE TABLE public.t (
    a integer,
    b integer
);

ALTER TABLE public.t
    ADD CONSTRAINT t_a_nn NOT NULL a NOT VALID;
`;

const validated = `${HEADER}
CREATE TABLE public.t (
    a integer CONSTRAINT t_a_nn NOT NULL,
    b integer
);
`;

const plain = `${HEADER}
CREATE TABLE public.t (
    a integer NOT NULL,
    b integer
);
`;

const differences = (a: string, b: string) =>
  diffModels(buildSchemaModel(b, 'b.sql'), buildSchemaModel(a, 'a.sql')).map((item) => [item.kind, item.name, item.change, (item.details as Array<{ field: string; from: string; to: string }>).map((c) => `${c.field}: ${c.from} → ${c.to}`)]);

describe('a NOT VALID NOT NULL constraint (Postgres 18)', () => {
  it('differs from a validated NOT NULL, named or not', () => {
    expect(differences(notValid, validated)).toEqual([['column', 'public.t.a', 'changed', ['notNull: true (NOT VALID) → true']]]);
    expect(differences(notValid, plain)).toEqual([['column', 'public.t.a', 'changed', ['notNull: true (NOT VALID) → true']]]);
    expect(differences(notValid, notValid)).toEqual([]);
    // the name of a validated one is still not compared (pg_dump before 18 has none)
    expect(differences(validated, plain)).toEqual([]);
  });

  // `a integer NOT NULL NO INHERIT` (pg_constraint.connoinherit: a child table made later does not get it) compared
  // equal to a plain NOT NULL the same way
  it('NO INHERIT differs from a plain NOT NULL', () => {
    const noInherit = plain.replace('a integer NOT NULL,', 'a integer NOT NULL NO INHERIT,');
    expect(differences(noInherit, plain)).toEqual([['column', 'public.t.a', 'changed', ['notNull: true (NO INHERIT) → true']]]);
    const named = plain.replace('a integer NOT NULL,', 'a integer CONSTRAINT t_a_nn NOT NULL NO INHERIT,');
    expect(differences(named, noInherit)).toEqual([]);
  });

  const projects = tempProjects();
  const addNotValid = 'create table t (a int, b int);\nalter table t add constraint t_a_nn not null a not valid;\n';

  it('a snapshot dumped before the VALIDATE migration is drift; dumped after it, clean', async () => {
    const before = projects({ 'migrations/001_t.sql': addNotValid });
    const snapshotBefore = (await dump({ cwd: before.root, engine: 'pglite', pg: 18 })).sql;
    const files = { 'migrations/001_t.sql': addNotValid, 'migrations/002_validate.sql': 'alter table t validate constraint t_a_nn;\n' };
    const stale = projects({ ...files, 'schema.sql': snapshotBefore });
    stale.write('pgdrift.config.json', JSON.stringify({ snapshot: 'schema.sql' }));
    const result = await check({ cwd: stale.root, engine: 'pglite', pg: 18, lint: false });
    expect(result.drift.map((d) => [d.kind, d.name, d.change])).toEqual([['column', 'public.t.a', 'changed']]);
    expect(result.exitCode).toBe(1);

    const after = projects(files);
    const snapshotAfter = (await dump({ cwd: after.root, engine: 'pglite', pg: 18 })).sql;
    const fresh = projects({ ...files, 'schema.sql': snapshotAfter });
    fresh.write('pgdrift.config.json', JSON.stringify({ snapshot: 'schema.sql' }));
    const clean = await check({ cwd: fresh.root, engine: 'pglite', pg: 18, lint: false });
    expect(clean.drift).toEqual([]);
    expect(clean.exitCode).toBe(0);
  }, 180_000);
});
