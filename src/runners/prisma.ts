import path from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { quoteIdent } from '../engine/quote.js';
import { environmentWithDotEnv, readDotEnv } from './dotenv.js';
import { scriptInvocations } from './package-scripts.js';
import { urlQuery } from './url-search-path.js';
import { isClosing, isOpening, scriptTokens, type ScriptToken } from './script-literals.js';
import { foldersUpTo, isDirectory, wholeFile, type IgnoredFile, type Runner, type RunnerOptions } from './types.js';

const LOCKFILE = 'migration_lock.toml';

/** schema-engine flavour/postgres.rs `create_migrations_table` */
const MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/**
 * Prisma Migrate (`prisma migrate deploy`): `prisma/migrations/<timestamp>_<name>/migration.sql`.
 * - Discovery and order: prisma/prisma packages/migrate/src/utils/listMigrations.ts (since 0572e06, 2025-03, "move
 *   file-disk loading to TypeScript") lists EVERY sub-folder and sorts them with `a.path.localeCompare(b.path)`;
 *   prisma-engines schema-engine/core/src/commands/apply_migrations.rs applies that list in its order (schema-connector
 *   migrations_directory.rs `list_migrations` maps it, no sort). Before that commit the engine listed the folder
 *   itself, sorted by name in byte order; the two differ only on names mixing case or `_` against a digit.
 * - A sub-folder without `migration.sql` is a migration whose script cannot be read: P3015 "Could not find the
 *   migration file at …" (`read_migration_script`). `migration_lock.toml` is not a migration.
 * - `migration_lock.toml`: migrations_directory.rs `read_provider_from_lock_file` takes the first line starting with
 *   `provider`, strips `provider = ` and quotes; `error_on_changed_provider` refuses any other than the connector's
 *   (`postgresql`): P3019.
 * Transactions: the schema engine's Postgres connector applies a migration script with ONE `simple_query(script)`
 * (prisma/prisma-engines schema-engine/connectors/sql-schema-connector/src/flavour/postgres/connection.rs,
 * `apply_migration_script`): one simple query, one implicit transaction.
 * Bookkeeping: `_prisma_migrations`, created when missing before the first migration (prisma/prisma-engines@0425119
 * schema-engine/connectors/sql-schema-connector/src/flavour/postgres.rs `create_migrations_table`, unqualified: the
 * URL's schema, public by default).
 */
