import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { quoteIdentIfNeeded as quoteIdent } from '../engine/quote.js';
import { redactUrl } from '../engine/url.js';
import { setSearchPathSql, urlSearchPath } from './url-search-path.js';
import { environmentWithDotEnv, readDotEnv } from './dotenv.js';
import { type ShellWord } from './package-scripts.js';
import { UNKNOWN } from './makefile.js';
import { programCalls, projectCommandNotices, toolCommands, toolName, type CommandTool } from './project-commands.js';
import { byCodeUnits, filesIn, isDirectory, isSql, type DiscoveredMigration, type ExecutionPart, type FilePlan, type IgnoredFile, type Runner, type RunnerOptions } from './types.js';

// dbmate pkg/dbmate/db.go (amacneil/dbmate@f3e08f1): `migrationFileRegexp = ^(\d+).*\.sql$`, version = the digits.
const FILE = /^(\d+).*\.sql$/;
// pkg/dbmate/migration.go: the directives, matched at the start of a line.
const UP = /^--\s*migrate:up(\s*$|\s+\S+)/;
const DOWN = /^--\s*migrate:down(\s*$|\s+\S+)/;

/**
 * dbmate (https://github.com/amacneil/dbmate#creating-migrations).
 * - Discovery and order (db.go `FindMigrations`): files matching the pattern, sorted by FILE NAME as strings
 *   (`sort.Slice(... FileName < FileName)`), so `9_x.sql` runs after `10_x.sql` when versions are unpadded.
 * - Sections (migration.go `parseMigrationContents`): each `-- migrate:up` block runs up to its `-- migrate:down`;
 *   down blocks never run on `dbmate up`. A file without an up block, a section without a down block, or
 *   statements before the first up is refused (comments there are fine). dbmate parses several up/down pairs per
 *   file, but `dbmate up` fails on the second (see planDbmate): refused too.
 * - Transactions (db.go `Migrate`): each up block runs in its own transaction (`doTransaction`) unless its
 *   directive says `transaction:false`; then it is one `Exec` of the block (lib/pq simple query: one implicit
 *   transaction for a multi-statement block).
 * - Bookkeeping `schema_migrations` (or DBMATE_MIGRATIONS_TABLE, `schema.table` allowed; each record goes to the table
 *   in `current_schema()` when neither it nor the URL names a schema: recordedIn), created before the first
 *   migration (db.go `openDatabaseForMigration` → pkg/driver/postgres/postgres.go `CreateMigrationsTable`: in the
 *   table's schema, else the first schema of DATABASE_URL's `search_path` parameter, else `current_schema()`, public
 *   on a new database; the schema created when missing); `dbmate dump` writes `db/schema.sql` (db.go default SchemaFile).
 * - Folders and schema file (main.go flags `--migrations-dir` / DBMATE_MIGRATIONS_DIR, default `./db/migrations`,
 *   and `--schema-file` / DBMATE_SCHEMA_FILE, default `./db/schema.sql`, relative to the working directory: the
 *   project root here): the folders DBMATE_MIGRATIONS_DIR names (urfave/cli v2 splits a slice flag's variable at
 *   `,`) are the migrations, merged into one list sorted by file name (db.go FindMigrations); the file
 *   DBMATE_SCHEMA_FILE names is the snapshot; the flags of the package.json scripts and Makefile recipes that run
 *   dbmate up win over them (dbmateCalls); a flag given anywhere else is not visible here.
 * - Environment (main.go `loadEnvFiles`): the process's variables over `.env` (godotenv). A `search_path` in
 *   DATABASE_URL is a connection parameter for lib/pq: the session runs every migration with that search_path, so
 *   the replay sets it before the bookkeeping table, once (a migration's own SET then lasts, as on dbmate's one
 *   connection).
 */
