import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { PgdriftError } from '../../src/errors.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { adminQuery, SERVER_URL, serverDescribe } from '../helpers/postgres.js';

/**
 * The Sqitch fixture (test/fixtures/runners/sqitch: sqitch.conf with top_dir db, a plan with dependencies, a tag and a
 * reworked change, an unplanned deploy script, revert and verify scripts), checked end to end. Its replay against
 * psql in plan order is in runners.test.ts; here: a snapshot with Sqitch's registry, the plan's refusals, and what
 * pgdrift did before it knew Sqitch (a name-order replay of deploy/).
 */
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'runners', 'sqitch');
const REGISTRY = path.join(REPO_ROOT, 'test', 'fixtures', 'sqitch', 'registry-pg.sql');
const made: string[] = [];

function copy(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-sqitch-'));
  cpSync(FIXTURE, root, { recursive: true });
  made.push(root);
  return root;
}

async function refusal(cwd: string, extra: Parameters<typeof dump>[0] = {}): Promise<{ message: string; hint?: string; position?: unknown }> {
  try {
    await dump({ cwd, engine: 'pglite', noCache: true, ...extra });
  } catch (error) {
    if (error instanceof PgdriftError) return { message: error.message, hint: error.hint, position: error.position };
    throw error;
  }
  throw new Error('the project was replayed');
}

beforeAll(() => loadSqlParser());
afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

describe('sqitch runner', () => {
  it('replays the plan, not the folder: the earlier version of a reworked change first, no unplanned, revert or verify script', async () => {
    const notices: string[] = [];
    const result = await dump({ cwd: copy(), engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual([
      'db/deploy/users.sql',
      'db/deploy/orders.sql',
      'db/deploy/order_total@v1.0.sql',
      'db/deploy/add_status.sql',
      'db/deploy/order_total.sql',
    ]);
    expect(result.sql).toContain('CREATE TABLE public.orders'); // deploy/legacy_cleanup.sql (not planned) drops it
    expect(result.sql).toContain("u.status = 'active'"); // the reworked function, last
    expect(result.sql).toContain('CREATE INDEX users_status_idx'); // CONCURRENTLY: psql runs it outside a transaction
    expect(notices.join('\n')).toContain('db/deploy/legacy_cleanup.sql (sqitch.plan names no change with this deploy script');
    expect(notices.join('\n')).not.toContain('revert/');
  });

  it('before pgdrift knew Sqitch: deploy/ replayed in name order fails (add_status before users)', async () => {
    const result = await dump({ cwd: copy(), migrations: 'db/deploy', runner: 'numbered', engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['db/deploy/add_status.sql', '42P01']]);
  });

  it('--migrations at the deploy folder is still the plan, in plan order', async () => {
    const result = await dump({ cwd: copy(), migrations: 'db/deploy', engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file).at(2)).toBe('db/deploy/order_total@v1.0.sql');
  });

  it('a planned change without its deploy script is refused at its plan line', async () => {
    const root = copy();
    rmSync(path.join(root, 'db', 'deploy', 'orders.sql'));
    const error = await refusal(root);
    expect(error.message).toBe('db/sqitch.plan:7:1: change "orders" has no deploy script: db/deploy/orders.sql does not exist');
    expect(error.position).toEqual({ file: 'db/sqitch.plan', line: 7, column: 1 });
  });

  it("a reworked change's missing <name>@<tag> script is refused at the earlier change's line", async () => {
    const root = copy();
    renameSync(path.join(root, 'db', 'deploy', 'order_total@v1.0.sql'), path.join(root, 'db', 'deploy', 'order_total@v0.9.sql'));
    const error = await refusal(root);
    expect(error.message).toBe('db/sqitch.plan:8:1: change "order_total" has no deploy script: db/deploy/order_total@v1.0.sql does not exist');
  });

  it('a plan Sqitch refuses is refused at its line and column', async () => {
    const root = copy();
    const plan = path.join(root, 'db', 'sqitch.plan');
    writeFileSync(plan, readFileSync(plan, 'utf8').replace('orders [users]', 'orders [users missing]'));
    const error = await refusal(root);
    expect(error.message).toBe('db/sqitch.plan:7:15: Dependency error: Unknown change "missing" required by change "orders"');
    expect(error.position).toEqual({ file: 'db/sqitch.plan', line: 7, column: 15 });
  });

  it('a conflict with a change the plan does not have stops sqitch deploy before it deploys anything: refused at the plan line', async () => {
    const root = copy();
    const plan = path.join(root, 'db', 'sqitch.plan');
    writeFileSync(plan, readFileSync(plan, 'utf8').replace('!legacy:legacy_status', '!legacy_status'));
    const error = await refusal(root);
    // sqitch 1.3.1: "Unable to find change "legacy_status" in plan db/sqitch.plan", and an empty database
    expect(error.message).toBe('db/sqitch.plan:11:23: Unable to find change "legacy_status" in plan db/sqitch.plan');
    expect(error.position).toEqual({ file: 'db/sqitch.plan', line: 11, column: 23 });
  });

  it("a target's own plan file: SQITCH_TARGET chooses it, as Sqitch does; the default target's plan otherwise, with a notice", async () => {
    const root = copy();
    writeFileSync(path.join(root, 'sqitch.conf'), `${readFileSync(path.join(root, 'sqitch.conf'), 'utf8')}[target "legacy"]\n\turi = db:pg://legacy/widgets\n\tplan_file = db/legacy.plan\n`);
    writeFileSync(path.join(root, 'db', 'legacy.plan'), "%project=widgets\n\nusers 2024-01-01T00:00:00Z Marge <marge@example.com>\n");
    const notices: string[] = [];
    const main = await dump({ cwd: root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(main.report.files.filter((f) => f.role === 'migration')).toHaveLength(5);
    expect(notices.join('\n')).toContain('target legacy reads db/legacy.plan');
    const previous = process.env.SQITCH_TARGET;
    process.env.SQITCH_TARGET = 'legacy';
    try {
      const legacy = await dump({ cwd: root, engine: 'pglite', noCache: true });
      expect(legacy.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['db/deploy/users.sql']);
    } finally {
      if (previous === undefined) delete process.env.SQITCH_TARGET;
      else process.env.SQITCH_TARGET = previous;
    }
  });

  it('a monorepo package holding the Sqitch project is found below the root by its sqitch.plan', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-sqitch-mono-'));
    made.push(root);
    cpSync(FIXTURE, path.join(root, 'packages', 'app'), { recursive: true });
    const notices: string[] = [];
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).toContain("runner sqitch detected in packages/app/db/: Sqitch's sqitch.plan");
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file).at(-1)).toBe('packages/app/db/deploy/order_total.sql');
  });

  it('a psql include in a deploy script (\\ir) is replayed in place; one psql cannot open fails at its line', async () => {
    const root = copy();
    const script = path.join(root, 'db', 'deploy', 'orders.sql');
    writeFileSync(script, readFileSync(script, 'utf8').replace('BEGIN;', 'BEGIN;\n\\ir ../shared/orders_types.sql'));
    const missing = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(missing.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.message])).toEqual([
      ['db/deploy/orders.sql', 5, 1, '\\ir ../shared/orders_types.sql: db/shared/orders_types.sql does not exist'],
    ]);
    mkdirSync(path.join(root, 'db', 'shared'));
    writeFileSync(path.join(root, 'db', 'shared', 'orders_types.sql'), "CREATE TYPE public.order_state AS ENUM ('open', 'paid');\n");
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file).slice(0, 4)).toEqual(['db/deploy/users.sql', 'db/deploy/orders.sql', 'db/shared/orders_types.sql', 'db/deploy/orders.sql']);
    expect(result.sql).toContain('CREATE TYPE public.order_state');
  });

  it("each deploy script is a new psql connection: a script's SET search_path reaches its psql include, not the next script", async () => {
    const root = copy();
    const users = path.join(root, 'db', 'deploy', 'users.sql');
    writeFileSync(users, readFileSync(users, 'utf8').replace('BEGIN;\n', 'BEGIN;\nCREATE SCHEMA app;\nSET search_path TO app, public;\n\\ir ../shared/app_types.sql\nCREATE TABLE app_flags (name text);\n'));
    mkdirSync(path.join(root, 'db', 'shared'));
    writeFileSync(path.join(root, 'db', 'shared', 'app_types.sql'), "CREATE TYPE app_state AS ENUM ('on', 'off');\n");
    const orders = path.join(root, 'db', 'deploy', 'orders.sql');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace('COMMIT;', "CREATE FUNCTION hello() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n\nCOMMIT;"));
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    // as sqitch 1.3.1 deployed this project: pg_dump of its database has these three
    expect(result.sql).toContain('CREATE TYPE app.app_state');
    expect(result.sql).toContain('CREATE TABLE app.app_flags');
    expect(result.sql).toContain('CREATE FUNCTION public.hello()');
  });

  it('a project whose Sqitch engine is not pg is refused as not PostgreSQL', async () => {
    const root = copy();
    writeFileSync(path.join(root, 'sqitch.conf'), '[core]\n\tengine = sqlite\n\ttop_dir = db\n');
    const error = await refusal(root, { migrations: 'db' });
    expect(error.message).toContain('sets Sqitch\'s engine to sqlite');
  });
});

