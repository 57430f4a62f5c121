import { alterTableCommandNode, alterTableCommands } from '../ast.js';
import { relationKey, statementRelation } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'drop-column',
  scope: 'statement',
  description: 'DROP COLUMN on a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'Dropping a column destroys its data, and running code that still selects it fails until it is deployed.',
  check({ file, statement, isExistingTable, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    for (const command of alterTableCommands(statement)) {
      if (command.subtype !== 'AT_DropColumn') continue;
      report({
        message: `drops column ${command.name} of ${relation.relname} and its data`,
        help: 'remove every use of the column from the code and deploy first, then drop it; say so with "-- pgdrift-ignore drop-column: <reason>"',
        object: relationKey(relation, command.name),
        node: alterTableCommandNode(statement, command, () => file.comments.tokens()),
      });
    }
  },
});
