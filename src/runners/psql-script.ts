import path from 'node:path';
import type { PlanProblem } from './types.js';
import type { Substitution } from './substitution.js';
import { lineIndex } from '../util/strings.js';

/**
 * A SQL script as `psql --file <script> --set ON_ERROR_STOP=1` runs it (Sqitch's pg engine), read as psql's lexer reads
 * it (postgres src/bin/psql/psqlscan.l for SQL, psqlscanslash.l for backslash commands; docs app-psql.html):
 * - a backslash outside quotes, comments and dollar quotes starts a meta-command, which runs to the end of the line
 *   (or to the next unquoted backslash: `\\` separates two); `\;` and `\:` are the characters themselves;
 * - `:name` is replaced by the variable's value, `:'name'` by it as a literal (PQescapeLiteral), `:"name"` as an
 *   identifier (PQescapeIdentifier), `:{?name}` by TRUE or FALSE; never inside quotes, dollar quotes or comments, never
 *   in `::`; an undefined variable is left as written (psqlscan.l `{variable}` rules: psql_scan_escape_variable);
 * - `\i` / `\include` read a file relative to psql's working directory, `\ir` / `\include_relative` one relative to the
 *   including file's folder (command.c exec_command_include, process_file); its statements run in place;
 * - `\set name value...` (the values concatenated), `\unset name`; `\if` / `\elif` / `\else` / `\endif` on booleans
 *   (ParseVariableBool), whose inactive branches are neither sent nor interpolated;
 * - display commands (`\echo`, `\qecho`, `\warn`, `\timing`, `\pset`...) change nothing in the database: skipped;
 *   every other meta-command could, and is a problem at its file:line:column.
 * Strings are read with standard_conforming_strings on (Postgres's default since 9.1): `'a\'` is one string. psql's
 * lexer is its own, not the server's: libpg-query's scanner knows no variables and refuses some meta-command arguments
 * (parse.ts scanSqlTokens), so the few states that matter here (quotes, dollar quotes, comments) are read as psqlscan.l
 * reads them.
 *
 * The result is the script cut into runs of whole lines of one file each, in the order psql runs them: an include
 * ends the run of its including file at its line and the included file's runs follow. Each run carries the
 * substitutions that make its lines what psql sends (variables interpolated, meta-commands and inactive branches
 * blanked), so the SQL itself is still parsed by libpg-query, and every position is the file's own.
 */
export interface PsqlSegment {
  /** absolute path of the file the lines belong to */
  path: string;
  /** 0-based lines [startLine, endLine) of that file */
  startLine: number;
  endLine: number;
  /** indices in the file as written */
  substitutions: Substitution[];
  /** what psql runs here that the replay cannot (a refused meta-command, an include cycle): the run fails at it */
  problem?: PlanProblem;
}

export interface PsqlScriptOptions {
  /** psql's working directory: where `\i` paths start */
  cwd: string;
  /** the variables psql starts with (`--set name=value`, in order) */
  variables: Record<string, string>;
  /** reads a file of the project as text; throws (an InputError) for one it refuses, e.g. a link out of the project */
  read(absolute: string): string;
  /** how a file is named in messages (relative to the project root) */
  shown(absolute: string): string;
  /** who runs the script with psql, for messages ("sqitch runs deploy scripts with psql --file") */
  runner: string;
}

/** Meta-commands that only print or format output (psql's help: "General", "Formatting", "Input/Output" echo). */
const DISPLAY_ONLY = new Set(['echo', 'qecho', 'warn', 'timing', 'pset', 'a', 't', 'x', 'C', 'f', 'H', 'T', 'conninfo', 'errverbose', 'p', 'print', 'copyright']);

