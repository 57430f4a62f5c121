import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { readDotEnv } from './dotenv.js';
import { lineCommands, UNKNOWN, type RecipeCommand } from './makefile.js';
import { isFile, isInsideProject } from './types.js';

/**
 * A small reader of a project's Taskfile (go-task/task v3), for the migration commands its tasks run, as makefile.ts
 * reads a Makefile's recipes: never run. Go projects run goose, migrate and dbmate from either.
 *
 * What Task does, from its source (go-task/task@HEAD, Aug 2026):
 * - the file: the first of taskfile/taskfile.go DefaultTaskfiles in the folder; `version: '3'` (older ones are refused
 *   by Task itself and skipped here); `includes:` are followed (readTaskfile).
 * - variables (compiler.go getVariables): the environment, the special variables, the Taskfile's `env:`, its `vars:`,
 *   then the task's `vars:`, each value a template over those before it; a `sh:` value is a command's output (unknown
 *   here), `ref:` another variable's value.
 * - templates (internal/templater): Go text/template; a variable set nowhere renders as "" (`<no value>` removed).
 *   Read here: `{{.NAME}}`, `{{ .NAME }}`, `{{.NAME | default "x"}}`; any other action is unknown.
 * - a command's environment (variables.go compiledTask, internal/env GetFromVars): the process's, plus the Taskfile's
 *   `env:` (with its `dotenv:` files', setup.go readDotEnvFiles: each name not in `env:`), the task's `dotenv:` and
 *   `env:`, a name already in the process's environment keeping that value.
 * - the folder (compiledTask): the task's `dir:` (a template) joined to the Taskfile's folder, else that folder.
 * - commands (taskfile/ast/task.go, cmd.go): a task is a command, a list of commands, or a map with `cmd:` / `cmds:`;
 *   a command is a string or a map with `cmd:` (or `defer:` with a command). `task:` calls and `for:` loops are skipped.
 */

/** One shell command of a task, with the environment its shell starts with. */
export interface TaskCommand extends RecipeCommand {
  env: Record<string, string | undefined>;
}

/** taskfile/taskfile.go DefaultTaskfiles, in Task's order. */
export const TASKFILE_NAMES = ['Taskfile.yml', 'taskfile.yml', 'Taskfile.yaml', 'taskfile.yaml', 'Taskfile.dist.yml', 'taskfile.dist.yml', 'Taskfile.dist.yaml', 'taskfile.dist.yaml'];

/** The commands of the project's Taskfile and the Taskfiles it includes, and what could not be read (for a notice). */
export interface TaskfileRead {
  commands: TaskCommand[];
  /** `Taskfile.yml:3:1 is not valid YAML (...)`: a sentence without the runner's prefix */
  notices: string[];
  /** every path read or looked for (files and folders), for a cache to tell when to read again */
  paths: string[];
}

/** One `includes:` entry on the way from the root Taskfile to an included one (taskfile/ast/include.go Include). */
interface Inclusion {
  namespace: string;
  flatten: boolean;
  /** the map form (`taskfile:`, `dir:`...): Include.AdvancedImport, the only form whose `dir` and `vars` reach the tasks */
  advanced: boolean;
  /** reader.go include: `dir:` resolved against the including Taskfile's folder (that folder when none is given) */
  dir: string;
  vars: unknown;
  excludes: string[];
}

/** A Taskfile read: its YAML, and the includes that lead to it from the root (outermost first). */
interface LoadedTaskfile {
  file: string;
  top: YAMLMap;
  lines: LineCounter;
  chain: Inclusion[];
}

/** Every command of the Taskfile in `root` (none when there is none, or it is not a version 3 Taskfile that parses). */
export function taskfileCommands(root: string, env: Record<string, string | undefined>): TaskCommand[] {
  return readTaskfile(root, env).commands;
}

/**
 * The Taskfile in `root` with the Taskfiles its `includes:` name (taskfile/reader.go Reader.include, then
 * ast/graph.go Merge), read as Task reads them:
 * - an include is a path (`ns: ./db`) or a map (`taskfile:`, `dir:`, `optional:`, `vars:`, `flatten:`, `excludes:`);
 *   the path, a template over the environment and the including Taskfile's vars, is relative to the including
 *   Taskfile's folder (node_file.go ResolveEntrypoint); a folder means the first DefaultTaskfiles name in it
 *   (fsext.SearchPath). A remote one (http, https, git) is not read; one outside the project is not read either.
 * - a missing file stops Task unless `optional: true`; so do a cycle (TaskfileCycleError), a `dotenv:` in an included
 *   Taskfile (ErrIncludedTaskfilesCantHaveDotenvs) and YAML that does not parse: each is said as a notice.
 * - names (ast/tasks.go Merge): `ns:task`, the bare name with `flatten: true`; a task `excludes:` names is left out.
 * - the folder: only the map form changes it (Merge: `task.Dir = SmartJoin(include.Dir, task.Dir)`, include.Dir being
 *   `dir:` resolved against the including Taskfile's folder, that folder when `dir:` is not given); a path-form
 *   include's tasks run in the root Taskfile's folder, as Task's docs say ("Including other Taskfiles").
 * - variables (ast/taskfile.go Merge, compiler.go getVariables): the included Taskfiles' `env:` and `vars:` join the
 *   root's, for every task (root first, each included one after the file that includes it); an included task then
 *   gets the include's `vars:` (IncludeVars) and the merged vars again (IncludedTaskfileVars), then its own.
 */
