import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (dreamprogrammin/commerce): supabase/config.toml sets [db] major_version = 15; the embedded engine replayed on
 * 18 (16 and 17 lack moddatetime), where an UPDATE that 15 accepts fails (42P10, a check new in 18). The failure read
 * as the migration's; only a server of the project's major can tell. The first failure of a replay on another major
 * than the project's now says so.
 */
const project = tempProjects();

const snapshot = (major: number) => `--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version ${major}.4\n-- Dumped by pg_dump version ${major}.4\n\nCREATE TABLE public.t (id integer);\n`;
const MIGRATIONS = {
  'migrations/001_t.sql': 'CREATE TABLE t (id int);\n',
  'migrations/002_broken.sql': 'INSERT INTO missing_table VALUES (1);\n',
};

async function firstFailure(major: number) {
  const root = project({ ...MIGRATIONS, [`docs/architecture/schema-actual-2026-01-01.sql`]: snapshot(major) }).root;
  const result = await dump({ cwd: root, engine: 'pglite', noCache: true, keepGoing: true });
  return { failure: result.report.migrationFailures[0], major: result.report.engine.major };
}

describe('a replay failure on an embedded major other than the project\'s', () => {
  it('says which major ran and which one the project runs, and how to replay on that one', async () => {
    const { failure, major } = await firstFailure(15);
    expect(major).not.toBe(15); // the embedded engine has no 15
    expect(failure).toMatchObject({ file: 'migrations/002_broken.sql', sqlstate: '42P01' });
    expect(failure.hint).toContain(`the replay ran on the embedded Postgres ${major}, the project's database is Postgres 15 (the header of docs/architecture/schema-actual-2026-01-01.sql)`);
    expect(failure.hint).toContain('--engine docker --pg 15');
  });

  it('follows a hint the failure had with a semicolon, not run on into it (field: cleinerfaria/monorepo_synia)', async () => {
    const root = project({
      'migrations/001_f.sql': 'CREATE FUNCTION f(json jsonb) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n',
      'docs/architecture/schema-actual-2026-01-01.sql': snapshot(15),
    }).root;
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true, keepGoing: true });
    const hint = result.report.migrationFailures[0].hint ?? '';
    expect(hint).toContain('as every major accepts; the replay ran on the embedded Postgres');
  });

  it('says nothing of majors when the replay ran on the project\'s own', async () => {
    const { failure, major } = await firstFailure(17);
    expect(major).toBe(17);
    expect(failure.hint ?? '').not.toContain('the replay ran on the embedded Postgres');
  });
});
