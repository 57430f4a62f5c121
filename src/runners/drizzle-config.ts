import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { scriptInvocations } from './package-scripts.js';
import { closingBrace, isClosing, isOpening, literalValue, propertyKey, scriptTokens, type ScriptToken } from './script-literals.js';
import { foldersUpTo } from './types.js';

/**
 * Where drizzle-kit keeps its migrations log, as drizzle.config names it
 * (https://orm.drizzle.team/docs/drizzle-config-file#migrations: `migrations: { table, schema }`, PostgreSQL
 * defaults `__drizzle_migrations` and `drizzle`); `drizzle-kit migrate` passes them to drizzle-orm's migrate() as
 * `migrationsTable` / `migrationsSchema` (drizzle-orm src/pg-core/dialect.ts `migrate`, 00cbce5).
 */
export interface DrizzleMigrationsLog {
  /** the config file, relative to the project root */
  file: string;
  table?: string;
  schema?: string;
  /** `migrations.prefix`: how drizzle-kit generate names the files (index, timestamp, supabase, unix, none) */
  prefix?: string;
}

/** drizzle-kit's default config files, in the order it looks for them (drizzle-kit src/cli/commands/utils.ts drizzleConfigFromFile). */
const CONFIG_FILES = ['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.json'];

/**
 * The `migrations` settings of the drizzle.config whose `out` is this folder: the nearest config from the folder up
 * to the project root (drizzle-kit reads the one in the folder it runs in: the package's, in a monorepo). The
 * config is read, never run (a pull request's config is code): only string literals count, so a value computed at
 * run time (`process.env.X`) leaves that setting at drizzle's default.
 */
export function drizzleMigrationsLog(folder: string, projectRoot: string = path.dirname(folder)): DrizzleMigrationsLog | undefined {
  const root = path.resolve(projectRoot);
  const found = (file: string, settings: WrittenSettings): DrizzleMigrationsLog => ({ file: path.relative(root, file).split(path.sep).join('/'), table: settings.table, schema: settings.schema, prefix: settings.prefix });
  for (const dir of foldersUpTo(folder, root)) {
    const name = CONFIG_FILES.find((file) => existsSync(path.join(dir, file)));
    if (name) {
      const file = path.join(dir, name);
      const settings = readSettings(file);
      // a config whose literal `out` names another folder is another project's (default out: ./drizzle)
      const out = settings.out === undefined ? 'drizzle' : settings.out;
      if (out === null || path.resolve(dir, out) === path.resolve(folder)) return found(file, settings);
    }
    // a package.json script `drizzle-kit migrate --config server/db/drizzle.config.ts`: the config it names, whose
    // `out` drizzle-kit reads from the script's folder, its working directory (field: Dokploy/dokploy apps/dokploy,
    // its config in server/db/ with `out: "drizzle"` and `migrations: { table: "migrations", schema: "public" }`)
    for (const file of migrateScriptConfigs(dir)) {
      const settings = readSettings(file);
      if (typeof settings.out === 'string' && path.resolve(dir, settings.out) === path.resolve(folder)) return found(file, settings);
    }
    // a config drizzle-kit reads only when a command names it (`drizzle-kit migrate --config drizzle.auth.config.ts`,
    // drizzle-kit src/cli/commands/utils.ts drizzleConfigFromFile): the one whose literal `out` is this folder (field:
    // rajput-hemant/lipi, lib/db/auth-migrations with `migrations: { table: "__lipi_auth_migrations" }`)
    for (const other of namedConfigs(dir)) {
      const file = path.join(dir, other);
      const settings = readSettings(file);
      if (typeof settings.out === 'string' && path.resolve(dir, settings.out) === path.resolve(folder)) return found(file, settings);
    }
  }
  return undefined;
}

/**
 * A journal's or config's "dialect" that names PostgreSQL: drizzle-kit's "postgresql" ("pg" in version 5 journals and
 * configs' `driver`), and "postgres", which no database but PostgreSQL is called (field: nodexxplorer/realityX, whose
 * journal says "postgres" beside a snapshot saying "postgresql", was refused as "not a PostgreSQL project").
 */
export const POSTGRES_DIALECTS = new Set(['postgresql', 'pg', 'postgres']);

/**
 * The folder `drizzle-kit migrate` run in `dir` applies: the `out` of the config it reads there (drizzle-kit src/cli/
 * commands/utils.ts drizzleConfigFromFile: the `--config` a package.json script names, else the first of
 * drizzle.config.ts, .js, .json), when written as a literal (drizzle-kit's default ./drizzle when left out) and the
 * config is for PostgreSQL; undefined otherwise, or when the scripts name configs with different folders.
 */
