import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'rename-column',
  scope: 'statement',
  description: 'Renames a column of a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'Code deployed before the rename still uses the old column name and fails until it is redeployed.',
  check({ statement, isExistingTable, report }) {
    if (statement.kind !== 'RenameStmt' || statement.ast.renameType !== 'OBJECT_COLUMN') return;
    const relation = statement.ast.relation;
    if (!relation || !isExistingTable(relation)) return;
    report({
      message: `renames column ${relation.relname}.${statement.ast.subname} to ${statement.ast.newname}`,
      help: 'add the new column, write to both, backfill, switch reads, then drop the old column later',
      object: relationKey(relation, statement.ast.subname),
    });
  },
});
