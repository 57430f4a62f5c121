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

/**
 * Words Mermaid's erDiagram lexer (10.x, 11.x; case-insensitive, matched up to a word boundary, so `pk-x` too) reads
 * as keywords before names: inside an entity block `PK`, `FK`, `UK`; outside it the cardinality words `one`, `many`,
 * `to`, `u` and `erDiagram`, `accTitle`, `accDescr`. A column called `pk` or a table called `one` is a parse error,
 * so such a name gets a `_` after the keyword (`pk_`, `one_`, `pk_-old`).
 */
const ATTRIBUTE_KEYWORD = /^(pk|fk|uk)(-|$)/i;
const ENTITY_KEYWORD = /^(one|many|to|u|erdiagram|acctitle|accdescr)(-|$)/i;

/** An attribute's name or type as a Mermaid word that is not a key marker. */
function attributeWord(word: string): string {
  return word.replace(ATTRIBUTE_KEYWORD, '$1_$2');
}

/**
 * Postgres's own short spellings of the multi-word type names (`timestamptz` is what people type), so a diagram
 * shows a type a reader recognises instead of `timestamp_with_time_zone`.
 */
const SHORT_TYPE_NAMES: Array<[RegExp, string]> = [
  [/^timestamp(\(\d+\))? with time zone/, 'timestamptz$1'],
  [/^timestamp(\(\d+\))? without time zone/, 'timestamp$1'],
  [/^time(\(\d+\))? with time zone/, 'timetz$1'],
  [/^time(\(\d+\))? without time zone/, 'time$1'],
  [/^character varying/, 'varchar'],
  [/^character(?=\(|\[|$)/, 'char'],
  [/^bit varying/, 'varbit'],
  [/^double precision/, 'float8'],
];

/**
 * Mermaid's erDiagram attribute type is one word of `[A-Za-z_][A-Za-z0-9_()[\]-]*` (the lexer rule ATTRIBUTE_WORD of
 * mermaid's erDiagram.jison) in Mermaid 10.x and 11.x, which reject `numeric(5,2)` and `public.mood` (measured with
 * 10.9.3 and 11.4.1; 12.x accepts more, but a page is rendered by whatever version the viewer uses). A type that fits after shortening is shown as is (`varchar(255)`,
 * `timestamptz`, `text[]`); one that cannot be spelled in that alphabet (`numeric(5,2)`, another schema's type)
 * shows its base name and carries the exact type in the attribute comment, which Mermaid prints beside it.
 */
export function mermaidType(canonical: string): { type: string; exact?: string } {
  let short = canonical.replace(/^public\./, '');
  for (const [pattern, replacement] of SHORT_TYPE_NAMES) short = short.replace(pattern, replacement);
  // a type called `pk` (a domain) would read as a key marker: shown as `pk_`, with the exact type beside it
  if (ATTRIBUTE_KEYWORD.test(short)) return { type: attributeWord(short), exact: canonical.replace(/"/g, "'") };
  if (/^[A-Za-z_][A-Za-z0-9_()[\]-]*$/.test(short)) return { type: short };
  const base = short
    .replace(/\(.*?\)/g, '')
    .replace(/^.*\./, '')
    .replace(/[^A-Za-z0-9_[\]]/g, '_');
  return { type: /^[A-Za-z_]/.test(base) ? base : `_${base}`, exact: canonical.replace(/"/g, "'") };
}

/** Stable, unique Mermaid entity names for every table: `users`, or `audit_events` prefixed by schema when not public. */
export function entityNames(tables: TableObject[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const table of tables) {
    const word = mermaidWord(table.schema === 'public' ? table.name : `${table.schema}__${table.name}`);
    const base = word.replace(ENTITY_KEYWORD, '$1_$2');
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
  /** draw only the foreign keys from or to this table (`schema.name`): a table page shows its own relations */
  focus?: string;
  /** draw a table's foreign keys to itself (default true; a table page's second diagram leaves them to the first) */
  selfLoops?: boolean;
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
    for (const column of [...columns].sort((a, b) => a.position - b.position)) {
      const markers = keys.get(column.name);
      const { type, exact } = mermaidType(column.type);
      lines.push(`        ${type} ${attributeWord(mermaidWord(column.name))}${markers ? ` ${markers}` : ''}${exact ? ` "${exact}"` : ''}`);
    }
    lines.push('    }');
  }
  for (const table of tables) {
    for (const fk of foreignKeys(table)) {
      if (!included.has(fk.references!.table)) continue;
      if (options.focus && tableId(table) !== options.focus && fk.references!.table !== options.focus) continue;
      if (options.selfLoops === false && tableId(table) === fk.references!.table) continue;
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

/** A table page's diagram shows at most this many other tables; more are split over several diagrams. */
export const MAX_NEIGHBOURS_PER_DIAGRAM = 6;
/** ...and at most this many diagrams: past that, the rest are named in a sentence instead of drawn. */
export const MAX_DIAGRAMS_PER_TABLE_PAGE = 4;

export interface TablePageDiagrams {
  diagrams: ErDiagram[];
  /** tables related to the page table that no diagram draws (a hub table), `schema.name` */
  notDrawn: string[];
}

/**
 * A table page's diagrams: the table with all its columns, and only its own relations (the tables it references
 * and the tables referencing it, with key columns), as tbls draws them. A hub table's neighbours are split into
 * diagrams of MAX_NEIGHBOURS_PER_DIAGRAM tables, so each stays readable at GitHub's page width instead of shrinking
 * to a strip; past MAX_DIAGRAMS_PER_TABLE_PAGE diagrams the remaining tables are only listed.
 */
export function tablePageDiagrams(
  table: TableObject,
  referencing: string[],
  tablesById: Map<string, TableObject>,
  names: Map<string, string>,
): TablePageDiagrams {
  const id = tableId(table);
  const referenced = foreignKeys(table).map((fk) => fk.references!.table);
  const ordered = [...new Set([...[...referenced].sort(compareText), ...[...referencing].sort(compareText)])].filter((n) => n !== id && tablesById.has(n));
  const chunks: string[][] = [];
  for (let i = 0; i < ordered.length; i += MAX_NEIGHBOURS_PER_DIAGRAM) chunks.push(ordered.slice(i, i + MAX_NEIGHBOURS_PER_DIAGRAM));
  if (chunks.length === 0) chunks.push([]);
  const drawn = chunks.slice(0, MAX_DIAGRAMS_PER_TABLE_PAGE);
  const diagrams = drawn.map((chunk, i) => {
    const members = [table, ...chunk.map((n) => tablesById.get(n)!)];
    const text = erDiagram(members, names, {
      columns: (t) => (tableId(t) === id && i === 0 ? 'all' : 'keys'),
      focus: id,
      selfLoops: i === 0,
    });
    return { title: drawn.length > 1 ? `${i + 1}/${drawn.length}` : '', tables: members.map(tableId), text };
  });
  return { diagrams, notDrawn: chunks.slice(MAX_DIAGRAMS_PER_TABLE_PAGE).flat() };
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
