import { relationKey, walk } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'no-tenants-table',
  scope: 'statement',
  description: 'Creates or references a table named tenants',
  defaultSeverity: 'error',
  docs: 'There is no tenants table: one organizations row per installation.',
  check({ statement, report }) {
    if (!/tenants/i.test(statement.text)) return; // cheap filter before walking the AST (no lower-cased copy of each statement)
    const help = 'use the organizations table (and organization_id)';
    let reported = false;
    walk(statement.ast, (node) => {
      if (reported) return;
      if (node.relname === 'tenants') {
        reported = true;
        report({ message: 'references a table named tenants, which does not exist in this schema', help, node, object: relationKey({ schemaname: typeof node.schemaname === 'string' ? node.schemaname : undefined, relname: 'tenants' }) });
      }
    });
    if (reported) return;
    if (statement.kind === 'RenameStmt' && statement.ast.renameType === 'OBJECT_TABLE' && statement.ast.newname === 'tenants') {
      report({ message: 'renames a table to tenants', help, object: 'public.tenants' });
    } else if (statement.kind === 'DropStmt' && JSON.stringify(statement.ast.objects ?? []).includes('"sval":"tenants"')) {
      report({ message: 'references a table named tenants, which does not exist in this schema', help, object: 'public.tenants' });
    }
  },
});
