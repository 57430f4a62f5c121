import path from 'node:path';
import { CONFIG_FILE_NAME } from '../config/load.js';
import { latestSnapshot, type Project, type SnapshotFile } from '../config/project.js';
import { InputError } from '../errors.js';
import { buildSchemaModel } from '../model/build.js';
import type { SchemaModel } from '../model/types.js';
import { loadSqlParser, SqlSyntaxError } from '../sql/parse.js';
import { readableOlderDump } from '../sql/older-dump-keywords.js';
import { committedPgDumps } from '../util/pg-dump-file.js';
import { replayedFiles } from '../migrations/project-migrations.js';
import { readTextFile } from '../util/text-file.js';
import { checkProjectFile } from '../util/project-paths.js';
import type { SchemaFileSet } from '../runners/supabase-schemas.js';
import {
  SUPABASE_DB_DUMP_EXCLUDED_SCHEMAS,
  SUPABASE_IMAGE_EXTENSIONS,
  SUPABASE_PLATFORM_EXTENSIONS,
  SUPABASE_PLATFORM_FILE,
  SUPABASE_PLATFORM_ROLES,
  SUPABASE_PLATFORM_SQL,
  SUPABASE_PREINSTALLED_EXTENSIONS,
} from '../runners/supabase-platform.js';

/** The latest committed snapshot, read and modelled; a clear error (with the fix) when there is none. */
export interface LoadedSnapshot {
  file: SnapshotFile;
  text: string;
  model: SchemaModel;
  /**
   * A set of hand-written schema files (Project.schemaFiles), in load order: each file read and modelled on its own,
   * so a drift item names the file and line that declare the object. `text` and `model` are then those of all of them
   * one after the other, and `file` names the set (its label), not one file.
   */
  parts?: SnapshotPart[];
}

/** One file of a set of schema files. */
export interface SnapshotPart {
  file: SnapshotFile;
  text: string;
  model: SchemaModel;
}

/**
 * The project has no snapshot yet (the first `pgdrift snapshot` writes it), or its snapshot is a pg_dump file pgdrift
 * was not told about: `dumps` are the committed files pg_dump wrote outside the migrations. Then the advice is to compare
 * with them, never to write a new snapshot from the migrations, which would match the migrations by construction and
 * leave the team's dump unchecked (field: oliver-hohn/mealfriend commits goose migrations and a pg_dump db/schema.sql,
 * and goose names no dump file; check said "run pgdrift snapshot").
 */
export class NoSnapshotError extends InputError {
  constructor(project: Pick<Project, 'snapshotGlob'>, dumps: readonly string[] = []) {
    super(`no snapshot matches ${project.snapshotGlob}`, {
      hint:
        dumps.length === 0
          ? 'run `pgdrift snapshot` to write the first one from the migrations, and commit it'
          : `${dumps.length === 1 ? `${dumps[0]} is a pg_dump file` : `pg_dump wrote ${dumps.join(', ')}`}: compare with ${dumps.length === 1 ? 'it' : 'the team\'s schema dump'} (--snapshot ${dumps.length === 1 ? dumps[0] : '<file>'}, or "snapshot" in ${CONFIG_FILE_NAME}, which \`pgdrift init\` writes); \`pgdrift snapshot\` would write a new one from the migrations, which matches them whatever the database has`,
    });
  }
}

export async function loadLatestSnapshot(project: Project): Promise<LoadedSnapshot> {
  if (project.schemaFiles) return loadSchemaFileSet(project, project.schemaFiles);
  const file = await latestSnapshot(project);
  if (!file) {
    const baseline = project.baselineFiles.map((f) => path.relative(project.root, f).split(path.sep).join('/'));
    throw new NoSnapshotError(project, await committedPgDumps(project.root, project.migrationsDir, baseline, replayedFiles(project)));
  }
  await loadSqlParser();
  return { file, ...readDumpFile(file.path, file.file) };
}

