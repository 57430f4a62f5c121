import { createHash } from 'node:crypto';
import { standInsDigest, type StandInSet } from '../engine/stand-ins.js';
import { embeddedBuildFor, embeddedBuildId } from '../engine/pglite.js';
// in a worker thread, so replay.timeout and replay.memoryLimit can stop a runaway migration (isolated.ts)
import { openIsolatedPgliteEngine as openPgliteEngine } from '../engine/isolated.js';
import { defaultCacheDir } from '../engine/pglite-cache.js';
import { openReplayCache, prefixKeys, sessionStateBarrier, type CacheFile, type ReplayCache } from '../engine/replay-cache.js';
import type { Engine, EngineInfo, EngineOptions } from '../engine/types.js';
import { replayHistory, type PreparedHistory, type ReplayOptions } from '../replay/replay.js';
import type { FileResult, ReplayReport } from '../replay/types.js';
import type { LoadedHistory } from './replay-project.js';
import { readableOlderDumpText } from '../sql/older-dump-keywords.js';

/** What a replay on the embedded engine produced, and the engine it ran on (open, for follow-up work). */
export interface CachedReplayRun {
  report: ReplayReport;
  dump: string;
  /** the engine in the replayed state; for a reused dump a stand-in that builds that state on first use */
  engine: Engine;
}

/**
 * Replays a history on PGlite through the replay cache (replay-cache.ts):
 * 1. the whole history unchanged → its stored dump and report, no engine started;
 * 2. else the longest saved prefix state → loaded, and only the remaining files applied;
 * 3. else a full replay.
 * Every replay saves its state (at the end of the reusable prefix) and, when no file failed, its dump.
 * Failures are never served from the cache: a history with a failing file is replayed (its prefix still reused).
 */
