import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('add-column-check');
const tables = 'CREATE TABLE accounts (id bigint PRIMARY KEY);';

describe('add-column-check', () => {
  it('reports ADD COLUMN with an inline CHECK on an existing table, at the constraint', () => {
    expect(lintErrors([tables, 'ALTER TABLE accounts ADD COLUMN n int CHECK (n > 0);\nALTER TABLE accounts ADD COLUMN m int NOT NULL DEFAULT 0 CONSTRAINT m_positive CHECK (m >= 0), ADD COLUMN k int;'])).toEqual([
      '002_m.sql:1:39 adds column n with a CHECK constraint to existing table accounts: the table is scanned to validate it under an ACCESS EXCLUSIVE lock',
      '002_m.sql:2:58 adds column m with a CHECK constraint to existing table accounts: the table is scanned to validate it under an ACCESS EXCLUSIVE lock',
    ]);
  });
  it('accepts the column alone followed by ADD CONSTRAINT ... CHECK NOT VALID, and a column without a CHECK', () => {
    lintOk([tables, 'ALTER TABLE accounts ADD COLUMN n int;\nALTER TABLE accounts ADD CONSTRAINT accounts_n_check CHECK (n > 0) NOT VALID;\nALTER TABLE accounts ADD COLUMN m int NOT NULL DEFAULT 1;']);
  });
  it('accepts it on a table created in the same file', () => {
    lintOk(`${tables}\nALTER TABLE accounts ADD COLUMN n int CHECK (n > 0);`);
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk([tables, '-- pgdrift-ignore add-column-check: accounts has a handful of rows\nALTER TABLE accounts ADD COLUMN n int CHECK (n > 0);']);
  });
});
