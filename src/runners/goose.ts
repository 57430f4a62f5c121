import path from 'node:path';
import { InputError } from '../errors.js';
import { searchPathValue, setSearchPathSql, urlSearchPath, type UrlSearchPath } from './url-search-path.js';
import { environmentWithDotEnv, readDotEnvFile } from './dotenv.js';
import { UNKNOWN } from './makefile.js';
import { goModuleForOtherDatabase } from './go-databases.js';
import { projectCommandNotices, projectCommands, toolName } from './project-commands.js';
import { goStringCalls } from './go-calls.js';
import { goFlags } from './go-flags.js';
import { EnvsubError, envsubLine } from './goose-envsub.js';
import { parseGoose, type GooseChunk } from './goose-sqlparser.js';
import { substitute, type Substitution } from './substitution.js';
import { parseSql, parseSqlOrUndefined, SqlSyntaxError } from '../sql/parse.js';
import { compareIntegers, duplicateVersions, filesIn, isSql, type DiscoveredMigration, type ExecutionPart, type FilePlan, type IgnoredFile, type PlanProblem, type Runner, type RunnerOptions } from './types.js';

/**
 * goose (https://pressly.github.io/goose/documentation/annotations/), pressly/goose@520411a.
 * - Discovery, as the goose CLI collects a folder (migrate.go `collectMigrationsFS`, migration.go `NumericComponent`):
 *   every `*.sql` file (the glob is case-sensitive) is a migration whose version is what comes before the first `_`,
 *   a positive int64; a `.sql` name without one stops `goose up` ("could not parse SQL migration file") and is
 *   refused. (Only goose's Provider API skips such names.) Files that are neither `.sql` nor `.go` are not looked
 *   at; two files with one version are refused.
 * - Go migrations (migrate.go `collectGoMigrations`, migration.go `run`): a `*.go` file with a version (not
 *   `*_test.go`) is a migration goose runs in version order with the SQL ones, through the function the project
 *   registers (goose.AddMigration…) in its own goose binary. pgdrift cannot run Go code: the file is named as applied
 *   by the runner and not replayed (check: "replay incomplete"); its version counts for duplicates. Other `.go` files
 *   are skipped, as goose skips them.
 * - Order: numeric version.
 * - Sections and statements (internal/sqlparser/parser.go, ported in goose-sqlparser.ts): `-- +goose Up` starts the
 *   up part, `-- +goose Down` ends it (the down part never runs on `goose up`, but goose reads it: what it refuses
 *   there fails the file too); no statement may come before `-- +goose Up`. Statements end at a line ending with
 *   `;`, or span `-- +goose StatementBegin` … `-- +goose StatementEnd`; each is executed on its own. Every line that
 *   starts with `--` and contains `+goose` is an annotation, which must be one goose knows, written at the start of
 *   the line (`extractAnnotation`): anything else is refused at its line, as goose refuses the file.
 * - A StatementBegin … StatementEnd block with nothing in it makes goose drop the next line that is not a comment or
 *   empty (parser.go: the block's StatementEnd line is skipped as a comment while the buffer is empty, so the state
 *   `gooseStatementEndUp` lasts to that line, which is not written to the buffer, and an empty statement is stored
 *   instead). It holds whether the file runs in a transaction or not: that line is not replayed.
 * - Transactions (migration_sql.go `runSQLMigration`): all statements of a file in one transaction, unless
 *   `-- +goose NO TRANSACTION`: then each statement goose cuts is sent with one `db.ExecContext`, one simple-protocol
 *   query (pgx uses the simple protocol for a query without arguments), which Postgres runs as one implicit
 *   transaction when it holds several SQL statements (a StatementBegin block): one `implicit` part per statement.
 * - `-- +goose ENVSUB ON` / `OFF` (parser.go `useEnvsub`): the lines goose adds to a statement after ON are expanded
 *   line by line from the environment (goose-envsub.ts, a port of mfridman/interpolate), in the Down section too
 *   (where an error fails `goose up` as well); comment lines between statements are dropped unexpanded.
 * - Session: a `search_path` in GOOSE_DBSTRING (URL query or keyword/value; pgx sends it as a run-time parameter) is
 *   the search_path of every migration, and of the unqualified bookkeeping table.
 * - Bookkeeping `goose_db_version` (or the CLI's `GOOSE_TABLE`, which may name a schema): when listing it fails
 *   (migrate.go `EnsureDBVersionContext`), goose creates it (internal/dialects/postgres.go `CreateTable`, the name as
 *   given) and inserts version 0, before the first migration. After each file, goose records it with `INSERT INTO
 *   <table>` in the session the file leaves (recordedInto): a file that sets search_path without the table fails there. `-table` wins over GOOSE_TABLE; it is read from the
 *   goose commands of the project's Makefile recipes (makefileTables), and is not visible anywhere else.
 * - Environment (cmd/goose/main.go): the CLI loads `.env` from its working directory (godotenv, which never overrides
 *   a variable already set) before reading GOOSE_TABLE and GOOSE_MIGRATION_DIR (the folder when `-dir` is not given,
 *   relative to the working directory; the `-dir` of the Makefile's goose up commands wins, makefileDir);
 *   ENVSUB expands from the same environment. pgdrift reads `.env` in the project
 *   root, and what the Makefile's recipes give goose (makefileGooseCalls: its exported variables, `NAME=value` words
 *   before goose, the DBSTRING argument, a `cd` of the recipe line and the `.env` of the folder it goes to, or the
 *   command's `-env` file); a `.env.example` is never read (exampleDrivers only names one that sets another driver); `-dir` and `-table` on a goose command line
 *   other than the Makefile's are not visible here.
 */
