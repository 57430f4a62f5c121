import { alterTableCommands } from '../ast.js';
import { baseTypeName, nodeAs, relationKey, statementRelation } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';
import { typeChangeCost } from '../rewrite.js';

export default defineRule({
  id: 'change-column-type',
  scope: 'statement',
  description: 'ALTER COLUMN ... TYPE on an existing table whose cost pgdrift cannot tell (rewrites are table-rewrite findings)',
  defaultSeverity: 'warning',
  docs: 'A type change takes an ACCESS EXCLUSIVE lock, may rewrite the whole table, and can break the running code.',
  check({ statement, schema, isExistingTable, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    for (const command of alterTableCommands(statement)) {
      if (command.subtype !== 'AT_AlterColumnType') continue;
      // Known rewrites are table-rewrite's; known catalog-only changes (varchar -> text) are safe: one finding at most.
      if (typeChangeCost(schema, relation, command.name ?? '', command) !== 'unknown') continue;
      const typeName = nodeAs(command.def, 'ColumnDef')?.typeName;
      report({
        message: `changes the type of ${relation.relname}.${command.name} to ${baseTypeName(typeName)}`,
        help: 'unless the change only widens a limit (varchar(n) to a larger n), add a new column with the new type, backfill it in batches, switch the code over, then drop the old column',
        node: typeName,
        object: relationKey(relation, command.name),
      });
    }
  },
});