export const dbmate: Runner = {
  name: 'dbmate',
  docs: 'https://github.com/amacneil/dbmate#creating-migrations',
  folders: ['db/migrations'],
  discover(folder, options = {}) {
    const migrations: DiscoveredMigration[] = [];
    const ignored: IgnoredFile[] = [];
    // several DBMATE_MIGRATIONS_DIR folders: `folder` is their common parent, `include` the folders below it
    for (const sub of options.include ?? ['']) {
      for (const file of filesIn(path.join(folder, sub))) {
        const name = sub ? `${sub}/${file}` : file;
        const match = FILE.exec(file);
        if (match) migrations.push({ name, version: match[1] });
        else if (isSql(file)) ignored.push({ name, reason: 'does not start with a version number: dbmate skips it' });
      }
    }
    // by file name, whatever its folder (db.go FindMigrations: `FileName < FileName`)
    migrations.sort((a, b) => byCodeUnits(path.posix.basename(a.name), path.posix.basename(b.name)) || byCodeUnits(a.name, b.name));
    const notPostgres = otherDatabase(folder, options);
    return { migrations, ignored, problems: [], ...(notPostgres ? { notPostgres } : {}) };
  },
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const fromScripts = scriptFolders(folder, root);
    if (fromScripts !== undefined) return fromScripts ?? undefined;
    const value = dbmateEnvironment(folder, options).DBMATE_MIGRATIONS_DIR?.trim();
    const folders = value?.split(',').map((dir) => dir.trim()).filter(Boolean);
    if (!value || !folders?.length) return undefined;
    return { setting: `DBMATE_MIGRATIONS_DIR (${value})`, folders: folders.map((dir) => path.resolve(root, dir)) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && isSql(name) && /^--\s*migrate:up/m.test(listing.read(name)));
    return files.length > 0 ? { files, what: '-- migrate:up / -- migrate:down sections' } : undefined;
  },
  plan: (text) => recordedIn(planDbmate(text), 'schema_migrations'),
  // pkg/dbmate/migration.go: upRegExp `(?m)^--\s*migrate:up` does not match after the mark, and a first line holding it
  // is neither empty nor a comment (`^\s*--`: Go's \s is ASCII) for statementsPrecedeMigrateBlocks
  byteOrderMarkRefusal: 'it reads the mark as a statement before "-- migrate:up" ("dbmate does not support statements preceding the \'-- migrate:up\' block"), or finds no "-- migrate:up" when the mark precedes it on the first line',
  compareVersions: byCodeUnits,
  bookkeeping: ['public.schema_migrations'],
  bookkeepingSetup: { table: 'public.schema_migrations', sql: 'create table if not exists public.schema_migrations (version varchar primary key)' },
  forProject(folder, options) {
    const setup = dbmateBookkeeping(folder, options);
    const schemaFile = configuredSchemaFile(folder, options);
    const { searchPath, recordsInCurrentSchema, ...bookkeepingSetup } = setup;
    const root = options.projectRoot ?? path.dirname(folder);
    // (a Taskfile or justfile pgdrift could not read: its dbmate commands are unknown)
    const unread = () => projectCommandNotices(root, environmentWithDotEnv(undefined, { projectRoot: root })).map((notice) => `dbmate: ${notice}`);
    const notices = options.env ? [] : [...(scriptsDisagree(folder, root) ? [scriptsDisagree(folder, root)!] : []), ...makefileUnknownFolders(folder, root), ...unread()];
    return {
      ...(notices.length > 0 ? { notices } : {}),
      bookkeeping: [setup.table],
      bookkeepingSetup,
      plan: (text: string) => recordedIn(planDbmate(text), recordsInCurrentSchema),
      ...(searchPath ? { sessionSearchPath: searchPath } : {}),
      ...(schemaFile ? { snapshotDefault: schemaFile } : {}),
      snapshotText: (dump, versions) => dbmateSchemaFile(dump, setup.table, versions),
    };
  },
  snapshotDefault: 'db/schema.sql',
  snapshotText: (dump, versions) => dbmateSchemaFile(dump, 'public.schema_migrations', versions),
  lint: {
    fileNamePattern: /^\d+_[A-Za-z0-9_.\-]+\.sql$/,
    example: '20240131120000_add_orders.sql',
    sequentialVersions: false,
    transactions: 'dbmate wraps each -- migrate:up section in a transaction unless the directive says transaction:false',
    outsideTransaction: 'put it alone in a section whose directive says -- migrate:up transaction:false',
  },
};

