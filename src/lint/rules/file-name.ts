import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'file-name',
  scope: 'file',
  description: 'Migration file names follow NNN_snake_case.sql',
  defaultSeverity: 'error',
  docs: 'Runners order files by name; a letter suffix or a stray name sorts where nobody expects it.',
  check({ file, options, report }) {
    const { name, suffix, number } = file.migration;
    if (options.fileNamePattern.test(name)) return;
    if (suffix) {
      report({
        message: `"${name}" has a letter suffix after its number ("${number}${suffix}_")`,
        help: 'give the migration the next free number instead of squeezing it between two others; runners sort "009b_" after "009_" but people do not expect it',
        line: 1,
        column: 1,
      });
      return;
    }
    report({
      message: `"${name}" does not match the migration file name pattern ${options.fileNamePattern.source}`,
      help: 'rename it NNN_snake_case.sql, e.g. 025_add_user_preferences.sql (or set lint.fileNamePattern)',
      line: 1,
      column: 1,
    });
  },
});
