import { parseSql, type ParsedSql, type ParsedStatement } from '../sql/parse.js';
import { formatTypeName, stringList } from '../model/normalize.js';
import type { DriftItem } from './types.js';

export interface MigrationLocation {
  file: string;
  line: number;
  column: number;
}

/** For every object name (as drift items name them), the last migration statement that created or altered it. */
export interface ObjectHistory {
  touched: Map<string, MigrationLocation>;
  /**
   * Per object, the last statement that set each aspect (`type`, `default`, `notNull`, `identity`, `generated`,
   * `comment`; `*` = created or redefined whole), so a changed attribute is traced to the statement that set it.
   */
  aspects: Map<string, Map<string, MigrationLocation & { order: number }>>;
  /** files skipped because they do not parse */
  skipped: string[];
}

/**
 * Parses migration files in replay order and records which objects each statement creates or alters.
 * Unqualified names resolve to `public`. Call `await loadSqlParser()` first. A file that fails to parse is skipped.
 */
export function buildObjectHistory(files: Array<{ file: string; text: string }>): ObjectHistory {
  const history: ObjectHistory = { touched: new Map(), aspects: new Map(), skipped: [] };
  const recorder = new HistoryRecorder(history);
  for (const { file, text } of files) {
    let parsed: ParsedSql;
    try {
      parsed = parseSql(text, file);
    } catch {
      history.skipped.push(file);
      continue;
    }
    for (const statement of parsed.statements) {
      const at = { file, line: statement.line, column: statement.column };
      // An AST node's own location (a column or constraint definition) is more precise than its statement's.
      const locate = (byteLocation: unknown): MigrationLocation =>
        typeof byteLocation === 'number' && byteLocation >= statement.byteStart && byteLocation < statement.byteEnd
          ? { file, ...parsed.source.positionOfByte(byteLocation) }
          : at;
      try {
        recorder.record(statement, at, locate);
      } catch {
        // an AST shape this recorder does not know: the statement touches nothing it can name
      }
    }
  }
  return history;
}

/** Fills `source.migration` of each item with the last statement that touched it (or, failing that, its table). */
export function attribute(items: DriftItem[], history: ObjectHistory): DriftItem[] {
  return items.map((item) => {
    const location = lookupAspect(item, history) ?? lookup(item.name, history);
    if (!location) return item;
    return { ...item, source: { ...item.source, migration: { ...location } } };
  });
}

/** For a changed attribute (or a comment), the last statement that set exactly that aspect of the object. */
function lookupAspect(item: DriftItem, history: ObjectHistory): MigrationLocation | undefined {
  const aspects = history.aspects.get(item.name);
  if (!aspects) return undefined;
  const wanted =
    item.kind === 'comment'
      ? ['comment']
      : item.change === 'changed'
        ? item.details.flatMap((d) => (typeof d === 'object' && d !== null && 'field' in d ? [d.field] : []))
        : [];
  let best: (MigrationLocation & { order: number }) | undefined;
  for (const aspect of wanted) {
    const found = aspects.get(aspect) ?? aspects.get('*');
    if (found && (!best || found.order > best.order)) best = found;
  }
  return best && { file: best.file, line: best.line, column: best.column };
}

function lookup(name: string, history: ObjectHistory): MigrationLocation | undefined {
  const direct = history.touched.get(name);
  if (direct) return direct;
  const withoutArgs = name.replace(/\(.*\)$/, '');
  if (withoutArgs !== name) return history.touched.get(withoutArgs);
  const parts = splitName(name);
  for (let n = parts.length - 1; n >= 2; n--) {
    const parent = history.touched.get(parts.slice(0, n).join('.'));
    if (parent) return parent;
  }
  return undefined;
}

/** Splits `public.users.email` into parts (names never contain dots in practice; quoted names keep theirs). */
function splitName(name: string): string[] {
  return name.split('.');
}

/** Which compared column attribute each ALTER TABLE ... ALTER COLUMN form sets (the diff's field names). */
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
  AT_DropColumn: '*',
};

class HistoryRecorder {
  /** index name (schema.index) -> owner (schema.table), to name `DROP INDEX` / `COMMENT ON INDEX` targets */
  private readonly indexOwners = new Map<string, string>();

  constructor(private readonly history: ObjectHistory) {}

