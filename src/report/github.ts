import type { DriftItem } from '../diff/types.js';
import { detailLines, driftSentence, isFieldChanges, unacceptedAssumptions } from './describe.js';
import type { Report } from './types.js';

/**
 * GitHub Actions workflow commands (https://docs.github.com/actions/reference/workflow-commands-for-github-actions):
 * one `::error|warning|notice file=…,line=…,col=…,title=…::message` line per finding, failed migration and drift
 * item, so they appear on the pull request diff. Escaping follows @actions/core's command.ts.
 */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface AnnotationProperties {
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

/** Escapes a message: `%`, CR and LF. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: as a message, plus `:` and `,` (they delimit properties). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(level: AnnotationLevel, properties: AnnotationProperties, message: string): string {
  const props = (['file', 'line', 'col', 'title'] as const)
    .filter((key) => properties[key] !== undefined && properties[key] !== '')
    .map((key) => `${key}=${escapeProperty(String(properties[key]))}`);
  return `::${level}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(message)}`;
}

export function renderGithub(report: Report): string {
  const lines: string[] = [];
  for (const failure of report.migrationFailures) {
    const extra = [failure.detail && `detail: ${failure.detail}`, failure.hint && `hint: ${failure.hint}`, failure.statement && `in: ${failure.statement}`].filter(Boolean);
    lines.push(
      workflowCommand(
        'error',
        { file: failure.file, line: failure.line, col: failure.column, title: `migration failed [${failure.sqlstate}]` },
        [failure.message, ...extra].join('\n'),
      ),
    );
  }
  for (const item of report.drift ?? []) lines.push(driftAnnotation(item));
  // what the verdict rests on or leaves out, so a run that fails on an assumption (or passes with something not
  // compared) says why on the pull request too, as the text report does
  const failing = unacceptedAssumptions(report) > 0;
  for (const notice of report.notices ?? []) lines.push(workflowCommand(failing ? 'error' : 'notice', { title: failing ? 'assumption not accepted (--accept-assumptions)' : 'assumption' }, notice));
  if (report.unconfirmed) lines.push(workflowCommand('warning', { title: 'drift unconfirmed' }, `${report.unconfirmed.reason}\nhint: ${report.unconfirmed.hint}`));
  for (const text of report.notCompared ?? []) lines.push(workflowCommand('notice', { title: 'not compared' }, text));
  for (const finding of report.findings ?? []) {
    const level: AnnotationLevel = finding.severity === 'info' ? 'notice' : finding.severity;
    const message = finding.help ? `${finding.message}\nhelp: ${finding.help}` : finding.message;
    lines.push(workflowCommand(level, { file: finding.file, line: finding.line, col: finding.column, title: finding.rule }, message));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/**
 * Drift with a migration position is an error on that line; without one, on the snapshot line when known;
 * with no file position at all, a notice naming the object (it still fails the check).
 */
function driftAnnotation(item: DriftItem): string {
  const details = isFieldChanges(item.details) ? [] : detailLines(item);
  const message = [driftSentence(item), ...details.map((detail) => `  ${detail}`)].join('\n');
  const migration = item.source.migration;
  if (migration) return workflowCommand('error', { file: migration.file, line: migration.line, col: migration.column, title: `drift/${item.kind}` }, message);
  const snapshot = item.source.snapshot;
  if (snapshot) return workflowCommand('error', { file: snapshot.file, line: snapshot.line, title: `drift/${item.kind}` }, message);
  return workflowCommand('notice', { title: 'drift' }, message);
}
