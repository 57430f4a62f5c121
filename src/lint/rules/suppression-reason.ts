import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'suppression-reason',
  scope: 'engine',
  description: 'A pgdrift-ignore comment without a reason',
  defaultSeverity: 'error',
  docs: 'A suppression is a decision; the reason tells the next reader why the rule does not apply here.',
});
