import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { adminQuery, SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

/**
 * The supabase runner end to end, on real PGlite (and the local server where said): what a `supabase/migrations`
 * folder that `supabase db reset` applies needs from pgdrift's platform baseline and engine choice.
 */
const projects: Array<{ cleanup: () => void }> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

/** A snapshot written by `supabase db dump` leaves the platform schemas out: the README's ignore list for it. */
const CONFIG = JSON.stringify({ runner: 'supabase', ignore: ['auth', 'storage', 'extensions', 'supabase_functions', 'realtime'] });

/** The top of a pg_dump of a Supabase database whose platform schemas were left out (their extensions are kept). */
const SNAPSHOT_HEAD =
  '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version VERSION\n-- Dumped by pg_dump version VERSION\n\n' +
  'CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;\n\nCOMMENT ON EXTENSION pgcrypto IS \'cryptographic functions\';\n\n' +
  'CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;\n\nCOMMENT ON EXTENSION "uuid-ossp" IS \'generate universally unique identifiers (UUIDs)\';\n\n';

function supabaseProject(files: Record<string, string>) {
  const project = tempProject({
    'pgdrift.config.json': CONFIG,
    ...Object.fromEntries(Object.entries(files).map(([name, text]) => [name.startsWith('docs/') ? name : `supabase/migrations/${name}`, text])),
  });
  projects.push(project);
  return project;
}

describe('supabase: the embedded major', () => {
  it('a Postgres 15 snapshot replays on 17, not 16 (whose PGlite lacks the pgcrypto the platform baseline installs), and says why', async () => {
    const project = supabaseProject({
      '20240101000000_init.sql': 'create table public.notes (id bigint primary key);\n',
      'docs/architecture/schema-actual-2024-01-01.sql':
        SNAPSHOT_HEAD.replace('VERSION', '15.8') + 'CREATE TABLE public.notes (\n    id bigint NOT NULL\n);\n\nALTER TABLE ONLY public.notes\n    ADD CONSTRAINT notes_pkey PRIMARY KEY (id);\n',
    });
    const result = await runCli(['check', '--no-lint', '--format', 'json', '-C', project.root]);
    expect(result.stderr).toContain('the embedded Postgres 16 does not ship the extension pgcrypto, which the replay needs: replaying on 17');
    const report = JSON.parse(result.stdout);
    expect(report.engine).toMatchObject({ name: 'pglite', major: 17 });
    expect(report.migrationFailures).toEqual([]);
    expect(report.drift).toEqual([]);
    expect(result.code).toBe(0);
    // --pg 16 asked for explicitly still fails, naming the extension (exit 3)
    const explicit = await runCli(['check', '--no-lint', '--pg', '16', '-C', project.root]);
    expect(explicit.code).toBe(3);
    expect(explicit.stderr).toContain('the embedded Postgres 16 (PGlite 0.2.17) does not ship the extension pgcrypto');
  });

  it('with no snapshot header, supabase/config.toml [db] major_version is the major (supabase start runs that one)', async () => {
    // uuidv7() is new in Postgres 18: supabase db reset on major_version 17 fails at it, and so must the replay; a
    // supabase db dump has no "Dumped from" header, so the replay ran on 18 and said the history applies
    const files = {
      'pgdrift.config.json': JSON.stringify({ runner: 'supabase' }),
      'supabase/migrations/20240101000000_init.sql': 'create table public.notes (id uuid primary key default uuidv7());\n',
    };
    const on17 = tempProject({ ...files, 'supabase/config.toml': '[api]\nport = 54321\n\n[db]\nport = 54322\n# The database major version to use.\nmajor_version = 17\n\n[db.seed]\nenabled = true\n' });
    projects.push(on17);
    const result = await runCli(['dump', '--format', 'json', '-C', on17.root]);
    const report = JSON.parse(result.stdout);
    expect(report.engine).toMatchObject({ name: 'pglite', major: 17 });
    expect(report.migrationFailures[0]).toMatchObject({ file: 'supabase/migrations/20240101000000_init.sql', sqlstate: '42883' });
    expect(result.code).toBe(1);
    // 15, which the embedded engine lacks: the nearest newer one that ships the platform's pgcrypto, said with its source
    const on15 = tempProject({ ...files, 'supabase/migrations/20240101000000_init.sql': 'create table public.notes (id bigint primary key);\n', 'supabase/config.toml': '[db]\nmajor_version = 15\n' });
    projects.push(on15);
    const fifteen = await runCli(['dump', '--format', 'json', '-C', on15.root]);
    expect(fifteen.stderr).toContain('supabase/config.toml sets [db] major_version = 15, which the embedded engine lacks; the embedded Postgres 16 does not ship the extension pgcrypto');
    expect(JSON.parse(fifteen.stdout).engine).toMatchObject({ major: 17 });
  });
});

describe('supabase: the platform search_path ("$user", public, extensions)', () => {
  const UUID_TABLE = 'create extension if not exists "uuid-ossp";\ncreate table public.notes (\n  id uuid primary key default uuid_generate_v4(),\n  body text\n);\n';
  // usebasejump/basejump supabase/migrations/20240414161707_basejump-setup.sql:180 calls gen_random_bytes unqualified
  const TOKEN_FUNCTION =
    "create function public.new_token() returns text language sql as $$ select encode(gen_random_bytes(16), 'hex') $$;\ncreate table public.invites (token text not null default public.new_token());\n";

  it('unqualified functions of the platform extensions resolve on the embedded engine, also from a reused prefix state', async () => {
    const cache = tempProject();
    projects.push(cache);
    const project = supabaseProject({ '20240101000000_init.sql': UUID_TABLE });
    const env = { PGDRIFT_CACHE_DIR: cache.root };
    const first = await runCli(['dump', '--verbose', '-C', project.root], { env });
    expect(first.stderr).not.toContain('Failed migrations');
    expect(first.stderr).toContain('replay cache: miss, replaying 3 files'); // platform, bookkeeping, init; no file "leaves session state"
    expect(first.stderr).not.toContain('leaves session state');
    expect(first.stdout).toContain('id uuid DEFAULT extensions.uuid_generate_v4() NOT NULL');
    // an appended file starts from the saved state of the first three: the search_path is the engine's, not a file's
    project.write('supabase/migrations/20240102000000_tokens.sql', TOKEN_FUNCTION);
    const second = await runCli(['dump', '--verbose', '-C', project.root], { env });
    expect(second.stderr).toContain('replay cache: prefix hit, loaded the state after 3 of 4 files');
    expect(second.stderr).not.toContain('Failed migrations');
    expect(second.stdout).toContain('CREATE FUNCTION public.new_token()'); // its SQL body is checked when it is created
  });

  serverTest('and on the server engine (the replay role gets the setting, as the platform\'s postgres role has it)', async () => {
    const project = supabaseProject({ '20240101000000_init.sql': UUID_TABLE, '20240102000000_tokens.sql': TOKEN_FUNCTION });
    const result = await runCli(['dump', '--engine', 'server', '--database-url', SERVER_URL, '-C', project.root]);
    expect(result.stderr).not.toContain('Failed migrations');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('id uuid DEFAULT extensions.uuid_generate_v4() NOT NULL');
    expect(result.stdout).toContain('CREATE FUNCTION public.new_token()');
    // a role setting, not part of the schema: pg_dump writes no SET of it
    expect(result.stdout).not.toMatch(/search_path TO .*extensions/);
  });
});

describe('supabase: the supabase_realtime publication', () => {
  const MSGS = 'create table public.msgs (id int primary key);\nalter publication supabase_realtime add table public.msgs;\n';
  const TABLE = 'CREATE TABLE "public"."msgs" (\n    "id" integer NOT NULL\n);\n\nALTER TABLE ONLY "public"."msgs"\n    ADD CONSTRAINT "msgs_pkey" PRIMARY KEY ("id");\n\n';
  // what `supabase db dump` writes: the platform's CREATE PUBLICATION commented out, the tables added to it kept
  const PUBLICATION = '-- CREATE PUBLICATION "supabase_realtime" WITH (publish = \'insert, update, delete, truncate\');\n\nALTER PUBLICATION "supabase_realtime" ADD TABLE ONLY "public"."msgs";\n';

  it('exists before the migrations (Realtime\'s docs: alter publication supabase_realtime add table ...), and only the tables added to it are compared', async () => {
    const project = supabaseProject({
      '20240101000000_msgs.sql': MSGS,
      'docs/architecture/schema-actual-2024-01-01.sql': SNAPSHOT_HEAD.replace(/VERSION/g, '17.4') + TABLE + PUBLICATION,
    });
    const clean = await runCli(['check', '--no-lint', '--format', 'json', '-C', project.root]);
    const report = JSON.parse(clean.stdout);
    expect(report.migrationFailures).toEqual([]);
    expect(report.drift).toEqual([]);
    expect(clean.code).toBe(0);
    // a table added to the publication that the snapshot lacks is drift, folded under that table
    project.write('docs/architecture/schema-actual-2024-01-01.sql', SNAPSHOT_HEAD.replace(/VERSION/g, '17.4') + TABLE);
    const drifted = await runCli(['check', '--no-lint', '--format', 'json', '-C', project.root]);
    expect(drifted.code).toBe(1);
    const items = JSON.parse(drifted.stdout).drift;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'other', name: 'public.msgs', change: 'added' });
    expect(items[0].details.join(' ')).toContain('ALTER PUBLICATION supabase_realtime ADD TABLE ONLY public.msgs');
  });
});

