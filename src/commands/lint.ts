import path from 'node:path';
import { checkProjectFile } from '../util/project-paths.js';
import { existsSync } from 'node:fs';
import { resolveProject, type Project } from '../config/project.js';
import { InputError } from '../errors.js';
import { isVirtualFile, toMigrationFile, type MigrationFile } from '../migrations/discover.js';
import { loadProjectMigrations, skippedFiles, skippedFilesNotice } from '../migrations/project-migrations.js';
import { loadSqlParser, type ParsedSql } from '../sql/parse.js';
import type { PreparedHistory } from '../replay/replay.js';
import { buildBaseline, DEFAULT_BASELINE_FILE, filterByBaseline, readBaseline, writeBaseline } from '../lint/baseline.js';
import { choosePreset, resolveSeverities, ruleOptions } from '../lint/config.js';
import { compareFindings, runRules, type FolderProblem } from '../lint/engine.js';
import { readMigrationsAtRef } from '../lint/git.js';
import type { Finding } from '../lint/types.js';
import { applyFixes, type AppliedFix } from '../lint/apply-fixes.js';
import type { TimingRecorder } from '../pipeline/timings.js';

export interface LintOptions {
  cwd?: string;
  configFile?: string;
  /** lint this migrations folder instead of the configured or detected one (relative to cwd) */
  migrations?: string;
  /** the migration runner, instead of the configured or detected one */
  runner?: string;
  /** baseline files instead of the configured ones (relative to cwd) */
  baseline?: string[];
  /** called with a one-line message for the user (detected runner) */
  onNotice?: (message: string) => void;
  /** lint only these files (relative to cwd, or absolute); the whole history still feeds the schema state */
  files?: string[];
  /** git ref of the merged history (the PR's base branch): enables immutable-history and new-migration-number */
  since?: string;
  /** write pgdrift-baseline.json (or lint.baselineFile) with the current findings, pruning stale entries */
  writeBaseline?: boolean;
  preset?: string;
  /** exit 1 when there are more warnings than this */
  maxWarnings?: number;
  /** YYYY-MM-DD used as "today" by the future-date check (default: the current UTC date) */
  today?: string;
  /**
   * apply the rules' mechanical fixes to new migrations only: files not on the `since` ref, or (without `since`)
   * the named `files`; with neither it is an input error, so a merged file is never rewritten
   */
  fix?: boolean;
  /** records the stages (config, load, discovery, lint) for `--verbose` and the JSON report's `timings` */
  timings?: TimingRecorder;
}

export interface LintResult {
  findings: Finding[];
  /** findings silenced by pgdrift-ignore comments */
  suppressed: number;
  /** findings accepted by the baseline (after --write-baseline: all of them) */
  baselined: number;
  filesLinted: number;
  preset: string;
  exitCode: 0 | 1;
  /** with `fix`: what was changed (the findings are those of the fixed files) */
  fixed?: AppliedFix[];
  /** with `fix`: files left untouched because their fixed text would not parse */
  fixSkipped?: string[];
}

/** `pgdrift lint`: lints the migration history of a project. Never prints and never exits. */
export async function lint(options: LintOptions = {}): Promise<LintResult> {
  const parserReady = loadSqlParser(); // compiling the WASM parser overlaps with resolving the project and reading files
  parserReady.catch(() => {}); // awaited below
  const timings = options.timings;
  const timeSync = <T>(stage: 'config' | 'discovery', run: () => T, detail: (result: T) => string): T => (timings ? timings.timeSync(stage, run, detail) : run());
  const project = timeSync('config', () => resolveProject(options), (p) => `project resolved: runner ${p.runner.name}`);
  if (project.detected) options.onNotice?.(project.detected);
  for (const notice of project.runner.notices ?? []) options.onNotice?.(notice);
  await (timings ? timings.time('load', () => parserReady, 'waited for the SQL parser (libpg-query) to load') : parserReady);
  const folder = path.relative(project.root, project.migrationsDir).split(path.sep).join('/') || '.';
  const loaded = timeSync('discovery', () => loadProjectMigrations(project), (l) => `${l.migrations.length} files in ${folder}/ by the ${project.runner.name} runner's rules, read`);
  const skippedNotice = skippedFilesNotice(project, skippedFiles(project, loaded.discovery));
  if (skippedNotice) options.onNotice?.(skippedNotice);
  const run = () => lintHistory(options, { project, migrations: loaded.migrations, baseline: loaded.baseline, folderProblems: folderProblems(project, loaded.discovery.problems) });
  // parsing and the rules run file by file, interleaved: one stage
  return timings ? timings.time('lint', run, (r) => `${loaded.migrations.length + loaded.baseline.length} files parsed with libpg-query and linted, ${r.findings.length} findings`) : run();
}

/**
 * The runner's refusals of the folder, each at the file it starts with (`atlas.sum:4: ...`, `20240101_x/: P3015 ...`)
 * when that file or folder is there, else at the folder: check and dump stop on them, so lint reports them too.
 */
