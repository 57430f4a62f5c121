// Process measurement and the naive psql + pg_dump + diff pipelines.
//
// Every measured command runs under GNU `/usr/bin/time -f '%e %M'`, so both sides are measured by the same tool:
// wall seconds are taken with performance.now() around the child (finer than %e), and the peak RSS (KB) is
// time's %M. For a shell pipeline %M is the largest RSS of any process it waited for (wait4's rusage covers the
// reaped descendants), i.e. the biggest client process (psql / pg_dump / diff), never the server's backends.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TIME = '/usr/bin/time';

/** The child currently running (its process group is signalled on SIGINT / SIGTERM by run.mjs). */
export let currentChild;

/** Signals the whole process group of a child started by timed() (time, and the command under it). */
export function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Runs `command args` under /usr/bin/time; stdout goes to `stdoutFile` (or /dev/null).
 * With `timeoutSeconds`, the child's process group gets SIGTERM after that long, SIGKILL 5 s later (`timedOut`).
 * @returns {Promise<{ seconds: number, rssKb: number|null, code: number|null, signal: string|null, stderr: string, timedOut: boolean }>}
 */
export function timed(command, args, { stdoutFile, env, cwd, timeoutSeconds } = {}) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-bench-time-'));
  const timeFile = path.join(scratch, 'time');
  const errFile = path.join(scratch, 'stderr');
  const out = openSync(stdoutFile ?? '/dev/null', 'w');
  const err = openSync(errFile, 'w');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(TIME, ['-o', timeFile, '-f', '%e %M %U %S', command, ...args], {
      stdio: ['ignore', out, err],
      env: { ...process.env, ...env },
      cwd,
      // its own process group, so a timeout or Ctrl-C reaches the command under /usr/bin/time too
      detached: true,
    });
    currentChild = child;
    let timedOut = false;
    let timer;
    if (timeoutSeconds) {
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(child, 'SIGTERM');
        // a process blocked in synchronous work (e.g. WASM) never runs its SIGTERM handler
        setTimeout(() => killGroup(child, 'SIGKILL'), 5000).unref();
      }, timeoutSeconds * 1000);
    }
    child.on('error', (error) => {
      clearTimeout(timer);
      currentChild = undefined;
      closeSync(out);
      closeSync(err);
      rmSync(scratch, { recursive: true, force: true });
      reject(error);
    });
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      clearTimeout(timer);
      currentChild = undefined;
      closeSync(out);
      closeSync(err);
      let rssKb = null;
      let cpuSeconds = null;
      try {
        // time prints "Command exited with non-zero status N" before the format line when the command fails
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const [, rss, user, sys] = last.split(/\s+/);
        rssKb = Number.isFinite(Number(rss)) ? Number(rss) : null;
        // user + system CPU of the command and the children it waited for: less sensitive to machine load than wall time
        cpuSeconds = Number.isFinite(Number(user) + Number(sys)) ? Number(user) + Number(sys) : null;
      } catch {
        /* killed before time wrote anything */
      }
      const stderr = readFileSync(errFile, 'utf8');
      rmSync(scratch, { recursive: true, force: true });
      resolve({ seconds, rssKb, cpuSeconds, code, signal, stderr, timedOut });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values) {
  const clean = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (clean.length === 0) return null;
  return { median: median(clean), min: Math.min(...clean), max: Math.max(...clean), n: clean.length, values: clean };
}

// ---------------------------------------------------------------------------------------------------------------
// The naive pipeline: libpq environment from the admin URL, and throwaway databases that are always dropped.

/** PGHOST / PGPORT / PGUSER / PGPASSWORD for the client tools, from a postgres:// URL. */
export function libpqEnv(databaseUrl) {
  const url = new URL(databaseUrl);
  return {
    PGHOST: decodeURIComponent(url.hostname || '127.0.0.1'),
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
    PGDATABASE: decodeURIComponent(url.pathname.slice(1) || 'postgres'),
    // psql prints the NOTICEs of `IF EXISTS` / `IF NOT EXISTS`; a real naive script would not care, and the
    // round trip of thousands of notices to a terminal is not what we measure.
    PGOPTIONS: '-c client_min_messages=warning',
  };
}

/** Every database name the naive pipelines may have created, so they can be dropped whatever happens. */
const createdDatabases = new Set();
let counter = 0;

