import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import { formatDuration, ReplayLimitError, SessionBrokeError } from './limits.js';
import { NEWEST_EMBEDDED_MAJOR } from './pglite-builds.js';
import type { SerializedError, WorkerRequest, WorkerResponse } from './isolated-worker.js';
import type { Engine, EngineInfo, EngineOptions } from './types.js';

type OpenOptions = EngineOptions & { projectRoot?: string };
type Call = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** The compiled worker script; from the TypeScript sources (tests), the built one in dist/. */
function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const beside = path.join(path.dirname(here), 'isolated-worker.js');
  if (existsSync(beside)) return beside;
  const built = path.resolve(path.dirname(here), '..', '..', 'dist', 'engine', 'isolated-worker.js');
  return existsSync(built) ? built : undefined;
}

/** A worker started ahead of time by prewarmIsolatedEngine, for the first engine of that major to take. */
let spare: { worker: Worker; major: number } | undefined;

/** The major an engine option means: none is the newest. */
const majorOf = (pg: number | undefined) => pg ?? NEWEST_EMBEDDED_MAJOR;

/**
 * Starts the embedded engine's worker now and has it prepare what it can before the run's extensions are known (the
 * engine itself cannot start without them): PGlite imported, its WebAssembly compiled, and the data-dir cache entry
 * that `projectRoot`'s runs used last read ahead (prewarmPglite). The CLI calls this first thing for the
 * commands that replay, so that work overlaps with loading the command; the first openIsolatedPgliteEngine for the
 * same major takes the worker. An unused spare (another engine was configured, the replay cache answered) is
 * unreferenced and ends with the process.
 */
export function prewarmIsolatedEngine(pg?: number, projectRoot?: string): Promise<void> {
  const script = workerScript();
  if (!script || spare) return Promise.resolve();
  const worker = new Worker(script);
  const own = { worker, major: majorOf(pg) };
  const prepared = new Promise<void>((resolve) => {
    // the worker answers id 0 when its preparation has settled; the promise is for whoever waits (tests), the CLI does not
    worker.on('message', (response: WorkerResponse) => response.id === 0 && resolve());
    worker.on('exit', () => {
      if (spare === own) spare = undefined;
      resolve();
    });
  });
  worker.on('error', () => {}); // a failed prewarm only loses the head start; the open reports real failures
  // after the listeners: adding a 'message' listener references the worker's port again
  worker.unref();
  worker.postMessage({ id: 0, op: 'prewarm', pg, projectRoot } satisfies WorkerRequest);
  spare = own;
  return prepared;
}

function takeSpare(pg: number | undefined): Worker | undefined {
  if (!spare || spare.major !== majorOf(pg)) return undefined;
  const { worker } = spare;
  spare = undefined;
  return worker;
}

/** How often resident memory is sampled while a query runs. */
const MEMORY_SAMPLE_MS = 200;

/**
 * The embedded engine in a worker thread, so that replay limits hold: PGlite runs each query synchronously in
 * WASM and ignores statement_timeout (it has no timer signal), so a `LOOP END LOOP` would block the process for
 * ever. Here the main thread keeps a deadline and samples memory; a query over a limit ends the worker, and a
 * fresh worker gets back the state from before that query by re-running what came before it. The same restart
 * recovers a session that PGlite reports in a broken protocol state. Returns the in-process engine when no
 * compiled worker script exists (running from TypeScript sources without a build): then limits are not enforced.
 */
