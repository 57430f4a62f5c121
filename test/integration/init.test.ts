import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderInitText } from '../../src/cli/commands/init.js';
import { CONFIG_SCHEMA_REF, init } from '../../src/commands/init.js';
import { validateConfig } from '../../src/config/load.js';
import { InputError } from '../../src/errors.js';
import { lint } from '../../src/commands/lint.js';
import { dump } from '../../src/commands/dump.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pgdrift-init-'));
  folders.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const header = (n: string, title: string) => `-- Migration ${n}: ${title}\n-- Purpose: ${title}\n-- Created: 2025-01-0${Number(n) % 9 || 1}\n\n`;

/** The seed's layout: database/migrations/NNN_name.sql with headers, a base schema, dated snapshots. */
function heliosProject(): string {
  return project({
    'database/base/base_schema.sql': 'CREATE TABLE IF NOT EXISTS organizations (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n',
    'database/migrations/001_organization_settings.sql': `${header('001', 'Organization settings')}CREATE TABLE IF NOT EXISTS organization_settings (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  organization_id bigint NOT NULL REFERENCES organizations (id),\n  theme text\n);\nCREATE INDEX IF NOT EXISTS organization_settings_organization_id_idx ON organization_settings (organization_id);\n`,
    'database/migrations/002_documents.sql': `${header('002', 'Documents')}CREATE TABLE IF NOT EXISTS documents (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  title text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n`,
    'docs/architecture/schema-actual-2025-10-01.sql': '-- old snapshot\n',
    'docs/architecture/schema-actual-2025-11-06.sql': '-- latest snapshot\n',
    'package.json': '{"name": "helios-client-portal", "private": true}\n',
  });
}

/** A generic layout: db/migrations with timestamps and no headers, db/schema_base.sql, snapshots elsewhere. */
function dbProject(): string {
  return project({
    'db/schema_base.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
    'db/schema.sql': '-- not a baseline\n',
    'db/migrations/20240101120000_create_users.sql': 'CREATE TABLE users (id serial PRIMARY KEY, email varchar(255), created_at timestamp);\n',
    'db/migrations/20240102120000_users_account.sql': 'ALTER TABLE users ADD COLUMN account_id bigint REFERENCES accounts (id);\n',
    'db/snapshots/schema-2025-01-31.sql': '-- snapshot\n',
    'db/snapshots/schema-2025-03-01.sql': '-- snapshot\n',
  });
}

const readConfig = (root: string) => JSON.parse(readFileSync(path.join(root, 'pgdrift.config.json'), 'utf8'));