export const prisma: Runner = {
  name: 'prisma',
  docs: 'https://www.prisma.io/docs/orm/prisma-migrate',
  folders: ['prisma/migrations'],
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const configured = configMigrationsPath(root) ?? schemaMigrationsFolder(root);
    return configured && configured.folder !== path.resolve(folder) ? { setting: configured.setting, folders: [configured.folder] } : undefined;
  },
  discover(folder) {
    const migrations = [];
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    const provider = lockfileProvider(folder);
    const refusal = `Prisma refuses it with the postgresql provider (P3019: "The datasource provider \`postgresql\` specified in your schema does not match the one specified in the migration_lock.toml, \`${provider}\`")`;
    // a lock file without a provider line is refused too, but says nothing of another database
    if (provider === PROVIDER_NOT_FOUND) problems.push(`${LOCKFILE} names no provider. ${refusal}`);
    const notPostgres = provider !== undefined && provider !== PROVIDER_NOT_FOUND && provider !== 'postgresql' ? `${LOCKFILE} names the provider ${JSON.stringify(provider)}: this is not a PostgreSQL project. ${refusal}` : undefined;
    for (const dirent of readdirSync(folder, { withFileTypes: true }).sort((a, b) => prismaOrder(a.name, b.name))) {
      const entry = dirent.name;
      // listMigrations.ts keeps `entry.isDirectory()` of readdir's Dirents, which is false for a symbolic link (the
      // Rust lister before it, `file_type()?.is_dir()`, did not follow links either): a linked folder is no migration
      if (dirent.isSymbolicLink() && isDirectory(path.join(folder, entry))) {
        ignored.push({ name: `${entry}/`, reason: 'a symbolic link to a folder: Prisma lists only real folders (readdir Dirent.isDirectory) and skips it' });
        continue;
      }
      if (!dirent.isDirectory()) {
        if (entry.toLowerCase().endsWith('.sql')) ignored.push({ name: entry, reason: 'Prisma only applies <folder>/migration.sql', ...(path.posix.basename(entry) === 'down.sql' ? { expected: true } : {}) });
        continue;
      }
      const file = `${entry}/migration.sql`;
      if (readdirSync(path.join(folder, entry)).includes('migration.sql')) migrations.push({ name: file, version: entry.split('_')[0] });
      else problems.push(`${entry}/: P3015 Could not find the migration file at migration.sql. Please delete the directory or restore the migration file. (Prisma treats every sub-folder as a migration and stops there)`);
    }
    return { migrations, ignored, problems, ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => /^[^/]+\/migration\.sql$/.test(name));
    return files.length > 0 || listing.files.includes('migration_lock.toml') ? { files: files.length ? files : ['migration_lock.toml'], what: '<timestamp>_<name>/migration.sql folders' } : undefined;
  },
  plan: (text) => wholeFile(text, 'implicit'),
  // schema-engine migration_directory.rs read_migration_script: std::fs::read_to_string keeps the mark (Prisma 6.6+
  // reads the file in its CLI, readFile 'utf-8', and hands the engine the same text), and the script is sent whole
  sendsByteOrderMark: () => true,
  compareVersions: prismaOrder,
  bookkeeping: ['public._prisma_migrations'],
  bookkeepingSetup: { table: 'public._prisma_migrations', sql: MIGRATIONS_TABLE },
  forProject(folder, options) {
    // the connection URL's ?schema= (prisma-engines quaint postgres/native/mod.rs set_search_path: the session's
    // search_path is that one schema, quoted; schema-engine flavour/postgres.rs setup_connection creates it when
    // missing, and create_migrations_table makes _prisma_migrations, unqualified, there)
    const schema = urlSchema(folder, options);
    if (schema === undefined || schema === 'public') return {};
    return {
      bookkeeping: [`${schema}._prisma_migrations`],
      bookkeepingSetup: {
        table: `${quoteIdent(schema)}._prisma_migrations`,
        sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};\nSET search_path = ${quoteIdent(schema)};\n${MIGRATIONS_TABLE}`,
      },
      sessionSearchPath: [schema],
    };
  },
  lint: {
    fileNamePattern: /^\d{14}_[A-Za-z0-9_]+\/migration\.sql$/,
    example: '20240131120000_add_orders/migration.sql',
    sequentialVersions: false,
    transactions: 'Prisma sends each migration.sql as one query with no transaction of its own; Postgres runs it as one implicit transaction unless the file has BEGIN/COMMIT',
    outsideTransaction: 'put it alone in its own migration.sql (Prisma sends the file as one query)',
    // listMigrations.ts records `path: entry.name`, the whole folder name: 20240528214728_a and _b are two migrations
    versionIdentifies: false,
    orderName: 'folder-name order (localeCompare)',
  },
};

/** Prisma's order of the migration folders: `localeCompare`, as listMigrations.ts sorts them. */
export function prismaOrder(a: string, b: string): number {
  return a.localeCompare(b);
}

/** What Prisma's own reader returns for a lock file without a provider line (it quotes it in P3019). */
const PROVIDER_NOT_FOUND = '<PROVIDER NOT FOUND>';

/**
 * Whether the folder's migration_lock.toml names another database than PostgreSQL (`sqlite`, `mysql`...): a history
 * for another database, never a candidate when pgdrift looks for the migrations folder (teableio/teable keeps
 * prisma/postgres/migrations beside prisma/sqlite/migrations).
 */
export function prismaLockNotPostgres(folder: string): boolean {
  const provider = lockfileProvider(folder);
  return provider !== undefined && provider !== PROVIDER_NOT_FOUND && provider !== 'postgresql';
}

/** The provider `migration_lock.toml` names, read as the schema engine reads it; undefined without the file. */
function lockfileProvider(folder: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(folder, LOCKFILE), 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split(/\r?\n/).find((l) => l.startsWith('provider'));
  if (line === undefined) return PROVIDER_NOT_FOUND;
  return line.replace(/^(provider = )+/, '').replace(/^"+|"+$/g, '');
}

/**
 * The `schema` query parameter of the URL `prisma migrate deploy` connects with, when pgdrift can read it; undefined
 * otherwise (the schema engine then uses public). The URL: the datasource's `directUrl`, else its `url` (Migrate uses
 * directUrl when there is one: https://www.prisma.io/docs/orm/reference/prisma-schema-reference#datasource), in the
 * schema Prisma loads: the one prisma.config's `schema` or package.json's `prisma.schema` names, else the .prisma
 * files beside the migrations folder (by default Prisma keeps the folder next to the schema); else `datasource.url` in
 * prisma.config.ts (Prisma 7); `env("X")` is read from the environment, over `.env` at the project root and beside
 * the schema, as the Prisma CLI loads them. The files are read, never run; the URL is never printed.
 */
function urlSchema(folder: string, options: RunnerOptions): string | undefined {
  // the schema Prisma loads (prisma/prisma packages/migrate/src/commands/MigrateDeploy.ts: loadSchemaContext with
  // createSchemaPathInput({ schemaPathFromArgs, schemaPathFromConfig: config.schema })): where prisma.config's
  // `schema` (or package.json's `prisma.schema`) puts it, which `migrations.path` may keep away from the migrations
  const configured = schemaLocation(path.dirname(folder), options.projectRoot ?? path.dirname(folder));
  const schemaDir = configured ? (isDirectory(configured) ? configured : path.dirname(configured)) : path.dirname(folder);
  const setting = (configured ? datasourceUrlIn(schemaFiles(configured)) : datasourceUrl(schemaDir)) ?? configUrl(folder, options.projectRoot ?? path.dirname(folder));
  let url: string | undefined;
  for (let operand = setting; operand; operand = operand.otherwise === '||' ? (url ? undefined : operand.next) : url === undefined ? operand.next : undefined) {
    url = operand.literal;
    if (operand.variable) {
      const env = environmentWithDotEnv(folder, options);
      url = env[operand.variable];
      if (url === undefined && !options.env) {
        try {
          url = readDotEnv(readFileSync(path.join(schemaDir, '.env'), 'utf8'))[operand.variable];
        } catch {
          url = undefined;
        }
      }
    }
  }
  return urlQuery(url)?.get('schema') || undefined;
}

interface UrlSetting {
  variable?: string;
  literal?: string;
  /** `a || b` (a when not empty) or `a ?? b` (a when set), b being `next` */
  otherwise?: '||' | '??';
  next?: UrlSetting;
}

/** `directUrl` (else `url`) of the datasource block of the .prisma files in a folder: env("X") or a literal. */
function datasourceUrl(dir: string): UrlSetting | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.prisma'));
  } catch {
    return undefined;
  }
  return datasourceUrlIn(names.sort().map((name) => path.join(dir, name)));
}

/** The .prisma files of a schema location: the file itself, or every .prisma file below a schema folder (Prisma's multi-file schema). */
function schemaFiles(location: string): string[] {
  if (!isDirectory(location)) return [location];
  try {
    return (readdirSync(location, { recursive: true }) as string[]).filter((name) => name.endsWith('.prisma')).sort().map((name) => path.join(location, name));
  } catch {
    return [];
  }
}

/** `directUrl` (else `url`) of the first datasource block among these .prisma files. */
function datasourceUrlIn(files: string[]): UrlSetting | undefined {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const block = /^\s*datasource\s+\w+\s*\{([^}]*)\}/m.exec(text)?.[1]; // a commented-out `// url = ...` line does not match below
    if (!block) continue;
    const value = (key: string): UrlSetting | undefined => {
      const match = new RegExp(`^\\s*${key}\\s*=\\s*(?:env\\(\\s*"([^"]+)"\\s*\\)|"((?:[^"\\\\]|\\\\.)*)")`, 'm').exec(block);
      return match ? (match[1] ? { variable: match[1] } : { literal: match[2] }) : undefined;
    };
    return value('directUrl') ?? value('url');
  }
  return undefined;
}

