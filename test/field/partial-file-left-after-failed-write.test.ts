import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFilesAtomic } from '../../src/util/fs.js';
import { CLI, runCli, type CliResult } from '../helpers/cli.js';
import { leftovers, SERVER_URL } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

/**
 * Issue 9 item 3: `pgdrift dump -o out.sql` wrote a partial file when a migration failed, and files written with
 * writeFileSync were truncated before a failed write. Every written file (-o, --format x=file, snapshot, docs,
 * init, the lint baseline) now goes to a temporary file beside it and is renamed only once fully written. Each
 * test makes the write itself fail for real, with the file-size limit of the shell (`ulimit -f 0`: any write
 * fails with EFBIG), and checks the old file is byte for byte unchanged and no temporary file is left.
 */
function runLimited(args: string[], cwd: string): Promise<CliResult> {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    execFile('bash', ['-c', `ulimit -f 0; exec ${quoted}`], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (((error as any).code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Every file under `root` with its content, temporary files included. */
function snapshotTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(root, full), readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return files;
}

const temporaryFiles = (root: string) => [...snapshotTree(root).keys()].filter((file) => file.endsWith('.tmp'));

const MIGRATIONS = {
  'migrations/001_t.sql': 'CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL);\n',
  'migrations/002_u.sql': 'CREATE TABLE public.u (id integer PRIMARY KEY, t_id integer REFERENCES public.t (id));\n',
};
const SERVER = ['--engine', 'server', '--database-url', SERVER_URL];

const projects: ReturnType<typeof tempProject>[] = [];
function project(files: Record<string, string>) {
  const p = tempProject(files);
  projects.push(p);
  return p;
}
afterAll(async () => {
  for (const p of projects) p.cleanup();
  expect(await leftovers()).toEqual([]);
});

/** Runs `args` with writes failing; the whole project tree must be exactly as before, with no temporary file. */
async function expectNothingWritten(files: Record<string, string>, args: string[]): Promise<CliResult> {
  const p = project(files);
  const before = snapshotTree(p.root);
  const result = await runLimited(args, p.root);
  expect(snapshotTree(p.root)).toEqual(before);
  expect(temporaryFiles(p.root)).toEqual([]);
  // the command got as far as writing: the failure is the write's
  expect(result.stderr).toMatch(/cannot write .*EFBIG/);
  return result;
}

describe('a write that fails leaves the old file and no temporary file', () => {
  it('dump -o', async () => {
    const result = await expectNothingWritten({ ...MIGRATIONS, 'out.sql': '-- the good dump\n' }, ['dump', '-o', 'out.sql', ...SERVER]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot write');
    expect(result.stderr).toContain('out.sql');
  });

  it('--format x=file and -o of a report', async () => {
    const files = { 'a.sql': 'CREATE TABLE public.t (id integer);\n', 'b.sql': 'CREATE TABLE public.t (id bigint);\n', 'report.json': '{"old": true}\n', 'report.sarif': '{}\n' };
    const result = await expectNothingWritten(files, ['diff', 'a.sql', 'b.sql', '--format', 'json=report.json', '--format', 'sarif=report.sarif']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(''); // nothing on stdout either when a file could not be written
    await expectNothingWritten(files, ['diff', 'a.sql', 'b.sql', '--format', 'json', '-o', 'report.json']);
  });

  it('snapshot (and the docs it regenerates)', async () => {
    const files = { ...MIGRATIONS, 'docs/architecture/schema-actual-2026-01-01.sql': 'CREATE TABLE public.t (id integer);\n', 'docs/schema/README.md': '# old docs\n' };
    const result = await expectNothingWritten(files, ['snapshot', '--date', '2026-01-01', '--force', ...SERVER]);
    expect(result.code).toBe(2);
  });

  it('docs', async () => {
    const result = await expectNothingWritten({ ...MIGRATIONS, 'docs/schema/README.md': '# old docs\n' }, ['docs', ...SERVER]);
    expect(result.code).toBe(2);
  });

  it('init --force', async () => {
    const result = await expectNothingWritten({ ...MIGRATIONS, 'pgdrift.config.json': '{"migrations": "migrations"}\n' }, ['init', '--force']);
    expect(result.code).toBe(2);
  });

  it('lint --write-baseline', async () => {
    const files = { 'migrations/001_t.sql': 'CREATE TABLE public.t (id integer);\n', 'pgdrift-baseline.json': '{"version": 1, "entries": []}\n' };
    const result = await expectNothingWritten(files, ['lint', '--write-baseline']);
    expect(result.code).toBe(2);
  });
});

describe('dump -o when a migration fails', () => {
  it('leaves the old file untouched, says so, and exits 1', async () => {
    const p = project({ ...MIGRATIONS, 'migrations/003_bad.sql': 'ALTER TABLE public.missing ADD COLUMN x integer;\n', 'out.sql': '-- the good dump\n' });
    const result = await runCli(['dump', '-o', 'out.sql', ...SERVER], { cwd: p.root });
    expect(result.code).toBe(1);
    expect(readFileSync(path.join(p.root, 'out.sql'), 'utf8')).toBe('-- the good dump\n');
    expect(result.stderr).toContain('out.sql not written');
    expect(temporaryFiles(p.root)).toEqual([]);
    const keepGoing = await runCli(['dump', '-o', 'out.sql', '--keep-going', ...SERVER], { cwd: p.root });
    expect(keepGoing.code).toBe(1);
    expect(readFileSync(path.join(p.root, 'out.sql'), 'utf8')).toBe('-- the good dump\n');
  });
});

describe('writeFilesAtomic', () => {
  it('all or none: when the second file cannot be written, the first is not replaced either', () => {
    const p = project({ 'one.txt': 'old one\n', 'two.txt': 'a file where a folder should be\n' });
    expect(() => writeFilesAtomic([[path.join(p.root, 'one.txt'), 'new one\n'], [path.join(p.root, 'two.txt', 'inside.txt'), 'new\n']])).toThrow(/cannot write .*inside\.txt/);
    expect(readFileSync(path.join(p.root, 'one.txt'), 'utf8')).toBe('old one\n');
    expect(temporaryFiles(p.root)).toEqual([]);
  });
});
