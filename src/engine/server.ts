import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { EngineError } from '../errors.js';
import { redactSecrets } from '../util/redact.js';
import { isExiting, registerCleanup } from './cleanup.js';
import { formatDuration, ReplayLimitError } from './limits.js';
import { quoteIdent } from './quote.js';
import { findPgDump } from './pg-dump-binary.js';
import { dropRole, dropSharedRole, reapStale, ROLE_LOCK_CLASS } from './reaper.js';
import { stripRestrictLines } from './restrict.js';
import { adminApplicationName, creatorComment, newRunName, ROLE_MARKER } from './throwaway.js';
import type { Engine, EngineInfo, EngineName, ReplayLimits } from './types.js';
import { positionInStatement, type RoleStatement } from '../sql/role-statements.js';
import { readableOlderDumpText } from '../sql/older-dump-keywords.js';
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
  limits?: ReplayLimits;
  /** the replay role's search_path setting (EngineOptions.searchPath) */
  searchPath?: string[];
  /** the throwaway database's (and role's) name, from newRunName, when the caller chose it (EngineOptions.databaseName) */
  databaseName?: string;
}

/** Names of throwaway objects: recognisable, unique across concurrent runs, with creator and start time (throwaway.ts). */
export const throwawayName = newRunName;

/** After a cancel, how long a query may take to stop before its backend is terminated. */
const CANCEL_GRACE_MS = 5_000;
/** How long cleanup keeps trying fresh connections to a server that went away (a restart takes seconds). */
const RECONNECT_WINDOW_MS = 30_000;

/**
 * The server ended the session or cannot be reached any more (restart, crash, network): exit 3. The replay
 * adds the file:line it was applying.
 */
export class ServerGoneError extends EngineError {
  constructor(detail: string) {
    super(`the server went away (${detail})`, 'the throwaway database and role are dropped on a fresh connection when the server is back; else run `pgdrift cleanup`');
  }
}

/** Errors that mean the session is gone, not that the SQL was wrong. */
export function isConnectionLost(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (e?.code && /^(57P01|57P02|57P03|08000|08003|08006|08001|08004)$/.test(e.code)) return true;
  if (e?.code && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTCONN)$/.test(e.code)) return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error|not queryable/i.test(e?.message ?? '');
}

/**
 * A throwaway database on a Postgres server, owned by a temporary NOSUPERUSER role that applies the
 * migrations: migration code cannot use superuser powers (COPY ... TO PROGRAM, pg_read_file). The database
 * named in the URL is never touched; the database and role are dropped on close, on error and on Ctrl-C, and
 * what a killed run left is reaped by the next run (reaper.ts). Limits: statement_timeout and temp_file_limit
 * on the role (they hold inside Postgres even when pgdrift is killed), and a cancel-then-terminate of the
 * replay's own backend when a query outlives its deadline. Roles: the replay creates the roles its migrations
 * create (PostgreSQL 16+: CREATEROLE on the replay role; before 16: takeRoleStatement), the run drops exactly
 * those, and a role that existed before is never altered or dropped.
 */
