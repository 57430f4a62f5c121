import path from 'node:path';
import type { Project } from '../config/project.js';
import type { DriftItem } from '../diff/types.js';
import { loadProjectMigrations } from '../migrations/project-migrations.js';
import type { SchemaModel } from '../model/types.js';
import { atlasSumWith, SUM_FILE } from '../runners/atlas.js';
import { writeFileAtomic, writeFilesAtomic } from '../util/fs.js';
import { migrationSlug, migrationText, migrationTitle, newMigrationPath, nextMigration } from './migration-file.js';
import { generateFix, projectFixStyle, type GeneratedFix } from './project.js';

export interface WriteMigrationOptions {
  /** the file's name part (`add_user_index`); default `reconcile_schema_drift` */
  name?: string;
  allowDestructive?: boolean;
  /** YYYY-MM-DD for the header (default: today, UTC) */
  today?: string;
  now?: Date;
}

export interface WrittenMigration {
  /** relative to the project root, forward slashes; absent when nothing runnable was left to write */
  file?: string;
  /** why no file was written */
  skipped?: string;
  fix: GeneratedFix;
}

/**
 * `check --write-migration`: the next migration file of the project's runner, holding the DDL that makes the
 * migrations produce the snapshot (from = the replayed migrations, to = the snapshot), written atomically, in the
 * style the project's runner and lint preset ask for.
 */
export function writeFixMigration(project: Project, models: { migrations: SchemaModel; snapshot: SchemaModel }, drift: DriftItem[], options: WriteMigrationOptions = {}): WrittenMigration {
  const loaded = loadProjectMigrations(project);
  const style = projectFixStyle(project, loaded.migrations);
  const fix = generateFix(models.migrations, models.snapshot, drift, { ...style, allowDestructive: options.allowDestructive ?? false });
  const runnable = fix.plan.steps.filter((s) => options.allowDestructive || !s.unsafe);
  if (runnable.length === 0) {
    return { fix, skipped: fix.plan.steps.length > 0 ? 'every step is destructive: re-run with --allow-destructive to write them' : 'no step to write' };
  }
  const now = options.now ?? new Date();
  const slug = migrationSlug(options.name ?? 'reconcile_schema_drift');
  const next = nextMigration(project.runner, loaded.discovery.migrations, slug, now, project.migrationsDir);
  const absolute = newMigrationPath(project.migrationsDir, next.name);
  const text = migrationText({
    runner: project.runner,
    version: next.version,
    title: migrationTitle(slug),
    purpose: 'make the migrations produce the committed snapshot (written by pgdrift check --write-migration)',
    created: options.today ?? now.toISOString().slice(0, 10),
    header: style.header,
    sql: fix.sql,
    ...(next.depends ? { depends: next.depends } : {}),
  });
  // Atlas refuses a folder whose atlas.sum does not match its files: the new file and the re-hashed sum, all or none.
  // A golang-migrate folder with an atlas.sum is one Atlas manages too (`atlas migrate diff --dir-format golang-migrate`
  // writes both): its sum lists the .up.sql files, as the one written here
  const sum = project.runner.name === 'atlas' || project.runner.name === 'golang-migrate' ? atlasSumWith(project.migrationsDir, project.root, next.name, text) : undefined;
  if (sum !== undefined) writeFilesAtomic([[absolute, text], [path.join(project.migrationsDir, SUM_FILE), sum]]);
  else writeFileAtomic(absolute, text);
  return { file: path.relative(project.root, absolute).split(path.sep).join('/'), fix };
}