/** Prisma's config file names (prisma.config.ts and its JavaScript forms, or .config/prisma.ts). */
const CONFIG_NAMES = ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.cts', 'prisma.config.js', 'prisma.config.mjs', 'prisma.config.cjs', '.config/prisma.ts'];

/**
 * `migrations: { path }` of the project's prisma.config (Prisma 6.x/7: where `prisma migrate` keeps the migrations,
 * relative to the config file's folder), read, never run: a string literal, or `path.join` / `join` of string
 * literals (the reference's own example, `path.join("db", "migrations")`). Anything else leaves the folder to
 * detection (migration_lock.toml). Field: formbricks/formbricks names a dot folder the nested search never enters.
 */
export function configMigrationsPath(root: string): { setting: string; folder: string } | undefined {
  const config = prismaConfigIn(root);
  if (!config?.tokens) return undefined;
  const tokens = config.tokens;
  const at = propertyOf(tokens, 'migrations', 'path');
  if (at < 0) return undefined;
  const value = pathValue(tokens, at + 2);
  if (value === undefined) return undefined;
  return { setting: `${config.name} migrations.path`, folder: path.resolve(root, path.dirname(config.name), value) };
}

/**
 * A path written as a string literal, or `path.join` / `join` / `path.resolve` of string literals, at token j; else
 * undefined. The first argument may be the config's own folder, `__dirname` or `import.meta.dirname` (field:
 * lukevella/rallly packages/database/prisma.config.ts, `path.join(__dirname, "prisma/migrations")`).
 */
