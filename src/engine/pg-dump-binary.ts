import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { EngineError } from '../errors.js';

const run = promisify(execFile);

export interface PgDumpBinary {
  path: string;
  version: string;
  major: number;
}

/**
 * Finds a local pg_dump able to dump a server of `serverMajor`: PGDRIFT_PG_DUMP, then the newest
 * /usr/lib/postgresql/<N>/bin/pg_dump (Debian keeps several), then pg_dump on the PATH.
 * pg_dump refuses to dump a newer server, so an older one is a clear error up front.
 */
export async function findPgDump(serverMajor: number): Promise<PgDumpBinary> {
  const candidates: string[] = [];
  if (process.env.PGDRIFT_PG_DUMP) candidates.push(process.env.PGDRIFT_PG_DUMP);
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    for (const version of readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a))) {
      const binary = path.join(debianRoot, version, 'bin', 'pg_dump');
      if (existsSync(binary)) candidates.push(binary);
    }
  }
  candidates.push('pg_dump');
  const found: PgDumpBinary[] = [];
  for (const candidate of candidates) {
    try {
      const { stdout } = await run(candidate, ['--version']);
      const match = /(\d+)(?:\.(\d+))?/.exec(stdout.replace(/^[^\d]*/, ''));
      if (!match) continue;
      const binary = { path: candidate, version: match[2] ? `${match[1]}.${match[2]}` : match[1], major: Number(match[1]) };
      if (binary.major >= serverMajor) return binary;
      found.push(binary);
    } catch {
      /* not installed there */
    }
  }
  if (found.length === 0) {
    throw new EngineError('pg_dump was not found', 'install the PostgreSQL client (e.g. apt-get install postgresql-client) or set PGDRIFT_PG_DUMP');
  }
  throw new EngineError(
    `the local pg_dump ${found[0].version} is older than the server (${serverMajor}); pg_dump cannot dump a newer server`,
    `install postgresql-client-${serverMajor}, set PGDRIFT_PG_DUMP, or use --engine docker --pg ${serverMajor} (pg_dump runs inside the container)`,
  );
}
