import pc from 'picocolors';
import { ExitCode, PgdriftError, formatPosition } from '../errors.js';
import { runAllCleanups } from '../engine/cleanup.js';
import { formatTimings, type Timings } from '../pipeline/timings.js';

/** Global flags every command understands. */
export interface GlobalArgs {
  cwd?: string;
  config?: string;
  quiet?: boolean;
  /** 0 or absent: off; 1: each stage; 2: and each replayed file */
  verbose?: number;
  debug?: boolean;
}

/** Where a command's human-facing side output goes (stderr), honouring --quiet and TTY-ness. */
export class Console {
  readonly colors: ReturnType<typeof pc.createColors>;
  private progressShown = false;

  constructor(
    readonly args: GlobalArgs,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.colors = pc.createColors(useColor(stderr));
  }

  /** A one-line notice for people (detected layout...); silent with --quiet. */
  notice(message: string): void {
    if (this.args.quiet) return;
    this.clearProgress();
    this.stderr.write(`${this.colors.dim(message)}\n`);
  }

  /** Stage timings: only with --verbose. */
  verbose(message: string): void {
    if (!this.args.verbose || this.args.quiet) return;
    this.clearProgress();
    this.stderr.write(`${this.colors.dim(`[verbose] ${message}`)}\n`);
  }

  /** The stage timings, one line each (`--verbose`; `--verbose=2` adds the replay's files). */
  timings(timings: Timings): void {
    if (!this.args.verbose || this.args.quiet) return;
    for (const line of formatTimings(timings, this.args.verbose)) this.verbose(line);
  }

  /** Progress on a TTY only: redrawn in place; nothing on pipes, CI logs, with --quiet or NO_COLOR (it needs escape codes). */
  progress(message: string): void {
    if (this.args.quiet || !this.stderr.isTTY || noColorRequested()) return;
    const width = Math.max(20, (this.stderr.columns || 80) - 1);
    this.stderr.write(`\r\x1b[K${message.length > width ? `${message.slice(0, width - 1)}…` : message}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.stderr.write('\r\x1b[K');
    this.progressShown = false;
  }
}

function noColorRequested(): boolean {
  return 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';
}

/** Colors only on a TTY; NO_COLOR disables and FORCE_COLOR enables them (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }): boolean {
  if (noColorRequested()) return false;
  if ('FORCE_COLOR' in process.env) return process.env.FORCE_COLOR !== '0' && process.env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY);
}

/**
 * Runs a command handler and maps what it throws to one clear message and an exit code: known errors get
 * their message (with file:line:column and hint), anything else is an internal error (stack with --debug).
 */
export async function runHandler(args: GlobalArgs, handler: () => Promise<number>): Promise<void> {
  let code: number;
  try {
    code = await handler();
  } catch (error) {
    code = reportError(error, args);
  } finally {
    await runAllCleanups();
  }
  process.exitCode = code;
}

export function reportError(error: unknown, args: GlobalArgs): number {
  const colors = pc.createColors(useColor(process.stderr));
  if (error instanceof PgdriftError) {
    const where = error.position && !error.message.startsWith(formatPosition(error.position)) ? `${formatPosition(error.position)}: ` : '';
    process.stderr.write(`${colors.red('pgdrift:')} ${where}${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${colors.dim('hint:')} ${error.hint}\n`);
    if (args.debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${colors.red('pgdrift: internal error:')} ${message}\n`);
  if (args.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write(`  ${colors.dim('run with --debug for the stack trace; please report it')}\n`);
  return INTERNAL_ERROR;
}

/** An unexpected exception: a bug in pgdrift, not in the user's input. */
export const INTERNAL_ERROR = 4;
export { ExitCode };

