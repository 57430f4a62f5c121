import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import type { InputError } from '../../src/errors.js';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { nextMigration } from '../../src/fix/migration-file.js';
import { loadMigrations } from '../../src/migrations/discover.js';
import { hasura, noTransaction, planHasura, yamlActions } from '../../src/runners/hasura.js';
import { detectRunner } from '../../src/runners/index.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The Hasura CLI (hasura/graphql-engine cli/migrate): source/file Scan + parse.go Regex/Regexv2, uint64 version order,
 * one run_sql per up.sql in the server's transaction, `-- hasura:no-transaction`, config v1 YAML migrations.
 */
const project = tempProjects();
const CONFIG_V3 = 'version: 3\nendpoint: http://localhost:8080\nmetadata_directory: metadata\nactions:\n  kind: synchronous\n';
const DATABASES = '- name: default\n  kind: postgres\n  configuration:\n    connection_info:\n      database_url:\n        from_env: HASURA_GRAPHQL_DATABASE_URL\n';

beforeAll(() => loadSqlParser());

describe('hasura discovery', () => {
  // a project `hasura init` made, before its first migration: it said "runner numbered detected ... no migrations in
  // migrations/ for the numbered runner"
  it('a Hasura config.yaml above an empty migrations folder is Hasura\'s (weakly: another runner\'s files win)', () => {
    const p = project({ 'config.yaml': CONFIG_V3, 'metadata/version.yaml': 'version: 3\n', 'migrations/.gitkeep': '' });
    const detected = detectRunner(path.join(p.root, 'migrations'), p.root);
    expect(detected.runner.name).toBe('hasura');
    expect(detected.evidence?.what).toContain('no migration in it yet');
    const goose = project({ 'config.yaml': CONFIG_V3, 'migrations/20240101000000_a.sql': '-- +goose Up\nCREATE TABLE a (id int);\n' });
    expect(detectRunner(path.join(goose.root, 'migrations'), goose.root).runner.name).toBe('goose');
  });

  it('config v3: up.sql of each <version>_<name>/ folder, versions as integers (not text); down.sql and empty up.sql are skipped', () => {
    const p = project({
      'hasura/config.yaml': CONFIG_V3,
      'hasura/migrations/default/1654696186008_init/up.sql': 'CREATE TABLE a (id int);\n',
      'hasura/migrations/default/1654696186008_init/down.sql': 'DROP TABLE a;\n',
      // 999 < 1654696186008 as an integer, though "999_..." sorts after "1654..." as text
      'hasura/migrations/default/999_first/up.sql': 'CREATE TABLE z (id int);\n',
      'hasura/migrations/default/1654696186009_empty/up.sql': '',
      'hasura/migrations/default/1654696186010_b/up.sql': 'CREATE TABLE b (id int);\n',
      'hasura/migrations/default/1654696186010_b/up.yaml': '- type: run_sql\n  args:\n    sql: SELECT 1\n',
      'hasura/migrations/default/notes.sql': '',
    });
    const found = hasura.discover(`${p.root}/hasura/migrations/default`);
    expect(found.migrations.map((m) => [m.name, m.version])).toEqual([
      ['999_first/up.sql', '999'],
      ['1654696186008_init/up.sql', '1654696186008'],
      ['1654696186010_b/up.sql', '1654696186010'],
    ]);
    expect(found.ignored.map((f) => [f.name, f.expected ?? false])).toEqual([
      ['1654696186009_empty/up.sql', true],
      ['1654696186010_b/up.yaml', false],
      ['notes.sql', false],
      ['1654696186008_init/down.sql', true],
    ]);
    expect(found.problems).toEqual([]);
  });

  it('config v1/v2 files; a version with a down file only, and two up files of one version, stop the CLI', () => {
    const p = project({
      'config.yaml': 'version: 2\nendpoint: http://localhost:8080\n',
      'migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n',
      'migrations/1_a.down.sql': 'DROP TABLE a;\n',
      'migrations/2_b.down.sql': 'DROP TABLE b;\n',
      'migrations/3_c.up.sql': 'SELECT 1;\n',
      'migrations/3_d.up.sql': 'SELECT 2;\n',
    });
    const found = hasura.discover(`${p.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['1_a.up.sql', '3_c.up.sql']);
    expect(found.problems).toEqual([
      'found duplicate migrations for version 3: 3_c.up.sql, 3_d.up.sql (the Hasura CLI refuses the folder: source.Migrations.Append)',
      '2_b.down.sql: 2 up migration not found: `hasura migrate apply` stops at this version (migrate.go versionUpExists)',
    ]);
  });

  it('config v1 reads .up.yaml after the version\'s .up.sql; config v2 names it as not applied', () => {
    const files = {
      'migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n',
      'migrations/1_a.up.yaml': '- type: track_table\n  args:\n    name: a\n',
      'migrations/2_b.up.yaml': '[]\n',
    };
    const v1 = project({ 'config.yaml': 'endpoint: http://localhost:8080\n', ...files });
    const found = hasura.discover(`${v1.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['1_a.up.sql', '1_a.up.yaml']);
    expect(found.ignored.map((f) => f.name)).toEqual(['2_b.up.yaml']);
    const v2 = project({ 'config.yaml': 'version: 2\nendpoint: http://localhost:8080\n', ...files });
    expect(hasura.discover(`${v2.root}/migrations`).ignored.map((f) => [f.name, f.reason])).toEqual([
      ['1_a.up.yaml', 'a YAML migration: the Hasura CLI reads only .sql migrations in a config v2 project (Parsev2)'],
      ['2_b.up.yaml', 'a YAML migration: the Hasura CLI reads only .sql migrations in a config v2 project (Parsev2)'],
    ]);
  });

  it('config v1 is replayed as the CLI v1.x applies it: one transaction, with a notice', () => {
    const p = project({ 'config.yaml': 'endpoint: http://localhost:8080\n', 'migrations/1_a.up.sql': 'SELECT 1;\n' });
    const own = hasura.forProject!(`${p.root}/migrations`, { projectRoot: p.root });
    expect(own.oneTransaction).toBe(true);
    expect(own.notices).toEqual([expect.stringContaining('config.yaml is a config v1 project, which only the Hasura CLI v1.x applies')]);
    const v3 = project({ 'hasura/config.yaml': CONFIG_V3, 'hasura/migrations/default/1_a/up.sql': 'SELECT 1;\n' });
    expect(hasura.forProject!(`${v3.root}/hasura/migrations/default`, { projectRoot: v3.root })).toEqual({});
  });
});

describe('hasura config v1 YAML migrations: the sql of each run_sql action', () => {
  /** the plan, and the text the replay sends (loadMigrations: the parts' lines, substituted) */
  const replayed = (text: string) => {
    const p = project({ 'config.yaml': 'endpoint: http://localhost:8080\n', 'migrations/1_a.up.yaml': text });
    const [loaded] = loadMigrations(`${p.root}/migrations`, p.root, hasura).migrations;
    return { plan: planHasura(text, '1_a.up.yaml'), sent: loaded.text };
  };

  it('a literal block keeps every line and column; metadata actions are not replayed', () => {
    const text = '- type: track_table\n  args:\n    name: a\n- type: run_sql\n  args:\n    sql: |\n      CREATE FUNCTION f() RETURNS int AS $$\n        SELECT 1\n      $$ LANGUAGE sql;\n';
    const { plan, sent } = replayed(text);
    expect(plan.problem).toBeUndefined();
    expect(plan.parts).toEqual([{ startLine: 5, endLine: 9, transaction: 'wrapped' }]);
    expect(sent).toBe('\n\n\n\n\n\nCREATE FUNCTION f() RETURNS int AS $$\n  SELECT 1\n$$ LANGUAGE sql;\n');
  });

  it('quoted and plain values, a bulk action\'s run_sql: the value as YAML reads it, each in a part of its own', () => {
    const text = '- args:\n    sql: "CREATE TABLE u (id int);\\nCOMMENT ON TABLE u IS \'it\'\'s\';"\n  type: run_sql\n- type: bulk\n  args:\n  - type: run_sql\n    args:\n      sql: ALTER TABLE u ADD c text\n';
    const { plan, sent } = replayed(text);
    expect(plan.parts.map((part) => [part.startLine, part.endLine])).toEqual([[1, 2], [7, 8]]);
    expect(sent).toContain("CREATE TABLE u (id int);\nCOMMENT ON TABLE u IS 'it''s';");
    expect(sent).toContain('ALTER TABLE u ADD c text');
    expect(yamlActions(text)?.map((a) => a.type)).toEqual(['run_sql', 'run_sql']);
  });

  it('a run_sql without a string sql, and a file that is no list of actions, are refused at their place', () => {
    expect(planHasura('- type: run_sql\n  args:\n    cascade: true\n', '1_a.up.yaml').problem).toMatchObject({ line: 1, column: 3, message: 'a run_sql action without a string `sql` in its args' });
    expect(planHasura('type: run_sql\n', '1_a.up.yaml').problem?.message).toContain('not a YAML list of actions');
    expect(planHasura('- {type: run_sql, args: {sql: "SELECT 1"}}\n- {type: run_sql, args: {sql: "SELECT 2"}}\n', '1_a.up.yaml').problem).toBeUndefined();
    expect(planHasura('[{type: run_sql, args: {sql: "SELECT 1"}}, {type: run_sql, args: {sql: "SELECT 2"}}]\n', '1_a.up.yaml').problem?.message).toContain('two run_sql actions share a line');
  });
});

describe('hasura replay on PGlite', () => {
  it('config v1: .up.sql then the .up.yaml run_sql actions, one transaction; a failure inside a block scalar is at its own line:column', async () => {
    const files = {
      'config.yaml': 'endpoint: http://localhost:8080\n',
      'migrations/1600000000000_init.up.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
      'migrations/1600000000000_init.up.yaml': '- type: track_table\n  args:\n    name: t\n- type: run_sql\n  args:\n    sql: |\n      CREATE FUNCTION public.f() RETURNS int AS $$\n        SELECT 1\n      $$ LANGUAGE sql;\n      ALTER TABLE t ADD COLUMN b int;\n',
      'migrations/1600000000001_u.up.yaml': '- type: run_sql\n  args:\n    sql: "CREATE TABLE u (id int REFERENCES t (id));"\n',
    };
    const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('    AS $$\n  SELECT 1\n$$;');
    expect(result.sql).toContain('    b integer');
    expect(result.sql).toContain('CREATE TABLE public.u (');
    const broken = { ...files, 'migrations/1600000000002_bad.up.yaml': '- type: run_sql\n  args:\n    sql: |\n      CREATE TABLE ok (id int);\n      ALTER TABLE missing ADD COLUMN x int;\n' };
    const failed = await dump({ cwd: project(broken).root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(failed.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['migrations/1600000000002_bad.up.yaml', 5, 7, '42P01']]);
    // a version's .up.sql and .up.yaml are one migration: no duplicate-number
    const linted = await lint({ cwd: project(files).root });
    expect(linted.findings.filter((f) => f.rule === 'duplicate-number')).toEqual([]);
  });

  it('config v3: each up.sql in its own transaction; CREATE INDEX CONCURRENTLY fails there (25001) and runs with -- hasura:no-transaction', async () => {
    const files = { 'hasura/config.yaml': CONFIG_V3, 'hasura/migrations/default/1_a/up.sql': 'CREATE TABLE t (a int);\n', 'hasura/migrations/default/2_i/up.sql': 'CREATE INDEX CONCURRENTLY t_a ON t (a);\n' };
    const wrapped = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(wrapped.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['hasura/migrations/default/2_i/up.sql', '25001']]);
    const marked = await dump({ cwd: project({ ...files, 'hasura/migrations/default/2_i/up.sql': '-- hasura:no-transaction\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n' }).root, engine: 'pglite', noCache: true });
    expect(marked.report.migrationFailures).toEqual([]);
    expect(marked.sql).toContain('CREATE INDEX t_a ON public.t USING btree (a);');
  });

  it('the server creates pgcrypto in public when it sets up its catalog, before any migration: migrations may call public.gen_random_uuid()', async () => {
    // field: Acaisoft/bolt-api's first migration, `id uuid DEFAULT public.gen_random_uuid()` (42883 without pgcrypto)
    const files = { 'hasura/config.yaml': CONFIG_V3, 'hasura/migrations/default/1_a/up.sql': 'CREATE TABLE t (id uuid DEFAULT public.gen_random_uuid() NOT NULL);\n' };
    const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;');
    expect(result.sql).toContain('DEFAULT public.gen_random_uuid()');
  });
});

describe('hasura folders', () => {
  it('with no PostgreSQL-named or default database, the example is the database with the most migrations (field: 0xIntuition/intuition-rs)', () => {
    const p = project({
      'hasura/config.yaml': CONFIG_V3,
      'hasura/migrations/cache/1738779627_init/up.sql': '',
      'hasura/migrations/intuition/1_a/up.sql': 'CREATE TABLE a (id int);\n',
      'hasura/migrations/intuition/2_b/up.sql': 'CREATE TABLE b (id int);\n',
    });
    expect(() => resolveProject({ cwd: p.root })).toThrow(expect.objectContaining({ hint: expect.stringContaining('e.g. --migrations hasura/migrations/intuition') }));
  });

  it('a migrations folder of several databases is refused, naming --migrations <folder>/<name>', () => {
    const p = project({
      'hasura/config.yaml': CONFIG_V3,
      'hasura/migrations/default/1_a/up.sql': 'SELECT 1;\n',
      'hasura/migrations/analytics/1_a/up.sql': 'SELECT 1;\n',
    });
    expect(() => hasura.discover(`${p.root}/hasura/migrations`, { projectRoot: p.root })).toThrow('hasura/migrations/ holds one folder per database (analytics, default): `hasura migrate apply --database-name <name>` applies one of them');
    // from the project root: no single PostgreSQL database to take, so the same message, with an example
    const error = (() => {
      try {
        resolveProject({ cwd: p.root });
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error?.hint).toContain('--migrations hasura/migrations/default');
  });
});

describe('hasura transactions', () => {
  it('run_sql runs in the server\'s transaction; a first line `-- hasura:no-transaction` sends it as one query', () => {
    expect(planHasura('CREATE TABLE t (a int);\n', '1_a/up.sql').parts).toEqual([{ startLine: 0, endLine: 2, transaction: 'wrapped' }]);
    expect(planHasura('-- hasura:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n', '1_a/up.sql').parts[0].transaction).toBe('implicit');
    expect(noTransaction('   -- hasura:no-transaction  \r\nSELECT 1;')).toBe(true);
    expect(noTransaction('\n-- hasura:no-transaction\n')).toBe(false);
    expect(noTransaction('--hasura:no-transaction\n')).toBe(false);
    expect(noTransaction('-- hasura:no-transaction and more\n')).toBe(false);
  });

  it('the marker is an assumption (the CLI code that reads it was not available): a notice names the files', () => {
    const p = project({ 'hasura/config.yaml': CONFIG_V3, 'hasura/migrations/default/1_a/up.sql': '-- hasura:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n', 'hasura/migrations/default/2_b/up.sql': 'SELECT 1;\n' });
    expect(hasura.forProject!(`${p.root}/hasura/migrations/default`, { projectRoot: p.root }).notices).toEqual([expect.stringContaining('1_a/up.sql starts with `-- hasura:no-transaction`: replayed as one query outside a transaction')]);
  });
});

describe('hasura detection and folders', () => {
  it('from the project root: hasura/config.yaml names the folder, databases.yaml the PostgreSQL database; hdb_catalog is ignored', () => {
    const p = project({
      'hasura/config.yaml': CONFIG_V3,
      'hasura/metadata/databases/databases.yaml': `${DATABASES}- name: reports\n  kind: mssql\n`,
      'hasura/migrations/default/1654696186008_init/up.sql': 'CREATE TABLE a (id int);\n',
      'hasura/migrations/reports/1654696186008_init/up.sql': 'CREATE TABLE [a] (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('hasura');
    expect(resolved.migrationsDir).toBe(`${p.root}/hasura/migrations/default`);
    expect(resolved.ignore).toContain('hdb_catalog');
  });

  // field: Azure-Samples/azure-sql-db-graphql-hasura: databases.yaml lists default (postgres, no migrations) and
  // sqlserverdb (mssql), the only folder; its T-SQL was replayed on Postgres and failed at `identity`
  it("refuses a database folder whose databases.yaml kind is not PostgreSQL (the CLI sends it to that source's run_sql)", () => {
    const p = project({
      'hasura/config.yaml': CONFIG_V3,
      'hasura/metadata/databases/databases.yaml': `${DATABASES}- name: sqlserverdb\n  kind: mssql\n`,
      'hasura/migrations/sqlserverdb/1627419031221_todos/up.sql': 'CREATE TABLE todoapp.todos (id int identity not null primary key);\n',
    });
    expect(() => resolveProject({ cwd: p.root })).toThrow(/hasura\/migrations\/sqlserverdb\/ holds the migrations of Hasura database sqlserverdb, of kind mssql/);
    expect(() => hasura.discover(`${p.root}/hasura/migrations/sqlserverdb`, { projectRoot: p.root })).toThrow(/not PostgreSQL/);
  });

  // field: iGnosis/sh-graphql keeps config.sample.yaml (config.yaml out of the repository), metadata/databases/ and
  // migrations/default/<version>_<name>/up.sql: taken for Diesel, whose transaction a console-written COMMIT ends
  it('with no config.yaml, metadata/databases/databases.yaml beside migrations/ is a config v3 project (not Diesel), with a notice', () => {
    const p = project({
      'config.sample.yaml': CONFIG_V3,
      'metadata/databases/databases.yaml': DATABASES,
      'migrations/default/1653897540385_init/up.sql': 'CREATE TABLE a (id int);\n',
      'migrations/default/1653897540385_init/down.sql': 'DROP TABLE a;\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('hasura');
    expect(resolved.migrationsDir).toBe(`${p.root}/migrations/default`);
    expect(hasura.forProject!(`${p.root}/migrations/default`, { projectRoot: p.root }).notices).toEqual([expect.stringContaining('hasura: no config.yaml beside metadata/')]);
  });

  it('HASURA_GRAPHQL_MIGRATIONS_DIRECTORY, _METADATA_DIRECTORY and _VERSION (environment, .env beside config.yaml) override config.yaml; --database-name of hasura migrate apply names the database; the winning settings are named', async () => {
    const files = {
      'hasura/config.yaml': CONFIG_V3,
      'hasura/metadata/databases/databases.yaml': DATABASES,
      'hasura/migrations/default/1_a/up.sql': 'CREATE TABLE from_config (id int);\n',
      'hasura/db/migrations/default/1_a/up.sql': 'CREATE TABLE from_env (id int);\n',
      'hasura/db/migrations/analytics/1_a/up.sql': 'CREATE TABLE from_flag (id int);\n',
    };
    const resolved = (extra: Record<string, string>) => {
      const p = project({ ...files, ...extra });
      return { root: p.root, dir: path.relative(p.root, resolveProject({ cwd: p.root }).migrationsDir), setting: hasura.configuredFolders!(`${p.root}/hasura/migrations`, { projectRoot: p.root })?.setting };
    };
    // the folder config.yaml names, without overrides
    expect(resolved({})).toMatchObject({ dir: 'hasura/migrations/default', setting: 'hasura/config.yaml migrations_directory, database default' });
    // .env beside config.yaml moves the folder; both databases there: databases.yaml's only PostgreSQL one is taken
    const fromDotEnv = resolved({ 'hasura/.env': 'HASURA_GRAPHQL_MIGRATIONS_DIRECTORY=db/migrations\n' });
    expect(fromDotEnv).toMatchObject({ dir: 'hasura/db/migrations/default', setting: '.env HASURA_GRAPHQL_MIGRATIONS_DIRECTORY (db/migrations), database default' });
    const replayed = await dump({ cwd: fromDotEnv.root, engine: 'pglite', noCache: true });
    expect(replayed.sql).toContain('CREATE TABLE public.from_env (');
    expect(replayed.sql).not.toContain('from_config');
    // the process environment wins over .env (gotenv.Load keeps a set variable)
    const overDotEnv = project({ ...files, 'hasura/.env': 'HASURA_GRAPHQL_MIGRATIONS_DIRECTORY=nowhere\n' });
    expect(hasura.configuredFolders!(`${overDotEnv.root}/hasura/migrations`, { projectRoot: overDotEnv.root, env: { HASURA_GRAPHQL_MIGRATIONS_DIRECTORY: 'db/migrations' } })?.setting).toBe('HASURA_GRAPHQL_MIGRATIONS_DIRECTORY (db/migrations), database default');
    // the metadata folder the variable names holds another databases.yaml
    expect(resolved({ 'hasura/.env': 'HASURA_GRAPHQL_MIGRATIONS_DIRECTORY=db/migrations\nHASURA_GRAPHQL_METADATA_DIRECTORY=db/metadata\n', 'hasura/db/metadata/databases/databases.yaml': '- name: analytics\n  kind: postgres\n' })).toMatchObject({ dir: 'hasura/db/migrations/analytics' });
    // --database-name of a hasura migrate apply script wins over databases.yaml
    const flagged = resolved({ 'hasura/.env': 'HASURA_GRAPHQL_MIGRATIONS_DIRECTORY=db/migrations\n', 'package.json': JSON.stringify({ scripts: { 'db:migrate': 'hasura --project hasura migrate apply --database-name analytics', status: 'hasura migrate status --database-name default' } }) });
    expect(flagged).toMatchObject({ dir: 'hasura/db/migrations/analytics', setting: '.env HASURA_GRAPHQL_MIGRATIONS_DIRECTORY (db/migrations), package.json script "db:migrate" (hasura migrate apply --database-name analytics)' });
    // two databases named: none followed, with a notice
    const two = project({ ...files, Makefile: 'migrate:\n\thasura migrate apply --database-name=default\nanalytics:\n\thasura migrate apply --database-name analytics\n' });
    const twoResolved = resolveProject({ cwd: two.root });
    expect(path.relative(two.root, twoResolved.migrationsDir)).toBe('hasura/migrations/default');
    expect(twoResolved.runner.notices).toEqual([expect.stringContaining("hasura: the project's hasura migrate apply commands name different databases (Makefile:2 (target migrate) (hasura migrate apply --database-name default); Makefile:4 (target analytics) (hasura migrate apply --database-name analytics)): pgdrift followed none of them")]);
    // HASURA_GRAPHQL_VERSION turns a v3 config into v2: the folder's own <version>_<name> entries, YAML ones not applied
    const v2 = project({ 'hasura/config.yaml': CONFIG_V3, 'hasura/.env': 'HASURA_GRAPHQL_VERSION=2\n', 'hasura/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n' });
    expect(hasura.discover(`${v2.root}/hasura/migrations`, { projectRoot: v2.root }).migrations.map((m) => m.name)).toEqual(['1_a.up.sql']);
    expect(hasura.configuredFolders!(`${v2.root}/hasura/migrations`, { projectRoot: v2.root })?.setting).toBe('hasura/config.yaml migrations_directory, .env HASURA_GRAPHQL_VERSION (2)');
  });

  it('a Hasura config.yaml above the project root is not the project\'s', () => {
    const p = project({ 'config.yaml': CONFIG_V3, 'migrations/default/1_a/up.sql': 'SELECT 1;\n', 'app/README.md': '' });
    expect(() => resolveProject({ cwd: `${p.root}/app` })).toThrow(/no migrations folder found/);
  });

  it('a <version>_<name>/up.sql folder beside a Hasura config.yaml is Hasura, not Diesel; without one it stays Diesel', () => {
    const p = project({ 'config.yaml': CONFIG_V3, 'migrations/default/1654696186008_init/up.sql': 'SELECT 1;\n' });
    expect(detectRunner(`${p.root}/migrations/default`, p.root).runner.name).toBe('hasura');
    const q = project({ 'config.yaml': 'name: something else\n', 'migrations/1654696186008_init/up.sql': 'SELECT 1;\n' });
    expect(detectRunner(`${q.root}/migrations`, q.root).runner.name).toBe('diesel');
  });

  it('check --write-migration names a folder with the time in milliseconds, after the last version', () => {
    const next = nextMigration(hasura, [{ name: '1654696186008_init/up.sql', version: '1654696186008' }], 'fix_drift', new Date(1764979200000));
    expect(next).toEqual({ name: '1764979200000_fix_drift/up.sql', version: '1764979200000' });
  });
});
