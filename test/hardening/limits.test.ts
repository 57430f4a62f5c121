import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';
import { postgresBinaries, startPrivatePostgres, throwawayObjects, type PrivatePostgres } from './private-postgres.js';

// CLI runs on a shared 2-core machine: PGlite starts alone can take half a minute
vi.setConfig({ testTimeout: 300_000 });

/** Issue 12 items 2 and 4: a replay is bounded in time on both engines; PGlite refuses COPY it cannot run. */

const LOOP_PROJECT = {
  'pgdrift.config.json': JSON.stringify({ migrations: 'migrations', replay: { timeout: 3 } }),
  'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
  'migrations/002_loop.sql': '-- a migration that never ends\nCREATE TABLE b (id int);\nDO $$ BEGIN LOOP END LOOP; END $$;\nCREATE TABLE c (id int);\n',
};

let project: ReturnType<typeof tempProject>;
let server: PrivatePostgres | undefined;
const bin = postgresBinaries();
if (!bin) console.warn('[pgdrift tests] limits.test.ts: server tests skipped: no PostgreSQL server binaries (initdb, pg_ctl) for a private server');

beforeAll(async () => {
  project = tempProject(LOOP_PROJECT);
  if (bin) server = await startPrivatePostgres();
});
afterAll(() => {
  project.cleanup();
  server?.stop();
});

describe('replay.timeout stops an endless statement at its file:line', () => {
  it('embedded engine (PGlite in a worker thread that is replaced)', async () => {
    const result = await runCli(['dump', '--format', 'json'], { cwd: project.root });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.migrationFailures).toEqual([
      expect.objectContaining({ file: 'migrations/002_loop.sql', line: 3, column: 1, sqlstate: '57014', message: expect.stringContaining('replay.timeout, 3 s') }),
    ]);
  });

  it.skipIf(!bin)('server engine: statement_timeout on the throwaway role, cancel, and nothing left behind', async () => {
    const result = await runCli(['dump', '--format', 'json', '--engine', 'server', '--database-url', server!.url], { cwd: project.root });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.migrationFailures).toEqual([
      expect.objectContaining({ file: 'migrations/002_loop.sql', line: 3, column: 1, sqlstate: '57014', message: expect.stringContaining('replay.timeout, 3 s') }),
    ]);
    expect(await throwawayObjects(server!.url)).toEqual([]);
  });

  it.skipIf(!bin)('server engine: the throwaway role carries statement_timeout and temp_file_limit (held inside Postgres)', async () => {
    const child = (await import('../helpers/cli.js')).spawnCli(['dump', '--engine', 'server', '--database-url', server!.url], { cwd: project.root });
    const client = new pg.Client({ connectionString: server!.url });
    await client.connect();
    try {
      let config: string[] | undefined;
      for (let i = 0; i < 300 && !config; i++) {
        const { rows } = await client.query(`SELECT rolconfig FROM pg_roles WHERE rolname LIKE 'pgdrift\\_%' AND rolconfig @> ARRAY['statement_timeout=4000', 'temp_file_limit=1048576']`);
        if (rows.length > 0) config = rows[0].rolconfig;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(config).toEqual(expect.arrayContaining(['statement_timeout=4000', 'temp_file_limit=1048576']));
    } finally {
      await client.end();
      await new Promise((resolve) => child.on('exit', resolve));
    }
  });
});

describe('the embedded engine refuses COPY it cannot run, before sending it', () => {
  it.each([
    ['COPY a FROM STDIN;', 'COPY ... FROM STDIN needs a client data stream'],
    ["COPY a TO PROGRAM 'id > /tmp/pgdrift-copy-probe';", 'COPY ... TO PROGRAM runs a program on the database server'],
    ["COPY a TO '/tmp/pgdrift-copy-probe';", "COPY ... TO '<file>' writes a file on the database server"],
  ])('%s: a failure at its line, the session still usable (keep-going)', async (copy, message) => {
    const copyProject = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
      'migrations/002_copy.sql': `CREATE TABLE b (id int);\n${copy}\n`,
      'migrations/003_c.sql': 'CREATE TABLE c (id int);\n',
    });
    try {
      const result = await runCli(['dump', '--format', 'json', '--keep-going'], { cwd: copyProject.root });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.migrationFailures).toEqual([expect.objectContaining({ file: 'migrations/002_copy.sql', line: 2, column: 1, sqlstate: '0A000', message: expect.stringContaining(message) })]);
      expect(report.files.map((f: { status: string }) => f.status)).toEqual(['applied', 'failed', 'applied']);
    } finally {
      copyProject.cleanup();
    }
  });

  it('COPY TO PROGRAM run from inside a function breaks the PGlite session: it is replaced, the failure named at its line, the replay goes on', async () => {
    const copyProject = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
      'migrations/002_copy.sql': "CREATE TABLE b (id int);\nDO $$ BEGIN EXECUTE 'COPY a TO PROGRAM ''id'''; END $$;\n",
      'migrations/003_c.sql': 'CREATE TABLE c (id int);\n',
    });
    try {
      const result = await runCli(['dump', '--format', 'json', '--keep-going'], { cwd: copyProject.root });
      expect(result.stderr).not.toContain('internal error');
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.migrationFailures).toEqual([expect.objectContaining({ file: 'migrations/002_copy.sql', line: 2, sqlstate: '0A000', message: expect.stringContaining('session broke') })]);
      expect(report.files.map((f: { status: string }) => f.status)).toEqual(['applied', 'failed', 'applied']);
      const dump = await runCli(['dump', '--keep-going'], { cwd: copyProject.root });
      expect(dump.stdout).toContain('CREATE TABLE public.c');
      expect(dump.stdout).not.toContain('CREATE TABLE public.b'); // the broken file's transaction is gone
    } finally {
      copyProject.cleanup();
    }
  });
});