/**
 * The schema file as `dbmate dump` writes it (pkg/driver/postgres/postgres.go DumpSchema): pg_dump's text, then
 * `schemaMigrationsDump` (the table's versions in order, each quote_literal'd, the table's parts quote_ident'ed), the
 * whole passed through dbutil.TrimLeadingSQLComments (the leading comment and empty lines dropped, trailing spaces
 * trimmed on every line). `dbmate load` restores it, the applied versions included.
 */
export function dbmateSchemaFile(dump: string, table: string, versions: string[]): string {
  const quotedTable = table.split('.').map(quoteIdent).join('.');
  const sorted = [...versions].sort(byCodeUnits);
  let migrations = '\n--\n-- Dbmate schema migrations\n--\n\n';
  if (sorted.length > 0) migrations += `INSERT INTO ${quotedTable} (version) VALUES\n    (${sorted.map((v) => `'${v}'`).join('),\n    (')});\n`;
  const lines = (withDbmateRestrictKey(dump) + migrations).split('\n');
  if (lines.at(-1) === '') lines.pop(); // bufio.Scanner yields no line after the last newline
  const start = lines.findIndex((line) => line !== '' && !line.startsWith('--'));
  return start < 0 ? '' : lines.slice(start).map((line) => `${line.trimEnd()}\n`).join('');
}

/**
 * dbmate 2.29+ runs a pg_dump that knows `--restrict-key` (15.14+, 16.10+, 17.6+, 18+) with `--restrict-key=dbmate`
 * (pkg/driver/postgres/postgres.go DumpSchema, supportsRestrictKey; amacneil/dbmate#678), and pg_dump prints
 * `\restrict dbmate` after its header comment and `\unrestrict dbmate` after "PostgreSQL database dump complete",
 * each followed by an empty line (pg_backup_archiver.c RestoreArchive). TrimLeadingSQLComments stops at the first of
 * them, so the file keeps pg_dump's "-- Dumped from" / "-- Dumped by" lines. The engine's dump has those lines taken
 * out (restrict.ts), their empty lines left: they go back where pg_dump wrote them, with dbmate's key.
 */
function withDbmateRestrictKey(dump: string): string {
  const version = /^-- Dumped by pg_dump version (\d+)\.(\d+)/m.exec(dump);
  if (!version) return dump;
  const [major, minor] = [Number(version[1]), Number(version[2])];
  const restricts = major > 17 || (major === 17 && minor >= 6) || (major === 16 && minor >= 10) || (major === 15 && minor >= 14);
  if (!restricts) return dump;
  return dump
    .replace(/^--\n-- PostgreSQL database dump\n--\n\n/, (header) => `${header}\\restrict dbmate\n`)
    .replace(/\n--\n-- PostgreSQL database dump complete\n--\n\n/, (footer) => `${footer}\\unrestrict dbmate\n`);
}

/**
 * The schema file DBMATE_SCHEMA_FILE names, relative to the project root with forward slashes (the snapshot `dbmate
 * dump` writes there). One outside the project is not taken: pgdrift reads snapshots inside it.
 */
