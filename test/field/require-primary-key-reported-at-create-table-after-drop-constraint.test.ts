import { afterAll, expect, test } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { tempProject } from '../helpers/project.js';

const project = tempProject({
  'migrations/001_accounts.sql': 'CREATE TABLE accounts (\n  id bigint PRIMARY KEY,\n  name text\n);\n',
  'migrations/002_relax.sql': '-- the key goes away here\nALTER TABLE accounts DROP CONSTRAINT accounts_pkey;\n',
});
afterAll(() => project.cleanup());

// Issue 9 item 9: require-primary-key pointed at a CREATE TABLE that has a primary key, because a later file
// dropped the constraint. The finding belongs at the DROP CONSTRAINT, naming the constraint.
test('require-primary-key is reported at the DROP CONSTRAINT that removed the key, naming it', async () => {
  const result = await lint({ cwd: project.root });
  const findings = result.findings.filter((f) => f.rule === 'require-primary-key');
  expect(findings.map((f) => [f.file, f.line, f.object])).toEqual([['migrations/002_relax.sql', 2, 'public.accounts']]);
  expect(findings[0].message).toContain('accounts_pkey');
});
