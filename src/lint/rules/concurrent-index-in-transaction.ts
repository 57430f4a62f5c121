import { concurrentForm } from '../../sql/transaction-block.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'concurrent-index-in-transaction',
  scope: 'statement',
  description: 'CONCURRENTLY (index build, drop, reindex, partition detach) inside a transaction block: it fails at run time',
  defaultSeverity: 'error',
  docs: 'Postgres refuses CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY in a transaction block: the migration fails when it runs.',
  check({ statement, inTransaction, report }) {
    if (!inTransaction) return;
    const what = concurrentForm(statement);
    if (!what) return;
    report({
      message: `${what} cannot run inside a transaction block (the runner's, or a BEGIN earlier in the file): the migration fails`,
      help: 'move the statement to a file the runner applies outside a transaction (see your runner\'s no-transaction option), or drop CONCURRENTLY if the table is new or small',
    });
  },
});