function configuredSchemaFile(folder: string, options: RunnerOptions): string | undefined {
  const root = options.projectRoot ?? path.dirname(folder);
  // --schema-file, DBMATE_SCHEMA_FILE and the default ./db/schema.sql are the working directory's: where the
  // Makefile recipes that run dbmate up went with a cd, when they all went to one folder
  const cwds = options.env ? [] : [...new Set(callsFor(folder, root).filter((call) => call.tool).map((call) => call.cwd))];
  const cwd = cwds.length === 1 && cwds[0] !== undefined ? cwds[0] : root;
  const value = (scriptSetting(folder, options, 'schema-file') ?? dbmateEnvironment(folder, options).DBMATE_SCHEMA_FILE ?? (cwd !== root ? './db/schema.sql' : undefined))?.trim();
  if (!value) return undefined;
  const relative = path.relative(root, path.resolve(cwd, value));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** dbmate's table and the session its DATABASE_URL gives (see above), as SQL the replay runs before the migrations. */
function dbmateBookkeeping(folder: string, options: RunnerOptions) {
  const env = dbmateEnvironment(folder, options);
  const parts = (scriptSetting(folder, options, 'migrations-table') || env.DBMATE_MIGRATIONS_TABLE || 'schema_migrations').split('.');
  const searchPath = urlSearchPath(databaseUrl(folder, options, env).url);
  // dbmate's own reading (migrationsTableNameParts): the value's first comma-separated part, trimmed, as written
  const schema = parts.length > 1 ? parts[0] : searchPath?.value.split(',')[0].trim() || 'public';
  const table = parts.length > 1 ? parts.slice(1) : parts;
  const qualified = [schema, ...table].map(quoteIdent).join('.');
  // the session's search_path is the server's reading of the value (lib/pq sends it in the startup packet)
  const session = searchPath ? setSearchPathSql(searchPath) : '';
  // no schema in the table name nor in the URL: each record goes to current_schema()'s table (migrationsTableNameParts)
  const dynamic = parts.length === 1 && !searchPath?.value.split(',')[0].trim();
  return {
    searchPath: searchPath?.schemas,
    ...(dynamic ? { recordsInCurrentSchema: table.join('.') } : {}),
    table: [schema, ...table].join('.'),
    // dbmate creates the schema when creating the table fails with 3F000 (never for public)
    sql: `${session}${schema === 'public' ? '' : `create schema if not exists ${quoteIdent(schema)};\n`}create table if not exists ${qualified} (version varchar primary key)`,
  };
}

/**
 * The database URL dbmate connects to, and where it comes from (main.go getDatabaseURL): `--url` when it is given and
 * not empty, else the variable `--env` names (DATABASE_URL by default) in dbmate's environment.
 */
function databaseUrl(folder: string, options: RunnerOptions, env: Record<string, string | undefined>): { url: string | undefined; source: string } {
  const flag = scriptSetting(folder, options, 'url');
  if (flag) return { url: flag, source: '--url' };
  const variable = scriptSetting(folder, options, 'env') || 'DATABASE_URL';
  return { url: env[variable], source: variable };
}

/**
 * dbmate's drivers for other databases, by the name it registers them under (pkg/driver/*: RegisterDriver with the
 * URL scheme; postgres, postgresql, redshift and spanner-postgres are its Postgres driver).
 */
const OTHER_DRIVERS: Record<string, string> = {
  mysql: 'MySQL',
  sqlite: 'SQLite',
  sqlite3: 'SQLite',
  clickhouse: 'ClickHouse',
  'clickhouse+http': 'ClickHouse',
  'clickhouse+https': 'ClickHouse',
  bigquery: 'BigQuery',
};

/**
 * Why the project's dbmate runs against another database than PostgreSQL, if it does: dbmate picks its driver from
 * `--driver` / DBMATE_DRIVER, else from the scheme of the database URL (pkg/dbmate/db.go `Driver`: `drivers[
 * DatabaseURL.Scheme]`; main.go `getDatabaseURL`: `--url`, else the variable `--env` names, DATABASE_URL by default;
 * Go's url.Parse lowercases the scheme). Such migrations are SQL for that database (field: ParkerGits/go-sqlc-dbmate,
 * `DATABASE_URL="sqlite:db/database.sqlite3"` in .env, whose SQLite schema file pgdrift misread as a hand-written
 * Postgres one). The URL itself is never printed: it may hold a password.
 */
function otherDatabase(folder: string, options: RunnerOptions): string | undefined {
  const env = dbmateEnvironment(folder, options);
  const setting = (key: string) => scriptSetting(folder, options, key);
  const driverFlag = setting('driver');
  const driverSource = driverFlag !== undefined ? '--driver' : env.DBMATE_DRIVER?.trim() ? 'DBMATE_DRIVER' : undefined;
  const { url, source: urlSource } = databaseUrl(folder, options, env);
  const driver = driverSource ? (driverFlag ?? env.DBMATE_DRIVER ?? '').trim().toLowerCase() : /^([a-z][a-z0-9+.-]*):/i.exec((url ?? '').trim())?.[1].toLowerCase();
  const database = driver ? OTHER_DRIVERS[driver] : undefined;
  if (!database || onePerDatabase(folder, database)) return undefined;
  const why = driverSource ? `${driverSource} names dbmate's ${driver} driver` : `${urlSource} is a ${driver}: URL, and dbmate picks its driver from the URL's scheme`;
  return `${why}: these dbmate migrations are for ${database}, this is not a PostgreSQL project`;
}

/**
 * A folder named for PostgreSQL beside one named for the URL's database (db/migrations/postgres and
 * db/migrations/sqlite): the project keeps a migrations folder per database and runs dbmate on the one its URL
 * names (field: kalbasit/ncps before its move to goose, whose dbmate wrapper set DBMATE_MIGRATIONS_DIR to
 * db/migrations/<the URL's scheme> while .env's DATABASE_URL is SQLite's for development). The URL then says which
 * folder runs on SQLite, not that the postgres one does.
 */
function onePerDatabase(folder: string, database: string): boolean {
  if (!/^(postgres|postgresql|pg|pgsql)$/i.test(path.basename(folder))) return false;
  const names = Object.entries(OTHER_DRIVERS).filter(([, name]) => name === database).map(([scheme]) => scheme.split('+')[0]);
  return names.some((name) => isDirectory(path.join(path.dirname(folder), name)));
}

/**
 * db.go Migrate: after each up section, in its transaction (or on the connection, with transaction:false), dbmate
 * records the version with drv.InsertMigration into quotedMigrationsTableName(tx): with no schema in the table name
 * nor in the URL's search_path, the schema `select current_schema()` returns then, public when it is NULL
 * (pkg/driver/postgres/postgres.go migrationsTableNameParts, pkg/dbutil QueryValue). A section that SETs search_path
 * to a schema without the table fails there: `pq: relation "app.schema_migrations" does not exist` (checked with
 * dbmate 2.36.0: the section's transaction is rolled back and dbmate stops).
 */
function recordedIn(plan: FilePlan, table: string | undefined): FilePlan {
  return table ? { ...plan, parts: plan.parts.map((part) => ({ ...part, recordsInCurrentSchema: table })) } : plan;
}

export function planDbmate(text: string): FilePlan {
  const lines = text.split('\n');
  const ups: number[] = [];
  const downs: number[] = [];
  lines.forEach((line, i) => {
    if (UP.test(line)) ups.push(i);
    else if (DOWN.test(line)) downs.push(i);
  });
  const refuse = (message: string, line: number): FilePlan => ({ parts: [], problem: { message, line: line + 1, column: 1, hint: 'see https://github.com/amacneil/dbmate#creating-migrations' } });
  if (ups.length === 0) return refuse("dbmate requires each migration to define an up block with '-- migrate:up'", 0);
  const firstUp = ups[0];
  const stray = lines.slice(0, firstUp).findIndex((line) => line.trim() !== '' && !/^\s*--/.test(line));
  if (stray >= 0) return refuse("dbmate does not support statements preceding the '-- migrate:up' block", stray);
  const parts: ExecutionPart[] = [];
  for (const [k, up] of ups.entries()) {
    const sectionEnd = ups[k + 1] ?? lines.length;
    const sectionDowns = downs.filter((d) => d > up && d < sectionEnd);
    if (sectionDowns.length === 0) return refuse("dbmate requires each migration to define a down block with '-- migrate:down'", up);
    if (sectionDowns.length > 1) return refuse("dbmate requires every '-- migrate:down' to be preceded by a '-- migrate:up'", sectionDowns[1]);
    // The directive line itself is a comment; the options are read from it (parseMigrationOptions).
    const transaction = /(^|\s)transaction:false(\s|$)/.test(lines[up].replace(/^--\s*migrate:up/, ' ').trimEnd() + ' ') ? 'implicit' : 'wrapped';
    parts.push({ startLine: up + 1, endLine: sectionDowns[0], transaction });
  }
  // Migrate() records the file's version after EACH section (drv.InsertMigration, `insert into schema_migrations
  // (version)`): the second section's insert hits the primary key, so `dbmate up` fails there (checked with dbmate
  // 2.36.0: exit 2, only the first section's objects remain).
  if (ups.length > 1) {
    return {
      parts: [],
      problem: {
        message: `dbmate records the version after each -- migrate:up section, so the second one fails: duplicate key value violates unique constraint "schema_migrations_pkey" (23505)`,
        line: ups[1] + 1,
        column: 1,
        hint: 'give each up/down pair its own migration file',
      },
    };
  }
  return { parts };
}

/**
 * dbmate's flags in the project's package.json scripts (`"db:migrate": "dbmate --migrations-dir ./db/m --no-dump-schema
 * up"`; dbmate ships on npm), read from the scripts' words (package-scripts.ts), never run. main.go (amacneil/dbmate
 * @f3e08f1): `--migrations-dir`/`-d` (a slice: repeatable, each value split at `,`), `--migrations-table`,
 * `--schema-file`/`-s`, `--url`/`-u` over the environment's DATABASE_URL, and `--env-file` (repeatable; loadEnvFiles
 * takes only that spelling, each file loaded in order, none overriding a variable already set) instead of `.env`; a
 * flag wins over its DBMATE_* variable. The calls that apply migrations count: `up` and `migrate`.
 * The project's Makefile recipes and Taskfile tasks that run dbmate are read the same way (project-commands.ts, with make's or Task's
 * variables; a relative folder is the one a `cd` of the recipe line went to): Go projects run dbmate from make.
 */
interface DbmateCall {
  where: string;
  /** the folder dbmate runs in (its relative flags' base): the project root, or where a Makefile recipe's `cd` went */
  cwd: string | undefined;
  /** a Makefile, Taskfile or justfile recipe's: which tool runs it (a value only it knows is `dynamic`, as one only the shell knows); none for a package.json script */
  tool?: CommandTool;
  dirs: ShellWord[];
  values: Map<string, ShellWord>;
  envFiles: ShellWord[];
  /** `NAME=value` the script sets for dbmate (package-scripts.ts ScriptInvocation.assignments) */
  assignments: Map<string, ShellWord>;
}

const DBMATE_OPTIONS: Record<string, string> = {
  u: 'url', url: 'url', driver: 'driver', e: 'env', env: 'env', 'env-file': 'env-file', d: 'migrations-dir', 'migrations-dir': 'migrations-dir',
  'migrations-table': 'migrations-table', s: 'schema-file', 'schema-file': 'schema-file', 'wait-timeout': 'wait-timeout',
};

function dbmateCalls(root: string): DbmateCall[] {
  const env = environmentWithDotEnv(undefined, { projectRoot: root });
  const calls: DbmateCall[] = [];
  for (const invocation of programCalls(root, env, 'dbmate')) {
    const call: DbmateCall = { where: invocation.where, cwd: invocation.cwd, tool: invocation.tool, dirs: [], values: new Map(), envFiles: [], assignments: invocation.assignments };
    let command: string | undefined;
    const words = invocation.args;
    for (let i = 0; i < words.length; i++) {
      const option = /^--?([^=]+)(?:=(.*))?$/s.exec(words[i].text);
      if (!option) {
        command ??= words[i].text;
        continue;
      }
      const key = DBMATE_OPTIONS[option[1]];
      if (!key) continue; // a switch (--no-dump-schema, --wait, --strict...)
      const value = option[2] !== undefined ? { text: option[2], dynamic: words[i].dynamic } : words[++i];
      if (!value) break;
      if (key === 'migrations-dir') call.dirs.push(value);
      else if (key === 'env-file') {
        if (option[2] === undefined && words[i - 1].text === '--env-file') call.envFiles.push(value);
      } else call.values.set(key, value);
    }
    // main.go: --migrations-dir defaults to DBMATE_MIGRATIONS_DIR, else ./db/migrations, of the folder dbmate runs in:
    // after a Makefile recipe's cd (`cd internal/cfp && go run github.com/amacneil/dbmate/v2 up`), that folder's
    if (call.tool && call.cwd !== root && call.dirs.length === 0) {
      const assigned = call.assignments.get('DBMATE_MIGRATIONS_DIR');
      call.dirs.push(assigned ?? { text: env.DBMATE_MIGRATIONS_DIR || './db/migrations', dynamic: false });
    }
    if (command === 'up' || command === 'migrate') calls.push(call);
  }
  return calls;
}

/**
 * The folders the scripts' `--migrations-dir` names: undefined when no script names any (the environment decides),
 * null when they name several and the folder found is one of them (kept), else the setting and its folders.
 */
function scriptFolders(folder: string, root: string): { setting: string; folders: string[] } | null | undefined {
  // a Makefile recipe's folder that only make or the shell knows is a notice (makefileUnknownFolders): the folder found stays
  const calls = dbmateCalls(root).filter((call) => call.dirs.length > 0 && !(call.tool && (call.cwd === undefined || call.dirs.some((dir) => dir.dynamic))));
  if (calls.length === 0) return undefined;
  const hint = 'name the migrations folder: --migrations <folder>, or "migrations" in pgdrift.config.json';
  const dynamic = calls.find((call) => call.dirs.some((dir) => dir.dynamic));
  if (dynamic) throw new InputError(`${dynamic.where} runs dbmate with --migrations-dir ${dynamic.dirs.find((dir) => dir.dynamic)!.text}, a value only the shell knows`, { hint });
  const folderSets = new Map<string, { call: DbmateCall; folders: string[] }[]>();
  for (const call of calls) {
    // urfave/cli splits a slice flag's values at `,`
    const folders = call.dirs.flatMap((dir) => dir.text.split(',')).map((dir) => dir.trim()).filter(Boolean).map((dir) => path.resolve(call.cwd ?? root, dir));
    const key = folders.join('\n');
    folderSets.set(key, [...(folderSets.get(key) ?? []), { call, folders }]);
  }
  if (folderSets.size > 1) {
    if ([...folderSets.values()].some(([first]) => first.folders.length === 1 && first.folders[0] === path.resolve(folder))) return null;
    const shown = [...folderSets.values()].map((uses) => `${uses[0].folders.map((f) => path.relative(root, f).split(path.sep).join('/') || '.').join(', ')} (${uses.map((u) => u.call.where).join(', ')})`);
    throw new InputError(`the ${sources(calls)} run dbmate on different migrations folders: ${shown.join('; ')}`, { hint });
  }
  const [[first]] = [...folderSets.values()];
  return { setting: `${first.call.where} (dbmate --migrations-dir ${first.call.dirs.map((dir) => dir.text).join(' --migrations-dir ')})`, folders: first.folders };
}

/**
 * A notice when the package.json scripts that run `dbmate up` give it different settings (its URL, table, env
 * variable or files, or variables set before it): which one the team runs is not in the repository, and pgdrift
 * takes each setting from the first script that gives one (scriptSetting, dbmateEnvironment). Passwords in URLs are
 * not shown.
 */
function scriptsDisagree(folder: string, root: string): string | undefined {
  const described = new Map<string, string[]>();
  const calls = callsFor(folder, root);
  for (const call of calls) {
    const shown = (value: string) => (value.includes('://') ? redactUrl(value) : value);
    const parts = [
      ...['url', 'migrations-table', 'env'].flatMap((key) => (call.values.has(key) ? [`--${key} ${shown(call.values.get(key)!.text)}`] : [])),
      ...call.envFiles.map((file) => `--env-file ${file.text}`),
      ...[...call.assignments].map(([name, word]) => `${name}=${shown(word.text)}`),
    ];
    const key = parts.join(' ') || 'no settings of its own';
    described.set(key, [...(described.get(key) ?? []), call.where]);
  }
  if (described.size < 2) return undefined;
  const each = [...described].map(([settings, wheres]) => `${wheres.join(', ')}: ${settings}`);
  return `dbmate: the ${sources(calls)} run dbmate up with different settings (${each.join('; ')}): pgdrift takes each setting from the first script that gives one; name the one to check in pgdrift.config.json or run it with its environment`;
}

/**
 * The calls that apply the replayed folder: a call whose `--migrations-dir` names only other folders applies another
 * history (UPchieve/subway: `dbmate -d ./database/seed-updates --migrations-table seed_migrations up` beside `dbmate -d
 * ./database/migrations --migrations-table schema_migrations up`), so its URL, table, schema file and environment are
 * not this folder's. A call without the flag, or whose folder only the shell or the tool knows, may apply it: kept.
 */
function callsFor(folder: string, root: string): DbmateCall[] {
  const target = path.resolve(folder);
  return dbmateCalls(root).filter((call) => {
    if (call.dirs.length === 0 || call.cwd === undefined || call.dirs.some((dir) => dir.dynamic || dir.text.includes(UNKNOWN))) return true;
    return call.dirs.flatMap((dir) => dir.text.split(',')).map((dir) => dir.trim()).filter(Boolean).some((dir) => path.resolve(call.cwd!, dir) === target);
  });
}

/** Where the calls are, for messages: `package.json scripts`, `Makefile recipes`, `Taskfile tasks`, `justfile recipes`, or several. */
function sources(calls: DbmateCall[]): string {
  const kinds = [...new Set(calls.map((call) => (call.tool ? toolCommands(call.tool) : 'package.json scripts')))];
  return kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}` : kinds[0];
}

/** Notices for the Makefile recipes whose dbmate folder only make or the shell knows: the folder found is replayed. */
function makefileUnknownFolders(folder: string, root: string): string[] {
  return dbmateCalls(root)
    .filter((call) => call.tool && call.dirs.length > 0 && (call.cwd === undefined || call.dirs.some((dir) => dir.dynamic)))
    .map((call) => `dbmate: ${call.where}: --migrations-dir ${call.dirs.map((dir) => dir.text.replaceAll(UNKNOWN, '…')).join(',')}${call.cwd === undefined ? ' after a cd to a folder only the shell knows' : ''} holds a value only ${toolName(call.tool ?? 'make')} or the shell knows: the folder found (${path.relative(root, folder) || '.'}) is replayed`);
}

/** A setting the scripts that apply migrations give (the first literal value); undefined when none gives one. */
function scriptSetting(folder: string, options: RunnerOptions, key: string): string | undefined {
  if (options.env) return undefined; // tests and the library API give the environment as it is
  const root = options.projectRoot ?? path.dirname(folder);
  const values = callsFor(folder, root).map((call) => call.values.get(key)).filter((value): value is ShellWord => value !== undefined && !value.dynamic);
  return values[0]?.text;
}

/** dbmate's environment: what its script sets (`NAME=value dbmate up`), then the process's variables over the `--env-file` files of its scripts, else over `.env`. */
function dbmateEnvironment(folder: string, options: RunnerOptions): Record<string, string | undefined> {
  if (options.env) return options.env;
  const root = options.projectRoot ?? path.dirname(folder);
  const calls = callsFor(folder, root);
  // `DBMATE_MIGRATIONS_DIR=db dbmate up`: the shell sets them for dbmate, over anything a .env file gives (godotenv.Load
  // keeps a variable that is set); a value only the shell knows is left out
  const assigned: Record<string, string> = {};
  for (const [name, word] of calls.find((call) => call.assignments.size > 0)?.assignments ?? []) if (!word.dynamic) assigned[name] = word.text;
  return { ...dotEnvOf(calls, folder, root, options), ...assigned };
}

/** dbmate's environment without the script's own assignments: its --env-file files (else .env) under the process's. */
function dotEnvOf(calls: DbmateCall[], folder: string, root: string, options: RunnerOptions): Record<string, string | undefined> {
  const envFiles = calls.find((call) => call.envFiles.length > 0)?.envFiles.filter((file) => !file.dynamic);
  if (!envFiles || envFiles.length === 0) return environmentWithDotEnv(folder, options);
  const loaded: Record<string, string> = {};
  for (const file of envFiles) {
    const absolute = path.resolve(root, file.text);
    try {
      if (existsSync(absolute)) for (const [key, value] of Object.entries(readDotEnv(readFileSync(absolute, 'utf8')))) loaded[key] ??= value; // godotenv.Load: a set variable stays
    } catch {
      // a file dbmate cannot read either: it refuses to run; no setting from it
    }
  }
  return { ...loaded, ...process.env };
}
