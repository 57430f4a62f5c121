import { alterTableCommands, columnConstraints, qualified, strings } from '../ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-unique-constraint',
  scope: 'statement',
  description: 'ADD UNIQUE (or ADD COLUMN ... UNIQUE) on an existing table, building the index under an exclusive lock',
  defaultSeverity: 'warning',
  docs: 'Adding a UNIQUE constraint builds its index while holding an ACCESS EXCLUSIVE lock: the table is unreadable for the whole build.',
  check({ statement, isExistingTable, inTransaction, report }) {
    const relation = statement.ast?.relation;
    if (!isExistingTable(relation)) return;
    const table = relation.relname;
    for (const command of alterTableCommands(statement)) {
      let constraint: any;
      let columns: string[] = [];
      if (command.subtype === 'AT_AddConstraint' && command.def?.Constraint?.contype === 'CONSTR_UNIQUE') {
        constraint = command.def.Constraint;
        if (constraint.indexname) continue; // UNIQUE USING INDEX: the safe recipe's last step
        columns = strings(constraint.keys);
      } else if (command.subtype === 'AT_AddColumn' && command.def?.ColumnDef) {
        constraint = columnConstraints(command.def.ColumnDef).find((c) => c.contype === 'CONSTR_UNIQUE');
        columns = [command.def.ColumnDef.colname];
      }
      if (!constraint) continue;
      const name = constraint.conname ?? `${table}_${columns.join('_')}_key`;
      const list = columns.join(', ');
      report({
        message: `adds UNIQUE (${list}) to existing table ${table}: its index is built under an ACCESS EXCLUSIVE lock`,
        help:
          `build the index first, then attach it: CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${list}); ` +
          `ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name};` +
          (inTransaction ? ' (CONCURRENTLY cannot run in the runner\'s transaction: put the CREATE INDEX in a file that runs outside one)' : ''),
        node: constraint,
        object: qualified(relation, name),
      });
    }
  },
});
