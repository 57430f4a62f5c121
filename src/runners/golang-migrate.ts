import path from 'node:path';
import { InputError } from '../errors.js';
import { quoteIdentIfNeeded as quoteIdent } from '../engine/quote.js';
import { setSearchPathSql } from './url-search-path.js';
import { planMultiStatement } from './golang-migrate-multistmt.js';
import { environmentWithDotEnv } from './dotenv.js';
import { goModuleForOtherDatabase } from './go-databases.js';
import { goStringCallSearches, type GoStringCall } from './go-calls.js';
import { goFlags } from './go-flags.js';
import { UNKNOWN } from './makefile.js';
import { programCalls, projectCommandNotices } from './project-commands.js';
import { BOOLEAN_FLAGS, composeInvocations, DEFAULT_MULTI_STATEMENT_MAX_SIZE, makefileInvocations, migrationsTableOf, POSTGRES_SCHEMES, urlSettings, type MigrateInvocation, type MigrateUrlSettings } from './golang-migrate-settings.js';
import { compareIntegers, duplicateVersions, filesIn, isDirectory, isSql, wholeFile, type BookkeepingSetup, type Runner, type RunnerOptions } from './types.js';

// golang-migrate source/parse.go (github.com/golang-migrate/migrate@18966c7): `^([0-9]+)_(.*)\.(down|up)\.(.*)$`,
// the version parsed as a uint64, so `9_x` comes before `10_x` whatever the padding.
const FILE = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/;
const MAX_UINT64 = 2n ** 64n - 1n;

/**
 * golang-migrate (also the layout of sqlx's reversible migrations and many Go/Rust projects).
 * - Discovery: source/iofs/iofs.go skips names that do not parse and refuses a second file for one version and
 *   direction (ErrDuplicateMigration); `up` files are applied, `.down.sql` never by `migrate up`.
 * - Order: numeric version (source/migration.go keeps versions in a sorted uint index).
 * - Transactions: database/postgres/postgres.go `runStatement` sends the whole file with one `ExecContext` and
 *   opens no transaction: one simple query, which Postgres runs as one implicit transaction.
 * - Bookkeeping: `schema_migrations` (version, dirty), created before the first migration by the driver's Open
 *   (database/postgres/postgres.go `ensureVersionTable`, in `current_schema()`: public on a new database).
 * - Settings (golang-migrate-settings.ts): the `migrate … up` of the Makefile or Compose file gives the folder
 *   (`-path`, `-source file://…`) and the `-database` URL, whose `search_path` is the session's (lib/pq and pgx send it as a
 *   run-time parameter; migrate keeps ONE connection, postgres.go WithInstance `instance.Conn`, so the replay sets it
 *   once, before the bookkeeping table), `x-migrations-table[-quoted]` the bookkeeping table (WithConnection: in
 *   CURRENT_SCHEMA() unless the quoted form names a schema) and `x-multi-statement` the statement-by-statement mode
 *   (golang-migrate-multistmt.ts). `x-statement-timeout` only cancels a slow statement: not replayed.
 */
