import { structuredPatch } from 'diff/lib/patch/create.js'; // one module of diff's 19: start-up
import type { DriftItem } from '../diff/types.js';
import type { Finding } from '../lint/types.js';
import type { MigrationFailure } from '../replay/types.js';
import { cleanSentence, countSeverities, detailLines, hiddenSummary, problemSummary, SIGN, unacceptedAssumptions } from './describe.js';
import type { Report } from './types.js';

/** Escapes text for a GitHub-flavoured Markdown table cell or paragraph: no HTML, no table breaks, no emphasis. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([*_`[\]])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

/** Inline code that survives any content (backticks, pipes in a table). */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const body = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return body.startsWith('`') || body.endsWith('`') ? `${fence} ${body} ${fence}` : `${fence}${body}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(language: string, text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

function details(summary: string, body: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

const COMMAND_TITLES: Record<Report['command'], string> = {
  check: 'pgdrift check',
  lint: 'pgdrift lint',
  diff: 'pgdrift diff',
  dump: 'pgdrift dump',
  snapshot: 'pgdrift snapshot',
};

/** A summary for `$GITHUB_STEP_SUMMARY` or a PR comment: counts, tables of drift and findings, details folded. */
export function renderMarkdown(report: Report): string {
  const problems = problemSummary(report);
  const hidden = hiddenSummary(report);
  const status =
    problems.length === 0
      ? `✅ ${cleanSentence(report)}${report.notCompared?.length ? ' (apart from what was not compared, below)' : ''}`
      : `${report.exitCode === 0 ? '⚠️' : '❌'} ${problems.join(', ')}`;
  const blocks: string[] = [`## ${COMMAND_TITLES[report.command]}: ${escapeMarkdown(status)}`];

  const context: string[] = [];
  if (report.snapshot) context.push(`Snapshot: ${code(report.snapshot.path)}${report.snapshot.handWritten ? ` (hand-written: loaded into ${escapeMarkdown(report.snapshot.handWritten.engine)} and dumped again)` : report.snapshot.pgDumpVersion ? ` (pg_dump ${escapeMarkdown(report.snapshot.pgDumpVersion)})` : ''}`);
  if (report.sides) context.push(`Compared: ${code(report.sides.a.label)} → ${code(report.sides.b.label)}`);
  if (report.engine) context.push(`Engine: ${escapeMarkdown(report.engine.name)} · Postgres ${escapeMarkdown(report.engine.postgresVersion)} · pg_dump ${escapeMarkdown(report.engine.pgDumpVersion)}`);
  if (context.length > 0) blocks.push(context.join('<br>\n'));

  // what the verdict rests on (the runner's settings pgdrift assumed) and what it leaves out, as the text report says
  if (report.notices?.length) {
    const heading = unacceptedAssumptions(report) > 0 ? "**Assumptions about the runner's settings** (not accepted: pass `--accept-assumptions` once checked)" : "**Assumptions about the runner's settings**";
    blocks.push(`${heading}\n\n${report.notices.map((notice) => `- ${escapeMarkdown(notice)}`).join('\n')}`);
  }
  if (report.unconfirmed) blocks.push(`**Drift unconfirmed:** ${escapeMarkdown(report.unconfirmed.reason)} (${escapeMarkdown(report.unconfirmed.hint)})`);
  if (report.notCompared?.length) blocks.push(`**Not compared**\n\n${report.notCompared.map((text) => `- ${escapeMarkdown(text)}`).join('\n')}`);
  blocks.push(countsTable(report, hidden));
  if (report.migrationFailures.length > 0) blocks.push(failuresSection(report.migrationFailures));
  if (report.drift && report.drift.length > 0) blocks.push(driftSection(report, report.drift));
  if (report.findings && report.findings.length > 0) blocks.push(findingsSection(report.findings));
  return `${blocks.join('\n\n')}\n`;
}

function countsTable(report: Report, hidden: string[]): string {
  const rows: [string, string][] = [];
  if (report.command !== 'lint') rows.push(['Failed migrations', String(report.migrationFailures.length)]);
  else if (report.migrationFailures.length > 0) rows.push(['Failed migrations', String(report.migrationFailures.length)]);
  if (report.drift !== undefined || report.command === 'check' || report.command === 'diff') rows.push([report.command === 'diff' ? 'Differences' : 'Drift items', String(report.drift?.length ?? 0)]);
  if (report.findings !== undefined) {
    const counts = countSeverities(report.findings);
    rows.push(['Lint errors', String(counts.error)], ['Lint warnings', String(counts.warning)], ['Lint info', String(counts.info)]);
  }
  if (hidden.length > 0) rows.push(['Hidden findings', escapeMarkdown(hidden.join(', '))]);
  return ['| | Count |', '| --- | ---: |', ...rows.map(([label, value]) => `| ${label} | ${value} |`)].join('\n');
}

