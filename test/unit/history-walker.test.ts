import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { attribute, buildObjectHistory } from '../../src/diff/attribution.js';
import type { DriftItem } from '../../src/diff/types.js';
import { buildMigrationHistory } from '../../src/docs/history.js';
import { objectName, type HistoryEvent } from '../../src/history/events.js';
import { walkHistory } from '../../src/history/walker.js';
import { readMigrationHeader } from '../../src/migrations/header.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';
import { tempProject } from '../helpers/project.js';

beforeAll(loadSqlParser);

type Files = Array<[string, string]>;

function events(files: Files): HistoryEvent[] {
  return walkHistory(files.map(([file, text], fileIndex) => ({ file, role: 'migration' as const, fileIndex, parsed: parseSql(text, file) })));
}

/** Where attribution points a drift item about `name` (kind and change as given). */
function attributed(files: Files, kind: DriftItem['kind'], name: string, change: DriftItem['change'] = 'added', details: DriftItem['details'] = []): string | undefined {
  const [item] = attribute([{ kind, name, change, details, source: {} }], buildObjectHistory(files.map(([file, text]) => ({ file, text }))));
  const at = item.source.migration;
  return at && `${at.file}:${at.line}`;
}

function docs(files: Files) {
  return buildMigrationHistory(files.map(([file, text]) => ({ migration: { path: `/p/${file}`, file, name: file, text, header: readMigrationHeader(text) }, parsed: parseSql(text, file) })));
}

/** The tables the linter's end state holds, as require-primary-key names them (every table here lacks a key). */
const projects: Array<ReturnType<typeof tempProject>> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));
async function lintTables(files: Files): Promise<Array<[string | undefined, string]>> {
  const project = tempProject(Object.fromEntries(files));
  projects.push(project);
  const result = await lint({ cwd: project.root });
  return result.findings.filter((f) => f.rule === 'require-primary-key').map((f) => [f.object, `${f.file}:${f.line}`]);
}

describe('the three cases of issue 10 read the same in attribution, docs history and lint state', () => {
  test('SET search_path = app; then CREATE TABLE t: app.t everywhere', async () => {
    const files: Files = [['migrations/001_t.sql', 'CREATE SCHEMA app;\nSET search_path = app;\nCREATE TABLE t (v int);\n']];
    expect(attributed(files, 'table', 'app.t')).toBe('migrations/001_t.sql:3');
    expect(attributed(files, 'table', 'public.t')).toBeUndefined();
    expect([...docs(files).keys()]).toEqual(['relation:app.t']);
    expect(await lintTables(files)).toEqual([['app.t', 'migrations/001_t.sql:3']]);
  });

  test('CREATE TABLE IF NOT EXISTS u twice: the first one created it; the second is a no-op everywhere', async () => {
    const files: Files = [
      ['migrations/001_u.sql', 'CREATE TABLE IF NOT EXISTS u (v int);\n'],
      ['migrations/002_u.sql', '\nCREATE TABLE IF NOT EXISTS u (v int, w int);\n'],
    ];
    expect(attributed(files, 'table', 'public.u', 'removed')).toBe('migrations/001_u.sql:1');
    expect(attributed(files, 'column', 'public.u.w', 'added')).toBe('migrations/001_u.sql:1'); // w was never created
    expect(docs(files).get('relation:public.u')?.map((e) => [e.file, e.created, e.actions])).toEqual([
      ['migrations/001_u.sql', true, ['create table']],
      ['migrations/002_u.sql', false, ['create table if not exists (already there: no-op)']],
    ]);
    expect(await lintTables(files)).toEqual([['public.u', 'migrations/001_u.sql:1']]);
  });

  test("a column's collation is traced to the ALTER COLUMN … TYPE … COLLATE that set it (field: pocket-id/pocket-id)", () => {
    const files: Files = [
      ['migrations/001_users.sql', 'CREATE TABLE users (\n  id int,\n  username text NOT NULL\n);\nALTER TABLE users ADD COLUMN email text;\n'],
      ['migrations/002_username.sql', 'CREATE EXTENSION IF NOT EXISTS citext;\nALTER TABLE users ALTER COLUMN username TYPE CITEXT COLLATE "C";\n'],
    ];
    const collation = [{ field: 'collation', from: '"C"', to: '"POSIX"' } as any];
    expect(attributed(files, 'column', 'public.users.username', 'changed', collation)).toBe('migrations/002_username.sql:2');
    expect(attributed(files, 'column', 'public.users.email', 'changed', collation)).toBe('migrations/001_users.sql:5');
  });

  test('ALTER TABLE u SET SCHEMA archive: followed everywhere', async () => {
    const files: Files = [
      ['migrations/001_u.sql', 'CREATE SCHEMA archive;\nCREATE TABLE u (v int);\nCREATE INDEX u_v_idx ON u (v);\n'],
      ['migrations/002_move.sql', 'ALTER TABLE u SET SCHEMA archive;\n'],
    ];
    expect(attributed(files, 'table', 'archive.u', 'changed')).toBe('migrations/002_move.sql:1');
    expect(attributed(files, 'column', 'archive.u.v', 'changed', [{ field: 'type', from: 'int', to: 'bigint' } as any])).toBe('migrations/001_u.sql:2');
    expect(attributed(files, 'index', 'archive.u.u_v_idx', 'changed')).toBe('migrations/001_u.sql:3');
    expect(docs(files).get('relation:archive.u')?.map((e) => e.file)).toEqual(['migrations/001_u.sql', 'migrations/002_move.sql']);
    expect(docs(files).has('relation:public.u')).toBe(false);
    expect(await lintTables(files)).toEqual([['archive.u', 'migrations/001_u.sql:2']]);
  });
});

