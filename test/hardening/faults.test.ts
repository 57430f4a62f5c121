import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

// CLI runs on a shared 2-core machine: PGlite starts alone can take half a minute
vi.setConfig({ testTimeout: 300_000 });

/**
 * Issue 12 item 6: ordinary faults of the machine are exit 2 with the path and the OS reason (never exit 4,
 * "internal error"), and the files that were there are left intact. Read-only and disk-full use real mounts
 * (a read-only bind mount, a 1 MB tmpfs) where this machine allows mounting; elsewhere those two skip.
 */

function tryMount(args: string[]): boolean {
  return spawnSync('mount', args, { stdio: 'ignore' }).status === 0;
}

const mountBase = path.join(os.tmpdir(), `pgdrift-mounts-${process.pid}`);
let canMount = false;
beforeAll(() => {
  mkdirSync(mountBase, { recursive: true });
  const probe = path.join(mountBase, 'probe');
  mkdirSync(probe);
  canMount = process.getuid?.() === 0 && tryMount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
  if (canMount) spawnSync('umount', [probe]);
});
afterAll(() => rmSync(mountBase, { recursive: true, force: true }));

const MIGRATIONS = { 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' };

function expectOrdinaryFault(result: { code: number; stderr: string }, file: string, reason: RegExp): void {
  expect(result.stderr).not.toContain('internal error');
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(file);
  expect(result.stderr).toMatch(reason);
}

describe('ordinary faults exit 2 with the path and the reason', () => {
  it('--format sarif=<a folder>', async () => {
    const p = tempProject({ ...MIGRATIONS, 'out/keep.txt': 'x' });
    try {
      const result = await runCli(['lint', '--format', 'sarif=out'], { cwd: p.root });
      expectOrdinaryFault(result, 'out', /it is a folder, not a file \(EISDIR\)/);
      expect(readFileSync(path.join(p.root, 'out/keep.txt'), 'utf8')).toBe('x');
    } finally {
      p.cleanup();
    }
  });

  it('an output whose folder is a file (ENOTDIR / EEXIST)', async () => {
    const p = tempProject({ ...MIGRATIONS, 'afile': 'x' });
    try {
      const result = await runCli(['lint', '--format', 'json=afile/report.json'], { cwd: p.root });
      expect(result.stderr).not.toContain('internal error');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('afile');
    } finally {
      p.cleanup();
    }
  });

  it('pgdrift.config.json is a folder', async () => {
    const p = tempProject(MIGRATIONS);
    mkdirSync(path.join(p.root, 'pgdrift.config.json'));
    try {
      const result = await runCli(['lint'], { cwd: p.root });
      expectOrdinaryFault(result, 'pgdrift.config.json', /is a folder, not a file/);
    } finally {
      p.cleanup();
    }
  });

  it('deeply nested config JSON: a clear input error, not a stack overflow', async () => {
    const p = tempProject({ ...MIGRATIONS, 'pgdrift.config.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}` });
    try {
      const result = await runCli(['lint'], { cwd: p.root });
      expectOrdinaryFault(result, 'pgdrift.config.json', /nested 100000 levels deep/);
    } finally {
      p.cleanup();
    }
  });

  it('a config starting with a UTF-8 byte order mark is accepted', async () => {
    const p = tempProject({ ...MIGRATIONS, 'pgdrift.config.json': `\uFEFF${JSON.stringify({ migrations: 'migrations', rules: { 'file-name': 'off' } })}` });
    try {
      const result = await runCli(['lint', '--format', 'json'], { cwd: p.root });
      expect(result.stderr).not.toContain('invalid JSON');
      expect([0, 1]).toContain(result.code);
    } finally {
      p.cleanup();
    }
  });

  it('read-only project: lint --write-baseline and snapshot exit 2, the old files intact', async (context) => {
    if (!canMount) context.skip();
    const dir = path.join(mountBase, 'ro');
    mkdirSync(path.join(dir, 'migrations'), { recursive: true });
    writeFileSync(path.join(dir, 'migrations/001_a.sql'), 'CREATE TABLE a (id int);\n');
    writeFileSync(path.join(dir, 'pgdrift-baseline.json'), '{"version": 1, "entries": []}\n');
    execFileSync('mount', ['--bind', dir, dir]);
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', dir]);
      const result = await runCli(['lint', '--write-baseline'], { cwd: dir });
      expectOrdinaryFault(result, 'pgdrift-baseline.json', /read-only file system \(EROFS\)/);
      expect(readFileSync(path.join(dir, 'pgdrift-baseline.json'), 'utf8')).toBe('{"version": 1, "entries": []}\n');
      const sarif = await runCli(['lint', '--format', 'sarif=report.sarif'], { cwd: dir });
      expectOrdinaryFault(sarif, 'report.sarif', /EROFS/);
    } finally {
      spawnSync('umount', [dir]);
    }
  });

  it('disk full while writing the snapshot and docs: exit 2, the old snapshot and docs intact, no temporary files', async (context) => {
    if (!canMount) context.skip();
    const dir = path.join(mountBase, 'full');
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
    try {
      mkdirSync(path.join(dir, 'migrations'));
      mkdirSync(path.join(dir, 'docs/architecture'), { recursive: true });
      mkdirSync(path.join(dir, 'docs/schema'), { recursive: true });
      const oldSnapshot = 'CREATE TABLE public.a (\n    id integer\n);\n';
      writeFileSync(path.join(dir, 'migrations/001_a.sql'), 'CREATE TABLE a (id int);\n');
      // a change with a long comment: the new snapshot and docs do not fit in what is left
      writeFileSync(path.join(dir, 'migrations/002_b.sql'), `CREATE TABLE b (id int);\nCOMMENT ON TABLE b IS '${'x'.repeat(90_000)}';\n`);
      writeFileSync(path.join(dir, 'docs/architecture/schema-actual-2025-01-01.sql'), oldSnapshot);
      writeFileSync(path.join(dir, 'docs/schema/README.md'), 'old docs\n');
      // fill the disk to about 120 kB free
      const free = () => Number(execFileSync('df', ['-B1', '--output=avail', dir]).toString().trim().split('\n')[1]);
      writeFileSync(path.join(dir, 'filler'), Buffer.alloc(Math.max(0, free() - 120 * 1024)));
      const result = await runCli(['snapshot', '--date', '2025-02-01'], { cwd: dir });
      expectOrdinaryFault(result, dir, /no space left on device \(ENOSPC\)/);
      expect(existsSync(path.join(dir, 'docs/architecture/schema-actual-2025-02-01.sql'))).toBe(false);
      expect(readFileSync(path.join(dir, 'docs/architecture/schema-actual-2025-01-01.sql'), 'utf8')).toBe(oldSnapshot);
      expect(readFileSync(path.join(dir, 'docs/schema/README.md'), 'utf8')).toBe('old docs\n');
      const temporary = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.tmp'));
      expect([...temporary(path.join(dir, 'docs/architecture')), ...temporary(path.join(dir, 'docs/schema'))]).toEqual([]);
    } finally {
      spawnSync('umount', [dir]);
    }
  });
});
