import type { ExecutionPart } from '../../runners/types.js';
import type { ParsedStatement } from '../../sql/parse.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'transaction-control',
  scope: 'statement',
  description: 'BEGIN / COMMIT / ROLLBACK / SAVEPOINT inside a migration',
  defaultSeverity: 'warning',
  docs: 'The runner owns the transaction: a COMMIT in the middle of a file makes a failure leave half a migration applied.',
  check({ file, statement, options, parsed, fileState, report }) {
    if (statement.kind !== 'TransactionStmt') return;
    // A runner that opens no transaction of its own (golang-migrate, Prisma, the numbered runner or psql -f): a BEGIN
    // first and a COMMIT last make the whole file one transaction, as golang-migrate's Postgres tutorial tells users to
    // write ("Database transactions"; with x-multi-statement it is the only way): nothing to report.
    const statements = parsed.statements;
    const first = statements[0];
    const last = statements[statements.length - 1];
    if ((statement === first || statement === last) && wholeFileTransaction(file.migration.parts, first, last)) return;
    if (oneQueryStaysOneTransaction(file.migration.parts, statements)) return;
    // A runner that runs each statement on its own (Sqitch's `psql --file`, dbmate `transaction:false`): a block the
    // file opens and closes is the only way to group its statements (`sqitch add` writes BEGIN … COMMIT around every
    // script), and a CONCURRENTLY after the COMMIT is how it runs one. Only a BEGIN left open to the end of the file
    // is a defect: the session ends with the transaction open, and its work is rolled back.
    if (statementByStatement(file.migration.parts)) {
      // a script cut at a psql include (ExecutionPart.continued) goes on in the next file: its COMMIT may be there
      if (!opensBlock(statement) || closedLater(statements, statement) || file.migration.parts?.some((part) => part.continued)) return;
      const word = statement.text.split(/\s+/, 1)[0].toUpperCase();
      report({
        message: `${word} without a COMMIT later in the file: the runner commits each statement on its own and opens no transaction, so this one is still open when the script ends, and its work is rolled back`,
        help: 'end the block with COMMIT before the end of the file',
      });
      return;
    }
    // Prisma writes `-- AlterEnum` then BEGIN ... COMMIT around the enum changes it generates (prisma-engines' migration
    // connector): its own SQL, which the file is not the place to change; the block it opens is left alone too.
    const prisma = fileState(() => ({ inGeneratedBlock: false }));
    if (options.runner?.name === 'prisma') {
      const kind = statement.ast.kind;
      if ((kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') && previousLine(parsed.source, statement.line) === '-- AlterEnum') {
        prisma.inGeneratedBlock = true;
        return;
      }
      if (prisma.inGeneratedBlock && kind === 'TRANS_STMT_COMMIT') {
        prisma.inGeneratedBlock = false;
        return;
      }
    }
    const word = statement.text.split(/\s+/, 1)[0].toUpperCase();
    const semantics = options.runner?.lint.transactions ?? 'the runner sends each file as one query, which Postgres runs as one implicit transaction';
    report({
      message: `${word} inside a migration: ${semantics}`,
      // the runner's own way out (Prisma has no transaction and no directive to name: field baptisteArno/typebot.io)
      help: `remove the transaction statements, so the file runs as one transaction; for a statement that must run outside one: ${options.runner?.lint.outsideTransaction ?? "split the file and use the runner's own opt-out directive"}`,
    });
  },
});

/** Every part of the file runs statement by statement, each committed on its own (no transaction of the runner's). */
function statementByStatement(parts: readonly ExecutionPart[] | undefined): boolean {
  return parts !== undefined && parts.length > 0 && parts.every((part) => part.transaction === 'none');
}

/** BEGIN or START TRANSACTION. */
function opensBlock(statement: ParsedStatement): boolean {
  return statement.kind === 'TransactionStmt' && (statement.ast.kind === 'TRANS_STMT_BEGIN' || statement.ast.kind === 'TRANS_STMT_START');
}

/** A COMMIT, END or ROLLBACK after `statement` in the file. */
function closedLater(statements: readonly ParsedStatement[], statement: ParsedStatement): boolean {
  return statements.some((s) => s.index > statement.index && s.kind === 'TransactionStmt' && (s.ast.kind === 'TRANS_STMT_COMMIT' || s.ast.kind === 'TRANS_STMT_ROLLBACK'));
}

/** The nearest non-blank line above `line` (1-based), trimmed. */
function previousLine(source: { lineText(line: number): string }, line: number): string | undefined {
  for (let n = line - 1; n >= 1; n--) {
    const text = source.lineText(n).trim();
    if (text !== '') return text;
  }
  return undefined;
}

/** BEGIN / START TRANSACTION first and COMMIT / END last, in a file the runner does not wrap in a transaction. */
function wholeFileTransaction(parts: readonly ExecutionPart[] | undefined, first: ParsedStatement | undefined, last: ParsedStatement | undefined): boolean {
  if (!first || !last || first === last || last.kind !== 'TransactionStmt') return false;
  return opensBlock(first) && last.ast.kind === 'TRANS_STMT_COMMIT' && (parts ?? []).every((part) => part.transaction !== 'wrapped');
}

/**
 * A file sent as ONE query (golang-migrate, Prisma) whose only transaction statements are a COMMIT last and at most
 * one BEGIN before it: Postgres runs the statements before the BEGIN in the same implicit transaction, which the BEGIN
 * turns into an explicit one, and a COMMIT with no BEGIN commits that implicit transaction (protocol docs, "Multiple
 * Statements in a Simple Query"; checked on Postgres 15: `CREATE TABLE t1(); BEGIN; CREATE TABLE t2(); SELECT 1/0;
 * COMMIT;` leaves neither table). A failure still leaves nothing applied. Field: reportportal/migrations
 * 1_initialize_schema.up.sql ends in a lone COMMIT; hyperledger/firefly 000001 starts CREATE EXTENSION ...; BEGIN;.
 */
function oneQueryStaysOneTransaction(parts: readonly ExecutionPart[] | undefined, statements: readonly ParsedStatement[]): boolean {
  if (!parts || parts.length !== 1 || parts[0].transaction !== 'implicit') return false;
  const control = statements.filter((s) => s.kind === 'TransactionStmt');
  const last = statements[statements.length - 1];
  if (control.length === 0 || control[control.length - 1] !== last || last.kind !== 'TransactionStmt' || last.ast.kind !== 'TRANS_STMT_COMMIT') return false;
  const opening = control.slice(0, -1);
  return opening.length === 0 || (opening.length === 1 && opensBlock(opening[0]));
}
