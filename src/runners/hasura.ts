import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import { readDotEnv } from './dotenv.js';
import { UNKNOWN } from './makefile.js';
import { argumentsOf, type ShellWord } from './package-scripts.js';
import { programCalls } from './project-commands.js';
import type { Substitution } from './substitution.js';
import { foldersUpTo, isDirectory, isFile, wholeFile, type DiscoveredMigration, type FilePlan, type IgnoredFile, type Runner } from './types.js';
import { lineIndex } from '../util/strings.js';

/**
 * cli/migrate/source/parse.go `Regex` / `Regexv2`: `<version>_<name>.<up|down>.<ext>`, the version a uint64
 * (strconv.ParseUint). A migration folder's files are matched as `<folder>.<file>` (source/file/file.go Scan).
 */
const NAME = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/;
const UINT64_MAX = 18446744073709551615n;

/**
 * The keys the CLI reads from config.yaml (cli/cli.go `readConfig`): a YAML map of these only, one of the second list
 * among them, is a Hasura project's config (a `config.yaml` is a common name).
 */
const CONFIG_KEYS = new Set(['version', 'disable_interactive', 'endpoint', 'admin_secret', 'admin_secrets', 'access_key', 'api_paths', 'insecure_skip_tls_verify', 'certificate_authority', 'metadata_directory', 'metadata_file', 'migrations_directory', 'seeds_directory', 'actions']);
const HASURA_KEYS = ['endpoint', 'admin_secret', 'access_key', 'metadata_directory', 'migrations_directory', 'actions'];

interface HasuraConfig {
  /** config.yaml, absolute */
  file: string;
  /** `version` (1 when absent, as cli/cli.go readConfig defaults it) */
  version: number;
  /** `migrations_directory` resolved against config.yaml's folder (default `migrations`) */
  migrationsDir: string;
  /** `metadata_directory` resolved likewise (default `metadata`) */
  metadataDir: string;
  /** the HASURA_GRAPHQL_* variables that override config.yaml's keys here, as `NAME (value)`, `.env` ones marked */
  overrides: string[];
  /** no config.yaml: a config v3 layout told by metadata/databases/databases.yaml beside migrations/ (metadataLayoutIn) */
  missing?: boolean;
}

/**
 * The environment variables that override config.yaml keys which change what `hasura migrate apply` replays
 * (cli/cli.go readConfig: viper `SetEnvPrefix("HASURA_GRAPHQL")`, key replacer `.` → `_`, AutomaticEnv, so the
 * variable wins over the file; an empty one counts as unset, viper's AllowEmptyEnv being off). The other keys
 * (endpoint, admin_secret, api_paths...) only say where the server is.
 */
const ENV_KEYS = { version: 'HASURA_GRAPHQL_VERSION', migrations_directory: 'HASURA_GRAPHQL_MIGRATIONS_DIRECTORY', metadata_directory: 'HASURA_GRAPHQL_METADATA_DIRECTORY' } as const;

/**
 * Hasura GraphQL Engine's CLI (`hasura migrate apply`), hasura/graphql-engine cli/ (v2.x).
 * - Layout: config v3 keeps one folder per database, `migrations/<database>/<version>_<name>/up.sql` (+ down.sql); the
 *   CLI applies the folder of ONE database, `--database-name` (required in config v3 outside a terminal:
 *   cli/commands/migrate.go `errDatabaseNameNotSet`; a prompt lists the databases otherwise). pgdrift takes the only
 *   PostgreSQL database of metadata/databases/databases.yaml (or the only folder); with several, name one with
 *   --migrations. Config v1/v2 keep `migrations/<version>_<name>.up.sql` (and `<version>_<name>/up.sql` folders).
 * - Discovery (source/file/file.go `Scan`): every entry of the folder; a folder's files are parsed as
 *   `<folder>.<file>`, a file by its name, with parse.go's Regex; a name that does not parse is skipped. Config v2+
 *   (migrate.go `New`: `DefaultParser(source.DefaultParsev2)`) reads `.sql` only; config v1 reads `.up.yaml` too (its
 *   actions, sent to the metadata API). An empty up.sql (`IsEmptyFile`: zero bytes) is skipped, so is a YAML file
 *   holding an empty list. Two files with one version and direction stop the CLI (source/migration.go `Append`: "found
 *   duplicate migrations for version").
 * - Order (source/migration.go `buildIndex`): the versions as uint64, ascending. A version with only a down file stops
 *   `migrate apply` there (migrate.go `versionUpExists`: "<version> up migration not found").
 * - What runs (database/hasuradb/hasuradb.go `Run`): the whole up.sql as ONE `run_sql` request to the database's
 *   source, one request per migration. The server runs it (server/src-lib/Hasura/Backends/Postgres/DDL/RunSQL.hs
 *   `runRunSQL`) inside `runTxWithCtx` (BEGIN ... COMMIT) as one simple query (`PG.multiQE`): `wrapped`. A file whose
 *   first line is `-- hasura:no-transaction` (cli/migrate/detect_no_transaction_test.go) is taken to go with run_sql's
 *   `no_transaction` flag (docs: api-reference/schema-api/run-sql, "no_transaction flag"): one query without BEGIN,
 *   which Postgres runs as one implicit transaction; a notice says it is an assumption (forProject).
 * - Config v1 (no `version` in config.yaml: cli/cli.go readConfig defaults it to 1) is applied only by the CLI v1.x:
 *   every pending migration, each version's `.up.sql` then its `.up.yaml` actions (the old migrate.go readUp:
 *   newMigration, then metanewMigration), in ONE bulk request, one transaction (forProject). Of an `.up.yaml`, the
 *   `sql` of each run_sql action is replayed (planYaml); metadata actions are Hasura's, not the schema's.
 * - Settings (cli/cli.go Validate, readConfig): config.yaml in the execution directory, each key overridden by its
 *   HASURA_GRAPHQL_<KEY> variable (viper AutomaticEnv), from the process or the `.env` beside config.yaml (loadEnvfile,
 *   which keeps a variable already set). Those that change what is replayed are read (ENV_KEYS): the migrations and
 *   metadata folders (the latter holds databases.yaml) and the config version. `--database-name` of the project's
 *   `hasura migrate apply` commands (scripts and recipes, databaseNameCalls) names the database folder; `--envfile`
 *   and `--project` are not read.
 * - Bookkeeping: in the `hdb_catalog` schema the Hasura server creates on the database (hdb_catalog.schema_migrations,
 *   or the catalog state in hdb_catalog.hdb_version: database/hasuradb/migrations_state.go), never by a migration:
 *   drift ignores the whole schema. What the server's catalog setup leaves outside it is replayed (CATALOG_SETUP).
 */
