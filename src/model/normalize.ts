import { Deparser } from 'pgsql-deparser';
import { quoteIdentIfNeeded } from '../engine/quote.js';
import type { Node, SelectStmt, TypeCast, TypeName } from '@pgsql/types';
import { nodeAs, stringList } from '../sql/ast.js';

/**
 * AST-level normalization: two ASTs of the same schema printed by different pg_dump versions, or re-printed by
 * Postgres after a reload, become equal after `normalizeNode`; `deparseNode` then prints them canonically.
 */

const DEPARSE_OPTIONS = { pretty: false };

/** Deep copy without `location` fields, with the rewrites below applied bottom-up. */
export function normalizeNode<T>(node: T): T {
  return rewrite(stripLocations(node)) as T;
}

/** An AST as plain JSON data: these passes copy or rewrite any node shape by its fields. */
type JsonObject = Record<string, unknown>;

function stripLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripLocations);
  if (value === null || typeof value !== 'object') return value;
  const object = value as JsonObject;
  const out: JsonObject = {};
  for (const key of Object.keys(object)) {
    if (key === 'location' || key === 'stmt_location' || key === 'stmt_len') continue;
    out[key] = stripLocations(object[key]);
  }
  return out;
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  const object = value as JsonObject;
  for (const key of Object.keys(object)) object[key] = rewrite(object[key]);
  const cast = nodeAs(object, 'TypeCast');
  if (cast) return rewriteTypeCast(object, cast);
  const select = nodeAs(object, 'SelectStmt');
  if (select) unqualifySingleRelationColumns(select);
  return object;
}

/**
 * `(ARRAY['a'::varchar, 'b'::varchar])::text[]` is re-printed by Postgres after a reload as
 * `ARRAY[('a'::varchar)::text, ('b'::varchar)::text]`: push a cast of an ARRAY literal into its elements.
 */
function rewriteTypeCast(node: JsonObject, cast: TypeCast): unknown {
  const array = nodeAs(cast.arg, 'A_ArrayExpr');
  const bounds = cast.typeName?.arrayBounds;
  // `ARRAY[]::text[]` has no element to carry the type: the cast stays (`ARRAY[]` alone is not valid SQL)
  if (!array || !Array.isArray(bounds) || bounds.length !== 1 || (array.elements ?? []).length === 0) return node;
  const elementType: TypeName = { ...cast.typeName };
  delete elementType.arrayBounds;
  const elements = (array.elements ?? []).map((element): Node => (nodeAs(element, 'A_ArrayExpr') ? element : { TypeCast: { arg: element, typeName: elementType } }));
  return { A_ArrayExpr: { ...array, elements } };
}

/**
 * PG15 prints view columns qualified by their only relation (`organization_users.id`), PG16+ does not (`id`):
 * in a SELECT whose FROM is one plain relation, drop that relation's qualifier from its own column references.
 */
function unqualifySingleRelationColumns(select: SelectStmt): void {
  const from = select.fromClause;
  const rangeVar = from?.length === 1 ? nodeAs(from[0], 'RangeVar') : undefined;
  if (!rangeVar) return;
  const qualifier = rangeVar.alias?.aliasname ?? rangeVar.relname ?? '';
  const schemaQualifier = rangeVar.alias ? undefined : rangeVar.schemaname;
  const clauses = select as JsonObject; // the clauses below, whatever their node types
  for (const key of ['targetList', 'whereClause', 'groupClause', 'havingClause', 'sortClause', 'distinctClause', 'windowClause']) {
    if (clauses[key] !== undefined) clauses[key] = unqualify(clauses[key], qualifier, schemaQualifier);
  }
}

function unqualify(value: unknown, qualifier: string, schemaQualifier: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => unqualify(v, qualifier, schemaQualifier));
  if (value === null || typeof value !== 'object') return value;
  if (nodeAs(value, 'SelectStmt')) return value; // its own scope
  const ref = nodeAs(value, 'ColumnRef');
  if (ref) {
    const fields = ref.fields ?? [];
    const names = fields.map((f) => nodeAs(f, 'String')?.sval);
    if (fields.length === 2 && names[0] === qualifier && names[1] !== undefined) {
      return { ColumnRef: { ...ref, fields: fields.slice(1) } };
    }
    if (fields.length === 3 && schemaQualifier && names[0] === schemaQualifier && names[1] === qualifier && names[2] !== undefined) {
      return { ColumnRef: { ...ref, fields: fields.slice(2) } };
    }
    return value;
  }
  const object = value as JsonObject;
  const out: JsonObject = {};
  for (const key of Object.keys(object)) out[key] = unqualify(object[key], qualifier, schemaQualifier);
  return out;
}

/** Canonical SQL of an (already normalized) AST node; falls back to a stable JSON print if the deparser refuses it. */
export function deparseNode(node: unknown): string {
  const cacheKey = JSON.stringify(node);
  let text = deparseCache.get(cacheKey);
  if (text === undefined) {
    try {
      // any node shape goes in: what the deparser does not know it refuses, and the fallback below prints it
      text = Deparser.deparse(node as Node, DEPARSE_OPTIONS).trim();
    } catch {
      text = `/* ast */ ${cacheKey}`;
    }
    if (deparseCache.size > 50_000) deparseCache.clear();
    deparseCache.set(cacheKey, text);
  }
  return text;
}

/** Dumps repeat the same expressions (defaults, casts) many times; deparsing is the costly part of a model. */
const deparseCache = new Map<string, string>();

/** normalizeNode then deparseNode; null for a missing node. */
export function canonicalSql(node: unknown): string | null {
  if (node === undefined || node === null) return null;
  return memoized(canonicalCache, node, () => deparseNode(normalizeNode(node)));
}

