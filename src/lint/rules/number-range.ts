import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'number-range',
  scope: 'file',
  description: 'Migration numbers stay inside the configured range',
  defaultSeverity: 'error',
  docs: 'A number outside the agreed range (or a file without one) breaks ordering and the team numbering plan.',
  check({ file, options, report }) {
    const [min, max] = options.numberRange;
    const { number, name } = file.migration;
    if (number === undefined) {
      report({ message: `"${name}" has no leading migration number`, help: `start the name with a number between ${min} and ${max}, e.g. 025_${name}`, line: 1, column: 1 });
      return;
    }
    const value = Number(number);
    if (value < min || value > max) {
      report({
        message: `migration number ${number} is outside the allowed range ${min}-${max}`,
        help: 'renumber the file inside the range, or widen lint.numberRange in pgdrift.config.json',
        line: 1,
        column: 1,
      });
    }
  },
});
