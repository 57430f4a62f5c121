import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import { scriptInvocations, type ShellWord } from './package-scripts.js';
import { exportedObjectProperties } from './script-literals.js';
import { isFile, lineCount, wholeFile, type BookkeepingSetup, type DiscoveredMigration, type Discovery, type FilePlan, type IgnoredFile, type Runner } from './types.js';

/**
 * Postgrator (node), read at rickbergfalk/postgrator@a3079b0 (8.0.0, the version on npm) and its CLI at
 * MattiLehtinen/postgrator-cli@40de292 (lib/postgrator-cli.js, the same file as npm's postgrator-cli 9.1.1).
 * - Files (postgrator.js `getMigrations`): `glob(migrationPattern)`, the matches whose `path.extname` is exactly `.sql`,
 *   `.js`, `.mjs` or `.cjs` (case-sensitive), sorted by path; the name without its extension split at `.` into
 *   `[version, action, name]`, the version `Number(version)`: a file whose version is NaN is dropped without a word.
 *   Two files with one version and action (`001.do.a.sql`, `1.do.b.sql`; a `.sql` and a `.js`) stop the run: "Two
 *   migrations found with version 1 and action do".
 * - What runs (`migrate()` to "max", `getRunnableMigrations`): on a new database (version 0) the files whose action is
 *   exactly `do` with a version above 0, sorted by version as a number (lib/utils.js `sortMigrationsAsc`). `undo`
 *   files run only when migrating down; any other action never runs.
 * - How (`runMigrations`, lib/Client.js `runSqlScript`): the file's text (`readFileSync(filename, "utf8")`, a byte
 *   order mark kept) as ONE `execQuery`, which postgrator-cli maps to pg's `client.query(sql)` (lib/clients/pg.js): one
 *   simple-protocol query, one implicit transaction (README "Preventing partial migrations"). No transaction of its own.
 * - `.js/.mjs/.cjs` migrations: the SQL is what their `generateSql()` returns at run time (`await import(file)`, then
 *   `await migration.getSql()`, sent as a .sql file's text is). pgdrift runs no JavaScript: a module that is nothing but
 *   `generateSql` returning one string literal (no escapes, no `${}`; `staticGenerateSql`) is replayed as that string;
 *   any other is not replayed, listed as applied by the runner (check says the replay is incomplete).
 * - Bookkeeping (lib/Client.js `ensureTable`, driver pg): `schemaTable` (default `schemaversion`, `schema.table` creates
 *   the schema), `version BIGINT PRIMARY KEY`, a row 0, then `name`, `md5`, `run_at` columns.
 * - Settings (postgrator-cli `getDefaults`, lilconfig "postgrator"): the first of package.json's `"postgrator"` key,
 *   `.postgratorrc.json`, `.postgratorrc.{js,cjs,mjs}`, `.config/postgratorrc` (JSON), `.config/postgratorrc.json`,
 *   `.config/postgratorrc.{js,cjs,mjs}`, `postgrator.config.{js,cjs,mjs}` in the project root, or the file `--config`
 *   names (`.yaml`/`.yml` too; a code config is read, never run: the string literals of its exported object, see
 *   codeConfig); over them the flags of package.json scripts that run `postgrator`
 *   (`-m/--migration-pattern`, `-t/--schema-table`, `-c/--config`, `--no-config`). `migrationPattern` defaults to
 *   `migrations/*` and is resolved from the working directory. The CLI passes no `currentSchema` to postgrator
 *   (`getPostgratorOptions`): a config's `currentSchema` has no effect there (a notice says so).
 * - postgrator-cli 4 and before (MattiLehtinen/postgrator-cli@v4.0.0 postgrator-cli.js, command-line-options.js, with
 *   postgrator 3/4): `-m, --migration-directory <dir>` and the config's `migrationDirectory` name a folder (postgrator
 *   reads it with fs.readdir when no migrationPattern is set), and the default config is `postgrator.json`.
 */
const EXTENSIONS = ['.sql', '.js', '.mjs', '.cjs'];
const DEFAULT_SCHEMA_TABLE = 'schemaversion';
const DEFAULT_PATTERN = 'migrations/*';

