import { readFileSync } from 'node:fs';
import path from 'node:path';
import { forEachSourceFile } from '../util/walk.js';

/**
 * Settings a Go program hands its migration library in code (`goose.SetTableName("migrations")`,
 * `migrate.SetTable(table)`), read from the project's Go files, never run: for the projects that apply their
 * migrations from their own program at start-up, where no command line or config file says them.
 */

/** One call found: where it is, which function, and its string argument when pgdrift can read it. */
export interface GoStringCall {
  /** `internal/storage/migration.go:55` (relative to the root) */
  where: string;
  /** the function named (a capture of the call pattern) */
  call: string;
  /** the (last) argument as written */
  argument: string;
  /** its (last) argument's value: a string literal, or a same-file `name = "value"` (const or var) the call names */
  value?: string;
}

const SKIPPED = new Set(['vendor', 'node_modules', 'testdata', 'third_party']);

/** One search of goStringCalls: the calls matching `pattern` in the files that import `importPath` (one of them). */
export interface GoCallSearch {
  importPath: string | readonly string[];
  /** global; group 1 the function, group 2 its arguments' text */
  pattern: RegExp;
}

/**
 * The calls matching `pattern` (global; group 1 the function, group 2 its arguments' text) in the project's Go
 * files (not tests; up to 2,000 files, four levels down) that import `importPath` (one of them).
 */
export function goStringCalls(root: string, importPath: string | readonly string[], pattern: RegExp): GoStringCall[] {
  return goStringCallSearches(root, [{ importPath, pattern }])[0];
}

/** Several searches over one walk of the project's Go files: the calls each finds, in the order given. */
export function goStringCallSearches(root: string, searches: readonly GoCallSearch[]): GoStringCall[][] {
  const found = searches.map((): GoStringCall[] => []);
  const imports = searches.map(({ importPath }) => (typeof importPath === 'string' ? [importPath] : importPath));
  const isSource = (name: string) => name.endsWith('.go') && !name.endsWith('_test.go');
  forEachSourceFile(root, { skipFolder: (name) => SKIPPED.has(name), accept: isSource, maxFiles: 2000, maxDepth: 4 }, (file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    searches.forEach(({ pattern }, index) => {
      if (!imports[index].some((i) => text.includes(i))) return;
      for (const match of text.matchAll(pattern)) {
        // the last argument (database.NewStore(dialect, "name")); a literal holding a comma is not read
        const argument = match[2].split(',').at(-1)!.trim();
        const value = stringValue(argument, text);
        const line = text.slice(0, match.index).split('\n').length;
        found[index].push({ where: `${path.relative(root, file).split(path.sep).join('/')}:${line}`, call: match[1], argument, ...(value !== undefined ? { value } : {}) });
      }
    });
  });
  return found;
}

/** A Go argument's string value: `"x"` or `` `x` ``, or an identifier given a literal in the same file; else undefined. */
function stringValue(argument: string, text: string): string | undefined {
  const literal = /^"([^"\\]*)"$/.exec(argument)?.[1] ?? /^`([^`]*)`$/.exec(argument)?.[1];
  if (literal !== undefined) return literal;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(argument)) return undefined;
  return new RegExp(`\\b${argument}\\s*(?:string\\s*)?=\\s*"([^"\\\\]*)"`).exec(text)?.[1];
}
