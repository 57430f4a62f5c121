import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/** The goose runner replayed as the goose CLI applies a folder (pressly/goose@520411a). */
const project = tempProjects();

beforeAll(() => loadSqlParser());

describe('goose Go migrations', () => {
  const GO = 'package migrations\n\nimport "github.com/pressly/goose/v3"\n\nfunc init() { goose.AddMigrationContext(upAudit, downAudit) }\n';

  it('a .go migration is named as not replayed: a later file that needs its table fails, and check says the replay is incomplete', async () => {
    const p = project({
      'migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\n',
      'migrations/00002_audit.go': GO,
      'migrations/00003_audit_index.sql': '-- +goose Up\nCREATE INDEX audit_id ON audit (id);\n',
      'docs/architecture/schema-actual-2024-01-01.sql': 'CREATE TABLE public.users (id integer NOT NULL);\n',
    });
    const notices: string[] = [];
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false, onNotice: (m) => notices.push(m) });
    expect(result.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['migrations/00003_audit_index.sql', '42P01']]);
    expect(result.skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/00002_audit.go', appliedByRunner: true })]);
    expect(notices.join('\n')).toContain('the goose runner applies cannot be replayed');
    expect(result.exitCode).toBe(1);
  });

  it('a failure on a missing object after a Go migration names it in its hint; one before it, or of another kind, does not (field: hatchet-dev/hatchet v1_0_100.sql needs tables v1_0_99.go makes)', async () => {
    const p = project({
      'migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\n',
      'migrations/00002_audit.go': GO,
      'migrations/00003_audit_index.sql': '-- +goose Up\nCREATE INDEX audit_id ON audit (id);\n',
      'migrations/00004_later.go': GO,
    });
    const failed = await dump({ cwd: p.root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(failed.report.migrationFailures.map((f) => [f.file, f.hint])).toEqual([
      ['migrations/00003_audit_index.sql', 'the runner applies migrations/00002_audit.go before this file, which pgdrift cannot replay: what is missing may be made there'],
    ]);
    const before = project({
      'migrations/00001_users.sql': '-- +goose Up\nCREATE INDEX audit_id ON audit (id);\n',
      'migrations/00002_audit.go': GO,
      'migrations/00003_users.sql': '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE users (id int);\n',
    });
    const other = await dump({ cwd: before.root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(other.report.migrationFailures.map((f) => [f.file, f.sqlstate, f.hint])).toEqual([
      ['migrations/00001_users.sql', '42P01', undefined],
      ['migrations/00003_users.sql', '42P07', undefined],
    ]);
  });

  it('with only SQL files left to replay, check is still incomplete, never clean', async () => {
    const p = project({ 'migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\n', 'migrations/00002_audit.go': GO });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    p.write('docs/architecture/schema-actual-2024-01-01.sql', replayed.sql);
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(result.exitCode).toBe(1);
    expect(result.skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/00002_audit.go', appliedByRunner: true })]);
  });
  it('a folder of Go migrations only is goose\'s, and dump says none can be replayed (field: sjtw/tarkov-build-optimiser@762e7e8, "no migrations in migrations/ for the numbered runner")', async () => {
    const p = project({ 'migrations/20240214010641_initial.go': GO, 'migrations/20241008232129_conflicting_items.go': GO, 'migrations/helpers.go': 'package migrations\n' });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow('migrations/ holds 2 migrations the goose runner applies and no SQL one pgdrift can replay');
  });
});

describe('goose -- +goose NO TRANSACTION: each of its statements is one query (migration_sql.go runSQLMigration)', () => {
  const engines = [['pglite', {}], ['server', { databaseUrl: SERVER_URL }]] as const;
  const TABLE = '-- +goose Up\nCREATE TABLE items (id int, sku text);\n';

  it.each(engines)('%s: a StatementBegin block of CREATE INDEX CONCURRENTLY and another statement fails with 25001, as under goose', async (engine, extra) => {
    const p = project({
      'migrations/00001_items.sql': TABLE,
      'migrations/00002_index.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nCREATE INDEX CONCURRENTLY items_id ON items (id);\nALTER TABLE items ADD COLUMN note text;\n-- +goose StatementEnd\n',
    });
    const result = await dump({ cwd: p.root, engine, ...extra, noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/00002_index.sql', 4, '25001']]);
    expect(result.sql).not.toContain('items_id');
    expect(result.sql).not.toContain('note text');
  });

  it('lint: CREATE INDEX CONCURRENTLY is reported in a block of several statements, not alone in a NO TRANSACTION file', async () => {
    const p = project({
      'migrations/00001_items.sql': TABLE,
      'migrations/00002_index.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY items_sku ON items (sku);\n-- +goose StatementBegin\nCREATE INDEX CONCURRENTLY items_id ON items (id);\nALTER TABLE items ADD COLUMN note text;\n-- +goose StatementEnd\n',
    });
    const result = await lint({ cwd: p.root, today: '2026-01-01' });
    expect(result.findings.filter((f) => f.rule === 'concurrent-index-in-transaction').map((f) => [f.file, f.line])).toEqual([['migrations/00002_index.sql', 5]]);
  });

  it.each(engines)('%s: statements goose sends one by one apply, CREATE INDEX CONCURRENTLY included', async (engine, extra) => {
    const p = project({
      'migrations/00001_items.sql': TABLE,
      'migrations/00002_index.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY items_id ON items (id);\n-- the second index\nCREATE INDEX CONCURRENTLY items_sku\n  ON items (sku);\n-- +goose StatementBegin\nCREATE UNIQUE INDEX CONCURRENTLY items_id_sku ON items (id, sku);\n-- +goose StatementEnd\n\n-- +goose Down\nDROP INDEX items_id;\n',
    });
    const result = await dump({ cwd: p.root, engine, ...extra, noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    for (const index of ['items_id', 'items_sku', 'items_id_sku']) expect(result.sql).toContain(`CREATE ${index === 'items_id_sku' ? 'UNIQUE ' : ''}INDEX ${index} ON public.items`);
  });
});

describe('goose drops the line after an empty StatementBegin/StatementEnd block (internal/sqlparser/parser.go)', () => {
  const engines = [['pglite', {}], ['server', { databaseUrl: SERVER_URL }]] as const;
  const EMPTY_BLOCK = '-- +goose StatementBegin\n-- +goose StatementEnd\n';

  it.each(engines)('%s: in a transactional file as in a NO TRANSACTION one, the line is not replayed', async (engine, extra) => {
    const p = project({
      'migrations/00001_tx.sql': `-- +goose Up\n${EMPTY_BLOCK}CREATE TABLE dropped (id int);\nCREATE TABLE kept (id int);\n`,
      'migrations/00002_no_tx.sql': `-- +goose NO TRANSACTION\n-- +goose Up\n${EMPTY_BLOCK}CREATE TABLE dropped_too (id int);\nCREATE TABLE kept_too (id int);\n`,
    });
    const result = await dump({ cwd: p.root, engine, ...extra, noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.kept (');
    expect(result.sql).toContain('CREATE TABLE public.kept_too (');
    expect(result.sql).not.toContain('dropped');
  });

  it('a statement whose first line goose drops fails where Postgres refuses the rest goose sends', async () => {
    const p = project({ 'migrations/00001_tx.sql': `-- +goose Up\n${EMPTY_BLOCK}CREATE TABLE t (\n  id int\n);\n` });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['migrations/00001_tx.sql', 5, 3, '42601']]);
  });
});

describe('goose annotations goose refuses (internal/sqlparser/parser.go extractAnnotation)', () => {
  it('a comment mentioning +goose mid-sentence fails the file as goose fails it, at its line, with goose\'s words', async () => {
    const p = project({
      'migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\n',
      'migrations/00002_fn.sql': '-- +goose Up\n-- Note: bodies below use +goose StatementBegin blocks\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n-- +goose StatementEnd\n',
      'migrations/00003_more.sql': '-- +goose Up\nCREATE TABLE more (id int);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([
      expect.objectContaining({ file: 'migrations/00002_fn.sql', line: 2, column: 1, message: expect.stringContaining('failed to parse annotation line "-- Note: bodies below use +goose StatementBegin blocks"') }),
    ]);
    expect(result.report.files.find((f) => f.file === 'migrations/00002_fn.sql')?.status).toBe('failed');
    expect(result.sql).not.toContain('FUNCTION public.f()');
  });
});

describe('goose records each migration with INSERT INTO goose_db_version in the migration\'s session (migration_sql.go runSQLMigration)', () => {
  // ground truth, goose v3.27.3 (goose.Up, postgres): `failed to insert new goose version: pq: relation
  // "goose_db_version" does not exist`; in a transaction nothing of the file stays, without one its statements do
  const SET = '-- +goose Up\nCREATE SCHEMA app;\nSET search_path TO app;\nCREATE TABLE t1 (id int);\n';
  const NEXT = '-- +goose Up\nCREATE TABLE t2 (id int);\n';

  it.each([
    ['SET search_path', SET],
    ['SET LOCAL search_path', SET.replace('SET search', 'SET LOCAL search')],
  ])('a migration whose %s leaves goose_db_version out fails there, rolled back, and goose stops', async (_what, first) => {
    const p = project({ 'migrations/00001_app.sql': first, 'migrations/00002_next.sql': NEXT });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate, f.message])).toEqual([['migrations/00001_app.sql', 2, '42P01', 'relation "goose_db_version" does not exist']]);
    expect(result.sql).not.toContain('app.t1');
    expect(result.sql).not.toContain('.t2');
  });

  it('with NO TRANSACTION the statements that ran stay, the file fails at the record, and goose stops', async () => {
    const p = project({ 'migrations/00001_app.sql': `-- +goose NO TRANSACTION\n${SET}`, 'migrations/00002_next.sql': NEXT });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['migrations/00001_app.sql', '42P01']]);
    expect(result.sql).toContain('CREATE TABLE app.t1');
    expect(result.sql).not.toContain('.t2');
  });

  it.each([
    ['a search_path that keeps public', '-- +goose Up\nCREATE SCHEMA app;\nSET search_path TO app, public;\nCREATE TABLE t1 (id int);\n', {}, 'CREATE TABLE app.t2'],
    ['a -table with a schema', SET, { Makefile: 'up:\n\tgoose -dir migrations -table public.goose_db_version postgres "$(DB)" up\n' }, 'CREATE TABLE app.t2'],
  ])('%s: the INSERT finds the table, and the next migration runs in the session the first one left', async (_what, first, extra, expected) => {
    const p = project({ 'migrations/00001_app.sql': first, 'migrations/00002_next.sql': NEXT, ...extra });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain(expected);
  });
});