describe('supabase: Realtime Authorization and Broadcast from the database (realtime.messages, realtime.broadcast_changes)', () => {
  // field report onlook-dev/onlook 0007_realtime_rls.sql: 3F000 schema "realtime" does not exist. The CLI runs
  // Realtime's migrations before the project's (supabase/cli internal/db/start/start.go initSchema15 → initRealtimeJob)
  const BROADCAST =
    'create table public.rooms (id uuid primary key);\n' +
    "create function public.room_changes() returns trigger language plpgsql security definer as $$\nbegin\n  perform realtime.broadcast_changes('room:' || coalesce(new.id, old.id)::text, tg_op, tg_op, tg_table_name, tg_table_schema, new, old);\n  return null;\nend\n$$;\n" +
    'create trigger rooms_broadcast after insert or update or delete on public.rooms for each row execute function public.room_changes();\n' +
    "create policy \"members receive\" on realtime.messages for select to authenticated using (realtime.topic() like 'room:%' and extension = 'broadcast');\n" +
    "create function public.ping() returns void language sql as $$ select realtime.send('{}'::jsonb, 'ping', 'room:1', false) $$;\n";

  it('a policy on realtime.messages and a trigger calling realtime.broadcast_changes apply (embedded engine)', async () => {
    const project = supabaseProject({ '20240101000000_rooms.sql': BROADCAST });
    const result = await runCli(['dump', '-C', project.root]);
    expect(result.stderr).not.toContain('3F000');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE POLICY "members receive" ON realtime.messages');
  }, 120_000);
});

