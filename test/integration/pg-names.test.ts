import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/types.js';
import { nodesAs } from '../../src/sql/ast.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';
import { checkColumns, defaultName, indexColumnNames, indexKeyName, type DefaultNameKind } from '../../src/sql/pg-names.js';
import { leftovers, SERVER_URL } from '../helpers/postgres.js';

/**
 * Each case runs its SQL on a real engine and compares the name Postgres chose for the one new unnamed object
 * with the name pg-names.ts computes from the names that existed just before (so collisions count).
 */
interface Case {
  title: string;
  setup?: string[];
  sql: string;
  kind: DefaultNameKind;
  table: string;
  /** key / fk columns; omitted for CREATE INDEX (read from the statement) and CHECK (read from the expression) */
  columns?: string[];
}

const long = 'a_table_name_that_is_rather_long_for_postgres_identifiers_xx'; // 60 bytes
const accented = `tablé_${'é'.repeat(25)}_x`; // 59 bytes, multibyte characters where the cut falls
const cases: Case[] = [
  { title: 'primary key', sql: 'CREATE TABLE t1 (id int PRIMARY KEY)', kind: 'pkey', table: 't1', columns: [] },
  {
    title: 'primary key whose default name is taken by a renamed table\'s index',
    setup: ['CREATE TABLE t2 (id int PRIMARY KEY)', 'ALTER TABLE t2 RENAME TO t2_old'],
    sql: 'CREATE TABLE t2 (id int PRIMARY KEY)',
    kind: 'pkey',
    table: 't2',
    columns: [],
  },
  { title: 'composite unique', sql: 'CREATE TABLE t3 (a int, b int, UNIQUE (a, b))', kind: 'key', table: 't3', columns: ['a', 'b'] },
  { title: 'unique on a long table name (63-byte truncation)', sql: `CREATE TABLE ${long} (some_rather_long_column_name int UNIQUE)`, kind: 'key', table: long, columns: ['some_rather_long_column_name'] },
  { title: 'unique on a multibyte table name (cut on a character boundary)', sql: `CREATE TABLE ${accented} (colonne_é int UNIQUE)`, kind: 'key', table: accented, columns: ['colonne_é'] },
  {
    title: 'foreign key of two columns',
    setup: ['CREATE TABLE p4 (a int, b int, PRIMARY KEY (a, b))'],
    sql: 'CREATE TABLE t4 (x int, y int, FOREIGN KEY (x, y) REFERENCES p4)',
    kind: 'fkey',
    table: 't4',
    columns: ['x', 'y'],
  },
  {
    title: 'foreign key whose name another table\'s constraint already has (schema-wide)',
    setup: ['CREATE TABLE p5 (id int PRIMARY KEY)', 'CREATE TABLE other5 (v int CONSTRAINT t5_pid_fkey CHECK (v > 0))'],
    sql: 'CREATE TABLE t5 (pid int REFERENCES p5)',
    kind: 'fkey',
    table: 't5',
    columns: ['pid'],
  },
  { title: 'table CHECK on one column', sql: 'CREATE TABLE t6 (a int, b int, CHECK (a > 0))', kind: 'check', table: 't6' },
  { title: 'column CHECK on two columns', sql: 'CREATE TABLE t7 (a int CHECK (a > b), b int)', kind: 'check', table: 't7' },
  { title: 'second CHECK on the same column', setup: ['CREATE TABLE t8 (a int CHECK (a > 0))'], sql: 'ALTER TABLE t8 ADD CHECK (a < 10)', kind: 'check', table: 't8' },
  { title: 'plain index', setup: ['CREATE TABLE t9 (a int, b text)'], sql: 'CREATE INDEX ON t9 (a)', kind: 'idx', table: 't9' },
  { title: 'same index again (numeric suffix)', setup: ['CREATE TABLE t10 (a int)', 'CREATE INDEX ON t10 (a)'], sql: 'CREATE INDEX ON t10 (a)', kind: 'idx', table: 't10' },
  { title: 'expression index', setup: ['CREATE TABLE t11 (a int, b text)'], sql: 'CREATE INDEX ON t11 (lower(b), (a + 1), (b::varchar))', kind: 'idx', table: 't11' },
  { title: 'repeated key and INCLUDE columns', setup: ['CREATE TABLE t12 (a int, b int)'], sql: 'CREATE INDEX ON t12 (a, a) INCLUDE (b)', kind: 'idx', table: 't12' },
  { title: 'exclusion constraint', sql: 'CREATE TABLE t13 (r int4range, EXCLUDE USING gist (r WITH &&))', kind: 'excl', table: 't13', columns: ['r'] },
  { title: 'serial sequence', sql: 'CREATE TABLE t14 (id serial)', kind: 'seq', table: 't14', columns: ['id'] },
  {
    title: 'serial sequence whose name is taken',
    setup: ['CREATE SEQUENCE t15_id_seq'],
    sql: 'CREATE TABLE t15 (id serial)',
    kind: 'seq',
    table: 't15',
    columns: ['id'],
  },
];

