import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readDotEnv } from './dotenv.js';
import { lineCommands, UNKNOWN, type RecipeCommand } from './makefile.js';
import { isFile, isInsideProject } from './types.js';

/**
 * A small reader of a project's justfile (casey/just), for the migration commands its recipes run, as makefile.ts
 * reads a Makefile: never run. Rust and Go projects run sqlx, goose, migrate and dbmate from either.
 *
 * What just does (casey/just@HEAD: GRAMMAR.md, README.md, src/search.rs):
 * - the file: `justfile` or `.justfile` in the folder, the name matched case-insensitively (search.rs JUSTFILE_NAMES);
 *   `import` and `mod` are followed (readJustfile).
 * - variables: `NAME := expression` (`export NAME := …` also puts it in the recipes' environment, as `set export`
 *   does for all). Read here: string literals ('raw', "escaped", and the triple-quoted forms), variables, `+` and `/`
 *   (a path join), `env_var('X')`, `env_var_or_default('X', 'd')`, `env('X'[, 'd'])`, `justfile_directory()`; a
 *   backtick, an `if`, another function or a recipe parameter is a value only just knows.
 * - recipes: a header `name params: deps` at the start of a line, its body the indented lines after it; `{{ expr }}`
 *   in a line is interpolated (`{{{{` is a literal `{{`); `@`/`-` prefixes are dropped. Each line runs in its own shell
 *   (so a `cd` lasts one line), a shebang or `[script]` recipe as one script.
 * - the folder: the justfile's, else `set working-directory := '…'` or the recipe's `[working-directory('…')]`
 *   (relative to the justfile's); `[no-cd]` runs where just was invoked (unknown here).
 * - environment: the process's, with `.env` when `set dotenv-load` (or dotenv-filename / dotenv-path) asks for it
 *   (a name already set keeps its value unless `set dotenv-override`), and the exported variables.
 */

/** One shell command of a recipe, with the environment its shell starts with. */
export interface JustCommand extends RecipeCommand {
  env: Record<string, string | undefined>;
}

const JUSTFILE_NAMES = ['justfile', '.justfile'];

/** The justfile in `root`, if any (search.rs: a candidate whose name matches ignoring ASCII case). */
function findJustfile(root: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return undefined;
  }
  for (const wanted of JUSTFILE_NAMES) {
    const found = names.find((name) => name.toLowerCase() === wanted);
    if (found) return path.join(root, found);
  }
  return undefined;
}

/** The commands of the project's justfile, its imports and modules, and what could not be read (for a notice). */
export interface JustfileRead {
  commands: JustCommand[];
  /** sentences without the runner's prefix */
  notices: string[];
  /** every path read or looked for (files and folders), for a cache to tell when to read again */
  paths: string[];
  /** the project's folder: an import or module outside it is not read */
  projectRoot: string;
}

export function justfileCommands(root: string, env: Record<string, string | undefined>): JustCommand[] {
  return readJustfile(root, env).commands;
}

/**
 * The justfile in `root`, with its imports and modules (src/compiler.rs Compiler::compile, src/source.rs):
 * - `import 'path'` (`import?`: when the file exists): relative to the importing file's folder (a `~/` path is the home
 *   folder's, outside the project: not read); its recipes, variables and settings join the importing justfile's module,
 *   whose folder they run in.
 * - `mod name` / `mod? name` / `mod name 'path'`: find_module_file looks, beside the file that says it, for `name.just`,
 *   `name/mod.just`, `name/justfile`, `name/.justfile` (the last two with any case), or the path (a file, else
 *   `mod.just`, `justfile`, `.justfile` in it); several found is an error. Its recipes are `name::recipe`, in the
 *   module file's folder (Source::module: working_directory is the file's parent; execution_context.rs
 *   working_directory: `set working-directory` joins it), with the module's own variables, settings and `.env`.
 * - a missing file (without `?`), a circular import and an ambiguous module stop just: each is said as a notice.
 */
export function readJustfile(root: string, env: Record<string, string | undefined>, projectRoot = root): JustfileRead {
  const read: JustfileRead = { commands: [], notices: [], paths: [root], projectRoot };
  const file = findJustfile(root);
  if (file) readModule(file, [], [file], root, env, read);
  return read;
}

interface Recipe {
  name: string;
  file: string;
  line: number;
  params: string[];
  exportedParams: string[];
  attributes: string[];
  body: { line: number; text: string }[];
}

interface ModuleState {
  variables: Record<string, string>;
  exported: Set<string>;
  settings: Map<string, string>;
  recipes: Recipe[];
  modules: { name: string; optional: boolean; relative?: string; from: string; line: number }[];
}

