import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'duplicate-number',
  scope: 'project',
  description: 'Two migrations share a number',
  defaultSeverity: 'error',
  docs: 'Two files with one number were usually written on two branches; their order depends on the rest of the name.',
  check({ files, report }) {
    const firstByNumber = new Map<number, string>();
    for (const { migration } of files) {
      if (migration.number === undefined || migration.suffix) continue;
      const value = Number(migration.number);
      const first = firstByNumber.get(value);
      if (first === undefined) {
        firstByNumber.set(value, migration.name);
        continue;
      }
      report({
        file: migration.file,
        message: `migration number ${migration.number} is also used by ${first}`,
        help: 'give the later migration the next free number (only if it has not been applied anywhere yet; otherwise baseline it)',
        line: 1,
        column: 1,
      });
    }
  },
});
