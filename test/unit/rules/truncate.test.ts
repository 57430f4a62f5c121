import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('truncate');

describe('truncate', () => {
  it('reports each truncated table', () => {
    expect(lintErrors('TRUNCATE a, b;')).toEqual(['001_m.sql:1:10 TRUNCATE a deletes every row', '001_m.sql:1:13 TRUNCATE b deletes every row']);
  });
  it('accepts DELETE with WHERE', () => {
    lintOk('DELETE FROM a WHERE id = 1;');
  });
});
