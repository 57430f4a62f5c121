import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Substitution } from './substitution.js';

export const RUNNER_NAMES = ['numbered', 'flyway', 'golang-migrate', 'sqlx', 'dbmate', 'goose', 'supabase', 'prisma', 'drizzle', 'postgres-migrations', 'node-pg-migrate', 'diesel', 'sqitch', 'atlas', 'hasura', 'tern', 'liquibase', 'sql-migrate', 'yoyo', 'graphile-migrate', 'refinery', 'postgrator'] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

/**
 * How the runner sends one part of a file to Postgres:
 * - `implicit`: the whole part as ONE simple-protocol query (Postgres runs a multi-statement query as one implicit
 *   transaction; a lone `CREATE INDEX CONCURRENTLY` still works), like `client.query(fileText)` or Go's `db.Exec(text)`;
 * - `wrapped`: the runner opens a transaction around the part (BEGIN … COMMIT) and rolls it back on error;
 * - `none`: statement by statement, each committed on its own (goose NO TRANSACTION, Flyway non-transactional).
 */
export type TransactionMode = 'implicit' | 'wrapped' | 'none';

/** A run of whole lines of a file that the runner applies, 0-based lines [startLine, endLine). */
export interface ExecutionPart {
  startLine: number;
  endLine: number;
  transaction: TransactionMode;
  /**
   * The runner sends the part's statements as one pipeline (pgx Batch, one Sync: the Supabase CLI): Postgres runs
   * them in one implicit transaction, except that a first statement it refuses in a transaction block (CREATE INDEX
   * CONCURRENTLY, VACUUM...) runs on its own, since the pipeline has not started yet (postgres.c sets
   * XACT_FLAGS_PIPELINING only after the first Execute); later ones fail with 25001.
   */
  firstStatementAlone?: boolean;
  /**
   * The runner records the migration right after the part, in its transaction, into this bookkeeping table in the
   * schema `current_schema()` names then (public when none): dbmate with no schema in its table name nor in the URL's
   * search_path (pkg/driver/postgres/postgres.go migrationsTableNameParts). A part whose own SET search_path leaves
   * no such table there fails as the runner's INSERT does (42P01), and its transaction is rolled back.
   */
  recordsInCurrentSchema?: string;
  /**
   * The runner records the migration right after the part (in the part's transaction; with none, on the same session)
   * with an INSERT that names this table as written, which the session's search_path resolves then: goose
   * (migration_sql.go runSQLMigration, store InsertVersion / InsertVersionNoTx: `INSERT INTO goose_db_version …`).
   * A part whose own SET search_path leaves the table out fails as the runner's INSERT does (42P01; checked with
   * goose v3.27.3: the transaction is rolled back, or what ran without one stays, and goose stops).
   */
  recordsInto?: string;
  /**
   * The runner cuts the part at these lines (0-based: each ends a chunk, the last chunk runs to `endLine`) and sends
   * each chunk as a query of its own (drizzle's `--> statement-breakpoint`). Inside the runner's open transaction that
   * is the part as one query; once a file's own COMMIT has ended that transaction, each chunk commits on its own.
   */
  chunkEnds?: number[];
  /**
   * The script goes on after this part in the next listed migration, on the same session (a psql include follows it,
   * psql-script.ts): a transaction the part leaves open may be closed there.
   */
  continued?: boolean;
}

/** A problem the runner itself would refuse the file for (no `-- migrate:up`, a mixed Flyway script...). */
export interface PlanProblem {
  message: string;
  /** 1-based */
  line: number;
  column: number;
  hint?: string;
}

/** What the runner applies of one file. Lines outside every part (down sections, directives) never run. */
export interface FilePlan {
  parts: ExecutionPart[];
  problem?: PlanProblem;
  /** text the runner replaces before sending (Flyway placeholders, goose ENVSUB), indices in the file as written */
  substitutions?: Substitution[];
}

