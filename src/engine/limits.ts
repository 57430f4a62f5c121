import type { PgdriftConfig } from '../config/schema.js';
import type { ReplayLimits } from './types.js';

/** A few minutes: longer than any real migration history replays here, short enough for a CI job to notice. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
/** Temporary files per session on the server (sorts, hashes, generate_series spills): 1 GB. */
export const DEFAULT_TEMP_FILE_LIMIT_MB = 1024;
/** The embedded engine's process: PGlite needs 0.6-0.9 GB for itself; a runaway query stops at 3 GB. */
export const DEFAULT_MEMORY_LIMIT_MB = 3072;

export function replayLimits(config: PgdriftConfig['replay'] = {}): ReplayLimits {
  return {
    timeoutMs: Math.round((config.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000),
    tempFileLimitKb: Math.round((config.tempFileLimit ?? DEFAULT_TEMP_FILE_LIMIT_MB) * 1024),
    memoryLimitMb: Math.round(config.memoryLimit ?? DEFAULT_MEMORY_LIMIT_MB),
  };
}

/** "5 min", "3 s": for messages. */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * A query stopped by a replay limit. `code` is Postgres's query_canceled, so it reads like the error a server
 * gives for statement_timeout; the replay reports it at the statement's file:line.
 */
export class ReplayLimitError extends Error {
  readonly code = '57014';
  constructor(
    message: string,
    readonly limit: 'timeout' | 'memory',
  ) {
    super(message);
    this.name = 'ReplayLimitError';
  }
}

export function isReplayLimitError(error: unknown): error is ReplayLimitError {
  return error instanceof ReplayLimitError || (error as { name?: string } | undefined)?.name === 'ReplayLimitError';
}

/**
 * The embedded engine's session stopped answering after a query that "succeeded" (a COPY run from inside a
 * function); it was replaced by one with the state from before. The replay names the statement that mentions COPY.
 */
export class SessionBrokeError extends Error {
  readonly code = '0A000';
  readonly hint = 'COPY to or from a program, a file or the client cannot run on the embedded engine; replay on a server (--engine server) to see what it does there';
  constructor() {
    super("the embedded engine's session broke while running this (a COPY run from inside a function?); it was restarted without it");
    this.name = 'SessionBrokeError';
  }
}
