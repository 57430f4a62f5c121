import type { DriftItem } from '../diff/types.js';
import type { EngineInfo } from '../engine/types.js';
import type { Finding } from '../lint/types.js';
import type { DatabaseStatementsLeftOut, FileResult, MigrationFailure, RunnerRoleReport } from '../replay/types.js';
import type { Timings } from '../pipeline/timings.js';

/** Which pg_dump / Postgres wrote one side of a comparison. */
export interface SideInfo {
  /** what the side is: a file path, `snapshot <path>`, a URL without its password, or `migrations folder <path>` */
  label: string;
  /** relative path of the file, when the side is a file */
  path?: string;
  pgDumpVersion?: string;
  postgresVersion?: string;
  handWritten?: HandWrittenLoad;
}

/** A file pg_dump did not write: loaded into a throwaway database of `engine` (after the files in `after`) and dumped again. */
export interface HandWrittenLoad {
  engine: string;
  after: string[];
  /** a set of schema files (Supabase declarative schemas): the files loaded, in order */
  files?: string[];
}

/**
 * What every renderer (text, json, github, sarif, markdown) receives: the same data for check, lint, diff
 * and dump, with the parts that do not apply left out.
 */
export interface Report {
  command: 'check' | 'lint' | 'diff' | 'dump' | 'snapshot';
  engine?: EngineInfo;
  files?: FileResult[];
  /** check / dump / snapshot: files in the migrations folder the runner would not apply */
  skippedFiles?: Array<{ file: string; reason: string; appliedByRunner?: boolean }>;
  /** check / dump / snapshot: what the project's runner settings leave uncertain (Spring Boot's spring.flyway.enabled=false) */
  notices?: string[];
  /** check / dump / snapshot: the extensions replayed with pgdrift's stand-ins on the embedded engine (stand-ins.ts) */
  standIns?: string[];
  /** check: what the replay role, standing for the runner's connecting role, did not run (ReplayReport.runnerRole) */
  runnerRole?: RunnerRoleReport;
  /** check: statements on the team's database by name that the replay left out (ReplayReport.databaseStatements) */
  databaseStatements?: DatabaseStatementsLeftOut;
  /** check, with notices: whether they were accepted (--accept-assumptions); if not, no drift found is not a pass */
  assumptionsAccepted?: boolean;
  migrationFailures: MigrationFailure[];
  drift?: DriftItem[];
  findings?: Finding[];
  /** check: the snapshot compared against */
  snapshot?: { path: string; pgDumpVersion?: string; postgresVersion?: string; handWritten?: HandWrittenLoad };
  /** diff: the two sides */
  sides?: { a: SideInfo; b: SideInfo };
  /** check / diff: why some drift items carry `confirmed: false`, and the engine option that would confirm them */
  unconfirmed?: { reason: string; hint: string };
  /**
   * check / diff: what differs between the two sides where the comparison does not look, by design (privileges without
   * `--include privileges`; in diff of two schemas, owners), when anything: a clean result says so
   */
  notCompared?: string[];
  /** lint: findings hidden by inline suppressions / the baseline */
  suppressed?: number;
  baselined?: number;
  /** where the time went, stage by stage (the report stage itself is still running when this is rendered) */
  timings?: Timings;
  exitCode: number;
}