/**
 * What the Hasura server does to the database before any migration reaches it: when it sets up its catalog there
 * (the first start on a database without `hdb_catalog`: server/src-lib/Hasura/Server/Migrate.hs `migrateCatalog` →
 * `initialize True`), it runs `CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public` (refusing to start when the
 * extension is not available), and `hasura migrate apply` only ever talks to a running server. Migrations that call
 * `public.gen_random_uuid()` or `crypt()` without creating pgcrypto themselves rely on it (field:
 * Acaisoft/bolt-api, whose first migration failed with 42883 on `DEFAULT public.gen_random_uuid()`), and the team's
 * pg_dump shows the extension. The catalog itself (hdb_catalog) is ignored by drift, so only the extension is
 * replayed, unless a baseline already made the catalog's version table.
 */
const CATALOG_SETUP = {
  table: 'hdb_catalog.hdb_version',
  sql: 'CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public;',
  failureHint:
    'the Hasura server creates pgcrypto in public when it sets up hdb_catalog on a database (Migrate.hs), and refuses to start without it; an engine without pgcrypto cannot replay this project as the server runs it',
};

export const hasura: Runner = {
  name: 'hasura',
  docs: 'https://hasura.io/docs/latest/migrations-metadata-seeds/manage-migrations/',
  folders: ['hasura/migrations', 'migrations'],
  discover(folder, options) {
    const config = configAbove(folder, options?.projectRoot, options?.env);
    const version = config?.version ?? 3;
    const migrations: DiscoveredMigration[] = [];
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    if (config && version >= 3 && path.resolve(path.dirname(folder)) === path.resolve(config.migrationsDir)) {
      // a database folder: `hasura migrate apply --database-name <name>` sends its up.sql to that source's run_sql
      // (the request type by the source's kind in databases.yaml, as cli/seed/apply.go ApplySeedsToDatabase
      // switches it: run_sql, citus_run_sql, mssql_run_sql; cli/internal/hasura SourceKind*), which is
      // not Postgres (field: Azure-Samples/azure-sql-db-graphql-hasura, whose only migrations are sqlserverdb's, kind mssql)
      const kinds = databaseKinds(config);
      const kind = kinds.get(path.basename(folder));
      if (kind !== undefined && !POSTGRES_KINDS.has(kind)) {
        const shown = path.relative(options?.projectRoot ?? path.dirname(folder), folder).split(path.sep).join('/') || '.';
        const others = [...kinds].filter(([, k]) => POSTGRES_KINDS.has(k)).map(([name]) => name);
        throw new InputError(`${shown}/ holds the migrations of Hasura database ${path.basename(folder)}, of kind ${kind} in ${path.relative(options?.projectRoot ?? path.dirname(folder), databasesFile(config)).split(path.sep).join('/')}: not PostgreSQL, which is all pgdrift replays`, {
          hint: others.length > 0 ? `the PostgreSQL database${others.length > 1 ? 's' : ''} of databases.yaml (${others.join(', ')}) ha${others.length > 1 ? 've' : 's'} no migrations folder here: pgdrift has nothing of this project to replay` : 'databases.yaml lists no PostgreSQL database: pgdrift has nothing of this project to replay',
        });
      }
    }
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const databases = entries.filter((e) => isDirectory(path.join(folder, e.name)) && !NAME.test(`${e.name}.up.sql`)).map((e) => e.name);
    if (databases.length > 0 && !entries.some((e) => NAME.test(`${e.name}.up.sql`) || NAME.test(e.name))) {
      // config v3: `hasura migrate apply --database-name <name>` applies one database's folder (required outside a
      // terminal: cli/commands/migrate.go errDatabaseNameNotSet); postgresDatabase found no single one to take
      const shown = path.relative(options?.projectRoot ?? path.dirname(folder), folder).split(path.sep).join('/') || '.';
      // else the database with the most migrations (field: 0xIntuition/intuition-rs, whose cache/ holds one empty
      // migration and intuition/ the history: the example named cache/, where pgdrift then found nothing to replay)
      const example = postgresFolderName(databases) ?? mostMigrations(folder, databases);
      throw new InputError(`${shown}/ holds ${databases.length > 1 ? `one folder per database (${databases.join(', ')})` : `the folder of database ${databases[0]}`}: \`hasura migrate apply --database-name <name>\` applies one of them`, {
        hint: `point --migrations (or "migrations" in pgdrift.config.json) at the PostgreSQL database's folder, e.g. --migrations ${shown}/${example}`,
      });
    }
    // version → direction → files
    const byVersion = new Map<bigint, { up?: string; metaUp?: string; down?: string; metaDown?: string }>();
    const add = (relative: string, raw: string) => {
      const match = NAME.exec(raw);
      if (!match) {
        if (relative.toLowerCase().endsWith('.sql') || relative.toLowerCase().endsWith('.yaml')) ignored.push({ name: relative, reason: 'not named <version>_<name>.up.sql (or <version>_<name>/up.sql): the Hasura CLI skips it' });
        return;
      }
      const [, digits, , direction, ext] = match;
      const versionNumber = BigInt(digits);
      if (versionNumber > UINT64_MAX) {
        ignored.push({ name: relative, reason: `version ${digits} is not a uint64: the Hasura CLI skips it (strconv.ParseUint fails)` });
        return;
      }
      const yaml = ext === 'yaml';
      if (!yaml && ext !== 'sql') {
        if (version < 2) ignored.push({ name: relative, reason: `neither .sql nor .yaml: the Hasura CLI lists it but runs nothing for it` });
        return;
      }
      if (yaml && version >= 2) {
        ignored.push({ name: relative, reason: `a YAML migration: the Hasura CLI reads only .sql migrations in a config v${version} project (Parsev2)`, expected: direction === 'down' });
        return;
      }
      const text = readFileSync(path.join(folder, relative), 'utf8');
      if (yaml) {
        let actions: unknown;
        try {
          actions = parseYaml(text);
        } catch (error) {
          problems.push(`${relative}: invalid yaml file (${(error as Error).message.split('\n')[0]}): the Hasura CLI stops on it (source.IsEmptyFile)`);
          return;
        }
        if (!Array.isArray(actions) || actions.length === 0) {
          if (Array.isArray(actions) || actions === null) ignored.push({ name: relative, reason: 'an empty list of actions: the Hasura CLI skips it', expected: true });
          else problems.push(`${relative}: not a list of actions: the Hasura CLI stops on it (yaml.Unmarshal into []interface{})`);
          return;
        }
      } else if (text.length === 0) {
        ignored.push({ name: relative, reason: 'an empty file: the Hasura CLI skips it (source.IsEmptyFile)', expected: true });
        return;
      }
      const key = direction === 'up' ? (yaml ? 'metaUp' : 'up') : yaml ? 'metaDown' : 'down';
      const files = byVersion.get(versionNumber) ?? {};
      if (files[key] !== undefined) {
        problems.push(`found duplicate migrations for version ${versionNumber}: ${files[key]}, ${relative} (the Hasura CLI refuses the folder: source.Migrations.Append)`);
        return;
      }
      files[key] = relative;
      byVersion.set(versionNumber, files);
    };
    for (const entry of entries) {
      const where = path.join(folder, entry.name);
      if (isDirectory(where)) {
        for (const inner of readdirSync(where).sort()) {
          if (!isDirectory(path.join(where, inner))) add(`${entry.name}/${inner}`, `${entry.name}.${inner}`);
        }
      } else add(entry.name, entry.name);
    }
    for (const [versionNumber, files] of [...byVersion].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const down of [files.down, files.metaDown]) {
        if (down) ignored.push({ name: down, reason: 'a down migration: `hasura migrate apply` never applies it', expected: true });
      }
      if (!files.up && !files.metaUp) {
        problems.push(`${files.down ?? files.metaDown}: ${versionNumber} up migration not found: \`hasura migrate apply\` stops at this version (migrate.go versionUpExists)`);
        continue;
      }
      // migrate.go readUp: the SQL migration of a version, then its YAML (metadata) one
      for (const up of [files.up, files.metaUp]) if (up) migrations.push({ name: up, version: String(versionNumber) });
    }
    return { migrations, ignored, problems };
  },
  evidence(listing) {
    const config = configAbove(listing.folder, listing.root);
    if (!config) return undefined;
    const files = listing.files.filter((name) => NAME.test(name.replace('/', '.')));
    const shown = path.relative(listing.root ?? path.dirname(listing.folder), config.missing ? databasesFile(config) : config.file).split(path.sep).join('/');
    // a project `hasura init` made, before its first migration: Hasura's, unless another runner's files say otherwise
    // (it said "runner numbered detected ... no migrations for the numbered runner")
    if (files.length === 0 && !hasDatabaseFolders(listing.folder)) return config.missing ? undefined : { files: [shown], what: `a Hasura ${shown} (config v${config.version}) above the folder, and no migration in it yet`, weak: true };
    return { files: files.length > 0 ? files : [shown], what: config.missing ? `Hasura migrations beside ${shown} (a config v3 layout, no config.yaml)` : `Hasura migrations beside ${shown} (config v${config.version})`, overrides: ['diesel', 'golang-migrate'] };
  },
  plan: planHasura,
  // hasuradb.go Run: the file's bytes go as they are into run_sql's `sql`, a byte order mark included
  sendsByteOrderMark: () => true,
  configuredFolders(folder, options) {
    // the folder is the project root when no conventional folder exists there (folderFromRunnerSettings)
    const config =
      configAbove(folder, options.projectRoot, options.env) ??
      (path.resolve(folder) === path.resolve(options.projectRoot ?? '') ? (configIn(folder, options.env) ?? configIn(path.join(folder, 'hasura'), options.env) ?? metadataLayoutIn(folder) ?? metadataLayoutIn(path.join(folder, 'hasura'))) : undefined);
    if (!config || !isDirectory(config.migrationsDir)) return undefined;
    const shown = path.relative(options.projectRoot ?? path.dirname(folder), config.file).split(path.sep).join('/');
    const directory = config.overrides.find((o) => o.includes(ENV_KEYS.migrations_directory)) ?? (config.missing ? `${path.relative(options.projectRoot ?? path.dirname(folder), databasesFile(config)).split(path.sep).join('/')} beside migrations/` : `${shown} migrations_directory`);
    const overridden = config.overrides.filter((o) => !o.includes(ENV_KEYS.migrations_directory));
    const setting = [directory, ...overridden].join(', ');
    if (config.version < 3) return { setting, folders: [config.migrationsDir] };
    // config v3: the database's own folder, `--database-name` of the project's `hasura migrate apply` commands, else
    // the only PostgreSQL database of databases.yaml
    const named = databaseNameCalls(options.projectRoot ?? path.dirname(folder), options.env ?? process.env);
    if (named.database) return { setting: `${setting}, ${named.database.setting}`, folders: [path.join(config.migrationsDir, named.database.name)] };
    const database = postgresDatabase(config);
    if (!database) return { setting, folders: [config.migrationsDir] };
    return { setting: `${setting}, database ${database}`, folders: [path.join(config.migrationsDir, database)] };
  },
  forProject(folder, options) {
    const config = configAbove(folder, options.projectRoot, options.env);
    const shown = config ? path.relative(options.projectRoot ?? path.dirname(folder), config.file).split(path.sep).join('/') : 'config.yaml';
    const replayed = path.relative(options.projectRoot ?? path.dirname(folder), folder).split(path.sep).join('/') || '.';
    const notices: string[] = config && config.version >= 3 ? databaseNameCalls(options.projectRoot ?? path.dirname(folder), options.env ?? process.env).notices.map((notice) => `${notice}; ${replayed} is replayed`) : [];
    // the marker's reader is not in the CLI source pgdrift's authors read (only its test, detect_no_transaction_test.go):
    // replayed as run_sql's documented no_transaction flag runs the SQL, which a server may not honour (#10707)
    const marked = hasura
      .discover(folder, options)
      .migrations.filter((m) => m.name.endsWith('.sql') && noTransaction(readFileSync(path.join(folder, m.name), 'utf8').slice(0, 200)))
      .map((m) => m.name);
    if (marked.length > 0) {
      notices.push(
        `hasura: ${marked.length === 1 ? marked[0] : `${marked.length} migrations (${marked.slice(0, 3).join(', ')}${marked.length > 3 ? '...' : ''})`} start${marked.length === 1 ? 's' : ''} with \`-- hasura:no-transaction\`: replayed as one query outside a transaction, as run_sql's no_transaction flag is documented; a server that does not honour the flag (hasura/graphql-engine#10707) runs it in one, where CREATE INDEX CONCURRENTLY fails`,
      );
    }
    if (config?.missing) {
      notices.push(
        `hasura: no config.yaml beside ${path.relative(options.projectRoot ?? path.dirname(folder), config.metadataDir).split(path.sep).join('/')}/ (the Hasura CLI needs one to run; a team may keep it out of the repository): replayed as a config v3 project, as its metadata/databases/databases.yaml and migrations/<database>/ folders are laid out`,
      );
    }
    if (!config || config.version >= 2) return notices.length > 0 ? { notices } : {};
    // the CLI v2 stops on a config v1 project with a Hasura v2 server (cli/scripts CheckIfUpdateToConfigV3IsRequired:
    // "config v1 is deprecated from v1.4"); the CLI v1.x that applies one puts every pending migration in ONE `bulk`
    // request (hasuradb.go Lock ... UnLock), which the v1 server runs in one transaction (Hasura.Server.Query
    // runQueryM in MonadTx)
    notices.push(
      `hasura: ${shown} is a config v1 project, which only the Hasura CLI v1.x applies (v2 asks for \`hasura scripts update-project-v2\`): replayed as v1.x does, every migration in one transaction, each version's .up.sql then its .up.yaml run_sql actions`,
    );
    return { oneTransaction: true, notices };
  },
  compareVersions: (a, b) => {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  },
  // the schema and everything in it (a pattern without a dot names the schema and what it holds)
  // and the triggers the server adds to a table for an event trigger of the metadata, `notify_hasura_<name>_<OP>`
  // (server/src-lib/Hasura/Backends/Postgres/DDL/EventTrigger.hs pgTriggerName), calling functions in hdb_catalog
  bookkeeping: ['hdb_catalog', '*.*.notify_hasura_*'],
  bookkeepingSetup: CATALOG_SETUP,
  lint: {
    // `hasura migrate create` names a folder `<unix milliseconds>_<name>` (cli/migrate/cmd/commands.go CreateCmd)
    fileNamePattern: /^(\d+_[^/]+\/up\.sql|\d+_[^/]+\.up\.(sql|yaml))$/,
    example: '1654696186008_create_table_public_users/up.sql',
    sequentialVersions: false,
    transactions: 'the Hasura CLI sends each up.sql as one run_sql request, which the server runs in a transaction',
    outsideTransaction: 'put it alone in a migration whose up.sql starts with the line `-- hasura:no-transaction`',
    orderName: 'version order (the number before the first _, as an integer)',
    // two up files of one version are refused by discovery (source.Migrations.Append), as the CLI refuses them; a
    // config v1 version's .up.sql and .up.yaml are one migration
    versionIdentifies: false,
  },
};

