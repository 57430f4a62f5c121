import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { adminQuery, leftovers, SERVER_URL, serverDescribe } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

const OK_MIGRATION = { 'migrations/001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n' };

serverDescribe('pgdrift dump (CLI)', () => {
  it('prints the schema without \\restrict lines, and the JSON report with the fixed field names', async () => {
    const project = tempProject(OK_MIGRATION);
    try {
      const sql = await runCli(['dump', '--engine', 'server', '--database-url', SERVER_URL], { cwd: project.root });
      expect(sql.code).toBe(0);
      expect(sql.stdout).toContain('CREATE TABLE public.a');
      expect(sql.stdout).not.toMatch(/^\\(un)?restrict/m);
      expect(sql.stderr).toContain('no pgdrift.config.json: runner numbered detected in migrations/');
      const json = await runCli(['dump', '--format', 'json', '-C', project.root, '--engine', 'server', '--database-url', SERVER_URL]);
      const report = JSON.parse(json.stdout);
      expect(Object.keys(report).sort()).toEqual(['engine', 'files', 'migrationFailures']);
      expect(report.files[0]).toMatchObject({ file: 'migrations/001_a.sql', status: 'applied' });
      expect(typeof report.files[0].ms).toBe('number');
      expect(report.engine).toMatchObject({ name: 'server', postgresVersion: expect.stringMatching(/^\d+/) });
    } finally {
      project.cleanup();
    }
  });

  it('never prints the password of --database-url, in results or errors', async () => {
    const secret = 'Sup3r-s3cret-pw';
    const project = tempProject({ 'migrations/001_bad.sql': 'CREATE TABLE b (x int REFERENCES missing(id));\n' });
    try {
      const url = SERVER_URL.replace('postgres@', `postgres:${secret}@`);
      const failing = await runCli(['dump', '--engine', 'server', '--database-url', url, '--verbose'], { cwd: project.root });
      expect(failing.code).toBe(1);
      const unreachable = await runCli(['dump', '--database-url', `postgres://postgres:${secret}@127.0.0.1:1/postgres`, '--engine', 'server'], {
        cwd: project.root,
      });
      expect(unreachable.code).toBe(3);
      expect(unreachable.stderr).toContain('postgres://postgres:***@127.0.0.1:1/postgres');
      const badUrl = await runCli(['dump', '--engine', 'server', '--database-url', `mysql://root:${secret}@host/db`], { cwd: project.root });
      expect(badUrl.code).toBe(2);
      for (const output of [failing, unreachable, badUrl]) expect(output.stdout + output.stderr).not.toContain(secret);
    } finally {
      project.cleanup();
    }
  });

  it('drops the throwaway database and role after success, after failure, and after SIGINT mid-replay', async () => {
    const project = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
      'migrations/002_slow.sql': 'SELECT pg_sleep(60);\n',
    });
    try {
      const child = spawnCli(['dump', '--engine', 'server', '--database-url', SERVER_URL], { cwd: project.root });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Wait until the slow migration is running in the throwaway database.
      const pattern = `pgdrift\\_${child.pid}\\_%`;
      for (let i = 0; i < 100; i++) {
        const running = await adminQuery(`SELECT 1 FROM pg_stat_activity WHERE datname LIKE $1 AND query LIKE '%pg_sleep%'`, [pattern]);
        if (running.length > 0) break;
        await sleep(100);
      }
      expect((await leftovers(child.pid!)).length).toBe(2); // database + role exist while it runs
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(await leftovers(child.pid!)).toEqual([]);

      writeFileSync(path.join(project.root, 'migrations/002_slow.sql'), 'SELECT 1/0;\n');
      const failed = spawnCli(['dump', '--engine', 'server', '--database-url', SERVER_URL], { cwd: project.root });
      expect(await new Promise((resolve) => failed.on('exit', resolve))).toBe(1);
      expect(await leftovers(failed.pid!)).toEqual([]);

      writeFileSync(path.join(project.root, 'migrations/002_slow.sql'), 'SELECT 1;\n');
      const ok = spawnCli(['dump', '--engine', 'server', '--database-url', SERVER_URL], { cwd: project.root });
      expect(await new Promise((resolve) => ok.on('exit', resolve))).toBe(0);
      expect(await leftovers(ok.pid!)).toEqual([]);
    } finally {
      project.cleanup();
    }
  });
});

