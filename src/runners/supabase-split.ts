/**
 * The Supabase CLI's statement splitter, ported so the replay knows which statements the CLI sends
 * (supabase/cli@1d1e719 apps/cli-go/pkg/parser: token.go `SplitAndTrim`, state.go's states). This is not a SQL
 * parser: it is the CLI's own reader, quirks included, because a file it splits where Postgres would not fails under
 * the CLI: each piece is sent as one extended-protocol query (pkg/migration/file.go `ExecBatch`, `batch.ExecParams`),
 * so a piece cut inside a statement is a syntax error and a piece holding two statements is refused (42601).
 *
 * What differs from Postgres's own lexer, as the CLI reads:
 * - quotes know only doubled quotes: a backslash-escaped quote in an `E'…'` string (`E'it\'s'`) ends the string;
 * - a backslash outside quotes escapes the next character;
 * - `(` opens a state that `)` closes, and an inner `)` closes the outer ones too;
 * - `BEGIN ATOMIC` opens a body that the next `END` closes, wherever it is (the end of `legEND` too);
 * - the scanner steps one byte at a time (token.go's `width` is shadowed inside the loop): each byte after the first of
 *   a multi-byte character is read as U+FFFD, so such a character ends a `$tag`.
 */

/** One statement as the CLI sends it: its text (trimmed, trailing `;` removed) and its byte range in the file. */
export interface SupabasePiece {
  text: string;
  /** byte offset of the piece's first character in the file (after the whitespace TrimSpace removes) */
  start: number;
}

const RUNE_ERROR = 0xfffd;

/** A state of the tokenizer; `null` emits the token (a `;` outside every quoted state). */
interface State {
  next(r: number, data: Uint8Array): State | null;
}

class ReadyState implements State {
  next(r: number, data: Uint8Array): State | null {
    switch (r) {
      case 0x24: // $
        return new TagState(data.length - runeLength(r));
      case 0x27: // '
      case 0x22: // "
        return new QuoteState(r);
      case 0x2d: // -
        return new CommentState();
      case 0x2f: // /
        return new BlockState();
      case 0x5c: // \
        return new EscapeState();
      case 0x3b: // ;
        return null;
      case 0x28: // (
        return new AtomicState(this, ')');
      case 0x63: // c
      case 0x43: // C
        if (isBeginAtomic(data)) return new AtomicState(this, 'END');
    }
    return this;
  }
}

/** state.go isBeginAtomic: the token ends with `BEGIN <spaces> ATOMIC`, neither word part of a longer identifier. */
function isBeginAtomic(data: Uint8Array): boolean {
  let offset = data.length - 'ATOMIC'.length;
  if (offset < 0 || !equalFold(data.subarray(offset), 'ATOMIC')) return false;
  if (offset > 0 && isIdentifierRune(lastRune(data.subarray(0, offset)))) return false;
  let end = offset;
  while (end > 0 && isSpace(lastRune(data.subarray(0, end)))) end -= lastRuneLength(data.subarray(0, end));
  offset = end - 'BEGIN'.length;
  if (offset < 0 || !equalFold(data.subarray(offset, end), 'BEGIN')) return false;
  return offset === 0 || !isIdentifierRune(lastRune(data.subarray(0, offset)));
}

class CommentState implements State {
  next(r: number, data: Uint8Array): State | null {
    // `--`: no character is escaped in a comment, which ends at a newline
    if (r === 0x2d) return new DollarState(bytes('\n'));
    return new ReadyState().next(r, data);
  }
}

class BlockState implements State {
  private depth = 0;
  next(r: number, data: Uint8Array): State | null {
    const window = data.subarray(data.length - 2);
    if (window[0] === 0x2f && window[1] === 0x2a) {
      this.depth += 1;
      return this;
    }
    if (this.depth === 0) return new ReadyState().next(r, data);
    if (window[0] === 0x2a && window[1] === 0x2f) {
      this.depth -= 1;
      if (this.depth === 0) return new ReadyState();
    }
    return this;
  }
}

class QuoteState implements State {
  private escape = false;
  constructor(private readonly delimiter: number) {}
  next(r: number, data: Uint8Array): State | null {
    if (this.escape) {
      // a doubled delimiter stays inside; anything else: the quote had ended
      if (r === this.delimiter) {
        this.escape = false;
        return this;
      }
      return new ReadyState().next(r, data);
    }
    if (r === this.delimiter) this.escape = true;
    return this;
  }
}

/** A dollar quote (or a line comment, delimited by `\n`): nothing is escaped until the delimiter. */
class DollarState implements State {
  constructor(private readonly delimiter: Uint8Array) {}
  next(_r: number, data: Uint8Array): State | null {
    return endsWith(data, this.delimiter) ? new ReadyState() : this;
  }
}

class TagState implements State {
  constructor(private readonly offset: number) {}
  next(r: number, data: Uint8Array): State | null {
    if (r === 0x24) return new DollarState(data.slice(this.offset));
    if (isLetter(r) || isDigit(r) || r === 0x5f) return this;
    return new ReadyState().next(r, data);
  }
}

class EscapeState implements State {
  next(): State | null {
    return new ReadyState();
  }
}