/** Why a refused meta-command matters, for the ones teams meet. */
const REFUSED_WHY: Record<string, string> = {
  c: 'it connects to another database',
  connect: 'it connects to another database',
  copy: 'it copies rows between a client file and a table',
  gexec: 'it runs each value of the query result as a statement',
  g: 'it sends the query buffer, which pgdrift does not keep',
  gx: 'it sends the query buffer, which pgdrift does not keep',
  gset: 'it stores query results in variables',
  '!': 'it runs a shell command',
  o: 'it sends output to a file or a command',
  out: 'it sends output to a file or a command',
  r: 'it resets the query buffer',
  reset: 'it resets the query buffer',
  lo_import: 'it writes a large object',
  lo_unlink: 'it deletes a large object',
  encoding: 'it changes the client encoding',
  setenv: 'it sets an environment variable',
};

const INCLUDES = new Set(['i', 'include', 'ir', 'include_relative']);
const CONDITIONALS = new Set(['if', 'elif', 'else', 'endif']);

/** Raised inside the walk; becomes the problem of the run it stops. */
class ScriptProblem extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The runs of lines psql runs for `entry`, in order (see the module comment). */
export function psqlScriptSegments(entry: string, options: PsqlScriptOptions): PsqlSegment[] {
  const variables = new Map(Object.entries(options.variables));
  const segments: PsqlSegment[] = [];
  try {
    runFile(path.resolve(entry), options.read(path.resolve(entry)), [], { options, variables, segments });
  } catch (error) {
    if (!(error instanceof ScriptProblem)) throw error;
    segments.push({
      path: error.file,
      startLine: 0,
      endLine: error.line,
      substitutions: [],
      problem: { message: error.message, line: error.line, column: error.column, ...(error.hint ? { hint: error.hint } : {}) },
    });
  }
  return segments;
}

interface Walk {
  options: PsqlScriptOptions;
  variables: Map<string, string>;
  segments: PsqlSegment[];
}

/** One branch level of `\if` (psql's conditional stack, one per file: mainloop.c). */
interface Branch {
  /** this branch's lines are run */
  active: boolean;
  /** some branch of this \if ran already */
  taken: boolean;
  /** the enclosing level was active */
  outerActive: boolean;
  inElse: boolean;
}

/** psqlscan.l's variable_char: [A-Za-z\200-\377_0-9] (any non-ASCII character) */
function isVariableChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code >= 0x80;
}
/** ident_start: [A-Za-z\200-\377_] */
function isIdentStart(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code >= 0x80;
}
/** ident_cont: ident_start, digits and `$` */
const isIdentChar = (c: string) => isVariableChar(c) || c === '$';

