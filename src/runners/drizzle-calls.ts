import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { forEachSourceFile } from '../util/walk.js';
import { closingBrace, isClosing, isOpening, propertyKey, scriptTokens, type ScriptToken } from './script-literals.js';
import { foldersUpTo, isDirectory } from './types.js';

/**
 * drizzle-orm's migrator called from the project's own code (`import { migrate } from
 * 'drizzle-orm/node-postgres/migrator'; await migrate(db, { migrationsFolder: './drizzle', migrationsTable: 'x',
 * migrationsSchema: 'public' })`): every PostgreSQL driver's migrator takes drizzle-orm src/migrator.ts
 * `MigrationConfig { migrationsFolder, migrationsTable?, migrationsSchema? }`, and src/pg-core/dialect.ts `migrate`
 * keeps its log in `migrationsSchema ?? 'drizzle'`.`migrationsTable ?? '__drizzle_migrations'`, whatever
 * drizzle.config says (only `drizzle-kit migrate` reads that). The files are read, never run: only literals count,
 * written in the call or in a `const` of the same file (`const config = { ... } as const; migrate(db, config)`,
 * `{ ...config }`: the same object at run time, checked with drizzle-orm 0.45.4 and PGlite).
 */

/** A setting of one call: a string literal, left out (drizzle's default), or written as something pgdrift cannot read. */
export type CallSetting = { literal: string } | { absent: true } | { computed: string };

/** A migrate() call whose config pgdrift read: each setting as written (a same-file `const` followed). */
export interface DrizzleMigrateCall {
  /** `src/db/migrate.ts:12` (relative to the root) */
  where: string;
  /**
   * the folder it applies (absolute), or the text of a `migrationsFolder` pgdrift cannot resolve; `container`: the
   * absolute path as written (`/app/drizzle`, a Dockerfile's WORKDIR), which `path` maps into the project
   */
  folder: { path: string; container?: string } | { computed: string };
  table: CallSetting;
  schema: CallSetting;
}

/** A migrate() call whose config argument pgdrift cannot read (`migrate(db, getConfig())`, an imported object): its text. */
export interface UnreadMigrateCall {
  where: string;
  config: { computed: string };
}

/** Build output and dependencies: never the project's own source (dot folders are never entered either). */
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'vendor', 'bower_components']);
const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs|jsx)$/;
/** the modules whose `migrate` this reads: `drizzle-orm/<driver>/migrator`, PostgreSQL drivers only (not mysql2, d1, libsql...) */
const MIGRATOR = /^drizzle-orm\/[\w-]+(\/[\w-]+)?\/migrator$/;
const OTHER_DATABASE = /mysql|sqlite|libsql|\/d1\/|planetscale|tidb|singlestore|\/gel\/|sql-js|mssql|cockroach/;

/**
 * The migrate() calls of drizzle-orm's migrators in the project's JavaScript/TypeScript files (not declaration files,
 * not node_modules nor build output; up to 3,000 files, six levels down).
 */
export function drizzleMigrateCalls(root: string): Array<DrizzleMigrateCall | UnreadMigrateCall> {
  const calls: Array<DrizzleMigrateCall | UnreadMigrateCall> = [];
  const isSource = (name: string) => SOURCE.test(name) && !/\.d\.[mc]?ts$/.test(name);
  forEachSourceFile(root, { skipFolder: (name) => SKIPPED.has(name), accept: isSource, maxFiles: 3000, maxDepth: 6 }, (file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    if (!text.includes('migrator')) return; // (its config may come from another file)
    calls.push(...callsIn(text, file, root));
  });
  return calls;
}

