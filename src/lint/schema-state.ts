import type { ConstraintDetail, ColumnDetail, DomainDetail, HistoryEvent, HistoryLocation, IndexDetail, RelationDetail } from '../history/events.js';
import { owningRelation } from '../history/events.js';
import type { RangeVar } from '@pgsql/types';
import { relationKey } from '../sql/ast.js';

/** Where a tracked object was created: the file (by runner index) and the node's position. */
export interface TrackedOrigin {
  /** -1 for baseline files, else the index among the linted migrations */
  fileIndex: number;
  file: string;
  line: number;
  column: number;
  /** UTF-8 byte offset of the node that created the object (for an exact column) */
  byteLocation?: number;
  /**
   * the text of the statement that created the object (the baseline fingerprint of a finding reported there); the
   * text, not the statement, so the history's syntax trees can be freed file by file (lint engine)
   */
  statementText?: string;
}

export interface TrackedColumn {
  name: string;
  /** last type name part, e.g. int4, varchar, timestamptz */
  type: string;
  /** the type's integer modifiers as written (`varchar(100)` → [100]); undefined when none or unknown */
  modifiers?: number[];
}

/** An index (or a PRIMARY KEY / UNIQUE constraint's index): its key columns, `null` for an expression. */
export interface TrackedIndex {
  name: string;
  table: string;
  columns: Array<string | null>;
  partial: boolean;
  /** the WHERE clause of a partial index (AST), so the fk rules can tell `col IS NOT NULL` from a real filter */
  predicate?: unknown;
  origin: TrackedOrigin;
}

export interface TrackedForeignKey {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  origin: TrackedOrigin;
}

export interface TrackedTable {
  /** schema-qualified key, e.g. public.users */
  key: string;
  name: string;
  columns: Map<string, TrackedColumn>;
  primaryKey?: string[];
  /** the primary key's constraint name, when known */
  primaryKeyName?: string;
  /** the last `DROP CONSTRAINT` that removed the primary key (and was not followed by a new one) */
  primaryKeyDropped?: { name: string; at: TrackedOrigin };
  foreignKeys: TrackedForeignKey[];
  origin: TrackedOrigin;
}

type RangeVarLike = RangeVar | undefined;

function originOf(at: HistoryLocation): TrackedOrigin {
  return { fileIndex: at.fileIndex, file: at.file, line: at.line, column: at.column, byteLocation: at.byteLocation, statementText: at.statement.text };
}

/**
 * The schema as the history builds it, from the history walker's events (no database): tables, columns,
 * primary keys, indexes and foreign keys, with where each was created. Enough for the rules that need
 * "created by an earlier file" and the end-state rules (fk-needs-index, require-primary-key).
 */
export class SchemaState {
  readonly tables = new Map<string, TrackedTable>();
  readonly indexes = new Map<string, TrackedIndex>();
  /**
   * Domains the history creates, by bare name (columns keep their type's last name part); `undefined` when two
   * schemas have one of that name or an ALTER DOMAIN changed it in a way not tracked (its constraints).
   */
  readonly domains = new Map<string, DomainDetail | undefined>();
  /**
   * Schemas a plain CREATE SCHEMA made (no IF NOT EXISTS: Postgres refuses an existing one, so the schema was empty
   * then), with where; a table of one that the history does not know was never there (field: the-last-resume).
   */
  readonly newSchemas = new Map<string, TrackedOrigin>();
  /**
   * Indexes (`schema.name`) the history was seen to remove, and not made again since: a DROP INDEX, the DROP TABLE
   * or DROP COLUMN that took them, the DROP CONSTRAINT of the primary key or unique constraint they belonged to, a
   * rename away. A later DROP INDEX of one has nothing to lock (IF EXISTS makes it a no-op), unlike an index the
   * history never saw, which predates it (field: srleom/miniclue, whose `supabase db diff` migration drops the
   * constraint "subscription_plans_pkey", then `drop index if exists "public"."subscription_plans_pkey"`).
   */
  readonly goneIndexes = new Set<string>();

  /** How an unqualified name in a statement resolves (search_path); the lint engine sets the walker's. */
  /** `schema.table` of a RangeVar: `public` when unqualified until the lint engine installs a search_path-aware resolver */
  resolve: (relation: RangeVarLike) => string = relationKey;

  table(relation: RangeVarLike): TrackedTable | undefined {
    return this.tables.get(this.resolve(relation));
  }

  indexesOf(tableKeyValue: string): TrackedIndex[] {
    const result: TrackedIndex[] = [];
    for (const index of this.indexes.values()) if (index.table === tableKeyValue) result.push(index);
    return result;
  }

  /** Applies the events of one statement. */
  apply(events: readonly HistoryEvent[]): void {
    for (const event of events) this.applyEvent(event);
  }

