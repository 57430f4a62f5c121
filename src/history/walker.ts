import { formatTypeName } from '../model/normalize.js';
import type {
  AlterObjectSchemaStmt,
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  CommentStmt,
  Constraint,
  CreateStmt,
  DropStmt,
  IndexElem,
  IndexStmt,
  ObjectWithArgs,
  RangeVar,
  RenameStmt,
  SelectStmt,
  VariableSetStmt,
} from '@pgsql/types';
import { baseTypeName, typeModifiers, nodeAs, nodesAs, objectNames, parseSearchPathValue, qualifiedKey, rangeVarNames, SearchPath, serialType, stringList, type QualifiedName } from '../sql/ast.js';
import { checkColumns, defaultName, indexColumnNames, indexKeyName } from '../sql/pg-names.js';
import type { ParsedStatement } from '../sql/parse.js';
import type {
  ColumnDetail,
  DomainDetail,
  ConstraintDetail,
  ConstraintType,
  HistoryEvent,
  HistoryFile,
  HistoryLocation,
  HistoryObject,
  IndexDetail,
  RelationDetail,
  RelationKind,
} from './events.js';

type CreateDetail = ColumnDetail | ConstraintDetail | IndexDetail | RelationDetail | DomainDetail;

interface ColumnState {
  name: string;
  baseType: string;
  modifiers?: number[];
}

interface ConstraintState {
  name: string;
  type: ConstraintType;
  columns: string[];
  refTable?: string;
}

interface RelationState {
  kind: RelationKind;
  schema: string;
  name: string;
  temporary: boolean;
  columns: Map<string, ColumnState>;
  constraints: Map<string, ConstraintState>;
}

interface IndexState {
  schema: string;
  name: string;
  /** `schema.table` */
  table: string;
  columns: Array<string | null>;
  /** the constraint this index backs (primary key, unique, exclusion) */
  constraint?: string;
}

/** Which compared column attribute each ALTER TABLE ... ALTER COLUMN form sets (the diff's field names). */
/** ALTER TABLE subcommands that set one field of the table's drift item (the model's TableObject). */
const TABLE_ASPECTS: Record<string, string> = {
  AT_SetRelOptions: 'storageParameters',
  AT_ResetRelOptions: 'storageParameters',
};

const COLUMN_ASPECTS: Record<string, string> = {
  AT_AlterColumnType: 'type',
  AT_ColumnDefault: 'default',
  AT_SetNotNull: 'notNull',
  AT_DropNotNull: 'notNull',
  AT_AddIdentity: 'identity',
  AT_SetIdentity: 'identity',
  AT_DropIdentity: 'identity',
  AT_SetExpression: 'generated',
  AT_DropExpression: 'generated',
  AT_SetStatistics: 'other',
  AT_SetStorage: 'other',
  AT_SetCompression: 'other',
  AT_SetOptions: 'other',
  AT_ResetOptions: 'other',
};

const ALTER_ACTIONS: Record<string, (command: AlterTableCmd) => string> = {
  AT_AddColumn: (c) => `add column ${nodeAs(c.def, 'ColumnDef')?.colname ?? c.name ?? ''}`,
  AT_DropColumn: (c) => `drop column ${c.name}`,
  AT_AlterColumnType: (c) => `alter column ${c.name} type`,
  AT_ColumnDefault: (c) => `alter column ${c.name} ${c.def ? 'set' : 'drop'} default`,
  AT_SetNotNull: (c) => `alter column ${c.name} set not null`,
  AT_DropNotNull: (c) => `alter column ${c.name} drop not null`,
  AT_DropConstraint: (c) => `drop constraint ${c.name}`,
  AT_ValidateConstraint: (c) => `validate constraint ${c.name}`,
  AT_EnableRowSecurity: () => 'enable row level security',
  AT_DisableRowSecurity: () => 'disable row level security',
  AT_ForceRowSecurity: () => 'force row level security',
  AT_NoForceRowSecurity: () => 'no force row level security',
  AT_AttachPartition: () => 'attach partition',
  AT_DetachPartition: () => 'detach partition',
};

function alterAction(command: AlterTableCmd): string {
  const known = ALTER_ACTIONS[command.subtype ?? ''];
  if (known) return known(command);
  // AT_SetStatistics → "set statistics"
  const words = String(command.subtype ?? 'alter').replace(/^AT_/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return command.name ? `${words} ${command.name}` : words;
}

const RELATION_KINDS: Record<string, RelationKind> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FOREIGN_TABLE: 'foreign table',
};

const CONSTRAINT_TYPES: Record<string, ConstraintType> = {
  CONSTR_PRIMARY: 'primary_key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign_key',
  CONSTR_EXCLUSION: 'exclusion',
};

/** A constraint met in a statement, before Postgres's naming order gives it its name. */
interface PendingConstraint {
  node: Constraint;
  type: ConstraintType;
  columns: string[];
  /** key names an index-backed constraint is named after */
  nameColumns: string[];
  at: HistoryLocation;
  columnAt?: HistoryLocation;
}

/** How the runner's connection sets the search_path (see the HistoryWalker constructor). */
export interface HistoryWalkerOptions {
  migrationSearchPath?: readonly string[];
  sessionSearchPath?: readonly string[];
}

/**
 * The one walker over a parsed migration history. It keeps what Postgres would know after each statement —
 * the search_path, which relations, columns, constraints, indexes, functions, types and schemas exist, under
 * which names (renames and SET SCHEMA followed, unnamed objects given Postgres's default names) — and turns
 * each statement into typed events. Attribution, the docs' history and the linter's schema state consume
 * those events; none of them reads the AST for history on its own.
 *
 * The search_path persists from file to file (the replay runs every file in one session); `SET LOCAL` lasts
 * to the end of its file (a file runs as one transaction).
 */
export class HistoryWalker {
  private readonly relations = new Map<string, RelationState>();
  private readonly indexes = new Map<string, IndexState>();
  private readonly functions = new Set<string>();
  private readonly types = new Set<string>();
  private readonly schemas = new Set<string>(['public']);
  private readonly extensions = new Set<string>();
  private searchPath = new SearchPath();
  private sessionPath = this.searchPath;
  private current?: HistoryFile;
  private statement?: ParsedStatement;
  private events: HistoryEvent[] = [];
  private statementAt?: HistoryLocation;
  /** `schema.constraint` → how many tables of the schema have a constraint of that name (default names must avoid them) */
  private readonly constraintNames = new Map<string, number>();

