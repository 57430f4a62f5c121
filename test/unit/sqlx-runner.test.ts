import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { detectRunner, findNestedMigrationsFolders } from '../../src/runners/index.js';
import { planSqlx, sqlx } from '../../src/runners/sqlx.js';
import { readSqlxToml } from '../../src/runners/sqlx-toml.js';
import { InputError } from '../../src/errors.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/** sqlx (launchbadge/sqlx@9d6bf66): source.rs discovery, migrate.rs transactions, detection through Cargo.toml. */
const project = tempProjects();
const CARGO = '[package]\nname = "app"\n\n[dependencies]\nsqlx = { version = "0.8", features = ["postgres"] }\n';

beforeAll(() => loadSqlParser());

describe('sqlx discovery', () => {
  it('orders by the version as a number, skips names without _ or .sql, never applies .down.sql', () => {
    const p = project({
      'migrations/20240101000000_b.sql': '',
      'migrations/9_a.up.sql': '',
      'migrations/9_a.down.sql': '',
      'migrations/README.md': '',
      'migrations/schema.sql': '',
      'migrations/sub/1_nested.sql': '',
    });
    const found = sqlx.discover(`${p.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['9_a.up.sql', '20240101000000_b.sql']);
    expect(found.ignored.map((f) => [f.name, f.expected ?? false])).toEqual([
      ['9_a.down.sql', true],
      ['schema.sql', false],
    ]);
    expect(found.problems).toEqual([]);
  });

  it('refuses a name whose version is not an i64, as sqlx stops the whole run, and two up migrations with one version', () => {
    const p = project({ 'migrations/init_users.sql': '', 'migrations/1_a.sql': '', 'migrations/01_b.sql': '', 'migrations/99999999999999999999_big.sql': '' });
    const { problems } = sqlx.discover(`${p.root}/migrations`);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('99999999999999999999_big.sql: error parsing migration filename');
    expect(problems[1]).toContain('init_users.sql: error parsing migration filename');
    expect(problems[2]).toMatch(/1_a\.sql.*01_b\.sql|01_b\.sql.*1_a\.sql/);
  });

  it("lint's file-name takes any description sqlx takes (field report: DefGuard's 20251218140442_[2.0.0]_initial.up.sql)", () => {
    const pattern = sqlx.lint.fileNamePattern;
    for (const name of ['20251218140442_[2.0.0]_initial.up.sql', '1_init.sql', '2_add users.down.sql']) expect(pattern.test(name), name).toBe(true);
    for (const name of ['init.sql', '1init.sql', '1_x.txt', 'sub/1_x.sql']) expect(pattern.test(name), name).toBe(false);
  });

  it('-- no-transaction only as the very start of the file', () => {
    expect(planSqlx('-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n').parts[0].transaction).toBe('implicit');
    expect(planSqlx('\n-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n').parts[0].transaction).toBe('wrapped');
    expect(planSqlx('CREATE TABLE t (a int);\n').parts[0].transaction).toBe('wrapped');
  });
});

describe('sqlx detection', () => {
  it('a Cargo.toml that depends on sqlx makes .up.sql files sqlx, not golang-migrate; without it they stay golang-migrate', () => {
    const files = { 'migrations/1_init.up.sql': 'CREATE TABLE t (id int);\n', 'migrations/1_init.down.sql': 'DROP TABLE t;\n' };
    const withCargo = project({ ...files, 'Cargo.toml': CARGO });
    expect(detectRunner(`${withCargo.root}/migrations`, withCargo.root).runner.name).toBe('sqlx');
    const workspace = project({ ...files, 'Cargo.toml': '[workspace]\nmembers = ["api"]\n\n[workspace.dependencies.sqlx]\nversion = "0.8"\n' });
    expect(detectRunner(`${workspace.root}/migrations`, workspace.root).runner.name).toBe('sqlx');
    const without = project(files);
    expect(detectRunner(`${without.root}/migrations`, without.root).runner.name).toBe('golang-migrate');
    const otherCrate = project({ ...files, 'Cargo.toml': '[dependencies]\nsqlx-core-not = "1"\ndiesel = "2"\n' });
    expect(detectRunner(`${otherCrate.root}/migrations`, otherCrate.root).runner.name).toBe('golang-migrate');
  });

  it('a dotted key (`sqlx.workspace = true`, `sqlx.version = ...`) is a sqlx dependency too, as Cargo reads TOML (field: wyatt-herkamp/nitro_repo@bf0a3b5 crates/core)', () => {
    const files = { 'crates/core/migrations/1_init.up.sql': 'CREATE TABLE t (id int);\n', 'crates/core/migrations/1_init.down.sql': 'DROP TABLE t;\n' };
    const dotted = project({ ...files, 'crates/core/Cargo.toml': '[package]\nname = "core"\n[dependencies]\nsqlx.workspace = true\n' });
    expect(findNestedMigrationsFolders(dotted.root)).toEqual(['crates/core/migrations']);
    expect(detectRunner(`${dotted.root}/crates/core/migrations`, dotted.root).runner.name).toBe('sqlx');
    const version = project({ ...files, 'crates/core/Cargo.toml': '[dependencies]\nsqlx . version = "0.8"\n' });
    expect(detectRunner(`${version.root}/crates/core/migrations`, version.root).runner.name).toBe('sqlx');
    const other = project({ ...files, 'crates/core/Cargo.toml': '[dependencies]\nsqlx-core.workspace = true\n' });
    expect(findNestedMigrationsFolders(other.root)).toEqual([]);
  });

  it('Cargo.toml is read as TOML: a renamed dependency (package = "sqlx") and a target-specific one count; a comment or another table (package.metadata) does not', () => {
    const files = { 'migrations/1_init.up.sql': 'CREATE TABLE t (id int);\n', 'migrations/1_init.down.sql': 'DROP TABLE t;\n' };
    const runnerWith = (manifest: string) => {
      const p = project({ ...files, 'Cargo.toml': manifest });
      return detectRunner(`${p.root}/migrations`, p.root).runner.name;
    };
    expect(runnerWith('[dependencies]\ndb = { package = "sqlx", version = "0.8" }\n')).toBe('sqlx');
    expect(runnerWith("[target.'cfg(unix)'.dependencies]\nsqlx = \"0.8\"\n")).toBe('sqlx');
    expect(runnerWith('[dev-dependencies.sqlx]\nversion = "0.8"\n')).toBe('sqlx');
    expect(runnerWith('[dependencies]\n# sqlx = "0.8" (moved to diesel)\ndiesel = "2"\n')).toBe('golang-migrate');
    expect(runnerWith('[package.metadata]\nsqlx = "not a dependency"\n')).toBe('golang-migrate');
  });

  it("a crate whose sqlx is for SQLite only is refused as not PostgreSQL, and is no monorepo candidate (field: atuinsh/atuin crates/atuin-server-sqlite)", async () => {
    const p = project({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n\n[workspace.dependencies.sqlx]\nversion = "0.9"\nfeatures = ["runtime-tokio", "time"]\n',
      'crates/server-sqlite/Cargo.toml': '[package]\nname = "s"\n\n[dependencies]\nsqlx = { workspace = true, features = ["sqlite", "regexp"] }\n',
      'crates/server-sqlite/migrations/20240108124830_create-history.sql': 'create table history (id integer primary key autoincrement);\n',
      'crates/server-postgres/Cargo.toml': '[package]\nname = "p"\n\n[dependencies]\nsqlx = { workspace = true, features = ["postgres"] }\n',
      'crates/server-postgres/migrations/20210425153745_create_history.sql': 'create table history (id bigserial primary key);\n',
      // no database feature of its own (Cargo's feature unification gives it one): taken as PostgreSQL
      'crates/kv/Cargo.toml': '[package]\nname = "k"\n\n[dependencies]\nsqlx = { workspace = true }\n',
      'crates/kv/migrations/1_kv.sql': 'create table kv (k text primary key);\n',
      // a feature of the crate can turn postgres on
      'crates/both/Cargo.toml': '[package]\nname = "b"\n\n[features]\npg = ["sqlx/postgres"]\n\n[dependencies]\nsqlx = { version = "0.8", features = ["sqlite"] }\n',
      'crates/both/migrations/1_b.sql': 'create table b (id int primary key);\n',
    });
    expect(findNestedMigrationsFolders(p.root)).toEqual(['crates/both/migrations', 'crates/kv/migrations', 'crates/server-postgres/migrations']);
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true, migrations: 'crates/server-sqlite/migrations' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('crates/server-sqlite/Cargo.toml enables sqlx only for sqlite (features "sqlite", "regexp", "runtime-tokio", "time"): these are SQLite migrations, not PostgreSQL ones');
    const postgres = await dump({ cwd: p.root, engine: 'pglite', noCache: true, migrations: 'crates/server-postgres/migrations' });
    expect(postgres.report.migrationFailures).toEqual([]);
  });

  it("a crate naming no sqlx database feature is read by the driver its code uses (field: atuinsh/atuin crates/atuin-kv, atuin-scripts)", async () => {
    const p = project({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n\n[workspace.dependencies.sqlx]\nversion = "0.9"\nfeatures = ["runtime-tokio", "time"]\n',
      'crates/server-postgres/Cargo.toml': '[package]\nname = "p"\n\n[dependencies]\nsqlx = { workspace = true, features = ["postgres"] }\n',
      'crates/server-postgres/migrations/20210425153745_create_history.sql': 'create table history (id bigserial primary key);\n',
      // Cargo's feature unification gives it sqlite; its code opens a SqlitePool and runs migrate!() on it
      'crates/kv/Cargo.toml': '[package]\nname = "k"\n\n[dependencies]\nsqlx = { workspace = true }\n',
      'crates/kv/src/database.rs': 'use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};\n\npub async fn open(pool: &SqlitePool) {\n    sqlx::migrate!("./migrations").run(pool).await.unwrap();\n}\n',
      'crates/kv/migrations/20250101000000_kv.sql': 'create table kv (k text primary key) strict;\n',
      // no feature either, but a PgPool: PostgreSQL
      'crates/jobs/Cargo.toml': '[package]\nname = "j"\n\n[dependencies]\nsqlx = { workspace = true }\n',
      'crates/jobs/src/lib.rs': 'pub async fn run(pool: &sqlx::PgPool) {\n    sqlx::migrate!().run(pool).await.unwrap();\n}\n',
      'crates/jobs/migrations/1_jobs.sql': 'create table jobs (id bigint primary key);\n',
    });
    expect(findNestedMigrationsFolders(p.root)).toEqual(['crates/jobs/migrations', 'crates/server-postgres/migrations']);
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true, migrations: 'crates/kv/migrations' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain("crates/kv/Cargo.toml names no sqlx database feature, and the crate's code uses sqlx only with SQLite (sqlx::sqlite, SqlitePool...): these are SQLite migrations, not PostgreSQL ones");
  });

  it('plain <version>_<name>.sql files in a sqlx project: sqlx, replayed in version order with _sqlx_migrations', async () => {
    const p = project({
      'Cargo.toml': CARGO,
      'migrations/20240101000000_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, kind user_kind);\n',
      'migrations/3_kind.sql': "CREATE TYPE user_kind AS ENUM ('a', 'b');\n",
    });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).toContain('runner sqlx detected in migrations/');
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public._sqlx_migrations (');
    expect(result.sql).toContain('kind public.user_kind');
  });

  it('CREATE INDEX CONCURRENTLY without -- no-transaction fails as with sqlx (25001), at its line', async () => {
    const p = project({
      'Cargo.toml': CARGO,
      'migrations/1_t.sql': 'CREATE TABLE t (a int);\n',
      'migrations/2_index.sql': '-- build it without locking\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/2_index.sql', 2, '25001']]);
  });

  it('a file starting with a UTF-8 byte order mark fails at 1:1, as sqlx sends the mark to Postgres (source.rs read_to_string; sqlx#3452)', async () => {
    const p = project({
      'Cargo.toml': CARGO,
      'migrations/1_t.sql': 'CREATE TABLE t (a int);\n',
      'migrations/2_u.sql': '\uFEFF-- no-transaction\nCREATE TABLE u (a int);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['migrations/2_u.sql', 1, 1, '42601']]);
    expect(result.report.migrationFailures[0].message).toMatch(/byte order mark .* which sqlx sends to Postgres/);
    expect(result.sql).not.toContain('CREATE TABLE public.u');
  });

  it('the replay cache does not serve the replay of the same file without its byte order mark (the text read is the same)', async () => {
    const p = project({ 'Cargo.toml': CARGO, 'migrations/1_t.sql': 'CREATE TABLE t (a int);\n' });
    const cacheDir = path.join(p.root, '.cache');
    expect((await dump({ cwd: p.root, engine: 'pglite', cacheDir })).report.migrationFailures).toEqual([]);
    p.write('migrations/1_t.sql', '\uFEFFCREATE TABLE t (a int);\n');
    const marked = await dump({ cwd: p.root, engine: 'pglite', cacheDir });
    expect(marked.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/1_t.sql', 1, '42601']]);
  });
});

describe('sqlx.toml [migrate] (sqlx 0.9: sqlx-core config/migrate.rs, sqlx-macros-core migrate.rs)', () => {
  const CARGO_09 = '[package]\nname = "durable"\n\n[dependencies]\nsqlx = { version = "0.9.0-alpha.1", features = ["sqlx-toml", "postgres"] }\n';

  it('migrations-dir names the folder and table-name the history table (field: tensorzero/durable, src/postgres/migrations and __durable_sqlx_migrations)', async () => {
    const p = project({
      'Cargo.toml': CARGO_09,
      'sqlx.toml': '[migrate]\nmigrations-dir = "src/postgres/migrations"\ntable-name = "__durable_sqlx_migrations"  # custom table name to avoid conflicts\n\n[macros.preferred-crates]\ndate-time = "chrono"\n',
      'src/postgres/migrations/20251202002136_initial_setup.sql': 'CREATE SCHEMA IF NOT EXISTS durable;\nCREATE TABLE durable.queues (name text PRIMARY KEY);\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('CREATE TABLE public.__durable_sqlx_migrations (');
    expect(replayed.sql).not.toContain('CREATE TABLE public._sqlx_migrations (');
    // a pg_dump of the team's database has sqlx's table under that name: it is bookkeeping, not drift
    p.write('docs/architecture/schema-actual-2026-01-01.sql', replayed.sql);
    const checked = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(0);
  });

  it('a schema-qualified, quoted table-name; create-schemas and a value that is not a string are named in a notice', () => {
    const p = project({
      'Cargo.toml': CARGO_09,
      'sqlx.toml': "[ migrate ]\ncreate-schemas = ['ops']\ntable-name = 'ops.\"Sqlx_History\"'\nmigrations-dir = 42\n",
      'migrations/1_a.sql': '',
    });
    const configured = sqlx.forProject!(`${p.root}/migrations`, { projectRoot: p.root });
    expect(configured.bookkeeping).toEqual(['ops.Sqlx_History']);
    expect(configured.bookkeepingSetup?.sql).toContain('CREATE TABLE IF NOT EXISTS ops."Sqlx_History" (');
    expect(configured.notices).toEqual([
      "sqlx.toml: migrate.migrations-dir is a number (42), not a string: the replay uses sqlx's default there",
      'sqlx.toml settings pgdrift does not replay: create-schemas (sqlx.toml)',
    ]);
    expect(sqlx.forProject!(`${project({ 'Cargo.toml': CARGO_09, 'migrations/1_a.sql': '' }).root}/migrations`, {})).toEqual({});
  });

  it('reads every TOML string form (a multi-line string, dotted keys, escapes), as sqlx does with its TOML reader', () => {
    const p = project({
      'Cargo.toml': CARGO_09,
      'sqlx.toml': 'migrate.migrations-dir = """\ndb/migrations"""\nmigrate."table-name" = "ops.\\u0068istory"\n',
      'db/migrations/1_a.sql': '',
    });
    const found = readSqlxToml(p.root, p.root)!;
    expect([found.migrationsDir, found.tableName, found.problems]).toEqual(['db/migrations', 'ops.history', []]);
  });

  it('a sqlx.toml that is not valid TOML is an input error at its line and column (sqlx::migrate!() refuses it too)', () => {
    const p = project({ 'Cargo.toml': CARGO_09, 'sqlx.toml': 'migrate.create-schemas = ["ops"]\n[migrate]\ntable-name = "x"\n', 'migrations/1_a.sql': '' });
    let caught: unknown;
    try {
      readSqlxToml(p.root, p.root);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toMatch(/^sqlx\.toml:2:\d+: not valid TOML \(.+\): sqlx reads its settings there$/);
  });
});
