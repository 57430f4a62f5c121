import { relationKey, statementRelation } from '../../sql/ast.js';
import { addedConstraints } from '../ast.js';
import { concurrentlyWhere, sqlName, sqlNames } from '../help-sql.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-unique-constraint',
  scope: 'statement',
  description: 'ADD UNIQUE (or ADD COLUMN ... UNIQUE) on an existing table, building the index under an exclusive lock',
  defaultSeverity: 'warning',
  docs: 'Adding a UNIQUE constraint builds its index while holding an ACCESS EXCLUSIVE lock: the table is unreadable for the whole build.',
  check({ statement, isExistingTable, inTransaction, options, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    const table = relation.relname ?? '';
    for (const { constraint, columns } of addedConstraints(statement, 'CONSTR_UNIQUE')) {
      const name = constraint.conname ?? `${table}_${columns.join('_')}_key`;
      const list = columns.join(', ');
      report({
        message: `adds UNIQUE (${list}) to existing table ${table}: its index is built under an ACCESS EXCLUSIVE lock`,
        help:
          `build the index first, then attach it: CREATE UNIQUE INDEX CONCURRENTLY ${sqlName(name)} ON ${sqlName(table)} (${sqlNames(columns)}); ` +
          `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${sqlName(name)} UNIQUE USING INDEX ${sqlName(name)};` +
          (inTransaction ? ` (CONCURRENTLY cannot run in the runner's transaction: ${concurrentlyWhere(options.runner)})` : ''),
        node: constraint,
        object: relationKey(relation, name),
      });
    }
  },
});
