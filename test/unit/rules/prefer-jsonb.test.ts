import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('prefer-jsonb');

describe('prefer-jsonb', () => {
  it('reports json', () => {
    expect(lintErrors('ALTER TABLE a ADD COLUMN j json;')).toEqual(['001_m.sql:1:28 column j uses json']);
  });
  it('accepts jsonb', () => {
    lintOk("CREATE TABLE a (j jsonb NOT NULL DEFAULT '{}');");
  });
});
