import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { SERVER_URL, redactedServerUrl, type ServerState } from './server-url.js';

/**
 * Vitest global setup: asks once whether the PostgreSQL server of the server-engine tests answers, and hands the
 * answer to every test file (`inject('server')`). Without one, those tests are skipped with the reason printed here
 * and beside each file; with PGDRIFT_REQUIRE_SERVER=1 (CI sets it) a missing server fails the whole run instead.
 */
export default async function setup(project: TestProject): Promise<void> {
  const state = await probe(SERVER_URL);
  if (!state.available) {
    const where = `no PostgreSQL server answers at ${redactedServerUrl()} (${state.reason})`;
    if (process.env.PGDRIFT_REQUIRE_SERVER === '1') {
      throw new Error(`PGDRIFT_REQUIRE_SERVER=1: ${where}; start it, or point PGDRIFT_TEST_DATABASE_URL at one`);
    }
    process.stderr.write(`[pgdrift tests] server tests skipped: ${where}; they run wherever a server answers (PGDRIFT_TEST_DATABASE_URL)\n`);
  }
  project.provide('server', state);
}

async function probe(url: string): Promise<ServerState> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true, reason: '' };
  } catch (error: any) {
    return { available: false, reason: String(error?.code ?? error?.message ?? error) };
  } finally {
    await client.end().catch(() => {});
  }
}
