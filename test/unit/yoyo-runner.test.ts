import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { migrationText, nextMigration } from '../../src/fix/migration-file.js';
import { detectRunner } from '../../src/runners/index.js';
import { planYoyo, pythonDepends, readYoyoHeader, urlSchemaParameter, yoyo } from '../../src/runners/yoyo.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * yoyo-migrations 8.2: yoyo/migrations.py (_expand_sources, read_migrations, parse_metadata_from_sql_comments,
 * Migration.load / process_steps), yoyo/topologicalsort.py, yoyo/backends/base.py, yoyo/scripts/newmigration.py.
 * The orders below were checked against yoyo 8.2.0 itself (`yoyo apply` then `yoyo list`) on the local server.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const names = (folder: string) => yoyo.discover(folder).migrations.map((m) => m.name);

describe('yoyo discovery and order', () => {
  it('the .sql and .py files by name; X.rollback.sql, .SQL, other extensions and `yoyo new` editor files are not migrations; post-apply hooks last', () => {
    const p = project({
      'migrations/0002_b.sql': 'create table b (id int);',
      'migrations/0001_a.sql': 'create table a (id int);',
      'migrations/0001_a.rollback.sql': 'drop table a;',
      'migrations/0003_c.SQL': 'create table c (id int);',
      'migrations/README.md': '# migrations',
      'migrations/_tmp_yoyonew1234.sql': 'select 1;',
      'migrations/post-apply-grants.sql': 'select 1;',
      'migrations/0004_d.sql': 'create table d (id int);',
    });
    const found = yoyo.discover(`${p.root}/migrations`);
    expect(found.migrations.map((m) => [m.name, m.version])).toEqual([
      ['0001_a.sql', '0001_a'],
      ['0002_b.sql', '0002_b'],
      ['0004_d.sql', '0004_d'],
      ['post-apply-grants.sql', 'post-apply-grants'],
    ]);
    expect(found.ignored.map((f) => [f.name, f.expected ?? false])).toEqual([
      ['0001_a.rollback.sql', true],
      ['0003_c.SQL', false],
      ['_tmp_yoyonew1234.sql', true],
    ]);
    expect(found.problems).toEqual([]);
  });

  it('-- depends: puts a migration after what it names, the earliest ready file first (topologicalsort.py); repeated lines add up', () => {
    const p = project({
      'm/0001_a.sql': '-- depends:\nselect 1;',
      'm/0002_b.sql': '-- depends: 0001_a\n-- depends: 0004_d\nselect 1;',
      'm/0003_c.sql': '-- depends: 0001_a\nselect 1;',
      'm/0004_d.sql': '-- a comment line\n\n-- depends: 0003_c\nselect 1;',
      'm/0005_e.sql': 'select 1;',
    });
    // yoyo 8.2.0 on this folder: 0001_a, 0003_c, 0004_d, 0002_b, 0005_e
    expect(names(`${p.root}/m`)).toEqual(['0001_a.sql', '0003_c.sql', '0004_d.sql', '0002_b.sql', '0005_e.sql']);
  });

  it('an unknown id, a cycle and two files with one id stop yoyo before it applies anything', () => {
    const p = project({
      'm/0001_a.sql': '-- depends: 0009_missing\nselect 1;',
      'm/0002_b.sql': '-- depends: 0003_c\nselect 1;',
      'm/0003_c.sql': '-- depends: 0002_b\nselect 1;',
      'm/0004_d.sql': 'select 1;',
      'm/0004_d.py': 'from yoyo import step\nsteps = [step("select 1")]\n',
    });
    const problems = yoyo.discover(`${p.root}/m`).problems.join('\n');
    expect(problems).toContain('0004_d.sql: yoyo\'s migration id "0004_d" is also 0004_d.py\'s: yoyo refuses the sources (MigrationConflict)');
    expect(problems).toContain('0001_a.sql: depends on "0009_missing", which no migration file is');
    expect(problems).toContain('form a cycle');
  });

  it('a Python migration is applied by yoyo but not replayable (the replay is incomplete), in its place by __depends__; an empty __init__.py has no steps', () => {
    const p = project({
      'm/__init__.py': '# package marker\n',
      'm/0001_a.sql': 'create table a (id int);',
      'm/0002_seed.py': "from yoyo import step\n__depends__ = {'0003_c'}\nsteps = [step(\"insert into a values (1)\")]\n",
      'm/0003_c.sql': 'create table c (id int);',
      'm/0004_d.sql': 'create table d (id int);',
    });
    const found = yoyo.discover(`${p.root}/m`);
    expect(found.migrations.map((m) => m.name)).toEqual(['0001_a.sql', '0003_c.sql', '0004_d.sql']);
    const seed = found.ignored.find((f) => f.name === '0002_seed.py')!;
    expect(seed).toMatchObject({ appliedByRunner: true, appliedBefore: '0004_d.sql' });
    expect(seed.reason).toContain('pgdrift cannot replay');
    expect(found.ignored.find((f) => f.name === '__init__.py')).toMatchObject({ expected: true });
    expect(pythonDepends("__depends__ = ['a', \"b\"]\n")).toEqual(['a', 'b']);
    expect(pythonDepends("__depends__ = '0001_a'\n")).toEqual(['0001_a']);
    expect(pythonDepends('__depends__ = {\n  "a",  # first\n  "b",\n}\n')).toEqual(['a', 'b']);
    expect(pythonDepends('__depends__ = compute()\n')).toBeUndefined();
  });

  it('directives are read only from the leading comment lines, names case-sensitive; a byte order mark hides them (Python\'s \\s is no U+FEFF)', () => {
    expect(readYoyoHeader('-- Add users\n--depends : 0001_a 0002_b\n\n-- transactional: false\nselect 1;\n')).toEqual({ depends: ['0001_a', '0002_b'], dependsLine: true, transactional: 'false', transactionalLine: 3 });
    expect(readYoyoHeader('select 1;\n-- depends: 0001_a\n')).toEqual({ depends: [], dependsLine: false });
    expect(readYoyoHeader('/* header */\n-- depends: 0001_a\n').depends).toEqual([]);
    expect(readYoyoHeader('-- Depends: 0001_a\n').depends).toEqual([]);
    expect(readYoyoHeader('\uFEFF-- depends: 0001_a\nselect 1;').depends).toEqual([]);
    expect(readYoyoHeader('-- depends: 0001_a\r\n-- transactional: false\r\nselect 1;').transactional).toBe('false');
    // Python's universal newlines: a CRLF line in an LF file leaves no carriage return in the value (yoyo 8.2.0 applies it)
    expect(planYoyo('-- depends:\n-- transactional: false\r\nselect 1;\n', 'a.sql')).toEqual({ parts: [{ startLine: 0, endLine: 4, transaction: 'none' }] });
  });
});

