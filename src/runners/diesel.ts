import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { parseSqlOrUndefined } from '../sql/parse.js';
import { environmentWithDotEnv } from './dotenv.js';
import { UNKNOWN } from './makefile.js';
import type { ShellWord } from './package-scripts.js';
import { programCalls } from './project-commands.js';
import { cargoDependsOn, crateForOtherDatabase, type CrateDatabases } from './sqlx.js';
import { isTomlTable, parseToml, tryParseToml } from '../util/toml.js';
import { byCodeUnits, foldersUpTo, isDirectory, isFile, manifestAbove, wholeFile, type DiscoveredMigration, type FilePlan, type IgnoredFile, type Runner } from './types.js';

/** diesel/src/migration/setup_migration_table.sql (`MigrationConnection::setup` for PgConnection) */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
       version VARCHAR(50) PRIMARY KEY NOT NULL,
       run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);`;

const UNKNOWN_FORMAT =
  "Invalid migration directory: the directory's name should be <timestamp>_<name_of_migration>, and it should contain up.sql and optionally down.sql.";

/**
 * Diesel (Rust: `diesel migration run`, `diesel setup`, `embed_migrations!()` + `run_pending_migrations`),
 * diesel-rs/diesel branch 2.3.x (9311439, 2026-07).
 * - Discovery (diesel_migrations/migrations_internals/src/lib.rs `migrations_directories`): every entry of the folder
 *   that is not a file and whose name does not start with `.`; an empty folder is skipped. Each one must hold an
 *   `up.sql` (`valid_sql_migration_directory`), or `FileBasedMigrations::from_path` refuses the whole folder
 *   (UnknownMigrationFormat), before anything runs. `DirEntry::metadata` does not follow links: a symbolic link is
 *   taken as a migration folder and read through (a link to a file fails there).
 * - Version (`version_from_string`): the folder name up to its first `_`, with every `-` removed
 *   (`2024-01-31-120000_x` → `20240131120000`; diesel_cli 2.3 writes `2024-01-31-120000-0000_x`). Order
 *   (migration_harness.rs `pending_migrations`): the versions compared as strings (MigrationVersion is a Cow<str>:
 *   byte order). The migrations are collected into a HashMap keyed by version, so of two folders with one version
 *   only one runs, and which depends on the listing order: refused.
 * - What runs (file_based_migrations.rs `run_sql_from_file`): `up.sql` only (down.sql is for revert/redo), read with
 *   read_to_string (a byte order mark is kept, a file that is not UTF-8 fails), refused when empty ("Attempted to run
 *   an empty migration"), and sent whole with `batch_execute` (PgConnection: PQexec, one simple query).
 * - Transactions (migration_harness.rs `run_migration`): the file, then the history row, inside
 *   `conn.transaction(...)` (BEGIN ... COMMIT), unless the folder's `metadata.toml` says `run_in_transaction = false`:
 *   then the file is one simple query, which Postgres runs as one implicit transaction. `TomlMetadata::read_from_file`
 *   falls back to the default (in a transaction) when the file is missing or does not parse as the struct, and the
 *   field is `#[serde(default)] bool`: a metadata.toml that parses without the key means false.
 * - A file that ends the transaction itself (a COMMIT, ROLLBACK or END the file does not follow with a BEGIN) makes
 *   Diesel fail after it (`transactionEndedBy`): refused at that statement.
 * - Session: in 2.3 the search_path a file sets stays for the files after it (Diesel's master branch restores it after
 *   each migration, #4729, unreleased): replayed as 2.3 does.
 * - Bookkeeping: `__diesel_schema_migrations` (version varchar(50), run_on timestamp), created when missing before
 *   the first migration (`setup_database`, unqualified: public on a new database). `diesel setup` also writes the
 *   migration `00000000000000_diesel_initial_setup` (diesel_manage_updated_at and diesel_set_updated_at): a migration
 *   like any other, replayed from the folder.
 * - The folder (diesel_cli migrations/mod.rs `migrations_dir`): `--migration-dir`, else `MIGRATION_DIRECTORY`, else
 *   diesel.toml's `[migrations_directory] dir` (config.rs: relative to diesel.toml's folder; diesel.toml is found from
 *   the working folder up, main.rs `find_project_root`), else `migrations/` searched from the working folder up.
 *   main.rs `inner_main` loads `.env` first (dotenvy, which keeps a variable already set). pgdrift reads the
 *   project's diesel commands that apply migrations (package.json scripts, Makefile/Taskfile/justfile recipes:
 *   their `--migration-dir`, a `MIGRATION_DIRECTORY` they set), then MIGRATION_DIRECTORY of its own environment and
 *   the project root's `.env`, then diesel.toml; the setting that won is named (`configuredFolders`).
 */
