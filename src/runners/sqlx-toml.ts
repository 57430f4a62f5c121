import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The `[migrate]` settings of a crate's `sqlx.toml` (sqlx 0.9, feature `sqlx-toml`; launchbadge/sqlx
 * sqlx-core/src/config/migrate.rs `Config`, kebab-case keys) that change what `sqlx::migrate!()` replays:
 * `migrations-dir` (sqlx-macros-core/src/migrate.rs `default_path`: the folder `migrate!()` reads without a path,
 * relative to the crate root) and `table-name` (`expand_with_path`: the Migrator's history table, "may be
 * schema-qualified and/or contain quotes"). Keys pgdrift does not read and that change the replay are listed in
 * `unread`; a value it cannot read (not a one-line TOML string) is in `problems`, with its line.
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
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const found = readSqlxToml(dir, top);
    if (found) return found;
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top)) return undefined;
  }
}

/** `<dir>/sqlx.toml` read as above; undefined when there is none. */
export function readSqlxToml(dir: string, root: string): SqlxToml | undefined {
  const file = path.join(dir, 'sqlx.toml');
  if (!existsSync(file)) return undefined;
  const shown = path.relative(root, file).split(path.sep).join('/') || 'sqlx.toml';
  const result: SqlxToml = { file: shown, dir, unread: [], problems: [] };
  let table = '';
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      table = header[1].replace(/\s*\.\s*/g, '.');
      return;
    }
    const equals = line.indexOf('=');
    if (equals < 0) return;
    const key = `${table ? `${table}.` : ''}${line.slice(0, equals).trim().replace(/\s*\.\s*/g, '.')}`;
    if (!key.startsWith('migrate.')) return;
    const name = key.slice('migrate.'.length);
    if (UNREAD_KEYS.has(name)) result.unread.push(`${name} (${shown}:${index + 1})`);
    if (!READ_KEYS.has(name)) return;
    const value = tomlString(line.slice(equals + 1).trim());
    if (value === undefined) {
      result.problems.push(`${shown}:${index + 1}: migrate.${name} is not a one-line TOML string pgdrift can read`);
      return;
    }
    if (name === 'migrations-dir') result.migrationsDir = value;
    else result.tableName = value;
  });
  return result;
}

/** A one-line TOML basic ("...", with escapes) or literal ('...') string, then at most a comment; else undefined. */
function tomlString(text: string): string | undefined {
  if (text.startsWith("'") && !text.startsWith("'''")) {
    const end = text.indexOf("'", 1);
    return end > 0 && /^\s*(#.*)?$/.test(text.slice(end + 1)) ? text.slice(1, end) : undefined;
  }
  if (!text.startsWith('"') || text.startsWith('"""')) return undefined;
  const escapes: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const char = text[i];
    if (char === '"') return /^\s*(#.*)?$/.test(text.slice(i + 1)) ? value : undefined;
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = text[++i];
    if (next in escapes) value += escapes[next];
    else if (next === 'u' || next === 'U') {
      const digits = text.slice(i + 1, i + (next === 'u' ? 5 : 9));
      if (!/^[0-9A-Fa-f]+$/.test(digits)) return undefined;
      value += String.fromCodePoint(parseInt(digits, 16));
      i += digits.length;
    } else return undefined;
  }
  return undefined;
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
