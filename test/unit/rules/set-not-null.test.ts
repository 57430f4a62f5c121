import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('set-not-null');

describe('set-not-null', () => {
  it('reports SET NOT NULL on an existing table', () => {
    expect(lintErrors(['CREATE TABLE a (id int, x int);', 'ALTER TABLE a ALTER COLUMN x SET NOT NULL;'])).toEqual([
      '002_m.sql:1:15 sets a.x NOT NULL, scanning the table under an exclusive lock',
    ]);
  });
  it('points at each SET NOT NULL of a multi-command ALTER TABLE', () => {
    expect(lintErrors(['CREATE TABLE a (id int, x int, y int);', 'ALTER TABLE a\n  ALTER COLUMN x SET NOT NULL,\n  ALTER COLUMN y SET NOT NULL;'])).toEqual([
      '002_m.sql:2:3 sets a.x NOT NULL, scanning the table under an exclusive lock',
      '002_m.sql:3:3 sets a.y NOT NULL, scanning the table under an exclusive lock',
    ]);
  });
  it('accepts it on a new table and DROP NOT NULL anywhere', () => {
    lintOk('CREATE TABLE a (id int, x int);\nALTER TABLE a ALTER COLUMN x SET NOT NULL;');
    lintOk(['CREATE TABLE a (id int, x int NOT NULL);', 'ALTER TABLE a ALTER COLUMN x DROP NOT NULL;']);
  });
});