export const golangMigrate: Runner = {
  name: 'golang-migrate',
  docs: 'https://github.com/golang-migrate/migrate/blob/master/MIGRATIONS.md',
  folders: ['db/migrations', 'migrations'],
  discover(folder, options) {
    const ups: { name: string; version: string }[] = [];
    const ignored = [];
    for (const name of filesIn(folder)) {
      const match = FILE.exec(name);
      if (!match) {
        if (isSql(name)) ignored.push({ name, reason: 'not <version>_<title>.up.sql: golang-migrate skips it' });
        continue;
      }
      // parse.go: strconv.ParseUint(version, 10, 64) fails past 2^64-1 and iofs.go Init skips the name (`continue`)
      if (BigInt(match[1]) > MAX_UINT64) ignored.push({ name, reason: 'its version does not fit in 64 bits: golang-migrate skips it' });
      else if (match[3] === 'down') ignored.push({ name, reason: 'a down migration: `migrate up` never applies it', expected: true });
      // the extension is parse.go's 4th group, never checked: iofs.go Init appends `0200_x.up.txt` or a backup
      // `0001_init.up.sql.orig` like any up file (ErrDuplicateMigration when its version already has one), and
      // migrate.go sends its text to the database: replayed (field: a `.up.txt` in goharbor/harbor's folder was
      // reported "not applied, not a .sql file" and the check said clean while migrate created its table)
      else ups.push({ name, version: match[1] });
    }
    ups.sort((a, b) => compareIntegers(a.version, b.version));
    const notPostgres = goModuleForOtherDatabase(folder, options?.projectRoot ?? path.dirname(folder), 'golang-migrate');
    return { migrations: ups, ignored, problems: duplicateVersions(ups, (v) => BigInt(v).toString()), ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && FILE.test(name) && isSql(name));
    return files.length > 0 ? { files, what: '<version>_<name>.up.sql / .down.sql pairs' } : undefined;
  },
  plan: (text) => wholeFile(text, 'implicit'),
  // source/file reads the file as it is and database/postgres Run sends it (io.ReadAll, or multistmt.Parse's
  // statements): no byte order mark is dropped anywhere (golang-migrate/migrate#1136: "syntax error at or near" line 1)
  sendsByteOrderMark: () => true,
  configuredFolders: (folder, options) => invocationFolders(folder, options),
  forProject: (folder, options) => golangMigrateForProject(folder, options),
  compareVersions: compareIntegers,
  bookkeeping: ['public.schema_migrations'],
  bookkeepingSetup: {
    table: 'public.schema_migrations',
    sql: 'CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)',
  },
  lint: {
    fileNamePattern: /^\d+_[A-Za-z0-9_.\-]+\.(up|down)\.sql$/,
    example: '000012_add_orders.up.sql',
    sequentialVersions: false,
    transactions: 'golang-migrate sends each file as one query with no transaction of its own; Postgres runs it as one implicit transaction unless the file has BEGIN/COMMIT',
    outsideTransaction: 'put it alone in its own file (golang-migrate sends the file as one query)',
  },
};

/** What the lint rules say of transactions when the URL has x-multi-statement=true. */
const MULTI_STATEMENT_LINT = {
  ...golangMigrate.lint,
  transactions: 'golang-migrate (x-multi-statement=true in the -database URL) cuts each file after every ";" and sends each piece as its own query: each statement is its own implicit transaction',
  outsideTransaction: 'with x-multi-statement=true each statement is sent on its own (keep ";" out of its comments)',
};

const BOOKKEEPING_COLUMNS = '(version bigint not null primary key, dirty boolean not null)';

/** The `migrate … up` calls of the Makefile and the Compose file, each read with the environment it gets. */
function invocationsOf(folder: string, options: RunnerOptions): { root: string; invocations: MigrateInvocation[] } {
  const root = options.projectRoot ?? path.dirname(folder);
  // Compose interpolates from the environment over the project's .env
  const composeEnv = environmentWithDotEnv(undefined, { ...options, projectRoot: root });
  return { root, invocations: [...makefileInvocations(root, options.env ?? process.env, composeEnv), ...composeInvocations(root, composeEnv)] };
}

/**
 * The folder the `migrate -path …` of the Makefile or Compose file names: undefined when none names one; when
 * several name different folders, the one found (if it is one of them), else refused naming them all.
 */
function invocationFolders(folder: string, options: RunnerOptions): { setting: string; folders: string[] } | undefined {
  const { root, invocations } = invocationsOf(folder, options);
  const named = invocations.filter((call) => call.folder !== undefined);
  if (named.length === 0) return createFolder(root, options.env ?? process.env);
  const distinct = [...new Set(named.map((call) => call.folder!))];
  if (distinct.length > 1) {
    if (distinct.includes(path.resolve(folder))) return undefined;
    const shown = named.map((call) => `${call.where}: ${path.relative(root, call.folder!) || '.'}`);
    throw new InputError(`the project runs migrate up on different migrations folders: ${shown.join('; ')}`, {
      hint: 'name the migrations folder: --migrations <folder>, or "migrations" in pgdrift.config.json',
    });
  }
  return { setting: `${named[0].where} (migrate -path ${named[0].folderText})`, folders: distinct };
}

