import { afterAll, expect, test } from 'vitest';
import { check } from '../../src/commands/check.js';
import { tempProject } from '../helpers/project.js';

const project = tempProject({
  'migrations/001_clean.sql': 'CREATE TABLE a (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n',
  // no primary key: require-primary-key reports it when (and only when) this folder is linted
  'other/001_other.sql': 'CREATE TABLE b (v text);\n',
  'docs/architecture/schema-actual-2025-01-01.sql': 'CREATE TABLE public.b (v text);\n',
});
afterAll(() => project.cleanup());

// `check({ migrations: 'other' })` replayed other/ but linted migrations/ (it re-resolved the project for lint).
test('check --migrations other/ lints the files it replays', async () => {
  const result = await check({ cwd: project.root, migrations: 'other' });
  expect(result.files.map((f) => f.file)).toEqual(['other/001_other.sql']);
  expect(result.findings.map((f) => [f.rule, f.file])).toContainEqual(['require-primary-key', 'other/001_other.sql']);
  expect(result.findings.every((f) => f.file.startsWith('other/'))).toBe(true);
});