/** A file name as postgrator reads it: undefined when its extension is not one postgrator loads. */
export function parsePostgratorName(file: string): { version: number; versionText: string; action: string | undefined; description: string; code: boolean } | undefined {
  const base = path.posix.basename(file);
  const ext = path.posix.extname(base);
  if (!EXTENSIONS.includes(ext)) return undefined;
  const [versionText, action, description = ''] = path.posix.basename(base, ext).split('.');
  return { version: Number(versionText), versionText, action, description, code: ext !== '.sql' };
}

/** What postgrator loads (the folder's files that `pattern`, relative to it, matches) and what of it runs up. */
export function discoverPostgrator(folder: string, pattern: string | string[] = '*'): Discovery {
  const files = globSync(pattern, { cwd: folder, onlyFiles: true, expandDirectories: false }).sort();
  const ignored: IgnoredFile[] = [];
  const problems: string[] = [];
  const loaded: { name: string; version: number; versionText: string; action: string | undefined; code: boolean }[] = [];
  const keys = new Map<string, string>();
  for (const name of files) {
    const parsed = parsePostgratorName(name);
    if (!parsed) {
      if (name.toLowerCase().endsWith('.sql')) ignored.push({ name, reason: `postgrator loads only files whose extension is exactly .sql, .js, .mjs or .cjs: it skips ${path.posix.extname(name)}` });
      continue;
    }
    if (Number.isNaN(parsed.version)) {
      ignored.push({ name, reason: `its version "${parsed.versionText}" is not a number: postgrator drops the file without a word (getMigrations: Number(version) is NaN)` });
      continue;
    }
    const key = `${parsed.version}:${parsed.action}`;
    const first = keys.get(key);
    if (first !== undefined) problems.push(`${name}: Two migrations found with version ${parsed.version} and action ${parsed.action} (${first} too): postgrator stops before running anything`);
    else keys.set(key, name);
    loaded.push({ name, ...parsed });
  }
  // getRunnableMigrations from database version 0 to the highest version: `do` files above 0, by version as a number
  const runnable = loaded.filter((m) => m.action === 'do' && m.version > 0).sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  for (const m of loaded) {
    if (m.action === 'undo') ignored.push({ name: m.name, reason: `the undo half of version ${m.versionText}: postgrator runs undo files only when migrating down`, expected: true });
    else if (m.action !== 'do') ignored.push({ name: m.name, reason: m.action === undefined ? 'no action in its name (<version>.do.<description>.sql): postgrator never runs it' : `its action is "${m.action}": postgrator runs only "do" files on the way up (and "undo" ones down)` });
    else if (m.version <= 0) ignored.push({ name: m.name, reason: `its version ${m.version} is not above 0, the version postgrator's ${DEFAULT_SCHEMA_TABLE} table starts at: postgrator never runs it` });
    // persistActionSql writes `${migration.version}` into `version BIGINT`: Infinity is no SQL value, 2^63 is out of
    // range, 1e-1 (0.1) is rounded to the 0 row's key; the file has run by then, and postgrator stops unrecorded
    else if (!Number.isInteger(m.version) || m.version >= 2 ** 63) problems.push(`${m.name}: version ${m.versionText} is ${m.version} as postgrator reads it (Number), which its bigint version column cannot record: postgrator runs the file, then fails to record it and stops`);
  }
  // a JavaScript migration that only returns a string literal is replayed as that SQL
  const plans = new Map<string, FilePlan>();
  for (const m of runnable) {
    if (!m.code) continue;
    const plan = staticGenerateSql(path.join(folder, ...m.name.split('/')));
    if (plan) plans.set(m.name, plan);
  }
  const replayed = runnable.filter((m) => !m.code || plans.has(m.name));
  for (const [index, m] of runnable.entries()) {
    if (!m.code || plans.has(m.name)) continue;
    const next = runnable.slice(index + 1).find((later) => !later.code || plans.has(later.name));
    ignored.push({
      name: m.name,
      reason: `a JavaScript migration (version ${m.versionText}): postgrator applies the SQL its generateSql() returns at run time, which pgdrift cannot replay; the replayed schema lacks its effect`,
      appliedByRunner: true,
      ...(next ? { appliedBefore: next.name } : {}),
    });
  }
  const migrations: DiscoveredMigration[] = replayed.map((m) => {
    const plan = plans.get(m.name);
    return { name: m.name, version: m.versionText, ...(plan ? { plan } : {}) };
  });
  return { migrations, ignored, problems };
}

