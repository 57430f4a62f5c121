import { parseSync, type ScanToken } from 'libpg-query';
import { loadSqlParser, scanSqlTokens } from './parse.js';
import { NEWER_KEYWORDS } from './newer-keywords.js';
import { SourceText } from './source-text.js';

/**
 * The text of a dump an older pg_dump wrote, made readable by the Postgres 18 grammar pgdrift parses every dump with.
 * pg_dump quotes an identifier only when its own major knows the word as a keyword (fmtId → ScanKeywordLookup), so
 * pg_dump 15 writes a table named `system_user` bare (`system_user.is_superadmin` in a policy it deparses), and a
 * function parameter or RETURNS TABLE column named `json` bare: SQL Postgres 15 reads, which 16+ refuses
 * (newer-keywords.ts). Such a dump came from `--engine server` on a Postgres 15 server, `diff` of a Postgres 15
 * database, or a committed `supabase db dump` of a Postgres 15 project: it failed as "syntax error at or near" where
 * the server had read it fine (field: cleinerfaria/monorepo_synia, a `public.system_user` table and its policies,
 * replayed with --engine server on Postgres 15).
 *
 * Only a dump whose header names a pg_dump older than the word's keyword major is touched, and only where the
 * grammar refuses it: `system_user` (reserved since 16: no bare use is valid) everywhere it stands bare, another word
 * where the parse stops at it or right after it. The word is double-quoted, which every major reads as the same
 * identifier (the dumping major did not know it as a keyword), so the schema is the same. Newlines are kept, so
 * every line number still points into the file. The text comes back as it was when nothing applies, and as far as
 * it got when what stops the parse is not one of those words (the caller reports that error as before). The SQL
 * parser must be loaded (loadSqlParser).
 */
export function readableOlderDump(text: string): string {
  const words = wordsToQuote(text);
  if (!words) return text;
  let current = text;
  // reserved: every bare use fails, so all of them at once (one scan, not one parse per use)
  if (words.has('system_user')) current = quoted(current, bareKeywords(current, new Set(['system_user'])));
  // the others name a column or a type as before: only where the parse stops (each fix moves the stop further on)
  for (let attempt = 0; attempt < MAX_FIXES; attempt++) {
    const stop = parseStop(current);
    if (stop === undefined) return current;
    const token = wordAtStop(current, stop, words);
    if (!token) return current;
    current = quoted(current, [token]);
  }
  return current;
}

/** readableOlderDump for a caller that may not have loaded the SQL parser: loaded only when a dump needs it. */
export async function readableOlderDumpText(text: string): Promise<string> {
  if (!wordsToQuote(text)) return text;
  await loadSqlParser();
  return readableOlderDump(text);
}

/** The newer keywords the text's pg_dump did not know, when the text uses any of them; else undefined (a cheap test). */
function wordsToQuote(text: string): Set<string> | undefined {
  const major = dumpingMajor(text);
  if (major === undefined) return undefined;
  const words = new Set(Object.keys(NEWER_KEYWORDS).filter((word) => NEWER_KEYWORDS[word] > major));
  return words.size > 0 && new RegExp(`\\b(?:${[...words].join('|')})\\b`, 'i').test(text) ? words : undefined;
}

/** Enough for any real dump; each fix costs one parse of the whole text. */
const MAX_FIXES = 200;

/** The major of the pg_dump that wrote the text (its header), when older than the grammar's. */
function dumpingMajor(text: string): number | undefined {
  const match = /^-- Dumped by pg_dump version (\d+)/m.exec(text);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major < 17 ? major : undefined;
}

/** pg_dump's psql lines, blanked for the parser (same length, so offsets hold). */
function parseable(text: string): string {
  return text.replace(/^\\(?:un)?restrict\b.*$|^\\connect\b.*$/gm, (line) => ' '.repeat(line.length));
}

/** The UTF-16 index where the parser stopped, or undefined when the text parses. */
function parseStop(text: string): number | undefined {
  try {
    parseSync(parseable(text));
    return undefined;
  } catch (error) {
    const cursor = (error as { sqlDetails?: { cursorPosition?: number } } | undefined)?.sqlDetails?.cursorPosition;
    return typeof cursor === 'number' ? new SourceText(text, 'dump').indexOfCodePoint(cursor) : undefined;
  }
}

interface WordToken {
  /** UTF-16 range in the text */
  start: number;
  end: number;
}

/** The bare keyword token among `words` at the stop or right before it (`f(json jsonb)` stops at jsonb). */
function wordAtStop(text: string, stop: number, words: ReadonlySet<string>): WordToken | undefined {
  const source = new SourceText(text, 'dump');
  const tokens = codeTokens(text);
  let at = -1;
  for (let i = 0; i < tokens.length && source.indexOfByte(tokens[i].start) <= stop; i++) at = i;
  for (const i of [at, at - 1]) {
    const token = tokens[i];
    if (token && isBareWord(token, words)) return { start: source.indexOfByte(token.start), end: source.indexOfByte(token.end) };
  }
  return undefined;
}

function bareKeywords(text: string, words: ReadonlySet<string>): WordToken[] {
  const source = new SourceText(text, 'dump');
  return codeTokens(text)
    .filter((token) => isBareWord(token, words))
    .map((token) => ({ start: source.indexOfByte(token.start), end: source.indexOfByte(token.end) }));
}

/** Tokens other than comments (a quoted identifier or a string is one token whose text starts with its quote). */
function codeTokens(text: string): ScanToken[] {
  try {
    return scanSqlTokens(text).filter((token) => !token.text.startsWith('--') && !token.text.startsWith('/*'));
  } catch {
    return [];
  }
}

function isBareWord(token: ScanToken, words: ReadonlySet<string>): boolean {
  return token.keywordKind !== 0 && words.has(token.text.toLowerCase());
}

function quoted(text: string, tokens: readonly WordToken[]): string {
  let out = '';
  let last = 0;
  for (const token of [...tokens].sort((a, b) => a.start - b.start)) {
    out += `${text.slice(last, token.start)}"${text.slice(token.start, token.end).toLowerCase()}"`;
    last = token.end;
  }
  return out + text.slice(last);
}