/**
 * With no up command naming a folder (a project that runs its migrations from its own Go program, `go run
 * cmd/migrate/main.go up`): the folder the CLI's `migrate create … -dir <dir>` writes new migrations to, in the
 * project's package.json scripts or Makefile, Taskfile or justfile recipes (cli/commands.go createCmd: `-dir`, default
 * the working directory), when they all name one folder that exists (field: Khaym03/Limpex, `migrate create -ext sql
 * -dir ./db/migrate/migrations`).
 */
function createFolder(root: string, env: Record<string, string | undefined>): { setting: string; folders: string[] } | undefined {
  const found = new Map<string, string>();
  for (const call of programCalls(root, env, 'migrate')) {
    // migrate's global flags, then the command and its own flags (Go's flag package, as migrateArguments reads them)
    const { rest } = goFlags(call.args, BOOLEAN_FLAGS);
    if (rest[0]?.text !== 'create' || call.cwd === undefined) continue;
    const dir = goFlags(rest.slice(1), CREATE_BOOLEAN_FLAGS).flags.get('dir');
    if (!dir || dir.dynamic || dir.text.includes(UNKNOWN) || dir.text === '') continue;
    const resolved = path.resolve(call.cwd, dir.text);
    if (!found.has(resolved)) found.set(resolved, `${call.where} (migrate create -dir ${dir.text})`);
  }
  if (found.size !== 1) return undefined;
  const [[resolved, setting]] = [...found];
  return isDirectory(resolved) ? { setting, folders: [resolved] } : undefined;
}

/** internal/cli/main.go createCmd: its boolean flag (-ext, -dir, -digits, -format and -tz take a value). */
const CREATE_BOOLEAN_FLAGS = new Set(['seq']);

