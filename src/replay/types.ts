import type { RunnerRoleEditKind } from '../sql/runner-role.js';
import type { EngineInfo } from '../engine/types.js';

/** One migration file that could not be applied. Field names are a public JSON contract. */
export interface MigrationFailure {
  /** relative to the project root, as given */
  file: string;
  line: number;
  column: number;
  sqlstate: string;
  message: string;
  detail?: string;
  hint?: string;
  /** first line of the failing statement */
  statement?: string;
}

/** `rolled-back`: it applied, then a later file failed inside the runner's one transaction (drizzle) and undid it. */
export type FileStatus = 'applied' | 'failed' | 'skipped' | 'rolled-back';

export interface FileResult {
  file: string;
  /** baseline files are applied before the migrations */
  role: 'baseline' | 'migration';
  status: FileStatus;
  ms: number;
  /** not applied in this run: its effect came from the replay cache (a reused dump or saved prefix state) */
  cached?: boolean;
}

/** The outcome of replaying the baseline and migrations on a throwaway database. */
export interface ReplayReport {
  engine: EngineInfo;
  files: FileResult[];
  migrationFailures: MigrationFailure[];
  /** files in the migrations folder the runner would not apply (a misnamed migration...), with the reason */
  skippedFiles?: Array<{ file: string; reason: string; appliedByRunner?: boolean }>;
  /** what the project's runner settings leave uncertain (Runner.notices), when anything */
  notices?: string[];
  /**
   * the extensions the migrations create that the embedded engine replayed with pgdrift's stand-ins (stand-ins.ts:
   * same schema objects, stub function bodies), when any
   */
  standIns?: string[];
  /**
   * server and docker engines: what the replay role, standing for the role the runner connects as (Runner.connectsAs),
   * did not run of the migrations or ran said otherwise, when anything (src/sql/runner-role.ts): `statements` left out
   * whole (ALTER ... OWNER TO that role, a GRANT or REVOKE to or from it alone), `clauses` left out or said otherwise
   * (FOR ROLE that role, it among other grantees, SET ROLE it as SET ROLE NONE); `of`: which of those kinds
   */
  runnerRole?: RunnerRoleReport;
  /**
   * statements on a database by name that the replay left out (sql/named-database.ts: `ALTER DATABASE app SET ...`,
   * `COMMENT ON DATABASE app`, `GRANT ... ON DATABASE app`), when any: the names, how many, and the first one's place
   */
  databaseStatements?: DatabaseStatementsLeftOut;
}

/** ReplayReport.databaseStatements */
export interface DatabaseStatementsLeftOut {
  databases: string[];
  statements: number;
  first: { file: string; line: number; text: string };
}

/** ReplayReport.runnerRole */
export interface RunnerRoleReport {
  role: string;
  statements: number;
  clauses: number;
  of: RunnerRoleEditKind[];
}
