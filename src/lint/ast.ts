import { stringList, writtenRelationName } from '../sql/ast.js';
import type { ParsedStatement } from '../sql/parse.js';

/** Small, typed-enough helpers over libpg-query's JSON AST, shared by the rules. */

export type RangeVar = { schemaname?: string; relname?: string; location?: number; relpersistence?: string };

/** The string values of a `[{String: {sval}}]` list (src/sql/ast.ts is the one implementation). */
export function strings(list: any[] | undefined): string[] {
  return stringList(list);
}

/** A relation as written in the statement: `schema.name`, or `name` when unqualified. */
export function relationName(relation: RangeVar | undefined): string {
  return writtenRelationName(relation as any);
}

export function qualified(relation: RangeVar | undefined, column?: string): string {
  const base = `${relation?.schemaname ?? 'public'}.${relation?.relname ?? ''}`;
  return column ? `${base}.${column}` : base;
}

/** The ALTER TABLE sub-commands of a statement (empty for any other statement). */
export function alterTableCommands(statement: ParsedStatement): any[] {
  if (statement.kind !== 'AlterTableStmt' || statement.ast.objtype !== 'OBJECT_TABLE') return [];
  return (statement.ast.cmds ?? []).map((c: any) => c.AlterTableCmd).filter(Boolean);
}

export interface ColumnDefinition {
  def: any;
  relation: RangeVar;
  /** added by ALTER TABLE ... ADD COLUMN (rather than in CREATE TABLE) */
  added: boolean;
  /** the ADD COLUMN command, when added */
  command?: any;
}

/** Column definitions a statement creates: CREATE TABLE columns and ALTER TABLE ... ADD COLUMN. */
export function columnDefinitions(statement: ParsedStatement): ColumnDefinition[] {
  const result: ColumnDefinition[] = [];
  if (statement.kind === 'CreateStmt') {
    for (const element of statement.ast.tableElts ?? []) if (element.ColumnDef) result.push({ def: element.ColumnDef, relation: statement.ast.relation, added: false });
  }
  for (const command of alterTableCommands(statement)) {
    if (command.subtype === 'AT_AddColumn' && command.def?.ColumnDef) result.push({ def: command.def.ColumnDef, relation: statement.ast.relation, added: true, command });
  }
  return result;
}

export interface TypeUse {
  typeName: any;
  column: string;
  relation: RangeVar;
  /** the column definition, when the type comes from one (not ALTER COLUMN TYPE) */
  def?: any;
}

/** Every column type a statement writes: new columns and ALTER COLUMN ... TYPE. */
export function columnTypes(statement: ParsedStatement): TypeUse[] {
  const result: TypeUse[] = columnDefinitions(statement).map(({ def, relation }) => ({ typeName: def.typeName, column: def.colname, relation, def }));
  for (const command of alterTableCommands(statement)) {
    if (command.subtype === 'AT_AlterColumnType' && command.def?.ColumnDef?.typeName) {
      result.push({ typeName: command.def.ColumnDef.typeName, column: command.name, relation: statement.ast.relation });
    }
  }
  return result;
}

/** The last part of a type name (`pg_catalog.varchar` → varchar); `undefined` when there is no type (e.g. CREATE TABLE OF). */
export function baseType(typeName: any): string | undefined {
  const names = strings(typeName?.names);
  return names[names.length - 1];
}

export function columnConstraints(def: any): any[] {
  return (def?.constraints ?? []).map((c: any) => c.Constraint).filter(Boolean);
}

export interface ForeignKeyUse {
  constraint: any;
  relation: RangeVar;
  columns: string[];
  refTable: RangeVar;
  refColumns: string[];
  /** added by ALTER TABLE ... ADD CONSTRAINT (not inline in CREATE TABLE / ADD COLUMN) */
  viaAddConstraint: boolean;
  /** for an inline REFERENCES: the column definition (findings point at the column name) */
  columnDef?: any;
}

/** Foreign keys a statement adds: inline REFERENCES, table constraints and ADD CONSTRAINT. */
export function foreignKeys(statement: ParsedStatement): ForeignKeyUse[] {
  const result: ForeignKeyUse[] = [];
  const relation: RangeVar = statement.ast?.relation;
  const push = (constraint: any, columns: string[], viaAddConstraint: boolean, columnDef?: any) =>
    result.push({ constraint, relation, columns, refTable: constraint.pktable, refColumns: strings(constraint.pk_attrs), viaAddConstraint, columnDef });
  for (const { def } of columnDefinitions(statement)) {
    for (const constraint of columnConstraints(def)) if (constraint.contype === 'CONSTR_FOREIGN') push(constraint, [def.colname], false, def);
  }
  if (statement.kind === 'CreateStmt') {
    for (const element of statement.ast.tableElts ?? []) {
      if (element.Constraint?.contype === 'CONSTR_FOREIGN') push(element.Constraint, strings(element.Constraint.fk_attrs), false);
    }
  }
  for (const command of alterTableCommands(statement)) {
    const constraint = command.subtype === 'AT_AddConstraint' ? command.def?.Constraint : undefined;
    if (constraint?.contype === 'CONSTR_FOREIGN') push(constraint, strings(constraint.fk_attrs), true);
  }
  return result;
}

/** Depth-first walk over every object of an AST. */
export function walk(node: unknown, visit: (object: Record<string, any>, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, key);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  visit(node as Record<string, any>, key);
  for (const [childKey, value] of Object.entries(node)) if (value !== null && typeof value === 'object') walk(value, visit, childKey);
}
