import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'rename-table',
  scope: 'statement',
  description: 'Renames a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'The running application keeps using the old name until it is redeployed: every query fails in between.',
  check({ statement, isExistingTable, report }) {
    if (statement.kind !== 'RenameStmt' || statement.ast.renameType !== 'OBJECT_TABLE') return;
    const relation = statement.ast.relation;
    if (!relation || !isExistingTable(relation)) return;
    report({
      message: `renames table ${relation.relname} to ${statement.ast.newname}`,
      help: 'create the new table (or a view with the new name), move the code over, then drop the old one in a later migration',
      object: relationKey(relation),
    });
  },
});
