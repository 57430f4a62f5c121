import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { environmentWithDotEnv } from './dotenv.js';
import { UNKNOWN } from './makefile.js';
import { argumentsOf, type ScriptInvocation, type ShellWord } from './package-scripts.js';
import { programCalls, projectCommandNotices } from './project-commands.js';
import { migrateMacroFolders, type MacroFolder } from './sqlx-macro.js';
import { InputError } from '../errors.js';
import { nearestSqlxToml, qualifiedTableName, readSqlxToml } from './sqlx-toml.js';
import { isTomlTable, tryParseToml } from '../util/toml.js';
import { forEachSourceFile } from '../util/walk.js';
import { byCodeUnits, compareIntegers, duplicateVersions, foldersUpTo, isDirectory, isFile, manifestAbove, wholeFile, type FilePlan, type FolderListing, type IgnoredFile, type Runner } from './types.js';

/**
 * sqlx (Rust: `sqlx migrate run`, `sqlx::migrate!()`), launchbadge/sqlx@9d6bf66.
 * - Discovery (sqlx-core/src/migrate/source.rs `resolve_blocking_with_config`): the files directly in the folder
 *   (sub-folders are not read); a name is split at its first `_`, and one without `_` or not ending in `.sql` is
 *   skipped; the part before it must parse as an i64 or the whole run fails ("error parsing migration filename").
 *   `.up.sql` / `.down.sql` are the reversible kind (migration_type.rs), any other `.sql` the simple kind; down
 *   migrations never run on `migrate run` (migrator.rs `run_direct`).
 * - Order: by version (`sort_by_key`). Two up migrations with one version fail on a new database (the second's
 *   row in the history table: 23505): refused.
 * - Transactions (sqlx-postgres/src/migrate.rs `apply`): each migration in its own transaction (BEGIN, the file as
 *   one simple query, the history row, COMMIT), unless the file starts with exactly `-- no-transaction`: then the
 *   file is one simple query, which Postgres runs as one implicit transaction.
 * - Bookkeeping `_sqlx_migrations`, created before the first migration (`ensure_migrations_table`, unqualified:
 *   public on a new database), or the `table-name` of the crate's `sqlx.toml` (sqlx 0.9, read in sqlx-toml.ts; field:
 *   tensorzero/durable's `__durable_sqlx_migrations`). Its `migrations-dir` names the folder `migrate!()` reads when
 *   no conventional one is found; `create-schemas` is not replayed (a notice says so).
 * - Detection: the file names are golang-migrate's (reversible) or plain `<version>_<name>.sql`; what shows sqlx is
 *   a Cargo.toml that depends on sqlx, in the migrations folder's parent or above (up to the project root).
 */
const NO_TRANSACTION = '-- no-transaction';