export const goose: Runner = {
  name: 'goose',
  docs: 'https://pressly.github.io/goose/documentation/annotations/',
  folders: ['db/migrations', 'migrations'],
  discover(folder, options) {
    const migrations: DiscoveredMigration[] = [];
    const ignored: IgnoredFile[] = [];
    const goMigrations: DiscoveredMigration[] = [];
    const problems: string[] = [];
    for (const name of filesIn(folder)) {
      const version = numericComponent(name);
      if (name.endsWith('.go')) {
        // collectGoMigrations: a .go file with a version that is not a test file is a migration; others are skipped
        if (typeof version === 'string' && !name.endsWith('_test.go')) goMigrations.push({ name, version });
      } else if (name.endsWith('.sql')) {
        // collectMigrationsFS: every *.sql file is a migration, and one without a version stops goose up
        if (typeof version === 'string') migrations.push({ name, version });
        else problems.push(`${name}: could not parse SQL migration file "${name}": ${version.error} (goose up reads every .sql file of the folder as a migration and stops on this one; move it out of the folder, or name it <version>_<name>.sql)`);
      }
    }
    migrations.sort((a, b) => compareIntegers(a.version!, b.version!));
    for (const go of goMigrations) {
      const next = migrations.find((m) => compareIntegers(m.version!, go.version!) > 0);
      ignored.push({ name: go.name, reason: goMigrationReason(go, migrations), appliedByRunner: true, ...(next ? { appliedBefore: next.name } : {}) });
    }
    // goose sorts .sql and .go migrations together and stops on a version used twice (migrate.go Migrations.Less)
    const all = [...migrations, ...goMigrations].sort((a, b) => compareIntegers(a.version!, b.version!));
    const notPostgres = goModuleForOtherDatabase(folder, options?.projectRoot ?? path.dirname(folder), 'goose');
    return { migrations, ignored, problems: [...problems, ...duplicateVersions(all, (v) => BigInt(v).toString())], ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && isSql(name) && /^--\s*\+goose\s+up\b/im.test(listing.read(name)));
    if (files.length > 0) return { files, what: '-- +goose Up annotations' };
    // a folder of Go migrations only (field: sjtw/tarkov-build-optimiser, six <version>_<name>.go files calling
    // goose.AddMigrationContext): goose's, which the numbered runner would call empty ("no migrations")
    const go = listing.files.filter((name) => !name.includes('/') && name.endsWith('.go') && !name.endsWith('_test.go') && typeof numericComponent(name) === 'string' && GO_REGISTRATION.test(listing.read(name)));
    return go.length > 0 ? { files: go, what: 'Go migrations registered with goose.AddMigration…' } : undefined;
  },
  plan: (text, name, folder, options) => recordedInto(planGoose(text, name, folder, options), 'goose_db_version'),
  // internal/sqlparser/parser.go ParseSQLMigration: strings.TrimSpace keeps U+FEFF, so the first line is neither blank
  // nor a `--` annotation; in the start state any other line is an error
  byteOrderMarkRefusal: 'its parser reads the mark as part of the first line, which is then neither blank nor a "-- +goose" annotation ("failed to parse migration: unexpected state 0 on line ...")',
  configuredFolders(folder, options) {
    const env = environmentWithDotEnv(folder, options);
    // cmd/goose/main.go: -dir names the folder (the Makefile's goose up commands), else GOOSE_MIGRATION_DIR
    const fromMake = makefileDir(folder, options, env);
    if (fromMake) return fromMake;
    const dir = env.GOOSE_MIGRATION_DIR;
    if (!dir) return undefined;
    return { setting: `GOOSE_MIGRATION_DIR (${dir})`, folders: [path.resolve(options.projectRoot ?? path.dirname(folder), dir)] };
  },
  compareVersions: compareIntegers,
  bookkeeping: ['public.goose_db_version'],
  bookkeepingSetup: gooseBookkeeping('goose_db_version'),
  forProject(folder, options) {
    const env = environmentWithDotEnv(folder, options);
    // cmd/goose/main.go: goose.SetTableName(firstNonEmpty(*table, envConfig.table, goose.DefaultTablename)): -table wins
    const calls = makefileGooseCalls(folder, options, env);
    // the driver the project's goose commands name decides before go.mod's drivers (discover's goModuleForOtherDatabase)
    const database = namedDatabase(folder, calls, env);
    const flagged = makefileTables(folder, calls);
    const cliTable = flagged[0]?.table || env.GOOSE_TABLE;
    const code = codeTable(options.projectRoot ?? path.dirname(folder), cliTable ?? (calls.some((call) => appliesMigrations(call) && runsOn(call, folder)) ? 'goose_db_version' : undefined));
    const table = cliTable || code.table || 'goose_db_version';
    const fromMake = makefileDbStrings(folder, calls);
    const read = fromMake.length > 0 ? dbStringSearchPath(fromMake[0].dbstring) : dbStringSearchPath(env.GOOSE_DBSTRING);
    const searchPath = read?.value.includes(UNKNOWN) ? undefined : read;
    const setup = gooseBookkeeping(table, searchPath);
    // the table lands in the first schema of the search_path that exists: every one it may be is goose's
    const candidates = table.includes('.') ? [] : (searchPath?.schemas ?? []).filter((schema) => schema !== '$user').map((schema) => `${schema}.${table}`);
    const others = [...flagged.slice(1).map((call) => call.table), ...code.alsoIgnored];
    const notices = new Set(flagged.length > 1 ? [`goose: the project's goose commands on this folder use different -table names (${flagged.map((call) => `${call.where}: ${call.table}`).join('; ')}): the replay creates ${table}, and drift ignores each of them`] : []);
    if (code.notice) notices.add(code.notice);
    for (const notice of makefileUnknowns(folder, options, calls, table)) notices.add(notice);
    // a Taskfile or justfile pgdrift could not read (broken YAML, an include it cannot follow): its goose commands are unknown
    for (const root of commandRoots(folder, options)) for (const notice of projectCommandNotices(root, env, options.projectRoot ?? root)) notices.add(`goose: ${notice}`);
    for (const notice of exampleDrivers(folder, options, calls)) notices.add(notice);
    const paths = new Set(fromMake.map((call) => dbStringSearchPath(call.dbstring)?.value ?? ''));
    if (paths.size > 1) notices.add(`goose: the project's goose up commands on this folder connect with different search_path settings (${fromMake.map((call) => `${call.where}: ${dbStringSearchPath(call.dbstring)?.value ?? 'none'}`).join('; ')}): the first one's is replayed`);
    else if (read?.value.includes(UNKNOWN)) notices.add(`goose: ${fromMake[0].where}: the search_path of its connection string holds a value only ${fromMake[0].tool} or the shell knows: the server's default is replayed`);
    return {
      bookkeeping: [...new Set([setup.table, ...candidates, ...others])],
      bookkeepingSetup: setup,
      plan: (text, name, folder, options) => recordedInto(planGoose(text, name, folder, options), table),
      ...(searchPath?.schemas ? { sessionSearchPath: searchPath.schemas } : {}),
      ...(notices.size > 0 ? { notices: [...notices] } : {}),
      ...(database ? { discover: (f: string, o?: RunnerOptions) => ({ ...goose.discover(f, o), notPostgres: database.notPostgres }) } : {}),
    };
  },
  lint: {
    fileNamePattern: /^\d+_[A-Za-z0-9_.\-]+\.sql$/,
    example: '20240131120000_add_orders.sql',
    sequentialVersions: false,
    transactions: 'goose runs the statements of the -- +goose Up section in one transaction unless the file says -- +goose NO TRANSACTION',
    outsideTransaction: 'put it in a file that says -- +goose NO TRANSACTION',
  },
};

