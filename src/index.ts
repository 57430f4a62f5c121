/**
 * pgdrift as a library: every CLI command is one of these functions; they return typed results and never print
 * or exit. `import { check, lint, diff, dump, snapshot, docs } from 'pgdrift'`.
 */
export { check, type CheckOptions, type CheckResult } from './commands/check.js';
export { diff, type DiffOptions, type DiffResult } from './commands/diff.js';
export { docs, type DocsOptions, type DocsResult } from './commands/docs.js';
export { dump, type DumpResult } from './commands/dump.js';
export { init, type InitOptions, type InitResult } from './commands/init.js';
export { lint, type LintOptions, type LintResult } from './commands/lint.js';
export { snapshot, type SnapshotOptions, type SnapshotResult } from './commands/snapshot.js';
export type { ReplayCommandOptions } from './pipeline/options.js';

export { buildSchemaModel } from './model/build.js';
export type { SchemaModel } from './model/types.js';
export { diffModels } from './diff/diff.js';
export type { ChangeKind, DriftItem, DriftSource, FieldChange, ObjectKind } from './diff/types.js';
export type { Finding, Severity } from './lint/types.js';
export type { FileResult, MigrationFailure, ReplayReport } from './replay/types.js';
export type { Engine, EngineInfo, EngineName } from './engine/types.js';
export { openEngine, withEngine } from './engine/index.js';
export { renderReport, type FormatName, type Report } from './report/index.js';
export { ExitCode, PgdriftError, InputError, EngineError } from './errors.js';
