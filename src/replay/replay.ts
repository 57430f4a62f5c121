import type { TransactionStmt } from '@pgsql/types';
import { quoteIdentIfNeeded } from '../engine/quote.js';
import type { Engine, PostgresErrorFields } from '../engine/types.js';
import { isReplayLimitError, SessionBrokeError } from '../engine/limits.js';
import { refuseOnEmbeddedEngine } from '../engine/pglite-guard.js';
import { EngineError } from '../errors.js';
import { addsDomainColumnWithDefault, requestedExtensions, resetsSearchPath, usesConcurrentIndex, usesIcu } from '../engine/extensions.js';
import { parseMigration, type MigrationFile } from '../migrations/discover.js';
import { SUPABASE_IMAGE_EXTENSIONS } from '../runners/supabase-platform.js';
import type { ExecutionPart } from '../runners/types.js';
import { newerKeywordHint } from '../sql/newer-keywords.js';
import { parseSql, SqlSyntaxError, type ParsedSql, type ParsedStatement } from '../sql/parse.js';
import { roleStatementOf } from '../sql/role-statements.js';
import { roleAfter, runnerRoleEdit, type CurrentRole, type RunnerRoleEditKind, type TokenLookup } from '../sql/runner-role.js';
import { databasesLeftOut } from '../sql/named-database.js';
import { INLINE_COPY_HINT, inlineCopyBefore, inlineCopyMessage } from '../sql/inline-copy.js';
import { SourceText } from '../sql/source-text.js';
import { runsAloneFirst } from '../sql/transaction-block.js';
import type { FileResult, MigrationFailure, ReplayReport } from './types.js';

/** A baseline or migration file, read and parsed, ready to replay. */
export interface PreparedFile {
  migration: MigrationFile;
  role: 'baseline' | 'migration';
  parsed?: ParsedSql;
  /** a syntax error or psql meta-command found before anything runs, or the runner's refusal of the file */
  staticFailure?: MigrationFailure;
  /**
   * The static failure is the runner's own refusal of the file (MigrationFile.planProblem: its plan, journal,
   * changelog or annotations), not one Postgres would report when the file runs. Many runners read and check every
   * file before they run any (Liquibase's changelog validation, sql-migrate's and tern's loading, a drizzle journal),
   * so a strict replay then runs nothing, as it always did.
   */
  refusedByRunner?: boolean;
}

export interface PreparedHistory {
  files: PreparedFile[];
  /** extensions requested anywhere, so PGlite can load them up front */
  extensions: string[];
  /** a statement needs ICU collations (the embedded 16 and 17 are built without ICU) */
  usesIcu?: boolean;
  /** a CREATE or DROP INDEX CONCURRENTLY anywhere (the embedded Postgres 17 fails them: EmbeddedBuild.concurrentIndex) */
  usesConcurrentIndex?: boolean;
  /** a file's own RESET ALL / RESET search_path anywhere (the embedded 16 and 17 reset to pg_catalog: EmbeddedBuild.searchPathReset) */
  resetsSearchPath?: boolean;
  /** an ADD COLUMN of a CHECKed domain type with a DEFAULT (the embedded 16 checks it on an empty table: EmbeddedBuild.domainDefaultOnEmptyTable) */
  addsDomainColumnWithDefault?: boolean;
  /** roles the platform has before any file runs (a runner's platform baseline); created through the engine */
  roles: string[];
  /** the runner applies all migrations in ONE transaction (Runner.oneTransaction): replayed that way */
  migrationsInOneTransaction?: boolean;
  /** statements run before each migration file (Runner.resetsSessionBeforeEachFile: RESET ALL, then the platform's defaults) */
  sessionReset?: string[];
  /**
   * Files the runner runs around each migration, after the session reset and inside the migration's transaction
   * when it has one (Flyway's beforeEachMigrate / afterEachMigrate), statement by statement.
   */
  aroundEachMigration?: { before: PreparedFile[]; after: PreparedFile[] };
  /**
   * The role the runner connects as (Runner.connectsAs), which the replay role stands for on a server
   * (Engine.replaysAs): a migration's statement that only names it as "this role" is left out of what is sent
   * (runnerRoleView), or said otherwise in place. After a migration's `SET ROLE` to another role, until it sets the
   * role back, statements run as written.
   */
  runnerRole?: string;
  /**
   * The name of the database the replay runs in, when known before it opens (`postgres` on the embedded engine, a
   * throwaway name on a server): a statement on a database by that name runs; one naming another is left out
   * (withoutDatabaseStatements).
   */
  replayDatabase?: string;
}

const SYNTAX_ERROR = '42601';
/** CREATE EXTENSION of one the server does not have: "extension ... is not available" */
const FEATURE_NOT_SUPPORTED = '0A000';
/** SAVEPOINT outside a transaction block: "can only be used in transaction blocks" */
const NO_ACTIVE_TRANSACTION = '25P01';

/**
 * Parses every file before anything runs: syntax errors, psql meta-commands and files the runner would refuse
 * surface for all files at once. What is parsed is `migration.text`: only the parts the runner executes.
 */
export function prepareHistory(
  baseline: MigrationFile[],
  migrations: MigrationFile[],
  roles: string[] = [],
  options: { oneTransaction?: boolean; sessionReset?: string[]; aroundEachMigration?: { before: MigrationFile[]; after: MigrationFile[] }; runsWithPsql?: string; runnerRole?: string; replayDatabase?: string } = {},
): PreparedHistory {
  const statements: ParsedStatement[] = [];
  const prepare = (role: PreparedFile['role']) => (migration: MigrationFile) => {
    const file = prepareFile(migration, role, role === 'migration' ? options.runsWithPsql : undefined);
    if (file.parsed) statements.push(...file.parsed.statements);
    return file;
  };
  const files = [...baseline.map(prepare('baseline')), ...migrations.map(prepare('migration'))];
  const around = options.aroundEachMigration;
  const runnerRole = options.runnerRole;
  return {
    files,
    ...(around ? { aroundEachMigration: { before: around.before.map(prepare('migration')), after: around.after.map(prepare('migration')) } } : {}),
    extensions: requestedExtensions(statements),
    ...(usesIcu(statements) ? { usesIcu: true } : {}),
    ...(usesConcurrentIndex(statements) ? { usesConcurrentIndex: true } : {}),
    ...(resetsSearchPath(statements) ? { resetsSearchPath: true } : {}),
    ...(addsDomainColumnWithDefault(statements) ? { addsDomainColumnWithDefault: true } : {}),
    roles,
    ...(options.oneTransaction ? { migrationsInOneTransaction: true } : {}),
    ...(options.sessionReset ? { sessionReset: options.sessionReset } : {}),
    ...(runnerRole ? { runnerRole } : {}),
    ...(options.replayDatabase ? { replayDatabase: options.replayDatabase } : {}),
  };
}

