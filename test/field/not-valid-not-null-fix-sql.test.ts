import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffModels } from '../../src/diff/diff.js';
import { openEngine, type Engine } from '../../src/engine/index.js';
import { generateFix } from '../../src/fix/project.js';
import { buildSchemaModel } from '../../src/model/build.js';
import type { SchemaModel } from '../../src/model/types.js';
import { loadSqlParser } from '../../src/sql/parse.js';

// Postgres 18's not-null flavours in `diff --sql` / `check --write-migration`: a column whose NOT NULL is NOT VALID
// (`ADD CONSTRAINT t_a_nn NOT NULL a NOT VALID`) or NO INHERIT had no DDL at all ("no DDL written for 1 difference")
// when only the flavour changed, and got `SET NOT NULL` (a validated, inherited constraint: a full scan, and still
// drift) when the column was nullable before. Every pair of flavours is applied on the embedded Postgres 18 and the
// result must compare equal to the target.
const TABLE = 'CREATE TABLE public.t (id integer PRIMARY KEY, a integer);';
const flavours: Record<string, string> = {
  nullable: TABLE,
  'NOT NULL': `${TABLE} ALTER TABLE public.t ALTER COLUMN a SET NOT NULL;`,
  'NOT NULL NOT VALID': `${TABLE} ALTER TABLE public.t ADD CONSTRAINT t_a_nn NOT NULL a NOT VALID;`,
  'NOT VALID, another name': `${TABLE} ALTER TABLE public.t ADD CONSTRAINT t_a_checked NOT NULL a NOT VALID;`,
  'NOT NULL NO INHERIT': `${TABLE} ALTER TABLE public.t ADD CONSTRAINT t_a_nn NOT NULL a NO INHERIT;`,
  'NOT VALID NO INHERIT': `${TABLE} ALTER TABLE public.t ADD CONSTRAINT t_a_nn NOT NULL a NO INHERIT NOT VALID;`,
};

let engine: Engine;
beforeAll(async () => {
  await loadSqlParser();
  engine = await openEngine({ engine: 'pglite' });
}, 120_000);
afterAll(() => engine?.close());

async function schemaOf(sql: string, label: string): Promise<SchemaModel> {
  await engine.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  if (sql) await engine.exec(sql);
  return buildSchemaModel(await engine.dump(), label);
}

async function roundTrip(fromSql: string, toSql: string): Promise<{ sql: string; remaining: unknown[] }> {
  const to = await schemaOf(toSql, 'to.sql');
  const from = await schemaOf(fromSql, 'from.sql');
  const sql = generateFix(from, to, diffModels(to, from), { allowDestructive: true }).sql;
  // the database is at `from` now: apply the fix there
  await engine.exec(sql);
  const result = buildSchemaModel(await engine.dump(), 'fixed.sql');
  return { sql, remaining: diffModels(result, to) };
}

describe('diff --sql between not-null flavours (embedded Postgres 18)', () => {
  const names = Object.keys(flavours);
  for (const from of names) {
    for (const to of names) {
      if (from === to) continue;
      it(`${from} → ${to}`, async () => {
        const { sql, remaining } = await roundTrip(flavours[from], flavours[to]);
        expect(sql).not.toContain('no DDL written');
        expect(remaining, sql).toEqual([]);
      });
    }
  }

  it('a new table and a new column with a NOT VALID not-null', async () => {
    const target = `${flavours['NOT NULL NOT VALID']} CREATE TABLE public.u (b text); ALTER TABLE public.u ADD CONSTRAINT u_b_nn NOT NULL b NOT VALID; ALTER TABLE public.t ADD COLUMN c text; ALTER TABLE public.t ADD CONSTRAINT t_c_nn NOT NULL c NO INHERIT NOT VALID;`;
    const { sql, remaining } = await roundTrip(flavours['NOT NULL NOT VALID'], target);
    expect(sql).toContain('ADD CONSTRAINT u_b_nn NOT NULL b NOT VALID');
    expect(remaining, sql).toEqual([]);
  });

  it('a not-validated one that became valid is validated, not dropped and added again', async () => {
    const { sql } = await roundTrip(flavours['NOT NULL NOT VALID'], flavours['NOT NULL']);
    expect(sql).toContain('VALIDATE CONSTRAINT t_a_nn');
  });
});
