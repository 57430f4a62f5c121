import { relationKey, statementRelation } from '../../sql/ast.js';
import { addedConstraints } from '../ast.js';
import { concurrentlyWhere, sqlName, sqlNames, sqlRelation } from '../help-sql.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-primary-key',
  scope: 'statement',
  description: 'ADD PRIMARY KEY (or ADD COLUMN ... PRIMARY KEY) on an existing table without USING INDEX',
  defaultSeverity: 'warning',
  docs: 'Adding a primary key builds its unique index (and checks NOT NULL) while holding an ACCESS EXCLUSIVE lock on the table.',
  check({ statement, isExistingTable, inTransaction, options, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    const table = relation.relname ?? '';
    for (const { constraint, columns, column } of addedConstraints(statement, 'CONSTR_PRIMARY')) {
      const name = constraint.conname ?? `${table}_pkey`;
      const list = columns.join(', ');
      report({
        message: `adds PRIMARY KEY (${list}) to existing table ${table}: its index is built under an ACCESS EXCLUSIVE lock`,
        help: column
          ? `add the column without PRIMARY KEY, fill it, then CREATE UNIQUE INDEX CONCURRENTLY ${sqlName(name)} ON ${sqlRelation(relation)} (${sqlNames(columns)}); ALTER TABLE ${sqlRelation(relation)} ADD CONSTRAINT ${sqlName(name)} PRIMARY KEY USING INDEX ${sqlName(name)};`
          : `CREATE UNIQUE INDEX CONCURRENTLY ${sqlName(name)} ON ${sqlRelation(relation)} (${sqlNames(columns)}); make the columns NOT NULL without a scan (CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL); then ALTER TABLE ${sqlRelation(relation)} ADD CONSTRAINT ${sqlName(name)} PRIMARY KEY USING INDEX ${sqlName(name)};` +
            (inTransaction ? ` (CONCURRENTLY cannot run in the runner's transaction: ${concurrentlyWhere(options.runner)})` : ''),
        node: constraint,
        object: relationKey(relation, name),
      });
    }
  },
});
