import { endsWithSemicolon } from './goose-sqlparser.js';
import type { PlanProblem } from './types.js';

/**
 * sql-migrate's reading of a migration file: a port of rubenv/sql-migrate@563a2f0 sqlparse/sqlparse.go
 * `ParseMigration`, kept to what `sql-migrate up` needs. It does not parse SQL: it reads the file line by line
 * (bufio.Scanner), and
 * - drops every line that starts with `-- ` but not `-- +` (a comment, even inside a function body), and every line
 *   that starts with `-- +` (its own commands, any other tool's `-- +goose ...` too); all other lines are written to the
 *   statement being built, `--comment` (no space) and indented comments included;
 * - reads a line that starts with `-- +migrate ` as a command: `Up` / `Down` switch the section (the Up sections
 *   run, several of them if the file switches back), `Up notransaction` runs the migration without a transaction,
 *   `StatementBegin` / `StatementEnd` make it ignore line-ending `;` in between; an unknown word is ignored (the
 *   commands are case-sensitive), no word at all is an error;
 * - ignores every line before the first Up or Down;
 * - ends a statement at a line whose last word before `--` ends with `;` (the same test goose's parser makes,
 *   goose-sqlparser.ts), or at a StatementEnd;
 * - refuses a file without any Up or Down command, a StatementBegin never ended, and unfinished text (no `;`) when
 *   a section starts or the file ends. The Down section is read too: what it refuses fails `sql-migrate up`.
 */

/** One statement as sql-migrate sends it: lines [startLine, endLine), 0-based, less the lines it drops (`dropped`). */
export interface SqlMigrateStatement {
  startLine: number;
  endLine: number;
}

export interface SqlMigrateFile {
  /** the Up statements in order (empty ones, of a StatementBegin/End block with nothing in it, left out) */
  statements: SqlMigrateStatement[];
  /** lines (0-based) inside the statements' ranges that sql-migrate does not send: `-- ` comments and `-- +` lines */
  dropped: number[];
  /** `-- +migrate Up notransaction` */
  noTransaction: boolean;
  /** the file has an Up command (without one, `up` runs nothing of it and records it as applied) */
  hasUp: boolean;
}

export const SQL_MIGRATE_PREFIX = '-- +migrate ';
const SEE = 'see https://github.com/rubenv/sql-migrate#writing-migrations';
const NO_TERMINATOR = 'the last statement must be ended by a semicolon or \'-- +migrate StatementEnd\' marker (sql-migrate: "ERROR: The last statement must be ended by a semicolon or \'-- +migrate StatementEnd\' marker.")';

export function parseSqlMigrate(text: string): { file: SqlMigrateFile; problem?: undefined } | { file?: undefined; problem: PlanProblem } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // bufio.Scanner yields no line after the last newline
  const refuse = (index: number, message: string, hint?: string) => ({ problem: { message: `sql-migrate: ${message}`, line: index + 1, column: 1, ...(hint ? { hint } : {}) } });
  let direction: 'none' | 'up' | 'down' = 'none';
  let ignoreSemicolons = false;
  let statementEnded = false;
  let noTransaction = false;
  let hasUp = false;
  let blockStart = 0;
  const statements: SqlMigrateStatement[] = [];
  const dropped: number[] = [];
  /** the statement buffer: lines written to it, and the first of them with text (strings.TrimSpace(buf) != "") */
  let written: number[] = [];
  let firstText: number | undefined;
  /** lines dropped since the buffer was last reset */
  let droppedHere: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, ''); // bufio.ScanLines drops a \r before the newline
    if (line.startsWith('-- ') && !line.startsWith('-- +')) {
      droppedHere.push(i);
      continue;
    }
    if (line.startsWith(SQL_MIGRATE_PREFIX)) {
      const fields = line.slice(SQL_MIGRATE_PREFIX.length).split(GO_SPACE).filter((word) => word !== '');
      if (fields.length === 0) return refuse(i, 'incomplete migration command (sql-migrate: "ERROR: incomplete migration command")', `write one of: ${SQL_MIGRATE_PREFIX}Up, Down, StatementBegin, StatementEnd`);
      switch (fields[0]) {
        case 'Up':
        case 'Down':
          if (firstText !== undefined) return refuse(firstText, NO_TERMINATOR, 'end the statement with ;');
          direction = fields[0] === 'Up' ? 'up' : 'down';
          if (direction === 'up') {
            hasUp = true;
            if (fields.slice(1).includes('notransaction')) noTransaction = true;
          }
          break;
        case 'StatementBegin':
          if (direction !== 'none') {
            ignoreSemicolons = true;
            blockStart = i;
          }
          break;
        case 'StatementEnd':
          if (direction !== 'none') {
            statementEnded = ignoreSemicolons;
            ignoreSemicolons = false;
          }
          break;
      }
    }
    if (direction === 'none') continue;
    if (line.startsWith('-- +')) droppedHere.push(i);
    else {
      written.push(i);
      if (firstText === undefined && trimSpace(line) !== '') firstText = i;
    }
    if ((!ignoreSemicolons && endsWithSemicolon(line)) || statementEnded) {
      statementEnded = false;
      if (direction === 'up' && firstText !== undefined) {
        const startLine = written[0];
        statements.push({ startLine, endLine: i + 1 });
        dropped.push(...droppedHere.filter((n) => n > startLine));
      }
      written = [];
      droppedHere = [];
      firstText = undefined;
    }
  }
  if (ignoreSemicolons) return refuse(blockStart, "saw '-- +migrate StatementBegin' with no matching '-- +migrate StatementEnd'", 'add -- +migrate StatementEnd after the statement');
  if (direction === 'none') {
    const near = lines.findIndex((line) => /^\s*--\s*\+\s*migrate\s+(up|down)\b/i.test(line));
    return refuse(
      near >= 0 ? near : 0,
      'no Up/Down annotations found, so no statements were executed (sql-migrate: "ERROR: no Up/Down annotations found")',
      near >= 0 ? `sql-migrate reads a command only from a line that starts exactly with "${SQL_MIGRATE_PREFIX}" followed by Up or Down, case-sensitive` : SEE,
    );
  }
  if (firstText !== undefined) return refuse(firstText, NO_TERMINATOR, 'end the statement with ;');
  return { file: { statements, dropped: [...new Set(dropped)].sort((a, b) => a - b), noTransaction, hasUp } };
}

/** Go's unicode.IsSpace (strings.Fields, strings.TrimSpace): JavaScript's \s without U+FEFF, with U+0085. */
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_SPACE = new RegExp(`[${SPACE}]+`);
const GO_TRIM = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');

function trimSpace(text: string): string {
  return text.replace(GO_TRIM, '');
}
