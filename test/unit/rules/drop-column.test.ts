import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('drop-column');

describe('drop-column', () => {
  it('reports DROP COLUMN on an existing table', () => {
    expect(lintErrors(['CREATE TABLE a (id int, x int);', 'ALTER TABLE a DROP COLUMN IF EXISTS x;'])).toEqual(['002_m.sql:1:1 drops column x of a and its data']);
  });
  it('accepts it on a table created in the same file', () => {
    lintOk('CREATE TABLE a (id int, x int);\nALTER TABLE a DROP COLUMN x;');
  });
});
