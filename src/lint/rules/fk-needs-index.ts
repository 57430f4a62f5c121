import { defineRule } from '../define-rule.js';
import type { SchemaState, TrackedForeignKey } from '../schema-state.js';

export default defineRule({
  id: 'fk-needs-index',
  scope: 'schema',
  description: 'A foreign key whose columns do not lead any index (the primary key counts) in the end-state schema',
  defaultSeverity: 'warning',
  docs: 'Without an index on the referencing columns, every delete or key update on the parent table scans the child table.',
  check({ schema, report }) {
    for (const table of schema.tables.values()) {
      for (const fk of table.foreignKeys) {
        if (isCovered(schema, fk)) continue;
        const columns = fk.columns.join(', ');
        report({
          at: fk.origin,
          message: `foreign key ${fk.name} (${columns}) on ${table.name} has no index starting with ${fk.columns.length > 1 ? 'those columns' : 'that column'}`,
          help: `CREATE INDEX IF NOT EXISTS idx_${table.name}_${fk.columns.join('_')} ON ${table.name} (${columns}); (an index added by a later migration also counts)`,
          object: fk.columns.length === 1 ? `${table.key}.${fk.columns[0]}` : `${table.key}.${fk.name}`,
        });
      }
    }
  },
});

/** Covered when some non-partial index (or the primary key) has exactly the FK's columns, in any order, as its leading columns. */
export function isCovered(schema: SchemaState, fk: TrackedForeignKey): boolean {
  const wanted = new Set(fk.columns);
  const leads = (columns: ReadonlyArray<string | null>) =>
    columns.length >= wanted.size && columns.slice(0, wanted.size).every((c) => c !== null && wanted.has(c));
  const table = schema.tables.get(fk.table);
  if (table?.primaryKey && leads(table.primaryKey)) return true;
  return schema.indexesOf(fk.table).some((index) => !index.partial && leads(index.columns));
}
