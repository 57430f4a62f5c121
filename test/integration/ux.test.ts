import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { SERVER_URL, serverAvailable } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

/** Runs the CLI under `script`, which gives it a pseudo-terminal: what a person at a terminal sees. */
function runInTerminal(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<string> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env } }, (_e, stdout) =>
      resolve(stdout),
    );
  });
}

const ESCAPE = '\x1b[';
let project: ReturnType<typeof tempProject>;
// The server engine is quicker to start; these tests are about the terminal, so PGlite does where no server answers.
const engineArgs = serverAvailable ? ['--engine', 'server', '--database-url', SERVER_URL] : [];

beforeAll(() => {
  project = tempProject({
    'migrations/001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
    'migrations/002_b.sql': 'CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id));\n',
  });
});
afterAll(() => project.cleanup());

describe('terminal output', () => {
  it('on a TTY: progress (file n/N and its name) and colors', async () => {
    const out = await runInTerminal(['dump', '-o', 'out.sql', ...engineArgs], project.root);
    expect(out).toContain('replaying 2/2 migrations/002_b.sql');
    expect(out).toContain(ESCAPE);
  });

  it.each([
    ['--quiet', ['--quiet'], {}],
    ['NO_COLOR', [], { NO_COLOR: '1' }],
  ])('on a TTY with %s: no escape codes and no progress', async (_name, flags, env) => {
    const out = await runInTerminal(['dump', '-o', 'out.sql', ...engineArgs, ...flags], project.root, env);
    expect(out).not.toContain(ESCAPE);
    expect(out).not.toContain('replaying');
  });

  it('not on a TTY (CI logs, pipes): no escape codes and no progress, even for the text report', async () => {
    const result = await runCli(['lint', '--format', 'text'], { cwd: project.root, env: { NO_COLOR: undefined } });
    const dumped = await runCli(['dump', ...engineArgs], { cwd: project.root, env: { NO_COLOR: undefined } });
    for (const output of [result.stdout, result.stderr, dumped.stdout, dumped.stderr]) {
      expect(output).not.toContain(ESCAPE);
      expect(output).not.toContain('replaying');
    }
  });

  it('--verbose prints stage timings; --debug shows a stack trace only when asked', async () => {
    const verbose = await runCli(['dump', '--verbose', ...engineArgs], { cwd: project.root });
    expect(verbose.stderr).toMatch(/^\[verbose\] engine start +\d+ ms  (server|pglite), Postgres /m);
    expect(verbose.stderr).toMatch(/^\[verbose\] total +\d+ ms  \(stages add up to \d+ ms\)$/m);
    const broken = tempProject({ 'migrations/001_a.sql': 'SELECT 1;', 'pgdrift.config.json': '{"engine": "server", "databaseUrl": "postgres://x@127.0.0.1:1/x"}' });
    try {
      const plain = await runCli(['dump'], { cwd: broken.root });
      const debug = await runCli(['dump', '--debug'], { cwd: broken.root });
      expect(plain.code).toBe(3);
      expect(plain.stderr).not.toMatch(/\n\s+at /);
      expect(debug.stderr).toMatch(/\n\s+at /);
    } finally {
      broken.cleanup();
    }
  });

  it('-C runs against another project folder; --version and --help for every command', async () => {
    const elsewhere = await runCli(['dump', '-C', project.root, ...engineArgs]);
    expect(elsewhere.stdout).toContain('CREATE TABLE public.b');
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const command of ['check', 'diff', 'dump', 'lint', 'snapshot', 'docs', 'init']) {
      const help = await runCli([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain('Examples:');
    }
  });
});