/** One migration the runner would apply, in runner order. */
export interface DiscoveredMigration {
  /** path relative to the migrations folder, forward slashes (`V1_1__init.sql`, `20240101_init/migration.sql`) */
  name: string;
  /** the runner's version as written (`1_1`, `20240101120000`, `0003`); undefined for Flyway repeatables */
  version?: string;
  /** the entry that lists the file in the runner's journal (drizzle's meta/_journal.json) */
  journal?: JournalEntry;
  /**
   * What of the file runs, when discovery decided it (instead of Runner.plan): a psql script cut at its includes
   * (psql-script.ts), where one file may be listed several times, each time with other lines.
   */
  plan?: FilePlan;
  /**
   * The runner sends this file on the connection of the migration before it (graphile-migrate's committed migrations
   * on its one connection, after actions each on their own): the session reset (sessionBeforeEachFile) is not sent
   * before it, and a SET of the file before reaches it.
   */
  sameSession?: boolean;
  /**
   * The runner runs this migration in the transaction of the migration before it (Liquibase: the changes of one
   * changeset, ChangeSet.execute). Both have only `wrapped` parts: the transaction opens before the first of them and
   * commits after the last, and a failure rolls back all of them. Implies sameSession.
   */
  sameTransaction?: boolean;
}

/** A migration's entry in a runner's journal file, with where it is written (for findings about it). */
export interface JournalEntry {
  /** the journal, relative to the migrations folder (`meta/_journal.json`) */
  file: string;
  idx?: number;
  /** drizzle's `when`, as written (drizzle compares it with the newest `created_at` applied) */
  when?: unknown;
  /** 1-based position of the entry's `when` value (of the entry itself when it has none) */
  line: number;
  column: number;
}

export interface IgnoredFile {
  name: string;
  reason: string;
  /** the runner never applies it by design (a down or undo migration, a file a baseline covers): no notice */
  expected?: boolean;
  /**
   * The runner DOES apply it, but pgdrift cannot replay it (a postgres-migrations `.js` migration): the replay, and
   * so the dump and drift, lack its effect. Other ignored files are ones the runner itself never applies.
   */
  appliedByRunner?: boolean;
  /**
   * With `appliedByRunner`: the migration (a name in `Discovery.migrations`) the runner applies right after it, so a
   * replay failure from there on can name it as a possible cause; undefined when none follows or the order is unknown.
   */
  appliedBefore?: string;
}

export interface Discovery {
  migrations: DiscoveredMigration[];
  /** .sql files (and other candidates) in the folder the runner would not apply, with the reason */
  ignored: IgnoredFile[];
  /** problems the runner would stop on before applying anything (duplicate versions...) */
  problems: string[];
  /**
   * Why the runner's own files say the migrations are written for another database (a drizzle journal's dialect, a
   * Prisma lock file's provider): every command refuses the folder then, lint too (its findings would be syntax errors).
   */
  notPostgres?: string;
  /**
   * Files the runner runs around EACH migration, inside its transaction (Flyway's beforeEachMigrate /
   * afterEachMigrate callbacks), in the order it runs them; names as in `migrations`.
   */
  aroundEachMigration?: { before: string[]; after: string[] };
}

/** Evidence that a folder belongs to a runner: the files that show it (for detection and conflict messages). */
export interface Evidence {
  /** files (relative to the folder) that only this runner's layout explains */
  files: string[];
  /** a short description of the evidence, e.g. "-- migrate:up sections" */
  what: string;
  /** only a convention (a folder name, a separator): it yields to any runner's markers or distinctive names */
  weak?: boolean;
  /** runners whose evidence this one explains better (sqlx's Cargo.toml over golang-migrate's .up.sql names) */
  overrides?: RunnerName[];
}

/** How the lint rules follow the runner's naming and semantics. */
export interface RunnerLint {
  /** the file-name rule's default pattern, tested against the name relative to the folder */
  fileNamePattern: RegExp;
  /** an example name, for the rule's help text */
  example: string;
  /** versions are consecutive integers (1, 2, 3...): only then does number-gap apply */
  sequentialVersions: boolean;
  /** one sentence for transaction-control: what the runner does around a file */
  transactions: string;
  /** how to run a statement outside a transaction with this runner (CREATE INDEX CONCURRENTLY) */
  outsideTransaction: string;
  /**
   * false when the runner does not know a migration by its version (Prisma by the whole folder name, drizzle by its
   * journal entry): two files sharing a version prefix are then two migrations to it, not a conflict (duplicate-number)
   */
  versionIdentifies?: boolean;
  /** how the runner's order is named in findings (default "version order"): drizzle's is the journal's */
  orderName?: string;
  /**
   * false when unpadded versions are the runner's own convention (Flyway's docs: V1__, V2__ ... V10__; V1.0.1, V1.0.10):
   * version-order would then warn on nearly every project, about an order the runner never takes from the names
   */
  nameOrderWarning?: boolean;
  /**
   * The runner's own lint-suppression comments in a file that parses (Atlas's `-- atlas:nolint`), as pgdrift
   * suppressions: read only when the project's runner is this one. `comments` lists the file's comment tokens.
   */
  suppressions?(text: string, statements: readonly { byteStart: number; byteEnd: number }[], comments: () => readonly { start: number; end: number; block: boolean }[]): RunnerSuppression[];
}

