import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'unused-suppression',
  scope: 'engine',
  description: 'A pgdrift-ignore comment that silences nothing (or names an unknown rule)',
  defaultSeverity: 'warning',
  docs: 'A stale suppression hides the next real finding at that spot and misleads readers.',
});
