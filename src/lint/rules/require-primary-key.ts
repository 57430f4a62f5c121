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
      report({
        at: table.origin,
        message: `table ${table.name} has no primary key`,
        help: 'add id uuid PRIMARY KEY DEFAULT gen_random_uuid() (or bigint GENERATED ALWAYS AS IDENTITY), or a composite PRIMARY KEY',
        object: table.key,
      });
    }
  },
});
