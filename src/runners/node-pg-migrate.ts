import { readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { quoteIdent } from '../engine/quote.js';
import { scriptInvocations, type ShellWord } from './package-scripts.js';
import { dependsOnPackage, lineCount, type BookkeepingSetup, type DiscoveredMigration, type Discovery, type FilePlan, type IgnoredFile, type Runner, type RunnerLint } from './types.js';

/**
 * node-pg-migrate (`node-pg-migrate up`), salsita/node-pg-migrate v7.9.1 (the current stable line; 10.0 alpha reads
 * the same files).
 * - Discovery and order (src/migration.ts `getMigrationFilePaths`): every file directly in the folder except names
 *   starting with `.` (the default ignorePattern); sorted by the number the name starts with (`getNumericPrefix`: a
 *   17-digit prefix is a UTC timestamp yyyymmddhhmmssSSS, any other is the number), then by `localeCompare` with
 *   numeric collation and punctuation ignored. A name that does not start with a digit stops the whole run
 *   ("Cannot determine numeric prefix"): refused. The migration's name is the file name without its extension.
 * - SQL files (src/sqlMigration.ts `getActions`): the up part starts at the first line matching
 *   `^\s*--[\s-]*up\s+migration` (any case) and ends where the down marker `-- Down Migration` starts when that comes
 *   after it; without an up marker the whole file is the up part. It runs as one query.
 * - JavaScript/TypeScript migrations (`.js`, `.cjs`, `.mjs`, `.ts`): the SQL their up() builds exists only at run
 *   time: not replayed, named, and check says "replay incomplete". Any other file is loaded as a module and fails.
 * - Transactions (bin/node-pg-migrate `--single-transaction`, default true; src/runner.ts): the CLI applies all
 *   pending migrations inside ONE transaction (`oneTransaction`); `--no-single-transaction` runs each in its own.
 * - Bookkeeping `pgmigrations` (src/runner.ts `ensureMigrationsTable`): `"public"."pgmigrations"` (id serial, name,
 *   run_on), created before the first migration.
 * - Settings given as flags in the project's package.json scripts (`"migrate": "node-pg-migrate -m db/migrations
 *   up"`): read from the scripts' words (package-scripts.ts), never run; see `nodePgMigrateCalls`.
 */
const UP = /^\s*--[\s-]*up\s+migration/im;
const DOWN = /^\s*--[\s-]*down\s+migration/im;
const SCRIPT = /\.(js|cjs|mjs|ts|cts|mts)$/i;

export const nodePgMigrate: Runner = {
  name: 'node-pg-migrate',
  docs: 'https://salsita.github.io/node-pg-migrate/',
  folders: ['migrations'],
  discover: (folder) => discoverNodePgMigrate(folder),
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const all = nodePgMigrateCalls(root);
    const explicit = all.filter((call) => call.dir !== undefined || call.useGlob);
    if (explicit.length === 0) return undefined;
    for (const call of explicit) {
      const hint = 'name the migrations folder: --migrations <folder>, or "migrations" in pgdrift.config.json';
      if (call.useGlob) throw new InputError(`${call.where} runs node-pg-migrate with --use-glob: its --migrations-dir is a glob pattern, which pgdrift does not follow`, { hint });
      if (call.dir?.dynamic) throw new InputError(`${call.where} runs node-pg-migrate with --migrations-dir ${call.dir.text}, a value only the shell knows`, { hint });
    }
    // every call counts, one without -m on the CLI's default folder
    const folders = [...new Set(all.map((call) => call.folder))];
    if (folders.length > 1) {
      if (folders.includes(path.resolve(folder))) return undefined; // the folder found is one of them: kept
      const shown = folders.map((f) => `${path.relative(root, f).split(path.sep).join('/') || '.'} (${all.filter((call) => call.folder === f).map((call) => `"${call.script}"`).join(', ')})`);
      throw new InputError(`the package.json scripts run node-pg-migrate on ${folders.length} folders: ${shown.join(', ')}`, {
        hint: 'name the one to check: --migrations <folder>, or "migrations" in pgdrift.config.json',
      });
    }
    return { setting: `${explicit[0].where} (node-pg-migrate --migrations-dir ${explicit[0].dir?.text})`, folders };
  },
  forProject: (folder, options) => nodePgMigrateForProject(folder, options.projectRoot ?? path.dirname(folder)),
  evidence(listing) {
    const sql = listing.files.filter((name) => !name.includes('/') && /^\d+.*\.sql$/i.test(name));
    // an Up marker: a file with only a Down one runs nothing up, and the words fit a prose comment of another runner's
    // down file (golang-migrate: `-- Down migration is a no-op ...`, field report openmeterio/openmeter)
    const marked = sql.filter((name) => UP.test(listing.read(name)));
    if (marked.length > 0) return { files: marked, what: '-- Up Migration / -- Down Migration markers', overrides: ['postgres-migrations'] };
    const candidates = listing.files.filter((name) => !name.includes('/') && /^\d+/.test(name) && (name.toLowerCase().endsWith('.sql') || SCRIPT.test(name)));
    return candidates.length > 0 && dependsOnPackage(listing, 'node-pg-migrate') ? { files: candidates, what: 'numbered migrations in a project that depends on node-pg-migrate (package.json or deno.json)', overrides: ['postgres-migrations'] } : undefined;
  },
  plan: planNodePgMigrate,
  oneTransaction: true,
  compareVersions: (a, b) => numericPrefix(a) - numericPrefix(b),
  bookkeeping: ['public.pgmigrations'],
  bookkeepingSetup: bookkeepingSetup({}),
  lint: lintFor(true),
};

