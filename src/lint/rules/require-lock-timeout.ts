import { relationKey } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';
import { tableLocks, timeoutSetting } from '../locks.js';

export default defineRule({
  id: 'require-lock-timeout',
  scope: 'statement',
  description: 'A statement that locks an existing table with no SET lock_timeout before it in the file (opt-in)',
  defaultSeverity: 'warning',
  docs: 'A DDL lock request waits behind every open transaction on the table, and every query queues behind it: a lock_timeout bounds the outage.',
  check({ statement, schema, tableAge, fileState, report }) {
    const state = fileState(() => ({ set: false, reported: false }));
    const setting = timeoutSetting(statement, 'lock_timeout');
    if (setting !== undefined) {
      state.set = setting;
      return;
    }
    if (state.set || state.reported) return;
    const lock = tableLocks(statement, schema).find((l) => tableAge(l.relation) === 'existing');
    if (!lock) return;
    state.reported = true;
    report({
      message: `locks existing table ${lock.relation.relname} (${lock.mode}) with no lock_timeout set in this file`,
      help: "start the file with SET lock_timeout = '2s'; (retry the migration when it times out) unless the runner's connection already sets one",
      object: relationKey(lock.relation),
    });
  },
});
