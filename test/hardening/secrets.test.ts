import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactSecrets } from '../../src/util/redact.js';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

// CLI runs on a shared 2-core machine: PGlite starts alone can take half a minute
vi.setConfig({ testTimeout: 300_000 });

/** Issue 12 item 1: a pull request must not be able to make pgdrift print the CI job's secrets. */

const SECRET = 'ghp_S3cr3tT0kenValue0123456789abcdefABCD';
const PASSWORD = 'hunter2-the-db-password';
const env = { GITHUB_TOKEN: SECRET, PGPASSWORD: PASSWORD, PGDRIFT_TEST_MARKER: 'visible-marker' };

let project: ReturnType<typeof tempProject> | undefined;
afterEach(() => project?.cleanup());

function expectNoSecret(output: string): void {
  expect(output).not.toContain(SECRET);
  expect(output).not.toContain(PASSWORD);
  expect(output).not.toContain('visible-marker'); // any environment content at all
}

describe('symbolic links out of the project are refused before reading', () => {
  it('a migration linked to /proc/self/environ: exit 2 naming the file, no environment on any output or format', async () => {
    project = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
      'docs/architecture/schema-actual-2025-01-01.sql': 'CREATE TABLE public.a (\n    id integer\n);\n',
    });
    symlinkSync('/proc/self/environ', path.join(project.root, 'migrations/002_env.sql'));
    for (const args of [['dump'], ['check', '--format', 'github'], ['check', '--format', 'json'], ['lint', '--format', 'sarif'], ['lint']]) {
      const result = await runCli(args, { cwd: project.root, env });
      expectNoSecret(result.stdout + result.stderr);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('migrations/002_env.sql is a symbolic link into /proc; refusing to read it');
    }
  });

  it('a migration that is a link to /dev/zero, a pipe or a link to nothing: exit 2 naming it (it was left out of the replay without a word, and runner detection read /dev/zero forever)', async () => {
    const cases: Array<[string, (file: string) => void, string]> = [
      ['002_zero.sql', (file) => symlinkSync('/dev/zero', file), 'migrations/002_zero.sql is a symbolic link into /dev; refusing to read it'],
      ['002_pipe.sql', (file) => execFileSync('mkfifo', [file]), 'migrations/002_pipe.sql is not a regular file (a device, pipe or socket); refusing to read it'],
      ['002_gone.sql', (file) => symlinkSync('../gone.sql', file), 'migrations/002_gone.sql is a symbolic link to nothing (ENOENT)'],
    ];
    for (const [name, make, message] of cases) {
      project = tempProject({ 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' });
      make(path.join(project.root, 'migrations', name));
      // lint detects the runner from the files (reads them) first; dump names the runner and goes straight to loading
      for (const args of [['lint'], ['dump', '--runner', 'numbered']]) {
        const result = await runCli(args, { cwd: project.root });
        expect(result.code, `${name}: ${args.join(' ')}`).toBe(2);
        expect(result.stderr).toContain(message);
      }
      project.cleanup();
      project = undefined;
    }
  }, 120_000);

  it('a migration linked to a file outside the project (/etc/passwd): exit 2, not a line of it printed', async () => {
    project = tempProject({ 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' });
    symlinkSync('/etc/passwd', path.join(project.root, 'migrations/002_passwd.sql'));
    const result = await runCli(['dump'], { cwd: project.root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('migrations/002_passwd.sql is a symbolic link to a file outside the project');
    expect(result.stdout + result.stderr).not.toContain('root:');
  });

  it('a link inside the project is fine; --allow-outside-project permits an outside one but never /proc', async () => {
    project = tempProject({ 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n', 'shared/b.sql': 'CREATE TABLE b (id int);\n' });
    symlinkSync(path.join(project.root, 'shared/b.sql'), path.join(project.root, 'migrations/002_b.sql'));
    const inside = await runCli(['dump'], { cwd: project.root });
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain('CREATE TABLE public.b');

    symlinkSync('/proc/self/environ', path.join(project.root, 'migrations/003_env.sql'));
    const proc = await runCli(['dump', '--allow-outside-project'], { cwd: project.root, env });
    expect(proc.code).toBe(2);
    expectNoSecret(proc.stdout + proc.stderr);
  });

  it('snapshot, config and baseline links are refused the same way', async () => {
    project = tempProject({ 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' });
    symlinkSync('/proc/self/environ', path.join(project.root, 'docs-snap.sql'));
    project.write('pgdrift.config.json', JSON.stringify({ snapshot: 'docs-snap*.sql' }));
    const snapshot = await runCli(['check'], { cwd: project.root, env });
    expect(snapshot.code).toBe(2);
    expect(snapshot.stderr).toContain('docs-snap.sql is a symbolic link into /proc');
    expectNoSecret(snapshot.stdout + snapshot.stderr);

    project.write('pgdrift.config.json', JSON.stringify({ baseline: ['base.sql'] }));
    symlinkSync('/proc/self/environ', path.join(project.root, 'base.sql'));
    const baseline = await runCli(['dump'], { cwd: project.root, env });
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain('base.sql is a symbolic link into /proc');
    expectNoSecret(baseline.stdout + baseline.stderr);
  });

  it('the config file itself linked to /proc/self/environ', async () => {
    project = tempProject({ 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' });
    symlinkSync('/proc/self/environ', path.join(project.root, 'pgdrift.config.json'));
    const result = await runCli(['dump'], { cwd: project.root, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pgdrift.config.json is a symbolic link into /proc');
    expectNoSecret(result.stdout + result.stderr);
  });
});

describe('one redaction step for every message that echoes SQL', () => {
  it('a failing statement holding a password and a token: neither appears in text, github or json output', async () => {
    project = tempProject({
      'migrations/001_a.sql': `CREATE TABLE a (id int);\nSELECT 'postgres://app:${PASSWORD}@db/prod', 'token=${SECRET}', 1/0;\n`,
      'docs/architecture/schema-actual-2025-01-01.sql': 'CREATE TABLE public.a (\n    id integer\n);\n',
    });
    const formats = ['github', 'json', 'sarif', 'markdown'];
    const result = await runCli(['check', '--no-lint', '--format', 'text', ...formats.flatMap((f) => ['--format', `${f}=out.${f}`])], { cwd: project.root, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('migrations/001_a.sql:2');
    expectNoSecret(result.stdout + result.stderr);
    for (const format of formats) {
      const written = readFileSync(path.join(project.root, `out.${format}`), 'utf8');
      expect(written, format).toMatch(/001_a\.sql/);
      expectNoSecret(written);
    }
    const dump = await runCli(['dump'], { cwd: project.root, env });
    expect(dump.code).toBe(1);
    expect(dump.stderr).toContain('migrations/001_a.sql:2');
    expectNoSecret(dump.stdout + dump.stderr);
  });

  it('redactSecrets: URLs, key=value, PASSWORD literals, known token shapes, env values; bounded length', () => {
    process.env.PGDRIFT_TEST_API_TOKEN = 'an-env-secret-value';
    try {
      expect(redactSecrets('postgres://u:pw@h/db')).toBe('postgres://u:***@h/db');
      expect(redactSecrets("host=h password=abc user=u")).toBe('host=h password=*** user=u');
      expect(redactSecrets("CREATE ROLE x LOGIN PASSWORD 'p''w'")).toBe("CREATE ROLE x LOGIN PASSWORD '***'");
      expect(redactSecrets(`use ${SECRET} now`)).toBe('use *** now');
      expect(redactSecrets('AKIAABCDEFGHIJKLMNOP')).toBe('***');
      expect(redactSecrets('value an-env-secret-value here')).toBe('value *** here');
      expect(redactSecrets('x.token::text')).toBe('x.token::text');
      expect(redactSecrets('A=1\0GITHUB_TOKEN=zzz\0')).toBe('A=1\\0GITHUB_TOKEN=***\\0');
      const long = redactSecrets('x'.repeat(10_000));
      expect(long.length).toBeLessThan(2100);
      expect(long).toContain('message cut at 2000 characters');
    } finally {
      delete process.env.PGDRIFT_TEST_API_TOKEN;
    }
  });
});
