/**
 * Typed access to libpg-query's AST (`@pgsql/types`), in one place: names of relations, string lists, type
 * names, and qualification against a search_path. The model builder, the history walker and the lint rules
 * read names through these helpers rather than each with its own `any` copy.
 */
import type { Node, RangeVar, TypeName } from '@pgsql/types';

/** A schema-qualified name. */
export interface QualifiedName {
  schema: string;
  name: string;
}

/** `schema.name`: the key the history, attribution and lint state use for relations, functions and types. */
export function qualifiedKey(name: QualifiedName): string {
  return `${name.schema}.${name.name}`;
}

/** The schema part of a `schema.name` key. */
export function schemaOfKey(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}

/** The string values of a `[{String: {sval}}]` list (other nodes, like `A_Star`, are skipped). */
export function stringList(items: ReadonlyArray<Node | { sval?: string }> | undefined): string[] {
  const result: string[] = [];
  for (const item of items ?? []) {
    if (item === null || typeof item !== 'object') continue;
    const value = 'String' in item ? item.String?.sval : 'sval' in item ? item.sval : undefined;
    if (typeof value === 'string' && value !== '') result.push(value);
  }
  return result;
}

/**
 * A type name's modifiers as written, when every one is an integer (`varchar(100)` → [100], `numeric(10, 2)` →
 * [10, 2], `timestamp(3)` → [3]); undefined when there are none or one is not an integer.
 */
export function typeModifiers(typeName: TypeName | undefined): number[] | undefined {
  const typmods = typeName?.typmods ?? [];
  if (typmods.length === 0) return undefined;
  const values: number[] = [];
  for (const typmod of typmods) {
    const constant = (typmod as { A_Const?: { ival?: { ival?: number } } }).A_Const;
    if (!constant?.ival) return undefined;
    values.push(constant.ival.ival ?? 0);
  }
  return values;
}

/** The last part of a type name (`pg_catalog.varchar` → `varchar`); undefined when there is none. */
export function baseTypeName(typeName: TypeName | undefined): string | undefined {
  const names = stringList(typeName?.names);
  return names[names.length - 1];
}

const SERIAL_TYPES = new Set(['smallserial', 'serial2', 'serial', 'serial4', 'bigserial', 'serial8']);

/**
 * The serial pseudo-type a column is declared with (`serial`, `bigserial`...), else undefined: Postgres expands an
 * unqualified one (transformColumnDefinition) into an integer column NOT NULL DEFAULT nextval() of a sequence it
 * creates, so such a column always has a default.
 */
export function serialType(typeName: TypeName | undefined): string | undefined {
  const names = stringList(typeName?.names);
  return names.length === 1 && SERIAL_TYPES.has(names[0]) && !typeName?.arrayBounds?.length ? names[0] : undefined;
}

/**
 * `schema.name` of a RangeVar read under the default search_path (`public` when unqualified), with `.column`
 * appended when given: the key of a relation in pg_dump output (which qualifies every name) and in findings.
 * Code that follows a migration's own search_path qualifies through SearchPath instead.
 */
export function relationKey(relation: RangeVar | undefined, column?: string): string {
  const key = qualifiedKey(relation && !relation.schemaname && unqualifiedAs ? unqualifiedAs(relation) : qualifiedRelation(relation));
  return column ? `${key}.${column}` : key;
}

/** While set (withUnqualifiedRelationsAs), how relationKey qualifies an unqualified relation instead of `public`. */
let unqualifiedAs: ((relation: RangeVar) => QualifiedName) | undefined;

/**
 * Runs `run` with relationKey qualifying unqualified relations by `resolve`: the lint engine wraps each statement's
 * rules in it with the migration's own search_path (Flyway's default schema, a dbmate URL's search_path), so the
 * objects findings name are the ones the migration creates or changes, not `public.<name>`.
 */
export function withUnqualifiedRelationsAs<T>(resolve: (relation: RangeVar) => QualifiedName, run: () => T): T {
  const previous = unqualifiedAs;
  unqualifiedAs = resolve;
  try {
    return run();
  } finally {
    unqualifiedAs = previous;
  }
}

/** A RangeVar qualified under the default search_path (`public` when unqualified). */
export function qualifiedRelation(relation: RangeVar | undefined): QualifiedName {
  return SearchPath.DEFAULT_PATH.relation(relation);
}

/** A dotted name list (`[schema, name]` or `[name]`) qualified under the default search_path. */
export function qualifiedNames(names: readonly string[]): QualifiedName {
  return SearchPath.DEFAULT_PATH.list(names);
}

/** `schema.name` of a dotted name list under the default search_path (`public` when unqualified). */
export function namesKey(names: readonly string[]): string {
  return qualifiedKey(qualifiedNames(names));
}

/** A dotted name list as a RangeVar (`[schema, name]` or `[name]`; a leading database name is ignored). */
export function rangeVarOfNames(names: readonly string[]): RangeVar {
  return names.length > 1 ? { schemaname: names[names.length - 2], relname: names[names.length - 1] } : { relname: names[0] };
}

/** A RangeVar's name parts as written: `[schema, name]`, or `[name]` when unqualified. */
export function rangeVarNames(relation: RangeVar | undefined): string[] {
  return [relation?.schemaname, relation?.relname].filter((part): part is string => Boolean(part));
}

/** A `schema.name` key as a RangeVar. */
export function rangeVarOfKey(key: string): RangeVar {
  const dot = key.indexOf('.');
  return { schemaname: key.slice(0, dot), relname: key.slice(dot + 1) };
}

