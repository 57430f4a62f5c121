import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { InputError } from '../errors.js';
import { readDotEnv } from './dotenv.js';

/**
 * The settings node-pg-migrate's CLI takes from configuration files, over its command-line flags (v7.9.1
 * bin/node-pg-migrate.ts `readJson`; v10 src/cli/config.ts `resolveConfig`, the same rules):
 * - first the `config` npm package's section named by `--config-value` (default `db`, a dotted path), when the package
 *   can be loaded from the working directory (`tryRequire('config')`; a project without it skips this);
 * - then the JSON file `--config-file`/`-f` names (resolved from the working directory): v7 reads its top level, v8+
 *   the `--config-value` section when the file has one, else its top level;
 * - each key, when present with the right type (`applyIf`), REPLACES the flag's value: a config file wins over the
 *   command line. The keys are the long flag names (`migrations-dir`, not `migrationsDir`); `single-transaction` and
 *   `lock` are never read from there (flags only).
 * `.env` (dotenv, `--envPath`) is loaded first; it only matters here for the variables the `config` package reads.
 */

/** The keys readJson reads that change what pgdrift replays, with the type applyIf accepts. */
const KEYS = {
  'migrations-dir': 'string',
  'use-glob': 'boolean',
  'ignore-pattern': 'string',
  schema: 'schema',
  'create-schema': 'boolean',
  'migrations-schema': 'string',
  'create-migrations-schema': 'boolean',
  'migrations-table': 'string',
} as const;
export type ConfigKey = keyof typeof KEYS;

/** Keys a team may write believing node-pg-migrate reads them; it does not (readJson reads the long flag names only). */
const UNREAD_KEYS: Record<string, string> = {
  migrationsDir: 'migrations-dir',
  migrationsTable: 'migrations-table',
  migrationsSchema: 'migrations-schema',
  createSchema: 'create-schema',
  createMigrationsSchema: 'create-migrations-schema',
  ignorePattern: 'ignore-pattern',
  useGlob: 'use-glob',
  'single-transaction': '--single-transaction',
  singleTransaction: '--single-transaction',
};

/** A value a config source gives a key, and where it is written (`config/default.json "db"."migrations-table"`). */
export interface ConfigValue {
  value: string | boolean | string[];
  source: string;
}

export interface NodePgMigrateConfig {
  /** the values of the config sources, the later source over the earlier (flags are under both) */
  values: Partial<Record<ConfigKey, ConfigValue>>;
  notices: string[];
}

/** What a call passes to the CLI about its configuration (undefined: not given; `dynamic`: only the shell knows). */
export interface ConfigFlags {
  configFile?: { text: string; dynamic: boolean };
  configValue?: { text: string; dynamic: boolean };
  envPath?: { text: string; dynamic: boolean };
}

/**
 * The config sources of one call of the CLI run in `cwd` (the folder of the package.json whose script runs it).
 * `env` is the process environment (without .env, which is read here as dotenv would).
 */
export function readNodePgMigrateConfig(cwd: string, root: string, flags: ConfigFlags, env: Record<string, string | undefined>, major: number | undefined): NodePgMigrateConfig {
  const values: NodePgMigrateConfig['values'] = {};
  const notices: string[] = [];
  if (flags.configValue?.dynamic) {
    notices.push(`node-pg-migrate is run with --config-value ${flags.configValue.text}, a value only the shell knows: pgdrift reads no config section, only the flags`);
    return { values, notices };
  }
  const section = flags.configValue?.text ?? 'db';
  const environment = withDotEnv(cwd, root, flags, env, notices);
  if (packageLoads(cwd, root, 'config')) readConfigPackage(cwd, section, environment, values, notices);
  else if (existsSync(path.join(cwd, 'config'))) noticeUnloadedConfigPackage(cwd, root, section, notices);
  if (flags.configFile?.dynamic) notices.push(`node-pg-migrate is run with --config-file ${flags.configFile.text}, a file only the shell knows: pgdrift reads the flags without it`);
  else if (flags.configFile) readConfigFile(cwd, root, flags.configFile.text, section, major, values, notices);
  return { values, notices };
}

/** Variables of `.env` that change which config package files are read. */
const CONFIG_VARIABLES = ['NODE_ENV', 'NODE_CONFIG_ENV', 'NODE_CONFIG_DIR', 'NODE_CONFIG'];

