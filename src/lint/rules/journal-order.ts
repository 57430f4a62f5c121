import path from 'node:path';
import { defineRule } from '../define-rule.js';
import type { LintFile } from '../define-rule.js';

interface Newest {
  file: LintFile;
  when: number;
}

export default defineRule({
  id: 'journal-order',
  scope: 'project',
  description: "A drizzle journal entry whose `when` is not above every earlier entry's: drizzle skips it on existing databases",
  defaultSeverity: 'error',
  docs: "drizzle's migrate() applies an entry only if its `when` is above the newest `created_at` already recorded, so such an entry runs on a fresh database (and in pgdrift's replay) but never on one that ran the earlier entry, without a word.",
  check({ files, since, report }) {
    const merged = (file: LintFile) => !since || since.files.has(file.migration.file);
    // With --since, a merged entry already ran wherever it is deployed: only merged entries before it count.
    let newest: Newest | undefined;
    let newestMerged: Newest | undefined;
    for (const file of files) {
      const journal = file.migration.journal;
      if (!journal || typeof journal.when !== 'number' || !Number.isFinite(journal.when)) continue;
      const when = journal.when;
      const before = merged(file) ? newestMerged : newest;
      if (before && when <= before.when) {
        const tag = tagOf(file);
        const earlier = tagOf(before.file);
        report({
          file: journal.file,
          about: file.migration.file,
          line: journal.line,
          column: journal.column,
          message:
            `${tag} has "when" ${when}, ${when === before.when ? 'equal to' : 'below'} ${earlier}'s ${before.when}: drizzle applies an entry only if its "when" is ` +
            `above the newest one recorded in __drizzle_migrations, so ${tag} runs on a fresh database but is skipped, without an error, on every database that applied ${earlier} in an earlier run`,
          help:
            since && !merged(file)
              ? `give ${tag} a "when" above ${before.when}: drizzle-kit writes the time it generated the entry, so regenerate it after rebasing, or write the current time in milliseconds`
              : `if ${tag} is deployed nowhere yet, give it a "when" above ${before.when}; databases that skipped it never ran its SQL: repeat that in a new migration, idempotent (IF NOT EXISTS), and baseline this finding`,
        });
      }
      if (!newest || when > newest.when) newest = { file, when };
      if (merged(file) && (!newestMerged || when > newestMerged.when)) newestMerged = { file, when };
    }
  },
});

function tagOf(file: LintFile): string {
  return path.posix.basename(file.migration.name, '.sql');
}
