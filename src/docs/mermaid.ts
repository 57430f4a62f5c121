import type { ConstraintObject, TableObject } from '../model/types.js';

/** One Mermaid `erDiagram` block's content (without the fence). */
export interface ErDiagram {
  /** a heading for the diagram when the schema is split ("public (1/3)") */
  title: string;
  /** the tables it shows, `schema.name` */
  tables: string[];
  text: string;
}

/** Past this many tables, the index diagram is split per schema, then per cluster of related tables. */
export const MAX_TABLES_PER_DIAGRAM = 40;

export const tableId = (table: Pick<TableObject, 'schema' | 'name'>): string => `${table.schema}.${table.name}`;

/** Mermaid entity and attribute names allow letters, digits, `_` and `-` only. */
function mermaidWord(value: string): string {
  const word = value.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(word) ? word : `_${word}`;
}

/** Mermaid attribute types additionally allow `()` and `[]`. */
function mermaidType(value: string): string {
  const type = value
    .replace(/^public\./, '')
    .replace(/[^A-Za-z0-9_()[\]-]/g, '_')
    .replace(/_+/g, '_');
  return /^[A-Za-z_]/.test(type) ? type : `_${type}`;
}

/** Stable, unique Mermaid entity names for every table: `users`, or `audit_events` prefixed by schema when not public. */
export function entityNames(tables: TableObject[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const table of tables) {
    const base = mermaidWord(table.schema === 'public' ? table.name : `${table.schema}__${table.name}`);
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    used.add(name.toLowerCase());
    names.set(tableId(table), name);
  }
  return names;
}

const foreignKeys = (table: TableObject): ConstraintObject[] => table.constraints.filter((c) => c.type === 'foreign_key' && c.references);

interface DiagramOptions {
  /** `all` columns, or only key columns (PK, FK, unique) to keep large diagrams small */
  columns: (table: TableObject) => 'all' | 'keys' | 'none';
}

/**
 * An erDiagram of `tables` and the foreign keys between them (FKs to tables outside the set are left out).
 * Cardinality: the child side is `o{` (many), or `o|` when the FK columns are unique; the parent side is `||`,
 * or `o|` when an FK column is nullable.
 */
export function erDiagram(tables: TableObject[], names: Map<string, string>, options: DiagramOptions): string {
  const included = new Set(tables.map(tableId));
  const lines = ['erDiagram'];
  for (const table of tables) {
    const mode = options.columns(table);
    const entity = names.get(tableId(table))!;
    const keys = keyColumns(table);
    const columns = mode === 'all' ? table.columns : mode === 'keys' ? table.columns.filter((c) => keys.has(c.name)) : [];
    if (columns.length === 0) {
      lines.push(`    ${entity} {`, '    }');
      continue;
    }
    lines.push(`    ${entity} {`);
    for (const column of columns) {
      const markers = keys.get(column.name);
      lines.push(`        ${mermaidType(column.type)} ${mermaidWord(column.name)}${markers ? ` ${markers}` : ''}`);
    }
    lines.push('    }');
  }
  for (const table of tables) {
    for (const fk of foreignKeys(table)) {
      if (!included.has(fk.references!.table)) continue;
      const child = names.get(tableId(table))!;
      const parent = names.get(fk.references!.table)!;
      const nullable = fk.columns.some((name) => !table.columns.find((c) => c.name === name)?.notNull);
      const uniqueChild = table.constraints.some(
        (c) => (c.type === 'primary_key' || c.type === 'unique') && c.columns.length === fk.columns.length && c.columns.every((col) => fk.columns.includes(col)),
      );
      const label = fk.columns.join(', ').replace(/"/g, "'");
      lines.push(`    ${parent} ${nullable ? '|o' : '||'}--${uniqueChild ? 'o|' : 'o{'} ${child} : "${label}"`);
    }
  }
  return lines.join('\n');
}

/** Column name → `PK`, `FK`, `UK` markers (Mermaid allows a comma-separated list). */
function keyColumns(table: TableObject): Map<string, string> {
  const markers = new Map<string, Set<string>>();
  const mark = (column: string, marker: string) => {
    if (!markers.has(column)) markers.set(column, new Set());
    markers.get(column)!.add(marker);
  };
  for (const constraint of table.constraints) {
    if (constraint.type === 'primary_key') constraint.columns.forEach((c) => mark(c, 'PK'));
    else if (constraint.type === 'foreign_key') constraint.columns.forEach((c) => mark(c, 'FK'));
    else if (constraint.type === 'unique' && constraint.columns.length === 1) mark(constraint.columns[0], 'UK');
  }
  const order = ['PK', 'FK', 'UK'];
  return new Map([...markers].map(([column, set]) => [column, order.filter((m) => set.has(m)).join(', ')]));
}

/**
 * The index diagrams: one for all tables when they fit; otherwise one per schema, and a schema still too large is
 * cut into clusters of FK-connected tables (connected components, packed greedily in name order; a component larger
 * than the cap is cut in name order, and FKs between pieces are then not drawn).
 */
export function indexDiagrams(tables: TableObject[], names: Map<string, string>, cap = MAX_TABLES_PER_DIAGRAM): ErDiagram[] {
  if (tables.length === 0) return [];
  const keysOnly: DiagramOptions = { columns: () => 'keys' };
  if (tables.length <= cap) return [{ title: '', tables: tables.map(tableId), text: erDiagram(tables, names, keysOnly) }];
  const bySchema = new Map<string, TableObject[]>();
  for (const table of tables) {
    if (!bySchema.has(table.schema)) bySchema.set(table.schema, []);
    bySchema.get(table.schema)!.push(table);
  }
  const diagrams: ErDiagram[] = [];
  for (const [schema, schemaTables] of [...bySchema].sort(([a], [b]) => compareText(a, b))) {
    const groups = schemaTables.length <= cap ? [schemaTables] : clusters(schemaTables, cap);
    groups.forEach((group, i) =>
      diagrams.push({
        title: groups.length > 1 ? `${schema} (${i + 1}/${groups.length})` : schema,
        tables: group.map(tableId),
        text: erDiagram(group, names, keysOnly),
      }),
    );
  }
  return diagrams;
}

function clusters(tables: TableObject[], cap: number): TableObject[][] {
  const byId = new Map(tables.map((t) => [tableId(t), t]));
  const parent = new Map<string, string>(tables.map((t) => [tableId(t), tableId(t)]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const table of tables) {
    for (const fk of foreignKeys(table)) {
      if (!byId.has(fk.references!.table)) continue;
      const a = find(tableId(table));
      const b = find(fk.references!.table);
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  }
  const components = new Map<string, TableObject[]>();
  for (const table of tables) {
    const root = find(tableId(table));
    if (!components.has(root)) components.set(root, []);
    components.get(root)!.push(table);
  }
  // largest components first, then name order: deterministic packing
  const sorted = [...components.values()].sort((a, b) => b.length - a.length || compareText(tableId(a[0]), tableId(b[0])));
  const groups: TableObject[][] = [];
  let current: TableObject[] = [];
  for (const component of sorted) {
    for (let i = 0; i < component.length; i += cap) {
      const piece = component.slice(i, i + cap);
      if (current.length + piece.length > cap) {
        if (current.length > 0) groups.push(current);
        current = [];
      }
      current.push(...piece);
    }
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group) => group.sort((a, b) => compareText(tableId(a), tableId(b))));
}

/** Byte-order comparison: locale-independent, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
