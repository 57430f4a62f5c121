import { columnTypes } from '../ast.js';
import { baseTypeName, relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'prefer-text',
  scope: 'statement',
  description: 'A column of type varchar(n)',
  defaultSeverity: 'warning',
  docs: 'A length limit in the type needs an exclusive lock (and a scan when narrowed) to change; text with a CHECK is as fast.',
  check({ statement, report }) {
    for (const use of columnTypes(statement)) {
      // char(n) is ban-char-type's (a stronger finding); one finding per column
      if (baseTypeName(use.typeName) !== 'varchar' || (use.typeName?.typmods ?? []).length === 0) continue;
      report({
        message: `column ${use.column} uses varchar(n)`,
        help: 'use text, with CHECK (char_length(col) <= n) if the limit matters',
        node: use.typeName,
        object: relationKey(use.relation, use.column),
      });
    }
  },
});
