import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reading how a project's package.json scripts call a migration CLI (`"migrate": "node-pg-migrate -m db/migrations
 * up"`): the settings given only as command-line flags. The scripts are split into words as a POSIX shell splits them
 * (npm runs them with `sh -c`), never run: a word holding an expansion (`$DIR`, `$(...)`, a backquote) is kept with
 * `dynamic` set, since its value exists only when the shell runs.
 */

/** One shell word: its text after quote removal, and whether the shell would expand part of it. */
export interface ShellWord {
  text: string;
  dynamic: boolean;
}

/** A script's simple commands (split at `&&`, `||`, `;`, `|`, `&`, newlines and parentheses), each as its words. */
export function shellCommands(script: string): ShellWord[][] | undefined {
  return shellItems(script)?.flatMap((item) => ('words' in item ? [item.words] : []));
}

/** A simple command's words, or one separator character between commands (`;`, `&`, `|`, `(`, `)`, a newline). */
export type ShellItem = { words: ShellWord[] } | { separator: string };

/**
 * A script as the shell reads it: its simple commands, in order, with the separators between them (`&&` is two `&`),
 * for a reader that follows what one command leaves to the next (the working directory a `cd` sets).
 */
export function shellItems(script: string): ShellItem[] | undefined {
  const commands: ShellItem[] = [];
  let words: ShellWord[] = [];
  let word: ShellWord | undefined;
  let skipNextWord = false; // the target of a redirection (`> log.txt`) is no argument
  const endWord = () => {
    if (word) {
      if (skipNextWord) skipNextWord = false;
      else words.push(word);
    }
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push({ words });
    words = [];
  };
  const current = () => (word ??= { text: '', dynamic: false });
  let i = 0;
  while (i < script.length) {
    const c = script[i];
    if (c === '\\') {
      if (script[i + 1] === '\n') i += 2; // a line continuation
      else {
        current().text += script[i + 1] ?? '';
        i += 2;
      }
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) return undefined; // an unterminated quote: sh refuses the script
      current().text += script.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      const w = current();
      i++;
      for (;;) {
        if (i >= script.length) return undefined;
        const d = script[i];
        if (d === '"') break;
        if (d === '\\' && i + 1 < script.length && '$`"\\\n'.includes(script[i + 1])) {
          if (script[i + 1] !== '\n') w.text += script[i + 1];
          i += 2;
        } else if (d === '$' || d === '`') {
          const end = skipExpansion(script, i);
          if (end < 0) return undefined;
          w.dynamic = true;
          w.text += script.slice(i, end);
          i = end;
        } else {
          w.text += d;
          i++;
        }
      }
      i++;
    } else if (c === '$' || c === '`') {
      const end = skipExpansion(script, i);
      if (end < 0) return undefined;
      const w = current();
      w.dynamic = true;
      w.text += script.slice(i, end);
      i = end;
    } else if (c === '#' && word === undefined) {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endCommand();
      commands.push({ separator: c });
      i++;
    } else if (c === '>' || c === '<') {
      // a redirection: a file descriptor number written just before it is part of it (`2>&1`), its target follows
      if (word && /^\d+$/.test(word.text) && !word.dynamic) word = undefined;
      endWord();
      i++;
      while (script[i] === '>' || script[i] === '<' || script[i] === '|') i++;
      if (script[i] === '&') {
        // `>&2`: a descriptor, not a file word
        i++;
        while (/[0-9-]/.test(script[i] ?? '')) i++;
      } else skipNextWord = true;
    } else {
      current().text += c;
      i++;
    }
  }
  endCommand();
  return commands;
}

/** The index after an expansion starting at `start` (`$NAME`, `${...}`, `$(...)`, `` `...` ``), -1 when unterminated. */
function skipExpansion(script: string, start: number): number {
  if (script[start] === '`') {
    const end = script.indexOf('`', start + 1);
    return end < 0 ? -1 : end + 1;
  }
  const next = script[start + 1];
  if (next === '{' || next === '(') {
    const close = next === '{' ? '}' : ')';
    let depth = 0;
    for (let i = start + 1; i < script.length; i++) {
      if (script[i] === next) depth++;
      else if (script[i] === close && --depth === 0) return i + 1;
    }
    return -1;
  }
  const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(script.slice(start + 1));
  return name ? start + 1 + name[0].length : start + 1; // a lone `$` is a literal dollar
}

/** Programs that run the next command (with their own options first): `npx node-pg-migrate up`, `dotenv -- ...`, `go run …/dbmate/v2 up`. */
const LAUNCHERS = new Set(['go', 'npx', 'pnpx', 'pnpm', 'yarn', 'bunx', 'bun', 'npm', 'node', 'tsx', 'ts-node', 'env', 'cross-env', 'cross-env-shell', 'dotenv', 'dotenvx', 'exec']);

