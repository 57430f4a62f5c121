import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { quoteIdentIfNeeded } from '../engine/quote.js';
import { parseSearchPathValue } from '../sql/ast.js';
import { parseSqlOrUndefined } from '../sql/parse.js';
import { UNKNOWN } from './makefile.js';
import type { ShellWord } from './package-scripts.js';
import { programCalls } from './project-commands.js';
import { urlQuery } from './url-search-path.js';
import { byCodeUnits, filesIn, foldersUpTo, isDirectory, isFile, lineCount, manifestAbove, type DiscoveredMigration, type FilePlan, type IgnoredFile, type PlanProblem, type Runner } from './types.js';

/** yoyo/migrations.py `default_migration_table` */
const DEFAULT_MIGRATION_TABLE = '_yoyo_migration';
/** yoyo/scripts/newmigration.py `tempfile_prefix`: `yoyo new`'s editor file, never a migration */
const TEMPFILE_PREFIX = '_tmp_yoyonew';
/**
 * Python's `\s` (str patterns): Unicode whitespace, which unlike JavaScript's `\s` leaves out U+FEFF (a byte order
 * mark is no space to yoyo's directive and comment patterns).
 */
const PY_SPACE = '[ \\t\\n\\r\\f\\v\\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const DIRECTIVE_PY = new RegExp(`^${PY_SPACE}*--${PY_SPACE}*(transactional|depends)${PY_SPACE}*:${PY_SPACE}*([^\\n]*)$`);
const COMMENT_OR_EMPTY_PY = new RegExp(`^(${PY_SPACE}*|${PY_SPACE}*--[^\\n]*)$`);

/** What yoyo reads from the leading comment lines of a `.sql` migration. */
export interface YoyoHeader {
  /** `-- depends:` ids, every such line's together (yoyo joins repeated directives with a space) */
  depends: string[];
  /** a `-- depends:` line is there (`yoyo new` writes one, empty for a first migration) */
  dependsLine: boolean;
  /** `-- transactional:` as written (undefined: not given, so true) */
  transactional?: string;
  /** 0-based line of the transactional directive */
  transactionalLine?: number;
}

/** The index of the next `\n` or `\r` at or after a position (Python's universal newlines), or the text's length. */
function lineBreaks(text: string): (start: number) => number {
  // each searched again only once passed: no scan to the end of a long file for every header line
  const next = (character: string, start: number) => {
    const at = text.indexOf(character, start);
    return at < 0 ? text.length : at;
  };
  let newline = -1;
  let carriage = -1;
  return (start) => {
    if (newline !== text.length && newline < start) newline = next('\n', start);
    if (carriage !== text.length && carriage < start) carriage = next('\r', start);
    return Math.min(newline, carriage);
  };
}

/**
 * yoyo/migrations.py parse_metadata_from_sql_comments: from the top of the file, lines that are blank or `--`
 * comments, until the first other line; among them `-- depends: …` and `-- transactional: …` (names case-sensitive,
 * a repeated one appended with a space). yoyo reads the file in Python's text mode, whose universal newlines make
 * `\r\n` and `\r` a `\n`: no carriage return is left for a value to end with. yoyo applies it to the first statement
 * sqlparse splits off, which starts at the file's first non-blank character: the same lines.
 */
export function readYoyoHeader(text: string): YoyoHeader {
  const header: YoyoHeader = { depends: [], dependsLine: false };
  let depends: string | undefined;
  // line by line from the top, only as far as the header goes (detection reads every .sql file of a folder this way)
  const breaks = lineBreaks(text);
  for (let index = 0, start = 0; start <= text.length; index++) {
    const end = breaks(start);
    const line = text.slice(start, end);
    start = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
    const match = DIRECTIVE_PY.exec(line);
    if (match) {
      const [, key, value] = match;
      if (key === 'depends') depends = depends === undefined ? value : `${depends} ${value}`;
      else {
        header.transactional = header.transactional === undefined ? value : `${header.transactional} ${value}`;
        header.transactionalLine ??= index;
      }
    } else if (!COMMENT_OR_EMPTY_PY.test(line)) break;
  }
  // `directives.get("depends", "").split()`: Python's split() on any whitespace
  header.dependsLine = depends !== undefined;
  header.depends = (depends ?? '').split(new RegExp(`${PY_SPACE}+`)).filter(Boolean);
  return header;
}

interface Candidate {
  /** relative to the folder, forward slashes */
  name: string;
  /** yoyo's migration id: the file name without its extension */
  id: string;
  python: boolean;
  postApply: boolean;
  depends: string[];
  /** a Python migration with no code (`__init__.py`, only comments): it has no steps */
  empty?: boolean;
}