function lintFor(singleTransaction: boolean): RunnerLint {
  return {
    fileNamePattern: /^\d+[^/]*\.sql$/,
    example: '1700000000000_add-orders.sql',
    sequentialVersions: false,
    // a migration is its file name without the extension (migration.ts `this.name`), recorded and compared by it
    // (runner.ts getMigrationsToRun, checkOrder): two files with one number are two migrations, both run
    versionIdentifies: false,
    transactions: singleTransaction
      ? 'node-pg-migrate applies all pending migrations in one transaction (--single-transaction, on by default)'
      : 'node-pg-migrate runs each migration in its own transaction (--no-single-transaction)',
    outsideTransaction: 'node-pg-migrate cannot run it from a SQL file: use a JavaScript migration with pgm.noTransaction(), or run it outside the migrations',
  };
}

/** getMigrationFilePaths (without --use-glob) and the loader: the files of the folder the ignore pattern leaves, in its order. */
function discoverNodePgMigrate(folder: string, ignore = /^\..*$/): Discovery {
  const problems: string[] = [];
  const ignored: IgnoredFile[] = [];
  const files: { name: string; prefix: string; order: number }[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const name = entry.name;
    if (ignore.test(name) || !(entry.isFile() || entry.isSymbolicLink())) continue;
    const prefix = /^\d+/.exec(name)?.[0];
    if (prefix === undefined) {
      problems.push(`${name}: Cannot determine numeric prefix for "${name}" (node-pg-migrate loads every file of the folder and stops there; move other files out)`);
      continue;
    }
    files.push({ name, prefix, order: numericPrefix(prefix) });
  }
  files.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name, undefined, { usage: 'sort', numeric: true, sensitivity: 'variant', ignorePunctuation: true }));
  const migrations: DiscoveredMigration[] = [];
  for (const { name, prefix } of files) {
    if (name.toLowerCase().endsWith('.sql')) migrations.push({ name, version: prefix });
    else if (SCRIPT.test(name)) {
      ignored.push({ name, reason: 'a JavaScript/TypeScript migration: node-pg-migrate runs the SQL its up() builds at run time, which pgdrift cannot replay; the replayed schema lacks its effect', appliedByRunner: true });
    } else problems.push(`${name}: node-pg-migrate loads every file of the folder as a migration, and this one is neither SQL nor a script module (it fails to load)`);
  }
  return { migrations, ignored, problems };
}

