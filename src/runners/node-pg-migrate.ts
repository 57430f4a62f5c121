import { readdirSync } from 'node:fs';
import { dependsOnPackage, lineCount, type DiscoveredMigration, type FilePlan, type IgnoredFile, type Runner } from './types.js';

/**
 * node-pg-migrate (`node-pg-migrate up`), salsita/node-pg-migrate v7.9.1 (the current stable line; 10.0 alpha reads
 * the same files).
 * - Discovery and order (src/migration.ts `getMigrationFilePaths`): every file directly in the folder except names
 *   starting with `.` (the default ignorePattern); sorted by the number the name starts with (`getNumericPrefix`: a
 *   17-digit prefix is a UTC timestamp yyyymmddhhmmssSSS, any other is the number), then by `localeCompare` with
 *   numeric collation and punctuation ignored. A name that does not start with a digit stops the whole run
 *   ("Cannot determine numeric prefix"): refused. The migration's name is the file name without its extension.
 * - SQL files (src/sqlMigration.ts `getActions`): the up part starts at the first line matching
 *   `^\s*--[\s-]*up\s+migration` (any case) and ends where the down marker `-- Down Migration` starts when that comes
 *   after it; without an up marker the whole file is the up part. It runs as one query.
 * - JavaScript/TypeScript migrations (`.js`, `.cjs`, `.mjs`, `.ts`): the SQL their up() builds exists only at run
 *   time: not replayed, named, and check says "replay incomplete". Any other file is loaded as a module and fails.
 * - Transactions (bin/node-pg-migrate `--single-transaction`, default true; src/runner.ts): the CLI applies all
 *   pending migrations inside ONE transaction (`oneTransaction`). (`--no-single-transaction` runs each in its own;
 *   command-line flags are not visible to pgdrift.)
 * - Bookkeeping `pgmigrations` (src/runner.ts `ensureMigrationsTable`): `"public"."pgmigrations"` (id serial, name,
 *   run_on), created before the first migration (`--migrations-table` / `--schema` flags not followed).
 */
const UP = /^\s*--[\s-]*up\s+migration/im;
const DOWN = /^\s*--[\s-]*down\s+migration/im;
const SCRIPT = /\.(js|cjs|mjs|ts|cts|mts)$/i;

export const nodePgMigrate: Runner = {
  name: 'node-pg-migrate',
  docs: 'https://salsita.github.io/node-pg-migrate/',
  folders: ['migrations'],
  discover(folder) {
    const problems: string[] = [];
    const ignored: IgnoredFile[] = [];
    const files: { name: string; prefix: string; order: number }[] = [];
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const name = entry.name;
      if (name.startsWith('.') || !(entry.isFile() || entry.isSymbolicLink())) continue;
      const prefix = /^\d+/.exec(name)?.[0];
      if (prefix === undefined) {
        problems.push(`${name}: Cannot determine numeric prefix for "${name}" (node-pg-migrate loads every file of the folder and stops there; move other files out)`);
        continue;
      }
      files.push({ name, prefix, order: numericPrefix(prefix) });
    }
    files.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name, undefined, { usage: 'sort', numeric: true, sensitivity: 'variant', ignorePunctuation: true }));
    const migrations: DiscoveredMigration[] = [];
    for (const { name, prefix } of files) {
      if (name.toLowerCase().endsWith('.sql')) migrations.push({ name, version: prefix });
      else if (SCRIPT.test(name)) {
        ignored.push({ name, reason: 'a JavaScript/TypeScript migration: node-pg-migrate runs the SQL its up() builds at run time, which pgdrift cannot replay; the replayed schema lacks its effect', appliedByRunner: true });
      } else problems.push(`${name}: node-pg-migrate loads every file of the folder as a migration, and this one is neither SQL nor a script module (it fails to load)`);
    }
    return { migrations, ignored, problems };
  },
  evidence(listing) {
    const sql = listing.files.filter((name) => !name.includes('/') && /^\d+.*\.sql$/i.test(name));
    // an Up marker: a file with only a Down one runs nothing up, and the words fit a prose comment of another runner's
    // down file (golang-migrate: `-- Down migration is a no-op ...`, field report openmeterio/openmeter)
    const marked = sql.filter((name) => UP.test(listing.read(name)));
    if (marked.length > 0) return { files: marked, what: '-- Up Migration / -- Down Migration markers', overrides: ['postgres-migrations'] };
    const candidates = listing.files.filter((name) => !name.includes('/') && /^\d+/.test(name) && (name.toLowerCase().endsWith('.sql') || SCRIPT.test(name)));
    return candidates.length > 0 && dependsOnPackage(listing, 'node-pg-migrate') ? { files: candidates, what: 'numbered migrations in a project that depends on node-pg-migrate (package.json or deno.json)', overrides: ['postgres-migrations'] } : undefined;
  },
  plan: planNodePgMigrate,
  oneTransaction: true,
  compareVersions: (a, b) => numericPrefix(a) - numericPrefix(b),
  bookkeeping: ['public.pgmigrations'],
  bookkeepingSetup: {
    table: 'public.pgmigrations',
    sql: 'CREATE TABLE "public"."pgmigrations" (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)',
  },
  lint: {
    fileNamePattern: /^\d+[^/]*\.sql$/,
    example: '1700000000000_add-orders.sql',
    sequentialVersions: false,
    transactions: 'node-pg-migrate applies all pending migrations in one transaction (--single-transaction, on by default)',
    outsideTransaction: 'node-pg-migrate cannot run it from a SQL file: use a JavaScript migration with pgm.noTransaction(), or run it outside the migrations',
  },
};

/** The up part, as getActions cuts it (a part covers the lines after startLine up to endLine). */
export function planNodePgMigrate(text: string): FilePlan {
  const up = text.search(UP);
  const down = text.search(DOWN);
  const lineOf = (index: number) => lineCount(text.slice(0, index)); // 1-based line of a character index
  const lines = lineCount(text);
  if (up < 0) return { parts: [{ startLine: 0, endLine: lines, transaction: 'wrapped' }] };
  // the match starts at a line start (`^` in multiline mode, then `\s*` over blank lines)
  const startLine = lineOf(up) - 1;
  const endLine = down > up ? lineOf(down) - 1 : lines;
  return { parts: [{ startLine, endLine, transaction: 'wrapped' }] };
}

/** getNumericPrefix: a 17-digit prefix is a UTC timestamp with milliseconds, any other the number itself. */
function numericPrefix(prefix: string): number {
  if (prefix.length === 17) {
    const [y, mo, d, h, mi, s, ms] = [prefix.slice(0, 4), prefix.slice(4, 6), prefix.slice(6, 8), prefix.slice(8, 10), prefix.slice(10, 12), prefix.slice(12, 14), prefix.slice(14, 17)];
    return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`).valueOf();
  }
  return Number(prefix);
}

/** A package.json that depends on node-pg-migrate, from the folder's parent up to the project root. */
