import { filesIn, isSql, wholeFile, type Runner } from './types.js';

const NUMBER_PREFIX = /^(\d+)([a-zA-Z]*)(?=[_\-.])/;

/**
 * pgdrift's original layout (the Helios seed, ../shared/seed/helios-database-README.md): `NNN_name.sql` applied by a
 * Node runner that does `readdirSync().sort()` and `client.query(fileText)` per file, so lexicographic order
 * (`"order": "natural"` compares the leading number first) and one implicit transaction per file. Its bookkeeping
 * table `migrations` is known only from a query in that README (`ORDER BY executed_at`), not its DDL: drift ignores
 * it, and the replay creates no stand-in for it (no `bookkeepingSetup`).
 */
export const numbered: Runner = {
  name: 'numbered',
  docs: 'https://github.com/pgdrift/pgdrift#runner-numbered',
  folders: ['database/migrations', 'migrations', 'db/migrations'],
  discover(folder, options) {
    const names = filesIn(folder).filter(isSql);
    if (options?.order === 'natural') names.sort(naturalCompare);
    return { migrations: names.map((name) => ({ name, version: NUMBER_PREFIX.exec(name)?.[1] })), ignored: [], problems: [] };
  },
  // The fallback: any folder of .sql files is a numbered history unless another runner's evidence says otherwise.
  evidence: () => undefined,
  plan: (text) => wholeFile(text, 'implicit'),
  compareVersions: (a, b) => Number(a) - Number(b),
  bookkeeping: ['public.migrations'],
  lint: {
    fileNamePattern: /^\d{3,}_[a-z0-9_]+\.sql$/,
    example: '025_add_user_preferences.sql',
    sequentialVersions: true,
    transactions: 'a Node runner sends each file as one query, which Postgres runs as one implicit transaction',
    outsideTransaction: 'put it alone in its own file (a lone statement is not in a transaction block)',
  },
};

/** Natural order: the numeric prefix compared as a number first, then the name. */
export function naturalCompare(a: string, b: string): number {
  const na = NUMBER_PREFIX.exec(a);
  const nb = NUMBER_PREFIX.exec(b);
  if (na && nb) {
    const diff = Number(na[1]) - Number(nb[1]);
    if (diff !== 0) return diff;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