// A string literal with nothing the JavaScript parser would change: no backslash (escapes, line continuations), no
// `${` in a template, no carriage return (a template literal's CRLF reads as LF).
const LITERAL = String.raw`(?:'[^'\\\n\r]*'|"[^"\\\n\r]*"|\`(?:[^\`\\\r$]|\$(?!\{))*\`)`;
const FUNCTION_BODY = String.raw`(?:async\s+)?(?:function\s*(?:generateSql\s*)?\(\s*\)\s*\{\s*return\s*(${LITERAL})\s*;?\s*\}|\(\s*\)\s*=>\s*(?:(${LITERAL})|\{\s*return\s*(${LITERAL})\s*;?\s*\}))`;
const STRICT = String.raw`(?:(?:'use strict'|"use strict")\s*;?\s*)?`;
const COMMONJS = new RegExp(String.raw`^\s*${STRICT}(?:module\.)?exports\.generateSql\s*=\s*${FUNCTION_BODY}\s*;?\s*$`);
const ESM = new RegExp(String.raw`^\s*${STRICT}export\s+(?:(?:async\s+)?function\s+generateSql\s*\(\s*\)\s*\{\s*return\s*(${LITERAL})\s*;?\s*\}|const\s+generateSql\s*=\s*${FUNCTION_BODY}\s*;?)\s*$`);

/**
 * The SQL a JavaScript migration's `generateSql()` returns when the module is nothing but that function returning one
 * string literal (`module.exports.generateSql = () => \`CREATE ...\`;` in CommonJS, `export function generateSql() {
 * return '...'; }` in an ES module): a plan sending the literal's text, positions in the .js file. The module format
 * must be the one Node loads the file as (.cjs / .mjs, a .js by the nearest package.json's "type"), or postgrator's
 * import() fails. Anything else (a comment, a variable, an environment value) is undefined: no JavaScript is run.
 */
export function staticGenerateSql(file: string): FilePlan | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // a byte order mark: the loader's positions would not be the file's (kept not replayed)
  if (text.startsWith('\uFEFF')) return undefined;
  const ext = path.extname(file);
  const esm = ext === '.mjs' || (ext === '.js' && packageType(path.dirname(file)) === 'module');
  const match = (esm ? ESM : COMMONJS).exec(text);
  const literal = match?.slice(1).find((group) => group !== undefined);
  if (!match || literal === undefined) return undefined;
  const start = text.indexOf(literal, text.indexOf('generateSql')) + 1;
  const end = start + literal.length - 2;
  return { parts: [{ startLine: 0, endLine: lineCount(text), transaction: 'implicit' }], substitutions: [{ start: 0, end: start, value: '' }, { start: end, end: text.length, value: '' }] };
}