describe('yoyo transactions', () => {
  it('a transaction around each migration; "-- transactional: false" (any case) runs its statements one by one in autocommit', () => {
    expect(planYoyo('create table a (id int);\n', 'a.sql').parts.map((p) => p.transaction)).toEqual(['wrapped']);
    expect(planYoyo('-- transactional: false\ncreate index concurrently i on a (id);\n', 'a.sql').parts.map((p) => p.transaction)).toEqual(['none']);
    expect(planYoyo('-- transactional: FALSE\nselect 1;\n', 'a.sql').parts.map((p) => p.transaction)).toEqual(['none']);
    expect(planYoyo('-- transactional: true\nselect 1;\n', 'a.sql').parts.map((p) => p.transaction)).toEqual(['wrapped']);
  });

  it('a value other than true or false fails yoyo\'s load (KeyError), a trailing space too', () => {
    expect(planYoyo('-- x\n-- transactional: false \nselect 1;\n', 'a.sql').problem).toMatchObject({ line: 2, message: expect.stringContaining("KeyError: 'false '") });
    expect(planYoyo('-- transactional: no\nselect 1;\n', 'a.sql').problem?.message).toContain("KeyError: 'no'");
  });

  it("a COMMIT before the last statement of a transactional migration ends yoyo's transaction: its next SAVEPOINT fails", () => {
    const problem = planYoyo('BEGIN;\ncreate table a (id int);\nCOMMIT;\ncreate table b (id int);\n', 'a.sql').problem;
    expect(problem).toMatchObject({ line: 3, message: expect.stringContaining('SAVEPOINT can only be used in transaction blocks') });
    // last: yoyo's own COMMIT only warns then; without a transaction, BEGIN/COMMIT are the file's own
    expect(planYoyo('BEGIN;\ncreate table a (id int);\nCOMMIT;\n', 'a.sql').problem).toBeUndefined();
    expect(planYoyo('-- transactional: false\nBEGIN;\ncreate table a (id int);\nCOMMIT;\ncreate table b (id int);\n', 'a.sql').problem).toBeUndefined();
  });
});

