import { baseType, columnTypes, qualified } from '../ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'prefer-text',
  scope: 'statement',
  description: 'A column of type varchar(n) or char(n)',
  defaultSeverity: 'warning',
  docs: 'A length limit in the type needs a table rewrite lock to change; char(n) pads with spaces. text with a CHECK is as fast.',
  check({ statement, report }) {
    for (const use of columnTypes(statement)) {
      const type = baseType(use.typeName);
      const limited = (type === 'varchar' && (use.typeName.typmods ?? []).length > 0) || type === 'bpchar';
      if (!limited) continue;
      const shown = type === 'bpchar' ? 'char(n)' : 'varchar(n)';
      report({
        message: `column ${use.column} uses ${shown}`,
        help: 'use text, with CHECK (char_length(col) <= n) if the limit matters',
        node: use.typeName,
        object: qualified(use.relation, use.column),
      });
    }
  },
});
