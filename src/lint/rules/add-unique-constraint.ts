import { relationKey, statementRelation } from '../../sql/ast.js';
import { addedConstraints } from '../ast.js';
import { concurrentlyWhere, sqlName, sqlNames, sqlRelation } from '../help-sql.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-unique-constraint',
  scope: 'statement',
  description: 'ADD UNIQUE (or ADD COLUMN ... UNIQUE) or ADD EXCLUDE on an existing table, building the index under an exclusive lock',
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
          `build the index first, then attach it: CREATE UNIQUE INDEX CONCURRENTLY ${sqlName(name)} ON ${sqlRelation(relation)} (${sqlNames(columns)}); ` +
          `ALTER TABLE ${sqlRelation(relation)} ADD CONSTRAINT ${sqlName(name)} UNIQUE USING INDEX ${sqlName(name)};` +
          (inTransaction ? ` (CONCURRENTLY cannot run in the runner's transaction: ${concurrentlyWhere(options.runner)})` : ''),
        node: constraint,
        object: relationKey(relation, name),
      });
    }
    // An exclusion constraint builds its index under the same ACCESS EXCLUSIVE lock, and Postgres offers neither
    // USING INDEX (only UNIQUE and PRIMARY KEY) nor NOT VALID (only foreign keys, CHECK and NOT NULL) for it (ALTER
    // TABLE docs, "ADD table_constraint"). Squawk reports it as constraint-missing-not-valid, whose NOT VALID
    // advice Postgres rejects; it is reported here, with advice that can be followed.
    for (const { constraint } of addedConstraints(statement, 'CONSTR_EXCLUSION')) {
      const name = constraint.conname;
      report({
        message: `adds EXCLUDE constraint${name ? ` ${name}` : ''} to existing table ${table}: its index is built under an ACCESS EXCLUSIVE lock`,
        help:
          'Postgres has no USING INDEX or NOT VALID form for an exclusion constraint: add it while the table is small or in a quiet window, ' +
          "after SET lock_timeout so that it gives up instead of queueing every query behind it; say so with \"-- pgdrift-ignore add-unique-constraint: <reason>\"",
        node: constraint,
        object: name ? relationKey(relation, name) : relationKey(relation),
      });
    }
  },
});
