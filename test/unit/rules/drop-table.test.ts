import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('drop-table');

describe('drop-table', () => {
  it('reports dropping a table created by an earlier file (or unknown to the history)', () => {
    expect(lintErrors(['CREATE TABLE a (id int);', 'DROP TABLE IF EXISTS a;'])).toEqual(['002_m.sql:1:1 drops table a and all its data']);
    expect(lintErrors('DROP TABLE legacy;')).toHaveLength(1);
  });
  it('accepts dropping a table created in the same file', () => {
    lintOk('CREATE TABLE tmp (id int);\nDROP TABLE tmp;');
  });
  it('is silenced by a suppression with a reason', () => {
    lintOk(['CREATE TABLE a (id int);', '-- pgdrift-ignore drop-table: replaced by b in 001\nDROP TABLE a;']);
  });
});