/** The columns Postgres names an object after, read from the statement as pg-names.ts's callers do. */
function columnsOf(c: Case): string[] {
  if (c.columns) return c.columns;
  const statement = parseSql(c.sql, 'case.sql').statements[0];
  if (c.kind === 'idx' && statement.kind === 'IndexStmt') {
    const keys = [...(statement.ast.indexParams ?? []), ...(statement.ast.indexIncludingParams ?? [])];
    return indexColumnNames(nodesAs(keys, 'IndexElem').map((k) => indexKeyName(k)));
  }
  const constraints =
    statement.kind === 'CreateStmt'
      ? [...nodesAs(statement.ast.tableElts, 'Constraint'), ...nodesAs(statement.ast.tableElts, 'ColumnDef').flatMap((def) => nodesAs(def.constraints, 'Constraint'))]
      : statement.kind === 'AlterTableStmt'
        ? nodesAs(statement.ast.cmds, 'AlterTableCmd').flatMap((cmd) => nodesAs(cmd.def ? [cmd.def] : [], 'Constraint'))
        : [];
  const check = constraints.find((con) => con.contype === 'CONSTR_CHECK');
  return checkColumns(check?.raw_expr);
}

const RELATION_KINDS = new Set<DefaultNameKind>(['idx', 'seq']);
const CONSTRAINT_KINDS = new Set<DefaultNameKind>(['fkey', 'check']);

async function names(engine: Engine): Promise<{ relations: Set<string>; constraints: Set<string> }> {
  const relations = await engine.query<{ n: string }>(`SELECT relname AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`);
  // PG18 catalogues NOT NULL constraints (<table>_<col>_not_null): not what these cases are about.
  const constraints = await engine.query<{ n: string }>(`SELECT conname AS n FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'`);
  return { relations: new Set(relations.map((r) => r.n)), constraints: new Set(constraints.map((r) => r.n)) };
}

async function runCases(engine: Engine): Promise<Array<{ title: string; postgres: string[]; computed: string }>> {
  const results = [];
  for (const c of cases) {
    for (const sql of c.setup ?? []) await engine.exec(sql);
    const before = await names(engine);
    await engine.exec(c.sql);
    const after = await names(engine);
    const created = [...after.relations, ...after.constraints].filter((n) => !before.relations.has(n) && !before.constraints.has(n) && n !== c.table);
    const taken = (name: string) =>
      (RELATION_KINDS.has(c.kind) || !CONSTRAINT_KINDS.has(c.kind) ? before.relations.has(name) : false) ||
      (CONSTRAINT_KINDS.has(c.kind) || !RELATION_KINDS.has(c.kind) ? before.constraints.has(name) : false);
    results.push({ title: c.title, postgres: [...new Set(created)], computed: defaultName(c.kind, c.table, columnsOf(c), taken) });
  }
  return results;
}

beforeAll(loadSqlParser);
afterAll(async () => expect(await leftovers()).toEqual([]));

describe.each([
  ['PGlite', () => openEngine({ engine: 'pglite' })],
  ['the local server', () => openEngine({ engine: 'server', databaseUrl: SERVER_URL })],
])('default names on %s', (_label, open) => {
  it('match what Postgres chose, case by case', async () => {
    const engine = await open();
    try {
      const results = await runCases(engine);
      for (const r of results) expect({ title: r.title, name: r.postgres }).toEqual({ title: r.title, name: [r.computed] });
      // the cases do exercise truncation, suffixes and expression names
      const computed = results.map((r) => r.computed);
      expect(computed).toContain('t2_pkey1');
      expect(computed).toContain('t5_pid_fkey1');
      expect(computed.some((n) => Buffer.byteLength(n) === 63)).toBe(true);
    } finally {
      await engine.close();
    }
  });
});