/** One file parsed, or what keeps it from running (the runner's plan refused it, a syntax error, a psql meta-command). */
function prepareFile(migration: MigrationFile, role: PreparedFile['role'], runsWithPsql?: string): PreparedFile {
  if (migration.planProblem) {
    const problem = migration.planProblem;
    const failure: MigrationFailure = { file: migration.file, line: problem.line, column: problem.column, sqlstate: SYNTAX_ERROR, message: problem.message };
    if (problem.hint) failure.hint = problem.hint;
    return { migration, role, staticFailure: failure, refusedByRunner: true };
  }
  try {
    const parsed = parseMigration(migration);
    const meta = parsed.metaCommands[0];
    const staticFailure: MigrationFailure | undefined = meta && {
      file: migration.file,
      line: meta.line,
      column: meta.column,
      sqlstate: SYNTAX_ERROR,
      message: runsWithPsql
        ? `psql meta-command \\${meta.command}: ${runsWithPsql}, which runs it, but pgdrift replays SQL without psql and cannot`
        : `psql meta-command \\${meta.command} cannot run through a database driver`,
      hint: runsWithPsql
        ? meta.command === 'i' || meta.command === 'ir'
          ? 'the replay would lack what it includes: inline the included file to check this history'
          : 'the replay cannot tell what it changes: remove it if the script does not need it'
        : meta.command === 'i' || meta.command === 'ir'
          ? 'inline the included file, or list it in "baseline"'
          : role === 'baseline' && (meta.command === 'c' || meta.command === 'connect')
            ? // a psql init script (the postgres image's /docker-entrypoint-initdb.d) named as a baseline: field RedHatInsights/yara-backend
              'a baseline is sent as plain SQL to the database the migrations run in: copy the roles this script creates and the statements it runs after this line into a file of their own and name that as the baseline, leaving \\connect and CREATE DATABASE out'
            : 'remove it; a migration runner sends plain SQL',
      statement: meta.text,
    };
    return { migration, role, parsed, staticFailure };
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    // the rows of a COPY ... FROM STDIN: said at the COPY, not as a syntax error at the first row
    const copy = migration.origin ? undefined : inlineCopyBefore(migration.text, migration.file, error.line);
    if (copy) {
      const failure: MigrationFailure = { file: migration.file, line: copy.line, column: copy.column, sqlstate: SYNTAX_ERROR, message: inlineCopyMessage(copy), hint: INLINE_COPY_HINT, statement: copy.text.split('\n')[0].trim() };
      return { migration, role, staticFailure: failure };
    }
    const statement = (migration.origin?.text ?? migration.text).split('\n')[error.line - 1]?.trim();
    const hint = statement === undefined ? undefined : newerKeywordHint(error.detail, statement);
    return {
      migration,
      role,
      staticFailure: {
        file: migration.file,
        line: error.line,
        column: error.column,
        sqlstate: SYNTAX_ERROR,
        message: error.detail,
        statement,
        ...(hint ? { hint } : {}),
      },
    };
  }
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
 * `client.query(fileText)`), split only around statements the engine runs itself (Engine.takeRoleStatement).
 * Strict by default: the first failing file stops the replay.
 *
 * A runner that applies all migrations in one transaction (`migrationsInOneTransaction`) gets one: BEGIN before the
 * first migration, COMMIT after the last, each file under a savepoint so a failure is located in the state before
 * it. The first failure rolls everything back (the migrations applied before it become `rolled-back`), as the runner
 * does; with --keep-going the failed file alone is rolled back to its savepoint and the rest goes on.
 */
