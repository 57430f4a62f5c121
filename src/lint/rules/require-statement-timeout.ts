import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';
import { tableLocks, timeoutSetting } from '../locks.js';
import { concurrentForm } from '../../sql/transaction-block.js';

export default defineRule({
  id: 'require-statement-timeout',
  scope: 'statement',
  description: 'A statement that locks an existing table with no SET statement_timeout before it in the file (opt-in)',
  defaultSeverity: 'warning',
  docs: 'A statement_timeout stops a scan or rewrite that runs far longer than planned while it holds its lock.',
  check({ statement, schema, tableAge, fileState, report }) {
    const state = fileState(() => ({ set: false, reported: false }));
    const setting = timeoutSetting(statement, 'statement_timeout');
    if (setting !== undefined) {
      state.set = setting;
      return;
    }
    // CONCURRENTLY builds are long by design and hold only a weak lock: a timeout would leave an INVALID index.
    if (state.set || state.reported || concurrentForm(statement)) return;
    const lock = tableLocks(statement, schema).find((l) => tableAge(l.relation) === 'existing');
    if (!lock) return;
    state.reported = true;
    report({
      message: `locks existing table ${lock.relation.relname} (${lock.mode}) with no statement_timeout set in this file`,
      help: "start the file with SET statement_timeout = '5s'; (sized to the statement) unless the runner's connection already sets one",
      object: relationKey(lock.relation),
    });
  },
});
