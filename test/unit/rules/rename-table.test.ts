import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('rename-table');

describe('rename-table', () => {
  it('reports renaming an existing table', () => {
    expect(lintErrors(['CREATE TABLE a (id int);', 'ALTER TABLE a RENAME TO b;'])).toEqual(['002_m.sql:1:1 renames table a to b']);
  });
  it('accepts renaming a table of the same file', () => {
    lintOk('CREATE TABLE a (id int);\nALTER TABLE a RENAME TO b;');
  });
});
