import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { diffModels } from '../../src/diff/diff.js';
import type { SchemaModel } from '../../src/model/types.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/dumps/${name}`, import.meta.url), 'utf8');
const model = (name: string, text = fixture(name)) => buildSchemaModel(text, name);

/** The dump's statements in a seeded random order (each statement keeps its text). */
function shuffleStatements(text: string, seed: number): string {
  const statements = parseSql(text, 'dump').statements.map((s) => s.text);
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = statements.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [statements[i], statements[j]] = [statements[j], statements[i]];
  }
  return statements.join(';\n\n') + ';\n';
}

beforeAll(loadSqlParser);

/** "No drift" only means something between two models that hold the schema: both sides must be non-empty. */
function expectNoDrift(a: SchemaModel, b: SchemaModel): void {
  for (const side of [a, b]) {
    expect(side.tables.length).toBeGreaterThan(0);
    expect(side.functions.length + side.views.length + side.types.length).toBeGreaterThan(0);
  }
  expect(diffModels(a, b)).toEqual([]);
}

describe('golden pairs from real dumps give no drift', () => {
  test('pg_dump 15 vs pg_dump 18 (PGlite) of the same schema', () => {
    expectNoDrift(model('rich.pg15.sql'), model('rich.pg18.sql'));
    expectNoDrift(model('rich.pg18.sql'), model('rich.pg15.sql'));
  });

  test('a dump vs the same dump reloaded and re-dumped (CHECK re-printed with casts pushed into the ARRAY)', () => {
    const original = fixture('rich.pg18.sql');
    const reloaded = fixture('rich.pg18.reloaded.sql');
    expect(original).toContain("ANY ((ARRAY['active'::character varying, 'disabled'::character varying, 'invited'::character varying])::text[])");
    expect(reloaded).toContain("ANY (ARRAY[('active'::character varying)::text, ('disabled'::character varying)::text, ('invited'::character varying)::text])");
    expectNoDrift(model('rich.pg18.sql'), model('rich.pg18.reloaded.sql'));
  });

  test('pg_dump 15 vs the pg_dump 15 text reloaded into Postgres 18 and re-dumped', () => {
    expectNoDrift(model('rich.pg15.reloaded.sql'), model('rich.pg15.sql'));
  });

  test('PG15 table-qualified view columns equal PG16+ unqualified ones', () => {
    expect(fixture('rich.pg15.sql')).toContain('SELECT organization_users.id,');
    const views15 = model('rich.pg15.sql').views;
    const views18 = model('rich.pg18.sql').views;
    expect(views15.map((v) => v.query)).toEqual(views18.map((v) => v.query));
  });

  test.each([1, 2, 3])('shuffled statement order (seed %i)', (seed) => {
    const shuffled = shuffleStatements(fixture('rich.pg15.sql'), seed);
    expectNoDrift(model('shuffled.sql', shuffled), model('rich.pg18.sql'));
  });

  test('the model is JSON-serializable and sorted', () => {
    const m = model('rich.pg18.sql');
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    const names = m.tables.map((t) => `${t.schema}.${t.name}`);
    expect(names).toEqual([...names].sort());
    expect(m.others).toEqual([]);
    expect(m.tables.find((t) => t.name === 'events_2024')).toMatchObject({ kind: 'partition', parent: 'public.events' });
  });
});
