import type { ScanToken } from 'libpg-query';
import { assertParserLoaded, scanSqlTokens } from '../sql/parse.js';
import type { ParsedSql } from '../sql/parse.js';
import { skipSpaceAndComments, type CommentKind } from '../sql/lex.js';
import { SourceText } from '../sql/source-text.js';

/** `-- pgdrift-ignore <rule>[, <rule>]: <reason>` (next statement) or `-- pgdrift-ignore-file ...` (whole file). */
export interface Suppression {
  scope: 'statement' | 'file';
  rules: string[];
  reason?: string;
  line: number;
  column: number;
  /** UTF-8 byte offset of the end of the comment: the suppression covers the first statement starting after it */
  byteEnd: number;
}

export interface HeaderField {
  value: string;
  line: number;
  /** column of the value */
  column: number;
}

/** The Helios header template, read from the comment tokens before the first SQL token. */
export interface LintHeader {
  migration?: HeaderField & { number: string; title: string };
  purpose?: HeaderField;
  created?: HeaderField;
  /** comment lines at the top of the file (whatever they say) */
  commentLines: number;
}

export interface LintComments {
  source: SourceText;
  /** libpg-query scanner tokens of the whole file (scanned on first use); undefined when the scanner refuses the text */
  tokens(): ScanToken[] | undefined;
  suppressions: Suppression[];
  header: LintHeader;
}

const SUPPRESSION = /^--\s*pgdrift-ignore(-file)?(?=\s|$)\s*([^:]*?)\s*(?::\s*(.*?))?\s*$/;
const MIGRATION_FIELD = /^--\s*Migration\s+(\d+[a-zA-Z]*)\s*:\s*(.*?)\s*$/i;
const PURPOSE_FIELD = /^--\s*Purpose\s*:\s*(.*?)\s*$/i;
const CREATED_FIELD = /^--\s*Created\s*:\s*(.*?)\s*$/i;

/**
 * Reads the header and the suppressions from the file's comments (comments are tokens, so no regex over SQL).
 * Scanning costs about as much as parsing, so only what is needed is scanned: for a file that parses, the header
 * is the run of comments before the first token (skipped like the scanner does, see sql/lex.ts); the whole file
 * is scanned only when it mentions pgdrift-ignore, when it does not parse, or when a rule asks for tokens.
 */
export function readComments(text: string, file: string, parsed?: ParsedSql): LintComments {
  const source = parsed?.source ?? new SourceText(text, file);
  let all: ScanToken[] | undefined | null = null;
  const tokens = () => {
    if (all === null) all = parsed ? parsed.tokens : scan(text);
    return all;
  };
  const header: LintHeader = { commentLines: 0 };
  const readHeaderComment = (kind: CommentKind, commentText: string, position: { line: number; column: number }) => {
    if (kind !== 'SQL_COMMENT') return;
    header.commentLines++;
    readHeaderField(header, commentText.trim(), position.line, position.column);
  };
  if (parsed) {
    // The text parsed, so the scanner accepts it: the header is the run of comments before the first token,
    // found by skipping whitespace and comments (UTF-16 indexes here), without scanning the whole file.
    skipSpaceAndComments(text, 0, (kind, start, end) => readHeaderComment(kind, text.slice(start, end), source.positionOfIndex(start)));
  } else {
    for (const token of tokens() ?? []) {
      if (token.tokenName !== 'SQL_COMMENT' && token.tokenName !== 'C_COMMENT') break;
      readHeaderComment(token.tokenName, token.text, source.positionOfByte(token.start));
    }
  }
  const suppressions: Suppression[] = [];
  if (text.includes('pgdrift-ignore')) {
    for (const token of tokens() ?? []) {
      if (token.tokenName !== 'SQL_COMMENT') continue;
      const m = SUPPRESSION.exec(token.text.trim());
      if (!m) continue;
      const position = source.positionOfByte(token.start);
      const rules = m[2]
        .split(/[,\s]+/)
        .map((r) => r.trim())
        .filter(Boolean);
      const reason = m[3]?.trim() || undefined;
      suppressions.push({ scope: m[1] ? 'file' : 'statement', rules, reason, line: position.line, column: position.column, byteEnd: token.end });
    }
  }
  return { source, tokens, suppressions, header };
}

function scan(text: string): ScanToken[] | undefined {
  assertParserLoaded(); // else the catch below would read "not loaded" as "does not scan" and drop the suppressions
  try {
    return scanSqlTokens(text);
  } catch {
    return undefined;
  }
}

function readHeaderField(header: LintHeader, text: string, line: number, column: number): void {
  let m: RegExpExecArray | null;
  if (!header.migration && (m = MIGRATION_FIELD.exec(text))) {
    header.migration = { number: m[1], title: m[2], value: m[1], line, column: column + text.indexOf(m[1], 2) };
  } else if (!header.purpose && (m = PURPOSE_FIELD.exec(text))) {
    header.purpose = { value: m[1], line, column: column + valueOffset(text, m[1]) };
  } else if (!header.created && (m = CREATED_FIELD.exec(text))) {
    header.created = { value: m[1], line, column: column + valueOffset(text, m[1]) };
  }
}

function valueOffset(text: string, value: string): number {
  if (value === '') return text.length;
  return text.indexOf(value, text.indexOf(':') + 1);
}

/** Statement text with comments dropped and tokens joined by one space: stable under re-indentation (for baselines). */
export function normalizedStatementText(statementText: string): string {
  const tokens = scan(statementText);
  if (!tokens) return statementText.replace(/\s+/g, ' ').trim();
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue;
    parts.push(token.keywordKind !== 0 ? token.text.toLowerCase() : token.text);
  }
  return parts.join(' ');
}
