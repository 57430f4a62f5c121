/**
 * Liquibase changelogs read as Liquibase reads them (liquibase/liquibase@cdbdec7, liquibase-standard/src/main/java/
 * liquibase/...): the master and what it includes, in order, down to the SQL each changeset sends.
 * - Formats by extension (parser/ChangeLogParserFactory): .xml, .yaml/.yml, .json, and .sql: a formatted SQL changelog
 *   when its first non-blank line is `--liquibase formatted sql` (parser/AbstractFormattedChangeLogParser.java
 *   `supports`, FIRST_LINE_REGEX), else one raw changeset of the whole file (parser/core/sql/SqlChangeLogParser.java).
 * - `include` (changelog/DatabaseChangeLog.java `include`): `file`, relative to the changelog's folder with
 *   relativeToChangelogFile, else a search-path (classpath) path. `includeAll` (`includeAll`, `findResources`): every
 *   file below `path` (any depth), sorted by path as Java's String.compareTo sorts them (getStandardChangeLogComparator),
 *   each included as a changelog; a file of no known format is skipped with a warning (OnUnknownFileFormat.WARN).
 *   A changelog included again while it is being read (a cycle) is refused (ERROR_ON_CIRCULAR_INCLUDE_ALL).
 * - Changesets run in changelog order, each in its own transaction unless runInTransaction is false
 *   (changelog/ChangeSet.java `execute`); one whose `dbms` does not name postgresql is skipped (DatabaseList
 *   `definitionMatches`). `context` / `labels` filter as liquibase-filters.ts evaluates them against the contexts and
 *   labels the project gives `liquibase update` (with none, every changeset runs), the includes' filters inherited.
 * - The SQL of `sql` and `sqlFile` changes and of formatted SQL changesets is cut into statements by
 *   StringUtil.processMultiLineSQL (liquibase-split.ts); `--rollback` lines, `/* liquibase rollback *\/` blocks and
 *   `--ignoreLines` runs are not sent.
 * - The common generated change types (createTable, addColumn, addForeignKeyConstraint, createIndex, insert...) are
 *   generated as Liquibase generates them for PostgreSQL (liquibase-generate.ts): a run whose text is the generated
 *   SQL, every position in it mapped to the change element. createProcedure sends its text as one statement
 *   (procedureRun). Other change types (and modifySql) are refused at their place; loadData and loadUpdateData load
 *   rows, not schema, and are skipped with a notice.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { InputError } from '../errors.js';
import { readSqlFile } from '../migrations/discover.js';
import { scanSqlTokens } from '../sql/parse.js';
import { checkProjectFile } from '../util/project-paths.js';
import { generateChange, type ChangeColumn, type ChangeInput } from './liquibase-generate.js';
import { liquibaseCuts } from './liquibase-split.js';
import { entityValue, localName, parseXml, XmlSyntaxError, type XmlElement } from './liquibase-xml.js';
import { positionIn, type Substitution } from './substitution.js';
import { byCodeUnits, type PlanProblem, type TransactionMode } from './types.js';
import { changeSetRuns, LiquibaseExpressionError, type InheritedFilter, type RuntimeFilter } from './liquibase-filters.js';

/** One stretch of SQL that Liquibase sends for a change, as lines of a file and what it replaces in them. */
export interface LiquibaseRun {
  /** absolute path of the file the SQL is written in */
  file: string;
  startLine: number;
  endLine: number;
  transaction: TransactionMode;
  substitutions: Substitution[];
  problem?: PlanProblem;
  /** `author:id` of the changeset, for messages */
  changeSet: string;
  /**
   * Which changeset that runs this change belongs to (1, 2... in run order): Liquibase runs all the changes of a
   * changeset in one transaction (ChangeSet.execute), so the runs of one changeset share it in the replay.
   */
  changeSetNumber: number;
}

export interface LiquibaseChangelog {
  runs: LiquibaseRun[];
  /** every changelog and SQL file read, absolute */
  files: Set<string>;
  /** assumptions the replay makes (preconditions, properties) */
  notices: string[];
  /** changesets with contexts or labels (`file:line context x`) */
  filtered: string[];
}

export interface ChangelogContext {
  root: string;
  /** the search path (classpath roots) non-relative paths are resolved against, absolute, first wins */
  searchPath: string[];
  /** changelog parameters given from outside (spring.liquibase.parameters.*, liquibase.properties parameter.*) */
  parameters?: Record<string, string>;
  /** the contexts and labels the project gives `liquibase update` (spring.liquibase.contexts, liquibase.properties...) */
  runtime?: RuntimeFilter;
  /** the default schema the project gives Liquibase (spring.liquibase.default-schema...): generated SQL names it */
  defaultSchema?: string;
}

const DOCS = 'https://docs.liquibase.com/concepts/changelogs/home.html';
/** change types whose SQL the changelog holds; the common others are generated (liquibase-generate.ts) */
const SQL_CHANGES = new Set(['sql', 'sqlFile']);
/** change types that load rows from a CSV file: data, not schema; skipped with a notice */
const DATA_CHANGES = new Set(['loadData', 'loadUpdateData']);
/** children of a changeset that are no change (ChangeSet.java `load`) or change nothing in the schema */
/** ChangeSet.handleChildNode reads both spellings; DatabaseChangeLog (PRE_CONDITIONS) reads `preConditions` */
const PRECONDITIONS = new Set(['preConditions', 'preconditions']);
const NOT_CHANGES = new Set(['comment', ...PRECONDITIONS, 'rollback', 'validCheckSum', 'tagDatabase', 'empty', 'output', 'stop']);

class Reader {
  readonly runs: LiquibaseRun[] = [];
  readonly files = new Set<string>();
  readonly notices: string[] = [];
  private readonly reading: string[] = [];
  private preconditionsAssumed: string[] = [];
  private propertiesSeen = false;
  /** `file::author:id` of each changeset that runs, and where it is written (ValidatingVisitor's duplicate check) */
  private readonly seen = new Map<string, string>();
  /** the changeset whose changes are being read (LiquibaseRun.changeSetNumber) */
  private changeSetNumber = 0;
  /** global changelog properties set so far, by lower-case name (ChangeLogParameters: the first value set for a name wins) */
  private readonly properties = new Map<string, string>();
  /** each changelog's local properties (`global: false`), by lower-case name: the last one set wins */
  private readonly localProperties = new Map<string, Map<string, string>>();
  private readonly filtered: string[] = [];
  /** loadData / loadUpdateData changes skipped (`file:line (type)`) */
  private readonly dataSkipped: string[] = [];
  /** the filters of the includes the changelog being read was reached through */
  private readonly inherited: InheritedFilter[] = [];

  constructor(private readonly context: ChangelogContext) {
    for (const [name, value] of Object.entries(context.parameters ?? {})) this.setProperty({ name, value });
  }

