import { readMakefile, recipeCommands, recipeEnvironment, type RecipeCommand } from './makefile.js';
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