describe('yoyo detection and settings', () => {
  it('detected by X.rollback.sql beside X.sql, by -- depends: / -- transactional: headers, by Python migrations importing yoyo, by a yoyo.ini; weakly by a Python dependency on yoyo-migrations', () => {
    const pairs = project({ 'migrations/0001_a.sql': 'select 1;', 'migrations/0001_a.rollback.sql': 'select 1;' });
    expect(detectRunner(`${pairs.root}/migrations`, pairs.root).runner.name).toBe('yoyo');
    const headed = project({ 'migrations/20240101_01_abcde-init.sql': '-- init\n-- depends: \n\ncreate table a (id int);\n' });
    expect(detectRunner(`${headed.root}/migrations`, headed.root).runner.name).toBe('yoyo');
    const ini = project({ 'yoyo.ini': '[DEFAULT]\nsources = migrations\n', 'migrations/001_a.sql': 'select 1;' });
    expect(detectRunner(`${ini.root}/migrations`, ini.root)).toMatchObject({ runner: { name: 'yoyo' }, evidence: { what: 'a yoyo.ini whose sources name the folder' } });
    const python = project({ 'requirements.txt': 'psycopg2-binary==2.9.9\nyoyo-migrations==8.2.0\n', 'migrations/001_a.sql': 'select 1;' });
    expect(detectRunner(`${python.root}/migrations`, python.root)).toMatchObject({ runner: { name: 'yoyo' }, evidence: { weak: true } });
    // field: EgorOnishchuk/fastapi-project-template keeps only Python migrations (the numbered fallback found none)
    const code = project({ 'migrations/20250316_01_z93KU-person.py': '"""Person"""\n\nfrom yoyo import step\n\n__depends__ = {}\n\nsteps = [step("CREATE TABLE person (id int)")]\n' });
    expect(detectRunner(`${code.root}/migrations`, code.root)).toMatchObject({ runner: { name: 'yoyo' }, evidence: { what: 'Python migrations that import yoyo' } });
    const plain = project({ 'migrations/001_a.sql': 'select 1;', 'migrations/002_count_down.sql': 'select 1;' });
    expect(detectRunner(`${plain.root}/migrations`, plain.root).runner.name).toBe('numbered');
    // a Python dependency yields to another runner's markers
    const goose = project({ 'requirements.txt': 'yoyo-migrations\n', 'migrations/001_a.sql': '-- +goose Up\nselect 1;\n' });
    expect(detectRunner(`${goose.root}/migrations`, goose.root).runner.name).toBe('goose');
  });

  it("yoyo.ini's sources (%(here)s interpolated) and migration_table; a `yoyo apply <dir>` command names the folder", () => {
    const p = project({
      'yoyo.ini': '[DEFAULT]\nsources = %(here)s/db/yoyo\nmigration_table = schema_history\nbatch_mode = on\n',
      'db/yoyo/0001_a.sql': '-- depends:\ncreate table a (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe(path.join('db', 'yoyo'));
    expect(resolved.runner.name).toBe('yoyo');
    expect(resolved.runner.bookkeeping).toEqual(['public.schema_history', 'public._yoyo_log', 'public._yoyo_version', 'public.yoyo_lock']);
    expect(resolved.runner.bookkeepingSetup?.sql).toContain('CREATE TABLE "schema_history" ( migration_hash VARCHAR(64)');
    // two sources: one history, the first source's files before the second's (read_migrations), post-apply hooks last
    const two = project({
      'yoyo.ini': '[DEFAULT]\nsources = migrations extra/migrations\n',
      'migrations/0002_b.sql': '-- depends:\ncreate table b (id int);\n',
      'migrations/post-apply-x.sql': 'select 1;\n',
      'extra/migrations/0001_a.sql': '-- depends:\ncreate table a (id int);\n',
    });
    const both = resolveProject({ cwd: two.root });
    expect(both.runner.discover(both.migrationsDir, { projectRoot: two.root }).migrations.map((m) => m.name)).toEqual(['migrations/0002_b.sql', 'extra/migrations/0001_a.sql', 'migrations/post-apply-x.sql']);
    // a glob source (_expand_sources: glob(source)), a package: source named in a notice
    const globbed = project({ 'yoyo.ini': '[DEFAULT]\nsources = db/*/migrations package:app:migrations\n', 'db/core/migrations/0001_a.sql': '-- depends:\nselect 1;\n', 'db/.hidden/migrations/0001_h.sql': 'select 1;\n' });
    expect(yoyo.configuredFolders!(globbed.root, { projectRoot: globbed.root })?.folders).toEqual([path.join(globbed.root, 'db', 'core', 'migrations')]);
    expect(yoyo.forProject!(path.join(globbed.root, 'db', 'core', 'migrations'), { projectRoot: globbed.root }).notices).toEqual(["yoyo: yoyo.ini sets sources package:app:migrations, a Python package's resources, which pgdrift does not follow"]);
    const make = project({
      Makefile: 'migrate:\n\tyoyo apply --batch --database $(DATABASE_URL) sql/migrations\n',
      'sql/migrations/0001_a.sql': '-- depends:\ncreate table a (id int);\n',
    });
    expect(yoyo.configuredFolders!(make.root, { projectRoot: make.root })).toMatchObject({ folders: [path.join(make.root, 'sql', 'migrations')] });
  });

  it("a database URL's schema parameter, as yoyo's PostgreSQL backend reads it (parse_qsl, SET search_path TO it)", () => {
    expect(urlSchemaParameter('postgresql://u:p@localhost/db?schema=app')).toEqual(['app']);
    expect(urlSchemaParameter('postgresql://localhost/db?sslmode=disable&schema=App%2C+public')).toEqual(['app', 'public']);
    expect(urlSchemaParameter('postgresql://localhost/db?schema=%22App%22')).toEqual(['App']);
    expect(urlSchemaParameter('postgresql://localhost/db?sslmode=disable')).toBeUndefined();
    expect(urlSchemaParameter('postgresql://localhost/db')).toBeUndefined();
    expect(urlSchemaParameter(undefined)).toBeUndefined();
    const p = project({ 'yoyo.ini': '[DEFAULT]\ndatabase = postgresql://localhost/db?schema=app\nmigration_table = history\n', 'migrations/0001_a.sql': '-- depends:\nselect 1;\n' });
    const settings = yoyo.forProject!(path.join(p.root, 'migrations'), { projectRoot: p.root });
    expect(settings.searchPathBeforeEachFile).toEqual(['app']);
    expect(settings.sessionBeforeEachFile).toEqual(['RESET ALL', 'RESET ROLE', 'SET search_path TO app']);
    expect(settings.bookkeeping).toEqual(['app.history', 'app._yoyo_log', 'app._yoyo_version', 'app.yoyo_lock']);
    expect(settings.bookkeepingSetup?.sql).toContain('CREATE TABLE "app"."history" (');
  });

  it('check --write-migration names the file as `yoyo new` does and makes it depend on the heads, so it runs last', () => {
    const p = project({
      'migrations/20240101_01_abcde-init.sql': '-- depends:\ncreate table a (id int);\n',
      'migrations/20240101_02_fghij-more.sql': '-- depends: 20240101_01_abcde-init\ncreate table b (id int);\n',
      'migrations/aaa_side.sql': 'create table c (id int);\n',
    });
    const folder = `${p.root}/migrations`;
    const next = nextMigration(yoyo, yoyo.discover(folder).migrations, 'reconcile_schema_drift', new Date('2024-01-01T12:00:00Z'), folder);
    expect(next.name).toMatch(/^20240101_03_[A-Za-z0-9]{5}-reconcile-schema-drift\.sql$/);
    expect(next.depends).toEqual(['20240101_02_fghij-more', 'aaa_side']);
    const text = migrationText({ runner: yoyo, version: next.version, title: 'Reconcile', purpose: 'x', created: '2024-01-01', header: true, sql: 'create table d (id int);', depends: next.depends });
    expect(text.split('\n').slice(0, 2)).toEqual(['-- depends: 20240101_02_fghij-more aaa_side', `-- Migration ${next.version}: Reconcile`]);
    expect(readYoyoHeader(text).depends).toEqual(['20240101_02_fghij-more', 'aaa_side']);
  });
});