export async function replayWithCache(
  engineOptions: EngineOptions & { projectRoot?: string },
  history: LoadedHistory,
  replayOptions: ReplayOptions,
  where: { cacheDir?: string; onVerbose?: (message: string) => void } = {},
): Promise<CachedReplayRun> {
  const onVerbose = where.onVerbose;
  const build = embeddedBuildFor(engineOptions.pg);
  const files = cacheFiles(history);
  const keys = prefixKeys(
    {
      engine: embeddedBuildId(build),
      runner: runnerOf(history, engineOptions.searchPath, engineOptions.standIns),
      mode: replayOptions.mode ?? 'file',
      order: history.project.order,
      keepGoing: Boolean(replayOptions.keepGoing),
      extensions: history.prepared.extensions,
    },
    files,
  );
  const total = files.length;
  const cache = openReplayCache(where.cacheDir ?? engineOptions.cacheDir ?? defaultCacheDir(engineOptions.projectRoot));

  const stored = cache.readReplay(keys[total - 1]);
  if (stored) {
    onVerbose?.(`replay cache: hit, reused the dump of ${total} unchanged files (no engine started)`);
    const info: EngineInfo = { ...stored.report.engine, replayCache: 'dump', reusedFiles: total, ...(engineOptions.majorReason ? { majorReason: engineOptions.majorReason } : {}) };
    const report = { ...stored.report, engine: info, files: stored.report.files.map((f) => ({ ...f, ms: 0, cached: true })) };
    // a dump stored before older-dump-keywords.ts existed may still hold a word bare that the grammar refuses
    return { report, dump: await readableOlderDumpText(stored.dump), engine: standIn(info, () => materialize(engineOptions, history, replayOptions, cache, keys, stateBarrier(history, files))) };
  }

  // a runner's refusal of a file runs nothing (replayHistory): no state to load or save
  const refusedByRunner = !replayOptions.keepGoing && history.prepared.files.some((f) => f.refusedByRunner);
  const barrier = refusedByRunner ? 0 : stateBarrier(history, files);
  const { engine, reused } = await openFromLongestState(engineOptions, cache, keys, barrier);
  try {
    onVerbose?.(
      reused > 0
        ? `replay cache: prefix hit, loaded the state after ${reused} of ${total} files; applying ${total - reused}`
        : `replay cache: miss, replaying ${total} files${barrierNote(history, barrier, total)}`,
    );
    const results: FileResult[] = history.prepared.files.slice(0, reused).map((f) => ({ file: f.migration.file, role: f.role, status: 'applied', ms: 0, cached: true }));
    const failures: ReplayReport['migrationFailures'] = [];
    const apply = async (from: number, to: number) => {
      if (from >= to) return;
      const stopped = !replayOptions.keepGoing && failures.length > 0;
      if (stopped) {
        // as replayHistory does past a failure: a file known to fail (a syntax error) is reported, the rest skipped
        for (const f of history.prepared.files.slice(from, to)) {
          results.push({ file: f.migration.file, role: f.role, status: f.staticFailure ? 'failed' : 'skipped', ms: 0 });
          if (f.staticFailure) failures.push(f.staticFailure);
        }
        return;
      }
      const part = await replayHistory(engine, sliceHistory(history.prepared, from, to), offsetProgress(replayOptions, from, total));
      results.push(...part.files);
      failures.push(...part.migrationFailures);
    };
    // Up to the end of the reusable prefix, save the state there (when every file applied and it is worth it), then the rest.
    await apply(reused, barrier);
    if (barrier > reused && failures.length === 0 && engine.saveState && worthSavingState(reused, barrier)) cache.writeState(keys[barrier - 1], await engine.saveState());
    await apply(Math.max(reused, barrier), total);
    const info: EngineInfo = { ...engine.info, replayCache: reused > 0 ? 'prefix' : 'miss', ...(reused > 0 ? { reusedFiles: reused } : {}) };
    const report: ReplayReport = { engine: info, files: results, migrationFailures: failures };
    const dump = await engine.dump();
    if (failures.length === 0) {
      const { replayCache: _, reusedFiles: __, cache: ___, majorReason: ____, ...plain } = info;
      cache.writeReplay(keys[total - 1], { dump, report: { ...report, engine: plain } });
    }
    cache.prune();
    return { report, dump, engine };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/**
 * How many files from the start a saved state may cover: up to the first file that leaves session state, and none
 * when the runner applies all migrations in one transaction: a prefix's saved state is committed, while on a fresh
 * database the runner's transaction is still open there (a file using an enum value added by an earlier one fails
 * with the runner, 55P04, but would apply on top of the state). The dump of the whole history is still reused.
 */
function stateBarrier(history: LoadedHistory, files: CacheFile[]): number {
  if (history.prepared.migrationsInOneTransaction) return 0;
  // nor inside the transaction some files share (MigrationFile.sameTransaction): the state is saved before the first
  let barrier = sessionStateBarrier(files);
  while (barrier > 0 && barrier < files.length && history.prepared.files[barrier].migration.sameTransaction) barrier--;
  return barrier;
}

function barrierNote(history: LoadedHistory, barrier: number, total: number): string {
  if (barrier >= total) return '';
  if (history.prepared.migrationsInOneTransaction) return ` (the runner applies them in one transaction: no state is saved)`;
  return ` (file ${barrier + 1} leaves session state: states are saved before it)`;
}

/**
 * Saving a state is a tarball of the whole data directory, made in JavaScript (pglite-state.ts): about as costly as
 * loading one (1.5-3 s each at 1,000 tables, where applying one more file takes milliseconds). After a full replay
 * the state is always saved; on top of a loaded prefix only once enough files were applied that skipping them next
 * time pays for it. So a pull request that appends a file to a long history loads the saved prefix, applies one file and
 * saves nothing; the history's state moves forward once it has grown by MIN_FILES_FOR_A_NEW_STATE files.
 */
export const MIN_FILES_FOR_A_NEW_STATE = 20;

function worthSavingState(reused: number, barrier: number): boolean {
  return reused === 0 || barrier - reused >= MIN_FILES_FOR_A_NEW_STATE;
}

/** The state after the whole history, as an engine: from the longest saved prefix state and the rest applied, else replayed. */
async function materialize(
  engineOptions: EngineOptions & { projectRoot?: string },
  history: LoadedHistory,
  replayOptions: ReplayOptions,
  cache: ReplayCache,
  keys: string[],
  barrier: number,
): Promise<Engine> {
  const { engine, reused } = await openFromLongestState(engineOptions, cache, keys, barrier);
  const total = history.prepared.files.length;
  if (reused < total) {
    try {
      await replayHistory(engine, sliceHistory(history.prepared, reused, total), replayOptions);
    } catch (error) {
      await engine.close();
      throw error;
    }
  }
  return engine;
}

/**
 * An engine in the state after the longest saved prefix of at most `limit` files (`reused` of them), or a fresh
 * one (`reused` 0) when no state is saved or the saved one does not load (it is evicted, to be rebuilt).
 */
async function openFromLongestState(
  engineOptions: EngineOptions & { projectRoot?: string },
  cache: ReplayCache,
  keys: string[],
  limit: number,
): Promise<{ engine: Engine; reused: number }> {
  const saved = limit > 0 ? cache.longestState(keys, limit) : undefined;
  if (saved) {
    try {
      return { engine: await openPgliteEngine({ ...engineOptions, initialState: saved.data }), reused: saved.files };
    } catch {
      cache.evictState(saved.key); // verified but does not load: rebuild it
    }
  }
  return { engine: await openPgliteEngine(engineOptions), reused: 0 };
}

function cacheFiles(history: LoadedHistory): CacheFile[] {
  // a refusal the text does not show (sqlx's byte order mark: the text is read without it) keys the file apart
  const files = history.prepared.files;
  // a file whose transaction the next one shares (MigrationFile.sameTransaction) keys apart from the same file committed
  return files.map((f, index) => ({ role: f.role, file: f.migration.file, text: f.migration.text, statements: f.parsed?.statements, ...(f.staticFailure ? { refused: f.staticFailure.message } : {}), ...(files[index + 1]?.migration.sameTransaction ? { joinsNext: true } : {}) }));
}

/** An engine that exists only once something uses it (a reused dump needs none unless, e.g., --idempotent). */
function standIn(info: EngineInfo, open: () => Promise<Engine>): Engine {
  let opened: Promise<Engine> | undefined;
  const real = () => (opened ??= open());
  return {
    info,
    exec: async (sql) => (await real()).exec(sql),
    query: async (sql, params) => (await real()).query(sql, params),
    dump: async () => (await real()).dump(),
    ensureRole: async (name) => (await real()).ensureRole(name),
    saveState: async () => (await real()).saveState!(),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

function sliceHistory(history: PreparedHistory, from: number, to: number): PreparedHistory {
  return { ...history, files: history.files.slice(from, to) };
}

/** Progress events count from the start of the whole history, not of the part being applied. */
function offsetProgress(options: ReplayOptions, offset: number, total: number): ReplayOptions {
  const onFile = options.onFile;
  return onFile ? { ...options, onFile: (event) => onFile({ ...event, index: event.index + offset, total }) } : options;
}

/**
 * The runner decides which part of each file runs and how (its name is in the key with the platform baseline, its
 * one transaction, the search_path the engine gives the session, the bookkeeping table whose existence decides
 * whether its DDL runs, the files it runs around each migration, and the roles it has before the first migration:
 * none of them is in a migration's text).
 */
function runnerOf(history: LoadedHistory, searchPath: string[] | undefined, standIns: StandInSet | undefined): string {
  // a changed stand-in script (stand-ins.ts) never reuses a replay made with the old one
  const platform = `${history.project.platformBaseline ? '+platform-baseline' : ''}${standIns ? `+stand-ins=${standInsDigest(standIns)}` : ''}`;
  const together = history.prepared.migrationsInOneTransaction ? '+one-transaction' : '';
  const reset = history.prepared.sessionReset ? `+before-each-file=${JSON.stringify(history.prepared.sessionReset)}` : '';
  const bookkeeping = history.project.runner.bookkeepingSetup ? `+bookkeeping=${history.project.runner.bookkeepingSetup.table}` : '';
  // what runs around each migration (Flyway's beforeEachMigrate / afterEachMigrate): every file's name and text
  const aroundFiles = history.prepared.aroundEachMigration;
  const around = aroundFiles
    ? `+around=${createHash('sha256')
        .update(JSON.stringify([...aroundFiles.before.map((f) => ['before', f.migration.file, f.migration.text]), ...aroundFiles.after.map((f) => ['after', f.migration.file, f.migration.text])]))
        .digest('hex')}`
    : '';
  const roles = history.project.runner.rolesBeforeMigrations?.length ? `+roles=${JSON.stringify(history.project.runner.rolesBeforeMigrations)}` : '';
  // the runner's record of each migration, checked in current_schema() (ExecutionPart.recordsInCurrentSchema)
  const records = history.prepared.files.some((f) => f.migration.parts?.some((part) => part.recordsInCurrentSchema)) ? '+records-in-current-schema' : '';
  // ... or through the session's search_path (ExecutionPart.recordsInto, goose)
  const recordsInto = [...new Set(history.prepared.files.flatMap((f) => f.migration.parts?.flatMap((part) => (part.recordsInto ? [part.recordsInto] : [])) ?? []))];
  return `${history.project.runner.name}${platform}${together}${reset}${bookkeeping}${records}${recordsInto.length > 0 ? `+records-into=${JSON.stringify(recordsInto)}` : ''}${around}${roles}${searchPath ? `+search_path=${JSON.stringify(searchPath)}` : ''}`;
}