/** A goose command of a Makefile recipe: where it is, its flags, and the words after them (driver, dbstring, command). */
interface GooseMakeCall {
  where: string;
  /** who expands it before the shell, as messages name it: make, Task or just */
  tool: string;
  /** the folder goose runs in: make's (the Makefile's), or where a `cd` of the recipe line went */
  root: string;
  flags: Map<string, string>;
  rest: string[];
  /**
   * The folder goose reads, as written (relative to `root`), when the command line or the environment the recipe
   * gives it names one other than pgdrift's own reading would (cmd/goose/main.go: `-dir`, else GOOSE_MIGRATION_DIR,
   * else "."): `-dir`, a GOOSE_MIGRATION_DIR the Makefile exports or sets before goose, or "." after a `cd`.
   */
  dir?: string;
  /** how `dir` is given, for messages: `-dir db/migrations`, `GOOSE_MIGRATION_DIR=sql/schema` */
  dirText?: string;
  /** `-table`, else a GOOSE_TABLE the Makefile exports or sets before goose */
  table?: string;
  tableText?: string;
  /** the connection string goose opens: GOOSE_DBSTRING the Makefile gives, else the DBSTRING argument */
  dbstring?: string;
  /** the DRIVER argument (or GOOSE_DRIVER) of a command that names a database: `postgres`, `sqlite3`, `mysql`... */
  driver?: string;
}

/**
 * The goose commands of the project's Makefile recipes and Taskfile tasks (the project root's, else the ones beside the
 * folder), read with the reader golang-migrate uses (project-commands.ts), never run. Each command's environment is
 * the one make or Task gives it (recipeEnvironment: the variables the Makefile exports; a task's `env:`) with the `NAME=value` words written before
 * goose; cmd/goose/main.go reads GOOSE_MIGRATION_DIR, GOOSE_TABLE, GOOSE_DRIVER and GOOSE_DBSTRING from it
 * (loadEnvConfig), a flag winning (firstNonEmpty(*table, envConfig.table, …); -dir over envConfig.dir), and mergeArgs
 * puts GOOSE_DRIVER and GOOSE_DBSTRING before the words after the flags. Only what the Makefile changes from the
 * environment pgdrift already reads (the process's, `.env`) is taken from here.
 */
