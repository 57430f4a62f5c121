import { foreignKeys } from '../ast.js';
import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'organization-fk-name',
  scope: 'statement',
  description: 'A foreign key to organizations(id) whose column is not organization_id',
  defaultSeverity: 'error',
  docs: 'Every table reaches its organization through a column called organization_id, so queries and policies can rely on it.',
  check({ statement, report }) {
    for (const fk of foreignKeys(statement)) {
      if (fk.refTable?.relname !== 'organizations') continue;
      if (fk.refColumns.length > 0 && !(fk.refColumns.length === 1 && fk.refColumns[0] === 'id')) continue;
      if (fk.columns.length !== 1) continue;
      const column = fk.columns[0];
      // A second reference to organizations needs another name: a role prefix (parent_organization_id) is fine.
      if (column === 'organization_id' || column.endsWith('_organization_id')) continue;
      report({
        message: `foreign key column ${column} references organizations(id); it must be named organization_id`,
        help: `rename ${column} to organization_id (or <role>_organization_id when a table references two organizations)`,
        node: fk.columnDef ?? fk.constraint,
        object: relationKey(fk.relation, column),
      });
    }
  },
});
