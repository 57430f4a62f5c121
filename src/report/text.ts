import { structuredPatch } from 'diff/lib/patch/create.js'; // one module of diff's 19: start-up
import pc from 'picocolors';
import type { DriftItem } from '../diff/types.js';
import type { Finding } from '../lint/types.js';
import { isVirtualFile } from '../migrations/virtual-file.js';
import type { MigrationFailure } from '../replay/types.js';
import { NO_MIGRATION_APPLIED, cleanSentence, countSeverities, detailLines, driftTable, hiddenSummary, plural, problemSummary, SIGN, unacceptedAssumptions } from './describe.js';
import { sanitizeReport } from './sanitize.js';
import type { Report, SideInfo } from './types.js';

export type Colors = ReturnType<typeof pc.createColors>;

export interface TextOptions {
  /** picocolors `createColors(enabled)`; default: no colors */
  colors?: Colors;
}

const OTHER_OBJECTS = '(not in a table)';

/** Who wrote the snapshot: pg_dump (with the versions its header gives), or a person (then how it was compared). */
function snapshotOrigin(snapshot: Pick<SideInfo, 'handWritten'>, versions: string, engine: Report['engine']): string {
  const loaded = snapshot.handWritten;
  if (!loaded) return versions ? `written by ${versions}` : 'no pg_dump version header';
  const after = loaded.after.length > 0 ? ` after ${loaded.after.join(', ')}` : '';
  if (loaded.files) return `${loaded.files.length} hand-written schema files, loaded in this order into a throwaway ${loaded.engine} database${after} and compared as ${engine ? `pg_dump ${engine.pgDumpVersion}` : 'its pg_dump'} prints it: ${shownFiles(loaded.files)}`;
  return `hand-written (not pg_dump output): loaded into a throwaway ${loaded.engine} database${after} and compared as ${engine ? `pg_dump ${engine.pgDumpVersion}` : 'its pg_dump'} prints it`;
}

/**
 * The first files of a long list, and how many more: a Supabase project's schema_paths may name every schema file
 * (field: gonasi/gonasi, 201 of them), which made the header a wall of names. The JSON report lists every file.
 */
function shownFiles(files: readonly string[]): string {
  const SHOWN = 10;
  if (files.length <= SHOWN + 1) return files.join(', ');
  return `${files.slice(0, SHOWN).join(', ')} and ${files.length - SHOWN} more (--format json lists them all)`;
}

/** The report for people: failures, drift grouped by table with attribution and DDL diffs, findings, a summary line. */
export function renderText(report: Report, options: TextOptions = {}): string {
  const c = options.colors ?? pc.createColors(false);
  const sections: string[] = [];
  if (report.engine) {
    const engine = report.engine;
    sections.push(c.dim(`engine: ${engine.name}${engine.image ? ` (${engine.image})` : ''} · Postgres ${engine.postgresVersion}${engine.majorReason ? ` (${engine.majorReason})` : ''} · pg_dump ${engine.pgDumpVersion}${engine.replayCache === 'dump' ? ' · replay reused from cache' : engine.replayCache === 'prefix' ? ` · ${engine.reusedFiles} file${engine.reusedFiles === 1 ? '' : 's'} reused from cache` : ''}`));
  }
  // a dump without pg_dump's "Dumped from / by" header lines (dbmate and supabase db dump strip them) says nothing of either
  const versions = (side: { pgDumpVersion?: string; postgresVersion?: string }) =>
    [side.pgDumpVersion && `pg_dump ${side.pgDumpVersion}`, side.postgresVersion && `from Postgres ${side.postgresVersion}`].filter(Boolean).join(' ');
  const written = (side: SideInfo) => (side.handWritten ? snapshotOrigin(side, versions(side), report.engine) : versions(side) || 'no pg_dump version header');
  if (report.snapshot) sections.push(c.dim(`snapshot: ${report.snapshot.path} · ${snapshotOrigin(report.snapshot, versions(report.snapshot), report.engine)}`));
  if (report.sides) sections.push(c.dim(`A: ${report.sides.a.label} · ${written(report.sides.a)}\nB: ${report.sides.b.label} · ${written(report.sides.b)}`));
  if (report.migrationFailures.length > 0) sections.push(renderFailures(report.migrationFailures, c));
  if (report.drift && report.drift.length > 0) sections.push(renderDrift(report, report.drift, c));
  if (report.unconfirmed) sections.push(renderUnconfirmed(report, c));
  if (report.findings && report.findings.length > 0) sections.push(renderFindings(report.findings, c));
  sections.push(renderSummary(report, c));
  return `${sections.join('\n\n')}\n`;
}

