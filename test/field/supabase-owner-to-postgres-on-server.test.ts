import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { leftovers, SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// field: sizzle-squad/base-hunt, supabase/migrations/20240509233431_remote_schema.sql (`supabase db pull`): every object
// is followed by `ALTER ... OWNER TO "postgres"`, and the end has `ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" ...`.
// The Supabase CLI applies migrations as postgres; the server engine replays as a throwaway NOSUPERUSER role, which is
// never given the server's own postgres, so the first one failed with 42501 `must be member of role "postgres"` and a
// Supabase project could not be checked on a server at all. The replay role stands for the runner's role now.
const project = tempProjects();
afterAll(async () => {
  expect(await leftovers()).toEqual([]);
});

const PULLED = `CREATE TYPE "public"."badge_type" AS ENUM ('a', 'b');
ALTER TYPE "public"."badge_type" OWNER TO "postgres";
CREATE TABLE "public"."badges" (id bigint PRIMARY KEY, kind "public"."badge_type");
ALTER TABLE "public"."badges" OWNER TO postgres;
CREATE FUNCTION "public"."one"() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
ALTER FUNCTION "public"."one"() OWNER TO "postgres";
ALTER TYPE "public"."badge_type" ADD VALUE 'c';
ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT ALL ON TABLES TO "anon";
`;

const SNAPSHOT = `CREATE TYPE public.badge_type AS ENUM (
    'a',
    'b',
    'c'
);

CREATE FUNCTION public.one() RETURNS integer
    LANGUAGE sql
    AS $$ SELECT 1 $$;

CREATE TABLE public.badges (
    id bigint NOT NULL,
    kind public.badge_type
);

ALTER TABLE ONLY public.badges
    ADD CONSTRAINT badges_pkey PRIMARY KEY (id);
`;

describe('a Supabase migration full of OWNER TO postgres, on the server engine', () => {
  serverTest('replays, and check against a snapshot of those objects is clean, saying what was left out', async () => {
    const p = project({ 'supabase/migrations/20240509233431_remote_schema.sql': PULLED });
    writeFileSync(path.join(p.root, 'schema.sql'), SNAPSHOT);
    const notices: string[] = [];
    const result = await check({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL, snapshot: 'schema.sql', lint: false, onNotice: (n: string) => notices.push(n) });
    expect(result.migrationFailures).toEqual([]);
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.runnerRole).toEqual({ role: 'postgres', statements: 3, clauses: 1, of: ['owner', 'for-role'] });
    expect(notices.filter((n) => n.includes('OWNER TO postgres'))).toHaveLength(1);
    expect(notices.find((n) => n.includes('OWNER TO postgres'))).toContain('3 statements not run and 1 clause left out or said otherwise (ALTER ... OWNER TO postgres; FOR ROLE postgres)');
  });

  serverTest('an error after such a statement is reported at its own line and column, and the file is one transaction', async () => {
    const text = `CREATE TABLE "public"."t" (id int);
ALTER TABLE "public"."t" OWNER TO "postgres";
CREATE VIEW "public"."v" AS SELECT nope FROM "public"."t";
`;
    const p = project({ 'supabase/migrations/20240101000000_pulled.sql': text });
    const { report, sql } = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL, keepGoing: true });
    expect(report.migrationFailures).toHaveLength(1);
    expect(report.migrationFailures[0]).toMatchObject({ file: 'supabase/migrations/20240101000000_pulled.sql', line: 3, column: 36, sqlstate: '42703' });
    // the CLI's batch is all or nothing: t was rolled back with the failure
    expect(sql).not.toContain('CREATE TABLE public.t ');
  });
});

describe('outside Supabase, the runner documents no role it connects as', () => {
  serverTest('a numbered project with ALTER TABLE x OWNER TO postgres fails as before', async () => {
    const p = project({ 'migrations/001_init.sql': 'CREATE TABLE x (id int);\nALTER TABLE x OWNER TO postgres;\n' });
    const { report } = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(report.migrationFailures).toHaveLength(1);
    expect(report.migrationFailures[0]).toMatchObject({ file: 'migrations/001_init.sql', line: 2, sqlstate: '42501', message: 'must be member of role "postgres"' });
    expect(report.runnerRole).toBeUndefined();
  });
});
