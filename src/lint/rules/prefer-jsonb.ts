import { columnTypes } from '../ast.js';
import { baseTypeName, relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'prefer-jsonb',
  scope: 'statement',
  description: 'A column of type json',
  defaultSeverity: 'warning',
  docs: 'json is stored as text, re-parsed on every access, cannot be indexed with GIN and has no equality operator.',
  check({ statement, report }) {
    for (const use of columnTypes(statement)) {
      if (baseTypeName(use.typeName) !== 'json') continue;
      report({ message: `column ${use.column} uses json`, help: 'use jsonb', node: use.typeName, object: relationKey(use.relation, use.column) });
    }
  },
});
