import { parsePlPgSQLSync, parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { nodeAs, nodesAs, unwrapNode, type StatementNode } from './ast.js';

/**
 * What a `DO` block runs, read with libpg-query's PL/pgSQL parser (never by searching its text): the SQL statements
 * of its body, each parsed, and its dynamic EXECUTEs. For the readers that must know what a block does before it
 * runs (the extensions a replay loads, whether a block leaves session state behind).
 */
export interface DoBlockContents {
  /** the body's SQL statements (PL/pgSQL `execsql`), parsed; `undefined` entries did not parse */
  statements: (StatementNode | undefined)[];
  /** each EXECUTE (and FOR … IN EXECUTE): its string when the expression is one literal, else undefined (only known at run time) */
  dynamic: (string | undefined)[];
}

/** The body of a DO statement's parse tree (`DO $$ … $$`), or undefined when it has none as a string. */
export function doBlockBody(ast: unknown): string | undefined {
  const options = doOptions(ast);
  const body = nodeAs(options.find((option) => option.defname === 'as')?.arg, 'String')?.sval;
  return typeof body === 'string' ? body : undefined;
}

/** A DO block's body as PL/pgSQL; undefined when it is not PL/pgSQL the parser accepts (another LANGUAGE, a syntax error). */
export function doBlockContents(ast: unknown): DoBlockContents | undefined {
  const body = doBlockBody(ast);
  if (body === undefined) return undefined;
  const options = doOptions(ast);
  const language = nodeAs(options.find((option) => option.defname === 'language')?.arg, 'String')?.sval;
  if (language !== undefined && language.toLowerCase() !== 'plpgsql') return undefined;
  let tree: unknown;
  try {
    // the PL/pgSQL parser reads function definitions: the body, as the one function of a throwaway definition
    tree = parsePlPgSQLSync(`CREATE FUNCTION pg_temp.pgdrift_do() RETURNS void LANGUAGE plpgsql AS $pgdrift_do$${body}$pgdrift_do$`);
  } catch {
    return undefined;
  }
  const contents: DoBlockContents = { statements: [], dynamic: [] };
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors') {
        contents.dynamic.push(literalString(nodeQuery((value as { query?: unknown }).query)));
        visit(value);
      } else if (key === 'PLpgSQL_stmt_execsql') {
        contents.statements.push(...parseStatements(nodeQuery((value as { sqlstmt?: unknown }).sqlstmt)));
      } else visit(value);
    }
  };
  visit(tree);
  return contents;
}

/** A DoStmt's options (`args`: the body as `as`, the `language`). */
function doOptions(ast: unknown) {
  const args = (ast as { args?: unknown } | undefined)?.args;
  return nodesAs(Array.isArray(args) ? (args as Node[]) : [], 'DefElem');
}

function nodeQuery(expression: unknown): string | undefined {
  const query = (expression as { PLpgSQL_expr?: { query?: unknown } } | undefined)?.PLpgSQL_expr?.query;
  return typeof query === 'string' ? query : undefined;
}

function parseStatements(sql: string | undefined): (StatementNode | undefined)[] {
  if (sql === undefined) return [undefined];
  try {
    return (parseSync(sql).stmts ?? []).map(({ stmt }: { stmt?: unknown }) => (stmt ? unwrapNode(stmt as never) : undefined));
  } catch {
    return [undefined];
  }
}

/** An EXECUTE's expression when it is one string literal (`'CREATE EXTENSION vector'`, `E'…'`, `$q$…$q$`): its value. */
function literalString(expression: string | undefined): string | undefined {
  if (expression === undefined) return undefined;
  try {
    const [select] = parseSync(`SELECT ${expression}`).stmts ?? [];
    const targets = nodeAs(select?.stmt, 'SelectStmt')?.targetList ?? [];
    if (targets.length !== 1) return undefined;
    const value = nodeAs(nodeAs(targets[0], 'ResTarget')?.val, 'A_Const')?.sval?.sval;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The statements a literal EXECUTE string runs, parsed (none when it does not parse). */
export function dynamicStatements(sql: string): StatementNode[] {
  return parseStatements(sql).filter((statement): statement is StatementNode => statement !== undefined);
}
