import { columnTypes, foreignKeys, singleColumnPrimaryKey } from '../ast.js';
import { baseTypeName, relationKey, serialType } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

const SMALL_INTS = new Set(['int4', 'int2', 'integer', 'int', 'smallint']);

export default defineRule({
  id: 'prefer-identity',
  scope: 'statement',
  description: 'serial columns and single-column integer (32-bit) primary keys',
  defaultSeverity: 'warning',
  docs: 'serial creates a loosely attached sequence with awkward permissions; a 32-bit key runs out at 2.1 billion rows.',
  check({ statement, report }) {
    // Only a single-column primary key is a surrogate key that can run out; an int inside a composite key
    // (tenant_id, seq) is a natural key part, and widening it is not this rule's point (issue 9 item 10).
    // A primary key that is also a foreign key (a 1:1 extension table's `rid integer PRIMARY KEY REFERENCES releases`)
    // copies the referenced key, whose type it must match: it generates nothing (field: rust-lang/docs.rs
    // 20240311202914_release_status_materialized.up.sql).
    const referencing = new Set(foreignKeys(statement).flatMap((fk) => (fk.columns.length === 1 ? fk.columns : [])));
    const isKey = singleColumnPrimaryKey(statement);
    const isSurrogateKey = (use: Parameters<typeof isKey>[0]) => isKey(use) && !referencing.has(use.column);
    for (const use of columnTypes(statement)) {
      const type = baseTypeName(use.typeName) ?? '';
      if (serialType(use.typeName)) {
        report({
          message: `column ${use.column} uses ${type}`,
          help: 'use bigint GENERATED ALWAYS AS IDENTITY (or uuid)',
          node: use.typeName,
          object: relationKey(use.relation, use.column),
        });
        continue;
      }
      if (isSurrogateKey(use) && SMALL_INTS.has(type)) {
        report({
          message: `primary key ${use.column} is a 32-bit ${type === 'int2' || type === 'smallint' ? 'smallint' : 'integer'}`,
          help: 'use bigint GENERATED ALWAYS AS IDENTITY (or uuid)',
          node: use.typeName,
          object: relationKey(use.relation, use.column),
        });
      }
    }
  },
});
