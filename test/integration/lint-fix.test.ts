import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { applyEdits } from '../../src/lint/apply-fixes.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A git project: `merged` files committed on main, then a feature branch with `added` files (uncommitted). */
function project(merged: Record<string, string>, added: Record<string, string>, config: object = { preset: 'recommended' }): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pgdrift-fix-'));
  roots.push(root);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: root });
  git('init', '-q', '-b', 'main');
  mkdirSync(path.join(root, 'migrations'));
  writeFileSync(path.join(root, 'pgdrift.config.json'), JSON.stringify(config));
  for (const [name, sql] of Object.entries(merged)) writeFileSync(path.join(root, 'migrations', name), sql);
  git('add', '.');
  git('commit', '-q', '-m', 'merged');
  git('checkout', '-q', '-b', 'feature');
  for (const [name, sql] of Object.entries(added)) writeFileSync(path.join(root, 'migrations', name), sql);
  return root;
}
const read = (root: string, name: string) => readFileSync(path.join(root, 'migrations', name), 'utf8');

describe('pgdrift lint --fix', () => {
  it('adds IF [NOT] EXISTS where idempotent-ddl asks, in new files only, and says what it changed', async () => {
    const merged = { '001_a.sql': 'CREATE TABLE a (id bigint PRIMARY KEY, t text);\n' };
    const added = {
      '002_b.sql':
        'CREATE TABLE b (id bigint PRIMARY KEY);\nCREATE UNIQUE INDEX b_id ON b (id);\nALTER TABLE a ADD COLUMN n bigint, DROP COLUMN t;\nDROP TABLE IF EXISTS x;\nDROP INDEX b_id;\nCREATE EXTENSION pgcrypto;\nCREATE SCHEMA s;\nCREATE SEQUENCE q;\nALTER TABLE a DROP CONSTRAINT a_pkey;\n',
    };
    const root = project(merged, added, { preset: 'recommended', lint: { idempotent: true } });
    const result = await lint({ cwd: root, since: 'main', fix: true });
    expect(read(root, '002_b.sql')).toBe(
      'CREATE TABLE IF NOT EXISTS b (id bigint PRIMARY KEY);\nCREATE UNIQUE INDEX IF NOT EXISTS b_id ON b (id);\nALTER TABLE a ADD COLUMN IF NOT EXISTS n bigint, DROP COLUMN IF EXISTS t;\nDROP TABLE IF EXISTS x;\nDROP INDEX IF EXISTS b_id;\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE SCHEMA IF NOT EXISTS s;\nCREATE SEQUENCE IF NOT EXISTS q;\nALTER TABLE a DROP CONSTRAINT IF EXISTS a_pkey;\n',
    );
    expect(read(root, '001_a.sql')).toBe(merged['001_a.sql']); // merged: never touched (it lacks IF NOT EXISTS too)
    expect(result.fixed?.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.title}`)).toEqual([
      'migrations/002_b.sql:1:1 idempotent-ddl: add IF NOT EXISTS',
      'migrations/002_b.sql:2:1 idempotent-ddl: add IF NOT EXISTS',
      'migrations/002_b.sql:3:26 idempotent-ddl: add IF NOT EXISTS',
      'migrations/002_b.sql:3:1 idempotent-ddl: add IF EXISTS',
      'migrations/002_b.sql:5:1 idempotent-ddl: add IF EXISTS',
      'migrations/002_b.sql:6:1 idempotent-ddl: add IF NOT EXISTS',
      'migrations/002_b.sql:7:1 idempotent-ddl: add IF NOT EXISTS',
      'migrations/002_b.sql:8:1 idempotent-ddl: add IF NOT EXISTS',
      'migrations/002_b.sql:9:1 idempotent-ddl: add IF EXISTS',
    ]);
    expect(result.findings.filter((f) => f.file.endsWith('002_b.sql') && f.rule === 'idempotent-ddl')).toEqual([]);
    expect(readdirSync(path.join(root, 'migrations')).filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic writes leave nothing
  });

  it('rewrites timestamp to timestamptz, keeping the precision and dropping WITHOUT TIME ZONE', async () => {
    const root = project({}, { '001_t.sql': 'CREATE TABLE t (a timestamp, b TIMESTAMP(3) WITHOUT TIME ZONE, c timestamptz);\n' });
    const result = await lint({ cwd: root, since: 'main', fix: true });
    expect(read(root, '001_t.sql')).toBe('CREATE TABLE t (a timestamptz, b timestamptz(3), c timestamptz);\n');
    expect(result.fixed?.map((f) => f.title)).toEqual(['use timestamptz', 'use timestamptz']);
    expect(result.findings.filter((f) => f.rule === 'prefer-timestamptz')).toEqual([]);
  });

  it('adds CONCURRENTLY only where it can run: alone in its file, outside a runner transaction', async () => {
    const merged = { '001_a.sql': 'CREATE TABLE a (id bigint PRIMARY KEY, n bigint);\nCREATE INDEX a_old ON a (n);\n' };
    const added = {
      '002_i.sql': 'CREATE INDEX a_n ON a (n);\n',
      '003_d.sql': 'DROP INDEX a_old;\n',
      '004_two.sql': 'CREATE INDEX a_n2 ON a (n);\nCREATE INDEX a_n3 ON a (n);\n',
    };
    const root = project(merged, added);
    await lint({ cwd: root, since: 'main', fix: true });
    expect(read(root, '002_i.sql')).toBe('CREATE INDEX CONCURRENTLY a_n ON a (n);\n');
    expect(read(root, '003_d.sql')).toBe('DROP INDEX CONCURRENTLY a_old;\n');
    // two statements are one implicit transaction when a runner sends the file as one query: left alone
    expect(read(root, '004_two.sql')).toBe(added['004_two.sql']);

    const helios = project(merged, added, { preset: 'helios' }); // its runner wraps each file in a transaction
    await lint({ cwd: helios, since: 'main', fix: true });
    // helios asks for idempotent DDL, so IF NOT EXISTS is added, but never CONCURRENTLY
    expect(read(helios, '002_i.sql')).toBe('CREATE INDEX IF NOT EXISTS a_n ON a (n);\n');
  });

  it('fixes only the named files without --since, and refuses to guess which files are new', async () => {
    const root = project({}, { '001_t.sql': 'CREATE TABLE t (a timestamp);\n', '002_u.sql': 'CREATE TABLE u (a timestamp);\n' });
    await expect(lint({ cwd: root, fix: true })).rejects.toThrow(/--fix rewrites only new migrations/);
    await lint({ cwd: root, fix: true, files: ['migrations/002_u.sql'] });
    expect(read(root, '001_t.sql')).toBe('CREATE TABLE t (a timestamp);\n');
    expect(read(root, '002_u.sql')).toBe('CREATE TABLE u (a timestamptz);\n');
  });

  it('keeps the lines the runner does not run (a dbmate down section) and fixes the up section in place', async () => {
    const sql = '-- migrate:up\nCREATE TABLE t (a timestamp);\n\n-- migrate:down\nDROP TABLE t;\n';
    const root = project({}, { '20240101000000_t.sql': sql }, { preset: 'recommended', runner: 'dbmate' });
    const result = await lint({ cwd: root, since: 'main', fix: true });
    expect(result.fixed?.map((f) => f.title)).toEqual(['use timestamptz']);
    expect(read(root, '20240101000000_t.sql')).toBe('-- migrate:up\nCREATE TABLE t (a timestamptz);\n\n-- migrate:down\nDROP TABLE t;\n');
  });

  it('applies byte-offset edits to text with multi-byte characters', () => {
    const text = "-- café ☕\nCREATE TABLE t (a timestamp);";
    const at = Buffer.byteLength("-- café ☕\nCREATE TABLE t (a ", 'utf8');
    expect(applyEdits(text, [{ start: at, end: at + 9, text: 'timestamptz' }])).toBe("-- café ☕\nCREATE TABLE t (a timestamptz);");
  });
});
