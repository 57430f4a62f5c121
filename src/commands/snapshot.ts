import { rmSync } from 'node:fs';
import path from 'node:path';
import { latestSnapshot, listSnapshots, snapshotPathFor, type Project, type SnapshotFile } from '../config/project.js';
import type { DriftItem } from '../diff/types.js';
import { InputError } from '../errors.js';
import type { ReplayReport } from '../replay/types.js';
import { loadSqlParser } from '../sql/parse.js';
import { writeFileAtomic } from '../util/fs.js';
import { committedPgDumps } from '../util/pg-dump-file.js';
import { replayedFiles } from '../migrations/project-migrations.js';
import { attributeDrift } from '../pipeline/attribute.js';
import { compareDumps } from '../pipeline/compare.js';
import { comparedSnapshot, handWrittenLines, writtenByPgDump } from '../pipeline/hand-written-snapshot.js';
import { readDumpFile, snapshotComparison } from '../pipeline/snapshot-side.js';
import { generateDocs, migrationsSource, type DocsResult } from './docs.js';
import { dbmateSchemaFileNotices } from '../runners/dbmate-schema-versions.js';
import type { SchemaFileSet } from '../runners/supabase-schemas.js';
import type { ReplayCommandOptions } from '../pipeline/options.js';
import { engineOptionsFor, projectExtensions, replayProject, resolveRunProject, type LoadedHistory } from '../pipeline/replay-project.js';

export interface SnapshotOptions extends ReplayCommandOptions {
  /** the snapshot's date, YYYY-MM-DD (default: today, UTC) */
  date?: string;
  /** write a snapshot even when the schema did not change */
  force?: boolean;
  /** after writing, delete all but the newest N snapshots */
  keep?: number;
  /** docs folder to regenerate with a new snapshot (default: config docs.out, then docs/schema) */
  docsOut?: string;
  /** regenerate the docs with a new snapshot (default true) */
  docs?: boolean;
}

export interface SnapshotResult {
  /** the snapshot written, relative to the project root; absent when nothing changed (or a migration failed) */
  written?: string;
  /** the latest snapshot before this run, relative to the project root */
  previous?: string;
  /** what changed since `previous` (from = previous snapshot, to = the migrations); empty for a first snapshot */
  changed: DriftItem[];
  /** snapshots deleted by `keep`, relative to the project root */
  pruned: string[];
  /** the docs regenerated with the new snapshot */
  docs?: DocsResult;
  report: ReplayReport;
  /** 1 when a migration failed (then nothing is written) */
  exitCode: 0 | 1;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD that is a real calendar date (2025-02-30 is not). */
export function validateSnapshotDate(date: string): string {
  const match = DATE.exec(date);
  const parsed = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!parsed || parsed.toISOString().slice(0, 10) !== date) {
    throw new InputError(`invalid --date "${date}"`, { hint: 'use a calendar date as YYYY-MM-DD, e.g. 2025-11-06' });
  }
  return date;
}

export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

/**
 * `pgdrift snapshot`: replays the migrations and, when the schema differs semantically from the latest snapshot
 * (or there is none, or `force`), writes `schema-actual-<date>.sql` atomically and regenerates the docs from the
 * same dump. An unchanged schema writes nothing; a failing migration writes nothing and exits 1.
 */
