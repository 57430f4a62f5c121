import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { checkProjectFile } from './project-paths.js';

/**
 * A file pg_dump wrote, by its header (`-- PostgreSQL database dump`, or `-- Dumped from database version` after
 * pg_dump 17.6's `\restrict` line, which dbmate keeps): the one committed dump a project names in its own settings,
 * which init cannot see (field: verifier-alliance/database-specs keeps database.sql, named by DBMATE_SCHEMA_FILE in CI
 * and .env.template only).
 */
export function isPgDumpFile(file: string, label: string, root: string): boolean {
  try {
    // a link out of the project (or to a system file) is not read, as check would not read it
    if (checkProjectFile(file, label, root) === undefined) return false;
    const fd = openSync(file, 'r');
    const buffer = Buffer.alloc(2048);
    const length = (() => {
      try {
        return readSync(fd, buffer, 0, buffer.length, 0);
      } finally {
        closeSync(fd);
      }
    })();
    const head = buffer.subarray(0, length).toString('utf8');
    return head.includes('-- PostgreSQL database dump') || head.includes('-- Dumped from database version');
  } catch {
    return false;
  }
}

/** The .sql files of the project (five folders deep, outside node_modules, .git and the migrations folder), relative. */
export async function sqlFilesOutsideMigrations(root: string, migrationsDir: string): Promise<string[]> {
  const migrations = path.relative(root, migrationsDir).split(path.sep).join('/') || '.';
  return glob('**/*.sql', { cwd: root, onlyFiles: true, deep: 5, ignore: ['**/node_modules/**', '**/.git/**', `${migrations}/**`] });
}

/** The files pg_dump wrote among the project's .sql files outside the migrations, the baseline files left out (relative). */
export async function committedPgDumps(root: string, migrationsDir: string, baseline: readonly string[] = []): Promise<string[]> {
  const candidates = await sqlFilesOutsideMigrations(root, migrationsDir);
  return candidates.filter((file) => !baseline.includes(file) && isPgDumpFile(path.join(root, file), file, root)).sort();
}
