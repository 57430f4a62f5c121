import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { shellItems, type ShellItem, type ShellWord } from './package-scripts.js';

/**
 * A small reader of a project's Makefile (GNU make), for the migration commands its recipes run: the variables it
 * assigns (`VAR = value`, `VAR := value`, `VAR ?= value`, `VAR += value`, `export`/`override` forms, in `include`d
 * files too, such as `include .env`; `define NAME` … `endef`) and its recipe lines, never run. What needs make itself
 * (functions, `!=`, a value from make's command line) stays unknown: expansions report the names they could not resolve.
 */

/** One variable as the Makefile leaves it. */
export interface MakeVariable {
  value: string;
  /** `=` (expanded when used) rather than `:=` (expanded when assigned) */
  recursive: boolean;
  /** assigned inside ifeq/ifdef…: its value depends on a condition this reader does not evaluate */
  conditional: boolean;
  /** `export`ed: in the environment of the recipes' shell */
  exported: boolean;
}

/** A recipe line (a command the shell runs), with its target and 1-based line. */
export interface MakeRecipe {
  file: string;
  line: number;
  target: string | undefined;
  text: string;
}

export interface Makefile {
  /** absolute path */
  file: string;
  variables: Map<string, MakeVariable>;
  recipes: MakeRecipe[];
  /** a bare `export` line: every variable is exported (make.texi "Communicating Variables to a Sub-make") */
  exportAll?: boolean;
  /** every file read or looked for, the `include`d ones too (for a cache to tell when to read again) */
  files: string[];
}

/** The result of expanding make text: `unknown` names what could not be resolved (left as `\0` in `text`). */
export interface Expansion {
  text: string;
  unknown: string[];
  /** variables assigned under a condition that the text used */
  conditional: string[];
}

export const UNKNOWN = '\0';

/** One shell command of a Makefile recipe, after make's expansion: its words, where it is, and that expansion. */
export interface RecipeCommand {
  /** `Makefile:12 (target migrate-up)` */
  where: string;
  words: ShellWord[];
  /** the recipe line's expansion (the names it could not resolve, those set under a conditional) */
  expansion: Expansion;
  /**
   * The folder the command runs in, absolute: make's (the project root) unless a `cd` of the same recipe line went
   * elsewhere (`cd backend && migrate -path db/migrations … up`); undefined after a `cd` to a folder only the shell
   * knows (`cd "$$DIR"`, `cd` alone: $HOME).
   */
  cwd: string | undefined;
}

/**
 * Every shell command the Makefile's recipes run, expanded as make would (never run): what the runners' readers scan.
 * make.texi "Recipe Execution": each recipe line runs in a new shell, in make's folder, so a `cd` lasts to the end of
 * its line (a `( … )` subshell ends it sooner, and a `cd` in a pipeline or in the background changes nothing: the
 * shell runs those in subshells). `.ONESHELL` is not read.
 */
export function recipeCommands(makefile: Makefile, env: Record<string, string | undefined>, root: string): RecipeCommand[] {
  const commands: RecipeCommand[] = [];
  for (const recipe of makefile.recipes) {
    const expansion = expand(recipe.text, makefile.variables, env, root);
    const where = `${path.basename(recipe.file)}:${recipe.line}${recipe.target ? ` (target ${recipe.target})` : ''}`;
    commands.push(...lineCommands(expansion, where, root));
  }
  return commands;
}

/**
 * The commands of one shell line (already expanded by make or Task), each with the folder it runs in: `cwd` first,
 * then wherever a `cd` of the line went (it lasts to the end of the line; a `( … )` subshell ends it sooner, and a
 * `cd` in a pipeline or in the background changes nothing: the shell runs those in subshells).
 */
