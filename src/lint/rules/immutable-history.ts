import path from 'node:path';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'immutable-history',
  scope: 'project',
  description: 'A migration that exists on the base ref was edited, renamed or deleted (with --since)',
  defaultSeverity: 'error',
  docs: 'Merged migrations have already run on other databases; editing them makes those databases differ from new ones.',
  check({ files, since, report }) {
    if (!since) return;
    const current = new Map(files.map((f) => [f.migration.file, f]));
    const currentByText = new Map<string, string>();
    for (const f of files) if (!since.files.has(f.migration.file)) currentByText.set(normalizeNewlines(f.migration.source ?? f.migration.text), f.migration.file);
    for (const [file, oldText] of since.files) {
      const now = current.get(file);
      if (now) {
        if (normalizeNewlines(now.migration.source ?? now.migration.text) === normalizeNewlines(oldText)) continue;
        const line = firstDifferentLine(oldText, now.migration.source ?? now.migration.text);
        report({
          file,
          message: `${path.posix.basename(file)} was edited after it was merged (differs from ${since.ref})`,
          help: 'revert the edit and write the change as a new migration with the next number',
          line,
          column: 1,
        });
        continue;
      }
      const renamedTo = currentByText.get(normalizeNewlines(oldText));
      if (renamedTo) {
        report({
          file: renamedTo,
          message: `${path.posix.basename(renamedTo)} is ${path.posix.basename(file)} renamed (merged on ${since.ref})`,
          help: 'keep the merged name: runners record applied migrations by name and would apply it again',
          line: 1,
          column: 1,
        });
      } else {
        report({
          file,
          message: `${path.posix.basename(file)} was deleted, but it is merged on ${since.ref}`,
          help: 'restore the file; to undo its effect, write a new migration',
          line: 1,
          column: 1,
        });
      }
    }
  },
});

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

function firstDifferentLine(a: string, b: string): number {
  const la = normalizeNewlines(a).split('\n');
  const lb = normalizeNewlines(b).split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) if (la[i] !== lb[i]) return Math.min(i + 1, Math.max(lb.length, 1));
  return 1;
}