/** One module (the root justfile, or a `mod`'s file): its imports read into it, its recipes' commands, then its modules. */
function readModule(file: string, modulePath: string[], files: string[], root: string, env: Record<string, string | undefined>, read: JustfileRead): void {
  const state: ModuleState = { variables: {}, exported: new Set(), settings: new Map(), recipes: [], modules: [] };
  parseInto(state, file, files, root, env, read);
  const { variables, exported, settings, recipes } = state;
  const moduleDir = path.dirname(file);

  // the environment of every recipe's shell
  const base: Record<string, string | undefined> = { ...env };
  const dotenvFile = settings.get('dotenv-path') ?? ((settings.get('dotenv-load') === 'true' || settings.has('dotenv-filename') || settings.get('dotenv-required') === 'true') ? (settings.get('dotenv-filename') ?? '.env') : undefined);
  if (dotenvFile && !dotenvFile.includes(UNKNOWN)) {
    read.paths.push(path.resolve(moduleDir, dotenvFile));
    try {
      const override = settings.get('dotenv-override') === 'true';
      for (const [key, value] of Object.entries(readDotEnv(readFileSync(path.resolve(moduleDir, dotenvFile), 'utf8')))) if (override || base[key] === undefined) base[key] = value;
    } catch {
      // a missing .env is not an error (unless dotenv-required: then just stops; the folder found is still read)
    }
  }
  const exportAll = settings.get('export') === 'true';
  for (const [key, value] of Object.entries(variables)) if (exportAll || exported.has(key)) base[key] = value;
  const workingDirectory = settings.get('working-directory');
  const defaultDir = workingDirectory === undefined ? moduleDir : workingDirectory.includes(UNKNOWN) ? undefined : path.resolve(moduleDir, workingDirectory);

  for (const recipe of recipes) {
    const scope: Record<string, string> = { ...variables };
    for (const param of recipe.params) scope[param] = UNKNOWN;
    let cwd = defaultDir;
    for (const attribute of recipe.attributes) {
      const dir = /^working-directory\s*(?:\(\s*(.*)\s*\)|:\s*(.*))$/.exec(attribute);
      if (dir) {
        const value = evaluate(dir[1] ?? dir[2], scope, env, root);
        cwd = value.includes(UNKNOWN) || defaultDir === undefined ? undefined : path.resolve(defaultDir, value);
      }
      if (attribute === 'no-cd') cwd = undefined;
    }
    const shellEnv = { ...base, ...Object.fromEntries((exportAll ? recipe.params : recipe.exportedParams).map((p) => [p, UNKNOWN])) };
    const name = [...modulePath, recipe.name].join('::');
    const where = (line: number) => `${path.relative(root, recipe.file)}:${line} (recipe ${name})`;
    const script = recipe.body[0]?.text.startsWith('#!') || recipe.attributes.some((a) => a === 'script' || a.startsWith('script('));
    if (script) {
      const text = recipe.body.filter((l) => !l.text.startsWith('#!')).map((l) => interpolate(l.text, scope, env, root)).join('\n');
      for (const command of lineCommands({ text, unknown: unknownOf(text), conditional: [] }, where(recipe.line), cwd)) read.commands.push({ ...command, env: shellEnv });
      continue;
    }
    // each line is its own shell; a line ending in `\` goes on with the next one; `@` / `-` prefix the first
    for (let k = 0; k < recipe.body.length; k++) {
      let written = recipe.body[k].text;
      const first = recipe.body[k].line;
      while (written.endsWith('\\') && k + 1 < recipe.body.length) written = `${written.slice(0, -1)} ${recipe.body[++k].text}`;
      const text = interpolate(written.replace(/^(?:@-|-@|@|-)/, ''), scope, env, root);
      for (const command of lineCommands({ text, unknown: unknownOf(text), conditional: [] }, where(first), cwd)) read.commands.push({ ...command, env: shellEnv });
    }
  }

  for (const module of state.modules) {
    const said = `${path.relative(root, module.from)}:${module.line} (mod ${module.name})`;
    const found = findModuleFile(path.dirname(module.from), module.name, module.relative, read);
    if (found.length > 1) read.notices.push(`${said}: just finds several files for the module (${found.map((f) => path.relative(root, f)).join(', ')}) and stops: its recipes are not read`);
    else if (found.length === 0) {
      if (!module.optional) read.notices.push(`${said}: just finds no file for the module and stops: its recipes are not read`);
    } else if (!isInsideProject(read.projectRoot, found[0])) read.notices.push(`${said}: ${found[0]} is outside the project, which pgdrift does not read: its recipes are not read`);
    else if (files.includes(found[0])) read.notices.push(`${said}: ${path.relative(root, found[0])} is already being read, a circular import just refuses: not followed`);
    else readModule(found[0], [...modulePath, module.name], [...files, found[0]], root, env, read);
  }
}

