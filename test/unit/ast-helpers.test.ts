import { beforeAll, describe, expect, it } from 'vitest';
import { addedConstraints } from '../../src/lint/ast.js';
import { namesKey, objectNames, rangeVarOfNames, relationKey, statementRelation, unwrapNode } from '../../src/sql/ast.js';
import { loadSqlParser, parseSql, type ParsedStatement } from '../../src/sql/parse.js';

beforeAll(loadSqlParser);

const statement = (sql: string): ParsedStatement => parseSql(sql, 'case.sql').statements[0];

describe('typed AST helpers (src/sql/ast.ts)', () => {
  it('unwraps a statement node into a kind that narrows its AST', () => {
    const parsed = statement('CREATE TABLE app.t (id int)');
    const { kind, ast } = unwrapNode(parsed.node);
    expect(kind).toBe('CreateStmt');
    expect(parsed.kind).toBe('CreateStmt');
    if (parsed.kind !== 'CreateStmt') throw new Error('narrowing');
    expect(parsed.ast.relation?.relname).toBe('t');
    expect(ast).toBe(parsed.ast);
  });

  it('reads relation keys under the default search_path', () => {
    expect(relationKey(statementRelation(statement('ALTER TABLE t ADD COLUMN a int')))).toBe('public.t');
    expect(relationKey(statementRelation(statement('CREATE INDEX ON app.t (a)')), 'a')).toBe('app.t.a');
    expect(statementRelation(statement('SELECT 1'))).toBeUndefined();
  });

  it('reads dotted object names of DROP, and keys them like a relation', () => {
    const drop = statement('DROP INDEX app.i, j');
    if (drop.kind !== 'DropStmt') throw new Error('expected a DROP');
    const names = (drop.ast.objects ?? []).map(objectNames);
    expect(names).toEqual([['app', 'i'], ['j']]);
    expect(names.map(namesKey)).toEqual(['app.i', 'public.j']);
    const schema = statement('DROP SCHEMA s');
    if (schema.kind !== 'DropStmt') throw new Error('expected a DROP');
    expect((schema.ast.objects ?? []).map(objectNames)).toEqual([['s']]);
    expect(rangeVarOfNames(['db', 'app', 't'])).toEqual({ schemaname: 'app', relname: 't' });
  });
});

describe('addedConstraints (src/lint/ast.ts)', () => {
  const alter = 'ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (a, b), ADD COLUMN c int UNIQUE REFERENCES o (id), ADD UNIQUE (d), ADD CONSTRAINT t_e_key UNIQUE USING INDEX t_e_idx, ADD FOREIGN KEY (f) REFERENCES o (id)';

  it('finds one constraint type added by ADD CONSTRAINT or inline in ADD COLUMN, not USING INDEX', () => {
    const summary = (type: Parameters<typeof addedConstraints>[1]) =>
      addedConstraints(statement(alter), type).map((c) => ({ name: c.constraint.conname, columns: c.columns, inline: c.column?.colname }));
    expect(summary('CONSTR_PRIMARY')).toEqual([{ name: 't_pkey', columns: ['a', 'b'], inline: undefined }]);
    expect(summary('CONSTR_UNIQUE')).toEqual([
      { name: undefined, columns: ['c'], inline: 'c' },
      { name: undefined, columns: ['d'], inline: undefined },
    ]);
    expect(summary('CONSTR_FOREIGN')).toEqual([
      { name: undefined, columns: ['c'], inline: 'c' },
      { name: undefined, columns: ['f'], inline: undefined },
    ]);
  });

  it('finds nothing outside ALTER TABLE', () => {
    expect(addedConstraints(statement('CREATE TABLE t (a int PRIMARY KEY)'), 'CONSTR_PRIMARY')).toEqual([]);
  });
});