describe('supabase: Supabase\'s own extensions (a squashed supabase db dump first migration)', () => {
  const DUMPED = 'CREATE EXTENSION IF NOT EXISTS "pg_net" WITH SCHEMA "extensions";\nCREATE TABLE IF NOT EXISTS "public"."notes" ("id" bigint NOT NULL);\n';

  serverTest('on the server engine the failure names Supabase\'s image, as the embedded engine does before any replay', async () => {
    const project = supabaseProject({ '20240101000000_remote_schema.sql': DUMPED });
    const result = await runCli(['dump', '--engine', 'server', '--database-url', SERVER_URL, '--format', 'json', '-C', project.root]);
    const [failure] = JSON.parse(result.stdout).migrationFailures;
    expect(failure).toMatchObject({ file: 'supabase/migrations/20240101000000_remote_schema.sql', line: 1, sqlstate: '0A000' });
    expect(failure.hint).toContain("pg_net is one of Supabase's own extensions, which a plain Postgres lacks: replay on Supabase's image, --engine docker --image supabase/postgres:");
    expect(result.code).toBe(1);
  });
});

describe('supabase: RESET ALL before each file, as the CLI sends it (pkg/migration/apply.go)', () => {
  // a pasted pg_dump empties the search_path for its session; the CLI's RESET ALL brings the platform's back
  const files = {
    '20240101000000_pasted_dump.sql': "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.a (id int PRIMARY KEY);\n",
    '20240102000000_next.sql': 'create table b (id uuid primary key default uuid_generate_v4());\n',
  };

  it('a setting a file changes does not reach the next file, and the platform search_path is back (embedded engine)', async () => {
    const project = supabaseProject(files);
    const result = await runCli(['dump', '--format', 'json', '-C', project.root, '--no-cache']);
    expect(JSON.parse(result.stdout).migrationFailures).toEqual([]);
    expect(result.code).toBe(0);
    const sql = await runCli(['dump', '-C', project.root]);
    expect(sql.stdout).toContain('CREATE TABLE public.b (');
  }, 120_000);

  serverTest('and on the server engine', async () => {
    const project = supabaseProject(files);
    const result = await runCli(['dump', '--format', 'json', '-C', project.root, '--engine', 'server', '--database-url', SERVER_URL]);
    expect(JSON.parse(result.stdout).migrationFailures).toEqual([]);
    expect(result.code).toBe(0);
  }, 120_000);
});

describe('supabase: each file is one pipeline, where only a first statement runs outside the transaction (file.go ExecBatch)', () => {
  // measured on Postgres 15 with the CLI's batch: a first CREATE INDEX CONCURRENTLY applies and commits on its own; a
  // later one fails with 25001 and the whole batch rolls back (field report: 0xsend/sendapp's 25 single-index files)
  const files = {
    '20240101000000_t.sql': 'create table t (a int);\n',
    '20240102000000_index.sql': '-- the index first\ncreate index concurrently t_a on t (a);\ncreate table u (id int);\n',
    '20240103000000_late_index.sql': 'create table v (id int);\ncreate index concurrently v_id on v (id);\n',
  };
  const expectations = (json: { migrationFailures: Array<{ file: string; line: number; sqlstate: string }> }, sql: string) => {
    expect(json.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['supabase/migrations/20240103000000_late_index.sql', 2, '25001']]);
    expect(sql).toContain('CREATE INDEX t_a ON public.t');
    expect(sql).toContain('CREATE TABLE public.u (');
    expect(sql).not.toContain('CREATE TABLE public.v (');
  };

  it('embedded engine; and lint reports the late one only', async () => {
    const project = supabaseProject(files);
    const json = await runCli(['dump', '--format', 'json', '--keep-going', '-C', project.root, '--no-cache']);
    const sql = await runCli(['dump', '--keep-going', '-C', project.root]);
    expectations(JSON.parse(json.stdout), sql.stdout);
    const lint = await runCli(['lint', '--format', 'json', '-C', project.root]);
    const findings = JSON.parse(lint.stdout).findings.filter((f: { rule: string }) => f.rule === 'concurrent-index-in-transaction');
    expect(findings.map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([['supabase/migrations/20240103000000_late_index.sql', 2]]);
  }, 120_000);

  serverTest('and on the server engine', async () => {
    const project = supabaseProject(files);
    const json = await runCli(['dump', '--format', 'json', '--keep-going', '-C', project.root, '--engine', 'server', '--database-url', SERVER_URL]);
    const sql = await runCli(['dump', '--keep-going', '-C', project.root, '--engine', 'server', '--database-url', SERVER_URL]);
    expectations(JSON.parse(json.stdout), sql.stdout);
  }, 120_000);
});

