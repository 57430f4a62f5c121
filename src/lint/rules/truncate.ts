import { nodeAs, relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'truncate',
  scope: 'statement',
  description: 'TRUNCATE in a migration',
  defaultSeverity: 'warning',
  docs: 'TRUNCATE deletes every row of a table with an ACCESS EXCLUSIVE lock, on every environment the migration reaches.',
  check({ statement, report }) {
    if (statement.kind !== 'TruncateStmt') return;
    for (const relation of statement.ast.relations ?? []) {
      const rangeVar = nodeAs(relation, 'RangeVar');
      report({
        message: `TRUNCATE ${rangeVar?.relname} deletes every row`,
        help: 'delete exactly the rows you mean with DELETE ... WHERE, or suppress with a reason if emptying the table is intended',
        node: rangeVar,
        object: relationKey(rangeVar),
      });
    }
  },
});