export async function openServerEngine(options: ServerEngineOptions): Promise<Engine> {
  const target = parseDatabaseUrl(options.databaseUrl);
  const name = options.databaseName ?? throwawayName();
  const scrub = (text: string) => redactSecrets(scrubSecrets(text, options.databaseUrl));
  const connectAdmin = async () => {
    // The application name is the registry entry: while this session lives, the run is alive (reaper.ts).
    const client = new pg.Client({ connectionString: options.databaseUrl, application_name: adminApplicationName(name), connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  let admin: pg.Client;
  try {
    admin = await connectAdmin();
  } catch (error: any) {
    throw new EngineError(
      `cannot connect to ${redactUrl(options.databaseUrl)}: ${scrub(String(error?.message ?? error))}`,
      'check the URL, that the server is running, and that the user may CREATE DATABASE and CREATE ROLE',
    );
  }
  const password = randomBytes(18).toString('base64url');
  /** roles with fixed names this run made (ensureRole) or shares with another run: dropped when no run holds them */
  const sharedRoles: string[] = [];
  let migrator: pg.Client | undefined;
  let migratorPid: number | undefined;
  /** a migration statement is running on the migrator session */
  let migratorBusy = false;
  let serverMajor = 0;
  let closing: Promise<void> | undefined;
  /** this run holds the server-wide "creates roles" lock (reserveRoles) */
  let rolesReserved = false;
  /** the reaping of stale runs, started once this run's objects exist; close() lets it finish first */
  let reaping: Promise<void> | undefined;
  /** PostgreSQL < 16: OIDs of the roles this run's role statements created (a rename keeps the OID) */
  const runRoles = new Set<number>();
  /** PostgreSQL < 16: the admin's session on the throwaway database that runs role statements (opened on first use) */
  let roleSession: Promise<pg.Client> | undefined;

  /** The drops, on the admin session or, when that is gone, on fresh ones until the server answers again. */
  const dropEverything = async () => {
    const drop = async (client: pg.Client) => {
      // Unconditional: the admin session runs queries in order, so these also undo a CREATE still in flight.
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      for (const role of rolesCreatedBy(await createdRoles(client))) await dropSharedRole(client, role);
      // PostgreSQL < 16: the roles made for this run's statements, by OID (even if a migration took the marks off)
      for (const role of await roleNames(client, runRoles)) await dropSharedRole(client, role, { ours: true });
      for (const role of sharedRoles) {
        await client.query('SELECT pg_catalog.pg_advisory_unlock_shared($1, pg_catalog.hashtext($2))', [ROLE_LOCK_CLASS, role]).catch(() => {});
        await dropSharedRole(client, role);
      }
      await dropRole(client, name);
    };
    try {
      await drop(admin);
      return;
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
    }
    const deadline = Date.now() + RECONNECT_WINDOW_MS;
    let last: unknown;
    while (Date.now() < deadline) {
      let fresh: pg.Client | undefined;
      try {
        fresh = await connectAdmin();
        await drop(fresh);
        return;
      } catch (error) {
        last = error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        await fresh?.end().catch(() => {});
      }
    }
    throw last;
  };

  /** Roles the replay role created itself (PostgreSQL 16+: it holds ADMIN on each). */
  const createdRoles = async (client: pg.Client) =>
    (
      await client.query<{ rolname: string }>(
        `SELECT r.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
          WHERE m.member = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1) AND m.admin_option`,
        [name],
      )
    ).rows;
  const rolesCreatedBy = (rows: Array<{ rolname: string }>) => rows.map((r) => r.rolname);
  const roleNames = async (client: pg.Client, oids: Set<number>) =>
    oids.size === 0
      ? []
      : (await client.query<{ rolname: string }>('SELECT rolname FROM pg_catalog.pg_roles WHERE oid = ANY($1::oid[])', [[...oids]])).rows.map((r) => r.rolname);

  const close = () => {
    closing ??= (async () => {
      try {
        // An idle migrator session is ended first (the drop then has no backend to terminate); a busy one
        // (Ctrl-C mid-statement) is left to WITH (FORCE), which terminates it.
        if (migrator && !migratorBusy) await Promise.race([migrator.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
        if (roleSession) await Promise.race([roleSession.then((client) => client.end()).catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
        try {
          await reaping;
          await dropEverything();
        } catch (error: any) {
          // Never silently: say what is left and how to remove it.
          process.stderr.write(`pgdrift: could not drop the throwaway database and role ${name}: ${scrub(String(error?.message ?? error))}; run \`pgdrift cleanup\` to remove them\n`);
        }
      } finally {
        migrator?.end().catch(() => {});
        await admin.end().catch(() => {});
        await options.onClose?.();
        unregister();
      }
    })();
    return closing;
  };
  // Registered before anything is created, unregistered only when the drops are done: a signal meanwhile waits.
  const unregister = registerCleanup(close);

  const limits = options.limits;
  try {
    const serverVersion = String((await admin.query(`SELECT current_setting('server_version') AS v`)).rows[0].v).split(' ')[0];
    serverMajor = Number(serverVersion.split('.')[0]);
    // Looking for pg_dump (spawning each candidate) overlaps with creating the role and database.
    const dumpBinaryFound = options.dumper ? Promise.resolve(undefined) : findPgDump(serverMajor);
    dumpBinaryFound.catch(() => {});
    // After each step: if close() came meanwhile, stop creating (its drops are queued behind this step).
    const stopIfClosed = () => {
      if (closing) throw new EngineError('the throwaway database was closed while it was being created');
    };
    stopIfClosed();
    // CREATEROLE only from PostgreSQL 16, where it covers just the roles this role creates; before 16 it could
    // alter every non-superuser role and grant pg_execute_server_program, so there the engine runs the migrations'
    // role statements itself, checked (takeRoleStatement).
    const createRoleAttribute = serverMajor >= 16 ? 'CREATEROLE' : 'NOCREATEROLE';
    await admin.query(`CREATE ROLE ${quoteIdent(name)} LOGIN NOSUPERUSER NOCREATEDB ${createRoleAttribute} NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`);
    await admin.query(`COMMENT ON ROLE ${quoteIdent(name)} IS ${pg.escapeLiteral(creatorComment(name))}`);
    // and it may act as the roles it creates (ALTER ... OWNER TO app_user), as a migration runner's user could
    if (serverMajor >= 16) await admin.query(`ALTER ROLE ${quoteIdent(name)} SET createrole_self_grant = 'set, inherit'`);
    // Held inside Postgres, so they bound a backend even when pgdrift itself is killed.
    // A little over the replay limit, so pgdrift's own timer normally stops a query first (with the clearer message).
    if (limits && limits.timeoutMs > 0) await admin.query(`ALTER ROLE ${quoteIdent(name)} SET statement_timeout = ${Math.round(limits.timeoutMs + Math.max(1000, limits.timeoutMs / 10))}`);
    if (limits && limits.tempFileLimitKb > 0) {
      // temp_file_limit is superuser-only: an admin without superuser cannot set it (documented limit).
      await admin.query(`ALTER ROLE ${quoteIdent(name)} SET temp_file_limit = ${Math.round(limits.tempFileLimitKb)}`).catch(() => {});
    }
    // The platform's setting for the role that runs migrations (EngineOptions.searchPath), before its session starts.
    if (options.searchPath) await admin.query(`ALTER ROLE ${quoteIdent(name)} SET search_path TO ${options.searchPath.map(quoteIdent).join(', ')}`);
    stopIfClosed();
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(name)}`);
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${pg.escapeLiteral(creatorComment(name))}`);
    stopIfClosed();
    // The public schema of a new database belongs to pg_database_owner (PG15+) — the role owns it. Older servers:
    await admin.query(`GRANT ALL ON DATABASE ${quoteIdent(name)} TO ${quoteIdent(name)}`);
    // What crashed or killed runs left behind goes now (never a live run's); a failure here only costs tidiness.
    reaping = reapStale(admin).then(
      () => {},
      () => {},
    );

    const dumpBinary = await dumpBinaryFound;
    stopIfClosed();
    const connectMigrator = async () => {
      const client = new pg.Client({ host: target.host, port: target.port, user: name, password, database: name, application_name: 'pgdrift-replay' });
      client.on('error', () => {});
      await client.connect();
      migratorPid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      return client;
    };
    migrator = await connectMigrator();
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

    /** Runs on the migrator session with a deadline: cancel first, then terminate the backend and reconnect. */
    const onMigrator = async <T>(work: (client: pg.Client) => Promise<T>, timeoutMs: number | undefined): Promise<T> => {
      if (!migrator) throw new ServerGoneError('no replay session');
      const client = migrator;
      const pid = migratorPid;
      let stopped: ReplayLimitError | undefined;
      let terminated = false;
      const timers: NodeJS.Timeout[] = [];
      if (timeoutMs && timeoutMs > 0) {
        timers.push(
          setTimeout(() => {
            stopped = new ReplayLimitError(`canceling statement: the replay ran longer than its time limit (replay.timeout, ${formatDuration(limits?.timeoutMs || timeoutMs)})`, 'timeout');
            admin.query('SELECT pg_catalog.pg_cancel_backend($1)', [pid]).catch(() => {});
            timers.push(
              setTimeout(() => {
                terminated = true;
                admin.query('SELECT pg_catalog.pg_terminate_backend($1)', [pid]).catch(() => {});
              }, CANCEL_GRACE_MS),
            );
          }, timeoutMs),
        );
      }
      migratorBusy = true;
      try {
        return await work(client);
      } catch (error: any) {
        if (stopped) {
          if (terminated || isConnectionLost(error)) migrator = await connectMigrator();
          throw stopped;
        }
        if (isConnectionLost(error)) throw new ServerGoneError(scrub(String(error?.message ?? error)));
        if (error?.code === '42501' && /permission denied to create role/i.test(String(error?.message)) && serverMajor < 16) {
          error.hint = ROLE_IN_CODE_HINT;
        } else if (error?.code === '42501' && !error.hint && /permission denied to set parameter/i.test(String(error?.message))) {
          // a runner connected as a superuser sets it (session_replication_role = replica around a data fix-up)
          error.hint = SUPERUSER_SETTING_HINT;
        } else if (error?.code === '42501' && !error.hint && /must be owner of extension plpgsql/i.test(String(error?.message))) {
          error.hint = PLPGSQL_COMMENT_HINT;
        } else if (error?.code === '42501' && !error.hint && ROLE_PERMISSION_MESSAGE.test(String(error?.message))) {
          error.hint = 'a replay may alter, drop or grant only the roles it created itself, never a role that existed on the server before';
        }
        throw error;
      } finally {
        migratorBusy = false;
        for (const timer of timers) clearTimeout(timer);
      }
    };
    const defaultTimeout = limits?.timeoutMs;

    /** The admin's session on the throwaway database: DROP ROLE then names what depends on a role as the replay would. */
    const openRoleSession = async () => {
      const url = new URL(options.databaseUrl);
      url.pathname = `/${name}`;
      const client = new pg.Client({ connectionString: url.toString(), application_name: 'pgdrift-roles', connectionTimeoutMillis: 10_000 });
      client.on('error', () => {});
      await client.connect();
      // The database belongs to the replay role, which may have given it settings (ALTER DATABASE ... SET): this
      // session sets what matters itself. Quotes must mean what they meant to the parser that read the statement
      // (no backslash escapes in '...'), and names resolve in pg_catalog only (no function of the replay's runs).
      await client.query(`SET ROLE NONE; SET search_path = pg_catalog, pg_temp; SET standard_conforming_strings = on; SET client_encoding = 'UTF8'`);
      return client;
    };
    const roleOid = async (client: pg.Client, role: string) =>
      (await client.query<{ oid: number }>('SELECT oid::int8 AS oid FROM pg_catalog.pg_roles WHERE rolname = $1', [role])).rows.map((r) => Number(r.oid))[0];
    /** One role statement in a transaction of its own on the role session; a lock it cannot get soon is an error, not a hang. */
    const inRoleTransaction = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
      let client: pg.Client;
      try {
        client = await (roleSession ??= openRoleSession());
      } catch (error: any) {
        roleSession = undefined;
        throw new ServerGoneError(`cannot open the session that creates roles: ${scrub(String(error?.message ?? error))}`);
      }
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL lock_timeout = '10s'`);
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error: any) {
        await client.query('ROLLBACK').catch(() => {});
        if (isConnectionLost(error)) {
          roleSession = undefined;
          throw new ServerGoneError(scrub(String(error?.message ?? error)));
        }
        if (error?.code === '55P03') error.hint ??= 'the file holds a lock on this role in a transaction of its own (BEGIN ... COMMIT) that is still open: on PostgreSQL < 16 the role statements of a replay run on another session';
        throw error;
      }
    };
    /** The statement as written, as one statement (the extended protocol refuses a second one). */
    const runAsWritten = (client: pg.Client, statement: RoleStatement) => client.query({ text: statement.text, queryMode: 'extended' } as pg.QueryConfig);
    /** Checked inside the transaction, whatever the statement said: the role has no attribute and no membership the replay lacks. */
    const checkPowerless = async (client: pg.Client, oid: number, statement: RoleStatement) => {
      const { rows } = await client.query<{ privileged: boolean; foreign_role: string | null }>(
        `SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls AS privileged,
                (SELECT g.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                  WHERE m.member = r.oid AND NOT (m.roleid::int8 = ANY($2::int8[])) LIMIT 1) AS foreign_role
           FROM pg_catalog.pg_roles r WHERE r.oid = $1`,
        [oid, [...runRoles]],
      );
      const row = rows[0];
      if (row?.privileged) throw roleRefusal(`permission denied to ${roleVerb(statement)}`, { detail: 'The role would have an attribute the replay role lacks.' });
      if (row?.foreign_role) throw roleRefusal(`permission denied to ${roleVerb(statement)}`, { detail: `The role would be a member of "${row.foreign_role}", which this run did not create.` });
    };
    const checkWritable = async (client: pg.Client, statement: RoleStatement) => {
      if (statement.privileged) {
        const { attribute, byteLocation } = statement.privileged;
        throw roleRefusal(`permission denied to ${roleVerb(statement)}`, { position: positionInStatement(statement, byteLocation), detail: attributeDetail(attribute, statement.action) });
      }
      if (statement.specialRole) {
        const { written, byteLocation } = statement.specialRole;
        throw roleRefusal(`${written} cannot name a role in this statement on PostgreSQL < 16`, {
          position: positionInStatement(statement, byteLocation),
          hint: 'write the role by name: before PostgreSQL 16 pgdrift runs role statements for the replay on a session of its own, where it would mean another role',
        });
      }
      for (const member of statement.memberOf) {
        const oid = await roleOid(client, member.role);
        if (oid === undefined || !runRoles.has(oid)) {
          throw roleRefusal(`permission denied to grant role "${member.role}"`, {
            position: positionInStatement(statement, member.byteLocation),
            detail: `Only roles with the ADMIN option on role "${member.role}" may grant this role; the replay holds it on the roles this run created.`,
          });
        }
      }
    };
    const createRole = (statement: RoleStatement) =>
      inRoleTransaction(async (client) => {
        await checkWritable(client, statement);
        await runAsWritten(client, statement);
        const role = statement.roles[0];
        const oid = await roleOid(client, role);
        if (oid === undefined) throw roleRefusal(`permission denied to create role`, { detail: `The role "${role}" was not found after CREATE ROLE.` });
        // Marked as this run's and administered by the replay role (ALTER ... OWNER TO, GRANT role TO role), as
        // PostgreSQL 16 gives the creator; pgdrift cleanup and the reaper find it by either mark.
        await client.query(`COMMENT ON ROLE ${quoteIdent(role)} IS ${pg.escapeLiteral(`${ROLE_MARKER}${name}`)}`);
        await client.query(`GRANT ${quoteIdent(role)} TO ${quoteIdent(name)} WITH ADMIN OPTION`);
        await checkPowerless(client, oid, statement);
        return oid;
      }).then((oid) => {
        runRoles.add(oid);
      });
    const alterRole = (statement: RoleStatement) =>
      inRoleTransaction(async (client) => {
        await checkWritable(client, statement);
        const oid = await roleOid(client, statement.roles[0]);
        if (statement.action === 'settings') {
          // As the role itself: a setting only a superuser may give stays refused (PostgreSQL 16 checks the same).
          await client.query(`SET LOCAL ROLE ${quoteIdent(statement.roles[0])}`);
          await runAsWritten(client, statement);
          await client.query('RESET ROLE');
          return;
        }
        await runAsWritten(client, statement);
        if (oid !== undefined && statement.action === 'alter') await checkPowerless(client, oid, statement);
      });
    const dropRoles = (statement: RoleStatement) =>
      inRoleTransaction(async (client) => {
        const names: string[] = [];
        const oids: number[] = [];
        for (const role of statement.roles) {
          const oid = await roleOid(client, role);
          if (oid === undefined) {
            if (statement.missingOk) continue;
            throw Object.assign(new Error(`role "${role}" does not exist`), { code: '42704' });
          }
          if (!runRoles.has(oid)) throw roleRefusal('permission denied to drop role', { detail: `The role "${role}" existed before this run.` });
          names.push(role);
          oids.push(oid);
        }
        // Built from the names, not the text: a name that was missing a moment ago is never dropped.
        if (names.length > 0) await client.query(`DROP ROLE ${names.map(quoteIdent).join(', ')}`);
        return oids;
      }).then((oids) => {
        for (const oid of oids) runRoles.delete(oid);
      });
    /** PostgreSQL < 16 (see Engine.takeRoleStatement): which role statements the admin runs for the replay. */
    const takeRoleStatement = async (statement: RoleStatement): Promise<(() => Promise<void>) | undefined> => {
      if (statement.action === 'create') return () => createRole(statement);
      if (statement.roles.length === 0) return undefined;
      let oids: Array<number | undefined>;
      try {
        oids = await Promise.all(statement.roles.map((role) => roleOid(admin, role)));
      } catch (error: any) {
        if (isConnectionLost(error)) throw new ServerGoneError(scrub(String(error?.message ?? error)));
        throw error;
      }
      if (statement.action === 'drop') {
        // every role named is this run's or missing (DROP ROLE IF EXISTS x; CREATE ROLE x)
        return oids.every((oid) => oid === undefined || runRoles.has(oid)) ? () => dropRoles(statement) : undefined;
      }
      if (oids[0] === undefined) return undefined;
      if (runRoles.has(oids[0])) return () => alterRole(statement);
      // A setting of a platform role pgdrift made (ensureRole: marked, NOLOGIN, no privileges, dropped after) runs
      // as that role, as on the platform, where the CLI's postgres user sets it: a Supabase roles.sql from
      // `supabase db dump --role-only` holds ALTER ROLE "anon" SET "statement_timeout" TO '3s' (field:
      // sizzle-squad/base-hunt). Only SET/RESET: a NOLOGIN role's settings reach no session, SET ROLE ignores them.
      if (statement.action === 'settings' && (await madePlatformRole(oids[0]))) return () => alterRole(statement);
      return undefined;
    };
    const madePlatformRole = async (oid: number) => {
      try {
        const found = await admin.query(
          `SELECT 1 FROM pg_catalog.pg_roles WHERE oid = $1 AND rolname = ANY($3::text[]) AND NOT rolcanlogin AND NOT rolsuper AND pg_catalog.shobj_description(oid, 'pg_authid') LIKE $2`,
          [oid, `${ROLE_MARKER}%`, sharedRoles],
        );
        return found.rows.length > 0;
      } catch (error: any) {
        if (isConnectionLost(error)) throw new ServerGoneError(scrub(String(error?.message ?? error)));
        throw error;
      }
    };

    return {
      info,
      async exec(sql, execOptions) {
        await onMigrator((client) => client.query(sql), execOptions?.timeoutMs ?? defaultTimeout);
      },
      async query<Row>(sql: string, params?: unknown[]) {
        return (await onMigrator((client) => client.query(sql, params as any[]), undefined)).rows as Row[];
      },
      async ensureRole(role) {
        // A role with a fixed name (a policy's `anon`) is cluster-wide and may be another run's too: hold it
        // (shared lock) before looking, create it marked as this run's when missing, never touch one that existed.
        await admin.query('SELECT pg_catalog.pg_advisory_lock_shared($1, pg_catalog.hashtext($2))', [ROLE_LOCK_CLASS, role]);
        sharedRoles.push(role);
        const exists = await admin.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [role]);
        if (exists.rows.length === 0) {
          try {
            await admin.query('BEGIN');
            await admin.query(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
            await admin.query(`COMMENT ON ROLE ${quoteIdent(role)} IS ${pg.escapeLiteral(`${ROLE_MARKER}${name}`)}`);
            await admin.query('COMMIT');
          } catch (error: any) {
            await admin.query('ROLLBACK').catch(() => {});
            if (error?.code !== '42710' && error?.code !== '23505') throw error; // another run created it meanwhile: shared
          }
        }
        // A platform role pgdrift made (this run or a parallel one: NOLOGIN, no privileges) is granted to the replay
        // role, so migrations may act as it as they do on the platform (ALTER TABLE ... OWNER TO anon). A role that
        // was there before pgdrift is never granted: it may hold the team's privileges.
        const made = await admin.query(`SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1 AND pg_catalog.shobj_description(oid, 'pg_authid') LIKE $2`, [role, `${ROLE_MARKER}%`]);
        if (made.rows.length > 0) await admin.query(`GRANT ${quoteIdent(role)} TO ${quoteIdent(name)}`);
      },
      async reserveRoles() {
        // One run at a time may create roles on this server (per admin database): held until this run's
        // session ends, after its roles are dropped. A run that creates roles waits for another such run.
        if (rolesReserved) return;
        rolesReserved = true;
        await admin.query('SELECT pg_catalog.pg_advisory_lock($1, 0)', [ROLE_LOCK_CLASS]);
      },
      async replaysAs(role) {
        // a role pgdrift made: marked (ensureRole, or a PostgreSQL < 16 role statement), or created by the replay role
        // itself (PostgreSQL 16+: it holds ADMIN on it)
        try {
          const made = await admin.query(
            `SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = $1
                AND (pg_catalog.shobj_description(r.oid, 'pg_authid') LIKE $2 OR r.oid::int8 = ANY($3::int8[])
                     OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m WHERE m.roleid = r.oid AND m.admin_option
                                  AND m.member = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $4)))`,
            [role, `${ROLE_MARKER}%`, [...runRoles], name],
          );
          return made.rows.length === 0;
        } catch (error: any) {
          if (isConnectionLost(error)) throw new ServerGoneError(scrub(String(error?.message ?? error)));
          throw error;
        }
      },
      ...(serverMajor < 16 ? { takeRoleStatement } : {}),
      async dump() {
        try {
          // a Postgres 15 server's pg_dump writes words bare that later majors made keywords (older-dump-keywords.ts)
          return await readableOlderDumpText(asEmbeddedRole(stripRestrictLines(await dumper({ database: name, role: name, password, host: target.host, port: target.port })), name));
        } catch (error: any) {
          if (isExiting()) throw new EngineError('interrupted'); // Ctrl-C dropped the database under pg_dump: not a pg_dump fault
          throw new EngineError(`pg_dump failed: ${scrub(String(error?.stderr || error?.message || error)).split(password).join('***')}`);
        }
      },
      close,
    };
  } catch (error: any) {
    await close().catch(() => {});
    if (error instanceof EngineError) throw error;
    if (isConnectionLost(error)) throw new ServerGoneError(`while creating the throwaway database: ${scrub(String(error?.message ?? error))}`);
    throw new EngineError(
      `cannot create a throwaway database on ${redactUrl(options.databaseUrl)}: ${scrub(String(error?.message ?? error))}`,
      'the URL user needs CREATEDB and CREATEROLE (or superuser) to create a temporary database and role',
    );
  }
}

/**
 * The migrations run as the throwaway role, whose name is new on every run: where pg_dump names the current role
 * (`ALTER DEFAULT PRIVILEGES FOR ROLE <it>` for a migration's ALTER DEFAULT PRIVILEGES without FOR ROLE, its own
 * grants), each run's dump differed from the last and from the embedded engine's, which runs as `postgres`: false
 * drift under --include privileges. The name (`pgdrift_<pid>_<start>_<random>`) cannot occur in a schema by
 * accident, so it is replaced as it stands by the role the embedded engine and a hosted platform run migrations as.
 */
function asEmbeddedRole(dump: string, replayRole: string): string {
  return dump.includes(replayRole) ? dump.split(replayRole).join('postgres') : dump;
}

/** Why a role made in PL/pgSQL (a DO block, a function) fails before PostgreSQL 16, and what to do. */
const ROLE_IN_CODE_HINT =
  'on PostgreSQL < 16 the server engine creates the roles of top-level CREATE ROLE statements for the replay (checked like a PostgreSQL 16 CREATEROLE role); a role created inside a DO block or function cannot be: write it as a top-level statement, or use a PostgreSQL 16+ server or the embedded engine';

/** pg_dump up to 10 wrote this line in every dump (field: danbooru, openstreetmap-website, 3scale/zync db/structure.sql). */
const PLPGSQL_COMMENT_HINT =
  "pg_dump up to 10 writes COMMENT ON EXTENSION plpgsql, which only plpgsql's owner, the bootstrap superuser, may run (pg_dump 11 no longer writes it); the server engine replays as a NOSUPERUSER role: replay on the embedded engine (--engine pglite, a superuser) or leave that line out of the baseline";

const SUPERUSER_SETTING_HINT =
  'the server engine replays as a NOSUPERUSER role, so a superuser-only setting is refused where a runner connected as a superuser sets it; the embedded engine (--engine pglite) replays as a superuser';

/** Postgres's refusals of ALTER/DROP/RENAME/COMMENT ON/GRANT of a role (PostgreSQL 15 says a bare "permission denied"). */
const ROLE_PERMISSION_MESSAGE = /^permission denied$|permission denied to (alter|drop|rename|grant) role|must have CREATEROLE privilege|must have admin option on role|must be superuser to alter/i;

/** PostgreSQL 16's wording for an attribute a CREATEROLE role may not give. */
function attributeDetail(attribute: string, action: RoleStatement['action']): string {
  return action === 'create'
    ? `Only roles with the ${attribute} attribute may create roles with the ${attribute} attribute.`
    : `Only roles with the ${attribute} attribute may change the ${attribute} attribute.`;
}

/** A role statement the server engine will not run for the replay: with Postgres's fields, so the replay names the place. */
function roleRefusal(message: string, fields: { position?: number; detail?: string; hint?: string } = {}): Error {
  return Object.assign(new Error(message), {
    code: '42501',
    ...(fields.position !== undefined ? { position: String(fields.position) } : {}),
    ...(fields.detail ? { detail: fields.detail } : {}),
    hint: fields.hint ?? ROLE_LIMITS_HINT,
  });
}

const ROLE_LIMITS_HINT =
  'a replay runs as a role that is not superuser; on PostgreSQL < 16 pgdrift creates the roles of its migrations as a PostgreSQL 16 CREATEROLE role could: never with SUPERUSER, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS, and members only of roles the run created. A role that needs more belongs to the server setup (or replay on the embedded engine, which runs as superuser)';

/** `create role` / `alter role` / `drop role`, as Postgres words its refusals. */
function roleVerb(statement: RoleStatement): string {
  return statement.action === 'create' ? 'create role' : statement.action === 'drop' ? 'drop role' : 'alter role';
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
