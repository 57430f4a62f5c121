import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'duplicate-number',
  scope: 'project',
  description: 'Two migrations share a version',
  defaultSeverity: 'error',
  docs: "Two files with one version were usually written on two branches; most runners refuse them, the others order them by the rest of the name. Files the runner does not apply (down files, Flyway's R__ repeatables) have no version of their own.",
  check({ files, options, report }) {
    const firstByVersion = new Map<string, string>();
    const compare = options.runner?.compareVersions;
    const key = (version: string) => {
      // Versions equal in the runner's order are duplicates: Flyway's 1.0 = 1, golang-migrate's 001 = 1.
      for (const seen of firstByVersion.keys()) if (compare ? compare(seen, version) === 0 : Number(seen) === Number(version)) return seen;
      return version;
    };
    for (const { migration } of files) {
      // The runner lists only what it applies (one file per up/down pair; repeatables have no version).
      const version = migration.version ?? migration.number;
      if (version === undefined || migration.suffix) continue;
      const k = key(version);
      const first = firstByVersion.get(k);
      if (first === undefined) {
        firstByVersion.set(k, migration.name);
        continue;
      }
      report({
        file: migration.file,
        message: `migration number ${version} is also used by ${first}`,
        help: 'give the later migration the next free version (only if it has not been applied anywhere yet; otherwise baseline it)',
        line: 1,
        column: 1,
      });
    }
  },
});