  /**
   * A changelog property (ChangeLogParameters, liquibase-standard 4.x). Liquibase looks one up by name, ignoring case,
   * among the global ones in the order they were set, then the local ones (`global: false`) of the changelog being
   * read, the last set first; it takes the first whose dbms, context and labels match (ChangeLogParameters.Filter:
   * against PostgreSQL and the contexts and labels given to `liquibase update`, as a changeset's; with none given,
   * every context matches). So a property the project's contexts or labels leave out is never set; one with a
   * context or labels when none are given is set, and named with the changesets a deployment's filters may skip.
   */
  setProperty(property: { name?: string; value?: string; dbms?: string; global?: boolean } & InheritedFilter, where?: { file: string; text: string; index: number }): void {
    const { name, value, dbms, global = true } = property;
    if (!name || value === undefined || !postgresMatches(dbms)) return;
    const filter = { context: property.context, labels: property.labels };
    if (where) {
      if (!this.matchesRuntime(filter, where.file, where.text, where.index)) return;
      if (!this.context.runtime?.contexts && !this.context.runtime?.labels) this.noteFilters(`property ${name} (${this.shown(where.file)}:${lineColumn(where.text, where.index)[0]})`, filter);
    }
    const key = name.toLowerCase();
    if (global) {
      if (!this.properties.has(key)) this.properties.set(key, value);
      return;
    }
    const file = this.reading.at(-1);
    if (!file) return;
    const local = this.localProperties.get(file) ?? new Map<string, string>();
    local.set(key, value);
    this.localProperties.set(file, local);
  }

  /** The value of `${name}` in the changelog being read, when a property sets it (setProperty says how). */
  propertyValue(name: string): string | undefined {
    const key = name.toLowerCase();
    return this.properties.get(key) ?? this.localProperties.get(this.reading.at(-1) ?? '')?.get(key);
  }

  shown(file: string): string {
    return path.relative(this.context.root, file).split(path.sep).join('/') || '.';
  }

  finish(): LiquibaseChangelog {
    if (this.preconditionsAssumed.length > 0) this.notices.push(`preconditions not evaluated, replayed as if met (pgdrift does not run them): ${this.preconditionsAssumed.slice(0, 3).join('; ')}${this.preconditionsAssumed.length > 3 ? ` and ${this.preconditionsAssumed.length - 3} more` : ''}`);
    if (this.propertiesSeen) this.notices.push('the SQL uses ${...} changelog properties that no property of the changelogs (for PostgreSQL and the contexts and labels the project gives), spring.liquibase.parameters.* or liquibase.properties parameter.* sets: the replay sends them as written, as Liquibase does for a property it does not know');
    if (this.dataSkipped.length > 0) this.notices.push(`loadData/loadUpdateData not replayed (they load CSV rows, not schema; the replay holds no data they add): ${this.dataSkipped.slice(0, 3).join('; ')}${this.dataSkipped.length > 3 ? ` and ${this.dataSkipped.length - 3} more` : ''}`);
    return { runs: this.runs, files: this.files, notices: this.notices, filtered: this.filtered };
  }

  /** DatabaseChangeLog.include: one changelog, in its format. */
  include(file: string, from?: { file: string; index: number; text: string }): void {
    const shown = this.shown(file);
    if (this.reading.includes(file)) {
      const where = from ? positionIn(from.text, from.index) : { line: 1, column: 1 };
      throw new InputError(`${this.shown(from?.file ?? file)}:${where.line}:${where.column}: ${shown} includes itself (${[...this.reading.slice(this.reading.indexOf(file)), file].map((f) => this.shown(f)).join(' -> ')})`, {
        hint: 'Liquibase refuses a circular include: remove the include that closes the cycle',
        ...(from ? { position: { file: this.shown(from.file), line: where.line, column: where.column } } : {}),
      });
    }
    const real = checkProjectFile(file, shown, this.context.root);
    if (!real) throw new InputError(`${shown} does not exist`);
    this.files.add(file);
    const text = readSqlFile(real, shown);
    this.reading.push(file);
    try {
      const lower = file.toLowerCase();
      if (lower.endsWith('.xml')) this.xmlChangelog(file, text);
      else if (lower.endsWith('.yaml') || lower.endsWith('.yml') || lower.endsWith('.json')) this.yamlChangelog(file, text);
      else if (lower.endsWith('.sql')) {
        if (/^\s*--\s*liquibase\s*formatted.*/i.test(text.split('\n').find((line) => line.trim() !== '') ?? '')) this.formattedSql(file, text);
        else this.rawSql(file, text);
      } // another format: Liquibase skips it with a warning (OnUnknownFileFormat.WARN), and so does the replay
    } finally {
      this.reading.pop();
    }
  }

  /** A path named by an include, includeAll or sqlFile: relative to `changelog`'s folder, or on the search path. */
  resolve(written: string, relative: boolean, changelog: string): string {
    const name = written.replace(/^classpath\*?:/, '').replace(/\\/g, '/');
    // Resource.resolveSiblingPath (resource/AbstractResource.java) joins `<changelog's folder>/<path>`: a leading `/`
    // in a relative path is no root (`/changesets/tables` is the changelog's changesets/tables)
    if (relative) return path.join(path.dirname(changelog), name);
    if (path.isAbsolute(name)) {
      const inSearchPath = this.context.searchPath.map((dir) => path.join(dir, name)).find((candidate) => exists(candidate));
      return inSearchPath ?? name;
    }
    return this.context.searchPath.map((dir) => path.resolve(dir, name)).find((candidate) => exists(candidate)) ?? path.resolve(this.context.searchPath[0] ?? this.context.root, name);
  }

  /** DatabaseChangeLog.includeAll: every file below the folder, by path. */
  includeAll(written: string, relative: boolean, changelog: string, at: { index: number; text: string }, errorIfMissingOrEmpty: boolean): void {
    const folder = this.resolve(written.endsWith('/') ? written : `${written}/`, relative, changelog);
    const files = isFolder(folder) ? filesBelow(folder) : [];
    if (files.length === 0) {
      if (!errorIfMissingOrEmpty) return;
      const where = positionIn(at.text, at.index);
      throw new InputError(`${this.shown(changelog)}:${where.line}:${where.column}: includeAll path ${written}: ${isFolder(folder) ? 'the folder is empty' : `no folder ${this.shown(folder)}`}`, {
        hint: 'Liquibase stops on it ("Could not find directory or directory was empty for includeAll"): fix the path, or set errorIfMissingOrEmpty: false',
        position: { file: this.shown(changelog), line: where.line, column: where.column },
      });
    }
    // the resources' classpath paths sort as the files' paths below the same root do
    for (const file of files.sort((a, b) => byCodeUnits(a.split(path.sep).join('/'), b.split(path.sep).join('/')))) {
      // another format: Liquibase skips it with a warning (OnUnknownFileFormat.WARN)
      if (!/\.(xml|ya?ml|json|sql)$/i.test(file)) continue;
      this.include(file, { file: changelog, ...at });
    }
  }

  /**
   * ValidatingVisitor.checkForDuplicatesFromDifferentFiles: two changesets with one `path::id::author` (a changelog
   * included twice, an id written twice) fail validation, and liquibase update stops before running anything.
   */
  checkDuplicate(file: string, text: string, index: number, changeSet: string): void {
    // called once for every changeset that runs, before its changes: the runs that follow are this changeset's
    this.changeSetNumber++;
    const key = `${file}\0${changeSet}`;
    const [line, column] = lineColumn(text, index);
    const here = `${this.shown(file)}:${line}:${column}`;
    const first = this.seen.get(key);
    if (first !== undefined) {
      throw new InputError(`${here}: changeset ${changeSet} of ${this.shown(file)} is already in the changelog (${first}): Liquibase's validation refuses duplicate changeset identifiers, and liquibase update runs nothing`, {
        hint: 'give the changeset another id, or include its changelog once',
        position: { file: this.shown(file), line, column },
      });
    }
    this.seen.set(key, here);
  }