function makefileGooseCalls(folder: string, options: RunnerOptions, env: Record<string, string | undefined>): GooseMakeCall[] {
  for (const root of commandRoots(folder, options)) {
    const calls: GooseMakeCall[] = [];
    for (const { where, words, cwd, env: makeEnv, from } of projectCommands(root, env, options.projectRoot ?? root)) {
      // `goose`, `./bin/goose`, `go tool goose`, or `go run github.com/pressly/goose/v3/cmd/goose@latest` (a version
      // after `@`, as golang-migrate's isMigrateProgram reads `…/cmd/migrate@v4`)
      const at = words.findIndex((word) => !word.dynamic && path.posix.basename(word.text).replace(/@[^@/]*$/, '') === 'goose');
      if (at < 0) continue;
      const callEnv = { ...makeEnv };
      for (const word of words.slice(0, at)) {
        const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word.text);
        // a word the shell expands (`GOOSE_DBSTRING=$$DATABASE_URL`) is a value only the shell knows
        if (assignment) callEnv[assignment[1]] = word.dynamic ? UNKNOWN : assignment[2];
      }
      const changed = (name: string) => (callEnv[name] !== env[name] && callEnv[name] !== '' ? callEnv[name] : undefined);
      const { flags: flagWords, rest: restWords } = goFlags(words.slice(at + 1), GOOSE_BOOLEAN_FLAGS);
      const flags = new Map([...flagWords].map(([name, word]) => [name, word.text]));
      // cmd/goose/main.go: godotenv.Load() of `.env` in the folder goose runs in (or `-env <file>`; `-env none` loads
      // none), never over a variable already set; the project root's `.env` is in `env` already (environmentWithDotEnv)
      const envFile = flags.get('env');
      const dotEnv = cwd === undefined || envFile === 'none' || (envFile === undefined && path.resolve(cwd) === path.resolve(options.projectRoot ?? root)) ? undefined : path.resolve(cwd, envFile ?? '.env');
      // a value that came only from the root's `.env` is not in the environment of a goose run elsewhere
      const rootDotEnvOnly = (name: string) => options.env === undefined && process.env[name] === undefined && callEnv[name] === env[name];
      if (dotEnv) for (const [name, value] of Object.entries(readDotEnvFile(dotEnv) ?? {})) if (callEnv[name] === undefined || rootDotEnvOnly(name)) callEnv[name] = value;
      const rest = restWords.map((word) => word.text);
      const call: GooseMakeCall = { where, tool: toolName(from), root: cwd ?? root, flags, rest };
      const dirFlag = flags.get('dir');
      const envDir = changed('GOOSE_MIGRATION_DIR');
      if (dirFlag !== undefined) [call.dir, call.dirText] = [dirFlag, `-dir ${dirFlag}`];
      else if (envDir !== undefined) [call.dir, call.dirText] = [envDir, `GOOSE_MIGRATION_DIR=${envDir}`];
      else if (cwd !== root) {
        // goose's -dir defaults to GOOSE_MIGRATION_DIR, else ".": the folder the recipe's `cd` went to
        const dir = callEnv.GOOSE_MIGRATION_DIR || '.';
        [call.dir, call.dirText] = [dir, `-dir ${dir} after the recipe's cd`];
      }
      // after a `cd` only the shell can follow, a relative folder is unknown too
      if (cwd === undefined && call.dir !== undefined && !path.isAbsolute(call.dir)) [call.dir, call.dirText] = [`${UNKNOWN}/${call.dir}`, `${call.dirText} after a cd to ${UNKNOWN}`];
      const tableFlag = flags.get('table');
      const envTable = changed('GOOSE_TABLE');
      if (tableFlag !== undefined) [call.table, call.tableText] = [tableFlag, `-table ${tableFlag}`];
      else if (envTable !== undefined) [call.table, call.tableText] = [envTable, `GOOSE_TABLE=${envTable}`];
      // mergeArgs: GOOSE_DRIVER goes first, GOOSE_DBSTRING second, before the words after the flags
      const merged = [...(callEnv.GOOSE_DRIVER ? [callEnv.GOOSE_DRIVER] : []), ...rest];
      if (callEnv.GOOSE_DBSTRING && merged.length > 0) merged.splice(1, 0, callEnv.GOOSE_DBSTRING);
      const dbstring = merged[1];
      if (dbstring !== undefined && dbstring !== env.GOOSE_DBSTRING) call.dbstring = dbstring;
      // `goose DRIVER DBSTRING up`: the driver is the first of the three (main.go checks len(args) >= 3 for them)
      if (merged.length >= 3) call.driver = merged[0];
      calls.push(call);
    }
    if (calls.length > 0) return calls;
  }
  return [];
}

/** Where the Makefile and Taskfile are looked for: the project root, then the folder beside the migrations. */
function commandRoots(folder: string, options: RunnerOptions): string[] {
  const projectRoot = options.projectRoot ?? path.dirname(folder);
  const beside = path.relative(projectRoot, path.dirname(folder));
  // never a Makefile above the project (asked with the root itself, the folder beside it is the root's parent)
  return [projectRoot, ...(beside && !beside.startsWith('..') && !path.isAbsolute(beside) ? [path.dirname(folder)] : [])];
}

const known = (value: string) => !value.includes(UNKNOWN) && !/\$/.test(value);

/** A flag's value as the Makefile spells it, with what only make or the shell fills in shown as `…`. */
const shown = (value: string) => value.replaceAll(UNKNOWN, '…');

