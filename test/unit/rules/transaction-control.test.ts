import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('transaction-control');

describe('transaction-control', () => {
  it('reports BEGIN and COMMIT inside a migration', () => {
    expect(lintErrors('BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;')).toEqual([
      '001_m.sql:1:1 BEGIN inside a migration: the runner sends each file as one query, which Postgres runs as one implicit transaction',
      '001_m.sql:3:1 COMMIT inside a migration: the runner sends each file as one query, which Postgres runs as one implicit transaction',
    ]);
  });
  it('accepts BEGIN/END inside a DO block', () => {
    lintOk('DO $$ BEGIN PERFORM 1; END $$;');
  });
});
