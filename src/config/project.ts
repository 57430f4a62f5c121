import { SUPABASE_PLATFORM_IGNORE } from '../runners/supabase-platform.js';
import { isSupabaseCliFolder } from '../runners/supabase.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob, globSync } from 'tinyglobby';
import { InputError } from '../errors.js';
import type { EngineName } from '../engine/types.js';
import type { MigrationOrder } from '../migrations/discover.js';
import { checkProjectFile, outsideProjectAllowed, resolveInsideProject } from '../util/project-paths.js';
import type { RunnerOptions } from '../runners/types.js';
import { goEmbeddedMigrationFolders, type EmbeddedFolder } from '../runners/go-embed.js';
import { CONVENTIONAL_FOLDERS, detectRunner, findMigrationsFolder, noMigrationsFolderError, onlyNestedMigrationsFolder, postgresFolder, runnerByName, runners, type Evidence, type Runner } from '../runners/index.js';
import { sqlcSchemaFolder } from '../runners/sqlc-config.js';
import { TERN_SPLIT, ternMarkedFolder } from '../runners/tern.js';
import { declaredSchemaFiles, isOneDump, schemaFilesFromPatterns, schemaFilesInFolder, type SchemaFileSet } from '../runners/supabase-schemas.js';
import { loadConfig } from './load.js';
import { countProjectResolved } from '../util/work-count.js';
import type { PgdriftConfig } from './schema.js';

export const DEFAULT_SNAPSHOT_GLOB = 'docs/architecture/schema-actual-*.sql';
export const MIGRATION_FOLDER_CANDIDATES = CONVENTIONAL_FOLDERS;

/** Everything a command needs to know about the project, with defaults applied and paths resolved. */
export interface Project {
  root: string;
  config: PgdriftConfig;
  configSource?: string;
  /** absolute */
  migrationsDir: string;
  /** absolute, in the order given */
  baselineFiles: string[];
  snapshotGlob: string;
  /**
   * The snapshot is a set of hand-written schema files loaded in order (a folder or a list in "snapshot", --snapshot
   * <folder>, or a Supabase project's declarative schemas when no snapshot is configured): then `snapshotGlob` names
   * only where pg_dump snapshots would go, and `pgdrift snapshot` writes nothing.
   */
  schemaFiles?: SchemaFileSet;
  order: MigrationOrder;
  /** flyway runner: placeholder values from the config ("placeholders") */
  placeholders?: Record<string, string>;
  mode: 'file' | 'statement';
  /** one line saying what was detected when there was no config, for the user */
  detected?: string;
  /** config paths may point outside the root (--allow-outside-project) */
  allowOutside?: boolean;
  /** the migration runner whose rules decide discovery, order, sections and transactions */
  runner: Runner;
  /** how the runner was chosen */
  runnerSource: 'flag' | 'config' | 'detected';
  /**
   * No migrations folder was found and the command asked for none (`migrationsOptional`: docs of a dump or a
   * database): `migrationsDir` is then the root, and nothing is to be read from it.
   */
  withoutMigrations?: true;
  /** what showed the detected runner */
  runnerEvidence?: Evidence;
  /** apply the runner's built-in platform baseline (supabase) before the baseline files */
  platformBaseline: boolean;
  /** object-name patterns drift ignores: the runner's bookkeeping tables, the platform's publication (SUPABASE_PLATFORM_IGNORE), then config "ignore" (never the platform baseline's schemas and tables: that would hide user triggers and policies on them) */
  ignore: string[];
}

export interface ProjectOptions {
  cwd?: string;
  configFile?: string;
  /** let config paths leave the project folder (default: env PGDRIFT_ALLOW_OUTSIDE_PROJECT, set by --allow-outside-project) */
  allowOutsideProject?: boolean;
  /** --migrations: this folder instead of the configured or detected one (relative to cwd) */
  migrations?: string;
  /** --runner: this runner instead of the configured or detected one */
  runner?: string;
  /** --baseline (repeatable): these baseline files instead of the configured ones (relative to cwd) */
  baseline?: string[];
  /** --snapshot: this snapshot file (or glob of dated ones) instead of the configured or runner's one (relative to cwd) */
  snapshot?: string;
  /**
   * The command reads a dump and uses the migrations only when there are some (docs --from <file|url|snapshot>):
   * with no folder found (and none named), a project `withoutMigrations` instead of the "no migrations folder" error.
   */
  migrationsOptional?: boolean;
}