export const diesel: Runner = {
  name: 'diesel',
  docs: 'https://docs.rs/diesel_migrations/latest/diesel_migrations/struct.FileBasedMigrations.html',
  folders: ['migrations'],
  discover(folder, options) {
    const found: DiscoveredMigration[] = [];
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => byCodeUnits(a.name, b.name))) {
      const name = entry.name;
      if (name.startsWith('.')) continue;
      if (entry.isFile()) {
        if (name.toLowerCase().endsWith('.sql')) ignored.push({ name, reason: 'Diesel only applies <version>_<name>/up.sql folders', ...(name === 'down.sql' ? { expected: true } : {}) });
        continue;
      }
      const where = path.join(folder, name);
      if (entry.isDirectory() && readdirSync(where).length === 0) continue; // `inner_dir_entry_count == 0`
      const contents = entry.isSymbolicLink() || entry.isDirectory() ? listing(where) : undefined;
      if (!contents || !contents.some((e) => e.name === 'up.sql')) {
        problems.push(`${name}/: ${UNKNOWN_FORMAT} (Diesel refuses the whole migrations folder: FileBasedMigrations::from_path)`);
        continue;
      }
      if (!isFile(path.join(where, 'up.sql'))) {
        problems.push(`${name}/up.sql is not a file: Diesel fails reading it`);
        continue;
      }
      found.push({ name: `${name}/up.sql`, version: dieselVersion(name) });
      for (const inner of contents) {
        if (inner.name === 'up.sql' || !inner.name.toLowerCase().endsWith('.sql')) continue;
        ignored.push(
          inner.name === 'down.sql'
            ? { name: `${name}/down.sql`, reason: 'a down migration: `diesel migration run` never applies it', expected: true }
            : { name: `${name}/${inner.name}`, reason: 'Diesel applies only up.sql of a migration folder' },
        );
      }
    }
    const migrations = found.sort((a, b) => compareDieselVersions(a.version!, b.version!) || byCodeUnits(a.name, b.name));
    const byVersion = new Map<string, string[]>();
    for (const m of migrations) byVersion.set(m.version!, [...(byVersion.get(m.version!) ?? []), m.name.slice(0, -'/up.sql'.length)]);
    for (const [version, folders] of byVersion) {
      if (folders.length > 1) {
        problems.push(
          `${folders.join(', ')} have the same version ${version}: Diesel keeps one migration per version (a HashMap in pending_migrations) and applies only one of them, which depends on the folder listing order`,
        );
      }
    }
    const notPostgres = crateForOtherDatabase(folder, options?.projectRoot ?? path.dirname(folder), DIESEL_DATABASES);
    return { migrations, ignored, problems, ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => /^[^/.][^/]*\/up\.sql$/.test(name));
    if (files.length === 0) return undefined;
    // beside it when it is in the folder's parent; a workspace's diesel.toml may sit further up (vaultwarden's migrations/postgresql/)
    const beside = isFile(path.join(path.dirname(listing.folder), 'diesel.toml'));
    const config = beside ? ' beside diesel.toml' : manifestAbove(listing, 'diesel.toml', () => true) ? ' below a diesel.toml' : '';
    return { files, what: `<version>_<name>/up.sql folders${config}` };
  },
  plan: planDiesel,
  // file_based_migrations.rs run_sql_from_file: read_to_string keeps the mark and batch_execute sends the text as it is
  sendsByteOrderMark: () => true,
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    // a crate whose diesel is for SQLite or MySQL only: its settings name that database's history, which discover refuses
    if (crateForOtherDatabase(folder, root, DIESEL_DATABASES)) return undefined;
    // diesel_cli migrations/mod.rs `migrations_dir`: --migration-dir, else MIGRATION_DIRECTORY, else diesel.toml
    const env = environmentWithDotEnv(folder, options);
    const fromCommands = commandFolders(root, env);
    if (fromCommands.folder) return fromCommands.folder;
    const fromEnvironment = env.MIGRATION_DIRECTORY;
    if (fromEnvironment) {
      const where = !options.env && process.env.MIGRATION_DIRECTORY === undefined ? '.env MIGRATION_DIRECTORY' : 'MIGRATION_DIRECTORY';
      return { setting: `${where} (${fromEnvironment})`, folders: [path.resolve(root, fromEnvironment)] };
    }
    return dieselTomlFolder(folder, root);
  },
  forProject(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const replayed = path.relative(root, folder).split(path.sep).join('/') || '.';
    const notices = commandFolders(root, environmentWithDotEnv(folder, options)).notices.map((notice) => `${notice}; ${replayed} is replayed`);
    return notices.length > 0 ? { notices } : {};
  },
  compareVersions: compareDieselVersions,
  bookkeeping: ['public.__diesel_schema_migrations'],
  bookkeepingSetup: { table: 'public.__diesel_schema_migrations', sql: MIGRATIONS_TABLE },
  lint: {
    // diesel_cli writes `%Y-%m-%d-%H%M%S` (main.rs TIMESTAMP_FORMAT) and, since 2.2, a `-%04x` sub-version; `diesel
    // setup` writes 00000000000000_diesel_initial_setup; older projects use 14 digits
    fileNamePattern: /^(\d{14}|\d{4}-\d{2}-\d{2}-\d{6}(-[0-9a-f]{4})?)_[^/]+\/up\.sql$/,
    example: '2024-01-31-120000_add_orders/up.sql',
    sequentialVersions: false,
    transactions: "Diesel runs each up.sql in a transaction unless the folder's metadata.toml says run_in_transaction = false",
    outsideTransaction: 'put it alone in a migration whose metadata.toml says run_in_transaction = false (Diesel then sends up.sql as one query, without BEGIN)',
    orderName: 'version order (the folder name before its first _, dashes removed, compared as text)',
  },
};