  private applyEvent(event: HistoryEvent): void {
    const object = event.object;
    const owner = owningRelation(object);
    switch (event.type) {
      case 'create': {
        if (event.noop) return;
        if (object.kind === 'schema') {
          const statement = event.at.statement;
          if (statement.kind === 'CreateSchemaStmt' && !statement.ast.if_not_exists) this.newSchemas.set(object.name, originOf(event.at));
          return;
        }
        if (object.kind === 'relation' && object.relkind === 'table') {
          if ((event.detail as RelationDetail | undefined)?.temporary || this.tables.has(owner!)) return;
          this.tables.set(owner!, { key: owner!, name: object.name, columns: new Map(), foreignKeys: [], origin: originOf(event.at) });
        } else if (object.kind === 'column') {
          const table = this.tables.get(owner!);
          const detail = event.detail as ColumnDetail | undefined;
          if (table && !table.columns.has(object.name)) table.columns.set(object.name, { name: object.name, type: detail?.baseType ?? '', modifiers: detail?.modifiers });
        } else if (object.kind === 'constraint') {
          const table = this.tables.get(owner!);
          if (table) this.addConstraint(table, object.schema, object.name, event.detail as ConstraintDetail, event.at);
        } else if (object.kind === 'type') {
          const domain = event.detail as DomainDetail | undefined;
          if (domain?.domainOf !== undefined) this.domains.set(object.name, this.domains.has(object.name) ? undefined : { ...domain });
        } else if (object.kind === 'index') {
          const detail = event.detail as IndexDetail;
          this.setIndex(`${object.schema}.${object.name}`, { name: object.name, table: owner!, columns: detail.columns, partial: detail.partial, predicate: detail.predicate, origin: originOf(event.at) });
        }
        return;
      }
      case 'alter': {
        // ALTER DOMAIN: its constraints may have changed (ADD / DROP CONSTRAINT, SET / DROP NOT NULL)
        if (object.kind === 'type' && this.domains.has(object.name)) this.domains.set(object.name, undefined);
        if (object.kind === 'column' && event.aspect === 'type') {
          const column = this.tables.get(owner!)?.columns.get(object.name);
          const detail = event.detail as ColumnDetail | undefined;
          if (column && detail) Object.assign(column, { type: detail.baseType, modifiers: detail.modifiers });
        }
        return;
      }
      case 'drop': {
        if (event.noop) return;
        if (object.kind === 'type') this.domains.delete(object.name);
        if (object.kind === 'schema') this.newSchemas.delete(object.name);
        if (object.kind === 'relation') return this.dropTable(owner!);
        if (object.kind === 'index') {
          this.forgetIndex(`${object.schema}.${object.name}`);
          return;
        }
        const table = this.tables.get(owner ?? '');
        if (!table) return;
        if (object.kind === 'column') this.dropColumn(table, object.name);
        else if (object.kind === 'constraint') this.dropConstraint(table, object.schema, object.name, event.at);
        return;
      }
      case 'rename': {
        const to = event.to;
        if (object.kind === 'schema') this.newSchemas.delete(object.name);
        if (object.kind === 'relation' && to.kind === 'relation') return this.renameTable(owner!, to.schema, to.name);
        if (object.kind === 'type' && to.kind === 'type') {
          // a column refers to its type by OID: ALTER TYPE ... RENAME TO renames the type of every column of it
          // (Prisma's enum change: "X_new" renamed to "X"; field report inbox-zero, table-rewrite said from X_new)
          for (const table of this.tables.values()) for (const column of table.columns.values()) if (column.type === object.name) column.type = to.name;
          if (this.domains.has(object.name)) {
            this.domains.set(to.name, this.domains.has(to.name) ? undefined : this.domains.get(object.name));
            this.domains.delete(object.name);
          }
          return;
        }
        const table = this.tables.get(owner ?? '');
        if (!table || to.kind === 'relation' || !('table' in to)) return;
        if (object.kind === 'column') this.renameColumn(table, object.name, to.name);
        else if (object.kind === 'index') this.renameIndex(object.schema, object.name, to.name);
        else if (object.kind === 'constraint') this.renameConstraint(table, object.schema, object.name, to.name);
        return;
      }
      default:
        return;
    }
  }

  private setIndex(key: string, index: TrackedIndex): void {
    this.indexes.set(key, index);
    this.goneIndexes.delete(key);
  }

  private forgetIndex(key: string): void {
    if (this.indexes.delete(key)) this.goneIndexes.add(key);
  }

