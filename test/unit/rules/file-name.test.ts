import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

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
});