/** The "type" of the nearest package.json above a folder (Node's module format lookup); undefined when none says. */
function packageType(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const file = path.join(at, 'package.json');
    if (isFile(file)) {
      try {
        const type = (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(at) === at) return undefined;
  }
}

/** A postgrator `<version>.do.` / `.undo.` file name (what only postgrator's layout explains). */
export function isPostgratorName(name: string): boolean {
  const parsed = parsePostgratorName(name);
  return parsed !== undefined && /^\d+$/.test(parsed.versionText) && (parsed.action === 'do' || parsed.action === 'undo');
}

export interface PostgratorSettings {
  /** postgrator-cli's --driver / `driver` (default pg), when another database's */
  driver?: { name: string; source: string };
  /** the migrationPattern, absolute with forward slashes (one per --migration-pattern) */
  patterns?: string[];
  schemaTable?: string;
  /** where they come from, for messages */
  source?: string;
  notices: string[];
}

const LEGACY_CONFIG_FILE = 'postgrator.json';
const SEARCH_PLACES = ['package.json', '.postgratorrc.json', '.postgratorrc.js', '.postgratorrc.cjs', '.postgratorrc.mjs', '.config/postgratorrc', '.config/postgratorrc.json', '.config/postgratorrc.js', '.config/postgratorrc.cjs', '.config/postgratorrc.mjs', 'postgrator.config.js', 'postgrator.config.cjs', 'postgrator.config.mjs'];

/**
 * postgrator-cli's config (lilconfig "postgrator") as the CLI run in `dir` finds it, or the file `--config` names.
 * postgrator-cli 4 and before looked for `postgrator.json` only (postgrator-cli@v4.0.0 postgrator-cli.js
 * DEFAULT_CONFIG_FILE, hasDefaultConfigFile).
 */
function readConfig(dir: string, explicit?: string, legacy = false): { config: Record<string, unknown>; file?: string; notice?: string } {
  const places = explicit ? [explicit] : legacy ? [LEGACY_CONFIG_FILE] : SEARCH_PLACES;
  for (const place of places) {
    const file = path.resolve(dir, place);
    if (!isFile(file)) {
      if (explicit) throw new InputError(`Config file not found: ${explicit} (postgrator --config, in ${path.relative(dir, file)})`, { hint: 'postgrator-cli stops on it; fix the script, or name the folder: --migrations <folder>' });
      continue;
    }
    const shown = path.basename(file) === 'package.json' ? 'package.json "postgrator"' : place;
    const ext = path.extname(file);
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    if (['.js', '.cjs', '.mjs', '.ts'].includes(ext)) return codeConfig(text, shown);
    let value: unknown;
    try {
      value = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
    } catch (error) {
      throw new InputError(`${shown} is not valid ${ext === '.yaml' || ext === '.yml' ? 'YAML' : 'JSON'}: ${(error as Error).message}`, { hint: 'postgrator-cli stops on it (lilconfig)' });
    }
    if (path.basename(file) === 'package.json' && !explicit) {
      const prop = (value as Record<string, unknown> | null)?.postgrator;
      if (prop === undefined) continue;
      value = prop;
    }
    return { config: typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}, file: shown };
  }
  return { config: {} };
}

/**
 * A config that is code (`.postgratorrc.js`, `postgrator.config.mjs`): pgdrift never runs it, but reads the settings
 * it writes as string literals in its exported object (`migrationPattern: "src/db/migrations/*"`, the form public
 * projects use beside `host: process.env.X`). A setting computed at run time is named in a notice and left at
 * postgrator's default; so is every setting of a file that exports no object literal.
 */
function codeConfig(text: string, shown: string): { config: Record<string, unknown>; file: string; notice?: string } {
  const keys = ['migrationPattern', 'migrationDirectory', 'schemaTable', 'driver', 'currentSchema'] as const;
  const properties = exportedObjectProperties(text, keys);
  if (!properties) return { config: {}, file: shown, notice: `postgrator: ${shown} is code that exports no object literal, which pgdrift does not run: its migrationPattern and schemaTable are not followed (the defaults migrations/* and ${DEFAULT_SCHEMA_TABLE} are used)` };
  const config: Record<string, unknown> = {};
  const computed: string[] = [];
  for (const [key, value] of properties) {
    if ('literal' in value) config[key] = value.literal;
    else if (key === 'currentSchema') config[key] = true; // not followed either way (see the notice in postgratorSettings)
    else computed.push(key);
  }
  const defaults: Record<string, string> = { migrationPattern: DEFAULT_PATTERN, migrationDirectory: 'migrations', schemaTable: DEFAULT_SCHEMA_TABLE, driver: 'pg' };
  const notice = computed.length > 0 ? `postgrator: ${shown} computes ${computed.join(' and ')} when it runs, which pgdrift does not do: ${computed.map((key) => `${key} ${defaults[key]}`).join(', ')} (postgrator's default) is used` : undefined;
  return { config, file: shown, ...(notice ? { notice } : {}) };
}

/**
 * The settings postgrator-cli runs with in the project: its config file, and the flags of the package.json scripts
 * that run `postgrator` (all must agree on the folder).
 */