/** The runner as the project's `migrate … up` runs it on `folder`: its URL's session, bookkeeping table and mode. */
function golangMigrateForProject(folder: string, options: RunnerOptions): ReturnType<NonNullable<Runner['forProject']>> {
  const { root, invocations } = invocationsOf(folder, options);
  const here = invocations.filter((call) => call.folder === undefined || call.folder === path.resolve(folder));
  const notices = here.flatMap((call) => call.unknown.map((reason) => `golang-migrate: ${call.where}: ${reason}`));
  // a Taskfile or justfile pgdrift could not read (broken YAML, an include it cannot follow): its migrate commands are unknown
  notices.push(...projectCommandNotices(root, options.env ?? process.env).map((notice) => `golang-migrate: ${notice}`));
  const read = here.flatMap((call) => {
    const settings = call.url === undefined ? undefined : urlSettings(call.url, call.where);
    return settings ? [{ call, settings }] : [];
  });
  const others = otherHistories(folder, invocations, options);
  notices.push(...others.notices);
  // a program that runs migrate itself: its Go code configures the driver (followed when no migrate up command says
  // more) and imports the driver package of its database (one walk of the Go files for both)
  const [configFields, driverImports] = goStringCallSearches(root, [
    { importPath: ['golang-migrate/migrate/v4/database/postgres', 'golang-migrate/migrate/v4/database/pgx'], pattern: CONFIG_FIELD },
    { importPath: 'golang-migrate/migrate/v4/database/', pattern: DRIVER_IMPORT },
  ]);
  const code = codeConfig(configFields);
  if (code.notice) notices.push(code.notice);
  if (code.settings && read.length === 0) read.push({ call: { where: code.where!, unknown: [] }, settings: code.settings });
  else if (code.settings && !read.some((r) => JSON.stringify(r.settings) === JSON.stringify(code.settings))) {
    const { table } = bookkeepingOf(code.settings, code.where!).setup;
    others.tables.push(table);
    notices.push(`golang-migrate: the project's Go code configures the driver (${code.where}: ${describe(code.settings)}), and its migrate up command another way: pgdrift replays as the command does, and drift ignores ${table} too`);
  }
  // the database the up commands connect to decides before go.mod's drivers (discover's goModuleForOtherDatabase)
  const database = namedDatabase(here) ?? importedDatabase(driverImports);
  const discoverOn = database ? { discover: (f: string, o?: RunnerOptions) => ({ ...golangMigrate.discover(f, o), notPostgres: database.notPostgres }) } : {};
  if (read.length === 0) {
    const tables = [...new Set([...golangMigrate.bookkeeping, ...others.tables])];
    return { ...(others.tables.length > 0 ? { bookkeeping: tables } : {}), ...(notices.length > 0 ? { notices } : {}), ...discoverOn };
  }
  const distinct = new Map(read.map((r) => [JSON.stringify(r.settings), r]));
  const [first] = read;
  if (distinct.size > 1) {
    const shown = [...distinct.values()].map((r) => `${r.call.where}: ${describe(r.settings)}`);
    notices.push(`golang-migrate: the project runs migrate up with different -database settings (${shown.join('; ')}): pgdrift replays as ${first.call.where} does`);
  }
  const { settings, call } = first;
  const setup = bookkeepingOf(settings, call.where);
  const lockTables = settings.lockTable ? possibleTables(settings, undefined, settings.lockTable) : [];
  return {
    bookkeeping: [...new Set([...possibleTables(settings, setup.schema, setup.name), ...lockTables, ...others.tables])],
    bookkeepingSetup: setup.setup,
    ...(settings.searchPath?.schemas ? { sessionSearchPath: settings.searchPath.schemas } : {}),
    ...(settings.multiStatement ? { plan: (text: string, name: string) => planMultiStatement(text, name, settings.multiStatementMaxSize), lint: MULTI_STATEMENT_LINT } : {}),
    ...(notices.length > 0 ? { notices } : {}),
    ...discoverOn,
  };
}

/** postgres.Config / pgx.Config fields (database/postgres/postgres.go Config and WithInstance; pgx alike). */
const CONFIG_FIELD = /\b(MigrationsTable|MigrationsTableQuoted|SchemaName|MultiStatementEnabled)\s*:\s*([^,}\n]*?)\s*(?=[,}\n])/g;

/**
 * The driver settings a program that runs migrate itself gives in Go code (`postgres.WithInstance(db,
 * &postgres.Config{MigrationsTable: "app_migrations", SchemaName: "app"})`), read (never run) from the project's Go
 * files that import golang-migrate's postgres or pgx driver (`fields`: CONFIG_FIELD's matches there): the table
 * (WithConnection: in SchemaName, else CURRENT_SCHEMA()), MigrationsTableQuoted and MultiStatementEnabled. A value
 * pgdrift cannot read (a variable set elsewhere, two different ones) is a notice, and the defaults are replayed.
 */
function codeConfig(fields: readonly GoStringCall[]): { settings?: MigrateUrlSettings; where?: string; notice?: string } {
  if (fields.length === 0) return {};
  const values = (name: string, text: boolean) => [...new Set(fields.filter((f) => f.call === name).map((f) => (text ? f.value : f.argument)))];
  const [table, schema, quoted, multi] = [values('MigrationsTable', true), values('SchemaName', true), values('MigrationsTableQuoted', false), values('MultiStatementEnabled', false)];
  const readable = [table, schema].every((v) => v.length <= 1 && !v.includes(undefined)) && [quoted, multi].every((v) => v.length <= 1 && v.every((x) => x === 'true' || x === 'false'));
  const shown = fields.map((f) => `${f.where} ${f.call}: ${f.argument}`).join('; ');
  if (!readable) return { notice: `golang-migrate: the project's Go code configures the driver (${shown}) with values pgdrift cannot read: golang-migrate's defaults are replayed unless a migrate up command says more` };
  const where = fields[0].where;
  const written = table[0] || 'schema_migrations';
  const parts = quoted[0] === 'true' ? migrationsTableOf({ migrationsTable: written, migrationsTableQuoted: true, multiStatement: false, multiStatementMaxSize: DEFAULT_MULTI_STATEMENT_MAX_SIZE }, where) : { table: written };
  const schemaName = parts.schema ?? (schema[0] || undefined);
  return {
    where,
    settings: {
      migrationsTable: schemaName ? `"${schemaName}"."${parts.table}"` : `"${parts.table}"`,
      migrationsTableQuoted: true,
      multiStatement: multi[0] === 'true',
      multiStatementMaxSize: DEFAULT_MULTI_STATEMENT_MAX_SIZE,
    },
  };
}