/** What the replayed schema is compared with the snapshot without (compareDumps's options of the same names). */
export interface SnapshotComparison {
  ignore: string[];
  ignoreExtensionComments: boolean;
  ignoreEventTriggers: boolean;
  ignoreExtensions: readonly string[];
  platformExtensions: readonly string[];
  /** against a snapshot `supabase db dump` wrote: what the confirming reload loads it after (compareDumps's `platform`) */
  platform?: { sql: string; file: string; roles: readonly string[]; extensions: readonly string[] };
}

/**
 * The set of schema files as one snapshot: every file read as a snapshot file is (an empty one, a data dump or one that
 * is not SQL is refused at its own file:line), and modelled apart; a pattern of the config's list that matches
 * nothing is an input error (a file left out of the snapshot would make its objects drift), while the Supabase CLI's
 * own schema_paths are taken as the CLI takes them (`db diff` ignores a pattern that matches nothing).
 */
async function loadSchemaFileSet(project: Project, set: SchemaFileSet): Promise<LoadedSnapshot> {
  if (set.refused) throw set.refused;
  if (set.unmatched.length > 0 && !set.supabaseCli) {
    throw new InputError(`${set.origin}: ${set.unmatched.map((p) => JSON.stringify(p)).join(', ')} ${set.unmatched.length === 1 ? 'matches' : 'match'} no file`, {
      hint: 'each entry is a glob relative to the project root (`*` within one folder level, as the Supabase CLI reads schema_paths): fix or remove it',
    });
  }
  if (set.files.length === 0) throw new InputError(`${set.origin} names no schema file (${set.label})`, { hint: 'point "snapshot" at the folder or globs of the hand-written schema files' });
  await loadSqlParser();
  const parts = set.files.map((file) => {
    const absolute = path.join(project.root, file);
    checkProjectFile(absolute, file, project.root, project.allowOutside);
    return { file: { path: absolute, file }, ...readDumpFile(absolute, file) };
  });
  // one after the other, each ended: the files' models merged as a loader would see them (a last statement need not end with `;`)
  const text = parts.map((part) => part.text).join('\n;\n');
  return { file: { path: project.root, file: set.label }, text, model: buildSchemaModel(text, set.label), parts };
}

/**
 * How the replayed schema is compared with a project's snapshot: one answer for `check` (is there drift?) and
 * `snapshot` (did the schema change?), and `diff` of the migrations with the snapshot or a dump file, so that what check
 * calls clean is never a change that rewrites the snapshot, nor a difference in diff.
 * The project's ignore list (its runner's bookkeeping tables, the platform's publication, the config's "ignore");
 * with a platform baseline, extension comments (`supabase db dump` comments them out); and against a snapshot that
 * `supabase db dump` wrote, the platform schemas it leaves out, the event triggers it comments out, and the extensions
 * the platform installs in every project (a dump lists them whatever the migrations did; `--schema public` none).
 */
export function snapshotComparison(
  project: Pick<Project, 'ignore' | 'platformBaseline'>,
  snapshot: Pick<SchemaModel, 'supabaseDbDump'>,
  /** the extensions the project's own files create: of the platform's, those are compared both ways */
  created: readonly string[] = [],
): SnapshotComparison {
  const supabaseDbDump = Boolean(project.platformBaseline) && snapshot.supabaseDbDump === true;
  return {
    ignore: [...project.ignore, ...(supabaseDbDump ? SUPABASE_DB_DUMP_EXCLUDED_SCHEMAS : [])],
    ignoreExtensionComments: Boolean(project.platformBaseline),
    ignoreEventTriggers: supabaseDbDump,
    ignoreExtensions: supabaseDbDump ? SUPABASE_PREINSTALLED_EXTENSIONS : [],
    // the baseline's extensions the migrations do not create themselves: only then is the replay's say nothing of them
    platformExtensions: project.platformBaseline ? SUPABASE_PLATFORM_EXTENSIONS.filter((name) => !created.includes(name)) : [],
    // the extensions it is reloaded without: every project's, those only Supabase's image ships, and pgmq (which
    // `supabase db dump` lists beside them, and few servers have)
    ...(supabaseDbDump
      ? { platform: { sql: SUPABASE_PLATFORM_SQL, file: SUPABASE_PLATFORM_FILE, roles: SUPABASE_PLATFORM_ROLES, extensions: [...new Set([...SUPABASE_PREINSTALLED_EXTENSIONS, ...SUPABASE_IMAGE_EXTENSIONS, 'pgmq'])] } }
      : {}),
  };
}

