import path from 'node:path';
import { parseMigration, type MigrationFile } from '../migrations/discover.js';
import { freeSyntaxTrees, SqlSyntaxError, type ParsedSql, type ParsedStatement } from '../sql/parse.js';
import { runsAloneFirst } from '../sql/transaction-block.js';
import { normalizedStatementText, readComments, type Suppression } from './comments.js';
import type { Fix, LintFile, ReportDescriptor, Rule, RuleOptions, SinceSnapshot, TableAge } from './define-rule.js';
import { ruleById, rules } from './rules/index.js';
import { HistoryWalker } from '../history/walker.js';
import { qualifiedKey, withUnqualifiedRelationsAs } from '../sql/ast.js';
import type { RangeVar } from '@pgsql/types';
import { SchemaState } from './schema-state.js';
import type { Finding, Severity, SeveritySetting } from './types.js';
import type { RunnerLint } from '../runners/types.js';

/** A finding plus what the baseline needs to recognise it without a line number. */
export interface EngineFinding extends Finding {
  /** object, normalized statement text, or message: the stable part of the fingerprint */
  fingerprintKey: string;
  /** the rule's mechanical fix, for `pgdrift lint --fix` */
  fix?: Fix;
}

export interface EngineInput {
  root: string;
  /** every migration, in runner order (the history) */
  migrations: MigrationFile[];
  /** SQL applied before the migrations (config "baseline"): feeds the schema history; only end-state rules report there */
  baselineSql?: MigrationFile[];
  /** the baseline files already parsed (same order; undefined where a file does not parse), to avoid parsing twice */
  parsedBaseline?: Array<ParsedSql | undefined>;
  /** the migrations already parsed, by file (relative path), to avoid parsing twice */
  parsedMigrations?: ReadonlyMap<string, ParsedSql>;
  /** report findings only for these files (relative paths); all when undefined */
  selected?: ReadonlySet<string>;
  severities: ReadonlyMap<string, SeveritySetting>;
  options: RuleOptions;
  since?: SinceSnapshot;
  /** the search_path the runner sets before each migration (Runner.searchPathBeforeEachFile) */
  migrationSearchPath?: readonly string[];
  /** the search_path the runner's connection starts the migrations with (Runner.sessionSearchPath) */
  sessionSearchPath?: readonly string[];
  /**
   * What the runner refuses about the folder as a whole (Discovery.problems: a drizzle journal entry without its file,
   * Prisma's P3015, an atlas.sum that does not match): reported by runner-refuses at the file named, else the folder
   */
  folderProblems?: readonly FolderProblem[];
}

/** One refusal of the migrations folder as a whole, at the file (or folder) it names. */
export interface FolderProblem {
  file: string;
  line: number;
  message: string;
}

export interface EngineOutput {
  findings: EngineFinding[];
  suppressed: number;
}

interface RawFinding {
  rule: string;
  message: string;
  help: string;
  file: string;
  line: number;
  column: number;
  object?: string;
  /** the text of the statement the finding is about, for the baseline fingerprint */
  statementText?: string;
  fix?: Fix;
  /** the migration the finding is about when `file` is not one (ProjectReportDescriptor.about) */
  about?: string;
}

/**
 * Runs every enabled rule over the history, then applies severities and suppressions. Pure apart from reading files.
 *
 * One pass over the files, in runner order: each file is parsed, its file rules and statement rules run and the
 * history walker takes its statements, and then its syntax trees are freed (unless the caller parsed it), before the
 * next file is parsed. Project rules and end-state (schema) rules run after the pass, on what is kept: each file's
 * text, statement positions and meta-commands. Parsing every file first kept a whole history's trees alive to the
 * end of the run: on 250-1,000 generated files about half the time lint spent in garbage collection.
 */
