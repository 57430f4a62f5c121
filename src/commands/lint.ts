import path from 'node:path';
import { checkProjectFile } from '../util/project-paths.js';
import { existsSync } from 'node:fs';
import { resolveProject } from '../config/project.js';
import { InputError } from '../errors.js';
import { toMigrationFile, type MigrationFile } from '../migrations/discover.js';
import { loadProjectMigrations } from '../migrations/project-migrations.js';
import { loadSqlParser } from '../sql/parse.js';
import { buildBaseline, DEFAULT_BASELINE_FILE, filterByBaseline, readBaseline, writeBaseline } from '../lint/baseline.js';
import { choosePreset, resolveSeverities, ruleOptions } from '../lint/config.js';
import { compareFindings, runRules } from '../lint/engine.js';
import { readMigrationsAtRef } from '../lint/git.js';
import type { Finding } from '../lint/types.js';

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
}

/** `pgdrift lint`: lints the migration history of a project. Never prints and never exits. */
export async function lint(options: LintOptions = {}): Promise<LintResult> {
  const project = resolveProject(options);
  const { config, root } = project;
  if (project.detected) options.onNotice?.(project.detected);
  await loadSqlParser();
  const loaded = loadProjectMigrations(project);
  const migrations = loaded.migrations;

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
  const baselineSql: MigrationFile[] = loaded.baseline;
  const since = options.since ? readMigrationsAtRef(root, options.since, project.migrationsDir) : undefined;
  const today = options.today ?? new Date().toISOString().slice(0, 10);

  const { findings, suppressed } = runRules({
    root,
    migrations,
    baselineSql,
    selected,
    severities,
    options: ruleOptions(config, today, project.runner),
    since,
  });

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

  const result: Finding[] = fresh.map(({ fingerprintKey: _key, ...finding }) => finding).sort(compareFindings);
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