describe("supabase: the CLI's own statement splitter (pkg/parser), whose pieces are sent one by one", () => {
  it("a backslash-escaped quote in E'' and an END inside a word of a BEGIN ATOMIC body fail where the CLI cuts; dump, check and lint say so", async () => {
    const project = supabaseProject({
      '20240101000000_t.sql': "create table t (note text);\ncomment on table t is E'ok\\nfine';\n",
      '20240102000000_escape.sql': "create table u (id int);\ncomment on table u is E'it\\'s; done';\ncreate table w (id int);\n",
      '20240103000000_atomic.sql': 'create function f() returns int language sql\nbegin atomic\n  select 1 as legend;\nend;\n',
    });
    const json = JSON.parse((await runCli(['dump', '--format', 'json', '--keep-going', '-C', project.root, '--no-cache'])).stdout);
    const failures = json.migrationFailures.map((f: { file: string; line: number; column: number; sqlstate: string; message: string }) => [f.file, f.line, f.column, f.sqlstate, f.message]);
    expect(failures).toEqual([
      // the string ends at \' for the CLI, which cuts the statement at the ; after it
      ['supabase/migrations/20240102000000_escape.sql', 2, 23, '42601', expect.stringContaining(`sends "comment on table u is E'it\\\\'s" as one statement, and Postgres refuses it: unterminated quoted string`)],
      // the BEGIN ATOMIC body ends at the "end" of "legend" for the CLI, which cuts the statement at the ; after it
      ['supabase/migrations/20240103000000_atomic.sql', 3, 21, '42601', expect.stringContaining('sends "create function f() returns int language sql\\nbegin atomic\\n  select 1 as legend" as one statement, and Postgres refuses it: syntax error at end of input')],
    ]);
    const lint = JSON.parse((await runCli(['lint', '--format', 'json', '-C', project.root])).stdout);
    expect(lint.findings.filter((f: { rule: string }) => f.rule === 'runner-refuses').map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([
      ['supabase/migrations/20240102000000_escape.sql', 2],
      ['supabase/migrations/20240103000000_atomic.sql', 3],
    ]);
  }, 120_000);
});

describe('supabase: storage.buckets as the platform has it', () => {
  // field: shreyastotm/into-the-wild 20250203000000_fix_trek_assets_bucket.sql failed with 42703 column
  // "avif_autodetection" of relation "buckets" does not exist (supabase/storage 0011-add-automatic-avif-detection-flag.sql)
  it('a migration that creates a bucket with avif_autodetection applies', async () => {
    const p = tempProject({
      'supabase/migrations/20250203000000_bucket.sql':
        "INSERT INTO storage.buckets (id, name, public, avif_autodetection, file_size_limit, allowed_mime_types)\nVALUES ('assets', 'assets', true, true, 10485760, '{\"image/*\"}')\nON CONFLICT (id) DO UPDATE SET avif_autodetection = true;\n",
    });
    projects.push(p);
    const result = await runCli(['dump', '--format', 'json', '-C', p.root]);
    expect(JSON.parse(result.stdout).migrationFailures).toEqual([]);
    expect(result.code).toBe(0);
  }, 120_000);
});

describe('supabase: a snapshot written by supabase db dump', () => {
  // what the CLI's dump_schema.sh makes of pg_dump's output: IF NOT EXISTS added, every identifier quoted, the
  // comment lines dropped (pg_dump's preamble kept), the platform schemas (auth, storage, extensions...) left out,
  // extension comments commented
  const SUPABASE_DUMP =
    'SET statement_timeout = 0;\nSET client_encoding = \'UTF8\';\nSELECT pg_catalog.set_config(\'search_path\', \'\', false);\n\n' +
    'CREATE EXTENSION IF NOT EXISTS "pgcrypto" WITH SCHEMA "extensions";\n\n-- COMMENT ON EXTENSION "pgcrypto" IS \'cryptographic functions\';\n\n' +
    'CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA "extensions";\n\n' +
    'CREATE TABLE IF NOT EXISTS "public"."notes" (\n    "id" bigint NOT NULL,\n    "owner" "uuid"\n);\n\n' +
    'ALTER TABLE ONLY "public"."notes"\n    ADD CONSTRAINT "notes_pkey" PRIMARY KEY ("id");\n\n' +
    'ALTER TABLE ONLY "public"."notes"\n    ADD CONSTRAINT "notes_owner_fkey" FOREIGN KEY ("owner") REFERENCES "auth"."users"("id");\n';
  const MIGRATION = 'create table public.notes (id bigint primary key, owner uuid references auth.users (id));\n';

  function project(migration: string) {
    const p = tempProject({ 'supabase/migrations/20240101000000_init.sql': migration, 'supabase/schema.sql': SUPABASE_DUMP, 'pgdrift.config.json': JSON.stringify({ snapshot: 'supabase/schema.sql' }) });
    projects.push(p);
    return p;
  }

  it('is compared without the platform schemas it leaves out, with no ignore list to write: clean', async () => {
    const result = await runCli(['check', '--no-lint', '--format', 'json', '-C', project(MIGRATION).root]);
    expect(JSON.parse(result.stdout).drift).toEqual([]);
    expect(result.code).toBe(0);
  }, 120_000);

  // field: bobleung/next-supabase-base supabase/schema_dump.sql lists pg_net, which no migration creates: `supabase
  // start` loads the CLI's webhook.sql (its first statement creates pg_net in extensions) into every local database
  // before the migrations (supabase/cli@1d1e719 apps/cli-go/internal/db/start/start.go: initialSchema + webhookSchema)
  it('pg_net, which supabase start creates in every local database, is not compared against such a dump', async () => {
    const p = project(MIGRATION);
    p.write('supabase/schema.sql', SUPABASE_DUMP.replace('CREATE EXTENSION IF NOT EXISTS "pgcrypto"', 'CREATE EXTENSION IF NOT EXISTS "pg_net" WITH SCHEMA "extensions";\n\nCREATE EXTENSION IF NOT EXISTS "pgcrypto"'));
    const result = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    expect(JSON.parse(result.stdout).drift).toEqual([]);
    expect(result.code).toBe(0);
  }, 120_000);

  // field: bobleung/next-supabase-base: every expression difference against its supabase db dump came back
  // "unconfirmed" (the reload failed: "does not ship the extensions pg_graphql, pg_net, pgjwt, pgsodium,
  // supabase_vault"), so Postgres re-printing the same expression could never be told from real drift
  it('a difference in expression text is confirmed by reloading the dump after the platform baseline, without the platform\'s extensions', async () => {
    const migration = 'create table public.items (id bigint primary key, price numeric check (price > 0), owner uuid references auth.users (id));\n' +
      'alter table public.items enable row level security;\ncreate policy "own items" on public.items for select using (auth.uid() = owner);\n';
    const dump = (check: string, using: string) =>
      'SET statement_timeout = 0;\nSELECT pg_catalog.set_config(\'search_path\', \'\', false);\n\n' +
      'CREATE EXTENSION IF NOT EXISTS "pg_graphql" WITH SCHEMA "graphql";\n\n' +
      'CREATE EXTENSION IF NOT EXISTS "pg_net" WITH SCHEMA "extensions";\n\n' +
      `CREATE TABLE IF NOT EXISTS "public"."items" (\n    "id" bigint NOT NULL,\n    "price" numeric,\n    "owner" "uuid",\n    CONSTRAINT "items_price_check" CHECK (${check})\n);\n\n` +
      'ALTER TABLE ONLY "public"."items"\n    ADD CONSTRAINT "items_pkey" PRIMARY KEY ("id");\n\n' +
      'ALTER TABLE ONLY "public"."items"\n    ADD CONSTRAINT "items_owner_fkey" FOREIGN KEY ("owner") REFERENCES "auth"."users"("id");\n\n' +
      `CREATE POLICY "own items" ON "public"."items" FOR SELECT USING (${using});\n\nALTER TABLE "public"."items" ENABLE ROW LEVEL SECURITY;\n`;
    // the same CHECK as another pg_dump could print it (no cast): Postgres stores `price > '0'::numeric` either way
    const p = project(migration);
    p.write('supabase/schema.sql', dump('("price" > 0)', '("auth"."uid"() = "owner")'));
    const same = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    const report = JSON.parse(same.stdout);
    expect(report.drift).toEqual([]);
    expect(report.unconfirmed).toBeUndefined();
    expect(same.code).toBe(0);
    // a real change is confirmed, not left "unconfirmed"
    p.write('supabase/schema.sql', dump('("price" >= (0)::numeric)', '("auth"."uid"() = "owner")'));
    const changed = JSON.parse((await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root])).stdout);
    expect(changed.drift.map((d: { name: string; confirmed?: boolean }) => [d.name, d.confirmed])).toEqual([['public.items.items_price_check', undefined]]);
    expect(changed.unconfirmed).toBeUndefined();
  }, 120_000);

  it('a migration\'s event trigger is not compared: the CLI comments out CREATE EVENT TRIGGER (its function still is)', async () => {
    const withTrigger =
      MIGRATION +
      'create function public.on_ddl() returns event_trigger language plpgsql as $$ begin end $$;\n' +
      'create event trigger t_ddl on ddl_command_end execute function public.on_ddl();\n';
    const p = project(withTrigger);
    p.write(
      'supabase/schema.sql',
      SUPABASE_DUMP +
        '\nCREATE OR REPLACE FUNCTION "public"."on_ddl"() RETURNS "event_trigger"\n    LANGUAGE "plpgsql"\n    AS $$ begin end $$;\n\n' +
        '-- CREATE EVENT TRIGGER "t_ddl" ON "ddl_command_end"\n--    EXECUTE FUNCTION "public"."on_ddl"();\n',
    );
    const result = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    // the whole report on failure: this once exited 1 with no drift in a full run (a cause not seen since)
    expect(JSON.parse(result.stdout).drift, result.stdout + result.stderr).toEqual([]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  }, 120_000);

  it('pgdrift snapshot compares as check does: the unchanged schema leaves the file alone (it rewrote it with the platform schemas)', async () => {
    const p = project(MIGRATION);
    const result = await runCli(['snapshot', '-C', p.root]);
    expect(result.stdout + result.stderr).not.toContain('wrote supabase/schema.sql');
    expect(readFileSync(path.join(p.root, 'supabase/schema.sql'), 'utf8')).toBe(SUPABASE_DUMP);
    expect(result.code).toBe(0);
    // a real change in public still writes it
    const changed = project(MIGRATION.replace('id bigint', 'id integer'));
    const again = await runCli(['snapshot', '-C', changed.root]);
    expect(again.stdout).toContain('wrote supabase/schema.sql');
    expect(again.stdout).toContain('public.notes');
    expect(again.stdout).not.toContain('auth.users');
    expect(again.code).toBe(0);
  }, 120_000);

  it('pgdrift diff of the migrations with it compares as check does: no difference', async () => {
    const p = project(MIGRATION);
    const result = await runCli(['diff', 'supabase/migrations', 'snapshot', '--format', 'json', '-C', p.root]);
    expect(JSON.parse(result.stdout).drift).toEqual([]);
    expect(result.code).toBe(0);
    const changed = await runCli(['diff', 'supabase/migrations', 'supabase/schema.sql', '--format', 'json', '-C', project(MIGRATION.replace('id bigint', 'id integer')).root]);
    expect(JSON.parse(changed.stdout).drift.map((d: { name: string }) => d.name)).toEqual(['public.notes.id']);
    expect(changed.code).toBe(1);
  }, 120_000);

  it('a dump made with --schema public (no extensions at all) and a webhook trigger (supabase_functions.http_request) are clean', async () => {
    // field report sizzle-squad/base-hunt: the platform's own extensions were drift, and a pulled remote schema's
    // Database Webhook failed (3F000: schema "supabase_functions" does not exist)
    const webhook = "create trigger notes_hook after insert on public.notes for each row execute function supabase_functions.http_request('https://example.invalid/hook', 'POST', '{}', '{}', '1000');\n";
    const p = project(MIGRATION + webhook);
    const publicOnly = SUPABASE_DUMP.split('\n\n').filter((block) => !block.includes('CREATE EXTENSION')).join('\n\n') +
      '\nCREATE OR REPLACE TRIGGER "notes_hook" AFTER INSERT ON "public"."notes" FOR EACH ROW EXECUTE FUNCTION "supabase_functions"."http_request"(\'https://example.invalid/hook\', \'POST\', \'{}\', \'{}\', \'1000\');\n';
    p.write('supabase/schema.sql', publicOnly);
    const result = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    const report = JSON.parse(result.stdout);
    expect(report.migrationFailures).toEqual([]);
    expect(report.drift).toEqual([]);
    expect(result.code).toBe(0);
  }, 120_000);

  it('what the migrations change in public is still drift', async () => {
    const result = await runCli(['check', '--no-lint', '--format', 'json', '-C', project(MIGRATION.replace('id bigint', 'id integer')).root]);
    expect(JSON.parse(result.stdout).drift.map((d: { name: string }) => d.name)).toEqual(['public.notes.id']);
    expect(result.code).toBe(1);
  }, 120_000);
});

