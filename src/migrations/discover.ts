import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { countWork } from '../util/work-count.js';
import { naturalCompare } from '../runners/numbered.js';
import { continuesInNext, wholeFile, type Discovery, type ExecutionPart, type FilePlan, type JournalEntry, type PlanProblem, type Runner, type RunnerOptions } from '../runners/types.js';
import { checkProjectFile } from '../util/project-paths.js';
import { readMigrationHeader, type MigrationHeader } from './header.js';
import { parseSql, type ParsedSql } from '../sql/parse.js';
import { SourceText, type TextOrigin } from '../sql/source-text.js';
import { substitute, type Substitution } from '../runners/substitution.js';

export type MigrationOrder = 'lexicographic' | 'natural';

/** A migration (or baseline) file as pgdrift sees it. */
export interface MigrationFile {
  /** absolute path */
  path: string;
  /** relative to the project root, with forward slashes: how every report names the file */
  file: string;
  /** the name relative to the migrations folder, e.g. 009b_add_users.sql or 20240101_init/migration.sql */
  name: string;
  /** leading digits of the name ("009"), if any */
  number?: string;
  /** letters right after the number ("b" in 009b_), if any */
  suffix?: string;
  /** the runner's version of the file ("1_1" for Flyway's V1_1__x.sql), when it has one */
  version?: string;
  /**
   * What the runner runs: the file with every line outside the executed parts emptied (down sections, directives),
   * so line numbers and columns stay those of the file. Parse this, never `source`, to see what the history does.
   */
  text: string;
  /**
   * `text` before the runner's substitutions (Flyway placeholders, goose ENVSUB), with the index maps: parse `text`
   * with it (parseMigration) and every position is the file's own line:column.
   */
  origin?: TextOrigin;
  /** the file as written, when it differs from `text` (immutable-history and headers read it) */
  source?: string;
  header: MigrationHeader;
  /** the parts of `text` the runner executes, in order, with their transaction semantics (default: all of it, one implicit transaction) */
  parts?: ExecutionPart[];
  /** why the runner would refuse the file, if it would */
  planProblem?: PlanProblem;
  /**
   * on the connection of the file before it (DiscoveredMigration.sameSession, or the rest of a psql script cut at an
   * include): no session reset before it
   */
  sameSession?: boolean;
  /** in the transaction of the file before it (DiscoveredMigration.sameTransaction) */
  sameTransaction?: boolean;
  /** the runner's journal entry for the file (drizzle), its `file` relative to the project root */
  journal?: JournalEntry;
  /** a runner's bookkeeping DDL (schema-qualified table): not run when the table exists, as the runner checks first */
  unlessTableExists?: string;
}

const NUMBER_PREFIX = /^(\d+)([a-zA-Z]*)(?=[_\-.])/;

export { naturalCompare };

// the mark is kept in the decoded text, so that the loader can tell (readMarkedSqlFile); it never reaches the SQL
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads a SQL file as strict UTF-8: a file in another encoding is an input error naming the byte. */
export function readSqlFile(absolutePath: string, relative: string): string {
  return readMarkedSqlFile(absolutePath, relative).text;
}

/** readSqlFile, and whether the file started with a UTF-8 byte order mark (dropped from the text). */
function readMarkedSqlFile(absolutePath: string, relative: string): { text: string; byteOrderMark: boolean } {
  countWork('filesRead', relative);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolutePath);
  } catch (error: any) {
    throw new InputError(`cannot read ${relative}: ${error?.code ?? error?.message ?? error}`);
  }
  try {
    const text = utf8.decode(bytes);
    return text.startsWith('\uFEFF') ? { text: text.slice(1).replace(/^\uFEFF/, ''), byteOrderMark: true } : { text, byteOrderMark: false };
  } catch {
    // a UTF-16 file (Windows PowerShell's `>` writes it: `prisma migrate diff ... > migration.sql`, the baseline step
    // of Prisma's docs), told by its byte order mark: not Latin-1, which the usual hint would suggest
    const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
    if (utf16) {
      throw new InputError(`${relative}:1:1: the file is UTF-16 (its byte order mark says ${utf16.toUpperCase()}), not UTF-8`, {
        hint: "re-save it as UTF-8 without a byte order mark (e.g. iconv -f utf-16 -t utf-8, which reads the mark and drops it); Windows PowerShell's `>` writes UTF-16",
        position: { file: relative, line: 1, column: 1 },
      });
    }
    const { line, column } = firstInvalidUtf8(bytes);
    throw new InputError(`${relative}:${line}:${column}: the file is not valid UTF-8`, {
      hint: 're-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
      position: { file: relative, line, column },
    });
  }
}

