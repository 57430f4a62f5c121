import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('duplicate-number');

describe('duplicate-number', () => {
  it('reports every later file that reuses a number', () => {
    expect(lintErrors({ '007_a.sql': 'SELECT 1;', '007_b.sql': 'SELECT 1;', '7_c.sql': 'SELECT 1;' })).toEqual([
      '007_b.sql:1:1 migration number 007 is also used by 007_a.sql',
      '7_c.sql:1:1 migration number 7 is also used by 007_a.sql',
    ]);
  });
  it('leaves letter suffixes to file-name', () => {
    lintOk({ '009_a.sql': 'SELECT 1;', '009b_b.sql': 'SELECT 1;' });
  });
});