  /**
   * Whether liquibase update, given the project's contexts and labels, runs a changeset with these filters (and those
   * of the includes it is read through): liquibase-filters.ts. With none given, every changeset runs (but one whose
   * labels are all `@`-required).
   */
  runsUnder(filter: InheritedFilter, file: string, text: string, index: number): boolean {
    return this.matchesRuntime(filter, file, text, index, this.inherited);
  }

  /** Whether these filters (and `inherited`) match the project's runtime contexts and labels; refuses an expression Liquibase cannot parse. */
  private matchesRuntime(filter: InheritedFilter, file: string, text: string, index: number, inherited: readonly InheritedFilter[] = []): boolean {
    try {
      return changeSetRuns(this.context.runtime ?? {}, filter, inherited);
    } catch (error) {
      if (!(error instanceof LiquibaseExpressionError)) throw error;
      throw refusal(this.shown(file), ...lineColumn(text, index), `a context or label expression Liquibase cannot parse: ${error.message}`, 'Liquibase stops on it: close the parenthesis');
    }
  }

  /** Reads an included changelog with the include's context and labels added to what its changesets inherit. */
  withInherited(filter: InheritedFilter, read: () => void): void {
    this.inherited.push(filter);
    try {
      read();
    } finally {
      this.inherited.pop();
    }
  }

  noteFilters(where: string, { context, labels }: InheritedFilter): void {
    const set = [context ? `context ${context}` : '', labels ? `labels ${labels}` : ''].filter(Boolean);
    if (set.length > 0) this.filtered.push(`${where} ${set.join(', ')}`);
  }

  /** a changeset for another database is skipped, as Liquibase skips it on PostgreSQL (ChangeSet `shouldRun`) */
  dbmsApplies(dbms: string | undefined): boolean {
    return postgresMatches(dbms);
  }

  // --- formatted SQL (parser/AbstractFormattedChangeLogParser.java `parse`) ---