function callsIn(text: string, file: string, root: string): Array<DrizzleMigrateCall | UnreadMigrateCall> {
  const tokens = scriptTokens(text);
  const names = migrateNames(tokens);
  if (names.size === 0) return [];
  const code: Code = { text, tokens, consts: constDeclarations(text, tokens), file, root };
  const calls: Array<DrizzleMigrateCall | UnreadMigrateCall> = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'word' || !names.has(token.text) || tokens[i + 1]?.text !== '(') continue;
    const before = tokens[i - 1]?.text;
    if (before === '.' || before === 'function') continue; // a method of something else, a declaration
    const end = closingBrace(tokens, i + 1);
    const second = secondArgument(tokens, i + 2, end);
    if (second === undefined) continue;
    const argument: Range = [second, expressionEnd(tokens, second, end)];
    const where = `${path.relative(root, file).split(path.sep).join('/')}:${text.slice(0, token.start ?? 0).split('\n').length}`;
    const found = objectProperties(code, argument, 0);
    if (!found) {
      calls.push({ where, config: { computed: shown(text, tokens, argument) } });
      continue;
    }
    const folderValue = found.get('migrationsFolder');
    // migrate() without a folder throws (readMigrationFiles: "Can't find meta/_journal.json file"): it applies nothing
    if (!folderValue) continue;
    const folder = 'computed' in folderValue ? undefined : folderPath(code, folderValue, 0);
    calls.push({
      where,
      folder: folder !== undefined ? folder : { computed: 'computed' in folderValue ? folderValue.computed : shown(text, tokens, folderValue) },
      table: setting(code, found.get('migrationsTable')),
      schema: setting(code, found.get('migrationsSchema')),
    });
  }
  return calls;
}

/** A token range [start, end) of one file. */
type Range = [number, number];

/** One file's text and tokens, with its top-level and nested `const` declarations (name → initializer; null: declared more than once). */
interface Code {
  text: string;
  tokens: ScriptToken[];
  consts: Map<string, Range | null>;
  file: string;
  root: string;
}

/** How deep one value's `const` names are followed (`const a = b`, `const b = { ... }`): a cycle stops here. */
const MAX_DEPTH = 5;

/**
 * Every `const name = <initializer>` of the file, a type annotation allowed (`const config: MigrationConfig = ...`).
 * A name declared twice (two scopes) is null: which one a call sees is not read here.
 */
function constDeclarations(text: string, tokens: ScriptToken[]): Map<string, Range | null> {
  const consts = new Map<string, Range | null>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].text !== 'const' || tokens[i].kind !== 'word' || tokens[i + 1]?.kind !== 'word') continue;
    const name = tokens[i + 1].text;
    let equals = i + 2;
    // a type annotation: up to the `=` at its own depth (not the `=>` of a function type)
    for (let depth = 0; equals < tokens.length; equals++) {
      const t = tokens[equals];
      if (isOpening(t) || t.text === '<') depth++;
      else if (isClosing(t) || (t.text === '>' && tokens[equals - 1]?.text !== '=')) depth--;
      else if (depth === 0 && t.text === '=' && tokens[equals + 1]?.text !== '>' && tokens[equals + 1]?.text !== '=') break;
      else if (depth === 0 && (t.text === ';' || t.text === 'const' || t.text === 'let')) break;
      if (depth < 0) break;
    }
    if (tokens[equals]?.text !== '=') continue;
    const range: Range = [equals + 1, expressionEnd(tokens, equals + 1, tokens.length, text)];
    consts.set(name, consts.has(name) ? null : range);
  }
  return consts;
}

/** Tokens that, ending one line or starting the next, keep an expression going across the line break. */
const CONTINUES_EXPRESSION = new Set(['.', '?', ':', '+', '-', '*', '/', '|', '&', '=', '!', '<', '>', '(', '[', '{', ',', 'as', 'satisfies', 'new']);

/**
 * Where the expression starting at `start` ends: a `,` `;` or closing bracket at its own depth, or (with the text,
 * for a declaration without `;`) a new line that starts a new statement.
 */
function expressionEnd(tokens: ScriptToken[], start: number, limit: number, text?: string): number {
  const continues = CONTINUES_EXPRESSION;
  for (let i = start, depth = 0; i < limit; i++) {
    const t = tokens[i];
    if (depth === 0 && i > start && text !== undefined && t.start !== undefined) {
      const previous = tokens[i - 1];
      const gap = text.slice((previous.start ?? 0) + previous.text.length, t.start);
      if (gap.includes('\n') && !continues.has(previous.text) && !continues.has(t.text)) return i;
    }
    if (isOpening(t)) depth++;
    else if (isClosing(t)) {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (t.text === ',' || t.text === ';')) return i;
  }
  return limit;
}