/**
 * What the Makefile's goose up commands leave to make or the shell (a `$(shell …)` output, a variable set nowhere
 * pgdrift reads): a `-dir` (goose then runs another folder than the one found, or the one found: pgdrift cannot
 * tell) or a `-table` (the bookkeeping table the team's database has). Each is an assumption, said as a notice, as
 * golang-migrate's reading says an unknown source.
 */
function makefileUnknowns(folder: string, options: RunnerOptions, calls: GooseMakeCall[], table: string): string[] {
  const notices: string[] = [];
  for (const call of calls.filter(appliesMigrations)) {
    const { dir, table: tableSetting } = call;
    if (dir !== undefined && !known(dir)) {
      notices.push(`goose: ${call.where}: ${shown(call.dirText!)} holds a value only ${call.tool} or the shell knows: the folder found (${path.relative(options.projectRoot ?? path.dirname(folder), folder) || '.'}) is replayed`);
    } else if (tableSetting !== undefined && !known(tableSetting) && runsOn(call, folder)) {
      notices.push(`goose: ${call.where}: ${shown(call.tableText!)} holds a value only ${call.tool} or the shell knows: the replay creates ${table}, and drift may name the team's table as extra`);
    }
  }
  return notices;
}

/**
 * The `-table` of the goose commands the project's Makefile recipes run on this folder (field: e2b-dev/infra
 * packages/db/Makefile, `go tool goose -table "_migrations" -dir "migrations"`): the goose CLI's flag, which wins over
 * GOOSE_TABLE (cmd/goose/main.go `firstNonEmpty(*table, envConfig.table, goose.DefaultTablename)`), so the team's
 * database, and a pg_dump of it, has that table instead of goose_db_version. A command whose `-dir` names another
 * folder keeps another history and is left out.
 */
function makefileTables(folder: string, calls: GooseMakeCall[]): { where: string; table: string }[] {
  const found: { where: string; table: string }[] = [];
  for (const call of calls) {
    const { table } = call;
    if (!table || !known(table) || !runsOn(call, folder)) continue;
    if (!found.some((existing) => existing.table === table)) found.push({ where: call.where, table });
  }
  return found;
}

/**
 * The bookkeeping table the project's Go code names when it runs goose itself (version.go SetTableName, used by
 * goose.Up; provider_options.go WithTableName for goose.NewProvider; database.NewStore(dialect, name) for WithStore):
 * field Permify/permify, `goose.SetTableName(migrationsTable)` with `migrationsTable = "migrations"`, replayed with
 * goose_db_version, so the snapshot's public.migrations was drift and goose_db_version was not. `cliTable` is the
 * table of the project's goose commands (-table, GOOSE_TABLE, or the default when a command runs goose up on the
 * folder): it wins, and the code's, when it differs, is named in a notice and ignored by drift too.
 */
function codeTable(root: string, cliTable: string | undefined): { table?: string; alsoIgnored: string[]; notice?: string } {
  const calls = goStringCalls(root, 'pressly/goose', GOOSE_TABLE_CALL);
  if (calls.length === 0) return { alsoIgnored: [] };
  const values = [...new Set(calls.map((call) => call.value))];
  const readable = values.length === 1 && values[0] !== undefined && values[0] !== '' ? values[0] : undefined;
  const shown = calls.map((call) => `${call.where} ${call.call}(${call.value !== undefined ? JSON.stringify(call.value) : '…'})`).join('; ');
  if (cliTable === undefined) {
    if (readable !== undefined) return { table: readable, alsoIgnored: [] };
    return { alsoIgnored: values.filter((v): v is string => !!v), notice: `goose: the project's Go code names the bookkeeping table (${shown}) ${values.length > 1 ? 'in several ways' : 'with a value pgdrift cannot read'}: the replay creates goose_db_version` };
  }
  if (readable === cliTable) return { alsoIgnored: [] };
  const ignored = values.filter((v): v is string => !!v);
  return { alsoIgnored: ignored, notice: `goose: the project's Go code names the bookkeeping table (${shown}), and its goose commands use ${cliTable}: the replay creates ${cliTable}${ignored.length > 0 ? `, and drift ignores ${ignored.join(' and ')} too` : ''}` };
}

const GOOSE_TABLE_CALL = /\b(?:goose|database)\.(SetTableName|WithTableName|NewStore)\(\s*([^()]*?)\s*\)/g;

/**
 * The connection strings of the Makefile's goose up commands on this folder that differ from GOOSE_DBSTRING of the
 * environment pgdrift reads (a DBSTRING argument, `goose -dir db/migrations postgres "postgres://…?search_path=app"
 * up`, or a GOOSE_DBSTRING the Makefile exports): their search_path is the session's (pgx sends it at connect).
 */
function makefileDbStrings(folder: string, calls: GooseMakeCall[]): { where: string; tool: GooseMakeCall['tool']; dbstring: string }[] {
  const found: { where: string; tool: GooseMakeCall['tool']; dbstring: string }[] = [];
  for (const call of calls) {
    if (call.dbstring === undefined || !appliesMigrations(call) || !runsOn(call, folder)) continue;
    found.push({ where: call.where, tool: call.tool, dbstring: call.dbstring });
  }
  return found;
}

