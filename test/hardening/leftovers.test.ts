import type { ChildProcess } from 'node:child_process';
import { queryAt } from '../helpers/postgres.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';
import { postgresBinaries, startPrivatePostgres, throwawayObjects, waitFor, type PrivatePostgres } from './private-postgres.js';

// CLI runs on a shared 2-core machine: PGlite starts alone can take half a minute
vi.setConfig({ testTimeout: 300_000 });

/**
 * Issue 12 item 3: nothing a run creates on a server outlives it: not after SIGKILL (the next run reaps it),
 * not after a double Ctrl-C, not after the server restarts mid-replay (exit 3); roles a run must create under
 * fixed names are shared safely between parallel runs and a role that existed before is never dropped.
 * Everything runs on a PRIVATE Postgres started here: the shared server is never restarted.
 */

const bin = postgresBinaries();
if (!bin) console.warn('[pgdrift tests] leftovers.test.ts: server tests skipped: no PostgreSQL server binaries (initdb, pg_ctl) for a private server');
let server: PrivatePostgres;
let looping: ReturnType<typeof tempProject>;
let plain: ReturnType<typeof tempProject>;

beforeAll(async () => {
  if (!bin) return;
  server = await startPrivatePostgres();
  looping = tempProject({
    'pgdrift.config.json': JSON.stringify({ migrations: 'migrations', replay: { timeout: 600 } }),
    'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
    'migrations/002_loop.sql': '-- never ends\nCREATE TABLE b (id int);\nDO $$ BEGIN LOOP END LOOP; END $$;\n',
  });
  plain = tempProject({ 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' });
});
afterAll(() => {
  server?.stop();
  looping?.cleanup();
  plain?.cleanup();
});

/** every CLI process started here, so a failing test cannot leave one looping */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const serverArgs = () => ['--engine', 'server', '--database-url', server.url];

function adminQuery<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  return queryAt<Row>(server.url, sql, params);
}

/** Starts a replay that loops for ever and resolves once its loop runs on the server. */
async function loopingReplay(): Promise<ChildProcess & { output: () => { stdout: string; stderr: string }; exited: Promise<number | null> }> {
  const child = spawnCli(['dump', ...serverArgs()], { cwd: looping.root });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  // this run's loop: a looping replay backend whose run's admin session is connected (a killed run's loop may linger)
  await waitFor(
    async () =>
      (
        await adminQuery(
          `SELECT 1 FROM pg_stat_activity r JOIN pg_stat_activity a ON a.application_name = 'pgdrift ' || r.usename
            WHERE r.application_name = 'pgdrift-replay' AND r.query LIKE '%LOOP END LOOP%' AND r.state = 'active'
              AND r.usename LIKE 'pgdrift\\_' || $1 || '\\_%'`,
          [String(child.pid)],
        )
      ).length > 0,
    90_000,
  );
  return Object.assign(child, { output: () => ({ stdout, stderr }), exited });
}

describe.skipIf(!bin)('leftovers on a server', () => {
  it('SIGKILL mid-replay leaves a database and role; the next run reaps them (count 0 after)', async () => {
    const child = await loopingReplay();
    child.kill('SIGKILL');
    await child.exited;
    const left = await throwawayObjects(server.url);
    expect(left).toHaveLength(2); // database + role, named pgdrift_<pid>_<start>_<random>
    expect(left[0]).toMatch(/^database pgdrift_\d+_[0-9a-z]+_[0-9a-f]+$/);

    const next = await runCli(['dump', ...serverArgs()], { cwd: plain.root });
    expect(next.code).toBe(0);
    expect(await throwawayObjects(server.url)).toEqual([]);
    // the looping backend went with its database
    expect(await adminQuery(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'pgdrift-replay'`)).toEqual([]);
  });

  it('pgdrift cleanup lists what a killed run left (with its creator) and removes it; a live run is kept', async () => {
    // the live run first: a run reaps stale objects when it starts, so the killed one must come after it
    const live = await loopingReplay();
    const killed = await loopingReplay();
    killed.kill('SIGKILL');
    await killed.exited;
    try {
      const listed = await runCli(['cleanup', '--dry-run', '--database-url', server.url], { cwd: plain.root });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/would drop +database +pgdrift_\d+_\w+_\w+ +stale: its pgdrift run is gone · pgdrift throwaway: host=.* pid=\d+ started=/);
      expect(listed.stdout).toMatch(/kept +database +pgdrift_\S+ +live: its pgdrift run is in progress/);
      expect(await throwawayObjects(server.url)).toHaveLength(4);

      const removed = await runCli(['cleanup', '--database-url', server.url], { cwd: plain.root });
      expect(removed.code).toBe(0);
      expect(removed.stdout).toContain('4 throwaway object(s) found, 2 dropped');
      expect(await throwawayObjects(server.url)).toHaveLength(2); // the live run's
    } finally {
      live.kill('SIGINT');
      await live.exited;
    }
    expect(await throwawayObjects(server.url)).toEqual([]);
  });

  it('a double Ctrl-C during the replay leaves nothing (the second one is ignored while dropping)', async () => {
    const child = await loopingReplay();
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    const code = await child.exited;
    expect(code).toBe(130);
    expect(child.output().stderr).toContain('SIGINT received, dropping temporary databases');
    expect(child.output().stderr).not.toContain('pg_dump failed');
    expect(await throwawayObjects(server.url)).toEqual([]);
  });

  it('a server restart mid-replay: exit 3 "the server went away at <file:line>", and nothing left once it is back', async () => {
    const child = await loopingReplay();
    server.restart('fast');
    const code = await child.exited;
    expect(child.output().stderr).toContain('the server went away at migrations/002_loop.sql:2');
    expect(code).toBe(3);
    expect(child.output().stderr).not.toContain('internal error');
    expect(await throwawayObjects(server.url)).toEqual([]);
  });

  it('parallel runs share roles a policy names: created once, dropped by the last run, a pre-existing role untouched', async () => {
    await adminQuery('DROP ROLE IF EXISTS app_existing');
    await adminQuery(`CREATE ROLE app_existing NOLOGIN`);
    await adminQuery(`COMMENT ON ROLE app_existing IS 'made by the team'`);
    // The snapshot has policies the migrations lack: the confirmation reload needs both roles.
    const policies = tempProject({
      'migrations/001_t.sql': 'CREATE TABLE t (id int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\n',
      'docs/architecture/schema-actual-2025-01-01.sql': [
        'CREATE TABLE public.t (\n    id integer\n);',
        'ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;',
        'CREATE POLICY readers ON public.t FOR SELECT TO app_reader USING (true);',
        'CREATE POLICY team ON public.t FOR SELECT TO app_existing USING (true);',
        '',
      ].join('\n'),
    });
    try {
      const runs = await Promise.all([1, 2, 3].map(() => runCli(['check', '--no-lint', '--format', 'json', ...serverArgs()], { cwd: policies.root })));
      for (const run of runs) {
        expect(run.stderr).not.toContain('internal error');
        expect(run.code).toBe(1);
        const report = JSON.parse(run.stdout);
        expect(report.drift.map((d: { name: string }) => d.name).sort()).toEqual(['public.t.readers', 'public.t.team']);
      }
      expect(await throwawayObjects(server.url)).toEqual([]);
      expect(await adminQuery(`SELECT 1 FROM pg_roles WHERE rolname = 'app_reader'`)).toEqual([]);
      expect(await adminQuery(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = 'app_existing'`)).toEqual([{ comment: 'made by the team' }]);
    } finally {
      policies.cleanup();
      await adminQuery('DROP ROLE IF EXISTS app_existing');
    }
  });
});