export function runRules(input: EngineInput): EngineOutput {
  const severityOf = (id: string): SeveritySetting => input.severities.get(id) ?? 'off';
  const enabled = rules.filter((rule) => severityOf(rule.id) !== 'off') as readonly Rule[];
  const raw: RawFinding[] = [];

  const lintFileOf = (migration: MigrationFile, index: number): LintFile => {
    let parsed: ParsedSql | undefined = input.parsedMigrations?.get(migration.file);
    try {
      parsed ??= parseMigration(migration);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      raw.push({
        rule: 'syntax-error',
        message: error.detail,
        help: 'fix the SQL at this position (the Postgres parser stopped here); the rest of the file is not checked until it parses',
        file: migration.file,
        line: error.line,
        column: error.column,
      });
    }
    // A file the runner refuses runs nothing (its runnable text is blank): its comments (a suppression of
    // runner-refuses) are read from the file as written.
    const refused = migration.planProblem !== undefined && migration.source !== undefined;
    return { migration, index, parsed, comments: refused ? readComments(migration.source!, migration.file) : readComments(migration.text, migration.file, parsed) };
  };
  const files: LintFile[] = [];

  const locate = (file: LintFile, descriptor: ReportDescriptor, statement?: ParsedStatement) => {
    if (descriptor.line !== undefined) return { line: descriptor.line, column: descriptor.column ?? 1 };
    const byte = descriptor.byteLocation ?? descriptor.node?.location;
    if (byte !== undefined && byte >= 0) return file.comments.source.positionOfByte(byte);
    if (statement) return { line: statement.line, column: statement.column };
    return { line: 1, column: 1 };
  };

  const push = (rule: Rule, file: string, descriptor: ReportDescriptor, position: { line: number; column: number }, statementText?: string, about?: string) =>
    raw.push({ rule: rule.id, message: descriptor.message, help: descriptor.help, file, ...position, object: descriptor.object, statementText, fix: descriptor.fix, ...(about !== undefined && about !== file ? { about } : {}) });

  const runProjectRules = () => {
    for (const rule of enabled) {
      if (rule.scope !== 'project') continue;
      const byFile = new Map(files.map((f) => [f.migration.file, f]));
      rule.check({
        files,
        options: input.options,
        projectRoot: input.root,
        since: input.since,
        report: (d) => {
          const file = byFile.get(d.file);
          push(rule, d.file, d, file ? locate(file, d) : { line: d.line ?? 1, column: d.column ?? 1 }, undefined, d.about);
        },
      });
    }
  };
  const fileRules = enabled.filter((r) => r.scope === 'file');

  const statementRules = enabled.filter((r) => r.scope === 'statement');
  const schemaRules = enabled.filter((r) => r.scope === 'schema');
  // The schema state is a consumer of the one history walker (search_path, renames, default names).
  const walker = new HistoryWalker({ migrationSearchPath: input.migrationSearchPath, sessionSearchPath: input.sessionSearchPath });
  const schema = new SchemaState();
  schema.resolve = (relation) => qualifiedKey(walker.resolveRelation(relation));
  // the objects findings name follow the migration's search_path, as the schema state does
  const resolveRelation = (relation: RangeVar) => walker.resolveRelation(relation);
  for (const [index, extra] of (input.baselineSql ?? []).entries()) {
    const parsed = input.parsedBaseline?.[index] ?? parseOrUndefined(extra);
    if (!parsed) continue;
    walker.beginFile({ file: extra.file, role: 'baseline', fileIndex: -1, parsed });
    for (const statement of parsed.statements) schema.apply(walker.apply(statement));
    walker.endFile();
  }
  const merged = (fileIndex: number) => !input.since || input.since.files.has(files[fileIndex]?.migration.file ?? '');
  for (const [index, migration] of input.migrations.entries()) {
    const file = lintFileOf(migration, index);
    files.push(file);
    for (const rule of fileRules) if (rule.scope === 'file') rule.check({ file, options: input.options, report: (d) => push(rule, file.migration.file, d, locate(file, d)) });
    const parsed = file.parsed;
    if (!parsed) continue;
    walker.beginFile({ file: file.migration.file, role: 'migration', fileIndex: file.index, parsed, ...(file.migration.sameSession ? { continuesSession: true } : {}) });
    const statements = parsed.statements;
    const runnerTransaction = runnerTransactionOf(input.options, file.migration, statements);
    let explicitTransaction = false;
    const ruleStates = new Map<string, object>();
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i];
      if (statementRules.length > 0) {
        let current: Rule = statementRules[0];
        const ageOf = (relation: { schemaname?: string; relname?: string } | undefined): TableAge => {
          const table = relation?.relname ? schema.table(relation) : undefined;
          // a table the history does not know predates it, unless its schema was created empty earlier in this file
          if (!table && relation?.relname && schema.newSchemas.get(walker.resolveRelation(relation as RangeVar).schema)?.fileIndex === file.index) return 'file';
          if (!table || table.origin.fileIndex < 0) return 'existing';
          if (table.origin.fileIndex === file.index) return 'file';
          return merged(table.origin.fileIndex) ? 'existing' : 'change';
        };
        // Most statement rules ask about the statement's own table (one RangeVar object): resolved once per statement
        // (the schema state changes only after the statement's rules have run).
        let ages: Map<object, TableAge> | undefined;
        const tableAge = (relation: { schemaname?: string; relname?: string } | undefined): TableAge => {
          if (!relation) return ageOf(relation);
          let age = (ages ??= new Map()).get(relation);
          if (age === undefined) ages.set(relation, (age = ageOf(relation)));
          return age;
        };
        const ctx = {
          file,
          parsed,
          statement,
          // built only when a rule reads it: a copy per statement made lint quadratic in statements per file
          get earlierInFile() {
            return statements.slice(0, i);
          },
          schema,
          options: input.options,
          inTransaction: explicitTransaction || runnerTransaction(statement),
          tableAge,
          isExistingTable: (relation: { schemaname?: string; relname?: string } | undefined) => Boolean(relation?.relname) && tableAge(relation) === 'existing',
          fileState: <T extends object>(init: () => T): T => {
            let state = ruleStates.get(current.id) as T | undefined;
            if (!state) ruleStates.set(current.id, (state = init()));
            return state;
          },
          report: (d: ReportDescriptor) => push(current, file.migration.file, d, locate(file, d, statement), statement.text),
        };
        withUnqualifiedRelationsAs(resolveRelation, () => {
          for (const rule of statementRules) {
            if (rule.scope !== 'statement') continue;
            current = rule;
            rule.check(ctx);
          }
        });
      }
      explicitTransaction = transactionStateAfter(statement, explicitTransaction);
      schema.apply(walker.apply(statement));
    }
    walker.endFile();
    // the trees of a file parsed here are read no more: they die young instead of filling the heap to the end
    if (!input.parsedMigrations?.has(migration.file)) freeSyntaxTrees(parsed);
  }
  runProjectRules();
  if (severityOf('runner-refuses') !== 'off') {
    // two files of one version are already a duplicate-number finding (on the second file): one finding, not two
    const duplicated = raw.filter((f) => f.rule === 'duplicate-number').map((f) => path.posix.basename(f.file));
    const saidAlready = (message: string) => /version/i.test(message) && duplicated.some((name) => message.includes(name));
    for (const problem of (input.folderProblems ?? []).filter((p) => !saidAlready(p.message))) {
      raw.push({ rule: 'runner-refuses', message: problem.message, help: 'the runner stops on the folder before any migration runs: fix what it names (check and dump refuse it too)', file: problem.file, line: problem.line, column: 1 });
    }
  }
  for (const rule of schemaRules) {
    if (rule.scope !== 'schema') continue;
    rule.check({
      schema,
      options: input.options,
      // Objects of baseline files are part of the end state too: reported at the baseline file's line.
      report: (d) => push(rule, d.at.file, d, { line: d.at.line, column: d.at.column }, d.at.statementText),
    });
  }

  return applySuppressions(raw, files, severityOf, input.selected, input.options.runner?.lint.suppressions);
}

