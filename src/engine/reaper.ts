import type pg from 'pg';
import { quoteIdent } from './quote.js';
import { ADMIN_APPLICATION_PREFIX, LEGACY_RUN_NAME, ROLE_MARKER, RUN_NAME, runOfRoleComment, runStartedAt } from './throwaway.js';

/** A run older than this is stale even if something still holds its name (a hung CI job). */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
/** Advisory-lock class for "this run uses role X" (shared) and "dropping role X" (exclusive). */
export const ROLE_LOCK_CLASS = 0x70676466;

/** A throwaway object on the server and what pgdrift knows of its creator. */
export interface Leftover {
  kind: 'database' | 'role';
  name: string;
  /** the run that created it */
  run: string;
  /** the creator comment (host, pid, start), if any */
  creator?: string;
  /** live: its run's admin session is connected; stale: the run is gone or too old; unknown: an older pgdrift's name */
  state: 'live' | 'stale' | 'unknown';
  reason: string;
}

interface Row {
  kind: 'database' | 'role';
  name: string;
  comment: string | null;
  admin_of: string | null;
}

/** Every database and role pgdrift runs made on this server, live ones included. */
export async function listLeftovers(admin: pg.Client, options: { now?: Date; staleAfterMs?: number } = {}): Promise<Leftover[]> {
  const now = options.now ?? new Date();
  const staleAfter = options.staleAfterMs ?? STALE_AFTER_MS;
  const { rows } = await admin.query<Row>(
    `SELECT 'database' AS kind, d.datname AS name, pg_catalog.shobj_description(d.oid, 'pg_database') AS comment, NULL AS admin_of
       FROM pg_catalog.pg_database d WHERE d.datname LIKE 'pgdrift\\_%'
     UNION ALL
     SELECT 'role', r.rolname, pg_catalog.shobj_description(r.oid, 'pg_authid'), NULL
       FROM pg_catalog.pg_roles r
      WHERE r.rolname LIKE 'pgdrift\\_%' OR pg_catalog.shobj_description(r.oid, 'pg_authid') LIKE $1
     UNION ALL
     -- roles a replay role created itself (CREATEROLE on PostgreSQL 16+ gives the creator ADMIN on them)
     SELECT 'role', r.rolname, pg_catalog.shobj_description(r.oid, 'pg_authid'), creator.rolname
       FROM pg_catalog.pg_auth_members m
       JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
       JOIN pg_catalog.pg_roles creator ON creator.oid = m.member
      WHERE creator.rolname LIKE 'pgdrift\\_%' AND m.admin_option AND r.rolname NOT LIKE 'pgdrift\\_%'`,
    [`${ROLE_MARKER}%`],
  );
  const live = new Set(
    (await admin.query<{ name: string }>(`SELECT DISTINCT substr(application_name, $1) AS name FROM pg_catalog.pg_stat_activity WHERE starts_with(application_name, $2)`, [
      ADMIN_APPLICATION_PREFIX.length + 1,
      ADMIN_APPLICATION_PREFIX,
    ])).rows.map((r) => r.name),
  );
  const seen = new Set<string>();
  const leftovers: Leftover[] = [];
  for (const row of rows) {
    const key = `${row.kind}:${row.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const run = row.admin_of ?? (RUN_NAME.test(row.name) || LEGACY_RUN_NAME.test(row.name) ? row.name : runOfRoleComment(row.comment));
    if (!run) continue;
    const creator = row.comment ?? undefined;
    if (LEGACY_RUN_NAME.test(run)) {
      leftovers.push({ kind: row.kind, name: row.name, run, creator, state: 'unknown', reason: 'made by an earlier pgdrift version (no creator record)' });
      continue;
    }
    const started = runStartedAt(run);
    const age = started ? now.getTime() - started.getTime() : 0;
    if (!live.has(run)) leftovers.push({ kind: row.kind, name: row.name, run, creator, state: 'stale', reason: 'its pgdrift run is gone' });
    else if (age > staleAfter) leftovers.push({ kind: row.kind, name: row.name, run, creator, state: 'stale', reason: `its run started ${Math.round(age / 3_600_000)} h ago` });
    else leftovers.push({ kind: row.kind, name: row.name, run, creator, state: 'live', reason: 'its pgdrift run is in progress' });
  }
  return leftovers;
}

export interface DropOutcome {
  dropped: Leftover[];
  failed: Array<{ leftover: Leftover; reason: string }>;
}

/**
 * Drops the given leftovers: databases first (WITH FORCE ends a backend still looping), then the roles a run
 * made under fixed names (only when no other run holds them), then each run's own role.
 */
export async function dropLeftovers(admin: pg.Client, leftovers: Leftover[]): Promise<DropOutcome> {
  const outcome: DropOutcome = { dropped: [], failed: [] };
  const order = (l: Leftover) => (l.kind === 'database' ? 0 : l.name === l.run ? 2 : 1);
  for (const leftover of [...leftovers].sort((a, b) => order(a) - order(b))) {
    try {
      if (leftover.kind === 'database') {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(leftover.name)} WITH (FORCE)`);
      } else if (leftover.name === leftover.run) {
        await dropRole(admin, leftover.name);
      } else if (!(await dropSharedRole(admin, leftover.name))) {
        outcome.failed.push({ leftover, reason: 'another pgdrift run is using it' });
        continue;
      }
      outcome.dropped.push(leftover);
    } catch (error: any) {
      outcome.failed.push({ leftover, reason: String(error?.message ?? error) });
    }
  }
  return outcome;
}

/** DROP ROLE after removing what it owns or was granted in the admin database (the throwaway database is gone by then). */
export async function dropRole(admin: pg.Client, role: string): Promise<void> {
  await admin.query(`DROP OWNED BY ${quoteIdent(role)}`).catch(() => {});
  await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
}

/**
 * Drops a role made for a run under a fixed name, unless another run still uses it (holds the shared lock).
 * Returns false when it was left for that run, which drops it when it ends. `ours`: the caller knows the run
 * created it (by OID), so the marks are not needed.
 */
export async function dropSharedRole(admin: pg.Client, role: string, options: { ours?: boolean } = {}): Promise<boolean> {
  const { rows } = await admin.query<{ locked: boolean }>('SELECT pg_catalog.pg_try_advisory_lock($1, pg_catalog.hashtext($2)) AS locked', [ROLE_LOCK_CLASS, role]);
  if (!rows[0].locked) return false;
  try {
    // Only a role still carrying a pgdrift marker: never one that existed before a run.
    const marked = options.ours ? { rows: [] } : await admin.query(
      `SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = $1 AND (starts_with(coalesce(pg_catalog.shobj_description(r.oid, 'pg_authid'), ''), $2)
         OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles c ON c.oid = m.member WHERE m.roleid = r.oid AND m.admin_option AND c.rolname LIKE 'pgdrift\\_%'))`,
      [role, ROLE_MARKER],
    );
    if (options.ours || marked.rows.length > 0) await dropRole(admin, role);
    return true;
  } finally {
    await admin.query('SELECT pg_catalog.pg_advisory_unlock($1, pg_catalog.hashtext($2))', [ROLE_LOCK_CLASS, role]).catch(() => {});
  }
}

/** Each server run starts by removing what crashed or killed runs left (never anything of a live run). */
export async function reapStale(admin: pg.Client): Promise<DropOutcome> {
  const stale = (await listLeftovers(admin)).filter((l) => l.state === 'stale');
  if (stale.length === 0) return { dropped: [], failed: [] };
  return dropLeftovers(admin, stale);
}
