/**
 * The one piece of lexing done outside libpg-query: skipping whitespace and comments between statements, where
 * no string, identifier or dollar quote can be open. It follows Postgres' scanner: whitespace is space, \t, \n,
 * \r, \f and \v; `--` runs to the end of the line (\n or \r); `/* ... *\/` nests. It never looks inside SQL code.
 */

export type CommentKind = 'SQL_COMMENT' | 'C_COMMENT';

/** UTF-8 bytes (offsets are byte offsets) or a string (offsets are UTF-16 indexes): the delimiters are ASCII in both. */
export type Code = string | Uint8Array;

/** The code unit at an offset (NaN past the end of a string, undefined past the end of bytes: neither matches). */
export function codeAt(code: Code, offset: number): number {
  return typeof code === 'string' ? code.charCodeAt(offset) : code[offset];
}

export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d); // space, \t \n \v \f \r
}

/**
 * From `offset`, skips whitespace and comments (reporting each comment) and returns the offset of the next
 * token, `length` at the end, or -1 when a `/*` comment is not closed (the scanner refuses such a text).
 */
export function skipSpaceAndComments(code: Code, offset: number, onComment?: (kind: CommentKind, start: number, end: number) => void): number {
  const length = code.length;
  const at = (i: number) => codeAt(code, i);
  let i = offset;
  while (i < length) {
    const c = at(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 0x2d /* - */ && i + 1 < length && at(i + 1) === 0x2d) {
      const start = i;
      i += 2;
      while (i < length && at(i) !== 0x0a && at(i) !== 0x0d) i++;
      onComment?.('SQL_COMMENT', start, i);
    } else if (c === 0x2f /* / */ && i + 1 < length && at(i + 1) === 0x2a /* * */) {
      const start = i;
      let depth = 1;
      i += 2;
      while (depth > 0) {
        if (i + 1 >= length) return -1;
        const d = at(i);
        if (d === 0x2a && at(i + 1) === 0x2f) {
          depth--;
          i += 2;
        } else if (d === 0x2f && at(i + 1) === 0x2a) {
          depth++;
          i += 2;
        } else {
          i++;
        }
      }
      onComment?.('C_COMMENT', start, i);
    } else {
      return i;
    }
  }
  return length;
}