export function postgratorSettings(root: string): PostgratorSettings {
  const calls = scriptInvocations(root, 'postgrator');
  const cli = postgratorCliMajor(root);
  const legacy = cli !== undefined && cli.major <= 4;
  const runs = calls.length > 0 ? calls.map((call) => ({ where: `package.json script "${call.script}"`, ...cliFlags(call.args, `package.json script "${call.script}"`, legacy) })) : [{ where: 'postgrator run in the project root', patterns: undefined, schemaTable: undefined, config: undefined, noConfig: false, driver: undefined }];
  const notices: string[] = [];
  const settings = runs.map((run) => {
    const { config, file, notice } = run.noConfig ? { config: {} as Record<string, unknown> } : readConfig(root, run.config, legacy);
    if (notice && !notices.includes(notice)) notices.push(notice);
    if (config.currentSchema !== undefined) {
      const text = `postgrator: ${file} sets currentSchema, which postgrator-cli does not pass to postgrator (lib/postgrator-cli.js getPostgratorOptions): not followed`;
      if (!notices.includes(text)) notices.push(text);
    }
    // postgrator before 5 read `migrationDirectory` (fs.readdir of it) when no migrationPattern was set (postgrator@v4.3.1
    // getMigrations / loadMigrationDirOrPath), and postgrator-cli 4 and before defaulted and resolved it from the working
    // directory (postgrator-cli@v4.0.0 postgrator-cli.js run): the folder's files, as the pattern `<folder>/*` has them.
    // Postgrator 5 removed the option (CHANGELOG 5.0.0 "Removed `migrationDirectory` option"): there it is ignored.
    const directory = typeof config.migrationDirectory === 'string' && config.migrationPattern === undefined ? config.migrationDirectory : undefined;
    const fromConfig = config.migrationPattern ?? (legacy && directory !== undefined ? `${directory.replace(/\/+$/, '')}/*` : undefined);
    if (!legacy && directory !== undefined && run.patterns === undefined) {
      const which = cli ? `postgrator-cli ${cli.version} (${cli.from})` : 'postgrator-cli 5 and later';
      const text = `postgrator: ${file} sets migrationDirectory ${directory}, an option postgrator 5 removed (CHANGELOG 5.0.0): ${which} ignores it and reads migrationPattern ${DEFAULT_PATTERN}; with postgrator-cli 4 or earlier it is the folder (install the project's dependencies, or name it: --migrations ${directory})`;
      if (!notices.includes(text)) notices.push(text);
    }
    const patterns = run.patterns ?? (typeof fromConfig === 'string' ? [fromConfig] : Array.isArray(fromConfig) ? fromConfig.map(String) : undefined);
    const schemaTable = run.schemaTable ?? (typeof config.schemaTable === 'string' ? config.schemaTable : undefined);
    const source = run.patterns ? run.where : fromConfig !== undefined ? `${config.migrationPattern !== undefined ? 'migrationPattern' : 'migrationDirectory'} in ${file}` : run.where;
    // command-line-options.js: `--driver`, default `defaults.driver || "pg"`
    const driverName = run.driver ?? (typeof config.driver === 'string' && config.driver ? config.driver : 'pg');
    const driver = driverName === 'pg' ? undefined : { name: driverName, source: run.driver ? `${run.where} (--driver ${driverName})` : `driver in ${file}` };
    return {
      driver, patterns: (patterns ?? [DEFAULT_PATTERN]).map((p) => (path.isAbsolute(p) ? p : path.join(root, p)).split(path.sep).join('/')), schemaTable, source, explicit: patterns !== undefined };
  });
  const distinct = [...new Set(settings.map((s) => s.patterns.join(' ')))];
  if (distinct.length > 1) {
    throw new InputError(`the package.json scripts run postgrator with ${distinct.length} migration patterns: ${settings.map((s) => `${s.patterns.map((p) => path.posix.relative(root.split(path.sep).join('/'), p)).join(' ')} (${s.source})`).join(', ')}`, {
      hint: 'name the one to check: --migrations <folder>, or "migrations" in pgdrift.config.json',
    });
  }
  const first = settings.find((s) => s.explicit) ?? settings[0];
  const tables = [...new Set(settings.map((s) => s.schemaTable ?? DEFAULT_SCHEMA_TABLE))];
  if (tables.length > 1) notices.push(`postgrator: the package.json scripts use several schema tables (${tables.join(', ')}): all are left out of drift`);
  const driver = settings.find((s) => s.driver)?.driver;
  return { ...(driver ? { driver } : {}), ...(first.explicit ? { patterns: first.patterns, source: first.source } : {}), ...(settings.some((s) => s.schemaTable) ? { schemaTable: tables.join(',') } : {}), notices };
}

