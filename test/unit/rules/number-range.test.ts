import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('number-range');

describe('number-range', () => {
  it('reports numbers outside the range and names without a number', () => {
    expect(lintErrors({ '000_init.sql': 'SELECT 1;', 'init.sql': 'SELECT 1;' })).toEqual([
      '000_init.sql:1:1 migration number 000 is outside the allowed range 1-999',
      'init.sql:1:1 "init.sql" has no leading migration number',
    ]);
    expect(lintErrors({ '041_x.sql': 'SELECT 1;' }, { options: { numberRange: [1, 40] } })).toHaveLength(1);
  });
  it('accepts numbers in range', () => {
    lintOk({ '001_x.sql': 'SELECT 1;', '999_y.sql': 'SELECT 1;' });
  });
});
