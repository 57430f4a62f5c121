import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { dbStringSearchPath, splitProblem } from './goose.js';
import { goStringCalls } from './go-calls.js';
import { goFlags } from './go-flags.js';
import type { ShellWord } from './package-scripts.js';
import { programCalls } from './project-commands.js';
import { parseSqlMigrate, SQL_MIGRATE_PREFIX } from './sql-migrate-sqlparse.js';
import type { Substitution } from './substitution.js';
import { setSearchPathSql, type UrlSearchPath } from './url-search-path.js';
import { filesIn, foldersUpTo, isFile, manifestAbove, type DiscoveredMigration, type ExecutionPart, type FilePlan, type IgnoredFile, type Runner, type RunnerOptions } from './types.js';

/** migrate.go `numberPrefixRegex`: `^(\d+).*$` (Go's `.` stops at a newline, which a file name does not hold) */
const NUMBER_PREFIX = /^(\d+)/;
const MAX_INT64 = 9223372036854775807n;
const DEFAULT_TABLE = 'gorp_migrations';
const CONFIG_FILE = 'dbconfig.yml';
/** sql-migrate/config.go ConfigFlags: `-env` defaults to "development" */
const DEFAULT_ENV = 'development';

/**
 * sql-migrate (github.com/rubenv/sql-migrate@563a2f0, the library and its CLI), with go-gorp/gorp v3 for the table.
 * - Discovery (migrate.go `FileMigrationSource.FindMigrations`, `findMigrations`): the entries of the folder (no
 *   sub-folders) whose name ends with `.sql`, case-sensitive; every other file is not looked at. Each is parsed when
 *   found (`migrationFromFile`): one that sqlparse refuses stops `sql-migrate up` before anything runs.
 * - Order (`Migration.Less`, `byId`): the id is the file name; two names that both start with digits compare by that
 *   number (strconv.ParseInt, int64: a larger one panics), and by name when the numbers are equal; a name with a
 *   number comes before one without; two without compare by name. Two files with one number both run.
 * - What runs (sqlparse/sqlparse.go, ported in sql-migrate-sqlparse.ts): the statements of the `-- +migrate Up`
 *   sections, cut at each line ending with `;` outside `-- +migrate StatementBegin` … `StatementEnd`, without the
 *   `-- ` comment lines sqlparse drops (emptied here: a function body holds no such comment, only an empty line).
 * - Transactions (`applyMigrations`): each migration in its own transaction (dbMap.Begin, each statement one Exec,
 *   the record inserted, Commit), unless an Up line says `-- +migrate Up notransaction`: then each statement is one
 *   Exec of its own, a simple-protocol query (lib/pq sends a query without arguments so), which Postgres runs as one
 *   implicit transaction when it holds several SQL statements (a StatementBegin block).
 * - Bookkeeping (`getMigrationDbMap`, gorp table.go `SqlForCreate`, dialect_postgres.go): before the first migration
 *   `create table if not exists "gorp_migrations" ("id" text not null primary key, "applied_at" timestamp with time
 *   zone) ;`; with a schema (`migrate.SetSchema`, dbconfig.yml `schema:`) `create schema if not exists <schema>;`
 *   first and the table qualified by the schema as written (unquoted: Postgres folds it); the table name
 *   (`migrate.SetTable`, `table:`) is quoted as written.
 * - dbconfig.yml (sql-migrate/config.go): the CLI reads `-config` (default `dbconfig.yml` in its working directory) and
 *   the environment `-env` (default `development`): `dialect` (the CLI knows postgres, mysql and sqlite3: any but
 *   postgres is not PostgreSQL), `datasource` (os.ExpandEnv; lib/pq sends a `search_path` in it to the server),
 *   `dir` (default `migrations`, relative to the working directory), `table`, `schema`. pgdrift reads the project's
 *   `sql-migrate up` commands (package.json scripts, Makefile/Taskfile/justfile recipes) for `-config` and `-env`,
 *   else the nearest dbconfig.yml from the migrations folder up to the project root, and takes its folder as the
 *   working directory.
 */