export function newDatabaseName(label) {
  const name = `pgdrift_bench_${process.pid}_${label}_${++counter}`;
  createdDatabases.add(name);
  return name;
}

/** Drops (IF EXISTS, FORCE) every database a naive run may have created. Synchronous: safe in finally/exit paths. */
export function dropAllNaiveDatabases(databaseUrl) {
  if (createdDatabases.size === 0) return [];
  const env = { ...process.env, ...libpqEnv(databaseUrl) };
  const failed = [];
  for (const name of createdDatabases) {
    const result = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', env.PGDATABASE, '-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (result.status !== 0) failed.push(`${name}: ${String(result.stderr).trim()}`);
    else createdDatabases.delete(name);
  }
  return failed;
}

// The scripts. `set -e`: the first failing step fails the run (psql -v ON_ERROR_STOP=1 exits 3 on an SQL error).
// The EXIT trap drops the databases if the script dies half way; on success they were dropped by the script itself
// (that drop is part of what is measured) and the trap is disarmed. run.mjs drops them again in its finally.
const STRIP_RESTRICT = `grep -Ev '^\\\\(un)?restrict '`;

const REPLAY_SCRIPT = `
set -e
db="$1"; out="$2"; shift 2
trap 'dropdb --if-exists "$db" >/dev/null 2>&1' EXIT
createdb "$db"
for f in "$@"; do psql -X -q -v ON_ERROR_STOP=1 -1 -f "$f" -d "$db" >/dev/null; done
pg_dump --schema-only -d "$db" -f "$out"
dropdb "$db"
trap - EXIT
`;

// The snapshot is loaded with a plain `psql -f` (autocommit per statement): with `-1`, a 1,000-table dump takes more
// locks in one transaction than the default max_locks_per_transaction allows ("out of shared memory").
const CHECK_SCRIPT = `
set -e
a="$1"; b="$2"; snapshot="$3"; work="$4"; shift 4
trap 'dropdb --if-exists "$a" >/dev/null 2>&1; dropdb --if-exists "$b" >/dev/null 2>&1' EXIT
createdb "$a"
for f in "$@"; do psql -X -q -v ON_ERROR_STOP=1 -1 -f "$f" -d "$a" >/dev/null; done
createdb "$b"
psql -X -q -v ON_ERROR_STOP=1 -f "$snapshot" -d "$b" >/dev/null
pg_dump --schema-only -d "$a" | ${STRIP_RESTRICT} > "$work/a.sql"
pg_dump --schema-only -d "$b" | ${STRIP_RESTRICT} > "$work/b.sql"
status=0; diff -u "$work/a.sql" "$work/b.sql" > "$work/diff.txt" || status=$?
[ "$status" -le 1 ]
dropdb "$a"
dropdb "$b"
trap - EXIT
echo "diff-exit=$status"
`;

/** createdb + `psql -1 -f` per file + pg_dump --schema-only + dropdb. */
export async function naiveReplay(databaseUrl, files, dumpFile) {
  const db = newDatabaseName('replay');
  return timed('bash', ['-c', REPLAY_SCRIPT, 'naive-replay', db, dumpFile, ...files], { env: libpqEnv(databaseUrl) });
}

/** createdb A, psql per file into A, createdb B, psql -f snapshot into B, pg_dump both, diff -u, dropdb both. */
export async function naiveCheck(databaseUrl, files, snapshotFile, workDir) {
  const a = newDatabaseName('checka');
  const b = newDatabaseName('checkb');
  const stdoutFile = path.join(workDir, 'naive-check.out');
  const result = await timed('bash', ['-c', CHECK_SCRIPT, 'naive-check', a, b, snapshotFile, workDir, ...files], {
    env: libpqEnv(databaseUrl),
    stdoutFile,
  });
  let diffExit = null;
  try {
    diffExit = Number(/diff-exit=(\d+)/.exec(readFileSync(stdoutFile, 'utf8'))?.[1]);
  } catch {
    /* failed before */
  }
  return { ...result, diffExit };
}

/** The first meaningful line of a failed child's stderr, for the "skipped:" / error notes. */
export function firstError(stderr) {
  const lines = String(stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Command exited with non-zero status/.test(l));
  return (lines.find((l) => /error|cannot|not found|failed/i.test(l)) ?? lines[0] ?? 'no output').slice(0, 200);
}
