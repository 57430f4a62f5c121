import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('require-where');

describe('require-where', () => {
  it('reports UPDATE and DELETE without WHERE', () => {
    expect(lintErrors("UPDATE a SET x = 1;\nDELETE FROM b;")).toEqual(['001_m.sql:1:1 UPDATE a without WHERE affects every row', '001_m.sql:2:1 DELETE FROM b without WHERE affects every row']);
  });
  it('accepts a WHERE clause, even WHERE true', () => {
    lintOk("UPDATE a SET x = 1 WHERE x IS NULL;\nDELETE FROM b WHERE true;");
  });
});
