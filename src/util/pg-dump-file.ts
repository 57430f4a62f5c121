import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { checkProjectFile } from './project-paths.js';

/**
 * A file pg_dump wrote, by its header (`-- PostgreSQL database dump`, or `-- Dumped from database version` after
 * pg_dump 17.6's `\restrict` line, which dbmate keeps): the one committed dump a project names in its own settings,
 * which init cannot see (field: verifier-alliance/database-specs keeps database.sql, named by DBMATE_SCHEMA_FILE in CI
 * and .env.template only). Or by the preamble line every pg_dump since 10.3 writes among its first SETs, which
 * `supabase db dump` keeps while it drops the comments (its dump_schema.sh pipes pg_dump through sed): Supabase's
 * declarative-schema guide commits that output as supabase/schemas/prod.sql (field: Cap-go/capgo; init found no
 * snapshot and check advised writing a new one).
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
    return head.includes('-- PostgreSQL database dump') || head.includes('-- Dumped from database version') || head.split(/\r?\n/).some((line) => line.trim() === PG_DUMP_PREAMBLE);
  } catch {
    return false;
  }
}

/** pg_dump's dumpStdStrings/_doSetFixedOutputState line, written verbatim (pg_backup_archiver.c) */
const PG_DUMP_PREAMBLE = "SELECT pg_catalog.set_config('search_path', '', false);";

/**
 * The .sql files of the project (five folders deep, outside node_modules and .git), relative, but for the migrations:
 * the migrations folder as a whole, or, when the files the runner replays are known (`replayed`, relative), those only.
 * A pg_dump file the runner never applies can sit in its folder (field: regen-network/regen-server, graphile-migrate,
 * whose .gmrc afterAllMigrations writes migrations/schema_snapshot.sql; check advised `pgdrift snapshot`).
 */
export async function sqlFilesOutsideMigrations(root: string, migrationsDir: string, replayed?: ReadonlySet<string>): Promise<string[]> {
  const migrations = path.relative(root, migrationsDir).split(path.sep).join('/') || '.';
  const files = await glob('**/*.sql', { cwd: root, onlyFiles: true, deep: 5, ignore: ['**/node_modules/**', '**/.git/**', ...(replayed ? [] : [`${migrations}/**`])] });
  return replayed ? files.filter((file) => !replayed.has(file)) : files;
}

/**
 * The files pg_dump wrote among the project's .sql files but the migrations (sqlFilesOutsideMigrations), the baseline files left out
 * (relative), but for data-only dumps: their table of contents (pg_dump's `-- Name: x; Type: T; ...` comments) has only
 * rows (TABLE DATA, SEQUENCE SET...), no schema to compare (field: ttab/elephant-repository keeps postgres/schema.sql
 * beside postgres/schema_version.sql, the version table's row: init took neither of the two).
 */
export async function committedPgDumps(root: string, migrationsDir: string, baseline: readonly string[] = [], replayed?: ReadonlySet<string>): Promise<string[]> {
  const candidates = await sqlFilesOutsideMigrations(root, migrationsDir, replayed);
  return candidates.filter((file) => !baseline.includes(file) && isPgDumpFile(path.join(root, file), file, root) && !isDataOnlyDump(path.join(root, file))).sort();
}

const DATA_ENTRIES = new Set(['TABLE DATA', 'SEQUENCE SET', 'BLOB', 'BLOB DATA', 'BLOBS', 'LARGE OBJECT']);

/** A pg_dump file whose table-of-contents comments name only data entries (pg_dump --data-only). */
export function isDataOnlyDump(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  let entries = 0;
  for (const match of text.matchAll(/^-- (?:Data for )?Name: [^\n]*?; Type: ([A-Z ]+);/gm)) {
    entries++;
    if (!DATA_ENTRIES.has(match[1].trim())) return false;
  }
  return entries > 0;
}
