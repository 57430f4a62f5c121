import { readdirSync } from 'node:fs';
import { fileStamp } from '../util/fs.js';
import path from 'node:path';
import { lineCommands, readMakefile, recipeCommands, recipeEnvironment, UNKNOWN, type RecipeCommand } from './makefile.js';
import { argumentsOf, packageScripts, type ScriptInvocation, type ShellWord } from './package-scripts.js';
import { readJustfile } from './justfile.js';
import { readTaskfile } from './taskfile.js';

/** A shell command of the project's Makefile, Taskfile or justfile recipes, with the environment its shell starts with. */
export interface ProjectCommand extends RecipeCommand {
  env: Record<string, string | undefined>;
  /** which tool runs it: make (makefile.ts), Task (taskfile.ts) or just (justfile.ts) */
  from: 'make' | 'task' | 'just';
}

export type CommandTool = ProjectCommand['from'];

/** The tool's name in messages ("a value only make or the shell knows"). */
export function toolName(tool: CommandTool): string {
  return { make: 'make', task: 'Task', just: 'just' }[tool];
}

/** Where such commands are, in messages: `Makefile recipes`, `Taskfile tasks`, `justfile recipes`. */
export function toolCommands(tool: CommandTool): string {
  return { make: 'Makefile recipes', task: 'Taskfile tasks', just: 'justfile recipes' }[tool];
}

/** The project's recipe commands, with what of its Taskfile or justfile could not be read. */
interface ProjectCommandsRead {
  commands: ProjectCommand[];
  /** `Taskfile.yml:3:1 is not valid YAML (...)...`: sentences a runner says with its own prefix */
  notices: string[];
}

/**
 * Reads already done, by project root and environment: each runner method that asks (goose's, dbmate's several per
 * resolution) gets the same value without reading the files again. An entry holds the stamp (fileStamp) of
 * every path read or looked for (its folder too, so a file added beside is seen): any change reads again.
 */
const cache = new Map<string, { stamps: Map<string, string>; read: ProjectCommandsRead }>();

/**
 * Every shell command the project's Makefile, Taskfile and justfile in `root` run (read, never run): where the runners' readers
 * find the flags a team's migration commands give (goose -dir/-table, migrate -path/-database, dbmate -d). `env` is
 * the environment make, Task and just are started with.
 */
export function projectCommands(root: string, env: Record<string, string | undefined>, projectRoot = root): ProjectCommand[] {
  return readProjectCommands(root, env, projectRoot).commands;
}

/**
 * What of the project's Taskfile or justfile pgdrift could not read (YAML that does not parse, an include or import
 * it cannot follow), each a sentence for the runner to say as a notice: the settings found may then not be the team's.
 */
export function projectCommandNotices(root: string, env: Record<string, string | undefined>, projectRoot = root): string[] {
  return readProjectCommands(root, env, projectRoot).notices;
}

/** `root` holds the files; `projectRoot` bounds what their includes and imports may read (root, or a folder above it). */
function readProjectCommands(root: string, env: Record<string, string | undefined>, projectRoot: string): ProjectCommandsRead {
  const key = JSON.stringify([path.resolve(root), path.resolve(projectRoot), Object.entries(env).filter(([, value]) => value !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  const cached = cache.get(key);
  if (cached && [...cached.stamps].every(([file, was]) => fileStamp(file) === was)) return cached.read;
  const makefile = readMakefile(root, env);
  const makeEnv = makefile ? recipeEnvironment(makefile, env, root) : env;
  const make = makefile ? recipeCommands(makefile, env, root).map((command): ProjectCommand => ({ ...command, env: makeEnv, from: 'make' })) : [];
  const taskfile = readTaskfile(root, env, projectRoot);
  const justfile = readJustfile(root, env, projectRoot);
  const read: ProjectCommandsRead = {
    commands: [
      ...make,
      ...taskfile.commands.map((command): ProjectCommand => ({ ...command, from: 'task' })),
      ...justfile.commands.map((command): ProjectCommand => ({ ...command, from: 'just' })),
    ],
    notices: [...taskfile.notices, ...justfile.notices],
  };
  // the root's files (a Makefile's name, `.env`...), and every file the readers read or looked for
  const paths = [root, ...readdirSafe(root).map((name) => path.join(root, name)), ...(makefile?.files ?? []), ...taskfile.paths, ...justfile.paths];
  cache.set(key, { stamps: new Map(paths.map((file) => [file, fileStamp(file)])), read });
  return read;
}

function readdirSafe(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** One call of a migration CLI: in a package.json script (no `tool`) or in a Makefile, Taskfile or justfile recipe. */
export interface ProgramCall {
  /** `package.json script "db:migrate"`, `Makefile:12 (target migrate)` */
  where: string;
  /** the folder it runs in: the project root for a script; a recipe's, after its `cd` (undefined: only the shell knows) */
  cwd: string | undefined;
  /** the words after the program */
  args: ShellWord[];
  /** `NAME=value` words before it: its environment */
  assignments: Map<string, ShellWord>;
  /** the environment the command starts with: a recipe's (make's exported variables, a task's `env`), else `env` */
  env: Record<string, string | undefined>;
  tool?: CommandTool;
}

/**
 * Every call of `program` in the package.json scripts of `root`, then in its Makefile, Taskfile and justfile recipes
 * (`find` reads a recipe command's call, argumentsOf by default). A recipe word holding what make, Task or just could
 * not resolve is as unknown as a shell expansion: it is marked `dynamic`.
 */
export function programCalls(
  root: string,
  env: Record<string, string | undefined>,
  program: string,
  find: (words: ShellWord[]) => Pick<ScriptInvocation, 'args' | 'assignments'> | undefined = (words) => argumentsOf(words, program),
): ProgramCall[] {
  const calls: ProgramCall[] = [];
  // a script runs in the package.json's folder, then wherever a `cd` before the call went (`cd db && flyway migrate`)
  for (const [script, text] of packageScripts(root)) {
    const where = `package.json script "${script}"`;
    for (const command of lineCommands({ text, unknown: [], conditional: [] }, where, root)) {
      const found = find(command.words);
      if (found) calls.push({ where, cwd: command.cwd, ...found, env });
    }
  }
  for (const command of projectCommands(root, env)) {
    const found = find(command.words.map((word) => (word.text.includes(UNKNOWN) ? { ...word, dynamic: true } : word)));
    if (found) calls.push({ where: command.where, cwd: command.cwd, ...found, env: command.env, tool: command.from });
  }
  return calls;
}