export async function replayHistory(engine: Engine, history: PreparedHistory, options: ReplayOptions = {}): Promise<ReplayReport> {
  const files: FileResult[] = [];
  const migrationFailures: MigrationFailure[] = [];
  const limit = replayDeadline(options.timeoutMs);
  /** statements (and FOR ROLE clauses) the replay role did not run, standing for the runner's role (runnerRoleView) */
  const asRunnerRole: RunnerRoleCount = { statements: 0, clauses: 0, of: new Set() };
  /** who the replay session runs as, as far as the migrations' SET ROLE say (runnerRoleView) */
  let roleTrack: RoleTrack = { current: 'runner', session: 'runner' };
  const resetRole = history.runnerRole ? sessionResetRole(history.sessionReset ?? [], history.runnerRole) : undefined;
  // Strict: the files before the first failure run, as the runner runs them, whether that failure is one the engine
  // reports or a syntax error known before anything runs (staticFailure): Postgres, not the runner, finds it, when
  // the file runs. So the first failure reported is the one the runner meets first (field: civitai/civitai, whose
  // missing comma in a November file hid an earlier file's 42703 that stops prisma migrate first). Every later file's
  // static failure is reported after it all the same. A runner's own refusal of a file stops it before it runs any
  // (PreparedFile.refusedByRunner): then nothing runs.
  const refusedByRunner = !options.keepGoing && history.files.some((f) => f.refusedByRunner);
  let stop = refusedByRunner;
  if (stop) migrationFailures.push(...history.files.flatMap((f) => (f.staticFailure ? [f.staticFailure] : [])));
  const runsAny = !stop && (options.keepGoing || !history.files[0]?.staticFailure);
  if (runsAny) for (const role of history.roles) await engine.ensureRole(role);
  if (runsAny && engine.reserveRoles && history.files.some((f) => f.parsed?.statements.some((s) => s.kind === 'CreateRoleStmt'))) await engine.reserveRoles();

  const together = history.migrationsInOneTransaction === true;
  /** the runner's one transaction is open (BEGIN sent, not yet ended) */
  let open = false;
  /**
   * a file's own COMMIT ended the runner's one transaction: the runner opens no other, and goes on in autocommit to
   * its last migration (drizzle-orm pg-core dialect.ts migrate() runs every file inside one session.transaction();
   * node-pg-migrate src/runner.ts sends BEGIN once and migration.ts `_apply` adds none per file in single-transaction
   * mode), so each later file runs with no transaction around it (field: simstudioai/sim packages/db/migrations)
   */
  let ended = false;
  /**
   * The runner runs some migrations in one transaction with the ones before them (MigrationFile.sameTransaction:
   * Liquibase's changes of one changeset): that transaction is open, since the file at `groupFrom` in `files`.
   */
  let groupOpen = false;
  let groupFrom = 0;
  const joinsNext = (index: number) => history.files[index + 1]?.role === 'migration' && history.files[index + 1].migration.sameTransaction === true;
  /** A failure that stops the replay ends the runner's transactions as the runner's does: what ran in them is undone. */
  const endTransactionsOnFailure = async () => {
    if (open) {
      // the runner's transaction ends with the failure: every migration applied in it is undone, unless this
      // file's own COMMIT ended it first (the runner's ROLLBACK then undoes nothing: drizzle-orm pg-core migrate())
      if (await transactionOpen(engine)) {
        await rollback(engine);
        for (const result of files) if (result.role === 'migration' && result.status === 'applied') result.status = 'rolled-back';
      }
      open = false;
    }
    if (groupOpen) {
      // the runner rolls back the transaction the failed file shares with the ones before it: they are undone too
      if (await transactionOpen(engine)) {
        await rollback(engine);
        for (const result of files.slice(groupFrom)) if (result.status === 'applied') result.status = 'rolled-back';
      }
      groupOpen = false;
    }
  };
  for (const [index, prepared] of history.files.entries()) {
    const { migration, role } = prepared;
    if (!stop && together && role === 'migration' && !open && !ended && !prepared.staticFailure) {
      await engine.exec('BEGIN');
      open = true;
    }
    const grouped = !together && role === 'migration' && (migration.sameTransaction === true || joinsNext(index));
    if (!stop && grouped && !groupOpen && !prepared.staticFailure) {
      await engine.exec('BEGIN');
      groupOpen = true;
      groupFrom = files.length;
    }
    if (stop) {
      if (prepared.staticFailure && !refusedByRunner) migrationFailures.push(prepared.staticFailure);
      files.push({ file: migration.file, role, status: prepared.staticFailure ? 'failed' : 'skipped', ms: 0 });
      continue;
    }
    options.onFile?.({ index, total: history.files.length, file: migration.file, role });
    if (prepared.staticFailure) {
      migrationFailures.push(prepared.staticFailure);
      files.push({ file: migration.file, role, status: 'failed', ms: 0 });
      if (!options.keepGoing) {
        stop = true;
        await endTransactionsOnFailure();
      }
      continue;
    }
    if (migration.unlessTableExists && (await tableExists(engine, migration.unlessTableExists))) {
      // the runner looks for its bookkeeping table first: one a baseline file created is used as it is
      files.push({ file: migration.file, role, status: 'applied', ms: 0 });
      continue;
    }
    const started = performance.now();
    const trackBefore = roleTrack;
    if (role === 'migration' && resetRole && !migration.sameSession) roleTrack = { current: resetRole, session: resetRole };
    let parsed = prepared.parsed!;
    if (role === 'migration' && history.runnerRole) ({ parsed, track: roleTrack } = await runnerRoleView(engine, history.runnerRole, parsed, asRunnerRole, roleTrack, !together));
    parsed = withoutDatabaseStatements(parsed, history.replayDatabase);
    if (role === 'migration' && history.sessionReset && !migration.sameSession) for (const statement of history.sessionReset) await engine.exec(statement);
    // The embedded engine cannot run COPY from a client stream or a server program/file: refused before sending.
    const refused = engine.info.name === 'pglite' ? refuseOnEmbeddedEngine(migration, parsed, engine.info.major) : undefined;
    const around = role === 'migration' && !together && !groupOpen && !refused ? history.aroundEachMigration : undefined;
    // a migration with callbacks around it: its transaction opened here, so they run inside it (Flyway's DbMigrate)
    const ownTransaction = around !== undefined && options.mode !== 'statement' && (migration.parts ?? []).every((part) => part.transaction === 'wrapped');
    if (ownTransaction) await engine.exec('BEGIN');
    const inside = ((open || ownTransaction || groupOpen) && !refused && (await enterFileSavepoint(engine))) || false;
    // no savepoint in the runner's one transaction: an earlier file's own COMMIT ended it, and what ran is committed
    if (open && !refused && !inside) {
      open = false;
      ended = true;
    }
    // a file's own COMMIT ended the group's transaction: the next opens none of the group's (its own `wrapped` parts do)
    if (groupOpen && !refused && !inside) groupOpen = false;
    const failure =
      refused ??
      (around && (await applyAround(engine, around.before, limit, inside))) ??
      (await withPlace(migration, parsed, () =>
        role === 'baseline'
          ? applyStatementByStatement(engine, migration, parsed, parsed.statements, limit)
          : applyParts(engine, migration, parsed, options.mode === 'statement', limit, inside, (together || groupOpen) && role === 'migration'),
      )) ??
      (around && (await applyAround(engine, around.after, limit, inside)));
    if (ownTransaction) await engine.exec(failure ? 'ROLLBACK' : 'COMMIT');
    const ms = Math.round(performance.now() - started);
    if (inside && !ownTransaction) await leaveFileSavepoint(engine);
    files.push({ file: migration.file, role, status: failure ? 'failed' : 'applied', ms });
    if (failure) {
      // what the file set is rolled back with it (or, a file that committed part of itself, not known)
      roleTrack = roleTrack === trackBefore || roleTrack.session === trackBefore.session ? trackBefore : { current: 'unknown', session: 'unknown' };
      migrationFailures.push(failure);
      // a limit ends the replay even with --keep-going: the time (or memory) is spent
      if (!options.keepGoing || failure.sqlstate === QUERY_CANCELED) stop = true;
      if (stop) await endTransactionsOnFailure();
    }
    if (groupOpen && !joinsNext(index)) {
      await engine.exec('COMMIT');
      groupOpen = false;
    }
  }
  if (open) await engine.exec('COMMIT');
  if (groupOpen) await engine.exec('COMMIT');
  const runnerRole =
    history.runnerRole && asRunnerRole.statements + asRunnerRole.clauses > 0
      ? { role: history.runnerRole, statements: asRunnerRole.statements, clauses: asRunnerRole.clauses, of: RUNNER_ROLE_KINDS.filter((kind) => asRunnerRole.of.has(kind)) }
      : undefined;
  return { engine: engine.info, files, migrationFailures, ...(runnerRole ? { runnerRole } : {}) };
}

