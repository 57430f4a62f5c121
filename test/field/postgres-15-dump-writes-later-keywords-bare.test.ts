import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { docs } from '../../src/commands/docs.js';
import { leftovers, SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// field: cleinerfaria/monorepo_synia, packages/db-vidasystem/supabase/migrations: a `public.system_user` table whose
// policies read `public.system_user.is_superadmin`. pg_dump quotes only the words its own major knows as keywords, so
// Postgres 15's pg_dump writes the policy as `WHERE system_user.is_superadmin` and a parameter named json as
// `f(json jsonb)`: SQL Postgres 15 reads, which the Postgres 18 grammar pgdrift parses dumps with refuses
// (system_user is reserved since 16, json a keyword since 16). `--engine server` on the Postgres 15 server failed
// after a clean replay ("pg_dump of the replayed migrations:10878:21: syntax error at or near \".\""), and so did a
// committed Postgres 15 snapshot ("not valid SQL ... expected the text output of pg_dump").
const project = tempProjects();
afterAll(async () => {
  expect(await leftovers()).toEqual([]);
});

const MIGRATION = `CREATE TABLE "system_user" (id bigint PRIMARY KEY, is_superadmin boolean NOT NULL DEFAULT false);
CREATE TABLE company (id bigint PRIMARY KEY, name text NOT NULL);
ALTER TABLE company ENABLE ROW LEVEL SECURITY;
CREATE POLICY company_select ON company FOR SELECT USING (EXISTS (SELECT 1 FROM "system_user" WHERE "system_user".is_superadmin));
CREATE FUNCTION settings_of("json" jsonb) RETURNS TABLE ("json" jsonb) LANGUAGE sql AS $$ SELECT $1 $$;
`;

// what pg_dump 15.20 -s -O writes for it (its \\restrict lines left out)
const dumpBy = (version: string) => `--
-- PostgreSQL database dump
--

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version ${version}

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

--
-- Name: settings_of(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.settings_of(json jsonb) RETURNS TABLE(json jsonb)
    LANGUAGE sql
    AS $_$ SELECT $1 $_$;

SET default_tablespace = '';
SET default_table_access_method = heap;

--
-- Name: company; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.company (
    id bigint NOT NULL,
    name text NOT NULL
);

--
-- Name: system_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.system_user (
    id bigint NOT NULL,
    is_superadmin boolean DEFAULT false NOT NULL
);

ALTER TABLE ONLY public.company
    ADD CONSTRAINT company_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.system_user
    ADD CONSTRAINT system_user_pkey PRIMARY KEY (id);

ALTER TABLE public.company ENABLE ROW LEVEL SECURITY;

--
-- Name: company company_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY company_select ON public.company FOR SELECT USING ((EXISTS ( SELECT 1
   FROM public.system_user
  WHERE system_user.is_superadmin)));

--
-- PostgreSQL database dump complete
--
`;

describe('a pg_dump 15 snapshot that writes system_user and json bare', () => {
  it('is read, and the migrations that match it are clean', async () => {
    const p = project({ 'migrations/001_init.sql': MIGRATION, 'schema.sql': dumpBy('15.20 (Debian 15.20-0+deb12u1)') });
    const result = await check({ cwd: p.root, snapshot: 'schema.sql', lint: false });
    expect(result.migrationFailures).toEqual([]);
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('still tells a policy that differs, at its line of the snapshot', async () => {
    const p = project({ 'migrations/001_init.sql': MIGRATION.replace('WHERE "system_user".is_superadmin', 'WHERE NOT "system_user".is_superadmin'), 'schema.sql': dumpBy('15.20') });
    const result = await check({ cwd: p.root, snapshot: 'schema.sql', lint: false });
    expect(result.drift.map((item) => item.name)).toEqual(['public.company.company_select']);
    expect(result.drift[0].source.snapshot).toMatchObject({ file: 'schema.sql', line: 55 });
  });

  it('a pg_dump 17 text with the word bare is refused as before: pg_dump 17 would have quoted it', async () => {
    const p = project({ 'migrations/001_init.sql': MIGRATION, 'schema.sql': dumpBy('17.6') });
    await expect(check({ cwd: p.root, snapshot: 'schema.sql', lint: false })).rejects.toThrow(/schema\.sql:18:41: not valid SQL: syntax error at or near "jsonb"/);
  });
});

describe('a Supabase project with a system_user table, replayed on the server engine', () => {
  serverTest('the replay is read back and documented (on a Postgres 15 server, its pg_dump writes the word bare)', async () => {
    const p = project({
      'supabase/migrations/20260216200000_system_user.sql': `CREATE TABLE public.system_user (
  auth_user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  is_superadmin boolean NOT NULL DEFAULT false
);
CREATE TABLE public.company (id bigint PRIMARY KEY, name text NOT NULL);
ALTER TABLE public.company ENABLE ROW LEVEL SECURITY;
CREATE POLICY company_select ON public.company FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.system_user WHERE public.system_user.auth_user_id = auth.uid() AND public.system_user.is_superadmin));
`,
    });
    await docs({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL });
    const page = readFileSync(path.join(p.root, 'docs', 'schema', 'tables', 'public.company.md'), 'utf8');
    expect(page).toContain('company_select');
  });
});
