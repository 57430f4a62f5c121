import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envsubLine, EnvsubError } from '../../src/runners/goose-envsub.js';
import { planFlyway } from '../../src/runners/flyway.js';
import { substitute } from '../../src/runners/substitution.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-subst-unit-'));
beforeAll(loadSqlParser);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flywayPlan = (text: string, placeholders: Record<string, string> = {}) => planFlyway(text, 'V1__x.sql', dir, { projectRoot: dir, placeholders, env: {} });
const apply = (text: string, plan: ReturnType<typeof flywayPlan>) => substitute(text, plan.substitutions ?? []).text;

describe('flyway placeholder scan (PlaceholderReplacingReader)', () => {
  it('replaces everywhere, case-insensitively, and passes `$${a}` through as the reader does', () => {
    const text = "SELECT '${A}' /* ${a} */, $${a};";
    expect(apply(text, flywayPlan(text, { a: 'v' }))).toBe("SELECT 'v' /* v */, $${a};");
  });

  it('an empty value removes the placeholder', () => {
    const text = 'SELECT 1${e};';
    expect(apply(text, flywayPlan(text, { e: '' }))).toBe('SELECT 1;');
  });
});

describe('positions after substitution are the file as written', () => {
  it('a value with line breaks moves neither lines nor columns of what follows', () => {
    const written = 'CREATE TABLE ${t} (id int);\nCREATE TABLE b (id int); CREATE TABLE c (id int);\n';
    const { text, origin } = substitute(written, [{ start: 13, end: 17, value: 'a\n\n(x int)\n; CREATE TABLE a2' }]);
    const parsed = parseSql(text, 'f.sql', origin);
    expect(parsed.statements.map((s) => [s.line, s.column])).toEqual([
      [1, 1],
      [1, 14], // the second statement starts inside the value: reported where the placeholder was written
      [2, 1],
      [2, 26],
    ]);
    expect(parsed.source.lineCount).toBe(3);
    expect(text.slice(parsed.source.lineStartIndex(1))).toBe('CREATE TABLE b (id int); CREATE TABLE c (id int);\n');
  });

  it('a syntax error after a placeholder is at its column as written', () => {
    const written = 'SELECT ${x}, 1 FORM t;';
    const { text, origin } = substitute(written, [{ start: 7, end: 11, value: 'a_long_column_name' }]);
    expect(() => parseSql(text, 'f.sql', origin)).toThrow(expect.objectContaining({ line: 1, column: written.indexOf('t;') + 1 }));
  });

  it('the mixed-transaction refusal names the statement as written', () => {
    const plan = flywayPlan('CREATE TABLE ${t} (a int);\nCREATE INDEX CONCURRENTLY i ON ${t} (a);\n', { t: 'a_much_longer_table_name' });
    expect(plan.problem).toMatchObject({ line: 2, column: 1 });
  });
});

describe('goose ENVSUB line expansion (mfridman/interpolate)', () => {
  const env = { SET: 'v', EMPTY: '', LONG: 'abcdef' };
  const expand = (line: string) => substitute(line, envsubLine(line, env)).text;
  it('expands the documented forms', () => {
    expect(expand('$SET ${SET} ${UNSET} ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}')).toBe('v v  d d  d');
    expect(expand('${UNSET:-${SET}x} ${LONG:2} ${LONG:1:2} ${LONG: -2}')).toBe('vx cdef bc ef');
    expect(expand('a $$ b \\$ c \\\\ $(x) $')).toBe('a $ b $ c \\\\ $(x) $');
  });
  it('fails as goose does', () => {
    expect(() => envsubLine('SELECT $1', env)).toThrow(EnvsubError);
    expect(() => envsubLine('SELECT ${UNSET?needed}', env)).toThrow('$UNSET: needed');
    expect(() => envsubLine('x ${_A}', env)).toThrow(expect.objectContaining({ index: 2 }));
  });
});
