import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import type { EngineName } from '../../src/engine/types.js';
import { MESSY_HISTORY, tempProject } from '../helpers/project.js';
import { SERVER_URL, leftovers, serverDescribe } from '../helpers/postgres.js';

const engines: Array<{ engine: EngineName; databaseUrl?: string }> = [{ engine: 'pglite' }, { engine: 'server', databaseUrl: SERVER_URL }];

afterAll(async () => {
  expect(await leftovers()).toEqual([]);
});

for (const engineOptions of engines) {
(engineOptions.engine === 'server' ? serverDescribe : describe)(`replay on ${engineOptions.engine}`, () => {
  it('strict: stops at the first failing file and names file, line, column (in characters) and SQLSTATE', async () => {
    const result = await dump({ cwd: MESSY_HISTORY, ...engineOptions });
    expect(result.exitCode).toBe(1);
    expect(result.report.migrationFailures).toEqual([
      expect.objectContaining({
        file: 'migrations/008_milestones.sql',
        line: 24,
        column: 36,
        sqlstate: '42703',
        message: 'column m.due_date does not exist',
      }),
    ]);
    const statuses = Object.fromEntries(result.report.files.map((f) => [path.basename(f.file), f.status]));
    expect(statuses['schema_base.sql']).toBe('applied');
    expect(statuses['006_task_due_dates.sql']).toBe('applied');
    expect(statuses['008_milestones.sql']).toBe('failed');
    expect(statuses['009_task_labels.sql']).toBe('skipped');
    expect(result.report.engine.name).toBe(engineOptions.engine);
    expect(result.report.engine.postgresVersion).toMatch(/^\d+\.\d+/);
  });

  it('--keep-going: applies the files after a failure and reports every failure', async () => {
    const project = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
      'migrations/002_b.sql': '-- bad: unknown table\nCREATE TABLE b (a_id int REFERENCES nope(id));\n',
      'migrations/003_c.sql': 'CREATE TABLE c (id int PRIMARY KEY);\nALTER TABLE c\n  ADD COLUMN x int,\n  ADD COLUMN x int;\n',
      'migrations/004_d.sql': 'CREATE TABLE d (id int PRIMARY KEY);\n',
    });
    try {
      const result = await dump({ cwd: project.root, keepGoing: true, ...engineOptions });
      expect(result.exitCode).toBe(1);
      // 002: Postgres gives no position for a missing referenced table: the failing statement's start.
      expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([
        ['migrations/002_b.sql', 2, 1, '42P01'],
        ['migrations/003_c.sql', 2, 1, '42701'],
      ]);
      expect(result.report.files.map((f) => f.status)).toEqual(['applied', 'failed', 'failed', 'applied']);
      expect(result.sql).toContain('CREATE TABLE public.d');
      // each file is one implicit transaction: 003's CREATE TABLE c was rolled back with the file
      expect(result.sql).not.toContain('CREATE TABLE public.c');
    } finally {
      project.cleanup();
    }
  });
});
}

describe('syntax errors and meta-commands are found before anything runs', () => {
  it('reports all of them at their exact position, after applying the files before the first, as the runner does', async () => {
    const project = tempProject({
      'migrations/001_ok.sql': 'CREATE TABLE ok (id int PRIMARY KEY);\n',
      'migrations/002_typo.sql': "-- café ☕\nCREATE TABLE t (id int);\nALTR TABLE t ADD COLUMN y int;\n",
      'migrations/003_meta.sql': 'CREATE TABLE m (id int);\n\\i other.sql\n',
    });
    try {
      const result = await dump({ cwd: project.root, keepGoing: false });
      expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([
        ['migrations/002_typo.sql', 3, 1, '42601'],
        ['migrations/003_meta.sql', 2, 1, '42601'],
      ]);
      expect(result.report.migrationFailures[1].message).toContain('\\i');
      // strict mode: the runner applies ok.sql and stops at 002; 003 can never run either
      expect(result.report.files.map((f) => f.status)).toEqual(['applied', 'failed', 'failed']);
      expect(result.sql).toContain('CREATE TABLE public.ok');
    } finally {
      project.cleanup();
    }
  });

  it("a runner's own refusal of a later file (here goose's unterminated StatementBegin) runs nothing: many runners check every file before any runs", async () => {
    const project = tempProject({
      'migrations/00001_ok.sql': '-- +goose Up\nCREATE TABLE ok (id int PRIMARY KEY);\n',
      'migrations/00002_open.sql': '-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE t (id int);\n',
    });
    try {
      const result = await dump({ cwd: project.root, keepGoing: false, runner: 'goose' });
      expect(result.report.migrationFailures.map((f) => f.file)).toEqual(['migrations/00002_open.sql']);
      expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.status)).toEqual(['skipped', 'failed']);
    } finally {
      project.cleanup();
    }
  });

  it('an earlier file that fails on the engine is the first failure, before a later syntax error (field: civitai/civitai)', async () => {
    const project = tempProject({
      'migrations/001_ok.sql': 'CREATE TABLE ok (id int PRIMARY KEY);\n',
      'migrations/002_missing_column.sql': 'UPDATE ok SET "reactionCount" = 0;\n',
      'migrations/003_typo.sql': 'CREATE TABLE t (id int PRIMARY KEY, a int b int);\n',
      'migrations/004_after.sql': 'CREATE TABLE after (id int);\n',
    });
    try {
      const result = await dump({ cwd: project.root, keepGoing: false });
      expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([
        ['migrations/002_missing_column.sql', '42703'],
        ['migrations/003_typo.sql', '42601'],
      ]);
      expect(result.report.files.map((f) => f.status)).toEqual(['applied', 'failed', 'failed', 'skipped']);
    } finally {
      project.cleanup();
    }
  });

  it('in a runner that applies every migration in one transaction, a syntax error rolls back the files before it', async () => {
    const project = tempProject({
      'drizzle/meta/_journal.json': JSON.stringify({
        version: '7',
        dialect: 'postgresql',
        entries: [
          { idx: 0, version: '7', when: 1700000000000, tag: '0000_ok', breakpoints: true },
          { idx: 1, version: '7', when: 1700000000001, tag: '0001_typo', breakpoints: true },
        ],
      }),
      'drizzle/0000_ok.sql': 'CREATE TABLE ok (id int PRIMARY KEY);\n',
      'drizzle/0001_typo.sql': 'CREATE TABLE t (id int PRIMARY KEY, a int b int);\n',
    });
    try {
      const result = await dump({ cwd: project.root, keepGoing: false });
      expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['drizzle/0001_typo.sql', '42601']]);
      // (drizzle's bookkeeping setup runs before the migrations, outside their transaction)
      expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.status)).toEqual(['rolled-back', 'failed']);
      expect(result.sql).not.toContain('CREATE TABLE public.ok');
    } finally {
      project.cleanup();
    }
  });
});