  formattedSql(file: string, text: string): void {
    const lines = text.split('\n');
    const lineStart = lineStarts(text);
    let current: { line: number; id: string; attributes: string; ignored: Substitution[]; precondition?: string } | undefined;
    const finish = (endLine: number) => {
      if (!current) return;
      const header = current;
      current = undefined;
      const changeSet = header.id;
      const dbms = attribute(header.attributes, /\bdbms:([^,][\w!,]+)/i);
      const context = attribute(header.attributes, /\bcontext(?:Filter)?:("[^"]*"|\S*)/i);
      const labels = attribute(header.attributes, /\blabels:("[^"]*"|\S*)/i);
      this.noteFilters(`${this.shown(file)}:${header.line + 1}`, { context, labels });
      if (!this.dbmsApplies(dbms)) return;
      if (!this.runsUnder({ context: context && unquote(context), labels: labels && unquote(labels) }, file, text, lineStart[header.line])) return;
      this.checkDuplicate(file, text, lineStart[header.line], changeSet);
      if (header.precondition) this.preconditionsAssumed.push(`${this.shown(file)}:${header.precondition}`);
      const startLine = header.line + 1;
      const body = { file, text, start: lineStart[startLine] ?? text.length, end: endLine < lines.length ? lineStart[endLine] : text.length };
      this.sqlRun(body, header.ignored, {
        changeSet,
        transaction: !/\brunInTransaction:false\b/i.test(header.attributes),
        splitStatements: !/\bsplitStatements:false\b/i.test(header.attributes),
        endDelimiter: attribute(header.attributes, /\bendDelimiter:(\S*)/i) || undefined,
      });
    };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/\r$/, '');
      const changeSet = /^\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+)(.*)$/i.exec(line);
      if (changeSet) {
        finish(i);
        current = { line: i, id: `${unquote(changeSet[1])}:${unquote(changeSet[2])}`, attributes: changeSet[3], ignored: [] };
        continue;
      }
      if (/^\s*--[\s]*changeset\b/i.test(line) || /^-[\s]*changeset\s/i.test(line)) {
        throw refusal(this.shown(file), i + 1, 1, 'Liquibase refuses this changeset line: the format is --changeset <author>:<id> [attributes]', 'https://docs.liquibase.com/concepts/changelogs/sql-format.html');
      }
      if (/^\s*--[\s]*property\s+(.*:.*)\s+(.*:.*).*/i.test(line)) {
        // AbstractFormattedChangeLogParser.handleProperty: name:, value:, dbms:, context: words
        const word = (key: string) => new RegExp(`\\b${key}:(\\S+)`, 'i').exec(line)?.[1];
        this.setProperty({ name: word('name'), value: word('value'), dbms: word('dbms'), context: word('context') ?? word('contextFilter'), labels: word('labels'), global: bool(word('global'), true) }, { file, text, index: lineStart[i] });
        continue;
      }
      const ignore = /^--[\s]*ignoreLines:(\w+)/i.exec(line);
      if (ignore && current) {
        // ignoreLines:start ... ignoreLines:end, or the next <count> lines: not sent
        let last = i;
        if (ignore[1].toLowerCase() === 'start') {
          while (last + 1 < lines.length && !/^--[\s]*ignoreLines:end/i.test(lines[last + 1])) last++;
          last = Math.min(last + 1, lines.length - 1);
        } else last = Math.min(i + Number(ignore[1]), lines.length - 1);
        current.ignored.push({ start: lineStart[i], end: last + 1 < lines.length ? lineStart[last + 1] : text.length, value: '' });
        i = last;
        continue;
      }
      if (current && /^\s*\/\*\s*liquibase\s*rollback\s*$/i.test(line)) {
        // extractMultiLineRollBack: to the line that ends with */ (a comment to Postgres too, but not sent)
        let last = i;
        while (last + 1 < lines.length && !/\*\/\s*$/.test(lines[last].replace(/\r$/, '')) ) last++;
        current.ignored.push({ start: lineStart[i], end: last + 1 < lines.length ? lineStart[last + 1] : text.length, value: '' });
        i = last;
        continue;
      }
      if (current && /^\s*--[\s]*precondition/i.test(line)) current.precondition ??= `${i + 1} (${line.trim()})`;
    }
    finish(lines.length);
  }

  /** SqlChangeLogParser: the whole file is one changeset (splitStatements, stripComments defaults). */
  rawSql(file: string, text: string): void {
    if (!this.runsUnder({}, file, text, 0)) return; // an include's filters still apply
    this.checkDuplicate(file, text, 0, `raw:${this.shown(file)}`);
    this.sqlRun({ file, text, start: 0, end: text.length }, [], { changeSet: `raw:${this.shown(file)}`, transaction: true, splitStatements: true });
  }

  // --- XML (parser/core/xml/XMLChangeLogSAXParser, ParsedNode) ---

  xmlChangelog(file: string, text: string): void {
    let root: XmlElement;
    try {
      root = parseXml(text);
    } catch (error) {
      if (!(error instanceof XmlSyntaxError)) throw error;
      const where = positionIn(text, error.index);
      throw refusal(this.shown(file), where.line, where.column, `not well-formed XML: ${error.message}`, 'Liquibase refuses a changelog it cannot parse');
    }
    if (localName(root.name) !== 'databaseChangeLog') throw refusal(this.shown(file), ...lineColumn(text, root.start), `the root element is <${root.name}>, not <databaseChangeLog>`, 'Liquibase refuses it as a changelog');
    for (const child of root.children) {
      const name = localName(child.name);
      const attr = (key: string) => child.attributes.get(key)?.value;
      const at = { index: child.start, text };
      const filter = filterOf(attr);
      if (name === 'include' || name === 'includeAll') this.noteFilters(`${this.shown(file)}:${lineColumn(text, child.start)[0]} (${name})`, filter);
      if (name === 'include') {
        const written = attr('file');
        if (!written) throw refusal(this.shown(file), ...lineColumn(text, child.start), '<include> without a file', 'Liquibase refuses it');
        if (!postgresMatches(attr('dbms'))) continue;
        const target = this.resolve(written, bool(attr('relativeToChangelogFile'), false), file);
        if (!exists(target) && !bool(attr('errorIfMissing'), true)) continue;
        this.withInherited(filter, () => this.include(target, { file, ...at }));
      } else if (name === 'includeAll') {
        const written = attr('path');
        if (!written) throw refusal(this.shown(file), ...lineColumn(text, child.start), '<includeAll> without a path', 'Liquibase refuses it');
        this.refuseIncludeAllOptions(file, text, child.start, (key) => attr(key));
        this.withInherited(filter, () => this.includeAll(written, bool(attr('relativeToChangelogFile'), false), file, at, bool(attr('errorIfMissingOrEmpty'), true)));
      } else if (name === 'changeSet') this.xmlChangeSet(file, text, child, root.attributes.get('objectQuotingStrategy')?.value);
      else if (name === 'property') {
        if (attr('file')) this.propertiesSeen = true; // a properties file: not read
        this.setProperty({ name: attr('name'), value: attr('value'), dbms: attr('dbms'), ...filter, global: bool(attr('global'), true) }, { file, text, index: child.start });
      }
      else if (PRECONDITIONS.has(name)) this.changelogPreconditions(file, text, child.start, xmlPreconditions(child));
    }
  }

  private xmlChangeSet(file: string, text: string, element: XmlElement, changelogQuoting: string | undefined): void {
    const attr = (key: string) => element.attributes.get(key)?.value;
    const changeSet = `${attr('author') ?? ''}:${attr('id') ?? ''}`;
    const where = lineColumn(text, element.start);
    if (!this.dbmsApplies(attr('dbms'))) return;
    const filter = filterOf(attr);
    if (!this.runsUnder(filter, file, text, element.start)) return;
    this.checkDuplicate(file, text, element.start, changeSet);
    this.noteFilters(`${this.shown(file)}:${where[0]}`, filter);
    const transaction = bool(attr('runInTransaction'), true);
    const quoting = attr('objectQuotingStrategy') ?? changelogQuoting;
    const preconditions = element.children.find((child) => PRECONDITIONS.has(localName(child.name)));
    if (preconditions && !this.changeSetPreconditions(file, text, preconditions.start, changeSet, preconditions.attributes.get('onFail')?.value, xmlPreconditions(preconditions))) return;
    for (const change of element.children) {
      const name = localName(change.name);
      const changeAttr = (key: string) => change.attributes.get(key)?.value;
      if (NOT_CHANGES.has(name)) continue;
      if (name === 'modifySql') {
        this.problemRun(file, text, change.start, changeSet, '<modifySql> rewrites the SQL Liquibase generates: pgdrift cannot replay it');
        return;
      }
      if (!postgresMatches(changeAttr('dbms'))) continue;
      if (DATA_CHANGES.has(name)) {
        this.dataSkipped.push(`${this.shown(file)}:${lineColumn(text, change.start)[0]} (${name})`);
        continue;
      }
      if (name === 'createProcedure') {
        const body = { file, text, start: change.contentStart, end: change.contentEnd };
        if (!this.procedureRun(file, text, change.start, changeAttr, { changeSet, transaction }, body, xmlContentSubstitutions(text, change))) return;
        continue;
      }
      if (!SQL_CHANGES.has(name)) {
        if (!this.generatedRun(file, text, { start: change.start, end: change.end }, { changeSet, transaction, quoting }, this.xmlChange(text, change))) return;
        continue;
      }
      const options = { changeSet, transaction, splitStatements: bool(changeAttr('splitStatements'), true), endDelimiter: changeAttr('endDelimiter') || undefined };
      if (name === 'sql') this.sqlRun({ file, text, start: change.contentStart, end: change.contentEnd }, xmlContentSubstitutions(text, change), options);
      else this.sqlFileRun(file, text, change.start, changeAttr('path'), bool(changeAttr('relativeToChangelogFile'), false), changeAttr('encoding'), options);
    }
  }

  // --- YAML and JSON (parser/core/yaml/YamlChangeLogParser.java; JSON is read by the same parser) ---

  yamlChangelog(file: string, text: string): void {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
    if (document.errors.length > 0) {
      const error = document.errors[0];
      throw refusal(this.shown(file), ...lineColumn(text, error.pos[0]), `not valid ${file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0]}`, 'Liquibase refuses a changelog it cannot parse');
    }
    const rootMap = document.contents;
    const log = isMap(rootMap) ? rootMap.get('databaseChangeLog', true) : undefined;
    if (!isSeq(log)) {
      if (isMap(rootMap) && log === undefined && rootMap.items.length === 0) return;
      throw refusal(this.shown(file), ...lineColumn(text, (rootMap as YamlNode | null)?.range?.[0] ?? 0), 'no databaseChangeLog list', 'a Liquibase YAML/JSON changelog is `databaseChangeLog:` followed by a list of changeSet, include and includeAll entries');
    }
    for (const item of log.items) {
      if (!isMap(item)) continue;
      for (const pair of item.items as Pair<YamlNode, YamlNode>[]) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const value = pair.value;
        const start = pair.key?.range?.[0] ?? 0;
        const get = (name: string) => (isMap(value) ? scalarText(value.get(name, true) as YamlNode | undefined) : undefined);
        const at = { index: start, text };
        const filter = filterOf(get);
        if (key === 'include' || key === 'includeAll') this.noteFilters(`${this.shown(file)}:${lineColumn(text, start)[0]} (${key})`, filter);
        if (key === 'include') {
          const written = get('file');
          if (!written) throw refusal(this.shown(file), ...lineColumn(text, start), 'include without a file', 'Liquibase refuses it');
          if (!postgresMatches(get('dbms'))) continue;
          const target = this.resolve(written, bool(get('relativeToChangelogFile'), false), file);
          if (!exists(target) && !bool(get('errorIfMissing'), true)) continue;
          this.withInherited(filter, () => this.include(target, { file, ...at }));
        } else if (key === 'includeAll') {
          const written = get('path');
          if (!written) throw refusal(this.shown(file), ...lineColumn(text, start), 'includeAll without a path', 'Liquibase refuses it');
          this.refuseIncludeAllOptions(file, text, start, get);
          this.withInherited(filter, () => this.includeAll(written, bool(get('relativeToChangelogFile'), false), file, at, bool(get('errorIfMissingOrEmpty'), true)));
        } else if (key === 'changeSet' && isMap(value)) this.yamlChangeSet(file, text, value, start);
        else if (key === 'property') {
          if (get('file')) this.propertiesSeen = true; // a properties file: not read
          this.setProperty({ name: get('name'), value: get('value'), dbms: get('dbms'), ...filterOf(get), global: bool(get('global'), true) }, { file, text, index: start });
        }
        else if (PRECONDITIONS.has(key)) this.changelogPreconditions(file, text, start, yamlPreconditions(value).conditions);
      }
    }
  }

  private yamlChangeSet(file: string, text: string, node: YAMLMap, start: number): void {
    const get = (name: string) => scalarText(node.get(name, true) as YamlNode | undefined);
    const changeSet = `${get('author') ?? ''}:${get('id') ?? ''}`;
    const line = lineColumn(text, start)[0];
    if (!this.dbmsApplies(get('dbms'))) return;
    const filter = filterOf(get);
    if (!this.runsUnder(filter, file, text, start)) return;
    this.checkDuplicate(file, text, start, changeSet);
    this.noteFilters(`${this.shown(file)}:${line}`, filter);
    const preconditionsKey = node.items.find((pair) => isScalar(pair.key) && PRECONDITIONS.has(String(pair.key.value)));
    if (preconditionsKey) {
      const { onFail, conditions } = yamlPreconditions(preconditionsKey.value as YamlNode | null);
      const at = (preconditionsKey.key as YamlNode | null)?.range?.[0] ?? start;
      if (!this.changeSetPreconditions(file, text, at, changeSet, onFail, conditions)) return;
    }
    const transaction = bool(get('runInTransaction'), true);
    const quoting = get('objectQuotingStrategy');
    const changes = node.get('changes', true);
    if (!isSeq(changes)) return;
    for (const item of changes.items) {
      if (!isMap(item)) continue;
      for (const pair of item.items as Pair<YamlNode, YamlNode>[]) {
        const name = isScalar(pair.key) ? String(pair.key.value) : '';
        const keyStart = pair.key?.range?.[0] ?? start;
        if (NOT_CHANGES.has(name)) continue;
        const value = pair.value;
        const attr = (key: string) => (isMap(value) ? scalarText(value.get(key, true) as YamlNode | undefined) : undefined);
        if (!postgresMatches(attr('dbms'))) continue;
        if (DATA_CHANGES.has(name)) {
          this.dataSkipped.push(`${this.shown(file)}:${lineColumn(text, keyStart)[0]} (${name})`);
          continue;
        }
        if (name === 'createProcedure') {
          const textNode = isMap(value) ? ((value.get('procedureText', true) ?? value.get('procedureBody', true)) as YamlNode | undefined) : undefined;
          const body = isScalar(textNode) && textNode.range ? { file, text, start: textNode.range[0], end: textNode.range[1] } : undefined;
          if (!this.procedureRun(file, text, keyStart, attr, { changeSet, transaction }, body, body && isScalar(textNode) ? yamlScalarSubstitutions(text, textNode) : [])) return;
          continue;
        }
        if (!SQL_CHANGES.has(name)) {
          const end = value?.range?.[1] ?? pair.key?.range?.[1] ?? keyStart;
          if (!this.generatedRun(file, text, { start: keyStart, end }, { changeSet, transaction, quoting }, this.yamlChange(name, value))) return;
          continue;
        }
        const options = { changeSet, transaction, splitStatements: bool(attr('splitStatements'), true), endDelimiter: attr('endDelimiter') || undefined };
        if (name === 'sql') {
          const sqlNode = isMap(value) ? (value.get('sql', true) as YamlNode | undefined) : value;
          if (!isScalar(sqlNode) || !sqlNode.range) continue;
          this.sqlRun({ file, text, start: sqlNode.range[0], end: sqlNode.range[1] }, yamlScalarSubstitutions(text, sqlNode), options);
        } else this.sqlFileRun(file, text, keyStart, attr('path'), bool(attr('relativeToChangelogFile'), false), attr('encoding'), options);
      }
    }
  }

  // --- shared ---

  private refuseIncludeAllOptions(file: string, text: string, start: number, get: (key: string) => string | undefined): void {
    for (const key of ['resourceFilter', 'resourceComparator', 'filter']) {
      if (get(key)) throw refusal(this.shown(file), ...lineColumn(text, start), `includeAll with ${key}: a Java class of the project chooses or orders the files, which pgdrift cannot run`, 'list the changelogs with include entries instead');
    }
    for (const key of ['minDepth', 'maxDepth', 'endsWithFilter']) {
      if (get(key)) throw refusal(this.shown(file), ...lineColumn(text, start), `includeAll with ${key}: not supported by pgdrift`, 'list the changelogs with include entries instead');
    }
  }

  /** Changelog-level preconditions: a top-level dbms one is evaluated (PostgreSQL), others assumed met. */
  private changelogPreconditions(file: string, text: string, start: number, conditions: Precondition[]): void {
    for (const { kind, type } of conditions) {
      if (kind === 'dbms' && !postgresMatches(type)) {
        throw refusal(this.shown(file), ...lineColumn(text, start), `the changelog's preconditions require dbms ${type}: Liquibase stops on PostgreSQL (onFail HALT by default)`, 'this changelog is not for PostgreSQL');
      }
      if (kind !== 'dbms') this.preconditionsAssumed.push(`${this.shown(file)}:${lineColumn(text, start)[0]} (${kind})`);
    }
  }

  /**
   * A changeset's preconditions: dbms ones (also under and/or/not) are evaluated for PostgreSQL, others assumed met
   * (notice). When they fail, PreconditionContainer's onFail decides: CONTINUE and MARK_RAN skip the changeset, WARN
   * runs it, HALT (the default) stops Liquibase. Returns whether the changeset runs.
   */
  private changeSetPreconditions(file: string, text: string, start: number, changeSet: string, onFail: string | undefined, conditions: Precondition[]): boolean {
    const met = allMet(conditions);
    if (met === undefined) {
      this.preconditionsAssumed.push(`${this.shown(file)}:${lineColumn(text, start)[0]} (${changeSet})`);
      return true;
    }
    if (met) return true;
    const option = (onFail ?? 'HALT').trim().toUpperCase();
    if (option === 'CONTINUE' || option === 'MARK_RAN') return false;
    if (option === 'WARN') return true;
    throw refusal(this.shown(file), ...lineColumn(text, start), `changeset ${changeSet}: its dbms preconditions fail on PostgreSQL, and Liquibase stops there (onFail ${onFail ?? 'HALT, the default'})`, 'Liquibase skips the changeset with onFail="MARK_RAN" or "CONTINUE"');
  }

  /**
   * A change whose SQL Liquibase generates (liquibase-generate.ts): a run over the change's lines whose text is the
   * generated statements, put in place of the change, so that every position PostgreSQL or the parser reports in them
   * is the change element's line:column. A change type not generated is refused there; false stops the changeset.
   */
  private generatedRun(file: string, text: string, at: { start: number; end: number }, options: { changeSet: string; transaction: boolean; quoting?: string }, change: ChangeInput): boolean {
    const { changeSet, transaction, quoting } = options;
    if (quoting && !['LEGACY', 'QUOTE_ALL_OBJECTS', 'QUOTE_ONLY_RESERVED_WORDS'].includes(quoting.trim().toUpperCase())) {
      // ObjectQuotingStrategy.valueOf refuses any other value
      this.problemRun(file, text, at.start, changeSet, `objectQuotingStrategy ${quoting}: Liquibase knows LEGACY, QUOTE_ALL_OBJECTS and QUOTE_ONLY_RESERVED_WORDS`, 'Liquibase refuses the changelog');
      return false;
    }
    const generated = generateChange({ ...change, ...(quoting ? { quoting } : {}) });
    if (!generated) {
      this.problemRun(file, text, at.start, changeSet, unsupportedChange(change.name));
      return false;
    }
    if ('refused' in generated) {
      this.problemRun(file, text, at.start, changeSet, generated.refused, 'Liquibase stops on this change (its validation fails before anything runs): fix the change');
      return false;
    }
    if (generated.sql.length === 0) return true;
    const starts = lineStarts(text);
    const startLine = lineOf(starts, at.start);
    const endLine = lineOf(starts, Math.max(at.start, at.end - 1)) + 1;
    const lineEnd = endLine < starts.length ? starts[endLine] : text.length;
    const sql = `${generated.sql.map((statement) => `${statement};`).join('\n')}\n`;
    const substitutions: Substitution[] = [
      ...(at.start > starts[startLine] ? [{ start: starts[startLine], end: at.start, value: '' }] : []),
      { start: at.start, end: lineEnd, value: sql },
    ];
    this.runs.push({ file, startLine, endLine, transaction: transaction ? 'wrapped' : 'none', substitutions, changeSet, changeSetNumber: this.changeSetNumber });
    return true;
  }

  /** An XML change element as generateChange reads it: attributes (properties expanded), columns, where / view text. */
  private xmlChange(text: string, element: XmlElement): ChangeInput {
    const expand = (value: string | undefined) => value?.replace(/\$\{([^}]+)\}/g, (reference, name: string) => this.propertyValue(name) ?? reference);
    const attributes = (e: XmlElement) => (key: string) => expand(e.attributes.get(key)?.value);
    const content = (e: XmlElement) => expand(substituted(text, e.contentStart, e.contentEnd, xmlContentSubstitutions(text, e)));
    const name = localName(element.name);
    const columns: ChangeColumn[] = element.children
      .filter((child) => localName(child.name) === 'column')
      .map((child) => {
        const constraints = child.children.find((c) => localName(c.name) === 'constraints');
        return { get: attributes(child), constraint: (key: string) => (constraints ? attributes(constraints)(key) : undefined) };
      });
    return {
      name,
      defaultSchema: this.context.defaultSchema,
      get: attributes(element),
      columns,
      text: (key) => {
        if (key === 'selectQuery' && name === 'createView') return content(element);
        const child = element.children.find((c) => localName(c.name) === key);
        return child ? content(child) : undefined;
      },
    };
  }

  /** A YAML / JSON change (`createTable: {tableName, columns: [{column: {...}}]}`) as generateChange reads it. */
  private yamlChange(name: string, value: YamlNode | null | undefined): ChangeInput {
    const expand = (v: string | undefined) => v?.replace(/\$\{([^}]+)\}/g, (reference, property: string) => this.propertyValue(property) ?? reference);
    const getter = (node: unknown) => (key: string) => (isMap(node) ? expand(scalarText(node.get(key, true) as YamlNode | undefined)) : undefined);
    const list = isMap(value) ? value.get('columns', true) : undefined;
    const columns: ChangeColumn[] = (isSeq(list) ? list.items : []).map((item) => {
      const column = isMap(item) ? item.get('column', true) : undefined;
      const constraints = isMap(column) ? column.get('constraints', true) : undefined;
      return { get: getter(column), constraint: getter(constraints) };
    });
    return { name, defaultSchema: this.context.defaultSchema, get: getter(value), columns, text: (key) => getter(value)(key) };
  }

  /**
   * createProcedure (change/core/CreateProcedureChange.java, sqlgenerator/core/CreateProcedureGenerator.java): its text,
   * inline or read from `path`, properties expanded, is sent as ONE statement (an UnparsedSql: never cut at its `;`s)
   * after removeTrailingDelimiter drops a last `;`: replayed as a `sql` change with splitStatements off. With
   * `schemaName` the generator wraps it in `SET SEARCH_PATH` statements that depend on the live search_path, and
   * `replaceIfExists` adds a `DROP PROCEDURE IF EXISTS` first: both are refused. False stops the changeset.
   */
  private procedureRun(file: string, text: string, index: number, get: (key: string) => string | undefined, options: { changeSet: string; transaction: boolean }, body: { file: string; text: string; start: number; end: number } | undefined, inside: Substitution[]): boolean {
    const { changeSet, transaction } = options;
    const written = body ? substituted(text, body.start, body.end, inside).trim() : '';
    const fromFile = get('path')?.trim();
    const refuse = (message: string) => {
      this.problemRun(file, text, index, changeSet, message, 'Liquibase stops on this change (its validation fails before anything runs): fix the change');
      return false;
    };
    if (written !== '' && fromFile) return refuse("createProcedure with both a path and a procedure text: Liquibase's validation refuses it (\"Cannot specify both 'path' and a nested procedure text\")");
    if (written === '' && !fromFile) return refuse("createProcedure without a path or a procedure text: Liquibase's validation refuses it (\"Must specify either 'path' or a nested procedure text\")");
    const unsupported = get('schemaName') ? `createProcedure with schemaName: Liquibase sends SET SEARCH_PATH statements around it that depend on the database's search_path, which pgdrift does not replay` : bool(get('replaceIfExists'), false) ? 'createProcedure with replaceIfExists: pgdrift does not generate the DROP PROCEDURE IF EXISTS Liquibase sends first' : undefined;
    if (unsupported) {
      this.problemRun(file, text, index, changeSet, unsupported);
      return false;
    }
    const sqlOptions = { changeSet, transaction, splitStatements: false };
    if (fromFile) this.sqlFileRun(file, text, index, fromFile, bool(get('relativeToChangelogFile'), false), get('encoding'), sqlOptions);
    else this.sqlRun(body!, inside, sqlOptions);
    return true;
  }

  private problemRun(file: string, text: string, index: number, changeSet: string, message: string, hint?: string): void {
    const [line, column] = lineColumn(text, index);
    this.runs.push({
      file,
      startLine: line - 1,
      endLine: line,
      transaction: 'wrapped',
      substitutions: [],
      changeSet,
      changeSetNumber: this.changeSetNumber,
      problem: {
        message,
        line,
        column,
        hint: hint ?? 'pgdrift replays the SQL of sql and sqlFile changes and formatted SQL changelogs and generates the common change types: `liquibase update-sql` prints the SQL Liquibase generates for the others, which can be committed as a formatted SQL changelog (--liquibase formatted sql)',
      },
    });
  }

  private sqlFileRun(changelog: string, text: string, index: number, written: string | undefined, relative: boolean, encoding: string | undefined, options: SqlOptions): void {
    if (!written) return this.problemRun(changelog, text, index, options.changeSet, 'sqlFile without a path: Liquibase refuses it');
    if (encoding && !/^utf-?8$/i.test(encoding)) return this.problemRun(changelog, text, index, options.changeSet, `sqlFile with encoding ${encoding}: pgdrift reads SQL files as UTF-8`);
    const file = this.resolve(written, relative, changelog);
    const shown = this.shown(file);
    const real = checkProjectFile(file, shown, this.context.root);
    if (!real || !exists(real)) return this.problemRun(changelog, text, index, options.changeSet, `sqlFile ${written}: ${shown} does not exist (Liquibase stops here)`);
    this.files.add(file);
    const sql = readSqlFile(real, shown);
    this.sqlRun({ file, text: sql, start: 0, end: sql.length }, [], options);
  }

  /**
   * One change's SQL: lines [start, end) of the file as a run, with what Liquibase does not send replaced (the text
   * around it on its first and last line, markup inside it) and Liquibase's own delimiters (`/`, GO, endDelimiter)
   * turned into `;`. A cut Liquibase makes where PostgreSQL's statement goes on is a refusal there.
   */
  sqlRun(body: { file: string; text: string; start: number; end: number }, inside: Substitution[], options: SqlOptions): void {
    const { file, text, start, end } = body;
    const starts = lineStarts(text);
    const startLine = lineOf(starts, start);
    const endLine = end > start ? lineOf(starts, end - 1) + 1 : startLine + 1;
    const lineEnd = endLine < starts.length ? starts[endLine] : text.length;
    // Liquibase's statements, on the SQL as Liquibase holds it
    // ChangeLogParameters.expandExpressions: `${name}` of a property set so far is its value; others stay as written
    const expand = (written: string) => written.replace(/\$\{([^}]+)\}/g, (reference, name: string) => this.propertyValue(name) ?? reference);
    const expansions: Substitution[] = [];
    for (const match of text.slice(start, end).matchAll(/\$\{([^}]+)\}/g)) {
      const at = start + match.index!;
      const known = this.propertyValue(match[1]);
      if (known !== undefined && !inside.some((s) => at < s.end && at + match[0].length > s.start)) expansions.push({ start: at, end: at + match[0].length, value: known });
    }
    const pieces = piecesOf(text, start, end, [...inside.map((s) => ({ ...s, value: expand(s.value) })), ...expansions]);
    const value = pieces.map((p) => p.text).join('');
    if (/\$\{[^}]+\}/.test(value)) this.propertiesSeen = true;
    const { cuts, dropped } = liquibaseCuts(value.replace(/\r/g, ' '), { splitStatements: options.splitStatements, endDelimiter: options.endDelimiter });
    const delimiters: Substitution[] = [];
    let problem: PlanProblem | undefined;
    for (const cut of cuts) {
      const written = toWritten(pieces, cut.start, cut.end);
      if (value.slice(cut.start, cut.end) !== ';' && written) delimiters.push({ start: written.start, end: written.end, value: ';' });
    }
    for (const token of dropped) {
      const written = toWritten(pieces, token.start, token.end);
      if (written) delimiters.push({ start: written.start, end: written.end, value: '' });
    }
    const substitutions = mergeSubstitutions([
      ...(start > starts[startLine] ? [{ start: starts[startLine], end: start, value: '' }] : []),
      ...pieces.filter((p) => p.replaced).map((p) => ({ start: p.start, end: p.end, value: p.text })),
      ...delimiters,
      ...(end < lineEnd ? [{ start: end, end: lineEnd, value: '' }] : []),
    ]);
    // where PostgreSQL ends statements in what is sent: every Liquibase cut must be one of them
    const sent = replaceAll(value, [...cuts.filter((c) => value.slice(c.start, c.end) !== ';').map((c) => ({ start: c.start, end: c.end, value: ';' })), ...dropped.map((d) => ({ ...d, value: '' }))].sort((a, b) => a.start - b.start));
    const pgEnds = statementEnds(sent.text);
    if (pgEnds) {
      for (const cut of cuts) {
        const at = sent.map(cut.start);
        if (pgEnds.has(Buffer.byteLength(sent.text.slice(0, at), 'utf8'))) continue;
        const written = toWritten(pieces, cut.start, cut.end)?.start ?? start;
        const [line, column] = lineColumn(text, written);
        problem = {
          message: `Liquibase ends a statement here (changeset ${options.changeSet}, splitStatements is on) where PostgreSQL's statement goes on (a ; inside a dollar-quoted body or a string Liquibase reads otherwise): Liquibase sends the statement cut in two, and PostgreSQL refuses it`,
          line,
          column,
          hint: 'Liquibase\'s splitter does not know dollar quotes: mark the changeset splitStatements:false (formatted SQL) or the change splitStatements="false", as Liquibase\'s docs ask for function bodies',
        };
        break;
      }
    }
    this.runs.push({ file, startLine, endLine, transaction: options.transaction ? 'wrapped' : 'none', substitutions, changeSet: options.changeSet, changeSetNumber: this.changeSetNumber, ...(problem ? { problem } : {}) });
  }
}

