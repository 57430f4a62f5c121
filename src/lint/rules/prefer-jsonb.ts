import { baseType, columnTypes, qualified } from '../ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'prefer-jsonb',
  scope: 'statement',
  description: 'A column of type json',
  defaultSeverity: 'warning',
  docs: 'json is stored as text, re-parsed on every access, cannot be indexed with GIN and has no equality operator.',
  check({ statement, report }) {
    for (const use of columnTypes(statement)) {
      if (baseType(use.typeName) !== 'json') continue;
      report({ message: `column ${use.column} uses json`, help: 'use jsonb', node: use.typeName, object: qualified(use.relation, use.column) });
    }
  },
});