export function resolveProject(options: ProjectOptions = {}): Project {
  countProjectResolved();
  const root = path.resolve(options.cwd ?? process.cwd());
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new InputError(`project folder not found: ${options.cwd}`);
  const { config, source } = loadConfig(root, options.configFile);
  let migrations = options.migrations ?? config.migrations;
  let located: LocatedFolder | undefined;
  if (!migrations) {
    located = locateMigrationsFolder(root, options.runner ?? config.runner);
    if (!located && options.migrationsOptional) return projectWithoutMigrations(root, config, source, options);
    if (!located) {
      throw noMigrationsFolderError(root, 'pass --migrations <folder>, create pgdrift.config.json with {"migrations": "<folder>"}, or run `pgdrift init`');
    }
    migrations = located.folder;
  }
  const allowOutside = outsideProjectAllowed(options.allowOutsideProject);
  checkConfigPaths(root, config, source ?? 'the config', allowOutside);
  let migrationsDir = path.resolve(root, migrations);
  if (!isDirectory(migrationsDir)) {
    throw new InputError(`migrations folder not found: ${migrations}`, { hint: 'check --migrations or "migrations" in pgdrift.config.json' });
  }
  const runnerFlag = options.runner ?? config.runner;
  let runner: Runner;
  let runnerEvidence: Evidence | undefined;
  let settingsFolderNote: string | undefined;
  if (runnerFlag) runner = runnerByName(runnerFlag);
  else ({ runner, evidence: runnerEvidence } = detectRunner(migrationsDir, root, { allowEmpty: true }));
  const runnerSource = options.runner ? 'flag' : config.runner ? 'config' : 'detected';
  // the folders the runner's own settings name (Flyway's locations), unless pgdrift's config or --migrations names one
  if (!(options.migrations ?? config.migrations) && runner.configuredFolders) {
    const configured = runner.configuredFolders(migrationsDir, { projectRoot: root, placeholders: config.placeholders });
    if (configured) {
      const found = migrationsDir;
      ({ migrationsDir, runner } = followConfiguredFolders(root, runner, configured, allowOutside));
      // a folder pgdrift found (drizzle/) that the runner's settings replace with another (drizzle.config's out)
      if (migrationsDir !== found && !migrationsDir.startsWith(found + path.sep)) settingsFolderNote = `using ${shownFolder(root, migrationsDir)}/, named by ${configured.setting}, not ${shownFolder(root, found)}/ (set "migrations" or --migrations to choose)`;
    }
  }
  // the runner as the project configures it for itself (Flyway's flyway.conf: schemas, history table)
  if (runner.forProject) runner = { ...runner, ...runner.forProject(migrationsDir, { projectRoot: root, placeholders: config.placeholders, ...(config.order ? { order: config.order } : {}) }) };

  const baselineBase = options.baseline ? path.resolve(options.cwd ?? process.cwd()) : root;
  const baselineFiles = (options.baseline ?? config.baseline ?? []).map((file) => {
    const absolute = path.resolve(baselineBase, file);
    if (!existsSync(absolute)) throw new InputError(`baseline file not found: ${file}`, { hint: options.baseline ? 'check --baseline' : 'check "baseline" in the config' });
    return absolute;
  });
  const platformBaseline = config.platformBaseline ?? onSupabase(runner, migrationsDir);
  // supabase/roles.sql, the CLI's custom roles: `supabase start` / `db reset` run it after the platform's initial
  // schema and before the migrations (supabase/cli apps/cli-go/internal/db/start/start.go SetupDatabase →
  // migration.SeedGlobals(utils.CustomRolesPath), one batch), so a migration may GRANT to a role only it creates
  const supabaseRoles = isSupabaseCliFolder(migrationsDir) ? path.join(path.dirname(migrationsDir), 'roles.sql') : undefined;
  if (supabaseRoles && existsSync(supabaseRoles) && !baselineFiles.includes(supabaseRoles)) baselineFiles.unshift(supabaseRoles);
  const relativeFolder = path.relative(root, migrationsDir).split(path.sep).join('/') || '.';
  const settings = commonSettings(root, config, source, options, runner, migrationsDir, allowOutside, platformBaseline);
  const { schemaFiles } = settings;
  let detected: string | undefined;
  // A project with a config and plain numbered files (no other runner's markers) is what every earlier config meant:
  // nothing to say. Otherwise the one line says what was assumed, so a wrong guess is visible.
  // A folder with no .sql file at all says nothing of a runner: the migrations' load says what it holds (JavaScript
  // migrations, say: field Blastose/ranobedb, whose Kysely folder first read "runner numbered detected").
  if (runnerSource === 'detected' && (!source || runnerEvidence) && (runnerEvidence || holdsSqlFile(migrationsDir))) {
    const why = runnerEvidence ? `: ${runnerEvidence.what}` : ': no other runner\'s markers';
    detected = `${source ? '' : 'no pgdrift.config.json: '}runner ${runner.name} detected in ${relativeFolder}/${why} (set "runner" or --runner to choose)`;
  }
  const found = located && locatedFolderNote(located, relativeFolder);
  if (found) detected = detected ? `${found}; ${detected}` : found;
  if (settingsFolderNote) detected = detected ? `${settingsFolderNote}; ${detected}` : settingsFolderNote;
  if (schemaFiles && options.snapshot === undefined && config.snapshot === undefined) {
    const found = `no snapshot configured: the snapshot is the ${schemaFiles.files.length} declarative schema files of ${schemaFiles.origin}, loaded in the CLI's order (set "snapshot" or --snapshot to choose)`;
    detected = detected ? `${detected}; ${found}` : found;
  }
  return {
    root,
    config,
    configSource: source,
    migrationsDir,
    baselineFiles,
    ...settings,
    detected,
    allowOutside,
    runner,
    runnerSource,
    runnerEvidence,
    platformBaseline,
  };
}