function pathValue(tokens: ScriptToken[], j: number): string | undefined {
  if (tokens[j]?.kind === 'string') return tokens[j].text;
  // path.join("db", "migrations") or join("db", "migrations")
  if (tokens[j]?.text === 'path' && tokens[j + 1]?.text === '.') j += 2;
  if ((tokens[j]?.text !== 'join' && tokens[j]?.text !== 'resolve') || tokens[j + 1]?.text !== '(') return undefined;
  const parts: string[] = [];
  j += 2;
  const here = tokens[j]?.text === '__dirname' ? 1 : tokens[j]?.text === 'import' && tokens[j + 1]?.text === '.' && tokens[j + 2]?.text === 'meta' && tokens[j + 3]?.text === '.' && tokens[j + 4]?.text === 'dirname' ? 5 : 0;
  if (here) {
    parts.push('.');
    j += here;
    if (tokens[j]?.text === ',') j++;
  }
  for (; tokens[j]?.kind === 'string'; j += tokens[j + 1]?.text === ',' ? 2 : 1) parts.push(tokens[j].text);
  if (tokens[j]?.text !== ')' || parts.length === 0) return undefined;
  return path.join(...parts);
}

/**
 * The migrations folder beside a schema the project names elsewhere than Prisma's default: the `--schema` of its
 * package.json scripts running `prisma migrate deploy` (one schema for all of them), else prisma.config's `schema` or
 * package.json's `prisma.schema` at the root. Prisma keeps the migrations in `migrations` beside the schema file
 * (prisma/prisma packages/internals src/cli/directoryConfig.ts inferDirectoryConfig); for a schema folder, versions
 * differ (beside the folder before 6.6, inside it since), so it is taken only when just one of the two holds
 * migrations. Undefined otherwise: the folder found stays (field: a stale prisma/migrations beside the
 * db/schema.prisma a script names would be replayed in its place).
 */
