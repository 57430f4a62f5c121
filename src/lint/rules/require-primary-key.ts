import { sqlTable } from '../help-sql.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'require-primary-key',
  scope: 'schema',
  description: 'A table without a primary key in the end-state schema',
  defaultSeverity: 'warning',
  docs: 'Without a primary key rows cannot be addressed reliably, logical replication cannot replicate updates, and duplicates creep in.',
  check({ schema, report }) {
    for (const table of schema.tables.values()) {
      if (table.primaryKey && table.primaryKey.length > 0) continue;
      const dropped = table.primaryKeyDropped;
      if (dropped) {
        // The table had a key; the finding belongs where it was taken away, not at the CREATE TABLE.
        report({
          at: dropped.at,
          message: `primary key ${dropped.name} of table ${table.name} is dropped here and never replaced`,
          help: `add the primary key back (ALTER TABLE ${sqlTable(table.key)} ADD PRIMARY KEY (...)) in this or a later migration`,
          object: table.key,
        });
        continue;
      }
      report({
        at: table.origin,
        message: `table ${table.name} has no primary key`,
        help: 'add id uuid PRIMARY KEY DEFAULT gen_random_uuid() (or bigint GENERATED ALWAYS AS IDENTITY), or a composite PRIMARY KEY',
        object: table.key,
      });
    }
  },
});