/** The postgrator-cli flags of one script (command-line-args: `-m x`, `--migration-pattern x`, `--migration-pattern=x`). */
function cliFlags(args: ShellWord[], where: string, legacy = false): { patterns?: string[]; schemaTable?: string; config?: string; noConfig: boolean; driver?: string } {
  const out: { patterns?: string[]; schemaTable?: string; config?: string; noConfig: boolean; driver?: string } = { noConfig: false };
  for (let k = 0; k < args.length; k++) {
    const word = args[k].text;
    const eq = /^(--[a-z-]+)=(.*)$/s.exec(word);
    const flag = eq ? eq[1] : word;
    const take = (): string => {
      const value = eq ? { text: eq[2], dynamic: args[k].dynamic } : args[++k];
      if (!value) throw new InputError(`${where} gives ${flag} without a value`, { hint: 'postgrator-cli stops on it' });
      if (value.dynamic) throw new InputError(`${where} runs postgrator with ${flag} ${value.text}, a value only the shell knows`, { hint: 'name the migrations folder: --migrations <folder>, or "migrations" in pgdrift.config.json' });
      return value.text;
    };
    // postgrator-cli 4 and before: `-m, --migration-directory <dir>`, a folder (postgrator-cli@v4.0.0
    // command-line-options.js); from 5 `-m, --migration-pattern <glob>`
    if (legacy && (flag === '-m' || flag === '--migration-directory')) (out.patterns ??= []).push(`${take().replace(/\/+$/, '')}/*`);
    else if (flag === '-m' || flag === '--migration-pattern') (out.patterns ??= []).push(take());
    else if (flag === '-t' || flag === '--schema-table') out.schemaTable = take();
    else if (flag === '-c' || flag === '--config') out.config = take();
    else if (flag === '--no-config') out.noConfig = true;
    else if (flag === '-r' || flag === '--driver') out.driver = take();
  }
  return out;
}

/**
 * The major version of the project's postgrator-cli: the installed one (node_modules/postgrator-cli/package.json),
 * else the range its package.json names; undefined when neither says.
 */