/**
 * What Hasura runs of one migration: an up.sql whole, in the server's transaction unless its first line is
 * `-- hasura:no-transaction`; a config v1 `.up.yaml`, the `sql` of each of its run_sql actions (yamlActions).
 */
export function planHasura(text: string, name: string): FilePlan {
  if (name.toLowerCase().endsWith('.yaml')) return planYaml(text);
  return wholeFile(text, noTransaction(text) ? 'implicit' : 'wrapped');
}

/** detect_no_transaction_test.go: the first line, spaces around it trimmed, is exactly `-- hasura:no-transaction`. */
export function noTransaction(text: string): boolean {
  const first = text.split('\n', 1)[0].replace(/\r$/, '');
  return first.trim() === '-- hasura:no-transaction';
}

/** One action of a config v1 YAML migration, in the order the CLI sends them. */
export interface YamlAction {
  type: string;
  /** 1-based position of the action */
  line: number;
  column: number;
  /** run_sql: its `sql` and where the value is written, [start, end) in the file */
  sql?: { value: string; start: number; end: number };
  /** why pgdrift cannot read it (a run_sql without a string `sql`) */
  problem?: string;
}

/**
 * The actions of a config v1 `.up.yaml` as the CLI reads them (ghodss/yaml: the YAML as JSON, then a list): each a
 * map with `type` and `args`; a `bulk` action's `args` are actions in turn. Undefined when it is not a list of maps.
 */
