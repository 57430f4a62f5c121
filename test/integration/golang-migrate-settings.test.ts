import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * golang-migrate's -database URL, read from the Makefile's `migrate … up` (golang-migrate@18966c7
 * database/postgres/postgres.go): `search_path` is the session's (lib/pq sends it at connect), the bookkeeping table
 * goes into CURRENT_SCHEMA() under its x-migrations-table name, and x-multi-statement sends each piece cut at ";" as
 * its own implicit transaction.
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const makefile = (query: string) =>
  [`DB_URL = postgresql://app:secret@localhost:5432/app?sslmode=disable&${query}`, '', 'migrate-up:', '\tmigrate -path db/migrations -database "$(DB_URL)" up', ''].join('\n');

describe('golang-migrate: the Makefile -database URL in the replay', () => {
  it('search_path: unqualified objects land in its first schema that exists; the x-migrations-table table in CURRENT_SCHEMA() at connect', async () => {
    const p = project({
      Makefile: makefile('search_path=app,public&x-migrations-table=versions'),
      'db/migrations/000001_schema.up.sql': 'CREATE SCHEMA app;\n',
      'db/migrations/000002_items.up.sql': 'CREATE TABLE items (id int PRIMARY KEY);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.items (');
    expect(result.sql).not.toContain('CREATE TABLE public.items (');
    expect(result.sql).toContain('CREATE TABLE public.versions (');
    expect(result.sql).not.toContain('schema_migrations');
  });

  it('x-multi-statement=true: each statement commits before the next (a new enum value is usable in the same file)', async () => {
    const files = {
      'db/migrations/000001_mood.up.sql': "CREATE TYPE mood AS ENUM ('ok');\n",
      'db/migrations/000002_sad.up.sql': "ALTER TYPE mood ADD VALUE 'sad';\nCREATE TABLE feelings (m mood DEFAULT 'sad');\n",
    };
    const multi = project({ Makefile: makefile('x-multi-statement=true'), ...files });
    const result = await dump({ cwd: multi.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.feelings (');
    // without it, migrate sends the file as one query: one implicit transaction, where the new value is unsafe (55P04)
    const whole = project({ Makefile: makefile('sslmode=disable'), ...files });
    const failing = await dump({ cwd: whole.root, engine: 'pglite', noCache: true });
    expect(failing.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['db/migrations/000002_sad.up.sql', '55P04']]);
  });

  it('x-multi-statement=true: a function body holding ";" fails where migrate cuts it', async () => {
    const p = project({
      Makefile: makefile('x-multi-statement=true'),
      'db/migrations/000001_f.up.sql': 'CREATE FUNCTION one() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect([failure.file, failure.line, failure.sqlstate]).toEqual(['db/migrations/000001_f.up.sql', 1, '42601']);
    expect(failure.message).toMatch(/cuts the file after every ";".*unterminated dollar-quoted string/s);
  });

  it('search_path naming a schema that does not exist yet: the bookkeeping failure (3F000, as migrate fails) says why and what to do', async () => {
    const p = project({ Makefile: makefile('search_path=app'), 'db/migrations/000001_items.up.sql': 'CREATE TABLE items (id int);\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect([failure.file, failure.sqlstate]).toEqual(['pgdrift:golang-migrate-bookkeeping.sql', '3F000']);
    expect(failure.hint).toMatch(/the -database URL of Makefile:\d+.* sets search_path=app.*none does.*in a baseline file/);
  });

  // Field: a-company-jp/digi-baton backend/Makefile runs `migrate -source file://db/seed -database
  // "$(DATABASE_URL)&x-migrations-table=schema_migrations_seed" up` after the migrations, and db/schema.sql (pg_dump
  // of that database) has the seed run's table: it was reported as a table removed by the migrations.
  it('another migrate up on another folder with its own x-migrations-table: that table is bookkeeping, named in a notice', async () => {
    const p = project({
      Makefile: [
        'DB_URL ?= postgres://app:secret@localhost:5432/app?sslmode=disable',
        '',
        'migrate-up:',
        '\tmigrate -source file://db/migrations -database $(DB_URL) up',
        '',
        'migrate-seed-up:',
        '\tmigrate -source file://db/seed -database "$(DB_URL)&x-migrations-table=schema_migrations_seed" up',
        '',
      ].join('\n'),
      'db/migrations/000001_items.up.sql': 'CREATE TABLE items (id int PRIMARY KEY);\n',
      'db/migrations/000001_items.down.sql': 'DROP TABLE items;\n',
      'db/seed/000001_items.up.sql': 'INSERT INTO items VALUES (1);\n',
    });
    const replayed = (await dump({ cwd: p.root, engine: 'pglite', noCache: true })).sql;
    // what pg_dump of the team's database shows: the seed run's table beside the schema
    const seedTable = 'CREATE TABLE public.schema_migrations_seed (\n    version bigint NOT NULL,\n    dirty boolean NOT NULL\n);\n';
    p.write('db/schema.sql', `${replayed}\n${seedTable}`);
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false, snapshot: 'db/schema.sql', noCache: true });
    expect(result.drift).toEqual([]);
    expect(result.notices?.join('\n')).toMatch(/Makefile:\d+ \(target migrate-seed-up\) runs migrate up on db\/seed\/ with the bookkeeping table public\.schema_migrations_seed.*not replayed/);
    // a table the migrations lack is still drift
    p.write('db/schema.sql', `${replayed}\nCREATE TABLE public.schema_migrations_other (version bigint NOT NULL);\n`);
    const other = await check({ cwd: p.root, engine: 'pglite', lint: false, snapshot: 'db/schema.sql', noCache: true });
    expect(other.drift.map((d) => [d.name, d.change])).toEqual([['public.schema_migrations_other', 'removed']]);
  });

  it('the pgx v4 driver with x-lock-strategy=table: its lock table is created first, in CURRENT_SCHEMA(), and is bookkeeping', async () => {
    // database/pgx/pgx.go WithInstance: ensureLockTable (`CREATE TABLE "<x-lock-table>" (lock_id BIGINT NOT NULL
    // PRIMARY KEY)`, default schema_lock) before ensureVersionTable; pg_dump of the team's database shows it
    const lockMakefile = (scheme: string, query: string) =>
      [`DB_URL = ${scheme}://app:secret@localhost:5432/app?sslmode=disable&${query}`, '', 'migrate-up:', '\tmigrate -path db/migrations -database "$(DB_URL)" up', ''].join('\n');
    const p = project({
      Makefile: lockMakefile('pgx', 'x-lock-strategy=table'),
      'db/migrations/000001_items.up.sql': 'CREATE TABLE items (id int PRIMARY KEY);\n',
    });
    const replayed = (await dump({ cwd: p.root, engine: 'pglite', noCache: true })).sql;
    expect(replayed).toContain('CREATE TABLE public.schema_lock (\n    lock_id bigint NOT NULL\n);');
    p.write('db/schema.sql', replayed);
    expect((await check({ cwd: p.root, engine: 'pglite', lint: false, snapshot: 'db/schema.sql', noCache: true })).drift).toEqual([]);
    // the team's dump has the lock table: not drift (a snapshot without it neither)
    p.write('db/schema.sql', replayed.replace(/CREATE TABLE public\.schema_lock \([^;]*;/, ''));
    expect((await check({ cwd: p.root, engine: 'pglite', lint: false, snapshot: 'db/schema.sql', noCache: true })).drift).toEqual([]);
    // x-lock-table names it; with a search_path it goes to the first schema that exists
    p.write('Makefile', lockMakefile('pgx4', 'x-lock-strategy=table&x-lock-table=migration_lock&search_path=app,public'));
    const named = (await dump({ cwd: p.root, engine: 'pglite', noCache: true })).sql;
    expect(named).toContain('CREATE TABLE public.migration_lock (');
    expect(named).not.toContain('schema_lock');
    // pgx5:// and postgres:// have no lock table option; an unknown strategy stops migrate before the first migration
    p.write('Makefile', lockMakefile('pgx5', 'x-lock-strategy=table'));
    expect((await dump({ cwd: p.root, engine: 'pglite', noCache: true })).sql).not.toContain('schema_lock');
    p.write('Makefile', lockMakefile('pgx', 'x-lock-strategy=row'));
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(/Makefile:\d+ \(target migrate-up\): migrate would stop before the first migration: unknown lock strategy "row"/);
  });
});

describe('golang-migrate: the folder `migrate create -dir` names', () => {
  // field: Khaym03/Limpex runs its migrations from its own Go program (`go run db/migrate/main.go up`); the Makefile's
  // `migrate create -ext sql -dir ./db/migrate/migrations` is what names the folder (before: "no migrations folder found")
  const MAKEFILE = 'migration:\n\t@migrate create -ext sql -dir ./db/migrate/migrations $(filter-out $@,$(MAKECMDGOALS))\n\nmigrate-up:\n\t@go run db/migrate/main.go up\n';

  it('is the migrations folder when no up command names one', async () => {
    const p = project({ Makefile: MAKEFILE, 'db/migrate/migrations/000001_users.up.sql': 'CREATE TABLE users (id int);\n', 'db/migrate/migrations/000001_users.down.sql': 'DROP TABLE users;\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['db/migrate/migrations/000001_users.up.sql']);
    expect(result.sql).toContain('CREATE TABLE public.users');
  });

  it('decides nothing when the create commands name several folders, or one that does not exist', async () => {
    const two = project({
      Makefile: 'a:\n\tmigrate create -ext sql -dir sql/one -seq x\nb:\n\tmigrate create -ext sql -dir sql/two -seq x\n',
      'sql/one/000001_a.up.sql': 'CREATE TABLE a (id int);\n',
      'sql/two/000001_b.up.sql': 'CREATE TABLE b (id int);\n',
    });
    await expect(dump({ cwd: two.root, engine: 'pglite', noCache: true })).rejects.toThrow(/no migrations folder found/);
    const missing = project({ Makefile: 'new:\n\tmigrate create -ext sql -dir db/nowhere -seq x\n', 'sql/one/000001_a.up.sql': 'CREATE TABLE a (id int);\n' });
    await expect(dump({ cwd: missing.root, engine: 'pglite', noCache: true })).rejects.toThrow(/no migrations folder found/);
  });
});
