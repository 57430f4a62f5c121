import { readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { quoteIdent } from '../engine/quote.js';
import { nodePgMigrateMajor, packageLoads, readNodePgMigrateConfig, type ConfigKey, type ConfigValue } from './node-pg-migrate-config.js';
import { scriptInvocations, scriptsRun, type ShellWord } from './package-scripts.js';
import { isSupabaseCliFolder } from './supabase.js';
import { dependsOnPackage, lineCount, manifestAbove, type BookkeepingSetup, type DiscoveredMigration, type Discovery, type FilePlan, type IgnoredFile, type Runner, type RunnerLint } from './types.js';

/**
 * node-pg-migrate (`node-pg-migrate up`), salsita/node-pg-migrate v7.9.1 (the current stable line; 10.0 alpha reads
 * the same files).
 * - Discovery and order (src/migration.ts `getMigrationFilePaths`): every file directly in the folder except names
 *   starting with `.` (the default ignorePattern; an empty one is the default too); sorted by `getNumericPrefix`, then
 *   by `localeCompare` with numeric collation and punctuation ignored. v9+ (src/utils/fileNameUtils.ts): the leading
 *   digits (17 of them are a UTC timestamp yyyymmddhhmmssSSS, any other count the number); a name without them stops
 *   the whole run ("Cannot determine numeric prefix"): refused. v7/v8 (src/migration.ts): the part before the first
 *   `_`, 0 when that is not a number (`1-init.sql`, `2.sql`): such files run first. The version is the installed
 *   node-pg-migrate's, else the package.json range's (node-pg-migrate-config.ts `nodePgMigrateMajor`). The migration's
 *   name is the file name without its extension.
 * - SQL files (src/sqlMigration.ts `getActions`): the up part starts at the first line matching
 *   `^\s*--[\s-]*up\s+migration` (any case) and ends where the down marker `-- Down Migration` starts when that comes
 *   after it; without an up marker the whole file is the up part. It runs as one query. In a CRLF file `^` also
 *   matches after the `\r`: the line before a marker stays on its side of the cut (`lineAtCut`).
 * - JavaScript/TypeScript migrations (`.js`, `.cjs`, `.mjs`, `.ts`): the SQL their up() builds exists only at run
 *   time: not replayed, named, and check says "replay incomplete". Any other file is loaded as a module and fails.
 * - Transactions (bin/node-pg-migrate `--single-transaction`, default true; src/runner.ts): the CLI applies all
 *   pending migrations inside ONE transaction (`oneTransaction`); `--no-single-transaction` runs each in its own.
 * - Bookkeeping `pgmigrations` (src/runner.ts `ensureMigrationsTable`): `"public"."pgmigrations"` (id serial, name,
 *   run_on), created before the first migration.
 * - Settings given as flags in the project's package.json scripts (`"migrate": "node-pg-migrate -m db/migrations
 *   up"`): read from the scripts' words (package-scripts.ts), never run; see `nodePgMigrateCalls`. Over them, as the
 *   CLI's readJson has it, the `config` package's `db` section and the `--config-file` JSON
 *   (node-pg-migrate-config.ts); without any script, the CLI run in the project root with those files.
 * - `check-order` is not read: it compares the files with migrations already run, and a replay starts empty.
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
    const all = nodePgMigrateCalls(root, root, options.env ?? process.env);
    if (all.length === 0) all.push(...unscriptedCall(root, options.env ?? process.env));
    const explicit = all.filter((call) => call.dir !== undefined || call.useGlob);
    if (explicit.length === 0) return undefined;
    for (const call of explicit) {
      const hint = 'name the migrations folder: --migrations <folder>, or "migrations" in pgdrift.config.json';
      if (call.useGlob) throw new InputError(`${call.where} runs node-pg-migrate with use-glob (${call.fromConfig['use-glob'] ?? '--use-glob'}): its migrations-dir is a glob pattern, which pgdrift does not follow`, { hint });
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
    const first = explicit[0];
    const from = first.fromConfig['migrations-dir'];
    return { setting: from ? `${from}: ${first.dir?.text} (node-pg-migrate's config, for ${first.where})` : `${first.where} (node-pg-migrate --migrations-dir ${first.dir?.text})`, folders };
  },
  forProject: (folder, options) => nodePgMigrateForProject(folder, options.projectRoot ?? path.dirname(folder), options.env ?? process.env),
  evidence(listing) {
    const sql = listing.files.filter((name) => !name.includes('/') && /^\d+.*\.sql$/i.test(name));
    // an Up marker: a file with only a Down one runs nothing up, and the words fit a prose comment of another runner's
    // down file (golang-migrate: `-- Down migration is a no-op ...`, field report openmeterio/openmeter)
    const marked = sql.filter((name) => UP.test(listing.read(name)));
    const candidates = listing.files.filter((name) => !name.includes('/') && /^\d+/.test(name) && (name.toLowerCase().endsWith('.sql') || SCRIPT.test(name)));
    // In the Supabase CLI's folder the words are prose to `supabase db reset`, which runs the whole file, "down" part
    // included: only node-pg-migrate itself in the project makes them its markers (field: dreamprogrammin/commerce,
    // 23 of 351 supabase/migrations files with `-- Up Migration` / `-- Down Migration` comments, package.json with the
    // supabase CLI and no node-pg-migrate: detected as node-pg-migrate, the down parts were left out of the replay)
    if (marked.length > 0 && !isSupabaseCliFolder(listing.folder)) return { files: marked, what: '-- Up Migration / -- Down Migration markers', overrides: ['postgres-migrations'] };
    if (candidates.length === 0) return undefined;
    if (dependsOnPackage(listing, 'node-pg-migrate')) return { files: candidates, what: 'numbered migrations in a project that depends on node-pg-migrate (package.json or deno.json)', overrides: ['postgres-migrations'] };
    // a script that runs it, the package coming with another (field: hirosystems/stacks-blockchain-api, whose
    // `"migrate": "node-pg-migrate -m migrations -j ts"` runs the node-pg-migrate @stacks/api-toolkit depends on)
    if (manifestAbove(listing, 'package.json', (text) => scriptsRun(text, 'node-pg-migrate'))) return { files: candidates, what: 'numbered migrations in a project whose package.json scripts run node-pg-migrate', overrides: ['postgres-migrations'] };
    return undefined;
  },
  plan: planNodePgMigrate,
  // sqlMigration.ts: readFile(sqlPath, 'utf8') keeps a BOM; the up part starts at the file's first character when there
  // is no up marker, or when the marker's match starts there (`^\s*` also takes U+FEFF and blank lines), and
  // pgm.sql() sends it as it is. An up marker further down leaves the mark out.
  sendsByteOrderMark: (text) => text.search(UP) <= 0,
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
function discoverNodePgMigrate(folder: string, ignore = /^\..*$/, major?: number): Discovery {
  const problems: string[] = [];
  const ignored: IgnoredFile[] = [];
  const files: { name: string; prefix?: string; order: number }[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const name = entry.name;
    if (ignore.test(name) || !(entry.isFile() || entry.isSymbolicLink())) continue;
    const prefix = /^\d+/.exec(name)?.[0];
    if (major !== undefined && major < 9) {
      files.push({ name, prefix, order: orderBefore9(name) });
      continue;
    }
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
  configFile?: ShellWord;
  configValue?: ShellWord;
  envPath?: ShellWord;
  /** the settings a config file gave (over the flags), with where each is written */
  fromConfig: Partial<Record<ConfigKey, string>>;
  /** what pgdrift could not read of the call's configuration */
  notices: string[];
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
function readCall(words: ShellWord[]): Omit<NodePgMigrateCall, 'where' | 'script' | 'folder' | 'fromConfig' | 'notices'> | undefined {
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
    configFile: one('config-file'),
    configValue: one('config-value'),
    envPath: one('envPath'),
  };
}