/** One call of a program in a package.json script: the script's name, and the words after the program. */
export interface ScriptInvocation {
  /** the package.json, absolute (its folder is the script's working directory) */
  packageJson: string;
  script: string;
  args: ShellWord[];
  /** `NAME=value` words before the program (`DBMATE_MIGRATIONS_DIR=db dbmate up`, `cross-env A=1 dbmate up`): its environment */
  assignments: Map<string, ShellWord>;
}

/**
 * Every call of `program` in the `scripts` of the package.json in `folder` (none when there is no such file or it is
 * not JSON). A command counts when its first word (after `NAME=value` assignments) is the program, or a launcher
 * (`npx`, `pnpm exec`, `node node_modules/.bin/...`, `dotenv --`) followed by it; the program is matched by its
 * file name (`./node_modules/.bin/node-pg-migrate`, `node-pg-migrate@7`).
 */
export function scriptInvocations(folder: string, program: string): ScriptInvocation[] {
  const packageJson = path.join(folder, 'package.json');
  let text: string;
  try {
    text = readFileSync(packageJson, 'utf8');
  } catch {
    return [];
  }
  return invocationsIn(text, program).map((call) => ({ packageJson, ...call }));
}

/** Whether a package.json's text has a script that calls `program` (as scriptInvocations finds calls); not JSON: no. */
export function scriptsRun(packageJsonText: string, program: string): boolean {
  return invocationsIn(packageJsonText, program).length > 0;
}

/** The `scripts` of the package.json in `folder`, name and text (none when there is no such file or it is not JSON). */
export function packageScripts(folder: string): [string, string][] {
  try {
    return scriptsOf(readFileSync(path.join(folder, 'package.json'), 'utf8'));
  } catch {
    return [];
  }
}

function scriptsOf(packageJsonText: string): [string, string][] {
  let scripts: unknown;
  try {
    scripts = (JSON.parse(packageJsonText) as { scripts?: unknown }).scripts;
  } catch {
    return [];
  }
  if (typeof scripts !== 'object' || scripts === null) return [];
  return Object.entries(scripts).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

/** The calls of `program` in the scripts of a package.json's text; none when it is not JSON or has no scripts. */
function invocationsIn(packageJsonText: string, program: string): Omit<ScriptInvocation, 'packageJson'>[] {
  const found: Omit<ScriptInvocation, 'packageJson'>[] = [];
  for (const [script, text] of scriptsOf(packageJsonText)) {
    for (const words of shellCommands(text) ?? []) {
      const call = argumentsOf(words, program);
      if (call) found.push({ script, ...call });
    }
  }
  return found;
}

/**
 * A shell command's call of `program` (its first word after `NAME=value` assignments, or after a launcher such as
 * `npx` or `env`): the words after it and the assignments before it; undefined when the command runs something else.
 * For the readers of other files of shell commands too (a Makefile's recipes).
 */
export function argumentsOf(words: ShellWord[], program: string): Pick<ScriptInvocation, 'args' | 'assignments'> | undefined {
  let k = 0;
  while (k < words.length && ASSIGNMENT.test(words[k].text)) k++;
  const first = words[k];
  if (!first) return undefined;
  const isProgram = (w: ShellWord) => !w.dynamic && programName(w.text) === program;
  let at = k;
  if (!isProgram(first)) {
    if (first.dynamic || !LAUNCHERS.has(programName(first.text))) return undefined;
    at = words.findIndex((w, n) => n > k && isProgram(w));
    if (at < 0) return undefined;
  }
  // the shell's assignments before the command, and those `env` / `cross-env` set for the program
  const assignments = new Map<string, ShellWord>();
  for (const word of words.slice(0, at)) {
    const assignment = ASSIGNMENT.exec(word.text);
    if (assignment) assignments.set(assignment[1], { ...word, text: word.text.slice(assignment[0].length) });
  }
  return { args: words.slice(at + 1), assignments };
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/**
 * `./node_modules/.bin/node-pg-migrate.js` → node-pg-migrate; `node-pg-migrate@7.9.1` → node-pg-migrate; a Go module
 * path run with `go run`, whose last element may be its major version (`github.com/amacneil/dbmate/v2@latest`) →
 * dbmate (go.dev/ref/mod "Major version suffixes").
 */
function programName(word: string): string {
  const parts = word.replace(/\\/g, '/').replace(/@[^@/]*$/, '').split('/');
  const base = parts.length > 1 && /^v\d+$/.test(parts[parts.length - 1]) ? parts[parts.length - 2] : parts[parts.length - 1];
  return base.replace(/\.(c|m)?(js|ts)$/, '');
}