function holdsSqlFile(folder: string): boolean {
  try {
    return readdirSync(folder).some((name) => name.toLowerCase().endsWith('.sql'));
  } catch {
    return true; // unreadable: the load reports it; the line stays
  }
}

/**
 * What a project takes from its config and flags whatever its migrations: the snapshot (a glob, or hand-written schema
 * files), file order, mode, placeholders, and the objects the comparison ignores (the runner's bookkeeping, Supabase's
 * platform when it is one, the config's own).
 */
function commonSettings(root: string, config: PgdriftConfig, source: string | undefined, options: ProjectOptions, runner: Runner, migrationsDir: string, allowOutside: boolean, platformBaseline: boolean) {
  const snapshotGlob = options.snapshot !== undefined ? snapshotFlagGlob(root, options.cwd, options.snapshot, allowOutside) : typeof config.snapshot === 'string' ? config.snapshot : runner.snapshotDefault ?? DEFAULT_SNAPSHOT_GLOB;
  const schemaFiles = snapshotSchemaFiles(root, options.snapshot !== undefined ? snapshotGlob : config.snapshot, options.snapshot !== undefined ? '--snapshot' : `"snapshot" in ${source ? path.basename(source) : 'the config'}`, migrationsDir, runner, allowOutside);
  return {
    snapshotGlob,
    ...(schemaFiles ? { schemaFiles } : {}),
    order: config.order ?? 'lexicographic',
    placeholders: config.placeholders,
    mode: config.mode ?? 'file',
    ignore: [...runner.bookkeeping, ...(platformBaseline ? SUPABASE_PLATFORM_IGNORE : []), ...(config.ignore ?? [])],
  };
}

/**
 * The project of a command that documents a dump where no migrations folder is found: the config (docs.out,
 * templates, snapshot) still applies; the runner is the one named (its bookkeeping tables are left out of the docs),
 * else numbered, which names none.
 */