function position(file: string, line: number, column?: number): string {
  return code(`${file}:${line}${column ? `:${column}` : ''}`);
}

function failuresSection(failures: MigrationFailure[]): string {
  const rows = failures.map((f) => `| ${position(f.file, f.line, f.column)} | ${code(f.sqlstate)} | ${escapeMarkdown(f.message)} |`);
  const table = ['| Location | SQLSTATE | Error |', '| --- | --- | --- |', ...rows].join('\n');
  const more = failures
    .filter((f) => f.detail || f.hint || f.statement)
    .map((f) => {
      const lines = [`**${escapeMarkdown(f.file)}:${f.line}:${f.column}**`, ''];
      if (f.detail) lines.push(`- detail: ${escapeMarkdown(f.detail)}`);
      if (f.hint) lines.push(`- hint: ${escapeMarkdown(f.hint)}`);
      if (f.statement) lines.push(`- statement: ${code(f.statement)}`);
      return lines.join('\n');
    });
  const body = more.length > 0 ? `\n\n${details('Details of the failures', more.join('\n\n'))}` : '';
  return `### Failed migrations\n\n${table}${body}`;
}

const CHANGE_LABEL: Record<DriftItem['change'], string> = { added: 'only in migrations', removed: 'only in snapshot', changed: 'changed' };

function driftSection(report: Report, drift: DriftItem[]): string {
  // diff names its sides A and B (a dump file, a URL, a migrations folder), not snapshot and migrations
  const sides = report.command === 'diff' && report.sides ? { from: report.sides.a.label, to: report.sides.b.label } : undefined;
  const changeLabel = sides ? { added: 'only in B', removed: 'only in A', changed: 'changed' } : CHANGE_LABEL;
  const rows = drift.map((item) => {
    const migration = item.source.migration ? position(item.source.migration.file, item.source.migration.line, item.source.migration.column) : '';
    const snapshot = item.source.snapshot ? `line ${item.source.snapshot.line}` : '';
    const unconfirmed = item.confirmed === false ? ' (unconfirmed)' : '';
    return `| ${SIGN[item.change]} ${changeLabel[item.change]}${unconfirmed} | ${escapeMarkdown(item.kind.replace('_', ' '))} | ${code(item.name)} | ${migration} | ${snapshot} |`;
  });
  const header = sides ? `| Change | Kind | Object | Migration | ${escapeMarkdown(`A: ${sides.from}`)} |` : '| Change | Kind | Object | Migration | Snapshot |';
  const table = [header, '| --- | --- | --- | --- | --- |', ...rows].join('\n');
  const more = drift
    .filter((item) => item.details.length > 0 || (item.ddl?.snapshot !== undefined && item.ddl?.migrations !== undefined))
    .map((item) => {
      const lines = [`**${SIGN[item.change]} ${escapeMarkdown(item.kind.replace('_', ' '))} ${code(item.name)}**`, ''];
      for (const line of detailLines(item)) lines.push(`- ${escapeMarkdown(line)}`);
      if (item.change === 'changed' && item.ddl?.snapshot !== undefined && item.ddl?.migrations !== undefined) {
        const patch = ddlPatch(item.ddl.snapshot, item.ddl.migrations, sides);
        if (patch) lines.push('', fenced('diff', patch));
      }
      return lines.join('\n');
    });
  const body = more.length > 0 ? `\n\n${details('Details of the drift', more.join('\n\n'))}` : '';
  return `### Drift\n\n${table}${body}`;
}

function ddlPatch(snapshot: string, migrations: string, names = { from: 'snapshot', to: 'migrations' }): string {
  const nl = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  const patch = structuredPatch(names.from, names.to, nl(snapshot), nl(migrations), undefined, undefined, { context: 2 });
  const lines = [`--- ${names.from}`, `+++ ${names.to}`];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    lines.push(...hunk.lines.filter((line) => !line.startsWith('\\')));
  }
  return patch.hunks.length > 0 ? lines.join('\n') : '';
}

const SEVERITY_LABEL: Record<Finding['severity'], string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' };

function findingsSection(findings: Finding[]): string {
  const rows = findings.map((f) => `| ${SEVERITY_LABEL[f.severity]} | ${code(f.rule)} | ${position(f.file, f.line, f.column)} | ${escapeMarkdown(f.message)} |`);
  const table = ['| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |', ...rows].join('\n');
  const more = findings
    .filter((f) => f.help || f.object)
    .map((f) => {
      const lines = [`- ${code(f.rule)} at ${position(f.file, f.line, f.column)}${f.object ? ` on ${code(f.object)}` : ''}`];
      if (f.help) lines.push(`  ${escapeMarkdown(f.help)}`);
      return lines.join('<br>\n');
    });
  const body = more.length > 0 ? `\n\n${details('How to fix', more.join('\n'))}` : '';
  return `### Lint findings\n\n${table}${body}`;
}
