import { baseType, columnConstraints, columnTypes, qualified, strings } from '../ast.js';
import { defineRule } from '../define-rule.js';

const SERIALS = new Set(['serial', 'serial4', 'smallserial', 'serial2', 'bigserial', 'serial8']);
const SMALL_INTS = new Set(['int4', 'int2', 'integer', 'int', 'smallint']);

export default defineRule({
  id: 'prefer-identity',
  scope: 'statement',
  description: 'serial columns and integer (32-bit) primary keys',
  defaultSeverity: 'warning',
  docs: 'serial creates a loosely attached sequence with awkward permissions; a 32-bit key runs out at 2.1 billion rows.',
  check({ statement, report }) {
    const tablePk = new Set<string>();
    if (statement.kind === 'CreateStmt') {
      for (const element of statement.ast.tableElts ?? []) if (element.Constraint?.contype === 'CONSTR_PRIMARY') for (const k of strings(element.Constraint.keys)) tablePk.add(k);
    }
    for (const use of columnTypes(statement)) {
      const type = baseType(use.typeName) ?? '';
      if (SERIALS.has(type)) {
        report({
          message: `column ${use.column} uses ${type}`,
          help: 'use bigint GENERATED ALWAYS AS IDENTITY (or uuid)',
          node: use.typeName,
          object: qualified(use.relation, use.column),
        });
        continue;
      }
      const isKey = tablePk.has(use.column) || columnConstraints(use.def).some((c) => c.contype === 'CONSTR_PRIMARY');
      if (isKey && SMALL_INTS.has(type)) {
        report({
          message: `primary key ${use.column} is a 32-bit ${type === 'int2' || type === 'smallint' ? 'smallint' : 'integer'}`,
          help: 'use bigint GENERATED ALWAYS AS IDENTITY (or uuid)',
          node: use.typeName,
          object: qualified(use.relation, use.column),
        });
      }
    }
  },
});
