import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { environmentWithDotEnv } from './dotenv.js';
import { cargoDependsOnRefinery, enablesInt8Versions, readRefineryProject, type RefineryCodeSetting } from './refinery-code.js';
import { crateForOtherDatabase, type CrateDatabases } from './sqlx.js';
import { qualifiedTableName } from './sqlx-toml.js';
import { isTomlTable, tryParseToml } from '../util/toml.js';
import { byCodeUnits, compareIntegers, foldersUpTo, isDirectory, isFile, wholeFile, type BookkeepingSetup, type DiscoveredMigration, type FolderListing, type IgnoredFile, type Runner, type RunnerOptions } from './types.js';

/**
 * refinery (Rust: `embed_migrations!` then `migrations::runner().run(&mut client)`, or `refinery migrate` of
 * refinery_cli), rust-db/refinery@14354f5.
 * - Names (refinery_core/src/util.rs STEM_RE `^([U|V])(\d+(?:\.\d+)?)__(\w+)` + `\.(rs|sql)$`, case-sensitive, Unicode
 *   `\d` and `\w`): `V<n>__<name>.sql` and `U<n>__<name>.sql`; a name with `-` or `.` in it, `.SQL` or a lower-case
 *   prefix does not match, and refinery skips the file with a log warning. The version must parse as an i32 (i64 with
 *   the `int8-versions` feature): `V1.1__x.sql` or one too large stops refinery (Kind::InvalidVersion). The prefix class
 *   `[U|V]` also matches `|`, on which refinery panics (`unreachable!`).
 * - Folder (util.rs find_migration_files): walked recursively (walkdir: sub-folders, dot ones too; links to folders
 *   are not followed, links to files are read). `embed_migrations!` takes `.rs` and `.sql`, `refinery migrate` only
 *   `.sql` (refinery_cli/src/migrate.rs MigrationType::Sql).
 * - Order (runner.rs `impl Ord for Migration`, traits/mod.rs verify_migrations `migrations.sort()`): by version only,
 *   `U` and `V` alike. On a new database every file runs: `U` (unversioned) only escapes the check that a version
 *   below the last applied one was applied. Two files with one version stop refinery: RepeatedVersion when name and
 *   checksum are equal too, else the second history row fails on the primary key (after its SQL ran): refused.
 * - Transactions (traits/sync.rs migrate, drivers/postgres.rs and tokio_postgres.rs `execute`): each migration's text
 *   is one `batch_execute` in a transaction of its own (its history row in the next one); `set_grouped(true)` or
 *   `refinery migrate -g` runs every migration in ONE transaction. There is no per-file opt-out: CREATE INDEX
 *   CONCURRENTLY always fails. No placeholders: the text is sent as written (`${x}` too).
 * - Bookkeeping (traits/mod.rs ASSERT_MIGRATIONS_TABLE_QUERY, DEFAULT_MIGRATION_TABLE_NAME): `refinery_schema_history`
 *   (unqualified: public on a new database) with an int4 version (int8 with `int8-versions`), created before the first
 *   migration; `set_migration_table_name` / `--table-name` rename it.
 * - `.rs` migrations are Rust code whose `migration()` returns the SQL at run time: not replayable (named, and the
 *   check says incomplete).
 */
const DEFAULT_TABLE = 'refinery_schema_history';

/** util.rs STEM_RE with the extension: Rust's Unicode `\d` (Nd) and `\w` (Alphabetic, M, Nd, Pc, Join_Control). */
const FILE_NAME = /^([U|V])(\p{Nd}+(?:\.\p{Nd}+)?)__([\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+)\.(rs|sql)$/u;

interface Candidate {
  name: string;
  version: string;
  rust: boolean;
}

/** The files below a folder as walkdir lists them (relative, forward slashes): links to folders not followed. */
function walk(folder: string, relative = ''): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(folder, relative), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const name = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...walk(folder, name));
    else if (!(entry.isSymbolicLink() && isDirectory(path.join(folder, name)))) files.push(name);
  }
  return files;
}