interface SqlOptions {
  changeSet: string;
  transaction: boolean;
  splitStatements: boolean;
  endDelimiter?: string;
}

/** A stretch of the file and the text Liquibase holds for it (the same text unless `replaced`). */
interface Piece {
  start: number;
  end: number;
  text: string;
  replaced: boolean;
}

function piecesOf(text: string, start: number, end: number, inside: Substitution[]): Piece[] {
  const pieces: Piece[] = [];
  let at = start;
  for (const s of [...inside].sort((a, b) => a.start - b.start)) {
    if (s.start < at || s.end > end) continue;
    if (s.start > at) pieces.push({ start: at, end: s.start, text: text.slice(at, s.start), replaced: false });
    pieces.push({ start: s.start, end: s.end, text: s.value, replaced: true });
    at = s.end;
  }
  if (at < end) pieces.push({ start: at, end, text: text.slice(at, end), replaced: false });
  return pieces;
}

/** Where [from, to) of the pieces' text is written, when it lies in one piece written as is. */
function toWritten(pieces: Piece[], from: number, to: number): { start: number; end: number } | undefined {
  let offset = 0;
  for (const piece of pieces) {
    const length = piece.text.length;
    if (from >= offset && from < offset + length) {
      if (piece.replaced || to > offset + length) return { start: piece.start, end: piece.start };
      return { start: piece.start + (from - offset), end: piece.start + (to - offset) };
    }
    offset += length;
  }
  return undefined;
}

