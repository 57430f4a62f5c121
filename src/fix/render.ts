import type { FixOptions, FixPlan, FixStep } from './types.js';
import type { DriftItem } from '../diff/types.js';

/**
 * The plan as one SQL script. A destructive step is written as comments (with the reason) unless allowDestructive;
 * a header says what was left out and what must run outside a transaction.
 */
export function renderFixSql(plan: FixPlan, options: FixOptions = {}, unwritten: readonly DriftItem[] = []): string {
  // Differences no step serves (a materialized view's access method) are named, never covered by "no differences":
  // `diff --sql` of such a pair printed "no differences, nothing to do" (a false clean).
  if (plan.steps.length === 0 && unwritten.length > 0) {
    const n = unwritten.length;
    const them = n > 1 ? 'them' : 'it';
    const missing = unwritten.map((item) => `--   ${item.change} ${item.kind} ${item.name}`);
    return `${[`-- pgdrift: no DDL written for ${n} difference${n > 1 ? 's' : ''} (write ${them} by hand; pgdrift diff without --sql describes ${them}):`, ...missing].join('\n')}\n`;
  }
  if (plan.steps.length === 0) return '-- pgdrift: no differences, nothing to do\n';
  const header: string[] = [];
  if (plan.unsafeCount > 0) {
    header.push(`-- ${plan.unsafeCount} destructive step${plan.unsafeCount > 1 ? 's are' : ' is'} left as comments (marked UNSAFE): re-run with --allow-destructive to write ${plan.unsafeCount > 1 ? 'them' : 'it'}.`);
  }
  if (plan.steps.some((s) => s.outsideTransaction)) {
    header.push('-- CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block: run this script statement by statement.');
  }
  const body = plan.steps.map((step) => renderStep(step, options.allowDestructive ?? false));
  return `${[...header, ...(header.length > 0 ? [''] : []), ...body].join('\n')}\n`;
}

export function renderStep(step: FixStep, allowDestructive: boolean): string {
  const lines: string[] = [];
  if (step.note) lines.push(`-- ${step.note}`);
  if (step.unsafe && !allowDestructive) {
    lines.push(`-- UNSAFE, not run: ${step.unsafe}`);
    lines.push(...step.sql.split('\n').map((line) => (line.startsWith('--') ? line : `-- ${line}`)));
  } else {
    if (step.unsafe) lines.push(`-- destructive: ${step.unsafe}`);
    lines.push(step.sql);
  }
  return lines.join('\n');
}

/** The statements of a plan as a list (for running them one by one, e.g. CREATE INDEX CONCURRENTLY). */
export function runnableStatements(plan: FixPlan, allowDestructive: boolean): string[] {
  return plan.steps.filter((s) => allowDestructive || !s.unsafe).filter((s) => !s.sql.startsWith('--')).map((s) => s.sql);
}
