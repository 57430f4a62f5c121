/**
 * Postgres's default names for unnamed constraints, indexes and serial sequences, computed the way the server
 * does (src/backend/commands/indexcmds.c: makeObjectName, ChooseRelationName, ChooseIndexName,
 * ChooseIndexNameAddition, ChooseIndexColumnNames; src/backend/catalog/pg_constraint.c: ChooseConstraintName;
 * src/backend/parser/parse_target.c: FigureColnameInternal). Lengths are UTF-8 bytes, as in the server.
 * The model builder, the history walker and the linter all name unnamed objects through this module.
 */
import type { Node } from '@pgsql/types';
import { nodeAs, unwrapNode } from './ast.js';

/** NAMEDATALEN - 1: the longest identifier Postgres keeps, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character boundary (pg_mbcliplen). */
export function clipToBytes(text: string, bytes: number): string {
  if (byteLength(text) <= bytes) return text;
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = byteLength(char);
    if (used + size > bytes) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * makeObjectName: `name1[_name2][_label]`, shortening the longer of name1/name2 one byte at a time until the
 * whole fits in 63 bytes, then clipping each to a character boundary.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  // the underscores and the label are kept whole; name1 and name2 share what is left
  let overhead = 0;
  if (name2) overhead += 1;
  if (label) overhead += byteLength(label) + 1;
  const available = MAX_IDENTIFIER_BYTES - overhead;
  let name1Bytes = byteLength(name1);
  let name2Bytes = name2 ? byteLength(name2) : 0;
  while (name1Bytes + name2Bytes > available) {
    if (name1Bytes > name2Bytes) name1Bytes--;
    else name2Bytes--;
  }
  let result = clipToBytes(name1, name1Bytes);
  if (name2) result += `_${clipToBytes(name2, name2Bytes)}`;
  if (label) result += `_${label}`;
  return result;
}

/** Is this name already taken? (The caller knows what counts: relations, constraints, or both.) */
export type NameTaken = (name: string) => boolean;