/** The range without the `as const` / `as T` / `satisfies T` after it, nor the parentheses around it. */
function bare(tokens: ScriptToken[], [start, end]: Range): Range {
  for (let i = start, depth = 0; i < end; i++) {
    if (isOpening(tokens[i])) depth++;
    else if (isClosing(tokens[i])) depth--;
    else if (depth === 0 && i > start && tokens[i].kind === 'word' && (tokens[i].text === 'as' || tokens[i].text === 'satisfies')) {
      end = i;
      break;
    }
  }
  while (tokens[start]?.text === '(' && closingBrace(tokens, start) === end - 1) [start, end] = [start + 1, end - 1];
  return [start, end];
}

/** The initializer of the `const` the range names, when the range is one word declared once in the file. */
function constValue(code: Code, range: Range): Range | undefined {
  const [start, end] = bare(code.tokens, range);
  if (end !== start + 1 || code.tokens[start].kind !== 'word') return undefined;
  return code.consts.get(code.tokens[start].text) ?? undefined;
}

type PropertyValue = Range | { computed: string };

/**
 * The own properties of the object the range holds: an object literal, or a `const` of the file holding one, each
 * value's token range. A spread (`...config`) of such an object adds its properties; a spread pgdrift cannot read
 * makes each of migrate()'s settings not written after it unknown. Undefined when the range is no such object.
 */
function objectProperties(code: Code, range: Range, depth: number): Map<string, PropertyValue> | undefined {
  const { tokens } = code;
  if (depth > MAX_DEPTH) return undefined;
  const named = constValue(code, range);
  if (named) return objectProperties(code, named, depth + 1);
  const [open, end] = bare(tokens, range);
  if (tokens[open]?.text !== '{' || closingBrace(tokens, open) !== end - 1) return undefined;
  const close = end - 1;
  const found = new Map<string, PropertyValue>();
  for (let i = open + 1; i < close; ) {
    const itemEnd = expressionEnd(tokens, i, close);
    const key = propertyKey(tokens, i);
    if (tokens[i].text === '.' && tokens[i + 1]?.text === '.' && tokens[i + 2]?.text === '.') {
      const spread: Range = [i + 3, itemEnd];
      const inner = objectProperties(code, spread, depth + 1);
      if (inner) for (const [name, value] of inner) found.set(name, value);
      else for (const name of SETTINGS) found.set(name, { computed: `...${shown(code.text, tokens, spread)}` });
    } else if (key !== undefined) {
      found.set(key, [i + 2, itemEnd]);
    } else if (tokens[i].kind === 'word' && itemEnd === i + 1) {
      // shorthand `{ migrationsFolder }`: a variable's value
      found.set(tokens[i].text, [i, i + 1]);
    }
    i = itemEnd + 1;
  }
  return found;
}

const SETTINGS = ['migrationsFolder', 'migrationsTable', 'migrationsSchema'];

function setting(code: Code, value: PropertyValue | undefined, depth = 0): CallSetting {
  if (!value) return { absent: true };
  if (!Array.isArray(value)) return value;
  const [start, end] = bare(code.tokens, value);
  if (end === start + 1 && code.tokens[start].kind === 'string') return { literal: code.tokens[start].text };
  const named = depth < MAX_DEPTH ? constValue(code, value) : undefined;
  if (named) {
    const resolved = setting(code, named, depth + 1);
    if ('literal' in resolved) return resolved;
  }
  return { computed: shown(code.text, code.tokens, value) };
}

