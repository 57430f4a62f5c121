import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { init } from '../../src/commands/init.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (Cap-go/capgo): the project commits `supabase db dump > supabase/schemas/prod.sql`, as Supabase's
 * declarative-schema guide has it. That script drops pg_dump's comment lines (no `-- PostgreSQL database dump` header),
 * so init found no snapshot and check advised `pgdrift snapshot`, which writes a new snapshot from the migrations and
 * leaves the team's dump unchecked. The dump is recognised by pg_dump's preamble line, which the script keeps.
 */
const project = tempProjects();

// what supabase db dump writes: blank lines where the comments were, the SETs, CREATE ... IF NOT EXISTS
const SUPABASE_DB_DUMP = `


SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET client_min_messages = warning;
SET row_security = off;


COMMENT ON SCHEMA "public" IS 'standard public schema';

SET default_tablespace = '';

SET default_table_access_method = "heap";


CREATE TABLE IF NOT EXISTS "public"."apps" (
    "id" bigint NOT NULL,
    "name" "text" NOT NULL
);


ALTER TABLE "public"."apps" OWNER TO "postgres";

RESET ALL;
`;

const FILES = {
  'supabase/config.toml': 'project_id = "x"\n',
  'supabase/migrations/20240101000000_apps.sql': 'create table apps (id bigint not null, name text not null);\n',
  'supabase/schemas/prod.sql': SUPABASE_DB_DUMP,
  // data and tests: never offered
  'supabase/seed.sql': "insert into apps values (1, 'x');\n",
  'supabase/tests/apps.sql': "select plan(1);\nselect has_table('apps');\n",
};

describe('a supabase db dump committed in supabase/schemas', () => {
  it('check: the hint names it and the flag that compares with it', async () => {
    const p = project(FILES);
    const error = await check({ cwd: p.root, lint: false }).catch((e: unknown) => e);
    const hint = (error as { hint?: string }).hint ?? '';
    expect(hint).toContain('--snapshot supabase/schemas/prod.sql');
    expect(hint).not.toContain('seed.sql');
  });

  it('init: takes it as the snapshot, and check against it is clean', async () => {
    const p = project(FILES);
    const initialized = await init({ cwd: p.root, skipLint: true });
    expect(initialized.config).toMatchObject({ snapshot: 'supabase/schemas/prod.sql' });
    const result = await check({ cwd: p.root, lint: false, engine: 'pglite' });
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
