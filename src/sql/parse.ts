import { loadModule, parseSync, scanSync, type ScanToken } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { unwrapNode, type StatementNode } from './ast.js';
import { InputError } from '../errors.js';
import { codeAt, isSpace, skipSpaceAndComments } from './lex.js';
import { SourceText, type TextOrigin } from './source-text.js';
import { countWork } from '../util/work-count.js';
import { parserWasmReady, parseToJson } from './parser-wasm.js';

/**
 * One top-level statement of a SQL file, with its AST and where it stands in the file. `kind` tells `ast`'s
 * type: `statement.kind === 'CreateStmt'` narrows `statement.ast` to a CreateStmt.
 */
export type ParsedStatement = StatementPosition & StatementNode;

/** Where a statement stands in its file. */
export interface StatementPosition {
  /** The AST wrapper node, e.g. `{ CreateStmt: {...} }`. */
  node: Node;
  /** 0-based index among the file's statements. */
  index: number;
  /** The statement's text, from its first token to its last (no trailing semicolon). */
  text: string;
  /** UTF-8 byte offset of the statement's first token (what AST `location` fields are relative to the file). */
  byteStart: number;
  byteEnd: number;
  /** 1-based position of the first token. */
  line: number;
  column: number;
}

/** A psql backslash command found at the start of a line (it cannot run through a driver). */
export interface MetaCommand {
  command: string;
  line: number;
  column: number;
  text: string;
}

export interface ParsedSql {
  source: SourceText;
  /** The text with meta-command lines blanked out (same length and offsets): what can be sent to Postgres. */
  executableText: string;
  statements: ParsedStatement[];
  /** Meta-commands other than `\restrict`/`\unrestrict` (those are dropped silently). */
  metaCommands: MetaCommand[];
  /** Every scanner token of the file, comments included (byte offsets), for readers of comments. Scanned on first read. */
  readonly tokens: ScanToken[];
}