/**
 * Whether the runner runs a statement inside a transaction block: RuleOptions.runnerTransaction when set, else the
 * file's execution part (src/runners): `wrapped` always; `implicit` (the part sent as one query) when the part
 * holds more than one statement, since Postgres runs a multi-statement query as one implicit transaction; `none`
 * never. A file without parts is one implicit part (the numbered runner's way).
 */
function runnerTransactionOf(options: RuleOptions, migration: MigrationFile, statements: readonly ParsedStatement[]): (statement: ParsedStatement) => boolean {
  const override = options.runnerTransaction;
  if (override !== undefined) {
    const value = typeof override === 'function' ? override(migration) : override;
    return () => value;
  }
  const parts = migration.parts ?? [{ startLine: 0, endLine: Number.MAX_SAFE_INTEGER, transaction: 'implicit' as const }];
  const partOf = (statement: ParsedStatement) => parts.find((p) => statement.line - 1 >= p.startLine && statement.line - 1 < p.endLine);
  const counts = new Map<unknown, number>();
  const firstOf = new Map<unknown, ParsedStatement>();
  for (const statement of statements) {
    const part = partOf(statement);
    counts.set(part, (counts.get(part) ?? 0) + 1);
    if (!firstOf.has(part)) firstOf.set(part, statement);
  }
  // a part the runner sends in chunks (drizzle): once a COMMIT (ROLLBACK, PREPARE TRANSACTION) of the file has ended
  // the runner's transaction, each later chunk runs as a query of its own, in a transaction block only when it holds
  // several statements (a BEGIN of the file opens one again: the caller's explicit state)
  const autocommit = new Set<ParsedStatement>();
  for (const part of parts) {
    if (!part.chunkEnds) continue;
    const inPart = statements.filter((s) => partOf(s) === part);
    const ending = inPart.findIndex((s) => s.kind === 'TransactionStmt' && !transactionStateAfter(s, true));
    if (ending < 0) continue;
    const chunkOf = (s: ParsedStatement) => part.chunkEnds!.filter((end) => end < s.line).length;
    const perChunk = new Map<number, number>();
    for (const s of inPart) perChunk.set(chunkOf(s), (perChunk.get(chunkOf(s)) ?? 0) + 1);
    for (const s of inPart.slice(ending + 1)) if (perChunk.get(chunkOf(s)) === 1) autocommit.add(s);
  }
  return (statement) => {
    const part = partOf(statement);
    if (!part) return false;
    if (autocommit.has(statement)) return false;
    // the runner's pipeline runs a first non-transactional statement on its own (Supabase CLI)
    if (runsAloneFirst(part, statement, firstOf.get(part))) return false;
    if (part.transaction === 'wrapped') return true;
    return part.transaction === 'implicit' && (counts.get(part) ?? 0) > 1;
  };
}

