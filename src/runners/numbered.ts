import path from 'node:path';
import { dbMigrateSqlFiles } from './db-migrate-sql-files.js';
import { dependsOnPackage, filesIn, isSql, wholeFile, type Runner } from './types.js';

/**
 * Node migration tools pgdrift has no runner for, whose SQL folders fall back to the numbered runner: what each does
 * that the fallback does not, read in its source, so the notice says where the replay may differ.
 */
const TOOLS_WITHOUT_RUNNER: { name: string; differs: string }[] = [
  // ForbesLindesay/atdatabases packages/migrations-base: readMigrationsDir (`^(\d+)-` names, `_` files skipped),
  // MigrationContext sortMigrations (a.index - b.index), commands/applyMigrations (ctx.commit() after each migration),
  // pg-migrations PostgresDatabaseEngine tx / loadMigration (a .sql file as one query in that transaction)
  { name: '@databases/pg-migrations', differs: 'it orders the files by their number and runs each in its own transaction (BEGIN ... COMMIT): a statement that cannot run in a transaction block (CREATE INDEX CONCURRENTLY alone in a file) fails there and not in the replay' },
  // mmkal/slonik-tools packages/migrator (umzug's glob ./*.{js,ts,sql}, a .sql file as one query; a down/ folder)
  { name: '@slonik/migrator', differs: 'its .js/.ts migrations run code pgdrift cannot replay, and its singleTransaction option runs all of them in one transaction' },
  { name: 'umzug', differs: 'what each migration runs is the project\'s own code (its resolve function), which pgdrift does not read' },
];

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
    const all = filesIn(folder).filter(isSql);
    const lowerNames = new Set(all.map((name) => name.toLowerCase()));
    const reverting = new Set(all.filter((name) => revertsSibling(name, lowerNames)));
    const names = all.filter((name) => !reverting.has(name));
    if (options?.order === 'natural') names.sort(naturalCompare);
    const ignored = [...reverting].map((name) => ({ name, reason: 'the down / rollback half of the migration beside it, which a runner applies only to revert' }));
    return { migrations: names.map((name) => ({ name, version: NUMBER_PREFIX.exec(name)?.[1] })), ignored, problems: [] };
  },
  // The fallback: any folder of .sql files is a numbered history unless another runner's evidence says otherwise.
  evidence: () => undefined,
  forProject(folder, options) {
    // db-migrate's `create --sql-file` folder (`migrations/sqls/`): replayed as its .js wrappers run it, with a notice
    const dbMigrate = dbMigrateSqlFiles(folder, options.projectRoot ?? path.dirname(folder));
    if (dbMigrate) return dbMigrate;
    const inversion = options.order === undefined ? nameOrderInversion(numbered.discover(folder).migrations.map((m) => m.name)) : undefined;
    // a project that depends on a migration tool pgdrift has no runner for: the fallback's rules are an assumption
    // (field: rustymotors/server, @databases/pg-migrations; DanielFGray/doot, @slonik/migrator)
    const listing = { folder, root: options.projectRoot ?? path.dirname(folder), files: [], read: () => '' };
    const tools = TOOLS_WITHOUT_RUNNER.filter((tool) => dependsOnPackage(listing, tool.name));
    const notices = [
      ...tools.map((tool) => `numbered runner: the project depends on ${tool.name}, which pgdrift has no runner for: the folder is replayed by the numbered runner's rules (every .sql file, in name order, each as one query: one implicit transaction), and ${tool.differs}`),
      ...(inversion ? [inversion] : []),
    ];
    return notices.length > 0 ? { notices } : {};
  },
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

/**
 * `X.down.sql` / `X_down.sql` / `X.rollback.sql` / `X.undo.sql` beside its forward half (`X.sql`, `X.up.sql`,
 * `X_up.sql`, `X.do.sql`), and `N.undo.<description>.sql` / `N.down.<description>.sql` beside `N.do.<description>.sql` /
 * `N.up.<description>.sql` (Postgrator's naming, rickbergfalk/postgrator README): the revert of a migration (yoyo's
 * `.rollback.sql`, the up/down pairs of many runners), which no runner applies on the way up. Field check: a yoyo
 * folder replayed `0001_init.rollback.sql` before `0001_init.sql`; a Postgrator folder replayed `001.undo.create-a.sql`
 * after `001.do.create-a.sql`, dumping an empty schema. A name without its forward half (`005_count_down.sql`) is an
 * ordinary migration.
 */
function revertsSibling(name: string, lowerNames: ReadonlySet<string>): boolean {
  const has = (candidates: string[]) => candidates.some((c) => lowerNames.has(c.toLowerCase()));
  const suffix = /^(.*?)([._-])(down|rollback|undo)\.sql$/i.exec(name);
  if (suffix) {
    const [, stem, separator] = suffix;
    if (has([`${stem}.sql`, `${stem}${separator}up.sql`, `${stem}${separator}do.sql`])) return true;
  }
  // `<version>.undo.<description>.sql`: the action in the middle
  const middle = /^([^.]+)\.(down|undo)\.(.+)\.sql$/i.exec(name);
  if (middle) {
    const [, version, , description] = middle;
    if (has([`${version}.do.${description}.sql`, `${version}.up.${description}.sql`])) return true;
  }
  return false;
}

/**
 * With no "order" configured, the numbered runner replays the files in name order (readdirSync().sort()). Where the
 * numbers differ in width (1-a.sql, 2-b.sql, 10-c.sql) that is not the order of a runner that sorts by the number, as
 * Node runners pgdrift has no runner for do (field: rustymotors/server runs @databases/pg-migrations, whose
 * migrations-base MigrationContext sortMigrations compares `a.index - b.index`): the replay would run 10-c.sql before
 * 2-b.sql without a word. Says which pair the two orders disagree on; undefined when they agree.
 */
export function nameOrderInversion(names: readonly string[]): string | undefined {
  const byNumber = [...names].sort(naturalCompare);
  const k = names.findIndex((name, index) => name !== byNumber[index]);
  if (k < 0) return undefined;
  const first = names[k];
  const before = byNumber[k];
  return `numbered runner: the file numbers differ in width, and the replay runs the files in name order (readdirSync().sort()): ${first} before ${before}, which a runner that orders by the number runs the other way round; if the project's runner orders by the number, set "order": "natural" in pgdrift.config.json (or "order": "lexicographic" to keep name order and silence this)`;
}

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
