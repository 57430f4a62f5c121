import { defineRule } from '../define-rule.js';
import { fkCover, fkObject, indexesByTable } from './fk-needs-index.js';

export default defineRule({
  id: 'fk-partial-index',
  scope: 'schema',
  description: 'A foreign key whose columns lead only a partial index (with a filter other than IS NOT NULL) in the end-state schema',
  defaultSeverity: 'info',
  docs: 'Lookups from the parent table use the partial index only for child rows that match its WHERE clause; the rest are scanned.',
  check({ schema, report }) {
    const indexes = indexesByTable(schema);
    for (const table of schema.tables.values()) {
      for (const fk of table.foreignKeys) {
        const cover = fkCover(schema, fk, indexes.get(fk.table) ?? []);
        if (cover.kind !== 'partial-only') continue;
        const columns = fk.columns.join(', ');
        report({
          at: fk.origin,
          message: `foreign key ${fk.name} (${columns}) on ${table.name} is indexed only by partial index ${cover.index.name}`,
          help: `Postgres's lookups on parent delete/update (WHERE ${fk.columns.map((c) => `${c} = $n`).join(' AND ')}) cannot use ${cover.index.name} unless they match its WHERE clause; add a full index on (${columns}) if parent rows are deleted or re-keyed, or suppress with the reason they are not`,
          object: fkObject(table.key, fk),
        });
      }
    }
  },
});