export function yamlActions(text: string): YamlAction[] | undefined {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  if (document.errors.length > 0 || !isSeq(document.contents)) return undefined;
  const actions: YamlAction[] = [];
  const visit = (items: unknown[]): boolean => {
    for (const item of items) {
      if (!isMap(item)) return false;
      const type = item.get('type');
      const at = counter.linePos(item.range?.[0] ?? 0);
      const action: YamlAction = { type: typeof type === 'string' ? type : '', line: at.line, column: at.col };
      const args = item.get('args', true);
      if (action.type === 'bulk' && isSeq(args)) {
        if (!visit(args.items)) return false;
        continue;
      }
      if (/^(pg_)?run_sql$/.test(action.type)) {
        const sql = isMap(args) ? args.get('sql', true) : undefined;
        if (isScalar(sql) && typeof sql.value === 'string' && sql.range) action.sql = { value: sql.value, start: sql.range[0], end: sql.range[1] };
        else action.problem = 'a run_sql action without a string `sql` in its args';
      }
      actions.push(action);
    }
    return true;
  };
  return visit(document.contents.items) ? actions : undefined;
}

/**
 * A config v1 YAML migration: the CLI (v1.x, the one that applies config v1 projects) sends its actions in its bulk
 * request (cli/migrate/database/hasuradb/hasuradb.go `Run`, fileType "meta"), and the server runs each run_sql's `sql`
 * as one query (`execRawSQL`, `Q.multiQE`). The replay runs each `sql` as one part, the lines of its value replaced
 * by the value as YAML reads it (a block scalar's indentation removed, quotes and escapes undone): a position
 * Postgres reports inside it is shown at the value's first line. Other actions (track_table, permissions, event
 * triggers...) go to Hasura's metadata: not replayed (a notice says so, forProject).
 */