export function readTaskfile(root: string, env: Record<string, string | undefined>, projectRoot = root): TaskfileRead {
  const read: TaskfileRead = { commands: [], notices: [], paths: TASKFILE_NAMES.map((candidate) => path.join(root, candidate)) };
  const name = TASKFILE_NAMES.find((candidate) => isFile(path.join(root, candidate)));
  if (!name) return read;
  const rootFile = path.join(root, name);
  const shown = (file: string) => path.relative(root, file) || file;
  const loaded: LoadedTaskfile[] = [];

  const load = (file: string, chain: Inclusion[], stack: string[]): void => {
    read.paths.push(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
    const error = document.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      read.notices.push(`${shown(file)}${at ? `:${at.line}:${at.col}` : ''} is not valid YAML (${error.message.split(/ at line \d+/)[0]}), which Task refuses: its tasks are not read`);
      return;
    }
    if (!isMap(document.contents)) return;
    const top = document.contents;
    if (!/^3(\.|$)/.test(String(scalar(top.get('version', true)) ?? ''))) {
      // Task v3 refuses a Taskfile without `version: '3'`; the root one is skipped as before, an included one said
      if (chain.length > 0) read.notices.push(`${shown(file)} is not a version 3 Taskfile, which Task refuses: its tasks are not read`);
      return;
    }
    if (chain.length > 0 && top.has('dotenv')) read.notices.push(`${shown(file)} is an included Taskfile with dotenv:, which Task refuses ("Included Taskfiles can't have dotenv declarations"): its tasks are read without it`);
    loaded.push({ file, top, lines, chain });
    const includes = top.get('includes', true);
    if (!isMap(includes)) return;
    const dir = path.dirname(file);
    // reader.go include: the path and dir are templates over the environment and this Taskfile's vars
    const scope = { ...env, ...readVars(top.get('vars', true), { ...env }) };
    for (const pair of includes.items) {
      const namespace = String(scalar(pair.key as Node) ?? '');
      const value = pair.value as Node | null;
      const where = `${shown(file)}:${pair.key && (pair.key as Node).range ? lines.linePos((pair.key as Node).range![0]).line : 0} (include ${namespace})`;
      const advanced = isMap(value);
      const taskfileText = advanced ? scalar(value.get('taskfile', true)) : scalar(value);
      const dirText = advanced ? scalar(value.get('dir', true)) : undefined;
      const optional = advanced && scalar(value.get('optional', true)) === true;
      if (taskfileText === undefined && dirText === undefined) {
        read.notices.push(`${where} names no taskfile, which Task refuses ("include must specify taskfile or dir"): not read`);
        continue;
      }
      const entry = template(String(taskfileText ?? ''), scope);
      if (/^(https?|git):\/\//i.test(entry) || /^git@/.test(entry)) {
        read.notices.push(`${where} includes a remote Taskfile (${entry}), which pgdrift does not fetch: its tasks are not read`);
        continue;
      }
      const includeDir = template(String(dirText ?? ''), scope);
      // node_file.go ResolveEntrypoint / ResolveDir: execext.ExpandLiteral (the shell's expansion), then relative to this Taskfile's folder
      if ([entry, includeDir].some((text) => text.includes(UNKNOWN) || text.includes('$') || text.startsWith('~'))) {
        read.notices.push(`${where} names its Taskfile or dir with a value only Task or the shell knows: its tasks are not read`);
        continue;
      }
      const target = path.resolve(dir, entry);
      const found = taskfileAt(target);
      read.paths.push(target, ...(found ? [] : TASKFILE_NAMES.map((candidate) => path.join(target, candidate))));
      if (!found) {
        if (!optional) read.notices.push(`${where}: ${shown(target)} has no Taskfile, and Task stops there (the include is not optional): its tasks are not read`);
        continue;
      }
      // the project's bounds, not this Taskfile's folder: a db/Taskfile.yaml may include ../docker/Taskfile.yaml
      if (!isInsideProject(projectRoot, found)) {
        read.notices.push(`${where} includes ${found}, outside the project, which pgdrift does not read: its tasks are not read`);
        continue;
      }
      if (stack.includes(found)) {
        read.notices.push(`${where} includes ${shown(found)} again, a cycle Task refuses ("include cycle detected"): not followed`);
        continue;
      }
      const excludeList: unknown = advanced ? value.get('excludes', true) : undefined;
      const excludes = isSeq(excludeList) ? excludeList.items.map((item) => String(scalar(item) ?? '')) : [];
      const inclusion: Inclusion = { namespace, flatten: advanced && scalar(value.get('flatten', true)) === true, advanced, dir: path.resolve(dir, includeDir), vars: advanced ? value.get('vars', true) : undefined, excludes };
      load(found, [...chain, inclusion], [...stack, found]);
    }
  };
  load(rootFile, [], [rootFile]);
  if (loaded.length === 0) return read;

  const rootTaskfile = loaded[0];
  const special: Record<string, string> = { ROOT_DIR: root, TASKFILE_DIR: root, ROOT_TASKFILE: rootFile, TASKFILE: rootFile, CLI_ARGS: UNKNOWN, USER_WORKING_DIR: UNKNOWN };
  const variables: Record<string, string | undefined> = { ...env, ...special };
  // ast/taskfile.go Merge: every Taskfile's env and vars, the root's first
  const taskfileEnv: Record<string, string | undefined> = {};
  for (const { top } of loaded) Object.assign(taskfileEnv, readVars(top.get('env', true), { ...variables, ...taskfileEnv }));
  // setup.go readDotEnvFiles: the dotenv files' variables join the Taskfile's env, none replacing one it sets
  for (const [key, value] of Object.entries(dotenvFiles(rootTaskfile.top.get('dotenv', true), variables, root, read.paths))) if (!(key in taskfileEnv)) taskfileEnv[key] = value;
  Object.assign(variables, taskfileEnv);
  const mergedVars = () => {
    const out: Record<string, string | undefined> = {};
    for (const { top } of loaded) Object.assign(out, readVars(top.get('vars', true), { ...variables, ...out }));
    return out;
  };
  Object.assign(variables, mergedVars());

  const names = new Set<string>();
  for (const { file, top, lines, chain } of loaded) {
    const tasks = top.get('tasks', true);
    if (!isMap(tasks)) continue;
    for (const pair of tasks.items) {
      const ownName = String(scalar(pair.key as Node) ?? '');
      // ast/tasks.go Merge, innermost include first: excludes, then the namespace
      let taskName: string | undefined = ownName;
      for (const inclusion of [...chain].reverse()) {
        if (taskName === undefined || excluded(inclusion.excludes, taskName)) taskName = undefined;
        else if (!inclusion.flatten) taskName = `${inclusion.namespace}:${taskName}`;
      }
      // a name taken twice: Task refuses (TaskNameFlattenConflictError); the first one is kept
      if (taskName === undefined || names.has(taskName)) continue;
      names.add(taskName);
      const taskVariables: Record<string, string | undefined> = { ...variables, TASK: taskName, TASKFILE: file, TASKFILE_DIR: path.dirname(file) };
      // IncludeVars (the inner include's, then the outer ones'), then IncludedTaskfileVars: the merged vars again
      const advanced = chain.filter((inclusion) => inclusion.advanced);
      if (advanced.length > 0) {
        for (const inclusion of [...advanced].reverse()) Object.assign(taskVariables, readVars(inclusion.vars, taskVariables));
        for (const { top: other } of loaded) Object.assign(taskVariables, readVars(other.get('vars', true), taskVariables));
      }
      const task = pair.value as Node | null;
      let cmds: Node[] = [];
      let taskDir = '';
      let taskEnv: Record<string, string | undefined> = { ...taskfileEnv };
      let taskMap: YAMLMap | undefined;
      if (isScalar(task)) cmds = [task];
      else if (isSeq(task)) cmds = task.items as Node[];
      else if (isMap(task)) {
        taskMap = task as YAMLMap;
        const dirText = scalar(taskMap.get('dir', true));
        if (dirText !== undefined) taskDir = template(String(dirText), taskVariables);
      }
      // Merge: SmartJoin(include.Dir, task.Dir) for each map-form include, innermost first; then the root's folder
      for (const inclusion of [...chain].reverse()) if (inclusion.advanced) taskDir = path.resolve(inclusion.dir, taskDir);
      const dir = path.resolve(root, taskDir);
      if (taskMap) {
        taskVariables.TASK_DIR = dir;
        Object.assign(taskVariables, readVars(taskMap.get('vars', true), taskVariables));
        taskEnv = { ...taskEnv, ...dotenvFiles(taskMap.get('dotenv', true), taskVariables, dir, read.paths), ...readVars(taskMap.get('env', true), taskVariables) };
        const one = taskMap.get('cmd', true);
        const list = taskMap.get('cmds', true);
        cmds = one ? [one as Node] : isSeq(list) ? (list.items as Node[]) : [];
      }
      // internal/env GetFromVars: a name the process's environment has keeps that value
      const commandEnv = { ...env };
      for (const [key, value] of Object.entries(taskEnv)) if (env[key] === undefined) commandEnv[key] = value;
      for (const cmd of cmds) {
        const shell = commandText(cmd);
        if (shell === undefined) continue;
        const line = cmd.range ? lines.linePos(cmd.range[0]).line : 0;
        const expanded = template(shell, taskVariables);
        const unknown = expanded.includes(UNKNOWN) ? ['a template value only Task knows'] : [];
        const where = `${shown(file)}:${line} (task ${taskName})`;
        for (const command of lineCommands({ text: expanded, unknown, conditional: [] }, where, dir)) read.commands.push({ ...command, env: commandEnv });
      }
    }
  }
  return read;
}

