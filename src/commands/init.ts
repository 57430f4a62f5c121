import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { CONFIG_FILE_NAME } from '../config/load.js';
import { DEFAULT_SNAPSHOT_GLOB, locateMigrationsFolder, runnerSettingsHistory } from '../config/project.js';
import type { PgdriftConfig } from '../config/schema.js';
import { InputError, PgdriftError } from '../errors.js';
import { choosePreset } from '../lint/config.js';
import type { PresetName } from '../lint/presets.js';
import { loadMigrations } from '../migrations/discover.js';
import { migrationsBelowError, onlyUnreplayableError, refuseNotPostgres, refuseOtherDatabase, refuseUnlistedSupabaseCliFiles, runnerRefusesError } from '../migrations/project-migrations.js';
import { codeMigrationsError, codeMigrationsIn } from '../runners/code-migrations.js';
import { conflictingFiles, detectRunner, noMigrationsFolderError, runnerByName } from '../runners/index.js';
import type { RunnerName } from '../runners/types.js';
import { declaredSchemaFiles, isOneDump } from '../runners/supabase-schemas.js';
import { isSupabaseCliFolder } from '../runners/supabase.js';
import { loadSqlParser } from '../sql/parse.js';
import { writeFileAtomic } from '../util/fs.js';
import { isDataOnlyDump, isPgDumpFile, sqlFilesOutsideMigrations } from '../util/pg-dump-file.js';
import { lint } from './lint.js';

export const CONFIG_SCHEMA_REF = './node_modules/pgdrift/schema/pgdrift.config.schema.json';

export interface InitOptions {
  /** project folder (default: process.cwd()) */
  cwd?: string;
  /** overwrite an existing pgdrift.config.json (or shadow package.json "pgdrift") */
  force?: boolean;
  /** accept the history's current lint findings into the lint baseline file */
  writeBaseline?: boolean;
  /** use this migrations folder instead of detecting one (relative to cwd) */
  migrations?: string;
  /** use this migration runner instead of detecting it */
  runner?: string;
  /** baseline files instead of the detected ones (relative to cwd) */
  baseline?: string[];
  /** skip the lint run (tests, or when the caller lints itself) */
  skipLint?: boolean;
}

export interface InitDetection {
  /** relative to the root, forward slashes */
  migrations: string;
  /**
   * The folder is the one the runner's own settings name (flyway.locations, DBMATE_MIGRATIONS_DIR,
   * GOOSE_MIGRATION_DIR), with no conventional folder: the config leaves `migrations` to them, as the runner does.
   */
  migrationsFromRunnerSettings?: boolean;
  /** the setting that names it, as the runner's file says it (`package.json script "migrate" (node-pg-migrate --migrations-dir db)`) */
  runnerSetting?: string;
  /** no migrations folder at the root: the schema folder the sqlc config (this file) names, as check and dump find it */
  migrationsFromSqlc?: string;
  /** no migrations folder at the root: the one runner-specific folder below it (as check and dump find it) */
  migrationsBelowRoot?: boolean;
  /** what the runner's settings leave uncertain about the replay (Spring Boot's spring.flyway.enabled=false) */
  notices?: string[];
  /** the folders the runner's settings name when they are several (Flyway's locations), relative, forward slashes */
  locations?: string[];
  migrationCount: number;
  /** the migration runner, and why */
  runner: RunnerName;
  runnerReason: string;
  /** files in the folder the runner does not apply (down files...), with the reason */
  notApplied: { name: string; reason: string }[];
  /** baseline files applied before the migrations, relative, in order */
  baseline: string[];
  /** the snapshot glob written to the config, when committed snapshots were found */
  snapshotGlob?: string;
  /** the snapshots it matches, relative, oldest first */
  snapshots: string[];
  /**
   * a Supabase project's declarative schema files (supabase/schemas, or config.toml's schema_paths), in the CLI's
   * order: the snapshot check compares with when "snapshot" is left out, as init leaves it (so it follows schema_paths)
   */
  schemaFiles?: { origin: string; files: string[] };
  preset: PresetName;
  /** one line: why this preset */
  presetReason: string;
}

export interface InitLintSummary {
  findings: number;
  errors: number;
  warnings: number;
  info: number;
  suppressed: number;
  /** findings accepted by the baseline (with writeBaseline: all current findings) */
  baselined: number;
  /** the baseline file, relative, when writeBaseline wrote it */
  baselineFile?: string;
}

