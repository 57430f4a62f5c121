import { scanSync, type ScanToken } from 'libpg-query';
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
  /** libpg-query scanner tokens; undefined when the scanner refused the text (unterminated quote or comment) */
  tokens?: ScanToken[];
  suppressions: Suppression[];
  header: LintHeader;
}

const SUPPRESSION = /^--\s*pgdrift-ignore(-file)?(?=\s|$)\s*([^:]*?)\s*(?::\s*(.*?))?\s*$/;
const MIGRATION_FIELD = /^--\s*Migration\s+(\d+[a-zA-Z]*)\s*:\s*(.*?)\s*$/i;
const PURPOSE_FIELD = /^--\s*Purpose\s*:\s*(.*?)\s*$/i;
const CREATED_FIELD = /^--\s*Created\s*:\s*(.*?)\s*$/i;

/** Reads suppressions and the header from the scanner's comment tokens (comments are tokens, so no regex over SQL). */
export function readComments(text: string, file: string): LintComments {
  const source = new SourceText(text, file);
  let tokens: ScanToken[] | undefined;
  try {
    tokens = scanSync(text).tokens;
  } catch {
    tokens = undefined;
  }
  const suppressions: Suppression[] = [];
  const header: LintHeader = { commentLines: 0 };
  let beforeFirstCode = true;
  for (const token of tokens ?? []) {
    const isLineComment = token.tokenName === 'SQL_COMMENT';
    if (!isLineComment && token.tokenName !== 'C_COMMENT') {
      beforeFirstCode = false;
      continue;
    }
    if (!isLineComment) continue;
    const commentText = token.text.trim();
    const position = source.positionOfByte(token.start);
    if (beforeFirstCode) {
      header.commentLines++;
      readHeaderField(header, commentText, position.line, position.column);
    }
    const m = SUPPRESSION.exec(commentText);
    if (m) {
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
export function normalizedStatementText(tokens: ScanToken[] | undefined, byteStart: number, byteEnd: number, fallback: string): string {
  if (!tokens) return fallback.replace(/\s+/g, ' ').trim();
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.start < byteStart) continue;
    if (token.start >= byteEnd) break;
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue;
    parts.push(token.keywordKind !== 0 ? token.text.toLowerCase() : token.text);
  }
  return parts.join(' ');
}
