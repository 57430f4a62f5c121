import path from 'node:path';
import { defineRule } from '../define-rule.js';

const NUMBER = /^(\d+)/;

export default defineRule({
  id: 'new-migration-number',
  scope: 'project',
  description: 'A new migration (not on the base ref) does not number above every merged one (with --since)',
  defaultSeverity: 'error',
  docs: 'Two PRs that took the same number, or a file slipped in before merged ones, run in a different order on each database.',
  check({ files, since, report }) {
    if (!since) return;
    let highest = -1;
    let highestName = '';
    for (const file of since.files.keys()) {
      const m = NUMBER.exec(path.posix.basename(file));
      if (m && Number(m[1]) > highest) {
        highest = Number(m[1]);
        highestName = path.posix.basename(file);
      }
    }
    if (highest < 0) return;
    for (const { migration } of files) {
      if (since.files.has(migration.file) || migration.number === undefined) continue;
      if (Number(migration.number) > highest) continue;
      report({
        file: migration.file,
        message: `new migration number ${migration.number} is not above ${highestName}, the highest on ${since.ref}`,
        help: `renumber it ${String(highest + 1).padStart(migration.number.length, '0')} (or higher) so it runs after every merged migration`,
        line: 1,
        column: 1,
      });
    }
  },
});