/** BEGIN / START TRANSACTION open a block, COMMIT / ROLLBACK / END close it; savepoints change nothing. */
function transactionStateAfter(statement: ParsedStatement, inTransaction: boolean): boolean {
  if (statement.kind !== 'TransactionStmt') return inTransaction;
  switch (statement.ast.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return true;
    case 'TRANS_STMT_COMMIT':
    case 'TRANS_STMT_ROLLBACK':
    case 'TRANS_STMT_PREPARE':
      return false;
    default:
      return inTransaction;
  }
}

function parseOrUndefined(file: MigrationFile): ParsedSql | undefined {
  try {
    return parseMigration(file);
  } catch {
    return undefined;
  }
}

interface Range {
  start: [number, number];
  end: [number, number];
}

interface ActiveSuppression {
  suppression: Suppression;
  file: string;
  /** undefined for file scope */
  range?: Range;
  used: Set<string>;
}

const UNSUPPRESSIBLE = new Set(['suppression-reason', 'unused-suppression']);
/** what a runner's own directive never hides: the runner refuses the file, or it does not parse, before its linter runs */
const RUNNER_UNSUPPRESSIBLE = new Set([...UNSUPPRESSIBLE, 'syntax-error', 'runner-refuses']);

/**
 * The runner's own suppressions of each file that parses (Atlas's `-- atlas:nolint`: RunnerLint.suppressions), each
 * a statement's range or the whole file. They are the runner's comments, not pgdrift's: never reported as unused.
 */