  private order = 0;
  private locate: (byteLocation: unknown) => MigrationLocation = () => {
    throw new Error('record() sets the locator');
  };

  private touch(name: string, at: MigrationLocation, aspect = '*'): void {
    this.history.touched.set(name, at);
    let aspects = this.history.aspects.get(name);
    if (!aspects || aspect === '*') {
      // created or redefined whole: earlier aspect history no longer explains the object
      aspects = new Map();
      this.history.aspects.set(name, aspects);
    }
    aspects.set(aspect, { ...at, order: this.order++ });
  }

  /** Moves every recorded name under `from` (itself and `from.*`) to `to`. */
  private rename(from: string, to: string, at: MigrationLocation): void {
    for (const [name, location] of [...this.history.touched]) {
      if (name === from || name.startsWith(`${from}.`)) {
        const renamed = to + name.slice(from.length);
        this.history.touched.delete(name);
        this.history.touched.set(renamed, location);
        const aspects = this.history.aspects.get(name);
        this.history.aspects.delete(name);
        if (aspects) this.history.aspects.set(renamed, aspects);
      }
    }
    this.touch(to, at);
  }

  record(statement: ParsedStatement, at: MigrationLocation, locate: (byteLocation: unknown) => MigrationLocation): void {
    this.locate = locate;
    const ast = statement.ast;
    switch (statement.kind) {
      case 'CreateSchemaStmt':
        this.touch(ast.schemaname, at);
        return;
      case 'CreateExtensionStmt':
        this.touch(ast.extname, at);
        return;
      case 'CreateStmt':
        return this.createTable(ast, at);
      case 'AlterTableStmt':
        return this.alterTable(ast, at);
      case 'IndexStmt': {
        const table = relName(ast.relation);
        const name = ast.idxname ?? defaultIndexName(ast);
        this.indexOwners.set(`${schemaOf(table)}.${name}`, table);
        this.touch(`${table}.${name}`, at);
        return;
      }
      case 'CreateTrigStmt':
        this.touch(`${relName(ast.relation)}.${ast.trigname}`, at);
        return;
      case 'CreatePolicyStmt':
      case 'AlterPolicyStmt':
        this.touch(`${relName(ast.table)}.${ast.policy_name}`, at);
        return;
      case 'ViewStmt':
        this.touch(relName(ast.view), at);
        return;
      case 'CreateTableAsStmt':
        this.touch(relName(ast.into?.rel), at);
        return;
      case 'CreateSeqStmt':
        this.touch(relName(ast.sequence), at);
        return;
      case 'AlterSeqStmt':
        this.touch(relName(ast.sequence), at);
        return;
      case 'CreateFunctionStmt': {
        const name = qualify(stringList(ast.funcname));
        const args = (ast.parameters ?? [])
          .map((p: any) => p.FunctionParameter)
          .filter((p: any) => p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
          .map((p: any) => formatTypeName(p.argType));
        this.touch(name, at);
        this.touch(`${name}(${args.join(', ')})`, at);
        return;
      }
      case 'AlterFunctionStmt':
        return this.touchFunction(ast.func, at);
      case 'CreateEnumStmt':
      case 'CreateRangeStmt':
        this.touch(qualify(stringList(ast.typeName)), at);
        return;
      case 'AlterEnumStmt':
        this.touch(qualify(stringList(ast.typeName)), at);
        return;
      case 'CreateDomainStmt':
        this.touch(qualify(stringList(ast.domainname)), at);
        return;
      case 'AlterDomainStmt':
        this.touch(qualify(stringList(ast.typeName)), at);
        return;
      case 'CompositeTypeStmt':
        this.touch(relName(ast.typevar), at);
        return;
      case 'CommentStmt':
        return this.comment(ast, at);
      case 'RenameStmt':
        return this.renameStmt(ast, at);
      case 'DropStmt':
        return this.drop(ast, at);
    }
  }

