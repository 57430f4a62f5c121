import { alterTableCommands, columnConstraints } from '../ast.js';
import { nodeAs, relationKey, serialType, statementRelation } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-required-column',
  scope: 'statement',
  description: 'ADD COLUMN ... NOT NULL without a DEFAULT on a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'The statement fails as soon as the table has a row, and inserts from the running code fail too.',
  check({ statement, isExistingTable, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
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