/** What the replay role, standing for the runner's role, left out or said otherwise (ReplayReport.runnerRole). */
interface RunnerRoleCount {
  statements: number;
  clauses: number;
  of: Set<RunnerRoleEditKind>;
}

/** The order the kinds of edit are reported in. */
const RUNNER_ROLE_KINDS: RunnerRoleEditKind[] = ['owner', 'for-role', 'grantee', 'set-role'];

/** Who the session runs as: now, and once the current transaction is over (a SET LOCAL lasts until then). */
interface RoleTrack {
  current: CurrentRole;
  session: CurrentRole;
}

/** Who the session runs as after the runner's statements before each file (Runner.resetsSessionBeforeEachFile), if they say. */
function sessionResetRole(statements: string[], role: string): CurrentRole | undefined {
  let after: CurrentRole | undefined;
  for (const text of statements) for (const statement of parseSql(text, 'session reset').statements) after = roleAfter(statement, role)?.current ?? after;
  return after;
}

/**
 * The file as the replay role sends it when it stands for the runner's role (PreparedHistory.runnerRole,
 * Engine.replaysAs): each statement that only says "that role" blanked out (`ALTER ... OWNER TO postgres`: the replay
 * role owns what it created, and owners are not compared), or the part that says it (`ALTER DEFAULT PRIVILEGES FOR
 * ROLE postgres`: for the current role, the replay role; a grantee `postgres`: the replay role holds what it owns and
 * every role pgdrift made, and the server's own postgres is never granted anything cluster-wide), or said otherwise
 * (`SET ROLE postgres`: `SET ROLE NONE`, back to the replay role). See runner-role.ts. Blanking keeps every
 * character's place (newlines stay, every other UTF-16 unit becomes a space, a replacement is padded with spaces), so
 * the file is still sent as one query in its transaction, and every position Postgres reports is the file's own; the
 * `;` left behind is an empty statement. The same parse otherwise: the AST, the lines, the statements' places.
 * Counted in `count`. `track`: who the session runs as when the file starts (a migration's SET ROLE to another role
 * stops the edits until one sets it back); returned as it is when the file ends (`endsTransaction`: the file's
 * transaction ends with it, and a SET LOCAL with that).
 */
async function runnerRoleView(
  engine: Engine,
  role: string,
  parsed: ParsedSql,
  count: RunnerRoleCount,
  track: RoleTrack,
  endsTransaction: boolean,
): Promise<{ parsed: ParsedSql; track: RoleTrack }> {
  if (!engine.replaysAs) return { parsed, track };
  const tokens = codeTokens(parsed);
  const blanks: Array<{ from: number; to: number; text?: string }> = [];
  const statements = [];
  let replays: boolean | undefined;
  let { current, session } = track;
  let changed = false;
  for (const statement of parsed.statements) {
    const edit = runnerRoleEdit(statement, role, tokens, current);
    if (edit && (replays ??= await engine.replaysAs(role))) {
      const start = parsed.source.indexOfByte(statement.byteStart);
      const ranges = edit.whole
        ? [{ from: start, to: parsed.source.indexOfByte(statement.byteEnd) }]
        : edit.ranges.map((r) => ({ from: parsed.source.indexOfByte(r.byteStart), to: parsed.source.indexOfByte(r.byteEnd), text: r.text }));
      blanks.push(...ranges);
      statements.push({ ...statement, text: blanked(statement.text, ranges.map((r) => ({ ...r, from: r.from - start, to: r.to - start }))) });
      if (edit.whole) count.statements++;
      else count.clauses++;
      count.of.add(edit.kind);
    } else statements.push(statement);
    const after = roleAfter(statement, role);
    if (after) {
      changed = true;
      current = after.current;
      if (!after.local) session = after.current;
    } else if (statement.kind === 'TransactionStmt' && changed) {
      // the end of a transaction ends a SET LOCAL; a ROLLBACK (to a savepoint too) also undoes a SET: not followed
      const kind = String((statement.ast as TransactionStmt).kind);
      if (kind.startsWith('TRANS_STMT_ROLLBACK')) session = current = 'unknown';
      else if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_PREPARE') current = session;
    }
  }
  if (endsTransaction) current = session;
  const after = { current, session };
  if (blanks.length === 0) return { parsed, track: after };
  return { parsed: blankedView(parsed, blanks, statements), track: after };
}

/**
 * The file without its statements on a database by name (`ALTER DATABASE app SET ...`, `GRANT ... ON DATABASE app`:
 * sql/named-database.ts says why the replay leaves them out), blanked in place as runnerRoleView blanks, so the rest
 * is sent as before and every position is the file's own. Said once per run (databaseStatementsNotice).
 */
function withoutDatabaseStatements(parsed: ParsedSql, replayDatabase: string | undefined): ParsedSql {
  const left = new Set(parsed.statements.filter((statement) => databasesLeftOut(statement, replayDatabase) !== undefined));
  if (left.size === 0) return parsed;
  const ranges = [...left].map((statement) => ({ from: parsed.source.indexOfByte(statement.byteStart), to: parsed.source.indexOfByte(statement.byteEnd) }));
  const statements = parsed.statements.map((statement) => (left.has(statement) ? { ...statement, text: blanked(statement.text, [{ from: 0, to: statement.text.length }]) } : statement));
  return blankedView(parsed, ranges, statements);
}

/** The same parse (AST, lines, places) with the text sent blanked at `blanks` and the statements given in its place. */
function blankedView(parsed: ParsedSql, blanks: Array<{ from: number; to: number; text?: string }>, statements: ParsedStatement[]): ParsedSql {
  const view: ParsedSql = Object.create(parsed);
  Object.defineProperty(view, 'executableText', { value: blanked(parsed.executableText, blanks) });
  Object.defineProperty(view, 'statements', { value: statements });
  return view;
}