function folderProblems(project: Project, problems: readonly string[]): FolderProblem[] {
  const folder = path.relative(project.root, project.migrationsDir).split(path.sep).join('/');
  const inFolder = (name: string) => (folder && folder !== '.' ? `${folder}/${name}` : name || '.');
  return problems.map((message) => {
    const named = /^([^\s:]+?)\/?:(?:(\d+):)? /.exec(message);
    if (named && existsSync(path.join(project.migrationsDir, named[1]))) return { file: inFolder(named[1]), line: named[2] ? Number(named[2]) : 1, message };
    return { file: inFolder(''), line: 1, message };
  });
}

/**
 * What a command that already holds the project's history hands the linter: the resolved project, the
 * baseline files and migrations in runner order and, when parsed already, the prepared (parsed) files.
 */
export interface PreparedLintInput {
  project: Project;
  migrations: MigrationFile[];
  baseline: MigrationFile[];
  /** the files as the replay prepared them (parsed once): their parse trees are reused */
  prepared?: PreparedHistory;
  /** what the runner refuses about the folder as a whole (lint only: check and dump stop on it first) */
  folderProblems?: FolderProblem[];
}

/** The linter over an already-resolved, already-read history (check hands it what it replays). */
export async function lintHistory(options: LintOptions, input: PreparedLintInput): Promise<LintResult> {
  const { project } = input;
  const { config, root } = project;
  await loadSqlParser();
  const migrations = [...input.migrations];

  let selected: Set<string> | undefined;
  if (options.files && options.files.length > 0) {
    selected = new Set();
    const known = new Map(migrations.map((m) => [m.path, m]));
    const base = path.resolve(options.cwd ?? process.cwd());
    for (const file of options.files) {
      const absolute = path.resolve(base, file);
      if (!existsSync(absolute)) throw new InputError(`file not found: ${file}`);
      let migration = known.get(absolute);
      if (!migration) {
        migration = toMigrationFile(absolute, root);
        migrations.push(migration);
        known.set(absolute, migration);
      }
      selected.add(migration.file);
    }
  }

  const preset = choosePreset(options.preset, config, migrations, project.runner);
  const severities = resolveSeverities(preset, config);
  const baselineSql: MigrationFile[] = input.baseline;
  const parsedMigrations = new Map<string, ParsedSql>();
  const parsedBaseline = new Map<string, ParsedSql>();
  // a file listed more than once (a psql script cut at its includes) holds other lines each time: parsed again per entry
  const listedTwice = new Set<string>();
  for (const file of input.prepared?.files ?? []) {
    if (!file.parsed) continue;
    const parsed = file.role === 'baseline' ? parsedBaseline : parsedMigrations;
    if (parsed.has(file.migration.file)) listedTwice.add(file.migration.file);
    parsed.set(file.migration.file, file.parsed);
  }
  for (const file of listedTwice) parsedMigrations.delete(file);
  const since = options.since ? readMigrationsAtRef(root, options.since, project.migrationsDir) : undefined;
  const today = options.today ?? new Date().toISOString().slice(0, 10);

  const { findings: all, suppressed } = runRules({
    root,
    migrations,
    baselineSql,
    parsedBaseline: input.prepared ? baselineSql.map((f) => parsedBaseline.get(f.file)) : undefined,
    parsedMigrations,
    selected,
    severities,
    options: ruleOptions(config, today, project.runner),
    since,
    migrationSearchPath: project.runner.searchPathBeforeEachFile,
    sessionSearchPath: project.runner.sessionSearchPath,
    folderProblems: input.folderProblems,
  });

  // pgdrift's own files (the platform baseline, the runner's bookkeeping table) stand for objects the team did not
  // write and cannot change: nothing to report there.
  const findings = all.filter((finding) => !isVirtualFile(finding.file));

  if (options.fix) {
    if (!since && !selected) {
      throw new InputError('--fix rewrites only new migrations, and needs to know which they are', {
        hint: 'pass --since <base ref> (files not merged there are new), or name the files: pgdrift lint --fix migrations/042_x.sql',
      });
    }
    const eligible = (file: string) => (!since || !since.files.has(file)) && (!selected || selected.has(file));
    const outcome = applyFixes(findings, migrations, eligible);
    const after = await lint({ ...options, fix: false, onNotice: undefined });
    return { ...after, fixed: outcome.applied, fixSkipped: outcome.skipped };
  }

  const baselineLabel = config.lint?.baselineFile ?? DEFAULT_BASELINE_FILE;
  const baselinePath = path.resolve(root, baselineLabel);
  const previous = readBaseline(checkProjectFile(baselinePath, baselineLabel, root, project.allowOutside) ?? baselinePath, baselineLabel);
  let fresh = findings;
  let baselined: number;
  if (options.writeBaseline) {
    writeBaseline(baselinePath, buildBaseline(findings, previous, selected));
    fresh = [];
    baselined = findings.length;
  } else {
    ({ fresh, baselined } = filterByBaseline(findings, previous));
  }

  const result: Finding[] = fresh.map(({ fingerprintKey: _key, fix: _fix, ...finding }) => finding).sort(compareFindings);
  const errors = result.filter((f) => f.severity === 'error').length;
  const warnings = result.filter((f) => f.severity === 'warning').length;
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;
  return {
    findings: result,
    suppressed,
    baselined,
    filesLinted: selected ? selected.size : migrations.length,
    preset,
    exitCode: errors > 0 || tooManyWarnings ? 1 : 0,
  };
}