describe('a role the history uses but never creates', () => {
  it('fails at its statement with a hint to create it in a baseline file (field: decole/notify-server@b14d6d3, ALTER TABLE notify OWNER TO notify)', async () => {
    const project = tempProject({ 'migrations/001_init.sql': 'CREATE TABLE notify (id int PRIMARY KEY);\nALTER TABLE notify OWNER TO notify;\n' });
    try {
      const result = await dump({ cwd: project.root, engine: 'pglite', noCache: true });
      const [failure] = result.report.migrationFailures;
      expect(failure).toMatchObject({ sqlstate: '42704', line: 2, message: 'role "notify" does not exist' });
      expect(failure.hint).toContain('create it in a baseline file run before the migrations (CREATE ROLE notify;');
    } finally {
      project.cleanup();
    }
  });
});

serverDescribe('server engine safety', () => {
  it('a superuser-only setting refused to the replay role says why, and that the embedded engine replays it (field: zeitwert/fm-server SET session_replication_role = replica)', async () => {
    const project = tempProject({ 'migrations/001_fix.sql': 'CREATE TABLE t (id int);\nSET session_replication_role = replica;\nUPDATE t SET id = 1;\n' });
    try {
      const result = await dump({ cwd: project.root, engine: 'server', databaseUrl: SERVER_URL, noCache: true });
      const [failure] = result.report.migrationFailures;
      expect(failure).toMatchObject({ sqlstate: '42501', line: 2 });
      expect(failure.hint).toContain('NOSUPERUSER');
      expect(failure.hint).toContain('--engine pglite');
    } finally {
      project.cleanup();
    }
  });

  it('runs migrations as a NOSUPERUSER role: COPY ... TO PROGRAM is refused and the file never appears', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-copy-'));
    const target = path.join(dir, 'pwned');
    const project = tempProject({
      'migrations/001_evil.sql': `COPY (SELECT 1) TO PROGRAM 'touch ${target}';\n`,
      'migrations/002_read.sql': `SELECT pg_read_file('/etc/passwd');\n`,
    });
    try {
      const result = await dump({ cwd: project.root, engine: 'server', databaseUrl: SERVER_URL, keepGoing: true });
      expect(result.report.migrationFailures.map((f) => f.sqlstate)).toEqual(['42501', '42501']);
      expect(existsSync(target)).toBe(false);
    } finally {
      project.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('four replays at once against one server do not collide', async () => {
    const project = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY, note text);\nCREATE INDEX IF NOT EXISTS a_note ON a (note);\n',
      'migrations/002_b.sql': 'CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id));\n',
    });
    try {
      const results = await Promise.all([1, 2, 3, 4].map(() => dump({ cwd: project.root, engine: 'server', databaseUrl: SERVER_URL })));
      expect(results.map((r) => r.exitCode)).toEqual([0, 0, 0, 0]);
      expect(new Set(results.map((r) => r.sql)).size).toBe(1);
    } finally {
      project.cleanup();
    }
  });
});