function projectWithoutMigrations(root: string, config: PgdriftConfig, source: string | undefined, options: ProjectOptions): Project {
  const allowOutside = outsideProjectAllowed(options.allowOutsideProject);
  checkConfigPaths(root, config, source ?? 'the config', allowOutside);
  const runnerFlag = options.runner ?? config.runner;
  const runner = runnerFlag ? runnerByName(runnerFlag) : runnerByName('numbered');
  const platformBaseline = config.platformBaseline ?? runner.name === 'supabase';
  return {
    root,
    config,
    configSource: source,
    migrationsDir: root,
    baselineFiles: [],
    ...commonSettings(root, config, source, options, runner, root, allowOutside, platformBaseline),
    allowOutside,
    runner,
    runnerSource: options.runner ? 'flag' : config.runner ? 'config' : 'detected',
    platformBaseline,
    withoutMigrations: true,
  };
}

/**
 * The snapshot as a set of hand-written schema files, when it is one: the folder or list of globs the config's
 * "snapshot" (or --snapshot, as a folder) names; with none configured, a Supabase project's declarative schema files
 * (supabase/schemas, or config.toml's schema_paths: supabase-schemas.ts), unless pgdrift's own snapshots exist (the
 * default glob matches) or the one file there is a `supabase db dump` (supabase/schemas/prod.sql: compared as pg_dump's
 * text when named, and offered by init and the no-snapshot advice).
 */