export const sqlMigrate: Runner = {
  name: 'sql-migrate',
  docs: 'https://github.com/rubenv/sql-migrate#readme',
  folders: ['migrations', 'db/migrations'],
  discover: discoverSqlMigrate,
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && name.endsWith('.sql') && UP_LINE.test(listing.read(name)));
    if (files.length > 0) return { files, what: `${SQL_MIGRATE_PREFIX}Up sections` };
    const root = listing.root ?? path.dirname(listing.folder);
    const config = [listing.folder, ...foldersUpTo(path.dirname(listing.folder), root)].find((dir) => isFile(path.join(dir, CONFIG_FILE)));
    if (config) return { files: [path.relative(listing.folder, path.join(config, CONFIG_FILE)).split(path.sep).join('/')], what: `a ${CONFIG_FILE} (sql-migrate's configuration)`, weak: true };
    if (manifestAbove(listing, 'go.mod', (text) => /^\s*(require\s+)?github\.com\/rubenv\/sql-migrate\s+v/m.test(text))) {
      return { files: ['go.mod'], what: 'a Go module that requires github.com/rubenv/sql-migrate', weak: true };
    }
    return undefined;
  },
  plan: planSqlMigrate,
  // sqlparse reads the mark as part of the first line: a `-- +migrate ` command there is not read (any other first line
  // is before the first section, which is never sent)
  byteOrderMarkRefusal: `its parser reads the mark as part of the first line, which then does not start with "${SQL_MIGRATE_PREFIX}": the command on it is not read, so sql-migrate runs nothing of the section it starts (or fails: "no Up/Down annotations found")`,
  byteOrderMarkRefusedFor: (text) => text.startsWith(SQL_MIGRATE_PREFIX),
  configuredFolders(folder, options) {
    const config = readDbConfig(folder, options);
    if (!config?.environment) return undefined;
    return { setting: `${config.file} (${config.environment.name}: dir ${config.environment.dir ?? 'migrations (the default)'})`, folders: [path.resolve(config.cwd, config.environment.dir ?? 'migrations')] };
  },
  forProject(folder, options) {
    const config = readDbConfig(folder, options);
    const code = codeTableSettings(options.projectRoot ?? path.dirname(folder));
    if (!config) return code.length > 0 ? codeSettings(undefined, code, []) : {};
    const notices = [...config.notices];
    const environment = config.environment;
    if (!environment) return code.length > 0 ? codeSettings(undefined, code, notices) : notices.length > 0 ? { notices } : {};
    if (environment.dialect !== undefined && environment.dialect !== 'postgres') {
      const notPostgres = `${config.file} sets "dialect: ${environment.dialect}" for the environment ${environment.name}: sql-migrate applies these migrations to ${environment.dialect}, this is not a PostgreSQL project`;
      return { discover: (f, o) => ({ ...discoverSqlMigrate(f, o), notPostgres }), ...(notices.length > 0 ? { notices } : {}) };
    }
    const searchPath = environment.datasource ? datasourceSearchPath(environment.datasource, options.env ?? process.env) : undefined;
    return {
      ...codeSettings({ table: environment.table, schema: environment.schema, searchPath }, code, notices),
      ...(searchPath?.schemas ? { sessionSearchPath: searchPath.schemas } : {}),
    };
  },
  compareVersions: compareSqlMigrateVersions,
  bookkeeping: [`public.${DEFAULT_TABLE}`],
  bookkeepingSetup: gorpBookkeeping(DEFAULT_TABLE),
  newMigrationName: (version, slug) => `${version}-${slug}.sql`,
  lint: {
    // `sql-migrate new` names a file `<YYYYMMDDHHMMSS>-<name>.sql` (command_new.go CreateMigration); a number first
    // keeps the order the number's (Migration.Less)
    fileNamePattern: /^\d+[-_][^/]+\.sql$/,
    example: '20240131120000-add_orders.sql',
    sequentialVersions: false,
    // sql-migrate knows a migration by its whole file name: 1_a.sql and 1_b.sql are two migrations
    versionIdentifies: false,
    transactions: `sql-migrate runs the statements of the ${SQL_MIGRATE_PREFIX}Up sections of each migration in one transaction unless the file says ${SQL_MIGRATE_PREFIX}Up notransaction`,
    outsideTransaction: `put it in a file whose Up line is ${SQL_MIGRATE_PREFIX}Up notransaction`,
  },
};

