import type { AlterTableCmd, ColumnDef, ConstrType, Constraint, RangeVar, TypeName } from '@pgsql/types';
import { nodeAs, nodesAs, statementRelation, stringList } from '../sql/ast.js';
import type { ScanToken } from 'libpg-query';
import type { ParsedStatement } from '../sql/parse.js';

/**
 * The shapes the lint rules look for in a statement, over `@pgsql/types` nodes: ALTER TABLE commands, new
 * columns and their types, foreign keys, constraints added to a table. Names (string lists, relation keys,
 * type names) come from src/sql/ast.ts.
 */

/**
 * Every statement rule asks for the same shapes of the same statement (most rules read its new columns, types or
 * foreign keys): each is computed once per statement and shared, so callers get a read-only list. Keyed by the
 * statement's syntax tree, not the statement: the lint engine frees a file's trees after its pass (freeSyntaxTrees)
 * while the statements live on, and what is computed here holds tree nodes, which must die with the tree.
 */
function perStatement<T>(compute: (statement: ParsedStatement) => T): (statement: ParsedStatement) => T {
  const computed = new WeakMap<object, T>();
  // The engine runs every rule on one statement before the next: most calls ask for the statement of the call
  // before, answered without the WeakMap lookup (a measurable part of a lint). One tree is held at most.
  let lastTree: object | undefined;
  let lastValue: T | undefined;
  return (statement) => {
    const tree: object = statement.node;
    if (tree === lastTree) return lastValue as T;
    let value = computed.get(tree);
    if (value === undefined) computed.set(tree, (value = compute(statement)));
    lastTree = tree;
    lastValue = value;
    return value;
  };
}

/** The ALTER TABLE sub-commands of a statement (empty for any other statement, ALTER INDEX / VIEW / ... included). */
export const alterTableCommands = perStatement((statement): readonly AlterTableCmd[] => {
  if (statement.kind !== 'AlterTableStmt' || statement.ast.objtype !== 'OBJECT_TABLE') return [];
  return nodesAs(statement.ast.cmds, 'AlterTableCmd');
});

const commandStartCache = new WeakMap<ParsedStatement, Map<AlterTableCmd, number> | null>();

/**
 * Where an ALTER TABLE sub-command starts, as a node for `report({ node })`: `{ location }` (UTF-8 byte offset of
 * its first token), or undefined when it cannot be told (then the finding points at the statement). Postgres' parse
 * tree gives AlterTableCmd no `location`, so without this every finding of a multi-command ALTER TABLE pointed at
 * its first line (e2b-dev/infra 20240315165236_create_env_builds.sql: eight DROP COLUMN findings, all at 17:1).
 * The grammar keeps the commands in written order, separated by commas outside parentheses and brackets (gram.y
 * `alter_table_cmds: alter_table_cmd | alter_table_cmds ',' alter_table_cmd`); they follow the table name (and an
 * optional `*`). If the count of such pieces is not the count of commands, nothing is guessed.
 */
export function alterTableCommandNode(statement: ParsedStatement, command: AlterTableCmd, tokens: () => readonly ScanToken[] | undefined): { location: number } | undefined {
  let starts = commandStartCache.get(statement);
  if (starts === undefined) {
    starts = findCommandStarts(statement, tokens());
    commandStartCache.set(statement, starts);
  }
  const location = starts?.get(command);
  return location === undefined ? undefined : { location };
}

function findCommandStarts(statement: ParsedStatement, all: readonly ScanToken[] | undefined): Map<AlterTableCmd, number> | null {
  const commands = alterTableCommands(statement);
  const relationAt = statement.kind === 'AlterTableStmt' ? statement.ast.relation?.location : undefined;
  if (!all || commands.length === 0 || relationAt === undefined || relationAt < 0) return null;
  const tokens = all.filter((t) => t.start >= relationAt && t.start < statement.byteEnd && t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  if (tokens[0]?.start !== relationAt) return null;
  let i = 1;
  while (tokens[i]?.text === '.' && tokens[i + 1]) i += 2;
  if (tokens[i]?.text === '*') i++;
  if (!tokens[i]) return null;
  const starts = [tokens[i].start];
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    const text = tokens[j].text;
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') depth--;
    else if (text === ',' && depth === 0 && tokens[j + 1]) starts.push(tokens[j + 1].start);
  }
  if (starts.length !== commands.length) return null;
  return new Map(commands.map((command, k) => [command, starts[k]]));
}

export interface ColumnDefinition {
  def: ColumnDef;
  relation: RangeVar | undefined;
  /** added by ALTER TABLE ... ADD COLUMN (rather than in CREATE TABLE) */
  added: boolean;
  /** the ADD COLUMN command, when added */
  command?: AlterTableCmd;
}

/** Column definitions a statement creates: CREATE TABLE columns and ALTER TABLE ... ADD COLUMN. */
export const columnDefinitions = perStatement((statement): readonly ColumnDefinition[] => {
  const result: ColumnDefinition[] = [];
  if (statement.kind === 'CreateStmt') {
    for (const def of nodesAs(statement.ast.tableElts, 'ColumnDef')) result.push({ def, relation: statement.ast.relation, added: false });
  }
  for (const command of alterTableCommands(statement)) {
    const def = command.subtype === 'AT_AddColumn' ? nodeAs(command.def, 'ColumnDef') : undefined;
    if (def) result.push({ def, relation: statementRelation(statement), added: true, command });
  }
  return result;
});