export const sqlx: Runner = {
  name: 'sqlx',
  docs: 'https://docs.rs/sqlx/latest/sqlx/migrate/struct.Migrator.html',
  folders: ['migrations'],
  discover(folder, options) {
    const ups: { name: string; version: string }[] = [];
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    for (const name of readdirSync(folder).sort(byCodeUnits)) {
      // fs::metadata follows links: a link to a file is a file, a folder (or a link to one) is not read
      if (!isFile(path.join(folder, name))) continue;
      const separator = name.indexOf('_');
      if (separator < 0 || !name.slice(separator + 1).endsWith('.sql')) {
        if (name.toLowerCase().endsWith('.sql')) ignored.push({ name, reason: 'not <version>_<description>.sql: sqlx skips it' });
        continue;
      }
      const version = name.slice(0, separator);
      if (!isI64(version)) {
        problems.push(`${name}: error parsing migration filename "${name}"; expected integer version prefix (e.g. \`01_foo.sql\`) (sqlx stops there)`);
        continue;
      }
      if (name.endsWith('.down.sql')) ignored.push({ name, reason: 'a down migration: `sqlx migrate run` never applies it', expected: true });
      else ups.push({ name, version });
    }
    ups.sort((a, b) => compareIntegers(a.version, b.version) || byCodeUnits(a.name, b.name));
    const notPostgres = sqlxForOtherDatabase(folder, options?.projectRoot ?? path.dirname(folder));
    return { migrations: ups, ignored, problems: [...problems, ...duplicateVersions(ups, (v) => BigInt(v).toString())], ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence(listing) {
    if (!dependsOnSqlx(listing)) return undefined;
    const files = listing.files.filter((name) => !name.includes('/') && /^[+-]?\d+_.*\.sql$/.test(name));
    return files.length > 0 ? { files, what: '<version>_<description>.sql in a Rust project that depends on sqlx (Cargo.toml)', overrides: ['golang-migrate'] } : undefined;
  },
  plan: planSqlx,
  // source.rs: fs::read_to_string keeps a BOM (its ignored_chars only leave it out of the checksum), and migrate.rs
  // execute_migration sends the text as it is; a BOM also hides a `-- no-transaction` (sql.starts_with)
  sendsByteOrderMark: () => true,
  configuredFolders(folder, options) {
    // sqlx-cli opt.rs MigrationSourceOpt::resolve_path: `sqlx migrate run --source <dir>` wins over sqlx.toml
    const fromCommands = sourceFlagFolders(options.projectRoot ?? path.dirname(folder), environmentWithDotEnv(folder, options));
    if (fromCommands) return fromCommands;
    // the application's own `sqlx::migrate!("./db/migrations")` (relative to its crate): the one folder the code names
    const root = options.projectRoot ?? path.dirname(folder);
    const macros = migrateMacroFolders(root, cargoDependsOnSqlx);
    const named = [...new Set(macros.map((call) => call.folder))];
    if (named.length === 1) return { setting: `sqlx::migrate!("${macros[0].literal}") in ${macros[0].at}`, folders: named };
    const postgres = postgresMacroFolders(folder, root, macros);
    if (postgres) return postgres;
    // sqlx-macros-core migrate.rs default_path: migrate!() without a path reads sqlx.toml's migrations-dir, relative to the crate root
    const settings = readSqlxToml(options.projectRoot ?? path.dirname(folder), options.projectRoot ?? path.dirname(folder));
    if (!settings?.migrationsDir) return undefined;
    return { setting: `${settings.file} [migrate] migrations-dir (${settings.migrationsDir})`, folders: [path.resolve(settings.dir, settings.migrationsDir)] };
  },
  forProject(folder, options) {
    // a Taskfile or justfile pgdrift could not read (broken YAML, an include it cannot follow): its sqlx commands are unknown
    const unread = projectCommandNotices(options.projectRoot ?? path.dirname(folder), environmentWithDotEnv(folder, options)).map((notice) => `sqlx: ${notice}`);
    const settings = nearestSqlxToml(path.dirname(folder), options.projectRoot ?? path.dirname(folder));
    if (!settings) return unread.length > 0 ? { notices: unread } : {};
    const notices = [
      ...unread,
      ...settings.problems.map((problem) => `${problem}: the replay uses sqlx's default there`),
      ...(settings.unread.length > 0 ? [`sqlx.toml settings pgdrift does not replay: ${settings.unread.join(', ')}`] : []),
    ];
    const setup = settings.tableName ? sqlxBookkeeping(settings.tableName) : undefined;
    return { ...(setup ? { bookkeeping: [setup.table], bookkeepingSetup: setup } : {}), ...(notices.length > 0 ? { notices } : {}) };
  },
  compareVersions: compareIntegers,
  bookkeeping: ['public._sqlx_migrations'],
  bookkeepingSetup: sqlxBookkeeping('_sqlx_migrations'),
  lint: {
    // source.rs resolve: splitn(2, '_'), an i64 version, any description, ends_with(".sql") (`20251218140442_[2.0.0]_initial.up.sql`)
    fileNamePattern: /^\d+_[^/]+\.sql$/,
    example: '20240131120000_add_orders.sql',
    sequentialVersions: false,
    transactions: 'sqlx runs each migration in a transaction unless the file starts with -- no-transaction',
    outsideTransaction: 'put it alone in a file that starts with -- no-transaction (sqlx then sends it as one query, without BEGIN)',
  },
};

/**
 * Several `sqlx::migrate!("<path>")` calls naming several folders: those that exist and are not a crate's for another
 * database (atuin keeps a SQLite server crate beside the PostgreSQL one). One left is the folder. Several, asked for
 * the project root (no migrations folder found), are an error listing them: each call builds its own Migrator, run
 * when and in the order the program decides, so no one replay stands for them, and the crate's `migrations/` parent
 * the usual search would go on to is none of them (field: quickwit-oss/quickwit
 * quickwit-metastore/src/metastore/postgres/migrator.rs runs `migrate!("migrations/postgresql")`, then
 * `migrate!("migrations/postgresql_deferred")` in a background task: pgdrift took quickwit-metastore/migrations/ as a
 * numbered folder and failed on it).
 */
function postgresMacroFolders(folder: string, root: string, macros: MacroFolder[]): { setting: string; folders: string[] } | undefined {
  const candidates = new Map<string, MacroFolder>();
  for (const call of macros) {
    if (candidates.has(call.folder) || !isDirectory(call.folder)) continue;
    if (sqlxForOtherDatabase(call.folder, root) !== undefined) continue;
    candidates.set(call.folder, call);
  }
  if (candidates.size === 1) {
    const [[one, call]] = [...candidates];
    return { setting: `sqlx::migrate!("${call.literal}") in ${call.at}`, folders: [one] };
  }
  if (candidates.size < 2 || path.resolve(folder) !== path.resolve(root)) return undefined;
  const relative = (one: string) => path.relative(root, one).split(path.sep).join('/') || '.';
  const shown = [...candidates].map(([one, call]) => ({ folder: relative(one), at: call.at }));
  throw new InputError(`the project's sqlx::migrate! calls embed ${candidates.size} migrations folders, each its own Migrator: ${shown.map((one) => `${one.at}: ${one.folder}`).join('; ')}`, {
    hint: `name the one to check: --migrations ${shown[0].folder} --runner sqlx (or another of them), or "migrations" and "runner" in pgdrift.config.json`,
  });
}

/**
 * The folder the project's `sqlx migrate run --source <dir>` commands name (also `cargo sqlx migrate run`), in its
 * package.json scripts and Makefile, Taskfile and justfile recipes (sqlx-cli opt.rs MigrationSourceOpt: `--source`,
 * relative to the folder sqlx runs in): the one folder they all name; undefined when none names one, they name
 * several, or one only the shell knows (the folder found then stays).
 */
function sourceFlagFolders(root: string, env: Record<string, string | undefined>): { setting: string; folders: string[] } | undefined {
  const folders = new Map<string, string>();
  for (const { where, cwd, args } of programCalls(root, env, 'sqlx', sqlxArguments)) {
    if (args[0]?.text !== 'migrate' || args[1]?.text !== 'run') continue;
    let source: ShellWord | undefined;
    for (let i = 2; i < args.length; i++) {
      if (args[i].text === '--source') source = args[++i];
      else if (args[i].text.startsWith('--source=')) source = { ...args[i], text: args[i].text.slice('--source='.length) };
    }
    if (!source) continue;
    if (source.dynamic || source.text.includes(UNKNOWN) || cwd === undefined) return undefined;
    const resolved = path.resolve(cwd, source.text);
    if (!folders.has(resolved)) folders.set(resolved, `${where} (sqlx migrate run --source ${source.text})`);
  }
  if (folders.size !== 1) return undefined;
  const [[resolved, setting]] = [...folders];
  return { setting, folders: [resolved] };
}

/** A recipe command's call of sqlx-cli: `sqlx …` (also through a launcher) or `cargo sqlx …`; the words after `sqlx`. */
function sqlxArguments(words: ShellWord[]): Pick<ScriptInvocation, 'args' | 'assignments'> | undefined {
  const direct = argumentsOf(words, 'sqlx');
  if (direct) return direct;
  const cargo = words.findIndex((word) => !word.dynamic && path.posix.basename(word.text) === 'cargo');
  return cargo >= 0 && words[cargo + 1]?.text === 'sqlx' ? { args: words.slice(cargo + 2), assignments: new Map() } : undefined;
}

/** sqlx-postgres/src/migrate.rs `ensure_migrations_table`: the table name is written into the SQL as given. */
function sqlxBookkeeping(tableName: string) {
  return {
    table: qualifiedTableName(tableName),
    sql: `CREATE TABLE IF NOT EXISTS ${tableName} (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);`,
  };
}

export function planSqlx(text: string): FilePlan {
  return wholeFile(text, text.startsWith(NO_TRANSACTION) ? 'implicit' : 'wrapped');
}

/** Rust's `i64::from_str`: an optional sign and digits, within range. */
function isI64(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
}

/**
 * Whether a Cargo.toml depends on sqlx: a `sqlx` entry (or one renamed with `package = "sqlx"`) in `[dependencies]`,
 * `[dev-dependencies]`, `[build-dependencies]`, their `[target.<cfg>.*]` forms, or `[workspace.dependencies]`, in
 * any TOML form (`sqlx = "0.8"`, `sqlx.workspace = true`, `[dependencies.sqlx]`; field: wyatt-herkamp/nitro_repo
 * crates/core). A manifest that is not valid TOML (cargo refuses it) depends on nothing.
 */
export function cargoDependsOnSqlx(text: string): boolean {
  return cargoDependsOn(text, 'sqlx');
}

/** A Cargo.toml depends on `crate` (a dependency, dev or build one, of the package, its workspace or a target). */
export function cargoDependsOn(text: string, crate: string): boolean {
  if (!text.includes(crate)) return false; // most manifests: no TOML parse needed
  const manifest = tryParseToml(text);
  if (!manifest) return false;
  const tables: unknown[] = [];
  const addDependencyTables = (scope: unknown) => {
    if (isTomlTable(scope)) tables.push(scope.dependencies, scope['dev-dependencies'], scope['build-dependencies']);
  };
  addDependencyTables(manifest);
  addDependencyTables(manifest.workspace);
  if (isTomlTable(manifest.target)) for (const platform of Object.values(manifest.target)) addDependencyTables(platform);
  return tables.some((table) => isTomlTable(table) && Object.entries(table).some(([name, spec]) => name === crate || (isTomlTable(spec) && spec.package === crate)));
}

/**
 * A crate's own `migrations` folder: `sqlx::migrate!()` with no path reads `migrations` beside the crate's Cargo.toml
 * (CARGO_MANIFEST_DIR), so a workspace keeps it in the crate (rust-lang/docs.rs: crates/lib/docs_rs_database/migrations).
 */
export function isSqlxCrateFolder(folder: string, root?: string): boolean {
  if (path.basename(folder) !== 'migrations') return false;
  try {
    if (!cargoDependsOnSqlx(readFileSync(path.join(path.dirname(folder), 'Cargo.toml'), 'utf8'))) return false;
  } catch {
    return false;
  }
  // a crate whose sqlx is for SQLite or MySQL only is no candidate (atuin's atuin-server-sqlite beside atuin-server-postgres)
  return root === undefined || sqlxForOtherDatabase(folder, root) === undefined;
}

/**
 * Why the crate's migrations are not PostgreSQL ones: the nearest Cargo.toml above the folder that depends on sqlx
 * enables its `sqlite` or `mysql` feature and never `postgres` (in the dependency's `features`, the workspace
 * dependency's it inherits with `workspace = true`, or a `[features]` entry `sqlx/postgres`). Field: atuinsh/atuin
 * crates/atuin-server-sqlite (`features = ["sqlite", "regexp"]`), whose SQLite migrations failed on `autoincrement`.
 * A crate naming no database feature (it gets one through Cargo's feature unification) is read by the drivers its code
 * uses (databasesInCode): only SQLite or MySQL ones make it another database's; none, or PostgreSQL's, is PostgreSQL.
 */
export function sqlxForOtherDatabase(folder: string, root: string): string | undefined {
  return crateForOtherDatabase(folder, root, SQLX_DATABASES);
}

/** A Rust migration crate's database features: which crates carry them, and the database each feature is for. */
export interface CrateDatabases {
  /** the crate the migrations are run with (its dependency marks the crate that owns the folder) */
  crate: string;
  /** further crates of the same tool whose features also choose the database (diesel_migrations, refinery-core) */
  related: string[];
  /** feature name → database: `postgres`, or the other database's name as shown (SQLite, MySQL, SQL Server) */
  features: Record<string, string>;
  /** read the crate's code when no feature names a database (sqlx: feature unification gives it one) */
  readsCode: boolean;
}

const SQLX_DATABASES: CrateDatabases = { crate: 'sqlx', related: [], features: { postgres: 'postgres', sqlite: 'SQLite', mysql: 'MySQL' }, readsCode: true };

/**
 * Why a crate's migrations are for another database, by the features it enables on the migration tool's crates (see
 * sqlxForOtherDatabase): some feature of another database and none of PostgreSQL's. Undefined when no Cargo.toml
 * above the folder depends on the tool, or when it names no database at all (pgdrift cannot tell: it replays).
 */
export function crateForOtherDatabase(folder: string, root: string, spec: CrateDatabases): string | undefined {
  const top = path.resolve(root);
  const manifests: { file: string; text: string; toml: Record<string, unknown> }[] = [];
  for (const dir of foldersUpTo(path.dirname(folder), top)) {
    const file = path.join(dir, 'Cargo.toml');
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // none here
    }
    const toml = text === undefined ? undefined : tryParseToml(text);
    if (text !== undefined && toml) manifests.push({ file, text, toml });
  }
  const crate = manifests.find((m) => cargoDependsOn(m.text, spec.crate));
  if (!crate) return undefined;
  const workspace = manifests.find((m) => isTomlTable(m.toml.workspace));
  const crates = [spec.crate, ...spec.related];
  const features = new Set<string>();
  let inherits = false;
  const addSpec = (dependency: unknown) => {
    if (!isTomlTable(dependency)) return;
    if (Array.isArray(dependency.features)) for (const f of dependency.features) if (typeof f === 'string') features.add(f);
    if (dependency.workspace === true) inherits = true;
  };
  const toolSpecs = (table: unknown) =>
    isTomlTable(table) ? Object.entries(table).filter(([name, dependency]) => crates.includes(name) || (isTomlTable(dependency) && typeof dependency.package === 'string' && crates.includes(dependency.package))).map(([, dependency]) => dependency) : [];
  const scopes = (m: Record<string, unknown>) => [m, ...(isTomlTable(m.target) ? Object.values(m.target) : [])].flatMap((scope) => (isTomlTable(scope) ? [scope.dependencies, scope['dev-dependencies'], scope['build-dependencies']] : []));
  for (const table of scopes(crate.toml)) for (const dependency of toolSpecs(table)) addSpec(dependency);
  if (isTomlTable(crate.toml.workspace)) for (const dependency of toolSpecs(crate.toml.workspace.dependencies)) addSpec(dependency);
  if (inherits && workspace && isTomlTable(workspace.toml.workspace)) for (const dependency of toolSpecs(workspace.toml.workspace.dependencies)) addSpec(dependency);
  // `[features] pg = ["sqlx/postgres"]`: the crate can be built for it
  if (isTomlTable(crate.toml.features)) {
    for (const list of Object.values(crate.toml.features)) {
      if (!Array.isArray(list)) continue;
      for (const f of list) {
        if (typeof f !== 'string') continue;
        const slash = f.indexOf('/');
        if (slash > 0 && crates.includes(f.slice(0, slash).replace(/\?$/, ''))) features.add(f.slice(slash + 1));
      }
    }
  }
  const named = [...features].filter((f) => Object.hasOwn(spec.features, f));
  const databases = [...new Set(named.map((f) => spec.features[f]))];
  const where = path.relative(top, crate.file).split(path.sep).join('/');
  if (databases.length === 0) {
    if (!spec.readsCode) return undefined;
    const used = databasesInCode(path.dirname(crate.file));
    if (used.length === 0 || used.includes('postgres')) return undefined;
    return `${where} names no sqlx database feature, and the crate's code uses sqlx only with ${used.map((d) => (d === 'sqlite' ? 'SQLite' : 'MySQL')).join(' and ')} (${used.map((d) => DRIVER_TYPES[d]).join(', ')}): these are ${used.map((d) => (d === 'sqlite' ? 'SQLite' : 'MySQL')).join(' and ')} migrations, not PostgreSQL ones`;
  }
  if (databases.includes('postgres')) return undefined;
  return `${where} enables ${spec.crate} only for ${named.join(' and ')} (features ${[...features].map((f) => JSON.stringify(f)).join(', ')}): these are ${databases.join(' and ')} migrations, not PostgreSQL ones`;
}

/** How a crate's Rust code names each sqlx driver: its module path or its pool and connection types. */
const DRIVER_PATTERNS: Record<'postgres' | 'sqlite' | 'mysql', RegExp> = {
  postgres: /\bsqlx::(?:postgres|Postgres)\b|\bPg(?:Pool|Connection|ConnectOptions|PoolOptions)\b/,
  sqlite: /\bsqlx::(?:sqlite|Sqlite)\b|\bSqlite(?:Pool|Connection|ConnectOptions|PoolOptions)\b/,
  mysql: /\bsqlx::(?:mysql|MySql)\b|\bMySql(?:Pool|Connection|ConnectOptions|PoolOptions)\b/,
};
const DRIVER_TYPES: Record<string, string> = { sqlite: 'sqlx::sqlite, SqlitePool...', mysql: 'sqlx::mysql, MySqlPool...' };

/**
 * The sqlx drivers a crate's `src/` uses (bounded: 500 files). A crate whose Cargo.toml names no database feature gets
 * one through Cargo's feature unification (field: atuinsh/atuin crates/atuin-kv and atuin-scripts, `sqlx = { workspace
 * = true }`, beside atuin-server-postgres): which one its migrations are for is the pool it runs `migrate!()` on, and
 * the database a pool connects to is its driver's (sqlx-core Pool<DB>; SqlitePool = Pool<Sqlite>).
 */
function databasesInCode(crate: string): string[] {
  const used = new Set<string>();
  forEachSourceFile(path.join(crate, 'src'), { accept: (name) => name.endsWith('.rs'), maxFiles: 500 }, (file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const [name, pattern] of Object.entries(DRIVER_PATTERNS)) if (pattern.test(text)) used.add(name);
  });
  return ['postgres', 'sqlite', 'mysql'].filter((name) => used.has(name));
}

/** A Cargo.toml with a sqlx dependency (`sqlx = ...`, `[dependencies.sqlx]`, a workspace's), from the folder's parent up to the project root. */
function dependsOnSqlx(listing: FolderListing): boolean {
  return manifestAbove(listing, 'Cargo.toml', cargoDependsOnSqlx);
}
