import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('require-primary-key');

describe('require-primary-key', () => {
  it('reports a table without a primary key at the start of its CREATE TABLE', () => {
    expect(lintErrors('-- x\nCREATE TABLE log (msg text);')).toEqual(['001_m.sql:2:1 table log has no primary key']);
  });
  it('accepts column, table and later ALTER TABLE primary keys', () => {
    lintOk('CREATE TABLE a (id uuid PRIMARY KEY);');
    lintOk('CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));');
    lintOk(['CREATE TABLE a (id int);', 'ALTER TABLE a ADD PRIMARY KEY (id);']);
  });
  it('reports a table whose primary key was dropped later', () => {
    expect(lintErrors(['CREATE TABLE a (id int PRIMARY KEY);', 'ALTER TABLE a DROP CONSTRAINT a_pkey;'])).toEqual(['001_m.sql:1:1 table a has no primary key']);
  });
  it('ignores temporary tables', () => {
    lintOk('CREATE TEMP TABLE t (x int);');
  });
});