/**
 * The database features of diesel (diesel/Cargo.toml: `postgres`, `sqlite`, `mysql` and their `*_backend` forms) and
 * of diesel_migrations (`postgres`, `sqlite`, `mysql`): a crate that enables only SQLite's or MySQL's runs its
 * migrations on that database (field: 66HEX/lunarbase, `features = ["chrono", "r2d2", "sqlite"]`, whose SQLite
 * migrations failed on AUTOINCREMENT). Diesel has no default backend, so a crate naming none is replayed.
 */
export const DIESEL_DATABASES: CrateDatabases = {
  crate: 'diesel',
  related: ['diesel_migrations', 'diesel-async'],
  features: { postgres: 'postgres', postgres_backend: 'postgres', sqlite: 'SQLite', mysql: 'MySQL', mysql_backend: 'MySQL' },
  readsCode: false,
};

/** `version_from_string`: the name up to the first `_`, dashes removed. */
export function dieselVersion(folderName: string): string {
  return folderName.split('_')[0].replace(/-/g, '');
}

/** MigrationVersion's Ord: the version strings in byte order. */
export function compareDieselVersions(a: string, b: string): number {
  return byCodeUnits(a, b);
}

/**
 * What Diesel applies of a migration's up.sql: the whole file, in a transaction unless the folder's metadata.toml
 * turns it off (read as `TomlMetadata::read_from_file(...).unwrap_or_default()` reads it); an empty file is refused.
 */