/** What a package.json script passes to the node-pg-migrate CLI that changes what `up` does. */
interface NodePgMigrateCall {
  /** `package.json script "migrate:up"` (with the package.json's folder when not the project root) */
  where: string;
  script: string;
  command?: string;
  /** the migrations folder, absolute (the script runs in the package.json's folder: -m is resolved from there) */
  folder: string;
  dir?: ShellWord;
  useGlob?: boolean;
  table?: ShellWord;
  schemas?: ShellWord[];
  migrationsSchema?: ShellWord;
  createSchema?: boolean;
  createMigrationsSchema?: boolean;
  singleTransaction?: boolean;
  ignorePattern?: ShellWord;
}

/**
 * The CLI's options as bin/node-pg-migrate reads them (v7.9.1 yargs; v8+ commander, src/cli/options.ts: the same
 * names): long names, their camelCase forms and short aliases. Options that take a value; `schema` takes several
 * (yargs `array: true`, commander `<schema...>`: every word up to the next option).
 */
const VALUE_OPTIONS: Record<string, string> = {
  m: 'migrations-dir', 'migrations-dir': 'migrations-dir', migrationsDir: 'migrations-dir',
  t: 'migrations-table', 'migrations-table': 'migrations-table', migrationsTable: 'migrations-table',
  s: 'schema', schema: 'schema',
  'migrations-schema': 'migrations-schema', migrationsSchema: 'migrations-schema',
  'ignore-pattern': 'ignore-pattern', ignorePattern: 'ignore-pattern',
  d: 'database-url-var', 'database-url-var': 'database-url-var', databaseUrlVar: 'database-url-var',
  f: 'config-file', 'config-file': 'config-file', configFile: 'config-file',
  'config-value': 'config-value', configValue: 'config-value',
  j: 'migration-file-language', 'migration-file-language': 'migration-file-language', migrationFileLanguage: 'migration-file-language',
  'migration-filename-format': 'migration-filename-format', migrationFilenameFormat: 'migration-filename-format',
  'template-file-name': 'template-file-name', templateFileName: 'template-file-name',
  envPath: 'envPath', 'env-path': 'envPath',
  tsconfig: 'tsconfig', 'tsconfig-paths': 'tsconfig-paths', tsconfigPaths: 'tsconfig-paths',
  'lock-value': 'lock-value', lockValue: 'lock-value',
  'advisory-lock-mode': 'advisory-lock-mode', advisoryLockMode: 'advisory-lock-mode',
};
const BOOLEAN_OPTIONS: Record<string, string> = {
  'single-transaction': 'single-transaction', singleTransaction: 'single-transaction',
  'create-schema': 'create-schema', createSchema: 'create-schema',
  'create-migrations-schema': 'create-migrations-schema', createMigrationsSchema: 'create-migrations-schema',
  'use-glob': 'use-glob', useGlob: 'use-glob',
  'dry-run': 'dry-run', dryRun: 'dry-run',
  fake: 'fake',
};