/** Substitutions sorted, those inside a larger one dropped. */
function mergeSubstitutions(substitutions: Substitution[]): Substitution[] {
  const sorted = [...substitutions].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Substitution[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) continue;
    if (s.start === s.end && s.value === '') continue;
    out.push(s);
  }
  return out;
}

function replaceAll(text: string, replacements: Substitution[]): { text: string; map: (index: number) => number } {
  let out = '';
  let from = 0;
  const shifts: { at: number; delta: number }[] = [];
  let delta = 0;
  for (const r of replacements) {
    out += text.slice(from, r.start) + r.value;
    delta += r.value.length - (r.end - r.start);
    shifts.push({ at: r.end, delta });
    from = r.end;
  }
  out += text.slice(from);
  return {
    text: out,
    map(index) {
      let d = 0;
      for (const shift of shifts) if (shift.at <= index) d = shift.delta;
      return index + d;
    },
  };
}

/** UTF-8 offsets of the `;` tokens PostgreSQL's scanner finds, or undefined when it cannot scan the text. */
function statementEnds(sql: string): Set<number> | undefined {
  try {
    return new Set(scanSqlTokens(sql).filter((token) => token.text === ';').map((token) => token.start));
  } catch {
    return undefined;
  }
}

/** `<sql>` content as Liquibase's SAX parser gives it: entities decoded, CDATA markers, comments and child elements dropped. */
function xmlContentSubstitutions(text: string, element: XmlElement): Substitution[] {
  const out: Substitution[] = [];
  const childAt = new Map(element.children.map((child) => [child.start, child]));
  for (let i = element.contentStart; i < element.contentEnd; ) {
    const child = childAt.get(i);
    if (child) {
      out.push({ start: child.start, end: child.end, value: '' });
      i = child.end;
    } else if (text.startsWith('<![CDATA[', i)) {
      const close = text.indexOf(']]>', i);
      out.push({ start: i, end: i + 9, value: '' }, { start: close, end: close + 3, value: '' });
      i = close + 3;
    } else if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i) + 3;
      out.push({ start: i, end: close, value: '' });
      i = close;
    } else if (text[i] === '&') {
      const reference = /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/.exec(text.slice(i, i + 12));
      const value = reference ? entityValue(reference[0]) : undefined;
      if (reference && value !== undefined) out.push({ start: i, end: i + reference[0].length, value });
      i += reference ? reference[0].length : 1;
    } else i++;
  }
  return out;
}