export function drizzleKitOut(dir: string): { file: string; out: string } | undefined {
  const scripted = migrateScriptConfigs(dir).filter((file) => existsSync(file));
  const name = CONFIG_FILES.find((file) => existsSync(path.join(dir, file)));
  const files = scripted.length > 0 ? [...new Set(scripted)] : name ? [path.join(dir, name)] : [];
  const found = files.map((file) => ({ file, settings: readSettings(file) }));
  if (found.length === 0 || found.some(({ settings }) => settings.out === null || (settings.dialect !== undefined && !POSTGRES_DIALECTS.has(settings.dialect)))) return undefined;
  const outs = new Set(found.map(({ settings }) => path.resolve(dir, settings.out ?? 'drizzle')));
  if (outs.size !== 1) return undefined;
  return { file: found[0].file, out: [...outs][0] };
}

/**
 * The drizzle-kit configs of a folder (the default names and named ones, `drizzle.auth.config.ts`): each with its
 * `out` (absolute; drizzle-kit's default ./drizzle when not written; null when not a literal) and its dialect as
 * written (undefined when not a literal).
 */
export function drizzleConfigsIn(dir: string): Array<{ file: string; out: string | null; dialect?: string }> {
  return [...CONFIG_FILES.filter((name) => existsSync(path.join(dir, name))), ...namedConfigs(dir)].map((name) => {
    const settings = readSettings(path.join(dir, name));
    const out = settings.out === undefined ? 'drizzle' : settings.out;
    return { file: path.join(dir, name), out: out === null ? null : path.resolve(dir, out), ...(settings.dialect !== undefined ? { dialect: settings.dialect } : {}) };
  });
}

/** The configs `drizzle-kit migrate --config <file>` (or `--config=<file>`) names in the package.json scripts of `dir`, absolute. */
function migrateScriptConfigs(dir: string): string[] {
  const files: string[] = [];
  for (const call of scriptInvocations(dir, 'drizzle-kit')) {
    if (call.args[0]?.text !== 'migrate') continue;
    for (const [i, word] of call.args.entries()) {
      const value = word.text === '--config' ? call.args[i + 1] : word.text.startsWith('--config=') ? { text: word.text.slice('--config='.length), dynamic: word.dynamic } : undefined;
      if (value && !value.dynamic && value.text !== '') files.push(path.resolve(dir, value.text));
    }
  }
  return files;
}

/** Other drizzle-kit config files of a folder (`drizzle.auth.config.ts`, `drizzle.config.prod.ts`), by name. */
function namedConfigs(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => !CONFIG_FILES.includes(name) && /^drizzle([.-][\w-]+)*\.config(\.[\w-]+)*\.(ts|mts|cts|js|mjs|cjs|json)$/i.test(name)).sort();
}

/** `out` (null: there, but not a literal), `migrations.table` and `migrations.schema` as written in the file. */
interface WrittenSettings {
  out?: string | null;
  /** `dialect` (drizzle-kit 0.21+), else `driver` of older configs ('pg'), as a literal */
  dialect?: string;
  table?: string;
  schema?: string;
  prefix?: string;
}

function readSettings(file: string): WrittenSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  if (file.endsWith('.json')) {
    const config = parseJsonc(text) as { out?: unknown; migrations?: { table?: unknown; schema?: unknown; prefix?: unknown } } | undefined;
    const literal = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const written = config as { dialect?: unknown; driver?: unknown } | undefined;
    return { out: config?.out === undefined ? undefined : (literal(config.out) ?? null), dialect: literal(written?.dialect) ?? literal(written?.driver), table: literal(config?.migrations?.table), schema: literal(config?.migrations?.schema), prefix: literal(config?.migrations?.prefix) };
  }
  return settingsInScript(scriptTokens(text));
}

/** `out: '<literal>'`, and `table` / `schema` / `prefix` inside `migrations: { ... }`. */
function settingsInScript(tokens: ScriptToken[]): WrittenSettings {
  const settings: WrittenSettings = {};
  for (let i = 0; i < tokens.length; i++) {
    const key = propertyKey(tokens, i);
    if (key === 'out' && settings.out === undefined) settings.out = literalValue(tokens, i + 2) ?? null;
    if ((key === 'dialect' || (key === 'driver' && settings.dialect === undefined)) && literalValue(tokens, i + 2) !== undefined) settings.dialect = literalValue(tokens, i + 2);
    if (key === 'migrations' && tokens[i + 2]?.text === '{') {
      const end = closingBrace(tokens, i + 2);
      let depth = 0; // of brackets inside the migrations object: only its own keys count
      for (let j = i + 3; j < end; j++) {
        const inner = depth === 0 ? propertyKey(tokens, j) : undefined;
        if (inner === 'table') settings.table = literalValue(tokens, j + 2);
        if (inner === 'schema') settings.schema = literalValue(tokens, j + 2);
        if (inner === 'prefix') settings.prefix = literalValue(tokens, j + 2);
        if (isOpening(tokens[j])) depth++;
        else if (isClosing(tokens[j])) depth--;
      }
    }
  }
  return settings;
}
