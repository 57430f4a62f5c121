import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('prefer-timestamptz');

describe('prefer-timestamptz', () => {
  it('reports timestamp in CREATE TABLE, ADD COLUMN and ALTER TYPE, at the type', () => {
    expect(lintErrors('CREATE TABLE a (t timestamp);\nALTER TABLE a ADD COLUMN u timestamp without time zone, ALTER COLUMN t TYPE timestamp(3);')).toEqual([
      '001_m.sql:1:19 column t uses timestamp without time zone',
      '001_m.sql:2:28 column u uses timestamp without time zone',
      '001_m.sql:2:77 column t uses timestamp without time zone',
    ]);
  });
  it('accepts timestamptz', () => {
    lintOk('CREATE TABLE a (t timestamptz, u timestamp with time zone);');
  });
});