function postgratorCliMajor(root: string): { major: number; version: string; from: string } | undefined {
  const read = (file: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const installed = read(path.join(root, 'node_modules', 'postgrator-cli', 'package.json'))?.version;
  if (typeof installed === 'string' && /^\d+/.test(installed)) return { major: Number(/^\d+/.exec(installed)![0]), version: installed, from: 'installed' };
  const manifest = read(path.join(root, 'package.json'));
  const range = ['dependencies', 'devDependencies'].map((key) => (manifest?.[key] as Record<string, unknown> | undefined)?.['postgrator-cli']).find((v): v is string => typeof v === 'string');
  const major = range !== undefined ? /^\s*(?:[\^~]|>=?|=)?\s*v?(\d+)/.exec(range)?.[1] : undefined;
  return major !== undefined ? { major: Number(major), version: range!, from: 'package.json' } : undefined;
}

/** The folder a pattern's files are in (its part before the first glob character) and the pattern relative to it. */
export function splitPattern(pattern: string): { base: string; glob: string } {
  const parts = pattern.split('/');
  let k = 0;
  while (k < parts.length - 1 && !isDynamicPattern(parts[k])) k++;
  return { base: parts.slice(0, k).join('/') || '/', glob: parts.slice(k).join('/') };
}

function bookkeepingFor(schemaTable: string): { bookkeeping: string[]; bookkeepingSetup: BookkeepingSetup } {
  // lib/Client.js quotedSchemaTable (driver pg): each part double-quoted as written
  const parts = schemaTable.split('.');
  const quoted = parts.map((p) => `"${p}"`).join('.');
  const table = parts.length > 1 ? `${parts[0]}.${parts[1]}` : `public.${parts[0]}`;
  return {
    bookkeeping: [table],
    bookkeepingSetup: {
      table,
      // lib/Client.js ensureTable, each statement sent as its own query
      sql: [
        ...(parts.length > 1 ? [`CREATE SCHEMA IF NOT EXISTS "${parts[0]}";`] : []),
        `CREATE TABLE ${quoted} (\n  version BIGINT PRIMARY KEY\n);`,
        `INSERT INTO ${quoted} (version) VALUES (0);`,
        `ALTER TABLE ${quoted} ADD COLUMN name TEXT;`,
        `ALTER TABLE ${quoted} ADD COLUMN md5 TEXT;`,
        `ALTER TABLE ${quoted} ADD COLUMN run_at TIMESTAMP WITH TIME ZONE;`,
      ].join('\n'),
    },
  };
}

const defaults = bookkeepingFor(DEFAULT_SCHEMA_TABLE);

export const postgrator: Runner = {
  name: 'postgrator',
  docs: 'https://github.com/rickbergfalk/postgrator#readme',
  folders: ['migrations'],
  discover: (folder) => discoverPostgrator(folder),
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && isPostgratorName(name));
    return files.length > 0 ? { files, what: '<version>.do.<description>.sql / .undo. file names' } : undefined;
  },
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const settings = postgratorSettings(root);
    if (!settings.patterns) return undefined;
    const bases = [...new Set(settings.patterns.map((p) => splitPattern(p).base))];
    if (bases.length === 1 && path.resolve(bases[0]) === path.resolve(folder)) return undefined;
    return { setting: `${settings.source} (migrationPattern ${settings.patterns.join(' ')})`, folders: bases };
  },
  forProject(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const settings = postgratorSettings(root);
    const notices = [...settings.notices];
    let discover: Runner['discover'] | undefined;
    if (settings.patterns) {
      const own = settings.patterns.map(splitPattern).filter((p) => path.resolve(p.base) === path.resolve(folder));
      if (own.length > 0) {
        discover = (f) => discoverPostgrator(f, own.map((p) => p.glob));
      } else notices.push(`postgrator: ${settings.source} names migrationPattern ${settings.patterns.join(' ')}, not ${path.relative(root, folder) || '.'}/: pgdrift replays every file of the folder (*)`);
    }
    if (settings.driver) {
      // the migrations are another database's (postgrator-cli's mysql, mssql, sqlite3 drivers): refused as not PostgreSQL
      const base = discover ?? ((f: string) => discoverPostgrator(f));
      const why = `${settings.driver.source} runs postgrator with the ${settings.driver.name} driver: this is not a PostgreSQL project`;
      discover = (f) => ({ ...base(f), notPostgres: why });
    }
    const tables = settings.schemaTable?.split(',');
    const table = tables?.[0];
    const book = table && table !== DEFAULT_SCHEMA_TABLE ? bookkeepingFor(table) : undefined;
    return {
      ...(discover ? { discover } : {}),
      ...(book ? { ...book, bookkeeping: tables!.flatMap((t) => bookkeepingFor(t).bookkeeping) } : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  },
  plan: (text) => wholeFile(text, 'implicit'),
  // readFileSync(filename, "utf8") keeps a byte order mark, and the text is sent as it is
  sendsByteOrderMark: () => true,
  compareVersions: (a, b) => Number(a) - Number(b),
  bookkeeping: defaults.bookkeeping,
  bookkeepingSetup: defaults.bookkeepingSetup,
  lint: {
    fileNamePattern: /^\d+\.(do|undo)(\.[^./]*)?\.(sql|[cm]?js)$/,
    example: '005.do.add-orders.sql',
    sequentialVersions: false,
    transactions: 'postgrator sends each file as one query, which Postgres runs as one implicit transaction',
    outsideTransaction: 'put it alone in its own file (a lone statement is not in a transaction block)',
  },
};
