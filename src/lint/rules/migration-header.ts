import { defineRule } from '../define-rule.js';

const TEMPLATE = 'start the file with:\n-- Migration NNN: Title\n-- Purpose: Brief explanation\n-- Created: YYYY-MM-DD';

export default defineRule({
  id: 'migration-header',
  scope: 'file',
  description: 'The file starts with the Migration / Purpose / Created header, and it is right',
  defaultSeverity: 'error',
  docs: 'The header is how people (and generated docs) know what a migration does and when it was written.',
  check({ file, options, report }) {
    const { header } = file.comments;
    const { migration } = file;
    if (!header.migration && !header.purpose && !header.created) {
      report({ message: 'missing migration header', help: TEMPLATE, line: 1, column: 1 });
      return;
    }
    if (!header.migration) {
      report({ message: 'missing "-- Migration NNN: Title" header line', help: TEMPLATE, line: 1, column: 1 });
    } else {
      const { number, line, column } = header.migration;
      if (migration.number !== undefined && !sameNumber(number, migration.number, migration.suffix)) {
        report({
          message: `header says migration ${number} but the file is number ${migration.number}${migration.suffix ?? ''}`,
          help: `make the header "-- Migration ${migration.number}${migration.suffix ?? ''}: ..." (or rename the file)`,
          line,
          column,
        });
      }
      if (header.migration.title === '') report({ message: 'the Migration header line has no title', help: TEMPLATE, line, column });
    }
    if (!header.purpose) {
      report({ message: 'missing "-- Purpose: ..." header line', help: TEMPLATE, ...afterHeader(header) });
    }
    if (!header.created) {
      report({ message: 'missing "-- Created: YYYY-MM-DD" header line', help: TEMPLATE, ...afterHeader(header) });
      return;
    }
    const { value, line, column } = header.created;
    if (!isValidDate(value)) {
      report({ message: `"${value}" is not a valid YYYY-MM-DD date`, help: 'write the date the migration was created, e.g. -- Created: 2025-11-06', line, column });
    } else if (value > options.today) {
      report({ message: `created date ${value} is in the future`, help: 'use the date the migration was written (today or earlier)', line, column });
    }
  },
});

function afterHeader(header: { migration?: { line: number } }): { line: number; column: number } {
  return { line: header.migration?.line ?? 1, column: 1 };
}

function sameNumber(headerNumber: string, fileNumber: string, fileSuffix: string | undefined): boolean {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(headerNumber);
  if (!m) return false;
  return Number(m[1]) === Number(fileNumber) && m[2].toLowerCase() === (fileSuffix ?? '').toLowerCase();
}

export function isValidDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
}
