import type { ReplayReport } from '../replay/types.js';
import type { ReplayCommandOptions } from '../pipeline/options.js';
import { replayProject } from '../pipeline/replay-project.js';

export interface DumpResult {
  /** pg_dump --schema-only text of the replayed schema, without \restrict lines */
  sql: string;
  report: ReplayReport;
  exitCode: 0 | 1;
}

/** `pgdrift dump`: replay the baseline and migrations on a throwaway database and dump its schema. */
export async function dump(options: ReplayCommandOptions = {}): Promise<DumpResult> {
  const { report, dump: sql } = await replayProject(options);
  return { sql, report, exitCode: report.migrationFailures.length > 0 ? 1 : 0 };
}