/** Python's os.path.splitext on a base name: a leading dot does not start the extension. */
function splitExt(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(name.slice(0, dot + 1))) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/**
 * A Python migration's `__depends__`, when the module sets it to a literal of strings (`{'a', 'b'}`, `['a']`, `'a'`):
 * the dependencies yoyo reads after running the module. Anything else is unknown here (undefined).
 */
export function pythonDepends(text: string): string[] | undefined {
  const match = /^__depends__[ \t]*=[ \t]*(.*)$/m.exec(text);
  if (!match) return [];
  let value = match[1].replace(/#.*$/, '').trim();
  // a literal that goes on over lines: up to its closing bracket
  if (/^[[({]/.test(value) && !/[\])}]$/.test(value)) {
    const rest = text.slice(match.index + match[0].length);
    const close = rest.search(/[\])}]/);
    if (close === -1) return undefined;
    value = `${value}${rest.slice(0, close + 1)}`.replace(/#[^\n]*/g, '');
  }
  const inner = /^[[({]([\s\S]*)[\])}]$/.exec(value)?.[1] ?? value;
  const items = inner.split(',').map((item) => item.trim()).filter(Boolean);
  const ids: string[] = [];
  for (const item of items) {
    const string = /^[rRbBuU]?(['"])(.*)\1$/.exec(item);
    if (!string) return undefined;
    ids.push(string[2]);
  }
  return ids;
}

/** A Python file without statements: only blank lines, comments and a docstring-free body (an `__init__.py`). */
function emptyPython(text: string): boolean {
  return text.split(/\r\n|\r|\n/).every((line) => /^\s*(#.*)?$/.test(line));
}

function readText(folder: string, name: string): string {
  try {
    return readFileSync(path.join(folder, name), 'utf8');
  } catch {
    return '';
  }
}

/**
 * yoyo/topologicalsort.py topological_sort (yoyo 8.0's "more stable sort order"): items tagged with their input order
 * in a heap; a popped item whose dependencies are not all out waits until they are, then goes back in the heap. So
 * each step takes the earliest item (in input order) whose dependencies are all applied. Undefined on a cycle.
 */
export function yoyoOrder<T>(items: T[], dependencies: (item: T) => T[]): T[] | undefined {
  const done = new Set<T>();
  const out: T[] = [];
  const left = [...items];
  while (left.length > 0) {
    const next = left.findIndex((item) => dependencies(item).every((d) => done.has(d) || !items.includes(d)));
    if (next === -1) return undefined;
    const [item] = left.splice(next, 1);
    done.add(item);
    out.push(item);
  }
  return out;
}

/**
 * yoyo-migrations (8.2.0, yoyo/migrations.py, yoyo/backends/base.py and backends/core/postgresql.py; sr.ht ~olly/yoyo,
 * the same files in the GitHub mirror Rolleander/yoyo_mirror).
 * - Discovery (`_expand_sources`, `_is_migration_file`, `read_migrations`): the files of each source folder (os.listdir,
 *   no sub-folders) whose extension is `.sql` or `.py` (case-sensitive) and whose name does not start with
 *   `_tmp_yoyonew`, sorted by path; `X.rollback.sql` is skipped (it is the rollback of `X.sql`). The id is the file
 *   name without its extension; a name starting with `post-apply` is a post-apply hook. Two files with one id stop yoyo
 *   (MigrationConflict).
 * - Order (`topological_sort`, yoyo/topologicalsort.py): the sources' files in order, then each migration after the
 *   ones its `-- depends:` (or a Python migration's `__depends__`) names, earliest first; an unknown id stops yoyo
 *   ("Could not resolve dependencies"), a cycle too. Post-apply hooks run after all migrations, in file order, on every
 *   `yoyo apply` that applies something (`run_post_apply`): on a new database, once at the end.
 * - What runs (`read_sql_migration`): sqlparse.split of the file; the leading comment lines are left out; each
 *   statement is one step, sent with cursor.execute on its own.
 * - Transactions (`Migration.process_steps`, `TransactionWrapper`, `backends/base.py`): by default the migration runs
 *   in one transaction (`BEGIN`), each step in a savepoint (`SAVEPOINT sp_N`), then `COMMIT`. With
 *   `-- transactional: false` (true or false, any case) each statement runs on its own in autocommit.
 * - Session: each migration on a new connection (`apply_one`: `self.copy()`), so a SET (SET ROLE too) does not reach
 *   the next file.
 * - Python (`.py`) migrations run code pgdrift cannot replay: listed as applied by the runner, the replay incomplete.
 * - Bookkeeping (yoyo/internalmigrations v1 and v2, `create_lock_table`): `yoyo_lock`, `_yoyo_log`, `_yoyo_version`
 *   and the migration table (`migration_table` in yoyo.ini or `--migration-table`, default `_yoyo_migration`), in the
 *   connection's current schema.
 * - yoyo.ini (yoyo/config.py, scripts/main.py): the nearest one from the folder yoyo runs in, its DEFAULT section's
 *   `sources` (space-separated folders or globs), `migration_table` and `database`, with `%(here)s` the ini's folder.
 * - The database URL's `?schema=` (backends/core/postgresql.py `connect` / `init_connection`; `--database` of the
 *   project's `yoyo apply` first, else yoyo.ini's): `SET search_path TO <it>` on every connection, so the migrations
 *   run with that search_path and the bookkeeping tables are made in its first schema (which must exist already).
 */
export const yoyo: Runner = {
  name: 'yoyo',
  docs: 'https://ollycope.com/software/yoyo/latest/',
  folders: ['migrations', 'db/migrations'],
  discover(folder, options = {}) {
    const { regular, postApply, ignored, problems } = readSources(folder, options.include);
    // Migration.load: every id a migration depends on must be a migration's (any source's, post-apply hooks too)
    const byId = new Map([...regular, ...postApply].map((c) => [c.id, c]));
    for (const c of [...regular, ...postApply]) {
      const unknown = c.depends.filter((id) => !byId.has(id));
      if (unknown.length > 0) problems.push(`${c.name}: depends on ${unknown.map((id) => `"${id}"`).join(', ')}, which no migration file is: yoyo stops before applying anything (Could not resolve dependencies in ${c.name})`);
    }
    const ordered = yoyoOrder(regular, (c) => c.depends.map((id) => byId.get(id)!).filter(Boolean));
    if (!ordered) {
      const cycle = regular.filter((c) => c.depends.length > 0).map((c) => c.name);
      problems.push(`the -- depends: of ${cycle.join(', ')} form a cycle: yoyo stops before applying anything (Circular dependencies among these migrations)`);
    }
    const all = [...(ordered ?? regular), ...postApply];
    const migrations: DiscoveredMigration[] = [];
    for (const [index, c] of all.entries()) {
      if (c.python) {
        if (c.empty) {
          ignored.push({ name: c.name, reason: 'a Python file without code: yoyo loads it as a migration with no steps', expected: true });
          continue;
        }
        const next = all.slice(index + 1).find((other) => !other.python);
        ignored.push({
          name: c.name,
          reason: `a Python migration (id ${c.id}): yoyo runs the steps its code defines, which pgdrift cannot replay; the replayed schema lacks its effect`,
          appliedByRunner: true,
          ...(next ? { appliedBefore: next.name } : {}),
        });
        continue;
      }
      migrations.push({ name: c.name, version: c.id });
    }
    const notPostgres = otherDatabase(folder, options.projectRoot ?? path.dirname(folder), options.env ?? process.env);
    return { migrations, ignored, problems, ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence(listing) {
    const top = listing.files.filter((name) => !name.includes('/'));
    const sql = top.filter((name) => name.endsWith('.sql') && !name.endsWith('.rollback.sql'));
    const pairs = top.filter((name) => name.endsWith('.rollback.sql') && top.includes(`${name.slice(0, -'.rollback.sql'.length)}.sql`));
    if (pairs.length > 0) return { files: pairs, what: 'X.rollback.sql files beside X.sql (yoyo rollback scripts)' };
    const headed = sql.filter((name) => {
      const header = readYoyoHeader(listing.read(name));
      return header.dependsLine || header.transactional !== undefined;
    });
    if (headed.length > 0) return { files: headed, what: 'leading "-- depends:" or "-- transactional:" comments (yoyo directives)' };
    // a folder of Python migrations only (field: EgorOnishchuk/fastapi-project-template): `from yoyo import step`
    const python = top.filter((name) => name.endsWith('.py') && /^\s*(from\s+yoyo(\.migrations)?\s+import\b|import\s+yoyo\b)/m.test(listing.read(name)));
    if (python.length > 0) return { files: python, what: 'Python migrations that import yoyo' };
    if (sql.length === 0) return undefined;
    const ini = yoyoIniFor(listing.folder, listing.root ?? path.dirname(listing.folder));
    if (ini) {
      const named = ini.sources?.some((source) => path.resolve(source) === path.resolve(listing.folder));
      if (named || path.dirname(ini.file) === path.resolve(listing.folder)) return { files: [path.relative(listing.folder, ini.file).split(path.sep).join('/')], what: `a yoyo.ini${named ? ' whose sources name the folder' : ''}` };
      return { files: [path.relative(listing.folder, ini.file).split(path.sep).join('/')], what: 'a yoyo.ini in the project', weak: true };
    }
    const manifest = PYTHON_MANIFESTS.find((file) => manifestAbove(listing, file, dependsOnYoyo));
    if (manifest) return { files: sql, what: `.sql files in a Python project that depends on yoyo-migrations (${manifest})`, weak: true };
    return undefined;
  },
  plan: planYoyo,
  // read_sql_migration opens the file as UTF-8 (not utf-8-sig): U+FEFF is the first character of the first statement,
  // which neither the comment pattern nor sqlparse's strip() removes
  sendsByteOrderMark: () => true,
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const fromCommands = yoyoCommandFolders(root, options.env ?? process.env);
    if (fromCommands.folders) return fromCommands.folders;
    const ini = yoyoIniFor(folder, root, true);
    // the folder found alone (a conventional `migrations` that is the only source) needs no following
    const onlyThisFolder = ini?.sources?.length === 1 && path.resolve(ini.sources[0]) === path.resolve(folder);
    if (ini?.sources && ini.sources.length > 0 && !onlyThisFolder) {
      return { setting: `sources in ${path.relative(root, ini.file).split(path.sep).join('/')} (${ini.rawSources})`, folders: ini.sources };
    }
    return undefined;
  },
  forProject(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const env = options.env ?? process.env;
    const notices = yoyoCommandFolders(root, env).notices;
    const ini = yoyoIniFor(folder, root, true);
    if (ini?.unknown.length) notices.push(`yoyo: ${path.relative(root, ini.file).split(path.sep).join('/')} sets ${ini.unknown.join('; ')}`);
    const table = yoyoCommandTable(root, env) ?? ini?.migrationTable ?? DEFAULT_MIGRATION_TABLE;
    // `yoyo apply --database` wins over yoyo.ini's `database` (scripts/main.py)
    const searchPath = urlSchemaParameter(yoyoCommandDatabase(root, env) ?? ini?.database);
    const schema = searchPath?.[0] ?? 'public';
    return {
      ...(table !== DEFAULT_MIGRATION_TABLE || schema !== 'public' ? { bookkeeping: bookkeepingTables(table, schema), bookkeepingSetup: bookkeepingSetup(table, schema) } : {}),
      ...(searchPath
        ? { sessionBeforeEachFile: ['RESET ALL', 'RESET ROLE', `SET search_path TO ${searchPath.map((name) => quoteIdentIfNeeded(name)).join(', ')}`], searchPathBeforeEachFile: searchPath }
        : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  },
  // apply_one runs each migration on `self.copy()`, a new connection: RESET ALL leaves a SET ROLE (role is not reset
  // by RESET ALL), which a new connection does not have
  sessionBeforeEachFile: ['RESET ALL', 'RESET ROLE', 'SET search_path TO "$user", public'],
  searchPathBeforeEachFile: ['$user', 'public'],
  compareVersions: byCodeUnits,
  bookkeeping: bookkeepingTables(DEFAULT_MIGRATION_TABLE),
  bookkeepingSetup: bookkeepingSetup(DEFAULT_MIGRATION_TABLE),
  lint: {
    fileNamePattern: /^(\d+[_.-][^/]*|post-apply[^/]*)\.sql$/,
    example: '20240131_01_xAbCd-add-orders.sql',
    sequentialVersions: false,
    transactions: 'yoyo runs each migration in one transaction (each statement in a savepoint) unless its leading comments say "-- transactional: false"',
    outsideTransaction: 'put it in a migration whose leading comments say "-- transactional: false" (yoyo then runs each statement on its own, in autocommit)',
    orderName: "yoyo's order (file names, then each migration after what its -- depends: names)",
    // -- depends: reorders by design: a name that sorts first but runs later is no mistake
    nameOrderWarning: false,
  },
};

/** The migration files of yoyo's sources (`include`: the sources below `folder`, in order; default the folder itself). */
function readSources(folder: string, include: string[] = ['']): { regular: Candidate[]; postApply: Candidate[]; ignored: IgnoredFile[]; problems: string[] } {
  const ignored: IgnoredFile[] = [];
  const problems: string[] = [];
  const regular: Candidate[] = [];
  const postApply: Candidate[] = [];
  const seen = new Map<string, string>();
  for (const sub of include) {
      const source = path.join(folder, sub);
      if (!isDirectory(source)) continue;
      for (const file of filesIn(source)) {
        const name = sub ? `${sub}/${file}` : file;
        const [id, extension] = splitExt(file);
        if (extension !== '.sql' && extension !== '.py') {
          if (extension.toLowerCase() === '.sql') ignored.push({ name, reason: `yoyo reads only files ending in .sql or .py (case-sensitive): it skips ${extension} files` });
          continue;
        }
        if (file.startsWith(TEMPFILE_PREFIX)) {
          ignored.push({ name, reason: "`yoyo new`'s editor file: yoyo skips it", expected: true });
          continue;
        }
        if (file.endsWith('.rollback.sql')) {
          ignored.push({ name, reason: 'a rollback script: yoyo runs it only to roll back the migration of the same name', expected: true });
          continue;
        }
        const first = seen.get(id);
        if (first !== undefined) {
          problems.push(`${name}: yoyo's migration id "${id}" is also ${first}'s: yoyo refuses the sources (MigrationConflict)`);
          continue;
        }
        seen.set(id, name);
        const python = extension === '.py';
        const text = readText(folder, name);
        // a Python migration's __depends__ that is no literal is unknown here: its place follows from its name alone
        const depends = python ? pythonDepends(text) ?? [] : readYoyoHeader(text).depends;
        const candidate: Candidate = { name, id, python, postApply: id.startsWith('post-apply'), depends, ...(python && emptyPython(text) ? { empty: true } : {}) };
        (candidate.postApply ? postApply : regular).push(candidate);
      }
    }
  return { regular, postApply, ignored, problems };
}

/**
 * The ids `yoyo new` writes into a new migration's `-- depends:` (scripts/newmigration.py: `heads(read_migrations(dir))`,
 * sorted): the migrations no other migration depends on, post-apply hooks left out.
 */
export function yoyoHeads(folder: string, include?: string[]): string[] {
  const { regular } = readSources(folder, include);
  const dependedOn = new Set(regular.flatMap((c) => c.depends));
  return regular.filter((c) => !dependedOn.has(c.id)).map((c) => c.id).sort(byCodeUnits);
}

/** The four tables yoyo keeps (internalmigrations v2, `create_lock_table`), in the connection's schema (public). */
function bookkeepingTables(migrationTable: string, schema = 'public'): string[] {
  return [`${schema}.${migrationTable}`, `${schema}._yoyo_log`, `${schema}._yoyo_version`, `${schema}.yoyo_lock`];
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * What yoyo creates on a new database before the first migration (backends/base.py `create_lock_table_sql`,
 * internalmigrations/v1.py then v2.py: v2 drops v1's migration table and creates it anew, so only its DDL is left).
 */
function bookkeepingSetup(migrationTable: string, schema = 'public') {
  // in the schema a `?schema=` of the database URL names (yoyo's connection has it as search_path, its tables go there):
  // yoyo cannot start unless it exists, so the database it runs on has it before any migration
  const inSchema = schema === 'public' ? '' : `${quoteIdentifier(schema)}.`;
  return {
    table: `${schema}.${migrationTable}`,
    sql: [
      ...(schema === 'public' ? [] : [`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`]),
      `CREATE TABLE ${inSchema}"yoyo_lock" (locked INT DEFAULT 1, ctime TIMESTAMP,pid INT NOT NULL,PRIMARY KEY (locked))`,
      `CREATE TABLE ${inSchema}"_yoyo_log" ( id VARCHAR(36), migration_hash VARCHAR(64), migration_id VARCHAR(255), operation VARCHAR(10), username VARCHAR(255), hostname VARCHAR(255), comment VARCHAR(255), created_at_utc TIMESTAMP, PRIMARY KEY (id))`,
      `CREATE TABLE ${inSchema}"_yoyo_version" (version INT NOT NULL PRIMARY KEY, installed_at_utc TIMESTAMP)`,
      `CREATE TABLE ${inSchema}${quoteIdentifier(migrationTable)} ( migration_hash VARCHAR(64), migration_id VARCHAR(255), applied_at_utc TIMESTAMP, PRIMARY KEY (migration_hash))`,
    ].join(';\n'),
  };
}

/**
 * The part of a yoyo `.sql` migration that runs, and how. The whole file (its leading comments are comments to
 * Postgres too): `wrapped` (yoyo's BEGIN … COMMIT, a savepoint per statement), or `none` with
 * `-- transactional: false`. Refused as yoyo would be: a `-- transactional:` value other than true or false
 * (`{"true": True, "false": False}[…]` fails with KeyError), and, in a transactional migration, a COMMIT or ROLLBACK
 * before the last statement (the connection is in autocommit then, so yoyo's next `SAVEPOINT sp_N` fails: 25P01).
 */
export function planYoyo(text: string, name: string): FilePlan {
  const body = text.replace(/^\uFEFF/, '');
  const header = readYoyoHeader(text);
  const lines = lineCount(body);
  let transactional = true;
  if (header.transactional !== undefined) {
    const value = header.transactional.toLowerCase();
    if (value === 'false') transactional = false;
    else if (value !== 'true') {
      const line = header.transactionalLine ?? 0;
      return {
        parts: [],
        problem: { message: `"-- transactional: ${header.transactional}": yoyo reads only true or false there and fails to load the migration (KeyError: '${value}')`, line: line + 1, column: 1, hint: 'write "-- transactional: false" (or remove the line for a transactional migration), with nothing after the value' },
      };
    }
  }
  const plan: FilePlan = { parts: [{ startLine: 0, endLine: lines, transaction: transactional ? 'wrapped' : 'none' }] };
  if (transactional) {
    const problem = transactionEndedEarly(body, name);
    if (problem) plan.problem = problem;
  }
  return plan;
}

function transactionEndedEarly(text: string, name: string): PlanProblem | undefined {
  const statements = parseSqlOrUndefined(text, name)?.statements;
  if (!statements) return undefined; // the replay reports it
  for (const [index, statement] of statements.entries()) {
    if (statement.kind !== 'TransactionStmt' || index === statements.length - 1) continue;
    const kind = statement.ast.kind;
    if (kind !== 'TRANS_STMT_COMMIT' && kind !== 'TRANS_STMT_ROLLBACK' && kind !== 'TRANS_STMT_PREPARE') continue;
    const words = statement.text.trim().split(/\s+/)[0].toUpperCase();
    return {
      message: `${words} ends yoyo's transaction before the migration's last statement: yoyo then opens its next savepoint outside a transaction and fails (SAVEPOINT can only be used in transaction blocks)`,
      line: statement.line,
      column: statement.column ?? 1,
      hint: 'remove the BEGIN/COMMIT (yoyo runs the migration in a transaction of its own), or add "-- transactional: false" to its leading comments',
    };
  }
  return undefined;
}

/** The Python project files that name their dependencies. */
const PYTHON_MANIFESTS = ['pyproject.toml', 'requirements.txt', 'requirements-dev.txt', 'setup.py', 'setup.cfg', 'Pipfile'];

function dependsOnYoyo(text: string): boolean {
  return /(^|[\s"'[,(=])yoyo[-_]migrations\b/im.test(text);
}

interface YoyoIni {
  /** absolute */
  file: string;
  /** `sources`, each resolved against the ini's folder (yoyo resolves them against the folder it runs in) */
  sources?: string[];
  rawSources?: string;
  migrationTable?: string;
  /** `database`: the database URL */
  database?: string;
  /** settings with an interpolation pgdrift does not resolve */
  unknown: string[];
}

/**
 * The yoyo.ini yoyo would read (config.py find_config: the nearest from the folder it runs in up): the nearest from
 * the project root, else (`fromFolder`) from the migrations folder up to the root. Read as ConfigParser reads its
 * DEFAULT section: `key = value` or `key: value`, continuation lines indented, `#`/`;` comment lines, `%(here)s`
 * (the ini's folder) and `%(name)s` from the environment interpolated, `%%` a percent sign.
 */
export function yoyoIniFor(folder: string, root: string, fromFolder = true, env: Record<string, string | undefined> = process.env): YoyoIni | undefined {
  const candidates = [path.join(root, 'yoyo.ini'), ...(fromFolder ? foldersUpTo(folder, root).map((dir) => path.join(dir, 'yoyo.ini')) : [])];
  const file = candidates.find((candidate) => isFile(candidate));
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const values = new Map<string, string>();
  let section = '';
  let last: string | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (/^\s*[#;]/.test(raw) || raw.trim() === '') {
      continue;
    }
    if (/^\s/.test(raw) && last !== undefined) {
      values.set(last, `${values.get(last)}\n${raw.trim()}`);
      continue;
    }
    const header = /^\[(.*)\]\s*$/.exec(raw.trim());
    if (header) {
      section = header[1];
      last = undefined;
      continue;
    }
    const assign = /^([^=:]+)[=:](.*)$/.exec(raw);
    if (!assign) continue;
    const key = assign[1].trim().toLowerCase();
    if (section !== 'DEFAULT') {
      last = undefined;
      continue;
    }
    values.set(key, assign[2].trim());
    last = key;
  }
  const here = path.dirname(file);
  const unknown: string[] = [];
  const interpolate = (key: string): string | undefined => {
    const value = values.get(key);
    if (value === undefined) return undefined;
    let failed = false;
    const out = value.replace(/%\(([^)]+)\)s|%%/g, (whole, name: string | undefined) => {
      if (whole === '%%') return '%';
      const lower = name!.toLowerCase();
      if (lower === 'here') return here;
      const fromEnv = Object.entries(env).find(([k]) => k.toLowerCase() === lower)?.[1];
      if (fromEnv !== undefined) return fromEnv;
      if (values.has(lower) && lower !== key) return values.get(lower)!;
      failed = true;
      return UNKNOWN;
    });
    if (failed) {
      unknown.push(`${key} with an interpolation pgdrift does not resolve`);
      return undefined;
    }
    return out;
  };
  const rawSources = interpolate('sources');
  const migrationTable = interpolate('migration_table');
  const database = interpolate('database');
  return {
    file,
    ...(database ? { database } : {}),
    ...(rawSources !== undefined ? { rawSources, sources: rawSources.split(/\s+/).filter(Boolean).flatMap((source) => sourceFolders(here, source, unknown)) } : {}),
    ...(migrationTable ? { migrationTable } : {}),
    unknown,
  };
}

/**
 * One `sources` entry as _expand_sources reads it: `glob(source)` relative to the folder yoyo runs in (here the ini's),
 * a `*` or `?` matching within one path segment; a `package:<name>:<dir>` source (a Python package's resources) is
 * not followed (`unknown` names it).
 */
function sourceFolders(here: string, source: string, unknown: string[]): string[] {
  if (/^package:/.test(source)) {
    unknown.push(`sources ${source}, a Python package's resources, which pgdrift does not follow`);
    return [];
  }
  if (!/[*?[]/.test(source)) return [path.resolve(here, source)];
  const parts = path.resolve(here, source).split(path.sep);
  let found = [parts[0] || path.sep];
  for (const part of parts.slice(1)) {
    if (!/[*?[]/.test(part)) {
      found = found.map((dir) => path.join(dir, part));
      continue;
    }
    const pattern = new RegExp(`^${part.replace(/[.+^${}()|\\]/g, '\\$&').replaceAll('*', '[^/]*').replaceAll('?', '[^/]').replaceAll('[!', '[^')}$`);
    // Python's glob leaves out names starting with a dot unless the pattern does
    found = found.flatMap((dir) => listDir(dir).filter((name) => pattern.test(name) && (!name.startsWith('.') || part.startsWith('.'))).sort(byCodeUnits).map((name) => path.join(dir, name)));
  }
  return found.filter(isDirectory);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** yoyo/scripts/main.py and migrate.py: the options that take a value; the rest of `yoyo apply`'s words are sources. */
const VALUE_OPTIONS = new Set(['-c', '--config', '-d', '--database', '--migration-table', '-m', '--match', '-r', '--revision']);

interface YoyoCall {
  where: string;
  cwd: string | undefined;
  sources: ShellWord[];
  table?: ShellWord;
  database?: ShellWord;
}

/** The project's `yoyo apply` (or `yoyo-migrate apply`, `yoyo develop`) commands: package.json scripts and recipes. */
function yoyoApplyCalls(root: string, env: Record<string, string | undefined>): YoyoCall[] {
  const calls: YoyoCall[] = [];
  for (const program of ['yoyo', 'yoyo-migrate']) {
    for (const call of programCalls(root, env, program)) {
      const words = call.args;
      const command = words.find((word, i) => !word.text.startsWith('-') && !(i > 0 && VALUE_OPTIONS.has(words[i - 1].text)));
      if (!command || !['apply', 'develop', 'reapply'].includes(command.text)) continue;
      const sources: ShellWord[] = [];
      let table: ShellWord | undefined;
      let database: ShellWord | undefined;
      for (let i = words.indexOf(command) + 1; i < words.length; i++) {
        const word = words[i];
        if (VALUE_OPTIONS.has(word.text)) {
          if (word.text === '--migration-table') table = words[i + 1];
          if (word.text === '--database' || word.text === '-d') database = words[i + 1];
          i++;
        } else if (word.text.startsWith('--migration-table=')) table = { ...word, text: word.text.slice('--migration-table='.length) };
        else if (word.text.startsWith('--database=')) database = { ...word, text: word.text.slice('--database='.length) };
        else if (!word.text.startsWith('-')) sources.push(word);
      }
      calls.push({ where: call.where, cwd: call.cwd, sources, ...(table ? { table } : {}), ...(database ? { database } : {}) });
    }
  }
  return calls;
}

/**
 * The folders the project's `yoyo apply <dir>…` commands name, when they all name the same ones (relative to the folder
 * each runs in); otherwise none, with a notice when they disagree or name a folder only the shell knows.
 */
function yoyoCommandFolders(root: string, env: Record<string, string | undefined>): { folders?: { setting: string; folders: string[] }; notices: string[] } {
  const notices: string[] = [];
  const found = new Map<string, { where: string; folders: string[] }>();
  for (const call of yoyoApplyCalls(root, env)) {
    if (call.sources.length === 0) continue;
    if (call.cwd === undefined || call.sources.some((word) => word.dynamic || word.text.includes(UNKNOWN))) {
      notices.push(`yoyo: ${call.where} applies ${call.sources.map((word) => word.text.replaceAll(UNKNOWN, '…')).join(' ')}, a folder only the shell knows`);
      continue;
    }
    const folders = call.sources.map((word) => path.resolve(call.cwd!, word.text));
    found.set(folders.join('\0'), { where: call.where, folders });
  }
  if (found.size > 1) {
    notices.push(`yoyo: the project's yoyo apply commands name different folders (${[...found.values()].map((f) => `${f.where}: ${f.folders.map((d) => path.relative(root, d) || '.').join(' ')}`).join('; ')}): set "migrations" in pgdrift.config.json to choose`);
    return { notices };
  }
  const only = [...found.values()][0];
  if (!only) return { notices };
  return { folders: { setting: `${only.where} (yoyo apply ${only.folders.map((d) => path.relative(root, d).split(path.sep).join('/') || '.').join(' ')})`, folders: only.folders }, notices };
}

function yoyoCommandTable(root: string, env: Record<string, string | undefined>): string | undefined {
  const tables = yoyoApplyCalls(root, env).flatMap((call) => (call.table && !call.table.dynamic ? [call.table.text] : []));
  return tables[0];
}

/** The database URL of the project's `yoyo apply --database <url>` commands, when one is written out. */
/**
 * The database yoyo's backends (pyproject.toml entry points `yoyo.backends`) run these migrations on when it is not
 * PostgreSQL: the scheme of `yoyo apply --database`, else of yoyo.ini's `database` (`sqlite:///app.db`,
 * `mysql://...`). PostgreSQL's are `postgresql`, `postgres`, `psql` and `postgresql+psycopg`; a URL pgdrift cannot
 * read (an interpolation, a shell variable) is no evidence.
 */
function otherDatabase(folder: string, root: string, env: Record<string, string | undefined>): string | undefined {
  const fromCommand = yoyoCommandDatabase(root, env);
  const ini = fromCommand === undefined ? yoyoIniFor(folder, root, true, env) : undefined;
  const url = fromCommand ?? ini?.database;
  const scheme = url === undefined ? undefined : /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const database = scheme === undefined ? undefined : OTHER_BACKENDS[scheme];
  if (!database) return undefined;
  const where = fromCommand !== undefined ? `the project's yoyo apply --database ${scheme}:…` : `${path.relative(root, ini!.file).split(path.sep).join('/')} database = ${scheme}:…`;
  return `${where} runs yoyo on ${database} (its ${scheme} backend): these are ${database} migrations, not PostgreSQL ones`;
}

/** yoyo's backends for other databases (pyproject.toml `yoyo.backends`: core and contrib). */
const OTHER_BACKENDS: Record<string, string> = {
  sqlite: 'SQLite', mysql: 'MySQL', 'mysql+mysqldb': 'MySQL', odbc: 'an ODBC database', oracle: 'Oracle', snowflake: 'Snowflake', redshift: 'Redshift',
};

function yoyoCommandDatabase(root: string, env: Record<string, string | undefined>): string | undefined {
  return yoyoApplyCalls(root, env).flatMap((call) => (call.database && !call.database.dynamic ? [call.database.text] : []))[0];
}

/**
 * A PostgreSQL URL's `schema` parameter as yoyo reads it (backends/core/postgresql.py: `connect` pops it from the
 * URL's arguments, and `init_connection` runs `SET search_path TO <it>` on every connection, so each migration runs
 * with it and yoyo's tables go to its first schema), as a search_path list; undefined without one.
 */
export function urlSchemaParameter(url: string | undefined): string[] | undefined {
  const value = urlQuery(url)?.get('schema');
  const list = value ? parseSearchPathValue(value) : [];
  return list.length > 0 ? list : undefined;
}