/** Reads one file as psql does, pushing its runs (and its includes' runs) to `walk.segments`. */
function runFile(file: string, text: string, stack: string[], walk: Walk): void {
  const { options, variables } = walk;
  const shown = options.shown(file);
  const { lineStarts, lineOf } = lineIndex(text);
  const place = (index: number) => {
    const line = lineOf(index);
    return { line: line + 1, column: [...text.slice(lineStarts[line], index)].length + 1 };
  };
  const problem = (index: number, message: string, hint?: string): ScriptProblem => {
    const at = place(index);
    return new ScriptProblem(file, at.line, at.column, message, hint);
  };

  let substitutions: Substitution[] = [];
  let segmentStart = 0;
  /** SQL (not only blanks and comments) in the current run */
  let hasCode = false;
  /** SQL since the last top-level `;` (an include there would split a statement) */
  let pending = false;
  let parens = 0;
  const branches: Branch[] = [];
  const active = () => branches.length === 0 || branches[branches.length - 1].active;
  /** where the inactive text started (blanked up to the next conditional that makes it active) */
  let inactiveFrom: number | undefined;

  const blank = (start: number, end: number) => {
    if (end > start) substitutions.push({ start, end, value: text.slice(start, end).replace(/[^\n\r]/g, ' ') });
  };
  // the script itself always has a run (an empty one too: psql runs it, and it is reported as applied)
  const closeSegment = (endLine: number, last = false) => {
    if (hasCode || (last && stack.length === 0 && walk.segments.length === 0)) walk.segments.push({ path: file, startLine: segmentStart, endLine, substitutions });
    substitutions = [];
    hasCode = false;
    segmentStart = endLine;
  };
  const code = () => {
    if (!active()) return;
    hasCode = true;
    pending = true;
  };

  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && next === '-') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      // psql's xc: comments nest
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') (depth++, (i += 2));
        else if (text[i] === '*' && text[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
    } else if (c === "'" || ((c === 'E' || c === 'e') && next === "'")) {
      code();
      i = skipQuoted(text, c === "'" ? i : i + 1, "'", c !== "'");
    } else if (c === '"') {
      code();
      i = skipQuoted(text, i, '"', false);
    } else if (c === '$' && dollarTag(text, i) !== undefined) {
      code();
      const tag = dollarTag(text, i)!;
      const close = text.indexOf(tag, i + tag.length);
      i = close < 0 ? n : close + tag.length;
    } else if (isIdentStart(c)) {
      code();
      while (i < n && isIdentChar(text[i])) i++;
    } else if (c === ':' && next === ':') {
      code();
      i += 2;
    } else if (c === ':' && active()) {
      const ref = variableReference(text, i);
      if (ref) {
        const value = variables.get(ref.name);
        if (ref.kind === 'defined') substitutions.push({ start: i, end: ref.end, value: value === undefined ? 'FALSE' : 'TRUE' });
        else if (value !== undefined) substitutions.push({ start: i, end: ref.end, value: ref.kind === 'raw' ? value : ref.kind === 'literal' ? escapeLiteral(value) : escapeIdentifier(value) });
        code();
        i = ref.end;
      } else {
        code();
        i++;
      }
    } else if (c === '\\' && (next === ';' || next === ':')) {
      // psqlscan.l: "\\"[;:] is the character itself (no statement end, no variable)
      if (active()) substitutions.push({ start: i, end: i + 2, value: next });
      code();
      i += 2;
    } else if (c === '\\') {
      const command = readMetaCommand(text, i, active() ? variables : undefined, (at, message) => problem(at, message), (shell) => catOutput(shell, options, (message) => problem(i, message)));
      const end = command.end;
      const name = command.name;
      const wasActive = active();
      if (CONDITIONALS.has(name)) {
        conditional(name, command, branches, (message) => problem(i, message));
        if (!wasActive && active()) {
          blank(inactiveFrom!, i);
          inactiveFrom = undefined;
        }
        blank(i, end);
        if (wasActive && !active()) inactiveFrom = end;
      } else if (!wasActive) {
        // in an inactive branch psql reads the line and does nothing (blanked with the branch)
      } else if (INCLUDES.has(name)) {
        blank(i, end);
        const target = command.args[0];
        if (target === undefined) throw problem(i, `\\${name}: missing the file name`, 'psql refuses \\i without a file (\\i filename)');
        if (pending) throw problem(i, `\\${name} in the middle of a statement: pgdrift cannot replay what psql sends there`, 'end the statement with ; before the include');
        if (target === '-' || target.startsWith('~') || target.startsWith('|')) throw problem(i, `\\${name} ${target}: pgdrift reads only files of the project`);
        const relative = name === 'ir' || name === 'include_relative';
        const included = path.resolve(relative ? path.dirname(file) : options.cwd, target);
        if ([...stack, file].includes(included)) {
          throw problem(i, `\\${name} ${target}: include cycle: ${[...stack, file, included].map(options.shown).join(' includes ')}`, 'psql would include the files again and again until it runs out of open files');
        }
        let includedText: string;
        try {
          includedText = options.read(included);
        } catch (error) {
          throw problem(i, `\\${name} ${target}: ${error instanceof Error ? error.message : String(error)}`);
        }
        closeSegment(lineOf(i) + 1);
        runFile(included, includedText, [...stack, file], walk);
      } else if (name === 'set' || name === 'unset') {
        blank(i, end);
        setVariable(name, command.args, variables, (message, hint) => problem(i, message, hint));
      } else if (DISPLAY_ONLY.has(name) || name === '\\') {
        blank(i, end);
      } else {
        const why = REFUSED_WHY[name] ?? 'psql runs it, and pgdrift cannot tell what it changes';
        throw problem(i, `psql meta-command \\${name}: ${options.runner}, which runs it, but pgdrift cannot replay it (${why})`, name === 'copy' ? 'load data outside the deploy scripts, or use COPY ... FROM a server file in a baseline' : 'remove it if the script does not need it');
      }
      i = end;
    } else {
      if (c === '(') parens++;
      else if (c === ')') parens = Math.max(0, parens - 1);
      if (c === ';' && parens === 0) pending = false;
      else code();
      i++;
    }
  }
  if (branches.length > 0) throw problem(n, `reached the end of ${shown} without finding the closing \\endif`, 'psql fails there: close every \\if with \\endif in the same file');
  closeSegment(lineStarts.length, true);
}

