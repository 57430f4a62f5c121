import type { ScanToken } from 'libpg-query';
import type { AlterTableStmt, ColumnDef, CreateDomainStmt, CreateStmt, Node } from '@pgsql/types';
import { nodeAs, nodesAs } from '../sql/ast.js';
import { parseSqlOrUndefined, scanSqlTokens } from '../sql/parse.js';
import { SourceText } from '../sql/source-text.js';

/** A column's default or generated expression as a statement's text spells it. */
export interface WrittenExpression {
  column: string;
  kind: 'default' | 'generated';
  text: string;
}

/** A parsed statement of a dump: its text, and what turns its AST locations into byte offsets in that text. */
export interface WrittenStatement {
  kind: string;
  ast: unknown;
  text: string;
  locationBase: number;
}

/**
 * Whether a CREATE TABLE or ALTER TABLE sets a column's default or generated expression: only those statements are
 * read again by writtenColumnExpressions.
 */
export function setsColumnExpressions(statement: { kind: string; ast: unknown }): boolean {
  if (statement.kind === 'CreateStmt') return nodesAs((statement.ast as CreateStmt).tableElts, 'ColumnDef').some(hasExpression);
  if (statement.kind !== 'AlterTableStmt') return false;
  return nodesAs((statement.ast as AlterTableStmt).cmds, 'AlterTableCmd').some((cmd) =>
    cmd.subtype === 'AT_ColumnDefault' ? cmd.def !== undefined : cmd.subtype === 'AT_AddColumn' && hasExpression(nodeAs(cmd.def, 'ColumnDef')),
  );
}

function hasExpression(def: ColumnDef | undefined): boolean {
  return nodesAs(def?.constraints, 'Constraint').some((con) => con.contype === 'CONSTR_DEFAULT' || con.contype === 'CONSTR_GENERATED');
}

/**
 * The column defaults and generated expressions of one CREATE TABLE or ALTER TABLE statement, sliced from its text
 * (pg_dump's `'happy'::public.mood`, where the model keeps the deparser's `CAST('happy' AS public.mood)`). A
 * constraint's `location` is its DEFAULT / GENERATED keyword; the expression runs over the scanner's tokens to a
 * top-level `,` or unmatched `)`, or to where the next clause starts (the column's next constraint, its COLLATE,
 * the next column): only that stretch is scanned, not the whole statement. `ALTER COLUMN ... SET DEFAULT` has no
 * location: its expression follows the command's `SET DEFAULT` and ends with the command (a top-level comma, or
 * the statement's end). The slices are not checked here: a caller keeps one only when it parses back to the
 * model's expression (parseExpression).
 */
export function writtenColumnExpressions(statement: WrittenStatement, file: string): WrittenExpression[] {
  const source = new SourceText(statement.text, file);
  const found: WrittenExpression[] = [];
  if (statement.kind === 'CreateStmt') {
    const elements = (statement.ast as CreateStmt).tableElts ?? [];
    const clauseStarts = elements.flatMap((element) => {
      const def = nodeAs(element, 'ColumnDef');
      return def ? columnClauseStarts(def) : [nodeAs(element, 'Constraint')?.location];
    });
    for (const def of nodesAs(elements, 'ColumnDef')) found.push(...columnExpressions(def, source, statement.locationBase, clauseStarts));
  } else if (statement.kind === 'AlterTableStmt') {
    const cmds = nodesAs((statement.ast as AlterTableStmt).cmds, 'AlterTableCmd');
    const whole = TokenRange.scan(source, 0, Buffer.byteLength(statement.text, 'utf8'));
    const segments = whole?.commandSegments() ?? [];
    cmds.forEach((cmd, i) => {
      if (cmd.subtype === 'AT_AddColumn') {
        const def = nodeAs(cmd.def, 'ColumnDef');
        if (def) found.push(...columnExpressions(def, source, statement.locationBase, columnClauseStarts(def)));
      } else if (cmd.subtype === 'AT_ColumnDefault' && cmd.def && cmd.name && whole && segments.length === cmds.length) {
        const text = whole.setDefaultExpression(segments[i].start, segments[i].end);
        if (text !== undefined) found.push({ column: cmd.name, kind: 'default', text });
      }
    });
  }
  return found;
}

/**
 * A CREATE DOMAIN's default as its text spells it: the expression after DEFAULT, up to the domain's next clause (a
 * constraint's location: NOT NULL, CHECK, CONSTRAINT name) or the statement's end; checked by the caller as the
 * column expressions are.
 */
export function writtenDomainDefault(statement: WrittenStatement, file: string): string | undefined {
  if (statement.kind !== 'CreateDomainStmt') return undefined;
  const constraints = nodesAs((statement.ast as CreateDomainStmt).constraints, 'Constraint');
  const found = constraints.find((con) => con.contype === 'CONSTR_DEFAULT');
  if (found?.location === undefined) return undefined;
  const start = found.location;
  const source = new SourceText(statement.text, file);
  const next = Math.min(...constraints.map((con) => con.location).filter((at): at is number => at !== undefined && at > start));
  const end = next === Infinity ? Buffer.byteLength(source.text, 'utf8') : next + statement.locationBase;
  const clause = TokenRange.scan(source, start + statement.locationBase, end);
  return clause?.isWord(0, 'DEFAULT') ? clause.text(1, clause.expressionEnd(1)) : undefined;
}