/**
 * golang-migrate's driver packages for other databases (database/<driver>), with the database each talks to and the
 * URL schemes it registers (database.Register in each package, golang-migrate@18966c7); database/postgres, pgx and
 * pgx/v5 register POSTGRES_SCHEMES.
 */
const OTHER_DATABASE_DRIVERS: { driver: string; database: string; schemes: string[] }[] = [
  { driver: 'cassandra', database: 'Cassandra', schemes: ['cassandra'] },
  { driver: 'clickhouse', database: 'ClickHouse', schemes: ['clickhouse'] },
  { driver: 'cockroachdb', database: 'CockroachDB', schemes: ['cockroach', 'cockroachdb', 'crdb-postgres'] },
  { driver: 'firebird', database: 'Firebird', schemes: ['firebird', 'firebirdsql'] },
  { driver: 'mongodb', database: 'MongoDB', schemes: ['mongodb', 'mongodb+srv'] },
  { driver: 'mysql', database: 'MySQL', schemes: ['mysql'] },
  { driver: 'neo4j', database: 'Neo4j', schemes: ['neo4j'] },
  { driver: 'ql', database: 'ql', schemes: ['ql'] },
  { driver: 'redshift', database: 'Amazon Redshift', schemes: ['redshift'] },
  { driver: 'rqlite', database: 'rqlite', schemes: ['rqlite'] },
  { driver: 'snowflake', database: 'Snowflake', schemes: ['snowflake'] },
  { driver: 'spanner', database: 'Cloud Spanner', schemes: ['spanner'] },
  { driver: 'sqlcipher', database: 'SQLCipher', schemes: ['sqlcipher'] },
  { driver: 'sqlite', database: 'SQLite', schemes: ['sqlite'] },
  { driver: 'sqlite3', database: 'SQLite', schemes: ['sqlite3'] },
  { driver: 'sqlserver', database: 'SQL Server', schemes: ['sqlserver'] },
  { driver: 'yugabytedb', database: 'YugabyteDB', schemes: ['yugabyte', 'yugabytedb', 'ysql'] },
];

/** The database of each other database's URL scheme, and of each driver package. */
const OTHER_DATABASE_SCHEMES = new Map(OTHER_DATABASE_DRIVERS.flatMap(({ database, schemes }) => schemes.map((scheme) => [scheme, database] as const)));
const OTHER_DATABASE_PACKAGES = new Map(OTHER_DATABASE_DRIVERS.map(({ driver, database }) => [driver, database] as const));

/** An import of one of golang-migrate's database driver packages (the `()` stands for goStringCallSearches' argument group). */
const DRIVER_IMPORT = /"github\.com\/golang-migrate\/migrate\/v4\/database\/([a-z0-9]+)(?:\/v5)?"()/g;

/**
 * With no up command naming a database: the driver packages the project's Go code imports (`driverImports`:
 * DRIVER_IMPORT's matches), for a program that runs migrate itself (migrate.NewWithDatabaseInstance with the driver
 * it imports). Only other databases' (field: AbenezerKb/sso-implementation imports database/cockroachdb; its go.mod
 * has lib/pq, which CockroachDB's driver uses too, so go.mod cannot tell): not a PostgreSQL project. Undefined when
 * none is imported or postgres/pgx is.
 */