const UP_LINE = /^-- \+migrate (Up|Down)\b/m;

function discoverSqlMigrate(folder: string, _options?: RunnerOptions): ReturnType<Runner['discover']> {
  const migrations: DiscoveredMigration[] = [];
  const ignored: IgnoredFile[] = [];
  const problems: string[] = [];
  for (const name of filesIn(folder)) {
    if (name.endsWith('.sql')) {
      const number = NUMBER_PREFIX.exec(name)?.[1];
      migrations.push(number !== undefined ? { name, version: number } : { name });
    } else if (name.toLowerCase().endsWith('.sql')) {
      ignored.push({ name, reason: 'its name does not end with ".sql" (sql-migrate compares the ending case-sensitively): sql-migrate skips it' });
    }
  }
  const numeric = migrations.filter((m) => m.version !== undefined);
  for (const m of numeric) {
    // Migration.VersionInt panics on a number that strconv.ParseInt cannot hold, when sorting compares it with another
    if (BigInt(m.version!) > MAX_INT64 && numeric.length > 1) problems.push(`${m.name}: its number does not fit in 64 bits: sql-migrate panics sorting the migrations (Could not parse "${m.version}" into int64)`);
  }
  if (problems.length > 0) return { migrations, ignored, problems };
  migrations.sort(lessById);
  return { migrations, ignored, problems };
}

