import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { snapshot } from '../../src/commands/snapshot.js';
import { latestSnapshot, listSnapshots, resolveProject } from '../../src/config/project.js';
import { InputError } from '../../src/errors.js';

const repoRoot = path.resolve('.');
let root: string;
const architecture = () => path.join(root, 'docs/architecture');
const snapshotFiles = () => readdirSync(architecture()).filter((name) => name.endsWith('.sql')).sort();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-snapshot-'));
  cpSync(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'), { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The steps build on each other (vitest runs a file's tests in order): first snapshot, no-op, new migration, --keep, failure.
describe('pgdrift snapshot on a copy of the bundled sample', () => {
  test('the first snapshot is written with the docs', async () => {
    const result = await snapshot({ cwd: root, date: '2025-01-01' });
    expect(result).toMatchObject({ written: 'docs/architecture/schema-actual-2025-01-01.sql', changed: [], pruned: [], exitCode: 0 });
    expect(result.previous).toBeUndefined();
    const text = read('docs/architecture/schema-actual-2025-01-01.sql');
    expect(text).toContain('CREATE TABLE public.organization_users (');
    expect(text).not.toMatch(/^\\(un)?restrict/m);
    expect(result.docs?.written).toContain('README.md');
    expect(result.docs?.written).toContain('tables/public.organization_users.md');
  });

  test('nothing changed: nothing is written, exit 0', async () => {
    const readmeBefore = statSync(path.join(root, 'docs/schema/README.md')).mtimeMs;
    const result = await snapshot({ cwd: root, date: '2025-01-02' });
    expect(result).toMatchObject({ previous: 'docs/architecture/schema-actual-2025-01-01.sql', changed: [], exitCode: 0 });
    expect(result.written).toBeUndefined();
    expect(result.docs).toBeUndefined();
    expect(snapshotFiles()).toEqual(['schema-actual-2025-01-01.sql']);
    expect(statSync(path.join(root, 'docs/schema/README.md')).mtimeMs).toBe(readmeBefore);
  });

  test('a migration was added: a new dated snapshot, the drift items, and fresh docs with the new table and its history', async () => {
    writeFileSync(
      path.join(root, 'migrations/025_audit_events.sql'),
      `-- Migration 025: Audit Events
-- Purpose: Record who changed what
-- Created: 2025-11-06

CREATE TABLE IF NOT EXISTS audit_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id uuid     NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    happened_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_audit_events_organization_id ON audit_events (organization_id);
COMMENT ON TABLE audit_events IS 'Who changed what, and when.';
`,
    );
    const result = await snapshot({ cwd: root, date: '2025-02-01' });
    expect(result).toMatchObject({ written: 'docs/architecture/schema-actual-2025-02-01.sql', previous: 'docs/architecture/schema-actual-2025-01-01.sql', exitCode: 0 });
    expect(result.changed.map((item) => `${item.change} ${item.kind} ${item.name}`)).toContain('added table public.audit_events');
    expect(snapshotFiles()).toEqual(['schema-actual-2025-01-01.sql', 'schema-actual-2025-02-01.sql']);
    expect(read('docs/architecture/schema-actual-2025-01-01.sql')).not.toContain('audit_events');
    expect(read('docs/architecture/schema-actual-2025-02-01.sql')).toContain('CREATE TABLE public.audit_events (');
    expect(result.docs?.written).toEqual(expect.arrayContaining(['README.md', 'tables/public.audit_events.md', 'tables/public.organizations.md']));
    expect(read('docs/schema/tables/public.audit_events.md')).toContain('| [migrations/025_audit_events.sql](../../../migrations/025_audit_events.sql) | Audit Events | 2025-11-06 | created |');
  });

  test('--force writes an unchanged schema anyway; --keep 2 prunes all but the newest two', async () => {
    const result = await snapshot({ cwd: root, date: '2025-03-01', force: true, keep: 2 });
    expect(result).toMatchObject({ written: 'docs/architecture/schema-actual-2025-03-01.sql', changed: [], pruned: ['docs/architecture/schema-actual-2025-01-01.sql'], exitCode: 0 });
    expect(snapshotFiles()).toEqual(['schema-actual-2025-02-01.sql', 'schema-actual-2025-03-01.sql']);
  });

  test('a failing migration: no snapshot, docs untouched, exit 1', async () => {
    const readme = read('docs/schema/README.md');
    writeFileSync(path.join(root, 'migrations/026_broken.sql'), 'ALTER TABLE no_such_table ADD COLUMN x integer;\n');
    try {
      const result = await snapshot({ cwd: root, date: '2025-04-01', keep: 1 });
      expect(result).toMatchObject({ pruned: [], exitCode: 1 });
      expect(result.written).toBeUndefined();
      expect(result.docs).toBeUndefined();
      expect(result.report.migrationFailures.map((f) => f.file)).toEqual(['migrations/026_broken.sql']);
      expect(snapshotFiles()).toEqual(['schema-actual-2025-02-01.sql', 'schema-actual-2025-03-01.sql']);
      expect(read('docs/schema/README.md')).toBe(readme);
    } finally {
      rmSync(path.join(root, 'migrations/026_broken.sql'));
    }
  });

  test('bad --date and --keep are input errors before anything runs', async () => {
    await expect(snapshot({ cwd: root, date: '2025-02-30' })).rejects.toThrow(InputError);
    await expect(snapshot({ cwd: root, date: '06/11/2025' })).rejects.toThrow(/invalid --date "06\/11\/2025"/);
    await expect(snapshot({ cwd: root, date: '2024-12-31' })).rejects.toThrow(/is newer than --date 2024-12-31/);
    await expect(snapshot({ cwd: root, keep: 0 })).rejects.toThrow(/invalid --keep 0/);
  });
});