/** fsext.SearchPath: the file itself, or the first of DefaultTaskfiles in the folder. */
function taskfileAt(target: string): string | undefined {
  if (isFile(target)) return target;
  return TASKFILE_NAMES.map((candidate) => path.join(target, candidate)).find(isFile);
}

/** include.go isTaskExcluded: the name itself, or `ns:*` for every task under a namespace. */
function excluded(excludes: string[], name: string): boolean {
  return excludes.some((exclude) => (exclude.endsWith(':*') ? exclude !== ':*' && name.startsWith(exclude.slice(0, -1)) : exclude === name));
}

/** The shell text of a command node: a string, `cmd:`, or `defer:` with a command; undefined for task calls and loops. */
function commandText(node: Node): string | undefined {
  if (isScalar(node)) return typeof node.value === 'string' ? node.value : undefined;
  if (!isMap(node) || node.has('for') || node.has('task')) return undefined;
  const cmd = scalar(node.get('cmd', true));
  if (typeof cmd === 'string') return cmd;
  const deferred = node.get('defer', true);
  if (isScalar(deferred) && typeof deferred.value === 'string') return deferred.value;
  if (isMap(deferred)) {
    const deferredCmd = scalar(deferred.get('cmd', true));
    return typeof deferredCmd === 'string' ? deferredCmd : undefined;
  }
  return undefined;
}

