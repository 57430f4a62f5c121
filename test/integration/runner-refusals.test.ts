import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

/** What a runner refuses before applying anything is refused by every replaying command too: exit 2, the runner's words. */
const projects: { cleanup: () => void }[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));
const project = (files: Record<string, string>) => {
  const p = tempProject(files);
  projects.push(p);
  return p.root;
};
const env = { PGDRIFT_NO_CACHE: '1' };

describe('runner refusals (exit 2)', () => {
  it('postgres-migrations: a .sql name without an integer id refuses the run, as the tool does ("Invalid file name")', async () => {
    const root = project({ 'migrations/1_a.sql': 'CREATE TABLE a (id int);\n', 'migrations/2-b.sql': 'CREATE TABLE b (id int);\n', 'migrations/seed-data.sql': 'INSERT INTO a VALUES (1);\n' });
    const result = await runCli(['dump', '-C', root, '--runner', 'postgres-migrations'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Invalid file name: 'seed-data.sql'");
  });

  it('postgres-migrations: a file saying "-- postgres-migrations ignore" runs (no such directive): applied means its SQL ran', async () => {
    const root = project({ 'migrations/1_a.sql': 'CREATE TABLE a (id int);\n', 'migrations/2_b.sql': '-- postgres-migrations ignore\nCREATE TABLE b (id int);\n' });
    const result = await runCli(['dump', '-C', root, '--runner', 'postgres-migrations', '--format', 'json'], { env });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const migrations = report.files.filter((f: { role: string }) => f.role === 'migration');
    expect(migrations.map((f: { file: string; status: string }) => [f.file, f.status])).toEqual([['migrations/1_a.sql', 'applied'], ['migrations/2_b.sql', 'applied']]);
    const sql = await runCli(['dump', '-C', root, '--runner', 'postgres-migrations'], { env });
    expect(sql.stdout).toContain('CREATE TABLE public.b');
  });

  it('goose: a .sql file without a version in the folder refuses the run, as goose up does ("could not parse SQL migration file")', async () => {
    const root = project({
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE a (id int);\n',
      'migrations/seed_dev.sql': "INSERT INTO a VALUES (1);\n",
      'migrations/README.md': '# migrations\n',
      'migrations/00002_helpers_test.go': 'package migrations\n',
    });
    const result = await runCli(['dump', '-C', root], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('seed_dev.sql: could not parse SQL migration file "seed_dev.sql"');
    expect(result.stderr).toContain('move it out of the folder');
    expect(result.stderr).not.toContain('README.md');
    expect(result.stderr).not.toContain('helpers_test.go');
  });

  it('prisma: a migration folder without migration.sql refuses the run with P3015', async () => {
    const root = project({
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER);\n',
      'prisma/migrations/20240102000000_add_posts/Migration.sql': 'CREATE TABLE "Post" ("id" INTEGER);\n',
    });
    const result = await runCli(['dump', '-C', root], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('20240102000000_add_posts/: P3015 Could not find the migration file at migration.sql');
  });

  // field: formbricks/formbricks, 28 folders without migration.sql: the list was cut by the message limit mid-line
  it('many refusals: the first ones and how many more, the last line intact', async () => {
    const files: Record<string, string> = {
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER);\n',
    };
    for (let i = 1; i <= 30; i++) files[`prisma/migrations/202401020000${String(i).padStart(2, '0')}_step/.gitkeep`] = '';
    const root = project(files);
    const result = await runCli(['dump', '-C', root], { env });
    expect(result.code).toBe(2);
    expect(result.stderr.match(/: P3015 /g)).toHaveLength(5);
    expect(result.stderr).toContain('and 25 more (pgdrift lint names each at its file)');
    expect(result.stderr).not.toContain('message cut at');
  });

  // field: thefactus/go-tasker, PedroBinotto/website (early), Izumra/Magistus: goose and golang-migrate projects on SQLite
  // were replayed on Postgres and failed at AUTOINCREMENT with a syntax error; the go.mod says which database it is
  it('goose / golang-migrate: a Go module whose go.mod requires only another database\'s driver is not a PostgreSQL project', async () => {
    const goMod = (requires: string) => `module example.com/app\n\ngo 1.22\n\nrequire (\n${requires}\n)\n`;
    const sqliteGoose = project({
      'go.mod': goMod('\tgithub.com/mattn/go-sqlite3 v1.14.22\n\tgithub.com/pressly/goose/v3 v3.21.1'),
      'db/migrations/20240503151139_create_lists.sql': '-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE lists (\n  id INTEGER PRIMARY KEY AUTOINCREMENT\n);\n-- +goose StatementEnd\n',
    });
    const goose = await runCli(['dump', '-C', sqliteGoose], { env });
    expect(goose.code).toBe(2);
    expect(goose.stderr).toContain('db/migrations/: go.mod requires github.com/mattn/go-sqlite3 (SQLite) and no PostgreSQL driver: these goose migrations are for SQLite, this is not a PostgreSQL project');
    expect(goose.stderr).not.toContain('syntax error');
    const mysqlMigrate = project({
      'go.mod': goMod('\tgithub.com/go-sql-driver/mysql v1.8.1\n\tgithub.com/golang-migrate/migrate/v4 v4.17.0'),
      'migrations/000001_init.up.sql': 'CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n',
      'migrations/000001_init.down.sql': 'DROP TABLE t;\n',
    });
    const migrate = await runCli(['lint', '-C', mysqlMigrate], { env });
    expect(migrate.code).toBe(2);
    expect(migrate.stderr).toContain('go.mod requires github.com/go-sql-driver/mysql (MySQL) and no PostgreSQL driver: these golang-migrate migrations are for MySQL');
    // any PostgreSQL driver, even an indirect one (golang-migrate's database/postgres brings lib/pq), keeps the replay
    const both = project({
      'go.mod': goMod('\tgithub.com/mattn/go-sqlite3 v1.14.22\n\tgithub.com/lib/pq v1.10.9 // indirect'),
      'migrations/000001_init.up.sql': 'CREATE TABLE t (id int);\n',
    });
    const replayed = await runCli(['dump', '-C', both], { env });
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('CREATE TABLE public.t');
  });

  it('goose: the driver of the project\'s goose up commands (Makefile, .env GOOSE_DRIVER) decides the database', async () => {
    const migrations = { 'database/migrations/20240101000000_init.sql': '-- +goose Up\nCREATE TABLE urls (id INTEGER PRIMARY KEY AUTOINCREMENT);\n' };
    // field (corpus Makefile): `goose -dir ./database/migrations sqlite3 ./database/url-shortly.db up`
    const sqlite = project({ ...migrations, Makefile: 'migrate:\n\tgoose -dir ./database/migrations sqlite3 ./database/url-shortly.db up\n' });
    const dumped = await runCli(['dump', '-C', sqlite], { env });
    expect(dumped.code).toBe(2);
    expect(dumped.stderr).toContain('Makefile:2 (target migrate) (goose sqlite3 … up) runs goose with the sqlite3 driver: this is not a PostgreSQL project');
    const mysql = project({ ...migrations, '.env': 'GOOSE_DRIVER=mysql\nGOOSE_MIGRATION_DIR=database/migrations\n' });
    const linted = await runCli(['lint', '-C', mysql], { env });
    expect(linted.code).toBe(2);
    expect(linted.stderr).toContain('GOOSE_DRIVER runs goose with the mysql driver: this is not a PostgreSQL project');
    // a named PostgreSQL driver wins over a go.mod that requires only SQLite (the goose binary, not the module, runs them)
    const postgres = project({
      'database/migrations/20240101000000_init.sql': '-- +goose Up\nCREATE TABLE urls (id bigint);\n',
      Makefile: 'migrate:\n\tgoose -dir ./database/migrations pgx "$(DATABASE_URL)" up\n',
      'go.mod': 'module example.com/app\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
    });
    const replayed = await runCli(['dump', '-C', postgres], { env });
    expect(replayed.stderr).not.toContain('not a PostgreSQL project');
    expect(replayed.stdout).toContain('CREATE TABLE public.urls');
  });

  it('golang-migrate: the scheme of the project\'s migrate up -database URL decides the database (CockroachDB, MySQL...)', async () => {
    const migrations = {
      'internal/schemas/000001_client.up.sql': 'CREATE TABLE clients (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name STRING NOT NULL);\n',
      'internal/schemas/000001_client.down.sql': 'DROP TABLE clients;\n',
    };
    // field: AbenezerKb/sso-implementation (golang-migrate's cockroachdb driver; its go.mod has lib/pq for CockroachDB too)
    const cockroach = project({
      ...migrations,
      Makefile: 'migrate-down:\n\t- migrate -database cockroachdb://root@localhost:26257/defaultdb?sslmode=disable -path internal/schemas -verbose down\nmigrate-up:\n\t- migrate -database cockroachdb://root@localhost:26257/defaultdb?sslmode=disable -path internal/schemas -verbose up\n',
      'go.mod': 'module sso\n\nrequire (\n\tgithub.com/golang-migrate/migrate/v4 v4.15.2\n\tgithub.com/lib/pq v1.10.4 // indirect\n)\n',
    });
    const dumped = await runCli(['dump', '-C', cockroach], { env });
    expect(dumped.code).toBe(2);
    expect(dumped.stderr).toContain('Makefile:4 (target migrate-up) (migrate -database cockroachdb://… up) connects golang-migrate to CockroachDB: this is not a PostgreSQL project');
    expect(dumped.stderr).not.toContain('does not exist');
    const linted = await runCli(['lint', '-C', cockroach], { env });
    expect(linted.code).toBe(2);
    // a PostgreSQL URL among them keeps the replay (here beside a MySQL one, for another stage)
    const mixed = project({
      ...migrations,
      'internal/schemas/000001_client.up.sql': 'CREATE TABLE clients (id bigint PRIMARY KEY);\n',
      Makefile: 'up:\n\tmigrate -path internal/schemas -database "postgres://localhost/app" up\nup-legacy:\n\tmigrate -path internal/schemas -database "mysql://root@tcp(localhost:3306)/app" up\n',
    });
    const replayed = await runCli(['dump', '-C', mixed], { env });
    expect(replayed.stderr).not.toContain('not a PostgreSQL project');
    expect(replayed.stdout).toContain('CREATE TABLE public.clients');
  });

  it('golang-migrate run by the project\'s program: the driver package its Go code imports decides the database', async () => {
    const goCode = (driver: string) => `package initiator\n\nimport (\n\t"github.com/golang-migrate/migrate/v4"\n\t_ "github.com/golang-migrate/migrate/v4/database/${driver}"\n\t_ "github.com/golang-migrate/migrate/v4/source/file"\n)\n\nfunc Up() { m, _ := migrate.New("file://migrations", url); _ = m.Up() }\n`;
    const files = {
      'migrations/000001_client.up.sql': 'CREATE TABLE clients (id UUID PRIMARY KEY, name STRING NOT NULL);\n',
      'go.mod': 'module sso\n\nrequire (\n\tgithub.com/golang-migrate/migrate/v4 v4.15.2\n\tgithub.com/lib/pq v1.10.4 // indirect\n)\n',
    };
    // field: AbenezerKb/sso-implementation initiator/migrations.go (database/cockroachdb; lib/pq in go.mod for it)
    const cockroach = project({ ...files, 'initiator/migrations.go': goCode('cockroachdb') });
    const dumped = await runCli(['dump', '-C', cockroach], { env });
    expect(dumped.code).toBe(2);
    expect(dumped.stderr).toContain("initiator/migrations.go:5 imports golang-migrate's database/cockroachdb: the project's program runs its migrations on CockroachDB, this is not a PostgreSQL project");
    // the postgres driver (or pgx/v5): replayed
    const postgres = project({ ...files, 'migrations/000001_client.up.sql': 'CREATE TABLE clients (id UUID PRIMARY KEY);\n', 'initiator/migrations.go': goCode('pgx/v5') });
    const replayed = await runCli(['dump', '-C', postgres], { env });
    expect(replayed.stderr).not.toContain('not a PostgreSQL project');
    expect(replayed.stdout).toContain('CREATE TABLE public.clients');
  });

  it('prisma: a MySQL project is one clear message, not a syntax error', async () => {
    const root = project({
      'prisma/migrations/migration_lock.toml': 'provider = "mysql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE `User` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4;\n',
    });
    const result = await runCli(['dump', '-C', root], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this is not a PostgreSQL project');
    expect(result.stderr).not.toContain('syntax error');
    // lint too: its findings would be syntax errors at every backquote
    const lint = await runCli(['lint', '-C', root], { env });
    expect(lint.code).toBe(2);
    expect(lint.stderr).toContain('prisma/migrations/: migration_lock.toml names the provider "mysql": this is not a PostgreSQL project');
    expect(lint.stdout + lint.stderr).not.toContain('syntax error');
  });

  // field: ParkerGits/go-sqlc-dbmate, a dbmate SQLite project (.env DATABASE_URL="sqlite:db/database.sqlite3"): check
  // judged dbmate's SQLite schema file as a hand-written Postgres one ("this create table IF NOT EXISTS does nothing")
  const sqliteDbmate = {
    '.env': 'DATABASE_URL="sqlite:db/database.sqlite3"\n',
    'db/migrations/20241030034429_books.sql': '-- migrate:up\nCREATE TABLE book (\n  id INTEGER PRIMARY KEY NOT NULL,\n  title VARCHAR(255) NOT NULL\n);\n\n-- migrate:down\nDROP TABLE book;\n',
    'db/schema.sql': 'CREATE TABLE IF NOT EXISTS "schema_migrations" (version varchar(128) primary key);\nCREATE TABLE book (\n  id INTEGER PRIMARY KEY NOT NULL,\n  title VARCHAR(255) NOT NULL\n);\n-- Dbmate schema migrations\nINSERT INTO "schema_migrations" (version) VALUES\n  (\'20241030034429\');\n',
  };

  it('dbmate: a DATABASE_URL for another database (its driver comes from the scheme) is one clear message, in check and init', async () => {
    const root = project(sqliteDbmate);
    const message = "db/migrations/: DATABASE_URL is a sqlite: URL, and dbmate picks its driver from the URL's scheme: these dbmate migrations are for SQLite, this is not a PostgreSQL project";
    const check = await runCli(['check', '-C', root, '--no-lint'], { env });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(message);
    expect(check.stderr).not.toContain('does nothing');
    const init = await runCli(['init', '-C', root], { env });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain(message);
    expect(existsSync(path.join(root, 'pgdrift.config.json'))).toBe(false);
  });

  it('dbmate: DBMATE_DRIVER and a package.json --url decide the driver as on dbmate\'s command line; a postgres URL replays', async () => {
    const driver = await runCli(['dump', '-C', project({ ...sqliteDbmate, '.env': 'DBMATE_DRIVER=mysql\nDATABASE_URL=postgres://localhost/app\n' })], { env });
    expect(driver.code).toBe(2);
    expect(driver.stderr).toContain("DBMATE_DRIVER names dbmate's mysql driver: these dbmate migrations are for MySQL, this is not a PostgreSQL project");
    const script = project({ ...sqliteDbmate, 'package.json': JSON.stringify({ scripts: { 'db:up': 'dbmate --url "MySQL://root:secret@localhost/app" up' } }) });
    const flag = await runCli(['dump', '-C', script], { env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--url is a mysql: URL');
    expect(flag.stderr).not.toContain('secret');
    const postgres = await runCli(['dump', '-C', project({ ...sqliteDbmate, '.env': 'DATABASE_URL=postgresql://app@localhost/app?sslmode=disable\n' })], { env });
    expect(postgres.code).toBe(0);
    expect(postgres.stdout).toContain('CREATE TABLE public.book');
  });
});
