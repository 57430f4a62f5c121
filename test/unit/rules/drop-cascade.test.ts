import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('drop-cascade');

describe('drop-cascade', () => {
  it('reports DROP ... CASCADE, DROP COLUMN ... CASCADE and TRUNCATE ... CASCADE', () => {
    expect(lintErrors('DROP VIEW v CASCADE;\nALTER TABLE a DROP COLUMN x CASCADE;\nTRUNCATE a CASCADE;')).toEqual([
      '001_m.sql:1:1 DROP ... CASCADE also removes everything that depends on it',
      '001_m.sql:2:15 DROP COLUMN x CASCADE also removes everything that depends on it',
      '001_m.sql:3:1 TRUNCATE ... CASCADE also removes everything that depends on it',
    ]);
  });
  it('accepts a plain drop', () => {
    lintOk('DROP VIEW IF EXISTS v;');
  });
});
