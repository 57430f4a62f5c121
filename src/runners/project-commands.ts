import { readMakefile, recipeCommands, recipeEnvironment, UNKNOWN, type RecipeCommand } from './makefile.js';
import { argumentsOf, scriptInvocations, type ScriptInvocation, type ShellWord } from './package-scripts.js';
import { justfileCommands } from './justfile.js';
import { taskfileCommands } from './taskfile.js';

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

/**
 * Every shell command the project's Makefile, Taskfile and justfile in `root` run (read, never run): where the runners' readers
 * find the flags a team's migration commands give (goose -dir/-table, migrate -path/-database, dbmate -d). `env` is
 * the environment make, Task and just are started with.
 */
export function projectCommands(root: string, env: Record<string, string | undefined>): ProjectCommand[] {
  const makefile = readMakefile(root, env);
  const makeEnv = makefile ? recipeEnvironment(makefile, env, root) : env;
  const make = makefile ? recipeCommands(makefile, env, root).map((command): ProjectCommand => ({ ...command, env: makeEnv, from: 'make' })) : [];
  return [
    ...make,
    ...taskfileCommands(root, env).map((command): ProjectCommand => ({ ...command, from: 'task' })),
    ...justfileCommands(root, env).map((command): ProjectCommand => ({ ...command, from: 'just' })),
  ];
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
  const calls: ProgramCall[] = scriptInvocations(root, program).map(({ script, args, assignments }) => ({ where: `package.json script "${script}"`, cwd: root, args, assignments, env }));
  for (const command of projectCommands(root, env)) {
    const found = find(command.words.map((word) => (word.text.includes(UNKNOWN) ? { ...word, dynamic: true } : word)));
    if (found) calls.push({ where: command.where, cwd: command.cwd, ...found, env: command.env, tool: command.from });
  }
  return calls;
}
