import { readMakefile, recipeCommands, recipeEnvironment, type RecipeCommand } from './makefile.js';
import { taskfileCommands } from './taskfile.js';

/** A shell command of the project's Makefile recipes or Taskfile tasks, with the environment its shell starts with. */
export interface ProjectCommand extends RecipeCommand {
  env: Record<string, string | undefined>;
  /** which tool runs it: make (makefile.ts) or Task (taskfile.ts) */
  from: 'make' | 'task';
}

/**
 * Every shell command the project's Makefile and Taskfile in `root` run (read, never run): where the runners' readers
 * find the flags a team's migration commands give (goose -dir/-table, migrate -path/-database, dbmate -d). `env` is
 * the environment make and Task are started with.
 */
export function projectCommands(root: string, env: Record<string, string | undefined>): ProjectCommand[] {
  const makefile = readMakefile(root, env);
  const makeEnv = makefile ? recipeEnvironment(makefile, env, root) : env;
  const make = makefile ? recipeCommands(makefile, env, root).map((command): ProjectCommand => ({ ...command, env: makeEnv, from: 'make' })) : [];
  return [...make, ...taskfileCommands(root, env).map((command): ProjectCommand => ({ ...command, from: 'task' }))];
}
