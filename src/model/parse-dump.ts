import { parseSync } from 'libpg-query';
import { parseSql, SqlSyntaxError } from '../sql/parse.js';

/** The part of a parsed statement the model needs. */
export interface DumpStatement {
  kind: string;
  node: any;
  ast: any;
  text: string;
  line: number;
}

/**
 * Fast statement split for pg_dump output: one libpg-query parse, no token scan (the scan costs more than the
 * parse on a large dump). Only pg_dump's own psql lines (`\restrict`, `\unrestrict`, `\connect`) are blanked.
 * On a syntax error it defers to parseSql for the exact file:line:column. Call `await loadSqlParser()` first.
 */
export function parseDumpStatements(text: string, file: string): DumpStatement[] {
  const blanked = text.replace(/^\\(?:un)?restrict\b.*$|^\\connect\b.*$/gm, (line) => ' '.repeat(line.length));
  if (blanked.trim() === '') return [];
  const raws = parseInChunks(blanked);
  if (!raws) {
    parseSql(text, file); // throws the positioned SqlSyntaxError
    throw new SqlSyntaxError(file, 1, 1, 'syntax error');
  }
  const bytes = Buffer.from(blanked, 'utf8');
  const lineStarts: number[] = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lineStarts.push(i + 1);
  const lineOf = (byte: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= byte) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return raws.map((raw: any) => {
    const rawStart: number = raw.stmt_location ?? 0;
    const rawEnd = raw.stmt_len ? rawStart + raw.stmt_len : bytes.length;
    const start = skipSpaceAndComments(bytes, rawStart, rawEnd);
    const kind = Object.keys(raw.stmt)[0];
    return {
      kind,
      node: raw.stmt,
      ast: raw.stmt[kind],
      text: bytes.subarray(start, rawEnd).toString('utf8').replace(/[\s;]+$/, ''),
      line: lineOf(start),
    };
  });
}

const CHUNK_CHARS = 32_000;

/**
 * Parses the text in chunks cut before pg_dump's `-- Name:` headers, with statement locations made relative to the
 * whole text. One big parse runs entirely in V8's baseline WASM tier (about 3x slower on a cold process); chunks
 * let the optimized code take over after the first few. A chunk that does not parse alone (a header-like line
 * inside a function body) is merged with the next. Undefined when the text does not parse.
 */
function parseInChunks(text: string): any[] | undefined {
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
  const statements: any[] = [];
  let byteBase = 0;
  let start = 0;
  for (let i = 1; i < cuts.length; i++) {
    const chunk = text.slice(start, cuts[i]);
    let result: any;
    try {
      result = parseSync(chunk);
    } catch (error: any) {
      if (/cannot be empty/i.test(String(error?.message))) result = { stmts: [] };
      else if (i < cuts.length - 1) continue; // merge with the next chunk
      else return undefined;
    }
    for (const raw of result.stmts ?? []) {
      statements.push({ ...raw, stmt_location: byteBase + (raw.stmt_location ?? 0) });
    }
    const last = statements[statements.length - 1];
    const chunkBytes = Buffer.byteLength(chunk, 'utf8');
    // the last statement of a chunk runs to the chunk's end: give it an explicit length
    if (last && (result.stmts ?? []).length > 0 && !last.stmt_len) last.stmt_len = byteBase + chunkBytes - last.stmt_location;
    byteBase += chunkBytes;
    start = cuts[i];
  }
  return statements;
}

function skipSpaceAndComments(bytes: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = bytes[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c) i++;
    else if (c === 0x2d && bytes[i + 1] === 0x2d) {
      while (i < end && bytes[i] !== 0x0a) i++;
    } else if (c === 0x2f && bytes[i + 1] === 0x2a) {
      const close = bytes.indexOf('*/', i + 2);
      i = close < 0 || close >= end ? end : close + 2;
    } else break;
  }
  return i;
}
