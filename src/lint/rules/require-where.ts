import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'require-where',
  scope: 'statement',
  description: 'UPDATE or DELETE without a WHERE clause',
  defaultSeverity: 'warning',
  docs: 'An unrestricted UPDATE or DELETE touches every row, locks them all, and is rarely what was meant.',
  check({ statement, report }) {
    if (statement.kind !== 'UpdateStmt' && statement.kind !== 'DeleteStmt') return;
    if (statement.ast.whereClause) return;
    const verb = statement.kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE FROM';
    report({
      message: `${verb} ${statement.ast.relation?.relname} without WHERE affects every row`,
      help: 'add a WHERE clause (WHERE true if every row is really meant, so the intent is visible)',
      object: relationKey(statement.ast.relation),
    });
  },
});
