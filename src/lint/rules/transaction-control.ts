import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'transaction-control',
  scope: 'statement',
  description: 'BEGIN / COMMIT / ROLLBACK / SAVEPOINT inside a migration',
  defaultSeverity: 'warning',
  docs: 'The runner owns the transaction: a COMMIT in the middle of a file makes a failure leave half a migration applied.',
  check({ statement, report }) {
    if (statement.kind !== 'TransactionStmt') return;
    const word = statement.text.split(/\s+/, 1)[0].toUpperCase();
    report({
      message: `${word} inside a migration: the runner already wraps each file in a transaction`,
      help: 'remove the transaction statements; split the file if a part must run outside the transaction',
    });
  },
});
