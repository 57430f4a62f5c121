import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { init } from '../../src/commands/init.js';
import { snapshot } from '../../src/commands/snapshot.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Supabase's declarative schemas (supabase.com/docs/guides/local-development/declarative-database-schemas): the
 * desired schema is hand-written SQL in supabase/schemas/*.sql, and `supabase db diff -f` writes the migrations from
 * it. With no snapshot configured, check compares the migrations with those files, loaded in the CLI's order
 * (supabase/cli internal/db/diff/diff.go loadDeclaredSchemas) after the platform baseline, and drift names the schema
 * file and line that declares the object.
 */
const project = tempProjects();

const PROFILES = `-- profiles of users
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text unique,
  created_at timestamptz not null default now()
);

alter table public.profiles enable row level security;

create policy "read own" on public.profiles for select to authenticated using (auth.uid() = id);
`;

const POSTS = `create table public.posts (
  id bigint generated always as identity primary key,
  author uuid not null references public.profiles (id),
  title text not null,
  published boolean default false
);

create index posts_author_idx on public.posts (author);
`;

// what `supabase db diff -f` writes from them: pg_dump's words, one migration per change
const MIGRATIONS = {
  'supabase/migrations/20250101000000_profiles.sql': `create table "public"."profiles" (
  "id" uuid not null,
  "username" text,
  "created_at" timestamp with time zone not null default now()
);
alter table "public"."profiles" enable row level security;
CREATE UNIQUE INDEX profiles_pkey ON public.profiles USING btree (id);
CREATE UNIQUE INDEX profiles_username_key ON public.profiles USING btree (username);
alter table "public"."profiles" add constraint "profiles_pkey" PRIMARY KEY using index "profiles_pkey";
alter table "public"."profiles" add constraint "profiles_id_fkey" FOREIGN KEY (id) REFERENCES auth.users(id) ON DELETE CASCADE;
alter table "public"."profiles" add constraint "profiles_username_key" UNIQUE using index "profiles_username_key";
create policy "read own" on "public"."profiles" as permissive for select to authenticated using ((auth.uid() = id));
`,
  'supabase/migrations/20250102000000_posts.sql': `create table "public"."posts" (
  "id" bigint generated always as identity not null,
  "author" uuid not null,
  "title" text not null,
  "published" boolean default false
);
CREATE UNIQUE INDEX posts_pkey ON public.posts USING btree (id);
CREATE INDEX posts_author_idx ON public.posts USING btree (author);
alter table "public"."posts" add constraint "posts_pkey" PRIMARY KEY using index "posts_pkey";
alter table "public"."posts" add constraint "posts_author_fkey" FOREIGN KEY (author) REFERENCES public.profiles(id);
`,
};

const FILES = {
  'supabase/config.toml': 'project_id = "x"\n',
  'supabase/schemas/profiles.sql': PROFILES,
  'supabase/schemas/tables/posts.sql': POSTS,
  ...MIGRATIONS,
};