/** ChooseRelationName / ChooseConstraintName: the first of `label`, `label1`, `label2`, … that is free. */
export function chooseName(name1: string, name2: string | undefined, label: string, taken: NameTaken = () => false): string {
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`);
    if (!taken(name)) return name;
  }
}

/** ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: column names joined by `_`, cut once long enough. */
export function nameAddition(columns: readonly string[]): string {
  let result = '';
  for (const column of columns) {
    if (result.length > 0) result += '_';
    result += clipToBytes(column, MAX_IDENTIFIER_BYTES);
    if (byteLength(result) >= MAX_IDENTIFIER_BYTES + 1) break;
  }
  return result;
}

/** ChooseIndexColumnNames: each key's name (`expr` for an unnamed expression), repeats made unique with a number. */
export function indexColumnNames(names: ReadonlyArray<string | undefined>): string[] {
  const result: string[] = [];
  for (const name of names) {
    const original = name ?? 'expr';
    let current = original;
    for (let i = 1; result.includes(current); i++) {
      const suffix = String(i);
      current = clipToBytes(original, MAX_IDENTIFIER_BYTES - suffix.length) + suffix;
    }
    result.push(current);
  }
  return result;
}

/** An index key as the parser gives it (`IndexElem`): a column name, or an expression. */
export interface IndexKey {
  name?: string;
  expr?: Node;
  indexcolname?: string;
}

/** The name Postgres gives an index key column: the column, or what FigureIndexColname makes of the expression. */
export function indexKeyName(key: IndexKey): string | undefined {
  if (key.indexcolname) return key.indexcolname;
  if (key.name) return key.name;
  return key.expr ? figureColname(key.expr).name : undefined;
}

/** FigureColnameInternal: a name for an expression and how strongly it is suggested (0 none, 1 weak, 2 strong). */
function figureColname(node: Node | undefined): { name?: string; strength: number } {
  if (!node) return { strength: 0 };
  /** the last String of a list (a column reference's or an indirection's last field name) */
  const lastString = (items: Node[] | undefined) => [...(items ?? [])].reverse().map((f) => nodeAs(f, 'String')).find((s) => s !== undefined);
  const { kind, ast } = unwrapNode(node);
  switch (kind) {
    case 'ColumnRef': {
      const last = lastString(ast.fields);
      return last ? { name: last.sval, strength: 2 } : { strength: 0 };
    }
    case 'A_Indirection': {
      const last = lastString(ast.indirection);
      return last ? { name: last.sval, strength: 2 } : figureColname(ast.arg);
    }
    case 'FuncCall': {
      const names = ast.funcname ?? [];
      return { name: nodeAs(names[names.length - 1], 'String')?.sval, strength: 2 };
    }
    case 'A_Expr':
      return ast.kind === 'AEXPR_NULLIF' ? { name: 'nullif', strength: 2 } : { strength: 0 };
    case 'TypeCast': {
      const inner = figureColname(ast.arg);
      if (inner.strength <= 1 && ast.typeName) {
        const names = ast.typeName.names ?? [];
        return { name: nodeAs(names[names.length - 1], 'String')?.sval, strength: 1 };
      }
      return inner;
    }
    case 'CollateClause':
      return figureColname(ast.arg);
    case 'CaseExpr': {
      const inner = figureColname(ast.defresult);
      return inner.strength <= 1 ? { name: 'case', strength: 1 } : inner;
    }
    case 'A_ArrayExpr':
      return { name: 'array', strength: 2 };
    case 'RowExpr':
      return { name: 'row', strength: 2 };
    case 'CoalesceExpr':
      return { name: 'coalesce', strength: 2 };
    case 'MinMaxExpr':
      return { name: ast.op === 'IS_GREATEST' ? 'greatest' : 'least', strength: 2 };
    case 'GroupingFunc':
      return { name: 'grouping', strength: 2 };
    default:
      return { strength: 0 };
  }
}

/** The kinds of unnamed object whose default name this module computes. */
export type DefaultNameKind = 'pkey' | 'key' | 'excl' | 'idx' | 'fkey' | 'check' | 'seq';

/**
 * The default name of an unnamed object of `table`:
 * - `pkey`: `<table>_pkey`; `key`/`excl`/`idx`: `<table>_<cols>_<label>` (index key names, see indexColumnNames);
 * - `fkey`: `<table>_<fk columns>_fkey`; `check`: `<table>_<col>_check` when the expression uses exactly one
 *   column, else `<table>_check`; `seq`: `<table>_<column>_seq` (serial and identity sequences).
 * `taken` says which names already exist (relations for indexes and sequences, constraints of the schema for
 * constraints; unique/primary/exclusion names must be free among both), so the numeric suffix Postgres adds on
 * a collision comes out the same.
 */
export function defaultName(kind: DefaultNameKind, table: string, columns: readonly string[], taken?: NameTaken): string {
  switch (kind) {
    case 'pkey':
      return chooseName(table, undefined, 'pkey', taken);
    case 'key':
    case 'excl':
    case 'idx':
      return chooseName(table, nameAddition(columns), kind, taken);
    case 'fkey':
      return chooseName(table, nameAddition(columns), 'fkey', taken);
    case 'check':
      return chooseName(table, columns.length === 1 ? columns[0] : undefined, 'check', taken);
    case 'seq':
      return chooseName(table, columns[0], 'seq', taken);
  }
}

/** The distinct column names a CHECK expression references (what decides `<table>_<col>_check` vs `<table>_check`). */
export function checkColumns(expression: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const ref = nodeAs(node, 'ColumnRef');
    if (ref) {
      const fields = ref.fields ?? [];
      const last = nodeAs(fields[fields.length - 1], 'String')?.sval;
      if (typeof last === 'string') found.add(last);
      return;
    }
    // A sub-select's columns are not the table's (Postgres refuses sub-queries in CHECK anyway).
    if (nodeAs(node, 'SubLink')) return;
    for (const value of Object.values(node)) if (value !== null && typeof value === 'object') visit(value);
  };
  visit(expression);
  return [...found];
}