/** The file's code tokens (no comments), looked up by byte offset (runner-role.ts). */
function codeTokens(parsed: ParsedSql): TokenLookup {
  let code: ParsedSql['tokens'] | undefined;
  const all = () => (code ??= parsed.tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT'));
  const indexAt = (byteOffset: number) => all().findIndex((t) => t.start === byteOffset);
  return {
    at: (byteOffset) => all()[indexAt(byteOffset)],
    next: (byteOffset) => {
      const i = indexAt(byteOffset);
      return i < 0 ? undefined : all()[i + 1];
    },
    previous: (byteOffset) => {
      const i = indexAt(byteOffset);
      return i <= 0 ? undefined : all()[i - 1];
    },
  };
}

/** The text with each range (UTF-16 indices) turned to spaces, its line breaks kept, or to its `text` padded with spaces. */
function blanked(text: string, ranges: Array<{ from: number; to: number; text?: string }>): string {
  let result = '';
  let at = 0;
  for (const { from, to, text: replacement } of [...ranges].sort((a, b) => a.from - b.from)) {
    const blank = text.slice(from, to).replace(/[^\r\n]/g, ' ');
    result += text.slice(at, from) + (replacement === undefined ? blank : replacement + blank.slice(replacement.length));
    at = to;
  }
  return result + text.slice(at);
}

/** The files a runner runs around a migration (PreparedHistory.aroundEachMigration), statement by statement; the first failure. */
async function applyAround(engine: Engine, files: PreparedFile[], limit: Deadline, inside: boolean): Promise<MigrationFailure | undefined> {
  for (const file of files) {
    if (file.staticFailure) return file.staticFailure;
    const parsed = file.parsed!;
    const failure = await withPlace(file.migration, parsed, () => applyStatementByStatement(engine, file.migration, parsed, parsed.statements, limit, inside));
    if (failure) return failure;
  }
  return undefined;
}

const FILE_SAVEPOINT = 'pgdrift_migration';

/**
 * ExecutionPart.recordsInCurrentSchema: the bookkeeping table the runner's INSERT would name now, when it does not
 * exist (`<current_schema()>.<table>`, public when current_schema() is NULL), as the runner quotes it.
 */
async function missingRecordTable(engine: Engine, table: string): Promise<string | undefined> {
  const [row] = await engine.query<{ name: string; present: boolean }>(
    "SELECT quote_ident(coalesce(current_schema(), 'public')) || '.' || quote_ident($1) AS name, to_regclass(quote_ident(coalesce(current_schema(), 'public')) || '.' || quote_ident($1)) IS NOT NULL AS present",
    [table],
  );
  return row && !row.present ? row.name : undefined;
}

/**
 * The bookkeeping table the runner's record of the part (its INSERT, right after it) would not find in the session the
 * part leaves, with why: goose's names it as written, resolved through the search_path (ExecutionPart.recordsInto);
 * dbmate's is the one of current_schema() (ExecutionPart.recordsInCurrentSchema). Undefined when the record would land.
 */
async function unrecordedIn(engine: Engine, part: ExecutionPart): Promise<{ table: string; hint: string } | undefined> {
  if (part.recordsInto && !(await tableExists(engine, part.recordsInto))) {
    const table = part.recordsInto;
    return { table, hint: `the runner records the migration right after it, in its transaction, with INSERT INTO ${table}, which the session's search_path resolves then, and the migration's SET search_path leaves that table out: qualify the names instead of setting search_path, or keep the bookkeeping table's schema in the search_path the migration sets` };
  }
  const table = part.recordsInCurrentSchema ? await missingRecordTable(engine, part.recordsInCurrentSchema) : undefined;
  if (table === undefined) return undefined;
  return { table, hint: `the runner records the migration, in its transaction, in the bookkeeping table of the schema current_schema() names after it (${table.replace(/\.[^.]*$/, '')}, from the migration's SET search_path): set search_path back at the end of the migration (RESET search_path), or qualify the names instead, or give the bookkeeping table a schema (DBMATE_MIGRATIONS_TABLE=public.schema_migrations, or a search_path in the database URL)` };
}

async function tableExists(engine: Engine, table: string): Promise<boolean> {
  const [row] = await engine.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  return row?.present === true;
}

/**
 * Marks the state before a file inside the runner's one transaction. False when no transaction is open any more (a
 * file's own COMMIT ended it: the runner then goes on in autocommit, and so does the replay).
 */
async function enterFileSavepoint(engine: Engine): Promise<boolean> {
  try {
    await engine.exec(`SAVEPOINT ${FILE_SAVEPOINT}`);
    return true;
  } catch (error) {
    rethrowEngineFault(error);
    return false;
  }
}

/** Whether a transaction block is open: a savepoint can be set only in one (25P01 outside it). */
async function transactionOpen(engine: Engine): Promise<boolean> {
  try {
    await engine.exec('SAVEPOINT pgdrift_probe');
    await engine.exec('RELEASE SAVEPOINT pgdrift_probe');
    return true;
  } catch (error) {
    rethrowEngineFault(error);
    return postgresErrorFields(error).sqlstate !== NO_ACTIVE_TRANSACTION;
  }
}

/** One savepoint per file, released after it: a long history does not pile up nested subtransactions. */
async function leaveFileSavepoint(engine: Engine): Promise<void> {
  try {
    await engine.exec(`RELEASE SAVEPOINT ${FILE_SAVEPOINT}`);
  } catch (error) {
    rethrowEngineFault(error); // the file's own COMMIT ended the transaction: nothing to release
  }
}

/**
 * Applies the parts of a file the runner executes, each with the runner's transaction semantics. `framed`: the runner
 * applies its migrations in one transaction of its own, so a `wrapped` part opens none, inside it (`inside`) or after
 * a file's own COMMIT ended it; a part the runner sends in chunks (ExecutionPart.chunkEnds) is then sent chunk by
 * chunk whenever that transaction is over or may end in the part, each chunk its own implicit transaction.
 */
async function applyParts(engine: Engine, migration: MigrationFile, parsed: ParsedSql, statementByStatement: boolean, limit: Deadline, inside: boolean, framed = false): Promise<MigrationFailure | undefined> {
  const parts = migration.parts ?? [{ startLine: 0, endLine: parsed.source.lineCount, transaction: 'implicit' as const }];
  for (const whole of parts) {
    let statements = parsed.statements.filter((s) => s.line > whole.startLine && s.line <= whole.endLine);
    if (statements.length === 0) continue;
    const part: ExecutionPart = framed && !inside && whole.transaction === 'wrapped' ? { ...whole, transaction: 'implicit' } : whole;
    if (framed && !statementByStatement && part.chunkEnds?.length && (!inside || statements.some((s) => s.kind === 'TransactionStmt'))) {
      const failure = await applyChunks(engine, migration, parsed, part, part.chunkEnds, statements, limit, inside);
      if (failure) return failure;
      continue;
    }
    let runPart = part;
    const alone = !statementByStatement && part.transaction !== 'none' ? firstAlone(parsed, part, statements) : undefined;
    if (alone) {
      const failure = await applyStatementByStatement(engine, migration, parsed, [statements[0]], limit, inside);
      if (failure) return failure;
      statements = statements.slice(1);
      if (statements.length === 0) continue;
      runPart = alone.rest;
    }
    const failure =
      part.transaction === 'none' || statementByStatement
        ? await applyStatementByStatement(engine, migration, parsed, statements, limit, inside)
        : await applyInOrder(engine, migration, parsed, runPart, statements, limit, inside);
    if (failure) return failure;
  }
  return undefined;
}

/** Sends each chunk of a part (lines up to each of `ends`, then to the part's end) as one query of its own. */
async function applyChunks(engine: Engine, migration: MigrationFile, parsed: ParsedSql, part: ExecutionPart, ends: number[], statements: ParsedStatement[], limit: Deadline, inside: boolean): Promise<MigrationFailure | undefined> {
  let startLine = part.startLine;
  for (const endLine of [...ends.filter((end) => end > part.startLine && end < part.endLine), part.endLine]) {
    const chunk: ExecutionPart = { startLine, endLine, transaction: 'implicit' };
    startLine = endLine;
    const inChunk = statements.filter((s) => s.line > chunk.startLine && s.line <= chunk.endLine);
    if (inChunk.length === 0) continue;
    const failure = await applyInOrder(engine, migration, parsed, chunk, inChunk, limit, inside);
    if (failure) return failure;
  }
  return undefined;
}

/**
 * For a part whose runner runs a first non-transactional statement on its own (ExecutionPart.firstStatementAlone):
 * when the first statement is one, the part that follows it (from the line of the second statement). A second
 * statement on the first one's last line cannot be cut by lines: then the part runs as written (and fails as one).
 */
function firstAlone(parsed: ParsedSql, part: ExecutionPart, statements: ParsedStatement[]): { rest: ExecutionPart } | undefined {
  if (!runsAloneFirst(part, statements[0], statements[0])) return undefined;
  const second = statements[1];
  if (!second) return { rest: part };
  const firstEnds = parsed.source.positionOfByte(statements[0].byteEnd).line;
  if (second.line <= firstEnds) return undefined;
  return { rest: { ...part, startLine: second.line - 1 } };
}

/**
 * Sends a part as one query, unless the engine runs some of its statements itself (role statements on a server
 * before PostgreSQL 16, see Engine.takeRoleStatement): then what comes before each of those is sent first, so
 * everything runs in the file's order (DROP ROLE after the REVOKEs), each stretch in a query of its own. The
 * text sent is the file's own slice, so every position Postgres reports maps back to the same line:column.
 */
async function applyInOrder(
  engine: Engine,
  migration: MigrationFile,
  parsed: ParsedSql,
  part: ExecutionPart,
  statements: ParsedStatement[],
  limit: Deadline,
  inside: boolean,
): Promise<MigrationFailure | undefined> {
  if (!engine.takeRoleStatement) return applyAsOneQuery(engine, migration, parsed, part, statements, limit, partText(parsed, part), inside);
  let stretch: ParsedStatement[] = [];
  /** UTF-16 index where the text of the current stretch starts (after the last statement the engine ran) */
  let from: number | undefined;
  const sendStretch = async (to: number | undefined) => {
    if (stretch.length === 0) return undefined;
    const whole = from === undefined && to === undefined;
    const start = from ?? parsed.source.indexOfByte(stretch[0].byteStart);
    const end = to ?? parsed.source.indexOfByte(stretch[stretch.length - 1].byteEnd);
    const sent = whole ? partText(parsed, part) : { text: parsed.executableText.slice(start, end), offset: start };
    // the runner records the migration after the whole part, not after each stretch
    const failure = await applyAsOneQuery(engine, migration, parsed, to === undefined ? part : { ...part, recordsInCurrentSchema: undefined, recordsInto: undefined }, stretch, limit, sent, inside);
    stretch = [];
    return failure;
  };
  for (const statement of statements) {
    const run = await takenByEngine(engine, statement);
    if (!run) {
      stretch.push(statement);
      continue;
    }
    const failure = (await sendStretch(parsed.source.indexOfByte(statement.byteStart))) ?? (await runTaken(engine, migration, parsed, statement, run, inside));
    if (failure) return failure;
    from = parsed.source.indexOfByte(statement.byteEnd);
  }
  return sendStretch(undefined);
}

/** How the engine runs a statement itself, or undefined when it is sent like any other. */
async function takenByEngine(engine: Engine, statement: ParsedStatement): Promise<(() => Promise<void>) | undefined> {
  if (!engine.takeRoleStatement) return undefined;
  const role = roleStatementOf(statement);
  return role ? engine.takeRoleStatement(role) : undefined;
}

async function runTaken(engine: Engine, migration: MigrationFile, parsed: ParsedSql, statement: ParsedStatement, run: () => Promise<void>, inside: boolean): Promise<MigrationFailure | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    rethrowEngineFault(error);
    await rollback(engine, inside); // the file's own BEGIN may have left the replay session in a transaction
    const fields = postgresErrorFields(error);
    return failureAt(migration, parsed, fields, indexInFile(parsed, statement, fields.position));
  }
}