export function lineCommands(expansion: Expansion, where: string, cwd: string | undefined): RecipeCommand[] {
  const commands: RecipeCommand[] = [];
  const items = shellItems(expansion.text) ?? [];
  const subshells: (string | undefined)[] = [];
  items.forEach((item, k) => {
    if ('separator' in item) {
      if (item.separator === '(') subshells.push(cwd);
      else if (item.separator === ')' && subshells.length > 0) cwd = subshells.pop();
      return;
    }
    const { words } = item;
    commands.push({ where, words, expansion, cwd });
    if (words[0]?.dynamic || (words[0]?.text !== 'cd' && words[0]?.text !== 'pushd')) return;
    if (inPipelineOrBackground(items, k)) return;
    const target = words.slice(1).find((word) => !/^-[LPe@]+$/.test(word.text)); // cd's -L/-P/-e/-@ options
    const known = target && !target.dynamic && !target.text.includes(UNKNOWN) && target.text !== '-' && !target.text.startsWith('~');
    cwd = known && cwd !== undefined ? path.resolve(cwd, target.text) : undefined;
  });
  return commands;
}

/** Whether the command at `k` is part of a pipeline (`a | b`) or runs in the background (`a &`): not `||` or `&&`. */
function inPipelineOrBackground(items: ShellItem[], k: number): boolean {
  const separator = (at: number) => {
    const item = items[at];
    return item && 'separator' in item ? item.separator : undefined;
  };
  const single = (at: number, step: number) => {
    const s = separator(at);
    return (s === '|' || s === '&') && separator(at + step) !== s && separator(at - step) !== s;
  };
  return single(k + 1, 1) || single(k - 1, -1);
}

/**
 * The environment make gives its recipes' shell (make.texi "Communicating Variables to a Sub-make", "Variables from
 * the Environment"): its own environment, with the value the Makefile leaves to each variable it exports (`export
 * NAME = value`, `export NAME`, a bare `export`) or that came from the environment. A value only make or the shell
 * knows keeps its UNKNOWN marks.
 */
export function recipeEnvironment(makefile: Makefile, env: Record<string, string | undefined>, root: string): Record<string, string | undefined> {
  const out = { ...env };
  for (const [name, variable] of makefile.variables) {
    if (!variable.exported && !makefile.exportAll && env[name] === undefined) continue;
    out[name] = resolve(name, makefile.variables, env, root, new Set()).text;
  }
  return out;
}

/** GNU make's default makefile names, in the order it looks for them (make.texi "What Name to Give Your Makefile"). */
const MAKEFILE_NAMES = ['GNUmakefile', 'makefile', 'Makefile'];

/** The Makefile in `root` (undefined when there is none), read with `env` as make's environment. */
export function readMakefile(root: string, env: Record<string, string | undefined>): Makefile | undefined {
  const name = MAKEFILE_NAMES.find((candidate) => existsSync(path.join(root, candidate)));
  if (!name) return undefined;
  const file = path.join(root, name);
  const makefile: Makefile = { file, variables: new Map(), recipes: [], files: [] };
  readInto(makefile, file, root, env, 0);
  return makefile;
}

