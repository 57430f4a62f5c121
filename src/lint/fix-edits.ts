import type { ScanToken } from 'libpg-query';
import type { ParsedStatement } from '../sql/parse.js';
import type { ParsedSql, ParsedStatement as Statement } from '../sql/parse.js';
import type { Fix, LintFile, TextEdit } from './define-rule.js';

/** Helpers that place `--fix` edits by the scanner's tokens (never by searching the text). */

/** The statement's code tokens (comments dropped), in order. */
export function statementTokens(file: LintFile, statement: ParsedStatement): ScanToken[] {
  const all = file.comments.tokens() ?? [];
  return all.filter((t) => t.start >= statement.byteStart && t.end <= statement.byteEnd && t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
}

const word = (token: ScanToken | undefined) => token?.text.toUpperCase();

/**
 * Matches the statement's first tokens against `pattern` (keywords; a trailing `?` makes one optional, `A|B`
 * offers choices) and returns the byte offset after the last matched token, or undefined when it does not match.
 */
export function endOfLeadingWords(tokens: readonly ScanToken[], pattern: readonly string[]): number | undefined {
  let i = 0;
  let end: number | undefined;
  for (const part of pattern) {
    const optional = part.endsWith('?');
    const choices = (optional ? part.slice(0, -1) : part).split('|');
    if (choices.includes(word(tokens[i]) ?? '')) {
      end = tokens[i].end;
      i++;
    } else if (!optional) {
      return undefined;
    }
  }
  return end;
}

export function insertAt(byte: number | undefined, text: string): TextEdit[] | undefined {
  return byte === undefined ? undefined : [{ start: byte, end: byte, text }];
}

/** The identifier a token spells, as Postgres folds it. */
export function identifierOf(token: ScanToken): string {
  return token.text.startsWith('"') ? token.text.slice(1, -1).replace(/""/g, '"') : token.text.toLowerCase();
}

/** The byte after `DROP [COLUMN|CONSTRAINT]` where the next token names `name` (for ALTER TABLE ... DROP ...). */
export function endOfDropKeyword(tokens: readonly ScanToken[], kind: 'COLUMN' | 'CONSTRAINT', name: string): number | undefined {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (word(tokens[i]) !== 'DROP') continue;
    let j = i + 1;
    if (word(tokens[j]) === kind) j++;
    else if (kind === 'CONSTRAINT') continue;
    if (tokens[j] && word(tokens[j]) !== 'IF' && identifierOf(tokens[j]) === name) return tokens[j - 1].end;
  }
  return undefined;
}

/**
 * Adds CONCURRENTLY after `words`, only where it can run: outside a transaction block, which the engine decides from
 * the runner (a wrapped part, or an implicit one holding several statements: Postgres runs a multi-statement query
 * string as one implicit transaction, where CONCURRENTLY fails, see test/integration/lint-concurrently-postgres.test.ts).
 */
export function concurrentlyFix(file: LintFile, _parsed: ParsedSql, statement: Statement, inTransaction: boolean, words: string[]): Fix | undefined {
  if (inTransaction) return undefined;
  return { title: 'add CONCURRENTLY', edits: () => insertAt(endOfLeadingWords(statementTokens(file, statement), words), ' CONCURRENTLY') };
}

/**
 * `timestamp[(p)] [without time zone]` → `timestamptz[(p)]`, for the type written at `location`; undefined when the
 * tokens there are not that shape (e.g. pg_catalog.timestamp).
 */
export function timestamptzEdits(file: LintFile, location: number | undefined): TextEdit[] | undefined {
  const tokens = (file.comments.tokens() ?? []).filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  const i = tokens.findIndex((t) => t.start === location);
  if (i < 0 || word(tokens[i]) !== 'TIMESTAMP') return undefined;
  const edits: TextEdit[] = [{ start: tokens[i].start, end: tokens[i].end, text: 'timestamptz' }];
  let j = i + 1;
  if (tokens[j]?.text === '(') {
    while (j < tokens.length && tokens[j].text !== ')') j++;
    j++;
  }
  if (word(tokens[j]) === 'WITHOUT' && word(tokens[j + 1]) === 'TIME' && word(tokens[j + 2]) === 'ZONE') {
    edits.push({ start: tokens[j - 1].end, end: tokens[j + 2].end, text: '' });
  }
  return edits;
}
