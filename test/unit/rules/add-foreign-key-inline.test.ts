import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('add-foreign-key-inline');
const tables = 'CREATE TABLE orgs (id bigint PRIMARY KEY);\nCREATE TABLE projects (id bigint PRIMARY KEY);';

describe('add-foreign-key-inline', () => {
  it('reports ADD COLUMN ... REFERENCES on an existing table, at the column', () => {
    expect(lintErrors([tables, 'ALTER TABLE projects ADD COLUMN org_id bigint REFERENCES orgs (id);'])).toEqual([
      '002_m.sql:1:33 adds column org_id REFERENCES orgs to existing table projects: the foreign key is validated at once, locking both tables',
    ]);
  });
  it('accepts the column alone followed by ADD CONSTRAINT ... NOT VALID', () => {
    lintOk([tables, 'ALTER TABLE projects ADD COLUMN org_id bigint;\nALTER TABLE projects ADD CONSTRAINT projects_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID;']);
  });
  it('accepts it on a table created in the same file', () => {
    lintOk(`${tables}\nALTER TABLE projects ADD COLUMN org_id bigint REFERENCES orgs (id);`);
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk([tables, '-- pgdrift-ignore add-foreign-key-inline: projects has a handful of rows\nALTER TABLE projects ADD COLUMN org_id bigint REFERENCES orgs (id);']);
  });
});
