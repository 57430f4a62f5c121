import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../config/project.js';
import { InputError } from '../errors.js';
import { codeMigrationsError, codeMigrationsIn } from '../runners/code-migrations.js';
import { conflictingFiles, detectRunner, migrationLikeFolders, onlySchemaDumps, postgresFolder } from '../runners/index.js';
import { sqlcOtherEngine } from '../runners/sqlc-config.js';
import { SUPABASE_PLATFORM_FILE, SUPABASE_PLATFORM_SQL, supabaseApiPrivilegesSql } from '../runners/supabase-platform.js';
import { supabaseConfigTable } from '../runners/supabase-schemas.js';
import { isSupabaseCliFolder, supabase } from '../runners/supabase.js';
import { byCodeUnits, isFile, isSql, type Discovery, type Runner } from '../runners/types.js';
import { loadMigrations, toMigrationFile, VIRTUAL_FILE_PREFIX, virtualMigrationFile, type MigrationFile } from './discover.js';

/** A file in the migrations folder that the runner would not apply, by its path from the project root. */
export interface SkippedFile {
  file: string;
  reason: string;
  /** the runner applies it, pgdrift cannot replay it (a JavaScript migration): the replay is incomplete */
  appliedByRunner?: boolean;
  /** with `appliedByRunner`: the replayed migration the runner applies right after it, by its path from the project root */
  appliedBefore?: string;
}

/**
 * The files the runner would skip although nothing says they are meant to be skipped (a misnamed migration, a file
 * missing from drizzle's journal); down and undo migrations are not listed. Their changes are in no replay: a team
 * that believes them applied must hear it.
 */
export function skippedFiles(project: Project, discovery: Discovery): SkippedFile[] {
  const folder = path.relative(project.root, project.migrationsDir).split(path.sep).join('/');
  return discovery.ignored
    .filter((f) => !f.expected)
    .map((f) => {
      // a name outside the folder (a Flyway Java migration's source, ../../java/db/migration/V3__x.java) is shown from the root
      const inFolder = (name: string) => path.posix.normalize(folder ? `${folder}/${name}` : name);
      return {
        file: inFolder(f.name),
        reason: f.reason,
        ...(f.appliedByRunner ? { appliedByRunner: true } : {}),
        ...(f.appliedByRunner && f.appliedBefore ? { appliedBefore: inFolder(f.appliedBefore) } : {}),
      };
    });
}

/** A migrations folder the project's sqlc config reads as another database's schema (sqlite, mysql) is refused. */
export function refuseOtherDatabase(root: string, migrationsDir: string): void {
  const other = sqlcOtherEngine(root, migrationsDir);
  if (!other) return;
  const folder = path.relative(root, migrationsDir).split(path.sep).join('/') || '.';
  throw new InputError(`${other.file} reads ${folder}/ as the schema of a ${other.engine} database: this is not a PostgreSQL project`, { hint: NOT_POSTGRES_HINT });
}

/** A history its runner's own settings say is for another database (Prisma's provider, drizzle's dialect, dbmate's URL) is refused. */
export function refuseNotPostgres(folder: string, discovery: Discovery): void {
  if (discovery.notPostgres) throw new InputError(`${folder}/: ${discovery.notPostgres}`, { hint: NOT_POSTGRES_HINT });
}

const NOT_POSTGRES_HINT = 'pgdrift replays and lints PostgreSQL migrations; point --migrations at a PostgreSQL history if the project has one';

