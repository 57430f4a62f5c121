import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('prefer-text');

describe('prefer-text', () => {
  it('reports varchar(n); char(n) is left to ban-char-type', () => {
    expect(lintErrors('CREATE TABLE a (v VARCHAR(255), c char(2));')).toEqual(['001_m.sql:1:19 column v uses varchar(n)']);
  });
  it('accepts text and unbounded varchar', () => {
    lintOk('CREATE TABLE a (v text, w varchar);');
  });
});
