import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { EngineError } from '../errors.js';
import { registerCleanup } from './cleanup.js';
import { quoteIdent } from './quote.js';
import { findPgDump } from './pg-dump-binary.js';
import { stripRestrictLines } from './restrict.js';
import type { Engine, EngineInfo, EngineName } from './types.js';
import { parseDatabaseUrl, redactUrl, scrubSecrets } from './url.js';

const run = promisify(execFile);

/** How to run pg_dump for the throwaway database; the docker engine runs it inside the container. */
export type ServerDumper = (target: { database: string; role: string; password: string; host: string; port: number }) => Promise<string>;

export interface ServerEngineOptions {
  /** admin connection: only used to create and drop the throwaway database and role */
  databaseUrl: string;
  name?: EngineName;
  image?: string;
  dumper?: ServerDumper;
  /** extra teardown after the database and role are dropped (the docker engine stops its container) */
  onClose?: () => Promise<void>;
}

/** Names of throwaway objects: recognisable (pgdrift_<pid>_), unique across concurrent runs. */
export function throwawayName(): string {
  return `pgdrift_${process.pid}_${randomBytes(5).toString('hex')}`;
}


/**
 * A throwaway database on a Postgres server, owned by a temporary NOSUPERUSER role that applies the
 * migrations: migration code cannot use superuser powers (COPY ... TO PROGRAM, pg_read_file). The database
 * named in the URL is never touched; the database and role are dropped on close, on error and on Ctrl-C.
 */
export async function openServerEngine(options: ServerEngineOptions): Promise<Engine> {
  const target = parseDatabaseUrl(options.databaseUrl);
  const admin = new pg.Client({ connectionString: options.databaseUrl, application_name: 'pgdrift', connectionTimeoutMillis: 10_000 });
  admin.on('error', () => {});
  try {
    await admin.connect();
  } catch (error: any) {
    throw new EngineError(
      `cannot connect to ${redactUrl(options.databaseUrl)}: ${scrubSecrets(String(error?.message ?? error), options.databaseUrl)}`,
      'check the URL, that the server is running, and that the user may CREATE DATABASE and CREATE ROLE',
    );
  }
  const name = throwawayName();
  const password = randomBytes(18).toString('base64url');
  /** roles created by ensureRole(), dropped after the database */
  const extraRoles: string[] = [];
  let migrator: pg.Client | undefined;
  /** a migration statement is running on the migrator session */
  let migratorBusy = false;
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    // An idle migrator session is ended first (the drop then has no backend to terminate); a busy one (Ctrl-C
    // mid-statement) is left to WITH (FORCE), which terminates it.
    if (migrator && !migratorBusy) await Promise.race([migrator.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    try {
      // Unconditional: the admin session runs queries in order, so these also undo a CREATE still in flight when
      // close() came (Ctrl-C, or an early-started engine nobody used).
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(name)}`);
      for (const role of extraRoles) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`).catch(() => {});
    } finally {
      migrator?.end().catch(() => {});
      await admin.end().catch(() => {});
      await options.onClose?.();
    }
  };
  const unregister = registerCleanup(close);

  try {
    const serverVersion = String((await admin.query(`SELECT current_setting('server_version') AS v`)).rows[0].v).split(' ')[0];
    const serverMajor = Number(serverVersion.split('.')[0]);
    // Looking for pg_dump (spawning each candidate) overlaps with creating the role and database.
    const dumpBinaryFound = options.dumper ? Promise.resolve(undefined) : findPgDump(serverMajor);
    dumpBinaryFound.catch(() => {});
    // After each step: if close() came meanwhile, stop creating (its drops are queued behind this step).
    const stopIfClosed = () => {
      if (closed) throw new EngineError('the throwaway database was closed while it was being created');
    };
    stopIfClosed();
    await admin.query(`CREATE ROLE ${quoteIdent(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`);
    stopIfClosed();
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(name)}`);
    stopIfClosed();
    // The public schema of a new database belongs to pg_database_owner (PG15+) — the role owns it. Older servers:
    await admin.query(`GRANT ALL ON DATABASE ${quoteIdent(name)} TO ${quoteIdent(name)}`);

    const dumpBinary = await dumpBinaryFound;
    stopIfClosed();
    migrator = new pg.Client({ host: target.host, port: target.port, user: name, password, database: name, application_name: 'pgdrift-replay' });
    migrator.on('error', () => {});
    await migrator.connect();
    stopIfClosed();
    if (serverMajor < 15) {
      await withAdminOn(options.databaseUrl, name, `ALTER SCHEMA public OWNER TO ${quoteIdent(name)}`);
    }
    const info: EngineInfo = {
      name: options.name ?? 'server',
      postgresVersion: serverVersion,
      pgDumpVersion: dumpBinary?.version ?? serverVersion,
      ...(options.image ? { image: options.image } : {}),
    };
    const client = migrator;
    const dumper: ServerDumper =
      options.dumper ??
      (async (t) => {
        const { stdout } = await run(
          dumpBinary!.path,
          ['--schema-only', '--no-owner', '--no-password', '-h', t.host, '-p', String(t.port), '-U', t.role, '-d', t.database],
          { env: { ...process.env, PGPASSWORD: t.password, PGCONNECT_TIMEOUT: '10' }, maxBuffer: 1024 * 1024 * 512 },
        );
        return stdout;
      });
    return {
      info,
      async exec(sql) {
        migratorBusy = true;
        try {
          await client.query(sql);
        } finally {
          migratorBusy = false;
        }
      },
      async query<Row>(sql: string, params?: unknown[]) {
        return (await client.query(sql, params as any[])).rows as Row[];
      },
      async ensureRole(role) {
        const exists = await admin.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [role]);
        if (exists.rows.length > 0) return;
        await admin.query(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
        extraRoles.push(role);
      },
      async dump() {
        try {
          return stripRestrictLines(await dumper({ database: name, role: name, password, host: target.host, port: target.port }));
        } catch (error: any) {
          throw new EngineError(`pg_dump failed: ${scrubSecrets(String(error?.stderr || error?.message || error), options.databaseUrl).split(password).join('***')}`);
        }
      },
      close,
    };
  } catch (error: any) {
    await close().catch(() => {});
    if (error instanceof EngineError) throw error;
    throw new EngineError(
      `cannot create a throwaway database on ${redactUrl(options.databaseUrl)}: ${scrubSecrets(String(error?.message ?? error), options.databaseUrl)}`,
      'the URL user needs CREATEDB and CREATEROLE (or superuser) to create a temporary database and role',
    );
  }
}

async function withAdminOn(databaseUrl: string, database: string, sql: string): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