/** The local names of `migrate` imported from a drizzle-orm migrator (`import { migrate as runMigrations } from ...`, `const { migrate } = require(...)`). */
function migrateNames(tokens: ScriptToken[]): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'string' || !MIGRATOR.test(token.text) || OTHER_DATABASE.test(token.text)) continue;
    // `} from '<module>'`, `} = require('<module>')`, `} = await import('<module>')`
    let close = i - 1;
    if (tokens[close]?.text === 'from') close--;
    else if (tokens[close]?.text === '(' && (tokens[close - 1]?.text === 'require' || tokens[close - 1]?.text === 'import')) {
      close -= 2;
      if (tokens[close]?.text === 'await') close--;
      if (tokens[close]?.text !== '=') continue;
      close--;
    } else continue;
    if (tokens[close]?.text !== '}') continue;
    let open = close;
    while (open > 0 && tokens[open].text !== '{') open--;
    for (let j = open + 1; j < close; j++) {
      if (tokens[j].text !== 'migrate') continue;
      // `migrate as name` (import) or `migrate: name` (destructuring)
      const alias = tokens[j + 1]?.text === 'as' || tokens[j + 1]?.text === ':' ? tokens[j + 2]?.text : undefined;
      names.add(alias ?? 'migrate');
    }
  }
  return names;
}

/** The token index where the call's second argument starts (after the first `,` at the call's own depth). */
function secondArgument(tokens: ScriptToken[], from: number, end: number): number | undefined {
  for (let i = from, depth = 0; i < end; i++) {
    if (isOpening(tokens[i])) depth++;
    else if (isClosing(tokens[i])) depth--;
    else if (depth === 0 && tokens[i].text === ',') return i + 1;
  }
  return undefined;
}

/** A value as written in the file (white space collapsed), for a notice. */
function shown(text: string, tokens: ScriptToken[], [start, end]: [number, number]): string {
  const from = tokens[start]?.start ?? 0;
  const to = tokens[end]?.start ?? text.length;
  const written = text.slice(from, to).trim().replace(/\s+/g, ' ');
  return written.length > 80 ? `${written.slice(0, 77)}...` : written;
}

/**
 * The folder a `migrationsFolder` value names, absolute: a string literal, relative to the working directory the
 * program runs in, taken as the folder of the file's nearest package.json (npm runs a package's scripts there);
 * `path.join`/`path.resolve` (or `join`/`resolve`) of literals, after `__dirname`, `import.meta.dirname`,
 * `path.dirname(fileURLToPath(import.meta.url))` or `process.cwd()`; `__dirname + '/x'`;
 * `fileURLToPath(new URL('x', import.meta.url))` and `new URL('x', import.meta.url).pathname` (a bare URL object
 * is no folder to drizzle: readMigrationFiles builds `${migrationsFolder}/meta/_journal.json`, "file:///…", and
 * throws "Can't find meta/_journal.json file"; checked with drizzle-orm 0.45.4 and PGlite); a `const` of the file
 * holding one of those. An absolute path outside the project (`/app/drizzle`, a container's WORKDIR) is mapped to
 * the project's folder of that name (containerFolder). Undefined for anything else (an environment variable).
 */