const canonicalCache = new Map<string, string>();

/**
 * A cache key for an AST node, equal for nodes that differ only in their `location` fields: a compact print (field
 * names unquoted, strings JSON-quoted, undefined fields left out), cheaper than JSON.stringify with a replacer.
 * `leftOut` names more fields to leave out, of the top-level object only.
 */
export function nodeKey(node: unknown, leftOut?: ReadonlySet<string>): string {
  if (typeof node !== 'object' || node === null) return typeof node === 'string' ? JSON.stringify(node) : String(node);
  if (Array.isArray(node)) {
    let key = '[';
    for (let i = 0; i < node.length; i++) key += (i === 0 ? '' : ',') + nodeKey(node[i]);
    return key + ']';
  }
  let key = '{';
  for (const field in node) {
    if (field === 'location' || leftOut?.has(field)) continue;
    const value = (node as Record<string, unknown>)[field];
    if (value === undefined) continue;
    key += field + ':' + nodeKey(value) + ',';
  }
  return key + '}';
}

/**
 * `compute()` for `node`, memoized in `cache` by nodeKey (the cache is emptied when it grows past 50,000 entries),
 * and by the node object itself: the two sides of a comparison share the ASTs of identical dump chunks
 * (parse-dump.ts), so the second side finds its nodes without printing a key. A cache is always called with the
 * same `leftOut`, so the identity entry stands for the key.
 */
export function memoized(cache: Map<string, string>, node: unknown, compute: () => string, leftOut?: ReadonlySet<string>): string {
  const isObject = typeof node === 'object' && node !== null;
  let byNode: WeakMap<object, string> | undefined;
  if (isObject) {
    byNode = sameNodes.get(cache);
    if (!byNode) sameNodes.set(cache, (byNode = new WeakMap()));
    const known = byNode.get(node);
    if (known !== undefined) return known;
  }
  const key = nodeKey(node, leftOut);
  let text = cache.get(key);
  if (text === undefined) {
    text = compute();
    if (cache.size > 50_000) cache.clear();
    cache.set(key, text);
  }
  if (isObject) byNode!.set(node, text);
  return text;
}

const sameNodes = new WeakMap<Map<string, string>, WeakMap<object, string>>();

/** Whitespace-collapsed text, for statements compared by their text. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** quoteIdentIfNeeded (engine/quote.ts), under the name the model's modules use. */
export const quoteIdent = quoteIdentIfNeeded;

export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

const BUILTIN_TYPE_NAMES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  varbit: 'bit varying',
  bit: 'bit',
  numeric: 'numeric',
  interval: 'interval',
};

/** A TypeName AST as pg_dump prints it: `character varying(255)`, `timestamp(3) with time zone`, `public.mood[]`. */
export function formatTypeName(typeName: TypeName | undefined): string {
  if (!typeName) return '';
  const names = stringList(typeName.names);
  let base: string;
  if (names.length === 2 && names[0] === 'pg_catalog' && BUILTIN_TYPE_NAMES[names[1]] !== undefined) {
    const sqlName = BUILTIN_TYPE_NAMES[names[1]];
    const mods = typmods(typeName);
    if (names[1] === 'interval' && mods.length > 0) {
      base = deparseNode({ TypeName: normalizeNode({ ...typeName, arrayBounds: undefined, setof: undefined }) });
    } else if (mods.length > 0 && (names[1] === 'timestamptz' || names[1] === 'timetz')) {
      base = `${sqlName.split(' ')[0]}(${mods.join(',')}) with time zone`;
    } else if (mods.length > 0 && (names[1] === 'timestamp' || names[1] === 'time')) {
      base = `${sqlName.split(' ')[0]}(${mods.join(',')}) without time zone`;
    } else {
      base = mods.length > 0 ? `${sqlName}(${mods.join(',')})` : sqlName;
    }
  } else {
    const printed = names.length === 2 && names[0] === 'pg_catalog' ? [names[1]] : names;
    base = printed.map((n) => (n === 'char' ? '"char"' : quoteIdent(n))).join('.');
    const mods = typmods(typeName);
    if (mods.length > 0) base += `(${mods.join(',')})`;
  }
  if (typeName.pct_type) base += '%TYPE';
  const bounds = (typeName.arrayBounds ?? []).length;
  base += '[]'.repeat(bounds);
  return typeName.setof ? `SETOF ${base}` : base;
}

function typmods(typeName: TypeName): string[] {
  return (typeName.typmods ?? []).map((m) => {
    const ival = nodeAs(m, 'A_Const')?.ival;
    return ival !== undefined ? String(ival.ival ?? 0) : deparseNode(normalizeNode(m));
  });
}

/** The value of a DefElem argument as text: `true`, `42`, `double precision`, `float8mi`. */
export function defElemValue(arg: Node | undefined): string {
  if (arg === undefined || arg === null) return 'true';
  const string = nodeAs(arg, 'String');
  if (string) return string.sval ?? '';
  const integer = nodeAs(arg, 'Integer');
  if (integer) return String(integer.ival ?? 0);
  const float = nodeAs(arg, 'Float');
  if (float) return String(float.fval);
  const boolean = nodeAs(arg, 'Boolean');
  if (boolean) return String(Boolean(boolean.boolval));
  const typeName = nodeAs(arg, 'TypeName');
  if (typeName) return formatTypeName(typeName);
  const list = nodeAs(arg, 'List');
  if (list) return stringList(list.items).join('.');
  // a bare String node (not in its wrapper), as some option lists hold
  if ('sval' in arg && !nodeAs(arg, 'A_Const')) return String((arg as { sval: unknown }).sval);
  return deparseNode(normalizeNode(arg));
}