/**
 * A view's or materialized view's query as the statement's text spells it: pg_dump writes pg_get_viewdef's pretty
 * text (`'draft'::billing.invoice_state`, one clause a line), where the model keeps the deparser's one-line
 * `CAST('draft' AS billing.invoice_state)`. The query runs from the first top-level `AS` (the view's column list
 * and its WITH (...) options are in parentheses) to the statement's end, less a trailing `WITH [CASCADED | LOCAL]
 * CHECK OPTION` (a view) or `WITH [NO] DATA` (a materialized view). Not checked here: the caller keeps it only when
 * it parses back to the model's query (parseQuery).
 */
export function writtenViewQuery(statement: WrittenStatement, file: string): string | undefined {
  const isMatview = statement.kind === 'CreateTableAsStmt';
  if (statement.kind !== 'ViewStmt' && !isMatview) return undefined;
  const source = new SourceText(statement.text, file);
  const whole = TokenRange.scan(source, 0, Buffer.byteLength(statement.text, 'utf8'));
  if (!whole) return undefined;
  const start = whole.firstTopLevelWord('AS');
  if (start === undefined) return undefined;
  let end = whole.length;
  if (whole.tokenText(end - 1) === ';') end--;
  const tail = (words: string[]) => words.every((word, i) => whole.isWord(end - words.length + i, word));
  const endings = isMatview ? [['WITH', 'NO', 'DATA'], ['WITH', 'DATA']] : [['WITH', 'CASCADED', 'CHECK', 'OPTION'], ['WITH', 'LOCAL', 'CHECK', 'OPTION'], ['WITH', 'CHECK', 'OPTION']];
  const ending = endings.find(tail);
  if (ending) end -= ending.length;
  return whole.dedentedText(start + 1, end);
}

/** The query of a written text (a SELECT, VALUES or set operation alone), or undefined when it is not one query. */
export function parseQuery(text: string, file: string): Node | undefined {
  const parsed = parseSqlOrUndefined(text, file);
  return parsed?.statements.length === 1 && parsed.statements[0].kind === 'SelectStmt' ? parsed.statements[0].node : undefined;
}

/**
 * The expression of a written text (`SELECT <text>` holding nothing but it), or undefined when the text is not one
 * expression alone: a slice that ran too far or stopped short never parses back to the same expression.
 */
export function parseExpression(text: string, file: string): Node | undefined {
  const parsed = parseSqlOrUndefined(`SELECT ${text}`, file);
  const select = parsed?.statements.length === 1 ? nodeAs(parsed.statements[0].node, 'SelectStmt') : undefined;
  if (!select || Object.keys(select).some((field) => !SELECT_OF_ONE_EXPRESSION.has(field)) || select.op !== 'SETOP_NONE') return undefined;
  const targets = nodesAs(select.targetList, 'ResTarget');
  if (targets.length !== 1 || select.targetList?.length !== 1 || targets[0].name !== undefined || targets[0].indirection !== undefined) return undefined;
  return targets[0].val;
}

const SELECT_OF_ONE_EXPRESSION = new Set(['targetList', 'limitOption', 'op']);

/** Where a column definition and each of its clauses (constraints, COLLATE) start, as AST locations. */
function columnClauseStarts(def: ColumnDef): Array<number | undefined> {
  return [def.location, def.collClause?.location, ...nodesAs(def.constraints, 'Constraint').map((con) => con.location)];
}

/** A column definition's default and generated expressions; `clauseStarts` (AST locations) bound each one. */
function columnExpressions(def: ColumnDef, source: SourceText, locationBase: number, clauseStarts: ReadonlyArray<number | undefined>): WrittenExpression[] {
  const column = def.colname ?? '';
  const found: WrittenExpression[] = [];
  for (const con of nodesAs(def.constraints, 'Constraint')) {
    if ((con.contype !== 'CONSTR_DEFAULT' && con.contype !== 'CONSTR_GENERATED') || con.location === undefined) continue;
    // the clause runs to the next clause's start at most (the end of the statement for the last one)
    let next = Infinity;
    for (const start of clauseStarts) if (start !== undefined && start > con.location && start < next) next = start;
    const end = next === Infinity ? Buffer.byteLength(source.text, 'utf8') : next + locationBase;
    const clause = TokenRange.scan(source, con.location + locationBase, end);
    if (!clause) continue;
    if (con.contype === 'CONSTR_DEFAULT' && clause.isWord(0, 'DEFAULT')) {
      const text = clause.text(1, clause.expressionEnd(1));
      if (text !== undefined) found.push({ column, kind: 'default', text });
    } else if (con.contype === 'CONSTR_GENERATED' && clause.isWord(0, 'GENERATED') && clause.isWord(1, 'ALWAYS') && clause.isWord(2, 'AS') && clause.tokenText(3) === '(') {
      // GENERATED ALWAYS AS ( expression ) [STORED | VIRTUAL]
      const close = clause.expressionEnd(4);
      const text = clause.tokenText(close) === ')' ? clause.text(4, close) : undefined;
      if (text !== undefined) found.push({ column, kind: 'generated', text });
    }
  }
  return found;
}

