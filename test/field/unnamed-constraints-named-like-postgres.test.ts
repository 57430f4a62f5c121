import { beforeAll, expect, test } from 'vitest';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';

beforeAll(loadSqlParser);

// The model builder named an unnamed primary key `<table>_<cols>_primary_key` and a table CHECK on one column
// `<table>__check`; Postgres says `<table>_pkey` and `<table>_<col>_check` (see test/integration/pg-names.test.ts).
test('a hand-written CREATE TABLE gets the constraint names Postgres would give', () => {
  const model = buildSchemaModel(
    'CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, CHECK (a > 0), CHECK (a < b), UNIQUE (a, b), CHECK (a < 10));',
    'hand.sql',
  );
  expect(model.tables[0].constraints.map((c) => c.name).sort()).toEqual(['t_a_b_key', 't_a_check', 't_a_check1', 't_check', 't_pkey']);
});