describe('Ctrl-C on the embedded engine', () => {
  it('stops at once, even while PGlite is busy (nothing outside the process to clean up)', async () => {
    const project = tempProject({ 'migrations/001_slow.sql': 'SELECT pg_sleep(60);\n' });
    try {
      const child = spawnCli(['dump'], { cwd: project.root });
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      for (let i = 0; i < 200 && !stderr.includes('detected'); i++) await sleep(50);
      await sleep(2000); // PGlite is starting or running the sleep now
      child.kill('SIGINT');
      // pg_sleep(60) is still running: exiting at all (before the test timeout) means the signal was not held back
      const { code, signal } = await exited;
      expect(code === 130 || signal === 'SIGINT').toBe(true);
    } finally {
      project.cleanup();
    }
  });
});

describe('bad input: one clear message and exit 2', () => {
  const cases: Array<[string, Record<string, string | Buffer>, string[], RegExp]> = [
    ['missing migrations folder', { 'pgdrift.config.json': '{"migrations": "nope"}' }, [], /migrations folder not found: .*nope/],
    ['no migrations folder to detect', { 'README.md': 'x' }, [], /no migrations folder found/],
    // named as a hint, never taken unasked (field: ssoready/ssoready cmd/migrate/migrations, golang-migrate files)
    [
      'a migrations folder further down',
      { 'cmd/migrate/migrations/000001_a.up.sql': 'CREATE TABLE a (id int);', 'cmd/migrate/migrations/000001_a.down.sql': 'DROP TABLE a;' },
      [],
      /no migrations folder found in .*; below it, cmd\/migrate\/migrations\/ holds \.sql files\n  hint: if that is the history, name it: --migrations cmd\/migrate\/migrations/,
    ],
    // one folder per database below it (field: goharbor/harbor make/migrations/postgresql)
    ['a migrations folder of one folder per database', { 'make/migrations/postgresql/0001_init.up.sql': 'CREATE TABLE a (id int);' }, [], /below it, make\/migrations\/postgresql\/ holds \.sql files/],
    ['empty migrations folder', { 'migrations/.keep': '' }, [], /no migrations in migrations\/ for the numbered runner/],
    ['non-UTF-8 file', { 'migrations/001_a.sql': Buffer.from('-- caf\xe9\nSELECT 1;\n', 'latin1') }, [], /migrations\/001_a\.sql:1:7: the file is not valid UTF-8/],
    [
      'unknown config keys (all reported, with their path)',
      { 'migrations/001_a.sql': 'SELECT 1;', 'pgdrift.config.json': '{"migratons": "x", "docs": {"outt": 1}, "order": "random"}' },
      [],
      /invalid configuration in pgdrift\.config\.json:\n  docs\.outt: unknown key\n  migratons: unknown key\n  order: Invalid option/,
    ],
    ['invalid JSON config', { 'migrations/001_a.sql': 'SELECT 1;', 'pgdrift.config.json': '{\n  "migrations": ,\n}' }, [], /pgdrift\.config\.json:2:17: invalid JSON: ValueExpected/],
    ['bad --database-url', { 'migrations/001_a.sql': 'SELECT 1;' }, ['--engine', 'server', '--database-url', 'not a url'], /invalid database URL/],
    ['unknown flag', { 'migrations/001_a.sql': 'SELECT 1;' }, ['--enigne', 'server'], /Unknown argument: enigne\nDid you mean --engine\?/],
    // yargs' own argument error: usage, not "internal error ... please report it" (exit 4)
    ['a flag without its value', { 'migrations/001_a.sql': 'SELECT 1;' }, ['--migrations'], /^pgdrift: Not enough arguments following: migrations\nRun pgdrift --help for usage\.\n$/],
  ];
  it.each(cases)('%s', async (_name, files, args, message) => {
    const project = tempProject(files);
    try {
      const result = await runCli(['dump', ...args], { cwd: project.root });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace without --debug
      expect(readdirSync(project.root).sort()).toEqual(Object.keys(files).map((f) => f.split('/')[0]).filter((v, i, a) => a.indexOf(v) === i).sort());
    } finally {
      project.cleanup();
    }
  });

  it('an unknown command gets a suggestion', async () => {
    const result = await runCli(['dupm']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Did you mean dump\?/);
  });
});
