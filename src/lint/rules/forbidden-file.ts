import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'forbidden-file',
  scope: 'project',
  description: 'A forbidden file (default database/schema.sql) exists or a migration references it',
  defaultSeverity: 'error',
  docs: 'An outdated hand-written schema file gets applied or copied from; the migrations are the only source of truth.',
  check({ files, options, projectRoot, report }) {
    for (const forbidden of options.forbiddenFiles) {
      if (existsSync(path.join(projectRoot, forbidden))) {
        report({
          file: forbidden,
          message: `${forbidden} must not exist: the schema is built by the migrations only`,
          help: `delete ${forbidden}; to see the schema, run \`pgdrift dump\` or read the committed snapshot`,
          line: 1,
          column: 1,
        });
      }
    }
    const names = options.forbiddenFiles.map((f) => ({ full: f, base: path.posix.basename(f) }));
    for (const file of files) {
      // A reference is a string literal or a psql meta-command argument (\i, \ir): code, not a comment.
      const candidates: Array<{ text: string; byte?: number; line?: number; column?: number }> = [];
      if (!names.some((n) => file.migration.text.includes(n.base))) continue;
      for (const token of file.comments.tokens() ?? []) {
        if (token.tokenName === 'SCONST' || token.tokenName === 'USCONST') candidates.push({ text: token.text, byte: token.start });
      }
      for (const meta of file.parsed?.metaCommands ?? []) candidates.push({ text: meta.text, line: meta.line, column: meta.column });
      for (const candidate of candidates) {
        const hit = names.find((n) => candidate.text.includes(n.full) || candidate.text.includes(n.base));
        if (!hit) continue;
        const position = candidate.byte !== undefined ? file.comments.source.positionOfByte(candidate.byte) : { line: candidate.line!, column: candidate.column! };
        report({
          file: file.migration.file,
          message: `references the forbidden file ${hit.full}`,
          help: 'migrations must not load or copy the old schema file; write the change as SQL in the migration',
          ...position,
        });
      }
    }
  },
});