/**
 * A YAML scalar's value over its written text: a literal block's header and indentation dropped; any other form
 * whose text is not the value as written (folded, escaped, quoted over lines) replaced as a whole by its value.
 */
function yamlScalarSubstitutions(text: string, node: Scalar): Substitution[] {
  const [start, end] = node.range!;
  const value = String(node.value ?? '');
  const written = text.slice(start, end);
  if (written === value) return [];
  if (node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) {
    if (written.slice(1, -1) === value) return [{ start, end: start + 1, value: '' }, { start: end - 1, end, value: '' }];
  }
  if (node.type === Scalar.BLOCK_LITERAL) {
    const headerEnd = text.indexOf('\n', start) + 1;
    const out: Substitution[] = [{ start, end: headerEnd, value: '' }];
    const indent = /^[ ]*/.exec(text.slice(headerEnd))![0].length;
    let rebuilt = '';
    let lineStart = headerEnd;
    while (lineStart < end) {
      const lineEndAt = text.indexOf('\n', lineStart);
      const stop = lineEndAt === -1 || lineEndAt >= end ? end : lineEndAt + 1;
      const strip = Math.min(indent, /^[ ]*/.exec(text.slice(lineStart, stop))![0].length);
      if (strip > 0) out.push({ start: lineStart, end: lineStart + strip, value: '' });
      rebuilt += text.slice(lineStart + strip, stop);
      lineStart = stop;
    }
    // chomping (|-, |+) and trailing blank lines: where the value's end differs, the rest is replaced
    if (rebuilt === value) return out;
    if (rebuilt.startsWith(value) && rebuilt.slice(value.length).trim() === '') {
      // the value drops trailing line breaks: blank the written rest (whitespace, which PostgreSQL ignores)
      return out;
    }
  }
  return [{ start, end, value }];
}

