import { afterAll, describe, expect } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { leftovers, SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// Field: sizzle-squad/base-hunt (Supabase; its Makefile writes supabase/roles.sql with `supabase db dump --role-only`,
// which the CLI runs before the migrations). The file sets the platform roles' timeouts: ALTER ROLE "anon" SET
// "statement_timeout" TO '3s'. On the server engine before PostgreSQL 16 the replay failed there with 42501
// "permission denied" and the hint "a replay may alter ... only the roles it created itself, never a role that existed
// on the server before", though anon is pgdrift's own stand-in for the platform role (made for the run, NOLOGIN,
// dropped after), and on the platform the CLI's postgres user sets it. The embedded engine ran it. A setting of such a
// role now runs as the role itself (what it may set on itself), as for the roles the run created.
const projects = tempProjects();
afterAll(async () => {
  expect(await leftovers()).toEqual([]);
});

describe('supabase/roles.sql setting a platform role on the server engine', () => {
  serverTest('ALTER ROLE anon SET statement_timeout applies; a superuser-only setting stays refused', async () => {
    const p = projects({
      'supabase/config.toml': '[db]\nmajor_version = 15\n',
      'supabase/roles.sql': `SET client_encoding = 'UTF8';\nALTER ROLE "anon" SET "statement_timeout" TO '3s';\nALTER ROLE "authenticated" SET "statement_timeout" TO '8s';\n`,
      'supabase/migrations/20240101000000_init.sql': 'create table public.t (id int primary key);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.t');

    p.write('supabase/roles.sql', `ALTER ROLE "anon" SET "log_statement" TO 'all';\n`);
    const refused = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(refused.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['supabase/roles.sql', '42501']]);
  }, 120_000);
});
