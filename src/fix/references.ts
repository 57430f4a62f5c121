import { parseSql } from '../sql/parse.js';
import { relationKey, stringList } from '../sql/ast.js';

/** What a piece of SQL reads: relations (`schema.name`), functions (`schema.name`) and column names. */
export interface References {
  relations: Set<string>;
  functions: Set<string>;
  /** bare column names (the last part of each column reference); `*` for a whole-row or star reference */
  columns: Set<string>;
}

const cache = new Map<string, References>();

/** References of a whole statement (a view's SELECT, an index or trigger definition). */
export function statementReferences(sql: string): References {
  let refs = cache.get(sql);
  if (!refs) {
    refs = { relations: new Set(), functions: new Set(), columns: new Set() };
    try {
      for (const statement of parseSql(sql, '<model>').statements) walk(statement.ast, refs);
    } catch {
      // An unparsable fragment reads "everything": callers then treat it as depending on whatever changes.
      refs.columns.add('*');
      refs.relations.add('*');
      refs.functions.add('*');
    }
    cache.set(sql, refs);
  }
  return refs;
}

/** References of an expression (a default, a policy's USING, a trigger's WHEN). */
export function expressionReferences(expression: string | null): References {
  if (expression === null) return { relations: new Set(), functions: new Set(), columns: new Set() };
  return statementReferences(`SELECT (${expression})`);
}

function walk(node: unknown, refs: References): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, refs);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, any>;
  if (record.RangeVar) {
    const rv = record.RangeVar;
    refs.relations.add(relationKey(rv));
  }
  if (record.FuncCall) {
    const names = stringList(record.FuncCall.funcname);
    refs.functions.add(names.length === 1 ? `pg_catalog.${names[0]}` : names.join('.'));
  }
  if (record.ColumnRef) {
    const fields: any[] = record.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    if (last?.A_Star) refs.columns.add('*');
    else if (last?.String?.sval) refs.columns.add(last.String.sval);
  }
  for (const value of Object.values(record)) walk(value, refs);
}

/** Whether the references may read one of `columns` of a relation they read. */
export function readsAnyColumn(refs: References, relation: string, columns: Iterable<string>): boolean {
  if (!refs.relations.has(relation) && !refs.relations.has('*')) return false;
  if (refs.columns.has('*')) return true;
  for (const column of columns) if (refs.columns.has(column)) return true;
  return false;
}
