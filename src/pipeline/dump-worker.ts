import { parentPort } from 'node:worker_threads';
import { PgdriftError } from '../errors.js';
import { loadSqlParser } from '../sql/parse.js';
import { readDumpFile } from './snapshot-side.js';

/**
 * Reads and models one pg_dump file in a worker thread (see readDumpFileOffThread in snapshot-side.ts), so that
 * `pgdrift diff a.sql b.sql` parses its two sides on two cores. Errors travel as data: the main thread rebuilds
 * the InputError with its position and hint.
 */
export interface DumpWorkerRequest {
  absolutePath: string;
  label: string;
}

export type DumpWorkerResponse =
  | { ok: true; result: ReturnType<typeof readDumpFile> }
  | { ok: false; error: { message: string; inputError: boolean; hint?: string; position?: PgdriftError['position'] } };

if (parentPort) {
  const port = parentPort;
  port.once('message', async (request: DumpWorkerRequest) => {
    try {
      await loadSqlParser();
      port.postMessage({ ok: true, result: readDumpFile(request.absolutePath, request.label) } satisfies DumpWorkerResponse);
    } catch (error: any) {
      const known = error instanceof PgdriftError;
      port.postMessage({
        ok: false,
        error: { message: String(error?.message ?? error), inputError: known && error.exitCode === 2, hint: known ? error.hint : undefined, position: known ? error.position : undefined },
      } satisfies DumpWorkerResponse);
    }
  });
}
