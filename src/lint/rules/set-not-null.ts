import { alterTableCommandNode, alterTableCommands } from '../ast.js';
import { relationKey, statementRelation } from '../../sql/ast.js';
import { sqlName } from '../help-sql.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'set-not-null',
  scope: 'statement',
  description: 'ALTER COLUMN ... SET NOT NULL on a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes.',
  check({ file, statement, isExistingTable, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    for (const command of alterTableCommands(statement)) {
      if (command.subtype !== 'AT_SetNotNull') continue;
      report({
        message: `sets ${relation.relname}.${command.name} NOT NULL, scanning the table under an exclusive lock`,
        help: `add CHECK (${sqlName(command.name ?? '')} IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (Postgres 12+ uses the valid check and skips the scan)`,
        object: relationKey(relation, command.name),
        node: alterTableCommandNode(statement, command, () => file.comments.tokens()),
      });
    }
  },
});
