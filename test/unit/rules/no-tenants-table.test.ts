import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('no-tenants-table');

describe('no-tenants-table', () => {
  it('reports creating or referencing a tenants table', () => {
    expect(lintErrors('CREATE TABLE tenants (id uuid);\nCREATE TABLE a (t uuid REFERENCES tenants(id));\nSELECT * FROM tenants;\nDROP TABLE tenants;')).toEqual([
      '001_m.sql:1:14 references a table named tenants, which does not exist in this schema',
      '001_m.sql:2:35 references a table named tenants, which does not exist in this schema',
      '001_m.sql:3:15 references a table named tenants, which does not exist in this schema',
      '001_m.sql:4:1 references a table named tenants, which does not exist in this schema',
    ]);
  });
  it('reports it however the statement spells the name (unquoted names are folded to lower case)', () => {
    expect(lintErrors('CREATE TABLE Tenants (id uuid);\nALTER TABLE public.TENANTS ADD COLUMN x int;')).toEqual([
      '001_m.sql:1:14 references a table named tenants, which does not exist in this schema',
      '001_m.sql:2:13 references a table named tenants, which does not exist in this schema',
    ]);
  });
  it('accepts organizations and a column or string named tenants', () => {
    lintOk("CREATE TABLE organizations (id uuid, tenants int);\nSELECT 'tenants';");
  });
});
