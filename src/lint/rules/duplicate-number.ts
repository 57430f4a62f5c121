import { numbered } from '../../runners/numbered.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'duplicate-number',
  scope: 'project',
  description: 'Two migrations share a version',
  defaultSeverity: 'error',
  docs: "Two files with one version were usually written on two branches; most runners refuse them, the others order them by the rest of the name. Files the runner does not apply (down files, Flyway's R__ repeatables) have no version of their own.",
  check({ files, options, report }) {
    if (options.runner?.lint.versionIdentifies === false) return; // Prisma, drizzle: the version prefix names no migration
    // the runner's version order; without one, the default runner's (numbered: 007 = 7)
    const compare = options.runner?.compareVersions ?? numbered.compareVersions!;
    // The runner lists only what it applies (one file per up/down pair; repeatables have no version).
    const versioned = files.flatMap(({ migration }, index) => {
      const version = migration.version ?? migration.number;
      return version === undefined || migration.suffix ? [] : [{ version, name: migration.name, file: migration.file, index }];
    });
    // Versions equal in the runner's order are duplicates (Flyway's 1.0 = 1, golang-migrate's 001 = 1). Sorted, the
    // equal ones are neighbours: n log n instead of comparing each file with every earlier one.
    const sorted = [...versioned].sort((a, b) => compare(a.version, b.version) || a.index - b.index);
    const firstOf = new Map<(typeof versioned)[number], (typeof versioned)[number]>();
    for (let i = 1; i < sorted.length; i++) {
      if (compare(sorted[i - 1].version, sorted[i].version) === 0) firstOf.set(sorted[i], firstOf.get(sorted[i - 1]) ?? sorted[i - 1]);
    }
    for (const entry of versioned) {
      const first = firstOf.get(entry);
      if (!first) continue;
      report({
        file: entry.file,
        message: `migration number ${entry.version} is also used by ${first.name}`,
        help: 'give the later migration the next free version (only if it has not been applied anywhere yet; otherwise baseline it)',
        line: 1,
        column: 1,
      });
    }
  },
});