describe('Supabase declarative schemas as the snapshot', () => {
  it('migrations that produce the schema files are clean; the files are loaded in the CLI order (walk, sorted by path)', async () => {
    const p = project(FILES);
    const result = await check({ cwd: p.root, lint: false, engine: 'pglite' });
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.snapshot.path).toBe('supabase/schemas/');
    // below the folder too, sorted by the whole path: profiles.sql before tables/posts.sql (which references profiles)
    expect(result.snapshot.handWritten?.files).toEqual(['supabase/schemas/profiles.sql', 'supabase/schemas/tables/posts.sql']);
  }, 120_000);

  it('a column missing from the migrations is drift at the line of the schema file that declares it', async () => {
    const p = project({ ...FILES, 'supabase/migrations/20250102000000_posts.sql': MIGRATIONS['supabase/migrations/20250102000000_posts.sql'].replace(',\n  "published" boolean default false', '') });
    const result = await check({ cwd: p.root, lint: false, engine: 'pglite' });
    expect(result.exitCode).toBe(1);
    expect(result.drift.map((item) => ({ name: item.name, change: item.change, snapshot: item.source.snapshot }))).toEqual([
      { name: 'public.posts.published', change: 'removed', snapshot: { file: 'supabase/schemas/tables/posts.sql', line: 1 } },
    ]);
  }, 120_000);

  it('schema_paths of supabase/config.toml sets the order: a file that needs another first loads after it', async () => {
    const files = {
      ...MIGRATIONS,
      // by name, a_posts.sql would load first and fail (profiles does not exist yet)
      'supabase/schemas/a_posts.sql': POSTS,
      'supabase/schemas/b_profiles.sql': PROFILES,
    };
    const ordered = project({ ...files, 'supabase/config.toml': '[db.migrations]\nschema_paths = ["./schemas/b_profiles.sql", "./schemas/*.sql"]\n' });
    const result = await check({ cwd: ordered.root, lint: false, engine: 'pglite' });
    expect(result.snapshot.handWritten?.files).toEqual(['supabase/schemas/b_profiles.sql', 'supabase/schemas/a_posts.sql']);
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);

    // without schema_paths: by name, and the CLI fails on a_posts.sql as the load does, at its file and line
    const unordered = project({ ...files, 'supabase/config.toml': 'project_id = "x"\n' });
    const error = (await check({ cwd: unordered.root, lint: false, engine: 'pglite' }).catch((e: unknown) => e)) as { message: string; exitCode: number };
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^supabase\/schemas\/a_posts\.sql:1:1: the schema file supabase\/schemas\/a_posts\.sql does not load .*relation "public\.profiles" does not exist/);
  }, 120_000);

  it('pgflow-like layout: numbered schema files outside supabase/ named by "snapshot" (a folder, or a list of globs)', async () => {
    const files = {
      'pkgs/core/supabase/config.toml': 'project_id = "core"\n',
      'pkgs/core/schemas/0010_extensions.sql': 'create extension if not exists pgcrypto with schema extensions;\n',
      'pkgs/core/schemas/0020_schemas.sql': 'create schema if not exists flow;\n',
      'pkgs/core/schemas/0040_types.sql': "create type flow.run_status as enum ('started', 'completed');\n",
      'pkgs/core/schemas/0050_tables.sql': 'create table flow.runs (\n  id uuid primary key default extensions.gen_random_uuid(),\n  status flow.run_status not null default \'started\'\n);\n',
      // a later file's IF NOT EXISTS of what an earlier file made is the set's own: not refused as shadowed
      'pkgs/core/schemas/0060_again.sql': 'create table if not exists flow.runs (id uuid);\n',
      'pkgs/core/supabase/migrations/20250429164909_initial.sql':
        "create schema if not exists flow;\ncreate type flow.run_status as enum ('started', 'completed');\ncreate table flow.runs (id uuid primary key default extensions.gen_random_uuid(), status flow.run_status not null default 'started');\n",
    };
    const byFolder = project({ ...files, 'pkgs/core/pgdrift.config.json': JSON.stringify({ snapshot: 'schemas' }) });
    const folder = await check({ cwd: path.join(byFolder.root, 'pkgs/core'), lint: false, engine: 'pglite' });
    expect(folder.drift).toEqual([]);
    expect(folder.snapshot.handWritten?.files).toHaveLength(5);

    const byList = project({ ...files, 'pkgs/core/pgdrift.config.json': JSON.stringify({ snapshot: ['schemas/0050_tables.sql', 'schemas/00[0-4]*.sql'] }) });
    // the list's order: 0050 first needs the type and schema: it fails there, never loads in name order behind the user's back
    const error = (await check({ cwd: path.join(byList.root, 'pkgs/core'), lint: false, engine: 'pglite' }).catch((e: unknown) => e)) as { message: string };
    expect(error.message).toMatch(/^schemas\/0050_tables\.sql:\d+:\d+: the schema file/);

    // a pattern that matches nothing is a mistake in pgdrift's own config, not a smaller snapshot
    const typo = project({ ...files, 'pkgs/core/pgdrift.config.json': JSON.stringify({ snapshot: ['schemas/*.sql', 'schema/extra/*.sql'] }) });
    await expect(check({ cwd: path.join(typo.root, 'pkgs/core'), lint: false, engine: 'pglite' })).rejects.toThrow(/"schema\/extra\/\*\.sql" matches no file/);
  }, 120_000);

  it("a schema file the CLI's statement splitter cuts otherwise than Postgres is refused at the piece, as the CLI fails there", async () => {
    // the CLI applies each schema file as a migration (SeedGlobals → ExecBatch): its splitter ends E'it\\'s' at the backslash
    const p = project({ ...FILES, 'supabase/schemas/tables/posts.sql': POSTS + "comment on table public.posts is E'it\\'s; posts';\n" });
    const error = (await check({ cwd: p.root, lint: false, engine: 'pglite' }).catch((e: unknown) => e)) as { message: string; exitCode: number };
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^supabase\/schemas\/tables\/posts\.sql:9:\d+: the Supabase CLI splits this file into statements with its own reader/);
  }, 120_000);

  it('init says it found the declarative schema files and leaves "snapshot" out, so check follows schema_paths', async () => {
    const p = project({ ...FILES, 'supabase/config.toml': '[db.migrations]\nschema_paths = ["./schemas/profiles.sql", "./schemas/**/*.sql"]\n' });
    const result = await init({ cwd: p.root, skipLint: true });
    expect(result.config.snapshot).toBeUndefined();
    expect(result.detected.schemaFiles).toEqual({ origin: 'supabase/config.toml [db.migrations] schema_paths', files: ['supabase/schemas/profiles.sql', 'supabase/schemas/tables/posts.sql'] });
    expect(result.nextSteps.some((step) => step.startsWith('pgdrift check'))).toBe(true);
  });

  it('pgdrift snapshot never writes the schema files (nor a pg_dump snapshot that check would then take instead)', async () => {
    const p = project(FILES);
    const before = readFileSync(path.join(p.root, 'supabase/schemas/profiles.sql'), 'utf8');
    await expect(snapshot({ cwd: p.root, engine: 'pglite', force: true })).rejects.toThrow(/the snapshot is the 2 hand-written schema files of supabase\/schemas\/.*pgdrift snapshot never writes them/);
    expect(readFileSync(path.join(p.root, 'supabase/schemas/profiles.sql'), 'utf8')).toBe(before);
    expect(existsSync(path.join(p.root, 'docs'))).toBe(false);
    expect(readdirSync(path.join(p.root, 'supabase/schemas')).sort()).toEqual(['profiles.sql', 'tables']);
  });
});