/** migrate.go `Migration.Less`, as a comparator of file names. */
export function lessById(a: DiscoveredMigration, b: DiscoveredMigration): number {
  if (a.version !== undefined && b.version !== undefined) {
    const x = BigInt(a.version);
    const y = BigInt(b.version);
    if (x !== y) return x < y ? -1 : 1;
  } else if (a.version !== undefined) return -1;
  else if (b.version !== undefined) return 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The numeric prefixes as sql-migrate compares them (as numbers). */
function compareSqlMigrateVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** What sql-migrate runs of a file on `sql-migrate up`. */
export function planSqlMigrate(text: string, name?: string): FilePlan {
  const parsed = parseSqlMigrate(text);
  if (!parsed.file) return { parts: [], problem: parsed.problem };
  const { statements, dropped, noTransaction } = parsed.file;
  if (statements.length === 0) return { parts: [] };
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const section = { startLine: statements[0].startLine, endLine: statements.at(-1)!.endLine };
  // the lines of the section sql-migrate does not send: the comments it drops, and, between two Up sections, the
  // Down section's lines
  const sent = new Set<number>();
  for (const s of statements) for (let line = s.startLine; line < s.endLine; line++) sent.add(line);
  for (const line of dropped) sent.delete(line);
  // Emptied, their line breaks kept so that positions hold: the same to Postgres, except that a function body keeps an
  // empty line where sql-migrate sent none (a body's blank lines are layout, not drift: function-body-layout test)
  const blanks: { line: number; blank: Substitution }[] = [];
  for (let line = section.startLine; line < section.endLine; line++) {
    if (!sent.has(line) && !isBlank(text, lineStarts, line)) blanks.push({ line, blank: blankLine(text, lineStarts, line) });
  }
  // the plan's only on lines of a part (FilePlan.substitutions): without a transaction the parts are the statements, and
  // the lines between them are outside every part already (a substitution there would be applied to the next line)
  const inPart = (line: number) => !noTransaction || statements.some((s) => line >= s.startLine && line < s.endLine);
  const substitutions = blanks.filter(({ line }) => inPart(line)).map(({ blank }) => blank);
  const problem = splitProblem(text, blanks.map(({ blank }) => blank), statements, section, name ?? 'migration.sql', {
    message: `sql-migrate sends the Up section statement by statement, cut at each line ending with ";" outside ${SQL_MIGRATE_PREFIX}StatementBegin/StatementEnd, and Postgres refuses the piece sent`,
    hint: `wrap the statement in ${SQL_MIGRATE_PREFIX}StatementBegin and ${SQL_MIGRATE_PREFIX}StatementEnd lines`,
  });
  if (problem) return { parts: [], problem };
  // In a transaction: one BEGIN … COMMIT around the statements. Without one, each statement is one Exec.
  const parts: ExecutionPart[] = noTransaction ? statements.map((s) => ({ ...s, transaction: 'implicit' })) : [{ ...section, transaction: 'wrapped' }];
  return substitutions.length > 0 ? { parts, substitutions } : { parts };
}

function isBlank(text: string, lineStarts: number[], line: number): boolean {
  const end = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
  return text.slice(lineStarts[line], end).trim() === '';
}

/** A line emptied, its line break (and a \r before it) kept, so positions do not move. */
function blankLine(text: string, lineStarts: number[], line: number): Substitution {
  const start = lineStarts[line];
  let end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
  if (text[end - 1] === '\r') end--;
  return { start, end, value: '' };
}

/**
 * gorp's `CreateTablesIfNotExists` for sql-migrate's MigrationRecord on PostgreSQL (table.go SqlForCreate,
 * dialect_postgres.go): the schema unquoted, the table quoted, sent as one Exec.
 */
function gorpBookkeeping(table: string, schema?: string, searchPath?: UrlSearchPath): NonNullable<Runner['bookkeepingSetup']> {
  const session = searchPath ? setSearchPathSql(searchPath) : '';
  const quoted = `"${table}"`;
  const create = `create table if not exists ${schema ? `${schema}.${quoted}` : quoted} ("id" text not null primary key, "applied_at" timestamp with time zone) ;`;
  // an unquoted schema name is folded to lower case; an unqualified table lands in the first schema of the search_path
  const where = schema ? foldUnquoted(schema) : searchPath?.schemas?.find((s) => s !== '$user') ?? 'public';
  return { table: `${where}.${table}`, sql: `${session}${schema ? `create schema if not exists ${schema};` : ''}${create}` };
}

function foldUnquoted(name: string): string {
  return /^".*"$/.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The `search_path` of a dbconfig.yml datasource after os.ExpandEnv; undefined when a variable it names is unset. */
function datasourceSearchPath(datasource: string, env: Record<string, string | undefined>): UrlSearchPath | undefined {
  let unset = false;
  const expanded = datasource.replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const value = env[braced ?? bare ?? ''];
    if (value === undefined) unset = true;
    return value ?? '';
  });
  return unset ? undefined : dbStringSearchPath(expanded);
}

interface DbEnvironment {
  name: string;
  dialect?: string;
  datasource?: string;
  dir?: string;
  table?: string;
  schema?: string;
}

interface DbConfig {
  /** the file, relative to the project root */
  file: string;
  /** the folder the CLI runs in (paths in the file are relative to it) */
  cwd: string;
  /** the environment the CLI uses; undefined when none can be chosen */
  environment?: DbEnvironment;
  notices: string[];
}

/**
 * The dbconfig.yml sql-migrate reads and the environment it uses: the `-config` and `-env` of the project's
 * `sql-migrate up` commands, else the nearest dbconfig.yml from the folder up to the project root and `development`.
 */
