import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('change-column-type');

describe('change-column-type', () => {
  it('reports ALTER COLUMN TYPE on an existing table, at the type', () => {
    expect(lintErrors(['CREATE TABLE a (id int, x int);', 'ALTER TABLE a ALTER COLUMN x TYPE bigint;'])).toEqual(['002_m.sql:1:35 changes the type of a.x to int8']);
  });
  it('accepts it on a new table', () => {
    lintOk('CREATE TABLE a (id int, x int);\nALTER TABLE a ALTER COLUMN x TYPE bigint;');
  });
});