/** Reads a pg_dump --schema-only file (or a hand-written schema file) into a model; an empty file or one that is not SQL is an input error. */
export function readDumpFile(absolutePath: string, label: string): { text: string; model: SchemaModel } {
  let text: string;
  try {
    text = readTextFile(absolutePath);
  } catch (error: any) {
    throw new InputError(`cannot read ${label}: ${error?.code ?? error?.message ?? error}`);
  }
  if (text.trim() === '') throw new InputError(`${label} is empty`, { hint: 'regenerate it with `pgdrift snapshot --force`' });
  const copyLine = firstDataBlockLine(text);
  if (copyLine !== undefined) {
    // Named where the data starts: the parser would stop at the first data row (or at a \restrict line before it).
    throw new InputError(`${label}:${copyLine}:1: a data dump (COPY ... FROM stdin with table rows), not a schema dump`, {
      position: { file: label, line: copyLine, column: 1 },
      hint: 'write it with pg_dump --schema-only (or `pgdrift snapshot`)',
    });
  }
  const insertLine = firstInsertDataLine(text);
  if (insertLine !== undefined) {
    // `supabase db dump --data-only` (supabase/cli internal/db/dump/templates/dump_data.sh: pg_dump --data-only
    // --column-inserts) and pg_dump --inserts: rows as INSERT statements under pg_dump's TABLE DATA / SEQUENCE SET
    // comments. They parse, so they were compared as an empty schema with INSERTs: every table drift.
    throw new InputError(`${label}:${insertLine}:1: a data dump (pg_dump's TABLE DATA, rows as INSERT statements), not a schema dump`, {
      position: { file: label, line: insertLine, column: 1 },
      hint: 'write it with pg_dump --schema-only, `supabase db dump` without --data-only, or `pgdrift snapshot`',
    });
  }
  try {
    // a committed dump of a Postgres 15 database (`supabase db dump`) may write later majors' keywords bare
    text = readableOlderDump(text);
    const model = buildSchemaModel(text, label);
    return { text, model };
  } catch (error) {
    if (error instanceof SqlSyntaxError) {
      // a snapshot may be pg_dump's text or a schema file written by hand (hand-written-snapshot.ts): SQL either way
      // Postgres has no backquoted names: MySQL's quoting (mysqldump, `dbmate dump` against MySQL). Field:
      // ecommerce-project-individual/ecommerce-dbmate-migrate and woai30231/nuxt-fullstack-dbmate db/schema.sql.
      const mysql = /^syntax error at or near "`/.test(error.detail);
      throw new InputError(`${label}:${error.line}:${error.column}: not valid SQL: ${error.detail}`, {
        position: { file: label, line: error.line, column: error.column },
        hint: mysql
          ? 'a `backquoted` name is MySQL\'s quoting: this looks like a MySQL dump (mysqldump, or dbmate dump on MySQL), and pgdrift compares PostgreSQL schemas only'
          : 'expected the text output of pg_dump --schema-only, or a schema file that psql -f loads',
      });
    }
    throw error;
  }
}

/**
 * The line of pg_dump's first row written as an INSERT (`--inserts` / `--column-inserts`), or of its first TABLE DATA
 * or SEQUENCE SET comment when no row follows one: pg_dump writes those comments only for data, never with --schema-only.
 */
function firstInsertDataLine(text: string): number | undefined {
  const comment = /^-- (?:Data for )?Name: [^\n]*; Type: (?:TABLE DATA|SEQUENCE SET);/m.exec(text);
  if (!comment) return undefined;
  const row = /^(?:INSERT INTO |SELECT pg_catalog\.setval\()/m.exec(text.slice(comment.index));
  return lineAt(text, row ? comment.index + row.index : comment.index);
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The line of pg_dump's first data block (`COPY <table> (...) FROM stdin;` on a line of its own), if any. */
function firstDataBlockLine(text: string): number | undefined {
  const match = /^COPY [^\n]* FROM stdin;$/m.exec(text);
  return match ? lineAt(text, match.index) : undefined;
}
