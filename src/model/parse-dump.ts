import type { Node, RawStmt } from '@pgsql/types';
import { parseSync } from 'libpg-query';
import { unwrapNode, type StatementNode } from '../sql/ast.js';
import { assertParserLoaded, parseSql, SqlSyntaxError } from '../sql/parse.js';
import { countWork } from '../util/work-count.js';

/** The part of a parsed statement the model needs; `kind` narrows `ast` as in ParsedStatement. */
export type DumpStatement = StatementNode & {
  node: Node;
  readonly text: string;
  readonly line: number;
  /** what turns an AST `location` (bytes from the start of the parsed chunk) into a byte offset in `text` */
  readonly locationBase: number;
};

/**
 * Fast statement split for pg_dump output: one libpg-query parse, no token scan (the scan costs more than the
 * parse on a large dump). Only pg_dump's own psql lines (`\restrict`, `\unrestrict`, `\connect`) are blanked.
 * On a syntax error it defers to parseSql for the exact file:line:column. Call `await loadSqlParser()` first.
 * A statement's `text` is computed when first read (the model reads it only for statements it keeps as text).
 */
export function parseDumpStatements(text: string, file: string): DumpStatement[] {
  const statements: DumpStatement[] = [];
  forEachDumpStatement(text, file, (statement) => statements.push(statement));
  return statements;
}

/**
 * parseDumpStatements as a stream: `visit` gets each statement in text order as soon as its chunk is parsed, so a
 * caller that does not keep a statement lets its AST die young (cheap for the garbage collector). A syntax error
 * anywhere still throws (SqlSyntaxError, before any error `visit` threw, which is rethrown at the end).
 */
export function forEachDumpStatement(text: string, file: string, visit: (statement: DumpStatement) => void): void {
  countWork('dumpsParsed', file);
  const blanked = PSQL_LINE_START.test(text) ? text.replace(PSQL_LINES, (line) => ' '.repeat(line.length)) : text;
  if (blanked.trim() === '') return;
  const source = new DumpSource(blanked);
  let failure: { error: unknown } | undefined;
  const parsed = parseInChunks(blanked, (raw, chunkStart) => {
    if (failure) return;
    const rawStart: number = raw.stmt_location ?? 0;
    const rawEnd = raw.stmt_len ? rawStart + raw.stmt_len : source.byteLength;
    const start = source.skipSpaceAndComments(rawStart, rawEnd);
    try {
      visit(dumpStatement(raw.stmt!, source, start, rawEnd, chunkStart)); // the parser gives every RawStmt its statement
    } catch (error) {
      failure = { error };
    }
  });
  if (!parsed) {
    parseSql(text, file); // throws the positioned SqlSyntaxError
    throw new SqlSyntaxError(file, 1, 1, 'syntax error');
  }
  if (failure) throw failure.error;
}

/** A psql meta-command line of pg_dump's (cheap pre-check before the line-anchored replace). */
const PSQL_LINE_START = /^\\(?:un)?restrict\b|^\\connect\b/m;
const PSQL_LINES = /^\\(?:un)?restrict\b.*$|^\\connect\b.*$/gm;

/**
 * A statement whose text and line are computed when first read. A class, not an object literal with getters:
 * the literal (a spread plus two accessors per statement) made modelling a 1,000-table dump ~25% slower.
 */
class LazyDumpStatement {
  private cachedText: string | undefined;
  private cachedLine = 0;

  constructor(
    readonly kind: string,
    readonly ast: unknown,
    readonly node: Node,
    private readonly source: DumpSource,
    private readonly start: number,
    private readonly end: number,
    readonly locationBase: number,
  ) {}

  get text(): string {
    this.cachedText ??= this.source.statementText(this.start, this.end);
    return this.cachedText;
  }

  get line(): number {
    if (this.cachedLine === 0) this.cachedLine = this.source.lineOf(this.start);
    return this.cachedLine;
  }

  /** Plain-object view (what JSON.stringify sees). */
  toJSON() {
    return { kind: this.kind, ast: this.ast, node: this.node, text: this.text, line: this.line, locationBase: this.locationBase };
  }
}

function dumpStatement(node: Node, source: DumpSource, start: number, end: number, chunkStart: number): DumpStatement {
  const { kind, ast } = unwrapNode(node);
  // kind and ast come from one unwrapNode, so they agree as the DumpStatement union says
  return new LazyDumpStatement(kind, ast, node, source, start, end, chunkStart - start) as unknown as DumpStatement;
}

/**
 * The parsed text with byte offsets (libpg-query locations are UTF-8 byte offsets). An ASCII text (the usual
 * dump) is read directly by string index; otherwise through its UTF-8 bytes.
 */
class DumpSource {
  private readonly bytes: Buffer | undefined;
  readonly byteLength: number;
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {
    this.byteLength = Buffer.byteLength(text, 'utf8');
    this.bytes = this.byteLength === text.length ? undefined : Buffer.from(text, 'utf8');
  }

  private byteAt(i: number): number {
    return this.bytes ? this.bytes[i] : this.text.charCodeAt(i);
  }