export interface InitResult {
  /** absolute path of the config written */
  configPath: string;
  /** what was written */
  config: PgdriftConfig;
  /** an existing config was replaced (--force) */
  overwritten: boolean;
  /** package.json has a "pgdrift" key that the new file now takes precedence over */
  shadowsPackageJson: boolean;
  detected: InitDetection;
  /** absent when linting was skipped or failed */
  lint?: InitLintSummary;
  /** why lint could not run (the config is written regardless) */
  lintError?: string;
  /** commands to run next, most useful first */
  nextSteps: string[];
  exitCode: 0;
}

/**
 * `pgdrift init`: detects the layout (migrations folder, baseline files, committed snapshots, preset), writes
 * pgdrift.config.json, and lints the history so the user learns at once how many legacy findings there are.
 * Never prints; refuses to overwrite an existing config unless `force`.
 */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const root = path.resolve(options.cwd ?? process.cwd());
  if (!isDirectory(root)) throw new InputError(`project folder not found: ${options.cwd}`);
  const configPath = path.join(root, CONFIG_FILE_NAME);
  const exists = existsSync(configPath);
  const shadowsPackageJson = packageJsonHasConfig(root);
  if ((exists || shadowsPackageJson) && !options.force) {
    const where = exists ? CONFIG_FILE_NAME : 'package.json ("pgdrift" key)';
    throw new InputError(`${where} already exists; not overwriting it`, { hint: 'run `pgdrift init --force` to replace it with a detected configuration' });
  }

  const detected = await detectLayout(root, options.migrations, options.runner, options.baseline);
  const config: PgdriftConfig = { $schema: CONFIG_SCHEMA_REF, ...(detected.migrationsFromRunnerSettings ? {} : { migrations: detected.migrations }), runner: detected.runner };
  if (detected.baseline.length > 0) config.baseline = detected.baseline;
  if (detected.snapshotGlob) config.snapshot = detected.snapshotGlob;
  config.preset = detected.preset;
  writeFileAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);

  let summary: InitLintSummary | undefined;
  let lintError: string | undefined;
  if (!options.skipLint) {
    try {
      const result = await lint({ cwd: root, configFile: CONFIG_FILE_NAME, writeBaseline: options.writeBaseline });
      const count = (severity: string) => result.findings.filter((f) => f.severity === severity).length;
      summary = {
        findings: options.writeBaseline ? result.baselined : result.findings.length,
        errors: count('error'),
        warnings: count('warning'),
        info: count('info'),
        suppressed: result.suppressed,
        baselined: result.baselined,
        baselineFile: options.writeBaseline ? (config.lint?.baselineFile ?? 'pgdrift-baseline.json') : undefined,
      };
    } catch (error) {
      if (!(error instanceof PgdriftError)) throw error;
      lintError = error.message;
    }
  }

  return {
    configPath,
    config,
    overwritten: exists,
    shadowsPackageJson,
    detected,
    lint: summary,
    lintError,
    nextSteps: nextSteps(detected, summary, options),
    exitCode: 0,
  };
}