function planYaml(text: string): FilePlan {
  const actions = yamlActions(text);
  if (!actions) return { parts: [], problem: { message: 'not a YAML list of actions: the Hasura CLI stops on it (yaml.Unmarshal into []interface{})', line: 1, column: 1 } };
  const bad = actions.find((action) => action.problem);
  if (bad) return { parts: [], problem: { message: bad.problem!, line: bad.line, column: bad.column, hint: 'give the action args: {sql: "..."}, as the run_sql API requires' } };
  const { lineStarts, lineOf } = lineIndex(text);
  const lineEnd = (line: number) => {
    const next = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
    return text[next - 1] === '\r' ? next - 1 : next;
  };
  const plan: FilePlan = { parts: [], substitutions: [] };
  let previousEnd = -1;
  for (const action of actions) {
    if (!action.sql) continue;
    const first = lineOf(action.sql.start);
    const last = lineOf(Math.max(action.sql.start, action.sql.end - 1));
    if (first <= previousEnd) {
      return { parts: [], problem: { message: 'two run_sql actions share a line: pgdrift replays each one\'s sql on lines of its own', line: action.line, column: action.column, hint: 'write each action on lines of its own (block style), as `hasura migrate create` does' } };
    }
    previousEnd = last;
    plan.parts.push({ startLine: first, endLine: last + 1, transaction: 'wrapped' });
    plan.substitutions!.push(...(blockLines(text, action.sql.value, first, last, lineStarts, lineEnd) ?? [{ start: lineStarts[first], end: lineEnd(last), value: action.sql.value }]));
  }
  return plan;
}