  /** Walks whole files; `onStatement` sees each statement's events as they happen. */
  walk(files: Iterable<HistoryFile>, onStatement?: (statement: ParsedStatement, events: HistoryEvent[], file: HistoryFile) => void): HistoryEvent[] {
    const all: HistoryEvent[] = [];
    for (const file of files) {
      this.beginFile(file);
      for (const statement of file.statements ?? file.parsed.statements) {
        const events = this.apply(statement);
        onStatement?.(statement, events, file);
        for (const event of events) all.push(event);
      }
      this.endFile();
    }
    return all;
  }

  /**
   * `migrationSearchPath`: the search_path the runner sets before each migration file (Runner.searchPathBeforeEachFile,
   * Flyway's default schema first), so a file's session SET does not reach the next one; default: it does.
   * `sessionSearchPath`: the search_path the runner's connection starts the migrations with (Runner.sessionSearchPath,
   * a database URL's), which a file's session SET still changes for the files after it.
   */
  constructor(private readonly options: HistoryWalkerOptions = {}) {}

  private sessionStarted = false;

  beginFile(file: HistoryFile): void {
    this.current = file;
    if (file.role === 'migration' && !this.sessionStarted) {
      this.sessionStarted = true;
      if (this.options.sessionSearchPath) this.searchPath = new SearchPath(this.options.sessionSearchPath);
    }
    if (file.role === 'migration' && this.options.migrationSearchPath && !file.continuesSession) this.searchPath = new SearchPath(this.options.migrationSearchPath);
    this.sessionPath = this.searchPath;
  }

  /** SET LOCAL ends with the file's transaction. */
  endFile(): void {
    this.searchPath = this.sessionPath;
    this.current = undefined;
  }

  /** The events of one statement of the current file. A statement shape the walker does not know yields none. */
  apply(statement: ParsedStatement): HistoryEvent[] {
    if (!this.current) throw new Error('HistoryWalker.apply() outside beginFile()/endFile()');
    this.statement = statement;
    this.statementAt = undefined;
    this.events = [];
    try {
      this.dispatch(statement);
    } catch {
      // an AST shape this walker does not know: the statement touches nothing it can name
    }
    return this.events;
  }

  /** The qualified name an unqualified relation reference resolves to now (search_path and existence). */
  resolveRelation(relation: RangeVar | undefined): QualifiedName {
    return this.searchPath.relation(relation, this.relationExists);
  }

  // --- locations and emission -------------------------------------------------------------------------------

  private at(byteLocation?: unknown): HistoryLocation {
    const file = this.current!;
    const statement = this.statement!;
    if (typeof byteLocation === 'number' && byteLocation >= statement.byteStart && byteLocation < statement.byteEnd) {
      const { line, column } = file.parsed.source.positionOfByte(byteLocation);
      return { file: file.file, line, column, role: file.role, fileIndex: file.fileIndex, byteLocation, statement };
    }
    // the statement's own position: one object shared by its events
    return (this.statementAt ??= { file: file.file, line: statement.line, column: statement.column, role: file.role, fileIndex: file.fileIndex, statement });
  }

  private emit(event: HistoryEvent): void {
    this.events.push(event);
  }

  private create(object: HistoryObject, action: string, options: { at?: HistoryLocation; nested?: boolean; noop?: boolean; existed?: boolean; detail?: CreateDetail } = {}): void {
    this.emit({ type: 'create', object, action, at: options.at ?? this.at(), nested: options.nested ?? false, noop: options.noop ?? false, existed: options.existed ?? false, detail: options.detail });
  }

  private alter(object: HistoryObject, aspect: string, action: string, options: { at?: HistoryLocation; nested?: boolean; detail?: ColumnDetail } = {}): void {
    this.emit({ type: 'alter', object, aspect, action, at: options.at ?? this.at(), nested: options.nested ?? false, detail: options.detail });
  }

  private drop(object: HistoryObject, action: string, nested = false, noop = false): void {
    this.emit({ type: 'drop', object, action, at: this.at(), nested, noop });
  }

  // --- names --------------------------------------------------------------------------------------------------

  private relationExists = (c: QualifiedName) => this.relations.has(qualifiedKey(c));
  private relationName(rangeVar: RangeVar | undefined): QualifiedName {
    if (rangeVar?.relpersistence === 't' && !rangeVar.schemaname) return { schema: 'pg_temp', name: rangeVar.relname ?? '' };
    return this.searchPath.relation(rangeVar, this.relationExists);
  }
  private newRelationName(rangeVar: RangeVar | undefined): QualifiedName {
    if (rangeVar?.relpersistence === 't' && !rangeVar.schemaname) return { schema: 'pg_temp', name: rangeVar.relname ?? '' };
    return this.searchPath.qualify(rangeVar?.schemaname, rangeVar?.relname ?? '');
  }
  private listName(names: string[], known?: Set<string>): QualifiedName {
    return this.searchPath.list(names, known ? (c) => known.has(qualifiedKey(c)) : undefined);
  }

  /** Is `name` a relation (table, index, sequence, view) of `schema`? */
  private relationTaken(schema: string, name: string): boolean {
    const key = `${schema}.${name}`;
    return this.relations.has(key) || this.indexes.has(key);
  }

  /** Is `name` a constraint of some table of `schema`? (Default constraint names must be free schema-wide.) */
  private constraintTaken(schema: string, name: string): boolean {
    return (this.constraintNames.get(`${schema}.${name}`) ?? 0) > 0;
  }

  /** Records that a table of `schema` has (+1) or no longer has (-1) a constraint `name`. */
  private countConstraint(schema: string, name: string, delta: 1 | -1): void {
    const key = `${schema}.${name}`;
    const count = (this.constraintNames.get(key) ?? 0) + delta;
    if (count > 0) this.constraintNames.set(key, count);
    else this.constraintNames.delete(key);
  }

  private setConstraint(table: RelationState, constraint: ConstraintState): void {
    if (table.constraints.has(constraint.name)) this.countConstraint(table.schema, constraint.name, -1);
    table.constraints.set(constraint.name, constraint);
    this.countConstraint(table.schema, constraint.name, 1);
  }

  private deleteConstraint(table: RelationState, name: string): void {
    if (table.constraints.delete(name)) this.countConstraint(table.schema, name, -1);
  }

  // --- statements -------------------------------------------------------------------------------------------

