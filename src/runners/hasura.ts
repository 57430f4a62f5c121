import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, parse as parseYaml } from 'yaml';
import { foldersUpTo, isDirectory, isFile, wholeFile, type DiscoveredMigration, type FilePlan, type IgnoredFile, type Runner } from './types.js';

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
}

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
 *   first line is `-- hasura:no-transaction` (cli/migrate/detect_no_transaction_test.go) is sent with run_sql's
 *   `no_transaction` flag (docs: api-reference/schema-api/run-sql, "no_transaction flag"): one query without BEGIN,
 *   which Postgres runs as one implicit transaction.
 * - Bookkeeping: in the `hdb_catalog` schema the Hasura server creates on the database (hdb_catalog.schema_migrations,
 *   or the catalog state in hdb_catalog.hdb_version: database/hasuradb/migrations_state.go), never by a migration:
 *   drift ignores the whole schema, and the replay creates nothing for it.
 */
export const hasura: Runner = {
  name: 'hasura',
  docs: 'https://hasura.io/docs/latest/migrations-metadata-seeds/manage-migrations/',
  folders: ['hasura/migrations', 'migrations'],
  discover(folder) {
    const config = configAbove(folder);
    const version = config?.version ?? 3;
    const migrations: DiscoveredMigration[] = [];
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const databases = entries.filter((e) => isDirectory(path.join(folder, e.name)) && !NAME.test(`${e.name}.up.sql`)).map((e) => e.name);
    if (databases.length > 0 && !entries.some((e) => NAME.test(`${e.name}.up.sql`) || NAME.test(e.name))) {
      problems.push(
        `${databases.map((d) => `${d}/`).join(', ')}: ${databases.length > 1 ? 'one folder per database' : 'a database folder'} (config v3): \`hasura migrate apply --database-name <name>\` applies one database's folder; point --migrations (or "migrations" in pgdrift.config.json) at it, e.g. ${path.basename(folder)}/${databases[0]}`,
      );
      return { migrations, ignored, problems };
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
    if (files.length === 0 && !hasDatabaseFolders(listing.folder)) return undefined;
    const shown = path.relative(listing.root ?? path.dirname(listing.folder), config.file).split(path.sep).join('/');
    return { files: files.length > 0 ? files : [shown], what: `Hasura migrations beside ${shown} (config v${config.version})`, overrides: ['diesel', 'golang-migrate'] };
  },
  plan: planHasura,
  // hasuradb.go Run: the file's bytes go as they are into run_sql's `sql`, a byte order mark included
  sendsByteOrderMark: () => true,
  configuredFolders(folder, options) {
    const config = configAbove(folder, options.projectRoot) ?? configIn(path.join(folder, 'hasura'));
    if (!config || !isDirectory(config.migrationsDir)) return undefined;
    const shown = path.relative(options.projectRoot ?? path.dirname(folder), config.file).split(path.sep).join('/');
    if (config.version < 3) return { setting: `${shown} migrations_directory`, folders: [config.migrationsDir] };
    // config v3: the database's own folder (--database-name), when the project says which
    const database = postgresDatabase(config);
    if (!database) return { setting: `${shown} migrations_directory`, folders: [config.migrationsDir] };
    return { setting: `${shown} migrations_directory, database ${database}`, folders: [path.join(config.migrationsDir, database)] };
  },
  compareVersions: (a, b) => {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  },
  // the schema and everything in it (a pattern without a dot names the schema and what it holds)
  bookkeeping: ['hdb_catalog'],
  lint: {
    // `hasura migrate create` names a folder `<unix milliseconds>_<name>` (cli/migrate/cmd/commands.go CreateCmd)
    fileNamePattern: /^(\d+_[^/]+\/up\.sql|\d+_[^/]+\.up\.(sql|yaml))$/,
    example: '1654696186008_create_table_public_users/up.sql',
    sequentialVersions: false,
    transactions: 'the Hasura CLI sends each up.sql as one run_sql request, which the server runs in a transaction',
    outsideTransaction: 'put it alone in a migration whose up.sql starts with the line `-- hasura:no-transaction`',
    orderName: 'version order (the number before the first _, as an integer)',
  },
};

/**
 * What Hasura runs of one migration: an up.sql whole, in the server's transaction unless its first line is
 * `-- hasura:no-transaction`; a config v1 `.up.yaml` is refused (its actions go to Hasura's metadata API, run_sql ones
 * included, which pgdrift does not replay).
 */
export function planHasura(text: string, name: string): FilePlan {
  if (name.toLowerCase().endsWith('.yaml')) return planYaml(text, name);
  return wholeFile(text, noTransaction(text) ? 'implicit' : 'wrapped');
}

/** detect_no_transaction_test.go: the first line, spaces around it trimmed, is exactly `-- hasura:no-transaction`. */
export function noTransaction(text: string): boolean {
  const first = text.split('\n', 1)[0].replace(/\r$/, '');
  return first.trim() === '-- hasura:no-transaction';
}

function planYaml(text: string, name: string): FilePlan {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  let line = 1;
  let column = 1;
  let sqlAction = false;
  const types: string[] = [];
  if (isSeq(document.contents)) {
    for (const item of document.contents.items) {
      if (!isMap(item)) continue;
      const type = item.get('type');
      if (typeof type === 'string') types.push(type);
      if (!sqlAction && typeof type === 'string' && /run_sql$/.test(type)) {
        sqlAction = true;
        const at = counter.linePos(item.range?.[0] ?? 0);
        line = at.line;
        column = at.col;
      }
    }
  }
  return {
    parts: [],
    problem: {
      message: `a Hasura config v1 YAML migration (${[...new Set(types)].join(', ') || 'no action types'}): the Hasura CLI sends its actions to the server's query API, which pgdrift does not replay`,
      line,
      column,
      hint: sqlAction
        ? 'move the run_sql action\'s sql into <version>_<name>.up.sql (config v2 and later keep SQL migrations only: `hasura scripts update-project-v2`)'
        : 'these actions change Hasura\'s metadata, not the schema: move them to the metadata directory (`hasura scripts update-project-v2`), or exclude the file from the replay',
    },
  };
}

/** The Hasura config.yaml in the folder, or undefined (no file, not YAML, or not a Hasura config). */
function configIn(dir: string): HasuraConfig | undefined {
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
  // readConfig: `v.SetDefault("version", "1")`, read with v.GetInt (a quoted "3" too)
  const version = record.version === undefined ? 1 : Number(record.version);
  if (!Number.isInteger(version)) return undefined;
  const directory = (key: string, fallback: string) => path.resolve(dir, typeof record[key] === 'string' && record[key] ? (record[key] as string) : fallback);
  return { file, version, migrationsDir: directory('migrations_directory', 'migrations'), metadataDir: directory('metadata_directory', 'metadata') };
}

/** The Hasura config.yaml in a folder above the migrations folder (its parent first), up to the project root. */
function configAbove(folder: string, root?: string): HasuraConfig | undefined {
  for (const dir of foldersUpTo(path.dirname(folder), root ?? path.dirname(path.dirname(folder)))) {
    const config = configIn(dir);
    if (config) return config;
  }
  return undefined;
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

/**
 * The database whose folder pgdrift replays in a config v3 project: the only PostgreSQL database of
 * metadata/databases/databases.yaml that has a migrations folder, else the only folder; undefined when several.
 */
export function postgresDatabase(config: HasuraConfig): string | undefined {
  const folders = readdirSync(config.migrationsDir).filter((name) => isDirectory(path.join(config.migrationsDir, name)));
  let listed: unknown;
  try {
    listed = parseYaml(readFileSync(path.join(config.metadataDir, 'databases', 'databases.yaml'), 'utf8'));
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
