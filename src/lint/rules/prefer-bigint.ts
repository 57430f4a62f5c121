import { columnTypes, singleColumnPrimaryKey } from '../ast.js';
import { baseTypeName, relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';
import { normalType } from '../rewrite.js';

const SMALL = new Set(['int2', 'int4']);
const SERIAL = new Set(['serial', 'serial2', 'serial4', 'smallserial']);

export default defineRule({
  id: 'prefer-bigint',
  scope: 'statement',
  description: 'A new integer or smallint column (opt-in: off in every preset)',
  defaultSeverity: 'info',
  docs: 'A 32-bit column overflows at 2,147,483,647 (smallint at 32,767); widening it later rewrites the table under an exclusive lock.',
  check({ statement, report }) {
    // serial columns and single-column integer keys are prefer-identity's findings: one finding per column.
    const isKey = singleColumnPrimaryKey(statement);
    for (const use of columnTypes(statement)) {
      const written = baseTypeName(use.typeName);
      const type = normalType(written);
      if (!type || !SMALL.has(type) || SERIAL.has(written ?? '')) continue;
      if (isKey(use)) continue;
      report({
        message: `column ${use.column} is a ${type === 'int2' ? '16-bit smallint' : '32-bit integer'}`,
        help: 'use bigint: the 4 extra bytes are cheaper than widening the column later',
        node: use.typeName,
        object: relationKey(use.relation, use.column),
      });
    }
  },
});
