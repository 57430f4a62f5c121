import type { Report } from './types.js';

/**
 * The documented JSON contracts, one per command (other tools rely on these keys; add, never rename):
 *   check → {drift, migrationFailures, snapshot: {path, pgDumpVersion}, engine, findings} (+ unconfirmed: {reason, hint}
 *            when the confirming reload could not run; those drift items carry `confirmed: false`)
 *   lint  → {findings, suppressed, baselined} (+ migrationFailures when replaying failed)
 *   diff  → {drift, sides}
 *   dump / snapshot → {engine, files, migrationFailures}
 *   (+ skippedFiles: [{file, reason}] on check, dump and snapshot when the runner would not apply some files)
 *   (+ notices: [string] on check, dump and snapshot when the runner's settings leave the replay uncertain)
 *   (+ standIns: [string] on check and dump when the embedded engine replayed extensions with pgdrift's stand-ins)
 *   (+ runnerRole: {role, statements, clauses, of} on check and dump when, on a server, the replay role stood for the role
 *      the runner connects as and left out or said otherwise a statement naming it: OWNER TO, FOR ROLE, a grantee, SET ROLE)
 *   (+ databaseStatements: {databases, statements, first: {file, line, text}} on check and dump when the replay left
 *      out statements on the team's database by its name: ALTER DATABASE app SET ..., GRANT ... ON DATABASE app)
 *   (+ notCompared: [string] on check and diff when the sides differ where they are not compared: privileges, owners)
 * and `timings` ({totalMs, stages: [{stage, ms, detail, side?, files?}]}) on every command that timed its stages.
 */
export function jsonContract(report: Report): Record<string, unknown> {
  const contract = commandContract(report);
  return report.timings ? { ...contract, timings: report.timings } : contract;
}

function commandContract(report: Report): Record<string, unknown> {
  switch (report.command) {
    case 'check':
      return {
        drift: report.drift ?? [],
        migrationFailures: report.migrationFailures,
        snapshot: report.snapshot ? compact({ path: report.snapshot.path, pgDumpVersion: report.snapshot.pgDumpVersion, postgresVersion: report.snapshot.postgresVersion, handWritten: report.snapshot.handWritten }) : null,
        engine: report.engine ?? null,
        findings: report.findings ?? [],
        ...(report.unconfirmed ? { unconfirmed: report.unconfirmed } : {}),
        ...(report.skippedFiles?.length ? { skippedFiles: report.skippedFiles } : {}),
        ...(report.notices?.length ? { notices: report.notices, assumptionsAccepted: report.assumptionsAccepted ?? false } : {}),
        ...(report.standIns?.length ? { standIns: report.standIns } : {}),
        ...(report.runnerRole ? { runnerRole: report.runnerRole } : {}),
        ...(report.databaseStatements ? { databaseStatements: report.databaseStatements } : {}),
        ...(report.notCompared?.length ? { notCompared: report.notCompared } : {}),
      };
    case 'lint':
      return compact({
        findings: report.findings ?? [],
        suppressed: report.suppressed ?? 0,
        baselined: report.baselined ?? 0,
        migrationFailures: report.migrationFailures.length > 0 ? report.migrationFailures : undefined,
      });
    case 'diff':
      return {
        drift: report.drift ?? [],
        sides: report.sides ?? null,
        ...(report.unconfirmed ? { unconfirmed: report.unconfirmed } : {}),
        ...(report.notCompared?.length ? { notCompared: report.notCompared } : {}),
      };
    case 'dump':
    case 'snapshot':
      return compact({
        engine: report.engine ?? null,
        files: report.files ?? [],
        skippedFiles: report.skippedFiles?.length ? report.skippedFiles : undefined,
        notices: report.notices?.length ? report.notices : undefined,
        standIns: report.standIns?.length ? report.standIns : undefined,
        migrationFailures: report.migrationFailures,
        snapshot: report.command === 'snapshot' ? report.snapshot : undefined,
      });
  }
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(jsonContract(report), null, 2)}\n`;
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