/** A syntax error found by the Postgres parser, at an exact file:line:column. */
export class SqlSyntaxError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`, { position: { file, line, column } });
  }
}

/**
 * Larger files exhaust the parser's WASM memory (a valid 50 MB file of INSERTs did, and came back as a false
 * syntax error at 1:1 with megabytes of binary on stderr); 20 MB parses in about 1.3 GB.
 */
export const MAX_PARSE_BYTES = 24 * 1024 * 1024;

/** A file too large for the SQL parser: said plainly, with its size and the limit. */
export class SqlTooLargeError extends InputError {
  constructor(
    readonly file: string,
    readonly bytes: number,
  ) {
    super(`${file} is ${formatMegabytes(bytes)}, more than the SQL parser takes in one file (${formatMegabytes(MAX_PARSE_BYTES)})`, {
      hint: 'split it into smaller migration files, or load bulk data outside the migrations',
    });
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** The parser's message, made safe to print: bounded, no control bytes (an exhausted parser returns binary). */
function parserMessage(raw: unknown): string {
  const text = String(raw ?? 'syntax error');
  const printable = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g, '');
  const cut = printable.length > 300 ? `${printable.slice(0, 300)}…` : printable;
  return printable.length < text.length / 2 ? 'the SQL parser failed on this file (it returned no readable message)' : cut;
}

/** What libpg-query throws: the parser's message and where its cursor stopped (a code point index). */
interface ParserError {
  message?: string;
  sqlDetails?: { message?: string; cursorPosition?: number };
}

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the libpg-query WASM module once per process; every parse function needs it first. */
export function loadSqlParser(): Promise<void> {
  // parserWasmReady: in the CLI bundle, the WebAssembly instance libpg-query waits for (and its failure, which
  // loadModule alone would wait on forever)
  loaded ??= Promise.all([parserWasmReady(), loadModule()]).then(() => {
    ready = true;
  });
  return loaded;
}

/**
 * A parse before the load would fail inside libpg-query with an error that the paths below read as a syntax
 * error at 1:1 (a runner's plan then took a file for unparseable and chose a default: a Flyway file holding only
 * CREATE INDEX CONCURRENTLY was run in a transaction). Calling order is a bug, so it is one.
 */
export function assertParserLoaded(): void {
  if (ready) return;
  try {
    parseSync('SELECT 1'); // loaded by another path (libpg-query's own loadModule)
    ready = true;
  } catch {
    throw new Error('internal: the SQL parser was used before loadSqlParser() finished');
  }
}

/**
 * Frees a parsed file's syntax trees (each statement's `node` and `ast`), keeping its text, positions, meta-commands
 * and tokens. Only for the code that parsed the file, once nothing reads its trees again (the lint engine, after a
 * file's statement pass): a tree read afterwards is a bug, and fails loudly on the missing node.
 */
export function freeSyntaxTrees(parsed: ParsedSql): void {
  for (const statement of parsed.statements) {
    // plain stores (Object.assign's generic path was a measurable part of a 1,000-file lint)
    const freed = statement as { node?: unknown; ast?: unknown };
    freed.node = undefined;
    freed.ast = undefined;
  }
}

const DROPPED_META_COMMANDS = new Set(['restrict', 'unrestrict']);

/**
 * parseSql, or undefined when the text does not parse (SqlSyntaxError): for the runners' checks that look at a file's
 * statements and leave a syntax error to the replay, which reports it at its line. Other errors are thrown.
 */
export function parseSqlOrUndefined(text: string, file: string, origin?: TextOrigin): ParsedSql | undefined {
  try {
    return parseSql(text, file, origin);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return undefined;
    throw error;
  }
}

/**
 * Parses a SQL file into statements with positions. psql meta-commands (a backslash token first on its line,
 * as psql recognises them) are blanked out before parsing, so offsets stay exact; `\restrict`/`\unrestrict`
 * (written by pg_dump 15.14+, with a random key) are dropped, the others are returned in `metaCommands`.
 * Throws SqlSyntaxError with the position libpg-query's cursor points at.
 *
 * The scanner pass costs as much as the parse, so it only runs when needed: a file with no line starting with
 * a backslash cannot hold a meta-command, and its statement bounds come from the parse tree plus a skip over
 * whitespace and comments (see lex.ts). Anything else (a possible meta-command, a parse error, a statement
 * whose last line holds comment-like text) takes the scanner path; `tokens` is scanned on first read.
 */
export function parseSql(text: string, file: string, origin?: TextOrigin): ParsedSql {
  assertParserLoaded();
  countWork('filesParsed', file);
  if (text.length > MAX_PARSE_BYTES / 4) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_PARSE_BYTES) throw new SqlTooLargeError(file, bytes);
  }
  const source = new SourceText(text, file, origin);
  // Postgres refuses a NUL byte in query text with a protocol error at 1:1; say where it really is.
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const { line, column } = source.positionOfIndex(nul);
    throw new SqlSyntaxError(file, line, column, 'a NUL byte (\\0) cannot be part of SQL text');
  }
  if ((text.includes('\\') && MAYBE_META_COMMAND.test(text)) || text.trim() === '') return parseScanned(text, source);
  return parseUnscanned(text, source) ?? parseScanned(text, source);
}

/** libpg-query's parse of a text of `byteLength` UTF-8 bytes: parseToJson's fast path, else parseSync (and its errors). */
function parseTree(text: string, byteLength: number): ReturnType<typeof parseSync> {
  const json = parseToJson(text, byteLength);
  return json === undefined ? parseSync(text) : JSON.parse(json);
}

/** A backslash first on a line (a superset of psql's meta-command lines: in strings and comments too). */
const MAYBE_META_COMMAND = /^\s*\\/m;

/** The fast path for a file without meta-commands; undefined when the scanner path must decide. */
function parseUnscanned(text: string, source: SourceText): ParsedSql | undefined {
  const ascii = source.isAscii;
  // Offsets are UTF-8 bytes; in an ASCII text a byte offset is the string index, so no buffer is needed.
  const bytes = ascii ? undefined : Buffer.from(text, 'utf8');
  const code = bytes ?? text;
  const at = (i: number) => codeAt(code, i);
  const length = code.length;
  const slice = (start: number, end: number) => (bytes ? bytes.subarray(start, end).toString('utf8') : text.slice(start, end));
  const firstCode = skipSpaceAndComments(code, 0);
  if (firstCode < 0) return undefined;
  // An empty file, or one holding only comments, has no statements (the parser refuses an empty query).
  if (firstCode >= length) return unscannedResult(source, []);

  let result;
  try {
    result = parseTree(text, bytes?.length ?? text.length);
  } catch {
    return undefined; // the scanner path reports the error exactly where it always has
  }
  const raws = result.stmts ?? [];
  const statements: ParsedStatement[] = new Array(raws.length);
  for (let index = 0; index < raws.length; index++) {
    const raw = raws[index];
    const rawStart: number = raw.stmt_location ?? 0;
    const rawEnd = raw.stmt_len ? Math.min(rawStart + raw.stmt_len, length) : length;
    // stmt_location includes the whitespace and comments after the previous semicolon: skip to the first token.
    const byteStart = skipSpaceAndComments(code, rawStart);
    if (byteStart < 0 || byteStart >= rawEnd) return undefined;
    // The statement ends at its last code token: drop trailing whitespace and semicolons. A trailing comment
    // would have to end on that last line (a `--`, or a `*/`): if the line holds any comment mark, ask the scanner.
    let byteEnd = rawEnd;
    while (byteEnd > byteStart && (isSpace(at(byteEnd - 1)) || at(byteEnd - 1) === 0x3b)) byteEnd--;
    if (byteEnd <= byteStart) return undefined;
    let lineStart = byteEnd - 1;
    while (lineStart > byteStart && at(lineStart - 1) !== 0x0a) lineStart--;
    for (let i = lineStart; i + 1 < byteEnd; i++) {
      const c = at(i);
      const d = at(i + 1);
      if ((c === 0x2d && d === 0x2d) || (c === 0x2f && d === 0x2a) || (c === 0x2a && d === 0x2f)) return undefined;
    }
    const node = raw.stmt!; // the parser gives every RawStmt its statement
    const pos = source.positionOfByte(byteStart);
    statements[index] = {
      node,
      ...unwrapNode(node),
      index,
      text: slice(byteStart, byteEnd),
      byteStart,
      byteEnd,
      line: pos.line,
      column: pos.column,
    };
  }
  return unscannedResult(source, statements);
}

function unscannedResult(source: SourceText, statements: ParsedStatement[]): ParsedSql {
  let tokens: ScanToken[] | undefined;
  return {
    source,
    executableText: source.text,
    statements,
    metaCommands: [],
    get tokens() {
      return (tokens ??= scanTokens(source.text, source));
    },
  };
}

/** The scanner path: tokens find the meta-command lines and each statement's first and last token. */
function parseScanned(text: string, source: SourceText): ParsedSql {
  const file = source.file;
  const bytes = Buffer.from(text, 'utf8');
  const tokens = scanTokens(text, source);
  const metaCommands: MetaCommand[] = [];
  let parseable = text;
  const metaRanges = findMetaCommandLines(bytes, tokens);
  if (metaRanges.length > 0) {
    const blanked = Buffer.from(bytes);
    for (const range of metaRanges) {
      blanked.fill(0x20, range.byteStart, range.byteEnd);
      const commandText = bytes.subarray(range.byteStart, range.byteEnd).toString('utf8');
      const command = commandText.slice(1).split(/\s/, 1)[0];
      if (!DROPPED_META_COMMANDS.has(command)) {
        const pos = source.positionOfByte(range.byteStart);
        metaCommands.push({ command, text: commandText.trim(), ...pos });
      }
    }
    parseable = blanked.toString('utf8');
  }

  const codeTokens = tokens.filter((t) => !isCommentToken(t) && !metaRanges.some((r) => t.start >= r.byteStart && t.start < r.byteEnd));
  // An empty file, or one holding only comments, has no statements (the parser refuses an empty query).
  if (codeTokens.length === 0) return { source, executableText: parseable, statements: [], metaCommands, tokens };

  let result;
  try {
    result = parseTree(parseable, bytes.length);
  } catch (caught) {
    const error = caught as ParserError | undefined;
    const cursor = error?.sqlDetails?.cursorPosition ?? 0;
    const pos = source.positionOfCodePoint(cursor);
    throw new SqlSyntaxError(file, pos.line, pos.column, parserMessage(error?.sqlDetails?.message ?? error?.message ?? error));
  }

  const statements: ParsedStatement[] = (result.stmts ?? []).map((raw, index): ParsedStatement => {
    const rawStart: number = raw.stmt_location ?? 0;
    const rawEnd = raw.stmt_len ? rawStart + raw.stmt_len : bytes.length;
    // stmt_location includes the whitespace and comments after the previous semicolon: skip to the first token.
    const first = firstTokenAtOrAfter(codeTokens, rawStart);
    const byteStart = first && first.start < rawEnd ? first.start : rawStart;
    const byteEnd = lastTokenEndBefore(codeTokens, rawEnd, byteStart) ?? trimTrailingBytes(bytes, byteStart, rawEnd);
    const node = raw.stmt!; // the parser gives every RawStmt its statement
    const pos = source.positionOfByte(byteStart);
    return {
      node,
      ...unwrapNode(node),
      index,
      text: bytes.subarray(byteStart, byteEnd).toString('utf8'),
      byteStart,
      byteEnd,
      line: pos.line,
      column: pos.column,
    };
  });
  return { source, executableText: parseable, statements, metaCommands, tokens };
}

function scanTokens(text: string, source: SourceText): ScanToken[] {
  if (text.trim() === '') return [];
  try {
    return scanSqlTokens(text);
  } catch (caught) {
    const error = caught as ParserError | undefined;
    // An unterminated quote or comment: the scanner refuses the text; report where the parser would.
    try {
      parseSync(text);
    } catch (caughtParse) {
      const parseError = caughtParse as ParserError | undefined;
      const pos = source.positionOfCodePoint(parseError?.sqlDetails?.cursorPosition ?? 0);
      throw new SqlSyntaxError(source.file, pos.line, pos.column, parserMessage(parseError?.sqlDetails?.message ?? parseError?.message));
    }
    throw new SqlSyntaxError(source.file, 1, 1, parserMessage(error?.message ?? error));
  }
}

/**
 * libpg-query's scanSync, made to accept what psql accepts. The SQL scanner reads a meta-command's argument as SQL,
 * and since Postgres 15 it refuses a number followed by letters ("trailing junk after numeric literal"): pg_dump's
 * `\restrict` key is random alphanumerics, so about one dump in seven (a key starting with a digit) failed to scan.
 * When the text does not scan, the letters, digits and underscores after the command word of each line that starts
 * with a backslash are blanked and the text is scanned again. Blanking word characters only (never a quote, `$`,
 * `-`, `/`, `*` or a backslash) cannot move where a string, identifier or comment starts or ends, so that scan
 * tells which of those lines really are meta-commands (a backslash token first on its line). A line that is not
 * one (inside a string or comment; code may follow the closing quote) is restored and the text scanned a last
 * time with only the meta-command lines blanked. Tokens keep their offsets; one covering blanked text gets its
 * text back from the original. Throws what scanSync throws on the original text.
 */
export function scanSqlTokens(text: string): ScanToken[] {
  try {
    return scanSync(text).tokens;
  } catch (error) {
    if (!text.includes('\\')) throw error;
    const lines = backslashLines(text);
    let scannable = blankArguments(text, lines);
    let tokens: ScanToken[];
    try {
      tokens = scanSync(scannable).tokens;
    } catch {
      throw error;
    }
    const bytes = Buffer.from(text, 'utf8');
    const commands = lines.filter((line) => tokens.some((t) => t.text === '\\' && t.start === line.commandByte));
    if (commands.length < lines.length) {
      scannable = blankArguments(text, commands);
      try {
        tokens = scanSync(scannable).tokens;
      } catch {
        throw error;
      }
    }
    const blanked = Buffer.from(scannable, 'utf8');
    for (const token of tokens) {
      if (!bytes.subarray(token.start, token.end).equals(blanked.subarray(token.start, token.end))) token.text = bytes.subarray(token.start, token.end).toString('utf8');
    }
    return tokens;
  }
}

/** A line that starts with a backslash: the byte offset of the backslash, and the UTF-16 range of its arguments. */
interface BackslashLine {
  commandByte: number;
  argumentsStart: number;
  argumentsEnd: number;
}

function backslashLines(text: string): BackslashLine[] {
  const lines: BackslashLine[] = [];
  for (const match of text.matchAll(/^([ \t]*)(\\[A-Za-z!?]*)(.*)$/gm)) {
    const index = match.index ?? 0;
    const argumentsStart = index + match[1].length + match[2].length;
    lines.push({ commandByte: Buffer.byteLength(text.slice(0, index + match[1].length), 'utf8'), argumentsStart, argumentsEnd: argumentsStart + match[3].length });
  }
  return lines;
}

/** The text with the word characters of these lines' arguments replaced by spaces (same length in bytes). */
function blankArguments(text: string, lines: readonly BackslashLine[]): string {
  let result = '';
  let from = 0;
  for (const line of lines) {
    result += text.slice(from, line.argumentsStart) + text.slice(line.argumentsStart, line.argumentsEnd).replace(/\w/g, ' ');
    from = line.argumentsEnd;
  }
  return result + text.slice(from);
}

function isCommentToken(token: ScanToken): boolean {
  return token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT';
}

/** Byte ranges of lines whose first token is a backslash: psql meta-commands, which run to the end of the line. */
function findMetaCommandLines(bytes: Buffer, tokens: ScanToken[]): Array<{ byteStart: number; byteEnd: number }> {
  const ranges: Array<{ byteStart: number; byteEnd: number }> = [];
  for (const token of tokens) {
    if (token.text !== '\\') continue;
    let lineStart = token.start;
    while (lineStart > 0 && bytes[lineStart - 1] !== 0x0a) lineStart--;
    const before = bytes.subarray(lineStart, token.start).toString('utf8');
    if (before.trim() !== '') continue;
    let lineEnd = token.start;
    while (lineEnd < bytes.length && bytes[lineEnd] !== 0x0a) lineEnd++;
    ranges.push({ byteStart: token.start, byteEnd: lineEnd });
  }
  return ranges;
}

function firstTokenAtOrAfter(tokens: ScanToken[], byteOffset: number): ScanToken | undefined {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < byteOffset) lo = mid + 1;
    else hi = mid;
  }
  return tokens[lo];
}

/** End of the last code token (not a semicolon) that ends at or before `byteEnd`, so trailing comments are not part of a statement. */
function lastTokenEndBefore(tokens: ScanToken[], byteEnd: number, byteStart: number): number | undefined {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].end <= byteEnd) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && tokens[i].start >= byteStart; i--) {
    if (tokens[i].text !== ';') return tokens[i].end;
  }
  return undefined;
}

function trimTrailingBytes(bytes: Buffer, start: number, end: number): number {
  let e = Math.min(end, bytes.length);
  while (e > start && (bytes[e - 1] === 0x20 || bytes[e - 1] === 0x0a || bytes[e - 1] === 0x0d || bytes[e - 1] === 0x09 || bytes[e - 1] === 0x3b)) e--;
  return e;
}

/** 1-based position of an AST node's `location` (a byte offset into the file) */
export function positionOfNode(parsed: ParsedSql, byteLocation: number | undefined, fallback: ParsedStatement): { line: number; column: number } {
  if (byteLocation === undefined || byteLocation < 0) return { line: fallback.line, column: fallback.column };
  return parsed.source.positionOfByte(byteLocation);
}
