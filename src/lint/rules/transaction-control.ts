import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'transaction-control',
  scope: 'statement',
  description: 'BEGIN / COMMIT / ROLLBACK / SAVEPOINT inside a migration',
  defaultSeverity: 'warning',
  docs: 'The runner owns the transaction: a COMMIT in the middle of a file makes a failure leave half a migration applied.',
  check({ statement, options, report }) {
    if (statement.kind !== 'TransactionStmt') return;
    const word = statement.text.split(/\s+/, 1)[0].toUpperCase();
    const semantics = options.runner?.lint.transactions ?? 'the runner sends each file as one query, which Postgres runs as one implicit transaction';
    report({
      message: `${word} inside a migration: ${semantics}`,
      help: "remove the transaction statements and let the runner's transaction cover the file; split the file if a part must run outside it (use the runner's own opt-out directive)",
    });
  },
});