/**
 * process.env over the .env file dotenv loads (`--envPath`, else `.env` in the working directory; never overriding),
 * when the project can load dotenv (the CLI's `tryRequire('dotenv')`; node-pg-migrate does not depend on it).
 */
function withDotEnv(cwd: string, root: string, flags: ConfigFlags, env: Record<string, string | undefined>, notices: string[]): Record<string, string | undefined> {
  if (flags.envPath?.dynamic) {
    notices.push(`node-pg-migrate is run with --envPath ${flags.envPath.text}, a file only the shell knows: pgdrift reads NODE_ENV and NODE_CONFIG* from the environment only`);
    return env;
  }
  const file = path.resolve(cwd, flags.envPath?.text ?? '.env');
  let variables: Record<string, string>;
  try {
    variables = readDotEnv(readFileSync(file, 'utf8'));
  } catch {
    return env; // dotenv.config ignores a missing file
  }
  if (packageLoads(cwd, root, 'dotenv')) return { ...variables, ...env };
  const relevant = CONFIG_VARIABLES.filter((name) => name in variables && env[name] === undefined);
  if (relevant.length > 0) notices.push(`${path.relative(root, file).split(path.sep).join('/')} sets ${relevant.join(', ')}, which node-pg-migrate loads only when the project can load dotenv; it does not depend on "dotenv", so pgdrift left it out`);
  return env;
}

/** `tryRequire(name)` from the working directory: the package installed there or above, or declared as a dependency. */
export function packageLoads(cwd: string, root: string, name: string): boolean {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dependsOn(path.join(dir, 'package.json'), name)) return true;
    if (dir === path.resolve(root) || path.dirname(dir) === dir) return false;
  }
}

function dependsOn(packageJson: string, name: string): boolean {
  try {
    const json = JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, Record<string, string> | undefined>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((key) => json[key]?.[name] !== undefined);
  } catch {
    return false;
  }
}

/**
 * The `config` package's files, as node-config lib/config.js `loadFileConfigs` merges them (extendDeep, later over
 * earlier): NODE_CONFIG_DIR (default ./config), `default`, then NODE_CONFIG_ENV (else NODE_ENV, else `development`; a
 * comma-separated list), `local`, `local-<env>`; then the NODE_CONFIG variable, custom-environment-variables and
 * runtime.json. pgdrift reads the JSON files (comments allowed); a file in another format there is a notice. Files
 * named after the host (`<hostname>.json`) are not read: the host that runs the migrations is not this one.
 */
function readConfigPackage(cwd: string, section: string, env: Record<string, string | undefined>, values: NodePgMigrateConfig['values'], notices: string[]): void {
  const dir = path.resolve(cwd, env.NODE_CONFIG_DIR ?? 'config');
  const envNames = (env.NODE_CONFIG_ENV || env.NODE_ENV || 'development').split(',');
  const baseNames = ['default', ...envNames, 'local', ...envNames.map((name) => `local-${name}`)];
  const entries = existsSync(dir) ? readdirSync(dir) : [];
  let merged: Record<string, unknown> = {};
  for (const base of baseNames) {
    for (const entry of entries.filter((e) => path.parse(e).name === base)) {
      const file = path.join(dir, entry);
      const shown = path.relative(cwd, file).split(path.sep).join('/');
      if (path.extname(entry) !== '.json') {
        notices.push(`${shown} is read by the config package, which node-pg-migrate takes its "${section}" settings from; pgdrift reads only its JSON files: settings written there are left out`);
        continue;
      }
      merged = mergeDeep(merged, readJsonFile(file, shown, true));
    }
  }
  if (env.NODE_CONFIG) {
    try {
      merged = mergeDeep(merged, JSON.parse(env.NODE_CONFIG) as Record<string, unknown>);
    } catch {
      // node-config: "The $NODE_CONFIG environment variable is malformed JSON", and goes on without it
    }
  }
  const mapping = entries.find((e) => path.parse(e).name === 'custom-environment-variables');
  if (mapping) merged = mergeDeep(merged, fromEnvironment(path.join(dir, mapping), cwd, env, notices));
  if (entries.includes('runtime.json')) merged = mergeDeep(merged, readJsonFile(path.join(dir, 'runtime.json'), 'runtime.json', true));
  const sectionValue = atPath(merged, section);
  if (sectionValue !== undefined) applyJson(sectionValue, `${path.relative(cwd, dir).split(path.sep).join('/') || '.'}/ (config package, "${section}", NODE_ENV ${envNames.join(',')})`, values, notices);
  noticeOtherEnvironments(dir, cwd, entries, baseNames, section, env, notices);
}

