import { scanSync } from 'libpg-query';
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

  // pg_dump 15.14+ writes a random alphanumeric key; one starting with digits then letters is "trailing junk after
  // numeric literal" to the SQL scanner (field: 10 of 98 pg_dump 15.20 dumps failed `pgdrift diff` with exit 2)
  it('reads a \\restrict key that starts with digits, and keeps a string spanning such a line intact', () => {
    const sql = '\\restrict 21uZE4fAiRBgAawv58q3Fu\nSELECT 1;\nSELECT $$\n\\x 9lives$$ AS s;\n\\unrestrict 21uZE4fAiRBgAawv58q3Fu\n';
    expect(() => scanSync(sql)).toThrow();
    const parsed = parseSql(sql, 'dump.sql');
    expect(parsed.statements.map((s) => s.text)).toEqual(['SELECT 1', 'SELECT $$\n\\x 9lives$$ AS s']);
    expect(parsed.metaCommands).toEqual([]);
    expect(parsed.tokens.find((t) => t.tokenName === 'SCONST')?.text).toBe('$$\n\\x 9lives$$');
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


describe('parseSql without a scanner pass', () => {
  it('gives an ASCII file and the same file with multibyte comments the same lines and columns', () => {
    const ascii = "-- header\nCREATE TABLE a (id int);\n/* note */  ALTER TABLE a ADD COLUMN b text; -- x\nSELECT 'abc' AS v;\n";
    const multibyte = "-- hé😀\nCREATE TABLE a (id int);\n/* né😀é */  ALTER TABLE a ADD COLUMN b text; -- x\nSELECT 'abc' AS v;\n";
    const positions = (sql: string) => parseSql(sql, 'f.sql').statements.map((s) => [s.kind, s.text, s.line, s.column]);
    expect(positions(ascii)).toEqual([
      ['CreateStmt', 'CREATE TABLE a (id int)', 2, 1],
      ['AlterTableStmt', 'ALTER TABLE a ADD COLUMN b text', 3, 13],
      ['SelectStmt', "SELECT 'abc' AS v", 4, 1],
    ]);
    expect(positions(multibyte)).toEqual(positions(ascii));
    // same columns (in characters), but the byte offsets differ by the extra UTF-8 bytes of the header and the note
    const [a, m] = [parseSql(ascii, 'a.sql'), parseSql(multibyte, 'm.sql')];
    expect(m.statements[2].byteStart - a.statements[2].byteStart).toBe(Buffer.byteLength(multibyte) - ascii.length);
  });

  it('finds each statement start past whitespace, nested comments and line comments, and its end before a trailing comment', () => {
    const sql = '\v\f/* a /* nested */ still */ -- line\n\tSELECT 1 /* tail */ ;\nSELECT 2 -- tail\n;\nSELECT "a--b", \'*/\' FROM t;\nSELECT 3';
    const parsed = parseSql(sql, 'f.sql');
    expect(parsed.statements.map((s) => [s.text, s.line, s.column])).toEqual([
      ['SELECT 1', 2, 2],
      ['SELECT 2', 3, 1],
      ['SELECT "a--b", \'*/\' FROM t', 5, 1],
      ['SELECT 3', 6, 1],
    ]);
  });

  it('scans tokens only when they are read, and they are the scanner tokens of the whole file', () => {
    const sql = "-- c\nSELECT 'x'; /* y */\n";
    const parsed = parseSql(sql, 'f.sql');
    expect(Object.getOwnPropertyDescriptor(parsed, 'tokens')?.get).toBeTypeOf('function');
    expect(parsed.tokens).toEqual(scanSync(sql).tokens);
    expect(parsed.tokens.map((t) => [t.text, t.start, t.end])).toEqual([
      ['-- c', 0, 4],
      ['SELECT', 5, 11],
      ["'x'", 12, 15],
      [';', 15, 16],
      ['/* y */', 17, 24],
    ]);
  });

  it.each([
    ['ASCII', "SELECT 1;\n  SELEC 2;"],
    ['multibyte', "SELECT 'é😀';\n  SELEC 2;"],
  ])('reports a syntax error in a %s file at its line and column', (_name, sql) => {
    expect(() => parseSql(sql, 'bad.sql')).toThrow('bad.sql:2:3: syntax error at or near "SELEC"');
  });

  it('still finds a meta-command after a line that only looks like one (a backslash in a string)', () => {
    const sql = "SELECT E'\n\\\\x';\n\\set x 1\nSELECT 2;";
    const parsed = parseSql(sql, 'f.sql');
    expect(parsed.metaCommands).toEqual([{ command: 'set', text: '\\set x 1', line: 3, column: 1 }]);
    expect(parsed.statements.map((s) => [s.text, s.line])).toEqual([
      ["SELECT E'\n\\\\x'", 1],
      ['SELECT 2', 4],
    ]);
  });
});