describe('the platform baseline for another runner on Supabase (drizzle-kit writing into supabase/migrations)', () => {
  // field report onlook-dev/onlook: drizzle.config.ts `out: '../../apps/backend/supabase/migrations'`, applied by
  // `supabase start` and by `drizzle-kit migrate` on the Supabase database; its first migration references auth.users
  const MIGRATION = 'CREATE TABLE "profiles" ("id" uuid PRIMARY KEY NOT NULL);\n--> statement-breakpoint\nALTER TABLE "profiles" ADD CONSTRAINT "profiles_id_users_id_fk" FOREIGN KEY ("id") REFERENCES "auth"."users"("id") ON DELETE cascade;\n';
  const JOURNAL = JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1700000000000, tag: '0000_profiles', breakpoints: true }] });

  function drizzleProject(folder: string, config: Record<string, unknown>) {
    const project = tempProject({
      'pgdrift.config.json': JSON.stringify({ migrations: folder, ...config }),
      [`${folder}/0000_profiles.sql`]: MIGRATION,
      [`${folder}/meta/_journal.json`]: JOURNAL,
    });
    projects.push(project);
    return project;
  }

  it('is on in supabase/migrations: the drizzle replay has auth.users', async () => {
    const result = await runCli(['dump', '-C', drizzleProject('supabase/migrations', {}).root]);
    expect(result.stderr).not.toContain('3F000');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('REFERENCES auth.users(id)');
  }, 120_000);

  it('"platformBaseline": true turns it on elsewhere, and false off', async () => {
    const on = await runCli(['dump', '-C', drizzleProject('drizzle', { runner: 'drizzle', platformBaseline: true }).root]);
    expect(on.code).toBe(0);
    const off = await runCli(['dump', '-C', drizzleProject('supabase/migrations', { runner: 'drizzle', platformBaseline: false }).root]);
    expect(off.stderr).toContain('schema "auth" does not exist');
    expect(off.code).toBe(1);
  }, 120_000);
});