/**
 * custom-environment-variables.json (node-config `substituteDeep`): each string leaf names the variable whose value the
 * setting takes when it is set and not empty; `{ "__name": VAR, "__format": "json" }` takes its value parsed.
 */
function fromEnvironment(file: string, cwd: string, env: Record<string, string | undefined>, notices: string[]): Record<string, unknown> {
  const shown = path.relative(cwd, file).split(path.sep).join('/');
  if (path.extname(file) !== '.json') {
    notices.push(`${shown} maps variables into the config package's settings; pgdrift reads only its JSON form: left out`);
    return {};
  }
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return env[node] || undefined;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    if ('__name' in node && '__format' in node) {
      const { __name: name, __format: format } = node as { __name: unknown; __format: unknown };
      const value = typeof name === 'string' ? env[name] : undefined;
      if (!value) return undefined;
      if (format === 'json') {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          throw new InputError(`${shown}: ${name} is not JSON (its __format), and the config package fails to load`);
        }
      }
      notices.push(`${shown} maps ${name} with __format ${String(format)}, which pgdrift does not read: left out`);
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const v = walk(value);
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
  return walk(readJsonFile(file, shown, true)) as Record<string, unknown>;
}

/** With NODE_ENV unset (node-config's default, development), a file for another environment that sets what pgdrift uses. */
function noticeOtherEnvironments(dir: string, cwd: string, entries: string[], read: string[], section: string, env: Record<string, string | undefined>, notices: string[]): void {
  if (env.NODE_CONFIG_ENV || env.NODE_ENV) return;
  for (const entry of entries) {
    const base = path.parse(entry).name;
    if (path.extname(entry) !== '.json' || read.includes(base) || base === 'custom-environment-variables' || base === 'runtime') continue;
    let sectionValue: unknown;
    try {
      sectionValue = atPath(readJsonFile(path.join(dir, entry), entry, true), section);
    } catch {
      continue;
    }
    const keys = typeof sectionValue === 'object' && sectionValue !== null ? Object.keys(sectionValue).filter((key) => key in KEYS) : [];
    if (keys.length > 0) {
      const shown = path.relative(cwd, path.join(dir, entry)).split(path.sep).join('/');
      notices.push(`${shown} sets ${keys.join(', ')} for NODE_ENV=${base} (or a host of that name); NODE_ENV is not set, so pgdrift read the config package's default environment (development): set NODE_ENV as the migrations run`);
    }
  }
}

/** A config/ folder the `config` package would read, in a project that cannot load it: said when it holds the section. */
function noticeUnloadedConfigPackage(cwd: string, root: string, section: string, notices: string[]): void {
  const file = path.join(cwd, 'config', 'default.json');
  if (!existsSync(file)) return;
  try {
    if (atPath(readJsonFile(file, 'config/default.json', true), section) === undefined) return;
  } catch {
    return;
  }
  notices.push(`config/default.json has a "${section}" section, which node-pg-migrate reads through the config package; ${path.relative(root, cwd) || 'the project'} does not depend on "config", so pgdrift left it out (node-pg-migrate reads it when the package is installed anyway)`);
}

/** The -f file: resolved from the working directory, loaded with require (v7) or a JSON import (v8+). */
function readConfigFile(cwd: string, root: string, name: string, section: string, major: number | undefined, values: NodePgMigrateConfig['values'], notices: string[]): void {
  const file = path.resolve(cwd, name);
  const shown = path.relative(root, file).split(path.sep).join('/');
  if (!['.json', ''].includes(path.extname(file).toLowerCase())) {
    notices.push(`node-pg-migrate reads its settings from ${shown} (--config-file), a module pgdrift does not run: settings written there are left out`);
    return;
  }
  if (!existsSync(file)) throw new InputError(`${shown}: the config file node-pg-migrate is run with (--config-file ${name}) does not exist; node-pg-migrate stops on it`);
  const json = readJsonFile(file, shown, false);
  const hasSection = typeof json === 'object' && json !== null && !Array.isArray(json) && (json as Record<string, unknown>)[section] !== undefined;
  if (hasSection && major === undefined) {
    notices.push(`${shown} has a "${section}" section: node-pg-migrate 8 and later read it, 7 and earlier the file's top level; pgdrift could not tell the version installed and read the section`);
  }
  const useSection = hasSection && (major === undefined || major >= 8);
  applyJson(useSection ? (json as Record<string, unknown>)[section] : json, useSection ? `${shown} "${section}"` : shown, values, notices);
}

