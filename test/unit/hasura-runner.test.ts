import { beforeAll, describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { nextMigration } from '../../src/fix/migration-file.js';
import { hasura, noTransaction, planHasura } from '../../src/runners/hasura.js';
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

  it('config v1 reads .up.yaml after the version\'s .up.sql; pgdrift refuses one with run_sql at its line', () => {
    const p = project({
      'config.yaml': 'endpoint: http://localhost:8080\n',
      'migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n',
      'migrations/1_a.up.yaml': '- type: track_table\n  args:\n    name: a\n- type: run_sql\n  args:\n    sql: ALTER TABLE a ADD b int\n',
    });
    expect(hasura.discover(`${p.root}/migrations`).migrations.map((m) => m.name)).toEqual(['1_a.up.sql', '1_a.up.yaml']);
    const plan = planHasura('- type: track_table\n  args:\n    name: a\n- type: run_sql\n  args:\n    sql: ALTER TABLE a ADD b int\n', '1_a.up.yaml');
    expect(plan.parts).toEqual([]);
    expect(plan.problem).toMatchObject({ line: 4, column: 3 });
    expect(plan.problem?.message).toContain('config v1 YAML migration (track_table, run_sql)');
    expect(plan.problem?.hint).toContain('up.sql');
  });

  it('a migrations folder of several databases is refused, naming --migrations <folder>/<name>', () => {
    const p = project({
      'hasura/config.yaml': CONFIG_V3,
      'hasura/migrations/default/1_a/up.sql': 'SELECT 1;\n',
      'hasura/migrations/analytics/1_a/up.sql': 'SELECT 1;\n',
    });
    expect(hasura.discover(`${p.root}/hasura/migrations`).problems[0]).toContain('analytics/, default/: one folder per database (config v3)');
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
