import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { docs } from '../../src/commands/docs.js';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

/**
 * Every runner creates its bookkeeping table before it applies the first migration (field test: goharbor/harbor
 * alters golang-migrate's `schema_migrations` in a migration). The replay creates it first too, with the runner's DDL.
 */
const projects: ReturnType<typeof tempProject>[] = [];
const project = (files: Record<string, string>) => {
  const p = tempProject(files);
  projects.push(p);
  return p;
};

beforeAll(() => loadSqlParser());
afterAll(() => {
  for (const p of projects) p.cleanup();
});

describe('a migration that uses the runner table', () => {
  it('golang-migrate: ALTER TABLE schema_migrations (goharbor/harbor 0030_2.0.0_schema.up.sql:22) applies, as with golang-migrate', async () => {
    const p = project({
      'migrations/1_init.up.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
      'migrations/1_init.down.sql': 'DROP TABLE t;\n',
      'migrations/2_bookkeeping.up.sql': 'ALTER TABLE schema_migrations ADD COLUMN data_version int;\nCREATE TABLE u (id int PRIMARY KEY);\n',
      'migrations/2_bookkeeping.down.sql': 'DROP TABLE u;\n',
    });
    const result = await dump({ cwd: p.root, migrations: 'migrations', engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.schema_migrations (\n    version bigint NOT NULL,\n    dirty boolean NOT NULL,\n    data_version integer\n);');
    expect(result.sql).toContain('CREATE TABLE public.u (');
  });

  it('dbmate: a migration creating its own schema_migrations fails with 42P07 at its file:line, as dbmate fails', async () => {
    const p = project({
      'db/migrations/20240101000000_own_table.sql': '-- migrate:up\nCREATE TABLE schema_migrations (id serial PRIMARY KEY, name text);\n-- migrate:down\nDROP TABLE schema_migrations;\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate, f.message])).toEqual([
      ['db/migrations/20240101000000_own_table.sql', 2, 1, '42P07', 'relation "schema_migrations" already exists'],
    ]);
  });

  it('a baseline file that already creates the table is used as it is: the runner looks for its table first', async () => {
    const p = project({
      'baseline.sql': 'CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL);\n',
      'migrations/1_init.sql': '-- +goose Up\nCREATE TABLE t (id int PRIMARY KEY);\n',
    });
    const result = await dump({ cwd: p.root, baseline: ['baseline.sql'], engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('id integer NOT NULL,\n    version_id bigint NOT NULL,\n    is_applied boolean NOT NULL\n);'); // the baseline's
  });
});

/** Each runner's table with its columns (name, type, NOT NULL), as the runner's DDL gives them on a new database. */
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'runners');
const EXPECTED: Record<string, { table: string; columns: string[] } | undefined> = {
  'golang-migrate': { table: 'public.schema_migrations', columns: ['version bigint not null', 'dirty boolean not null'] },
  dbmate: { table: 'public.schema_migrations', columns: ['version character varying not null'] },
  sqlx: {
    table: 'public._sqlx_migrations',
    columns: [
      'version bigint not null',
      'description text not null',
      'installed_on timestamp with time zone not null',
      'success boolean not null',
      'checksum bytea not null',
      'execution_time bigint not null',
    ],
  },
  goose: {
    table: 'public.goose_db_version',
    columns: ['id integer not null', 'version_id bigint not null', 'is_applied boolean not null', 'tstamp timestamp without time zone not null'],
  },
  flyway: {
    table: 'public.flyway_schema_history',
    columns: [
      'installed_rank integer not null',
      'version character varying(50)',
      'description character varying(200) not null',
      'type character varying(20) not null',
      'script character varying(1000) not null',
      'checksum integer',
      'installed_by character varying(100) not null',
      'installed_on timestamp without time zone not null',
      'execution_time integer not null',
      'success boolean not null',
    ],
  },
  supabase: { table: 'supabase_migrations.schema_migrations', columns: ['version text not null', 'statements text[]', 'name text'] },
  prisma: {
    table: 'public._prisma_migrations',
    columns: [
      'id character varying(36) not null',
      'checksum character varying(64) not null',
      'finished_at timestamp with time zone',
      'migration_name character varying(255) not null',
      'logs text',
      'rolled_back_at timestamp with time zone',
      'started_at timestamp with time zone not null',
      'applied_steps_count integer not null',
    ],
  },
  drizzle: { table: 'drizzle.__drizzle_migrations', columns: ['id integer not null', 'hash text not null', 'created_at bigint'] },
  'postgres-migrations': {
    table: 'public.migrations',
    columns: ['id integer not null', 'name character varying(100) not null', 'hash character varying(40) not null', 'executed_at timestamp without time zone'],
  },
  'node-pg-migrate': { table: 'public.pgmigrations', columns: ['id integer not null', 'name character varying(255) not null', 'run_on timestamp without time zone not null'] },
  diesel: { table: 'public.__diesel_schema_migrations', columns: ['version character varying(50) not null', 'run_on timestamp without time zone not null'] },
  // the Helios runner's DDL is not documented: no stand-in is invented
  numbered: undefined,
};

describe.each(Object.keys(EXPECTED))('runner %s', (runner) => {
  it('the replayed schema has the runner table with the columns the runner creates, created before the first migration', async () => {
    const result = await dump({ cwd: path.join(FIXTURES, runner), engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    const model = buildSchemaModel(result.sql, runner);
    const expected = EXPECTED[runner];
    if (!expected) {
      expect(model.tables.map((t) => `${t.schema}.${t.name}`)).not.toContain('public.migrations');
      expect(result.report.files.every((f) => !f.file.startsWith('pgdrift:'))).toBe(true);
      return;
    }
    const table = model.tables.find((t) => `${t.schema}.${t.name}` === expected.table);
    expect(table, `${expected.table} in the dump`).toBeDefined();
    expect([...table!.columns].sort((a, b) => a.position - b.position).map((c) => `${c.name} ${c.type}${c.notNull ? ' not null' : ''}`.toLowerCase())).toEqual(expected.columns);
    const first = result.report.files.findIndex((f) => f.role === 'migration');
    expect(result.report.files[first - 1]).toMatchObject({ file: `pgdrift:${runner}-bookkeeping.sql`, role: 'baseline', status: 'applied' });
  });
});

/**
 * A pg_dump of the team's database has the runner table (dbmate's db/schema.sql does); a snapshot written by hand or
 * by `supabase db dump` may not. Drift ignores the table either way, and the schema a runner creates for it.
 */
describe('drift against a snapshot with the runner table and one without it', () => {
  const cases: Record<string, { files: Record<string, string>; snapshot: string }> = {
    'golang-migrate': { files: { 'db/migrations/1_init.up.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' }, snapshot: 'docs/architecture/schema-actual-2024-01-01.sql' },
    dbmate: { files: { 'db/migrations/1_init.sql': '-- migrate:up\nCREATE TABLE t (id int PRIMARY KEY);\n-- migrate:down\n' }, snapshot: 'db/schema.sql' },
    sqlx: { files: { 'migrations/1_init.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' }, snapshot: 'docs/architecture/schema-actual-2024-01-01.sql' },
    goose: { files: { 'migrations/1_init.sql': '-- +goose Up\nCREATE TABLE t (id int PRIMARY KEY);\n' }, snapshot: 'docs/architecture/schema-actual-2024-01-01.sql' },
    flyway: { files: { 'src/main/resources/db/migration/V1__init.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' }, snapshot: 'docs/architecture/schema-actual-2024-01-01.sql' },
    drizzle: {
      files: {
        'drizzle/0000_init.sql': 'CREATE TABLE "t" ("id" integer PRIMARY KEY);\n',
        'drizzle/meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1704067200000, tag: '0000_init', breakpoints: true }] }),
      },
      snapshot: 'docs/architecture/schema-actual-2024-01-01.sql',
    },
  };

  it.each(Object.keys(cases))('%s: clean both ways', async (runner) => {
    const { files, snapshot } = cases[runner];
    const p = project(files);
    const migrations = path.dirname(Object.keys(files)[0]);
    const withTable = (await dump({ cwd: p.root, runner, engine: 'pglite', noCache: true })).sql;
    // the same schema with no runner: the numbered runner creates no table
    const withoutTable = (await dump({ cwd: p.root, runner: 'numbered', migrations, engine: 'pglite', noCache: true })).sql;
    expect(withoutTable).not.toMatch(/schema_migrations|goose_db_version|flyway_schema_history|_sqlx_migrations|__drizzle_migrations|CREATE SCHEMA drizzle/);
    for (const [label, text] of [['with', withTable], ['without', withoutTable]]) {
      p.write(snapshot, text);
      const result = await check({ cwd: p.root, runner, engine: 'pglite', lint: false });
      expect(result.migrationFailures).toEqual([]);
      expect(result.drift, `snapshot ${label} the table`).toEqual([]);
    }
  });
});

/**
 * drizzle.config's `migrations: { table, schema }` moves drizzle's log, and migrate() creates that schema before the
 * first migration (drizzle-orm src/pg-core/dialect.ts migrate, 00cbce5; https://orm.drizzle.team/docs/drizzle-config-file#migrations).
 */
describe('drizzle with migrations.table / migrations.schema in drizzle.config.ts', () => {
  const journal = (tags: string[]) =>
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1704067200000 + idx, tag, breakpoints: true })) });

  it('the replay keeps the log where the config puts it, and a snapshot of the team database is clean (Tanvir04khan/IM-Stack)', async () => {
    const p = project({
      'drizzle.config.ts': 'export default defineConfig({\n  dialect: "postgresql",\n  migrations: {\n    table: "migrations_custom", // default `__drizzle_migrations`,\n    schema: "imstack",\n  },\n  out: "./src/database",\n});\n',
      'src/database/0000_demonic_spiral.sql': 'CREATE TABLE IF NOT EXISTS "Users" ("userId" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL);\n',
      'src/database/meta/_journal.json': journal(['0000_demonic_spiral']),
    });
    const result = await dump({ cwd: p.root, migrations: 'src/database', engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE imstack.migrations_custom (\n    id integer NOT NULL,\n    hash text NOT NULL,\n    created_at bigint\n);');
    expect(result.sql).not.toContain('__drizzle_migrations');
    expect(result.sql).not.toContain('CREATE SCHEMA drizzle');
    // the team's database as pg_dump has it: its log in imstack, which check leaves out
    p.write('docs/architecture/schema-actual-2024-01-01.sql', result.sql);
    const clean = await check({ cwd: p.root, migrations: 'src/database', engine: 'pglite', lint: false });
    expect(clean.drift).toEqual([]);
  });

  it('a first migration creating the log\'s schema without IF NOT EXISTS fails with 42P06, as drizzle-kit migrate does (drizzle-orm#5274)', async () => {
    const p = project({
      'drizzle.config.ts': 'export default defineConfig({ out: "./drizzle", migrations: { schema: "example" } });\n',
      'drizzle/0000_init.sql': 'CREATE SCHEMA "example";\n--> statement-breakpoint\nCREATE TABLE "example"."t" ("id" integer PRIMARY KEY);\n',
      'drizzle/meta/_journal.json': journal(['0000_init']),
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['drizzle/0000_init.sql', 1, 1, '42P06']]);
  });
});

describe("Prisma with ?schema= in the datasource URL", () => {
  // quaint postgres/native/mod.rs set_search_path: the session's search_path is the URL's schema; schema-engine
  // flavour/postgres.rs setup_connection creates it, create_migrations_table makes _prisma_migrations there
  const migration = 'CREATE TABLE "Note" ("id" SERIAL NOT NULL, CONSTRAINT "Note_pkey" PRIMARY KEY ("id"));\n';
  const files = (datasource: string, env: Record<string, string>) => ({
    'prisma/schema.prisma': `datasource db {\n  provider = "postgresql"\n${datasource}}\n`,
    'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    'prisma/migrations/20240101000000_init/migration.sql': migration,
    ...env,
  });

  it('the migrations run in that schema, with _prisma_migrations there, and a snapshot of the team database is clean', async () => {
    const p = project(files('  // url = env("OTHER")\n  url = env("PGDRIFT_TEST_PRISMA_URL")\n', { '.env': 'PGDRIFT_TEST_PRISMA_URL="postgresql://u:p@db:5432/app?schema=notes&connection_limit=5"\n' }));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE notes."Note" (');
    expect(result.sql).toContain('CREATE TABLE notes._prisma_migrations (');
    expect(result.sql).not.toContain('public.');
    p.write('docs/architecture/schema-actual-2024-01-01.sql', result.sql);
    const clean = await check({ cwd: p.root, engine: 'pglite', lint: false });
    expect(clean.drift).toEqual([]);
  });

  it('directUrl (what Migrate uses) wins over url; a literal URL is read too; ?schema=public and no schema change nothing', async () => {
    const direct = project(files('  url = env("PGDRIFT_TEST_POOLED")\n  directUrl = "postgresql://u@db/app?schema=Direct"\n', { '.env': 'PGDRIFT_TEST_POOLED="postgresql://u@pool/app?schema=pooled&pgbouncer=true"\n' }));
    expect((await dump({ cwd: direct.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE "Direct"."Note" (');
    // Prisma 7: the URL in prisma.config.ts
    const config = project({ ...files('', {}), 'prisma.config.ts': "import 'dotenv/config';\nimport { defineConfig, env } from 'prisma/config';\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  datasource: { url: env('PGDRIFT_TEST_CONFIG_URL') },\n});\n", '.env': 'PGDRIFT_TEST_CONFIG_URL=postgresql://u@db/app?schema=cfg\n' });
    expect((await dump({ cwd: config.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE cfg."Note" (');
    // a chain, the first with a value (field: lukevella/rallly, process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL)
    const chained = project({ ...files('', {}), 'prisma.config.ts': "export default defineConfig({\n  datasource: { url: process.env.PGDRIFT_TEST_UNSET_URL || process.env.PGDRIFT_TEST_EMPTY_URL || process.env.PGDRIFT_TEST_CHAIN_URL },\n});\n", '.env': 'PGDRIFT_TEST_EMPTY_URL=\nPGDRIFT_TEST_CHAIN_URL=postgresql://u@db/app?schema=chained\n' });
    expect((await dump({ cwd: chained.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE chained."Note" (');
    for (const url of ['postgresql://u@db/app?schema=public', 'postgresql://u@db/app']) {
      const plain = project(files(`  url = "${url}"\n`, {}));
      const sql = (await dump({ cwd: plain.root, engine: 'pglite', noCache: true })).sql;
      expect(sql).toContain('CREATE TABLE public."Note" (');
      expect(sql).toContain('CREATE TABLE public._prisma_migrations (');
    }
  });
  it("the schema prisma.config's `schema` (or package.json's prisma.schema) names, away from the migrations, gives the URL", async () => {
    // Prisma 6 reads the URL from the schema it loads (packages/migrate/src/commands/MigrateDeploy.ts loadSchemaContext,
    // schemaPathFromConfig: config.schema), wherever `migrations.path` keeps the migrations
    const moved = {
      'db/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'db/migrations/20240101000000_init/migration.sql': migration,
      '.env': 'PGDRIFT_TEST_SCHEMA_URL="postgresql://u@db/app?schema=moved"\n',
    };
    const datasource = 'datasource db {\n  provider = "postgresql"\n  url = env("PGDRIFT_TEST_SCHEMA_URL")\n}\n';
    const file = project({ ...moved, 'prisma/schema.prisma': datasource, 'prisma.config.ts': "import { defineConfig } from 'prisma/config';\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  migrations: { path: 'db/migrations' },\n});\n" });
    const fromFile = (await dump({ cwd: file.root, engine: 'pglite', noCache: true })).sql;
    expect(fromFile).toContain('CREATE TABLE moved."Note" (');
    expect(fromFile).toContain('CREATE TABLE moved._prisma_migrations (');
    // a multi-file schema folder, its datasource in a nested file
    const folder = project({ ...moved, 'prisma/schema/models/note.prisma': 'model Note {\n  id Int @id\n}\n', 'prisma/schema/base/db.prisma': datasource, 'prisma.config.ts': "import path from 'node:path';\nexport default {\n  schema: path.join('prisma', 'schema'),\n  migrations: { path: 'db/migrations' },\n};\n" });
    expect((await dump({ cwd: folder.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE moved."Note" (');
    // package.json's prisma.schema, with --migrations naming the folder
    const pkg = project({ ...moved, 'schemas/main.prisma': datasource, 'package.json': JSON.stringify({ name: 'x', prisma: { schema: 'schemas/main.prisma' } }) });
    expect((await dump({ cwd: pkg.root, migrations: 'db/migrations', engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE moved."Note" (');
    // the package's prisma.config in a monorepo, the nearest from the migrations folder up
    const mono = project({ 'packages/db/db/migrations/migration_lock.toml': moved['db/migrations/migration_lock.toml'], 'packages/db/db/migrations/20240101000000_init/migration.sql': migration, 'packages/db/prisma/.env': moved['.env'], 'packages/db/prisma/schema.prisma': datasource, 'packages/db/prisma.config.ts': "export default { schema: 'prisma/schema.prisma', migrations: { path: 'db/migrations' } };\n" });
    expect((await dump({ cwd: mono.root, migrations: 'packages/db/db/migrations', engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE moved."Note" (');
  });
});

describe('a snapshot of a database the runner set up in an older version', () => {
  it('goose before v3.22 (commit 3d6ee77) made goose_db_version.id serial: its sequence goes with the ignored table, clean', async () => {
    const p = project({ 'migrations/1_init.sql': '-- +goose Up\nCREATE TABLE t (id serial PRIMARY KEY);\n' });
    // the old table as goose created it (internal/dialect/postgres.go before 3d6ee77), beside the team's schema
    p.write('old/0_goose.sql', 'CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id));\n');
    p.write('old/1_init.sql', 'CREATE TABLE t (id serial PRIMARY KEY);\n');
    const old = (await dump({ cwd: p.root, runner: 'numbered', migrations: 'old', engine: 'pglite', noCache: true })).sql;
    expect(old).toContain('CREATE SEQUENCE public.goose_db_version_id_seq');
    p.write('docs/architecture/schema-actual-2024-01-01.sql', old);
    const result = await check({ cwd: p.root, runner: 'goose', migrations: 'migrations', engine: 'pglite', lint: false });
    expect(result.drift).toEqual([]);
    // the team's own serial sequence still counts
    p.write('docs/architecture/schema-actual-2024-01-01.sql', old.replace(/(CREATE SEQUENCE public\.t_id_seq\n(?: {4}.*\n)*? {4}INCREMENT BY )1/, '$12'));
    const changed = await check({ cwd: p.root, runner: 'goose', migrations: 'migrations', engine: 'pglite', lint: false });
    expect(changed.drift.map((d) => [d.kind, d.name])).toEqual([['sequence', 'public.t_id_seq']]);
  });
});

describe('pgdrift files are not the team files', () => {
  it('lint reports nothing on the runner table (Flyway TIMESTAMP, VARCHAR...), and still on the same DDL in a team file', async () => {
    const p = project({
      'src/main/resources/db/migration/V1__init.sql': 'CREATE TABLE t (id int PRIMARY KEY, at timestamp);\n',
    });
    const result = await lint({ cwd: p.root });
    expect(result.findings.filter((f) => f.file.startsWith('pgdrift:'))).toEqual([]);
    expect(result.findings.some((f) => f.file === 'src/main/resources/db/migration/V1__init.sql')).toBe(true);
  });

  it('docs do not document the runner table', async () => {
    const p = project({ 'db/migrations/1_init.up.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' });
    const result = await docs({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(result.out, 'tables', 'public.t.md'))).toBe(true);
    expect(existsSync(path.join(result.out, 'tables', 'public.schema_migrations.md'))).toBe(false);
  });
});
