import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { readDotEnv } from './dotenv.js';
import { lineCommands, UNKNOWN, type RecipeCommand } from './makefile.js';
import { isFile } from './types.js';

/**
 * A small reader of a project's Taskfile (go-task/task v3), for the migration commands its tasks run, as makefile.ts
 * reads a Makefile's recipes: never run. Go projects run goose, migrate and dbmate from either.
 *
 * What Task does, from its source (go-task/task@HEAD, Aug 2026):
 * - the file: the first of taskfile/taskfile.go DefaultTaskfiles in the folder; `version: '3'` (older ones are refused
 *   by Task itself and skipped here); `includes:` are not followed.
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

/** Every command of the Taskfile in `root` (none when there is none, or it is not a version 3 Taskfile that parses). */
export function taskfileCommands(root: string, env: Record<string, string | undefined>): TaskCommand[] {
  const name = TASKFILE_NAMES.find((candidate) => isFile(path.join(root, candidate)));
  if (!name) return [];
  const file = path.join(root, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (document.errors.length > 0 || !isMap(document.contents)) return [];
  const top = document.contents;
  if (!/^3(\.|$)/.test(String(scalar(top.get('version', true)) ?? ''))) return [];

  const special: Record<string, string> = { ROOT_DIR: root, TASKFILE_DIR: root, ROOT_TASKFILE: file, TASKFILE: file, CLI_ARGS: UNKNOWN, USER_WORKING_DIR: UNKNOWN };
  const variables: Record<string, string | undefined> = { ...env, ...special };
  const taskfileEnv = readVars(top.get('env', true), variables);
  // setup.go readDotEnvFiles: the dotenv files' variables join the Taskfile's env, none replacing one it sets
  for (const [key, value] of Object.entries(dotenvFiles(top.get('dotenv', true), variables, root))) if (!(key in taskfileEnv)) taskfileEnv[key] = value;
  Object.assign(variables, taskfileEnv);
  Object.assign(variables, readVars(top.get('vars', true), variables));

  const commands: TaskCommand[] = [];
  const tasks = top.get('tasks', true);
  if (!isMap(tasks)) return [];
  for (const pair of tasks.items) {
    const taskName = String(scalar(pair.key as Node) ?? '');
    const task = pair.value as Node | null;
    const taskVariables: Record<string, string | undefined> = { ...variables, TASK: taskName };
    let cmds: Node[] = [];
    let dir = root;
    let taskEnv: Record<string, string | undefined> = { ...taskfileEnv };
    if (isScalar(task)) cmds = [task];
    else if (isSeq(task)) cmds = task.items as Node[];
    else if (isMap(task)) {
      const taskMap = task as YAMLMap;
      const dirText = scalar(taskMap.get('dir', true));
      if (dirText !== undefined) dir = path.resolve(root, template(String(dirText), taskVariables));
      taskVariables.TASK_DIR = dir;
      Object.assign(taskVariables, readVars(taskMap.get('vars', true), taskVariables));
      taskEnv = { ...taskEnv, ...dotenvFiles(taskMap.get('dotenv', true), taskVariables, dir), ...readVars(taskMap.get('env', true), taskVariables) };
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
      const where = `${name}:${line} (task ${taskName})`;
      for (const command of lineCommands({ text: expanded, unknown, conditional: [] }, where, dir)) commands.push({ ...command, env: commandEnv });
    }
  }
  return commands;
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
function dotenvFiles(node: unknown, variables: Record<string, string | undefined>, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isSeq(node)) return out;
  for (const item of node.items) {
    const raw = scalar(item as Node);
    if (raw === undefined) continue;
    const file = template(String(raw), variables);
    if (!file || file.includes(UNKNOWN)) continue;
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