export async function snapshot(options: SnapshotOptions = {}): Promise<SnapshotResult> {
  const project = resolveRunProject(options);
  const date = validateSnapshotDate(options.date ?? todayUtc());
  if (options.keep !== undefined && (!Number.isInteger(options.keep) || options.keep < 1)) {
    throw new InputError(`invalid --keep ${options.keep}`, { hint: 'keep at least 1 snapshot (an integer)' });
  }
  if (project.schemaFiles) throw schemaFilesNotWritten(project.schemaFiles);
  const target = snapshotPathFor(project, date);
  const latest = await latestSnapshot(project);
  if (latest?.date && latest.date > date) {
    throw new InputError(`the latest snapshot ${latest.file} is newer than --date ${date}`, {
      hint: 'a new snapshot must be the latest: use a date on or after the latest one',
    });
  }
  if (!latest) {
    // a first snapshot beside a committed pg_dump file pgdrift was not told about: say so, as check's NoSnapshotError
    // does (field: oliver-hohn/mealfriend's goose project keeps db/schema.sql; a snapshot of the migrations matches them
    // by construction and leaves that dump unchecked)
    const baseline = project.baselineFiles.map((f) => path.relative(project.root, f).split(path.sep).join('/'));
    const dumps = await committedPgDumps(project.root, project.migrationsDir, baseline, replayedFiles(project));
    if (dumps.length > 0) {
      options.onNotice?.(
        `${dumps.join(', ')} ${dumps.length === 1 ? 'is a pg_dump file' : 'are pg_dump files'} the runner does not replay, which pgdrift does not compare with: this writes a new snapshot from the migrations; to check the team's dump instead, pass --snapshot ${dumps.length === 1 ? dumps[0] : '<file>'} (or set "snapshot" in the config)`,
      );
    }
  }
  await loadSqlParser();
  // Compared exactly as check compares (snapshotComparison): the runner's bookkeeping tables are not the team's schema,
  // so a snapshot that lacks (or has) them is not stale (one written before the replay created the runner's table);
  // a snapshot `supabase db dump` wrote is not stale for lacking the platform schemas it always leaves out.
  let previous: ReturnType<typeof readDumpFile> | undefined;
  try {
    previous = latest && readDumpFile(latest.path, latest.file);
  } catch (error) {
    // an empty or unreadable latest snapshot is an input error whose hint is --force, which then replaces it
    if (!(options.force && error instanceof InputError)) throw error;
  }

  // A hand-written latest snapshot (not pg_dump output) is never replaced by pg_dump's text unasked: with --force only.
  const handWritten = previous !== undefined && !writtenByPgDump(previous);
  const replacesHandWritten = handWritten && latest !== undefined && path.resolve(latest.path) === path.resolve(target);
  // --keep deletes pg_dump snapshots only: a hand-written latest one stays (it is no output of this command)
  const prunable = async () => (await listSnapshots(project)).filter((s) => !(handWritten && s.path === latest?.path));
  const outcome = await replayProject(options, async (engine, { report, dump, history }) => {
    if (report.migrationFailures.length > 0 || !latest || !previous) return [] as DriftItem[];
    const engineOptions = { ...engineOptionsFor(project, options, history.prepared.extensions), engine: engine.info.name, pg: engine.info.major };
    // compared as check compares it: a hand-written file through the engine's dump of it (hand-written-snapshot.ts)
    const theirs = await comparedSnapshot({ file: latest, ...previous }, history, engineOptions, options.timings);
    const settings = snapshotComparison(history.project, theirs.model, projectExtensions(history));
    // A new pg_dump version or a re-printed expression alone must not produce a snapshot either.
    const comparison = await compareDumps({ text: dump, label: 'migrations' }, theirs, { ...settings, engine: engineOptions });
    for (const note of comparison.notes) options.onNotice?.(note);
    const found = theirs.normalized ? handWrittenLines(comparison.drift, previous.model, [comparison.models.ours, comparison.models.theirs]) : comparison.drift;
    return attributeDrift(found, history, report);
  }, project);
  const { report, dump, history } = outcome;
  const changed = outcome.extra ?? [];
  const base = { previous: latest?.file, changed, pruned: [] as string[], report };
  if (report.migrationFailures.length > 0) return { ...base, exitCode: 1 };

  // dbmate's db/schema.sql also records the applied versions (dbmate dump writes them): a file whose versions are not
  // the migrations' is stale even when the schema it prints still matches (a data migration)
  const staleVersions = latest !== undefined && previous !== undefined && ownRunnerFile(project) && dbmateSchemaFileNotices(project.runner, history.migrations, previous.text, latest.file).length > 0;
  if (latest && changed.length === 0 && !staleVersions && !options.force) {
    return { ...base, pruned: pruneSnapshots(await prunable(), options.keep), exitCode: 0 };
  }
  if (replacesHandWritten && !options.force) {
    const count = changed.length === 1 ? '1 difference' : `${changed.length} differences`;
    throw new InputError(`${latest!.file} is a hand-written schema file (not pg_dump output) and the migrations differ from it (${count}): not replaced by pg_dump's text`, {
      position: changed[0]?.source.snapshot ? { file: latest!.file, line: changed[0].source.snapshot.line, column: 1 } : undefined,
      hint: '`pgdrift check` lists the differences; update the file by hand, replace it with pg_dump output with `pgdrift snapshot --force`, or keep pg_dump snapshots beside it ("snapshot": "docs/architecture/schema-actual-*.sql")',
    });
  }
  // The snapshot and its docs are one unit: every file is written to a temporary file first and renamed only when
  // all were written, so a full disk leaves the old snapshot and docs, never a snapshot with half its docs.
  let docs: DocsResult | undefined;
  const content = runnerSnapshotText(project, history, dump);
  if (options.docs === false) writeSnapshotFile(target, content);
  else docs = await generateDocs(project, migrationsSource(history, dump), { out: options.docsOut, timings: options.timings, alongside: [[target, content]] });
  const written = path.relative(project.root, target).split(path.sep).join('/');
  const pruned = pruneSnapshots(await prunable(), options.keep);
  return { ...base, written, docs, pruned, exitCode: 0 };
}