function folderPath(code: Code, range: Range, depth: number): { path: string; container?: string } | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const named = constValue(code, range);
  if (named) return folderPath(code, named, depth + 1);
  const { file, root } = code;
  const [start, end] = bare(code.tokens, range);
  const words = code.tokens.slice(start, end);
  const cwd = packageFolder(file, root);
  // a path as the program has it, relative to its working directory
  const fromCwd = (parts: string[]) => (parts.length > 0 && path.isAbsolute(parts[0]) ? containerFolder(path.resolve(...parts), cwd, root) : { path: path.resolve(cwd, ...parts) });
  if (words.length === 1 && words[0].kind === 'string') return fromCwd([words[0].text]);
  const at = (i: number) => words[i]?.text;
  const seq = (i: number, ...texts: string[]) => texts.every((text, k) => at(i + k) === text);
  // `[url.]fileURLToPath(import.meta.url)`: the file; the index after it
  const fileUrlPath = (i: number): number | undefined => {
    const from = seq(i, 'url', '.') ? i + 2 : i;
    return seq(from, 'fileURLToPath', '(', 'import', '.', 'meta', '.', 'url', ')') ? from + 8 : undefined;
  };
  // `new URL('x', import.meta.url)`: the folder; the index after it
  const newUrl = (i: number): { dir: string; next: number } | undefined =>
    seq(i, 'new', 'URL', '(') && words[i + 3]?.kind === 'string' && seq(i + 4, ',', 'import', '.', 'meta', '.', 'url', ')') ? { dir: path.resolve(path.dirname(file), words[i + 3].text), next: i + 11 } : undefined;
  // the base: __dirname | import.meta.dirname | path.dirname(fileURLToPath(import.meta.url)) | process.cwd() | a const holding a folder
  const base = (i: number): { dir: string; next: number } | undefined => {
    if (at(i) === '__dirname') return { dir: path.dirname(file), next: i + 1 };
    if (seq(i, 'import', '.', 'meta', '.', 'dirname')) return { dir: path.dirname(file), next: i + 5 };
    if (seq(i, 'process', '.', 'cwd', '(', ')')) return { dir: cwd, next: i + 5 };
    const dirname = seq(i, 'path', '.', 'dirname', '(') ? i + 4 : seq(i, 'dirname', '(') ? i + 2 : undefined;
    const after = dirname !== undefined ? fileUrlPath(dirname) : undefined;
    if (after !== undefined && at(after) === ')') return { dir: path.dirname(file), next: after + 1 };
    if (words[i]?.kind === 'word' && (at(i + 1) === ',' || at(i + 1) === ')' || at(i + 1) === '+')) {
      const constant = constValue(code, [start + i, start + i + 1]);
      const folder = constant ? folderPath(code, constant, depth + 1) : undefined;
      if (folder) return { dir: folder.path, next: i + 1 };
    }
    return undefined;
  };
  // fileURLToPath(new URL('x', import.meta.url)) | new URL('x', import.meta.url).pathname
  const urlFrom = seq(0, 'url', '.') ? 2 : 0;
  if (seq(urlFrom, 'fileURLToPath', '(')) {
    const url = newUrl(urlFrom + 2);
    if (url && url.next === words.length - 1 && at(url.next) === ')') return { path: url.dir };
  }
  const url = newUrl(0);
  if (url && url.next + 2 === words.length && seq(url.next, '.', 'pathname')) return { path: url.dir };
  // path.join( [base ,] 'a' , 'b' )
  const i = seq(0, 'path', '.') ? 2 : 0;
  if ((at(i) === 'join' || at(i) === 'resolve') && at(i + 1) === '(' && at(words.length - 1) === ')') {
    const from = base(i + 2);
    const parts: string[] = [];
    for (let j = from ? from.next : i + 1; j < words.length - 1; j += 2) {
      if (at(j) !== (j === i + 1 ? '(' : ',') || words[j + 1]?.kind !== 'string') return undefined;
      parts.push(words[j + 1].text);
    }
    return from ? { path: path.resolve(from.dir, ...parts) } : parts.length > 0 ? fromCwd(parts) : undefined;
  }
  // __dirname + '/x'
  const from = base(0);
  if (from && at(from.next) === '+' && from.next + 2 === words.length && words[from.next + 1].kind === 'string') return { path: path.resolve(from.dir + words[from.next + 1].text) };
  return undefined;
}

/**
 * An absolute folder outside the project (`/app/drizzle`: the project copied into a container whose WORKDIR is /app)
 * as the project's folder of the same name: the longest tail of the path that is a folder under the file's package,
 * else under the project root (`/usr/src/app/apps/api/drizzle` → apps/api/drizzle). As written when none is.
 */
function containerFolder(written: string, cwd: string, root: string): { path: string; container?: string } {
  const top = path.resolve(root);
  if (written === top || written.startsWith(top + path.sep)) return { path: written };
  const parts = written.split(/[\\/]/).filter((part) => part !== '');
  for (let k = 0; k < parts.length; k++) {
    for (const base of [cwd, top]) {
      const candidate = path.join(base, ...parts.slice(k));
      if (isDirectory(candidate)) return { path: candidate, container: written };
    }
  }
  return { path: written };
}

/** The folder of the file's nearest package.json, up to the project root (the root when there is none). */
function packageFolder(file: string, root: string): string {
  return foldersUpTo(path.dirname(file), root).find((dir) => existsSync(path.join(dir, 'package.json'))) ?? path.resolve(root);
}