/** text[start, end) with the substitutions inside it applied */
function substituted(text: string, start: number, end: number, substitutions: Substitution[]): string {
  return piecesOf(text, start, end, substitutions).map((piece) => piece.text).join('');
}

function scalarText(node: YamlNode | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

/** A precondition as written: its kind (`dbms`, `and`, `sqlCheck`...), a dbms's `type`, and the ones nested in it. */
interface Precondition {
  kind: string;
  type?: string;
  nested: Precondition[];
}

/**
 * Whether preconditions all pass on PostgreSQL, as AndPrecondition (the container), OrPrecondition and
 * NotPrecondition (none of its nested passes) combine them; undefined when one pgdrift cannot evaluate decides it.
 */
function allMet(conditions: Precondition[]): boolean | undefined {
  const results = conditions.map(met);
  if (results.includes(false)) return false;
  return results.includes(undefined) ? undefined : true;
}

function met(condition: Precondition): boolean | undefined {
  if (condition.kind === 'dbms') return postgresMatches(condition.type);
  if (condition.kind === 'and') return allMet(condition.nested);
  if (condition.kind === 'or') {
    const results = condition.nested.map(met);
    if (results.includes(true)) return true;
    return results.includes(undefined) ? undefined : false;
  }
  if (condition.kind === 'not') {
    const results = condition.nested.map(met);
    if (results.includes(true)) return false;
    return results.includes(undefined) ? undefined : true;
  }
  return undefined;
}

function xmlPreconditions(element: XmlElement): Precondition[] {
  return element.children.map((child) => ({ kind: localName(child.name), type: child.attributes.get('type')?.value, nested: xmlPreconditions(child) }));
}

/** YAML/JSON preconditions: a list of one-key maps, where `onFail: X` and the like are items of the list too */
function yamlPreconditions(node: YamlNode | null | undefined): { onFail?: string; conditions: Precondition[] } {
  let onFail: string | undefined;
  const conditions: Precondition[] = [];
  const items = isSeq(node) ? node.items : isMap(node) ? [node] : [];
  for (const item of items) {
    if (!isMap(item)) continue;
    for (const pair of item.items as Pair<YamlNode, YamlNode>[]) {
      const kind = isScalar(pair.key) ? String(pair.key.value) : '';
      if (kind === 'onFail') onFail = scalarText(pair.value ?? undefined);
      if (['onFail', 'onError', 'onFailMessage', 'onErrorMessage', 'onUpdateSQL', 'onSqlOutput'].includes(kind)) continue;
      const type = isMap(pair.value) ? scalarText(pair.value.get('type', true) as YamlNode | undefined) : undefined;
      conditions.push({ kind, type, nested: isSeq(pair.value) || (isMap(pair.value) && !type) ? yamlPreconditions(pair.value).conditions : [] });
    }
  }
  return { onFail, conditions };
}

/**
 * DatabaseList.definitionMatches for PostgreSQL: no value, or `all`, matches; `none` does not; a list matches when
 * it names postgresql, or names only exclusions (`!mysql`) that are not `!postgresql`.
 */
export function postgresMatches(dbms: string | undefined): boolean {
  const names = (dbms ?? '').split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (names.length === 0) return true;
  if (names.includes('none')) return false;
  if (names.includes('all')) return true;
  if (names.includes('!postgresql')) return false;
  if (names.includes('postgresql')) return true;
  return names.every((name) => name.startsWith('!'));
}

function unsupportedChange(name: string): string {
  return `change type ${name}: Liquibase generates its SQL, and pgdrift generates only the common change types (createTable, addColumn, createIndex, addForeignKeyConstraint... see the README)`;
}

function refusal(file: string, line: number, column: number, message: string, hint: string): InputError {
  return new InputError(`${file}:${line}:${column}: ${message}`, { hint: hint.startsWith('http') ? `see ${hint}` : hint, position: { file, line, column } });
}

/** A changeset's or include's filters, from its attributes (XML) or keys (YAML/JSON): `context` (or `contextFilter`), `labels`. */
function filterOf(get: (key: string) => string | undefined): InheritedFilter {
  return { context: get('context') ?? get('contextFilter'), labels: get('labels') };
}

function attribute(text: string, pattern: RegExp): string | undefined {
  return pattern.exec(text)?.[1];
}

function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value.trim().toLowerCase() === 'true' ? true : value.trim().toLowerCase() === 'false' ? false : fallback;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function lineColumn(text: string, index: number): [number, number] {
  const { line, column } = positionIn(text, index);
  return [line, column];
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function filesBelow(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesBelow(full));
    else out.push(full);
  }
  return out;
}

/** Reads the master changelog and everything it includes, in Liquibase's order. */
export function readChangelog(master: string, context: ChangelogContext): LiquibaseChangelog {
  const reader = new Reader(context);
  reader.include(master);
  return reader.finish();
}

export { DOCS as LIQUIBASE_CHANGELOG_DOCS };