/**
 * The snapshot is a set of hand-written schema files (Supabase declarative schemas): the team writes them, and
 * `supabase db diff -f` writes migrations from them. pg_dump's one file cannot replace several files written by hand,
 * and a pg_dump snapshot written beside them would match the migrations by construction (and, in the default folder,
 * become the snapshot check compares with): nothing is written, with or without --force.
 */
function schemaFilesNotWritten(set: SchemaFileSet): InputError {
  return new InputError(`the snapshot is the ${set.files.length} hand-written schema files of ${set.origin}: pgdrift snapshot never writes them`, {
    hint:
      `change the schema files and write the migration from them (\`supabase db diff -f <name>\`, or by hand); \`pgdrift check\` compares the migrations with the schema files. ` +
      `To keep pg_dump snapshots instead, set "snapshot" to a glob of them ("docs/architecture/schema-actual-*.sql") or pass --snapshot`,
  });
}

/** The snapshot's text: as the runner writes its own file when the snapshot is that file (dbmate's db/schema.sql), else pg_dump's. */
function runnerSnapshotText(project: Project, history: LoadedHistory, dump: string): string {
  const { runner } = project;
  if (!runner.snapshotText || !ownRunnerFile(project)) return dump;
  return runner.snapshotText(dump, history.migrations.flatMap((m) => (m.version === undefined ? [] : [m.version])));
}

/** Whether the snapshot is the file the runner itself writes (dbmate's db/schema.sql), in the runner's own format. */
function ownRunnerFile(project: Project): boolean {
  return project.runner.snapshotText !== undefined && project.snapshotGlob === project.runner.snapshotDefault;
}

/** Writes a snapshot atomically: a temporary file in the same folder, then a rename; an interrupted run leaves the old files. */
export function writeSnapshotFile(file: string, content: string): void {
  writeFileAtomic(file, content);
}

/** Deletes all but the newest `keep` snapshots (oldest first in `snapshots`); returns the deleted ones. */
function pruneSnapshots(snapshots: SnapshotFile[], keep: number | undefined): string[] {
  if (keep === undefined || snapshots.length <= keep) return [];
  const doomed = snapshots.slice(0, snapshots.length - keep);
  for (const snapshot of doomed) rmSync(snapshot.path);
  return doomed.map((s) => s.file);
}

