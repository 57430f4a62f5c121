import { nodeAs, nodesAs } from './ast.js';
import type { ExecutionPart } from '../runners/types.js';
import type { ParsedStatement } from './parse.js';

/**
 * Statements Postgres refuses inside a transaction block (PreventInTransactionBlock), which a runner's transaction,
 * a BEGIN in the file or a multi-statement query all are.
 */

/** The CONCURRENTLY form a statement uses that Postgres forbids in a transaction block (REFRESH ... CONCURRENTLY is allowed). */
export function concurrentForm(statement: ParsedStatement): string | undefined {
  switch (statement.kind) {
    case 'IndexStmt':
      return statement.ast.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return statement.ast.concurrent && statement.ast.removeType === 'OBJECT_INDEX' ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      return nodesAs(statement.ast.params, 'DefElem').some((option) => option.defname === 'concurrently') ? 'REINDEX CONCURRENTLY' : undefined;
    case 'AlterTableStmt':
      return statement.ast.objtype === 'OBJECT_TABLE' && nodesAs(statement.ast.cmds, 'AlterTableCmd').some((c) => c.subtype === 'AT_DetachPartition' && nodeAs(c.def, 'PartitionCmd')?.concurrent)
        ? 'DETACH PARTITION CONCURRENTLY'
        : undefined;
    default:
      return undefined;
  }
}

/** Any statement Postgres refuses in a transaction block: the CONCURRENTLY forms, VACUUM, CREATE/DROP DATABASE... */
export function outsideTransactionForm(statement: ParsedStatement): string | undefined {
  const concurrent = concurrentForm(statement);
  if (concurrent) return concurrent;
  switch (statement.kind) {
    case 'VacuumStmt':
      return statement.ast.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'ReindexStmt':
      return statement.ast.kind === 'REINDEX_OBJECT_SYSTEM' || statement.ast.kind === 'REINDEX_OBJECT_DATABASE' ? 'REINDEX DATABASE' : undefined;
    default:
      return undefined;
  }
}

/**
 * Whether a statement runs on its own before the transaction of its part: the part's first statement, in a part the
 * runner sends as one pipeline (ExecutionPart.firstStatementAlone: the Supabase CLI), when Postgres refuses it in a
 * transaction block. The replay runs it so, and the linter does not count it as inside a transaction.
 */
export function runsAloneFirst(part: ExecutionPart, statement: ParsedStatement, firstOfPart: ParsedStatement | undefined): boolean {
  return Boolean(part.firstStatementAlone) && statement === firstOfPart && outsideTransactionForm(statement) !== undefined;
}
