import { randomBytes } from 'node:crypto';
import os from 'node:os';

/**
 * How pgdrift recognises what it created on a server. Every throwaway database and its role share one name,
 * `pgdrift_<pid>_<start time, base 36 seconds>_<random>`, and a comment naming the creator (host, pid, start);
 * roles that must keep a given name (a policy's `anon`, a migration's `app_user`) carry a comment naming the run.
 * The run's admin session has application_name `pgdrift <name>` for its whole life: when no such session is in
 * pg_stat_activity, its creator is gone (crashed, SIGKILLed, the machine lost) and what it made is stale.
 */
export const THROWAWAY_PREFIX = 'pgdrift_';
/** `pgdrift_<pid>_<time36>_<hex>` (this version) */
export const RUN_NAME = /^pgdrift_(\d+)_([0-9a-z]{5,8})_([0-9a-f]{6,12})$/;
/** `pgdrift_<pid>_<hex10>` (earlier versions: no start time, no registry) */
export const LEGACY_RUN_NAME = /^pgdrift_(\d+)_([0-9a-f]{10})$/;
/** application_name of a run's admin session: the registry entry that says the run is alive */
export const ADMIN_APPLICATION_PREFIX = 'pgdrift ';
/** comment on a role created for a run under a fixed name */
export const ROLE_MARKER = 'pgdrift throwaway role of ';

/** A fresh run name: recognisable, unique across concurrent runs and hosts, and carrying its start time. */
export function newRunName(now: Date = new Date()): string {
  return `${THROWAWAY_PREFIX}${process.pid}_${Math.floor(now.getTime() / 1000).toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** When a run started, from its name; undefined for a legacy name. */
export function runStartedAt(name: string): Date | undefined {
  const match = RUN_NAME.exec(name);
  return match ? new Date(parseInt(match[2], 36) * 1000) : undefined;
}

/** The comment on a run's database and role: who made it. */
export function creatorComment(name: string): string {
  return `pgdrift throwaway: host=${os.hostname()} pid=${process.pid} started=${(runStartedAt(name) ?? new Date()).toISOString()}`;
}

export function adminApplicationName(name: string): string {
  return `${ADMIN_APPLICATION_PREFIX}${name}`;
}

/** The run a marked role belongs to, from its comment. */
export function runOfRoleComment(comment: string | null | undefined): string | undefined {
  if (!comment?.startsWith(ROLE_MARKER)) return undefined;
  const run = comment.slice(ROLE_MARKER.length).split(/\s/, 1)[0];
  return RUN_NAME.test(run) ? run : undefined;
}
