import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/**
 * yoyo-migrations against what yoyo itself leaves: test/fixtures/dumps/yoyo-8.2.0-applied.sql is `pg_dump -s` of a
 * database `yoyo apply -b` (yoyo 8.2.0, psycopg2) applied test/fixtures/runners/yoyo/migrations to, with yoyo's four
 * bookkeeping tables (_yoyo_migration, _yoyo_log, _yoyo_version, yoyo_lock), its -- depends: order and its post-apply
 * hook. The replay in yoyo's order gives the same schema; the numbered fallback does not.
 */
const project = tempProjects();
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'runners', 'yoyo');
const APPLIED = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'dumps', 'yoyo-8.2.0-applied.sql'), 'utf8');

beforeAll(() => loadSqlParser());

function fixtureWithSnapshot() {
  const p = project({ 'schema/schema.sql': APPLIED });
  cpSync(path.join(FIXTURE, 'migrations'), path.join(p.root, 'migrations'), { recursive: true });
  return p;
}

describe('yoyo replay against the database yoyo made', () => {
  it.each([
    ['pglite', {}],
    ['server', { databaseUrl: SERVER_URL }],
  ] as const)('%s: check is clean: the bookkeeping tables are yoyo\'s, the order follows -- depends:, the post-apply hook runs last', async (engine, extra) => {
    const p = fixtureWithSnapshot();
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', engine, ...extra, noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(0);
  });

  it('the numbered fallback (name order, its own bookkeeping table) is not clean on the same project', async () => {
    const p = fixtureWithSnapshot();
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', runner: 'numbered', engine: 'pglite', noCache: true, lint: false });
    expect(checked.exitCode).toBe(1);
  });

  it('a Python migration makes the replay incomplete: check fails even when the rest matches', async () => {
    const p = fixtureWithSnapshot();
    p.write('migrations/0005_seed.py', "from yoyo import step\n__depends__ = {'0004_concurrent-index'}\nsteps = [step(\"insert into users (email) values ('a@b')\")]\n");
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(1);
    expect(checked.skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/0005_seed.py', appliedByRunner: true })]);
  });
});

describe('yoyo transactions and sessions on a replay', () => {
  it("a COMMIT in the middle of a transactional migration is refused at its line (yoyo's next SAVEPOINT fails there)", async () => {
    const p = project({ 'migrations/0001_a.sql': '-- depends:\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line])).toEqual([['migrations/0001_a.sql', 4]]);
  });

  it('each migration runs on a new connection: a search_path one file sets does not reach the next', async () => {
    const p = project({
      'migrations/0001_s.sql': '-- depends:\nCREATE SCHEMA app;\nSET search_path = app;\nCREATE TABLE a (id int);\n',
      'migrations/0002_b.sql': '-- depends: 0001_s\nCREATE TABLE b (id int);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE app.a (');
    expect(result.sql).toContain('CREATE TABLE public.b (');
  });

  it("the database URL's ?schema= is every migration's search_path, and yoyo's tables are made in that schema", async () => {
    // backends/core/postgresql.py: connect() pops `schema` from the URL, init_connection() runs SET search_path TO it
    const migrations = {
      'migrations/0001_a.sql': '-- depends:\nCREATE TABLE a (id int);\nSET search_path = public;\nCREATE TABLE p (id int);\n',
      'migrations/0002_b.sql': '-- depends: 0001_a\nCREATE TABLE b (id int);\n',
    };
    const fromIni = project({ ...migrations, 'yoyo.ini': '[DEFAULT]\nsources = migrations\ndatabase = postgresql://app_user@localhost/appdb?sslmode=disable&schema=app\n' });
    const fromCommand = project({ ...migrations, 'yoyo.ini': '[DEFAULT]\nsources = migrations\ndatabase = postgresql://localhost/appdb\n', Makefile: 'migrate:\n\tyoyo apply --batch --database postgresql://localhost/appdb?schema=app migrations\n' });
    for (const p of [fromIni, fromCommand]) {
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
      expect(result.report.migrationFailures).toEqual([]);
      expect(result.sql).toContain('CREATE TABLE app.a (');
      expect(result.sql).toContain('CREATE TABLE public.p ('); // a file's own SET still holds within it
      expect(result.sql).toContain('CREATE TABLE app.b ('); // a new connection: the URL's search_path again
      expect(result.sql).toContain('CREATE TABLE app._yoyo_migration (');
      expect(result.sql).not.toContain('public._yoyo_migration');
    }
  });

  it('a SET ROLE does not reach the next migration either (a new connection has none; RESET ALL would keep it)', async () => {
    // yoyo 8.2.0 on the local server: b is created by the connection's user, not yoyo_r (no CREATE on public: 42501)
    const p = project({
      'migrations/0001_role.sql': '-- depends:\nCREATE ROLE yoyo_r NOLOGIN;\nSET ROLE yoyo_r;\n',
      'migrations/0002_b.sql': '-- depends: 0001_role\nCREATE TABLE b (id int);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.b (');
  });

  it('CREATE INDEX CONCURRENTLY fails in a transactional migration (25001) and applies with -- transactional: false', async () => {
    const base = { 'migrations/0001_t.sql': '-- depends:\nCREATE TABLE t (id int);\n' };
    const wrapped = project({ ...base, 'migrations/0002_i.sql': '-- depends: 0001_t\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n' });
    expect((await dump({ cwd: wrapped.root, engine: 'pglite', noCache: true })).report.migrationFailures.map((f) => [f.line, f.sqlstate])).toEqual([[2, '25001']]);
    const alone = project({ ...base, 'migrations/0002_i.sql': '-- depends: 0001_t\n-- transactional: false\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n' });
    const result = await dump({ cwd: alone.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE INDEX t_id ON public.t');
  });
});
