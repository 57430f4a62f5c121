import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'number-gap',
  scope: 'project',
  description: 'Migration numbers skip a value',
  defaultSeverity: 'warning',
  docs: 'A gap usually means a file was deleted, renamed, or is still sitting on another branch.',
  check({ files, report }) {
    let previous: number | undefined;
    const seen = new Set<number>();
    const ordered = files.filter((f) => f.migration.number !== undefined).sort((a, b) => Number(a.migration.number) - Number(b.migration.number));
    for (const { migration } of ordered) {
      const value = Number(migration.number);
      if (seen.has(value)) continue;
      seen.add(value);
      if (previous !== undefined && value > previous + 1) {
        const missing = value - 1 === previous + 1 ? `${previous + 1}` : `${previous + 1}-${value - 1}`;
        report({
          file: migration.file,
          message: `migration numbers jump from ${previous} to ${value} (missing ${missing})`,
          help: 'number migrations consecutively; if a file was deleted on purpose, baseline this finding',
          line: 1,
          column: 1,
        });
      }
      previous = value;
    }
  },
});