/** A runner's own lint suppression: every pgdrift rule (`all`) or some, on one statement (its index) or the whole file. */
export interface RunnerSuppression {
  rules: 'all' | string[];
  statement?: number;
}

/**
 * A migration runner: how it finds, orders and applies files. Each one is data plus a few pure functions, backed
 * by the runner's own documentation or source (cited where each behaviour is decided).
 */
export interface Runner {
  name: RunnerName;
  /** where its documentation lives (README per runner links it) */
  docs: string;
  /** conventional folders, relative to the project root, most specific first */
  folders: string[];
  /** lists the folder in runner order */
  discover(folder: string, options?: RunnerOptions): Discovery;
  /** what in a folder (relative names of all files under it, and readers) shows this runner; undefined = none */
  evidence(listing: FolderListing): Evidence | undefined;
  /** the part of a file that runs and how */
  plan(text: string, name: string, folder: string, options?: RunnerOptions): FilePlan;
  /**
   * Whether the runner sends a file's leading UTF-8 byte order mark to Postgres, given the file's text without it: it
   * reads the file as it is (Rust's read_to_string, Node's readFile(path, 'utf8')) and the part it sends starts at the
   * file's first byte. Postgres then fails at line 1, so the replay refuses the file there (discover.ts). A runner
   * without it is taken to drop the mark, as pgdrift does.
   */
  sendsByteOrderMark?(text: string): boolean;
  /**
   * The runner's own reader fails on a file that starts with a UTF-8 byte order mark, before Postgres sees anything
   * (it reads the mark as the first character of the file, where it looks for its annotations): why, in its words.
   * The replay refuses such a file at 1:1 with this reason (discover.ts).
   */
  byteOrderMarkRefusal?: string;
  /**
   * With `byteOrderMarkRefusal`: whether the mark changes what the runner reads of this file (its text without the
   * mark), when only some first lines are affected (sql-migrate loses a command on line 1, nothing else). Default: always.
   */
  byteOrderMarkRefusedFor?(text: string): boolean;
  /**
   * The runner applies all pending migrations inside ONE transaction (drizzle's migrate()): on a fresh database that
   * is the whole history, so a later file cannot use what an earlier one left uncommitted (a new enum value: 55P04),
   * nothing may refuse a transaction block (CREATE INDEX CONCURRENTLY), and one failure rolls every migration back.
   * The files' own `wrapped` parts then open no transaction of their own.
   */
  oneTransaction?: boolean;
  /**
   * The runner sends `RESET ALL` on its connection before each migration file (the Supabase CLI's apply.go), so a
   * setting a file changes (`set_config('search_path', '', false)` in a pasted pg_dump) does not reach the next file.
   */
  resetsSessionBeforeEachFile?: boolean;
  /**
   * Statements the runner sends on its connection before each migration file (Flyway: its role and search_path set
   * back, DbMigrate.java), run by the replay in the same place.
   */
  sessionBeforeEachFile?: string[];
  /** the search_path those statements leave (what the history walker, which runs no SQL, starts each migration with) */
  searchPathBeforeEachFile?: string[];
  /**
   * The search_path the runner's connection has when the migrations start (a database URL's `search_path`, which the
   * bookkeeping setup sets for the replay): what the history walker starts the first migration with. Unlike
   * searchPathBeforeEachFile, a file's own session SET reaches the files after it, as on the runner's one connection.
   */
  sessionSearchPath?: string[];
  /**
   * The folders the runner's own settings name for its migrations (Flyway's `flyway.locations`), absolute, when
   * they name any: the project's migrations folder unless pgdrift's config or --migrations names one.
   */
  configuredFolders?(folder: string, options: RunnerOptions): { setting: string; folders: string[] } | undefined;
  /**
   * Settings the runner reads from the project (Flyway's flyway.conf: its schemas, history table and file naming): the
   * runner as configured there, returned as the fields that differ from the defaults written here.
   */
  forProject?(folder: string, options: RunnerOptions): Partial<Pick<Runner, 'bookkeeping' | 'bookkeepingSetup' | 'oneTransaction' | 'snapshotDefault' | 'snapshotText' | 'sessionBeforeEachFile' | 'searchPathBeforeEachFile' | 'sessionSearchPath' | 'discover' | 'plan' | 'lint' | 'newMigrationName' | 'notices' | 'rolesBeforeMigrations'>>;
  /**
   * What the project's own settings leave uncertain about the replay (Spring Boot's `spring.flyway.enabled=false`):
   * said once per command on stderr, and kept in the JSON report (`notices`).
   */
  notices?: string[];
  /**
   * The runner runs each file with psql (Sqitch's pg engine: `psql --file`), which runs psql meta-commands (\i, \ir,
   * \set) itself: how to say so when the replay refuses one (pgdrift sends SQL only).
   */
  runsWithPsql?: string;
  /** the file name of a new migration (check --write-migration), when the runner's naming is configurable (Flyway) */
  newMigrationName?(version: string, slug: string): string;
  /** compares two versions in runner order (for the version-order lint rule) */
  compareVersions?(a: string, b: string): number;
  /** the runner's bookkeeping tables: ignored by drift (and left out of the docs) */
  bookkeeping: string[];
  /**
   * Roles every database the runner migrates has before its first migration, by the runner's own model
   * (graphile-migrate's database owner: `reset` creates the database OWNER it): created before the replay, as a
   * platform's roles are (Engine.ensureRole).
   */
  rolesBeforeMigrations?: string[];
  /**
   * The role the runner runs the migrations as, by its documentation or source (the Supabase CLI: `postgres`). On a
   * server the replay role stands for it: a migration's `ALTER ... OWNER TO <it>` is one to the replay role, which owns
   * what it created (Engine.replaysAs). Undefined when the runner connects as whatever role its URL names.
   */
  connectsAs?: string;
  /**
   * What the runner runs on a new database before its first migration to create its bookkeeping table, as its source
   * has it (cited in the runner's file): the replay runs it before the first migration. Undefined when the runner's
   * DDL is not documented (numbered).
   */
  bookkeepingSetup?: BookkeepingSetup;
  /** where the runner writes a schema snapshot itself (dbmate: db/schema.sql) */
  snapshotDefault?: string;
  /**
   * The runner's own snapshot file as it writes it (dbmate dump: pg_dump's text trimmed, then the versions it applied),
   * from pg_dump's text and the versions of the migrations the replay applied: what `pgdrift snapshot` writes to
   * `snapshotDefault`, so the file stays what the runner's own tools read (dbmate load).
   */
  snapshotText?(dump: string, versions: string[]): string;
  lint: RunnerLint;
}

