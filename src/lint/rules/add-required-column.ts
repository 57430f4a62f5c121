import { alterTableCommands, columnConstraints } from '../ast.js';
import { nodeAs, nodesAs, relationKey, serialType, statementRelation, type StatementNode } from '../../sql/ast.js';
import type { RangeVar } from '@pgsql/types';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-required-column',
  scope: 'statement',
  description: 'ADD COLUMN ... NOT NULL without a DEFAULT on a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'The statement fails as soon as the table has a row, and inserts from the running code fail too.',
  check({ statement, isExistingTable, fileState, report }) {
    // Tables this file has emptied so far (DELETE without WHERE, TRUNCATE) and not refilled: a NOT NULL column added
    // to one cannot meet a row. Field: hyperledger/firefly 000028/000029 `DELETE FROM tokenpool;` then
    // `ALTER TABLE tokenpool ADD COLUMN connector VARCHAR(64) NOT NULL;` were reported as errors.
    // Tables this file created and then filled (CREATE TABLE ... AS, SELECT ... INTO, INSERT): new, yet holding rows
    // copied from the database, which the replay's empty tables do not have. `CREATE TABLE n AS SELECT * FROM t;
    // ALTER TABLE n ADD COLUMN x int NOT NULL;` replays cleanly and fails in production.
    const { emptied, filled } = fileState(() => ({ emptied: new Set<string>(), filled: new Map<string, number>() }));
    trackEmptiedTables(statement, emptied);
    trackFilledTables(statement, filled, emptied);
    const relation = statementRelation(statement);
    if (!relation) return;
    const key = relationKey(relation);
    const filledAt = isExistingTable(relation) ? undefined : filled.get(key);
    if ((!isExistingTable(relation) && filledAt === undefined) || emptied.has(key)) return;
    for (const command of alterTableCommands(statement)) {
      const def = command.subtype === 'AT_AddColumn' ? nodeAs(command.def, 'ColumnDef') : undefined;
      if (!def) continue;
      const constraints = columnConstraints(def);
      const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
      // a serial column's nextval() default fills the existing rows (table-rewrite reports the rewrite that takes)
      const filled = serialType(def.typeName) !== undefined || constraints.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED');
      if (!notNull || filled) continue;
      report({
        message: `adds NOT NULL column ${def.colname} without a default to ${relation.relname}${filledAt !== undefined ? `, which line ${filledAt} of this file filled with rows` : ''}`,
        help: 'add a DEFAULT (constant defaults are instant since Postgres 11), or add the column nullable, backfill, then SET NOT NULL',
        node: def,
        object: relationKey(relation, def.colname),
      });
    }
  },
});

/** Notes a table emptied by this statement (DELETE with no WHERE or USING, TRUNCATE), and forgets one written to again. */
function trackEmptiedTables(statement: StatementNode, emptied: Set<string>): void {
  if (statement.kind === 'DeleteStmt') {
    const { relation, whereClause, usingClause } = statement.ast;
    if (relation && !whereClause && (usingClause ?? []).length === 0) emptied.add(relationKey(relation));
  } else if (statement.kind === 'TruncateStmt') {
    for (const relation of nodesAs(statement.ast.relations, 'RangeVar')) emptied.add(relationKey(relation));
  } else if (statement.kind === 'InsertStmt' || (statement.kind === 'CopyStmt' && statement.ast.is_from)) {
    if (statement.ast.relation) emptied.delete(relationKey(statement.ast.relation));
  }
}

/**
 * Notes a table this statement fills (CREATE TABLE ... AS without WITH NO DATA, SELECT ... INTO, INSERT or COPY
 * FROM into it), at the statement's line; an emptying statement (trackEmptiedTables) forgets it again.
 */
function trackFilledTables(statement: StatementNode & { line: number }, filled: Map<string, number>, emptied: Set<string>): void {
  let relation: RangeVar | undefined;
  if (statement.kind === 'CreateTableAsStmt' && statement.ast.objtype === 'OBJECT_TABLE' && !statement.ast.into?.skipData) relation = statement.ast.into?.rel;
  else if (statement.kind === 'SelectStmt') relation = statement.ast.intoClause?.rel;
  else if (statement.kind === 'InsertStmt' || (statement.kind === 'CopyStmt' && statement.ast.is_from)) relation = statement.ast.relation;
  if (relation) filled.set(relationKey(relation), statement.line);
  for (const key of emptied) filled.delete(key);
}
