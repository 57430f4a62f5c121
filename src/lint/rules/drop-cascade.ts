import { alterTableCommandNode, alterTableCommands } from '../ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'drop-cascade',
  scope: 'statement',
  description: 'DROP ... CASCADE (or TRUNCATE ... CASCADE)',
  defaultSeverity: 'warning',
  docs: 'CASCADE silently drops every dependent view, constraint or row, which the author rarely listed.',
  check({ file, statement, report }) {
    const help = 'drop the dependent objects explicitly first, then drop without CASCADE, so the migration says what it removes';
    if ((statement.kind === 'DropStmt' || statement.kind === 'TruncateStmt') && statement.ast.behavior === 'DROP_CASCADE') {
      report({ message: `${statement.kind === 'DropStmt' ? 'DROP' : 'TRUNCATE'} ... CASCADE also removes everything that depends on it`, help });
    }
    for (const command of alterTableCommands(statement)) {
      if (command.behavior === 'DROP_CASCADE' && (command.subtype === 'AT_DropColumn' || command.subtype === 'AT_DropConstraint')) {
        report({ message: `${command.subtype === 'AT_DropColumn' ? 'DROP COLUMN' : 'DROP CONSTRAINT'} ${command.name} CASCADE also removes everything that depends on it`, help, node: alterTableCommandNode(statement, command, () => file.comments.tokens()) });
      }
    }
  },
});
