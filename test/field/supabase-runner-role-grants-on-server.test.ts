import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { adminQuery, leftovers, SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// The Supabase CLI applies migrations as postgres (src/runners/supabase.ts connectsAs); on a server the throwaway replay
// role stands for it and is never given the server's own postgres. Before: `SET ROLE postgres` and `SET SESSION
// AUTHORIZATION postgres` failed with 42501; `GRANT ALL ON TABLE t TO postgres` gave the server's postgres an ACL
// entry the platform's dump does not have (there postgres owns t); `GRANT team_r TO postgres` made the server's
// postgres, a cluster-wide role pgdrift did not create, a member of the run's role.
const project = tempProjects();
const MIGRATION = 'supabase/migrations/20240101000000_a.sql';

/** The server's postgres: the roles it is a member of, and of which it is the grantor's member. */
const postgresMemberships = () =>
  adminQuery<{ role: string; member: string }>(
    `SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
      WHERE r.rolname = 'postgres' OR m.rolname = 'postgres' ORDER BY 1, 2`,
  );

afterAll(async () => {
  expect(await leftovers()).toEqual([]);
});

describe('SET ROLE postgres in a Supabase migration, on the server engine', () => {
  serverTest('SET ROLE postgres, SET SESSION AUTHORIZATION postgres and RESET ROLE replay as the replay role', async () => {
    const text = `CREATE TABLE public.a (id int);
SET ROLE postgres;
ALTER TABLE public.a OWNER TO postgres;
SET SESSION AUTHORIZATION "postgres";
RESET ROLE;
SET LOCAL ROLE 'postgres';
CREATE TABLE public.b (id int);
SELECT nope FROM public.a;
`;
    const p = project({ [MIGRATION]: text });
    const { report, sql } = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL, keepGoing: true });
    // the only failure is the last line's, at its own line and column: the rewrites kept every position
    expect(report.migrationFailures).toHaveLength(1);
    expect(report.migrationFailures[0]).toMatchObject({ file: MIGRATION, line: 8, column: 8, sqlstate: '42703' });
    expect(report.runnerRole).toEqual({ role: 'postgres', statements: 1, clauses: 3, of: ['owner', 'set-role'] });
    const p2 = project({ [MIGRATION]: text.replace('SELECT nope FROM public.a;\n', '') });
    const second = await dump({ cwd: p2.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(second.report.migrationFailures).toEqual([]);
    expect(second.sql).toContain('CREATE TABLE public.b');
    expect(sql).not.toContain('CREATE TABLE public.b'); // the failed file was rolled back
  });

  serverTest('after SET ROLE to another role, OWNER TO postgres runs as written until the role is set back', async () => {
    const text = `CREATE ROLE rr_other NOLOGIN;
CREATE SCHEMA rr_s AUTHORIZATION rr_other;
SET ROLE rr_other;
CREATE TABLE rr_s.c (id int);
ALTER TABLE rr_s.c OWNER TO postgres;
`;
    const p = project({ [MIGRATION]: text });
    const { report } = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(report.migrationFailures).toHaveLength(1);
    expect(report.migrationFailures[0]).toMatchObject({ file: MIGRATION, line: 5, sqlstate: '42501', message: 'must be member of role "postgres"' });

    const back = project({
      [MIGRATION]: `CREATE ROLE rr_back NOLOGIN;\nSET ROLE rr_back;\nSET ROLE postgres;\nCREATE TABLE public.d (id int);\nALTER TABLE public.d OWNER TO postgres;\n`,
      'supabase/migrations/20240102000000_b.sql': 'CREATE TABLE public.e (id int);\nALTER TABLE public.e OWNER TO postgres;\n',
    });
    const after = await dump({ cwd: back.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(after.report.migrationFailures).toEqual([]);
    expect(after.report.runnerRole).toMatchObject({ statements: 2, clauses: 1 });
  });
});

describe('GRANT ... TO postgres in a Supabase migration, on the server engine', () => {
  serverTest('a membership grant never reaches the server\'s own postgres, during the replay or after it', async () => {
    const before = await postgresMemberships();
    const text = `CREATE ROLE rr_team NOLOGIN;
GRANT rr_team TO postgres;
GRANT rr_team TO authenticated, postgres;
GRANT anon TO postgres;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members a JOIN pg_catalog.pg_roles m ON m.oid = a.member WHERE m.rolname = 'postgres'
               AND a.roleid IN (SELECT oid FROM pg_catalog.pg_roles WHERE rolname IN ('rr_team', 'anon'))) THEN
    RAISE EXCEPTION 'the server''s postgres was granted a role of the replay';
  END IF;
END $$;
SET ROLE rr_team;
RESET ROLE;
CREATE TABLE public.f (id int);
`;
    const p = project({ [MIGRATION]: text });
    const { report, sql } = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(report.migrationFailures).toEqual([]);
    expect(report.runnerRole).toEqual({ role: 'postgres', statements: 2, clauses: 1, of: ['grantee'] });
    expect(sql).toContain('CREATE TABLE public.f');
    expect(await postgresMemberships()).toEqual(before);
  });

  serverTest('with --include privileges, grants to postgres compare as the platform\'s, where postgres owns what it created', async () => {
    const text = `CREATE TABLE public.g (id int);
GRANT ALL ON TABLE public.g TO postgres, anon;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO postgres;
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO postgres, service_role;
GRANT USAGE ON SCHEMA public TO postgres;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO postgres, service_role;
CREATE TABLE public.h (id int);
`;
    // the embedded engine replays as postgres itself, the owner of what the migrations create, as on the platform
    const p = project({ [MIGRATION]: text });
    const embedded = await dump({ cwd: p.root, engine: 'pglite' });
    expect(embedded.report.migrationFailures).toEqual([]);
    writeFileSync(path.join(p.root, 'schema.sql'), embedded.sql);
    const result = await check({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL, snapshot: 'schema.sql', lint: false, includePrivileges: true });
    expect(result.migrationFailures).toEqual([]);
    // the embedded engine's platform has extensions this server lacks (pg_graphql, pg_net, supabase_vault): not compared
    expect(result.drift.filter((d) => d.kind !== 'extension' && d.kind !== 'schema')).toEqual([]);
    expect(result.drift.filter((d) => d.kind === 'schema').map((d) => d.name)).not.toContain('app');
    const server = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(server.sql).not.toContain('GRANT ALL ON TABLE public.g TO postgres;');
    expect(server.sql).not.toContain('ON TABLE public.h TO postgres;');
    expect(server.sql).toContain('GRANT ALL ON TABLE public.g TO anon;');
    expect(server.sql).toContain('GRANT USAGE ON SCHEMA app TO service_role;');
    expect(server.sql).not.toContain('GRANT USAGE ON SCHEMA app TO postgres;');
    expect(server.sql).toContain('GRANT USAGE ON SCHEMA public TO postgres;');
  });
});
