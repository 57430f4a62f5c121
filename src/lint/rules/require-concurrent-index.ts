import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';
import { concurrentlyFix } from '../fix-edits.js';

export default defineRule({
  id: 'require-concurrent-index',
  scope: 'statement',
  description: 'CREATE INDEX without CONCURRENTLY on a table created by an earlier migration',
  defaultSeverity: 'warning',
  docs: 'A plain CREATE INDEX blocks writes to the table for the whole build.',
  check({ file, parsed, statement, isExistingTable, inTransaction, options, report }) {
    if (statement.kind !== 'IndexStmt' || statement.ast.concurrent) return;
    const relation = statement.ast.relation;
    if (!relation || !isExistingTable(relation)) return;
    report({
      message: `CREATE ${statement.ast.unique ? 'UNIQUE ' : ''}INDEX ${statement.ast.idxname ?? ''} on existing table ${relation.relname} blocks writes while it builds`.replace('  ', ' '),
      help: `write CREATE INDEX CONCURRENTLY, which cannot run in a transaction: ${options.runner?.lint.outsideTransaction ?? 'put it alone in its own migration file'}`,
      object: relationKey(relation),
      fix: concurrentlyFix(file, parsed, statement, inTransaction, ['CREATE', 'UNIQUE?', 'INDEX']),
    });
  },
});
