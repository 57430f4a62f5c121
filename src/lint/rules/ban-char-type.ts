import { columnTypes } from '../ast.js';
import { baseTypeName, relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'ban-char-type',
  scope: 'statement',
  description: 'A column of type char(n) / character(n) (blank-padded)',
  defaultSeverity: 'warning',
  docs: 'char(n) pads values with spaces, compares ignoring them and is no faster than text; the padding leaks into the application.',
  check({ statement, report }) {
    for (const use of columnTypes(statement)) {
      // `char(n)`, `character(n)` and bare `char` parse to bpchar; the quoted one-byte "char" type is pg_catalog.char.
      if (baseTypeName(use.typeName) !== 'bpchar') continue;
      report({
        message: `column ${use.column} uses char(n), which pads values with spaces`,
        help: 'use text (with CHECK (char_length(col) = n) if the length is fixed), or varchar(n)',
        node: use.typeName,
        object: relationKey(use.relation, use.column),
      });
    }
  },
});