/** readJson: each key present with the type applyIf accepts replaces the value so far. */
function applyJson(json: unknown, source: string, values: NodePgMigrateConfig['values'], notices: string[]): void {
  if (typeof json !== 'object' || json === null) return; // a connection string: nothing pgdrift uses
  const object = json as Record<string, unknown>;
  for (const [key, type] of Object.entries(KEYS) as [ConfigKey, (typeof KEYS)[ConfigKey]][]) {
    if (!(key in object)) continue;
    const value = object[key];
    const accepted = type === 'schema' ? (Array.isArray(value) && value.every((s) => typeof s === 'string')) || (typeof value === 'string' && value.length > 0) : typeof value === type;
    if (accepted) values[key] = { value: value as ConfigValue['value'], source: `${source} "${key}"` };
    else notices.push(`${source} "${key}" is ${JSON.stringify(value)}, which node-pg-migrate ignores (it takes a ${type === 'schema' ? 'schema name or a list of them' : type} there)`);
  }
  for (const [key, read] of Object.entries(UNREAD_KEYS)) {
    if (key in object) notices.push(`${source} "${key}": node-pg-migrate does not read it from a config file (${read.startsWith('--') ? `only the ${read} flag` : `it reads "${read}"`}): pgdrift leaves it out as node-pg-migrate does`);
  }
}

/** A JSON file; `lenient` allows comments and trailing commas (node-config). Bad JSON is an error naming the file and place. */
function readJsonFile(file: string, shown: string, lenient: boolean): unknown {
  const text = readFileSync(file, 'utf8');
  if (!lenient) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new InputError(`${shown}: not JSON, which node-pg-migrate fails to load (${(error as Error).message})`);
    }
  }
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) {
    const before = text.slice(0, errors[0].offset).split('\n');
    throw new InputError(`${shown}:${before.length}:${before[before.length - 1].length + 1}: not JSON (${printParseErrorCode(errors[0].error)}), which the config package fails to load`);
  }
  return json;
}

/** config.get('a.b'): the value at a dotted path. */
function atPath(json: unknown, dotted: string): unknown {
  let node = json;
  for (const key of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** node-config extendDeep: objects merge key by key, anything else (arrays too) replaces. */
function mergeDeep(base: Record<string, unknown>, over: unknown): Record<string, unknown> {
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const bothObjects = [current, value].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    out[key] = bothObjects ? mergeDeep(current as Record<string, unknown>, value) : value;
  }
  return out;
}

/**
 * The major version of node-pg-migrate the project runs: the installed package.json (from `cwd` up to the root), else
 * the first number of the dependency's range (`^7.9.1`: 7); undefined when neither says.
 */
export function nodePgMigrateMajor(cwd: string, root: string): number | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const installed = readJsonQuietly(path.join(dir, 'node_modules', 'node-pg-migrate', 'package.json')) as { version?: unknown } | undefined;
    if (typeof installed?.version === 'string' && /^\d+/.test(installed.version)) return Number(/^\d+/.exec(installed.version)![0]);
    const manifest = readJsonQuietly(path.join(dir, 'package.json')) as Record<string, Record<string, unknown> | undefined> | undefined;
    const range = ['dependencies', 'devDependencies'].map((key) => manifest?.[key]?.['node-pg-migrate']).find((v) => typeof v === 'string') as string | undefined;
    const major = range !== undefined ? /^\s*(?:[\^~]|>=?|=)?\s*v?(\d+)/.exec(range)?.[1] : undefined;
    if (major !== undefined) return Number(major);
    if (dir === path.resolve(root) || path.dirname(dir) === dir) return undefined;
  }
}

function readJsonQuietly(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
