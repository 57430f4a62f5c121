import pg from 'pg';
import { describe, inject, test } from 'vitest';
import { SERVER_URL } from './server-url.js';

export { SERVER_URL };

/** Whether the local server answered the global setup's probe (test/helpers/server-setup.ts). */
export const serverAvailable = inject('server').available;

/** Why the server tests of this file are skipped, in one line. */
export const SERVER_SKIP_REASON = `needs a PostgreSQL server: ${inject('server').reason || 'none answered'}`;

let skipNoted = false;
function noteSkip(): void {
  if (skipNoted) return;
  skipNoted = true; // one line per test file (modules are isolated per file)
  console.warn(`[pgdrift tests] server tests in this file skipped: ${SERVER_SKIP_REASON}`);
}

/** A test that needs the local server: skipped, with the reason, where none answers (and PGDRIFT_REQUIRE_SERVER is unset). */
export function serverTest(name: string, fn: () => Promise<unknown>, timeout?: number): void {
  if (serverAvailable) {
    test(name, fn, timeout);
    return;
  }
  noteSkip();
  test.skip(`${name} (${SERVER_SKIP_REASON})`, fn);
}

/** A group of tests that all need the local server; skipped as a whole (hooks included) where none answers. */
export function serverDescribe(name: string, fn: () => void): void {
  if (serverAvailable) {
    describe(name, fn);
    return;
  }
  noteSkip();
  describe.skip(`${name} (${SERVER_SKIP_REASON})`, fn);
}

export async function adminQuery<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  return queryAt<Row>(SERVER_URL, sql, params);
}

/** One query on a fresh connection to `url` (a private test server, or the shared one through adminQuery). */
export async function queryAt<Row = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Throwaway databases and roles left behind by the pgdrift process `pid` (there must never be any). */
export async function leftovers(pid: number = process.pid): Promise<string[]> {
  if (!serverAvailable) return []; // nothing can be left on a server no test reached
  const pattern = `pgdrift\\_${pid}\\_%`;
  const rows = await adminQuery<{ name: string }>(
    `SELECT datname AS name FROM pg_database WHERE datname LIKE $1
     UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE $1`,
    [pattern],
  );
  return rows.map((r) => r.name);
}