/** One call's words read as the CLI parses them; undefined for a call that migrates nothing (`--dry-run`, `--fake`). */
function readCall(words: ShellWord[]): Omit<NodePgMigrateCall, 'where' | 'script' | 'folder'> | undefined {
  const values = new Map<string, ShellWord[]>();
  const flags = new Map<string, boolean>();
  const positionals: ShellWord[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const text = word.text;
    if (text === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    const option = /^--?([^=]+)(?:=(.*))?$/s.exec(text);
    if (!option) {
      positionals.push(word);
      continue;
    }
    const [, name, inline] = option;
    const negated = name.startsWith('no-') ? name.slice(3) : undefined;
    if (VALUE_OPTIONS[name]) {
      const key = VALUE_OPTIONS[name];
      const taken: ShellWord[] = inline !== undefined ? [{ text: inline, dynamic: word.dynamic }] : [];
      if (inline === undefined) {
        // schema takes every word up to the next option; the others one
        while (i + 1 < words.length && !words[i + 1].text.startsWith('-') && (key === 'schema' || taken.length === 0)) taken.push(words[++i]);
      }
      values.set(key, taken); // the last one given wins, as yargs and commander keep it
    } else if (BOOLEAN_OPTIONS[name] || (negated && BOOLEAN_OPTIONS[negated])) {
      const key = BOOLEAN_OPTIONS[name] ?? BOOLEAN_OPTIONS[negated!];
      let value = negated === undefined || BOOLEAN_OPTIONS[name] !== undefined;
      if (inline !== undefined) value = inline !== 'false';
      else if (/^(true|false)$/.test(words[i + 1]?.text ?? '')) value = words[++i].text === 'true'; // yargs: `--single-transaction false`
      flags.set(key, value);
    }
    // any other option is a switch of no interest here
  }
  if (flags.get('dry-run') || flags.get('fake')) return undefined;
  const one = (key: string) => values.get(key)?.[0];
  return {
    command: positionals[0]?.text,
    dir: one('migrations-dir'),
    useGlob: flags.get('use-glob'),
    table: one('migrations-table'),
    schemas: values.get('schema')?.length ? values.get('schema') : undefined,
    migrationsSchema: one('migrations-schema'),
    createSchema: flags.get('create-schema'),
    createMigrationsSchema: flags.get('create-migrations-schema'),
    singleTransaction: flags.get('single-transaction'),
    ignorePattern: one('ignore-pattern'),
  };
}

/** The node-pg-migrate calls in the package.json of `folder` (the scripts' working directory). */
function nodePgMigrateCalls(folder: string, root = folder): NodePgMigrateCall[] {
  const calls: NodePgMigrateCall[] = [];
  for (const invocation of scriptInvocations(folder, 'node-pg-migrate')) {
    const call = readCall(invocation.args);
    if (!call) continue;
    const at = path.relative(root, folder).split(path.sep).join('/');
    calls.push({
      ...call,
      where: `${at ? `${at}/` : ''}package.json script "${invocation.script}"`,
      script: invocation.script,
      folder: path.resolve(folder, call.dir && !call.dir.dynamic ? call.dir.text : 'migrations'),
    });
  }
  return calls;
}

/**
 * The runner as the project's scripts run it on `folder`: the calls in the package.json of the folder's parent and
 * every folder above it up to the root whose migrations folder is this one; `up` (and `redo`, or a script that leaves
 * the command to `npm run migrate up`) over `create` and `down`. Scripts that disagree are an error naming them.
 * A value only the shell knows (`-t $TABLE`) leaves the CLI's default.
 */
function nodePgMigrateForProject(folder: string, root: string): ReturnType<NonNullable<Runner['forProject']>> {
  const target = path.resolve(folder);
  const calls: NodePgMigrateCall[] = [];
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    calls.push(...nodePgMigrateCalls(dir, root).filter((call) => call.folder === target));
    if (path.resolve(dir) === path.resolve(root) || path.dirname(dir) === dir || !dir.startsWith(path.resolve(root))) break;
  }
  const running = calls.filter((call) => call.command === undefined || call.command === 'up' || call.command === 'redo');
  const used = running.length > 0 ? running : calls;
  if (used.length === 0) return {};
  const settings = {
    table: agreed(used, 'migrations-table', (call) => literal(call.table)),
    schemas: agreed(used, 'schema', (call) => (call.schemas?.some((w) => w.dynamic) ? undefined : call.schemas?.map((w) => w.text).join(' '))),
    migrationsSchema: agreed(used, 'migrations-schema', (call) => literal(call.migrationsSchema)),
    createSchema: agreed(used, 'create-schema', (call) => (call.createSchema ? 'true' : undefined)),
    createMigrationsSchema: agreed(used, 'create-migrations-schema', (call) => (call.createMigrationsSchema ? 'true' : undefined)),
    singleTransaction: agreed(used, 'single-transaction', (call) => (call.singleTransaction === false ? 'false' : undefined)),
    ignorePattern: agreed(used, 'ignore-pattern', (call) => literal(call.ignorePattern)),
  };
  const setup = bookkeepingSetup({ table: settings.table, schemas: settings.schemas?.split(' '), migrationsSchema: settings.migrationsSchema, createSchema: settings.createSchema === 'true', createMigrationsSchema: settings.createMigrationsSchema === 'true' });
  const single = settings.singleTransaction !== 'false';
  let ignore: RegExp | undefined;
  if (settings.ignorePattern !== undefined) {
    try {
      ignore = new RegExp(`^${settings.ignorePattern}$`); // getMigrationFilePaths: `^${ignorePattern}$`
    } catch (error) {
      throw new InputError(`the package.json scripts run node-pg-migrate with --ignore-pattern ${settings.ignorePattern}: ${(error as Error).message}`);
    }
  }
  return {
    bookkeeping: [setup.table],
    bookkeepingSetup: setup,
    ...(single ? {} : { oneTransaction: false, lint: lintFor(false) }),
    ...(ignore ? { discover: (dir: string) => discoverNodePgMigrate(dir, ignore) } : {}),
  };
}