/** What init found, without writing anything. */
export async function detectLayout(root: string, migrationsOverride?: string, runnerOverride?: string, baselineOverride?: string[]): Promise<InitDetection> {
  // with no --migrations: the folder check and dump would use, and how it was found
  const located = migrationsOverride === undefined ? locateMigrationsFolder(root, runnerOverride) : undefined;
  const migrations = migrationsOverride ?? located?.folder;
  if (!migrations) {
    throw noMigrationsFolderError(root, 'run from the project root (-C <dir>), or name the folder: pgdrift init --migrations <folder>');
  }
  let migrationsDir = path.resolve(root, migrations);
  if (!isDirectory(migrationsDir)) throw new InputError(`migrations folder not found: ${migrations}`);
  const detection = runnerOverride ? { runner: runnerByName(runnerOverride), evidence: undefined } : detectRunner(migrationsDir, root); // no .sql at all: an error here
  let runner = detection.runner;
  // Several locations in the runner's settings are one history, as check replays it: count and list them all, not
  // only the first (field: zeitwert/fm-server's three Flyway locations showed as 1-baseline/ with 26 of 53 files).
  // a conventional folder too yields to the folders the runner's settings name (package.json scripts' -m, DBMATE_MIGRATIONS_DIR),
  // as resolveProject follows them whenever neither the config nor --migrations names one
  const fromSettings = migrationsOverride === undefined ? runnerSettingsHistory(root, runner, migrationsDir) : undefined;
  if (fromSettings) ({ migrationsDir, runner } = fromSettings);
  refuseOtherDatabase(root, migrationsDir);
  await loadSqlParser();
  // the runner as the project's own settings configure it, as check replays it (sql-migrate's dbconfig.yml dialect,
  // Flyway's schemas...): a project they say is not PostgreSQL is refused here, before any config is written
  const configured = runner.forProject?.(migrationsDir, { projectRoot: root });
  const { migrations: files, discovery } = loadMigrations(migrationsDir, root, configured ? { ...runner, ...configured } : runner);
  const folder = relative(root, migrationsDir);
  refuseNotPostgres(folder, discovery);
  if (!runnerOverride) {
    // the config init writes names the runner, which would settle the question for every later check unasked
    refuseUnlistedSupabaseCliFiles(runner, detection.evidence?.what, migrationsDir, folder, discovery.ignored, 'name the runner that applies the folder: pgdrift init --runner supabase (every <timestamp>_name.sql, each file in its own transaction) or pgdrift init --runner <name>');
    const conflicts = conflictingFiles(runner, discovery.ignored);
    if (conflicts.length > 0) {
      throw new InputError(`${folder}/ is ambiguous: it looks like ${runner.name} (${detection.evidence?.what ?? 'its file names'}), which would not apply ${conflicts.slice(0, 5).join(', ')}`, {
        hint: 'move those files out of the folder, or name the runner: pgdrift init --runner <name>',
      });
    }
  }
  if (files.length === 0) {
    if (discovery.problems.length > 0) throw runnerRefusesError(folder, runner, discovery.problems, discovery.ignored);
    const unreplayable = discovery.ignored.filter((f) => f.appliedByRunner);
    if (unreplayable.length > 0) throw onlyUnreplayableError(folder, runner.name, unreplayable);
    // the .sql files are in sub-folders (stellar/stellar-disbursement-platform-backend db/migrations/{sdp,tss,auth,
    // admin}-migrations/): named as the replay names them
    const below = discovery.ignored.length === 0 ? migrationsBelowError(root, migrationsDir, runner, !runnerOverride && !detection.evidence) : undefined;
    if (below) throw below;
    const code = codeMigrationsIn(migrationsDir, root);
    if (code) throw codeMigrationsError(code);
    throw new InputError(`no migrations in ${folder}/ for the ${runner.name} runner: nothing to configure`, {
      hint: 'name the folder that holds the migrations: pgdrift init --migrations <folder> (and --runner <name>)',
    });
  }
  const helios = choosePreset(undefined, {}, files, runner) === 'helios';
  const baseline = baselineOverride ?? detectBaseline(root, migrationsDir);
  // a runner that writes its own snapshot: where its settings put it (dbmate: DBMATE_SCHEMA_FILE), else its default
  const snapshotDefault = runner.snapshotDefault && (configured?.snapshotDefault ?? runner.snapshotDefault);
  // Supabase's declarative schemas, as check finds them with no "snapshot" (pgdrift's own snapshots first)
  const declared = !snapshotDefault && isSupabaseCliFolder(migrationsDir) && (await glob(DEFAULT_SNAPSHOT_GLOB, { cwd: root, onlyFiles: true })).length === 0 ? declaredSchemaFiles(root, path.dirname(migrationsDir)) : undefined;
  const schemaFiles = declared && !isOneDump(root, declared) ? { origin: declared.origin, files: declared.files } : undefined;
  const replayed = new Set([...baseline, ...files.map((m) => m.file)]);
  const { glob: snapshotGlob, files: snapshots } = schemaFiles ? { glob: undefined, files: [] } : await detectSnapshots(root, migrationsDir, snapshotDefault, baseline, replayed);
  return {
    migrations: folder,
    ...(located?.how === 'runner-settings' || fromSettings ? { migrationsFromRunnerSettings: true, ...(fromSettings ? { runnerSetting: fromSettings.setting } : {}) } : {}),
    ...(located?.how === 'nested' ? { migrationsBelowRoot: true } : {}),
    ...(located?.how === 'sqlc' ? { migrationsFromSqlc: located.file } : {}),
    ...(fromSettings && fromSettings.locations.length > 1 ? { locations: fromSettings.locations } : {}),
    ...(configured?.notices?.length ? { notices: configured.notices } : {}),
    migrationCount: files.length,
    runner: runner.name,
    runnerReason: runnerOverride ? 'given with --runner' : detection.evidence ? detection.evidence.what : 'numbered .sql files, no other runner\'s markers',
    notApplied: discovery.ignored,
    baseline,
    snapshotGlob,
    snapshots,
    ...(schemaFiles ? { schemaFiles } : {}),
    preset: helios ? 'helios' : 'recommended',
    presetReason: helios
      ? 'files are named NNN_name.sql and start with "-- Migration NNN:" headers'
      : runner.name === 'numbered'
        ? 'the files do not follow the NNN_name.sql + "-- Migration NNN:" header convention'
        : `general rules, with the ${runner.name} file naming`,
  };
}

/**
 * Baseline SQL applied before the migrations: every .sql in a `base/` folder beside the migrations folder
 * (database/base/*.sql), else files with "base" in the name next to it (db/schema_base.sql). Never the
 * migrations themselves, never database/schema.sql (the seed forbids it).
 */
