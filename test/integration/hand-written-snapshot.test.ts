import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { diff } from '../../src/commands/diff.js';
import { runCli } from '../helpers/cli.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/**
 * A schema.sql written by hand next to the migrations (field: vercel/nextjs-subscription-payments, 37 differences
 * against migrations identical to it) says what pg_dump says in other words: `serial`, `int`/`int4`, inline
 * REFERENCES / UNIQUE / CHECK whose names Postgres picks, unqualified names, a policy, a default. check loads such
 * a file into a throwaway database after the same baseline and compares pg_dump's text of it.
 */
const project = tempProjects();

// the migrations: pg_dump's words, spread over two files
const MIGRATIONS = {
  'migrations/001_init.sql': `CREATE TABLE public.teams (
    id integer NOT NULL,
    name text NOT NULL
);
CREATE SEQUENCE public.teams_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.teams_id_seq OWNED BY public.teams.id;
ALTER TABLE ONLY public.teams ALTER COLUMN id SET DEFAULT nextval('public.teams_id_seq'::regclass);
ALTER TABLE ONLY public.teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.teams ADD CONSTRAINT teams_name_key UNIQUE (name);
`,
  'migrations/002_members.sql': `CREATE TABLE public.members (
    id bigint NOT NULL,
    team_id integer,
    age integer,
    status character varying(20) DEFAULT 'active'::character varying NOT NULL,
    CONSTRAINT members_age_check CHECK ((age >= 0))
);
ALTER TABLE ONLY public.members ADD CONSTRAINT members_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.members ADD CONSTRAINT members_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;
ALTER TABLE public.members ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_by_team ON public.members FOR SELECT USING ((team_id IS NOT NULL));
`,
};

// the same schema, as a person writes it
const HAND_WRITTEN = `-- our schema, kept by hand
create table teams (
  id serial primary key,
  name text not null unique
);

create table members (
  id int8 primary key,
  team_id int4 references teams on delete cascade,
  age int check (age >= 0),
  status varchar(20) not null default 'active'
);
alter table members enable row level security;
create policy members_by_team on members for select using (team_id is not null);
`;