  private dispatch(statement: ParsedStatement): void {
    // destructured from the union, `kind` still narrows `ast`
    const { kind, ast } = statement;
    switch (kind) {
      case 'VariableSetStmt':
        return this.variableSet(ast);
      case 'SelectStmt':
        return this.selectSetConfig(ast);
      case 'CreateSchemaStmt': {
        const name = ast.schemaname ?? ast.authrole?.rolename;
        if (!name) return;
        const noop = Boolean(ast.if_not_exists) && this.schemas.has(name);
        this.schemas.add(name);
        return this.create({ kind: 'schema', name }, 'create schema', { noop });
      }
      case 'CreateExtensionStmt': {
        const name = ast.extname ?? '';
        const noop = Boolean(ast.if_not_exists) && this.extensions.has(name);
        this.extensions.add(name);
        return this.create({ kind: 'extension', name }, 'create extension', { noop });
      }
      case 'CreateStmt':
        return this.createTable(ast);
      case 'AlterTableStmt':
        return this.alterTable(ast);
      case 'IndexStmt':
        return this.createIndex(ast);
      case 'CreateTrigStmt': {
        const table = this.relationName(ast.relation);
        return this.create({ kind: 'trigger', ...this.part(table, ast.trigname ?? '') }, `create trigger ${ast.trigname}`, { existed: Boolean(ast.replace) });
      }
      case 'CreatePolicyStmt': {
        const table = this.relationName(ast.table);
        return this.create({ kind: 'policy', ...this.part(table, ast.policy_name ?? '') }, `create policy ${ast.policy_name}`);
      }
      case 'AlterPolicyStmt': {
        const table = this.relationName(ast.table);
        return this.alter({ kind: 'policy', ...this.part(table, ast.policy_name ?? '') }, '*', `alter policy ${ast.policy_name}`);
      }
      case 'ViewStmt': {
        const name = this.relationName(ast.view);
        const existed = this.relations.has(qualifiedKey(name));
        this.addRelation('view', name, false);
        return this.create({ kind: 'relation', relkind: 'view', ...name }, ast.replace ? 'create or replace view' : 'create view', { existed: existed && Boolean(ast.replace) });
      }
      case 'CreateTableAsStmt': {
        const kind: RelationKind = ast.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table';
        const name = this.newRelationName(ast.into?.rel);
        const noop = Boolean(ast.if_not_exists) && this.relations.has(qualifiedKey(name));
        if (!noop) this.addRelation(kind, name, ast.into?.rel?.relpersistence === 't');
        const action = kind === 'materialized view' ? 'create materialized view' : 'create table as';
        return this.create({ kind: 'relation', relkind: kind, ...name }, action, { noop, detail: { temporary: ast.into?.rel?.relpersistence === 't' } });
      }
      case 'CreateSeqStmt': {
        const name = this.newRelationName(ast.sequence);
        const noop = Boolean(ast.if_not_exists) && this.relations.has(qualifiedKey(name));
        if (!noop) this.addRelation('sequence', name, false);
        return this.create({ kind: 'relation', relkind: 'sequence', ...name }, 'create sequence', { noop });
      }
      case 'AlterSeqStmt': {
        const name = this.relationName(ast.sequence);
        return this.alter({ kind: 'relation', relkind: 'sequence', ...name }, '*', 'alter sequence');
      }
      case 'CreateFunctionStmt': {
        const name = this.listName(stringList(ast.funcname), this.functions);
        const args = nodesAs(ast.parameters, 'FunctionParameter')
          .filter((p) => p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
          .map((p) => formatTypeName(p.argType));
        const existed = this.functions.has(qualifiedKey(name));
        this.functions.add(qualifiedKey(name));
        const action = `${ast.replace ? 'create or replace' : 'create'} ${ast.is_procedure ? 'procedure' : 'function'}`;
        return this.create({ kind: 'function', ...name, args }, action, { existed });
      }
      case 'AlterFunctionStmt':
        return this.alter(this.functionObject(ast.func), '*', 'alter function');
      case 'CreateEnumStmt':
        return this.createType(stringList(ast.typeName), 'create type (enum)');
      case 'CreateRangeStmt':
        return this.createType(stringList(ast.typeName), 'create type (range)');
      case 'CreateDomainStmt': {
        const constraints = nodesAs(ast.constraints, 'Constraint');
        const domain: DomainDetail = {
          domainOf: baseTypeName(ast.typeName) ?? '',
          baseModified: (ast.typeName?.typmods ?? []).length > 0,
          constrained: constraints.some((c) => c.contype === 'CONSTR_CHECK' || c.contype === 'CONSTR_NOTNULL'),
        };
        return this.createType(stringList(ast.domainname), 'create domain', domain);
      }
      case 'CompositeTypeStmt':
        return this.createType(rangeVarNames(ast.typevar), 'create type (composite)');
      case 'AlterEnumStmt': {
        const name = this.listName(stringList(ast.typeName), this.types);
        return this.alter({ kind: 'type', ...name }, '*', ast.oldVal ? `rename value ${ast.oldVal} to ${ast.newVal}` : `add value ${ast.newVal}`);
      }
      case 'AlterDomainStmt': {
        const name = this.listName(stringList(ast.typeName), this.types);
        return this.alter({ kind: 'type', ...name }, '*', 'alter domain');
      }
      case 'CreatePublicationStmt':
      case 'AlterPublicationStmt': {
        // pg_dump writes a publication's tables one ALTER PUBLICATION ... ADD TABLE each, and drift names that by the
        // table (supabase_realtime's tables are added by migrations): each table listed is touched here
        for (const spec of nodesAs(ast.pubobjects, 'PublicationObjSpec')) {
          const relation = spec.pubobjtype === 'PUBLICATIONOBJ_TABLE' ? spec.pubtable?.relation : undefined;
          if (!relation?.relname) continue;
          const table = this.relationName(relation);
          this.alter({ kind: 'relation', relkind: this.relations.get(qualifiedKey(table))?.kind ?? 'table', ...table }, 'other', `${kind === 'CreatePublicationStmt' ? 'create' : 'alter'} publication ${ast.pubname}`);
        }
        return;
      }
      case 'RuleStmt': {
        // a rule belongs to its table (pg_dump writes CREATE RULE after it; drift names the table)
        const table = this.relationName(ast.relation);
        return this.alter({ kind: 'relation', relkind: this.relations.get(qualifiedKey(table))?.kind ?? 'table', ...table }, 'other', `create rule ${ast.rulename}`);
      }
      case 'CommentStmt':
        return this.comment(ast);
      case 'RenameStmt':
        return this.rename(ast);
      case 'AlterObjectSchemaStmt':
        return this.setSchema(ast);
      case 'DropStmt':
        return this.dropStatement(ast);
      case 'InsertStmt':
        return this.data(ast.relation, 'insert rows');
      case 'UpdateStmt':
        return this.data(ast.relation, 'update rows');
      case 'DeleteStmt':
        return this.data(ast.relation, 'delete rows');
      case 'TruncateStmt':
        for (const relation of nodesAs(ast.relations, 'RangeVar')) this.data(relation, 'truncate');
        return;
      default:
        return;
    }
  }

  private part(table: QualifiedName, name: string): { schema: string; table: string; name: string } {
    return { schema: table.schema, table: table.name, name };
  }

  private data(rangeVar: RangeVar | undefined, action: string): void {
    if (!rangeVar?.relname) return;
    const name = this.relationName(rangeVar);
    const kind = this.relations.get(qualifiedKey(name))?.kind ?? 'table';
    this.emit({ type: 'data', object: { kind: 'relation', relkind: kind, ...name }, action, at: this.at(), nested: false });
  }

  private variableSet(ast: VariableSetStmt): void {
    if (ast.name !== 'search_path' && !(ast.kind === 'VAR_RESET_ALL')) return;
    let path: SearchPath;
    if (ast.kind === 'VAR_SET_VALUE') {
      const values = nodesAs(ast.args, 'A_Const').flatMap((a) => (typeof a.sval?.sval === 'string' ? [a.sval.sval] : []));
      path = new SearchPath(values);
    } else if (ast.kind === 'VAR_SET_DEFAULT' || ast.kind === 'VAR_RESET' || ast.kind === 'VAR_RESET_ALL') {
      path = new SearchPath();
    } else {
      return;
    }
    this.searchPath = path;
    if (!ast.is_local) this.sessionPath = path;
  }

  /** `SELECT pg_catalog.set_config('search_path', '', false);` as pg_dump writes it. */
  private selectSetConfig(ast: SelectStmt): void {
    for (const target of nodesAs(ast.targetList, 'ResTarget')) {
      const call = nodeAs(target.val, 'FuncCall');
      if (!call || stringList(call.funcname).pop() !== 'set_config') continue;
      const [name, value, local] = (call.args ?? []).map((a) => nodeAs(a, 'A_Const'));
      if (name?.sval?.sval !== 'search_path' || typeof value?.sval?.sval !== 'string') continue;
      const values = parseSearchPathValue(value.sval.sval);
      const path = values.length > 0 ? new SearchPath(values) : new SearchPath([]);
      this.searchPath = path;
      if (!local?.boolval?.boolval) this.sessionPath = path;
    }
  }

  private addRelation(kind: RelationKind, name: QualifiedName, temporary: boolean): RelationState {
    const state: RelationState = { kind, ...name, temporary, columns: new Map(), constraints: new Map() };
    this.relations.set(qualifiedKey(name), state);
    return state;
  }

  private createType(names: string[], action: string, domain?: DomainDetail): void {
    const name = this.searchPath.list(names);
    const key = qualifiedKey(name);
    const existed = this.types.has(key);
    this.types.add(key);
    this.create({ kind: 'type', ...name }, action, { existed, ...(domain ? { detail: domain } : {}) });
  }

  private functionObject(owa: ObjectWithArgs | undefined): HistoryObject {
    const name = this.listName(stringList(owa?.objname), this.functions);
    const args = owa?.objargs ? owa.objargs.map((a) => formatTypeName(nodeAs(a, 'TypeName'))) : undefined;
    return { kind: 'function', ...name, ...(args ? { args } : {}) };
  }

  // --- tables -----------------------------------------------------------------------------------------------

  private createTable(ast: CreateStmt): void {
    const name = this.newRelationName(ast.relation);
    const key = qualifiedKey(name);
    const temporary = ast.relation?.relpersistence === 't';
    const action = ast.partbound ? 'create partition' : 'create table';
    if (this.relations.has(key) && ast.if_not_exists) {
      return this.create({ kind: 'relation', relkind: 'table', ...name }, action, { noop: true, detail: { temporary } });
    }
    const table = this.addRelation('table', name, temporary);
    this.create({ kind: 'relation', relkind: 'table', ...name }, action, { detail: { temporary } });
    const pending: PendingConstraint[] = [];
    for (const element of ast.tableElts ?? []) {
      const column = nodeAs(element, 'ColumnDef');
      const tableConstraint = nodeAs(element, 'Constraint');
      const like = nodeAs(element, 'TableLikeClause');
      if (column) {
        pending.push(...this.addColumn(table, column, true));
      } else if (tableConstraint) {
        const constraint = this.pendingConstraint(tableConstraint, undefined);
        if (constraint) pending.push(constraint);
      } else if (like) {
        const source = this.relations.get(qualifiedKey(this.relationName(like.relation)));
        for (const column of source?.columns.values() ?? []) {
          table.columns.set(column.name, { ...column });
          this.create({ kind: 'column', ...this.part(name, column.name) }, `add column ${column.name}`, { nested: true, detail: { baseType: column.baseType, modifiers: column.modifiers } });
        }
      }
    }
    this.addConstraints(table, pending, true);
  }

  /** Adds a column; returns the constraints written on it (named later, in Postgres's order). */
  private addColumn(table: RelationState, def: ColumnDef, nested: boolean, noopIfExists = false): PendingConstraint[] {
    const at = this.at(def.location);
    const columnName = def.colname ?? '';
    const object: HistoryObject = { kind: 'column', schema: table.schema, table: table.name, name: columnName };
    if (noopIfExists && table.columns.has(columnName)) {
      this.create(object, `add column ${columnName}`, { at, nested, noop: true });
      return [];
    }
    const baseType = baseTypeName(def.typeName) ?? '';
    const modifiers = typeModifiers(def.typeName);
    table.columns.set(columnName, { name: columnName, baseType, modifiers });
    this.create(object, `add column ${columnName}`, { at, nested, detail: { baseType, modifiers } });
    const constraints = nodesAs(def.constraints, 'Constraint');
    const serial = serialType(def.typeName) !== undefined;
    if (serial || constraints.some((c) => c.contype === 'CONSTR_IDENTITY')) {
      const sequence = defaultName('seq', table.name, [columnName], (n) => this.relationTaken(table.schema, n));
      this.addRelation('sequence', { schema: table.schema, name: sequence }, table.temporary);
      this.create({ kind: 'relation', relkind: 'sequence', schema: table.schema, name: sequence }, 'create sequence', { at, nested: true });
    }
    const pending: PendingConstraint[] = [];
    for (const constraint of constraints) {
      const found = this.pendingConstraint(constraint, columnName, at);
      if (found) pending.push(found);
    }
    return pending;
  }

  private pendingConstraint(node: Constraint, column: string | undefined, columnAt?: HistoryLocation): PendingConstraint | undefined {
    const type = CONSTRAINT_TYPES[node.contype ?? ''];
    if (!type) return undefined;
    let columns: string[];
    let nameColumns: string[];
    if (type === 'check') {
      columns = checkColumns(node.raw_expr);
      nameColumns = columns;
    } else if (type === 'exclusion') {
      const keys: IndexElem[] = (node.exclusions ?? []).map((pair) => nodeAs(nodeAs(pair, 'List')?.items?.[0], 'IndexElem') ?? {});
      columns = keys.flatMap((k) => (k.name ? [k.name] : []));
      nameColumns = indexColumnNames(keys.map((k) => indexKeyName(k)));
    } else {
      const listed = stringList(type === 'foreign_key' ? node.fk_attrs : node.keys);
      columns = listed.length > 0 ? listed : column ? [column] : [];
      nameColumns = type === 'foreign_key' ? columns : indexColumnNames([...columns, ...stringList(node.including)]);
    }
    return { node, type, columns, nameColumns, at: this.at(node.location), columnAt };
  }

  /**
   * Names and records constraints in the order Postgres creates them: CHECKs with the table, then the indexes
   * of primary keys, unique and exclusion constraints, then foreign keys (added afterwards by ALTER TABLE).
   */
  private addConstraints(table: RelationState, pending: PendingConstraint[], nested: boolean): void {
    const order = (c: PendingConstraint) => (c.type === 'check' ? 0 : c.type === 'foreign_key' ? 2 : 1);
    const chosen: string[] = [];
    for (const constraint of [...pending].sort((a, b) => order(a) - order(b))) {
      const node = constraint.node;
      const schema = table.schema;
      let columns = constraint.columns;
      let name = node.conname;
      if (constraint.type !== 'check' && constraint.type !== 'foreign_key' && node.indexname) {
        // ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's (renamed to the constraint's name)
        const index = this.indexes.get(`${schema}.${node.indexname}`);
        columns = index?.columns.filter((c): c is string => c !== null) ?? columns;
        name ??= node.indexname;
        if (index) {
          this.indexes.delete(`${schema}.${node.indexname}`);
          this.indexes.set(`${schema}.${name}`, { ...index, name, constraint: name });
        }
      }
      if (!name) {
        const bothTaken = (n: string) => this.relationTaken(schema, n) || this.constraintTaken(schema, n);
        const constraintTaken = (n: string) => chosen.includes(n) || this.constraintTaken(schema, n);
        switch (constraint.type) {
          case 'primary_key':
            name = defaultName('pkey', table.name, [], bothTaken);
            break;
          case 'unique':
            name = defaultName('key', table.name, constraint.nameColumns, bothTaken);
            break;
          case 'exclusion':
            name = defaultName('excl', table.name, constraint.nameColumns, bothTaken);
            break;
          case 'foreign_key':
            name = defaultName('fkey', table.name, constraint.nameColumns, constraintTaken);
            break;
          case 'check':
            name = defaultName('check', table.name, constraint.nameColumns, constraintTaken);
            break;
        }
      }
      chosen.push(name);
      const refTable = constraint.type === 'foreign_key' ? qualifiedKey(this.relationName(node.pktable)) : undefined;
      this.setConstraint(table, { name, type: constraint.type, columns, refTable });
      if ((constraint.type === 'primary_key' || constraint.type === 'unique' || constraint.type === 'exclusion') && !node.indexname) {
        this.indexes.set(`${schema}.${name}`, { schema, name, table: qualifiedKey(table), columns, constraint: name });
      }
      const detail: ConstraintDetail = {
        constraintType: constraint.type,
        columns,
        ...(refTable ? { refTable, refColumns: stringList(node.pk_attrs) } : {}),
        ...(node.indexname ? { usingIndex: node.indexname } : {}),
        ...(constraint.columnAt ? { columnAt: constraint.columnAt } : {}),
      };
      this.create({ kind: 'constraint', ...this.part(table, name) }, `add constraint ${name}`, { at: constraint.at, nested, detail });
    }
  }

  private alterTable(ast: AlterTableStmt): void {
    const name = this.relationName(ast.relation);
    const key = qualifiedKey(name);
    const relation = this.relations.get(key);
    if (!relation && ast.missing_ok) return; // ALTER TABLE IF EXISTS of a missing table does nothing
    if (ast.objtype === 'OBJECT_TYPE') {
      const type = this.searchPath.qualify(ast.relation?.schemaname, ast.relation?.relname ?? '', (c) => this.types.has(qualifiedKey(c)));
      for (const cmd of nodesAs(ast.cmds, 'AlterTableCmd')) this.alter({ kind: 'type', ...type }, '*', alterAction(cmd));
      return;
    }
    if (ast.objtype === 'OBJECT_INDEX') {
      const index = this.indexes.get(key);
      if (index) for (const cmd of nodesAs(ast.cmds, 'AlterTableCmd')) this.alter({ kind: 'index', schema: index.schema, table: index.table.slice(index.schema.length + 1), name: index.name }, 'other', alterAction(cmd));
      return;
    }
    const relkind = RELATION_KINDS[ast.objtype ?? ''] ?? relation?.kind ?? 'table';
    const table = relation ?? this.addRelation(relkind, name, false); // a table from before the history: known from now on
    const tableObject: HistoryObject = { kind: 'relation', relkind, ...name };
    for (const cmd of nodesAs(ast.cmds, 'AlterTableCmd')) {
      const action = alterAction(cmd);
      const columnName = cmd.name ?? '';
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const def = nodeAs(cmd.def, 'ColumnDef');
          if (!def) break;
          const pending = this.addColumn(table, def, false, Boolean(cmd.missing_ok));
          this.addConstraints(table, pending, true);
          break;
        }
        case 'AT_DropColumn':
          if (!table.columns.has(columnName) && cmd.missing_ok) {
            this.drop({ kind: 'column', ...this.part(name, columnName) }, action, false, true);
            break;
          }
          this.dropColumn(table, columnName, action);
          break;
        case 'AT_AlterColumnType': {
          const column = table.columns.get(columnName);
          const typeName = nodeAs(cmd.def, 'ColumnDef')?.typeName;
          const baseType = baseTypeName(typeName) ?? '';
          const modifiers = typeModifiers(typeName);
          if (column) Object.assign(column, { baseType, modifiers });
          this.alter({ kind: 'column', ...this.part(name, columnName) }, 'type', action, { detail: { baseType, modifiers } });
          break;
        }
        case 'AT_AddConstraint': {
          const added = nodeAs(cmd.def, 'Constraint');
          const constraint = added && this.pendingConstraint(added, undefined);
          if (constraint) this.addConstraints(table, [constraint], false);
          break;
        }
        case 'AT_DropConstraint':
          if (!table.constraints.has(columnName) && cmd.missing_ok) {
            this.drop({ kind: 'constraint', ...this.part(name, columnName) }, action, false, true);
            break;
          }
          this.dropConstraint(table, columnName, action, false);
          break;
        case 'AT_AlterConstraint': {
          const constraintName = nodeAs(cmd.def, 'ATAlterConstraint')?.conname ?? nodeAs(cmd.def, 'Constraint')?.conname ?? columnName;
          this.alter({ kind: 'constraint', ...this.part(name, constraintName) }, '*', `alter constraint ${constraintName}`);
          break;
        }
        case 'AT_ValidateConstraint':
          this.alter({ kind: 'constraint', ...this.part(name, columnName) }, '*', action);
          break;
        case 'AT_AttachPartition':
        case 'AT_DetachPartition':
        case 'AT_DetachPartitionFinalize': {
          this.alter(tableObject, 'other', action);
          // the partition's bound (or that it is one) is the partition's own drift item: it changed here too
          const partition = nodeAs(cmd.def, 'PartitionCmd')?.name;
          if (partition?.relname) {
            const child = this.relationName(partition);
            this.alter({ kind: 'relation', relkind: this.relations.get(qualifiedKey(child))?.kind ?? 'table', ...child }, 'other', action);
          }
          break;
        }
        default: {
          const aspect = COLUMN_ASPECTS[cmd.subtype ?? ''];
          if (aspect && cmd.name) this.alter({ kind: 'column', ...this.part(name, cmd.name) }, aspect, action);
          else this.alter(tableObject, TABLE_ASPECTS[cmd.subtype ?? ''] ?? 'other', action);
        }
      }
    }
  }

  private dropColumn(table: RelationState, column: string, action: string): void {
    table.columns.delete(column);
    this.drop({ kind: 'column', ...this.part(table, column) }, action);
    // Postgres drops the indexes and constraints that use the column with it.
    for (const constraint of [...table.constraints.values()]) {
      if (constraint.columns.includes(column)) this.dropConstraint(table, constraint.name, `drop constraint ${constraint.name}`, true);
    }
    for (const index of [...this.indexes.values()]) {
      if (index.table === qualifiedKey(table) && index.columns.includes(column)) {
        this.indexes.delete(`${index.schema}.${index.name}`);
        this.drop({ kind: 'index', ...this.part(table, index.name) }, `drop index ${index.name}`, true);
      }
    }
  }

  private dropConstraint(table: RelationState, name: string, action: string, nested: boolean): void {
    this.deleteConstraint(table, name);
    const indexKey = `${table.schema}.${name}`;
    if (this.indexes.get(indexKey)?.constraint === name) this.indexes.delete(indexKey);
    this.drop({ kind: 'constraint', ...this.part(table, name) }, action, nested);
  }

  private createIndex(ast: IndexStmt): void {
    const table = this.relationName(ast.relation);
    const keys = [...(ast.indexParams ?? []), ...(ast.indexIncludingParams ?? [])].map((p) => nodeAs(p, 'IndexElem') ?? {});
    const name = ast.idxname ?? defaultName('idx', table.name, indexColumnNames(keys.map((k) => indexKeyName(k))), (n) => this.relationTaken(table.schema, n));
    const key = `${table.schema}.${name}`;
    const columns: Array<string | null> = (ast.indexParams ?? []).map((p) => nodeAs(p, 'IndexElem')?.name ?? null);
    const noop = Boolean(ast.if_not_exists) && this.relationTaken(table.schema, name);
    if (!noop) this.indexes.set(key, { schema: table.schema, name, table: qualifiedKey(table), columns });
    this.create({ kind: 'index', ...this.part(table, name) }, `create ${ast.unique ? 'unique ' : ''}index ${name}`, {
      noop,
      detail: { columns, partial: Boolean(ast.whereClause), predicate: ast.whereClause, unique: Boolean(ast.unique) },
    });
  }

  // --- comments, renames, schemas, drops --------------------------------------------------------------------

  private indexObject(names: string[]): Extract<HistoryObject, { kind: 'index' }> | undefined {
    const qualified = this.searchPath.list(names, (c) => this.indexes.has(qualifiedKey(c)));
    const index = this.indexes.get(qualifiedKey(qualified));
    if (!index) return undefined;
    return { kind: 'index', schema: index.schema, table: index.table.slice(index.schema.length + 1), name: index.name };
  }

  /** `[schema.]table.part` lists (columns, constraints, triggers, policies). */
  private tablePart(names: string[]): { schema: string; table: string; name: string } {
    const table = this.listName(names.slice(0, -1));
    const resolved = names.length === 2 ? this.searchPath.qualify(undefined, names[0], this.relationExists) : table;
    return this.part(resolved, names[names.length - 1]);
  }

  private comment(ast: CommentStmt): void {
    const names = stringList(nodeAs(ast.object, 'List')?.items);
    const single = nodeAs(ast.object, 'String')?.sval ?? '';
    switch (ast.objtype) {
      case 'OBJECT_SCHEMA':
        return this.alter({ kind: 'schema', name: single }, 'comment', 'comment');
      case 'OBJECT_EXTENSION':
        return this.alter({ kind: 'extension', name: single }, 'comment', 'comment');
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_SEQUENCE':
      case 'OBJECT_FOREIGN_TABLE': {
        const name = this.searchPath.list(names, this.relationExists);
        return this.alter({ kind: 'relation', relkind: RELATION_KINDS[ast.objtype], ...name }, 'comment', 'comment');
      }
      case 'OBJECT_INDEX': {
        const index = this.indexObject(names);
        if (index) return this.alter(index, 'comment', `comment on index ${names[names.length - 1]}`);
        return;
      }
      case 'OBJECT_COLUMN':
        return this.alter({ kind: 'column', ...this.tablePart(names) }, 'comment', `comment on column ${names[names.length - 1]}`);
      case 'OBJECT_TABCONSTRAINT':
        return this.alter({ kind: 'constraint', ...this.tablePart(names) }, 'comment', `comment on constraint ${names[names.length - 1]}`);
      case 'OBJECT_TRIGGER':
        return this.alter({ kind: 'trigger', ...this.tablePart(names) }, 'comment', `comment on trigger ${names[names.length - 1]}`);
      case 'OBJECT_POLICY':
        return this.alter({ kind: 'policy', ...this.tablePart(names) }, 'comment', `comment on policy ${names[names.length - 1]}`);
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const name = this.listName(stringList(nodeAs(ast.object, 'TypeName')?.names), this.types);
        return this.alter({ kind: 'type', ...name }, 'comment', 'comment');
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
        return this.alter(this.functionObject(nodeAs(ast.object, 'ObjectWithArgs')), 'comment', 'comment');
      default:
        return;
    }
  }

  private rename(ast: RenameStmt): void {
    const newName = ast.newname ?? '';
    const subname = ast.subname ?? '';
    switch (ast.renameType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_SEQUENCE':
      case 'OBJECT_FOREIGN_TABLE': {
        const from = this.relationName(ast.relation);
        const relation = this.relations.get(qualifiedKey(from));
        if (!relation && ast.missing_ok) return;
        const relkind = relation?.kind ?? RELATION_KINDS[ast.renameType];
        this.moveRelation(from, { schema: from.schema, name: newName });
        this.emit({
          type: 'rename',
          object: { kind: 'relation', relkind, ...from },
          to: { kind: 'relation', relkind, schema: from.schema, name: newName },
          action: `rename from ${from.name}`,
          at: this.at(),
          nested: false,
        });
        return;
      }
      case 'OBJECT_COLUMN': {
        const table = this.relationName(ast.relation);
        const relation = this.relations.get(qualifiedKey(table));
        const column = relation?.columns.get(subname);
        if (relation && column) {
          relation.columns.delete(subname);
          column.name = newName;
          relation.columns.set(newName, column);
          const rename = (c: string | null) => (c === subname ? newName : c);
          for (const constraint of relation.constraints.values()) constraint.columns = constraint.columns.map((c) => rename(c)!);
          for (const index of this.indexes.values()) if (index.table === qualifiedKey(table)) index.columns = index.columns.map(rename);
        }
        return this.renamePart('column', table, subname, newName, `rename column ${subname} to ${newName}`);
      }
      case 'OBJECT_TABCONSTRAINT': {
        const table = this.relationName(ast.relation);
        const relation = this.relations.get(qualifiedKey(table));
        const constraint = relation?.constraints.get(subname);
        if (relation && constraint) {
          this.deleteConstraint(relation, subname);
          constraint.name = newName;
          this.setConstraint(relation, constraint);
          this.renameIndexState(`${table.schema}.${subname}`, newName);
        }
        return this.renamePart('constraint', table, subname, newName, `rename constraint ${subname} to ${newName}`);
      }
      case 'OBJECT_INDEX': {
        const names = rangeVarNames(ast.relation);
        const index = this.indexObject(names);
        if (!index) return;
        const state = this.indexes.get(`${index.schema}.${index.name}`)!;
        const table = { schema: index.schema, name: index.table };
        // renaming the index of a constraint renames the constraint too
        if (state.constraint) {
          const relation = this.relations.get(state.table);
          const constraint = relation?.constraints.get(state.constraint);
          if (relation && constraint) {
            this.deleteConstraint(relation, constraint.name);
            this.renamePart('constraint', table, constraint.name, newName, `rename constraint ${constraint.name} to ${newName}`);
            constraint.name = newName;
            this.setConstraint(relation, constraint);
          }
        }
        this.renameIndexState(`${index.schema}.${index.name}`, newName);
        return this.renamePart('index', table, index.name, newName, `rename index ${index.name} to ${newName}`);
      }
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY': {
        const table = this.relationName(ast.relation);
        const kind = ast.renameType === 'OBJECT_TRIGGER' ? 'trigger' : 'policy';
        return this.renamePart(kind, table, subname, newName, `rename ${kind} ${subname} to ${newName}`);
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const from = this.listName(stringList(nodeAs(ast.object, 'List')?.items), this.types);
        return this.renameNamed('type', from, { schema: from.schema, name: newName }, this.types);
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE': {
        const from = this.listName(stringList(nodeAs(ast.object, 'ObjectWithArgs')?.objname), this.functions);
        return this.renameNamed('function', from, { schema: from.schema, name: newName }, this.functions);
      }
      case 'OBJECT_SCHEMA': {
        this.schemas.delete(subname);
        this.schemas.add(newName);
        this.emit({ type: 'rename', object: { kind: 'schema', name: subname }, to: { kind: 'schema', name: newName }, action: `rename schema ${subname} to ${newName}`, at: this.at(), nested: false });
        return;
      }
      default:
        return;
    }
  }

  private renameIndexState(key: string, newName: string): void {
    const index = this.indexes.get(key);
    if (!index) return;
    this.indexes.delete(key);
    if (index.constraint) index.constraint = newName;
    index.name = newName;
    this.indexes.set(`${index.schema}.${newName}`, index);
  }

  private renamePart(kind: 'column' | 'constraint' | 'index' | 'trigger' | 'policy', table: QualifiedName, from: string, to: string, action: string): void {
    this.emit({ type: 'rename', object: { kind, ...this.part(table, from) }, to: { kind, ...this.part(table, to) }, action, at: this.at(), nested: false });
  }

  private renameNamed(kind: 'type' | 'function', from: QualifiedName, to: QualifiedName, known: Set<string>): void {
    if (known.delete(qualifiedKey(from))) known.add(qualifiedKey(to));
    const action = from.schema === to.schema ? `rename from ${from.name}` : `move from schema ${from.schema}`;
    this.emit({ type: 'rename', object: { kind, ...from }, to: { kind, ...to }, action, at: this.at(), nested: false });
  }

  /** A relation renamed or moved: its columns and constraints go with it; so do its indexes on SET SCHEMA. */
  private moveRelation(from: QualifiedName, to: QualifiedName): void {
    const fromKey = qualifiedKey(from);
    const toKey = qualifiedKey(to);
    const relation = this.relations.get(fromKey);
    if (relation) {
      this.relations.delete(fromKey);
      for (const name of relation.constraints.keys()) this.countConstraint(relation.schema, name, -1);
      relation.schema = to.schema;
      relation.name = to.name;
      for (const name of relation.constraints.keys()) this.countConstraint(relation.schema, name, 1);
      this.relations.set(toKey, relation);
    }
    for (const [key, index] of [...this.indexes]) {
      if (index.table !== fromKey) continue;
      index.table = toKey;
      if (from.schema !== to.schema) {
        this.indexes.delete(key);
        index.schema = to.schema;
        this.indexes.set(`${to.schema}.${index.name}`, index);
      }
    }
    for (const other of this.relations.values()) for (const constraint of other.constraints.values()) if (constraint.refTable === fromKey) constraint.refTable = toKey;
  }

  private setSchema(ast: AlterObjectSchemaStmt): void {
    const newSchema = ast.newschema ?? '';
    if (ast.relation) {
      const from = this.relationName(ast.relation);
      const relation = this.relations.get(qualifiedKey(from));
      if (!relation && ast.missing_ok) return;
      const relkind = relation?.kind ?? RELATION_KINDS[ast.objectType ?? ''] ?? 'table';
      const to = { schema: newSchema, name: from.name };
      this.moveRelation(from, to);
      this.emit({ type: 'rename', object: { kind: 'relation', relkind, ...from }, to: { kind: 'relation', relkind, ...to }, action: `move from schema ${from.schema}`, at: this.at(), nested: false });
      return;
    }
    switch (ast.objectType) {
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const from = this.listName(stringList(nodeAs(ast.object, 'List')?.items), this.types);
        return this.renameNamed('type', from, { schema: newSchema, name: from.name }, this.types);
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE': {
        const from = this.listName(stringList(nodeAs(ast.object, 'ObjectWithArgs')?.objname), this.functions);
        return this.renameNamed('function', from, { schema: newSchema, name: from.name }, this.functions);
      }
      default:
        return;
    }
  }

  private dropStatement(ast: DropStmt): void {
    for (const object of ast.objects ?? []) {
      const names = objectNames(object);
      switch (ast.removeType) {
        case 'OBJECT_TABLE':
        case 'OBJECT_VIEW':
        case 'OBJECT_MATVIEW':
        case 'OBJECT_SEQUENCE':
        case 'OBJECT_FOREIGN_TABLE': {
          const name = this.searchPath.list(names, this.relationExists);
          const key = qualifiedKey(name);
          const relkind = this.relations.get(key)?.kind ?? RELATION_KINDS[ast.removeType];
          if (!this.relations.has(key) && ast.missing_ok) {
            this.drop({ kind: 'relation', relkind, ...name }, `drop ${relkind}`, false, true);
            break;
          }
          this.dropRelation(key);
          this.drop({ kind: 'relation', relkind, ...name }, `drop ${relkind}`);
          break;
        }
        case 'OBJECT_INDEX': {
          const index = this.indexObject(names);
          if (!index) break;
          this.indexes.delete(`${index.schema}.${index.name}`);
          this.drop(index, `drop index ${index.name}`);
          break;
        }
        case 'OBJECT_RULE': {
          const { schema, table, name } = this.tablePart(names);
          this.alter({ kind: 'relation', relkind: this.relations.get(`${schema}.${table}`)?.kind ?? 'table', schema, name: table }, 'other', `drop rule ${name}`);
          break;
        }
        case 'OBJECT_TRIGGER':
        case 'OBJECT_POLICY': {
          const kind = ast.removeType === 'OBJECT_TRIGGER' ? 'trigger' : 'policy';
          this.drop({ kind, ...this.tablePart(names) }, `drop ${kind} ${names[names.length - 1]}`);
          break;
        }
        case 'OBJECT_FUNCTION':
        case 'OBJECT_PROCEDURE': {
          const fn = this.functionObject(nodeAs(object, 'ObjectWithArgs'));
          if (fn.kind !== 'function') break;
          if (!this.functions.has(qualifiedKey(fn)) && ast.missing_ok) {
            this.drop(fn, ast.removeType === 'OBJECT_PROCEDURE' ? 'drop procedure' : 'drop function', false, true);
            break;
          }
          this.functions.delete(qualifiedKey(fn));
          this.drop(fn, ast.removeType === 'OBJECT_PROCEDURE' ? 'drop procedure' : 'drop function');
          break;
        }
        case 'OBJECT_TYPE':
        case 'OBJECT_DOMAIN': {
          const name = this.listName(stringList(nodeAs(object, 'TypeName')?.names), this.types);
          if (!this.types.has(qualifiedKey(name)) && ast.missing_ok) {
            this.drop({ kind: 'type', ...name }, 'drop type', false, true);
            break;
          }
          this.types.delete(qualifiedKey(name));
          this.drop({ kind: 'type', ...name }, 'drop type');
          break;
        }
        case 'OBJECT_SCHEMA':
          if (!this.schemas.has(names[0]) && ast.missing_ok) break;
          this.schemas.delete(names[0]);
          this.drop({ kind: 'schema', name: names[0] }, 'drop schema');
          break;
        case 'OBJECT_EXTENSION':
          if (!this.extensions.has(names[0]) && ast.missing_ok) break;
          this.extensions.delete(names[0]);
          this.drop({ kind: 'extension', name: names[0] }, 'drop extension');
          break;
        default:
          break;
      }
    }
  }

  /** Drops a relation with its indexes; foreign keys of other tables that reference it go too (CASCADE). */
  private dropRelation(key: string): void {
    const relation = this.relations.get(key);
    if (relation) for (const name of relation.constraints.keys()) this.countConstraint(relation.schema, name, -1);
    this.relations.delete(key);
    for (const [indexKey, index] of [...this.indexes]) if (index.table === key) this.indexes.delete(indexKey);
    for (const other of this.relations.values()) {
      for (const constraint of [...other.constraints.values()]) {
        if (constraint.refTable === key) this.dropConstraint(other, constraint.name, `drop constraint ${constraint.name}`, true);
      }
    }
  }
}

/** Every event of a history, in order. */
export function walkHistory(files: Iterable<HistoryFile>, options: HistoryWalkerOptions = {}): HistoryEvent[] {
  return new HistoryWalker(options).walk(files);
}
