import type { MigrationFailure } from './replay/types.js';
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
  /**
   * Migrations that had failed before this error stopped the command (check: the committed snapshot did not load
   * after a replay with failures): the CLI prints them before the error, so the first problem is not hidden by the
   * second.
   */
  failedBefore?: MigrationFailure[];

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
  constructor(message: string, hint?: string, position?: SourcePosition) {
    super(message, ExitCode.engine, hint, position);
  }
}

export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

/**
 * An ordinary fault of the file system (read-only project, disk full, a folder where a file should be, no
 * permission): the user's environment, not a bug, so exit 2 with the path and the OS reason.
 */
export class FileSystemError extends PgdriftError {
  constructor(
    readonly path: string,
    readonly code: string,
    action: string,
  ) {
    super(`cannot ${action} ${path}: ${OS_REASONS[code] ?? code} (${code})`, ExitCode.usage, FS_HINTS[code]);
  }
}

const OS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  ETXTBSY: 'file busy',
  EXDEV: 'cross-device link',
};

const FS_HINTS: Record<string, string> = {
  ENOSPC: 'free some disk space; the files that were there before are unchanged',
  EDQUOT: 'free some disk space; the files that were there before are unchanged',
  EROFS: 'run on a writable checkout, or write the output elsewhere (--format <name>=<file>, -o)',
  EACCES: 'check the permissions of the file and its folder',
};

/** The OS error codes `osFault` turns into a FileSystemError. */
export function isOsFault(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code in OS_REASONS;
}

/**
 * Types an OS error as a FileSystemError naming `file` (the path the user gave, not a temporary file); other
 * errors are returned as they are (they are bugs, reported as such).
 */
export function osFault(error: unknown, file: string, action: 'read' | 'write' | 'create' | 'remove' | 'list'): unknown {
  if (error instanceof PgdriftError || !isOsFault(error)) return error;
  return new FileSystemError(file, error.code, action);
}
