import type { Engine, PostgresErrorFields } from '../engine/types.js';
import { isReplayLimitError } from '../engine/limits.js';
import { refuseOnEmbeddedEngine } from '../engine/pglite-guard.js';
import { EngineError } from '../errors.js';
import { requestedExtensions } from '../engine/extensions.js';
import type { MigrationFile } from '../migrations/discover.js';
import { parseSql, SqlSyntaxError, type ParsedSql, type ParsedStatement } from '../sql/parse.js';
import type { FileResult, MigrationFailure, ReplayReport } from './types.js';

/** A baseline or migration file, read and parsed, ready to replay. */
export interface PreparedFile {
  migration: MigrationFile;
  role: 'baseline' | 'migration';
  parsed?: ParsedSql;
  /** a syntax error or psql meta-command found before anything runs */
  staticFailure?: MigrationFailure;
}

export interface PreparedHistory {
  files: PreparedFile[];
  /** extensions requested anywhere, so PGlite can load them up front */
  extensions: string[];
}

const SYNTAX_ERROR = '42601';

/** Parses every file before anything runs: syntax errors and psql meta-commands surface for all files at once. */
export function prepareHistory(baseline: MigrationFile[], migrations: MigrationFile[]): PreparedHistory {
  const files: PreparedFile[] = [];
  const statements: ParsedStatement[] = [];
  for (const [role, list] of [
    ['baseline', baseline],
    ['migration', migrations],
  ] as const) {
    for (const migration of list) {
      try {
        const parsed = parseSql(migration.text, migration.file);
        statements.push(...parsed.statements);
        const meta = parsed.metaCommands[0];
        const staticFailure: MigrationFailure | undefined = meta && {
          file: migration.file,
          line: meta.line,
          column: meta.column,
          sqlstate: SYNTAX_ERROR,
          message: `psql meta-command \\${meta.command} cannot run through a database driver`,
          hint: meta.command === 'i' || meta.command === 'ir' ? 'inline the included file, or list it in "baseline"' : 'remove it; a migration runner sends plain SQL',
          statement: meta.text,
        };
        files.push({ migration, role, parsed, staticFailure });
      } catch (error) {
        if (!(error instanceof SqlSyntaxError)) throw error;
        files.push({
          migration,
          role,
          staticFailure: {
            file: migration.file,
            line: error.line,
            column: error.column,
            sqlstate: SYNTAX_ERROR,
            message: error.detail,
            statement: migration.text.split('\n')[error.line - 1]?.trim(),
          },
        });
      }
    }
  }
  return { files, extensions: requestedExtensions(statements) };
}

export interface ReplayOptions {
  /** wall-clock limit of the whole replay in ms (config replay.timeout); 0 or absent = none */
  timeoutMs?: number;
  /** record a failure and go on with the next file, instead of stopping at the first one */
  keepGoing?: boolean;
  /** apply migrations file by file (one query each, the default) or statement by statement */
  mode?: 'file' | 'statement';
  onFile?: (event: { index: number; total: number; file: string; role: 'baseline' | 'migration' }) => void;
}

/**
 * Applies the baseline (statement by statement, stopping at its first error, as Docker's initdb does) and then
 * each migration as ONE simple-protocol query (one implicit transaction per file, like a Node runner's
 * `client.query(fileText)`). Strict by default: the first failing file stops the replay.
 */