describe('the walker', () => {
  test('search_path: unqualified names resolve to the first schema that has them; SET LOCAL ends with its file', () => {
    const names = events([
      ['1.sql', 'CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE b.x (id int); SET search_path = a, b; CREATE TABLE y (id int); ALTER TABLE x ADD COLUMN c int;'],
      ['2.sql', 'CREATE TABLE z (id int); SET LOCAL search_path = b; CREATE TABLE w (id int);'],
      ['3.sql', 'CREATE TABLE v (id int); RESET search_path; CREATE TABLE u (id int);'],
    ])
      .filter((e) => e.type === 'create' && (e.object.kind === 'relation' || e.object.kind === 'column') && !e.nested)
      .map((e) => objectName(e.object));
    expect(names).toEqual(['b.x', 'a.y', 'b.x.c', 'a.z', 'b.w', 'a.v', 'public.u']);
  });

  test('a runner that resets search_path before each file (sqitch: a new psql each): not before a psql include part, which goes on in its session', () => {
    const files = [
      ['deploy/a.sql', 'CREATE SCHEMA app; SET search_path = app;'],
      ['shared/inc.sql', 'CREATE TABLE t (id int);'],
      ['deploy/a.sql', 'CREATE TABLE u (id int);'],
      ['deploy/b.sql', 'CREATE TABLE v (id int);'],
    ].map(([file, text], fileIndex) => ({ file, role: 'migration' as const, fileIndex, parsed: parseSql(text, file), ...(fileIndex === 1 || fileIndex === 2 ? { continuesSession: true } : {}) }));
    const names = walkHistory(files, { migrationSearchPath: ['$user', 'public'] })
      .filter((e) => e.type === 'create' && e.object.kind === 'relation')
      .map((e) => objectName(e.object));
    expect(names).toEqual(['app.t', 'app.u', 'public.v']);
  });

  test("pg_dump's set_config('search_path', '', false) then qualified names", () => {
    const created = events([['base.sql', "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.t (id int);"]]).filter((e) => e.type === 'create');
    expect(created.map((e) => objectName(e.object))).toEqual(['public.t', 'public.t.id']);
  });

  test('repeated IF NOT EXISTS: one creation, later ones are no-ops (tables, indexes, columns, schemas)', () => {
    const all = events([
      ['1.sql', 'CREATE SCHEMA IF NOT EXISTS s; CREATE TABLE IF NOT EXISTS s.t (a int); CREATE INDEX IF NOT EXISTS t_a ON s.t (a); ALTER TABLE s.t ADD COLUMN IF NOT EXISTS b int;'],
      ['2.sql', 'CREATE SCHEMA IF NOT EXISTS s; CREATE TABLE IF NOT EXISTS s.t (a int); CREATE INDEX IF NOT EXISTS t_a ON s.t (a); ALTER TABLE s.t ADD COLUMN IF NOT EXISTS b int;'],
    ]).filter((e) => e.type === 'create' && !e.nested);
    expect(all.map((e) => [e.at.file, objectName(e.object), e.type === 'create' && e.noop])).toEqual([
      ['1.sql', 's', false],
      ['1.sql', 's.t', false],
      ['1.sql', 's.t.t_a', false],
      ['1.sql', 's.t.b', false],
      ['2.sql', 's', true],
      ['2.sql', 's.t', true],
      ['2.sql', 's.t.t_a', true],
      ['2.sql', 's.t.b', true],
    ]);
  });

  test('renames of tables, columns, indexes and constraints are followed, with default names computed as Postgres does', () => {
    const files: Files = [
      ['1.sql', 'CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE, n int CHECK (n > 0));\nCREATE INDEX ON t (lower(email));'],
      ['2.sql', 'ALTER TABLE t RENAME TO people;\nALTER TABLE people RENAME COLUMN email TO mail;\nALTER INDEX t_lower_idx RENAME TO people_mail_idx;\nALTER TABLE people RENAME CONSTRAINT t_n_check TO n_positive;\nALTER INDEX t_pkey RENAME TO people_pkey;'],
      ['3.sql', 'CREATE TABLE t (id int PRIMARY KEY);'],
    ];
    const renames = events(files).filter((e) => e.type === 'rename').map((e) => [objectName(e.object), e.type === 'rename' ? objectName(e.to) : '']);
    expect(renames).toEqual([
      ['public.t', 'public.people'],
      ['public.people.email', 'public.people.mail'],
      ['public.people.t_lower_idx', 'public.people.people_mail_idx'],
      ['public.people.t_n_check', 'public.people.n_positive'],
      ['public.people.t_pkey', 'public.people.people_pkey'],
      ['public.people.t_pkey', 'public.people.people_pkey'],
    ]);
    // attribution: each renamed object answers under its new name, at the rename
    expect(attributed(files, 'column', 'public.people.mail', 'changed')).toBe('2.sql:2');
    expect(attributed(files, 'index', 'public.people.people_mail_idx', 'changed')).toBe('2.sql:3');
    expect(attributed(files, 'constraint', 'public.people.n_positive', 'changed')).toBe('2.sql:4');
    expect(attributed(files, 'constraint', 'public.people.people_pkey', 'changed')).toBe('2.sql:5');
    // the unique constraint kept its default name and its own line
    expect(attributed(files, 'constraint', 'public.people.t_email_key', 'changed')).toBe('1.sql:1');
    // the new t gets t_pkey again: the old one was renamed away
    const pkeys = events(files).filter((e) => e.type === 'create' && e.object.kind === 'constraint' && e.at.file === '3.sql');
    expect(pkeys.map((e) => objectName(e.object))).toEqual(['public.t.t_pkey']);
  });

  test('a primary key name taken by a renamed table’s index gets a numeric suffix, as in Postgres', () => {
    const created = events([['1.sql', 'CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t RENAME TO t_old;\nCREATE TABLE t (id int PRIMARY KEY);']])
      .filter((e) => e.type === 'create' && e.object.kind === 'constraint')
      .map((e) => objectName(e.object));
    expect(created).toEqual(['public.t.t_pkey', 'public.t.t_pkey1']);
  });
});
