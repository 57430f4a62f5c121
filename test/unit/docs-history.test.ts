import { beforeAll, expect, test } from 'vitest';
import { buildMigrationHistory } from '../../src/docs/history.js';
import { readMigrationHeader } from '../../src/migrations/header.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';

beforeAll(() => loadSqlParser());

/** Migration files from (name, SQL) pairs, parsed as the replay does. */
function history(...files: Array<[string, string]>) {
  return buildMigrationHistory(
    files.map(([name, text]) => ({
      migration: { path: `/p/migrations/${name}`, file: `migrations/${name}`, name, text, header: readMigrationHeader(text) },
      parsed: parseSql(text, `migrations/${name}`),
    })),
  );
}

const header = (n: string, title: string, date: string) => `-- Migration ${n}: ${title}\n-- Purpose: test\n-- Created: ${date}\n\n`;

test('a table created in one file and altered in later ones, with each file header', () => {
  const h = history(
    ['001_users.sql', `${header('001', 'Users', '2025-01-01')}CREATE TABLE users (id int PRIMARY KEY);\nCOMMENT ON TABLE users IS 'x';`],
    ['002_email.sql', `${header('002', 'Email', '2025-01-02')}ALTER TABLE users ADD COLUMN email text, ADD CONSTRAINT users_email_key UNIQUE (email);\nCREATE INDEX users_email_idx ON users (email);`],
    ['003_other.sql', `${header('003', 'Other', '2025-01-03')}CREATE TABLE other (id int);`],
    ['004_backfill.sql', `${header('004', 'Backfill', '2025-01-04')}UPDATE users SET email = 'a';\nCOMMENT ON COLUMN public.users.email IS 'e';`],
  );
  expect(h.get('relation:public.users')).toEqual([
    { file: 'migrations/001_users.sql', title: 'Users', date: '2025-01-01', created: true, actions: ['create table', 'comment'] },
    { file: 'migrations/002_email.sql', title: 'Email', date: '2025-01-02', created: false, actions: ['add column email', 'add constraint users_email_key', 'create index users_email_idx'] },
    { file: 'migrations/004_backfill.sql', title: 'Backfill', date: '2025-01-04', created: false, actions: ['update rows', 'comment on column email'] },
  ]);
  expect(h.get('relation:public.other')?.map((e) => e.file)).toEqual(['migrations/003_other.sql']);
});

test('a renamed table keeps its history under the new name', () => {
  const h = history(
    ['001_a.sql', 'CREATE TABLE old_name (id int);'],
    ['002_b.sql', 'ALTER TABLE old_name RENAME TO new_name;\nALTER TABLE new_name RENAME COLUMN id TO key;'],
    ['003_c.sql', 'ALTER TABLE public.new_name SET SCHEMA archive;'],
  );
  expect(h.has('relation:public.old_name')).toBe(false);
  expect(h.has('relation:public.new_name')).toBe(false);
  expect(h.get('relation:archive.new_name')?.map((e) => [e.file, e.created, e.actions])).toEqual([
    ['migrations/001_a.sql', true, ['create table']],
    ['migrations/002_b.sql', false, ['rename from old_name', 'rename column id to key']],
    ['migrations/003_c.sql', false, ['move from schema public']],
  ]);
});

test('CREATE TABLE IF NOT EXISTS of an existing table is not a creation; a table dropped and recreated is', () => {
  const h = history(
    ['001.sql', 'CREATE TABLE t (id int);'],
    ['002.sql', 'CREATE TABLE IF NOT EXISTS t (id int);'],
    ['003.sql', 'DROP TABLE t;'],
    ['004.sql', 'CREATE TABLE t (id bigint);'],
  );
  expect(h.get('relation:public.t')?.map((e) => [e.file, e.created, e.actions.join('; ')])).toEqual([
    ['migrations/001.sql', true, 'create table'],
    ['migrations/002.sql', false, 'create table if not exists (already there: no-op)'],
    ['migrations/003.sql', false, 'drop table'],
    ['migrations/004.sql', true, 'create table'],
  ]);
});

test('unqualified names follow the file’s SET search_path; functions, enums, triggers and policies are indexed', () => {
  const h = history([
    '001.sql',
    `SET search_path TO app, public;
     CREATE TABLE items (id int);
     CREATE TYPE app.mood AS ENUM ('ok');
     ALTER TYPE app.mood ADD VALUE 'sad';
     CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
     CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION app.touch();
     CREATE POLICY p ON items USING (true);
     DROP TRIGGER IF EXISTS items_touch ON items;`,
  ]);
  expect(h.get('relation:app.items')?.[0].actions).toEqual(['create table', 'create trigger items_touch', 'create policy p', 'drop trigger items_touch']);
  expect(h.get('type:app.mood')?.[0].actions).toEqual(['create type (enum)', 'add value sad']);
  expect(h.get('function:app.touch')?.[0]).toMatchObject({ created: true, actions: ['create function'] });
});

test('a file that did not parse contributes nothing', () => {
  const h = buildMigrationHistory([{ migration: { path: '/x', file: 'migrations/x.sql', name: 'x.sql', text: 'CREATE TABLE (', header: { lines: {} } } }]);
  expect(h.size).toBe(0);
});