export async function replayHistory(engine: Engine, history: PreparedHistory, options: ReplayOptions = {}): Promise<ReplayReport> {
  const files: FileResult[] = [];
  const migrationFailures: MigrationFailure[] = [];
  const limit = replayDeadline(options.timeoutMs);
  const staticFailures = history.files.filter((f) => f.staticFailure);
  let stop = !options.keepGoing && staticFailures.length > 0;
  if (stop) migrationFailures.push(...staticFailures.map((f) => f.staticFailure!));

  for (const [index, prepared] of history.files.entries()) {
    const { migration, role } = prepared;
    if (stop) {
      files.push({ file: migration.file, role, status: prepared.staticFailure ? 'failed' : 'skipped', ms: 0 });
      continue;
    }
    options.onFile?.({ index, total: history.files.length, file: migration.file, role });
    if (prepared.staticFailure) {
      migrationFailures.push(prepared.staticFailure);
      files.push({ file: migration.file, role, status: 'failed', ms: 0 });
      continue;
    }
    const started = performance.now();
    const parsed = prepared.parsed!;
    // The embedded engine cannot run COPY from a client stream or a server program/file: refused before sending.
    const refused = engine.info.name === 'pglite' ? refuseOnEmbeddedEngine(migration, parsed) : undefined;
    const failure =
      refused ??
      (await withPlace(migration, parsed, () =>
        role === 'baseline' || options.mode === 'statement'
          ? applyStatementByStatement(engine, migration, parsed, limit)
          : applyWholeFile(engine, migration, parsed, limit),
      ));
    const ms = Math.round(performance.now() - started);
    files.push({ file: migration.file, role, status: failure ? 'failed' : 'applied', ms });
    if (failure) {
      migrationFailures.push(failure);
      // a limit ends the replay even with --keep-going: the time (or memory) is spent
      if (!options.keepGoing || failure.sqlstate === QUERY_CANCELED) stop = true;
    }
  }
  return { engine: engine.info, files, migrationFailures };
}

async function applyWholeFile(engine: Engine, migration: MigrationFile, parsed: ParsedSql, limit: Deadline): Promise<MigrationFailure | undefined> {
  if (parsed.statements.length === 0) return undefined;
  try {
    await engine.exec(parsed.executableText, { timeoutMs: limit.remaining() });
    return undefined;
  } catch (error) {
    if (isReplayLimitError(error)) {
      // Which statement? Re-run them one by one (rolled back) with the same limit: the one that hits it again.
      const located = await locateFailingStatement(engine, parsed, postgresErrorFields(error), limit.perStatementRetry());
      return failureAt(migration, parsed, { ...located.fields, message: error.message }, located.index);
    }
    rethrowEngineFault(error);
    const fields = postgresErrorFields(error);
    if (fields.position !== undefined) {
      return failureAt(migration, parsed, fields, parsed.source.indexOfCodePoint(fields.position - 1));
    }
    // Postgres gave no position: find the failing statement by running them one by one in a transaction
    // that is rolled back (the file's own implicit transaction already was).
    const located = await locateFailingStatement(engine, parsed, fields);
    return failureAt(migration, parsed, located.fields, located.index);
  }
}

async function applyStatementByStatement(engine: Engine, migration: MigrationFile, parsed: ParsedSql, limit: Deadline): Promise<MigrationFailure | undefined> {
  for (const statement of parsed.statements) {
    try {
      await engine.exec(statement.text, { timeoutMs: limit.remaining() });
    } catch (error) {
      rethrowEngineFault(error);
      const fields = postgresErrorFields(error);
      return failureAt(migration, parsed, fields, indexInFile(parsed, statement, fields.position));
    }
  }
  return undefined;
}

async function locateFailingStatement(engine: Engine, parsed: ParsedSql, original: PostgresErrorFields, timeoutMs?: number): Promise<{ fields: PostgresErrorFields; index: number }> {
  const firstStatement = { fields: original, index: parsed.source.indexOfByte(parsed.statements[0].byteStart) };
  // A file that manages its own transactions cannot be probed inside one.
  if (parsed.statements.some((s) => s.kind === 'TransactionStmt')) return firstStatement;
  try {
    await engine.exec('BEGIN');
  } catch (error) {
    rethrowEngineFault(error);
    return firstStatement;
  }
  try {
    for (const statement of parsed.statements) {
      try {
        await engine.exec(statement.text, timeoutMs ? { timeoutMs } : undefined);
      } catch (error) {
        rethrowEngineFault(error);
        const fields = postgresErrorFields(error);
        if (fields.sqlstate !== original.sqlstate) return { fields: original, index: indexInFile(parsed, statement, undefined) };
        return { fields, index: indexInFile(parsed, statement, fields.position) };
      }
    }
    return firstStatement;
  } finally {
    await engine.exec('ROLLBACK').catch(() => {});
  }
}