export function planDiesel(text: string, name: string, folder: string): FilePlan {
  if (text.length === 0) {
    return { ...wholeFile(text, 'wrapped'), problem: { message: `Failed to run ${path.posix.dirname(name)} with: Attempted to run an empty migration.`, line: 1, column: 1, hint: 'Diesel refuses an empty up.sql (RunMigrationsError::EmptyMigration): write a statement, or a comment' } };
  }
  if (!runsInTransaction(path.join(folder, path.posix.dirname(name)))) return wholeFile(text, 'implicit');
  const ending = transactionEndedBy(text, name);
  if (!ending) return wholeFile(text, 'wrapped');
  return {
    parts: [],
    problem: {
      message: `Diesel runs up.sql in a transaction, and this ${ending.text.split(/\s/)[0].toUpperCase()} leaves it ended: Diesel's own COMMIT then fails with "Cannot perform this operation outside of a transaction" and \`diesel migration run\` stops at this migration`,
      line: ending.line,
      column: ending.column,
      hint: 'remove the BEGIN/COMMIT from up.sql (Diesel opens the transaction), or put run_in_transaction = false in the folder\'s metadata.toml',
    },
  };
}

/**
 * The statement after which no transaction is open any more, when the file ends that way: Diesel's transaction manager
 * sees the connection idle after batch_execute (pg/connection/mod.rs update_transaction_manager_status resets it), so
 * `conn.transaction(...)` ends in commit_transaction's Error::NotInTransaction, after the file's work and the history
 * row (inserted outside any transaction) are committed. A file that opens a new transaction last leaves Diesel one.
 */
function transactionEndedBy(text: string, name: string): { text: string; line: number; column: number } | undefined {
  const statements = parseSqlOrUndefined(text, name)?.statements;
  if (!statements) return undefined; // the replay reports it
  let open = true;
  let ending: (typeof statements)[number] | undefined;
  for (const statement of statements) {
    if (statement.kind !== 'TransactionStmt') continue;
    const kind = statement.ast.kind;
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') open = true;
    else if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') {
      if (open) ending = statement;
      open = false;
    }
  }
  return open ? undefined : ending;
}

/** migrations_internals TomlMetadata: the default (true) when the file is missing or not the struct; a missing key is false. */
export function runsInTransaction(migrationFolder: string): boolean {
  let text: string;
  try {
    text = readFileSync(path.join(migrationFolder, 'metadata.toml'), 'utf8');
  } catch {
    return true;
  }
  const metadata = tryParseToml(text);
  if (!metadata) return true;
  const value = metadata.run_in_transaction;
  if (value === undefined) return false;
  return typeof value === 'boolean' ? value : true;
}