/**
 * Sends a part as one simple-protocol query (`implicit`: Postgres's implicit transaction), or inside BEGIN … COMMIT
 * (`wrapped`: the runner's own transaction; `inside` the runner's one transaction it adds none). Whatever fails, the
 * session is rolled back before going on (`inside`: to the file's savepoint): a file's own `BEGIN` must not leave it
 * in an aborted transaction (25P02 on every later statement).
 */
async function applyAsOneQuery(
  engine: Engine,
  migration: MigrationFile,
  parsed: ParsedSql,
  part: ExecutionPart,
  statements: ParsedStatement[],
  limit: Deadline,
  { text: sent, offset }: { text: string; offset: number },
  inside: boolean,
): Promise<MigrationFailure | undefined> {
  const ownTransaction = part.transaction === 'wrapped' && !inside;
  try {
    if (ownTransaction) await engine.exec('BEGIN');
    await engine.exec(sent, { timeoutMs: limit.remaining() });
    const unrecorded = await unrecordedIn(engine, part);
    if (unrecorded) {
      // the runner's INSERT fails in the part's transaction, which it rolls back (with none, what ran stays)
      if (ownTransaction || inside) await rollback(engine, inside);
      return failureAt(migration, parsed, { sqlstate: '42P01', message: `relation "${unrecorded.table}" does not exist`, hint: unrecorded.hint }, parsed.source.indexOfByte(statements[0].byteStart));
    }
    if (ownTransaction) await engine.exec('COMMIT');
    return undefined;
  } catch (error) {
    rethrowEngineFault(error);
    await rollback(engine, inside);
    if (error instanceof SessionBrokeError) {
      // Re-running cannot tell (inside a transaction the breakage does not show): the statement that mentions COPY.
      const statement = statements.find((s) => /copy/i.test(s.text)) ?? statements[0];
      return failureAt(migration, parsed, postgresErrorFields(error), parsed.source.indexOfByte(statement.byteStart));
    }
    if (isReplayLimitError(error)) {
      // Which statement? Run them again one by one (rolled back) under the same limit: the one that hits it again.
      const located = await locateFailingStatement(engine, parsed, statements, postgresErrorFields(error), inside, limit.perStatementRetry());
      return failureAt(migration, parsed, { ...located.fields, message: error.message }, located.index);
    }
    const fields = postgresErrorFields(error);
    if (fields.position !== undefined) {
      const index = new SourceText(sent, migration.file).indexOfCodePoint(fields.position - 1) + offset;
      return failureAt(migration, parsed, fields, index);
    }
    // Postgres gave no position: find the failing statement by running them one by one in a transaction
    // that is rolled back (the part's own transaction already was).
    const located = await locateFailingStatement(engine, parsed, statements, fields, inside);
    return failureAt(migration, parsed, located.fields, located.index);
  }
}