/**
 * A literal block scalar (`sql: |`) whose value is its lines with their indentation removed: substitutions that
 * blank the `sql: |` line and cut each line's indentation, so every position Postgres reports is the file's own
 * line:column. Undefined for any other scalar (folded, quoted, plain): the value then replaces the lines whole.
 */
function blockLines(text: string, value: string, first: number, last: number, lineStarts: number[], lineEnd: (line: number) => number): Substitution[] | undefined {
  const lines: string[] = [];
  for (let line = first + 1; line <= last; line++) lines.push(text.slice(lineStarts[line], lineEnd(line)));
  const content = lines.find((line) => line.trim() !== '');
  if (content === undefined) return undefined;
  const indent = content.length - content.trimStart().length;
  if (lines.some((line) => line.trim() !== '' && !line.startsWith(' '.repeat(indent)))) return undefined;
  const trimEnd = (t: string) => t.replace(/\n+$/, '');
  if (trimEnd(lines.map((line) => line.slice(Math.min(indent, line.length))).join('\n')) !== trimEnd(value)) return undefined;
  const substitutions: Substitution[] = [{ start: lineStarts[first], end: lineEnd(first), value: '' }];
  lines.forEach((line, i) => {
    const cut = Math.min(indent, line.length);
    if (cut > 0) substitutions.push({ start: lineStarts[first + 1 + i], end: lineStarts[first + 1 + i] + cut, value: '' });
  });
  return substitutions;
}

/**
 * The Hasura config.yaml in the folder, or undefined (no file, not YAML, or not a Hasura config), with the
 * HASURA_GRAPHQL_* overrides of ENV_KEYS applied from `env`, else from the process environment over the folder's
 * `.env` (cli/cli.go Validate: loadEnvfile loads `--envfile`, default `.env` in the execution directory, the folder
 * of config.yaml, with gotenv.Load, which keeps a variable already set; then readConfig).
 */
