import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { diffModels } from '../../src/diff/diff.js';
import { withoutPlatformOnlyExtensions } from '../../src/pipeline/compare.js';
import { SUPABASE_PLATFORM_EXTENSIONS } from '../../src/runners/supabase-platform.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { SUPABASE_PLATFORM_ROLES, SUPABASE_PLATFORM_SQL } from '../../src/runners/supabase-platform.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { adminQuery, SERVER_URL } from '../helpers/postgres.js';

/**
 * Every runner's fixture replayed by pgdrift (PGlite and the local server) gives the schema the same files give when
 * applied by psql in the runner's real order and sections: `psql-order.txt` of each fixture is written by hand from
 * the runner's documentation (file, which section, which transaction), and this test cuts the sections with its own
 * line scan, independent of src/runners/.
 */
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'runners');
const FOLDERS: Record<string, string> = {
  numbered: 'database/migrations',
  flyway: 'src/main/resources/db/migration',
  'golang-migrate': 'db/migrations',
  sqlx: 'migrations',
  dbmate: 'db/migrations',
  goose: 'migrations',
  supabase: 'supabase/migrations',
  prisma: 'prisma/migrations',
  drizzle: 'drizzle',
  'postgres-migrations': 'migrations',
  'node-pg-migrate': 'migrations',
  diesel: 'migrations',
  sqitch: 'db',
  atlas: 'migrations',
  hasura: 'hasura/migrations/default',
  tern: 'migrations',
  yoyo: 'migrations',
};
const RUNNERS = Object.keys(FOLDERS);
/** Tables each history leaves, written by hand: a down section or file applied by mistake would drop one. */
const TABLES: Record<string, string[]> = {
  numbered: ['orders', 'users'],
  flyway: ['accounts', 'projects'],
  'golang-migrate': ['orders', 'users'],
  sqlx: ['posts', 'users'],
  dbmate: ['posts', 'users'],
  goose: ['team_members', 'teams', 'users'],
  supabase: ['profiles', 'todos'],
  prisma: ['"Post"', '"Profile"', '"User"'],
  drizzle: ['comments', 'posts', 'users'],
  'postgres-migrations': ['posts', 'users'],
  'node-pg-migrate': ['posts', 'users'],
  diesel: ['posts', 'users'],
  sqitch: ['orders', 'users'],
  atlas: ['orders', 'users'],
  hasura: ['orders', 'users'],
  tern: ['orders', 'users'],
  yoyo: ['orders', 'users'],
};
/**
 * A broken migration added last (in runner order) to a copy of each fixture: a statement that applies, then one that
 * fails on its line. Replayed with --keep-going, it must be the only failure, at that line, and leave the schema of
 * the rest (its transactional first statement rolled back with it).
 */
