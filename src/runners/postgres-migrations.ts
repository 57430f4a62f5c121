import { readdirSync } from 'node:fs';
import path from 'node:path';
import { byCodeUnits, dependsOnPackage, isDirectory, wholeFile, type FilePlan, type IgnoredFile, type Runner } from './types.js';

// ThomWright/postgres-migrations@dbfc5cc src/files-loader.ts: `isValidFile = /\.(sql|js)$/gi.test(fileName)` on every
// entry of the folder (dotfiles and folders included), then src/file-name-parser.ts `^(-?\d+)[-_]?(.*).(sql|js)$`.
const LOADED = /\.(sql|js)$/i;
const FILE = /^(-?\d+)[-_]?(.*).(sql|js)$/i;
const DISABLE_TRANSACTION = '-- postgres-migrations disable-transaction';

/**
 * postgres-migrations (node), https://github.com/ThomWright/postgres-migrations#migration-rules, read at
 * ThomWright/postgres-migrations@dbfc5cc.
 * - Discovery (src/files-loader.ts `loadMigrationFiles`): every entry of the folder whose name ends in `.sql` or
 *   `.js` (any case; dotfiles and folders too) is loaded; a name without a leading integer id stops the run
 *   (src/file-name-parser.ts: "Invalid file name"), and so does one it cannot read (a folder named `x.sql`).
 * - Order and ids: `.sql` and `.js` together, by id (`a.id - b.id`, `00010` = 10), after the tool's own migration 0;
 *   the ids must then be 0, 1, 2... (src/validation.ts `validateMigrationOrdering`: "Found a non-consecutive
 *   migration ID"), so a `.js` migration holds its id. A `.js` migration's SQL is what its `generateSql()` returns at
 *   run time (src/load-sql-from-js.ts): pgdrift cannot replay it, so it is listed as ignored, the runner applying it.
 * - Transactions (src/run-migration.ts): `START TRANSACTION`, the file as one `client.query`, `COMMIT`; a file
 *   containing `-- postgres-migrations disable-transaction` is sent as one query without it. There is no other
 *   directive (the source and README name only this one).
 * - Bookkeeping: `migrations`, created by the tool's own migration 0 (src/migrations/0_create-migrations-table.sql,
 *   unqualified), which runs first.
 */
export const postgresMigrations: Runner = {
  name: 'postgres-migrations',
  docs: 'https://github.com/ThomWright/postgres-migrations#readme',
  folders: ['migrations', 'db/migrations'],
  discover(folder) {
    const loaded: { name: string; version: string; id: number; js: boolean }[] = [];
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    for (const name of readdirSync(folder).sort(byCodeUnits)) {
      if (!LOADED.test(name)) continue;
      const match = FILE.exec(name);
      if (!match) problems.push(`Invalid file name: '${name}': postgres-migrations loads every .sql and .js file of the folder and needs a leading integer id (1_name.sql)`);
      else if (isDirectory(path.join(folder, name))) problems.push(`${name} is a folder: postgres-migrations loads every .sql and .js entry of the folder and cannot read it (EISDIR)`);
      else loaded.push({ name, version: match[1], id: Number.parseInt(match[1], 10), js: match[3].toLowerCase() === 'js' });
    }
    loaded.sort((a, b) => a.id - b.id);
    const misplaced = loaded.find((m, index) => m.id !== index + 1);
    if (misplaced) problems.push(`Found a non-consecutive migration ID on file: '${misplaced.name}': postgres-migrations requires ids 1, 2, 3... in order (.sql and .js together)`);
    for (const m of loaded) {
      if (m.js) ignored.push({ name: m.name, reason: `a JavaScript migration (id ${m.id}): postgres-migrations applies the SQL its generateSql() returns at run time, which pgdrift cannot replay; the replayed schema lacks its effect`, appliedByRunner: true });
    }
    return { migrations: loaded.filter((m) => !m.js).map(({ name, version }) => ({ name, version })), ignored, problems };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && /\.sql$/i.test(name) && listing.read(name).includes('-- postgres-migrations'));
    const dashed = listing.files.filter((name) => /^\d+-[^/]*\.sql$/i.test(name));
    if (files.length > 0) return { files, what: '-- postgres-migrations directives' };
    // its README's own names (1_create-table.sql) are plain numbered ones: the project's dependency on it tells
    const named = listing.files.filter((name) => !name.includes('/') && FILE.test(name) && LOADED.test(name));
    if (named.length > 0 && dependsOnPackage(listing, 'postgres-migrations')) {
      return { files: named, what: 'numbered migrations in a project that depends on postgres-migrations (package.json or deno.json)' };
    }
    // only ids postgres-migrations would run (1, 2, 3... in order: validateMigrationOrdering): dated names such as
    // 2024-01-05-create-a.sql are some other runner's (a shell loop over the files), which it would refuse outright
    const ids = listing.files
      .filter((name) => !name.includes('/') && FILE.test(name) && LOADED.test(name))
      .map((name) => Number.parseInt(name, 10))
      .sort((a, b) => a - b);
    const runnable = ids.every((id, index) => id === index + 1);
    return dashed.length > 0 && runnable ? { files: dashed, what: '<id>-<name>.sql file names', weak: true } : undefined;
  },
  plan: planPostgresMigrations,
  // src/migration-file.ts getFileContents: readFile(filePath, "utf8") keeps a BOM, and run-migration.ts sends the text
  sendsByteOrderMark: () => true,
  compareVersions: (a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10),
  bookkeeping: ['public.migrations'],
  bookkeepingSetup: {
    table: 'public.migrations',
    sql: `CREATE TABLE IF NOT EXISTS migrations (
  id integer PRIMARY KEY,
  name varchar(100) UNIQUE NOT NULL,
  hash varchar(40) NOT NULL, -- sha1 hex encoded hash of the file name and contents, to ensure it hasn't been altered since applying the migration
  executed_at timestamp DEFAULT current_timestamp
);`,
  },
  lint: {
    fileNamePattern: /^\d+[-_][A-Za-z0-9_\-]+\.sql$/,
    example: '5_add-orders.sql',
    sequentialVersions: true,
    transactions: 'postgres-migrations wraps each file in a transaction unless it contains -- postgres-migrations disable-transaction',
    outsideTransaction: 'put it in its own file that contains -- postgres-migrations disable-transaction',
  },
};

export function planPostgresMigrations(text: string): FilePlan {
  // `migration.sql.includes(...)`: anywhere in the file, as the source checks it.
  return wholeFile(text, text.includes(DISABLE_TRANSACTION) ? 'implicit' : 'wrapped');
}