function detectBaseline(root: string, migrationsDir: string): string[] {
  const parent = path.dirname(migrationsDir);
  const baseFolder = path.join(parent, 'base');
  if (isDirectory(baseFolder)) {
    const inFolder = sqlFiles(baseFolder).map((name) => relative(root, path.join(baseFolder, name)));
    if (inFolder.length > 0) return inFolder;
  }
  return sqlFiles(parent)
    .filter((name) => /(^|[^a-z])base([^a-z]|$)|baseline/i.test(name.replace(/\.sql$/i, '')))
    .filter((name) => name.toLowerCase() !== 'schema.sql')
    .map((name) => relative(root, path.join(parent, name)));
}

const DATE = /\d{4}-\d{2}-\d{2}/;

/**
 * Committed pg_dump snapshots: the default glob when it matches; else the most common `<dir>/<name-with-a-date>.sql`
 * pattern among .sql files outside the migrations (e.g. db/snapshots/schema-2025-01-31.sql → db/snapshots/schema-*.sql;
 * in a folder named for migrations, only files pg_dump wrote);
 * else the one file there that pg_dump wrote (its header says so).
 */
async function detectSnapshots(root: string, migrationsDir: string, runnerDefault?: string, baseline: string[] = [], replayed?: ReadonlySet<string>): Promise<{ glob?: string; files: string[] }> {
  if (runnerDefault && existsSync(path.join(root, runnerDefault))) return { glob: runnerDefault, files: [runnerDefault] };
  const byDefault = await glob(DEFAULT_SNAPSHOT_GLOB, { cwd: root, onlyFiles: true });
  if (byDefault.length > 0) return { glob: DEFAULT_SNAPSHOT_GLOB, files: sortSnapshots(byDefault) };
  const candidates = await sqlFilesOutsideMigrations(root, migrationsDir, replayed);
  const patterns = new Map<string, string[]>();
  for (const file of candidates) {
    if (!DATE.test(path.posix.basename(file))) continue;
    // in a migrations folder, a dated name is another history's migration unless pg_dump wrote it (field: stellar/
    // stellar-disbursement-platform-backend db/migrations/admin-migrations/2024-05-06.0-alter-tenants-....sql, beside
    // the sdp-migrations/ replayed, was offered as the snapshot)
    if (path.posix.dirname(file).split('/').some((part) => /migrat/i.test(part)) && !isPgDumpFile(path.join(root, file), file, root)) continue;
    const pattern = path.posix.join(path.posix.dirname(file), path.posix.basename(file).replace(DATE, '*'));
    patterns.set(pattern, [...(patterns.get(pattern) ?? []), file]);
  }
  const best = [...patterns.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0];
  if (best) return { glob: best[0], files: sortSnapshots(best[1]) };
  // else the one pg_dump file outside the migrations that is not the baseline
  const dumps = candidates.filter((file) => !baseline.includes(file) && isPgDumpFile(path.join(root, file), file, root) && !isDataOnlyDump(path.join(root, file)));
  return dumps.length === 1 ? { glob: dumps[0], files: dumps } : { files: [] };
}

function sortSnapshots(files: string[]): string[] {
  const date = (file: string) => DATE.exec(path.posix.basename(file))?.[0] ?? '';
  return [...files].sort((a, b) => date(a).localeCompare(date(b)) || a.localeCompare(b));
}

function nextSteps(detected: InitDetection, lintSummary: InitLintSummary | undefined, options: InitOptions): string[] {
  const steps: string[] = [];
  if (lintSummary && lintSummary.findings > 0 && !options.writeBaseline) {
    steps.push('pgdrift lint --write-baseline   # accept the legacy findings; from then on only new ones fail');
  }
  steps.push('pgdrift lint');
  if (detected.snapshots.length > 0 || detected.schemaFiles) steps.push('pgdrift check                   # replay the migrations and compare with the latest snapshot');
  else steps.push('pgdrift snapshot                # write the first snapshot of the schema the migrations produce');
  steps.push('pgdrift docs                    # Markdown docs of the schema');
  return steps;
}

function packageJsonHasConfig(root: string): boolean {
  const file = path.join(root, 'package.json');
  if (!existsSync(file)) return false;
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof pkg === 'object' && pkg !== null && 'pgdrift' in pkg;
  } catch {
    return false;
  }
}

function sqlFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => name.toLowerCase().endsWith('.sql') && !isDirectory(path.join(folder, name)))
      .sort();
  } catch {
    return [];
  }
}

function hasSql(folder: string): boolean {
  return sqlFiles(folder).length > 0;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function relative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/') || '.';
}
