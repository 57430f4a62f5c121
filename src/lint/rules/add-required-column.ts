import { alterTableCommands, columnConstraints } from '../ast.js';
import { nodeAs, nodesAs, relationKey, serialType, statementRelation, type StatementNode } from '../../sql/ast.js';
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
    const emptied = fileState(() => new Set<string>());
    trackEmptiedTables(statement, emptied);
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation) || emptied.has(relationKey(relation))) return;
    for (const command of alterTableCommands(statement)) {
      const def = command.subtype === 'AT_AddColumn' ? nodeAs(command.def, 'ColumnDef') : undefined;
      if (!def) continue;
      const constraints = columnConstraints(def);
      const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
      // a serial column's nextval() default fills the existing rows (table-rewrite reports the rewrite that takes)
      const filled = serialType(def.typeName) !== undefined || constraints.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED');
      if (!notNull || filled) continue;
      report({
        message: `adds NOT NULL column ${def.colname} without a default to ${relation.relname}`,
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
