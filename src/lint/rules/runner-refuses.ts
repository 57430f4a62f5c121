import { defineRule } from '../define-rule.js';

/**
 * The runner's own refusal of a file, found while planning it (src/runners): Flyway's mixed transactional and
 * non-transactional statements or a placeholder with no value, a goose annotation goose rejects... `check` and
 * `dump` fail the replay there; lint says so too, so a pull request's lint run does not call such a file clean.
 */
export default defineRule({
  id: 'runner-refuses',
  scope: 'file',
  description: "The migration runner would refuse the file (its own rule, e.g. Flyway's mixed statements or a placeholder with no value)",
  defaultSeverity: 'error',
  docs: 'A file the runner refuses never runs: the deploy stops there.',
  check({ file, report }) {
    const problem = file.migration.planProblem;
    if (!problem) return;
    report({ message: problem.message, help: problem.hint ?? 'change the file so the runner accepts it', line: problem.line, column: problem.column });
  },
});