/** The node-pg-migrate calls in the package.json of `folder` (the scripts' working directory), with their config files read. */
function nodePgMigrateCalls(folder: string, root: string, env: Record<string, string | undefined>): NodePgMigrateCall[] {
  const calls: NodePgMigrateCall[] = [];
  for (const invocation of scriptInvocations(folder, 'node-pg-migrate')) {
    const call = readCall(invocation.args);
    if (!call) continue;
    const at = path.relative(root, folder).split(path.sep).join('/');
    calls.push(configured({ ...call, where: `${at ? `${at}/` : ''}package.json script "${invocation.script}"`, script: invocation.script }, folder, root, env));
  }
  return calls;
}

/**
 * A project whose package.json scripts never run node-pg-migrate (`npx node-pg-migrate up` typed by hand, or run by CI):
 * the CLI without flags in the project root, which still reads the config package's section. Only in a project that
 * has node-pg-migrate (another runner's project may keep its app's settings in config/ too).
 */
function unscriptedCall(root: string, env: Record<string, string | undefined>): NodePgMigrateCall[] {
  if (!packageLoads(root, root, 'node-pg-migrate')) return [];
  const call = configured({ where: 'the project root (no package.json script runs node-pg-migrate)', script: '(none)', command: 'up' }, root, root, env);
  return Object.keys(call.fromConfig).length > 0 || call.notices.length > 0 ? [call] : [];
}