describe('supabase: supabase/roles.sql, the custom roles supabase start creates before the migrations', () => {
  // supabase/cli apps/cli-go/internal/db/start/start.go SetupDatabase → migration.SeedGlobals(supabase/roles.sql)
  const files = {
    'pgdrift.config.json': JSON.stringify({ runner: 'supabase' }),
    'supabase/roles.sql': 'create role "sweep_app_reader" nologin;\n',
    'supabase/migrations/20240101000000_init.sql': 'create table public.t (id int);\ngrant select on public.t to sweep_app_reader;\n',
  };
  it('a migration that grants to a role only roles.sql creates applies', async () => {
    const project = tempProject(files);
    projects.push(project);
    const result = await runCli(['dump', '-C', project.root]);
    expect(result.stderr).not.toContain('does not exist');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('GRANT SELECT ON TABLE public.t TO sweep_app_reader;');
  });
  serverTest('and on the server engine, leaving no role behind', async () => {
    const project = tempProject(files);
    projects.push(project);
    const result = await runCli(['dump', '--engine', 'server', '--database-url', SERVER_URL, '-C', project.root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('GRANT SELECT ON TABLE public.t TO sweep_app_reader;');
    expect(await adminQuery("select 1 from pg_roles where rolname = 'sweep_app_reader'")).toEqual([]);
  });
});

describe("supabase: the platform's default privileges in public (what supabase start grants to the API roles)", () => {
  // supabase/cli@1d1e719 apps/cli-go/internal/utils/templates/initial_schemas/14.sql: ALTER DEFAULT PRIVILEGES FOR ROLE
  // postgres IN SCHEMA public GRANT ALL ON TABLES|SEQUENCES|FUNCTIONS TO postgres, anon, authenticated, service_role;
  // internal/db/start/start.go ApplyApiPrivileges revokes part of them when [api] auto_expose_new_tables = false
  const migration = 'create table public.notes (id bigserial primary key);\ncreate function public.one() returns int language sql as $$ select 1 $$;\n';
  it('a table, its sequence and a function a migration creates are granted to anon, authenticated and service_role', async () => {
    const project = tempProject({ 'pgdrift.config.json': JSON.stringify({ runner: 'supabase' }), 'supabase/migrations/20240101000000_init.sql': migration });
    projects.push(project);
    const result = await runCli(['dump', '-C', project.root]);
    expect(result.code).toBe(0);
    for (const role of ['anon', 'authenticated', 'service_role']) {
      expect(result.stdout).toContain(`GRANT ALL ON TABLE public.notes TO ${role};`);
      expect(result.stdout).toContain(`GRANT ALL ON SEQUENCE public.notes_id_seq TO ${role};`);
      expect(result.stdout).toContain(`GRANT ALL ON FUNCTION public.one() TO ${role};`);
      expect(result.stdout).toContain(`ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT ALL ON TABLES TO ${role};`);
    }
    // a migration's REVOKE takes them away, as on the platform (before, it revoked nothing and the dump was the same)
    project.write('supabase/migrations/20240102000000_revoke.sql', 'revoke all on table public.notes from anon;\n');
    const revoked = await runCli(['dump', '-C', project.root]);
    expect(revoked.stdout).not.toContain('GRANT ALL ON TABLE public.notes TO anon;');
    expect(revoked.stdout).toContain('GRANT ALL ON TABLE public.notes TO authenticated;');
  });

  it('[api] auto_expose_new_tables = false revokes the data privileges first, as the CLI does', async () => {
    const project = tempProject({
      'pgdrift.config.json': JSON.stringify({ runner: 'supabase' }),
      'supabase/config.toml': '[api]\nenabled = true\nauto_expose_new_tables = false\n',
      'supabase/migrations/20240101000000_init.sql': migration,
    });
    projects.push(project);
    const result = await runCli(['dump', '-C', project.root]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('GRANT ALL ON TABLE public.notes TO anon;');
    expect(result.stdout).not.toContain('GRANT ALL ON FUNCTION public.one() TO anon;');
    expect(result.stdout).toMatch(/GRANT REFERENCES,TRIGGER,TRUNCATE(,MAINTAIN)? ON TABLE public\.notes TO anon;/);
  });
});

describe("supabase: GoTrue's and Storage's own tables, which supabase start migrates before the project's migrations", () => {
  // supabase/cli@1d1e719 apps/cli-go/internal/db/start/start.go initSchema15: `gotrue migrate` and Storage's
  // migrate-call run before apply.MigrateAndSeed. Field: Zeta611/easyword 20250815133736_remote_schema.sql (revoke ...
  // on "auth"."schema_migrations": 42P01), deebee-tech/deebee-dms (grant select on auth.identities: 42P01)
  it('a pulled remote_schema.sql that grants and revokes on them, a function reading auth.identities and a seed user with all of GoTrue\'s columns apply', async () => {
    const project = tempProject({
      'pgdrift.config.json': JSON.stringify({ runner: 'supabase' }),
      'supabase/migrations/20240101000000_remote_schema.sql':
        'revoke select on table "auth"."schema_migrations" from "postgres";\n' +
        'revoke delete on table "auth"."audit_log_entries" from "postgres";\n' +
        'grant select on table "auth"."one_time_tokens" to "service_role";\n' +
        'grant delete on table "storage"."s3_multipart_uploads_parts" to "postgres";\n' +
        'grant select on table "storage"."migrations" to "service_role";\n',
      'supabase/migrations/20240102000000_identities.sql':
        'create function public.providers(u uuid) returns setof text language sql security definer set search_path = \'\' as $$ select i.provider from auth.identities i join auth.sessions s using (user_id) where i.user_id = u $$;\n' +
        "insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, confirmation_sent_at, recovery_sent_at, email_change, email_change_token_new, reauthentication_token, created_at, updated_at) values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', 'a@example.com', '', now(), now(), now(), '', '', '', now(), now());\n",
    });
    projects.push(project);
    const result = await runCli(['dump', '-C', project.root]);
    expect(result.stderr).not.toContain('does not exist');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE FUNCTION public.providers(u uuid)');
  });

  // supabase/cli@1d1e719 pins supabase/gotrue:v2.189.0 and supabase/storage-api:v1.60.2 (pkg/config/templates/Dockerfile):
  // auth.oauth_clients (auth 20250731150234), storage.buckets_analytics (storage 0038), buckets.type (0044),
  // storage.protect_delete (0055); storage.prefixes is dropped again by 0052. Field:
  // salmanazamdev/nanbites-food-delivery-app 20250918102521_remote_schema.sql (revoke on "auth"."oauth_clients": 42P01)
  it("what the CLI's current GoTrue and Storage make applies; storage.prefixes, which Storage has dropped, fails with a hint", async () => {
    const project = tempProject({
      'pgdrift.config.json': JSON.stringify({ runner: 'supabase' }),
      'supabase/migrations/20250918000000_remote_schema.sql':
        'revoke delete on table "auth"."oauth_clients" from "postgres";\n' +
        'grant select on table "auth"."oauth_consents" to "service_role";\n' +
        'create policy "analytics read" on "storage"."buckets_analytics" as permissive for select to authenticated using (true);\n' +
        "insert into storage.buckets (id, name, public, type) values ('vectors', 'vectors', false, 'VECTOR');\n" +
        'create function public.user_is_anonymous(u uuid) returns boolean language sql stable as $$ select is_anonymous from auth.users where id = u $$;\n' +
        'create table public.files (id bigint primary key);\n' +
        'create trigger protect_files_delete before delete on public.files for each statement execute function storage.protect_delete();\n',
      'supabase/migrations/20250918000001_remote_schema.sql': 'revoke delete on table "storage"."prefixes" from "anon";\n',
    });
    projects.push(project);
    const result = await runCli(['dump', '-C', project.root]);
    expect(result.stderr).toContain('20250918000001_remote_schema.sql:1:1 [42P01] relation "storage.prefixes" does not exist');
    expect(result.stderr).toContain("storage.prefixes is gone from a current supabase start: Storage's migration 0052");
    expect(result.stderr).toContain('supabase/storage-api:v1.60.2');
    expect(result.stderr).not.toContain('20250918000000_remote_schema.sql:');
  });

  // field: cleinerfaria/monorepo_synia 20260216024608_remote_schema.sql, pulled from a project on a newer Storage than
  // the puller's CLI: storage 0055-prevent-direct-deletes.sql makes these triggers, so supabase db reset fails here now
  it("a pulled trigger Storage's own migrations already make fails as supabase db reset does, with a hint naming the versions", async () => {
    const project = tempProject({
      'pgdrift.config.json': JSON.stringify({ runner: 'supabase' }),
      'supabase/migrations/20260216024608_remote_schema.sql': 'CREATE TRIGGER protect_buckets_delete BEFORE DELETE ON storage.buckets FOR EACH STATEMENT EXECUTE FUNCTION storage.protect_delete();\n',
    });
    projects.push(project);
    const result = await runCli(['dump', '-C', project.root]);
    expect(result.stderr).toContain('[42710] trigger "protect_buckets_delete" for relation "buckets" already exists');
    expect(result.stderr).toContain("GoTrue's and Storage's own migrations make it before the project's migrations (pgdrift's platform baseline stands for supabase/gotrue:v2.189.0");
  });
});
