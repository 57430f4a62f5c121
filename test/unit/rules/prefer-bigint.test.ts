import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('prefer-bigint');

describe('prefer-bigint', () => {
  it('reports integer and smallint columns (new tables included: the type is the point)', () => {
    expect(lintErrors('CREATE TABLE t (id bigint PRIMARY KEY, n int, s smallint);')).toEqual(['001_m.sql:1:42 column n is a 32-bit integer', '001_m.sql:1:49 column s is a 16-bit smallint']);
    expect(lintErrors(['CREATE TABLE t (id bigint);', 'ALTER TABLE t ADD COLUMN n integer;'])).toEqual(['002_m.sql:1:28 column n is a 32-bit integer']);
  });
  it('accepts bigint and numeric, and leaves serial and single-column integer keys to prefer-identity', () => {
    lintOk('CREATE TABLE t (id bigint, n numeric, m int8);');
    lintOk('CREATE TABLE t (id serial, k smallserial);');
    expect(lintMemory('CREATE TABLE t (id int PRIMARY KEY);', { rules: ['prefer-bigint', 'prefer-identity'] }).map((f) => f.rule)).toEqual(['prefer-identity']);
  });
  it('is opt-in: off in every preset', () => {
    for (const preset of ['recommended', 'helios', 'strict'] as const) expect(lintMemory('CREATE TABLE t (n int);', { preset }).some((f) => f.rule === 'prefer-bigint')).toBe(false);
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk('-- pgdrift-ignore prefer-bigint: a percentage, 0..100\nCREATE TABLE t (n int);');
  });
});
