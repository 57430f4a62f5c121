import { renderText, type Colors } from './text.js';
import type { MatrixResult } from '../pipeline/check-matrix.js';
import { jsonContract } from './json.js';

import type { Report } from './types.js';

/** Renders `check --pg 16,17,18`: each major's own report, then what differs between the majors (the headline). */
export function renderMatrixText(matrix: MatrixResult, reports: Map<number, Report>, c: Colors): string {
  const out: string[] = [];
  for (const run of matrix.runs) {
    out.push(c.bold(`── Postgres ${run.pg} ──`));
    const report = reports.get(run.pg);
    if (report) out.push(renderText(report, { colors: c }).trimEnd());
    else out.push(c.red(`✖ could not replay on Postgres ${run.pg}: ${run.error!.message}`) + (run.error!.hint ? `\n  hint: ${run.error!.hint}` : ''));
    out.push('');
  }
  out.push(c.bold(`── Between majors (${matrix.runs.map((r) => r.pg).join(', ')}) ──`));
  for (const item of matrix.majorSpecific) {
    const f = item.failure;
    out.push(
      c.red(`✖ ${f.file}:${f.line}:${f.column} fails only on Postgres ${item.failsOn.join(', ')} (applies on ${item.appliesOn.join(', ')}): ${f.message}${f.sqlstate ? ` [${f.sqlstate}]` : ''}`),
    );
  }
  for (const difference of matrix.differences) {
    if (difference.drift.length === 0) {
      out.push(c.green(`✔ Postgres ${difference.pg} replays to the same schema as Postgres ${difference.base}`));
      continue;
    }
    out.push(c.yellow(`✖ Postgres ${difference.pg} vs ${difference.base}: ${difference.drift.length} schema difference${difference.drift.length > 1 ? 's' : ''}`));
    for (const item of difference.drift) out.push(`  ${item.change === 'added' ? `+ only on ${difference.pg}` : item.change === 'removed' ? `- only on ${difference.base}` : '~ differs'}: ${item.kind} ${item.name}`);
  }
  for (const run of matrix.runs) {
    const verdict = run.exitCode === 0 ? c.green('clean') : run.result ? c.red(`exit ${run.exitCode}`) : c.red(`not replayed (exit ${run.exitCode})`);
    out.push(`Postgres ${run.pg}: ${verdict}`);
  }
  return `${out.join('\n')}\n`;
}

/** The JSON of a matrix: every major's usual check contract under `runs`, plus what differs between majors. */
export function renderMatrixJson(matrix: MatrixResult, reports: Map<number, Report>): string {
  const json = {
    runs: matrix.runs.map((run) => ({
      pg: run.pg,
      exitCode: run.exitCode,
      ...(reports.has(run.pg) ? jsonContract(reports.get(run.pg)!) : { error: run.error }),
    })),
    majorSpecificFailures: matrix.majorSpecific,
    differences: matrix.differences,
    exitCode: matrix.exitCode,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