/** The call with the settings its config sources give over its flags (readJson), and its migrations folder. */
function configured(call: Omit<NodePgMigrateCall, 'folder' | 'fromConfig' | 'notices'>, cwd: string, root: string, env: Record<string, string | undefined>): NodePgMigrateCall {
  const config = readNodePgMigrateConfig(cwd, root, call, env, nodePgMigrateMajor(cwd, root));
  const word = (v: ConfigValue | undefined): ShellWord | undefined => (v === undefined ? undefined : { text: String(v.value), dynamic: false });
  const flag = (v: ConfigValue | undefined): boolean | undefined => (v === undefined ? undefined : v.value === true);
  const { values } = config;
  const schemas = values.schema && (Array.isArray(values.schema.value) ? values.schema.value : [String(values.schema.value)]).map((text) => ({ text, dynamic: false }));
  const merged = {
    ...call,
    ...(values['migrations-dir'] ? { dir: word(values['migrations-dir']) } : {}),
    ...(values['use-glob'] ? { useGlob: flag(values['use-glob']) } : {}),
    ...(values['ignore-pattern'] ? { ignorePattern: word(values['ignore-pattern']) } : {}),
    ...(schemas ? { schemas } : {}),
    ...(values['create-schema'] ? { createSchema: flag(values['create-schema']) } : {}),
    ...(values['migrations-schema'] ? { migrationsSchema: word(values['migrations-schema']) } : {}),
    ...(values['create-migrations-schema'] ? { createMigrationsSchema: flag(values['create-migrations-schema']) } : {}),
    ...(values['migrations-table'] ? { table: word(values['migrations-table']) } : {}),
  };
  const fromConfig = Object.fromEntries(Object.entries(values).map(([key, v]) => [key, v.source]));
  const folder = path.resolve(cwd, merged.dir && !merged.dir.dynamic ? merged.dir.text : 'migrations');
  return { ...merged, folder, fromConfig, notices: config.notices };
}

/**
 * The runner as the project's scripts run it on `folder`: the calls in the package.json of the folder's parent and
 * every folder above it up to the root whose migrations folder is this one; `up` (and `redo`, or a script that leaves
 * the command to `npm run migrate up`) over `create` and `down`. Scripts that disagree are an error naming them.
 * A value only the shell knows (`-t $TABLE`) leaves the CLI's default.
 */
function nodePgMigrateForProject(folder: string, root: string, env: Record<string, string | undefined>): ReturnType<NonNullable<Runner['forProject']>> {
  const target = path.resolve(folder);
  const calls: NodePgMigrateCall[] = [];
  let scripted = false;
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const here = nodePgMigrateCalls(dir, root, env);
    scripted ||= here.length > 0;
    calls.push(...here.filter((call) => call.folder === target));
    if (path.resolve(dir) === path.resolve(root) || path.dirname(dir) === dir || !dir.startsWith(path.resolve(root))) break;
  }
  if (!scripted) calls.push(...unscriptedCall(root, env).filter((call) => call.folder === target));
  const running = calls.filter((call) => call.command === undefined || call.command === 'up' || call.command === 'redo');
  const used = running.length > 0 ? running : calls;
  const major = nodePgMigrateMajor(path.dirname(target), root);
  const order = orderNotice(target, major);
  if (used.length === 0) return { discover: (dir: string) => discoverNodePgMigrate(dir, undefined, major), ...(order ? { notices: [order] } : {}) };
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
  if (settings.ignorePattern) {
    // an empty pattern is none: getMigrationFilePaths `ignorePattern?.length ? ... : '^\\..*'`
    try {
      ignore = new RegExp(`^${settings.ignorePattern}$`); // getMigrationFilePaths: `^${ignorePattern}$`
    } catch (error) {
      throw new InputError(`the package.json scripts run node-pg-migrate with --ignore-pattern ${settings.ignorePattern}: ${(error as Error).message}`);
    }
  }
  const notices = [...noticesOf(used), ...shellOnlyNotices(used), ...(order ? [order] : [])];
  return {
    bookkeeping: [setup.table],
    bookkeepingSetup: setup,
    ...(single ? {} : { oneTransaction: false, lint: lintFor(false) }),
    discover: (dir: string) => discoverNodePgMigrate(dir, ignore, major),
    ...(notices.length > 0 ? { notices } : {}),
  };
}

