import { filesIn, wholeFile, type FilePlan, type Runner } from './types.js';

// ThomWright/postgres-migrations@dbfc5cc src/file-name-parser.ts: `^(-?\d+)[-_]?(.*).(sql|js)$`, id = parseInt.
const FILE = /^(-?\d+)[-_]?(.*).(sql|js)$/i;
const DISABLE_TRANSACTION = '-- postgres-migrations disable-transaction';
const IGNORE = '-- postgres-migrations ignore';

/**
 * postgres-migrations (node), https://github.com/ThomWright/postgres-migrations#migration-rules.
 * - Discovery (src/files-loader.ts): every `.sql`/`.js` file of the folder (js migrations generate SQL at run time
 *   and cannot be replayed from files: they are listed as not applied); id order (`a.id - b.id`), so `00010` = 10.
 * - It refuses ids that are not 1, 2, 3... in order (src/validation.ts `validateMigrationOrdering`; its own
 *   migration 0 creates the `migrations` table).
 * - Transactions (src/run-migration.ts): `START TRANSACTION`, the file as one `client.query`, `COMMIT`; a file
 *   containing `-- postgres-migrations disable-transaction` is sent as one query without it.
 * - `-- postgres-migrations ignore` (named in pgdrift issue 11 as honoured; not in the source read above): a file
 *   containing it is not applied.
 * - Bookkeeping: `migrations`.
 */
export const postgresMigrations: Runner = {
  name: 'postgres-migrations',
  docs: 'https://github.com/ThomWright/postgres-migrations#readme',
  folders: ['migrations', 'db/migrations'],
  discover(folder) {
    const found: { name: string; version: string; id: number }[] = [];
    const ignored = [];
    for (const name of filesIn(folder)) {
      if (!/\.(sql|js)$/i.test(name)) continue;
      const match = FILE.exec(name);
      if (!match) ignored.push({ name, reason: 'postgres-migrations refuses a file name without a leading integer id' });
      else if (/\.js$/i.test(name)) ignored.push({ name, reason: 'a JavaScript migration: its SQL is generated at run time, pgdrift cannot replay it' });
      else found.push({ name, version: match[1], id: Number.parseInt(match[1], 10) });
    }
    found.sort((a, b) => a.id - b.id);
    const problems: string[] = [];
    const misplaced = found.find((m, index) => m.id !== index + 1);
    if (misplaced) problems.push(`non-consecutive migration id on file ${misplaced.name}: postgres-migrations requires ids 1, 2, 3... in order`);
    return { migrations: found.map(({ name, version }) => ({ name, version })), ignored, problems };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && /\.sql$/i.test(name) && listing.read(name).includes('-- postgres-migrations'));
    const dashed = listing.files.filter((name) => /^\d+-[^/]*\.sql$/i.test(name));
    if (files.length > 0) return { files, what: '-- postgres-migrations directives' };
    return dashed.length > 0 ? { files: dashed, what: '<id>-<name>.sql file names', weak: true } : undefined;
  },
  plan: planPostgresMigrations,
  compareVersions: (a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10),
  bookkeeping: ['public.migrations'],
  lint: {
    fileNamePattern: /^\d+[-_][A-Za-z0-9_\-]+\.sql$/,
    example: '5_add-orders.sql',
    sequentialVersions: true,
    transactions: 'postgres-migrations wraps each file in a transaction unless it contains -- postgres-migrations disable-transaction',
    outsideTransaction: 'put it in its own file that contains -- postgres-migrations disable-transaction',
  },
};

export function planPostgresMigrations(text: string): FilePlan {
  if (text.includes(IGNORE)) return { parts: [] };
  // `migration.sql.includes(...)`: anywhere in the file, as the source checks it.
  return wholeFile(text, text.includes(DISABLE_TRANSACTION) ? 'implicit' : 'wrapped');
}