function importedDatabase(driverImports: readonly GoStringCall[]): { notPostgres: string | undefined } | undefined {
  const imports = driverImports.filter((found) => found.call !== 'multistmt' && found.call !== 'stub' && found.call !== 'testing');
  if (imports.length === 0 || imports.some((found) => found.call === 'postgres' || found.call === 'pgx' || !OTHER_DATABASE_PACKAGES.has(found.call))) return undefined;
  const databases = [...new Set(imports.map((found) => OTHER_DATABASE_PACKAGES.get(found.call)))];
  return { notPostgres: `${imports.map((found) => `${found.where} imports golang-migrate's database/${found.call}`).join(', ')}: the project's program runs its migrations on ${databases.join(' and ')}, this is not a PostgreSQL project` };
}

/**
 * The database the project's `migrate … up` commands on this folder connect to, by their -database URL's scheme
 * (migrate.go New → database.Open picks the driver registered for it): `notPostgres` says why when every scheme is
 * another database's (field: AbenezerKb/sso-implementation, `migrate -database cockroachdb://root@localhost:26257/…
 * up`: CockroachDB's STRING columns failed the replay as a missing type), undefined when one is PostgreSQL's.
 * Undefined as a whole when no command names a scheme pgdrift can read.
 */
function namedDatabase(calls: MigrateInvocation[]): { notPostgres: string | undefined } | undefined {
  const named = calls.flatMap((call) => {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(call.url ?? '')?.[1]?.toLowerCase();
    return scheme ? [{ where: call.where, scheme }] : [];
  });
  if (named.length === 0 || named.some(({ scheme }) => !POSTGRES_SCHEMES.includes(scheme) && !OTHER_DATABASE_SCHEMES.has(scheme))) return undefined;
  if (named.some(({ scheme }) => POSTGRES_SCHEMES.includes(scheme))) return { notPostgres: undefined };
  const databases = [...new Set(named.map(({ scheme }) => OTHER_DATABASE_SCHEMES.get(scheme)))];
  return {
    notPostgres: `${named.map(({ where, scheme }) => `${where} (migrate -database ${scheme}://… up)`).join(', ')} connects golang-migrate to ${databases.join(' and ')}: this is not a PostgreSQL project`,
  };
}

/**
 * The bookkeeping tables of the project's `migrate … up` on OTHER folders (a Makefile's `migrate -source
 * file://db/seed -database "$(DATABASE_URL)&x-migrations-table=schema_migrations_seed" up`): that run keeps its own
 * history in its own table (postgres.go WithConnection/ensureVersionTable, the same columns), so the team's database,
 * and a pg_dump of it, has the table: it is that runner's bookkeeping, ignored by drift like schema_migrations
 * (field: a-company-jp/digi-baton backend/db/schema.sql reported public.schema_migrations_seed as removed). The other
 * folder's files are not replayed: a notice names them.
 */
function otherHistories(folder: string, invocations: MigrateInvocation[], options: RunnerOptions): { tables: string[]; notices: string[] } {
  const root = options.projectRoot ?? path.dirname(folder);
  const tables: string[] = [];
  const notices: string[] = [];
  for (const call of invocations) {
    if (call.folder === undefined || call.folder === path.resolve(folder) || call.url === undefined) continue;
    let settings: MigrateUrlSettings | undefined;
    try {
      settings = urlSettings(call.url, call.where);
    } catch {
      continue; // migrate would refuse that URL: that run makes no table
    }
    if (!settings) continue;
    const { schema, table } = migrationsTableOf(settings, call.where);
    const names = [...possibleTables(settings, schema, table), ...(settings.lockTable ? possibleTables(settings, undefined, settings.lockTable) : [])];
    tables.push(...names);
    const other = path.relative(root, call.folder) || '.';
    notices.push(`golang-migrate: ${call.where} runs migrate up on ${other}/ with the bookkeeping table ${names.join(', ')}: ignored by drift like the migrations' own; the files of ${other}/ are not replayed`);
  }
  return { tables: [...new Set(tables)], notices: [...new Set(notices)] };
}

/**
 * Every `schema.table` golang-migrate's table may be: in its own schema when x-migrations-table names one, else in
 * whichever schema of the search_path exists first when migrate connects (CURRENT_SCHEMA(); `$user` left out).
 */
function possibleTables(settings: MigrateUrlSettings, schema: string | undefined, table: string): string[] {
  const schemas = schema ? [schema] : (settings.searchPath?.schemas ?? ['public']).filter((name) => name !== '$user');
  return schemas.map((name) => `${name}.${table}`);
}

function describe(settings: MigrateUrlSettings): string {
  const parts = [
    settings.searchPath ? `search_path=${settings.searchPath.value}` : undefined,
    settings.migrationsTable ? `x-migrations-table=${settings.migrationsTable}` : undefined,
    settings.multiStatement ? 'x-multi-statement=true' : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('&') : 'the defaults';
}

/**
 * ensureVersionTable as the URL has it: `CREATE TABLE IF NOT EXISTS <schema>.<table>` with the schema CURRENT_SCHEMA()
 * gave when migrate connected, which with a `search_path` is its first schema that exists: the replay sets the
 * search_path and leaves the table unqualified, so Postgres picks the same schema (and, with none existing, fails as
 * migrate does: ErrNoSchema). The search_path stays for the migrations, as on migrate's one connection.
 */
function bookkeepingOf(settings: MigrateUrlSettings, where: string): { schema?: string; name: string; setup: BookkeepingSetup } {
  const { schema, table } = migrationsTableOf(settings, where);
  const session = settings.searchPath ? setSearchPathSql(settings.searchPath) : '';
  const inSchema = schema ?? (settings.searchPath ? undefined : 'public');
  const created = inSchema ? `${quoteIdent(inSchema)}.${quoteIdent(table)}` : quoteIdent(table);
  const assumed = schema ?? settings.searchPath?.schemas?.find((s) => s !== '$user') ?? 'public';
  // the pgx v4 driver's lock table first (pgx.go WithInstance: ensureLockTable, then ensureVersionTable), unqualified
  const lock = settings.lockTable ? `CREATE TABLE IF NOT EXISTS ${settings.searchPath ? '' : 'public.'}${quoteIdent(settings.lockTable)} (lock_id BIGINT NOT NULL PRIMARY KEY);\n` : '';
  return {
    ...(schema ? { schema } : {}),
    name: table,
    setup: {
      table: `${quoteIdent(assumed)}.${quoteIdent(table)}`,
      sql: `${session}${lock}CREATE TABLE IF NOT EXISTS ${created} ${BOOKKEEPING_COLUMNS}`,
      ...(settings.searchPath && !schema
        ? {
            failureHint: `the -database URL of ${where} sets search_path=${settings.searchPath.value}, and golang-migrate creates its table in the first of those schemas that exists: on a new database none does, and migrate fails the same way; create the schema before the migrations as the team's database setup does, in a baseline file ("baseline" in pgdrift.config.json)`,
          }
        : {}),
      // database/postgres/postgres.go ensureVersionTable (golang-migrate@18966c75): CREATE TABLE IF NOT EXISTS
      // "<schema>"."<table>" before the first migration, never CREATE SCHEMA (field: nhost/hasura-auth,
      // postgres.Config{SchemaName: "auth"}, whose schema Hasura's setup makes)
      ...(schema && schema !== 'public'
        ? {
            failureHint: `${where} puts golang-migrate's table in schema ${schema}, which golang-migrate never creates: it makes the table there before the first migration, so on a new database migrate fails the same way; create the schema before the migrations as the team's database setup does, in a baseline file ("baseline" in pgdrift.config.json, a file with CREATE SCHEMA ${quoteIdent(schema)};)`,
          }
        : {}),
    },
  };
}
