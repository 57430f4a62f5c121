import { columnTypes } from '../ast.js';
import { baseTypeName, relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';
import { timestamptzEdits } from '../fix-edits.js';

export default defineRule({
  id: 'prefer-timestamptz',
  scope: 'statement',
  description: 'A column of type timestamp (without time zone)',
  defaultSeverity: 'warning',
  docs: 'timestamp without time zone stores wall-clock time with no zone: values shift silently between servers and sessions.',
  check({ file, statement, report }) {
    for (const use of columnTypes(statement)) {
      const type = baseTypeName(use.typeName);
      if (type !== 'timestamp') continue;
      report({
        message: `column ${use.column} uses timestamp without time zone`,
        help: 'use timestamptz (timestamp with time zone)',
        node: use.typeName,
        object: relationKey(use.relation, use.column),
        fix: { title: 'use timestamptz', edits: () => timestamptzEdits(file, use.typeName?.location) },
      });
    }
  },
});