function readInto(makefile: Makefile, file: string, root: string, env: Record<string, string | undefined>, depth: number): void {
  makefile.files.push(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return; // `-include` of a missing file; make stops on a missing plain include, which is no setting either
  }
  let target: string | undefined;
  let conditionDepth = 0;
  // make.texi "Defining Multi-Line Variables": `[export|override] define NAME [op]` … `endef` (nested defines counted)
  let define: { statement: string; body: string[]; nested: number; conditional: boolean } | undefined;
  // make.texi "Recipe Syntax": a line starting with a tab is a recipe line in a rule's context, which lasts until
  // another rule or a variable definition; elsewhere (an indented assignment under ifeq) it is a makefile line
  let ruleContext = false;
  for (const { line, tabbed, recipe: recipeText, plain: logical } of logicalLines(text)) {
    if (define) {
      if (/^\s*endef\b/.test(logical) && define.nested-- === 0) {
        // the value is the body's lines joined by newlines, assigned with the define's operator (`=` when none)
        if (define.statement) assign(makefile.variables, `${define.statement}${define.body.join('\n')}`, define.conditional, env, root);
        ruleContext = false;
        define = undefined;
      } else {
        if (/^\s*(?:(?:export|override)\s+)*define\b/.test(logical)) define.nested++;
        define.body.push(logical);
      }
      continue;
    }
    if (tabbed && ruleContext) {
      makefile.recipes.push({ file, line, target, text: recipeText.replace(/^[\s@+-]+/, '') }); // make's @ - + prefixes
      continue;
    }
    const statement = stripComment(logical).trim();
    if (statement === '') continue;
    const defined = /^((?:(?:export|override)\s+)*)define\s+([A-Za-z_][A-Za-z0-9_.-]*)\s*(:{1,3}=|\?=|\+=|!=|=)?\s*$/.exec(statement);
    if (defined) {
      define = { statement: `${defined[1]}${defined[2]} ${defined[3] ?? '='} `, body: [], nested: 0, conditional: conditionDepth > 0 };
      continue;
    }
    const directive = /^(ifeq|ifneq|ifdef|ifndef|else|endif|define|include|-include|sinclude)\b\s*(.*)$/.exec(statement);
    if (directive) {
      const [, word, rest] = directive;
      if (word.startsWith('if')) conditionDepth++;
      else if (word === 'endif') conditionDepth = Math.max(0, conditionDepth - 1);
      else if (word === 'define') define = { statement: '', body: [], nested: 0, conditional: false }; // a name this reader does not read: skipped to its endef
      else if (word !== 'else' && depth < 5) {
        const included = expand(rest, makefile.variables, env, root).text;
        for (const each of included.split(/\s+/).filter((f) => f && !f.includes(UNKNOWN))) readInto(makefile, path.resolve(root, each), root, env, depth + 1);
      }
      continue;
    }
    if (assign(makefile.variables, statement, conditionDepth > 0, env, root)) {
      ruleContext = false;
      continue;
    }
    if (statement === 'export') {
      makefile.exportAll = true;
      continue;
    }
    const exported = /^export\s+([A-Za-z_][A-Za-z0-9_.-]*(?:\s+[A-Za-z_][A-Za-z0-9_.-]*)*)$/.exec(statement);
    if (exported) {
      for (const name of exported[1].split(/\s+/)) {
        const variable = makefile.variables.get(name);
        if (variable) variable.exported = true;
      }
      continue;
    }
    // a rule: `target …: prerequisites [; recipe]`
    const rule = /^([^:=]+?)\s*::?(?!=)(.*)$/.exec(statement);
    if (rule) {
      target = rule[1].trim();
      ruleContext = true;
      const inline = logical.indexOf(';', logical.indexOf(':'));
      if (inline >= 0) makefile.recipes.push({ file, line, target, text: logical.slice(inline + 1).trim() });
    }
  }
}

/**
 * Lines with make's continuations joined, both ways: as a recipe (the backslash-newlines kept for the shell, a
 * leading tab of each next line removed) and as a makefile line (each continuation one space).
 */
function logicalLines(text: string): { line: number; tabbed: boolean; recipe: string; plain: string }[] {
  const raw = text.split(/\r?\n/);
  const out: { line: number; tabbed: boolean; recipe: string; plain: string }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let recipe = raw[i].replace(/^\t/, '');
    let plain = raw[i];
    while (endsWithContinuation(plain) && i + 1 < raw.length) {
      i++;
      recipe = `${recipe}\n${raw[i].replace(/^\t/, '')}`;
      plain = `${plain.slice(0, -1).trimEnd()} ${raw[i].trimStart()}`;
    }
    out.push({ line: start + 1, tabbed: raw[start].startsWith('\t'), recipe, plain });
  }
  return out;
}

function endsWithContinuation(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Drops a `#` comment (outside recipes); `\#` is a literal `#`. */
function stripComment(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && line[i + 1] === '#') {
      out += '#';
      i++;
    } else if (line[i] === '#') break;
    else out += line[i];
  }
  return out;
}

