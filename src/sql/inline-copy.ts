import { parseSqlOrUndefined, type ParsedStatement } from './parse.js';
import type { TextOrigin } from './source-text.js';

/**
 * The `COPY ... FROM STDIN` that ends just before `line`, when a parse error at `line` is the rows that follow it in
 * the file (pg_dump writes table data that way). psql reads the lines after such a COPY as its data, up to a `\.`
 * line, and sends them through the COPY protocol (Flyway too: PostgreSQLParser readCopyData); pgdrift sends SQL as
 * queries and cannot feed a COPY its rows. Found with the parser: the text before `line` must parse and end with that
 * COPY; anything else is left to the syntax error.
 */
export function inlineCopyBefore(text: string, file: string, line: number, origin?: TextOrigin): ParsedStatement | undefined {
  if (line <= 1) return undefined;
  // `line` counts in the text as written; with a substitution (Flyway's placeholders) the parsed text is cut where
  // that line starts in it, and positions come back in the written text
  const written = origin?.text ?? text;
  const lineStart = written.split('\n').slice(0, line - 1).join('\n').length;
  const before = text.slice(0, origin ? origin.fromOriginal(lineStart) : lineStart);
  const statements: ParsedStatement[] | undefined = parseSqlOrUndefined(before, file, origin)?.statements;
  if (!statements) return undefined;
  const last = statements.at(-1);
  if (!last || last.kind !== 'CopyStmt') return undefined;
  const copy = last.ast;
  // FROM STDIN: a COPY that reads, with neither a file name nor a PROGRAM
  return copy.is_from && !copy.is_program && copy.filename === undefined ? last : undefined;
}

export const INLINE_COPY_HINT =
  'for a baseline, dump the schema only (pg_dump --schema-only); rows a migration needs can be INSERT statements (pg_dump --inserts), or be loaded outside the migrations';

export function inlineCopyMessage(copy: ParsedStatement): string {
  return `${copy.text.split('\n')[0].trim()}: its rows follow it in the file (as pg_dump writes table data), which only psql and Flyway load, through the COPY protocol (a driver's query fails on them); pgdrift replays SQL as queries and cannot replay inline COPY data`;
}