function schemaMigrationsFolder(root: string): { setting: string; folder: string } | undefined {
  const schemas = new Map<string, string>();
  for (const call of scriptInvocations(root, 'prisma')) {
    if (call.args[0]?.text !== 'migrate' || call.args[1]?.text !== 'deploy') continue;
    for (const [i, word] of call.args.entries()) {
      const value = word.text === '--schema' ? call.args[i + 1] : word.text.startsWith('--schema=') ? { text: word.text.slice('--schema='.length), dynamic: word.dynamic } : undefined;
      if (value && !value.dynamic && value.text !== '') schemas.set(path.resolve(root, value.text), `package.json script "${call.script}" --schema`);
    }
  }
  if (schemas.size > 1) return undefined; // one schema per database: which one is not said
  const [scripted] = schemas.entries();
  const location = scripted?.[0] ?? schemaLocation(root, root);
  if (location === undefined) return undefined;
  const setting = scripted?.[1] ?? 'prisma.config "schema" or package.json "prisma.schema"';
  const candidates = isDirectory(location) ? [path.join(location, 'migrations'), path.join(path.dirname(location), 'migrations')] : [path.join(path.dirname(location), 'migrations')];
  const holding = candidates.filter(holdsMigrations);
  return holding.length === 1 ? { setting: `${setting} (${path.relative(root, location).split(path.sep).join('/')})`, folder: holding[0] } : undefined;
}

/** A folder with Prisma's lock file or a `<name>/migration.sql`. */
function holdsMigrations(folder: string): boolean {
  try {
    return readdirSync(folder).some((entry) => entry === LOCKFILE || existsSync(path.join(folder, entry, 'migration.sql')));
  } catch {
    return false;
  }
}

/**
 * Where the project's Prisma schema is, when written down, in the nearest folder from `from` up to the project root
 * with a prisma.config or a package.json naming it: prisma.config's top-level `schema` (a file, or a folder of
 * .prisma files; relative to the config file), else package.json's `prisma.schema` (Prisma 6 and before; relative to
 * package.json). Undefined otherwise (Prisma's default, prisma/schema.prisma, keeps the migrations beside it).
 */
function schemaLocation(from: string, root: string): string | undefined {
  for (const dir of foldersUpTo(from, root)) {
    const config = prismaConfigIn(dir);
    if (config?.tokens) {
      const at = topLevelProperty(config.tokens, 'schema');
      const value = at < 0 ? undefined : pathValue(config.tokens, at + 2);
      if (value !== undefined) return path.resolve(dir, path.dirname(config.name), value);
    }
    try {
      const value = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { prisma?: { schema?: unknown } }).prisma?.schema;
      if (typeof value === 'string' && value !== '') return path.resolve(dir, value);
    } catch {
      // no package.json, or one that is not JSON
    }
    if (config) return undefined; // the project's config, without a schema Prisma would take from package.json: the default
  }
  return undefined;
}

/** Where `key:` is among the own properties of the config's exported object (`defineConfig({ ... })`, `export default { ... }`), or -1. */
function topLevelProperty(tokens: ScriptToken[], key: string): number {
  let braces = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '{') braces++;
    else if (t === '}') braces--;
    else if (braces === 1 && t === key && tokens[i + 1]?.text === ':' && (tokens[i - 1]?.text === '{' || tokens[i - 1]?.text === ',')) return i;
  }
  return -1;
}

/** `datasource: { url: env('X') | process.env.X | '<literal>' }` in the nearest prisma.config.ts (.js, .mjs...) from the folder up to the project root. */
function configUrl(folder: string, projectRoot: string): UrlSetting | undefined {
  for (const dir of foldersUpTo(path.dirname(folder), projectRoot)) {
    const config = prismaConfigIn(dir);
    if (!config) continue;
    const tokens = config.tokens;
    const at = tokens ? propertyOf(tokens, 'datasource', 'url') : -1;
    if (!tokens || at < 0) return undefined;
    // `url: migrationUrl`, a name the file declares at its top level (field: elie222/inbox-zero apps/web/prisma.config.ts,
    // `const migrationUrl = process.env.PREVIEW_DATABASE_URL_UNPOOLED || process.env.DIRECT_URL || ...`): its value
    const name = tokens[at + 2];
    const end = tokens[at + 3]?.text;
    if (name?.kind === 'word' && name.text !== 'env' && name.text !== 'process' && (end === ',' || end === '}' || end === undefined)) {
      const declared = topLevelDeclaration(tokens, name.text);
      return declared < 0 ? undefined : urlChain(tokens, declared);
    }
    return urlChain(tokens, at + 2);
  }
  return undefined;
}