/** Settings given as a value only the shell knows (`-t "$TABLE"`): the replay takes the CLI's default, and says so. */
function shellOnlyNotices(calls: NodePgMigrateCall[]): string[] {
  const notices: string[] = [];
  for (const call of calls) {
    const dynamic: [string, ShellWord[] | undefined][] = [
      ['migrations-table', call.table && [call.table]],
      ['schema', call.schemas],
      ['migrations-schema', call.migrationsSchema && [call.migrationsSchema]],
      ['ignore-pattern', call.ignorePattern && [call.ignorePattern]],
    ];
    for (const [option, words] of dynamic) {
      if (words?.some((w) => w.dynamic)) notices.push(`${call.where} runs node-pg-migrate with --${option} ${words.map((w) => w.text).join(' ')}, a value only the shell knows: pgdrift replays with the CLI's default`);
    }
  }
  return notices;
}

/**
 * getNumericPrefix changed in v9 (src/utils/fileNameUtils.ts: the leading digits, a name without them stops the run)
 * from the part before the first `_` (v7, v8): without the version the project runs, pgdrift takes v9's order, and
 * says so when the older one differs for this folder.
 */
function orderNotice(folder: string, major: number | undefined): string | undefined {
  if (major !== undefined) return undefined;
  let current: Discovery;
  let older: Discovery;
  try {
    current = discoverNodePgMigrate(folder, undefined, 9);
    older = discoverNodePgMigrate(folder, undefined, 8);
  } catch {
    return undefined; // an unreadable folder: the discovery itself reports it
  }
  const names = (d: Discovery) => d.migrations.map((m) => m.name).join('\n');
  if (names(current) === names(older) && current.problems.length === older.problems.length) return undefined;
  return 'node-pg-migrate before 9 orders these files differently (by the part of the name before the first "_"; a name without a number runs first), and pgdrift could not tell the version the project runs (no node_modules/node-pg-migrate, no version in package.json): replayed in the order of 9 and later';
}

/** The calls' notices, each once, after the calls it is about (`package.json script "up", ...: notice`). */
function noticesOf(calls: NodePgMigrateCall[]): string[] {
  const wheres = new Map<string, string[]>();
  for (const call of calls) for (const notice of call.notices) wheres.set(notice, [...(wheres.get(notice) ?? []), call.where]);
  return [...wheres].map(([notice, where]) => `${where.join(', ')}: ${notice}`);
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

/**
 * The 0-based line where a cut of getActions at character `index` falls: the marker regexes match from a `^`, which in
 * JavaScript's multiline mode is also the place after a `\r`, so in a CRLF file the match starts at the `\n` that ends
 * the line before the marker (`\s*` then takes it). That line then belongs before the cut, not after it.
 */
function lineAtCut(text: string, index: number): number {
  const line = lineCount(text.slice(0, index)) - 1;
  return text[index] === '\n' && text[index - 1] === '\r' ? line + 1 : line;
}

/** The up part, as getActions cuts it (a part covers the lines after startLine up to endLine). */
export function planNodePgMigrate(text: string): FilePlan {
  const up = text.search(UP);
  const down = text.search(DOWN);
  const lines = lineCount(text);
  if (up < 0) return { parts: [{ startLine: 0, endLine: lines, transaction: 'wrapped' }] };
  // the match starts at a line start (`^` in multiline mode, then `\s*` over blank lines)
  const startLine = lineAtCut(text, up);
  const endLine = down > up ? lineAtCut(text, down) : lines;
  return { parts: [{ startLine, endLine, transaction: 'wrapped' }] };
}

/**
 * getNumericPrefix before v9 (v7.9.1, v8.0.4 src/migration.ts): the part of the file name before the first `_`; 17
 * digits are a UTC timestamp, other digits the number, anything else (`1-init.sql`, `2.sql`, `README.md`) 0 with only a
 * logged "Can't determine timestamp": such files run first, in name order, and the run goes on.
 */
function orderBefore9(name: string): number {
  const prefix = name.split('_')[0];
  if (/^\d{17}$/.test(prefix)) return numericPrefix(prefix);
  return Number(prefix) || 0;
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
