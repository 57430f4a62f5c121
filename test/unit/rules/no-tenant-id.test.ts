import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('no-tenant-id');

describe('no-tenant-id', () => {
  it('reports a tenant_id column in CREATE TABLE, ADD COLUMN and RENAME', () => {
    expect(lintErrors('CREATE TABLE a (\n  tenant_id uuid\n);\nALTER TABLE b ADD COLUMN tenant_id uuid;\nALTER TABLE c RENAME COLUMN x TO tenant_id;')).toEqual([
      '001_m.sql:2:3 column tenant_id on a: this schema has no tenants',
      '001_m.sql:4:26 column tenant_id on b: this schema has no tenants',
      '001_m.sql:5:1 renames x to tenant_id: this schema has no tenants',
    ]);
  });
  it('accepts organization_id', () => {
    lintOk('CREATE TABLE a (organization_id uuid);');
  });
});