/** `vars:` / `env:` (a map), each value a template over the variables before it; `sh:` values are unknown. */
function readVars(node: unknown, before: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!isMap(node)) return out;
  const seen = { ...before };
  for (const pair of node.items) {
    const key = String(scalar(pair.key as Node) ?? '');
    const value = pair.value as Node | null;
    let text: string | undefined;
    if (isScalar(value)) text = value.value === null ? '' : template(String(value.value), seen);
    else if (isMap(value)) {
      if (value.has('sh')) text = UNKNOWN;
      else if (value.has('ref')) text = template(`{{${String(scalar(value.get('ref', true)) ?? '')}}}`, seen);
      else if (value.has('value')) text = isScalar(value.get('value', true)) ? template(String(scalar(value.get('value', true)) ?? ''), seen) : UNKNOWN;
      else text = UNKNOWN;
    } else text = UNKNOWN; // a list or map value: not a string a command could use as is
    out[key] = text;
    seen[key] = text;
  }
  return out;
}

/** The variables of `dotenv:` files (paths are templates, relative to `dir`; a missing file is skipped, as Task does). */
function dotenvFiles(node: unknown, variables: Record<string, string | undefined>, dir: string, paths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isSeq(node)) return out;
  for (const item of node.items) {
    const raw = scalar(item as Node);
    if (raw === undefined) continue;
    const file = template(String(raw), variables);
    if (!file || file.includes(UNKNOWN)) continue;
    paths.push(path.resolve(dir, file));
    try {
      for (const [key, value] of Object.entries(readDotEnv(readFileSync(path.resolve(dir, file), 'utf8')))) if (!(key in out)) out[key] = value;
    } catch {
      // taskfile/dotenv.go: a dotenv file that does not exist is skipped
    }
  }
  return out;
}

/**
 * A Task template rendered: `{{.NAME}}` (also `{{- .NAME -}}`) is the variable's value, "" when it is set nowhere;
 * `{{.NAME | default "x"}}` is "x" when the value is empty; any other action is UNKNOWN.
 */
export function template(text: string, variables: Record<string, string | undefined>): string {
  if (!text.includes('{{')) return text;
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/gs, (_whole, action: string) => {
    const match = /^\.([A-Za-z_][A-Za-z0-9_]*)(?:\s*\|\s*default\s+"((?:[^"\\]|\\.)*)")?$/s.exec(action);
    if (!match) return UNKNOWN;
    const value = variables[match[1]] ?? '';
    if (match[2] !== undefined && value === '') return JSON.parse(`"${match[2]}"`) as string;
    return value;
  });
}

function scalar(node: unknown): string | number | boolean | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}