/** The end of a quoted string or identifier starting at `start` (the quote); `escapes`: an E'' string. */
function skipQuoted(text: string, start: number, quote: string, escapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (escapes && c === '\\') i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return text.length;
}

/** A dollar-quote opening at `i` (`$$`, `$tag$`), or undefined (`$1`, a lone `$`). */
function dollarTag(text: string, i: number): string | undefined {
  let j = i + 1;
  if (text[j] === '$') return '$$';
  if (!isIdentStart(text[j] ?? '')) return undefined;
  while (j < text.length && isVariableChar(text[j])) j++;
  return text[j] === '$' ? text.slice(i, j + 1) : undefined;
}

/** `:name`, `:'name'`, `:"name"` or `:{?name}` at `i` (psqlscan.l's variable rules), or undefined. */
function variableReference(text: string, i: number): { name: string; kind: 'raw' | 'literal' | 'identifier' | 'defined'; end: number } | undefined {
  const open = text[i + 1];
  const close = open === "'" ? "'" : open === '"' ? '"' : open === '{' && text[i + 2] === '?' ? '}' : undefined;
  let j = close === '}' ? i + 3 : close ? i + 2 : i + 1;
  const from = j;
  while (j < text.length && isVariableChar(text[j])) j++;
  if (j === from) return undefined;
  const name = text.slice(from, j);
  if (!close) return { name, kind: 'raw', end: j };
  if (text[j] !== close) return undefined;
  return { name, kind: close === "'" ? 'literal' : close === '"' ? 'identifier' : 'defined', end: j + 1 };
}

