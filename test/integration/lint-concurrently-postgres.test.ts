import pg from 'pg';
import { describe, expect } from 'vitest';
import { SERVER_URL, serverTest } from '../helpers/postgres.js';
import { lintMemory } from '../fixtures/lint/helpers.js';

// What concurrent-index-in-transaction and `lint --fix` assume about CONCURRENTLY, asked of real Postgres: alone in
// a query string it runs; with another statement in the same (simple-protocol) query string, Postgres runs the
// string as one implicit transaction block and refuses it.
const table = 'zz_pgdrift_cic_probe';
const lone = `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${table}_a ON ${table} (a)`;
const withAnother = `SELECT 1; CREATE INDEX CONCURRENTLY IF NOT EXISTS ${table}_b ON ${table} (a)`;

describe('CONCURRENTLY in one query string', () => {
  serverTest('the server refuses it next to another statement and runs it alone', async () => {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      await client.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (a int)`);
      await expect(client.query(withAnother)).rejects.toThrow(/cannot run inside a transaction block/);
      await client.query(lone);
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
      await client.end();
    }
    // and the rule says the same about such a file under the default (numbered, one query per file) runner
    expect(lintMemory(`${withAnother};`, { rules: ['concurrent-index-in-transaction'] })).toHaveLength(1);
    expect(lintMemory(`${lone};`, { rules: ['concurrent-index-in-transaction'] })).toHaveLength(0);
  });
});