export async function openIsolatedPgliteEngine(options: OpenOptions): Promise<Engine> {
  const script = workerScript();
  if (!script) {
    const { openPgliteEngine } = await import('./pglite.js');
    return openPgliteEngine(options);
  }
  const limits = options.limits;
  const memoryLimitBytes = limits && limits.memoryLimitMb > 0 ? limits.memoryLimitMb * 1024 * 1024 : 0;
  const { limits: _limits, ...workerOptions } = options;
  /** every exec and ensureRole so far, in order (failed ones too): what a restarted worker re-runs */
  const history: Call[] = [];
  /** the current worker; undefined once it has gone (a start that failed, an unexpected exit) */
  let worker: Worker | undefined;
  /** why there is no worker: what the calls that come after fail with */
  let gone: Error | undefined;
  let info: EngineInfo;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();

  /**
   * Starts a worker and opens the engine in it. A worker whose open fails (an extension the build lacks, a saved
   * state that does not load) is ended here, on every path (the first open and each restart), so neither it nor
   * its message ports outlive the failure; later calls then fail at once instead of waiting on it.
   */
  const start = async () => {
    const own = takeSpare(options.pg) ?? new Worker(script);
    worker = own;
    gone = undefined;
    own.on('message', (response: WorkerResponse) => {
      const waiting = pending.get(response.id);
      if (!waiting) return;
      pending.delete(response.id);
      holdProcess();
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(deserializeError(response.error));
    });
    let opening = true;
    own.on('error', (error) => failAll(new EngineError(`the embedded engine ${opening ? 'could not start' : 'stopped'}: ${error.message}`)));
    own.on('exit', () => {
      if (own !== worker) return;
      worker = undefined;
      gone ??= new EngineError('the embedded engine stopped unexpectedly');
      if (!closed) failAll(gone);
    });
    own.unref(); // after the listeners (a 'message' listener references the port again); held while a call waits
    try {
      info = (await send({ op: 'open', options: workerOptions })) as EngineInfo;
      opening = false;
    } catch (error) {
      if (own === worker) worker = undefined;
      gone = error instanceof Error ? error : new EngineError(String(error));
      await own.terminate().catch(() => {});
      throw error;
    }
  };

  function failAll(error: unknown) {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    holdProcess();
  }

  function send(call: Call): Promise<unknown> {
    const target = worker;
    if (!target) return Promise.reject(gone ?? new EngineError('the embedded engine is closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      holdProcess();
      target.postMessage({ ...call, id });
    });
  }

  /**
   * The worker keeps the process alive exactly while a call waits on it: an idle engine someone forgot to close
   * must not hold the process at its end, and a call in flight must not be cut short by it (an unreferenced worker
   * alone does not keep Node running; whether its message port does depended on the order its listeners were added).
   */
  function holdProcess() {
    if (pending.size > 0) worker?.ref();
    else worker?.unref();
  }

  /** Ends the worker and starts a fresh one with the state before the current query. */
  const restart = async () => {
    const old = worker;
    worker = undefined; // the old worker's exit is not a failure of the new one
    await old?.terminate().catch(() => {});
    await start();
    for (const call of history) await send(call).catch(() => {});
  };

  /** A call with a deadline and a memory ceiling; over either, the worker is replaced and the call fails. */
  const bounded = async (call: Call, timeoutMs: number | undefined) => {
    let stopped: ReplayLimitError | undefined;
    let timer: NodeJS.Timeout | undefined;
    let sampler: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      const stop = (error: ReplayLimitError) => {
        stopped = error;
        reject(error);
      };
      if (timeoutMs && timeoutMs > 0) {
        timer = setTimeout(() => stop(new ReplayLimitError(`canceling statement: the replay ran longer than its time limit (replay.timeout, ${formatDuration(limits?.timeoutMs || timeoutMs)})`, 'timeout')), timeoutMs);
      }
      if (memoryLimitBytes > 0) {
        sampler = setInterval(() => {
          const rss = process.memoryUsage.rss();
          if (rss > memoryLimitBytes) {
            stop(new ReplayLimitError(`canceling statement: the embedded engine used ${Math.round(rss / 1048576)} MB, over its memory limit (replay.memoryLimit, ${limits!.memoryLimitMb} MB)`, 'memory'));
          }
        }, MEMORY_SAMPLE_MS);
      }
    });
    limit.catch(() => {});
    try {
      return await Promise.race([send(call), limit]);
    } catch (error) {
      if (stopped) {
        await restart();
        throw stopped;
      }
      throw error;
    } finally {
      clearTimeout(timer);
      clearInterval(sampler);
    }
  };

  try {
    await start(); // a failed start has ended its worker
  } catch (error) {
    closed = true;
    throw error;
  }
  const defaultTimeout = limits?.timeoutMs;

  return {
    get info() {
      return info;
    },
    async exec(sql, execOptions) {
      const call: Call = { op: 'exec', sql };
      try {
        await bounded(call, execOptions?.timeoutMs ?? defaultTimeout);
      } catch (error) {
        if (error instanceof ReplayLimitError) throw error;
        // PGlite can be left unusable by a failed query (COPY TO PROGRAM inside a function leaves every later
        // call failing with ERRORDATA_STACK_SIZE exceeded): ask, and replace the session if it does not answer;
        // the new one gets the state from before the query. Otherwise the failed query still moved the session
        // (an aborted transaction): it is re-run on any later restart.
        if (await broken()) await restart();
        else history.push(call);
        throw error;
      }
      // A COPY run from inside a function (EXECUTE 'COPY ... TO PROGRAM ...') "succeeds" and leaves the session
      // answering nothing but errors: check after any SQL that mentions COPY, and fail the query if so.
      if (/copy/i.test(sql) && (await broken())) {
        await restart();
        throw new SessionBrokeError();
      }
      history.push(call);
    },
    // pgdrift's own SQL (catalog queries, pg_dump): bounded by memory only, the time limit is the migrations'
    async query<Row>(sql: string, params?: unknown[]) {
      return (await bounded({ op: 'query', sql, params }, undefined)) as Row[];
    },
    async ensureRole(name) {
      const call: Call = { op: 'ensureRole', name };
      await bounded(call, undefined);
      history.push(call);
    },
    async dump() {
      return (await bounded({ op: 'dump' }, undefined)) as string;
    },
    async saveState() {
      return Buffer.from((await bounded({ op: 'saveState' }, undefined)) as Uint8Array);
    },
    async close() {
      if (closed) return;
      closed = true;
      const own = worker;
      if (!own) return;
      await send({ op: 'close' }).catch(() => {});
      await own.terminate().catch(() => {});
    },
  };

  /** After a failed query: does the session still answer? An aborted transaction answers 25P02, which is fine. */
  async function broken(): Promise<boolean> {
    try {
      await bounded({ op: 'query', sql: 'SELECT 1' }, 10_000);
      return false;
    } catch (error) {
      return (error as { code?: string }).code !== '25P02';
    }
  }
}

function deserializeError(data: SerializedError): Error {
  if (data.name === 'EngineError') return new EngineError(data.message, data.hint);
  const error = new Error(data.message) as Error & Record<string, unknown>;
  for (const key of ['code', 'position', 'detail', 'hint', 'where'] as const) if (data[key] !== undefined) error[key] = data[key];
  return error;
}