  private createTable(ast: any, at: MigrationLocation): void {
    const table = relName(ast.relation);
    this.touch(table, at);
    const tableName = ast.relation?.relname ?? '';
    for (const element of ast.tableElts ?? []) {
      if (element.ColumnDef) {
        const column = element.ColumnDef;
        this.touch(`${table}.${column.colname}`, this.locate(column.location));
        const typeName = stringList(column.typeName?.names).pop() ?? '';
        if (/^(small|big)?serial[248]?$/.test(typeName)) this.touch(`${schemaOf(table)}.${tableName}_${column.colname}_seq`, this.locate(column.location));
        for (const c of column.constraints ?? []) {
          const name = constraintName(c.Constraint, tableName, [column.colname]);
          if (name) this.constraint(table, name, c.Constraint, this.locate(c.Constraint?.location));
        }
      } else if (element.Constraint) {
        const con = element.Constraint;
        const name = constraintName(con, tableName, stringList(con.contype === 'CONSTR_FOREIGN' ? con.fk_attrs : con.keys));
        if (name) this.constraint(table, name, con, this.locate(con.location));
      }
    }
  }

  private constraint(table: string, name: string, con: any, at: MigrationLocation): void {
    this.touch(`${table}.${name}`, at);
    if (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE' || con.contype === 'CONSTR_EXCLUSION') {
      this.indexOwners.set(`${schemaOf(table)}.${name}`, table);
    }
  }

  private alterTable(ast: any, at: MigrationLocation): void {
    const table = relName(ast.relation);
    const tableName = ast.relation?.relname ?? '';
    for (const c of ast.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const column = cmd.def?.ColumnDef;
          this.touch(`${table}.${column?.colname}`, this.locate(column?.location));
          for (const con of column?.constraints ?? []) {
            const name = constraintName(con.Constraint, tableName, [column.colname]);
            if (name) this.constraint(table, name, con.Constraint, this.locate(con.Constraint?.location));
          }
          break;
        }
        case 'AT_DropColumn':
        case 'AT_AlterColumnType':
        case 'AT_ColumnDefault':
        case 'AT_SetNotNull':
        case 'AT_DropNotNull':
        case 'AT_AddIdentity':
        case 'AT_SetIdentity':
        case 'AT_DropIdentity':
        case 'AT_SetExpression':
        case 'AT_DropExpression':
        case 'AT_SetStatistics':
        case 'AT_SetStorage':
        case 'AT_SetCompression':
          // ALTER TYPE ... ADD/ALTER ATTRIBUTE names the type's attribute: the type itself changed.
          this.touch(ast.objtype === 'OBJECT_TYPE' ? table : `${table}.${cmd.name}`, at, ast.objtype === 'OBJECT_TYPE' ? '*' : (COLUMN_ASPECTS[cmd.subtype] ?? 'other'));
          break;
        case 'AT_AddConstraint': {
          const con = cmd.def?.Constraint;
          const name = constraintName(con, tableName, stringList(con?.contype === 'CONSTR_FOREIGN' ? con?.fk_attrs : con?.keys));
          if (name) this.constraint(table, name, con, this.locate(con?.location));
          break;
        }
        case 'AT_AlterConstraint':
          this.touch(`${table}.${cmd.def?.ATAlterConstraint?.conname ?? cmd.def?.Constraint?.conname ?? cmd.name}`, at);
          break;
        case 'AT_DropConstraint':
        case 'AT_ValidateConstraint':
          this.touch(`${table}.${cmd.name}`, at);
          break;
        default:
          this.touch(table, at);
      }
    }
  }

  private touchFunction(owa: any, at: MigrationLocation): void {
    const name = qualify(stringList(owa?.objname));
    this.touch(name, at);
    if (owa?.objargs) this.touch(`${name}(${owa.objargs.map((a: any) => formatTypeName(a.TypeName ?? a)).join(', ')})`, at);
  }

  private comment(ast: any, at: MigrationLocation): void {
    const names = ast.object?.List ? stringList(ast.object.List.items) : [];
    switch (ast.objtype) {
      case 'OBJECT_SCHEMA':
      case 'OBJECT_EXTENSION':
        this.touch(ast.object?.String?.sval, at, 'comment');
        return;
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_SEQUENCE':
        this.touch(qualify(names), at, 'comment');
        return;
      case 'OBJECT_INDEX': {
        const index = qualify(names);
        const owner = this.indexOwners.get(index);
        this.touch(owner ? `${owner}.${names[names.length - 1]}` : index, at, 'comment');
        return;
      }
      case 'OBJECT_COLUMN':
      case 'OBJECT_TABCONSTRAINT':
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY':
        this.touch((names.length === 2 ? ['public', ...names] : names).join('.'), at, 'comment');
        return;
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN':
        this.touch(qualify(stringList(ast.object?.TypeName?.names)), at, 'comment');
        return;
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
        this.touchFunction(ast.object?.ObjectWithArgs, at);
        return;
    }
  }

  private renameStmt(ast: any, at: MigrationLocation): void {
    const newName: string = ast.newname;
    switch (ast.renameType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_SEQUENCE': {
        const from = relName(ast.relation);
        this.rename(from, `${schemaOf(from)}.${newName}`, at);
        return;
      }
      case 'OBJECT_COLUMN':
      case 'OBJECT_TABCONSTRAINT': {
        const table = relName(ast.relation);
        this.rename(`${table}.${ast.subname}`, `${table}.${newName}`, at);
        return;
      }
      case 'OBJECT_INDEX': {
        const index = relName(ast.relation);
        const owner = this.indexOwners.get(index);
        if (owner) {
          this.indexOwners.set(`${schemaOf(index)}.${newName}`, owner);
          this.rename(`${owner}.${ast.relation.relname}`, `${owner}.${newName}`, at);
        }
        return;
      }
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY': {
        const table = relName(ast.relation);
        this.rename(`${table}.${ast.subname}`, `${table}.${newName}`, at);
        return;
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const from = qualify(stringList(ast.object?.List?.items));
        this.rename(from, `${schemaOf(from)}.${newName}`, at);
        return;
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE': {
        const from = qualify(stringList(ast.object?.ObjectWithArgs?.objname));
        this.rename(from, `${schemaOf(from)}.${newName}`, at);
        return;
      }
      case 'OBJECT_SCHEMA':
        this.rename(ast.subname, newName, at);
        return;
    }
  }

  private drop(ast: any, at: MigrationLocation): void {
    for (const object of ast.objects ?? []) {
      switch (ast.removeType) {
        case 'OBJECT_INDEX': {
          const names = stringList(object.List?.items);
          const index = qualify(names);
          const owner = this.indexOwners.get(index);
          this.touch(owner ? `${owner}.${names[names.length - 1]}` : index, at);
          break;
        }
        case 'OBJECT_TRIGGER':
        case 'OBJECT_POLICY': {
          const names = stringList(object.List?.items);
          this.touch((names.length === 2 ? ['public', ...names] : names).join('.'), at);
          break;
        }
        case 'OBJECT_FUNCTION':
        case 'OBJECT_PROCEDURE':
          this.touchFunction(object.ObjectWithArgs, at);
          break;
        case 'OBJECT_TYPE':
        case 'OBJECT_DOMAIN':
          this.touch(qualify(stringList(object.TypeName?.names)), at);
          break;
        case 'OBJECT_SCHEMA':
        case 'OBJECT_EXTENSION':
          this.touch(object.String?.sval, at);
          break;
        default:
          if (object.List) this.touch(qualify(stringList(object.List.items)), at);
      }
    }
  }
}