serverDescribe('sqitch runner: check against a pg_dump of a database sqitch deployed', () => {
  const database = `sqitch_snapshot_${process.pid}`;
  const url = `${SERVER_URL.replace(/\/[^/]*$/, '')}/${database}`;
  const psql = (args: string[]) => execFileSync('/usr/lib/postgresql/15/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], { stdio: 'pipe' });
  let snapshot = '';

  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
    await adminQuery(`CREATE DATABASE ${database}`);
    // what `sqitch deploy` leaves: its registry (pg.pm _run_registry_file), then each deploy script by psql --file
    psql(['--set', 'registry=sqitch', '--set', 'tableopts=', '-f', REGISTRY]);
    for (const script of ['users', 'orders', 'order_total@v1.0', 'add_status', 'order_total']) psql(['--set', 'registry=sqitch', '-f', path.join(FIXTURE, 'db', 'deploy', `${script}.sql`)]);
    snapshot = execFileSync('/usr/lib/postgresql/15/bin/pg_dump', ['--schema-only', '-d', url], { encoding: 'utf8' });
  }, 60_000);
  afterAll(() => adminQuery(`DROP DATABASE IF EXISTS ${database}`));

  it('pgdrift check is clean: the registry schema in the dump is Sqitch\'s bookkeeping; a changed script is drift', async () => {
    expect(snapshot).toContain('CREATE TABLE sqitch.changes');
    const root = copy();
    writeFileSync(path.join(root, 'schema.sql'), snapshot);
    const clean = await runCli(['check', '--no-lint', '--snapshot', 'schema.sql'], { cwd: root });
    expect(clean.stderr).toContain('runner sqitch detected in db/');
    expect([clean.code, clean.stdout]).toEqual([0, expect.not.stringContaining('sqitch.')]);
    // the reworked script changed after the dump: drift names the function
    const script = path.join(root, 'db', 'deploy', 'order_total.sql');
    writeFileSync(script, readFileSync(script, 'utf8').replace("u.status = 'active'", "u.status <> 'banned'"));
    const drift = await runCli(['check', '--no-lint', '--snapshot', 'schema.sql'], { cwd: root });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('public.order_total');
  }, 120_000);
});
