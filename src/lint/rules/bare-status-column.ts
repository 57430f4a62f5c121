import { columnDefinitions } from '../ast.js';
import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'bare-status-column',
  scope: 'statement',
  description: 'A column named exactly status',
  defaultSeverity: 'error',
  docs: 'A bare "status" is ambiguous in joins and was duplicated once already; name whose status it is.',
  check({ statement, report }) {
    const help = (table: string) => `name it <entity>_status, e.g. ${singular(table)}_status (like user_status)`;
    for (const { def, relation } of columnDefinitions(statement)) {
      if (def.colname !== 'status') continue;
      report({ message: `column "status" on ${relation?.relname} is too generic`, help: help(relation?.relname ?? ''), node: def, object: relationKey(relation, 'status') });
    }
    if (statement.kind === 'RenameStmt' && statement.ast.renameType === 'OBJECT_COLUMN' && statement.ast.newname === 'status') {
      const relation = statement.ast.relation;
      report({ message: `renames ${statement.ast.subname} to the generic "status"`, help: help(relation?.relname ?? ''), object: relationKey(relation, 'status') });
    }
  },
});

function singular(table: string): string {
  const last = table.split('_').pop() ?? table;
  return last.endsWith('ies') ? `${last.slice(0, -3)}y` : last.endsWith('s') ? last.slice(0, -1) : last;
}