/** The code tokens (comments left out) of a stretch of a statement's text that starts at a token. */
class TokenRange {
  private constructor(
    private readonly tokens: ScanToken[],
    /** the stretch's text: token offsets are its UTF-8 bytes */
    private readonly source: SourceText,
  ) {}

  /** The tokens of `source`'s bytes [start, end); undefined when they do not scan. */
  static scan(source: SourceText, start: number, end: number): TokenRange | undefined {
    const text = source.text.slice(source.indexOfByte(start), source.indexOfByte(end));
    try {
      const tokens = scanSqlTokens(text).filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
      return new TokenRange(tokens, new SourceText(text, source.file));
    } catch {
      return undefined;
    }
  }

  /** ALTER TABLE's commands as token ranges, cut at its top-level commas (the first range holds `ALTER TABLE name`). */
  commandSegments(): Array<{ start: number; end: number }> {
    const segments: Array<{ start: number; end: number }> = [];
    let start = 0;
    let depth = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const text = this.tokens[i].text;
      if (text === '(' || text === '[') depth++;
      else if (text === ')' || text === ']') depth--;
      else if (text === ',' && depth === 0) {
        segments.push({ start, end: i });
        start = i + 1;
      }
    }
    segments.push({ start, end: this.tokens.length });
    return segments;
  }

  /**
   * text(from, end) as a block: from the start of its first line when only blanks come before it there, and less
   * the indentation all its lines share (pg_get_viewdef indents a whole query by one space). A line that starts
   * inside a token (a multi-line string literal) keeps its text and does not count.
   */
  dedentedText(from: number, end: number): string | undefined {
    const text = this.text(from, end);
    if (text === undefined) return undefined;
    const first = this.source.indexOfByte(this.tokens[from].start);
    const lineStart = this.source.text.lastIndexOf('\n', first - 1) + 1;
    const blanks = this.source.text.slice(lineStart, first);
    const block = /^[ \t]*$/.test(blanks) ? blanks + text : text;
    const blockStart = first - (block.length - text.length);
    // where a line starts inside a token (a string literal over several lines), the line is left as it is
    const insideToken = (at: number) => this.tokens.some((token) => this.source.indexOfByte(token.start) < at && at < this.source.indexOfByte(token.end));
    const lines = block.split('\n');
    let at = blockStart;
    const movable = lines.map((line) => {
      const ok = !insideToken(at);
      at += line.length + 1;
      return ok;
    });
    const indent = (line: string) => /^[ \t]*/.exec(line)![0].length;
    const indents = lines.filter((line, i) => movable[i] && line.trim() !== '').map(indent);
    const common = indents.length > 0 ? Math.min(...indents) : 0;
    return lines.map((line, i) => (movable[i] ? line.slice(Math.min(common, indent(line))) : line)).join('\n');
  }

  get length(): number {
    return this.tokens.length;
  }

  /** Index of the first keyword `word` outside any parentheses or brackets; undefined when there is none. */
  firstTopLevelWord(word: string): number | undefined {
    let depth = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const text = this.tokens[i].text;
      if (text === '(' || text === '[') depth++;
      else if (text === ')' || text === ']') depth--;
      else if (depth === 0 && this.isWord(i, word)) return i;
    }
    return undefined;
  }

  /** The expression after a command's `SET DEFAULT`, to the command's end. */
  setDefaultExpression(start: number, end: number): string | undefined {
    for (let i = start; i + 1 < end; i++) {
      if (this.isWord(i, 'SET') && this.isWord(i + 1, 'DEFAULT')) return this.text(i + 2, end);
    }
    return undefined;
  }

  /** Index of the first token from `from` on that ends the expression starting there: a top-level `,`, an unmatched `)` or `]`. */
  expressionEnd(from: number): number {
    let depth = 0;
    for (let i = from; i < this.tokens.length; i++) {
      const text = this.tokens[i].text;
      if (text === ',' && depth === 0) return i;
      if (text === '(' || text === '[') depth++;
      else if (text === ')' || text === ']') {
        if (depth === 0) return i;
        depth--;
      }
    }
    return this.tokens.length;
  }

  /** The text from token `from` to the end of token `end - 1`; undefined when the range is empty. */
  text(from: number, end: number): string | undefined {
    if (end <= from || end > this.tokens.length) return undefined;
    return this.source.text.slice(this.source.indexOfByte(this.tokens[from].start), this.source.indexOfByte(this.tokens[end - 1].end));
  }

  tokenText(index: number): string | undefined {
    return this.tokens[index]?.text;
  }

  /** A keyword token (the scanner keeps the text's case; a quoted identifier keeps its quotes, so never matches). */
  isWord(index: number, word: string): boolean {
    const token = this.tokens[index];
    return token !== undefined && token.keywordKind !== 0 && token.text.toUpperCase() === word;
  }
}