function configIn(dir: string, env?: Record<string, string | undefined>): HasuraConfig | undefined {
  const file = path.join(dir, 'config.yaml');
  if (!isFile(file)) return undefined;
  let settings: unknown;
  try {
    settings = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) return undefined;
  const record = settings as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!keys.every((key) => CONFIG_KEYS.has(key)) || !HASURA_KEYS.some((key) => key in record)) return undefined;
  const dotEnv = env ? {} : readDotEnvIn(dir);
  const environment = env ?? { ...dotEnv, ...process.env };
  const overrides: string[] = [];
  const setting = (key: keyof typeof ENV_KEYS): unknown => {
    const value = environment[ENV_KEYS[key]];
    if (!value) return record[key];
    overrides.push(`${!env && process.env[ENV_KEYS[key]] === undefined ? '.env ' : ''}${ENV_KEYS[key]} (${value})`);
    return value;
  };
  // readConfig: `v.SetDefault("version", "1")`, read with v.GetInt (a quoted "3" too)
  const versionSetting = setting('version');
  const version = versionSetting === undefined ? 1 : Number(versionSetting);
  if (!Number.isInteger(version)) return undefined;
  // Validate: filepath.Join(ec.ExecutionDirectory, dir), which keeps even an absolute dir below the execution directory
  const directory = (key: 'migrations_directory' | 'metadata_directory', fallback: string) => {
    const value = setting(key);
    return path.join(dir, typeof value === 'string' && value ? value : fallback);
  };
  return { file, version, migrationsDir: directory('migrations_directory', 'migrations'), metadataDir: directory('metadata_directory', 'metadata'), overrides };
}

/**
 * The migrations folder of a Hasura project whose config.yaml is in `dir` (`hasura migrate` runs where config.yaml
 * is), when that folder exists: a candidate below the project root (field: Acaisoft/bolt-api keeps
 * subsystems/hasura/config.yaml).
 */
export function hasuraProjectMigrations(dir: string): string | undefined {
  const config = configIn(dir);
  return config && isDirectory(config.migrationsDir) ? config.migrationsDir : undefined;
}

/** The Hasura config.yaml in a folder above the migrations folder (its parent first), up to the project root. */
function configAbove(folder: string, root?: string, env?: Record<string, string | undefined>): HasuraConfig | undefined {
  const top = path.resolve(root ?? path.dirname(path.dirname(folder)));
  const inside = (dir: string) => !path.relative(top, dir).startsWith('..');
  // never above the project root (foldersUpTo gives a folder outside it as it is)
  for (const dir of foldersUpTo(path.dirname(folder), top).filter(inside)) {
    const config = configIn(dir, env) ?? metadataLayoutIn(dir);
    if (config) return config;
  }
  return undefined;
}

/**
 * A Hasura project whose config.yaml is not in the repository (field: iGnosis/sh-graphql keeps config.sample.yaml,
 * its package.json runs `hasura migrate --database-name default apply` and its compose file the cli-migrations-v3
 * image on ./migrations and ./metadata): metadata/databases/databases.yaml, config v3's metadata layout (Hasura docs,
 * migrations-metadata-seeds/metadata-format: config v2 keeps tables.yaml at metadata/'s top), beside a migrations/ folder. Read with config v3's defaults; forProject says so.
 * Before, its migrations/default/<version>_<name>/up.sql folders were taken for Diesel's.
 */
function metadataLayoutIn(dir: string): HasuraConfig | undefined {
  const metadataDir = path.join(dir, 'metadata');
  const migrationsDir = path.join(dir, 'migrations');
  if (isFile(path.join(dir, 'config.yaml')) || !isFile(path.join(metadataDir, 'databases', 'databases.yaml')) || !isDirectory(migrationsDir)) return undefined;
  return { file: path.join(dir, 'config.yaml'), version: 3, migrationsDir, metadataDir, overrides: [], missing: true };
}

function databasesFile(config: HasuraConfig): string {
  return path.join(config.metadataDir, 'databases', 'databases.yaml');
}

/** The database folder whose name says PostgreSQL (or `default`, the name `hasura init` gives the first database). */
function postgresFolderName(names: string[]): string | undefined {
  return names.find((name) => /^(postgres(ql)?|pg(sql)?)$/i.test(name)) ?? names.find((name) => name === 'default');
}

/** Of a config v3 migrations folder's database folders, the one with the most `<version>_<name>` migrations (the first on a tie). */
function mostMigrations(folder: string, databases: string[]): string {
  const count = (database: string) => readdirSync(path.join(folder, database)).filter((entry) => NAME.test(`${entry}.up.sql`)).length;
  return databases.map((database) => ({ database, n: count(database) })).reduce((best, next) => (next.n > best.n ? next : best)).database;
}

/** A folder of config v3 database folders (`default/<version>_<name>/up.sql`). */
function hasDatabaseFolders(folder: string): boolean {
  try {
    return readdirSync(folder).some((database) => {
      const where = path.join(folder, database);
      return statSync(where).isDirectory() && readdirSync(where).some((entry) => NAME.test(`${entry}.up.sql`) && isFile(path.join(where, entry, 'up.sql')));
    });
  } catch {
    return false;
  }
}

