import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { findPgDump } from '../engine/pg-dump-binary.js';
import { stripRestrictLines } from '../engine/restrict.js';
import { parseDatabaseUrl, redactUrl, scrubSecrets } from '../engine/url.js';
import { EngineError } from '../errors.js';
import { readableOlderDumpText } from '../sql/older-dump-keywords.js';

const run = promisify(execFile);

/**
 * Dumps the schema of a live database given by URL, read-only: the version probe runs in a READ ONLY
 * transaction that is rolled back, and pg_dump runs with default_transaction_read_only=on (pg_dump only reads
 * anyway). Nothing is ever written to that database. The password travels in PGPASSWORD, never in argv.
 */
export async function dumpLiveDatabase(url: string): Promise<{ text: string; postgresVersion: string; pgDumpVersion: string }> {
  const target = parseDatabaseUrl(url);
  const client = new pg.Client({ connectionString: url, application_name: 'pgdrift-diff', connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  let serverVersion: string;
  try {
    await client.connect();
    await client.query('BEGIN READ ONLY');
    serverVersion = String((await client.query(`SELECT current_setting('server_version') AS v`)).rows[0].v).split(' ')[0];
    await client.query('ROLLBACK');
  } catch (error: any) {
    throw new EngineError(`cannot connect to ${redactUrl(url)}: ${scrubSecrets(String(error?.message ?? error), url)}`);
  } finally {
    await client.end().catch(() => {});
  }
  const binary = await findPgDump(Number(serverVersion.split('.')[0]));
  const args = ['--schema-only', '--no-owner', '--no-password', '-h', target.host, '-p', String(target.port)];
  if (target.user) args.push('-U', target.user);
  if (target.database) args.push('-d', target.database);
  const sslmode = new URL(url).searchParams.get('sslmode');
  try {
    const { stdout } = await run(binary.path, args, {
      env: {
        ...process.env,
        PGPASSWORD: target.password ?? process.env.PGPASSWORD ?? '',
        PGOPTIONS: '-c default_transaction_read_only=on',
        ...(sslmode ? { PGSSLMODE: sslmode } : {}),
      },
      maxBuffer: 1024 * 1024 * 512,
    });
    return { text: await readableOlderDumpText(stripRestrictLines(stdout)), postgresVersion: serverVersion, pgDumpVersion: binary.version };
  } catch (error: any) {
    throw new EngineError(`pg_dump of ${redactUrl(url)} failed: ${scrubSecrets(String(error?.stderr || error?.message || error), url)}`);
  }
}