/** Line and column (in characters) of the first byte that breaks UTF-8, for the error message. */
function firstInvalidUtf8(bytes: Buffer): { line: number; column: number } {
  let line = 1;
  let column = 1;
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    const valid = length > 0 && i + length <= bytes.length && bytes.subarray(i + 1, i + length).every((b) => (b & 0xc0) === 0x80);
    if (!valid) return { line, column };
    if (lead === 0x0a) {
      line++;
      column = 1;
    } else column++;
    i += length;
  }
  return { line, column };
}

/** A file read as a whole (baseline files, files named on the command line): everything runs, one implicit transaction. */
export function toMigrationFile(absolutePath: string, projectRoot: string): MigrationFile {
  const text = readProjectSql(absolutePath, projectRoot);
  return fileWithPlan(absolutePath, projectRoot, path.basename(absolutePath), text, wholeFile(text, 'implicit'), undefined);
}

/** A SQL file of the project: a symbolic link out of the project (or into /proc) is refused before a byte is read. */
function readProjectSql(absolutePath: string, projectRoot: string): string {
  return readMarkedProjectSql(absolutePath, projectRoot).text;
}

function readMarkedProjectSql(absolutePath: string, projectRoot: string): { text: string; byteOrderMark: boolean } {
  const relative = relativeTo(projectRoot, absolutePath);
  return readMarkedSqlFile(checkProjectFile(absolutePath, relative, projectRoot) ?? absolutePath, relative);
}

/**
 * A runner that sends the file as it reads it sends its byte order mark too (Runner.sendsByteOrderMark), and Postgres
 * reads U+FEFF as the start of an identifier: `syntax error at or near "\uFEFF"` (or at the mark and the first
 * word, `"\uFEFFCREATE"`), line 1. Field: launchbadge/sqlx#3452 (the same read_to_string for fixtures),
 * golang-migrate/migrate#1136. A runner whose own reader trips on the mark first says why (Runner.byteOrderMarkRefusal).
 */
function byteOrderMarkProblem(runner: string, refusal?: string): PlanProblem {
  return {
    message: `the file starts with a UTF-8 byte order mark (U+FEFF, invisible in most editors), ${refusal ? `which ${runner} refuses: ${refusal}` : `which ${runner} sends to Postgres with the SQL: Postgres fails there (syntax error at or near "\uFEFF")`}`,
    line: 1,
    column: 1,
    hint: 'save the file as UTF-8 without a byte order mark (e.g. sed -i \'1s/^\\xEF\\xBB\\xBF//\' <file>)',
  };
}

// in a module of their own so that the report renderers can tell them apart without loading the parser
export { isVirtualFile, VIRTUAL_FILE_PREFIX } from './virtual-file.js';

/** A synthetic file (a runner's built-in baseline), named by a label (`pgdrift:...`) instead of a path. */
export function virtualMigrationFile(label: string, text: string, options: { unlessTableExists?: string } = {}): MigrationFile {
  return {
    path: label,
    file: label,
    name: label,
    text,
    source: text,
    header: readMigrationHeader(text),
    parts: wholeFile(text, 'implicit').parts,
    ...(options.unlessTableExists ? { unlessTableExists: options.unlessTableExists } : {}),
  };
}

export interface LoadedMigrations {
  migrations: MigrationFile[];
  discovery: Discovery;
  /** what the runner runs around each migration (Discovery.aroundEachMigration), read and planned */
  aroundEachMigration?: { before: MigrationFile[]; after: MigrationFile[] };
}

