import { columnDefinitions } from '../ast.js';
import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'no-tenant-id',
  scope: 'statement',
  description: 'A column named tenant_id',
  defaultSeverity: 'error',
  docs: 'Helios is single-organization: every table references organizations through organization_id.',
  check({ statement, report }) {
    for (const { def, relation } of columnDefinitions(statement)) {
      if (def.colname !== 'tenant_id') continue;
      report({
        message: `column tenant_id on ${relation?.relname}: this schema has no tenants`,
        help: 'use organization_id uuid REFERENCES organizations(id)',
        node: def,
        object: relationKey(relation, def.colname),
      });
    }
    if (statement.kind === 'RenameStmt' && statement.ast.renameType === 'OBJECT_COLUMN' && statement.ast.newname === 'tenant_id') {
      report({ message: `renames ${statement.ast.subname} to tenant_id: this schema has no tenants`, help: 'name it organization_id', object: relationKey(statement.ast.relation, 'tenant_id') });
    }
  },
});