  skipSpaceAndComments(start: number, end: number): number {
    let i = start;
    while (i < end) {
      const c = this.byteAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c) i++;
      else if (c === 0x2d && this.byteAt(i + 1) === 0x2d) {
        while (i < end && this.byteAt(i) !== 0x0a) i++;
      } else if (c === 0x2f && this.byteAt(i + 1) === 0x2a) {
        const close = this.bytes ? this.bytes.indexOf('*/', i + 2) : this.text.indexOf('*/', i + 2);
        i = close < 0 || close >= end ? end : close + 2;
      } else break;
    }
    return i;
  }

  /** The statement's text without its trailing whitespace and semicolons. */
  statementText(start: number, end: number): string {
    const raw = this.bytes ? this.bytes.subarray(start, end).toString('utf8') : this.text.slice(start, end);
    let n = raw.length;
    while (n > 0 && isAsciiSpaceOrSemicolon(raw.charCodeAt(n - 1))) n--;
    const trimmed = raw.slice(0, n);
    // `\s` also matches Unicode spaces: leave those rare cases to the regular expression
    return n > 0 && raw.charCodeAt(n - 1) > 0x7f ? trimmed.replace(/[\s;]+$/, '') : trimmed;
  }

  /** 1-based line of a byte offset. */
  lineOf(byte: number): number {
    const lineStarts = (this.lineStarts ??= this.computeLineStarts());
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= byte) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private computeLineStarts(): number[] {
    const lineStarts: number[] = [0];
    if (this.bytes) {
      for (let i = this.bytes.indexOf(0x0a); i >= 0; i = this.bytes.indexOf(0x0a, i + 1)) lineStarts.push(i + 1);
    } else {
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    return lineStarts;
  }
}

function isAsciiSpaceOrSemicolon(c: number): boolean {
  return c === 0x3b || c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

const CHUNK_CHARS = 32_000;

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}

/** Forgets the shared chunk parses (a measurement of cold parses; a long-running process done with its dumps). */
export function forgetParsedDumps(): void {
  recentChunks.clear();
}

/**
 * The parse of each chunk of the last dumps read, by chunk text. The two sides of a comparison (the replayed dump
 * and the snapshot; `diff a.sql b.sql`) are mostly the same text, cut at the same headers: the second side parses
 * only the chunks that differ (`diff a.sql b.sql` of two 1,000-table dumps: 1.43 → 1.25 s). Bounded by text size.
 * Shared ASTs are read-only to every consumer (the model copies what it rewrites): test/unit/dump-parse-sharing.test.ts
 * freezes them (PGDRIFT_DEBUG_FREEZE_AST) so that a write throws.
 */
const recentChunks = (() => {
  const MAX_CHARS = 16_000_000;
  const chunks = new Map<string, readonly RawStmt[]>();
  let chars = 0;
  return {
    clear() {
      chunks.clear();
      chars = 0;
    },
    get: (chunk: string) => chunks.get(chunk),
    remember(chunk: string, stmts: readonly RawStmt[]) {
      if (chunk.length > MAX_CHARS) return;
      while (chars + chunk.length > MAX_CHARS && chunks.size > 0) {
        const oldest = chunks.keys().next().value as string;
        chunks.delete(oldest);
        chars -= oldest.length;
      }
      chunks.set(chunk, stmts);
      chars += chunk.length;
    },
  };
})();

/**
 * Parses the text in chunks cut before pg_dump's `-- Name:` headers, with statement locations made relative to the
 * whole text. One big parse runs entirely in V8's baseline WASM tier (about 3x slower on a cold process); chunks
 * let the optimized code take over after the first few. A chunk that does not parse alone (a header-like line
 * inside a function body) is merged with the next. Each statement goes to `emit` as soon as its chunk is parsed,
 * with the byte offset of its chunk (what its nodes' locations count from); false when the text does not parse.
 */
function parseInChunks(text: string, emit: (raw: RawStmt, chunkStart: number) => void): boolean {
  assertParserLoaded(); // a failing chunk is read as "does not parse" below
  const cuts: number[] = [0];
  const header = /\n--\n-- Name: /g;
  let last = 0;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    if (match.index - last >= CHUNK_CHARS) {
      cuts.push(match.index + 1);
      last = match.index;
    }
  }
  cuts.push(text.length);
  let byteBase = 0;
  let start = 0;
  for (let i = 1; i < cuts.length; i++) {
    const chunk = text.slice(start, cuts[i]);
    let stmts = recentChunks.get(chunk);
    if (!stmts) {
      try {
        stmts = parseSync(chunk).stmts ?? [];
      } catch (error) {
        if (/cannot be empty/i.test(String((error as Error | undefined)?.message))) stmts = [];
        else if (i < cuts.length - 1) continue; // merge with the next chunk
        else return false;
      }
      if (process.env.PGDRIFT_DEBUG_FREEZE_AST) deepFreeze(stmts);
      recentChunks.remember(chunk, stmts);
    }
    const chunkBytes = Buffer.byteLength(chunk, 'utf8');
    for (let k = 0; k < stmts.length; k++) {
      const raw = stmts[k];
      const location = byteBase + (raw.stmt_location ?? 0);
      // the last statement of a chunk runs to the chunk's end: give it an explicit length
      const length = raw.stmt_len || (k === stmts.length - 1 ? chunkBytes - (raw.stmt_location ?? 0) : 0);
      emit({ stmt: raw.stmt, stmt_location: location, stmt_len: length }, byteBase);
    }
    byteBase += chunkBytes;
    start = cuts[i];
  }
  return true;
}
