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

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStartChars.push(i + 1);
    let hasAstral = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        hasAstral = true;
        break;
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

  /** UTF-16 index of a 0-based UTF-8 byte offset. */
  indexOfByte(byteOffset: number): number {
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
    let lo = 0;
    let hi = this.lineStartChars.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStartChars[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.lineStartChars[lo];
    return { line: lo + 1, column: countCodePoints(this.text.slice(lineStart, index)) + 1 };
  }

  positionOfByte(byteOffset: number): { line: number; column: number } {
    return this.positionOfIndex(this.indexOfByte(byteOffset));
  }

  positionOfCodePoint(codePoint: number): { line: number; column: number } {
    return this.positionOfIndex(this.indexOfCodePoint(codePoint));
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const start = this.lineStartChars[line - 1] ?? this.text.length;
    const end = this.lineStartChars[line] ?? this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }

  get lineCount(): number {
    return this.lineStartChars.length;
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

function countCodePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
    n++;
  }
  return n;
}
