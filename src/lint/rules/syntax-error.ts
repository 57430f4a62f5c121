import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'syntax-error',
  scope: 'engine',
  description: 'The file does not parse (reported at the exact position of the Postgres parser)',
  defaultSeverity: 'error',
  docs: 'A file that does not parse cannot run; none of its statements can be checked either.',
});