/** The dotted name of an object of DROP / COMMENT ON / ...: a `List` of `String`s, or one `String`. */
export function objectNames(object: Node | undefined): string[] {
  const list = nodeAs(object, 'List');
  if (list) return stringList(list.items);
  const single = nodeAs(object, 'String')?.sval;
  return single ? [single] : [];
}

/** A RangeVar as written: `schema.name`, or `name` when unqualified. */
export function writtenRelationName(relation: RangeVar | undefined): string {
  if (!relation?.relname) return '';
  return relation.schemaname ? `${relation.schemaname}.${relation.relname}` : relation.relname;
}

/**
 * Postgres's `search_path` as far as names go: where an unqualified new object is created (the first listed
 * schema; `$user` is skipped, as it names no schema of a migration's role) and where an unqualified existing
 * one is found (the first listed schema that has it).
 */
export class SearchPath {
  static readonly DEFAULT: readonly string[] = ['public'];
  /** Postgres's default path, for names read without a session (pg_dump output qualifies every name). */
  static readonly DEFAULT_PATH = new SearchPath();

  constructor(readonly schemas: readonly string[] = SearchPath.DEFAULT) {}

  /** The schema unqualified CREATEs go to (public when the path names none: Postgres would refuse the CREATE). */
  get creationSchema(): string {
    return this.schemas.find((s) => s !== '$user' && s !== 'pg_catalog' && s !== 'pg_temp') ?? 'public';
  }

  /** Qualifies a name: its own schema, else the first path schema where `exists` finds it, else the creation schema. */
  qualify(schema: string | undefined, name: string, exists?: (candidate: QualifiedName) => boolean): QualifiedName {
    if (schema) return { schema, name };
    if (exists) {
      for (const candidate of this.schemas) {
        if (candidate === '$user') continue;
        if (exists({ schema: candidate, name })) return { schema: candidate, name };
      }
    }
    return { schema: this.creationSchema, name };
  }

  /** A RangeVar, qualified. */
  relation(relation: RangeVar | undefined, exists?: (candidate: QualifiedName) => boolean): QualifiedName {
    return this.qualify(relation?.schemaname, relation?.relname ?? '', exists);
  }

  /** A dotted name list (`[schema, name]` or `[name]`; a leading database name is ignored), qualified. */
  list(names: readonly string[], exists?: (candidate: QualifiedName) => boolean): QualifiedName {
    return names.length > 1 ? { schema: names[names.length - 2], name: names[names.length - 1] } : this.qualify(undefined, names[0] ?? '', exists);
  }
}

/** The value list of `SET search_path = a, b` / `set_config('search_path', 'a, b', ...)`; undefined means "the default". */
export function parseSearchPathValue(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => (part.startsWith('"') && part.endsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase()));
}

/** The node type names of `@pgsql/types` (`CreateStmt`, `ColumnDef`, ...). */
export type NodeTag = Node extends infer N ? (N extends Record<infer K, unknown> ? K & string : never) : never;
/** The node inside a `{ Tag: node }` wrapper of that tag. */
export type NodeOf<K extends NodeTag> = Extract<Node, Record<K, unknown>> extends Record<K, infer T> ? T : never;

/** The `kind` node inside a wrapper (`{ ColumnDef: {...} }` → the ColumnDef), undefined for any other node. */
export function nodeAs<K extends NodeTag>(node: unknown, kind: K): NodeOf<K> | undefined {
  if (node === null || node === undefined || typeof node !== 'object' || !(kind in node)) return undefined;
  return (node as unknown as Record<K, NodeOf<K>>)[kind];
}

/** The `kind` nodes of a list, others skipped. */
export function nodesAs<K extends NodeTag>(nodes: readonly Node[] | undefined, kind: K): Array<NodeOf<K>> {
  const result: Array<NodeOf<K>> = [];
  for (const node of nodes ?? []) {
    const found = nodeAs(node, kind);
    if (found !== undefined) result.push(found);
  }
  return result;
}

/**
 * A statement's node type and its own AST object, as one discriminated union: checking `kind` narrows `ast`
 * (`kind === 'CreateStmt'` → `ast: CreateStmt`).
 */
export type StatementNode = { [K in NodeTag]: { kind: K; ast: NodeOf<K> } }[NodeTag];

/** A wrapper node taken apart: `{ CreateStmt: {...} }` → `{ kind: 'CreateStmt', ast: {...} }`. */
export function unwrapNode(node: Node): StatementNode {
  let kind = '';
  for (const key in node) {
    kind = key;
    break;
  }
  // a wrapper node has exactly one key, its tag, and that key's value is the node of that tag
  return { kind, ast: (node as unknown as Record<string, unknown>)[kind] } as StatementNode;
}

/** The relation a statement acts on, for the statements that name one in `relation` (CREATE TABLE, ALTER TABLE, CREATE INDEX, INSERT, ...). */
export function statementRelation(statement: StatementNode): RangeVar | undefined {
  const ast = statement.ast;
  return typeof ast === 'object' && ast !== null && 'relation' in ast && isRangeVar(ast.relation) ? ast.relation : undefined;
}

function isRangeVar(value: unknown): value is RangeVar {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Depth-first walk over every object of an AST (wrapper nodes and the nodes inside them alike). */
export function walk(node: unknown, visit: (object: Record<string, unknown>, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, key);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  visit(object, key);
  for (const [childKey, value] of Object.entries(object)) if (value !== null && typeof value === 'object') walk(value, visit, childKey);
}