function runnerSuppressionsOf(files: LintFile[], read: NonNullable<RunnerLint['suppressions']>): Map<string, { rules: 'all' | string[]; range?: Range }[]> {
  const byFile = new Map<string, { rules: 'all' | string[]; range?: Range }[]>();
  for (const file of files) {
    if (!file.parsed) continue;
    const statements = file.parsed.statements;
    const comments = () => (file.comments.tokens() ?? []).filter((t) => t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT').map((t) => ({ start: t.start, end: t.end, block: t.tokenName === 'C_COMMENT' }));
    const list = read(file.migration.text, statements, comments).map(({ rules, statement }) => {
      if (statement === undefined) return { rules };
      const { line, column, byteEnd } = statements[statement];
      const end = file.comments.source.positionOfByte(byteEnd);
      return { rules, range: { start: [line, column], end: [end.line, end.column] } as Range };
    });
    if (list.length > 0) byFile.set(file.migration.file, list);
  }
  return byFile;
}

function applySuppressions(
  raw: RawFinding[],
  files: LintFile[],
  severityOf: (id: string) => SeveritySetting,
  selected: ReadonlySet<string> | undefined,
  readRunnerSuppressions?: RunnerLint['suppressions'],
): EngineOutput {
  const byRunner = readRunnerSuppressions ? runnerSuppressionsOf(files, readRunnerSuppressions) : new Map();
  const byFile = new Map<string, ActiveSuppression[]>();
  for (const file of files) {
    const list = file.comments.suppressions.map((suppression) => ({
      suppression,
      file: file.migration.file,
      range: suppression.scope === 'statement' ? nextStatementRange(file, suppression) : undefined,
      used: new Set<string>(),
    }));
    if (list.length > 0) byFile.set(file.migration.file, list);
  }

  const findings: EngineFinding[] = [];
  let suppressed = 0;
  const emit = (f: RawFinding) => {
    const severity = severityOf(f.rule);
    if (severity === 'off') return;
    if (selected && !selected.has(f.about ?? f.file)) return;
    findings.push({
      rule: f.rule,
      severity: severity as Severity,
      message: f.message,
      help: f.help,
      file: f.file,
      line: f.line,
      column: f.column,
      ...(f.object !== undefined ? { object: f.object } : {}),
      fingerprintKey: f.object ?? (f.statementText !== undefined ? normalizedStatementText(f.statementText) : f.message),
      ...(f.fix ? { fix: f.fix } : {}),
    });
  };

  for (const finding of raw) {
    const candidates = UNSUPPRESSIBLE.has(finding.rule) ? [] : (byFile.get(finding.about ?? finding.file) ?? []);
    const match = candidates.find((s) => s.suppression.rules.includes(finding.rule) && (!s.range || (!finding.about && inRange(finding, s.range))));
    if (match) match.used.add(finding.rule);
    const runnerSuppressions: { rules: 'all' | string[]; range?: Range }[] = match || RUNNER_UNSUPPRESSIBLE.has(finding.rule) ? [] : (byRunner.get(finding.about ?? finding.file) ?? []);
    const byRunnerDirective = runnerSuppressions.some((s) => (s.rules === 'all' || s.rules.includes(finding.rule)) && (!s.range || (!finding.about && inRange(finding, s.range))));
    if (match || byRunnerDirective) {
      if (severityOf(finding.rule) !== 'off' && (!selected || selected.has(finding.about ?? finding.file))) suppressed++;
      continue;
    }
    emit(finding);
  }

  const unparsed = new Set(files.filter((f) => !f.parsed).map((f) => f.migration.file));
  for (const list of byFile.values()) {
    for (const { suppression, file, used } of list) {
      const where = { file, line: suppression.line, column: suppression.column };
      const directive = suppression.scope === 'file' ? 'pgdrift-ignore-file' : 'pgdrift-ignore';
      if (suppression.rules.length === 0) {
        emit({ rule: 'unused-suppression', message: `${directive} names no rule`, help: `write -- ${directive} <rule-id>: <reason>`, ...where });
        continue;
      }
      if (!suppression.reason) {
        emit({
          rule: 'suppression-reason',
          message: `${directive} ${suppression.rules.join(', ')} has no reason`,
          help: `say why the rule does not apply: -- ${directive} ${suppression.rules.join(', ')}: <reason>`,
          ...where,
        });
      }
      for (const rule of suppression.rules) {
        if (!ruleById.has(rule)) {
          emit({ rule: 'unused-suppression', message: `${directive} names an unknown rule "${rule}"`, help: 'check the rule id (pgdrift lint --list-rules); see docs/rules/', ...where });
        } else if (!used.has(rule) && severityOf(rule) !== 'off' && !unparsed.has(file)) {
          emit({
            rule: 'unused-suppression',
            message: `${directive} ${rule} silences nothing${suppression.scope === 'statement' ? ' on the next statement' : ' in this file'}`,
            help: 'remove the comment (or move it right above the statement it is meant for)',
            ...where,
          });
        }
      }
    }
  }
  return { findings, suppressed };
}

function nextStatementRange(file: LintFile, suppression: Suppression): Range | undefined {
  const source = file.comments.source;
  const toPair = (byte: number): [number, number] => {
    const p = source.positionOfByte(byte);
    return [p.line, p.column];
  };
  if (file.parsed) {
    const next = file.parsed.statements.find((s) => s.byteStart >= suppression.byteEnd);
    return next ? { start: [next.line, next.column], end: toPair(next.byteEnd) } : undefined;
  }
  // The file does not parse: the statement is the run of tokens up to the next semicolon.
  const tokens = (file.comments.tokens() ?? []).filter((t) => t.start >= suppression.byteEnd && t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  if (tokens.length === 0) return undefined;
  const end = tokens.find((t) => t.text === ';') ?? tokens[tokens.length - 1];
  return { start: toPair(tokens[0].start), end: toPair(end.end) };
}

function inRange(finding: { line: number; column: number }, range: Range): boolean {
  const after = finding.line > range.start[0] || (finding.line === range.start[0] && finding.column >= range.start[1]);
  const before = finding.line < range.end[0] || (finding.line === range.end[0] && finding.column <= range.end[1]);
  return after && before;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
