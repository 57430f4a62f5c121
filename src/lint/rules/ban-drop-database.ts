import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'ban-drop-database',
  scope: 'statement',
  description: 'DROP DATABASE in a migration',
  defaultSeverity: 'error',
  docs: 'A migration runs on every environment it reaches; dropping a database there destroys all of its data at once.',
  check({ statement, report }) {
    if (statement.kind !== 'DropdbStmt') return;
    report({
      message: `DROP DATABASE ${statement.ast.dbname} in a migration`,
      help: 'drop databases by hand (or in provisioning code), never in a migration that runs on every environment',
      object: statement.ast.dbname,
    });
  },
});
