import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * The suite on a machine with Node only (issue 17): the test URL points at a closed port (port 1 on loopback)
 * instead of stopping the shared server. A small server-only test file is run by a child vitest.
 */
const CLOSED_PORT_URL = 'postgres://postgres@127.0.0.1:1/postgres';

function runVitest(files: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  // the child is a fresh vitest: none of this worker's VITEST_* variables
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...files],
      { cwd: REPO_ROOT, env: { ...base, NO_COLOR: '1', ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (((error as any).code as number) ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

test('without a server: the server tests are skipped with the reason in one line, and the run exits 0', async () => {
  const run = await runVitest(['test/integration/engine-race.test.ts'], { PGDRIFT_TEST_DATABASE_URL: CLOSED_PORT_URL, PGDRIFT_REQUIRE_SERVER: '' });
  expect(run.output).toMatch(/\[pgdrift tests\] server tests skipped: no PostgreSQL server answers at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres \(ECONNREFUSED\)/);
  expect(run.output).toContain('[pgdrift tests] server tests in this file skipped: needs a PostgreSQL server: ECONNREFUSED');
  expect(run.output).toMatch(/engine-race\.test\.ts \(6 tests \| 6 skipped\)/);
  expect(run.code).toBe(0);
});

test('with PGDRIFT_REQUIRE_SERVER=1 and no server: the run fails, naming the URL', async () => {
  const run = await runVitest(['test/integration/engine-race.test.ts'], { PGDRIFT_TEST_DATABASE_URL: CLOSED_PORT_URL, PGDRIFT_REQUIRE_SERVER: '1' });
  expect(run.output).toContain('PGDRIFT_REQUIRE_SERVER=1: no PostgreSQL server answers at postgres://postgres@127.0.0.1:1/postgres (ECONNREFUSED)');
  expect(run.code).not.toBe(0);
});

test('.ci/run requires the server for the test run, after starting it', () => {
  const script = readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8');
  const required = script.indexOf('export PGDRIFT_REQUIRE_SERVER=1');
  expect(required).toBeGreaterThan(script.indexOf('pg_isready'));
  expect(required).toBeLessThan(script.lastIndexOf('npm test'));
});
