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

/** The last part of a type name (`pg_catalog.varchar` → `varchar`); undefined when there is none. */
export function baseTypeName(typeName: TypeName | undefined): string | undefined {
  const names = stringList(typeName?.names);
  return names[names.length - 1];
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
export function nodeAs<K extends NodeTag>(node: Node | undefined | null, kind: K): NodeOf<K> | undefined {
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