/** compiler.rs find_module_file: the candidates beside `parent`, `mod.just` and `<name>.just` by exact name, the justfile names in any case. */
function findModuleFile(parent: string, name: string, relative: string | undefined, read: JustfileRead): string[] {
  if (relative !== undefined) {
    const full = path.resolve(parent, relative);
    read.paths.push(full);
    if (isFile(full)) return [full];
  }
  const candidates: [string, boolean][] = relative !== undefined
    ? [[path.join(relative, 'mod.just'), true], ...JUSTFILE_NAMES.map((n): [string, boolean] => [path.join(relative, n), false])]
    : [[`${name}.just`, true], [path.join(name, 'mod.just'), true], ...JUSTFILE_NAMES.map((n): [string, boolean] => [path.join(name, n), false])];
  const found: string[] = [];
  for (const [candidate, caseSensitive] of candidates) {
    const full = path.resolve(parent, candidate);
    const directory = path.dirname(full);
    read.paths.push(directory);
    let entries: string[];
    try {
      entries = readdirSync(directory);
    } catch {
      continue;
    }
    const wanted = path.basename(full);
    for (const entry of entries) {
      const match = caseSensitive ? entry === wanted : entry.toLowerCase() === wanted.toLowerCase();
      if (match && isFile(path.join(directory, entry)) && !found.includes(path.join(directory, entry))) found.push(path.join(directory, entry));
    }
  }
  return found.sort();
}

/** The lines of one file of a module: its variables, settings and recipes join `state`; an `import` is read in place. */
function parseInto(state: ModuleState, file: string, files: string[], root: string, env: Record<string, string | undefined>, read: JustfileRead): void {
  read.paths.push(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  const { variables, exported, settings, recipes } = state;
  const shown = path.relative(root, file);
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let attributes: string[] = [];

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#.*)?$/.test(line) || /^\s/.test(line)) continue; // blank, comment, or a body line of no recipe
    const attribute = /^\[(.*)\]\s*$/.exec(line);
    if (attribute) {
      attributes.push(...attribute[1].split(',').map((a) => a.trim()));
      continue;
    }
    const setting = /^set\s+([a-z-]+)\s*(?::=\s*(.*))?$/.exec(line);
    if (setting) {
      settings.set(setting[1], setting[2] === undefined ? 'true' : evaluate(setting[2], { ...variables }, env, root));
      continue;
    }
    const assignment = /^(export\s+)?([A-Za-z_][A-Za-z0-9_-]*)\s*:=\s*(.*)$/.exec(line);
    if (assignment) {
      variables[assignment[2]] = evaluate(assignment[3], variables, env, root);
      if (assignment[1]) exported.add(assignment[2]);
      attributes = [];
      continue;
    }
    const importLine = /^import(\?)?\s+(.*)$/.exec(line);
    if (importLine) {
      attributes = [];
      const relative = stringLiteral(importLine[2]);
      const said = `${shown}:${i + 1} (import)`;
      if (relative === undefined || relative.startsWith('~/')) {
        read.notices.push(`${said}: ${importLine[2].trim()} is not a path pgdrift follows: its recipes are not read`);
        continue;
      }
      const imported = path.resolve(path.dirname(file), relative);
      if (!isFile(imported)) {
        read.paths.push(imported);
        if (!importLine[1]) read.notices.push(`${said}: ${path.relative(root, imported)} does not exist, and just stops there: its recipes are not read`);
      } else if (!isInsideProject(read.projectRoot, imported)) read.notices.push(`${said}: ${imported} is outside the project, which pgdrift does not read: its recipes are not read`);
      else if (files.includes(imported)) read.notices.push(`${said}: ${path.relative(root, imported)} is already being read, a circular import just refuses: not followed`);
      else parseInto(state, imported, [...files, imported], root, env, read);
      continue;
    }
    const moduleLine = /^mod(\?)?\s+([A-Za-z_][A-Za-z0-9_-]*)\s*(.*)$/.exec(line);
    if (moduleLine) {
      attributes = [];
      const rest = moduleLine[3].trim();
      const relative = rest === '' || rest.startsWith('#') ? undefined : stringLiteral(rest);
      if (relative === undefined && rest !== '' && !rest.startsWith('#')) read.notices.push(`${shown}:${i + 1} (mod ${moduleLine[2]}): ${rest} is not a path pgdrift follows: its recipes are not read`);
      else if (relative?.startsWith('~/')) read.notices.push(`${shown}:${i + 1} (mod ${moduleLine[2]}): ${relative} is in the home folder, outside the project, which pgdrift does not read: its recipes are not read`);
      else state.modules.push({ name: moduleLine[2], optional: Boolean(moduleLine[1]), relative, from: file, line: i + 1 });
      continue;
    }
    if (/^alias\b/.test(line)) continue;
    const header = /^@?([A-Za-z_][A-Za-z0-9_-]*)([^:]*?):(?!=)/.exec(line);
    if (!header) continue;
    const written = header[2].trim().split(/\s+/).filter(Boolean);
    const params = written.map((param) => param.replace(/^[+*$]+/, '').replace(/=.*$/s, ''));
    // a `$NAME` parameter is also exported to the recipe's environment
    const exportedParams = written.filter((param) => /^[+*]?\$/.test(param)).map((param) => param.replace(/^[+*$]+/, '').replace(/=.*$/s, ''));
    const body: { line: number; text: string }[] = [];
    let j = i + 1;
    for (; j < lines.length && (lines[j].trim() === '' || /^\s/.test(lines[j])); j++) if (lines[j].trim() !== '') body.push({ line: j + 1, text: lines[j].trim() });
    recipes.push({ name: header[1], file, line: i + 1, params, exportedParams, attributes, body });
    attributes = [];
    i = j - 1;
  }
}

