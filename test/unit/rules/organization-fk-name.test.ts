import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('organization-fk-name');

describe('organization-fk-name', () => {
  it('reports an FK to organizations(id) on another column name', () => {
    expect(lintErrors('CREATE TABLE a (org uuid REFERENCES organizations(id));\nALTER TABLE b ADD CONSTRAINT f FOREIGN KEY (owner) REFERENCES organizations;')).toEqual([
      '001_m.sql:1:17 foreign key column org references organizations(id); it must be named organization_id',
      '001_m.sql:2:19 foreign key column owner references organizations(id); it must be named organization_id',
    ]);
  });
  it('accepts organization_id and <role>_organization_id', () => {
    lintOk('CREATE TABLE a (organization_id uuid REFERENCES organizations(id), parent_organization_id uuid REFERENCES organizations(id));');
  });
});
