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
  it('reports a table whose primary key was dropped later at the DROP CONSTRAINT, naming it (issue 9 item 9)', () => {
    expect(lintErrors(['CREATE TABLE a (id int PRIMARY KEY);', 'ALTER TABLE a DROP CONSTRAINT a_pkey;'])).toEqual([
      '002_m.sql:1:1 primary key a_pkey of table a is dropped here and never replaced',
    ]);
  });
  it('a key dropped and added back is fine', () => {
    lintOk(['CREATE TABLE a (id int PRIMARY KEY);', 'ALTER TABLE a DROP CONSTRAINT a_pkey;', 'ALTER TABLE a ADD PRIMARY KEY (id);']);
  });
  it('ignores temporary tables', () => {
    lintOk('CREATE TEMP TABLE t (x int);');
  });
});