/** goose's dialects for PostgreSQL (database/sql driver names goose's cmd accepts: dialect.go, main.go `normalizeDBString`). */
const POSTGRES_DRIVERS = new Set(['postgres', 'pgx']);

/**
 * The database the goose up commands on this folder name (`goose -dir db/migrations sqlite3 ./app.db up`,
 * GOOSE_DRIVER=mysql in the environment or .env): `notPostgres` says why when every driver named is known and none is
 * PostgreSQL's (redshift, tidb, clickhouse, vertica... are other servers), undefined when one is postgres/pgx.
 * Undefined as a whole when no driver is named (or one only make or the shell knows).
 */
function namedDatabase(folder: string, calls: GooseMakeCall[], env: Record<string, string | undefined>): { notPostgres: string | undefined } | undefined {
  const named = calls.filter((call) => call.driver !== undefined && appliesMigrations(call) && runsOn(call, folder)).map((call) => ({ where: `${call.where} (goose ${call.driver} … up)`, driver: call.driver! }));
  if (named.length === 0 && env.GOOSE_DRIVER) named.push({ where: 'GOOSE_DRIVER', driver: env.GOOSE_DRIVER });
  if (named.length === 0 || named.some(({ driver }) => !known(driver))) return undefined;
  if (named.some(({ driver }) => POSTGRES_DRIVERS.has(driver))) return { notPostgres: undefined };
  return { notPostgres: `${named.map(({ where }) => where).join(', ')} runs goose with the ${[...new Set(named.map(({ driver }) => driver))].join(' and ')} driver: this is not a PostgreSQL project` };
}

/** Example files teams commit beside the `.env` they keep out of git: goose never reads them (only `.env`, or `-env`). */
const DOTENV_EXAMPLES = ['.env.example', '.env.sample', '.env.dist', '.env.template'];

/**
 * A goose up command on this folder that names no driver, run in a folder with no `.env` but an example of one whose
 * GOOSE_DRIVER is not PostgreSQL's (field: r0m43g/yopta, `cd backend/migrations && goose up` beside a `.env.example`
 * with GOOSE_DRIVER=mysql): goose does not read the example, so it is no setting here, but the `.env` the team makes
 * from it would run these migrations on another database; a notice says so, and what is replayed.
 */
function exampleDrivers(folder: string, options: RunnerOptions, calls: GooseMakeCall[]): string[] {
  const root = options.projectRoot ?? path.dirname(folder);
  const notices: string[] = [];
  for (const call of calls) {
    if (call.driver !== undefined || !appliesMigrations(call) || !runsOn(call, folder) || call.flags.has('env')) continue;
    if (readDotEnvFile(path.join(call.root, '.env'))) continue;
    for (const name of DOTENV_EXAMPLES) {
      const driver = readDotEnvFile(path.join(call.root, name))?.GOOSE_DRIVER;
      if (!driver || POSTGRES_DRIVERS.has(driver)) continue;
      const shownFile = path.relative(root, path.join(call.root, name)).split(path.sep).join('/');
      notices.push(`goose: ${call.where} runs goose with no driver of its own, and ${shownFile} sets GOOSE_DRIVER=${driver}: goose reads only .env (there is none there), never ${name}; if the team's .env is made from it, goose runs these migrations on ${driver}, not PostgreSQL. The migrations are replayed on PostgreSQL`);
      break;
    }
  }
  return notices;
}

/** cmd/goose/main.go's commands that apply migrations. */
const GOOSE_UP_COMMANDS = new Set(['up', 'up-by-one', 'up-to']);

/** The command applies migrations (up, up-by-one, up-to), not status, create, down... */
function appliesMigrations(call: GooseMakeCall): boolean {
  return call.rest.some((word) => GOOSE_UP_COMMANDS.has(word));
}

/** The command runs goose on `folder`: it names no folder of its own, or a known one that is `folder`. */
function runsOn(call: GooseMakeCall, folder: string): boolean {
  return call.dir === undefined || (known(call.dir) && path.resolve(call.root, call.dir) === path.resolve(folder));
}

/**
 * The folder the Makefile's goose up commands name with `-dir` (cmd/goose/main.go: the flag wins over
 * GOOSE_MIGRATION_DIR), as `configuredFolders` gives it: the one folder they all name, or undefined when they name
 * none, several (a seed history beside the migrations: the folder found stays, as golang-migrate's reading does), or
 * one only make or the shell knows.
 */
function makefileDir(folder: string, options: RunnerOptions, env: Record<string, string | undefined>): { setting: string; folders: string[] } | undefined {
  const dirs = new Map<string, GooseMakeCall>();
  for (const call of makefileGooseCalls(folder, options, env)) {
    const { dir } = call;
    if (dir === undefined || !appliesMigrations(call)) continue;
    if (!known(dir)) return undefined;
    const resolved = path.resolve(call.root, dir);
    if (!dirs.has(resolved)) dirs.set(resolved, call);
  }
  // several folders and no migrations folder found (asked for the project root itself, which none of them is: a goose
  // folder per service and database, run one after the other, field RockkleyPushPost/pushpost's migrate-all):
  // separate histories, which no one replay stands for
  const root = options.projectRoot ?? folder;
  if (dirs.size > 1 && path.resolve(folder) === path.resolve(root) && !dirs.has(path.resolve(folder))) {
    const shown = [...dirs].map(([resolved, call]) => ({ folder: path.relative(root, resolved).split(path.sep).join('/') || '.', where: call.where }));
    throw new InputError(`the project's goose up commands run on ${dirs.size} migrations folders, each its own history: ${shown.map((one) => `${one.where}: ${one.folder}`).join('; ')}`, {
      hint: `name the one to check: --migrations ${shown[0].folder} --runner goose (or another of them), or "migrations" and "runner" in pgdrift.config.json`,
    });
  }
  if (dirs.size !== 1) return undefined;
  const [[resolved, call]] = [...dirs];
  return { setting: `${call.where} (goose ${call.dirText})`, folders: [resolved] };
}

