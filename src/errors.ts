/** Process exit codes; the numbers are part of pgdrift's public contract (see README). */
export const ExitCode = {
  ok: 0,
  /** drift found, a migration failed, or lint errors */
  failure: 1,
  /** usage, configuration or input error */
  usage: 2,
  /** the engine (PGlite, Postgres server, Docker) could not start */
  engine: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** A known, user-facing error: printed as one message (never a stack trace) and mapped to an exit code. */
export class PgdriftError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
    readonly position?: SourcePosition,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, bad config, unreadable or invalid input files: exit 2. */
export class InputError extends PgdriftError {
  constructor(message: string, options: { hint?: string; position?: SourcePosition } = {}) {
    super(message, ExitCode.usage, options.hint, options.position);
  }
}

/** The database engine could not be started or reached: exit 3. */
export class EngineError extends PgdriftError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.engine, hint);
  }
}

export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}
