import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'number-gap',
  scope: 'project',
  description: 'Sequential migration numbers skip a value',
  defaultSeverity: 'warning',
  docs: 'A gap usually means a file was deleted, renamed, or is still sitting on another branch. Only for runners whose versions are consecutive integers, never timestamps.',
  check({ files, options, report }) {
    // Timestamps and dotted versions (dbmate, goose, golang-migrate, Flyway, Supabase, Prisma) have gaps by design.
    if (options.runner && !options.runner.lint.sequentialVersions) return;
    let previous: number | undefined;
    const seen = new Set<number>();
    const numberOf = (m: { version?: string; number?: string }) => m.version ?? m.number;
    const ordered = files
      .filter((f) => numberOf(f.migration) !== undefined && /^\d{1,9}$/.test(numberOf(f.migration)!))
      .sort((a, b) => Number(numberOf(a.migration)) - Number(numberOf(b.migration)));
    for (const { migration } of ordered) {
      const value = Number(numberOf(migration));
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
