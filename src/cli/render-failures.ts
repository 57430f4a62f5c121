import type pc from 'picocolors';
import type { MigrationFailure } from '../replay/types.js';

/** Migration failures for people: file:line:column, SQLSTATE, message, then detail / hint / statement. */
export function renderFailuresText(failures: MigrationFailure[], colors: ReturnType<typeof pc.createColors>): string {
  const lines: string[] = [];
  for (const failure of failures) {
    lines.push(`${colors.red('✖')} ${colors.bold(`${failure.file}:${failure.line}:${failure.column}`)} ${colors.red(`[${failure.sqlstate}]`)} ${failure.message}`);
    if (failure.detail) lines.push(`    detail: ${failure.detail}`);
    if (failure.hint) lines.push(`    hint: ${failure.hint}`);
    if (failure.statement) lines.push(colors.dim(`    in: ${failure.statement}`));
  }
  lines.push(colors.red(`${failures.length} migration file${failures.length === 1 ? '' : 's'} failed`));
  return `${lines.join('\n')}\n`;
}