/** cmd/goose/main.go: the boolean flags (they take no separate value). */
const GOOSE_BOOLEAN_FLAGS = new Set(['v', 'h', 'version', 'help', 'allow-missing', 'no-versioning', 'no-color', 's', 'sequential']);

/**
 * migration.go `NumericComponent`: the version is what comes before the first `_` of a `.sql` or `.go` name, read by
 * strconv.ParseInt (base 10, an optional sign, int64) and greater than zero; otherwise goose's reason (as it words it).
 */
export function numericComponent(name: string): string | { error: string } {
  if (!name.endsWith('.sql') && !name.endsWith('.go')) return { error: 'migration file does not have .sql or .go file extension' };
  const cut = name.indexOf('_');
  if (cut < 0) return { error: "no filename separator '_' found" };
  const before = name.slice(0, cut);
  const digits = /^[+-]?(\d+)$/.exec(before);
  const parsed = digits ? BigInt(before) : undefined;
  if (parsed === undefined || parsed > INT64_MAX || parsed < -INT64_MAX - 1n) {
    return { error: `failed to parse version from migration file: ${name}: strconv.ParseInt: parsing ${JSON.stringify(before)}: ${digits ? 'value out of range' : 'invalid syntax'}` };
  }
  if (parsed < 1n) return { error: 'migration version must be greater than zero' };
  return digits![1];
}

const INT64_MAX = 2n ** 63n - 1n;

/** goose's registration calls (register.go: AddMigration, AddMigrationContext, AddNamedMigration…, the NoTx forms) */
const GO_REGISTRATION = /\bgoose\.Add(Named)?Migration/;

/** Why a Go migration is not replayed, and where goose runs it among the SQL files (migrate.go collectGoMigrations). */
function goMigrationReason(go: DiscoveredMigration, sql: DiscoveredMigration[]): string {
  const after = sql.filter((m) => compareIntegers(m.version!, go.version!) < 0).at(-1);
  const place = after ? `after ${after.name}` : sql.length > 0 ? `before ${sql[0].name}` : 'first';
  return `a Go migration (version ${BigInt(go.version!)}): goose runs the Go function it registers (goose.AddMigration…) ${place}, which pgdrift cannot run`;
}

/**
 * The table as goose's Postgres CreateTable makes it, in the session GOOSE_DBSTRING gives: with a search_path there,
 * the replay sets it first (once: it lasts for every migration, as pgx sets it on each of goose's connections) and an
 * unqualified table goes into its first schema (goose does not create it: a missing schema fails there, 3F000).
 */
function gooseBookkeeping(table: string, searchPath?: UrlSearchPath) {
  const session = searchPath ? setSearchPathSql(searchPath) : '';
  return {
    table: table.includes('.') ? table : `${searchPath?.schemas?.find((schema) => schema !== '$user') ?? 'public'}.${table}`,
    sql: `${session}CREATE TABLE ${table} (
		id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
		version_id bigint NOT NULL,
		is_applied boolean NOT NULL,
		tstamp timestamp NOT NULL DEFAULT now()
	)`,
  };
}

/**
 * The `search_path` of GOOSE_DBSTRING, a URL's query parameter or a keyword/value pair: the goose CLI opens Postgres
 * with pgx (db.go: driver "postgres" is "pgx"), whose ParseConfig passes a parameter it does not know to the server as
 * a run-time setting of the session, which the server reads as a list (url-search-path.ts).
 */
