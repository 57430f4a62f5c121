import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'file-name',
  scope: 'file',
  description: "Migration file names follow the runner's naming pattern",
  defaultSeverity: 'error',
  docs: 'A runner skips or misorders a file whose name does not follow its pattern; a letter suffix sorts where nobody expects it.',
  check({ file, options, report }) {
    const { name, suffix, number } = file.migration;
    if (options.fileNamePattern.test(name)) return;
    const runner = options.runner;
    if (suffix && (!runner || runner.name === 'numbered')) {
      report({
        message: `"${name}" has a letter suffix after its number ("${number}${suffix}_")`,
        help: 'give the migration the next free number instead of squeezing it between two others; runners sort "009b_" after "009_" but people do not expect it',
        line: 1,
        column: 1,
      });
      return;
    }
    const example = options.customFileNamePattern || !runner ? undefined : runner.lint.example;
    report({
      message: `"${name}" does not match the migration file name pattern ${options.fileNamePattern.source}`,
      help: example ? `rename it like ${example} (the ${runner!.name} naming), or set lint.fileNamePattern` : 'rename it to match lint.fileNamePattern (or change the pattern)',
      line: 1,
      column: 1,
    });
  },
});
