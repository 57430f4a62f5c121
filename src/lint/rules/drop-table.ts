import { objectNames, rangeVarOfNames, relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'drop-table',
  scope: 'statement',
  description: 'DROP TABLE on a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'Dropping a table destroys its data and breaks the code still reading it during a deploy.',
  check({ statement, isExistingTable, report }) {
    if (statement.kind !== 'DropStmt' || statement.ast.removeType !== 'OBJECT_TABLE') return;
    for (const object of statement.ast.objects ?? []) {
      const parts = objectNames(object);
      const relation = rangeVarOfNames(parts);
      if (!isExistingTable(relation)) continue;
      report({
        message: `drops table ${parts.join('.')} and all its data`,
        help: 'stop using the table in the code first, deploy, then drop it in a later migration; add "-- pgdrift-ignore drop-table: <reason>" once that is done',
        object: relationKey(relation),
      });
    }
  },
});
