/**
 * Where a substituted text (Flyway placeholders, goose ENVSUB) came from: the text as written and the index maps
 * between the two. Every line:column a SourceText with an origin reports is one of the text as written.
 */
export interface TextOrigin {
  /** the text as written (the runner's part of the file, before substitution) */
  text: string;
  /** UTF-16 index in the written text of a UTF-16 index in the substituted one (inside a value: where it was written) */
  toOriginal(index: number): number;
  /** UTF-16 index in the substituted text of a UTF-16 index in the written one */
  fromOriginal(index: number): number;
}

/**
 * A SQL text with its line table, converting the three offset units we meet into 1-based line:column:
 * libpg-query statement/node locations count UTF-8 bytes, libpg-query error cursors and Postgres error
 * positions count code points (characters). Columns are reported in characters, as editors show them.
 */
export class SourceText {
  private readonly lineStartChars: number[] = [0];
  /** code-point index -> UTF-16 index, only built when the text has astral characters */
  private readonly codePointToUtf16: number[] | undefined;
  /** byte offset -> UTF-16 index (at character boundaries), built on first use */
  private byteToUtf16Cache: Uint32Array | undefined;

  /** true when every character is ASCII: then a byte offset, a code-point offset and a UTF-16 index are the same number */
  private readonly ascii: boolean;

  /** the text as written, when `text` is a substitution of it: positions and lines are reported in it */
  private readonly written: SourceText | undefined;

  constructor(
    readonly text: string,
    readonly file: string,
    readonly origin?: TextOrigin,
  ) {
    this.written = origin ? new SourceText(origin.text, file) : undefined;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStartChars.push(i + 1);
    this.ascii = !NON_ASCII.test(text);
    let hasAstral = false;
    if (!this.ascii) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) {
          hasAstral = true;
          break;
        }
      }
    }
    if (hasAstral) {
      const map: number[] = [];
      for (let i = 0; i < text.length; i++) {
        map.push(i);
        const c = text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) i++;
      }
      map.push(text.length);
      this.codePointToUtf16 = map;
    }
  }

  /** Every character is ASCII (byte offsets, code-point offsets and UTF-16 indexes coincide). */
  get isAscii(): boolean {
    return this.ascii;
  }

  /** UTF-16 index of a 0-based UTF-8 byte offset. */
  indexOfByte(byteOffset: number): number {
    if (this.ascii) return byteOffset >= 0 && byteOffset <= this.text.length ? byteOffset : this.text.length;
    this.byteToUtf16Cache ??= this.buildByteMap();
    // Offsets produced by the parser always land on a character boundary.
    return byteOffset >= 0 && byteOffset < this.byteToUtf16Cache.length ? this.byteToUtf16Cache[byteOffset] : this.text.length;
  }

  /** UTF-16 index of a 0-based code-point offset. */
  indexOfCodePoint(codePoint: number): number {
    if (!this.codePointToUtf16) return Math.min(codePoint, this.text.length);
    return this.codePointToUtf16[Math.min(codePoint, this.codePointToUtf16.length - 1)];
  }

  /** 1-based line and column (in characters) of a UTF-16 index. */
  positionOfIndex(index: number): { line: number; column: number } {
    if (this.written) return this.written.positionOfIndex(this.origin!.toOriginal(index));
    let lo = 0;
    let hi = this.lineStartChars.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStartChars[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.lineStartChars[lo];
    // the characters of text.slice(lineStart, index), counted without building the slice
    const end = index < 0 ? Math.max(this.text.length + index, 0) : Math.min(index, this.text.length);
    return { line: lo + 1, column: (this.ascii ? Math.max(end - lineStart, 0) : countCodePoints(this.text, lineStart, end)) + 1 };
  }

  positionOfByte(byteOffset: number): { line: number; column: number } {
    return this.positionOfIndex(this.indexOfByte(byteOffset));
  }

  positionOfCodePoint(codePoint: number): { line: number; column: number } {
    return this.positionOfIndex(this.indexOfCodePoint(codePoint));
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    if (this.written) return this.written.lineText(line);
    const start = this.lineStartChars[line - 1] ?? this.text.length;
    const end = this.lineStartChars[line] ?? this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }

  get lineCount(): number {
    return this.written ? this.written.lineCount : this.lineStartChars.length;
  }

  /** UTF-16 index in `text` where a 0-based line (of the text as written) starts; `text.length` past the end. */
  lineStartIndex(line: number): number {
    if (this.written) return this.origin!.fromOriginal(this.written.lineStartIndex(line));
    return this.lineStartChars[line] ?? this.text.length;
  }

  private buildByteMap(): Uint32Array {
    const map = new Uint32Array(Buffer.byteLength(this.text, 'utf8') + 1);
    let bytes = 0;
    for (let i = 0; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      const width = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
      // every byte of a character maps to its start, so an offset inside one is still safe
      map.fill(i, bytes, bytes + width);
      bytes += width;
      if (width === 4) i++;
    }
    map[bytes] = this.text.length;
    return map;
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Code points in `s.slice(start, end)`, without building the slice. */
function countCodePoints(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
    n++;
  }
  return n;
}
