import { alterTableCommands, columnConstraints, qualified, strings } from '../ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-primary-key',
  scope: 'statement',
  description: 'ADD PRIMARY KEY (or ADD COLUMN ... PRIMARY KEY) on an existing table without USING INDEX',
  defaultSeverity: 'warning',
  docs: 'Adding a primary key builds its unique index (and checks NOT NULL) while holding an ACCESS EXCLUSIVE lock on the table.',
  check({ statement, isExistingTable, inTransaction, report }) {
    const relation = statement.ast?.relation;
    if (!isExistingTable(relation)) return;
    const table = relation.relname;
    for (const command of alterTableCommands(statement)) {
      let constraint: any;
      let columns: string[] = [];
      if (command.subtype === 'AT_AddConstraint' && command.def?.Constraint?.contype === 'CONSTR_PRIMARY') {
        constraint = command.def.Constraint;
        if (constraint.indexname) continue; // PRIMARY KEY USING INDEX: the safe recipe's last step
        columns = strings(constraint.keys);
      } else if (command.subtype === 'AT_AddColumn' && command.def?.ColumnDef) {
        constraint = columnConstraints(command.def.ColumnDef).find((c) => c.contype === 'CONSTR_PRIMARY');
        columns = [command.def.ColumnDef.colname];
      }
      if (!constraint) continue;
      const name = constraint.conname ?? `${table}_pkey`;
      const list = columns.join(', ');
      const added = command.subtype === 'AT_AddColumn';
      report({
        message: `adds PRIMARY KEY (${list}) to existing table ${table}: its index is built under an ACCESS EXCLUSIVE lock`,
        help: added
          ? `add the column without PRIMARY KEY, fill it, then CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${list}); ALTER TABLE ${table} ADD CONSTRAINT ${name} PRIMARY KEY USING INDEX ${name};`
          : `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${list}); make the columns NOT NULL without a scan (CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL); then ALTER TABLE ${table} ADD CONSTRAINT ${name} PRIMARY KEY USING INDEX ${name};` +
            (inTransaction ? ' (CONCURRENTLY cannot run in the runner\'s transaction: put the CREATE INDEX in a file that runs outside one)' : ''),
        node: constraint,
        object: qualified(relation, name),
      });
    }
  },
});
