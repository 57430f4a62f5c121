import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { resolveProject } from '../../src/config/project.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Go and Rust teams run goose, migrate and dbmate from a Taskfile (go-task/task v3) or a justfile (casey/just) as often
 * as from a Makefile: the flags of their commands (the folder, the bookkeeping table, the URL's search_path) are read
 * as a Makefile's recipes are (taskfile.ts, justfile.ts, project-commands.ts).
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

describe('runner settings from the Taskfile', () => {
  it('goose: -dir and -table of a task (vars, the task\'s dir) name the folder and the bookkeeping table', async () => {
    const p = project({
      'Taskfile.yml': [
        "version: '3'",
        'vars:',
        '  MIGRATIONS: sql/schema',
        'tasks:',
        '  db:up:',
        '    dir: backend',
        '    cmds:',
        '      - goose -dir {{.MIGRATIONS}} -table _migrations postgres "$DB_DSN" up',
        '',
      ].join('\n'),
      'backend/sql/schema/00001_init.sql': '-- +goose Up\nCREATE TABLE from_task (id int);\n',
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE from_convention (id int);\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe(path.join('backend', 'sql', 'schema'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.from_task (');
    expect(result.sql).toContain('CREATE TABLE public._migrations (');
    expect(result.sql).not.toContain('from_convention');
    expect(result.sql).not.toContain('goose_db_version');
  });

  it('goose: a -dir or -table only Task knows (a sh: variable, {{.CLI_ARGS}}) is a notice naming the task', () => {
    const p = project({
      'Taskfile.yml': "version: '3'\nvars:\n  DIR: { sh: 'git rev-parse --show-toplevel' }\ntasks:\n  up:\n    cmds:\n      - goose -dir {{.DIR}}/db/migrations postgres \"$DB\" up\n",
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe('migrations');
    expect(resolved.runner.notices).toEqual(['goose: Taskfile.yml:7 (task up): -dir …/db/migrations holds a value only Task or the shell knows: the folder found (migrations) is replayed']);
    p.write('Taskfile.yml', "version: '3'\ntasks:\n  up: goose -table {{.CLI_ARGS}} -dir migrations postgres \"$DB\" up\n");
    expect(resolveProject({ cwd: p.root }).runner.notices).toEqual([
      "goose: Taskfile.yml:3 (task up): -table … holds a value only Task or the shell knows: the replay creates goose_db_version, and drift may name the team's table as extra",
    ]);
  });

  it('golang-migrate: -path and the -database URL of a task (env from the Taskfile) give the folder and the session\'s search_path', async () => {
    const p = project({
      'Taskfile.yml': [
        "version: '3'",
        'env:',
        '  DB_URL: postgres://app@localhost:5432/app?sslmode=disable&search_path=app,public&x-migrations-table=versions',
        'tasks:',
        '  migrate:',
        '    cmds:',
        '      - migrate -path ./database/sql -database "$DB_URL" up',
        '',
      ].join('\n'),
      'database/sql/000001_schema.up.sql': 'CREATE SCHEMA app;\n',
      'database/sql/000002_items.up.sql': 'CREATE TABLE items (id int PRIMARY KEY);\n',
      'database/sql/000002_items.down.sql': 'DROP TABLE items;\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root, runner: 'golang-migrate' }).migrationsDir)).toBe(path.join('database', 'sql'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, runner: 'golang-migrate' });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.items (');
    expect(result.sql).toContain('CREATE TABLE public.versions (');
  });

  it('goose and migrate from a justfile: the recipe\'s -dir/-path and -table (variables, working-directory attribute)', async () => {
    const p = project({
      justfile: ['dir := "sql" / "schema"', '', '[working-directory: "backend"]', 'migrate:', '    goose -dir {{dir}} -table _migrations postgres "$DB_DSN" up', ''].join('\n'),
      'backend/sql/schema/00001_init.sql': '-- +goose Up\nCREATE TABLE from_just (id int);\n',
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE from_convention (id int);\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe(path.join('backend', 'sql', 'schema'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.from_just (');
    expect(result.sql).toContain('CREATE TABLE public._migrations (');
    expect(result.sql).not.toContain('from_convention');
    const migrate = project({
      Justfile: 'migrate-up:\n    migrate -path ./database/sql -database "postgres://app@localhost/app?x-migrations-table=versions" up\n',
      'database/sql/000001_items.up.sql': 'CREATE TABLE items (id int PRIMARY KEY);\n',
      'database/sql/000001_items.down.sql': 'DROP TABLE items;\n',
    });
    expect(path.relative(migrate.root, resolveProject({ cwd: migrate.root, runner: 'golang-migrate' }).migrationsDir)).toBe(path.join('database', 'sql'));
    const replayed = await dump({ cwd: migrate.root, engine: 'pglite', noCache: true, runner: 'golang-migrate' });
    expect(replayed.sql).toContain('CREATE TABLE public.versions (');
  });

  it('sqlx: `sqlx migrate run --source` (also `cargo sqlx …`) of a justfile, Makefile or package.json script names the folder, over sqlx.toml', async () => {
    const cargo = '[package]\nname = "app"\n\n[dependencies]\nsqlx = { version = "0.8", features = ["postgres"] }\n';
    // a workspace: the root's Cargo.toml depends on sqlx too, and an old migrations/ folder is still there
    const files = { 'Cargo.toml': cargo, 'crates/db/Cargo.toml': cargo, 'crates/db/migrations/20240101000000_init.sql': 'CREATE TABLE from_source (id int);\n', 'migrations/20240101000000_old.sql': 'CREATE TABLE from_convention (id int);\n' };
    for (const runs of <Record<string, string>[]>[
      { justfile: 'migrate:\n    sqlx migrate run --source crates/db/migrations\n' },
      { Makefile: 'migrate:\n\tcd crates/db && cargo sqlx migrate run --source=migrations --database-url "$(DATABASE_URL)"\n' },
      { 'package.json': JSON.stringify({ scripts: { 'db:migrate': 'sqlx migrate run --source ./crates/db/migrations' } }) },
    ]) {
      const p = project({ ...files, ...runs });
      const resolved = resolveProject({ cwd: p.root });
      expect(path.relative(p.root, resolved.migrationsDir)).toBe(path.join('crates', 'db', 'migrations'));
      expect(resolved.runner.name).toBe('sqlx');
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
      expect(result.sql).toContain('CREATE TABLE public.from_source (');
      expect(result.sql).not.toContain('from_convention');
    }
    // with no conventional folder, the one the command names is found
    const bare = project({ 'crates/db/Cargo.toml': cargo, 'crates/db/migrations/20240101000000_init.sql': 'CREATE TABLE t (id int);\n', justfile: 'migrate:\n    sqlx migrate run --source crates/db/migrations\n' });
    expect(path.relative(bare.root, resolveProject({ cwd: bare.root }).migrationsDir)).toBe(path.join('crates', 'db', 'migrations'));
    expect(resolveProject({ cwd: bare.root }).runner.name).toBe('sqlx');
    // commands naming two folders name none: the folder found stays
    const two = project({ ...files, justfile: 'a:\n    sqlx migrate run --source crates/db/migrations\nb:\n    sqlx migrate run --source other\n' });
    expect(path.relative(two.root, resolveProject({ cwd: two.root }).migrationsDir)).toBe('migrations');
  });

  it('dbmate: --migrations-dir and --migrations-table of a task name the folder and the table', async () => {
    const p = project({
      'Taskfile.yml': "version: '3'\ntasks:\n  migrate: dbmate --migrations-dir ./db/schema/migrations --migrations-table meta.versions up\n",
      'db/schema/migrations/20240101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n-- migrate:down\n',
      'db/migrations/20240101000000_old.sql': '-- migrate:up\nCREATE TABLE old_copy (id int);\n-- migrate:down\n',
    });
    expect(path.relative(p.root, resolveProject({ cwd: p.root, runner: 'dbmate' }).migrationsDir)).toBe(path.join('db', 'schema', 'migrations'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, runner: 'dbmate' });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.accounts (');
    expect(result.sql).toContain('CREATE TABLE meta.versions (');
    expect(result.sql).not.toContain('old_copy');
  });
});