const BROKEN: Record<string, { file: string; text: string; line: number }> = {
  numbered: { file: '012_broken.sql', text: '-- Migration 012: broken\nCREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 3 },
  flyway: { file: 'V4__broken.sql', text: 'CREATE TABLE broken_a (id int);\n\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 3 },
  'golang-migrate': { file: '12_broken.up.sql', text: 'CREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 2 },
  sqlx: { file: '20240104000000_broken.sql', text: 'CREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 2 },
  dbmate: { file: '6_broken.sql', text: '-- a comment before the section\n-- migrate:up\nCREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n\n-- migrate:down\nDROP TABLE broken_a;\n', line: 4 },
  goose: { file: '11_broken.sql', text: '-- +goose Up\nCREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n\n-- +goose Down\nDROP TABLE broken_a;\n', line: 3 },
  supabase: { file: '20240106000000_broken.sql', text: 'create table public.broken_a (id int);\nalter table public.missing_table add column x int;\n', line: 2 },
  prisma: { file: '20240106000000_broken/migration.sql', text: '-- CreateTable\nCREATE TABLE "broken_a" ("id" INTEGER);\n\n-- AlterTable\nALTER TABLE "missing_table" ADD COLUMN "x" INTEGER;\n', line: 5 },
  drizzle: { file: '0005_broken.sql', text: 'CREATE TABLE "broken_a" ("id" integer);\n--> statement-breakpoint\nALTER TABLE "missing_table" ADD COLUMN "x" integer;\n', line: 3 },
  'postgres-migrations': { file: '6_broken.sql', text: 'CREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 2 },
  'node-pg-migrate': { file: '1900000000000_broken.sql', text: '-- Up Migration\nCREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n-- Down Migration\nDROP TABLE broken_a;\n', line: 3 },
  diesel: { file: '2024-01-04-120000_broken/up.sql', text: '-- Your SQL goes here\nCREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 3 },
  // planned last in sqitch.plan (brokenCopy); sqitch add's template wraps the script in BEGIN ... COMMIT
  sqitch: { file: 'deploy/broken.sql', text: '-- Deploy widgets:broken to pg\n\nBEGIN;\nCREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\nCOMMIT;\n', line: 5 },
  atlas: { file: '20240106000000_broken.sql', text: '-- Create "broken_a" table\nCREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 3 },
  hasura: { file: '1704412800000_broken/up.sql', text: 'CREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 2 },
  yoyo: { file: 'r_broken.sql', text: '-- depends: q_add-note\nCREATE TABLE broken_a (id int);\nALTER TABLE missing_table ADD COLUMN x int;\n', line: 3 },
  tern: { file: '005_broken.sql', text: 'create table broken_a (id int);\nalter table missing_table add column x int;\n\n---- create above / drop below ----\n\ndrop table broken_a;\n', line: 2 },
};
/**
 * What each runner creates before its first migration on a new database, copied here from the runners' sources (not
 * from src/runners/): golang-migrate database/postgres/postgres.go ensureVersionTable, sqlx sqlx-postgres/src/migrate.rs
 * ensure_migrations_table, dbmate
 * pkg/driver/postgres/postgres.go CreateMigrationsTable, Flyway PostgreSQLDatabase.java getRawCreateScript, goose
 * internal/dialects/postgres.go CreateTable, supabase/cli pkg/migration/history.go CreateMigrationTable, prisma-engines
 * flavour/postgres.rs create_migrations_table, drizzle-orm pg-core/dialect.ts migrate, postgres-migrations
 * src/migrations/0_create-migrations-table.sql, node-pg-migrate src/runner.ts ensureMigrationsTable, diesel
 * diesel/src/migration/setup_migration_table.sql, Atlas cmd/atlas/internal/migrate/migrate.go NewEntRevisions (the schema) and
 * ent/migrate/schema.go (the table), tern migrate/migrate.go ensureSchemaVersionTableExists, yoyo backends/base.py
 * create_lock_table_sql and internalmigrations/v2.py (v1's table dropped and made anew). The numbered runner's DDL is not documented: none.
 */
const BOOKKEEPING: Record<string, string | undefined> = {
  numbered: undefined,
  flyway:
    'CREATE TABLE "public"."flyway_schema_history" ("installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(), "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL); ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank"); CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");',
  'golang-migrate': 'CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)',
  sqlx: 'CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);',
  dbmate: 'create table if not exists public.schema_migrations (version varchar primary key)',
  goose: 'CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())',
  supabase:
    'CREATE SCHEMA IF NOT EXISTS supabase_migrations; CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY); ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]; ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text;',
  prisma:
    'CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ, migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ, started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0);',
  drizzle: 'CREATE SCHEMA IF NOT EXISTS "drizzle"; CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);',
  'postgres-migrations':
    'CREATE TABLE IF NOT EXISTS migrations (id integer PRIMARY KEY, name varchar(100) UNIQUE NOT NULL, hash varchar(40) NOT NULL, executed_at timestamp DEFAULT current_timestamp);',
  'node-pg-migrate': 'CREATE TABLE "public"."pgmigrations" (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)',
  diesel: 'CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);',
  // Sqitch's registry is a schema of its own (lib/App/Sqitch/Engine/pg.sql), which drift ignores: the replay creates none
  sqitch: undefined,
  atlas:
    'CREATE SCHEMA "atlas_schema_revisions"; CREATE TABLE "atlas_schema_revisions"."atlas_schema_revisions" ("version" character varying NOT NULL, "description" character varying NOT NULL, "type" bigint NOT NULL DEFAULT 2, "applied" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0, "executed_at" timestamp with time zone NOT NULL, "execution_time" bigint NOT NULL, "error" text NULL, "error_stmt" text NULL, "hash" character varying NOT NULL, "partial_hashes" jsonb NULL, "operator_version" character varying NOT NULL, PRIMARY KEY ("version"));',
  // Hasura's state lives in hdb_catalog, which the server (not a migration) creates and drift ignores; setting it up
  // the server creates pgcrypto in public (server/src-lib/Hasura/Server/Migrate.hs initialize)
  hasura: 'CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public;',
  tern: 'create table if not exists public.schema_version(version int4 not null primary key); insert into public.schema_version(version) select 0 where 0=(select count(*) from public.schema_version);',
  yoyo:
    'CREATE TABLE "yoyo_lock" (locked INT DEFAULT 1, ctime TIMESTAMP,pid INT NOT NULL,PRIMARY KEY (locked)); CREATE TABLE "_yoyo_log" ( id VARCHAR(36), migration_hash VARCHAR(64), migration_id VARCHAR(255), operation VARCHAR(10), username VARCHAR(255), hostname VARCHAR(255), comment VARCHAR(255), created_at_utc TIMESTAMP, PRIMARY KEY (id)); CREATE TABLE "_yoyo_version" (version INT NOT NULL PRIMARY KEY, installed_at_utc TIMESTAMP); CREATE TABLE "_yoyo_migration" ( migration_hash VARCHAR(64), migration_id VARCHAR(255), applied_at_utc TIMESTAMP, PRIMARY KEY (migration_hash));',
};
const copies = new Map<string, string>();
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';
const oracleDumps = new Map<string, string>();
let createdRoles: string[] = [];

interface Step {
  file: string;
  section: 'all' | 'up';
  transaction: 'tx' | 'implicit' | 'none';
}

function readOrder(runner: string): Step[] {
  return readFileSync(path.join(FIXTURES, runner, 'psql-order.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const words = line.trim().split(/\s+/);
      return words.length === 3
        ? { file: words[0], section: words[1] as 'up', transaction: words[2] as Step['transaction'] }
        : { file: words[0], section: 'all', transaction: words[1] as Step['transaction'] };
    });
}

/**
 * The up section as the runner's docs define it: after `-- migrate:up` / `-- +goose Up` / `-- Up Migration`, before
 * the down marker that follows it; tern's: before `---- create above / drop below ----`.
 */
function upSection(text: string): string {
  const tern = text.indexOf('---- create above / drop below ----');
  if (tern !== -1) return text.slice(0, tern);
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^--\s*migrate:up/.test(l) || /^--\s*\+goose\s+Up/i.test(l) || /^--\s*up migration/i.test(l));
  const end = lines.findIndex((l, i) => i > start && (/^--\s*migrate:down/.test(l) || /^--\s*\+goose\s+Down/i.test(l) || /^--\s*down migration/i.test(l)));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

function psql(database: string, args: string[]): void {
  execFileSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${SERVER_URL.replace(/\/[^/]*$/, '')}/${database}`, ...args], { stdio: 'pipe' });
}

async function applyWithPsql(runner: string): Promise<string> {
  const database = `runners_oracle_${process.pid}_${runner.replace(/-/g, '_')}`;
  await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
  await adminQuery(`CREATE DATABASE ${database}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-oracle-'));
  try {
    if (runner === 'supabase') {
      for (const role of SUPABASE_PLATFORM_ROLES) {
        const exists = await adminQuery('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
        if (exists.length === 0) {
          await adminQuery(`CREATE ROLE ${role} NOLOGIN`);
          createdRoles.push(role);
        }
      }
      psql(database, ['-c', SUPABASE_PLATFORM_SQL]);
    }
    const bookkeeping = BOOKKEEPING[runner];
    if (bookkeeping) psql(database, ['-c', bookkeeping]);
    for (const step of readOrder(runner)) {
      const text = readFileSync(path.join(FIXTURES, runner, FOLDERS[runner], step.file), 'utf8');
      const sql = step.section === 'up' ? upSection(text) : text;
      const file = path.join(scratch, 'step.sql');
      writeFileSync(file, sql);
      if (step.transaction === 'implicit') psql(database, ['-c', sql]); // one simple query: one implicit transaction
      else if (step.transaction === 'tx') psql(database, ['-1', '-f', file]);
      else psql(database, ['-f', file]); // statement by statement, autocommit
    }
    return execFileSync(PG_DUMP, ['--schema-only', '--no-owner', '-d', `${SERVER_URL.replace(/\/[^/]*$/, '')}/${database}`], { encoding: 'utf8' });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
  }
}

function differences(ours: string, oracle: string, runner: string): string[] {
  // a Supabase replay on the embedded engine has the platform's preinstalled extensions (stand-ins there), which the
  // server the oracle ran on lacks: left out only as check leaves them out (one the migrations create still counts)
  const models = withoutPlatformOnlyExtensions(
    { ours: buildSchemaModel(ours, `pgdrift ${runner}`), theirs: buildSchemaModel(oracle, `psql ${runner}`) },
    runner === 'supabase' ? SUPABASE_PLATFORM_EXTENSIONS : [],
  );
  return diffModels(models.ours, models.theirs).map((item) => `${item.kind} ${item.name}`);
}

/** A copy of the fixture with the broken migration added last. */
function brokenCopy(runner: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `pgdrift-runner-${runner}-`));
  cpSync(path.join(FIXTURES, runner), root, { recursive: true });
  const broken = BROKEN[runner];
  const target = path.join(root, FOLDERS[runner], broken.file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, broken.text);
  if (runner === 'drizzle') {
    const journalFile = path.join(root, FOLDERS[runner], 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
    journal.entries.push({ idx: 5, version: '7', when: 1704067200000 + 5 * 86400000, tag: '0005_broken', breakpoints: true });
    writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  }
  if (runner === 'sqitch') {
    const plan = path.join(root, FOLDERS[runner], 'sqitch.plan');
    writeFileSync(plan, `${readFileSync(plan, 'utf8')}broken [order_total] 2024-01-07T00:00:00Z Marge N. O'Vera <marge@example.com> # broken\n`);
  }
  if (runner === 'atlas') writeAtlasSum(path.join(root, FOLDERS[runner]));
  return root;
}

/**
 * atlas.sum as `atlas migrate hash` writes it (ariga/atlas sql/migrate/dir.go NewHashFile, HashFile.Sum and
 * MarshalText), so Atlas would apply the copy with its broken file: one running sha256 over each file's name and
 * bytes, its digest after each file the file's entry; the first line the sha256 of every name and entry.
 */
function writeAtlasSum(folder: string): void {
  const running = createHash('sha256');
  const entries = readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      running.update(name).update(readFileSync(path.join(folder, name)));
      return [name, running.copy().digest('base64')];
    });
  const total = createHash('sha256');
  for (const [name, hash] of entries) total.update(name).update(hash);
  writeFileSync(path.join(folder, 'atlas.sum'), `h1:${total.digest('base64')}\n${entries.map(([name, hash]) => `${name} h1:${hash}\n`).join('')}`);
}

beforeAll(async () => {
  await loadSqlParser();
  for (const runner of RUNNERS) copies.set(runner, brokenCopy(runner));
  for (const runner of RUNNERS) oracleDumps.set(runner, await applyWithPsql(runner));
}, 120_000);

afterAll(async () => {
  for (const role of createdRoles) await dropRoleWhenFree(role);
  for (const root of copies.values()) rmSync(root, { recursive: true, force: true });
  createdRoles = [];
});

describe.each(RUNNERS)('runner %s', (runner) => {
  const expectedFailure = () => [[`${FOLDERS[runner]}/${BROKEN[runner].file}`, BROKEN[runner].line, '42P01']];
  const failures = (result: Awaited<ReturnType<typeof dump>>) => result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate]);

  it('is detected with no config and replays on PGlite to the schema psql gives in the runner order; the failing statement is reported at its line', async () => {
    const notices: string[] = [];
    const result = await dump({ cwd: copies.get(runner), engine: 'pglite', keepGoing: true, onNotice: (m) => notices.push(m) });
    expect(failures(result)).toEqual(expectedFailure());
    expect(notices.join('\n')).toContain(`runner ${runner} detected in ${FOLDERS[runner]}/`);
    expect(result.sql).not.toContain('broken_a');
    for (const table of TABLES[runner]) expect(result.sql).toContain(`CREATE TABLE public.${table} (`);
    expect(differences(result.sql, oracleDumps.get(runner)!, runner)).toEqual([]);
  });

  it('replays on the local server to the same schema and the same failure', async () => {
    const result = await dump({ cwd: copies.get(runner), engine: 'server', databaseUrl: SERVER_URL, keepGoing: true });
    expect(failures(result)).toEqual(expectedFailure());
    expect(result.sql).not.toContain('broken_a');
    expect(differences(result.sql, oracleDumps.get(runner)!, runner)).toEqual([]);
  });
});

describe('drizzle applies the whole history in ONE transaction (drizzle-orm pg-core migrate())', () => {
  const journal = (tags: string[]) =>
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1704067200000 + idx, tag, breakpoints: true })) });
  const project = (files: Record<string, string>) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-drizzle-tx-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
    copies.set(root, root); // removed with the other copies
    return root;
  };
  const init = `CREATE TYPE "status" AS ENUM('active', 'inactive');--> statement-breakpoint\nCREATE TABLE "items" ("id" serial PRIMARY KEY, "status" "status" DEFAULT 'active' NOT NULL);\n`;
  const layout = (files: Record<string, string>) => {
    const root = project({});
    mkdirSync(path.join(root, 'drizzle', 'meta'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, 'drizzle', name), text);
    writeFileSync(path.join(root, 'drizzle', 'meta', '_journal.json'), journal(Object.keys(files).map((name) => name.replace(/\.sql$/, ''))));
    return root;
  };
  const engines = [['pglite', {}], ['server', { databaseUrl: SERVER_URL }]] as const;
  /** the migrations' statuses (the bookkeeping table, created before drizzle's transaction opens, stays) */
  const statuses = (result: Awaited<ReturnType<typeof dump>>) => result.report.files.filter((f) => f.role === 'migration').map((f) => f.status);

  it.each(engines)('%s: a file using an enum value an earlier file added fails (55P04) at its line, and every migration is rolled back', async (engine, extra) => {
    const cwd = layout({ '0000_init.sql': init, '0001_add_archived.sql': `ALTER TYPE "status" ADD VALUE 'archived';\n`, '0002_default_archived.sql': `\nALTER TABLE "items" ALTER COLUMN "status" SET DEFAULT 'archived';\n` });
    const result = await dump({ cwd, engine, ...extra, noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['drizzle/0002_default_archived.sql', 2, 1, '55P04']]);
    expect(statuses(result)).toEqual(['rolled-back', 'rolled-back', 'failed']);
    expect(result.sql).not.toContain('CREATE TABLE public.items');
    expect(result.sql).toContain('CREATE TABLE drizzle.__drizzle_migrations ('); // created before the transaction
  });

  it.each(engines)('%s: CREATE INDEX CONCURRENTLY fails (25001) at its line:column; with --keep-going only that file is rolled back', async (engine, extra) => {
    const cwd = layout({ '0000_init.sql': init, '0001_index.sql': `-- an index\nCREATE INDEX CONCURRENTLY "items_status_idx" ON "items" ("status");\n`, '0002_more.sql': `CREATE TABLE "more" ("id" int);\n` });
    const strict = await dump({ cwd, engine, ...extra, noCache: true });
    expect(strict.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['drizzle/0001_index.sql', 2, 1, '25001']]);
    expect(statuses(strict)).toEqual(['rolled-back', 'failed', 'skipped']);
    const kept = await dump({ cwd, engine, ...extra, noCache: true, keepGoing: true });
    expect(kept.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['drizzle/0001_index.sql', 2, '25001']]);
    expect(statuses(kept)).toEqual(['applied', 'failed', 'applied']);
    expect(kept.sql).toContain('CREATE TABLE public.items');
    expect(kept.sql).toContain('CREATE TABLE public.more');
  });

  it.each(engines)("%s: a file's own COMMIT ends drizzle's transaction: what ran before it stays committed when a later statement fails, not rolled-back", async (engine, extra) => {
    // field: dittofeed/dittofeed packages/backend-lib/drizzle/0002_spicy_inertia.sql has BEGIN ... COMMIT. Inside
    // migrate()'s transaction the COMMIT commits it, and drizzle goes on in autocommit: its ROLLBACK after a later
    // failure undoes nothing (drizzle-orm pg-core dialect.ts migrate)
    const commit = `BEGIN;\nALTER TYPE "status" ADD VALUE 'archived';\nCOMMIT;\n`;
    const broken = `ALTER TABLE "missing" ADD COLUMN "x" int;\n`;
    const later = await dump({ cwd: layout({ '0000_init.sql': init, '0001_commit.sql': commit, '0002_broken.sql': broken }), engine, ...extra, noCache: true });
    expect(later.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['drizzle/0002_broken.sql', 1, '42P01']]);
    expect(statuses(later)).toEqual(['applied', 'applied', 'failed']);
    expect(later.sql).toContain('CREATE TABLE public.items');
    expect(later.sql).toContain("'archived'");
    // the COMMIT and the failure in one file: the file is failed, the history before it committed
    const same = await dump({ cwd: layout({ '0000_init.sql': init, '0001_commit_then_broken.sql': commit + broken }), engine, ...extra, noCache: true });
    expect(same.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['drizzle/0001_commit_then_broken.sql', 4, '42P01']]);
    expect(statuses(same)).toEqual(['applied', 'failed']);
    expect(same.sql).toContain('CREATE TABLE public.items');
  });

  it('a "--> statement-breakpoint" inside a function body, a string or a block comment cuts it, as drizzle\'s split does (readMigrationFiles: query.split); SQL after one inside a -- comment is named; markers between statements are not', async () => {
    const body = `CREATE FUNCTION "touch"() RETURNS trigger AS $$\nBEGIN\n  NEW.id = 1;--> statement-breakpoint\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n`;
    const failures = async (file: string) => (await dump({ cwd: layout({ '0000_init.sql': init, '0001_x.sql': file }), engine: 'pglite', noCache: true })).report.migrationFailures.map((f) => [f.file, f.line, f.column, f.message.slice(0, 60)]);
    const cut = 'drizzle cuts the file at every "--> statement-breakpoint", i';
    expect(await failures(body)).toEqual([['drizzle/0001_x.sql', 3, 14, cut]]);
    expect(await failures(`ALTER TABLE "items" ADD COLUMN "note" text DEFAULT 'a --> statement-breakpoint b';\n`)).toEqual([['drizzle/0001_x.sql', 1, 55, cut]]);
    expect(await failures(`/* old: --> statement-breakpoint */\nALTER TABLE "items" ADD COLUMN "note" text;\n`)).toEqual([['drizzle/0001_x.sql', 1, 9, cut]]);
    // a -- comment before the marker: drizzle runs the SQL after it, which Postgres reads as part of the comment
    expect(await failures(`ALTER TABLE "items" ADD COLUMN "a" text; -- note --> statement-breakpoint ALTER TABLE "items" ADD COLUMN "b" text;\n`)).toEqual([['drizzle/0001_x.sql', 1, 50, cut]]);
    // drizzle-kit's own layout, a comment line, a marker before a DO block: clean
    const fine = `-- Custom SQL\nALTER TABLE "items" ADD COLUMN "a" text;--> statement-breakpoint\n--> statement-breakpoint\nDO $$ BEGIN\n  ALTER TABLE "items" ADD COLUMN "b" text;\nEXCEPTION WHEN duplicate_column THEN null;\nEND $$;--> statement-breakpoint\nCREATE INDEX "items_a_idx" ON "items" ("a");`;
    expect(await failures(fine)).toEqual([]);
  });

  it.each(engines)('%s: chunks that are SQL on their own, though the file is not, run as drizzle runs them: no ";" before a marker, SQL after a marker on its line (ground truth: drizzle-orm 0.45.4 migrate() with pg)', async (engine, extra) => {
    // field: ALTER TABLE "settings" ADD CONSTRAINT "settings_organization_id_setting_key_pk" PRIMARY KEY("organization_id","setting_key")--> statement-breakpoint
    const noSemicolon = `ALTER TABLE "items" ADD COLUMN "a" text NOT NULL DEFAULT 'x'--> statement-breakpoint\nALTER TABLE "items" ADD CONSTRAINT "items_a_chk" CHECK ("a" <> '')--> statement-breakpoint\n-- a comment line--> statement-breakpoint\nCREATE INDEX "items_a_idx" ON "items" ("a")\n`;
    const afterMarker = `ALTER TABLE "items" ADD COLUMN "b" text;--> statement-breakpoint ALTER TABLE "items" ADD COLUMN "c" text;\n`;
    const result = await dump({ cwd: layout({ '0000_init.sql': init, '0001_no_semicolon.sql': noSemicolon, '0002_after_marker.sql': afterMarker, '0003_broken.sql': `SELECT 1--> statement-breakpoint\nSELECT "nope" FROM "items"--> statement-breakpoint\n` }), engine, ...extra, noCache: true, keepGoing: true });
    // a failure is still reported at the file's own line:column
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['drizzle/0003_broken.sql', 2, 8, '42703']]);
    expect(result.sql).toContain(`a text DEFAULT 'x'::text NOT NULL,\n    b text,\n    c text`);
    expect(result.sql).toContain('CONSTRAINT items_a_chk CHECK');
    expect(result.sql).toContain('CREATE INDEX items_a_idx ON public.items');
  });

  it("drizzle-kit pull's commented-out first migration fails as with drizzle, saying what the file is and what to do (field: 0xstonegm/dodgetracker)", async () => {
    const introspected = `-- Current sql file was generated after introspecting the database\n-- If you want to run this migration please uncomment this code before executing migrations\n/*\nCREATE SCHEMA "app";\n--> statement-breakpoint\nCREATE TABLE IF NOT EXISTS "app"."users" ("id" bigserial PRIMARY KEY NOT NULL);\n*/`;
    const result = await dump({ cwd: layout({ '0000_pulled.sql': introspected, '0001_init.sql': init }), engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect([failure.file, failure.line]).toEqual(['drizzle/0000_pulled.sql', 5]);
    expect(failure.message).toMatch(/^drizzle-kit pull \(introspect\) wrote this migration with its SQL in a \/\* \*\/ comment, for the database it read; drizzle cuts the file at every "--> statement-breakpoint".*unterminated \/\* comment.*drizzle-team\/drizzle-orm#2126/s);
    expect(failure.hint).toContain('uncomment the SQL');
    // uncommented, it replays
    const uncommented = introspected.replace('/*\n', '').replace(/\n\*\/$/, '\n');
    const fixed = await dump({ cwd: layout({ '0000_pulled.sql': uncommented, '0001_init.sql': init }), engine: 'pglite', noCache: true });
    expect(fixed.report.migrationFailures).toEqual([]);
    expect(fixed.sql).toContain('CREATE TABLE app.users');
  });

  it('a failure Postgres gives no position for is located in the state before the file, not after a rollback of the history', async () => {
    // 42P07 has no position: re-running 0001 after rolling back 0000 would not fail, and the probe would point at line 1.
    const cwd = layout({ '0000_init.sql': init, '0001_again.sql': `CREATE TABLE "other" ("id" int);\n\nCREATE TABLE "items" ("id" int);\n` });
    const result = await dump({ cwd, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['drizzle/0001_again.sql', 3, '42P07']]);
  });
});

describe("drizzle-kit 1.0's folder layout (no journal: <timestamp>_<name>/migration.sql + snapshot.json)", () => {
  // drizzle-orm 1.0 (beta branch) src/migrator.ts readMigrationFiles: every <entry>/migration.sql, localeCompare order,
  // a folder without one skipped; src/pg-core/async/session.ts migrate(): one transaction, table with name/applied_at
  const tagged = (files: Record<string, string>) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-drizzle-v1-'));
    copies.set(root, root);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.join(root, 'drizzle', name), { recursive: true });
      writeFileSync(path.join(root, 'drizzle', name, 'migration.sql'), text);
      writeFileSync(path.join(root, 'drizzle', name, 'snapshot.json'), '{"version":"8","dialect":"postgres"}');
    }
    return root;
  };

  it('is detected as drizzle (not Prisma), replayed in one transaction in folder-name order, with drizzle 1.0\'s bookkeeping table', async () => {
    const cwd = tagged({
      '20250302120000_add_value': `ALTER TYPE "status" ADD VALUE 'archived';\n`,
      '20250301120000_init': `CREATE TYPE "status" AS ENUM('active');--> statement-breakpoint\nCREATE TABLE "items" ("id" serial PRIMARY KEY, "status" "status");\n`,
      '20250303120000_use_value': `\nALTER TABLE "items" ALTER COLUMN "status" SET DEFAULT 'archived';\n`,
    });
    mkdirSync(path.join(cwd, 'drizzle', '20250304120000_empty')); // drizzle skips a folder without migration.sql
    const result = await dump({ cwd, engine: 'pglite', noCache: true });
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => [f.file, f.status])).toEqual([
      ['drizzle/20250301120000_init/migration.sql', 'rolled-back'],
      ['drizzle/20250302120000_add_value/migration.sql', 'rolled-back'],
      ['drizzle/20250303120000_use_value/migration.sql', 'failed'],
    ]);
    expect(result.report.migrationFailures.map((f) => [f.line, f.sqlstate])).toEqual([[2, '55P04']]);
    expect(result.sql).not.toContain('_prisma_migrations');
    expect(result.sql).toMatch(/CREATE TABLE drizzle\.__drizzle_migrations \([^;]*applied_at timestamp with time zone DEFAULT now\(\)/);
  });
});

describe('the oracle can fail', () => {
  it('a history replayed in naive name order differs from the runner order (the fixtures hold ordering traps)', async () => {
    // golang-migrate's 10_ sorts before 9_ by name: the numbered runner (name order) cannot even apply it.
    const result = await dump({ cwd: path.join(FIXTURES, 'golang-migrate'), runner: 'numbered', engine: 'pglite' });
    expect(result.report.migrationFailures.length).toBeGreaterThan(0);
  });
});

/**
 * The oracle creates platform roles (anon...) that a pgdrift run of another test file on the same server may be using
 * at that moment (its throwaway database grants to them; 2BP01 "cannot be dropped because some objects depend on
 * it"): wait for that run to drop its database, then drop the role.
 */
async function dropRoleWhenFree(role: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`DROP ROLE IF EXISTS ${role}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '2BP01' || attempt >= 60) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
