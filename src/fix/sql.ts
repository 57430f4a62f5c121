import { Deparser } from 'pgsql-deparser';
import { parseSql } from '../sql/parse.js';
import { qualifiedName, quoteIdent } from '../model/normalize.js';
import { quoteLiteral } from '../engine/quote.js';

export { qualifiedName, quoteIdent };

/** A string literal: `'it''s'`. */
export const literal = quoteLiteral;

/** `schema.name` as the model writes it (unquoted, dot-joined) → a quoted qualified name. */
export function quotedDotted(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot < 0 ? quoteIdent(dotted) : qualifiedName(dotted.slice(0, dot), dotted.slice(dot + 1));
}

export function commentOn(target: string, comment: string | null): string {
  return `COMMENT ON ${target} IS ${comment === null ? 'NULL' : literal(comment)};`;
}

/** The AST of one statement (the parser must be loaded: see loadSqlParser). */
export function statementAst(sql: string): { kind: string; ast: any } {
  const [statement] = parseSql(sql, '<generated>').statements;
  return { kind: statement.kind, ast: statement.ast };
}

/**
 * Re-prints a canonical statement of the model with a few AST flags changed (CONCURRENTLY, IF NOT EXISTS,
 * GRANT ↔ REVOKE): the statement is parsed and deparsed, never edited as text.
 */
export function editStatement(sql: string, edit: (ast: any) => void): string {
  const { kind, ast } = statementAst(sql);
  edit(ast);
  return `${Deparser.deparse({ [kind]: ast } as any).trim()};`;
}

/** `IF EXISTS ` when idempotent DDL is asked for. */
export const ifExists = (idempotent: boolean) => (idempotent ? 'IF EXISTS ' : '');
export const ifNotExists = (idempotent: boolean) => (idempotent ? 'IF NOT EXISTS ' : '');

/** A dollar-quoted literal whose tag does not occur in the text. */
export function dollarQuoted(text: string, base = 's'): string {
  let tag = `$${base}$`;
  for (let n = 1; text.includes(tag); n++) tag = `$${base}${n}$`;
  return `${tag}${text}${tag}`;
}

/** Runs a statement Postgres has no IF NOT EXISTS for, only when `missing` (a SELECT) finds nothing. */
export function unlessExists(exists: string, statement: string): string {
  const body = `BEGIN IF NOT EXISTS (${exists}) THEN EXECUTE ${dollarQuoted(statement.replace(/;$/, ''))}; END IF; END`;
  return `DO ${dollarQuoted(body, 'do')};`;
}
