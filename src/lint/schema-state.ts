import type { ParsedStatement } from '../sql/parse.js';

/** Where a tracked object was created: the file (by runner index) and the statement's position. */
export interface TrackedOrigin {
  /** -1 for baseline files, else the index among the linted migrations */
  fileIndex: number;
  file: string;
  line: number;
  column: number;
  /** UTF-8 byte offset of the node that created the object (for an exact column) */
  byteLocation?: number;
}

export interface TrackedColumn {
  name: string;
  /** last type name part, e.g. int4, varchar, timestamptz */
  type: string;
}

/** An index (or a PRIMARY KEY / UNIQUE constraint's index): its key columns, `null` for an expression. */
export interface TrackedIndex {
  name: string;
  table: string;
  columns: Array<string | null>;
  partial: boolean;
  /** the WHERE clause of a partial index (AST), so fk rules can tell `col IS NOT NULL` from a real filter */
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
  foreignKeys: TrackedForeignKey[];
  origin: TrackedOrigin;
}

type RangeVarLike = { schemaname?: string; relname?: string } | undefined;

export function tableKey(relation: RangeVarLike): string {
  return `${relation?.schemaname ?? 'public'}.${relation?.relname ?? ''}`;
}

function qualifiedKey(names: string[]): string {
  return names.length > 1 ? `${names[names.length - 2]}.${names[names.length - 1]}` : `public.${names[0]}`;
}

function stringsOf(list: any[] | undefined): string[] {
  return (list ?? []).map((item: any) => item?.String?.sval ?? '').filter((s: string) => s !== '');
}

export function typeNameOf(typeName: any): string {
  const names = stringsOf(typeName?.names);
  return names[names.length - 1] ?? '';
}

/**
 * The schema as the history builds it, statement by statement, from the AST alone (no database): tables,
 * columns, primary keys, indexes and foreign keys, with where each was created. Enough for the rules that
 * need "created by an earlier file" and the end-state rules (fk-needs-index, require-primary-key).
 */
export class SchemaState {
  readonly tables = new Map<string, TrackedTable>();
  readonly indexes = new Map<string, TrackedIndex>();

  table(relation: RangeVarLike): TrackedTable | undefined {
    return this.tables.get(tableKey(relation));
  }

  indexesOf(tableKeyValue: string): TrackedIndex[] {
    const result: TrackedIndex[] = [];
    for (const index of this.indexes.values()) if (index.table === tableKeyValue) result.push(index);
    return result;
  }

  /** Applies one statement; `origin(location)` turns an AST byte location into a TrackedOrigin. */
  apply(statement: ParsedStatement, origin: (byteLocation?: number) => TrackedOrigin): void {
    const ast = statement.ast;
    switch (statement.kind) {
      case 'CreateStmt':
        return this.createTable(ast, origin);
      case 'CreateTableAsStmt':
        if (ast.objtype === 'OBJECT_TABLE' && ast.into?.rel) this.createTableShell(ast.into.rel, origin(undefined));
        return;
      case 'AlterTableStmt':
        if (ast.objtype === 'OBJECT_TABLE') return this.alterTable(ast, origin);
        return;
      case 'IndexStmt':
        return this.createIndex(ast, origin);
      case 'RenameStmt':
        return this.rename(ast);
      case 'DropStmt':
        return this.drop(ast);
      default:
        return;
    }
  }

  private createTableShell(relation: any, at: TrackedOrigin): TrackedTable | undefined {
    if (relation.relpersistence === 't') return undefined;
    const key = tableKey(relation);
    if (this.tables.has(key)) return undefined; // CREATE TABLE IF NOT EXISTS on an existing table does nothing
    const table: TrackedTable = { key, name: relation.relname, columns: new Map(), foreignKeys: [], origin: at };
    this.tables.set(key, table);
    return table;
  }

  private createTable(ast: any, origin: (byteLocation?: number) => TrackedOrigin): void {
    const table = this.createTableShell(ast.relation, origin(undefined));
    if (!table) return;
    for (const element of ast.tableElts ?? []) {
      if (element.ColumnDef) this.addColumn(table, element.ColumnDef, origin);
      else if (element.Constraint) this.addConstraint(table, element.Constraint, origin);
      else if (element.TableLikeClause) {
        const source = this.table(element.TableLikeClause.relation);
        for (const column of source?.columns.values() ?? []) table.columns.set(column.name, { ...column });
      }
    }
  }