export function readDbConfig(folder: string, options: RunnerOptions): DbConfig | undefined {
  const root = options.projectRoot ?? path.dirname(folder);
  const env = options.env ?? process.env;
  const notices: string[] = [];
  let configPath: string | undefined;
  let envName: string | undefined;
  let envWhere: string | undefined;
  const calls = programCalls(root, env, 'sql-migrate').filter((call) => call.args[0]?.text === 'up');
  const first = calls[0];
  if (first) {
    const flags = upFlags(first.args.slice(1));
    const cwd = first.cwd ?? root;
    if (flags.config !== undefined) configPath = path.resolve(cwd, flags.config);
    else if (isFile(path.join(cwd, CONFIG_FILE))) configPath = path.join(cwd, CONFIG_FILE);
    if (flags.env !== undefined) {
      envName = flags.env;
      envWhere = first.where;
    }
    const others = calls.slice(1).filter((call) => JSON.stringify(upFlags(call.args.slice(1))) !== JSON.stringify(flags));
    if (others.length > 0) notices.push(`sql-migrate: the project's sql-migrate up commands differ in -config/-env (${[first, ...others].map((c) => `${c.where}: ${c.args.map((w) => w.text).join(' ')}`).join('; ')}): the first one's are followed`);
  }
  configPath ??= [folder, ...foldersUpTo(path.dirname(folder), root)].map((dir) => path.join(dir, CONFIG_FILE)).find(isFile);
  if (!configPath || !isFile(configPath)) return undefined;
  const file = path.relative(root, configPath).split(path.sep).join('/');
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(configPath, 'utf8'));
  } catch (error) {
    return { file, cwd: path.dirname(configPath), notices: [`sql-migrate: ${file} is not YAML pgdrift can read (${(error as Error).message.split('\n')[0]}): its dir, table and schema are not followed`] };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { file, cwd: path.dirname(configPath), notices };
  const environments = Object.entries(parsed as Record<string, unknown>).filter(([, value]) => value && typeof value === 'object' && !Array.isArray(value)).map(([name, value]) => toEnvironment(name, value as Record<string, unknown>));
  let environment = environments.find((e) => e.name === (envName ?? DEFAULT_ENV));
  const dirs = new Set(environments.map((e) => e.dir ?? 'migrations'));
  // a project that runs sqlite3 or mysql locally and PostgreSQL elsewhere: its PostgreSQL environment, said
  const postgres = environments.find((e) => e.dialect === 'postgres');
  if (environment && environment.dialect !== undefined && environment.dialect !== 'postgres' && envWhere === undefined && postgres) {
    notices.push(`sql-migrate: ${file}'s ${environment.name} environment is ${environment.dialect}: its PostgreSQL environment ${postgres.name} (dir ${postgres.dir ?? 'migrations'}) is replayed`);
    environment = postgres;
  } else if (environment && envWhere === undefined && dirs.size > 1) {
    notices.push(`sql-migrate: ${file} names several environments with different folders (${environments.map((e) => `${e.name}: ${e.dir ?? 'migrations'}`).join(', ')}): ${DEFAULT_ENV}, the CLI's default -env, is replayed`);
  }
  if (!environment && environments.length > 0) {
    environment = postgres ?? environments[0];
    notices.push(`sql-migrate: ${file} has no environment ${envName ?? DEFAULT_ENV}${envWhere ? ` (the -env of ${envWhere})` : ` (the CLI's default -env)`}: its ${postgres ? 'first PostgreSQL' : 'first'} one, ${environment.name}, is replayed`);
  }
  return { file, cwd: path.dirname(configPath), ...(environment ? { environment } : {}), notices };
}

function toEnvironment(name: string, value: Record<string, unknown>): DbEnvironment {
  // yaml.v2 decodes a scalar into a Go string field as written (a number or a boolean as its text)
  const text = (key: string) => (value[key] === undefined || value[key] === null || typeof value[key] === 'object' ? undefined : String(value[key]));
  const environment: DbEnvironment = { name };
  for (const key of ['dialect', 'datasource', 'dir', 'table', 'schema'] as const) {
    const v = text(key);
    if (v !== undefined && v !== '') environment[key] = v;
  }
  return environment;
}

/** `sql-migrate up`'s flags (command_up.go, config.go ConfigFlags), read with Go's flag package: -config and -env. */
function upFlags(args: readonly ShellWord[]): { config?: string; env?: string } {
  const { flags } = goFlags(args, new Set(['dryrun']));
  const config = flags.get('config')?.text;
  const env = flags.get('env')?.text;
  return { ...(config !== undefined ? { config } : {}), ...(env !== undefined ? { env } : {}) };
}

/** A `migrate.SetTable(...)` / `migrate.SetSchema(...)` call in the project's Go code, its value when pgdrift can read it. */
interface CodeTableSetting {
  where: string;
  call: 'SetTable' | 'SetSchema';
  value?: string;
}

/**
 * The bookkeeping table: dbconfig.yml's `table`/`schema` (`configured`, for the CLI), else what the project's Go code
 * sets with migrate.SetTable/SetSchema before it runs the migrations itself (migrate.Exec), when pgdrift reads every
 * value. Where the two differ, or a value is one pgdrift cannot read, the CLI's table is replayed, the code's is
 * ignored by drift too when known, and a notice names the calls.
 */
function codeSettings(configured: { table?: string; schema?: string; searchPath?: UrlSearchPath } | undefined, code: CodeTableSetting[], notices: string[]): Pick<Runner, 'bookkeeping' | 'bookkeepingSetup' | 'notices'> {
  const values = (call: CodeTableSetting['call']) => [...new Set(code.filter((c) => c.call === call).map((c) => c.value))];
  const tables = values('SetTable');
  const schemas = values('SetSchema');
  const readable = !tables.includes(undefined) && !schemas.includes(undefined) && tables.length <= 1 && schemas.length <= 1;
  const fromCode = readable && code.length > 0 ? { table: tables[0], schema: schemas[0] } : undefined;
  const all = [...notices];
  if (!configured && fromCode) {
    const setup = gorpBookkeeping(fromCode.table ?? DEFAULT_TABLE, fromCode.schema);
    return { bookkeeping: [setup.table], bookkeepingSetup: setup, ...(all.length > 0 ? { notices: all } : {}) };
  }
  const setup = gorpBookkeeping(configured?.table ?? DEFAULT_TABLE, configured?.schema, configured?.searchPath);
  const bookkeeping = new Set([setup.table]);
  if (fromCode) bookkeeping.add(`${fromCode.schema ? foldUnquoted(fromCode.schema) : 'public'}.${fromCode.table ?? DEFAULT_TABLE}`);
  if (code.length > 0 && (!fromCode || bookkeeping.size > 1)) {
    const calls = code.map((c) => `${c.where} migrate.${c.call}(${c.value !== undefined ? JSON.stringify(c.value) : '…'})`).join('; ');
    all.push(`sql-migrate: the project's Go code names the bookkeeping table itself (${calls})${fromCode ? '' : ', with a value pgdrift cannot read'}: the replay creates ${setup.table}${configured ? ` as ${CONFIG_FILE} says` : ''}${bookkeeping.size > 1 ? `, and drift ignores ${[...bookkeeping].join(' and ')}` : ''}`);
  }
  return { bookkeeping: [...bookkeeping], bookkeepingSetup: setup, ...(all.length > 0 ? { notices: all } : {}) };
}

const SET_CALL = /\b(?:migrate|sqlmigrate|migration)\.(SetTable|SetSchema)\(\s*([^)]*?)\s*\)/g;

/** The migrate.SetTable / SetSchema calls of the project's Go files that import sql-migrate (go-calls.ts). */
function codeTableSettings(root: string): CodeTableSetting[] {
  return goStringCalls(root, 'rubenv/sql-migrate', SET_CALL).map((found) => ({ ...found, call: found.call as CodeTableSetting['call'] }));
}