class AtomicState implements State {
  constructor(
    private prev: State,
    private readonly delimiter: string,
  ) {}
  next(r: number, data: Uint8Array): State | null {
    // inside a quote or comment of the body, the delimiter does not count
    const current = this.prev.next(r, data);
    if (current !== null) this.prev = current;
    if (this.prev instanceof ReadyState && equalFold(data.subarray(data.length - this.delimiter.length), this.delimiter)) {
      return new ReadyState();
    }
    return this;
  }
}

/**
 * token.go `SplitAndTrim`: the statements the CLI sends for a file, in order: each token with trailing `;` and
 * surrounding whitespace trimmed; empty ones are dropped.
 */
export function supabaseStatements(text: string): SupabasePiece[] {
  const data = Buffer.from(text, 'utf8');
  const pieces: SupabasePiece[] = [];
  for (const [from, to] of tokenRanges(data)) {
    let start = from;
    let end = to;
    while (end > start && data[end - 1] === 0x3b) end--; // strings.TrimRight(token, ";")
    while (start < end && isSpace(decodeRune(data, start)[0])) start += decodeRune(data, start)[1]; // strings.TrimSpace
    while (end > start && isSpace(lastRune(data.subarray(start, end)))) end -= lastRuneLength(data.subarray(start, end));
    if (end > start) pieces.push({ text: data.subarray(start, end).toString('utf8'), start });
  }
  return pieces;
}

/** token.go `Split` without a transform: the tokens as the scanner cuts them, untrimmed (for tests against the CLI's own). */
export function supabaseTokens(text: string): string[] {
  const data = Buffer.from(text, 'utf8');
  return tokenRanges(data).map(([from, to]) => data.subarray(from, to).toString('utf8'));
}

/** token.go ScanToken over the whole file: each token up to and including an unquoted `;`, the rest of the file last. */
function tokenRanges(data: Uint8Array): [number, number][] {
  const ranges: [number, number][] = [];
  let state: State = new ReadyState();
  let tokenStart = 0;
  for (let at = 0; at < data.length; at++) {
    // one byte at a time (token.go's loop advances by its outer `width`, which stays 1)
    const [r, width] = decodeRune(data, at);
    const end = at + width;
    const next: State | null = state.next(r, data.subarray(tokenStart, end));
    if (next === null) {
      ranges.push([tokenStart, end]);
      tokenStart = end;
      at = end - 1;
      state = new ReadyState();
    } else state = next;
  }
  if (tokenStart < data.length) ranges.push([tokenStart, data.length]);
  return ranges;
}

/** Go's utf8.DecodeRune on valid UTF-8: a continuation byte alone is RuneError, width 1. */
function decodeRune(data: Uint8Array, at: number): [number, number] {
  const b0 = data[at];
  if (b0 < 0x80) return [b0, 1];
  if (b0 < 0xc0) return [RUNE_ERROR, 1];
  const width = b0 < 0xe0 ? 2 : b0 < 0xf0 ? 3 : 4;
  if (at + width > data.length) return [RUNE_ERROR, 1];
  let r = b0 & (width === 2 ? 0x1f : width === 3 ? 0x0f : 0x07);
  for (let k = 1; k < width; k++) {
    const b = data[at + k];
    if ((b & 0xc0) !== 0x80) return [RUNE_ERROR, 1];
    r = (r << 6) | (b & 0x3f);
  }
  return [r, width];
}

function runeLength(r: number): number {
  return r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4;
}

/** Go's utf8.DecodeLastRune: the last rune of `data` (RuneError for none). */
function lastRune(data: Uint8Array): number {
  if (data.length === 0) return RUNE_ERROR;
  return decodeRune(data, data.length - lastRuneLength(data))[0];
}

function lastRuneLength(data: Uint8Array): number {
  let start = data.length - 1;
  while (start > 0 && data.length - start < 4 && (data[start] & 0xc0) === 0x80) start--;
  const [, width] = decodeRune(data, start);
  return start + width === data.length ? data.length - start : 1;
}

/** unicode.IsSpace (Unicode White_Space; unlike JavaScript's \s, not U+FEFF) */
function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 || r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000;
}

/** unicode.IsLetter */
function isLetter(r: number): boolean {
  return r !== RUNE_ERROR && /\p{L}/u.test(String.fromCodePoint(r));
}

/** unicode.IsDigit */
function isDigit(r: number): boolean {
  return /\p{Nd}/u.test(String.fromCodePoint(r));
}

/** state.go isIdentifierRune */
function isIdentifierRune(r: number): boolean {
  return isLetter(r) || isDigit(r) || r === 0x5f || r === 0x24;
}

function bytes(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

function endsWith(data: Uint8Array, suffix: Uint8Array): boolean {
  if (data.length < suffix.length) return false;
  const offset = data.length - suffix.length;
  for (let k = 0; k < suffix.length; k++) if (data[offset + k] !== suffix[k]) return false;
  return true;
}

/** strings.EqualFold on ASCII words (the delimiters compared are `ATOMIC`, `BEGIN`, `END`, `)`) */
function equalFold(data: Uint8Array, word: string): boolean {
  if (data.length !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    const a = data[k];
    const b = word.charCodeAt(k);
    if (a !== b && !(((a | 0x20) === (b | 0x20)) && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7a)) return false;
  }
  return true;
}
