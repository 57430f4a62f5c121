import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isTomlTable, parseToml } from '../util/toml.js';
import { foldersUpTo } from './types.js';

/**
 * The `[migrate]` settings of a crate's `sqlx.toml` (sqlx 0.9, feature `sqlx-toml`; launchbadge/sqlx
 * sqlx-core/src/config/migrate.rs `Config`, kebab-case keys) that change what `sqlx::migrate!()` replays:
 * `migrations-dir` (sqlx-macros-core/src/migrate.rs `default_path`: the folder `migrate!()` reads without a path,
 * relative to the crate root) and `table-name` (`expand_with_path`: the Migrator's history table, "may be
 * schema-qualified and/or contain quotes"). Keys pgdrift does not read and that change the replay are listed in
 * `unread`; a value that is not a string is in `problems`.
 */
export interface SqlxToml {
  /** the file, relative to the project root */
  file: string;
  /** the folder of the file: the crate root `migrations-dir` is relative to */
  dir: string;
  migrationsDir?: string;
  tableName?: string;
  unread: string[];
  problems: string[];
}

const READ_KEYS = new Set(['migrations-dir', 'table-name']);
/** `create-schemas`: the schemas sqlx creates before its table (not in every 0.9 pre-release): not replayed */
const UNREAD_KEYS = new Set(['create-schemas']);

/**
 * The nearest `sqlx.toml` from `from` up to the project root: `sqlx.toml` sits in the crate root (the folder of its
 * Cargo.toml, CARGO_MANIFEST_DIR: sqlx-core/src/config/mod.rs `try_from_crate`), which holds the migrations folder.
 */
export function nearestSqlxToml(from: string, root: string): SqlxToml | undefined {
  const top = path.resolve(root);
  for (const dir of foldersUpTo(from, top)) {
    const found = readSqlxToml(dir, top);
    if (found) return found;
  }
  return undefined;
}

/** `<dir>/sqlx.toml` read as above; undefined when there is none. A file that is not valid TOML is an input error. */
export function readSqlxToml(dir: string, root: string): SqlxToml | undefined {
  const file = path.join(dir, 'sqlx.toml');
  if (!existsSync(file)) return undefined;
  const shown = path.relative(root, file).split(path.sep).join('/') || 'sqlx.toml';
  const result: SqlxToml = { file: shown, dir, unread: [], problems: [] };
  // sqlx's macros refuse a sqlx.toml that does not parse (config/mod.rs ConfigError::Parse): the build stops there
  const document = parseToml(readFileSync(file, 'utf8'), shown, 'sqlx', 'fix the file (sqlx::migrate!() refuses it too), or name the migrations folder with --migrations');
  const migrate = document.migrate;
  if (!isTomlTable(migrate)) return result;
  for (const name of UNREAD_KEYS) if (name in migrate) result.unread.push(`${name} (${shown})`);
  for (const name of READ_KEYS) {
    const value = migrate[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      result.problems.push(`${shown}: migrate.${name} is ${describe(value)}, not a string`);
      continue;
    }
    if (name === 'migrations-dir') result.migrationsDir = value;
    else result.tableName = value;
  }
  return result;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (isTomlTable(value)) return 'a table';
  return `${typeof value === 'object' ? 'a date' : `a ${typeof value}`} (${String(value)})`;
}

/**
 * The schema-qualified name of sqlx's history table from `table-name` as written into its SQL (quoted parts keep
 * their case, unquoted ones fold to lower case; an unqualified one is created in public on a new database).
 */
export function qualifiedTableName(tableName: string): string {
  const parts: string[] = [];
  let rest = tableName.trim();
  while (rest.length > 0) {
    if (rest.startsWith('"')) {
      let end = 1;
      let part = '';
      while (end < rest.length) {
        if (rest[end] === '"' && rest[end + 1] === '"') {
          part += '"';
          end += 2;
        } else if (rest[end] === '"') break;
        else part += rest[end++];
      }
      parts.push(part);
      rest = rest.slice(end + 1);
    } else {
      const dot = rest.indexOf('.');
      parts.push((dot < 0 ? rest : rest.slice(0, dot)).trim().toLowerCase());
      rest = dot < 0 ? '' : rest.slice(dot);
    }
    rest = rest.replace(/^\s*\.\s*/, '');
  }
  return parts.length === 1 ? `public.${parts[0]}` : parts.slice(-2).join('.');
}
