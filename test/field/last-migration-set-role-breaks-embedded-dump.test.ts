import { expect, test } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

const project = tempProjects();

// Found fielding the yoyo runner: a last migration that leaves `SET ROLE` made the embedded pg_dump, which shares the
// replay's session, fail with "current transaction is aborted" (pg_dump itself connects as the superuser: it dumps).
test.each([
  ['SET ROLE', 'CREATE ROLE last_r NOLOGIN;\nSET ROLE last_r;\n'],
  ['SET SESSION AUTHORIZATION', 'CREATE ROLE last_s NOLOGIN;\nSET SESSION AUTHORIZATION last_s;\n'],
])('a migration that ends with %s still dumps on the embedded engine', async (_what, tail) => {
  const p = project({ 'migrations/001_a.sql': `CREATE TABLE a (id int);\n${tail}` });
  const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
  expect(result.report.migrationFailures).toEqual([]);
  expect(result.sql).toContain('CREATE TABLE public.a (');
});
