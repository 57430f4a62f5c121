import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { forEachSourceFile } from '../util/walk.js';
import { closingBrace, isClosing, isOpening, propertyKey, scriptTokens, type ScriptToken } from './script-literals.js';
import { foldersUpTo } from './types.js';

/**
 * drizzle-orm's migrator called from the project's own code (`import { migrate } from
 * 'drizzle-orm/node-postgres/migrator'; await migrate(db, { migrationsFolder: './drizzle', migrationsTable: 'x',
 * migrationsSchema: 'public' })`): every PostgreSQL driver's migrator takes drizzle-orm src/migrator.ts
 * `MigrationConfig { migrationsFolder, migrationsTable?, migrationsSchema? }`, and src/pg-core/dialect.ts `migrate`
 * keeps its log in `migrationsSchema ?? 'drizzle'`.`migrationsTable ?? '__drizzle_migrations'`, whatever
 * drizzle.config says (only `drizzle-kit migrate` reads that). The files are read, never run: only literals count.
 */

/** A setting of one call: a string literal, left out (drizzle's default), or written as something pgdrift cannot read. */
export type CallSetting = { literal: string } | { absent: true } | { computed: string };

export interface DrizzleMigrateCall {
  /** `src/db/migrate.ts:12` (relative to the root) */
  where: string;
  /** the folder it applies (absolute), or the text of a `migrationsFolder` pgdrift cannot resolve */
  folder: { path: string } | { computed: string };
  table: CallSetting;
  schema: CallSetting;
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
export function drizzleMigrateCalls(root: string): DrizzleMigrateCall[] {
  const calls: DrizzleMigrateCall[] = [];
  const isSource = (name: string) => SOURCE.test(name) && !/\.d\.[mc]?ts$/.test(name);
  forEachSourceFile(root, { skipFolder: (name) => SKIPPED.has(name), accept: isSource, maxFiles: 3000, maxDepth: 6 }, (file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    if (!text.includes('migrator') || !text.includes('migrationsFolder')) return;
    calls.push(...callsIn(text, file, root));
  });
  return calls;
}

function callsIn(text: string, file: string, root: string): DrizzleMigrateCall[] {
  const tokens = scriptTokens(text);
  const names = migrateNames(tokens);
  if (names.size === 0) return [];
  const calls: DrizzleMigrateCall[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'word' || !names.has(token.text) || tokens[i + 1]?.text !== '(') continue;
    const before = tokens[i - 1]?.text;
    if (before === '.' || before === 'function') continue; // a method of something else, a declaration
    const end = closingBrace(tokens, i + 1);
    const second = secondArgument(tokens, i + 2, end);
    if (second === undefined || tokens[second]?.text !== '{') continue;
    const close = closingBrace(tokens, second);
    const found = properties(tokens, second, close);
    const folderValue = found.get('migrationsFolder');
    if (!folderValue) continue;
    const folder = folderPath(tokens, folderValue, file, root);
    calls.push({
      where: `${path.relative(root, file).split(path.sep).join('/')}:${text.slice(0, token.start ?? 0).split('\n').length}`,
      folder: folder !== undefined ? { path: folder } : { computed: shown(text, tokens, folderValue) },
      table: setting(text, tokens, found.get('migrationsTable')),
      schema: setting(text, tokens, found.get('migrationsSchema')),
    });
  }
  return calls;
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

/** The own properties of the object literal from `open` to `close`: each value's token range [start, end). */
function properties(tokens: ScriptToken[], open: number, close: number): Map<string, [number, number]> {
  const found = new Map<string, [number, number]>();
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const key = depth === 0 ? propertyKey(tokens, i) : undefined;
    if (key !== undefined && !found.has(key)) {
      let end = i + 2;
      for (let d = 0; end < close && !(d === 0 && tokens[end].text === ','); end++) {
        if (isOpening(tokens[end])) d++;
        else if (isClosing(tokens[end])) d--;
      }
      found.set(key, [i + 2, end]);
    } else if (key === undefined && depth === 0 && tokens[i].kind === 'word' && (tokens[i + 1]?.text === ',' || i + 1 === close) && (tokens[i - 1]?.text === '{' || tokens[i - 1]?.text === ',') && !found.has(tokens[i].text)) {
      // shorthand `{ migrationsFolder }`: a variable's value
      found.set(tokens[i].text, [i, i + 1]);
    }
    if (isOpening(tokens[i])) depth++;
    else if (isClosing(tokens[i])) depth--;
  }
  return found;
}

function setting(text: string, tokens: ScriptToken[], range: [number, number] | undefined): CallSetting {
  if (!range) return { absent: true };
  const [start, end] = range;
  if (end === start + 1 && tokens[start].kind === 'string') return { literal: tokens[start].text };
  return { computed: shown(text, tokens, range) };
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
 * `path.join`/`path.resolve` (or `join`/`resolve`) of `__dirname`, `import.meta.dirname` or `process.cwd()` and
 * literals; `__dirname + '/x'`. Undefined for anything else (a variable, an environment variable, an absolute
 * container path is kept as written: it names no folder of the repository).
 */
function folderPath(tokens: ScriptToken[], [start, end]: [number, number], file: string, root: string): string | undefined {
  const words = tokens.slice(start, end);
  const cwd = packageFolder(file, root);
  if (words.length === 1 && words[0].kind === 'string') return path.resolve(cwd, words[0].text);
  const at = (i: number) => words[i]?.text;
  // the base: __dirname | import.meta.dirname | process.cwd()
  const base = (i: number): { dir: string; next: number } | undefined => {
    if (at(i) === '__dirname') return { dir: path.dirname(file), next: i + 1 };
    if (at(i) === 'import' && at(i + 1) === '.' && at(i + 2) === 'meta' && at(i + 3) === '.' && at(i + 4) === 'dirname') return { dir: path.dirname(file), next: i + 5 };
    if (at(i) === 'process' && at(i + 1) === '.' && at(i + 2) === 'cwd' && at(i + 3) === '(' && at(i + 4) === ')') return { dir: cwd, next: i + 5 };
    return undefined;
  };
  // path.join( base , 'a' , 'b' )
  let i = at(0) === 'path' && at(1) === '.' ? 2 : 0;
  if ((at(i) === 'join' || at(i) === 'resolve') && at(i + 1) === '(' && at(words.length - 1) === ')') {
    const from = base(i + 2);
    if (!from) return undefined;
    const parts: string[] = [];
    for (let j = from.next; j < words.length - 1; j += 2) {
      if (at(j) !== ',' || words[j + 1]?.kind !== 'string') return undefined;
      parts.push(words[j + 1].text);
    }
    return path.resolve(from.dir, ...parts);
  }
  // __dirname + '/x'
  const from = base(0);
  if (from && at(from.next) === '+' && from.next + 2 === words.length && words[from.next + 1].kind === 'string') return path.resolve(from.dir + words[from.next + 1].text);
  return undefined;
}

/** The folder of the file's nearest package.json, up to the project root (the root when there is none). */
function packageFolder(file: string, root: string): string {
  return foldersUpTo(path.dirname(file), root).find((dir) => existsSync(path.join(dir, 'package.json'))) ?? path.resolve(root);
}
