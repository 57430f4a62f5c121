import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { quoteIdent } from '../engine/quote.js';
import { parseSql, SqlSyntaxError, type ParsedSql } from '../sql/parse.js';
import { SourceText } from '../sql/source-text.js';
import { drizzleMigrateCalls, type CallSetting, type DrizzleMigrateCall, type UnreadMigrateCall } from './drizzle-calls.js';
import { drizzleKitOut, drizzleMigrationsLog, POSTGRES_DIALECTS, type DrizzleMigrationsLog } from './drizzle-config.js';
import { dockerfileCalls } from './dockerfile.js';
import { programCalls } from './project-commands.js';
import { substitute, type Substitution } from './substitution.js';
import { filesIn, foldersUpTo, isDirectory, isSql, lineCount, wholeFile, type DiscoveredMigration, type Discovery, type FilePlan, type FolderListing, type JournalEntry as JournalPosition, type PlanProblem, type Runner, type RunnerLint } from './types.js';

const JOURNAL = 'meta/_journal.json';
/** migrate()'s `migrationsSchema` and `migrationsTable` defaults */
const DEFAULT_SCHEMA = 'drizzle';
const DEFAULT_TABLE = '__drizzle_migrations';

interface JournalEntry {
  idx?: number;
  when?: unknown;
  tag?: string;
}

/**
 * drizzle-kit migrations applied by drizzle-orm's `migrate()` (https://orm.drizzle.team/docs/migrations),
 * drizzle-team/drizzle-orm@b786252.
 * - Discovery and order (drizzle-orm/src/migrator.ts `readMigrationFiles`): the entries of `meta/_journal.json` in
 *   their order, each `<tag>.sql`; a .sql file the journal does not list is never applied; a listed file that is
 *   missing stops the run.
 * - Statements: the file is split at `--> statement-breakpoint` and each chunk executed on its own.
 * - Transactions (src/pg-core/dialect.ts `migrate`): every pending migration runs inside ONE transaction
 *   (`session.transaction(async (tx) => { for (const migration of migrations) ... })`; `BEGIN` … `COMMIT` before
 *   0.23.9, d798a9e): on a fresh database, the whole history. pgdrift replays it so (`oneTransaction`): a file using
 *   an enum value an earlier file added fails (55P04), `CREATE INDEX CONCURRENTLY` fails (25001), and one failure
 *   rolls every migration back.
 * - Bookkeeping: `drizzle.__drizzle_migrations`, with its schema, created by `migrate` before its transaction opens
 *   (src/pg-core/dialect.ts, default `migrationsSchema`/`migrationsTable`); drizzle.config's
 *   `migrations: { table, schema }` moves them (drizzle-config.ts), as `drizzle-kit migrate` does; so do the
 *   `migrationsTable` / `migrationsSchema` of the project's own migrate() call on the folder (drizzle-calls.ts), which
 *   win when no package.json script, Makefile, Taskfile or justfile recipe nor Dockerfile runs `drizzle-kit migrate`
 *   (drizzleLog).
 *   `migrate()` reads the newest `created_at` there ONCE and applies an
 *   entry only if `Number(lastDbMigration.created_at) < migration.folderMillis` (the entry's `when`), recording
 *   `when` as its `created_at`: an entry whose `when` is not above every earlier entry's runs on a fresh database and
 *   is skipped on one that already ran the earlier entry (lint rule journal-order; discovery keeps each `when`).
 */