/** Failed migrations for people: file:line:column, SQLSTATE and message, then detail, hint and the statement. */
export function renderFailures(unsafe: MigrationFailure[], c: Colors): string {
  // also called on its own (dump, snapshot, docs print failures to stderr): sanitized here, idempotently
  const failures = sanitizeReport({ command: 'dump', migrationFailures: unsafe, exitCode: 1 }, { escapeControls: true }).migrationFailures;
  const lines = [c.bold(`Failed migrations (${failures.length})`)];
  for (const failure of failures) {
    lines.push(`${c.red('✖')} ${c.bold(`${failure.file}:${failure.line}:${failure.column}`)} ${c.red(`[${failure.sqlstate}]`)} ${indentContinuation(failure.message)}`);
    if (failure.detail) lines.push(`    detail: ${indentContinuation(failure.detail)}`);
    if (failure.hint) lines.push(`    hint: ${indentContinuation(failure.hint)}`);
    if (failure.statement) lines.push(c.dim(`    in: ${failure.statement}`));
  }
  return lines.join('\n');
}

function driftHeading(report: Report, count: number): string {
  if (report.command === 'diff' && report.sides) return `Differences (${count}): ${report.sides.a.label} → ${report.sides.b.label}`;
  if (report.snapshot) return `Drift (${count}): the migrations vs ${report.snapshot.path}`;
  return `Drift (${count})`;
}

function renderDrift(report: Report, drift: DriftItem[], c: Colors): string {
  const groups = new Map<string, DriftItem[]>();
  for (const item of drift) {
    const key = driftTable(item) ?? OTHER_OBJECTS;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === OTHER_OBJECTS ? 1 : b === OTHER_OBJECTS ? -1 : a.localeCompare(b)));
  const lines = [c.bold(driftHeading(report, drift.length))];
  for (const key of keys) {
    lines.push(c.bold(c.cyan(key)));
    for (const item of groups.get(key)!) lines.push(...renderDriftItem(report, item, c));
  }
  return lines.join('\n');
}

/** Differences the reload could not confirm: why, and the engine option that would confirm them. */
function renderUnconfirmed(report: Report, c: Colors): string {
  const count = (report.drift ?? []).filter((item) => item.confirmed === false).length;
  return [
    c.yellow(`⚠ ${plural(count, 'difference')} could not be confirmed (marked "unconfirmed" above): each may be Postgres printing the same expression differently, or real`),
    `    why: ${indentContinuation(report.unconfirmed!.reason)}`,
    `    to confirm: ${indentContinuation(report.unconfirmed!.hint)}`,
  ].join('\n');
}

/** What the two sides of a drift item are called: the snapshot and the migrations, or diff's A and B. */
function sideNames(report: Report): { from: string; to: string } {
  if (report.command === 'diff' && report.sides) return { from: report.sides.a.label, to: report.sides.b.label };
  return { from: 'snapshot', to: 'migrations' };
}

