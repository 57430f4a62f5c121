import type { DriftItem, FieldChange } from '../diff/types.js';
import type { Finding, Severity } from '../lint/types.js';
import type { Report } from './types.js';

/** Words every renderer uses for the same data, so the five formats say the same thing. */

export function isFieldChanges(details: DriftItem['details']): details is FieldChange[] {
  return details.length > 0 && typeof details[0] === 'object';
}

export function formatFieldValue(value: string | null): string {
  return value === null ? '(none)' : value;
}

/** One line per detail: `type: text → integer` for a changed attribute, the folded text otherwise. */
export function detailLines(item: DriftItem): string[] {
  if (isFieldChanges(item.details)) {
    return item.details.map((change) => `${change.field}: ${formatFieldValue(change.from)} → ${formatFieldValue(change.to)}`);
  }
  return [...(item.details as string[])];
}

const CHANGE_WORDS: Record<DriftItem['change'], string> = {
  added: 'only in the migrations',
  removed: 'only in the snapshot',
  changed: 'differs',
};

/** `public.users.email: column differs (type: text → integer)`: a one-line description of a drift item. */
export function driftSentence(item: DriftItem): string {
  const details = detailLines(item);
  const head = `${item.name}: ${item.kind.replace('_', ' ')} ${CHANGE_WORDS[item.change]}`;
  return details.length > 0 && isFieldChanges(item.details) ? `${head} (${details.join('; ')})` : head;
}

/**
 * The table a drift item belongs to, for grouping: `public.users` for the table itself and for its columns,
 * constraints, indexes, triggers and policies; undefined for objects that do not hang off a table.
 */
export function driftTable(item: DriftItem): string | undefined {
  switch (item.kind) {
    case 'table':
    case 'view':
    case 'materialized_view':
      return item.name;
    case 'column':
    case 'constraint':
    case 'index':
    case 'trigger':
    case 'policy':
    case 'comment': {
      const parts = item.name.split('.');
      return parts.length >= 3 ? `${parts[0]}.${parts[1]}` : undefined;
    }
    default:
      return undefined;
  }
}

export const SIGN: Record<DriftItem['change'], string> = { added: '+', removed: '-', changed: '~' };

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** check: how many runner assumptions (notices) the replay rests on that were not accepted (--accept-assumptions): each makes the check fail. */
export function unacceptedAssumptions(report: Report): number {
  return report.command === 'check' && !report.assumptionsAccepted ? (report.notices?.length ?? 0) : 0;
}

/** `2 failed migrations, 4 drift items, 1 error, 2 warnings`; empty when there is nothing to report. */
export function problemSummary(report: Report): string[] {
  const parts: string[] = [];
  if (report.migrationFailures.length > 0) parts.push(plural(report.migrationFailures.length, 'failed migration'));
  if (report.drift && report.drift.length > 0) parts.push(plural(report.drift.length, report.command === 'diff' ? 'difference' : 'drift item'));
  const assumptions = unacceptedAssumptions(report);
  if (assumptions > 0) parts.push(plural(assumptions, "assumption about the runner's settings", "assumptions about the runner's settings"));
  if (report.findings && report.findings.length > 0) {
    const counts = countSeverities(report.findings);
    for (const severity of ['error', 'warning', 'info'] as Severity[]) {
      if (counts[severity] > 0) parts.push(severity === 'info' ? `${counts.info} info` : plural(counts[severity], severity));
    }
  }
  return parts;
}

/** `3 suppressed, 5 baselined`: findings hidden on purpose, said so the reader knows they exist. */
export function hiddenSummary(report: Report): string[] {
  const parts: string[] = [];
  if (report.suppressed) parts.push(`${report.suppressed} suppressed`);
  if (report.baselined) parts.push(`${report.baselined} baselined`);
  return parts;
}

/**
 * The not-compared line of a check whose replay applied no migration (a syntax error or a failure in the first file):
 * the comparison would list the whole snapshot as missing. The text verdict recognises it.
 */
export const NO_MIGRATION_APPLIED = 'the schema: no migration applied, so the replayed database is no account of the migrations (fix the failure above and check again)';

/** What a clean run of the command vouches for, e.g. "the migrations match docs/…/schema-actual-2025-11-06.sql". */
export function cleanSentence(report: Report): string {
  switch (report.command) {
    case 'check':
      return report.snapshot ? `no drift: the migrations match ${report.snapshot.path}` : 'no drift';
    case 'diff':
      return report.sides ? `no differences between ${report.sides.a.label} and ${report.sides.b.label}` : 'no differences';
    case 'lint':
      return 'no lint findings';
    default:
      return `${plural(report.files?.length ?? 0, 'file')} applied`;
  }
}

export function severityOrder(severity: Severity): number {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
}