/** The lines of a part, preceded by as many newlines as lines before it: positions in it are file positions. */
function partText(parsed: ParsedSql, part: ExecutionPart): { text: string; offset: number } {
  const text = parsed.executableText;
  if (part.startLine === 0 && part.endLine >= parsed.source.lineCount) return { text, offset: 0 };
  // line starts of the file as written, found in the (possibly substituted) text sent
  const start = parsed.source.lineStartIndex(part.startLine);
  const end = parsed.source.lineStartIndex(part.endLine);
  return { text: '\n'.repeat(part.startLine) + text.slice(start, end), offset: start - part.startLine };
}


/** Undoes a failed file: the session's transaction, or `inside` the runner's one transaction, back to the file's savepoint. */
async function rollback(engine: Engine, inside = false): Promise<void> {
  if (inside) {
    try {
      await engine.exec(`ROLLBACK TO SAVEPOINT ${FILE_SAVEPOINT}`);
      return;
    } catch (error) {
      rethrowEngineFault(error); // the file's own COMMIT or ROLLBACK ended the transaction: roll back what is left
    }
  }
  await engine.exec('ROLLBACK').catch(() => {});
}

async function applyStatementByStatement(
  engine: Engine,
  migration: MigrationFile,
  parsed: ParsedSql,
  statements: ParsedStatement[],
  limit: Deadline,
  inside = false,
): Promise<MigrationFailure | undefined> {
  for (const statement of statements) {
    if (statement.text.trim() === '') continue; // left out for the runner's role (runnerRoleView)
    try {
      const run = await takenByEngine(engine, statement);
      if (run) await run();
      else await engine.exec(statement.text, { timeoutMs: limit.remaining() });
    } catch (error) {
      rethrowEngineFault(error);
      await rollback(engine, inside); // a failing statement inside the file's own BEGIN leaves the session aborted
      const fields = postgresErrorFields(error);
      return failureAt(migration, parsed, fields, indexInFile(parsed, statement, fields.position));
    }
  }
  return undefined;
}

/**
 * Runs the statements again one by one, each under a savepoint of a transaction rolled back at the end, until one
 * fails the same way. The file's own transaction statements are skipped (they would end the probe's transaction),
 * and a statement that fails differently (say it was committed by the file's own COMMIT) is rolled back to its
 * savepoint and passed over. `inside` the runner's one transaction the probe is a savepoint of it, rolled back to.
 */