/**
 * The URL operands from token j: one (`env('X')`, `process.env.X`, a string literal), or a chain of them with `||` /
 * `??` (field: lukevella/rallly packages/database/prisma.config.ts, `url: process.env.DIRECT_DATABASE_URL ||
 * process.env.DATABASE_URL`), the first that has a value; undefined for anything else.
 */
function urlChain(tokens: ScriptToken[], j: number): UrlSetting | undefined {
  const chain: UrlSetting[] = [];
  for (;;) {
    const [a, b, c, d] = tokens.slice(j, j + 4);
    if (a?.text === 'env' && b?.text === '(' && c?.kind === 'string' && d?.text === ')') {
      chain.push({ variable: c.text });
      j += 4;
    } else if (a?.text === 'process' && b?.text === '.' && c?.text === 'env' && d?.text === '.' && tokens[j + 4]?.kind === 'word') {
      chain.push({ variable: tokens[j + 4].text });
      j += 5;
    } else if (a?.kind === 'string') {
      chain.push({ literal: a.text });
      j += 1;
    } else return undefined;
    const operator = `${tokens[j]?.text}${tokens[j + 1]?.text}`;
    if (operator !== '||' && operator !== '??') break;
    chain[chain.length - 1].otherwise = operator;
    j += 2;
  }
  // the value ends there (`,` or `}` in the object, `;` or the next statement after a declaration), not in an
  // expression that goes on (`+ '?schema=x'`, a ternary, a call): that one is no value pgdrift can read
  if (['+', '.', '(', '[', '?'].includes(tokens[j]?.text ?? '') && tokens[j]?.kind === 'punct') return undefined;
  return chain.reduceRight<UrlSetting | undefined>((next, setting) => ({ ...setting, ...(next ? { next } : {}) }), undefined);
}

/** The token after `=` of `const|let|var <name> =` outside any bracket, or -1 (the last one, if declared twice). */
function topLevelDeclaration(tokens: ScriptToken[], name: string): number {
  let found = -1;
  for (let i = 0, depth = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isOpening(t)) depth++;
    else if (isClosing(t)) depth--;
    else if (depth === 0 && t.kind === 'word' && (t.text === 'const' || t.text === 'let' || t.text === 'var') && tokens[i + 1]?.text === name && tokens[i + 2]?.text === '=' && tokens[i + 3]?.text !== '=') found = i + 3;
  }
  return found;
}


/** The prisma.config in `dir` (read, never run): its name and tokens, the tokens undefined when it cannot be read. */
function prismaConfigIn(dir: string): { name: string; tokens?: ScriptToken[] } | undefined {
  const name = CONFIG_NAMES.find((file) => existsSync(path.join(dir, file)));
  if (!name) return undefined;
  try {
    return { name, tokens: scriptTokens(readFileSync(path.join(dir, name), 'utf8')) };
  } catch {
    return { name };
  }
}

/** Where `key:` is among the own properties of the first `object: { ... }` (not inside a nested value), or -1. */
function propertyOf(tokens: ScriptToken[], object: string, key: string): number {
  const start = tokens.findIndex((token, i) => token.text === object && tokens[i + 1]?.text === ':' && tokens[i + 2]?.text === '{');
  if (start < 0) return -1;
  for (let i = start + 3, depth = 0; i < tokens.length && depth >= 0; i++) {
    const t = tokens[i].text;
    if (t === '{' || t === '(' || t === '[') depth++;
    else if (t === '}' || t === ')' || t === ']') depth--;
    else if (depth === 0 && t === key && tokens[i + 1]?.text === ':') return i;
  }
  return -1;
}