function renderDriftItem(report: Report, item: DriftItem, c: Colors): string[] {
  const paint = item.change === 'added' ? c.green : item.change === 'removed' ? c.red : c.yellow;
  const where: string[] = [];
  const m = item.source.migration;
  const at = m && `${m.file}:${m.line}${m.column ? `:${m.column}` : ''}`;
  if (report.command === 'diff') {
    // A's line, then B's (`a.sql:1 → b.sql:3`; `→ b.sql:3` for what only B has)
    const a = item.source.snapshot && `${item.source.snapshot.file}:${item.source.snapshot.line}`;
    if (a || at) where.push([a, at && `→ ${at}`].filter(Boolean).join(' '));
  } else {
    if (at) where.push(`← ${at}`);
    // a set of schema files: the line is in one of them, named
    const s = item.source.snapshot;
    if (s) where.push(report.snapshot?.handWritten?.files ? `schema ${s.file}:${s.line}` : `snapshot line ${s.line}`);
  }
  if (where.length === 0) where.push('no source position');
  const unconfirmed = item.confirmed === false ? ` ${c.yellow('(unconfirmed)')}` : '';
  const lines = [`  ${paint(SIGN[item.change])} ${item.kind.replace('_', ' ')} ${c.bold(item.name)}${unconfirmed}  ${c.dim(where.join(' · '))}`];
  for (const detail of detailLines(item)) lines.push(`      ${detail}`);
  if (item.change === 'changed' && item.ddl?.snapshot !== undefined && item.ddl?.migrations !== undefined) {
    const names = sideNames(report);
    lines.push(...ddlDiff(item.ddl.snapshot, item.ddl.migrations, c, names).map((line) => `      ${line}`));
  }
  return lines;
}