/** One notice line for skipped files (undefined when there are none). */
export function skippedFilesNotice(project: Project, skipped: SkippedFile[]): string | undefined {
  const list = (files: SkippedFile[]) => {
    const shown = files.slice(0, 5).map((f) => `${f.file} (${f.reason})`);
    return `${shown.join('; ')}${files.length > shown.length ? `, and ${files.length - shown.length} more` : ''}`;
  };
  const unreplayable = skipped.filter((f) => f.appliedByRunner);
  const notApplied = skipped.filter((f) => !f.appliedByRunner);
  const lines = [];
  if (notApplied.length > 0) {
    lines.push(`${notApplied.length} file${notApplied.length === 1 ? '' : 's'} in the migrations folder ${notApplied.length === 1 ? 'is' : 'are'} not applied by the ${project.runner.name} runner, so not replayed: ${list(notApplied)}`);
  }
  if (unreplayable.length > 0) {
    lines.push(`${unreplayable.length} migration${unreplayable.length === 1 ? '' : 's'} the ${project.runner.name} runner applies cannot be replayed, so the replayed schema lacks ${unreplayable.length === 1 ? 'its' : 'their'} effect: ${list(unreplayable)}`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

export interface ProjectMigrations {
  /** the runner's platform baseline (if any), then the baseline files, in order */
  baseline: MigrationFile[];
  /** what the runner applies, in its order */
  migrations: MigrationFile[];
  discovery: Discovery;
  /** what the runner runs around each migration (Flyway's beforeEachMigrate / afterEachMigrate) */
  aroundEachMigration?: { before: MigrationFile[]; after: MigrationFile[] };
}

/**
 * The project's files the runner replays (relative to the root), or undefined when they cannot be listed (the runner
 * refuses the folder): for the advice about committed pg_dump files, which may sit in the migrations folder unreplayed.
 */
export function replayedFiles(project: Project): ReadonlySet<string> | undefined {
  try {
    const loaded = loadProjectMigrations(project);
    return new Set([...loaded.baseline, ...loaded.migrations].map((m) => m.file));
  } catch {
    return undefined;
  }
}

/**
 * Reads the project's baseline and migrations the way its runner would. `strict` (replaying) also refuses what the
 * runner refuses before applying anything (duplicate versions...) and a detected folder that holds files the runner
 * would silently skip although they look like migrations.
 */
export function loadProjectMigrations(project: Project, options: { strict?: boolean; replayDatabase?: string } = {}): ProjectMigrations {
  refuseOtherDatabase(project.root, project.migrationsDir);
  const { migrations, discovery, aroundEachMigration } = loadMigrations(project.migrationsDir, project.root, project.runner, { order: project.order, placeholders: project.placeholders, ...(options.replayDatabase ? { replayDatabase: options.replayDatabase } : {}) });
  const folder = path.relative(project.root, project.migrationsDir).split(path.sep).join('/') || '.';
  refuseNotPostgres(folder, discovery);
  if (project.runnerSource === 'detected') {
    refuseUnlistedSupabaseCliFiles(project.runner, project.runnerEvidence?.what, project.migrationsDir, folder, discovery.ignored);
    const conflicts = conflictingFiles(project.runner, discovery.ignored);
    if (conflicts.length > 0) {
      throw new InputError(
        `${folder}/ is ambiguous: it looks like ${project.runner.name} (${project.runnerEvidence?.what ?? 'its file names'}), which would not apply ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : ''}`,
        { hint: 'move those files out of the folder, or name the runner: "runner" in pgdrift.config.json or --runner <name>' },
      );
    }
  }
  // the numbered fallback on a folder whose only .sql files are pg_dump schema dumps (supabase/postgres: migrations/
  // schema.sql, schema-15.sql, schema-16.sql above migrations/db/migrations) replayed the dumps as migrations
  const guessed = project.runnerSource === 'detected' && !project.runnerEvidence;
  if (guessed && project.runner.name === 'numbered' && onlySchemaDumps(project.migrationsDir, migrations.map((m) => m.name), project.root)) {
    const dumps = `the .sql files in ${folder}/ (${migrations.map((m) => m.name).join(', ')}) are pg_dump schema dumps, not migrations`;
    const named = migrationLikeFolders(project.migrationsDir).map((below) => (folder === '.' ? below : `${folder}/${below}`));
    if (named.length > 0) {
      throw new InputError(`${dumps}; below it, ${named.map((below) => `${below}/`).join(', ')} ${named.length > 1 ? 'hold' : 'holds'} .sql files`, {
        hint: `if that is the history, name it: --migrations ${postgresFolder(named) ?? named[0]} (or "migrations" in pgdrift.config.json)`,
      });
    }
    const below = migrationsBelowError(project.root, project.migrationsDir, project.runner, true);
    if (below) throw new InputError(`${dumps}; ${below.message}`, { hint: below.hint });
    throw new InputError(`${dumps}: there are no migrations to replay`, {
      hint: `point --migrations (or "migrations" in pgdrift.config.json) at the folder of migration files; a dump can be the snapshot to compare with: --snapshot ${folder === '.' ? '' : `${folder}/`}${migrations[migrations.length - 1].name}`,
    });
  }
  if (migrations.length === 0) {
    // what stops the runner is the cause, not the empty listing it leaves: a drizzle journal whose only entry names a
    // missing file (drizzle stops: "No file ... found") left "no migrations" and the 39 files it never lists
    // (field: midday-ai/midday packages/db/migrations/meta/_journal.json, entry 0000_silly_sage)
    if (discovery.problems.length > 0) throw runnerRefusesError(folder, project.runner, discovery.problems, discovery.ignored);
    const unreplayable = discovery.ignored.filter((f) => f.appliedByRunner);
    if (unreplayable.length > 0) throw onlyUnreplayableError(folder, project.runner.name, unreplayable);
    const below = discovery.ignored.length === 0 ? migrationsBelowError(project.root, project.migrationsDir, project.runner, project.runnerSource === 'detected' && !project.runnerEvidence) : undefined;
    if (below) throw below;
    const code = codeMigrationsIn(project.migrationsDir, project.root);
    if (code) throw codeMigrationsError(code);
    throw new InputError(`no migrations in ${folder}/ for the ${project.runner.name} runner${discovery.ignored.length ? ` (${discovery.ignored.length} file(s) skipped, e.g. ${discovery.ignored[0].name}: ${discovery.ignored[0].reason})` : ''}`, {
      hint: 'point --migrations (or "migrations" in pgdrift.config.json) at the folder of migration files, or choose the runner with --runner',
    });
  }
  if (options.strict && discovery.problems.length > 0) throw runnerRefusesError(folder, project.runner, discovery.problems);
  const baseline = [
    ...(project.platformBaseline ? [virtualMigrationFile(SUPABASE_PLATFORM_FILE, SUPABASE_PLATFORM_SQL + supabaseApiPrivilegesSql(autoExposeNewTables(project)))] : []),
    ...project.baselineFiles.map((file) => toMigrationFile(file, project.root)),
    ...bookkeepingFile(project),
  ];
  return { baseline, migrations, discovery, ...(aroundEachMigration ? { aroundEachMigration } : {}) };
}

/** The runner a sub-folder's files show (its markers or names), if any; a folder that mixes layouts shows none. */
function subFolderRunner(folder: string, root: string): { runner: string; what: string } | undefined {
  try {
    const { runner, evidence } = detectRunner(folder, root, { allowEmpty: true });
    return evidence ? { runner: runner.name, what: evidence.what } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The sub-folders of a migrations folder that hold .sql files themselves: the folder the runner really reads when the
 * conventional one only wraps it (field: ngoctb13/forya-be keeps golang-migrate's files in migrations/sql, which its
 * Go code opens as `file://./migrations/sql`), named in the "no migrations" error instead of leaving the user to guess.
 */
/**
 * The "no migrations" error for a folder whose .sql files are in its sub-folders (one per database or stage), naming
 * them and the PostgreSQL one, or undefined when none holds any. Shared by init and the replay, so both say the same.
 * `guessed`: the runner is the numbered fallback no file showed.
 */
export function migrationsBelowError(root: string, migrationsDir: string, runner: Runner, guessed: boolean): InputError | undefined {
  const below = subFoldersWithSql(migrationsDir);
  if (below.length === 0) return undefined;
  const folder = path.relative(root, migrationsDir).split(path.sep).join('/') || '.';
  const shown = below.map((name) => `${folder === '.' ? '' : `${folder}/`}${name}`);
  // Diesel's layout: pointing --migrations at one `<version>_<name>/` folder would replay its down.sql after up.sql
  const diesel = below.filter((name) => isFile(path.join(migrationsDir, name, 'up.sql')));
  if (diesel.length > 0 && runner.name !== 'diesel') {
    return new InputError(`no migrations in ${folder}/ for the ${runner.name} runner: its sub-folders are Diesel migrations (<version>_<name>/up.sql, e.g. ${shown[below.indexOf(diesel[0])]}/up.sql)`, {
      hint: 'replay them with the diesel runner: --runner diesel, or "runner": "diesel" in pgdrift.config.json (Diesel applies only each folder\'s up.sql)',
    });
  }
  // one folder per database (flipt-io/flipt@v1.61.1 config/migrations/{clickhouse,cockroachdb,mysql,postgres,sqlite3}):
  // the example is the PostgreSQL one when a folder's name says so, not the first in name order
  const example = shown.find((f) => /^(postgres(ql)?|pg(sql)?)$/i.test(path.basename(f))) ?? shown[0];
  // A runner guessed from no markers at all (the numbered fallback) is no runner the user chose or the files show:
  // name the one the example folder's files show instead (field: kalbasit/ncps migrations/postgres, goose files)
  const shownRunner = guessed ? subFolderRunner(path.join(root, example), root) : undefined;
  const forRunner = guessed ? '' : ` for the ${runner.name} runner`;
  const down = below.every((name) => subFolderHoldsSql(path.join(migrationsDir, name))) ? 'one folder down' : 'below it';
  return new InputError(`no migrations in ${folder}/${forRunner}: its .sql files are ${down}, in ${shown.map((f) => `${f}/`).join(', ')}${shownRunner ? ` (${example}/ holds ${shownRunner.runner} migrations: ${shownRunner.what})` : ''}`, {
    hint:
      path.basename(example) === 'sqls' && readdirSync(migrationsDir).some((name) => name.endsWith('.js'))
        ? `db-migrate's --sql-file layout (its .js migrations run sqls/<name>-up.sql): --migrations ${example} replays them as they do (or "migrations" in pgdrift.config.json)`
        : `point --migrations (or "migrations" in pgdrift.config.json) at the folder the runner reads, e.g. --migrations ${example}`,
  });
}

function subFolderHoldsSql(folder: string): boolean {
  try {
    return readdirSync(folder, { withFileTypes: true }).some((file) => file.isFile() && isSql(file.name));
  } catch {
    return false;
  }
}

function subFoldersWithSql(folder: string): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .filter((entry) => {
      try {
        // or Diesel's folders of `<version>_<name>/up.sql`, one per database (dani-garcia/vaultwarden
        // migrations/{mysql,postgresql,sqlite}/, which its code embeds with embed_migrations!("migrations/postgresql"))
        return readdirSync(path.join(folder, entry.name), { withFileTypes: true }).some(
          (file) => (file.isFile() && isSql(file.name)) || (file.isDirectory() && isFile(path.join(folder, entry.name, file.name, 'up.sql'))),
        );
      } catch {
        return false;
      }
    })
    .map((entry) => entry.name)
    .sort(byCodeUnits);
}

/**
 * The runner's bookkeeping table, created as the runner creates it before its first migration: after what the
 * database already holds (the platform, the baseline files), before the migrations. A migration that alters the
 * table then applies, and one that creates a table of that name fails, as with the runner.
 */
function bookkeepingFile(project: Project): MigrationFile[] {
  const setup = project.runner.bookkeepingSetup;
  if (!setup) return [];
  const text = `-- the ${project.runner.name} runner's bookkeeping table, as it creates it on a new database (see src/runners/${project.runner.name}.ts)\n${setup.sql}\n`;
  return [virtualMigrationFile(bookkeepingFileName(project.runner.name), text, { unlessTableExists: setup.table })];
}

export function bookkeepingFileName(runner: string): string {
  return `${VIRTUAL_FILE_PREFIX}${runner}-bookkeeping.sql`;
}

/**
 * A folder whose migrations the runner applies but pgdrift cannot replay (all node-pg-migrate .ts/.js files, goose
 * .go ones): "no migrations" there read as a wrong folder (field: kaladivo/filloapp@81e82f6, ten node-pg-migrate
 * TypeScript migrations). The error says what is there and why none of it can be replayed, alike in init, check and dump.
 */
export function onlyUnreplayableError(folder: string, runner: string, files: { name: string; reason: string }[]): InputError {
  const count = files.length === 1 ? '1 migration' : `${files.length} migrations`;
  return new InputError(`${folder}/ holds ${count} the ${runner} runner applies and no SQL one pgdrift can replay (e.g. ${files[0].name}: ${files[0].reason}): nothing to replay`, {
    hint: 'pgdrift replays SQL migration files; a project whose migrations are code cannot be replayed (write new migrations as .sql files, or point --migrations at the SQL ones)',
  });
}

/** What the runner's own discovery stops on (a drizzle journal naming a missing file...), with the files it skips. */
/** How many of a runner's refusals an error lists (field: formbricks/formbricks, 28 Prisma folders without migration.sql). */
const MAX_PROBLEMS_SHOWN = 6;

export function runnerRefusesError(folder: string, runner: Project['runner'], problems: string[], ignored: { name: string; reason: string }[] = []): InputError {
  const skipped = ignored.length > 0 ? `\n  and it would not apply ${ignored.length === 1 ? '1 file' : `${ignored.length} files`} of the folder (e.g. ${ignored[0].name}: ${ignored[0].reason})` : '';
  // a long list would be cut by the message limit (util/redact.ts) at a random place: the first ones, and how many more
  const shown = problems.length > MAX_PROBLEMS_SHOWN ? [...problems.slice(0, MAX_PROBLEMS_SHOWN - 1), `and ${problems.length - MAX_PROBLEMS_SHOWN + 1} more (pgdrift lint names each at its file)`] : problems;
  return new InputError(`the ${runner.name} runner would refuse ${folder}/:\n  ${shown.join('\n  ')}${skipped}`, {
    hint:
      `${runner.name} stops on this (most runners before applying anything); fix what it names (see ${runner.docs})` +
      (ignored.length > 0 ? `, or, when the team applies these files some other way, choose that runner: --runner <name> or "runner" in pgdrift.config.json` : ''),
  });
}

/**
 * Another runner detected in the Supabase CLI's own folder (drizzle-kit writing its journal to supabase/migrations)
 * while the folder holds files that runner never applies and the CLI does (`supabase migration new` beside drizzle-kit
 * generate): `supabase start`, `db reset` and `db push` apply every `<timestamp>_name.sql` there (supabase.discover,
 * after the CLI's pkg/migration file pattern), so which runner applies the folder decides what is replayed. Detection
 * cannot tell; the team names it. A folder whose every file the detected runner applies is no question
 * (field: onlook-dev/onlook apps/backend/supabase/migrations, drizzle-kit migrate over its journal).
 */
export function refuseUnlistedSupabaseCliFiles(
  runner: Project['runner'],
  evidence: string | undefined,
  migrationsDir: string,
  folder: string,
  ignored: { name: string }[],
  hint = 'name the runner that applies the folder: --runner supabase (every <timestamp>_name.sql, each file in its own transaction) or --runner <name>, or "runner" in pgdrift.config.json',
): void {
  if (runner.name === supabase.name || !isSupabaseCliFolder(migrationsDir) || ignored.length === 0) return;
  const cliApplies = new Set(supabase.discover(migrationsDir).migrations.map((m) => m.name));
  const unlisted = ignored.map((f) => f.name).filter((name) => cliApplies.has(name));
  if (unlisted.length === 0) return;
  const shown = `${unlisted.slice(0, 5).join(', ')}${unlisted.length > 5 ? ` and ${unlisted.length - 5} more` : ''}`;
  throw new InputError(
    `${folder}/ is ambiguous: it looks like ${runner.name} (${evidence ?? 'its file names'}), which would not apply ${shown}, ` +
      `but it is the Supabase CLI's folder, and supabase start, db reset and db push apply ${unlisted.length > 1 ? 'them' : 'it'}`,
    { hint: hint.replace('<name>', runner.name) },
  );
}

/**
 * `[api] auto_expose_new_tables` of the project's supabase/config.toml (beside its supabase/migrations folder, else
 * supabase/ at the root): only an explicit false turns the platform's default grants off (supabase/cli@1d1e719
 * internal/db/start/start.go ApplyApiPrivileges: unset or true keeps them).
 */
function autoExposeNewTables(project: Pick<Project, 'root' | 'migrationsDir'>): boolean {
  const supabaseDir = isSupabaseCliFolder(project.migrationsDir) ? path.dirname(project.migrationsDir) : path.join(project.root, 'supabase');
  return supabaseConfigTable(path.join(supabaseDir, 'config.toml'), 'api')?.auto_expose_new_tables !== false;
}