describe('an empty latest snapshot', () => {
  test('is an input error naming it, and --force replaces it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-empty-snapshot-'));
    try {
      cpSync(path.join(repoRoot, 'migrations'), path.join(dir, 'migrations'), { recursive: true });
      const folder = path.join(dir, 'docs/architecture');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'schema-actual-2025-01-01.sql'), '  \n');
      await expect(snapshot({ cwd: dir, date: '2025-01-02', docs: false })).rejects.toThrow(/schema-actual-2025-01-01\.sql is empty/);
      expect(existsSync(path.join(folder, 'schema-actual-2025-01-02.sql'))).toBe(false);
      const forced = await snapshot({ cwd: dir, date: '2025-01-02', docs: false, force: true });
      expect(forced).toMatchObject({ written: 'docs/architecture/schema-actual-2025-01-02.sql', exitCode: 0 });
      expect(readFileSync(path.join(folder, 'schema-actual-2025-01-02.sql'), 'utf8')).toContain('CREATE TABLE public.organization_users (');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an interrupted write leaves the old snapshot intact', () => {
  const distModule = path.resolve('dist/commands/snapshot.js');

  /** Runs writeSnapshotFile in a child process that is SIGKILLed at `moment` of the write. */
  function killDuringWrite(target: string, moment: 'mid-write' | 'before-rename') {
    if (!existsSync(distModule)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    const child = `
      import fs from 'node:fs';
      import { syncBuiltinESMExports } from 'node:module';
      const [moduleUrl, target, moment] = process.argv.slice(1);
      const { writeSnapshotFile } = await import(moduleUrl);
      const die = () => { process.kill(process.pid, 'SIGKILL'); for (;;) {} };
      if (moment === 'before-rename') fs.renameSync = die;
      else {
        const write = fs.writeFileSync;
        fs.writeFileSync = (file, data) => { write(file, String(data).slice(0, data.length / 2)); die(); };
      }
      syncBuiltinESMExports();
      writeSnapshotFile(target, '-- new snapshot\\n'.repeat(200000));
    `;
    return spawnSync(process.execPath, ['--input-type=module', '-e', child, pathToFileURL(distModule).href, target, moment], { encoding: 'utf8' });
  }

  for (const moment of ['mid-write', 'before-rename'] as const) {
    test(`killed ${moment}: the snapshot being replaced and the latest snapshot are unchanged`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-atomic-'));
      try {
        const folder = path.join(dir, 'docs/architecture');
        cpSync(path.join(repoRoot, 'migrations'), path.join(dir, 'migrations'), { recursive: true });
        const old = path.join(folder, 'schema-actual-2025-01-01.sql');
        const { mkdirSync } = await import('node:fs');
        mkdirSync(folder, { recursive: true });
        writeFileSync(old, '-- the old snapshot\n');

        const overwrite = killDuringWrite(old, moment);
        expect(overwrite.signal, overwrite.stderr).toBe('SIGKILL');
        expect(readFileSync(old, 'utf8')).toBe('-- the old snapshot\n');

        const fresh = killDuringWrite(path.join(folder, 'schema-actual-2025-02-01.sql'), moment);
        expect(fresh.signal, fresh.stderr).toBe('SIGKILL');
        const project = resolveProject({ cwd: dir });
        expect((await listSnapshots(project)).map((s) => s.file)).toEqual(['docs/architecture/schema-actual-2025-01-01.sql']);
        expect((await latestSnapshot(project))?.file).toBe('docs/architecture/schema-actual-2025-01-01.sql');
        // what the killed process left is a hidden temporary file the snapshot glob never matches
        expect(readdirSync(folder).filter((name) => name !== 'schema-actual-2025-01-01.sql').every((name) => /^\..*\.tmp$/.test(name))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
