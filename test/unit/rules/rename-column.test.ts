import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('rename-column');

describe('rename-column', () => {
  it('reports renaming a column of an existing table', () => {
    expect(lintErrors(['CREATE TABLE a (id int, x int);', 'ALTER TABLE a RENAME COLUMN x TO y;'])).toEqual(['002_m.sql:1:1 renames column a.x to y']);
  });
  it('follows a table rename made earlier', () => {
    expect(lintErrors(['CREATE TABLE a (id int, x int);\nALTER TABLE a RENAME TO b;', 'ALTER TABLE b RENAME COLUMN x TO y;'])).toHaveLength(1);
  });
  it('accepts it in the file that created the table', () => {
    lintOk('CREATE TABLE a (id int, x int);\nALTER TABLE a RENAME COLUMN x TO y;');
  });
});