function qualify(names: string[]): string {
  return names.length === 1 ? `public.${names[0]}` : names.slice(-2).join('.');
}

function relName(rangeVar: any): string {
  return `${rangeVar?.schemaname ?? 'public'}.${rangeVar?.relname ?? ''}`;
}

function schemaOf(qualified: string): string {
  return qualified.split('.')[0];
}

/** The constraint's name, or the one Postgres would choose for an unnamed constraint (close enough to match). */
function constraintName(con: any, table: string, columns: string[]): string | undefined {
  if (!con) return undefined;
  if (con.conname) return con.conname;
  switch (con.contype) {
    case 'CONSTR_PRIMARY':
      return `${table}_pkey`;
    case 'CONSTR_UNIQUE':
      return `${table}_${columns.join('_')}_key`;
    case 'CONSTR_FOREIGN':
      return `${table}_${columns.join('_')}_fkey`;
    case 'CONSTR_CHECK':
      return columns.length > 0 ? `${table}_${columns[0]}_check` : `${table}_check`;
    case 'CONSTR_EXCLUSION':
      return `${table}_excl`;
    default:
      return undefined;
  }
}

function defaultIndexName(ast: any): string {
  const columns = (ast.indexParams ?? []).map((p: any) => p.IndexElem?.name ?? 'expr');
  return `${ast.relation?.relname}_${columns.join('_')}_idx`;
}