function snapshotSchemaFiles(root: string, configured: string | string[] | undefined, key: string, migrationsDir: string, runner: Runner, allowOutside: boolean): SchemaFileSet | undefined {
  if (Array.isArray(configured)) return schemaFilesFromPatterns(root, configured, key, allowOutside);
  if (configured !== undefined) {
    if (/[*?[{]/.test(configured) || !isDirectory(path.resolve(root, configured))) return undefined;
    const folder = path.relative(root, path.resolve(root, configured)).split(path.sep).join('/') || '.';
    return schemaFilesInFolder(root, folder, key);
  }
  if (!isSupabaseCliFolder(migrationsDir) || runner.snapshotDefault) return undefined;
  if (globSync(DEFAULT_SNAPSHOT_GLOB, { cwd: root, onlyFiles: true }).length > 0) return undefined;
  const declared = declaredSchemaFiles(root, path.dirname(migrationsDir), allowOutside);
  if (!declared || isOneDump(root, declared)) return undefined;
  return declared;
}

/**
 * Whether the migrations run on a Supabase database, which has the platform's roles and schemas before the first
 * one (the default of "platformBaseline"): the supabase runner's, and any runner's whose folder is the Supabase CLI's
 * `supabase/migrations` (drizzle-kit writing there, field: onlook-dev/onlook, whose first migration references
 * auth.users: 3F000 without it). "platformBaseline": true turns it on for a runner elsewhere (a drizzle or Prisma
 * project whose database is on Supabase), false off.
 */
function onSupabase(runner: Runner, migrationsDir: string): boolean {
  return runner.name === 'supabase' || isSupabaseCliFolder(migrationsDir);
}

/** The one migrations folder the project's Go code embeds (go-embed.ts), or undefined (none, or several). */
/** Where a project keeps its migrations when neither the config nor --migrations says, and how that was found. */
export type LocatedFolder =
  | { folder: string; how: 'conventional' }
  | { folder: string; how: 'runner-settings'; setting: string }
  | { folder: string; how: 'nested'; leftOut: string[] }
  | { folder: string; how: 'go-embed'; embedded: EmbeddedFolder }
  | { folder: string; how: 'tern' | 'sqlc'; file: string };

/**
 * The migrations folder of a project that names none, as check, dump and init find it, in this order: a conventional
 * folder (db/migrations, supabase/migrations...); the folder the runner's own settings name (flyway.conf's
 * locations); the one folder of version-numbered .sql files a Go program embeds for its migration library; tern
 * migrations (its create above / drop below line) in a schema/ folder nothing names; an sqlc project's schema
 * folder (named to the runner only on a command line); in a monorepo, the one runner-specific folder below the root
 * (several are an error). Folders are relative to the root.
 */
export function locateMigrationsFolder(root: string, runnerName: string | undefined): LocatedFolder | undefined {
  const conventional = findMigrationsFolder(root);
  if (conventional !== undefined) return { folder: conventional, how: 'conventional' };
  const settings = folderFromRunnerSettings(root, runnerName);
  if (settings !== undefined) return { ...settings, how: 'runner-settings' };
  const embedded = onlyGoEmbeddedFolder(root);
  if (embedded) return { folder: path.relative(root, embedded.folder) || '.', how: 'go-embed', embedded };
  const tern = ternMarkedFolder(root);
  if (tern) return { ...tern, how: 'tern' };
  const sqlc = sqlcSchemaFolder(root);
  if (sqlc) return { ...sqlc, how: 'sqlc' };
  const nested = onlyNestedMigrationsFolder(root);
  return nested === undefined ? undefined : { ...nested, how: 'nested' };
}

/** A folder as the notices show it: relative to the project root, `/`-separated. */
function shownFolder(root: string, folder: string): string {
  return path.relative(root, folder).split(path.sep).join('/') || '.';
}

/** The line saying which folder was used and why, for the fallbacks past the runner's settings (a user would not guess them). */
export function locatedFolderNote(located: LocatedFolder, relativeFolder: string): string | undefined {
  const choose = '(set "migrations" or --migrations to choose)';
  switch (located.how) {
    case 'go-embed':
      return `no migrations folder at the project root: using ${relativeFolder}/, which //go:embed ${located.embedded.pattern} embeds (${located.embedded.at})${
        located.embedded.leftOut?.length ? `, the PostgreSQL one of the embedded folders (${located.embedded.leftOut.map((folder) => `${folder}/`).join(', ')} left out)` : ''
      } ${choose}`;
    case 'tern':
      return `no migrations folder at the project root: using ${located.folder}/, whose files are tern migrations (${located.file} has tern's "${TERN_SPLIT}" line) ${choose}`;
    case 'sqlc':
      return `no migrations folder at the project root: using ${located.folder}/, the schema folder ${located.file} names ${choose}`;
    case 'runner-settings':
      // in a monorepo the folder a recipe or config names may be anywhere (field: bllooop/monitoringapi's Makefile runs
      // goose -dir ./backend/migrations; r0m43g/yopta's cd backend/migrations && goose up): say which setting chose it
      return `no migrations folder at the project root: using ${relativeFolder}/, named by ${located.setting} ${choose}`;
    case 'nested':
      return located.leftOut.length > 0
        ? `no migrations folder at the project root: using ${located.folder}/, the only runner folder below it outside example, fixture and test folders (${located.leftOut.map((folder) => `${folder}/`).join(', ')} left out) ${choose}`
        : `no migrations folder at the project root: using ${located.folder}/, the only runner folder below it ${choose}`;
    default:
      return undefined;
  }
}

export function onlyGoEmbeddedFolder(root: string): EmbeddedFolder | undefined {
  const embedded = goEmbeddedMigrationFolders(root);
  if (embedded.length === 1) return embedded[0];
  // beside the migrations, a folder of numbered scripts the program runs itself (openmeterio/openmeter embeds
  // tools/migrate/migrations, golang-migrate's .up.sql/.down.sql, and legacyent/reconciliation/*.sql, plain 001_<name>.sql):
  // only those a migration library's own layout or annotations mark
  const marked = embedded.filter((one) => runnerMarks(one.folder, root));
  if (marked.length === 1) return marked[0];
  const found = marked.length > 1 ? marked : embedded;
  // one embedded folder per database, each handed to its own driver (inngest/inngest: goose.NewProvider(DialectPostgres)
  // on pkg/db/postgres/migrations, DialectSQLite3 on pkg/db/sqlite/migrations): the one its path names PostgreSQL
  const relative = (one: EmbeddedFolder) => path.relative(root, one.folder).split(path.sep).join('/');
  const postgres = postgresFolder(found.map(relative));
  const chosen = found.find((one) => relative(one) === postgres);
  return chosen && { ...chosen, leftOut: found.filter((one) => one !== chosen).map(relative) };
}

/** The folder's files carry a runner's own names or annotations (golang-migrate's .up.sql, goose's -- +goose Up), not only numbers. */
function runnerMarks(folder: string, root: string): boolean {
  try {
    return detectRunner(folder, root).runner.name !== 'numbered';
  } catch {
    return false;
  }
}

/**
 * With no conventional folder: the first existing folder a runner's own settings name (a Flyway CLI project's
 * `flyway.locations=filesystem:sql/...` in flyway.conf), relative to the root; the runner is still detected from it.
 */
export function folderFromRunnerSettings(root: string, runnerName: string | undefined): { folder: string; setting: string } | undefined {
  for (const runner of runners) {
    if (!runner.configuredFolders || (runnerName && runner.name !== runnerName)) continue;
    const configured = runner.configuredFolders(root, { projectRoot: root });
    const found = configured?.folders.find(isDirectory);
    if (configured && found) return { folder: path.relative(root, found) || '.', setting: configured.setting };
  }
  return undefined;
}

/**
 * The runner as its own settings configure it for a project with no conventional folder (init's view of what check
 * will replay): every location the settings name, as one history under their common folder, and those locations
 * relative to the root. Undefined when the settings name no folder.
 */
export function runnerSettingsHistory(root: string, runner: Runner, folder: string): { migrationsDir: string; runner: Runner; locations: string[]; setting: string } | undefined {
  const configured = runner.configuredFolders?.(folder, { projectRoot: root });
  if (!configured) return undefined;
  const followed = followConfiguredFolders(root, runner, configured, false);
  const locations = configured.folders.filter(isDirectory).map((location) => path.relative(root, location).split(path.sep).join('/') || '.');
  return { ...followed, locations, setting: configured.setting };
}

/**
 * The runner's configured folders as the project's migrations folder: the one that exists, or for several their
 * closest common folder with discovery kept to them (Flyway merges its locations into one history).
 */
function followConfiguredFolders(root: string, runner: Runner, configured: { setting: string; folders: string[] }, allowOutside: boolean): { migrationsDir: string; runner: Runner } {
  // a folder outside the project (an absolute path in a container: decentraland/builder-server's -m /app/migrations) as it is
  const shown = (folder: string) => {
    const relative = path.relative(root, folder);
    return relative.startsWith('..') && path.isAbsolute(folder) ? folder : relative.split(path.sep).join('/') || '.';
  };
  const existing = configured.folders.filter(isDirectory).map((folder) => resolveInsideProject(root, folder, configured.setting, allowOutside));
  if (existing.length === 0) {
    throw new InputError(`${configured.setting} names ${configured.folders.map(shown).join(', ')}: no such folder`, {
      hint: 'fix the setting, or name the migrations folder: "migrations" in pgdrift.config.json or --migrations',
    });
  }
  let common = existing[0];
  while (!existing.every((folder) => folder === common || folder.startsWith(common + path.sep))) common = path.dirname(common);
  const include = existing.map((folder) => path.relative(common, folder).split(path.sep).join('/')).filter(Boolean);
  if (include.length < existing.length || include.length === 0) return { migrationsDir: common, runner };
  const { discover, plan, forProject } = runner;
  // the settings too are those of the locations (a Spring application's, when its locations span modules)
  return {
    migrationsDir: common,
    runner: {
      ...runner,
      discover: (folder, options) => discover(folder, { ...options, include }),
      plan: (text, name, folder, options) => plan(text, name, folder, { ...options, include }),
      ...(forProject ? { forProject: (folder: string, options: RunnerOptions) => forProject(folder, { ...options, include }) } : {}),
    },
  };
}

/**
 * `--snapshot <file>` as the project's snapshot glob: given relative to where the command runs (as `--migrations` and
 * `--baseline` are), kept relative to the project root like the config's "snapshot", and inside the project unless
 * allowed (its fixed part before any wildcard is what is checked).
 */
function snapshotFlagGlob(root: string, cwd: string | undefined, flag: string, allowOutside: boolean): string {
  if (flag.trim() === '') throw new InputError('--snapshot needs a file (or a glob whose * is the date)');
  const absolute = path.resolve(path.resolve(cwd ?? process.cwd()), flag);
  resolveInsideProject(root, absolute.split(/[*?[{]/)[0] || root, '--snapshot', allowOutside);
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** Every path the config names stays inside the project unless allowed (a template of /etc/passwd would be copied into the docs). */
function checkConfigPaths(root: string, config: PgdriftConfig, source: string, allowOutside: boolean): void {
  const check = (value: string | undefined, key: string) => value !== undefined && resolveInsideProject(root, value, `"${key}" in ${source}`, allowOutside);
  check(config.migrations, 'migrations');
  for (const [index, file] of (config.baseline ?? []).entries()) check(file, `baseline[${index}]`);
  // a glob: its fixed part before the first wildcard
  for (const [index, snapshot] of (typeof config.snapshot === 'string' ? [config.snapshot] : config.snapshot ?? []).entries()) {
    check(snapshot.split(/[*?[{]/)[0] || '.', Array.isArray(config.snapshot) ? `snapshot[${index}]` : 'snapshot');
  }
  check(config.docs?.out, 'docs.out');
  for (const [name, file] of Object.entries(config.docs?.templates ?? {})) check(file, `docs.templates.${name}`);
  check(config.lint?.baselineFile, 'lint.baselineFile');
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The engine to use: flag > env/URL > config > pglite. */
export function chooseEngine(project: Project, flag?: EngineName, databaseUrl?: string): EngineName {
  if (flag) return flag;
  if (project.config.engine) return project.config.engine;
  if (databaseUrl) return 'server';
  return 'pglite';
}

export interface SnapshotFile {
  /** absolute */
  path: string;
  /** relative to the root */
  file: string;
  /** YYYY-MM-DD from the name, if any */
  date?: string;
}

const DATE_IN_NAME = /(\d{4}-\d{2}-\d{2})/;

/** Committed snapshots matching the glob, oldest first; the latest is the newest date in the file name. */
export async function listSnapshots(project: Project): Promise<SnapshotFile[]> {
  const files = await glob(project.snapshotGlob, { cwd: project.root, absolute: false, onlyFiles: true });
  // a matching symbolic link out of the project (or into /proc) is an error before anything reads it
  for (const file of files) checkProjectFile(path.join(project.root, file), file, project.root, project.allowOutside);
  return files
    .map((file) => ({ path: path.join(project.root, file), file, date: DATE_IN_NAME.exec(path.basename(file))?.[1] }))
    .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.file.localeCompare(b.file));
}

/**
 * The snapshot to compare with: the newest date when every matching name carries a date, the only file when one
 * matches, and otherwise (several undated or per-version names such as `schema.sql` and `schema-16.sql`, or two
 * files with the newest date) an input error listing them and asking for `snapshot` in the config: picking one by
 * file-name order would compare against an arbitrary file. Undefined when nothing matches.
 */
export async function latestSnapshot(project: Project): Promise<SnapshotFile | undefined> {
  const all = await listSnapshots(project);
  if (all.length <= 1) return all[0];
  const newest = all[all.length - 1];
  if (all.every((file) => file.date !== undefined) && all.filter((file) => file.date === newest.date).length === 1) return newest;
  const undated = all.filter((file) => file.date === undefined);
  const why =
    undated.length > 0
      ? `${undated.length === all.length ? 'none' : `not all`} of their names carry a date (YYYY-MM-DD)`
      : `${all.filter((file) => file.date === newest.date).length} of them carry the newest date, ${newest.date}`;
  throw new InputError(`cannot tell which snapshot is the latest: "${project.snapshotGlob}" matches ${all.length} files and ${why}: ${all.map((file) => file.file).join(', ')}`, {
    hint: `set "snapshot" in ${project.configSource ? path.basename(project.configSource) : 'pgdrift.config.json'} to the one file to compare with (e.g. "${all[all.length - 1].file}"), or to a glob whose names carry dates`,
  });
}

/**
 * Where `pgdrift snapshot` writes a snapshot for a date: the glob with its `*` replaced by the date. A glob without
 * a `*` names one fixed snapshot file (dbmate's db/schema.sql), rewritten in place.
 */
export function snapshotPathFor(project: Project, date: string): string {
  if (!project.snapshotGlob.includes('*')) {
    if (/[?[\]{}]/.test(project.snapshotGlob)) throw new InputError(`"snapshot" must contain a * for the date, or name one file: ${project.snapshotGlob}`);
    return path.join(project.root, project.snapshotGlob);
  }
  return path.join(project.root, project.snapshotGlob.replace('*', date));
}