/** Applies `[export|override] NAME op value`; false when the statement is no assignment. */
function assign(variables: Map<string, MakeVariable>, statement: string, conditional: boolean, env: Record<string, string | undefined>, root: string): boolean {
  const match = /^((?:(?:export|override)\s+)*)([A-Za-z_][A-Za-z0-9_.-]*)\s*(:{1,3}=|\?=|\+=|!=|=)\s*(.*)$/s.exec(statement);
  if (!match) return false;
  const [, modifiers, name, op, value] = match;
  const exported = modifiers.includes('export') || variables.get(name)?.exported === true;
  const previous = variables.get(name);
  const fromEnv = env[name];
  if (op === '?=') {
    if (previous || fromEnv !== undefined) return true; // make: only when the variable is not defined (the environment counts)
    variables.set(name, { value, recursive: true, conditional, exported });
  } else if (op === '+=') {
    const base = previous ?? (fromEnv !== undefined ? { value: fromEnv, recursive: false, conditional: false, exported: true } : undefined);
    const appended = base?.recursive === false ? expand(value, variables, env, root).text : value;
    variables.set(name, { value: base ? `${base.value} ${appended}` : value, recursive: base?.recursive ?? true, conditional: conditional || base?.conditional === true, exported });
  } else if (op === '!=') {
    variables.set(name, { value: UNKNOWN, recursive: false, conditional, exported }); // a shell command's output
  } else if (op === '=') {
    variables.set(name, { value, recursive: true, conditional, exported });
  } else {
    variables.set(name, { value: expand(value, variables, env, root).text, recursive: false, conditional, exported });
  }
  return true;
}

/**
 * Expands `$(NAME)`, `${NAME}`, `$X` and `$$` as make does before handing a recipe line to the shell: a variable of
 * the Makefile, else of the environment (make imports it); `CURDIR`, `PWD` and `$(shell pwd)` are the project root
 * (make runs in it). A function, a substitution reference or an undefined variable (maybe given on make's command
 * line) is unknown.
 */
export function expand(text: string, variables: Map<string, MakeVariable>, env: Record<string, string | undefined>, root: string, seen: Set<string> = new Set()): Expansion {
  const result: Expansion = { text: '', unknown: [], conditional: [] };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      result.text += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      result.text += '$';
      i++;
      continue;
    }
    let reference: string;
    if (next === '(' || next === '{') {
      const end = closingIndex(text, i + 1);
      if (end < 0) {
        result.text += text.slice(i);
        break;
      }
      reference = text.slice(i + 2, end);
      i = end;
    } else if (next === undefined) {
      break;
    } else {
      reference = next;
      i++;
    }
    const value = resolve(reference.trim(), variables, env, root, seen);
    result.text += value.text;
    result.unknown.push(...value.unknown);
    result.conditional.push(...value.conditional);
  }
  return result;
}

function resolve(reference: string, variables: Map<string, MakeVariable>, env: Record<string, string | undefined>, root: string, seen: Set<string>): Expansion {
  if (reference === 'CURDIR' || reference === 'PWD' || /^shell\s+pwd$/.test(reference)) return { text: root, unknown: [], conditional: [] };
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(reference)) return { text: UNKNOWN, unknown: [`$(${reference})`], conditional: [] };
  const variable = variables.get(reference);
  if (!variable) {
    const fromEnv = env[reference];
    return fromEnv !== undefined ? { text: fromEnv, unknown: [], conditional: [] } : { text: UNKNOWN, unknown: [reference], conditional: [] };
  }
  const conditional = variable.conditional ? [reference] : [];
  if (variable.value.includes(UNKNOWN)) return { text: variable.value, unknown: [reference], conditional };
  if (!variable.recursive || seen.has(reference)) return { text: variable.value, unknown: [], conditional };
  const inner = expand(variable.value, variables, env, root, new Set([...seen, reference]));
  return { ...inner, conditional: [...conditional, ...inner.conditional] };
}

/** The index of the parenthesis or brace closing the one at `open`, nested ones counted; -1 when unclosed. */
function closingIndex(text: string, open: number): number {
  const opening = text[open];
  const closing = opening === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === opening) depth++;
    else if (text[i] === closing && --depth === 0) return i;
  }
  return -1;
}
