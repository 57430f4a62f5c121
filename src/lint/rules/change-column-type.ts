import { alterTableCommands, baseType, qualified } from '../ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'change-column-type',
  scope: 'statement',
  description: 'ALTER COLUMN ... TYPE on a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'Most type changes rewrite the whole table under an ACCESS EXCLUSIVE lock, and can break the running code.',
  check({ statement, isExistingTable, report }) {
    if (!isExistingTable(statement.ast?.relation)) return;
    for (const command of alterTableCommands(statement)) {
      if (command.subtype !== 'AT_AlterColumnType') continue;
      const typeName = command.def?.ColumnDef?.typeName;
      report({
        message: `changes the type of ${statement.ast.relation.relname}.${command.name} to ${baseType(typeName)}`,
        help: 'add a new column with the new type, backfill it in batches, switch the code over, then drop the old column',
        node: typeName,
        object: qualified(statement.ast.relation, command.name),
      });
    }
  },
});
