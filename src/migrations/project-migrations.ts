import path from 'node:path';
import type { Project } from '../config/project.js';
import { InputError } from '../errors.js';
import { conflictingFiles } from '../runners/index.js';
import { SUPABASE_PLATFORM_FILE, SUPABASE_PLATFORM_SQL } from '../runners/supabase-platform.js';
import type { Discovery } from '../runners/types.js';
import { loadMigrations, toMigrationFile, virtualMigrationFile, type MigrationFile } from './discover.js';

export interface ProjectMigrations {
  /** the runner's platform baseline (if any), then the baseline files, in order */
  baseline: MigrationFile[];
  /** what the runner applies, in its order */
  migrations: MigrationFile[];
  discovery: Discovery;
}

/**
 * Reads the project's baseline and migrations the way its runner would. `strict` (replaying) also refuses what the
 * runner refuses before applying anything (duplicate versions...) and a detected folder that holds files the runner
 * would silently skip although they look like migrations.
 */
export function loadProjectMigrations(project: Project, options: { strict?: boolean } = {}): ProjectMigrations {
  const { migrations, discovery } = loadMigrations(project.migrationsDir, project.root, project.runner, { order: project.order, placeholders: project.placeholders });
  const folder = path.relative(project.root, project.migrationsDir).split(path.sep).join('/') || '.';
  if (project.runnerSource === 'detected') {
    const conflicts = conflictingFiles(project.runner, discovery.ignored);
    if (conflicts.length > 0) {
      throw new InputError(
        `${folder}/ is ambiguous: it looks like ${project.runner.name} (${project.runnerEvidence?.what ?? 'its file names'}), which would not apply ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : ''}`,
        { hint: 'move those files out of the folder, or name the runner: "runner" in pgdrift.config.json or --runner <name>' },
      );
    }
  }
  if (migrations.length === 0) {
    throw new InputError(`no migrations in ${folder}/ for the ${project.runner.name} runner${discovery.ignored.length ? ` (${discovery.ignored.length} file(s) skipped, e.g. ${discovery.ignored[0].name}: ${discovery.ignored[0].reason})` : ''}`, {
      hint: 'point --migrations (or "migrations" in pgdrift.config.json) at the folder of migration files, or choose the runner with --runner',
    });
  }
  if (options.strict && discovery.problems.length > 0) {
    throw new InputError(`the ${project.runner.name} runner would refuse ${folder}/:\n  ${discovery.problems.join('\n  ')}`, {
      hint: `${project.runner.name} stops on this (most runners before applying anything); fix the file names (see ${project.runner.docs})`,
    });
  }
  const baseline = [
    ...(project.platformBaseline ? [virtualMigrationFile(SUPABASE_PLATFORM_FILE, SUPABASE_PLATFORM_SQL)] : []),
    ...project.baselineFiles.map((file) => toMigrationFile(file, project.root)),
  ];
  return { baseline, migrations, discovery };
}