/** A small unified diff of one object's DDL: snapshot (-) against what the migrations produce (+), or diff's A against B. */
export function ddlDiff(snapshot: string, migrations: string, c: Colors, names = { from: 'snapshot', to: 'migrations' }): string[] {
  const patch = structuredPatch(names.from, names.to, withNewline(snapshot), withNewline(migrations), undefined, undefined, { context: 2 });
  if (patch.hunks.length === 0) return [];
  const lines = [c.dim(`--- ${names.from}`), c.dim(`+++ ${names.to}`)];
  for (const hunk of patch.hunks) {
    lines.push(c.cyan(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue;
      lines.push(line.startsWith('+') ? c.green(line) : line.startsWith('-') ? c.red(line) : c.dim(line));
    }
  }
  return lines;
}

/** Later lines of a multi-line message line up under the first, so they do not read as new entries. */
function indentContinuation(text: string): string {
  return text.replace(/\r?\n/g, '\n    ');
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function renderFindings(findings: Finding[], c: Colors): string {
  const lines = [c.bold(`Lint findings (${findings.length})`)];
  for (const finding of findings) {
    const severity = finding.severity === 'error' ? c.red('error') : finding.severity === 'warning' ? c.yellow('warning') : c.blue('info');
    lines.push(`${c.bold(`${finding.file}:${finding.line}:${finding.column}`)} ${severity} ${c.dim(finding.rule)} ${indentContinuation(finding.message)}`);
    if (finding.object) lines.push(c.dim(`    object: ${finding.object}`));
    if (finding.help) lines.push(c.dim(`    help: ${finding.help}`));
  }
  return lines.join('\n');
}

function renderSummary(report: Report, c: Colors): string {
  if (report.command === 'check') return checkVerdicts(report, c).join('\n');
  const problems = problemSummary(report);
  const hidden = hiddenSummary(report);
  const tail = hidden.length > 0 ? c.dim(` (${hidden.join(', ')})`) : '';
  const before = notComparedLines(report, c);
  if (problems.length === 0) return [...before, `${c.green('✔')} ${cleanSentence(report)}${notComparedTail(report)}${tail}`].join('\n');
  if (before.length > 0) return [...before, renderProblems(report, problems, tail, c)].join('\n');
  return renderProblems(report, problems, tail, c);
}

/**
 * `ℹ not compared: privileges: 2 GRANT ... on one side only (...)`: what differs where the comparison does not look
 * by design, said above the verdict, so that a clean verdict is never a bare "no differences" over a difference.
 */
function notComparedLines(report: Report, c: Colors): string[] {
  return (report.notCompared ?? []).map((text) => `${c.blue('ℹ')} not compared: ${text}`);
}

function notComparedTail(report: Report): string {
  return report.notCompared?.length ? ' (apart from what was not compared, above)' : '';
}

function renderProblems(report: Report, problems: string[], tail: string, c: Colors): string {
  const mark = report.exitCode === 0 ? c.yellow('⚠') : c.red('✖');
  const unconfirmed = unconfirmedCount(report);
  return `${mark} ${problems.join(', ')}${unconfirmed > 0 ? ` (${unconfirmed} unconfirmed)` : ''}${tail}`;
}

function unconfirmedCount(report: Report): number {
  return (report.drift ?? []).filter((item) => item.confirmed === false).length;
}

/**
 * check's closing lines: the replay, the lint and the drift verdict, each stated whatever the others say (a page
 * of lint warnings must not hide whether the schema drifted). The drift verdict comes last.
 */
function checkVerdicts(report: Report, c: Colors): string[] {
  const failures = report.migrationFailures.length;
  // the project's files: pgdrift's own (a runner's bookkeeping table, a platform baseline) are not counted
  const files = report.files?.filter((file) => !isVirtualFile(file.file));
  const total = files?.length;
  const applied = files?.filter((file) => file.status === 'applied').length;
  const replay =
    failures === 0
      ? `${c.green('✔')} replay: ${total === undefined ? 'every file applied' : `${plural(total, 'file')} applied`}`
      : `${c.red('✖')} replay: ${plural(failures, 'failed migration')}${total === undefined ? '' : ` (${applied} of ${plural(total, 'file')} applied)`}`;
  const lines = [replay];
  const unreplayable = (report.skippedFiles ?? []).filter((f) => f.appliedByRunner);
  if (unreplayable.length > 0) {
    lines.push(`${c.red('✖')} replay incomplete: ${plural(unreplayable.length, 'migration')} the runner applies could not be replayed (${unreplayable.map((f) => f.file).join(', ')}): the schema compared lacks their effect`);
  }
  if (report.findings !== undefined) {
    const counts = countSeverities(report.findings);
    const parts = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => (s === 'info' ? `${counts.info} info` : plural(counts[s], s)));
    const hidden = hiddenSummary(report);
    const tail = hidden.length > 0 ? c.dim(` (${hidden.join(', ')})`) : '';
    const mark = counts.error > 0 ? c.red('✖') : parts.length > 0 ? c.yellow('⚠') : c.green('✔');
    lines.push(`${mark} lint: ${parts.length > 0 ? parts.join(', ') : 'no findings'}${tail}`);
  }
  lines.push(...notComparedLines(report, c));
  const drift = report.drift ?? [];
  const against = report.snapshot ? ` against ${report.snapshot.path}` : '';
  const partial = failures > 0 || unreplayable.length > 0 ? ' (of the files that applied: the replay did not complete)' : '';
  const unaccepted = unacceptedAssumptions(report);
  const accepted = (report.notices?.length ?? 0) - unaccepted;
  if (drift.length === 0 && report.notCompared?.includes(NO_MIGRATION_APPLIED)) {
    lines.push(`${c.yellow('⚠')} drift not compared${against}: no migration applied (the replay stopped at the failure above)`);
  } else if (drift.length === 0 && (failures > 0 || unreplayable.length > 0)) lines.push(`${c.yellow('⚠')} no drift${against}${partial}`);
  else if (drift.length === 0 && unaccepted > 0) {
    lines.push(
      `${c.red('✖')} no drift found${against}, but the replay rests on ${plural(unaccepted, 'assumption')} about the runner's settings (the notices): not a clean result; settle them as the notices say, or pass --accept-assumptions`,
    );
  } else if (drift.length === 0) {
    lines.push(`${c.green('✔')} ${cleanSentence(report)}${notComparedTail(report)}${accepted > 0 ? ` (${plural(accepted, 'accepted assumption')} about the runner's settings)` : ''}`);
  } else {
    const unconfirmed = unconfirmedCount(report);
    lines.push(`${c.red('✖')} drift: ${plural(drift.length, 'drift item')}${against}${unconfirmed > 0 ? `, ${unconfirmed} unconfirmed` : ''}${partial}`);
  }
  return lines;
}