/** UTF-16 index in the file of Postgres's 1-based character `position` in a statement run alone (or its start). */
function indexInFile(parsed: ParsedSql, statement: ParsedStatement, position: number | undefined): number {
  const start = parsed.source.indexOfByte(statement.byteStart);
  return position === undefined ? start : start + codePointSpan(statement.text, position - 1);
}

/** UTF-16 length of the first `codePoints` code points of a text. */
function codePointSpan(text: string, codePoints: number): number {
  let index = 0;
  for (let n = 0; n < codePoints && index < text.length; n++) {
    const c = text.charCodeAt(index);
    index += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return index;
}

function failureAt(migration: MigrationFile, parsed: ParsedSql, fields: PostgresErrorFields, index: number): MigrationFailure {
  const { line, column } = parsed.source.positionOfIndex(index);
  const statement = statementAt(parsed, index);
  const failure: MigrationFailure = {
    file: migration.file,
    line,
    column,
    sqlstate: fields.sqlstate ?? 'XX000',
    message: fields.message,
  };
  if (fields.detail) failure.detail = fields.detail;
  if (fields.hint) failure.hint = fields.hint;
  if (statement) failure.statement = statement.text.split('\n')[0];
  return failure;
}

function statementAt(parsed: ParsedSql, index: number): ParsedStatement | undefined {
  let found: ParsedStatement | undefined;
  for (const statement of parsed.statements) {
    if (parsed.source.indexOfByte(statement.byteStart) <= index) found = statement;
    else break;
  }
  return found;
}

/** The fields of an error thrown by pg or PGlite (both follow Postgres's ErrorResponse). */
export function postgresErrorFields(error: unknown): PostgresErrorFields {
  const e = (error ?? {}) as Record<string, unknown>;
  const position = e.position !== undefined && e.position !== null && e.position !== '' ? Number(e.position) : undefined;
  return {
    message: String(e.message ?? error),
    sqlstate: typeof e.code === 'string' ? e.code : undefined,
    position: Number.isFinite(position) ? position : undefined,
    detail: typeof e.detail === 'string' ? e.detail : undefined,
    hint: typeof e.hint === 'string' ? e.hint : undefined,
    where: typeof e.where === 'string' ? e.where : undefined,
  };
}

const QUERY_CANCELED = '57014';

/** The time left of a replay's wall-clock limit. */
interface Deadline {
  /** ms left (at least 1), or undefined without a limit */
  remaining(): number | undefined;
  /** the limit again, for re-running one file's statements to find the one that hit it */
  perStatementRetry(): number | undefined;
}

function replayDeadline(timeoutMs: number | undefined): Deadline {
  if (!timeoutMs || timeoutMs <= 0) return { remaining: () => undefined, perStatementRetry: () => undefined };
  const end = performance.now() + timeoutMs;
  return { remaining: () => Math.max(1, Math.round(end - performance.now())), perStatementRetry: () => timeoutMs };
}

/** An engine fault (the server went away) is not the migration's failure: it ends the run with exit 3, at its file:line. */
function rethrowEngineFault(error: unknown): void {
  if (error instanceof EngineError) throw error;
}

/** Adds the file and line being applied to an engine fault: "the server went away at migrations/003_x.sql:12". */
async function withPlace<T>(migration: MigrationFile, parsed: ParsedSql, apply: () => Promise<T>): Promise<T> {
  try {
    return await apply();
  } catch (error) {
    if (error instanceof EngineError && !error.position) {
      const line = parsed.statements[0]?.line ?? 1;
      const place = `${migration.file}:${line}`;
      const message = error.message.replace(/^the server went away/, `the server went away at ${place}`);
      throw new EngineError(message === error.message ? `${error.message} (while applying ${place})` : message, error.hint);
    }
    throw error;
  }
}