/** The value of a lone string literal (`'path'`, `"path"`, a trailing comment allowed); undefined for anything else. */
function stringLiteral(source: string): string | undefined {
  const tokens = tokenize(source);
  return tokens?.length === 1 && tokens[0].kind === 'string' ? tokens[0].text : undefined;
}

const unknownOf = (text: string) => (text.includes(UNKNOWN) ? ['a value only just knows'] : []);

/** A recipe line with its `{{ expression }}` interpolations evaluated (`{{{{` is a literal `{{`). */
function interpolate(line: string, variables: Record<string, string>, env: Record<string, string | undefined>, root: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line.startsWith('{{{{', i)) {
      out += '{{';
      i += 4;
    } else if (line.startsWith('{{', i)) {
      const end = line.indexOf('}}', i + 2);
      if (end < 0) return out + UNKNOWN;
      out += evaluate(line.slice(i + 2, end), variables, env, root);
      i = end + 2;
    } else out += line[i++];
  }
  return out;
}

/**
 * The value of a just expression, for the forms read here (string literals, variables, `+`, `/`, a few functions);
 * UNKNOWN for anything else. A trailing comment is ignored.
 */
export function evaluate(source: string, variables: Record<string, string>, env: Record<string, string | undefined>, root: string): string {
  const tokens = tokenize(source);
  if (!tokens) return UNKNOWN;
  let at = 0;
  const value = (): string | undefined => {
    const token = tokens[at++];
    if (!token) return undefined;
    if (token.kind === 'string') return token.text;
    if (token.kind === 'punct' && token.text === '(') {
      const inner = expression();
      return tokens[at++]?.text === ')' ? inner : undefined;
    }
    if (token.kind !== 'name') return undefined;
    if (tokens[at]?.text !== '(') return token.text in variables ? variables[token.text] : undefined;
    at++;
    const args: string[] = [];
    while (tokens[at] && tokens[at].text !== ')') {
      const arg = expression();
      if (arg === undefined) return undefined;
      args.push(arg);
      if (tokens[at]?.text === ',') at++;
    }
    if (tokens[at++]?.text !== ')') return undefined;
    switch (token.text) {
      case 'env_var':
      case 'env':
        if (args.length === 1) return env[args[0]] ?? UNKNOWN; // just stops when it is not set
        return args.length === 2 ? (env[args[0]] ?? args[1]) : undefined;
      case 'env_var_or_default':
        return args.length === 2 ? (env[args[0]] ?? args[1]) : undefined;
      case 'justfile_directory':
      case 'justfile_dir':
        return root;
      default:
        return undefined;
    }
  };
  const expression = (): string | undefined => {
    let left = value();
    while (left !== undefined && (tokens[at]?.text === '+' || tokens[at]?.text === '/')) {
      const operator = tokens[at++].text;
      const right = value();
      if (right === undefined) return undefined;
      left = operator === '+' ? left + right : `${left.replace(/\/$/, '')}/${right.replace(/^\//, '')}`;
    }
    return left;
  };
  const result = expression();
  return result === undefined || at !== tokens.length ? UNKNOWN : result;
}

type Token = { kind: 'string' | 'name' | 'punct'; text: string };

function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) i++;
    else if (c === '#') break;
    else if (c === "'" || c === '"') {
      const triple = source.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      const end = source.indexOf(quote, i + quote.length);
      if (end < 0) return undefined;
      const raw = source.slice(i + quote.length, end);
      // GRAMMAR.md: a "…" string processes \n \r \t \" \\ escapes; a '…' one is raw
      tokens.push({ kind: 'string', text: c === '"' ? raw.replace(/\\(["\\nrt])/g, (_m, e: string) => ({ n: '\n', r: '\r', t: '\t' })[e] ?? e) : raw });
      i = end + quote.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'name', text: match[0] });
      i += match[0].length;
    } else if ('+/(),'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else return undefined; // a backtick, `if`'s braces, `==`…: a value only just knows
  }
  return tokens;
}
