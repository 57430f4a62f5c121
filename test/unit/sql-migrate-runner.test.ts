import { beforeAll, describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { nextMigration } from '../../src/fix/migration-file.js';
import { loadMigrations } from '../../src/migrations/discover.js';
import { detectRunner } from '../../src/runners/index.js';
import { planSqlMigrate, sqlMigrate } from '../../src/runners/sql-migrate.js';
import { parseSqlMigrate } from '../../src/runners/sql-migrate-sqlparse.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * sql-migrate (rubenv/sql-migrate@563a2f0): migrate.go findMigrations / Migration.Less / applyMigrations /
 * getMigrationDbMap, sqlparse/sqlparse.go ParseMigration, sql-migrate/config.go (dbconfig.yml, -config, -env).
 */
const project = tempProjects();
const UP = '-- +migrate Up\n';

beforeAll(() => loadSqlParser());

/** The statements sql-migrate sends for `up`, as the text pgdrift replays of each. */
function sent(text: string): string[] {
  const file = parseSqlMigrate(text).file!;
  const dropped = new Set(file.dropped);
  const lines = text.split('\n');
  return file.statements.map((s) => lines.slice(s.startLine, s.endLine).filter((_, i) => !dropped.has(s.startLine + i)).join('\n').trim());
}

describe('sql-migrate discovery and order (FileMigrationSource, Migration.Less)', () => {
  it('the .sql files of the folder (case-sensitive, no sub-folders), numbers compared as numbers, numbered before unnumbered, else by name', () => {
    const p = project({
      'migrations/10_ten.sql': UP,
      'migrations/9_nine.sql': UP,
      'migrations/009_nine_again.sql': UP,
      'migrations/20240101120000-stamp.sql': UP,
      'migrations/init.sql': UP,
      'migrations/beta.sql': UP,
      'migrations/2a.sql': UP,
      'migrations/11_upper.SQL': UP,
      'migrations/README.md': '# notes',
      'migrations/sub/1_nested.sql': UP,
    });
    const found = sqlMigrate.discover(`${p.root}/migrations`, { projectRoot: p.root });
    // 9 and 009 are equal numbers: their names decide ("009..." < "9_...")
    expect(found.migrations.map((m) => m.name)).toEqual(['2a.sql', '009_nine_again.sql', '9_nine.sql', '10_ten.sql', '20240101120000-stamp.sql', 'beta.sql', 'init.sql']);
    expect(found.migrations.map((m) => m.version)).toEqual(['2', '009', '9', '10', '20240101120000', undefined, undefined]);
    expect(found.ignored.map((f) => f.name)).toEqual(['11_upper.SQL']);
    expect(found.problems).toEqual([]);
  });

  it('a number larger than int64 is refused: sql-migrate panics sorting', () => {
    const p = project({ 'migrations/99999999999999999999_big.sql': UP, 'migrations/1_a.sql': UP });
    expect(sqlMigrate.discover(`${p.root}/migrations`, { projectRoot: p.root }).problems).toEqual([expect.stringContaining('99999999999999999999_big.sql: its number does not fit in 64 bits')]);
  });
});

describe('sql-migrate sections and statements (sqlparse.ParseMigration)', () => {
  it('only the Up sections run, text before the first Up is ignored, statements end at a line ending with ;', () => {
    const text = 'create table ignored (a int);\n-- +migrate Up\ncreate table a (id int);\ncreate table b (\n  id int\n); -- trailing\n-- +migrate Down\ndrop table b;\ndrop table a;\n';
    expect(sent(text)).toEqual(['create table a (id int);', 'create table b (\n  id int\n); -- trailing']);
    const plan = planSqlMigrate(text, '1_a.sql');
    expect(plan.problem).toBeUndefined();
    expect(plan.parts).toEqual([{ startLine: 2, endLine: 6, transaction: 'wrapped' }]);
  });

  it('an Up section after a Down section runs too; the Down lines between are not sent', () => {
    const text = `${UP}create table a (id int);\n-- +migrate Down\ndrop table a;\n${UP}create table b (id int);\n`;
    expect(sent(text)).toEqual(['create table a (id int);', 'create table b (id int);']);
    const plan = planSqlMigrate(text, '1_a.sql');
    expect(plan.parts).toEqual([{ startLine: 1, endLine: 6, transaction: 'wrapped' }]);
    expect(plan.substitutions?.map((s) => text.slice(s.start, s.end))).toEqual(['-- +migrate Down', 'drop table a;', '-- +migrate Up']);
  });

  it('StatementBegin/StatementEnd keep a body whole; `-- ` comment lines inside it are not sent, `--x` and indented ones are', () => {
    const text = `${UP}-- +migrate StatementBegin\ncreate function f() returns int as $$\nbegin\n-- dropped\n  -- kept\n--kept too\n  return 1;\nend $$ language plpgsql;\n-- +migrate StatementEnd\n`;
    expect(sent(text)).toEqual(['create function f() returns int as $$\nbegin\n  -- kept\n--kept too\n  return 1;\nend $$ language plpgsql;']);
    const plan = planSqlMigrate(text, '1_f.sql');
    // emptied, line breaks kept (the body keeps an empty line there, which is layout, not drift)
    expect(plan.substitutions?.map((s) => text.slice(s.start, s.end))).toEqual(['-- dropped', '-- +migrate StatementEnd']);
  });

  it('a body with inner semicolons and no StatementBegin is cut where sql-migrate cuts it: refused at the statement', () => {
    const text = `${UP}create function f() returns int as $$\nbegin\n  return 1;\nend $$ language plpgsql;\n`;
    const plan = planSqlMigrate(text, '1_f.sql');
    expect(plan.problem).toMatchObject({ line: 2, message: expect.stringContaining('sql-migrate sends the Up section statement by statement'), hint: expect.stringContaining('-- +migrate StatementBegin') });
  });

  it('-- +migrate Up notransaction: each statement one query of its own', () => {
    const text = '-- +migrate Up notransaction\ncreate index concurrently i on t (a);\n-- +migrate StatementBegin\nselect 1;\nselect 2;\n-- +migrate StatementEnd\n-- +migrate Down\ndrop index i;\n';
    const plan = planSqlMigrate(text, '2_i.sql');
    expect(plan.parts).toEqual([
      { startLine: 1, endLine: 2, transaction: 'implicit' },
      { startLine: 3, endLine: 6, transaction: 'implicit' },
    ]);
    // a later Up line's notransaction is the whole file's; the comment and Down lines between statements are outside
    // every part, and no substitution falls on them (field: frain-dev/convoy sql/1677770163.sql, replayed as "syntax
    // error at or near "RRENTLY"": the emptying of a line outside the parts was applied to the next one)
    const later = '-- +migrate Up\nselect 1;\n-- between\n-- +migrate Down\nselect 9;\n-- +migrate Up notransaction\n-- +migrate StatementBegin\nselect 2;\n-- inside\nselect 3;\n-- +migrate StatementEnd\n';
    const laterPlan = planSqlMigrate(later, '3_l.sql');
    expect(laterPlan.parts).toEqual([
      { startLine: 1, endLine: 2, transaction: 'implicit' },
      { startLine: 7, endLine: 11, transaction: 'implicit' },
    ]);
    expect(laterPlan.substitutions?.map((s) => later.slice(s.start, s.end))).toEqual(['-- inside', '-- +migrate StatementEnd']);
    // notransaction on the Down line is the down direction's
    expect(planSqlMigrate(`${UP}select 1;\n-- +migrate Down notransaction\nselect 2;\n`).parts).toEqual([{ startLine: 1, endLine: 2, transaction: 'wrapped' }]);
  });

  it('a file with only a Down section runs nothing', () => {
    expect(planSqlMigrate('-- +migrate Down\ndrop table a;\n')).toEqual({ parts: [] });
  });

  it.each([
    ['no Up/Down command', 'create table a (id int);\n', 1, 'no Up/Down annotations found'],
    ['a lower-case command (sql-migrate\'s commands are case-sensitive)', '-- +migrate up\ncreate table a (id int);\n', 1, 'no Up/Down annotations found'],
    ['a statement without ; before Down', `${UP}create table a (id int)\n-- +migrate Down\ndrop table a;\n`, 2, 'the last statement must be ended by a semicolon'],
    ['a statement without ; at the end (in the Down section too)', `${UP}create table a (id int);\n-- +migrate Down\ndrop table a\n`, 4, 'the last statement must be ended by a semicolon'],
    ['a StatementBegin never ended', `${UP}-- +migrate StatementBegin\nselect 1;\n`, 2, "saw '-- +migrate StatementBegin' with no matching"],
    ['an empty command', `${UP}-- +migrate \nselect 1;\n`, 2, 'incomplete migration command'],
  ])('refused: %s', (_what, text, line, message) => {
    expect(planSqlMigrate(text, '1_a.sql').problem).toMatchObject({ line, message: expect.stringContaining(message) });
  });

  it('a byte order mark hides a command on line 1 (refused there), and changes nothing before a later Up line', () => {
    const p = project({ 'migrations/1_a.sql': `\uFEFF${UP}create table a (id int);\n`, 'migrations/2_b.sql': `\uFEFF-- the b table\n${UP}create table b (id int);\n` });
    const loaded = loadMigrations(`${p.root}/migrations`, p.root, sqlMigrate);
    expect(loaded.migrations.map((m) => [m.name, m.planProblem?.line, m.planProblem?.message.includes('byte order mark') ?? false])).toEqual([
      ['1_a.sql', 1, true],
      ['2_b.sql', undefined, false],
    ]);
  });

  it('a comment after the last statement: `-- ` is dropped, `--x` is text without a ; and fails', () => {
    expect(planSqlMigrate(`${UP}select 1;\n-- the end\n`).problem).toBeUndefined();
    expect(planSqlMigrate(`${UP}select 1;\n--the end\n`).problem).toMatchObject({ line: 3 });
  });
});

describe('sql-migrate detection, dbconfig.yml and naming', () => {
  it('-- +migrate Up files are sql-migrate\'s; a dbconfig.yml or a go.mod requiring it is weak evidence', () => {
    const marked = project({ 'migrations/1_a.sql': `${UP}create table a (id int);\n` });
    expect(detectRunner(`${marked.root}/migrations`, marked.root).runner.name).toBe('sql-migrate');
    const config = project({ 'dbconfig.yml': 'development:\n  dialect: postgres\n  datasource: x\n  dir: migrations\n', 'migrations/1_a.sql': 'create table a (id int);\n' });
    expect(detectRunner(`${config.root}/migrations`, config.root)).toMatchObject({ runner: { name: 'sql-migrate' }, evidence: { weak: true } });
    const mod = project({ 'go.mod': 'module x\n\nrequire (\n\tgithub.com/rubenv/sql-migrate v1.7.1\n)\n', 'migrations/1_a.sql': 'create table a (id int);\n' });
    expect(detectRunner(`${mod.root}/migrations`, mod.root).runner.name).toBe('sql-migrate');
    const goose = project({ 'migrations/1_a.sql': '-- +goose Up\ncreate table a (id int);\n' });
    expect(detectRunner(`${goose.root}/migrations`, goose.root).runner.name).toBe('goose');
  });

  it('dbconfig.yml: the development environment\'s dir, table and schema (said when environments differ); the bookkeeping DDL is gorp\'s', () => {
    const p = project({
      'dbconfig.yml': 'production:\n  dialect: postgres\n  datasource: ${DATABASE_URL}\n  dir: db/prod\ndevelopment:\n  dialect: postgres\n  datasource: dbname=app search_path=app sslmode=disable\n  dir: db/migrations\n  table: migrations\n  schema: Meta\n',
      'db/migrations/1_a.sql': `${UP}create table a (id int);\n`,
      'db/prod/1_a.sql': `${UP}create table a (id int);\n`,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.migrationsDir).toBe(`${p.root}/db/migrations`);
    expect(resolved.runner.name).toBe('sql-migrate');
    expect(resolved.runner.bookkeeping).toEqual(['meta.migrations']);
    expect(resolved.runner.bookkeepingSetup?.sql).toContain('create schema if not exists Meta;create table if not exists Meta."migrations" ("id" text not null primary key, "applied_at" timestamp with time zone) ;');
    expect(resolved.runner.sessionSearchPath).toEqual(['app']);
    expect(resolved.runner.notices).toEqual([expect.stringContaining('development, the CLI\'s default -env, is replayed')]);
  });

  it('the -env of the project\'s sql-migrate up command is followed; a non-postgres dialect is refused as not PostgreSQL', () => {
    const p = project({
      'dbconfig.yml': 'development:\n  dialect: sqlite3\n  datasource: dev.db\n  dir: migrations/sqlite\nproduction:\n  dialect: postgres\n  datasource: x\n  dir: migrations/postgres\n',
      'Makefile': 'migrate:\n\tsql-migrate up -env=production\n',
      'migrations/sqlite/1_a.sql': `${UP}create table a (id int);\n`,
      'migrations/postgres/1_a.sql': `${UP}create table a (id int);\n`,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.migrationsDir).toBe(`${p.root}/migrations/postgres`);
    expect(resolved.runner.bookkeeping).toEqual(['public.gorp_migrations']);
    // without a command naming one: the PostgreSQL environment over a development one of another dialect, said
    const local = project({ 'dbconfig.yml': 'development:\n  dialect: sqlite3\n  datasource: dev.db\nproduction:\n  dialect: postgres\n  datasource: x\n  dir: pg\n', 'pg/1_a.sql': `${UP}select 1;\n`, 'migrations/1_a.sql': `${UP}select 1;\n` });
    const chosen = resolveProject({ cwd: local.root });
    expect(chosen.migrationsDir).toBe(`${local.root}/pg`);
    expect(chosen.runner.notices).toEqual([expect.stringContaining("development environment is sqlite3: its PostgreSQL environment production (dir pg) is replayed")]);
    const sqlite = project({ 'dbconfig.yml': 'development:\n  dialect: mysql\n  datasource: x\n', 'migrations/1_a.sql': `${UP}create table a (id int);\n` });
    const mysql = resolveProject({ cwd: sqlite.root });
    expect(loadMigrations(mysql.migrationsDir, sqlite.root, mysql.runner).discovery.notPostgres).toContain('dialect: mysql');
  });

  it('Go code that calls migrate.SetSchema/SetTable: followed when it is the only setting (field: frain-dev/convoy), else named in a notice with its table ignored', () => {
    const GO = 'package migrator\n\nimport migrate "github.com/rubenv/sql-migrate"\n\nvar (\n\ttableSchema = "convoy"\n)\n\nfunc New() {\n\tmigrate.SetSchema(tableSchema)\n}\n';
    const code = project({ 'internal/pkg/migrator/migrator.go': GO, 'sql/1_a.sql': `${UP}create table a (id int);\n` });
    const followed = resolveProject({ cwd: code.root, migrations: 'sql' });
    expect(followed.runner.bookkeeping).toEqual(['convoy.gorp_migrations']);
    expect(followed.runner.bookkeepingSetup?.sql).toBe('create schema if not exists convoy;create table if not exists convoy."gorp_migrations" ("id" text not null primary key, "applied_at" timestamp with time zone) ;');
    expect(followed.runner.notices).toBeUndefined();
    const both = project({ 'dbconfig.yml': 'development:\n  dialect: postgres\n  datasource: x\n  table: migrations\n', 'cmd/migrate.go': GO.replace('migrate.SetSchema(tableSchema)', 'migrate.SetTable(name())'), 'migrations/1_a.sql': `${UP}select 1;\n` });
    const named = resolveProject({ cwd: both.root });
    expect(named.runner.bookkeeping).toEqual(['public.migrations']);
    expect(named.runner.notices).toEqual([expect.stringContaining('cmd/migrate.go:10 migrate.SetTable(…)), with a value pgdrift cannot read: the replay creates public.migrations as dbconfig.yml says')]);
  });

  it('check --write-migration names the file as `sql-migrate new` does', () => {
    const next = nextMigration(sqlMigrate, [{ name: '20240101120000-init.sql', version: '20240101120000' }], 'reconcile', new Date('2025-02-03T04:05:06Z'));
    expect(next).toEqual({ name: '20250203040506-reconcile.sql', version: '20250203040506' });
  });
});