describe('pgdrift init', () => {
  it('on a Helios-style layout: database/migrations, the base schema, the dated snapshots, the helios preset', async () => {
    const root = heliosProject();
    const result = await init({ cwd: root });
    expect(readConfig(root)).toEqual({
      $schema: CONFIG_SCHEMA_REF,
      migrations: 'database/migrations',
      runner: 'numbered',
      baseline: ['database/base/base_schema.sql'],
      snapshot: 'docs/architecture/schema-actual-*.sql',
      preset: 'helios',
    });
    expect(() => validateConfig(readConfig(root), 'pgdrift.config.json')).not.toThrow();
    expect(result.detected).toMatchObject({
      migrationCount: 2,
      snapshots: ['docs/architecture/schema-actual-2025-10-01.sql', 'docs/architecture/schema-actual-2025-11-06.sql'],
      preset: 'helios',
    });
    expect(result.overwritten).toBe(false);
    expect(result.lintError).toBeUndefined();
    expect(result.lint).toBeDefined();
    expect(result.nextSteps.some((step) => step.startsWith('pgdrift check'))).toBe(true);
    const text = renderInitText(result);
    expect(text).toContain('  migrations  database/migrations/ (2 files)');
    expect(text).toContain('  preset      helios');
    expect(text).toContain('Wrote pgdrift.config.json');
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('on a db/migrations layout: schema_base.sql next to it (not schema.sql), the snapshot pattern, recommended; offers --write-baseline', async () => {
    const root = dbProject();
    const result = await init({ cwd: root });
    expect(readConfig(root)).toEqual({
      $schema: CONFIG_SCHEMA_REF,
      migrations: 'db/migrations',
      runner: 'numbered',
      baseline: ['db/schema_base.sql'],
      snapshot: 'db/snapshots/schema-*.sql',
      preset: 'recommended',
    });
    expect(result.lint!.findings).toBeGreaterThan(0);
    expect(result.nextSteps[0]).toMatch(/^pgdrift lint --write-baseline/);
    expect(renderInitText(result)).toMatch(/Lint: \d+ findings? in the existing history/);
  });

  it('--write-baseline accepts the legacy findings, so a later lint is clean', async () => {
    const root = dbProject();
    const result = await init({ cwd: root, writeBaseline: true });
    expect(result.lint!.baselineFile).toBe('pgdrift-baseline.json');
    expect(result.lint!.baselined).toBeGreaterThan(0);
    expect(existsSync(path.join(root, 'pgdrift-baseline.json'))).toBe(true);
    expect(result.nextSteps.some((step) => step.includes('--write-baseline'))).toBe(false);
    const again = await lint({ cwd: root });
    expect(again.findings).toEqual([]);
    expect(again.baselined).toBe(result.lint!.baselined);
  });

  it('a project without snapshots is told to write the first one', async () => {
    const root = project({ 'migrations/001_a.sql': 'CREATE TABLE a (id bigint PRIMARY KEY);\n' });
    const result = await init({ cwd: root, skipLint: true });
    expect(readConfig(root)).toEqual({ $schema: CONFIG_SCHEMA_REF, migrations: 'migrations', runner: 'numbered', preset: 'recommended' });
    expect(result.nextSteps).toContain('pgdrift snapshot                # write the first snapshot of the schema the migrations produce');
  });

  it('refuses to overwrite an existing config (exit 2) unless --force', async () => {
    const root = heliosProject();
    writeFileSync(path.join(root, 'pgdrift.config.json'), '{"migrations": "database/migrations"}\n');
    const error = await init({ cwd: root, skipLint: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).message).toBe('pgdrift.config.json already exists; not overwriting it');
    expect(readFileSync(path.join(root, 'pgdrift.config.json'), 'utf8')).toBe('{"migrations": "database/migrations"}\n');
    const forced = await init({ cwd: root, force: true, skipLint: true });
    expect(forced.overwritten).toBe(true);
    expect(readConfig(root).preset).toBe('helios');
  });

  it('treats a "pgdrift" key in package.json as an existing config too', async () => {
    const root = project({ 'migrations/001_a.sql': 'SELECT 1;\n', 'package.json': '{"name": "x", "pgdrift": {"migrations": "migrations"}}\n' });
    await expect(init({ cwd: root, skipLint: true })).rejects.toThrow('package.json ("pgdrift" key) already exists');
    const forced = await init({ cwd: root, force: true, skipLint: true });
    expect(forced.shadowsPackageJson).toBe(true);
  });

  it("counts and names every location the runner's settings name, as check replays them (field: zeitwert/fm-server, 3 Flyway locations shown as the first with 26 of 53 files)", async () => {
    const root = project({
      'flyway.conf': 'flyway.locations=filesystem:db/V1.0/1-baseline,filesystem:db/V1.0/3-config\n',
      'db/V1.0/1-baseline/V1.0.0.1__accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
      'db/V1.0/1-baseline/R__0001_accounts_v.sql': 'CREATE OR REPLACE VIEW accounts_v AS SELECT id FROM accounts;\n',
      'db/V1.0/3-config/R__1001_config.sql': 'INSERT INTO accounts VALUES (1) ON CONFLICT DO NOTHING;\n',
      'db/V1.0/5-test/R__2999_test_data.sql': 'INSERT INTO accounts VALUES (2);\n',
    });
    const result = await init({ cwd: root });
    expect(result.detected).toMatchObject({ migrationsFromRunnerSettings: true, migrationCount: 3, locations: ['db/V1.0/1-baseline', 'db/V1.0/3-config'] });
    expect(renderInitText(result)).toContain('  migrations  db/V1.0/1-baseline/, db/V1.0/3-config/ (3 files)');
  });

  it('finds the folder a package.json script gives node-pg-migrate with -m, and says which script (field: filipedeschamps/tabnews.com.br, -m infra/migrations/)', async () => {
    const root = project({
      'package.json': JSON.stringify({ scripts: { 'migration:run': 'node wait.js && node-pg-migrate up --envPath ./.env -m infra/migrations/ 2>migrations.log' }, dependencies: { 'node-pg-migrate': '8.0.4' } }),
      'infra/migrations/1700000000000_users.sql': '-- Up Migration\nCREATE TABLE users (id bigint PRIMARY KEY);\n',
    });
    const result = await init({ cwd: root, skipLint: true });
    expect(result.detected).toMatchObject({ migrations: 'infra/migrations', migrationsFromRunnerSettings: true, runner: 'node-pg-migrate', migrationCount: 1 });
    expect(renderInitText(result)).toContain('  migrations  infra/migrations/ (1 file) named by package.json script "migration:run" (node-pg-migrate --migrations-dir infra/migrations/), left to it in the config');
  });

  it('finds the one committed pg_dump file by its header when no name says snapshot (field: verifier-alliance/database-specs database.sql, a dbmate schema file named only in CI)', async () => {
    const dumpHeader = '\\restrict abc\n\n-- Dumped from database version 16.12\n-- Dumped by pg_dump version 16.12\n\nSET statement_timeout = 0;\n';
    const root = project({
      'migrations/20250717103432_init.sql': '-- migrate:up\nCREATE TABLE a (id bigint PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE a;\n',
      'database.sql': `${dumpHeader}CREATE TABLE public.a (id bigint NOT NULL);\n`,
      'scripts/seed.sql': 'INSERT INTO a VALUES (1);\n',
    });
    const result = await init({ cwd: root });
    expect(result.detected).toMatchObject({ runner: 'dbmate', snapshotGlob: 'database.sql', snapshots: ['database.sql'] });
    expect(result.config.snapshot).toBe('database.sql');
    // two such files: no guess
    const two = project({
      'migrations/20250717103432_init.sql': '-- migrate:up\nCREATE TABLE a (id bigint PRIMARY KEY);\n',
      'database.sql': dumpHeader,
      'other/structure.sql': '--\n-- PostgreSQL database dump\n--\n',
    });
    expect((await init({ cwd: two })).detected.snapshots).toEqual([]);
    // a data-only dump beside it (the version table's row) is no snapshot: the schema dump is still the one (field:
    // ttab/elephant-repository postgres/schema.sql and postgres/schema_version.sql)
    const withData = project({
      'migrations/20250717103432_init.sql': '-- migrate:up\nCREATE TABLE a (id bigint PRIMARY KEY);\n',
      'postgres/schema.sql': `--\n-- PostgreSQL database dump\n--\n\n--\n-- Name: a; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.a (id bigint NOT NULL);\n`,
      'postgres/schema_version.sql': `--\n-- PostgreSQL database dump\n--\n\n--\n-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: repository\n--\n\nINSERT INTO public.schema_migrations (version) VALUES ('20250717103432');\n`,
    });
    expect((await init({ cwd: withData, skipLint: true })).detected).toMatchObject({ snapshotGlob: 'postgres/schema.sql', snapshots: ['postgres/schema.sql'] });
  });

  it('does not open a pg_dump-looking file through a link out of the project to pick it as the snapshot', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'pgdrift-outside-'));
    writeFileSync(path.join(outside, 'secret.sql'), '--\n-- PostgreSQL database dump\n--\nCREATE TABLE public.a (id bigint NOT NULL);\n');
    const root = project({ 'migrations/20250717103432_init.sql': '-- migrate:up\nCREATE TABLE a (id bigint PRIMARY KEY);\n' });
    symlinkSync(path.join(outside, 'secret.sql'), path.join(root, 'database.sql'));
    expect((await init({ cwd: root, skipLint: true })).detected.snapshots).toEqual([]);
    rmSync(outside, { recursive: true, force: true });
  });

  it('says where it looked when there is no migrations folder', async () => {
    const root = project({ 'README.md': 'x\n' });
    await expect(init({ cwd: root })).rejects.toThrow(/no migrations folder found .* \(looked for supabase\/migrations, prisma\/migrations, drizzle, .*database\/migrations, db\/migrations/);
    expect(existsSync(path.join(root, 'pgdrift.config.json'))).toBe(false);
  });

  it('finds the one runner folder below the root, as check and dump do (a drizzle `out` folder by its journal)', async () => {
    // field: Tanvir04khan/IM-Stack@c5a1a7d apps/imstack_api has drizzle.config.ts `out: "./src/database"`: dump
    // replayed src/database/ while init said "no migrations folder found"
    const root = project({
      'src/database/0000_demonic_spiral.sql': 'CREATE TABLE IF NOT EXISTS "Users" ("userId" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL);\n',
      'src/database/meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1717000000000, tag: '0000_demonic_spiral', breakpoints: true }] }),
    });
    const result = await init({ cwd: root, skipLint: true });
    expect(result.detected).toMatchObject({ migrations: 'src/database', migrationsBelowRoot: true, migrationCount: 1, runner: 'drizzle' });
    expect(result.config.migrations).toBe('src/database');
    expect(renderInitText(result)).toContain('src/database/ (1 file) the only runner folder below the project root');
  });

  it('a folder of code migrations only: says what is there and why none can be replayed (not "no migrations")', async () => {
    // field: kaladivo/filloapp@81e82f6, migrations/ holds ten node-pg-migrate .ts migrations
    const root = project({
      'package.json': '{"name": "app", "dependencies": {"node-pg-migrate": "^5.8.1"}}\n',
      'migrations/1604212749808_init.ts': 'export const up = (pgm) => { pgm.createTable("users", { id: "id" }); };\n',
      'migrations/1604216381697_more.ts': 'export const up = (pgm) => { pgm.addColumn("users", { name: "text" }); };\n',
    });
    const error = await init({ cwd: root }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('migrations/ holds 2 migrations the node-pg-migrate runner applies and no SQL one pgdrift can replay (e.g. 1604212749808_init.ts: a JavaScript/TypeScript migration');
    expect(error.message).not.toContain('no migrations in');
    expect(error.hint).toContain('pgdrift replays SQL migration files');
    expect(existsSync(path.join(root, 'pgdrift.config.json'))).toBe(false);
    // dump (and check) say the same
    const dumped = await dump({ cwd: root, engine: 'pglite', noCache: true }).catch((e) => e);
    expect(dumped.message).toContain('migrations/ holds 2 migrations the node-pg-migrate runner applies and no SQL one pgdrift can replay');
  });

  // field: stellar/stellar-disbursement-platform-backend keeps sql-migrate histories in db/migrations/{admin,auth,sdp,tss}-migrations/
  it('a folder whose .sql files are one folder down: init names them as dump does, and no config is written', async () => {
    const section = '-- +migrate Up\nCREATE TABLE t (id int);\n-- +migrate Down\nDROP TABLE t;\n';
    const root = project({
      // the runner is known from go.mod; its folders are not
      'go.mod': 'module example.com/sdp\n\ngo 1.22\n\nrequire github.com/rubenv/sql-migrate v1.7.0\n',
      'db/migrations/auth-migrations/2023-02-09.0.add-users-table.sql': section,
      'db/migrations/sdp-migrations/2023-01-20.0-initial.sql': section,
    });
    await expect(init({ cwd: root })).rejects.toThrow('no migrations in db/migrations/ for the sql-migrate runner: its .sql files are one folder down, in db/migrations/auth-migrations/, db/migrations/sdp-migrations/');
    expect(existsSync(path.join(root, 'pgdrift.config.json'))).toBe(false);
  });

  // field: LearningBay24 (sql-migrate, dbconfig.yml `dialect: mysql`): init wrote its config, then lint said it was MySQL
  it("a project whose runner settings name another database is refused before a config is written", async () => {
    const root = project({
      'dbconfig.yml': 'development:\n  dialect: mysql\n  datasource: root@/app?parseTime=true\n  dir: migrations\n',
      'migrations/1_init.sql': '-- +migrate Up\nCREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY);\n-- +migrate Down\nDROP TABLE t;\n',
    });
    await expect(init({ cwd: root, runner: 'sql-migrate' })).rejects.toThrow('sets "dialect: mysql" for the environment development: sql-migrate applies these migrations to mysql, this is not a PostgreSQL project');
    expect(existsSync(path.join(root, 'pgdrift.config.json'))).toBe(false);
  });

  it("another history's dated migrations are no snapshot; a dated pg_dump file in a migrations folder still is", async () => {
    const section = '-- +migrate Up\nCREATE TABLE tenants (id int);\n-- +migrate Down\nDROP TABLE tenants;\n';
    const root = project({
      'db/migrations/sdp-migrations/2023-01-20.0-initial.sql': section.replaceAll('tenants', 'payments'),
      'db/migrations/admin-migrations/2023-10-16.0.add-tenants-table.sql': section,
      'db/migrations/admin-migrations/2024-05-06.0-alter-tenants-add-type.sql': '-- +migrate Up\nALTER TABLE tenants ADD COLUMN kind text;\n',
    });
    const result = await init({ cwd: root, migrations: 'db/migrations/sdp-migrations', skipLint: true });
    expect(result.detected.snapshots).toEqual([]);
    expect(readConfig(root).snapshot).toBeUndefined();
    const dumped = project({
      'db/migrations/sdp/2023-01-20.0-initial.sql': section,
      'db/migrations/dumps/schema-2025-01-31.sql': '--\n-- PostgreSQL database dump\n--\n\nCREATE TABLE public.tenants (\n    id integer\n);\n',
    });
    const withDump = await init({ cwd: dumped, migrations: 'db/migrations/sdp', skipLint: true });
    expect(withDump.detected.snapshots).toEqual(['db/migrations/dumps/schema-2025-01-31.sql']);
  });

  it('several runner folders below the root: one error naming them, no config written', async () => {
    const root = project({
      'apps/web/prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" SERIAL PRIMARY KEY);\n',
      'apps/api/supabase/migrations/20240101000000_init.sql': 'create table t (id int);\n',
    });
    await expect(init({ cwd: root })).rejects.toThrow('and several below it: apps/api/supabase/migrations, apps/web/prisma/migrations');
    expect(existsSync(path.join(root, 'pgdrift.config.json'))).toBe(false);
  });
});