  private addConstraint(table: TrackedTable, schema: string, name: string, detail: ConstraintDetail, at: HistoryLocation): void {
    // A constraint written on a column is reported at the column's name.
    const origin = originOf(detail.columnAt ?? at);
    switch (detail.constraintType) {
      case 'primary_key': {
        const columns = detail.usingIndex ? (this.indexes.get(`${schema}.${detail.usingIndex}`)?.columns.filter(isString) ?? detail.columns) : detail.columns;
        table.primaryKey = columns;
        table.primaryKeyName = name;
        table.primaryKeyDropped = undefined;
        // ADD PRIMARY KEY USING INDEX renames the index to the constraint's name
        if (detail.usingIndex) this.forgetIndex(`${schema}.${detail.usingIndex}`);
        this.setIndex(`${schema}.${name}`, { name, table: table.key, columns, partial: false, origin });
        return;
      }
      case 'unique':
        if (detail.usingIndex) return;
        this.setIndex(`${schema}.${name}`, { name, table: table.key, columns: detail.columns, partial: false, origin });
        return;
      case 'foreign_key':
        table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== name);
        table.foreignKeys.push({ name, table: table.key, columns: detail.columns, refTable: detail.refTable ?? '', refColumns: detail.refColumns ?? [], origin });
        return;
      default:
        return;
    }
  }

  private dropColumn(table: TrackedTable, column: string): void {
    table.columns.delete(column);
    if (table.primaryKey?.includes(column)) table.primaryKey = undefined;
    table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(column));
    for (const [key, index] of this.indexes) if (index.table === table.key && index.columns.includes(column)) this.forgetIndex(key);
  }

  private dropConstraint(table: TrackedTable, schema: string, name: string, at: HistoryLocation): void {
    const before = table.foreignKeys.length;
    table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== name);
    if (table.foreignKeys.length !== before) return;
    const key = `${schema}.${name}`;
    const index = this.indexes.get(key);
    if (index?.table === table.key) {
      if (name === table.primaryKeyName || arraysEqual(index.columns, table.primaryKey ?? [])) {
        table.primaryKey = undefined;
        table.primaryKeyName = undefined;
        table.primaryKeyDropped = { name, at: originOf(at) };
      }
      this.forgetIndex(key);
    }
  }

  private dropTable(key: string): void {
    if (!this.tables.delete(key)) return;
    for (const [indexKey, index] of this.indexes) if (index.table === key) this.forgetIndex(indexKey);
    for (const other of this.tables.values()) other.foreignKeys = other.foreignKeys.filter((fk) => fk.refTable !== key);
  }

  private renameTable(oldKey: string, schema: string, name: string): void {
    const table = this.tables.get(oldKey);
    if (!table) return;
    const newKey = `${schema}.${name}`;
    const movedSchema = schemaOf(oldKey) !== schema;
    this.tables.delete(oldKey);
    table.key = newKey;
    table.name = name;
    this.tables.set(newKey, table);
    for (const [indexKey, index] of [...this.indexes]) {
      if (index.table !== oldKey) continue;
      index.table = newKey;
      // SET SCHEMA moves the table's indexes with it
      if (movedSchema) {
        this.forgetIndex(indexKey);
        this.setIndex(`${schema}.${index.name}`, index);
      }
    }
    for (const other of this.tables.values()) {
      for (const fk of other.foreignKeys) {
        if (fk.table === oldKey) fk.table = newKey;
        if (fk.refTable === oldKey) fk.refTable = newKey;
      }
    }
  }

  private renameColumn(table: TrackedTable, from: string, to: string): void {
    const column = table.columns.get(from);
    if (!column) return;
    const rename = (c: string | null) => (c === from ? to : c);
    table.columns.delete(from);
    column.name = to;
    table.columns.set(to, column);
    if (table.primaryKey) table.primaryKey = table.primaryKey.map((c) => rename(c)!);
    for (const index of this.indexes.values()) if (index.table === table.key) index.columns = index.columns.map(rename);
    for (const fk of table.foreignKeys) fk.columns = fk.columns.map((c) => rename(c)!);
    for (const other of this.tables.values()) for (const fk of other.foreignKeys) if (fk.refTable === table.key) fk.refColumns = fk.refColumns.map((c) => rename(c)!);
  }

  private renameIndex(schema: string, from: string, to: string): void {
    const index = this.indexes.get(`${schema}.${from}`);
    if (!index) return;
    this.forgetIndex(`${schema}.${from}`);
    index.name = to;
    this.setIndex(`${schema}.${to}`, index);
    const table = this.tables.get(index.table);
    if (table?.primaryKeyName === from) table.primaryKeyName = to;
  }

  private renameConstraint(table: TrackedTable, schema: string, from: string, to: string): void {
    const fk = table.foreignKeys.find((f) => f.name === from);
    if (fk) {
      fk.name = to;
      return;
    }
    this.renameIndex(schema, from, to);
  }
}

function schemaOf(key: string): string {
  return key.slice(0, key.indexOf('.'));
}

function isString(value: string | null): value is string {
  return value !== null;
}

function arraysEqual(a: ReadonlyArray<string | null>, b: ReadonlyArray<string | null>): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
