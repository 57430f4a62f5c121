import { diffModels } from '../diff/diff.js';
import type { DriftItem } from '../diff/types.js';
import { chooseEngine, resolveProject } from '../config/project.js';
import { ExitCode, InputError, PgdriftError } from '../errors.js';
import { buildSchemaModel } from '../model/build.js';
import type { MigrationFailure } from '../replay/types.js';
import { loadSqlParser } from '../sql/parse.js';
import { check, type CheckOptions, type CheckResult } from '../commands/check.js';

/** One major of a `check --pg 16,17,18` run: its check result, or why it could not run (engine, input). */
export interface MajorRun {
  pg: number;
  result?: CheckResult;
  error?: { message: string; hint?: string; exitCode: number };
  exitCode: number;
}

/** A migration file that fails on some of the majors and applies on the others: the headline of a matrix. */
export interface MajorSpecificFailure {
  file: string;
  failsOn: number[];
  appliesOn: number[];
  failure: MigrationFailure;
}

export interface MatrixResult {
  runs: MajorRun[];
  /** files failing on only some majors */
  majorSpecific: MajorSpecificFailure[];
  /** how each major's replayed schema differs from the previous major's (`added` = present on `pg`, not on `base`) */
  differences: Array<{ base: number; pg: number; drift: DriftItem[] }>;
  /** the worst exit code of all majors */
  exitCode: number;
}

/**
 * `pgdrift check --pg 16,17,18`: the whole check on each major, one after another (one engine in memory at a time),
 * then what differs between them: files that fail on only some majors, and differences between the replayed schemas.
 */
export async function checkMatrix(options: CheckOptions, majors: number[]): Promise<MatrixResult> {
  const project = resolveProject({ cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner, baseline: options.baseline, snapshot: options.snapshot });
  // as engineOptionsFor decides it for each run: PGDRIFT_DATABASE_URL alone gives a URL, it does not choose the server
  const engine = chooseEngine(project, options.engine, options.engine ? undefined : options.databaseUrl);
  if (engine === 'server') {
    throw new InputError(`--pg ${majors.join(',')}: the server engine replays on the server's own major`, {
      hint: 'run the matrix on the embedded engine (--engine pglite) or in containers (--engine docker), or point --database-url at each server in turn',
    });
  }
  const runs: MajorRun[] = [];
  for (const pg of majors) {
    try {
      const result = await check({ ...options, pg });
      runs.push({ pg, result, exitCode: result.exitCode });
    } catch (error) {
      if (!(error instanceof PgdriftError)) throw error;
      runs.push({ pg, error: { message: error.message, hint: error.hint, exitCode: error.exitCode }, exitCode: error.exitCode });
    }
  }
  const replayed = runs.filter((run) => run.result !== undefined);
  await loadSqlParser();
  // Each major against the next one asked for (16 vs 17, 17 vs 18): a difference shows where it appears.
  const differences: MatrixResult['differences'] = [];
  const models = replayed.map((run) => buildSchemaModel(run.result!.dump, `Postgres ${run.pg}`));
  for (let i = 1; i < replayed.length; i++) {
    differences.push({ base: replayed[i - 1].pg, pg: replayed[i].pg, drift: diffModels(models[i], models[i - 1], { ignore: options.ignore }) });
  }
  const exitCode = Math.max(
    ExitCode.ok,
    ...runs.map((run) => run.exitCode),
    differences.some((d) => d.drift.length > 0) ? ExitCode.failure : ExitCode.ok,
  );
  return { runs, majorSpecific: majorSpecificFailures(replayed), differences, exitCode };
}

/** Files whose replay failed on some majors but not on all of those that replayed. */
function majorSpecificFailures(replayed: MajorRun[]): MajorSpecificFailure[] {
  const byFile = new Map<string, Map<number, MigrationFailure>>();
  for (const run of replayed) {
    for (const failure of run.result!.migrationFailures) {
      if (!byFile.has(failure.file)) byFile.set(failure.file, new Map());
      byFile.get(failure.file)!.set(run.pg, failure);
    }
  }
  const out: MajorSpecificFailure[] = [];
  for (const [file, failures] of byFile) {
    const failsOn = [...failures.keys()];
    // "applies" only where the file really ran and succeeded (not skipped after an earlier failure)
    const appliesOn = replayed.filter((run) => run.result!.files.some((f) => f.file === file && f.status === 'applied')).map((run) => run.pg);
    if (appliesOn.length > 0) out.push({ file, failsOn, appliesOn, failure: failures.get(failsOn[0])! });
  }
  return out;
}