/** Whether the project's refinery crate stores i64 versions (the `int8-versions` feature). */
function int8Versions(folder: string, root: string): boolean {
  return foldersUpTo(path.dirname(folder), root).some((dir) => {
    try {
      return enablesInt8Versions(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'));
    } catch {
      return false;
    }
  });
}

/** A version refinery parses: ASCII digits (Rust's `str::parse` accepts no other) within i32, or i64. */
function parsesAsVersion(version: string, int8: boolean): boolean {
  if (!/^\d+$/.test(version)) return false;
  return BigInt(version) <= (int8 ? 2n ** 63n - 1n : 2n ** 31n - 1n);
}

export function discoverRefinery(folder: string, options?: RunnerOptions): { migrations: DiscoveredMigration[]; ignored: IgnoredFile[]; problems: string[]; notPostgres?: string } {
  const int8 = int8Versions(folder, options?.projectRoot ?? path.dirname(folder));
  const candidates: Candidate[] = [];
  const ignored: IgnoredFile[] = [];
  const problems: string[] = [];
  for (const name of walk(folder).sort(byCodeUnits)) {
    const base = path.posix.basename(name);
    const match = FILE_NAME.exec(base);
    if (!match) {
      if (/\.sql$/i.test(base)) ignored.push({ name, reason: 'not [U|V]<version>__<name>.sql (the name may hold only letters, digits and _): refinery skips it with a warning' });
      continue;
    }
    if (!isFile(path.join(folder, name))) continue;
    if (match[1] === '|') {
      problems.push(`${name}: refinery matches "|" as a migration prefix and then panics (util.rs parse_migration_name: unreachable!)`);
      continue;
    }
    if (!parsesAsVersion(match[2], int8)) {
      problems.push(`${name}: version "${match[2]}" is not an ${int8 ? 'i64' : 'i32'} (refinery stops: invalid version${int8 || !/^\d+$/.test(match[2]) ? '' : '; the int8-versions feature allows i64'})`);
      continue;
    }
    candidates.push({ name, version: match[2], rust: match[4] === 'rs' });
  }
  candidates.sort((a, b) => compareIntegers(a.version, b.version) || byCodeUnits(a.name, b.name));
  const seen = new Map<string, string>();
  for (const c of candidates) {
    const key = BigInt(c.version).toString();
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${c.name} has the same version as ${first}: refinery stops (RepeatedVersion, or the second row in its history table fails on the primary key)`);
    else seen.set(key, c.name);
  }
  const migrations: DiscoveredMigration[] = [];
  for (const [index, c] of candidates.entries()) {
    if (!c.rust) {
      migrations.push({ name: c.name, version: c.version });
      continue;
    }
    const next = candidates.slice(index + 1).find((other) => !other.rust);
    ignored.push({
      name: c.name,
      reason: 'a Rust migration: embed_migrations! compiles it and applies the SQL its migration() returns at run time, which pgdrift cannot replay; the replayed schema lacks its effect (refinery migrate, the CLI, skips .rs files)',
      appliedByRunner: true,
      ...(next ? { appliedBefore: next.name } : {}),
    });
  }
  const notPostgres = refineryTomlOtherDatabase(folder, options?.projectRoot ?? path.dirname(folder)) ?? crateForOtherDatabase(folder, options?.projectRoot ?? path.dirname(folder), REFINERY_DATABASES);
  return { migrations, ignored, problems, ...(notPostgres ? { notPostgres } : {}) };
}

/**
 * refinery's database features (refinery/Cargo.toml, the same on refinery-core): `postgres`, `tokio-postgres` and
 * `sqlx-postgres` drive PostgreSQL; `rusqlite`/`rusqlite-bundled` SQLite, `mysql`/`mysql_async` MySQL,
 * `tiberius`/`tiberius-config` SQL Server. A crate that enables only another database's runs its migrations there.
 */
export const REFINERY_DATABASES: CrateDatabases = {
  crate: 'refinery',
  related: ['refinery-core', 'refinery_core'],
  features: {
    postgres: 'postgres', 'tokio-postgres': 'postgres', 'sqlx-postgres': 'postgres',
    rusqlite: 'SQLite', 'rusqlite-bundled': 'SQLite', mysql: 'MySQL', mysql_async: 'MySQL', tiberius: 'SQL Server', 'tiberius-config': 'SQL Server',
  },
  readsCode: false,
};

/** traits/mod.rs assert_migrations_table_query: the name is written into the SQL as given. */
function refineryBookkeeping(tableName: string, int8: boolean): BookkeepingSetup {
  return {
    table: qualifiedTableName(tableName),
    sql: `CREATE TABLE IF NOT EXISTS ${tableName}(
             version ${int8 ? 'int8' : 'int4'} PRIMARY KEY,
             name VARCHAR(255),
             applied_on VARCHAR(255),
             checksum VARCHAR(255));`,
  };
}

/** A refinery.toml (refinery_core/src/config.rs Config: a `[main]` table with `db_type`) in a folder from the migrations folder's parent up. */
function refineryToml(folder: string, root: string): string | undefined {
  for (const dir of foldersUpTo(path.dirname(folder), root)) {
    const file = path.join(dir, 'refinery.toml');
    if (!isFile(file)) continue;
    try {
      const toml = tryParseToml(readFileSync(file, 'utf8'));
      if (toml && isTomlTable(toml.main) && typeof toml.main.db_type === 'string') return file;
    } catch {
      // unreadable: no evidence
    }
  }
  return undefined;
}

/**
 * The database of the nearest refinery.toml (refinery_cli's config: config.rs ConfigDbType `Mysql`, `Postgres`,
 * `Sqlite`, `Mssql`) when it is not PostgreSQL: `refinery migrate -c refinery.toml` runs the folder there.
 */
function refineryTomlOtherDatabase(folder: string, root: string): string | undefined {
  const file = refineryToml(folder, root);
  if (!file) return undefined;
  const toml = tryParseToml(readFileSync(file, 'utf8'));
  const type = toml && isTomlTable(toml.main) ? toml.main.db_type : undefined;
  const names: Record<string, string> = { Mysql: 'MySQL', Sqlite: 'SQLite', Mssql: 'SQL Server' };
  if (typeof type !== 'string' || !names[type]) return undefined;
  const shown = path.relative(path.resolve(root), file).split(path.sep).join('/');
  return `${shown} [main] db_type = "${type}": refinery migrate runs these migrations on ${names[type]}, not PostgreSQL`;
}

/** The nearest Cargo.toml above the folder (up to the root) depends on refinery. */
function crateDependsOnRefinery(listing: FolderListing): boolean {
  for (const dir of foldersUpTo(path.dirname(listing.folder), listing.root ?? path.dirname(listing.folder))) {
    const file = path.join(dir, 'Cargo.toml');
    if (!isFile(file)) continue;
    try {
      if (cargoDependsOnRefinery(readFileSync(file, 'utf8'))) return true;
    } catch {
      // unreadable: no evidence
    }
  }
  return false;
}

/**
 * A crate's own `migrations` folder: `embed_migrations!()` without a path reads `migrations` beside the crate's
 * Cargo.toml (refinery_macros/src/lib.rs: CARGO_MANIFEST_DIR), so a workspace keeps it in the crate.
 */
export function isRefineryCrateFolder(folder: string): boolean {
  if (path.basename(folder) !== 'migrations') return false;
  try {
    return cargoDependsOnRefinery(readFileSync(path.join(path.dirname(folder), 'Cargo.toml'), 'utf8'));
  } catch {
    return false;
  }
}

/** Flyway's own settings or a JVM build beside the folder: a refinery dependency elsewhere then does not outrank Flyway. */
function flywayProjectFiles(listing: FolderListing): boolean {
  const names = ['flyway.conf', 'flyway.toml', 'pom.xml', 'build.gradle', 'build.gradle.kts', path.join('conf', 'flyway.conf')];
  return foldersUpTo(path.dirname(listing.folder), listing.root ?? path.dirname(listing.folder)).some((dir) => names.some((name) => isFile(path.join(dir, name))));
}

/** Settings read from code and commands that disagree, or that pgdrift cannot read: the one to use, or a notice. */
function decide<T>(settings: RefineryCodeSetting<T>[], what: string, assumed: string): { value?: T; notice?: string } {
  const unread = settings.filter((s) => s.value === undefined);
  const values = [...new Set(settings.filter((s) => s.value !== undefined).map((s) => s.value as T))];
  if (unread.length > 0) return { notice: `refinery: ${unread.map((s) => `${s.unread} (${s.at})`).join(', ')} is not a literal pgdrift reads: the replay assumes ${assumed}` };
  if (values.length > 1) return { notice: `refinery: the project sets ${what} differently (${settings.map((s) => `${String(s.value)} at ${s.at}`).join(', ')}): the replay assumes ${assumed}` };
  return values.length === 1 ? { value: values[0] } : {};
}

export const refinery: Runner = {
  name: 'refinery',
  docs: 'https://github.com/rust-db/refinery#readme',
  folders: ['migrations'],
  discover: discoverRefinery,
  evidence(listing) {
    const files = listing.files.filter((name) => {
      const match = FILE_NAME.exec(path.posix.basename(name));
      return match !== null && match[1] !== '|';
    });
    if (files.length === 0) return undefined;
    const config = refineryToml(listing.folder, listing.root ?? path.dirname(listing.folder));
    const crate = crateDependsOnRefinery(listing);
    let embedded = false;
    if (!config && !crate) {
      // embed_migrations!("../../migrations"): a folder outside the crate that embeds it
      const folder = path.resolve(listing.folder);
      embedded = readRefineryProject(listing.root ?? path.dirname(listing.folder), {}).embedded.some((e) => e.value === folder);
    }
    if (!config && !crate && !embedded) return undefined;
    const what = crate ? '[U|V]<version>__<name>.sql in a Rust project that depends on refinery (Cargo.toml)' : config ? `[U|V]<version>__<name>.sql beside ${path.basename(config)}` : '[U|V]<version>__<name>.sql named by embed_migrations!';
    return { files, what, ...(flywayProjectFiles(listing) ? {} : { overrides: ['flyway' as const] }) };
  },
  plan: (text) => wholeFile(text, 'wrapped'),
  // include_str! (embed_migrations!) and read_to_string (refinery migrate) keep a byte order mark, and batch_execute sends it
  sendsByteOrderMark: () => true,
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const project = readRefineryProject(root, environmentWithDotEnv(folder, options));
    for (const named of [project.cliFolders, project.embedded]) {
      const known = named.filter((s) => s.value !== undefined);
      const folders = [...new Set(known.map((s) => s.value!))];
      if (folders.length === 1 && known.length === named.length) {
        const at = known[0].at;
        return { setting: named === project.embedded ? `embed_migrations! in ${at}` : `refinery migrate -p in ${at}`, folders };
      }
    }
    return undefined;
  },
  forProject(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const project = readRefineryProject(root, environmentWithDotEnv(folder, options));
    const grouped = decide(project.grouped, 'set_grouped', 'each migration in its own transaction (refinery\'s default)');
    const table = decide(project.tableName, 'the migration table name', `refinery's ${DEFAULT_TABLE}`);
    const notices = [grouped.notice, table.notice].filter((n): n is string => n !== undefined);
    const int8 = int8Versions(folder, root);
    const setup = refineryBookkeeping(table.value ?? DEFAULT_TABLE, int8);
    return {
      bookkeeping: [setup.table],
      bookkeepingSetup: setup,
      ...(grouped.value ? { oneTransaction: true, lint: { ...refinery.lint, transactions: 'refinery runs every pending migration in one transaction (set_grouped(true) / refinery migrate -g)' } } : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  },
  compareVersions: compareIntegers,
  bookkeeping: [`public.${DEFAULT_TABLE}`],
  bookkeepingSetup: refineryBookkeeping(DEFAULT_TABLE, false),
  lint: {
    fileNamePattern: /^(?:[^/]+\/)*[UV]\d+__\w+\.sql$/,
    example: 'V2__add_orders.sql',
    sequentialVersions: false,
    // refinery's own examples count V1__, V2__ ... unpadded; it orders by the number, never by name
    nameOrderWarning: false,
    transactions: 'refinery runs each migration in its own transaction (all of them in one with set_grouped(true) or refinery migrate -g)',
    outsideTransaction: 'refinery cannot: every migration runs in a transaction and there is no per-file opt-out; run the statement outside refinery',
  },
};