/**
 * A runner's own DDL for its bookkeeping table. The runners look for the table before creating it (a query, or
 * `IF NOT EXISTS`), so the replay skips `sql` when `table` already exists (say a baseline file created it).
 */
export interface BookkeepingSetup {
  /** the table `sql` creates, schema-qualified */
  table: string;
  sql: string;
  /** what to tell the user when `sql` fails (why the runner's own setup fails there, and what the team does about it) */
  failureHint?: string;
}

/** Settings of the config that change what a runner does. */
export interface RunnerOptions {
  /** numbered runner only: `natural` compares the leading number first */
  order?: 'lexicographic' | 'natural';
  /** flyway runner: placeholder values from pgdrift's config ("placeholders"), over flyway.conf and FLYWAY_PLACEHOLDERS_* */
  placeholders?: Record<string, string>;
  /** the project root (flyway.conf is read there); default: the parent of the migrations folder */
  projectRoot?: string;
  /** the environment variables the runner reads (goose ENVSUB, FLYWAY_*); default process.env */
  env?: Record<string, string | undefined>;
  /** flyway, dbmate: only these sub-folders of the folder (its several configured folders, merged into one history) */
  include?: string[];
  /**
   * The name of the database the replay runs the migrations in (`postgres` on the embedded engine, the throwaway
   * database's on a server or in a container): what the runners' current-database placeholders stand for
   * (graphile-migrate `:DATABASE_NAME`, Flyway `${flyway:database}`). Default `postgres`.
   */
  replayDatabase?: string;
}

/** The files of a migrations folder, read once for detection. */
export interface FolderListing {
  folder: string;
  /** the project root (a runner may look above the folder, up to here: sqlx's Cargo.toml) */
  root?: string;
  /** relative paths of the files (forward slashes), up to two levels deep */
  files: string[];
  /** the text of a file (relative path), read lazily and cached */
  read(name: string): string;
}

