import type { MigrationFile } from '../migrations/discover.js';
import type { Runner } from '../runners/types.js';
import type { ParsedSql, ParsedStatement } from '../sql/parse.js';
import type { LintComments } from './comments.js';
import type { SchemaState, TrackedOrigin } from './schema-state.js';
import type { Severity } from './types.js';

/** Options of the lint section of the config, with defaults applied: what rules may read. */
export interface RuleOptions {
  fileNamePattern: RegExp;
  forbiddenFiles: string[];
  numberRange: [number, number];
  /** "today" (YYYY-MM-DD) for the future-date check; injectable for tests */
  today: string;
  /**
   * Whether the runner executes a file inside a transaction block (where CONCURRENTLY fails and the safe
   * recipes that need autocommit do not apply). A function when it differs per file (a runner's no-transaction
   * header). Default false.
   */
  runnerTransaction?: boolean | ((file: MigrationFile) => boolean);
  /** the project's migration runner: its naming, version order and transaction semantics (default numbered) */
  runner?: Runner;
  /** lint.fileNamePattern was set by the user (then file-name says nothing runner-specific) */
  customFileNamePattern?: boolean;
}

/**
 * How new a table is where a statement touches it: created earlier in the same file, created by a file of this
 * change (not on the `--since` base ref, so not deployed anywhere yet), or existing (created by a merged file, or
 * unknown to the history: then it predates it). Only an existing table can hold rows a lock or rewrite would hurt.
 */
export type TableAge = 'file' | 'change' | 'existing';

/** One migration file as the rules see it: discovered, scanned and (when it parses) parsed. */
export interface LintFile {
  migration: MigrationFile;
  /** position in runner order among the linted migrations */
  index: number;
  parsed?: ParsedSql;
  comments: LintComments;
}

/** What `--since <ref>` found on the base ref: migration path (relative to the root) → its text. */
export interface SinceSnapshot {
  ref: string;
  /** migrations folder relative to the project root, forward slashes */
  folder: string;
  files: Map<string, string>;
}

/** Where a finding points. Rules give a node (with a UTF-8 `location`), a byte offset or a line/column; never a severity. */
export interface ReportDescriptor {
  message: string;
  help: string;
  object?: string;
  /** an AST node whose `location` marks the spot (default: the statement's first token) */
  node?: { location?: number } | null;
  byteLocation?: number;
  line?: number;
  column?: number;
  /** a mechanical, safe rewrite `pgdrift lint --fix` may apply (to new files only) */
  fix?: Fix;
}

/** One replacement in a migration file, in UTF-8 bytes (what AST locations and scanner tokens count). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** What --fix does for a finding: a title for the printout and the edits, computed only when fixing (it may scan the file). */
export interface Fix {
  title: string;
  /** undefined when the text around the finding is not in the shape the fix expects (then nothing is changed) */
  edits(): TextEdit[] | undefined;
}

export interface ProjectReportDescriptor extends ReportDescriptor {
  /** relative to the project root */
  file: string;
  /**
   * The migration the finding is about, when `file` is another file (drizzle's journal): its pgdrift-ignore-file
   * comments suppress the finding, and `pgdrift lint <that migration>` reports it.
   */
  about?: string;
}

export interface ProjectContext {
  /** every file, after the statement pass: statements keep their text and positions, not their syntax trees */
  files: readonly LintFile[];
  options: RuleOptions;
  projectRoot: string;
  since?: SinceSnapshot;
  report(descriptor: ProjectReportDescriptor): void;
}

export interface FileContext {
  file: LintFile;
  options: RuleOptions;
  report(descriptor: ReportDescriptor): void;
}

export interface StatementContext {
  file: LintFile;
  parsed: ParsedSql;
  statement: ParsedStatement;
  /** previous statements of the same file, in order */
  earlierInFile: readonly ParsedStatement[];
  /** the schema as the history left it just before this statement */
  schema: SchemaState;
  /** true when tableAge(relation) is 'existing': created by an earlier merged file, or unknown (then it predates the history) */
  isExistingTable(relation: { schemaname?: string; relname?: string } | undefined): boolean;
  tableAge(relation: { schemaname?: string; relname?: string } | undefined): TableAge;
  /** the statement runs inside a transaction block: the runner's (RuleOptions.runnerTransaction) or an explicit BEGIN earlier in the file */
  inTransaction: boolean;
  /** state the rule keeps across the statements of this file (one object per rule and file, made by `init`), e.g. "already reported" */
  fileState<T extends object>(init: () => T): T;
  options: RuleOptions;
  report(descriptor: ReportDescriptor): void;
}

export interface SchemaContext {
  /** the end state after every linted file */
  schema: SchemaState;
  options: RuleOptions;
  report(descriptor: ReportDescriptor & { at: TrackedOrigin }): void;
}

interface RuleBase<Id extends string> {
  id: Id;
  /** one line, shown by `pgdrift lint --list-rules` and in SARIF */
  description: string;
  /** severity when a config names the rule without a preset setting it (presets decide the rest) */
  defaultSeverity: Severity;
  /** one sentence: why the rule exists (the full page is docs/rules/<id>.md) */
  docs: string;
}

/**
 * A rule sees one scope and reports through its context; it never decides severity, suppression or exit status.
 * `project` rules see the file list, `file` rules one file, `statement` rules one statement with the schema
 * history before it, `schema` rules the end state; `engine` rules are reported by the lint engine itself.
 */
export type Rule<Id extends string = string> =
  | (RuleBase<Id> & { scope: 'project'; check(ctx: ProjectContext): void })
  | (RuleBase<Id> & { scope: 'file'; check(ctx: FileContext): void })
  | (RuleBase<Id> & { scope: 'statement'; check(ctx: StatementContext): void })
  | (RuleBase<Id> & { scope: 'schema'; check(ctx: SchemaContext): void })
  | (RuleBase<Id> & { scope: 'engine' });

/** Identity function that keeps the rule id as a literal type for the registry. */
export function defineRule<const Id extends string>(rule: Rule<Id>): Rule<Id> {
  return rule;
}

export function ruleDocsPath(id: string): string {
  return `docs/rules/${id}.md`;
}
