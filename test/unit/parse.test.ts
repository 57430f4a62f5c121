import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql, SqlSyntaxError } from '../../src/sql/parse.js';

beforeAll(loadSqlParser);

describe('parseSql', () => {
  it('gives each statement its first-token position, skipping comments and multibyte text before it', () => {
    const sql = "-- hé 😀 header\nCREATE TABLE a (id int);\n\n/* note é */\n  ALTER TABLE a ADD COLUMN b text; -- trailing\n";
    const parsed = parseSql(sql, 'm.sql');
    expect(parsed.statements.map((s) => [s.kind, s.line, s.column, s.text])).toEqual([
      ['CreateStmt', 2, 1, 'CREATE TABLE a (id int)'],
      ['AlterTableStmt', 5, 3, 'ALTER TABLE a ADD COLUMN b text'],
    ]);
  });

  it('reports a syntax error at the code-point position of the offending token', () => {
    const sql = "SELECT '😀é';\nSELEC x;";
    const error = (() => {
      try {
        parseSql(sql, 'bad.sql');
      } catch (e) {
        return e as SqlSyntaxError;
      }
    })();
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect([error!.line, error!.column]).toEqual([2, 1]);
    expect(error!.message).toBe('bad.sql:2:1: syntax error at or near "SELEC"');
  });

  it('drops \\restrict lines and reports other meta-commands with their line', () => {
    const sql = '\\restrict AbC123\nSELECT 1;\n\\i other.sql\nSELECT 2;\n\\unrestrict AbC123\n';
    const parsed = parseSql(sql, 'dump.sql');
    expect(parsed.statements.map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2']);
    expect(parsed.metaCommands).toEqual([{ command: 'i', text: '\\i other.sql', line: 3, column: 1 }]);
  });

  it('does not mistake a backslash inside a string for a meta-command', () => {
    const sql = "SELECT $$\n\\i not a command\n$$;";
    expect(parseSql(sql, 'f.sql').metaCommands).toEqual([]);
  });
});

describe('parseSql on files without statements', () => {
  it.each([
    ['an empty file', ''],
    ['only whitespace', '  \n\n'],
    ['only comments', '-- Migration 003: Nothing\n/* later */\n'],
    ['only a \\restrict line', '\\restrict abc\n'],
  ])('%s has no statements', (_name, sql) => {
    expect(parseSql(sql, 'empty.sql').statements).toEqual([]);
  });
});