/** Hasura source kinds whose run_sql is Postgres's (citus: Postgres with the Citus extension, RunSQL.hs for both). */
const POSTGRES_KINDS = new Set(['postgres', 'citus']);

/** The `kind` of each database of metadata/databases/databases.yaml (`postgres` when unset); empty when unreadable. */
function databaseKinds(config: HasuraConfig): Map<string, string> {
  let listed: unknown;
  try {
    listed = parseYaml(readFileSync(databasesFile(config), 'utf8'));
  } catch {
    return new Map();
  }
  if (!Array.isArray(listed)) return new Map();
  const kinds = new Map<string, string>();
  for (const db of listed) {
    if (!db || typeof db !== 'object' || typeof (db as { name?: unknown }).name !== 'string') continue;
    const kind = (db as { kind?: unknown }).kind;
    kinds.set((db as { name: string }).name, typeof kind === 'string' ? kind : 'postgres');
  }
  return kinds;
}

/**
 * The database whose folder pgdrift replays in a config v3 project: the only PostgreSQL database of
 * metadata/databases/databases.yaml that has a migrations folder, else the only folder; undefined when several.
 */
export function postgresDatabase(config: HasuraConfig): string | undefined {
  const folders = readdirSync(config.migrationsDir).filter((name) => isDirectory(path.join(config.migrationsDir, name)));
  let listed: unknown;
  try {
    listed = parseYaml(readFileSync(databasesFile(config), 'utf8'));
  } catch {
    listed = undefined;
  }
  if (Array.isArray(listed)) {
    const postgres = listed
      .filter((db): db is { name: string; kind?: unknown } => !!db && typeof db === 'object' && typeof (db as { name?: unknown }).name === 'string')
      .filter((db) => db.kind === undefined || db.kind === 'postgres')
      .map((db) => db.name)
      .filter((name) => folders.includes(name));
    if (postgres.length === 1) return postgres[0];
    if (postgres.length > 1) return undefined;
  }
  return folders.length === 1 ? folders[0] : undefined;
}

/** `.env` of the folder as gotenv reads it; nothing when there is none or it cannot be read. */
function readDotEnvIn(dir: string): Record<string, string> {
  try {
    return readDotEnv(readFileSync(path.join(dir, '.env'), 'utf8'));
  } catch {
    return {};
  }
}

/** cli/commands (root.go, migrate.go, migrate_apply.go): the flags that take a value, besides `--database-name`. */
const VALUE_FLAGS = new Set(['--endpoint', '--admin-secret', '--access-key', '--certificate-authority', '--project', '--envfile', '--log-level', '--goto', '--up', '--down', '--version', '--type']);

/**
 * The database the project's `hasura migrate apply` commands name (package.json scripts, Makefile/Taskfile/justfile
 * recipes): `--database-name <name>` (cli/commands/migrate.go, a persistent flag of `migrate`, bound to no variable),
 * the one name they all give; otherwise none, and a notice when they give several or one only the shell knows.
 * A command with `--all-databases` names none.
 */
function databaseNameCalls(root: string, env: Record<string, string | undefined>): { database?: { name: string; setting: string }; notices: string[] } {
  const names = new Map<string, string>();
  const unknown: string[] = [];
  const find = (words: ShellWord[]) => argumentsOf(words, 'hasura') ?? argumentsOf(words, 'hasura-cli');
  for (const call of programCalls(root, env, 'hasura', find)) {
    const command: string[] = [];
    let database: ShellWord | undefined;
    for (let i = 0; i < call.args.length; i++) {
      const word = call.args[i];
      if (word.text === '--database-name') database = call.args[++i];
      else if (word.text.startsWith('--database-name=')) database = { ...word, text: word.text.slice('--database-name='.length) };
      else if (VALUE_FLAGS.has(word.text)) i++;
      else if (!word.text.startsWith('-')) command.push(word.text);
    }
    if (command[0] !== 'migrate' || command[1] !== 'apply' || !database) continue;
    if (database.dynamic || database.text.includes(UNKNOWN)) {
      unknown.push(`${call.where} (--database-name ${database.text.replaceAll(UNKNOWN, '…')})`);
      continue;
    }
    if (!names.has(database.text)) names.set(database.text, `${call.where} (hasura migrate apply --database-name ${database.text})`);
  }
  const notices: string[] = [];
  if (unknown.length > 0) notices.push(`hasura: the database of ${unknown.join(', ')} is a value only the shell knows: pgdrift did not follow it`);
  if (names.size > 1) notices.push(`hasura: the project's hasura migrate apply commands name different databases (${[...names.values()].join('; ')}): pgdrift followed none of them (name the database's folder with --migrations)`);
  if (names.size !== 1 || unknown.length > 0) return { notices };
  const [[name, setting]] = [...names];
  return { database: { name, setting }, notices };
}
