import { defineRule } from '../define-rule.js';
import type { SchemaState, TrackedForeignKey, TrackedIndex } from '../schema-state.js';

export default defineRule({
  id: 'fk-needs-index',
  scope: 'schema',
  description: 'A foreign key whose columns do not lead any index (the primary key counts) in the end-state schema',
  defaultSeverity: 'warning',
  docs: 'Without an index on the referencing columns, every delete or key update on the parent table scans the child table.',
  check({ schema, report }) {
    const indexes = indexesByTable(schema);
    for (const table of schema.tables.values()) {
      for (const fk of table.foreignKeys) {
        if (isCovered(schema, fk, indexes.get(fk.table) ?? [])) continue;
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
export function isCovered(schema: SchemaState, fk: TrackedForeignKey, indexes: readonly TrackedIndex[]): boolean {
  const wanted = new Set(fk.columns);
  const leads = (columns: ReadonlyArray<string | null>) =>
    columns.length >= wanted.size && columns.slice(0, wanted.size).every((c) => c !== null && wanted.has(c));
  const table = schema.tables.get(fk.table);
  if (table?.primaryKey && leads(table.primaryKey)) return true;
  return indexes.some((index) => !index.partial && leads(index.columns));
}

function indexesByTable(schema: SchemaState): Map<string, TrackedIndex[]> {
  const byTable = new Map<string, TrackedIndex[]>();
  for (const index of schema.indexes.values()) {
    const list = byTable.get(index.table);
    if (list) list.push(index);
    else byTable.set(index.table, [index]);
  }
  return byTable;
}