/** A literal value; undefined for none or one only the shell knows. */
function literal(word: ShellWord | undefined): string | undefined {
  return word && !word.dynamic ? word.text : undefined;
}

/** The one value the calls give a setting (undefined: the default); calls that differ are an error naming them. */
function agreed(calls: NodePgMigrateCall[], option: string, value: (call: NodePgMigrateCall) => string | undefined): string | undefined {
  const seen = new Map<string | undefined, string[]>();
  for (const call of calls) seen.set(value(call), [...(seen.get(value(call)) ?? []), call.where]);
  if (seen.size > 1) {
    const shown = [...seen].map(([v, where]) => `${v === undefined ? 'the default' : v} (${where.join(', ')})`);
    throw new InputError(`the package.json scripts run node-pg-migrate on one folder with different --${option}: ${shown.join('; ')}`, {
      hint: 'make the scripts that run `up` agree: pgdrift replays the migrations once, as one of them would',
    });
  }
  return [...seen.keys()][0];
}

/**
 * What the CLI runs on a new database before the first migration (src/runner.ts `runner`, v7.9.1): with --schema,
 * each schema created when --create-schema, then `SET search_path TO` them (the session's, for every migration: a
 * migration's own SET then lasts, as on the CLI's one connection); the migrations schema created when
 * --create-migrations-schema; then ensureMigrationsTable's CREATE TABLE in `--migrations-schema`, else the first
 * schema, else public (utils getMigrationTableSchema).
 */
function bookkeepingSetup(settings: { table?: string; schemas?: string[]; migrationsSchema?: string; createSchema?: boolean; createMigrationsSchema?: boolean }): BookkeepingSetup {
  const table = settings.table ?? 'pgmigrations';
  const schema = settings.migrationsSchema ?? settings.schemas?.[0] ?? 'public';
  const statements = [
    ...(settings.schemas && settings.createSchema ? settings.schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s)}`) : []),
    ...(settings.schemas ? [`SET search_path TO ${settings.schemas.map(quoteIdent).join(', ')}`] : []),
    ...(settings.migrationsSchema && settings.createMigrationsSchema ? [`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(settings.migrationsSchema)}`] : []),
    `CREATE TABLE ${quoteIdent(schema)}.${quoteIdent(table)} (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)`,
  ];
  return { table: `${schema}.${table}`, sql: statements.join(';\n') };
}

/** The up part, as getActions cuts it (a part covers the lines after startLine up to endLine). */
export function planNodePgMigrate(text: string): FilePlan {
  const up = text.search(UP);
  const down = text.search(DOWN);
  const lineOf = (index: number) => lineCount(text.slice(0, index)); // 1-based line of a character index
  const lines = lineCount(text);
  if (up < 0) return { parts: [{ startLine: 0, endLine: lines, transaction: 'wrapped' }] };
  // the match starts at a line start (`^` in multiline mode, then `\s*` over blank lines)
  const startLine = lineOf(up) - 1;
  const endLine = down > up ? lineOf(down) - 1 : lines;
  return { parts: [{ startLine, endLine, transaction: 'wrapped' }] };
}

/** getNumericPrefix: a 17-digit prefix is a UTC timestamp with milliseconds, any other the number itself. */
function numericPrefix(prefix: string): number {
  if (prefix.length === 17) {
    const [y, mo, d, h, mi, s, ms] = [prefix.slice(0, 4), prefix.slice(4, 6), prefix.slice(6, 8), prefix.slice(8, 10), prefix.slice(10, 12), prefix.slice(12, 14), prefix.slice(14, 17)];
    return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`).valueOf();
  }
  return Number(prefix);
}

/** A package.json that depends on node-pg-migrate, from the folder's parent up to the project root. */