async function locateFailingStatement(
  engine: Engine,
  parsed: ParsedSql,
  statements: ParsedStatement[],
  original: PostgresErrorFields,
  inside: boolean,
  timeoutMs?: number,
): Promise<{ fields: PostgresErrorFields; index: number }> {
  const firstStatement = { fields: original, index: parsed.source.indexOfByte(statements[0].byteStart) };
  // the file's own COMMIT may have ended the runner's transaction (and its savepoint) before the failure
  const underSavepoint = inside && (await transactionOpen(engine));
  try {
    await engine.exec(underSavepoint ? `SAVEPOINT ${FILE_SAVEPOINT}` : 'BEGIN');
  } catch (error) {
    rethrowEngineFault(error);
    return firstStatement;
  }
  try {
    for (const statement of statements) {
      if (statement.kind === 'TransactionStmt' || statement.text.trim() === '') continue;
      await engine.exec('SAVEPOINT pgdrift_probe');
      try {
        await engine.exec(statement.text, timeoutMs ? { timeoutMs } : undefined);
        await engine.exec('RELEASE SAVEPOINT pgdrift_probe');
      } catch (error) {
        rethrowEngineFault(error);
        const fields = postgresErrorFields(error);
        // a time limit may be hit by pgdrift's timer or by Postgres's statement_timeout: the same failure
        const sameLimit = fields.sqlstate === QUERY_CANCELED && original.sqlstate === QUERY_CANCELED;
        if (fields.sqlstate === original.sqlstate && (fields.message === original.message || sameLimit)) return { fields, index: indexInFile(parsed, statement, fields.position) };
        await engine.exec('ROLLBACK TO SAVEPOINT pgdrift_probe');
      }
    }
    return firstStatement;
  } catch (error) {
    rethrowEngineFault(error);
    return firstStatement;
  } finally {
    await rollback(engine, underSavepoint);
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
  const hint = [fields.hint, statement && supabaseExtensionHint(statement, fields), missingRoleHint(fields), statement && namedDatabaseHint(statement, fields), extensionTypeHint(fields), statement && concurrentIndexHint(statement, fields)].filter(Boolean).join(' ');
  if (hint) failure.hint = hint;
  if (statement) failure.statement = statement.text.split('\n')[0];
  return failure;
}

/**
 * CREATE EXTENSION of one of Supabase's own extensions (pg_net, pg_graphql, supabase_vault...: a squashed `supabase
 * db dump` migration creates them) on a server that lacks it (0A000 "extension ... is not available"): only Supabase's
 * image has it, as the embedded engine's message says before any replay.
 */
function supabaseExtensionHint(statement: ParsedStatement, fields: PostgresErrorFields): string | undefined {
  const name = statement.kind === 'CreateExtensionStmt' ? statement.ast.extname : undefined;
  if (fields.sqlstate !== FEATURE_NOT_SUPPORTED || typeof name !== 'string' || !SUPABASE_IMAGE_EXTENSIONS.includes(name)) return undefined;
  // only when the extension is missing: 0A000 is also "must be installed in schema ...", which the real one says too
  if (!/ is not available$/.test(fields.message)) return undefined;
  return `${name} is one of Supabase's own extensions, which a plain Postgres lacks: replay on Supabase's image, --engine docker --image supabase/postgres:<the project's version>`;
}

/**
 * The embedded Postgres 17 (PGlite 0.3.16) fails every CREATE/DROP INDEX CONCURRENTLY with XX000 "tuple concurrently
 * updated" (electric-sql/pglite#901), where a throwaway database has no concurrent session that could cause it: the
 * engine's fault, not the migration's. The automatic major choice avoids 17 for such a history; `--pg 17` does not.
 */
function concurrentIndexHint(statement: ParsedStatement, fields: PostgresErrorFields): string | undefined {
  if (!/^tuple concurrently (updated|deleted)$/.test(fields.message)) return undefined;
  if (!usesConcurrentIndex([statement])) return undefined;
  return 'the embedded Postgres 17 fails every CREATE/DROP INDEX CONCURRENTLY so (electric-sql/pglite#901), not your migration: replay on another major (--pg 16 or 18) or a real server (--engine server, --engine docker)';
}

/**
 * `ALTER DATABASE app RENAME TO ...` failing with 3D000 (`database "app" does not exist`): the one statement on a
 * database by name that the replay runs (sql/named-database.ts leaves the others out). Postgres refuses to rename the
 * database a session is connected to, so the runner runs it against another database of the team's server, which the
 * throwaway one does not have.
 */
function namedDatabaseHint(statement: ParsedStatement, fields: PostgresErrorFields): string | undefined {
  const database = fields.sqlstate === '3D000' ? /^database "(.+)" does not exist$/.exec(fields.message)?.[1] : undefined;
  if (database === undefined || statement.kind !== 'RenameStmt') return undefined;
  return `this statement names a database, "${database}", of the team's server: pgdrift replays into a throwaway database on its own, where no database "${database}" exists, so the failure is pgdrift's, not necessarily the migration's (databases are not part of a pg_dump of the schema, but pgdrift cannot skip a statement of a migration: the replay stops here)`;
}

/**
 * A role the history uses but never creates (42704 `role "app" does not exist`, at `OWNER TO app` or `GRANT ... TO
 * app`): roles are cluster-wide, made outside the migrations on the team's database, so a fresh one lacks them.
 * Field: decole/notify-server, `alter table notify owner to notify` in its first goose migration.
 */
function missingRoleHint(fields: PostgresErrorFields): string | undefined {
  const role = fields.sqlstate === '42704' ? /^role "(.+)" does not exist$/.exec(fields.message)?.[1] : undefined;
  if (role === undefined) return undefined;
  return `roles belong to the cluster, not to a migration: the team's database had "${role}" before this one ran; create it in a baseline file run before the migrations (CREATE ROLE ${quoteIdentIfNeeded(role)}; in a file named in "baseline", or --baseline <file>)`;
}

/** Types of extensions a team's database often has before its migrations run (an image with PostGIS or pgvector). */
const EXTENSION_TYPES: Record<string, string> = {
  geometry: 'postgis', geography: 'postgis', box2d: 'postgis', box3d: 'postgis', raster: 'postgis_raster',
  vector: 'vector', halfvec: 'vector', sparsevec: 'vector',
  citext: 'citext', hstore: 'hstore', ltree: 'ltree', lquery: 'ltree', ltxtquery: 'ltree', cube: 'cube', earth: 'earthdistance', seg: 'seg',
  ean13: 'isn', isbn: 'isn', isbn13: 'isn', ismn: 'isn', ismn13: 'isn', issn: 'isn', issn13: 'isn', upc: 'isn',
};

/**
 * A type of a well-known extension the history never made visible (42704 `type "geometry" does not exist`): the team's
 * database had the extension before the migrations ran (field: OpenLMIS/openlmis-referencedata, `ADD COLUMN location
 * geometry` on the openlmis/postgres:9.6-postgis image; Postgres's message alone does not say where the type comes from).
 */
function extensionTypeHint(fields: PostgresErrorFields): string | undefined {
  const written = fields.sqlstate === '42704' ? /^type "(?:[^"]*\.)?([^".]+)" does not exist$/.exec(fields.message)?.[1] : undefined;
  const extension = written === undefined ? undefined : EXTENSION_TYPES[written.toLowerCase()];
  if (extension === undefined) return undefined;
  return `${written} is a type of the ${extension} extension, which no migration before this one created where this statement looks (its schema on the search_path): when the team's database has it before the migrations run (an image or a setup script installs it), create it in a baseline file run before the migrations (CREATE EXTENSION ${extension}; in a file named in "baseline", or --baseline <file>)`;
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
