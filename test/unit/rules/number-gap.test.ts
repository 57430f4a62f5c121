import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('number-gap');

describe('number-gap', () => {
  it('reports a gap at the first file after it', () => {
    expect(lintErrors({ '001_a.sql': 'SELECT 1;', '002_b.sql': 'SELECT 1;', '005_c.sql': 'SELECT 1;', '007_d.sql': 'SELECT 1;' })).toEqual([
      '005_c.sql:1:1 migration numbers jump from 2 to 5 (missing 3-4)',
      '007_d.sql:1:1 migration numbers jump from 5 to 7 (missing 6)',
    ]);
  });
  it('accepts consecutive numbers, duplicates and suffixes included', () => {
    lintOk({ '001_a.sql': 'SELECT 1;', '002_b.sql': 'SELECT 1;', '002_c.sql': 'SELECT 1;', '002b_d.sql': 'SELECT 1;', '003_e.sql': 'SELECT 1;' });
  });
});
