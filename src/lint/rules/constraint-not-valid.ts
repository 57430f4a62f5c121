import { alterTableCommands } from '../ast.js';
import { nodeAs, relationKey, statementRelation } from '../../sql/ast.js';
import { sqlName, sqlRelation } from '../help-sql.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'constraint-not-valid',
  scope: 'statement',
  description: 'ADD CONSTRAINT (FOREIGN KEY or CHECK) without NOT VALID on a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'Validating a new constraint scans the table while holding a lock that blocks writes (and, for a foreign key, the referenced table).',
  check({ statement, isExistingTable, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    for (const command of alterTableCommands(statement)) {
      const constraint = command.subtype === 'AT_AddConstraint' ? nodeAs(command.def, 'Constraint') : undefined;
      if (!constraint || (constraint.contype !== 'CONSTR_FOREIGN' && constraint.contype !== 'CONSTR_CHECK')) continue;
      if (constraint.skip_validation) continue;
      const kind = constraint.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'check constraint';
      const name = constraint.conname ?? '(unnamed)';
      report({
        message: `adds ${kind} ${name} to existing table ${relation.relname} without NOT VALID`,
        help: `add it NOT VALID, then ALTER TABLE ${sqlRelation(relation)} VALIDATE CONSTRAINT ${constraint.conname ? sqlName(constraint.conname) : '<name>'} (a weaker lock)`,
        node: constraint,
        object: relationKey(relation, constraint.conname),
      });
    }
  },
});