describe('check against a hand-written schema file (no pg_dump header)', () => {
  it('the same schema in other words is clean, and the result says the file was loaded through the engine', async () => {
    const p = project({ ...MIGRATIONS, 'schema.sql': HAND_WRITTEN });
    const result = await check({ cwd: p.root, snapshot: 'schema.sql', lint: false, engine: 'pglite' });
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.snapshot.handWritten).toEqual({ engine: 'pglite', after: [] });
  }, 120_000);

  it('real drift is still reported (no false clean), at the hand-written file line', async () => {
    // the file says bigint and a default the migrations do not have; and a table the migrations never create
    const edited = HAND_WRITTEN.replace('  age int check', '  age bigint check').replace("default 'active'", "default 'new'") + '\ncreate table audit (id int);\n';
    const p = project({ ...MIGRATIONS, 'schema.sql': edited });
    const result = await check({ cwd: p.root, snapshot: 'schema.sql', lint: false, engine: 'pglite' });
    const items = result.drift.map((item) => ({ kind: item.kind, name: item.name, change: item.change, line: item.source.snapshot?.line }));
    expect(items).toEqual([
      { kind: 'table', name: 'public.audit', change: 'removed', line: 16 },
      { kind: 'column', name: 'public.members.age', change: 'changed', line: 7 },
      { kind: 'column', name: 'public.members.status', change: 'changed', line: 7 },
    ]);
    expect(result.drift.find((item) => item.name === 'public.members.age')?.details).toEqual([{ field: 'type', from: 'bigint', to: 'integer' }]);
    expect(result.drift.find((item) => item.name === 'public.members.age')?.source.migration).toMatchObject({ file: 'migrations/002_members.sql' });
    expect(result.exitCode).toBe(1);
  }, 120_000);

  it('a statement that does not load is an input error at its file:line:column (exit 2), never a comparison', async () => {
    const broken = HAND_WRITTEN.replace('references teams on delete cascade', 'references squads on delete cascade');
    const p = project({ ...MIGRATIONS, 'schema.sql': broken });
    const run = await runCli(['check', '--no-lint', '-C', p.root, '--snapshot', 'schema.sql']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('schema.sql:7:1: schema.sql is not pg_dump output, and it does not load into the pglite engine');
    expect(run.stderr).toContain('relation "squads" does not exist (42P01)');
    expect(run.stdout).not.toContain('no drift');
  }, 120_000);

  it('a migration that failed before a snapshot that does not load is said too, on both engines (the load error alone hid it)', async () => {
    const broken = HAND_WRITTEN.replace('references teams on delete cascade', 'references squads on delete cascade');
    const failing = { ...MIGRATIONS, 'migrations/003_broken.sql': 'CREATE TABLE public.broken (team int REFERENCES public.nosuch (id));\n' };
    const p = project({ ...failing, 'schema.sql': broken });
    for (const engine of [[], ['--engine', 'server', '--database-url', SERVER_URL]]) {
      const run = await runCli(['check', '--no-lint', '-C', p.root, '--snapshot', 'schema.sql', ...engine]);
      expect(run.code).toBe(2);
      const failed = run.stderr.indexOf('migrations/003_broken.sql:1:1 [42P01] relation "public.nosuch" does not exist');
      const loadError = run.stderr.indexOf('schema.sql:7:1: schema.sql is not pg_dump output, and it does not load');
      expect(failed, run.stderr).toBeGreaterThanOrEqual(0);
      expect(loadError, run.stderr).toBeGreaterThan(failed); // the first problem first
    }
  }, 180_000);

  it('a CREATE ... IF NOT EXISTS of a table a baseline file makes is refused at its line, never a no-op that compares clean', async () => {
    // the file says items has a NOT NULL name column; loaded after the baseline's items, the statement did nothing and
    // check said "no drift"
    const p = project({
      'baseline.sql': 'CREATE TABLE public.items (id int);\n',
      'migrations/001_t2.sql': 'CREATE TABLE t2 (id int);\n',
      'schema.sql': '-- the schema\nCREATE TABLE IF NOT EXISTS public.items (id int, name text NOT NULL);\nCREATE TABLE t2 (id int);\n',
    });
    const run = await runCli(['check', '--no-lint', '-C', p.root, '--baseline', 'baseline.sql', '--snapshot', 'schema.sql']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('schema.sql:2:1: this create table IF NOT EXISTS does nothing: public.items already exists after the baseline');
    expect(run.stdout).not.toContain('no drift');
  }, 120_000);

  it('a GRANT to a role the file does not create loads (the role is made for the load)', async () => {
    const p = project({ ...MIGRATIONS, 'schema.sql': `${HAND_WRITTEN}grant select on teams to reporting;\n` });
    const result = await check({ cwd: p.root, snapshot: 'schema.sql', lint: false, engine: 'pglite', includePrivileges: true });
    expect(result.drift.map((item) => ({ name: item.name, change: item.change }))).toEqual([{ name: 'GRANT SELECT ON public.teams TO reporting', change: 'removed' }]);
  }, 120_000);
});

describe('supabase: a hand-written schema.sql loads after the platform baseline', () => {
  // the shape of vercel/nextjs-subscription-payments: auth.users, auth.uid(), the supabase_realtime publication
  const INIT = `create table users (
  id uuid references auth.users not null primary key,
  full_name text
);
alter table users enable row level security;
create policy "Can view own user data." on users for select using (auth.uid() = id);
drop publication if exists supabase_realtime;
create publication supabase_realtime for table users;
`;
  const files = (schema: string) => ({ 'supabase/config.toml': 'project_id = "x"\n', 'supabase/migrations/20230530034630_init.sql': INIT, 'schema.sql': schema });

  it('the migration itself as schema.sql is clean', async () => {
    const p = project(files(INIT));
    const result = await check({ cwd: p.root, snapshot: 'schema.sql', lint: false, engine: 'pglite' });
    expect(result.drift).toEqual([]);
    expect(result.snapshot.handWritten?.after).toContain('pgdrift:supabase-platform-baseline.sql');
  }, 120_000);

  it('a policy that differs is drift', async () => {
    const p = project(files(INIT.replace('using (auth.uid() = id)', 'using (true)')));
    const result = await check({ cwd: p.root, snapshot: 'schema.sql', lint: false, engine: 'pglite' });
    expect(result.drift.map((item) => ({ kind: item.kind, name: item.name, change: item.change, line: item.source.snapshot?.line }))).toEqual([
      { kind: 'policy', name: 'public.users.Can view own user data.', change: 'changed', line: 6 },
    ]);
  }, 120_000);
});

describe('pgdrift snapshot never replaces a hand-written snapshot file unasked', () => {
  it('unchanged: nothing written; changed: refused (exit 2), the file kept; --force: replaced by pg_dump output', async () => {
    const p = project({ ...MIGRATIONS, 'schema.sql': HAND_WRITTEN });
    const file = path.join(p.root, 'schema.sql');
    const unchanged = await runCli(['snapshot', '--no-docs', '-C', p.root, '--snapshot', 'schema.sql']);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toContain('schema unchanged since schema.sql: nothing written');

    p.write('migrations/003_more.sql', 'ALTER TABLE public.teams ADD COLUMN slug text;\n');
    const refused = await runCli(['snapshot', '--no-docs', '-C', p.root, '--snapshot', 'schema.sql']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('schema.sql is a hand-written schema file (not pg_dump output) and the migrations differ from it (1 difference)');
    expect(readFileSync(file, 'utf8')).toBe(HAND_WRITTEN);

    const forced = await runCli(['snapshot', '--no-docs', '--force', '-C', p.root, '--snapshot', 'schema.sql']);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('-- PostgreSQL database dump');
    expect(readFileSync(file, 'utf8')).toContain('slug text');
  }, 180_000);

  it('with a dated glob, a new pg_dump snapshot is written beside it, and --keep 1 does not delete it', async () => {
    const p = project({ ...MIGRATIONS, 'db/schema-2024-01-01.sql': HAND_WRITTEN, 'migrations/003_more.sql': 'ALTER TABLE public.teams ADD COLUMN slug text;\n' });
    const run = await runCli(['snapshot', '--no-docs', '--keep', '1', '--date', '2025-01-01', '-C', p.root, '--snapshot', 'db/schema-*.sql']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wrote db/schema-2025-01-01.sql (previous: db/schema-2024-01-01.sql)');
    expect(run.stdout).not.toContain('pruned');
    expect(readFileSync(path.join(p.root, 'db/schema-2024-01-01.sql'), 'utf8')).toBe(HAND_WRITTEN);
  }, 180_000);
});

describe('diff compares a hand-written file as check does', () => {
  it('against the migrations folder, and two files in other words, are the same; a real difference stays', async () => {
    const p = project({ ...MIGRATIONS, 'schema.sql': HAND_WRITTEN, 'other.sql': HAND_WRITTEN.replace('id int8 primary key', 'id bigint not null primary key') });
    const withMigrations = await diff('schema.sql', 'migrations', { cwd: p.root, engine: 'pglite' });
    expect(withMigrations.drift).toEqual([]);
    expect(withMigrations.sides.a.handWritten).toEqual({ engine: 'pglite', after: [] });
    const twoFiles = await diff('schema.sql', 'other.sql', { cwd: p.root, engine: 'pglite' });
    expect(twoFiles.drift).toEqual([]);
    p.write('other.sql', HAND_WRITTEN.replace('name text not null unique', 'name text not null'));
    const different = await diff('schema.sql', 'other.sql', { cwd: p.root, engine: 'pglite' });
    expect(different.drift.map((item) => ({ name: item.name, change: item.change, line: item.source.snapshot?.line }))).toEqual([
      { name: 'public.teams.teams_name_key', change: 'removed', line: 2 },
    ]);
  }, 180_000);
});