export interface TypeUse {
  typeName: TypeName | undefined;
  column: string;
  relation: RangeVar | undefined;
  /** the column definition, when the type comes from one (not ALTER COLUMN TYPE) */
  def?: ColumnDef;
}

/** Every column type a statement writes: new columns and ALTER COLUMN ... TYPE. */
export const columnTypes = perStatement((statement): readonly TypeUse[] => {
  const result: TypeUse[] = columnDefinitions(statement).map(({ def, relation }) => ({ typeName: def.typeName, column: def.colname ?? '', relation, def }));
  for (const command of alterTableCommands(statement)) {
    const typeName = command.subtype === 'AT_AlterColumnType' ? nodeAs(command.def, 'ColumnDef')?.typeName : undefined;
    if (typeName) result.push({ typeName, column: command.name ?? '', relation: statementRelation(statement) });
  }
  return result;
});

/**
 * Whether a column type of the statement is a single-column primary key: PRIMARY KEY on the column, or a table
 * PRIMARY KEY (col) of the same CREATE TABLE (a column inside a composite key is not one).
 */
export function singleColumnPrimaryKey(statement: ParsedStatement): (use: TypeUse) => boolean {
  const tableKeys = new Set<string>();
  if (statement.kind === 'CreateStmt') {
    for (const constraint of nodesAs(statement.ast.tableElts, 'Constraint')) {
      const keys = constraint.contype === 'CONSTR_PRIMARY' ? stringList(constraint.keys) : [];
      if (keys.length === 1) tableKeys.add(keys[0]);
    }
  }
  return (use) => tableKeys.has(use.column) || columnConstraints(use.def).some((c) => c.contype === 'CONSTR_PRIMARY');
}

/** The constraints written on a column (NOT NULL, DEFAULT, PRIMARY KEY, REFERENCES, ...). */
export function columnConstraints(def: ColumnDef | undefined): Constraint[] {
  return nodesAs(def?.constraints, 'Constraint');
}

export interface ForeignKeyUse {
  constraint: Constraint;
  relation: RangeVar | undefined;
  columns: string[];
  refTable: RangeVar | undefined;
  refColumns: string[];
  /** added by ALTER TABLE ... ADD CONSTRAINT (not inline in CREATE TABLE / ADD COLUMN) */
  viaAddConstraint: boolean;
  /** for an inline REFERENCES: the column definition (findings point at the column name) */
  columnDef?: ColumnDef;
}

/** Foreign keys a statement adds: inline REFERENCES, table constraints and ADD CONSTRAINT. */
export const foreignKeys = perStatement((statement): readonly ForeignKeyUse[] => {
  const result: ForeignKeyUse[] = [];
  const relation = statementRelation(statement);
  const push = (constraint: Constraint, columns: string[], viaAddConstraint: boolean, columnDef?: ColumnDef) =>
    result.push({ constraint, relation, columns, refTable: constraint.pktable, refColumns: stringList(constraint.pk_attrs), viaAddConstraint, columnDef });
  for (const { def } of columnDefinitions(statement)) {
    for (const constraint of columnConstraints(def)) if (constraint.contype === 'CONSTR_FOREIGN') push(constraint, [def.colname ?? ''], false, def);
  }
  if (statement.kind === 'CreateStmt') {
    for (const constraint of nodesAs(statement.ast.tableElts, 'Constraint')) {
      if (constraint.contype === 'CONSTR_FOREIGN') push(constraint, stringList(constraint.fk_attrs), false);
    }
  }
  for (const command of alterTableCommands(statement)) {
    const constraint = command.subtype === 'AT_AddConstraint' ? nodeAs(command.def, 'Constraint') : undefined;
    if (constraint?.contype === 'CONSTR_FOREIGN') push(constraint, stringList(constraint.fk_attrs), true);
  }
  return result;
});

/** A constraint an ALTER TABLE adds to its (existing) table. */
export interface AddedConstraint {
  constraint: Constraint;
  command: AlterTableCmd;
  /** the constrained columns: the key list of ADD CONSTRAINT, or the new column */
  columns: string[];
  /** for a constraint written inline in ADD COLUMN: that column's definition */
  column?: ColumnDef;
}

/**
 * The constraints of one type an ALTER TABLE adds: by ADD CONSTRAINT, unless USING INDEX (which attaches an
 * index built before, the safe recipe's last step), or inline in ADD COLUMN (the first of that type on the column).
 */
export function addedConstraints(statement: ParsedStatement, type: ConstrType): AddedConstraint[] {
  const result: AddedConstraint[] = [];
  for (const command of alterTableCommands(statement)) {
    if (command.subtype === 'AT_AddConstraint') {
      const constraint = nodeAs(command.def, 'Constraint');
      if (constraint?.contype !== type || constraint.indexname) continue;
      result.push({ constraint, command, columns: stringList(type === 'CONSTR_FOREIGN' ? constraint.fk_attrs : constraint.keys) });
    } else if (command.subtype === 'AT_AddColumn') {
      const column = nodeAs(command.def, 'ColumnDef');
      const constraint = columnConstraints(column).find((c) => c.contype === type);
      if (column && constraint) result.push({ constraint, command, columns: [column.colname ?? ''], column });
    }
  }
  return result;
}