export function dbStringSearchPath(dsn: string | undefined): UrlSearchPath | undefined {
  if (!dsn) return undefined;
  if (/^postgres(ql)?:\/\//i.test(dsn)) return urlSearchPath(dsn);
  // pgx parseKeywordValueSettings: key = value, the value bare up to a space or in '...' with \ escapes
  let value: string | undefined;
  for (const match of dsn.matchAll(/([A-Za-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))/g)) {
    if (match[1] === 'search_path') value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return searchPathValue(value);
}

/**
 * migration_sql.go runSQLMigration: after the statements of a file, goose records its version with
 * `INSERT INTO <table> (version_id, is_applied) …` (internal/dialects/postgres.go InsertVersion, the table name as
 * given, unqualified by default), in the file's transaction (store.InsertVersion) or, with NO TRANSACTION, on the pool
 * after the last statement (InsertVersionNoTx). The pool keeps one connection, so a migration's own
 * `SET search_path TO app` lasts to that INSERT, which then fails when the table is not in the path: `pq: relation
 * "goose_db_version" does not exist` (goose v3.27.3, checked: the transaction is rolled back, or without one what
 * ran stays; goose stops). The last part carries the table (ExecutionPart.recordsInto) so the replay fails there too.
 */
function recordedInto(plan: FilePlan, table: string): FilePlan {
  if (plan.parts.length === 0) return plan;
  const parts = plan.parts.map((part, index) => (index === plan.parts.length - 1 ? { ...part, recordsInto: table } : part));
  return { ...plan, parts };
}

export function planGoose(text: string, name?: string, folder?: string, options: RunnerOptions = {}): FilePlan {
  const substitutions: Substitution[] = [];
  let environment: Record<string, string | undefined> | undefined; // read once, at the first line to expand
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const expand = (line: string, index: number, runs: boolean): PlanProblem | undefined => {
    try {
      const found = envsubLine(line, (environment ??= environmentWithDotEnv(folder, options)));
      // a line of the Down section is expanded (and may fail) but never runs
      if (runs) for (const s of found) substitutions.push({ start: lineStarts[index] + s.start, end: lineStarts[index] + s.end, value: s.value });
      return undefined;
    } catch (error) {
      if (!(error instanceof EnvsubError)) throw error;
      const column = [...line.slice(0, error.index)].length + 1;
      return { message: `goose: variable substitution failed (-- +goose ENVSUB ON): ${error.message}`, line: index + 1, column, hint: 'set the variable, give it a default (${NAME:-value}), or write $$ / \\$ for a literal $' };
    }
  };
  const { file, problem: parseProblem } = parseGoose(text, expand);
  if (!file) return { parts: [], problem: parseProblem };
  if (!file.noTransaction) substitutions.push(...file.dropped.map((line) => blankLine(text, lineStarts, line)));
  substitutions.sort((a, b) => a.start - b.start);
  const section = { startLine: file.up + 1, endLine: file.down ?? lineStarts.length };
  const problem = splitProblem(text, substitutions, file.chunks, section, name ?? 'migration.sql');
  if (problem) return { parts: [], problem };
  // In a transaction, one BEGIN … COMMIT around the section. Without one, goose sends each of its statements with
  // one db.ExecContext (migration_sql.go runSQLMigration): one simple-protocol query each (pgx sends a query without
  // arguments so), which Postgres runs as one implicit transaction when the piece holds several SQL statements.
  const parts: ExecutionPart[] = file.noTransaction ? file.chunks.map((chunk) => ({ ...chunk, transaction: 'implicit' })) : [{ ...section, transaction: 'wrapped' }];
  return substitutions.length > 0 ? { parts, substitutions } : { parts };
}

/**
 * A line goose reads but sends in no statement (GooseFile.dropped), emptied: the transactional section is replayed
 * as one query, so the line must go from its text (a NO TRANSACTION file's statements leave it out already). Its
 * line break stays, so positions do not move.
 */
function blankLine(text: string, lineStarts: number[], line: number): Substitution {
  const start = lineStarts[line];
  let end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
  if (text[end - 1] === '\r') end--;
  return { start, end, value: '' };
}

/** How splitProblem words its finding for a runner that cuts a section as goose does (sql-migrate too). */
export interface SplitWords {
  message: string;
  hint: string;
}

const GOOSE_SPLIT: SplitWords = {
  message: 'goose sends the Up section statement by statement, cut at each line ending with ";" outside -- +goose StatementBegin/StatementEnd, and Postgres refuses the piece sent',
  hint: 'wrap the statement in -- +goose StatementBegin and -- +goose StatementEnd lines',
};

/**
 * Where goose's cuts do not fall between statements, goose sends part of a statement (a PL/pgSQL body cut at a
 * `;` line without StatementBegin/StatementEnd): Postgres refuses that piece and the file fails. The section is
 * parsed (libpg-query) to find the statements; the first one a cut falls inside is reported with the error
 * Postgres gives for the piece goose sends. A section that does not parse is left to the replay, which reports it.
 */
export function splitProblem(text: string, substitutions: Substitution[], chunks: readonly GooseChunk[], { startLine: from, endLine: to }: { startLine: number; endLine: number }, name: string, words: SplitWords = GOOSE_SPLIT): PlanProblem | undefined {
  if (chunks.length < 2) return undefined; // one cut, at the end of the only statement
  const written = text.split('\n');
  const lines = substitutions.length > 0 ? substitute(text, substitutions).text.split('\n') : written;
  if (lines.length !== written.length) return undefined; // a substituted value with a line break: positions would not hold
  const section = lines.map((line, i) => (i >= from && i < to ? line : '')).join('\n');
  const parsed = parseSqlOrUndefined(section, name);
  if (!parsed) return undefined;
  const { statements, source } = parsed;
  for (const chunk of chunks) {
    const cutAfterLine = chunk.endLine; // 1-based number of the chunk's last line
    const cut = statements.find((s) => s.line <= cutAfterLine && source.positionOfByte(s.byteEnd - 1).line > cutAfterLine);
    if (!cut) continue;
    const piece = lines.slice(chunk.startLine, chunk.endLine).join('\n');
    let detail = `a statement that starts at line ${cut.line} is cut at line ${cutAfterLine}`;
    let line = cut.line;
    let column = cut.column;
    try {
      parseSql(piece, name);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      detail = error.detail;
      line = chunk.startLine + error.line;
      column = error.column;
    }
    return {
      message: `${words.message}: ${detail}`,
      line,
      column,
      hint: words.hint,
    };
  }
  return undefined;
}
