import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';
import { runnerByName } from '../../../src/runners/index.js';

const { lintOk, lintErrors } = ruleTester('file-name');

describe('file-name', () => {
  it('reports a letter suffix and names outside NNN_snake_case.sql', () => {
    expect(lintErrors({ '009b_fix.sql': 'SELECT 1;', '010-AddUsers.sql': 'SELECT 1;' })).toEqual([
      '009b_fix.sql:1:1 "009b_fix.sql" has a letter suffix after its number ("009b_")',
      '010-AddUsers.sql:1:1 "010-AddUsers.sql" does not match the migration file name pattern ^\\d{3,}_[a-z0-9_]+\\.sql$',
    ]);
  });
  it('accepts NNN_snake_case.sql, and follows lint.fileNamePattern', () => {
    lintOk({ '001_create_users.sql': 'SELECT 1;' });
    lintOk({ '2024_Users.sql': 'SELECT 1;' }, { options: { fileNamePattern: /^\d{4}_[A-Za-z]+\.sql$/ } });
  });
  it("drizzle: the names drizzle-kit writes, a custom --name too (`generate --custom --name=seed-users`, its docs' example)", () => {
    const drizzle = runnerByName('drizzle');
    const options = { fileNamePattern: drizzle.lint.fileNamePattern, runner: drizzle };
    lintOk({ '0000_silly_sage.sql': 'SELECT 1;', '0001_seed-users.sql': 'SELECT 1;', '0002_AddUsers.sql': 'SELECT 1;' }, { options });
    expect(lintErrors({ '0003 seed users.sql': 'SELECT 1;' }, { options })).toHaveLength(1);
  });
});