/** libpq's PQescapeLiteral: quotes doubled, and backslashes doubled behind ` E` when there are any. */
export function escapeLiteral(value: string): string {
  const body = value.replace(/'/g, "''").replace(/\\/g, '\\\\');
  return value.includes('\\') ? ` E'${body}'` : `'${body}'`;
}

/** libpq's PQescapeIdentifier: always quoted, quotes doubled. */
export function escapeIdentifier(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

interface MetaCommand {
  name: string;
  args: string[];
  /** index after the command (its line's end, or the next unquoted backslash) */
  end: number;
}

/**
 * A backslash command at `i` as psqlscanslash.l reads it: the name runs to a blank or a backslash; each argument is
 * read as OT_NORMAL (a '...' string unquoted, with \n \t \b \r \f, octal and hex escapes and '' for a quote; a
 * "..." kept with its quotes; `:name`, `:'name'`, `:"name"` interpolated when `variables` is given); the arguments
 * end at the line's end or at an unquoted backslash. A backquote (a shell command) is a problem.
 */
function readMetaCommand(
  text: string,
  i: number,
  variables: Map<string, string> | undefined,
  problem: (at: number, message: string) => Error,
  backquoted: (command: string) => string = (command) => {
    throw problem(i, `a backquoted shell command (\`${command}\`): pgdrift does not run shell commands`);
  },
): MetaCommand {
  let j = i + 1;
  // `\\` is the separator command; `\!` and `\?` are one character
  if (text[j] === '\\') return { name: '\\', args: [], end: j + 1 };
  const nameStart = j;
  while (j < text.length && !/[\s\\]/.test(text[j])) j++;
  const name = text.slice(nameStart, j);
  const args: string[] = [];
  const wholeLine = name === '!' || name === 'copy' || name === 'help' || name === 'h';
  if (wholeLine) {
    const end = text.indexOf('\n', j);
    return { name, args: [text.slice(j, end < 0 ? text.length : end).trim()], end: end < 0 ? text.length : end };
  }
  for (;;) {
    while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\f')) j++;
    if (j >= text.length || text[j] === '\n' || text[j] === '\\') break;
    let arg = '';
    while (j < text.length && !/[\s\\]/.test(text[j])) {
      const c = text[j];
      if (c === "'") {
        j++;
        while (j < text.length && text[j] !== '\n') {
          if (text[j] === "'" && text[j + 1] === "'") (arg += "'"), (j += 2);
          else if (text[j] === "'") break;
          else if (text[j] === '\\' && j + 1 < text.length) {
            const e = text[j + 1];
            const octal = /^[0-7]{1,3}/.exec(text.slice(j + 1, j + 4));
            const hex = /^x([0-9A-Fa-f]{1,2})/.exec(text.slice(j + 1, j + 4));
            if (octal) (arg += String.fromCharCode(parseInt(octal[0], 8))), (j += 1 + octal[0].length);
            else if (hex) (arg += String.fromCharCode(parseInt(hex[1], 16))), (j += 1 + hex[0].length);
            else (arg += ({ n: '\n', t: '\t', b: '\b', r: '\r', f: '\f' } as Record<string, string>)[e] ?? e), (j += 2);
          } else arg += text[j++];
        }
        if (text[j] !== "'") throw problem(i, `\\${name}: unterminated quoted string`);
        j++;
      } else if (c === '"') {
        const close = skipQuoted(text, j, '"', false);
        arg += text.slice(j, close);
        j = close;
      } else if (c === '`') {
        // psqlscanslash.l: the text up to the next backquote on the line is a shell command; its output replaces it
        const close = text.indexOf('`', j + 1);
        const lineEnd = text.indexOf('\n', j);
        if (close < 0 || (lineEnd >= 0 && close > lineEnd)) throw problem(i, `\\${name}: unterminated quoted string`);
        arg += backquoted(text.slice(j + 1, close));
        j = close + 1;
      } else if (c === ':' && variables) {
        const ref = variableReference(text, j);
        const value = ref && ref.kind !== 'defined' ? variables.get(ref.name) : undefined;
        if (ref && ref.kind === 'defined') (arg += variables.has(ref.name) ? 'TRUE' : 'FALSE'), (j = ref.end);
        else if (ref && value !== undefined) (arg += ref.kind === 'raw' ? value : ref.kind === 'literal' ? escapeLiteral(value) : escapeIdentifier(value)), (j = ref.end);
        else (arg += c), j++;
      } else arg += text[j++];
    }
    args.push(arg);
  }
  return { name, args, end: j };
}

/**
 * The output of a backquoted command (`\set body \`cat templates/page.html\``), for the one command whose output
 * pgdrift can know without running a shell: `cat` of one project file (a plain word, or one in '...' or "..."), read
 * from psql's working directory. psql (psqlscanslash.l evaluate_backtick) drops one trailing newline of the output.
 * Any other command is refused: running a repository's shell commands is not pgdrift's to do.
 */
function catOutput(shell: string, options: PsqlScriptOptions, problem: (message: string) => Error): string {
  const cat = /^\s*cat\s+(?:'([^']*)'|"([^"$`\\]*)"|([^\s'"$`\\;&|<>()*?[\]{}~]+))\s*$/.exec(shell);
  const target = cat ? (cat[1] ?? cat[2] ?? cat[3]) : undefined;
  if (target === undefined) throw problem(`a backquoted shell command (\`${shell}\`): pgdrift does not run shell commands (only \`cat <file>\` of a project file is read)`);
  let output: string;
  try {
    output = options.read(path.resolve(options.cwd, target));
  } catch (error) {
    throw problem(`\`${shell}\`: ${error instanceof Error ? error.message : String(error)}`);
  }
  return output.endsWith('\n') ? output.slice(0, -1) : output;
}

/** psql's \set and \unset (command.c exec_command_set): the values concatenated; the variables that change how the script runs refused. */
function setVariable(command: 'set' | 'unset', args: string[], variables: Map<string, string>, problem: (message: string, hint?: string) => Error): void {
  const [name, ...values] = args;
  if (name === undefined) {
    if (command === 'unset') throw problem('\\unset: missing the variable name');
    return; // \set alone lists the variables
  }
  if (!/^[A-Za-z0-9_\u0080-\uffff]+$/.test(name)) throw problem(`\\${command}: invalid variable name "${name}"`);
  let value: string | undefined = command === 'set' ? values.join('') : undefined;
  if (name === 'AUTOCOMMIT' || name === 'ON_ERROR_ROLLBACK' || name === 'ON_ERROR_STOP' || name === 'SINGLESTEP') {
    // startup.c bool_substitute_hook (and ON_ERROR_ROLLBACK's): `\unset FOO` is `\set FOO off`, `\set FOO` is `\set FOO on`
    value = value === undefined ? 'off' : value === '' ? 'on' : value;
    const on = parseBool(value);
    const harmless = name === 'ON_ERROR_STOP' || name === 'AUTOCOMMIT' ? on === true : on === false;
    if (!harmless) throw problem(`\\${command} ${name}${command === 'set' ? ` ${values.join('')}` : ''}: it changes how psql runs the script's statements, which pgdrift replays as psql --set ON_ERROR_STOP=1 does in autocommit mode`, 'remove it, or replay the script with psql');
  }
  if (value === undefined) variables.delete(name);
  else variables.set(name, value);
}

/** psql's ParseVariableBool: a prefix of true/false/yes/no, on/off (two letters at least), 1/0; undefined otherwise. */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  if ('true'.startsWith(v) || 'yes'.startsWith(v) || (v.length >= 2 && 'on'.startsWith(v)) || v === '1') return true;
  if ('false'.startsWith(v) || 'no'.startsWith(v) || (v.length >= 2 && 'off'.startsWith(v)) || v === '0') return false;
  return undefined;
}

/** psql's \if / \elif / \else / \endif (command.c exec_command_if...): one level of the stack each \if. */
function conditional(name: string, command: MetaCommand, branches: Branch[], problem: (message: string) => Error): void {
  const top = branches[branches.length - 1];
  const test = () => {
    const expression = command.args.join(' ');
    const value = parseBool(expression);
    if (value === undefined) throw problem(`\\${name} ${expression}: unrecognized value for a \\${name} expression: Boolean expected`);
    return value;
  };
  if (name === 'if') {
    const outerActive = branches.length === 0 || top.active;
    const value = outerActive ? test() : false;
    branches.push({ active: outerActive && value, taken: value, outerActive, inElse: false });
    return;
  }
  if (!top) throw problem(`\\${name}: no matching \\if`);
  if (name === 'endif') {
    branches.pop();
    return;
  }
  if (top.inElse) throw problem(`\\${name}: after \\else`);
  if (name === 'else') {
    top.inElse = true;
    top.active = top.outerActive && !top.taken;
    top.taken = true;
    return;
  }
  const value = top.outerActive && !top.taken ? test() : false;
  top.active = value;
  top.taken ||= value;
}