  private addColumn(table: TrackedTable, def: any, origin: (byteLocation?: number) => TrackedOrigin): void {
    if (table.columns.has(def.colname)) return;
    table.columns.set(def.colname, { name: def.colname, type: typeNameOf(def.typeName) });
    for (const c of def.constraints ?? []) {
      const constraint = c.Constraint;
      if (!constraint) continue;
      if (constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_UNIQUE' || constraint.contype === 'CONSTR_FOREIGN') {
        // An inline constraint is reported at its column's name.
        this.addConstraint(table, { ...constraint, location: def.location, keys: [{ String: { sval: def.colname } }], fk_attrs: [{ String: { sval: def.colname } }] }, origin);
      }
    }
  }

  private addConstraint(table: TrackedTable, constraint: any, origin: (byteLocation?: number) => TrackedOrigin): void {
    const at = origin(constraint.location);
    switch (constraint.contype) {
      case 'CONSTR_PRIMARY': {
        const columns = constraint.indexname ? (this.indexes.get(schemaOf(table.key) + '.' + constraint.indexname)?.columns.filter(isString) ?? []) : stringsOf(constraint.keys);
        table.primaryKey = columns;
        const name = constraint.conname ?? `${table.name}_pkey`;
        if (constraint.indexname) this.indexes.delete(schemaOf(table.key) + '.' + constraint.indexname);
        this.indexes.set(`${schemaOf(table.key)}.${name}`, { name, table: table.key, columns, partial: false, origin: at });
        return;
      }
      case 'CONSTR_UNIQUE': {
        const columns = stringsOf(constraint.keys);
        if (constraint.indexname) return;
        const name = constraint.conname ?? `${table.name}_${columns.join('_')}_key`;
        this.indexes.set(`${schemaOf(table.key)}.${name}`, { name, table: table.key, columns, partial: false, origin: at });
        return;
      }
      case 'CONSTR_FOREIGN': {
        const columns = stringsOf(constraint.fk_attrs);
        const refTable = tableKey(constraint.pktable);
        const refColumns = stringsOf(constraint.pk_attrs);
        const name = constraint.conname ?? `${table.name}_${columns.join('_')}_fkey`;
        table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== name);
        table.foreignKeys.push({ name, table: table.key, columns, refTable, refColumns, origin: at });
        return;
      }
      default:
        return;
    }
  }

  private alterTable(ast: any, origin: (byteLocation?: number) => TrackedOrigin): void {
    const table = this.table(ast.relation);
    if (!table) return;
    for (const item of ast.cmds ?? []) {
      const cmd = item.AlterTableCmd;
      if (!cmd) continue;
      switch (cmd.subtype) {
        case 'AT_AddColumn':
          if (cmd.def?.ColumnDef) this.addColumn(table, cmd.def.ColumnDef, origin);
          break;
        case 'AT_DropColumn':
          this.dropColumn(table, cmd.name);
          break;
        case 'AT_AlterColumnType': {
          const column = table.columns.get(cmd.name);
          if (column) column.type = typeNameOf(cmd.def?.ColumnDef?.typeName);
          break;
        }
        case 'AT_AddConstraint':
          if (cmd.def?.Constraint) this.addConstraint(table, cmd.def.Constraint, origin);
          break;
        case 'AT_DropConstraint':
          this.dropConstraint(table, cmd.name);
          break;
        default:
          break;
      }
    }
  }

  private dropColumn(table: TrackedTable, column: string): void {
    table.columns.delete(column);
    if (table.primaryKey?.includes(column)) table.primaryKey = undefined;
    table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(column));
    for (const [key, index] of this.indexes) if (index.table === table.key && index.columns.includes(column)) this.indexes.delete(key);
  }

  private dropConstraint(table: TrackedTable, name: string): void {
    const before = table.foreignKeys.length;
    table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== name);
    if (table.foreignKeys.length !== before) return;
    const key = `${schemaOf(table.key)}.${name}`;
    if (this.indexes.get(key)?.table === table.key) {
      if (name === `${table.name}_pkey` || arraysEqual(this.indexes.get(key)!.columns, table.primaryKey ?? [])) table.primaryKey = undefined;
      this.indexes.delete(key);
    }
  }

  private createIndex(ast: any, origin: (byteLocation?: number) => TrackedOrigin): void {
    const tableKeyValue = tableKey(ast.relation);
    const table = this.tables.get(tableKeyValue);
    const columns: Array<string | null> = (ast.indexParams ?? []).map((p: any) => p.IndexElem?.name ?? null);
    const name = ast.idxname ?? `${ast.relation?.relname}_${columns.map((c) => c ?? 'expr').join('_')}_idx`;
    const key = `${ast.relation?.schemaname ?? 'public'}.${name}`;
    if (ast.if_not_exists && this.indexes.has(key)) return;
    this.indexes.set(key, { name, table: table?.key ?? tableKeyValue, columns, partial: Boolean(ast.whereClause), predicate: ast.whereClause, origin: origin(ast.relation?.location) });
  }

  private rename(ast: any): void {
    switch (ast.renameType) {
      case 'OBJECT_TABLE': {
        const oldKey = tableKey(ast.relation);
        const table = this.tables.get(oldKey);
        if (!table) return;
        const newKey = `${schemaOf(oldKey)}.${ast.newname}`;
        this.tables.delete(oldKey);
        table.key = newKey;
        table.name = ast.newname;
        this.tables.set(newKey, table);
        for (const index of this.indexes.values()) if (index.table === oldKey) index.table = newKey;
        for (const other of this.tables.values()) {
          for (const fk of other.foreignKeys) {
            if (fk.table === oldKey) fk.table = newKey;
            if (fk.refTable === oldKey) fk.refTable = newKey;
          }
        }
        return;
      }
      case 'OBJECT_COLUMN': {
        const table = this.table(ast.relation);
        const column = table?.columns.get(ast.subname);
        if (!table || !column) return;
        const rename = (c: string | null) => (c === ast.subname ? ast.newname : c);
        table.columns.delete(ast.subname);
        column.name = ast.newname;
        table.columns.set(ast.newname, column);
        if (table.primaryKey) table.primaryKey = table.primaryKey.map((c) => rename(c)!);
        for (const index of this.indexes.values()) if (index.table === table.key) index.columns = index.columns.map(rename);
        for (const fk of table.foreignKeys) fk.columns = fk.columns.map((c) => rename(c)!);
        for (const other of this.tables.values()) for (const fk of other.foreignKeys) if (fk.refTable === table.key) fk.refColumns = fk.refColumns.map((c) => rename(c)!);
        return;
      }
      case 'OBJECT_INDEX': {
        const oldKey = tableKey(ast.relation);
        const index = this.indexes.get(oldKey);
        if (!index) return;
        this.indexes.delete(oldKey);
        index.name = ast.newname;
        this.indexes.set(`${schemaOf(oldKey)}.${ast.newname}`, index);
        return;
      }
      case 'OBJECT_TABCONSTRAINT': {
        const table = this.table(ast.relation);
        const fk = table?.foreignKeys.find((f) => f.name === ast.subname);
        if (fk) fk.name = ast.newname;
        else if (table) {
          const index = this.indexes.get(`${schemaOf(table.key)}.${ast.subname}`);
          if (index) {
            this.indexes.delete(`${schemaOf(table.key)}.${ast.subname}`);
            index.name = ast.newname;
            this.indexes.set(`${schemaOf(table.key)}.${ast.newname}`, index);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  private drop(ast: any): void {
    const names: string[][] = (ast.objects ?? []).map((o: any) => stringsOf(o.List?.items ?? (o.String ? [o] : [])));
    if (ast.removeType === 'OBJECT_TABLE') {
      for (const parts of names) {
        const key = qualifiedKey(parts);
        if (!this.tables.delete(key)) continue;
        for (const [indexKey, index] of this.indexes) if (index.table === key) this.indexes.delete(indexKey);
        for (const other of this.tables.values()) other.foreignKeys = other.foreignKeys.filter((fk) => fk.refTable !== key);
      }
    } else if (ast.removeType === 'OBJECT_INDEX') {
      for (const parts of names) this.indexes.delete(qualifiedKey(parts));
    }
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