/** Reads every migration the runner would apply from a folder, in runner order, with the part of each that runs. */
export function loadMigrations(folder: string, projectRoot: string, runner: Runner, options: RunnerOptions = {}): LoadedMigrations {
  assertFolder(folder);
  // the runner's settings live in the project root (Flyway's flyway.conf and its file naming)
  const discovery = runner.discover(folder, { projectRoot, ...options });
  const load = (name: string, version?: string, discovered?: FilePlan) => {
    const absolutePath = path.join(folder, ...name.split('/'));
    const { text: source, byteOrderMark } = readMarkedProjectSql(absolutePath, projectRoot);
    let plan = discovered ?? runner.plan(source, name, folder, { projectRoot, ...options });
    if (byteOrderMark && !plan.problem) {
      if (runner.byteOrderMarkRefusal) {
        if (runner.byteOrderMarkRefusedFor?.(source) ?? true) plan = { ...plan, problem: byteOrderMarkProblem(runner.name, runner.byteOrderMarkRefusal) };
      }
      else if (runner.sendsByteOrderMark?.(source)) plan = { ...plan, problem: byteOrderMarkProblem(runner.name) };
    }
    return fileWithPlan(absolutePath, projectRoot, name, source, plan, version);
  };
  const migrations = discovery.migrations.map(({ name, version, journal, plan, sameSession, sameTransaction }) => {
    const file = load(name, version, plan);
    if (sameSession || sameTransaction) file.sameSession = true;
    if (sameTransaction) file.sameTransaction = true;
    return journal ? { ...file, journal: { ...journal, file: relativeTo(projectRoot, path.join(folder, ...journal.file.split('/'))) } } : file;
  });
  // a psql script cut at an include goes on in the next entry, on its session (ExecutionPart `continued`): the same
  // connection as a runner's own (sameSession), so the replay and the history walker have one thing to ask
  migrations.forEach((file, index) => {
    if (index > 0 && continuesInNext(migrations[index - 1])) file.sameSession = true;
  });
  const around = discovery.aroundEachMigration;
  return { migrations, discovery, ...(around ? { aroundEachMigration: { before: around.before.map((name) => load(name)), after: around.after.map((name) => load(name)) } } : {}) };
}

function fileWithPlan(absolutePath: string, projectRoot: string, name: string, source: string, plan: FilePlan, version: string | undefined): MigrationFile {
  const match = NUMBER_PREFIX.exec(path.posix.basename(name));
  const runnable = runnableText(source, plan.parts);
  const { text, origin } = substitute(runnable, movedToRunnable(plan.substitutions ?? [], source, runnable));
  return {
    path: absolutePath,
    file: relativeTo(projectRoot, absolutePath),
    name,
    number: match?.[1],
    suffix: match?.[2] || undefined,
    version: version ?? match?.[1],
    text,
    origin,
    source,
    header: readMigrationHeader(source),
    parts: plan.parts,
    planProblem: plan.problem,
  };
}

/** The file with the lines outside every part emptied (their newlines kept, so positions do not move). */
export function runnableText(source: string, parts: ExecutionPart[]): string {
  const lines = source.split('\n');
  if (parts.length === 1 && parts[0].startLine === 0 && parts[0].endLine >= lines.length) return source;
  const keep = new Array<boolean>(lines.length).fill(false);
  for (const part of parts) for (let i = part.startLine; i < Math.min(part.endLine, lines.length); i++) keep[i] = true;
  return lines.map((line, i) => (keep[i] ? line : line.endsWith('\r') ? '\r' : '')).join('\n');
}

/** Substitutions sit on lines the runner runs, which runnableText keeps as they are: the same line and column there. */
export function movedToRunnable(substitutions: Substitution[], source: string, runnable: string): Substitution[] {
  if (substitutions.length === 0 || source === runnable) return substitutions;
  const from = new SourceText(source, '');
  const to = new SourceText(runnable, '');
  return substitutions.map((s) => {
    const move = (index: number) => {
      const line = from.positionOfIndex(index).line - 1;
      return to.lineStartIndex(line) + (index - from.lineStartIndex(line));
    };
    return { start: move(s.start), end: move(s.end), value: s.value };
  });
}

/** Parses what the runner runs of a migration; positions are those of the file as written (substitutions mapped back). */
export function parseMigration(migration: Pick<MigrationFile, 'text' | 'file' | 'origin'>): ParsedSql {
  return parseSql(migration.text, migration.file, migration.origin);
}

function relativeTo(projectRoot: string, absolutePath: string): string {
  return path.relative(projectRoot, absolutePath).split(path.sep).join('/');
}

function assertFolder(folder: string): void {
  let stat;
  try {
    stat = statSync(folder);
  } catch {
    throw new InputError(`migrations folder not found: ${folder}`, {
      hint: 'set "migrations" in pgdrift.config.json, pass --migrations <folder>, or run from the project root (-C <dir>)',
    });
  }
  if (!stat.isDirectory()) throw new InputError(`migrations path is not a folder: ${folder}`);
}