export const drizzle: Runner = {
  name: 'drizzle',
  docs: 'https://orm.drizzle.team/docs/migrations',
  folders: ['drizzle', 'src/db/migrations', 'migrations'],
  // the `out` of the drizzle.config `drizzle-kit migrate` reads, nearest above the folder found: a project that moved
  // its migrations keeps applying the config's folder, not an older drizzle/ left beside it
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const config = nearestKitOut(folder, root);
    if (!config || config.out === path.resolve(folder) || !config.isHistory || drizzleJournalNotPostgres(config.out)) return undefined;
    return { setting: `${path.relative(root, config.file).split(path.sep).join('/')} out`, folders: [config.out] };
  },
  discover(folder) {
    if (!existsSync(path.join(folder, JOURNAL)) && isFolderLayout(folder)) return discoverFolders(folder);
    const journalPath = path.join(folder, JOURNAL);
    const problems: string[] = [];
    let notPostgres: string | undefined;
    let entries: JournalEntry[] = [];
    let text = '';
    try {
      text = readFileSync(journalPath, 'utf8');
      const journal = JSON.parse(text) as { entries?: JournalEntry[]; dialect?: unknown };
      entries = Array.isArray(journal.entries) ? journal.entries : [];
      // drizzle-kit writes the config's dialect into the journal ("postgresql"; "pg" in version 5 journals): another
      // one (mysql, sqlite, turso, singlestore) means SQL written for that database, which no Postgres replay can
      // judge (field: mantodeus/mantodeus-manager@fab72fa, "dialect": "mysql": 14 syntax errors at its backquotes)
      if (typeof journal.dialect === 'string' && !POSTGRES_DIALECTS.has(journal.dialect)) {
        notPostgres = `${JOURNAL} says "dialect": ${JSON.stringify(journal.dialect)}: drizzle-kit wrote these migrations for ${journal.dialect}, this is not a PostgreSQL project`;
      }
    } catch (error: any) {
      problems.push(`cannot read ${JOURNAL}: ${error?.code ?? error?.message ?? error}`);
    }
    const positions = entryPositions(text, entries.length);
    const migrations: DiscoveredMigration[] = [];
    const listed = new Set<string>();
    for (const [i, entry] of entries.entries()) {
      if (typeof entry.tag !== 'string') {
        problems.push(`${JOURNAL} has an entry without a "tag"`);
        continue;
      }
      const name = `${entry.tag}.sql`;
      listed.add(name);
      const journal: JournalPosition = { file: JOURNAL, idx: typeof entry.idx === 'number' ? entry.idx : undefined, when: entry.when, ...positions[i] };
      if (!existsSync(path.join(folder, name))) problems.push(`${JOURNAL} lists ${name}, which does not exist (drizzle stops: "No file ${name} found")`);
      // migrate() records the entry with `values(${migration.hash}, ${migration.folderMillis})` (src/pg-core/dialect.ts):
      // an entry without `when` leaves the second value out, `values($1, )`, a syntax error (42601) after the entry's
      // SQL ran, which rolls back the one transaction: every migration (checked with drizzle-orm 0.45.4 and pg)
      else if (entry.when === undefined) problems.push(`${JOURNAL} entry ${entry.tag} has no "when": drizzle's migrate() fails recording it (insert … values($1, ): syntax error) and rolls back every migration`);
      else migrations.push({ name, version: entry.tag.split('_')[0], journal });
    }
    const ignored = filesIn(folder)
      .filter((name) => isSql(name) && !listed.has(name))
      .map((name) => ({ name, reason: `not listed in ${JOURNAL}: drizzle never applies it` }));
    return { migrations, ignored, problems, ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence(listing) {
    if (listing.files.includes(JOURNAL)) return { files: [JOURNAL], what: `a drizzle-kit ${JOURNAL}` };
    // drizzle-kit 1.0's folders: each holds its snapshot.json beside migration.sql, which no Prisma folder has
    const folders = folderLayoutFiles(listing);
    return folders.length > 0 ? { files: folders, what: '<timestamp>_<name>/migration.sql folders with snapshot.json (drizzle-kit 1.0)', overrides: ['prisma'] } : undefined;
  },
  plan: planDrizzle,
  // migrator.ts readMigrationFiles: fs.readFileSync(…).toString() keeps the mark, and the first chunk of the split at
  // `--> statement-breakpoint` is sent with it (both layouts: the journal's and 1.0's folders)
  sendsByteOrderMark: () => true,
  oneTransaction: true,
  compareVersions: (a, b) => Number(a) - Number(b),
  bookkeeping: ['drizzle.__drizzle_migrations'],
  bookkeepingSetup: drizzleBookkeeping(DEFAULT_SCHEMA, DEFAULT_TABLE),
  forProject(folder, options) {
    // drizzle.config's `migrations: { table, schema }` (drizzle-kit migrate passes them to migrate()), or the
    // project's own migrate() call on this folder (drizzleLog)
    const log = drizzleMigrationsLog(folder, options.projectRoot);
    const root = options.projectRoot ?? path.dirname(folder);
    const { schema, table, alsoIgnored, notices: logNotices } = drizzleLog(folder, root, log, options.env ?? process.env);
    const outNotice = configOutWithoutHistory(folder, root);
    const notices = outNotice ? [...logNotices, outNotice] : logNotices;
    const folders = !existsSync(path.join(folder, JOURNAL)) && isFolderLayout(folder);
    const named = folders ? undefined : prefixLint(log?.prefix);
    return {
      bookkeeping: [...new Set([`${schema}.${table}`, ...alsoIgnored])],
      bookkeepingSetup: drizzleBookkeeping(schema, table, folders),
      ...(folders ? { lint: FOLDER_LAYOUT_LINT } : named ? { lint: named } : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  },
  lint: {
    fileNamePattern: /^\d{4}_[A-Za-z0-9_-]+\.sql$/,
    example: '0003_add_orders.sql',
    sequentialVersions: true,
    transactions: 'drizzle applies all pending migrations inside one transaction, statement chunk by chunk',
    outsideTransaction: 'drizzle runs all pending migrations in one transaction, so it cannot be part of a migration; run it outside the migrations',
    // migrate() applies the journal's entries in order and tells applied ones by their `when` (journal-order's rule)
    versionIdentifies: false,
    orderName: 'journal order',
  },
};

/**
 * The drizzle.config nearest above the folder names another `out` that holds no history (no journal, none of 1.0's
 * folders): `drizzle-kit migrate` reads that folder and fails (drizzle-orm migrator.ts readMigrationFiles: "Can't find
 * meta/_journal.json file"), while pgdrift replays the folder it found; unless a migrate() call in the code applies
 * this folder, a notice says so (check is then not clean unasked: the replayed history may not be the team's).
 */
function configOutWithoutHistory(folder: string, root: string): string | undefined {
  const config = nearestKitOut(folder, root);
  if (!config || config.out === path.resolve(folder) || config.isHistory) return undefined;
  const applied = drizzleMigrateCalls(root).some((call) => !('config' in call) && 'path' in call.folder && call.folder.path === path.resolve(folder));
  if (applied) return undefined;
  const shown = (target: string) => path.relative(root, target).split(path.sep).join('/') || '.';
  return `drizzle: ${shown(config.file)} names out ${shown(config.out)}/, which holds no migrations journal: drizzle-kit migrate reads that folder and fails ("Can't find meta/_journal.json file"); pgdrift replays ${shown(folder)}/, which may not be the team's history (set "migrations" or --migrations to choose)`;
}

/**
 * The drizzle.config `drizzle-kit migrate` reads for this folder, nearest above it (up to the root), with its `out`
 * and whether that holds a history (a journal, or drizzle-kit 1.0's folders).
 */
function nearestKitOut(folder: string, root: string): { file: string; out: string; isHistory: boolean } | undefined {
  for (const dir of foldersUpTo(path.dirname(folder), root)) {
    const config = drizzleKitOut(dir);
    if (config) return { ...config, isHistory: existsSync(path.join(config.out, JOURNAL)) || isFolderLayout(config.out) };
  }
  return undefined;
}

/**
 * Where the project's drizzle migrations keep their log: drizzle.config's `migrations: { table, schema }` for
 * `drizzle-kit migrate`, or the `migrationsTable` / `migrationsSchema` of the project's own call of drizzle-orm's
 * migrate() on this folder (drizzle-calls.ts: many servers apply their migrations at start-up and never run
 * drizzle-kit migrate; the call's arguments are all migrate() reads, drizzle-orm src/pg-core/dialect.ts).
 * Precedence: when a package.json script or a Makefile, Taskfile or justfile recipe from the folder up to the root
 * (or beside the config) runs `drizzle-kit migrate`, the config's log (its default when it names none) is replayed; else a code call's, a setting it leaves
 * out being drizzle's default (not the config's). Where the two disagree, a notice names both, and drift ignores the
 * other table too (the team's database may have both). A code setting pgdrift cannot read (not a literal) leaves the
 * config's value, else drizzle's default, with a notice. A call whose `migrationsFolder` pgdrift cannot resolve and
 * which names another log than the replayed one is named in a notice: it may apply this folder; so is a call whose
 * config pgdrift cannot read at all (`migrate(db, getConfig())`). A folder written as a container's absolute path
 * (`/app/drizzle`) and mapped into the project is said in a notice. A Dockerfile's `RUN`, `CMD` or `ENTRYPOINT`
 * running `drizzle-kit migrate` (shell or exec form, dockerfile.ts dockerfileCalls) counts as a script does: the
 * image applies the migrations with drizzle-kit, which reads drizzle.config.
 */
function drizzleLog(folder: string, root: string, log: DrizzleMigrationsLog | undefined, env: Record<string, string | undefined>): { schema: string; table: string; alsoIgnored: string[]; notices: string[] } {
  const fromConfig = { schema: log?.schema ?? DEFAULT_SCHEMA, table: log?.table ?? DEFAULT_TABLE };
  const found = drizzleMigrateCalls(root);
  if (found.length === 0) return { ...fromConfig, alsoIgnored: [], notices: [] };
  const calls = found.filter((call): call is DrizzleMigrateCall => !('config' in call));
  const unreadConfigs = found.filter((call): call is UnreadMigrateCall => 'config' in call);
  const here = calls.filter((call) => 'path' in call.folder && call.folder.path === path.resolve(folder));
  const configNames = log !== undefined && (log.table !== undefined || log.schema !== undefined);
  const configShown = `${log?.file ?? 'drizzle.config'}'s migrations (${fromConfig.schema}.${fromConfig.table})`;
  // `drizzle-kit migrate` in a package.json script, a Makefile, Taskfile or justfile recipe, or a Dockerfile, from the
  // folder up to the root and beside the config (project-commands.ts programCalls, dockerfile.ts dockerfileCalls)
  const kitScripts = [...new Set([...foldersUpTo(folder, root), ...(log ? [path.dirname(path.resolve(root, log.file))] : [])])].flatMap((dir) =>
    [...programCalls(dir, env, 'drizzle-kit'), ...dockerfileCalls(dir, 'drizzle-kit')]
      .filter((call) => call.args[0]?.text === 'migrate')
      .map((call) => ({ where: path.relative(root, dir) === '' ? call.where : `${path.relative(root, dir).split(path.sep).join('/')}/${call.where}` })),
  );
  const notices: string[] = [];
  const alsoIgnored: string[] = [];
  for (const call of here) {
    if ('container' in call.folder && call.folder.container !== undefined) {
      notices.push(`drizzle: ${call.where}: migrate() names migrationsFolder ${call.folder.container}, a path outside the repository (a container's copy of it): pgdrift takes it as ${path.relative(root, call.folder.path).split(path.sep).join('/')}, the project's folder of that name`);
    }
  }
  // each call's log, a setting it cannot read given as undefined
  const logOf = (call: DrizzleMigrateCall) => ({ schema: value(call.schema, DEFAULT_SCHEMA), table: value(call.table, DEFAULT_TABLE) });
  const unread = (call: DrizzleMigrateCall) => [['migrationsSchema', call.schema], ['migrationsTable', call.table]].filter(([, s]) => 'computed' in (s as CallSetting)).map(([key, s]) => `${key}: ${(s as { computed: string }).computed}`);
  let replayed = fromConfig;
  if (here.length > 0 && kitScripts.length === 0) {
    const first = logOf(here[0]);
    replayed = { schema: first.schema ?? fromConfig.schema, table: first.table ?? fromConfig.table };
    if (first.schema === undefined || first.table === undefined) {
      notices.push(`drizzle: ${here[0].where}: migrate() on this folder names its log with a value pgdrift cannot read (${unread(here[0]).join(', ')}): the replay creates ${replayed.schema}.${replayed.table} (${configNames ? 'drizzle.config\'s' : "drizzle's default"}), and drift may name the team's log as extra`);
    } else if (configNames && `${first.schema}.${first.table}` !== `${fromConfig.schema}.${fromConfig.table}`) {
      alsoIgnored.push(`${fromConfig.schema}.${fromConfig.table}`);
      notices.push(`drizzle: ${here[0].where}: migrate() on this folder keeps its log in ${first.schema}.${first.table}, and ${configShown} differ; no package.json script, Makefile, Taskfile or justfile recipe nor Dockerfile runs drizzle-kit migrate, so the replay creates ${first.schema}.${first.table}, as the code does, and drift ignores ${fromConfig.schema}.${fromConfig.table} too`);
    }
  }
  // the other calls on this folder (all of them when drizzle-kit migrate runs): a log other than the replayed one
  for (const call of kitScripts.length === 0 ? here.slice(1) : here) {
    const own = logOf(call);
    if (own.schema === undefined || own.table === undefined) {
      if (kitScripts.length > 0 || call !== here[0]) notices.push(`drizzle: ${call.where}: migrate() on this folder names its log with a value pgdrift cannot read (${unread(call).join(', ')}): the replay creates ${replayed.schema}.${replayed.table}, and drift may name the team's log as extra`);
      continue;
    }
    const name = `${own.schema}.${own.table}`;
    if (name === `${replayed.schema}.${replayed.table}`) continue;
    alsoIgnored.push(name);
    notices.push(
      kitScripts.length > 0
        ? `drizzle: ${call.where}: migrate() on this folder keeps its log in ${name}, and the project's drizzle-kit migrate (${kitScripts[0].where}) uses ${configShown}: the replay creates ${replayed.schema}.${replayed.table}, and drift ignores ${name} too`
        : `drizzle: ${call.where}: migrate() on this folder keeps its log in ${name}, and ${here[0].where} in ${replayed.schema}.${replayed.table}: the replay creates ${replayed.schema}.${replayed.table}, and drift ignores ${name} too`,
    );
  }
  // a call whose folder pgdrift cannot resolve, naming another log: it may be this folder's
  for (const call of calls) {
    if (!('computed' in call.folder)) continue;
    const own = logOf(call);
    if ('absent' in call.table && 'absent' in call.schema) continue; // drizzle's default: no other log
    if (own.schema !== undefined && own.table !== undefined && `${own.schema}.${own.table}` === `${replayed.schema}.${replayed.table}`) continue;
    const its = own.schema !== undefined && own.table !== undefined ? `keeps its log in ${own.schema}.${own.table}` : `names its log with a value pgdrift cannot read (${unread(call).join(', ')})`;
    notices.push(`drizzle: ${call.where}: migrate() with migrationsFolder ${call.folder.computed}, which pgdrift cannot resolve, ${its}: if it applies this folder, the team's log is there, not in ${replayed.schema}.${replayed.table}, and drift may name it as extra`);
  }
  // a call whose config pgdrift cannot read at all: any folder, any log
  for (const call of unreadConfigs) {
    notices.push(`drizzle: ${call.where}: migrate() is given a config pgdrift cannot read (${call.config.computed}): if it applies this folder with its own migrationsTable or migrationsSchema, the team's log is there, not in ${replayed.schema}.${replayed.table}, and drift may name it as extra`);
  }
  return { ...replayed, alsoIgnored, notices: [...new Set(notices)] };
}

/** A call's setting: its literal, drizzle's default when left out, undefined when pgdrift cannot read it. */
function value(setting: CallSetting, fallback: string): string | undefined {
  return 'literal' in setting ? setting.literal : 'absent' in setting ? fallback : undefined;
}

/**
 * What migrate() runs before its transaction (drizzle-orm src/pg-core/dialect.ts `migrate`, 00cbce5): the schema,
 * then the table, each IF NOT EXISTS, names quoted (`sql.identifier`). A migration creating that same schema without
 * IF NOT EXISTS then fails with 42P06, as with drizzle (drizzle-team/drizzle-orm#5274).
 */
function drizzleBookkeeping(schema: string, table: string, folderLayout = false) {
  // drizzle-orm 1.0 (beta branch, src/pg-core/async/session.ts `migrate`) creates the table of a new database with
  // two more columns: name text, applied_at timestamp with time zone DEFAULT now()
  const columns = folderLayout ? `,\n\tname text,\n\tapplied_at timestamp with time zone DEFAULT now()` : '';
  return {
    table: `${quoteIdent(schema)}.${quoteIdent(table)}`,
    sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.${quoteIdent(table)} (
	id SERIAL PRIMARY KEY,
	hash text NOT NULL,
	created_at bigint${columns}
);`,
  };
}

/**
 * drizzle-kit 1.0's migrations folder (`drizzle-kit up` converts a journal folder to it;
 * https://orm.drizzle.team/docs/upgrade-v1): no journal, one folder per migration, `<YYYYMMDDHHMMSS>_<name>/`
 * holding `migration.sql` and `snapshot.json`. drizzle-orm 1.0 (drizzle-team/drizzle-orm beta branch @748058e,
 * src/migrator.ts `readMigrationFiles`) refuses a folder that still has meta/_journal.json, lists every entry of the
 * folder, keeps those with a `<entry>/migration.sql` (a folder without one is skipped, without a word) and sorts them
 * by `name.localeCompare`; each file is split at `--> statement-breakpoint` as before, and migrate() applies the
 * pending ones in one transaction as before (src/pg-core/async/session.ts), knowing applied ones by name.
 */
function isFolderLayout(folder: string, withSnapshots = false): boolean {
  try {
    return readdirSync(folder).some((entry) => existsSync(path.join(folder, entry, 'migration.sql')) && (!withSnapshots || existsSync(path.join(folder, entry, 'snapshot.json'))));
  } catch {
    return false;
  }
}

/** A folder in drizzle-kit 1.0's layout, found by its files alone: a `<name>/migration.sql` beside `<name>/snapshot.json`. */
export function isDrizzleFolderLayout(folder: string): boolean {
  return isFolderLayout(folder, true);
}

/** The `<folder>/migration.sql` files that sit beside a `<folder>/snapshot.json` (drizzle-kit 1.0 writes both). */
function folderLayoutFiles(listing: FolderListing): string[] {
  const files = new Set(listing.files);
  return listing.files.filter((name) => /^[^/]+\/migration\.sql$/.test(name) && files.has(name.replace(/migration\.sql$/, 'snapshot.json')));
}

function discoverFolders(folder: string): Discovery {
  const migrations: DiscoveredMigration[] = [];
  const ignored: Discovery['ignored'] = [];
  for (const entry of readdirSync(folder).sort((a, b) => a.localeCompare(b))) {
    const at = path.join(folder, entry);
    if (!isDirectory(at)) {
      if (isSql(entry)) ignored.push({ name: entry, reason: 'drizzle-kit 1.0 applies only <folder>/migration.sql' });
      continue;
    }
    if (existsSync(path.join(at, 'migration.sql'))) migrations.push({ name: `${entry}/migration.sql`, version: entry.slice(0, 14) });
    else for (const name of filesIn(at).filter(isSql)) ignored.push({ name: `${entry}/${name}`, reason: `${entry}/ has no migration.sql: drizzle skips the folder` });
  }
  return { migrations, ignored, problems: [] };
}

/**
 * The file-name lint of a journal whose files drizzle-kit names with another `migrations.prefix` than `index`
 * (drizzle-kit src/utils/words.ts prepareMigrationMetadata: `timestamp` and `supabase` the UTC time as
 * YYYYMMDDHHMMSS, `unix` the seconds since 1970, `none` nothing; then `_<name>`): its own names are not misnamed.
 */
function prefixLint(prefix: string | undefined): RunnerLint | undefined {
  const patterns: Record<string, { pattern: RegExp; example: string }> = {
    timestamp: { pattern: /^\d{14}_[a-z0-9_]+\.sql$/, example: '20240131120000_add_orders.sql' },
    supabase: { pattern: /^\d{14}_[a-z0-9_]+\.sql$/, example: '20240131120000_add_orders.sql' },
    unix: { pattern: /^\d+_[a-z0-9_]+\.sql$/, example: '1706702400_add_orders.sql' },
    none: { pattern: /^_[a-z0-9_]+\.sql$/, example: '_add_orders.sql' },
  };
  const named = prefix === undefined ? undefined : patterns[prefix];
  return named ? { ...drizzle.lint, fileNamePattern: named.pattern, example: named.example, sequentialVersions: false } : undefined;
}

/** Lint of drizzle-kit 1.0's folders: named by their timestamp, ordered by folder name. */
const FOLDER_LAYOUT_LINT: RunnerLint = {
  fileNamePattern: /^\d{14}_[A-Za-z0-9_-]+\/migration\.sql$/,
  example: '20250301120000_add_orders/migration.sql',
  sequentialVersions: false,
  transactions: 'drizzle applies all pending migrations inside one transaction, statement chunk by chunk',
  outsideTransaction: 'drizzle runs all pending migrations in one transaction, so it cannot be part of a migration; run it outside the migrations',
  versionIdentifies: false,
  orderName: 'folder-name order (localeCompare)',
};

const BREAKPOINT = '--> statement-breakpoint';

/**
 * What drizzle sends of a file: readMigrationFiles (drizzle-orm src/migrator.ts) cuts it with
 * `query.split('--> statement-breakpoint')`, with no regard for strings, dollar-quoted bodies or comments, and
 * migrate() (src/pg-core/dialect.ts) executes each chunk on its own. Where every marker falls between the statements
 * Postgres reads in the file, that is the file as one part (the marker is a comment to Postgres). Where a marker falls
 * inside a statement, a string, a function body or a block comment, drizzle sends a chunk that Postgres refuses, or
 * one that is not the statement the file reads: the file fails there, as with drizzle. Where each chunk is SQL of its
 * own but the file is not (a statement without its `;` before a marker, SQL after a marker on its line), drizzle runs
 * the chunks, and so does the replay (markersEndingStatements).
 */
export function planDrizzle(text: string, name: string): FilePlan {
  const plan = planChunks(text, name);
  if (!plan.problem || !INTROSPECTED.test(text)) return plan;
  return {
    ...plan,
    problem: {
      ...plan.problem,
      message: `drizzle-kit pull (introspect) wrote this migration with its SQL in a /* */ comment, for the database it read; ${plan.problem.message} (drizzle's migrate fails on it too: drizzle-team/drizzle-orm#2126, #4851)`,
      hint: 'uncomment the SQL, so that the migration makes the schema that database had (a new database gets it too); or, if every database it runs on had that schema already, keep only the comment lines (drizzle then runs nothing there) and give pgdrift that schema as a "baseline" file',
    },
  };
}

/**
 * drizzle-kit pull's first migration (drizzle-kit introspect: its header, then the SQL inside one block comment, still
 * cut by "--> statement-breakpoint" markers): drizzle sends "/*" and the first statement as a chunk, which Postgres
 * refuses as an unterminated comment (field: 0xstonegm/dodgetracker 0000_nebulous_fenris.sql).
 */
const INTROSPECTED = /^\uFEFF?-- Current sql file was generated after introspecting the database\r?\n/;

function planChunks(text: string, name: string): FilePlan {
  const plan = wholeFile(text, 'wrapped');
  if (!text.includes(BREAKPOINT)) return plan;
  const bytes = Buffer.from(text, 'utf8');
  const marker = Buffer.from(BREAKPOINT);
  const pieces: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (let i = bytes.indexOf(marker); i >= 0; i = bytes.indexOf(marker, i + marker.length)) {
    pieces.push({ start, end: i });
    start = i + marker.length;
  }
  pieces.push({ start, end: bytes.length });
  // the line (1-based) of each marker: each ends a chunk
  const chunkEnds = pieces.slice(0, -1).map((piece) => lineCount(bytes.subarray(0, piece.end).toString('utf8')));
  let whole: ParsedSql;
  try {
    whole = parseSql(text, name);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return markersEndingStatements(text, name, bytes, pieces, chunkEnds) ?? plan; // else the replay reports the file's own syntax error
    throw error;
  }
  let differs: FilePlan | undefined;
  for (const piece of pieces) {
    const pieceText = bytes.subarray(piece.start, piece.end).toString('utf8');
    const expected = whole.statements.filter((s) => s.byteStart >= piece.start && s.byteStart < piece.end);
    // the usual case, checked without parsing: whole statements only, the marker alone on the rest of its line
    const firstLineEnd = pieceText.indexOf('\n');
    const afterMarker = piece.start === 0 ? '' : firstLineEnd < 0 ? pieceText : pieceText.slice(0, firstLineEnd);
    const cutInside = expected.some((s) => s.byteEnd > piece.end) || whole.statements.some((s) => s.byteStart < piece.start && s.byteEnd > piece.start);
    // (a string or a function body is inside a statement: a marker there cuts it; a block comment may sit between)
    if (!cutInside && afterMarker.trim() === '' && !pieceText.includes('/*')) continue;
    if (pieceText.trim() === '') continue;
    let sent: ParsedSql;
    try {
      sent = parseSql(pieceText, name);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      // at the marker that cut the chunk (the last chunk has none: where Postgres points)
      const from = whole.source.positionOfByte(piece.start);
      const at = piece.end < bytes.length ? whole.source.positionOfByte(piece.end) : { line: from.line + error.line - 1, column: error.line === 1 ? from.column + error.column - 1 : error.column };
      return { parts: [], problem: { ...cutProblem(), message: `${cutProblem().message}, and Postgres refuses the chunk sent from line ${from.line}: ${error.detail}`, ...at } };
    }
    const same = sent.statements.length === expected.length && !cutInside && sent.statements.every((s, i) => s.text === expected[i].text);
    if (!same && !differs) {
      const at = whole.source.positionOfByte(afterMarker.trim() !== '' ? piece.start - marker.length : piece.end);
      const why =
        afterMarker.trim() !== ''
          ? 'SQL after the marker on its line, inside a "--" comment to Postgres, is a statement to drizzle: pgdrift cannot send the file as drizzle does'
          : 'the chunk is not the statement the file reads there';
      differs = { parts: [], problem: { ...cutProblem(), message: `${cutProblem().message}: ${why}`, ...at } };
    }
  }
  // every chunk is SQL Postgres reads, but not the statements the file reads as a whole: what drizzle runs, when
  // that is the file with each marker ending a statement
  if (differs) return markersEndingStatements(text, name, bytes, pieces, chunkEnds) ?? differs;
  // every marker ends its line here (SQL after one was refused above): drizzle's chunks are runs of whole lines, each
  // executed as a query of its own (migrate(): `for (const stmt of migration.sql) await tx.execute(sql.raw(stmt))`)
  return { parts: plan.parts.map((part) => ({ ...part, chunkEnds })) };
}

/**
 * A file whose chunks Postgres reads one by one, though not as a whole: a statement without its `;` before a marker
 * (`ALTER TABLE "t" ADD CONSTRAINT "t_pk" PRIMARY KEY("a","b")--> statement-breakpoint`), or SQL after a marker on
 * its line (a comment to Postgres). drizzle sends each chunk on its own, so it runs them (checked with drizzle-orm
 * 0.45.4 and pg, Postgres 15). Those are the file's statements with each marker replaced by `;`, when parsing that
 * gives each chunk's statements, in order: that is what the replay sends (positions stay the file's own). Otherwise
 * (a marker inside a `--` comment with SQL after it on its line, which `;` leaves commented out), undefined.
 */
function markersEndingStatements(text: string, name: string, bytes: Buffer, pieces: Array<{ start: number; end: number }>, chunkEnds: number[]): FilePlan | undefined {
  const sent: string[] = [];
  for (const piece of pieces) {
    const pieceText = bytes.subarray(piece.start, piece.end).toString('utf8');
    try {
      sent.push(...parseSql(pieceText, name).statements.map((s) => s.text));
    } catch (error) {
      if (error instanceof SqlSyntaxError) return undefined;
      throw error;
    }
  }
  const substitutions: Substitution[] = [];
  for (let i = text.indexOf(BREAKPOINT); i >= 0; i = text.indexOf(BREAKPOINT, i + BREAKPOINT.length)) substitutions.push({ start: i, end: i + BREAKPOINT.length, value: ';' });
  let read: string[];
  try {
    read = parseSql(substitute(text, substitutions).text, name).statements.map((s) => s.text);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return undefined;
    throw error;
  }
  if (read.length !== sent.length || read.some((statement, i) => statement !== sent[i])) return undefined;
  // (a chunk that starts after SQL on the marker's line is cut by lines with the chunk before it: both run as one
  // query only once a file's own COMMIT has ended drizzle's transaction)
  return { parts: wholeFile(text, 'wrapped').parts.map((part) => ({ ...part, chunkEnds })), substitutions };
}

function cutProblem(): PlanProblem {
  return {
    message: `drizzle cuts the file at every "${BREAKPOINT}", inside function bodies, strings and comments too, and executes each chunk on its own`,
    line: 1,
    column: 1,
    hint: `keep "${BREAKPOINT}" between statements, alone at the end of its line`,
  };
}

/** Whether the folder's drizzle journal names a dialect other than PostgreSQL (a history for another database). */
export function drizzleJournalNotPostgres(folder: string): boolean {
  try {
    const dialect = (JSON.parse(readFileSync(path.join(folder, JOURNAL), 'utf8')) as { dialect?: unknown }).dialect;
    return typeof dialect === 'string' && !POSTGRES_DIALECTS.has(dialect);
  } catch {
    return false;
  }
}

/** Where each entry's `when` value (or the entry, without one) is written in the journal: 1-based line:column. */
function entryPositions(text: string, count: number): Array<{ line: number; column: number }> {
  const tree = parseTree(text);
  const source = new SourceText(text, JOURNAL);
  const entries = tree && findNodeAtLocation(tree, ['entries']);
  const list: Node[] = entries?.type === 'array' ? (entries.children ?? []) : [];
  return Array.from({ length: count }, (_, i) => {
    const entry = list[i];
    const at = (entry && findNodeAtLocation(entry, ['when'])) ?? entry;
    return at ? source.positionOfIndex(at.offset) : { line: 1, column: 1 };
  });
}