/**
 * The files of one folder level (no sub-folders), sorted by name as Go's os.ReadDir and `ls` sort them. Every entry
 * that is not a folder counts, as it does for the runners (they list names, then open them): a link to nothing, to a
 * device or to a pipe is a migration the runner would fail on, so the loader refuses it by name (checkProjectFile)
 * instead of the listing leaving it out without a word.
 */
export function filesIn(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => !entry.isDirectory() && !(entry.isSymbolicLink() && isDirectory(path.join(folder, entry.name))))
    .map((entry) => entry.name)
    .sort(byCodeUnits);
}

/** Go's sort.Strings / Java's String.compareTo order for the names we meet (byte order for ASCII). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A regular file (links followed). */
export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The file is inside the project `root`, symbolic links followed (a task-runner file's include or import). */
export function isInsideProject(root: string, file: string): boolean {
  try {
    const relative = path.relative(realpathSync(root), realpathSync(file));
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  } catch {
    return false;
  }
}

/** The whole file as one part with one transaction mode. */
export function wholeFile(text: string, transaction: TransactionMode): FilePlan {
  return { parts: [{ startLine: 0, endLine: lineCount(text), transaction }] };
}

export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Compares unsigned decimal integers of any length exactly (versions may exceed 2^53). */
export function compareIntegers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `.sql` file names, case-insensitive as the runners match them. */
export function isSql(name: string): boolean {
  return name.toLowerCase().endsWith('.sql');
}

/** Reports every version used by more than one file, as the runners refuse to start on them. */
export function duplicateVersions(migrations: DiscoveredMigration[], key: (version: string) => string): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const migration of migrations) {
    if (migration.version === undefined) continue;
    const k = key(migration.version);
    const first = seen.get(k);
    if (first !== undefined) problems.push(`${migration.name} has the same version as ${first}`);
    else seen.set(k, migration.name);
  }
  return problems;
}

/**
 * Whether a project manifest (`Cargo.toml`, `package.json`) in the folder's parent or above, up to the project root,
 * passes `test`: how a runner whose file names are not its own (sqlx, node-pg-migrate) shows in a project. An
 * unreadable manifest is no evidence.
 */
export function manifestAbove(listing: FolderListing, manifest: string, test: (text: string) => boolean): boolean {
  return foldersUpTo(path.dirname(listing.folder), listing.root ?? path.dirname(listing.folder)).some((dir) => {
    const file = path.join(dir, manifest);
    try {
      return existsSync(file) && test(readFileSync(file, 'utf8'));
    } catch {
      return false; // unreadable, or not what the test can read: no evidence
    }
  });
}

/**
 * `from` and every folder above it, nearest first, up to the project root (included); only `from` when it is not
 * inside the root. Where a runner looks for its settings file (a config, a manifest) from a folder up.
 */
export function foldersUpTo(from: string, root: string): string[] {
  const top = path.resolve(root);
  const folders: string[] = [];
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    folders.push(dir);
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top)) return folders;
  }
}

/**
 * Whether the project depends on an npm package, in a manifest in the folder's parent or above (up to the project
 * root): package.json's dependencies or devDependencies, or deno.json(c)'s imports of `npm:<name>` (a Deno project).
 */
export function dependsOnPackage(listing: FolderListing, name: string): boolean {
  const inPackageJson = (text: string) => {
    const json = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
    return ['dependencies', 'devDependencies'].some((key) => json[key]?.[name] !== undefined);
  };
  const inDenoJson = (text: string) => {
    const imports = (parseJsonc(text) as { imports?: Record<string, unknown> } | undefined)?.imports ?? {};
    return Object.values(imports).some((target) => typeof target === 'string' && (target === `npm:${name}` || target.startsWith(`npm:${name}@`) || target.startsWith(`npm:${name}/`)));
  };
  return manifestAbove(listing, 'package.json', inPackageJson) || manifestAbove(listing, 'deno.json', inDenoJson) || manifestAbove(listing, 'deno.jsonc', inDenoJson);
}

/** A script cut at a psql include goes on in the next listed migration, on the same session (ExecutionPart `continued`). */
export function continuesInNext(migration: { parts?: readonly ExecutionPart[] }): boolean {
  return migration.parts?.some((part) => part.continued === true) ?? false;
}
