import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('ban-char-type');

describe('ban-char-type', () => {
  it('reports char(n), character(n) and bare char, on new tables too (the type is the problem, not the lock)', () => {
    expect(lintErrors('CREATE TABLE a (c char(2), d character(3), e char);')).toEqual([
      '001_m.sql:1:19 column c uses char(n), which pads values with spaces',
      '001_m.sql:1:30 column d uses char(n), which pads values with spaces',
      '001_m.sql:1:46 column e uses char(n), which pads values with spaces',
    ]);
    expect(lintErrors(['CREATE TABLE a (id int);', 'ALTER TABLE a ADD COLUMN c char(2);', 'ALTER TABLE a ALTER COLUMN c TYPE character(4);'])).toHaveLength(2);
  });
  it('accepts text, varchar and the one-byte "char" type', () => {
    lintOk('CREATE TABLE a (t text, v varchar(3), q "char");');
  });
  it('gives a char(n) column one finding across ban-char-type and prefer-text', () => {
    expect(lintMemory('CREATE TABLE a (c char(2));', { rules: ['ban-char-type', 'prefer-text'] }).map((f) => f.rule)).toEqual(['ban-char-type']);
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk('-- pgdrift-ignore ban-char-type: ISO country codes, always 2 letters\nCREATE TABLE a (c char(2));');
  });
});