/** The entries of a folder (through a link), or undefined when it cannot be listed (a link to a file or to nothing). */
function listing(folder: string): Dirent[] | undefined {
  try {
    return readdirSync(folder, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  } catch {
    return undefined;
  }
}

/**
 * A folder with Diesel's layout beside a diesel.toml, or a crate's `migrations` beside a Cargo.toml that depends on
 * diesel (diesel_cli run in the crate finds it: migrations_internals find_migrations_directory searches the folder it
 * runs in and its parents for `migrations`; field: Aardwolf-Social/aardwolf aardwolf-models/migrations, with the
 * workspace's diesel.toml at the root): a candidate below the project root.
 */
export function isDieselCrateFolder(folder: string): boolean {
  if (!isDirectory(folder) || !(listing(folder) ?? []).some((e) => isFile(path.join(folder, e.name, 'up.sql')))) return false;
  if (isFile(path.join(path.dirname(folder), 'diesel.toml'))) return true;
  if (path.basename(folder) !== 'migrations') return false;
  try {
    return cargoDependsOn(readFileSync(path.join(path.dirname(folder), 'Cargo.toml'), 'utf8'), 'diesel');
  } catch {
    return false;
  }
}

/** diesel.toml's `[migrations_directory] dir` (config.rs: relative to diesel.toml's folder), the nearest one from the folder up. */
function dieselTomlFolder(folder: string, root: string): { setting: string; folders: string[] } | undefined {
  for (const dir of foldersUpTo(folder, root)) {
    const file = path.join(dir, 'diesel.toml');
    if (!isFile(file)) continue;
    const shown = path.relative(root, file).split(path.sep).join('/') || 'diesel.toml';
    // config.rs Config::read: diesel_cli stops on a diesel.toml that does not parse (toml::from_str)
    const settings = parseToml(readFileSync(file, 'utf8'), shown, 'diesel', 'fix the file (diesel_cli refuses it too), or name the migrations folder with --migrations');
    const section = settings.migrations_directory;
    if (!isTomlTable(section) || typeof section.dir !== 'string') return undefined;
    return { setting: `${shown} [migrations_directory] dir (${section.dir})`, folders: [path.resolve(dir, section.dir)] };
  }
  return undefined;
}

/** diesel_cli's commands that run the pending migrations (main.rs, migrations/mod.rs, database.rs). */
function appliesMigrations(command: string[]): boolean {
  const [first, second] = command;
  return first === 'setup' || (first === 'migration' && (second === 'run' || second === 'redo')) || (first === 'database' && (second === 'setup' || second === 'reset'));
}

/** cli.rs: the global options that take a value (`--migration-dir` is read apart). */
const VALUE_OPTIONS = new Set(['--database-url', '--config-file']);

/**
 * The folder the project's diesel commands that apply migrations (`diesel migration run`, `diesel setup`, `diesel
 * database setup|reset`, in package.json scripts and Makefile, Taskfile and justfile recipes) name themselves:
 * `--migration-dir <dir>` (cli.rs: a global option, anywhere on the line), else a `MIGRATION_DIRECTORY` the command
 * sets (`MIGRATION_DIRECTORY=db diesel …`, or the recipe's environment when it differs from pgdrift's), each relative
 * to the folder the command runs in. One folder when they all name one; otherwise none, and a notice says why.
 */
function commandFolders(root: string, env: Record<string, string | undefined>): { folder?: { setting: string; folders: string[] }; notices: string[] } {
  const folders = new Map<string, string>();
  const unknown: string[] = [];
  for (const call of programCalls(root, env, 'diesel')) {
    const command: string[] = [];
    let flag: ShellWord | undefined;
    for (let i = 0; i < call.args.length; i++) {
      const word = call.args[i];
      if (word.text === '--migration-dir') flag = call.args[++i];
      else if (word.text.startsWith('--migration-dir=')) flag = { ...word, text: word.text.slice('--migration-dir='.length) };
      else if (VALUE_OPTIONS.has(word.text)) i++;
      else if (!word.text.startsWith('-')) command.push(word.text);
    }
    if (!appliesMigrations(command)) continue;
    const assigned = call.assignments.get('MIGRATION_DIRECTORY');
    const inherited = call.env.MIGRATION_DIRECTORY !== env.MIGRATION_DIRECTORY ? call.env.MIGRATION_DIRECTORY : undefined;
    const value: ShellWord | undefined = flag ?? assigned ?? (inherited ? { text: inherited, dynamic: false } : undefined);
    if (!value) continue;
    const shown = flag ? `diesel ${command.join(' ')} --migration-dir ${flag.text}` : assigned ? `MIGRATION_DIRECTORY=${assigned.text} diesel ${command.join(' ')}` : `MIGRATION_DIRECTORY ${inherited} in its environment`;
    if (value.dynamic || value.text.includes(UNKNOWN) || call.cwd === undefined) {
      unknown.push(`${call.where} (${shown.replaceAll(UNKNOWN, '…')}${call.cwd === undefined ? ', after a cd to a folder only the shell knows' : ''})`);
      continue;
    }
    const resolved = path.resolve(call.cwd, value.text);
    if (!folders.has(resolved)) folders.set(resolved, `${call.where} (${shown})`);
  }
  const notices: string[] = [];
  if (unknown.length > 0) notices.push(`diesel: the migrations folder of ${unknown.join(', ')} is a value only the shell knows: pgdrift did not follow it`);
  if (folders.size > 1) notices.push(`diesel: the project's diesel commands name different migrations folders (${[...folders.values()].join('; ')}): pgdrift followed none of them (name the one to check with --migrations or "migrations" in pgdrift.config.json)`);
  if (folders.size !== 1 || unknown.length > 0) return { notices };
  const [[resolved, setting]] = [...folders];
  return { folder: { setting, folders: [resolved] }, notices };
}
