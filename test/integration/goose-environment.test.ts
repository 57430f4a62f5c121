import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { init } from '../../src/commands/init.js';
import { snapshot } from '../../src/commands/snapshot.js';
import { readDotEnv } from '../../src/runners/dotenv.js';
import { resolveProject } from '../../src/config/project.js';
import { dbStringSearchPath } from '../../src/runners/goose.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The goose CLI (pressly/goose@520411a cmd/goose/main.go) loads `.env` from its working directory (godotenv, never
 * overriding a variable already set), then names its table from GOOSE_TABLE; `-- +goose ENVSUB ON` expands from
 * that same environment.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

describe('goose: GOOSE_TABLE and .env', () => {
  it('GOOSE_TABLE in .env names the bookkeeping table (schema-qualified too): a migration using it applies, as with goose', async () => {
    const p = project({
      '.env': '# goose settings\nGOOSE_DRIVER=postgres\nexport GOOSE_TABLE="ops.db_versions"\n',
      'migrations/00001_schema.sql': '-- +goose Up\nCREATE SCHEMA IF NOT EXISTS ops;\n',
      'migrations/00002_use_table.sql': '-- +goose Up\nCOMMENT ON TABLE ops.db_versions IS \'goose history\';\n',
    });
    // goose creates its table before the first migration: the schema must exist already, as with goose (3F000)
    const failing = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(failing.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['pgdrift:goose-bookkeeping.sql', '3F000']]);

    p.write('.env', 'GOOSE_TABLE=db_versions # the table\n');
    p.write('migrations/00002_use_table.sql', "-- +goose Up\nCOMMENT ON TABLE db_versions IS 'goose history';\n");
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.db_versions (');
    expect(result.sql).not.toContain('goose_db_version');
  });

  it('-dir of the Makefile\'s goose up command names the migrations folder, over GOOSE_MIGRATION_DIR, as goose\'s flag does', async () => {
    const p = project({
      '.env': 'GOOSE_MIGRATION_DIR=migrations\n',
      Makefile: ['MIGRATIONS := internal/store/migrations', '', 'migrate-up:', '\tgoose -dir $(MIGRATIONS) postgres "$(DB)" up', 'status:', '\tgoose -dir other postgres "$(DB)" status', ''].join('\n'),
      'internal/store/migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE from_make (id int);\n',
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE from_env (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe(path.join('internal', 'store', 'migrations'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.from_make (');
    expect(result.sql).not.toContain('from_env');
    // with no conventional folder at all, the Makefile's is the one found (and init leaves it to the Makefile)
    const bare = project({ Makefile: 'up:\n\tgoose -dir sql/schema postgres "$(DB)" up\n', 'sql/schema/00001_t.sql': '-- +goose Up\nCREATE TABLE t (id int);\n' });
    expect(path.relative(bare.root, resolveProject({ cwd: bare.root }).migrationsDir)).toBe(path.join('sql', 'schema'));
  });

  it('goose up commands on several folders (a seed history beside the migrations) name none: the folder found stays', async () => {
    const p = project({
      Makefile: ['migrate:', '\tgoose -dir sql/migrations postgres "$(DB)" up', 'seed:', '\tgoose -dir sql/seeds -table _seeds postgres "$(DB)" up', ''].join('\n'),
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
      'sql/migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE u (id int);\n',
      'sql/seeds/00001_seed.sql': '-- +goose Up\nSELECT 1;\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe('migrations');
  });

  it('a -dir or -table of a goose up command that only make or the shell knows is a notice: check is not clean without --accept-assumptions', async () => {
    const p = project({
      Makefile: ['MIGRATIONS = $(shell git rev-parse --show-toplevel)/db/migrations', '', 'migrate:', '\tgoose -dir $(MIGRATIONS) postgres "$(DB)" up', 'status:', '\tgoose -dir $(MIGRATIONS) postgres "$(DB)" status', ''].join('\n'),
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe('migrations');
    // one notice, for the up command only (status applies nothing)
    expect(resolved.runner.notices).toEqual(['goose: Makefile:4 (target migrate): -dir …/db/migrations holds a value only make or the shell knows: the folder found (migrations) is replayed']);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    p.write('docs/architecture/schema-actual-2024-01-01.sql', result.sql);
    const checked = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.notices).toEqual(resolved.runner.notices);
    expect(checked.exitCode).not.toBe(0);
    expect((await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false, acceptAssumptions: true })).exitCode).toBe(0);

    p.write('Makefile', 'up:\n\tgoose -table $(shell cat table.txt) -dir migrations postgres "$(DB)" up\n');
    expect(resolveProject({ cwd: p.root }).runner.notices).toEqual([
      'goose: Makefile:2 (target up): -table … holds a value only make or the shell knows: the replay creates goose_db_version, and drift may name the team\'s table as extra',
    ]);
    // known values: no notice
    p.write('Makefile', 'up:\n\tgoose -table _migrations -dir migrations postgres "$(DB)" up\n');
    expect(resolveProject({ cwd: p.root }).runner.notices ?? []).toEqual([]);
  });

  it('-table in a Makefile recipe running goose on the folder names the table, over GOOSE_TABLE, as goose\'s flag does (field: e2b-dev/infra packages/db/Makefile)', async () => {
    const p = project({
      '.env': 'GOOSE_TABLE=from_env\n',
      Makefile: [
        'goose := GOOSE_DRIVER=postgres GOOSE_DBSTRING=$(POSTGRES_CONNECTION_STRING) go tool goose -table "_migrations" -dir "migrations"',
        '',
        'migrate:',
        '\t@$(goose) up',
        'seed:',
        '\tgoose -dir seeds -table _seeds postgres "$(DB)" up',
        '',
      ].join('\n'),
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public._migrations (');
    expect(result.sql).not.toContain('from_env');
    expect(result.sql).not.toContain('_seeds');
    // a pg_dump of the team's database has _migrations: goose's bookkeeping, never drift
    p.write('docs/architecture/schema-actual-2024-01-01.sql', result.sql);
    const checked = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(0);
  });

  it('a program that runs goose itself names the table in its Go code: goose.SetTableName(name) with a same-file constant (field: Permify/permify)', async () => {
    const goCode = (call: string) => ['package storage', '', 'import (', '\t"embed"', '\t"github.com/pressly/goose/v3"', ')', '', 'const (', '\tpostgresDialect = "postgres"', '\tmigrationsTable = "migrations"', ')', '', '//go:embed postgres/migrations/*.sql', 'var postgresMigrations embed.FS', '', 'func Migrate() error {', `\t${call}`, '\tgoose.SetBaseFS(postgresMigrations)', '\treturn nil', '}', ''].join('\n');
    const p = project({
      'go.mod': 'module example.com/app\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.5.0\n\tgithub.com/pressly/goose/v3 v3.17.0\n)\n',
      'internal/storage/migration.go': goCode('goose.SetTableName(migrationsTable)'),
      'internal/storage/postgres/migrations/20230101000000_init.sql': '-- +goose Up\nCREATE TABLE tenants (id text PRIMARY KEY);\n',
      // goose records the version in ITS table after the file: a file that uses it fails where that table is missing
      'internal/storage/postgres/migrations/20230102000000_note.sql': "-- +goose Up\nCOMMENT ON TABLE migrations IS 'goose history';\n",
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.migrations (');
    expect(result.sql).not.toContain('goose_db_version');
    // the team's database has public.migrations: bookkeeping, never drift
    p.write('docs/architecture/schema-actual-2024-01-01.sql', result.sql);
    const checked = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(0);
    // the Provider API's option, a literal
    p.write('internal/storage/migration.go', goCode('_, _ = goose.NewProvider(goose.DialectPostgres, nil, nil, goose.WithTableName("goose_versions"))'));
    p.write('internal/storage/postgres/migrations/20230102000000_note.sql', "-- +goose Up\nCOMMENT ON TABLE goose_versions IS 'goose history';\n");
    const provider = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(provider.report.migrationFailures).toEqual([]);
    expect(provider.sql).toContain('CREATE TABLE public.goose_versions (');
    // a goose up command of the project names its own (default) table: it wins, and the code's is said
    p.write('Makefile', 'migrate:\n\tgoose -dir internal/storage/postgres/migrations postgres "$(DB)" up\n');
    const notices: string[] = [];
    const both = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (n: string) => notices.push(n) });
    expect(both.sql).toContain('CREATE TABLE public.goose_db_version (');
    expect(notices.join('\n')).toContain('internal/storage/migration.go:17 WithTableName("goose_versions")), and its goose commands use goose_db_version: the replay creates goose_db_version, and drift ignores goose_versions too');
  });

  it('ENVSUB takes values from .env; a variable set in the environment wins over it', async () => {
    const p = project({
      '.env': 'TENANT_SCHEMA=from_dotenv\nOWNER=from_dotenv_owner\n',
      'migrations/00001_init.sql': "-- +goose Up\n-- +goose ENVSUB ON\nCREATE SCHEMA ${TENANT_SCHEMA};\nCREATE TABLE ${TENANT_SCHEMA}.t (note text DEFAULT '${OWNER}');\n",
    });
    process.env.OWNER = 'from_process';
    try {
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
      expect(result.report.migrationFailures).toEqual([]);
      expect(result.sql).toContain('CREATE TABLE from_dotenv.t (');
      expect(result.sql).toContain("'from_process'::text");
    } finally {
      delete process.env.OWNER;
    }
  });

  it('a .env that cannot be read (a folder) is left out, as goose loads it best effort', async () => {
    const p = project({ '.env/README': 'not a file\n', 'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE t (id int);\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.goose_db_version (');
  });

  it('reads .env lines as godotenv does', () => {
    expect(readDotEnv('A=1\nexport B = two words # comment\nC="quoted # not a comment\\nnext"\nD=\'single\'\n# E=no\nnot a line\n')).toEqual({
      A: '1',
      B: 'two words',
      C: 'quoted # not a comment\nnext',
      D: 'single',
    });
  });
});

describe('goose: GOOSE_MIGRATION_DIR from .env (cmd/goose/main.go: the folder when -dir is not given)', () => {
  it('names the folder (sqlc\'s sql/schema layout, found by no convention), for init too; a folder it names that does not exist is an error, even beside a conventional one', async () => {
    const p = project({
      '.env': 'GOOSE_DRIVER=postgres\nGOOSE_MIGRATION_DIR=./sql/schema\n',
      'sql/schema/001_authors.sql': '-- +goose Up\nCREATE TABLE authors (id bigint PRIMARY KEY);\n',
      'sql/schema/002_books.sql': '-- +goose Up\nCREATE TABLE books (author_id bigint REFERENCES authors);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['sql/schema/001_authors.sql', 'sql/schema/002_books.sql']);
    const initialized = await init({ cwd: p.root, skipLint: true });
    expect(initialized.detected).toMatchObject({ migrations: 'sql/schema', migrationsFromRunnerSettings: true, migrationCount: 2 });
    expect(initialized.config).not.toHaveProperty('migrations'); // left to GOOSE_MIGRATION_DIR, as goose leaves it
    expect((await dump({ cwd: p.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE public.books (');
    p.write('pgdrift.config.json', '{}\n');
    p.write('.env', 'GOOSE_MIGRATION_DIR=db/schema\n');
    p.write('migrations/001_authors.sql', '-- +goose Up\nCREATE TABLE authors (id bigint PRIMARY KEY);\n');
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow('GOOSE_MIGRATION_DIR (db/schema) names db/schema: no such folder');
  });
});

describe('goose: a search_path in GOOSE_DBSTRING (pgx passes it to the session)', () => {
  const MIGRATION = '-- +goose Up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n';

  it('the migrations and goose_db_version land in its schema, created beforehand (a baseline), as on the team\'s database', async () => {
    const p = project({
      '.env': 'GOOSE_DRIVER=postgres\nGOOSE_DBSTRING=postgres://app:secret@localhost:5432/app?sslmode=disable&search_path=tenant\n',
      'base/tenant.sql': 'CREATE SCHEMA tenant;\n',
      'migrations/00001_accounts.sql': MIGRATION,
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, baseline: ['base/tenant.sql'] });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE tenant.accounts (');
    expect(result.sql).toContain('CREATE TABLE tenant.goose_db_version (');
    expect(result.sql).not.toContain('public.accounts');
  });

  it('keyword/value form; a schema that does not exist fails goose\'s CREATE TABLE, as goose fails on a new database', async () => {
    const p = project({ '.env': "GOOSE_DBSTRING=\"user=app host=localhost search_path='tenant' sslmode=disable\"\n", 'migrations/00001_accounts.sql': MIGRATION });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['pgdrift:goose-bookkeeping.sql', '3F000']]);
  });

  it('reads the search_path of a URL and of keyword/value pairs, quoted or not', () => {
    expect(dbStringSearchPath('postgres://u:p@h:5431/delta?search_path=delta')?.schemas).toEqual(['delta']);
    expect(dbStringSearchPath('postgresql://h/db?search_path=%22$user%22,public')?.schemas).toEqual(['$user', 'public']);
    expect(dbStringSearchPath("user=a search_path = 'Tenant, public' sslmode=disable")).toEqual({ value: 'Tenant, public', schemas: ['tenant', 'public'] });
    expect(dbStringSearchPath('host=localhost user=a')).toBeUndefined();
    expect(dbStringSearchPath(undefined)).toBeUndefined();
  });
});

describe('dbmate: DBMATE_MIGRATIONS_TABLE and DATABASE_URL from .env', () => {
  it('DBMATE_MIGRATIONS_TABLE names the table; search_path in DATABASE_URL is the session path: the table and unqualified tables land there', async () => {
    const p = project({
      '.env': 'DATABASE_URL="postgres://app:secret@localhost:5432/app?sslmode=disable&search_path=tenant,public"\nDBMATE_MIGRATIONS_TABLE=dbmate_versions\n',
      'db/migrations/20240101000000_init.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE accounts;\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE SCHEMA tenant;');
    expect(result.sql).toContain('CREATE TABLE tenant.dbmate_versions (');
    expect(result.sql).toContain('CREATE TABLE tenant.accounts (');
    expect(result.sql).not.toContain('schema_migrations');
  });

  it('without .env: schema_migrations in public, as before', async () => {
    const p = project({ 'db/migrations/20240101000000_init.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.schema_migrations (');
    expect(result.sql).toContain('CREATE TABLE public.accounts (');
  });
});

/**
 * dbmate's own settings (amacneil/dbmate@f3e08f1 main.go): `--migrations-dir` / DBMATE_MIGRATIONS_DIR (a urfave/cli
 * slice flag: several folders separated by `,`, merged by db.go FindMigrations and sorted by file name) and
 * `--schema-file` / DBMATE_SCHEMA_FILE (where `dbmate dump` writes the schema), from the environment over `.env`.
 */
describe('dbmate: DBMATE_MIGRATIONS_DIR and DBMATE_SCHEMA_FILE from .env', () => {
  const TABLE = '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n';

  it('DBMATE_MIGRATIONS_DIR with two folders: one history sorted by file name, a conventional folder beside them left out', async () => {
    const p = project({
      '.env': 'DBMATE_MIGRATIONS_DIR=sql/schema, ./sql/data\n',
      'sql/schema/20240101000000_accounts.sql': TABLE,
      'sql/data/20240102000000_name.sql': '-- migrate:up\nALTER TABLE accounts ADD COLUMN name text;\n-- migrate:down\n',
      'sql/schema/20240103000000_email.sql': '-- migrate:up\nALTER TABLE accounts ADD COLUMN email text;\n-- migrate:down\n',
      'db/migrations/20240101000000_old.sql': '-- migrate:up\nCREATE TABLE old_copy (id int);\n-- migrate:down\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['sql/schema/20240101000000_accounts.sql', 'sql/data/20240102000000_name.sql', 'sql/schema/20240103000000_email.sql']);
    expect(result.sql).not.toContain('old_copy');
  });

  it('a DBMATE_MIGRATIONS_DIR folder that does not exist is one error naming the setting', async () => {
    const p = project({ '.env': 'DBMATE_MIGRATIONS_DIR=database/migrations\n', 'db/migrations/20240101000000_accounts.sql': TABLE });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow('DBMATE_MIGRATIONS_DIR (database/migrations) names database/migrations: no such folder');
  });

  it('DBMATE_SCHEMA_FILE is the snapshot check compares with, and the one init finds', async () => {
    const p = project({ '.env': 'DBMATE_SCHEMA_FILE=./database/schema.sql\n', 'db/migrations/20240101000000_accounts.sql': TABLE });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    p.write('database/schema.sql', replayed.sql.replace('id bigint NOT NULL', 'id bigint NOT NULL,\n    note text'));
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(result.snapshot?.path).toBe('database/schema.sql');
    expect(result.drift.map((d) => d.name)).toEqual(['public.accounts.note']);
    const initialized = await init({ cwd: p.root, skipLint: true });
    expect(initialized.config).toMatchObject({ runner: 'dbmate', snapshot: 'database/schema.sql' });
  });
});

describe('dbmate: flags in package.json scripts (dbmate ships on npm)', () => {
  const TABLE = '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n';

  it('NAME=value before dbmate in the script is its environment, over .env (field: argotorg/sourcify, DBMATE_MIGRATIONS_DIR=... dbmate up)', async () => {
    const p = project({
      'package.json': JSON.stringify({ scripts: { 'migrate:up': 'cross-env DBMATE_MIGRATIONS_DIR=services/database/migrations DATABASE_URL=postgres://u@h/db?search_path=tenant dbmate up' } }),
      '.env': 'DATABASE_URL="postgres://app@localhost:5432/app"\n',
      'services/database/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE SCHEMA IF NOT EXISTS tenant;\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['services/database/migrations/20240101000000_accounts.sql']);
    expect(replayed.report.migrationFailures).toEqual([]);
    // the script's DATABASE_URL wins over .env's: its search_path is the session's
    expect(replayed.sql).toContain('CREATE TABLE tenant.accounts (');
  });

  it('scripts that run dbmate up with different settings are a notice (which one the team runs is not in the repository), passwords hidden', () => {
    const p = project({
      'package.json': JSON.stringify({ scripts: { migrate: 'dbmate up', 'migrate:tenant': 'DATABASE_URL=postgres://u:hunter2@h/db?search_path=tenant dbmate --migrations-table tenant.versions up' } }),
      'db/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
    });
    const { runner } = resolveProject({ cwd: p.root });
    expect(runner.notices).toEqual([
      'dbmate: the package.json scripts run dbmate up with different settings (package.json script "migrate": no settings of its own; package.json script "migrate:tenant": --migrations-table tenant.versions DATABASE_URL=postgres://u:***@h/db?search_path=tenant): pgdrift takes each setting from the first script that gives one; name the one to check in pgdrift.config.json or run it with its environment',
    ]);
    const same = project({ 'package.json': JSON.stringify({ scripts: { a: 'dbmate up', b: 'dbmate --wait up' } }), 'db/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n' });
    expect(resolveProject({ cwd: same.root }).runner.notices).toBeUndefined();
  });

  // field: UPchieve/subway runs `dbmate -d ./database/seed-updates --migrations-table seed_migrations up` beside the
  // schema's `dbmate -d ./database/migrations --migrations-table schema_migrations up`: the seeds' script applies
  // another folder, so its table is not the replayed folder's, and the two are no disagreement
  it('a script that runs dbmate up on another folder gives none of its settings to the replayed folder', async () => {
    const p = project({
      'package.json': JSON.stringify({
        scripts: {
          'db:seeds-up': 'dbmate --no-dump-schema -d "./database/seed-updates" --url="postgres://u:pw@localhost:5432/app?search_path=seeds" --migrations-table="seed_migrations" up',
          'db:schema-up': 'dbmate --no-dump-schema -d "./database/migrations" --url="postgres://u:pw@localhost:5432/app" --migrations-table="schema_migrations" up',
        },
      }),
      'database/migrations/20240101000000_accounts.sql': TABLE,
      'database/seed-updates/20240101000000_seed.sql': "-- migrate:up\nINSERT INTO accounts VALUES (1);\n-- migrate:down\n",
    });
    const { runner, migrationsDir } = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, migrationsDir)).toBe(path.join('database', 'migrations'));
    expect(runner.notices).toBeUndefined();
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('CREATE TABLE public.schema_migrations (');
    expect(replayed.sql).toContain('CREATE TABLE public.accounts (');
    expect(replayed.sql).not.toContain('seed_migrations');
  });

  it('--env names the variable that holds the URL (main.go getDatabaseURL), and its search_path is the session\'s', async () => {
    const p = project({
      'package.json': JSON.stringify({ scripts: { migrate: 'dbmate --env APP_DB_URL up' } }),
      '.env': 'DATABASE_URL="postgres://app@localhost:5432/app"\nAPP_DB_URL="postgres://app@localhost:5432/app?search_path=tenant"\n',
      'db/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('CREATE TABLE tenant.accounts (');
    expect(replayed.sql).toContain('CREATE TABLE tenant.schema_migrations (');
  });

  it('--migrations-dir, --migrations-table, --schema-file and --env-file of the script that runs up are followed, over DBMATE_* (main.go flags)', async () => {
    const p = project({
      'package.json': JSON.stringify({ scripts: { 'db:migrate': 'dbmate --env-file .env.local --migrations-dir ./packages/db/migrations --migrations-table meta.versions -s packages/db/schema.sql --no-dump-schema --wait up', 'db:new': 'dbmate new' } }),
      '.env': 'DBMATE_MIGRATIONS_TABLE=ignored_versions\n',
      '.env.local': 'DATABASE_URL="postgres://app@localhost:5432/app?search_path=tenant,public"\n',
      // the session's search_path comes from DATABASE_URL in .env.local: unqualified tables land in tenant
      'packages/db/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE SCHEMA IF NOT EXISTS tenant;\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
      'db/migrations/20240101000000_old.sql': '-- migrate:up\nCREATE TABLE old_copy (id int);\n-- migrate:down\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['packages/db/migrations/20240101000000_accounts.sql']);
    expect(replayed.sql).toContain('CREATE TABLE meta.versions (');
    expect(replayed.sql).toContain('CREATE TABLE tenant.accounts (');
    expect(replayed.sql).not.toContain('ignored_versions');
    p.write('packages/db/schema.sql', replayed.sql);
    const initialized = await init({ cwd: p.root, skipLint: true });
    expect(initialized.config).toMatchObject({ runner: 'dbmate', snapshot: 'packages/db/schema.sql' });
    // the conventional db/migrations beside it is not what the scripts run: the config leaves the folder to them, as check does
    expect(initialized.config.migrations).toBeUndefined();
    expect(initialized.detected).toMatchObject({ migrations: 'packages/db/migrations', migrationCount: 1, runnerSetting: expect.stringContaining('package.json script "db:migrate"') });
  });

  it('scripts naming different folders are an error naming them; a folder only the shell knows asks for --migrations', async () => {
    const several = project({ 'package.json': JSON.stringify({ scripts: { a: 'dbmate -d db/a up', b: 'dbmate --migrations-dir=db/b migrate' } }), 'db/a/1_a.sql': TABLE, 'db/b/1_b.sql': TABLE });
    await expect(dump({ cwd: several.root, engine: 'pglite', noCache: true })).rejects.toThrow('the package.json scripts run dbmate on different migrations folders: db/a (package.json script "a"); db/b (package.json script "b")');
    const dynamic = project({ 'package.json': JSON.stringify({ scripts: { up: 'dbmate -d "$DIR" up' } }), 'db/migrations/1_a.sql': TABLE });
    await expect(dump({ cwd: dynamic.root, engine: 'pglite', noCache: true })).rejects.toThrow('package.json script "up" runs dbmate with --migrations-dir $DIR, a value only the shell knows');
  });

  // Go projects run dbmate from make (field sweep: `dbmate -d ./internal/config/migrations -url ${DATABASE_URL} up`
  // in a Makefile; pgdrift said "no migrations folder found" and replayed its --migrations-table as schema_migrations)
  it('the Makefile\'s dbmate up recipes are read as the scripts are: folder (after a cd), table, URL; a folder only make knows is a notice', async () => {
    const p = project({
      Makefile: ['include .env', 'export', '', 'db-up:', '\tcd internal && dbmate -d ./config/migrations --migrations-table ops_versions -url "${DATABASE_URL}" up', 'db-down:', '\tdbmate -d ./other down', ''].join('\n'),
      '.env': 'DATABASE_URL=postgres://u:p@localhost:5432/db?sslmode=disable&search_path=app\n',
      'internal/config/migrations/20240101000000_a.sql': '-- migrate:up\nCREATE SCHEMA IF NOT EXISTS app;\nCREATE TABLE items (id int);\n-- migrate:down\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe(path.join('internal', 'config', 'migrations'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.items (');
    expect(result.sql).toContain('CREATE TABLE app.ops_versions (');
    expect(result.sql).not.toContain('schema_migrations');

    // dbmate run with go run from its module path (…/dbmate/v2: the major version is no program name), after a cd:
    // its default folder and schema file are that folder's (field: `cd internal/cfp && go run github.com/amacneil/dbmate/v2 up`)
    const cd = project({
      Makefile: 'DBMATE = go run github.com/amacneil/dbmate/v2\ndbmateup:\n\tcd internal/cfp && $(DBMATE) up\n',
      'internal/cfp/db/migrations/1_a.sql': TABLE,
    });
    const cdResolved = resolveProject({ cwd: cd.root });
    expect(path.relative(cd.root, cdResolved.migrationsDir)).toBe(path.join('internal', 'cfp', 'db', 'migrations'));
    expect(cdResolved.snapshotGlob).toBe('internal/cfp/db/schema.sql');
    // two histories, each in its own folder: an error naming both
    cd.write('Makefile', 'dbmateup:\n\tcd internal/cfp && go run github.com/amacneil/dbmate/v2@v2.21.0 up\n\tcd internal/dkui && go run github.com/amacneil/dbmate/v2 up\n');
    cd.write('internal/dkui/db/migrations/1_b.sql', TABLE);
    expect(() => resolveProject({ cwd: cd.root })).toThrow('the Makefile recipes run dbmate on different migrations folders: internal/cfp/db/migrations (Makefile:2 (target dbmateup)); internal/dkui/db/migrations (Makefile:3 (target dbmateup))');

    const unknown = project({ Makefile: 'db-up:\n\tdbmate -d $(MIGRATIONS) up\n', 'db/migrations/1_a.sql': TABLE });
    const resolved = resolveProject({ cwd: unknown.root });
    expect(path.relative(unknown.root, resolved.migrationsDir)).toBe(path.join('db', 'migrations'));
    expect(resolved.runner.notices).toEqual(['dbmate: Makefile:2 (target db-up): --migrations-dir … holds a value only make or the shell knows: the folder found (db/migrations) is replayed']);
  });
});

describe('dbmate: the Makefile\'s dbmate commands', () => {
  const TABLE = '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n';
  it('a Makefile recipe that runs dbmate up names the folder and table (expanded as make would), as a package.json script does', async () => {
    const p = project({
      Makefile: ['DBMATE = dbmate --migrations-dir ./db/schema/migrations --migrations-table meta.versions', '', 'migrate:', '\t$(DBMATE) --wait up', 'new:', '\tdbmate -d other new $(NAME)', 'docker-migrate:', '\tdocker run --rm -v $(PWD)/db:/db amacneil/dbmate -d /db/container up', ''].join('\n'),
      'db/schema/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
      'db/migrations/20240101000000_old.sql': '-- migrate:up\nCREATE TABLE old_copy (id int);\n-- migrate:down\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe(path.join('db', 'schema', 'migrations'));
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('CREATE TABLE public.accounts (');
    // the flag's bookkeeping table (dbmate creates its schema too)
    expect(replayed.sql).toContain('CREATE TABLE meta.versions (');
    expect(replayed.sql).not.toContain('old_copy');
  });

  it('a -d only make or the shell knows is a notice (the folder found is replayed); Makefile and package.json folders that differ are named', async () => {
    const dynamic = project({ Makefile: 'up:\n\tdbmate -d $(shell git rev-parse --show-toplevel)/db/migrations up\n', 'db/migrations/1_a.sql': TABLE });
    const resolved = resolveProject({ cwd: dynamic.root });
    expect(path.relative(dynamic.root, resolved.migrationsDir)).toBe(path.join('db', 'migrations'));
    expect(resolved.runner.notices).toEqual([expect.stringContaining('Makefile:2 (target up): --migrations-dir …/db/migrations holds a value only make or the shell knows: the folder found (db/migrations) is replayed')]);
    const both = project({ Makefile: 'up:\n\tdbmate -d db/a up\n', 'package.json': JSON.stringify({ scripts: { b: 'dbmate -d db/b up' } }), 'db/a/1_a.sql': TABLE, 'db/b/1_b.sql': TABLE });
    await expect(dump({ cwd: both.root, engine: 'pglite', noCache: true })).rejects.toThrow('the package.json scripts and Makefile recipes run dbmate on different migrations folders: db/b (package.json script "b"); db/a (Makefile:2 (target up))');
  });
});

describe('dbmate: pgdrift snapshot writes db/schema.sql as dbmate dump writes it', () => {
  it('no leading comments, the versions after "-- Dbmate schema migrations" (what dbmate load restores); check then finds it clean', async () => {
    const p = project({
      '.env': 'DBMATE_MIGRATIONS_TABLE=ops.versions\n',
      'db/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
      'db/migrations/20240102000000_name.sql': '-- migrate:up\nALTER TABLE accounts ADD COLUMN name text;\n-- migrate:down\n',
    });
    const result = await snapshot({ cwd: p.root, engine: 'pglite', noCache: true, docs: false });
    expect(result.written).toBe('db/schema.sql');
    const text = readFileSync(path.join(p.root, 'db/schema.sql'), 'utf8');
    // the embedded pg_dump 18 writes \restrict lines: dbmate 2.29+ gives it --restrict-key=dbmate, and the header stays
    expect(text).toMatch(/^\\restrict dbmate\n\n-- Dumped from database version 18\.\d+\n-- Dumped by pg_dump version 18\.\d+\n\nSET statement_timeout = 0;\n/);
    expect(text).toContain('\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict dbmate\n\n');
    expect(text.endsWith("\n--\n-- Dbmate schema migrations\n--\n\nINSERT INTO ops.versions (version) VALUES\n    ('20240101000000'),\n    ('20240102000000');\n")).toBe(true);
    expect(text).not.toMatch(/ +\n/);
    const checked = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(0);
  });

  // The versions block says when the file was dumped: a later migration that changes no schema (data) leaves the
  // schema matching, yet `dbmate load` + `dbmate up` would run it again. Field sweep of dbmate projects: a version
  // removed from milaneuh/cube3's db/schema.sql was not noticed at all.
  it('check says when db/schema.sql does not record a migration as applied, or records a version no file has', async () => {
    const p = project({
      'db/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
    });
    await snapshot({ cwd: p.root, engine: 'pglite', noCache: true, docs: false });
    const notices: string[] = [];
    const clean = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false, onNotice: (n) => notices.push(n) });
    expect(clean.exitCode).toBe(0);
    expect(notices.filter((n) => n.includes('db/schema.sql'))).toEqual([]);
    p.write('db/migrations/20240102000000_seed.sql', "-- migrate:up\nINSERT INTO accounts VALUES (1);\n-- migrate:down\n");
    const schema = readFileSync(path.join(p.root, 'db/schema.sql'), 'utf8');
    p.write('db/schema.sql', schema.replace("('20240101000000');", "('20231231000000'),\n    ('20240101000000');"));
    const stale: string[] = [];
    const checked = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false, onNotice: (n) => stale.push(n) });
    expect(checked.drift).toEqual([]);
    expect(stale).toContain('db/schema.sql does not record 1 of the 2 migrations as applied (20240102000000): dbmate dumped it before that one ran; regenerate it (dbmate dump, or pgdrift snapshot)');
    expect(stale).toContain('db/schema.sql records 1 applied version no migration file has (20231231000000): removed or renamed since it was dumped');
    // pgdrift snapshot regenerates it as the notice says, although the schema it prints is unchanged
    const regenerated = await snapshot({ cwd: p.root, engine: 'pglite', noCache: true, docs: false });
    expect([regenerated.written, regenerated.changed]).toEqual(['db/schema.sql', []]);
    const rewritten = readFileSync(path.join(p.root, 'db/schema.sql'), 'utf8');
    expect(rewritten).toContain("('20240101000000'),\n    ('20240102000000');");
    expect(rewritten).not.toContain('20231231000000');
    const after: string[] = [];
    await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false, onNotice: (n) => after.push(n) });
    expect(after.filter((n) => n.includes('db/schema.sql'))).toEqual([]);
    // and an up-to-date file is left alone
    expect((await snapshot({ cwd: p.root, engine: 'pglite', noCache: true, docs: false })).written).toBeUndefined();
  });

  it('a snapshot glob of pgdrift\'s own is written as pg_dump writes it', async () => {
    const p = project({
      'pgdrift.config.json': JSON.stringify({ snapshot: 'docs/architecture/schema-actual-*.sql' }),
      'db/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
    });
    const result = await snapshot({ cwd: p.root, engine: 'pglite', noCache: true, docs: false, date: '2024-01-01' });
    const text = readFileSync(path.join(p.root, result.written!), 'utf8');
    expect(text.startsWith('--\n-- PostgreSQL database dump\n')).toBe(true);
    expect(text).not.toContain('Dbmate schema migrations');
  });
});

describe('goose: what the Makefile recipe gives goose (its exported variables, NAME=value words, the DBSTRING argument, a cd)', () => {
  // cmd/goose/main.go: loadEnvConfig reads GOOSE_MIGRATION_DIR, GOOSE_TABLE, GOOSE_DRIVER and GOOSE_DBSTRING from the
  // process environment, which make fills with the variables the Makefile exports; mergeArgs puts GOOSE_DRIVER and
  // GOOSE_DBSTRING before the words after the flags; -dir defaults to GOOSE_MIGRATION_DIR, else "." (the working
  // directory, where a `cd` of the recipe line went)
  it('exported GOOSE_TABLE and GOOSE_DBSTRING (search_path) of the Makefile are goose\'s: the table and the objects land where goose puts them', async () => {
    const p = project({
      Makefile: [
        'DB_SCHEMA ?= app',
        'export GOOSE_DRIVER := postgres',
        'export GOOSE_DBSTRING := postgres://u:p@localhost:5432/x?sslmode=disable&search_path=$(DB_SCHEMA)',
        'export GOOSE_MIGRATION_DIR ?= db/migrations',
        'export GOOSE_TABLE ?= public.migrations',
        '',
        'migrate-up:',
        '\tgoose up',
        '',
      ].join('\n'),
      'db/migrations/00001_schema.sql': '-- +goose Up\nCREATE SCHEMA IF NOT EXISTS app;\n',
      'db/migrations/00002_items.sql': '-- +goose Up\nCREATE TABLE items (id int);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.items (');
    expect(result.sql).toContain('CREATE TABLE public.migrations (');
    expect(result.sql).not.toContain('goose_db_version');
  });

  it('NAME=value words before goose name its folder and table; a DBSTRING argument\'s search_path is the session\'s', async () => {
    const p = project({
      Makefile: ['up:', '\tGOOSE_DRIVER=postgres GOOSE_MIGRATION_DIR=sql/schema GOOSE_TABLE=_versions GOOSE_DBSTRING="$(DB)" goose up', ''].join('\n'),
      'sql/schema/00001_t.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe(path.join('sql', 'schema'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public._versions (');

    const q = project({
      Makefile: ['up:', '\tgoose -dir migrations postgres "postgres://u@localhost/db?search_path=tenant" up', ''].join('\n'),
      'migrations/00001_schema.sql': "-- +goose Up\nCOMMENT ON SCHEMA tenant IS 'tenant data';\n",
      'migrations/00002_t.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
      'baseline.sql': 'CREATE SCHEMA tenant;\n',
      'pgdrift.config.json': JSON.stringify({ baseline: ['baseline.sql'] }),
    });
    const tenant = await dump({ cwd: q.root, engine: 'pglite', noCache: true });
    expect(tenant.report.migrationFailures).toEqual([]);
    expect(tenant.sql).toContain('CREATE TABLE tenant.t (');
    expect(tenant.sql).toContain('CREATE TABLE tenant.goose_db_version (');
  });

  it('goose run from its module path with a version is goose (field: a Makefile running go run …/cmd/goose@latest -dir …)', () => {
    const p = project({
      Makefile: 'GOOSE_MIGRATION_DIR ?= internal/infra/db/postgres/migrations\nup:\n\tgo run github.com/pressly/goose/v3/cmd/goose@latest -dir $(GOOSE_MIGRATION_DIR) postgres "$(DB)" up\n',
      'internal/infra/db/postgres/migrations/00001_t.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe(path.join('internal', 'infra', 'db', 'postgres', 'migrations'));
  });

  it('goose after a cd loads the .env of the folder it went to, not the root\'s; a .env.example there is never read, only named when it sets another driver (field: r0m43g/yopta)', async () => {
    const p = project({
      '.env': 'GOOSE_TABLE=root_versions\n',
      Makefile: ['migrate-up:', '\tcd backend/migrations && goose up', ''].join('\n'),
      'backend/migrations/.env': 'GOOSE_DRIVER=postgres\nGOOSE_DBSTRING=postgres://localhost/app?search_path=app\nGOOSE_TABLE=backend_versions\n',
      'backend/migrations/00001_t.sql': '-- +goose Up\nCREATE SCHEMA IF NOT EXISTS app;\n',
      'backend/migrations/00002_t.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe(path.join('backend', 'migrations'));
    expect(resolved.runner.bookkeeping?.[0]).toBe('app.backend_versions');
    // the .env there names the database goose runs on
    p.write('backend/migrations/.env', 'GOOSE_DRIVER=mysql\nGOOSE_DBSTRING=user:pass@tcp(db:3306)/app\n');
    const mysql = resolveProject({ cwd: p.root });
    expect(mysql.runner.discover(mysql.migrationsDir, { projectRoot: p.root }).notPostgres).toBe('Makefile:2 (target migrate-up) (goose mysql … up) runs goose with the mysql driver: this is not a PostgreSQL project');
    // only an example of it: goose reads none, the replay goes on, and a notice names what the team's .env may say
    rmSync(path.join(p.root, 'backend/migrations/.env'));
    rmSync(path.join(p.root, '.env'));
    p.write('backend/migrations/.env.example', 'GOOSE_DRIVER=mysql\nGOOSE_DBSTRING=dbUser:dbPass@tcp(dbHost:3306)/database?parseTime=true\n');
    p.write('backend/migrations/00001_t.sql', '-- +goose Up\nSELECT 1;\n');
    const example = resolveProject({ cwd: p.root });
    expect(example.runner.discover(example.migrationsDir, { projectRoot: p.root }).notPostgres).toBeUndefined();
    expect(example.runner.notices).toEqual([
      'goose: Makefile:2 (target migrate-up) runs goose with no driver of its own, and backend/migrations/.env.example sets GOOSE_DRIVER=mysql: goose reads only .env (there is none there), never .env.example; if the team\'s .env is made from it, goose runs these migrations on mysql, not PostgreSQL. The migrations are replayed on PostgreSQL',
    ]);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.goose_db_version (');
  });

  it('a cd of the recipe line moves goose: -dir is relative to where it went, and no -dir is that folder itself', async () => {
    const p = project({
      Makefile: ['up:', '\tcd sql && goose -dir migrations postgres "$(DB)" up', ''].join('\n'),
      'sql/migrations/00001_t.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe(path.join('sql', 'migrations'));
    const q = project({
      Makefile: ['up:', '\tcd internal/db/schema; go tool goose postgres "$(DB)" up', ''].join('\n'),
      'migrations/00001_old.sql': '-- +goose Up\nCREATE TABLE old (id int);\n',
      'internal/db/schema/00001_t.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    expect(path.relative(q.root, resolveProject({ cwd: q.root }).migrationsDir)).toBe(path.join('internal', 'db', 'schema'));
    // a cd only the shell can follow: the folder is unknown, said in a notice
    q.write('Makefile', 'up:\n\tcd "$$SCHEMA_DIR" && goose -dir . postgres "$(DB)" up\n');
    const resolved = resolveProject({ cwd: q.root });
    expect(path.relative(q.root, resolved.migrationsDir)).toBe('migrations');
    expect(resolved.runner.notices).toEqual(['goose: Makefile:2 (target up): -dir . after a cd to … holds a value only make or the shell knows: the folder found (migrations) is replayed']);
  });
});
