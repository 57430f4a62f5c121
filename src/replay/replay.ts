import type { Engine, PostgresErrorFields } from '../engine/types.js';
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
    const failure =
      role === 'baseline' || options.mode === 'statement'
        ? await applyStatementByStatement(engine, migration, parsed)
        : await applyWholeFile(engine, migration, parsed);
    const ms = Math.round(performance.now() - started);
    files.push({ file: migration.file, role, status: failure ? 'failed' : 'applied', ms });
    if (failure) {
      migrationFailures.push(failure);
      if (!options.keepGoing) stop = true;
    }
  }
  return { engine: engine.info, files, migrationFailures };
}

async function applyWholeFile(engine: Engine, migration: MigrationFile, parsed: ParsedSql): Promise<MigrationFailure | undefined> {
  if (parsed.statements.length === 0) return undefined;
  try {
    await engine.exec(parsed.executableText);
    return undefined;
  } catch (error) {
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

async function applyStatementByStatement(engine: Engine, migration: MigrationFile, parsed: ParsedSql): Promise<MigrationFailure | undefined> {
  for (const statement of parsed.statements) {
    try {
      await engine.exec(statement.text);
    } catch (error) {
      const fields = postgresErrorFields(error);
      return failureAt(migration, parsed, fields, indexInFile(parsed, statement, fields.position));
    }
  }
  return undefined;
}

async function locateFailingStatement(engine: Engine, parsed: ParsedSql, original: PostgresErrorFields): Promise<{ fields: PostgresErrorFields; index: number }> {
  const firstStatement = { fields: original, index: parsed.source.indexOfByte(parsed.statements[0].byteStart) };
  // A file that manages its own transactions cannot be probed inside one.
  if (parsed.statements.some((s) => s.kind === 'TransactionStmt')) return firstStatement;
  try {
    await engine.exec('BEGIN');
  } catch {
    return firstStatement;
  }
  try {
    for (const statement of parsed.statements) {
      try {
        await engine.exec(statement.text);
      } catch (error) {
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
