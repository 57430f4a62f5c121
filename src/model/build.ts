import { forEachDumpStatement, type DumpStatement as ParsedStatement } from './parse-dump.js';
import {
  canonicalSql,
  collapseWhitespace,
  defElemValue,
  deparseNode,
  formatTypeName,
  memoized,
  normalizeNode,
  rangeVarName,
  stringList,
} from './normalize.js';
import { indexDdl, triggerDdl } from './ddl.js';
import { checkColumns, defaultName, indexColumnNames, indexKeyName } from '../sql/pg-names.js';
import type {
  BuildModelOptions,
  ColumnObject,
  ConstraintObject,
  FunctionObject,
  IndexObject,
  MaterializedViewObject,
  ReferentialAction,
  SchemaModel,
  TableObject,
  TypeObject,
  ViewObject,
} from './types.js';

/**
 * Builds the normalized model of a `pg_dump --schema-only` text (pg_dump 12-18). Statement order does not matter:
 * statements are applied in phases (create objects, attach to them, comment on them).
 * Call `await loadSqlParser()` once before (parsing is synchronous). Throws SqlSyntaxError on invalid SQL.
 */
export function buildSchemaModel(dumpText: string, file: string, options: BuildModelOptions = {}): SchemaModel {
  const builder = new ModelBuilder(file, options);
  // Phase 0 is applied while the dump is parsed (its ASTs, most of the dump, are then garbage at once); the later
  // phases wait for the whole text.
  const later: ParsedStatement[][] = [[], []];
  forEachDumpStatement(dumpText, file, (statement) => {
    const phase = phaseOf(statement);
    if (phase === 0) builder.apply(statement);
    else later[phase - 1].push(statement);
  });
  for (const phase of later) for (const statement of phase) builder.apply(statement);
  const model = builder.finish();
  const version = /^-- Dumped by pg_dump version (\d+(?:\.\d+)?)/m.exec(dumpText);
  if (version) model.pgDumpVersion = version[1];
  return model;
}

const CREATE_KINDS = new Set([
  'CreateSchemaStmt',
  'CreateExtensionStmt',
  'CreateEnumStmt',
  'CreateDomainStmt',
  'CompositeTypeStmt',
  'CreateRangeStmt',
  'CreateStmt',
  'CreateSeqStmt',
  'ViewStmt',
  'CreateTableAsStmt',
  'CreateFunctionStmt',
]);

function phaseOf(statement: ParsedStatement): number {
  if (CREATE_KINDS.has(statement.kind)) return 0;
  if (statement.kind === 'CommentStmt') return 2;
  return 1;
}

const key = (schema: string, name: string) => `${schema}.${name}`;

class ModelBuilder {
  private readonly model: SchemaModel;
  private readonly tables = new Map<string, TableObject>();
  private readonly views = new Map<string, ViewObject>();
  private readonly matviews = new Map<string, MaterializedViewObject>();
  private readonly types = new Map<string, TypeObject>();
  private readonly sequences = new Map<string, SchemaModel['sequences'][number]>();
  private readonly functions = new Map<string, FunctionObject>();

  constructor(
    file: string,
    private readonly options: BuildModelOptions,
  ) {
    this.model = {
      file,
      schemas: [],
      extensions: [],
      types: [],
      tables: [],
      sequences: [],
      views: [],
      materializedViews: [],
      functions: [],
      privileges: [],
      others: [],
    };
  }

  apply(statement: ParsedStatement): void {
    const ast = statement.ast;
    const line = statement.line;
    switch (statement.kind) {
      case 'VariableSetStmt':
      case 'AlterOwnerStmt':
        return;
      case 'SelectStmt':
        if (isSetConfig(ast)) return;
        break;
      case 'CreateSchemaStmt':
        if (ast.schemaname === 'public') return;
        this.model.schemas.push({ name: ast.schemaname, comment: null, line });
        return;
      case 'CreateExtensionStmt': {
        const schemaOption = (ast.options ?? []).find((o: any) => o.DefElem?.defname === 'schema');
        this.model.extensions.push({
          name: ast.extname,
          schema: schemaOption ? defElemValue(schemaOption.DefElem.arg) : null,
          comment: null,
          line,
        });
        return;
      }
      case 'CreateEnumStmt':
        return this.addType(ast.typeName, (schema, name) => ({
          type: 'enum',
          schema,
          name,
          labels: stringList(ast.vals),
          comment: null,
          line,
        }));
      case 'CreateDomainStmt':
        return this.addType(ast.domainname, (schema, name) => this.domain(ast, schema, name, line));
      case 'CompositeTypeStmt': {
        const { schema, name } = rangeVarName(ast.typevar);
        this.types.set(key(schema, name), {
          type: 'composite',
          schema,
          name,
          attributes: (ast.coldeflist ?? []).map((c: any) => ({
            name: c.ColumnDef.colname,
            type: formatTypeName(c.ColumnDef.typeName),
            collation: collationOf(c.ColumnDef.collClause),
          })),
          comment: null,
          line,
        });
        return;
      }
      case 'CreateRangeStmt':
        return this.addType(ast.typeName, (schema, name) => ({
          type: 'range',
          schema,
          name,
          options: rangeOptions(ast.params, name),
          comment: null,
          line,
        }));
      case 'CreateStmt':
        if (this.createTable(ast, line)) return;
        break;
      case 'CreateSeqStmt': {
        const { schema, name } = rangeVarName(ast.sequence);
        this.sequences.set(key(schema, name), { schema, name, options: sequenceOptions(ast.options), ownedBy: null, comment: null, line });
        return;
      }
      case 'AlterSeqStmt':
        if (this.alterSequence(ast)) return;
        break;
      case 'ViewStmt': {
        const { schema, name } = rangeVarName(ast.view);
        const options = relOptions(ast.options);
        if (ast.withCheckOption && ast.withCheckOption !== 'NO_CHECK_OPTION') {
          options.check_option = ast.withCheckOption === 'CASCADED_CHECK_OPTION' ? 'cascaded' : 'local';
        }
        this.views.set(key(schema, name), { schema, name, query: canonicalSql(ast.query) ?? '', options, comment: null, columnComments: {}, line });
        return;
      }
      case 'CreateTableAsStmt':
        if (ast.objtype === 'OBJECT_MATVIEW') {
          const { schema, name } = rangeVarName(ast.into?.rel);
          this.matviews.set(key(schema, name), {
            schema,
            name,
            query: canonicalSql(ast.query) ?? '',
            options: relOptions(ast.into?.options),
            comment: null,
            columnComments: {},
            indexes: [],
            line,
          });
          return;
        }
        break;
      case 'CreateFunctionStmt': {
        const fn = functionObject(ast, line);
        this.functions.set(key(fn.schema, `${fn.name}(${fn.identityArguments})`), fn);
        return;
      }
      case 'AlterTableStmt':
        this.alterTable(statement);
        return;
      case 'IndexStmt':
        if (this.addIndex(ast, line)) return;
        break;
      case 'CreateTrigStmt':
        if (this.addTrigger(ast, line)) return;
        break;
      case 'CreatePolicyStmt':
        if (this.addPolicy(ast, line)) return;
        break;
      case 'CommentStmt':
        if (this.comment(ast)) return;
        break;
      case 'GrantStmt':
      case 'GrantRoleStmt':
      case 'AlterDefaultPrivilegesStmt':
        if (this.options.includePrivileges) this.model.privileges.push({ statement: canonicalSql(statement.node) ?? statement.text, line });
        return;
    }
    this.other(statement);
  }

  finish(): SchemaModel {
    const m = this.model;
    m.types = [...this.types.values()];
    m.tables = [...this.tables.values()];
    m.sequences = [...this.sequences.values()];
    m.views = [...this.views.values()];
    m.materializedViews = [...this.matviews.values()];
    m.functions = [...this.functions.values()];
    const bySchemaName = (a: { schema: string; name: string }, b: { schema: string; name: string }) =>
      compare(a.schema, b.schema) || compare(a.name, b.name);
    const byName = (a: { name: string }, b: { name: string }) => compare(a.name, b.name);
    m.schemas.sort(byName);
    m.extensions.sort(byName);
    m.types.sort(bySchemaName);
    m.tables.sort(bySchemaName);
    for (const table of m.tables) {
      table.columns.sort(byName);
      table.constraints.sort(byName);
      table.indexes.sort(byName);
      table.triggers.sort(byName);
      table.policies.sort(byName);
    }
    m.sequences.sort(bySchemaName);
    m.views.sort(bySchemaName);
    m.materializedViews.sort(bySchemaName);
    for (const view of m.materializedViews) view.indexes.sort(byName);
    m.functions.sort((a, b) => bySchemaName(a, b) || compare(a.identityArguments, b.identityArguments));
    m.privileges.sort((a, b) => compare(a.statement, b.statement));
    m.others.sort((a, b) => compare(a.text, b.text));
    return m;
  }

  private other(statement: ParsedStatement, node: any = statement.node, name?: string): void {
    const canonical = safeCanonical(node) ?? collapseWhitespace(statement.text);
    this.model.others.push({ statementKind: statement.kind, name: name ?? otherName(statement), text: canonical, line: statement.line });
  }

  private addType(typeNameList: any[], make: (schema: string, name: string) => TypeObject): void {
    const names = stringList(typeNameList);
    const schema = names.length > 1 ? names[0] : 'public';
    const name = names[names.length - 1];
    this.types.set(key(schema, name), make(schema, name));
  }

  private domain(ast: any, schema: string, name: string, line: number): TypeObject {
    let notNull = false;
    let defaultValue: string | null = null;
    const constraints: Array<{ name: string; definition: string; notValid: boolean }> = [];
    for (const c of ast.constraints ?? []) {
      const con = c.Constraint;
      if (con.contype === 'CONSTR_NOTNULL') notNull = true;
      else if (con.contype === 'CONSTR_DEFAULT') defaultValue = canonicalSql(con.raw_expr);
      else if (con.contype === 'CONSTR_CHECK') {
        constraints.push({ name: con.conname ?? defaultName('check', name, [], (n) => constraints.some((c) => c.name === n)), definition: `CHECK (${canonicalSql(con.raw_expr)})`, notValid: Boolean(con.skip_validation) });
      }
    }
    return {
      type: 'domain',
      schema,
      name,
      baseType: formatTypeName(ast.typeName),
      notNull,
      default: defaultValue,
      collation: collationOf(ast.collClause),
      constraints: constraints.sort((a, b) => compare(a.name, b.name)),
      comment: null,
      line,
    };
  }

  private createTable(ast: any, line: number): boolean {
    if (ast.ofTypename) return false;
    const { schema, name } = rangeVarName(ast.relation);
    const inherits = (ast.inhRelations ?? []).map((r: any) => rangeVarName(r.RangeVar));
    const table: TableObject = {
      schema,
      name,
      kind: ast.partspec ? 'partitioned' : ast.partbound ? 'partition' : 'table',
      partitionBy: ast.partspec ? partitionSpec(ast.partspec) : null,
      parent: inherits.length > 0 ? inherits.map((r: any) => key(r.schema, r.name)).join(', ') : null,
      partitionBound: ast.partbound ? partitionBound(ast.partbound) : null,
      unlogged: ast.relation?.relpersistence === 'u',
      comment: null,
      rlsEnabled: false,
      rlsForced: false,
      columns: [],
      constraints: [],
      indexes: [],
      triggers: [],
      policies: [],
      line,
    };
    for (const element of ast.tableElts ?? []) {
      if (element.ColumnDef) this.addColumn(table, element.ColumnDef, line);
      else if (element.Constraint) this.addConstraint(table, element.Constraint, line);
    }
    this.tables.set(key(schema, name), table);
    return true;
  }

  private addColumn(table: TableObject, def: any, line: number): void {
    const column: ColumnObject = {
      name: def.colname,
      position: table.columns.filter((c) => c.name !== def.colname).length + 1,
      type: formatTypeName(def.typeName),
      notNull: Boolean(def.is_not_null),
      default: null,
      identity: null,
      generated: null,
      collation: collationOf(def.collClause),
      comment: null,
      line,
    };
    for (const c of def.constraints ?? []) {
      const con = c.Constraint;
      switch (con.contype) {
        case 'CONSTR_NOTNULL':
          column.notNull = true;
          break;
        case 'CONSTR_NULL':
          break;
        case 'CONSTR_DEFAULT':
          column.default = canonicalSql(con.raw_expr);
          break;
        case 'CONSTR_IDENTITY':
          column.identity = con.generated_when === 'a' ? 'always' : 'by default';
          column.notNull = true;
          break;
        case 'CONSTR_GENERATED':
          column.generated = canonicalSql(con.raw_expr);
          break;
        default:
          this.addConstraint(table, { ...con, keys: con.keys ?? [{ String: { sval: def.colname } }], fk_attrs: con.fk_attrs ?? [{ String: { sval: def.colname } }] }, line);
      }
    }
    table.columns = table.columns.filter((c) => c.name !== column.name);
    table.columns.push(column);
  }

  private addConstraint(table: TableObject, con: any, line: number): void {
    if (con.contype === 'CONSTR_NOTNULL') {
      // PG18 names NOT NULL constraints; the name is not compared, only the nullability.
      for (const columnName of stringList(con.keys)) {
        const column = table.columns.find((c) => c.name === columnName);
        if (column) column.notNull = true;
      }
      return;
    }
    const type = CONSTRAINT_TYPES[con.contype];
    if (!type) return;
    const definition = memoized(
      constraintDefinitions,
      con,
      () => stripConstraintPrefix(deparseNode({ Constraint: normalizeNode({ ...con, skip_validation: undefined, initially_valid: undefined, conname: undefined }) })),
      NOT_IN_DEFINITION,
    );
    const columns = stringList(type === 'foreign_key' ? con.fk_attrs : con.keys);
    const constraint: ConstraintObject = {
      name: con.conname ?? unnamedConstraintName(table, type, con, columns),
      type,
      columns,
      definition,
      notValid: Boolean(con.skip_validation),
      deferrable: Boolean(con.deferrable),
      initiallyDeferred: Boolean(con.initdeferred),
      references:
        type === 'foreign_key'
          ? {
              table: (() => {
                const r = rangeVarName(con.pktable);
                return key(r.schema, r.name);
              })(),
              columns: stringList(con.pk_attrs),
              match: con.fk_matchtype === 'f' ? 'full' : con.fk_matchtype === 'p' ? 'partial' : 'simple',
              onDelete: referentialAction(con.fk_del_action),
              onUpdate: referentialAction(con.fk_upd_action),
            }
          : null,
      comment: null,
      line,
    };
    table.constraints = table.constraints.filter((c) => c.name !== constraint.name);
    table.constraints.push(constraint);
  }

  private alterTable(statement: ParsedStatement): void {
    const ast = statement.ast;
    const line = statement.line;
    const cmds: any[] = (ast.cmds ?? []).map((c: any) => c.AlterTableCmd);
    if (ast.objtype === 'OBJECT_INDEX') {
      // ALTER INDEX parent ATTACH PARTITION child: implied by the partition tree.
      if (cmds.every((c) => c.subtype === 'AT_AttachPartition' || c.subtype === 'AT_ChangeOwner')) return;
    }
    const { schema, name } = rangeVarName(ast.relation);
    const table = this.tables.get(key(schema, name));
    for (const cmd of cmds) {
      if (cmd.subtype === 'AT_ChangeOwner') continue;
      if (table && this.alterTableCmd(table, cmd, line)) continue;
      const single = { AlterTableStmt: { ...ast, cmds: [{ AlterTableCmd: cmd }] } };
      this.other(statement, single, `${schema}.${name}`);
    }
  }

  private alterTableCmd(table: TableObject, cmd: any, line: number): boolean {
    const column = cmd.name ? table.columns.find((c) => c.name === cmd.name) : undefined;
    switch (cmd.subtype) {
      case 'AT_AddConstraint':
        if (!CONSTRAINT_TYPES[cmd.def?.Constraint?.contype] && cmd.def?.Constraint?.contype !== 'CONSTR_NOTNULL') return false;
        this.addConstraint(table, cmd.def.Constraint, line);
        return true;
      case 'AT_ColumnDefault':
        if (!column) return false;
        column.default = canonicalSql(cmd.def);
        return true;
      case 'AT_AddIdentity':
        if (!column) return false;
        column.identity = cmd.def?.Constraint?.generated_when === 'a' ? 'always' : 'by default';
        column.notNull = true;
        return true;
      case 'AT_SetNotNull':
        if (!column) return false;
        column.notNull = true;
        return true;
      case 'AT_AddColumn':
        this.addColumn(table, cmd.def.ColumnDef, line);
        return true;
      case 'AT_EnableRowSecurity':
        table.rlsEnabled = true;
        return true;
      case 'AT_DisableRowSecurity':
        table.rlsEnabled = false;
        return true;
      case 'AT_ForceRowSecurity':
        table.rlsForced = true;
        return true;
      case 'AT_NoForceRowSecurity':
        table.rlsForced = false;
        return true;
      case 'AT_AttachPartition': {
        const child = rangeVarName(cmd.def?.PartitionCmd?.name);
        const partition = this.tables.get(key(child.schema, child.name));
        if (!partition) return false;
        partition.kind = partition.kind === 'partitioned' ? 'partitioned' : 'partition';
        partition.parent = key(table.schema, table.name);
        partition.partitionBound = partitionBound(cmd.def.PartitionCmd.bound);
        return true;
      }
      default:
        return false;
    }
  }

  private alterSequence(ast: any): boolean {
    const { schema, name } = rangeVarName(ast.sequence);
    const sequence = this.sequences.get(key(schema, name));
    if (!sequence) return false;
    const options = [...(ast.options ?? [])];
    const ownedIndex = options.findIndex((o: any) => o.DefElem?.defname === 'owned_by');
    if (ownedIndex < 0 || options.length !== 1) return false;
    const owner = stringList(options[ownedIndex].DefElem.arg?.List?.items);
    sequence.ownedBy = owner.length === 1 && owner[0] === 'none' ? null : owner.length === 2 ? `public.${owner.join('.')}` : owner.join('.');
    return true;
  }

  private addIndex(ast: any, line: number): boolean {
    const { schema, name: relation } = rangeVarName(ast.relation);
    const owner = this.tables.get(key(schema, relation)) ?? this.matviews.get(key(schema, relation));
    if (!owner || !ast.idxname) return false;
    const index: IndexObject = {
      name: ast.idxname,
      unique: Boolean(ast.unique),
      method: (ast.accessMethod ?? 'btree').toLowerCase(),
      keys: (ast.indexParams ?? []).map((p: any) => indexKey(p.IndexElem)),
      include: (ast.indexIncludingParams ?? []).map((p: any) => p.IndexElem?.name ?? canonicalSql(p.IndexElem?.expr) ?? ''),
      predicate: canonicalSql(ast.whereClause),
      definition: '',
      comment: null,
      line,
    };
    const extra: string[] = [];
    if (ast.nulls_not_distinct) extra.push('NULLS NOT DISTINCT');
    if (ast.options?.length) extra.push(`WITH (${Object.entries(relOptions(ast.options)).map(([k, v]) => `${k}='${v}'`).join(', ')})`);
    if (ast.tableSpace) extra.push(`TABLESPACE ${ast.tableSpace}`);
    index.definition = indexDdl(index, schema, relation, extra);
    owner.indexes = owner.indexes.filter((i) => i.name !== index.name);
    owner.indexes.push(index);
    return true;
  }

  private addTrigger(ast: any, line: number): boolean {
    const { schema, name: relation } = rangeVarName(ast.relation);
    const table = this.tables.get(key(schema, relation));
    if (!table) return false;
    const timing: 'before' | 'after' | 'instead of' = ast.timing & 2 ? 'before' : ast.timing & 64 ? 'instead of' : 'after';
    const events: string[] = [];
    if (ast.events & 4) events.push('insert');
    if (ast.events & 16) {
      const columns = stringList(ast.columns);
      events.push(columns.length > 0 ? `update of ${columns.join(', ')}` : 'update');
    }
    if (ast.events & 8) events.push('delete');
    if (ast.events & 32) events.push('truncate');
    const fnNames = stringList(ast.funcname);
    const args = (ast.args ?? []).map((a: any) => `'${String(a.String?.sval ?? '').replace(/'/g, "''")}'`);
    const trigger = {
      name: ast.trigname,
      timing,
      events,
      level: ast.row ? ('row' as const) : ('statement' as const),
      function: `${fnNames.length === 1 ? `public.${fnNames[0]}` : fnNames.join('.')}(${args.join(', ')})`,
      when: canonicalSql(ast.whenClause),
      definition: '',
      comment: null,
      line,
    };
    const extras: string[] = [];
    if (ast.isconstraint) extras.push('CONSTRAINT');
    if (ast.deferrable) extras.push(ast.initdeferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE');
    if (ast.transitionRels?.length) extras.push(`REFERENCING ${canonicalSql(ast.transitionRels)}`);
    trigger.definition = triggerDdl(trigger, schema, relation, extras);
    table.triggers = table.triggers.filter((t) => t.name !== trigger.name);
    table.triggers.push(trigger);
    return true;
  }

  private addPolicy(ast: any, line: number): boolean {
    const { schema, name: relation } = rangeVarName(ast.table);
    const table = this.tables.get(key(schema, relation));
    if (!table) return false;
    const roles = (ast.roles ?? []).map((r: any) => (r.RoleSpec?.roletype === 'ROLESPEC_PUBLIC' ? 'public' : r.RoleSpec?.rolename ?? String(r.RoleSpec?.roletype).toLowerCase()));
    table.policies = table.policies.filter((p) => p.name !== ast.policy_name);
    table.policies.push({
      name: ast.policy_name,
      permissive: ast.permissive !== false,
      command: (ast.cmd_name ?? 'all').toLowerCase(),
      roles: roles.length > 0 ? roles.sort() : ['public'],
      using: canonicalSql(ast.qual),
      withCheck: canonicalSql(ast.with_check),
      comment: null,
      line,
    });
    return true;
  }

  /** Applies COMMENT ON to the object it names; false when the object is unknown (kept as an "other"). */
  private comment(ast: any): boolean {
    const text: string | null = ast.comment ?? null;
    const names = ast.object?.List ? stringList(ast.object.List.items) : [];
    const qualified = (n: string[]) => (n.length === 1 ? ['public', n[0]] : n);
    switch (ast.objtype) {
      case 'OBJECT_SCHEMA': {
        const name = ast.object?.String?.sval;
        if (name === 'public') return true;
        const schema = this.model.schemas.find((s) => s.name === name);
        if (!schema) return false;
        schema.comment = text;
        return true;
      }
      case 'OBJECT_EXTENSION': {
        const extension = this.model.extensions.find((e) => e.name === ast.object?.String?.sval);
        if (!extension) return false;
        extension.comment = text;
        return true;
      }
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_SEQUENCE': {
        const [schema, name] = qualified(names);
        const target = this.tables.get(key(schema, name)) ?? this.views.get(key(schema, name)) ?? this.matviews.get(key(schema, name)) ?? this.sequences.get(key(schema, name));
        if (!target) return false;
        target.comment = text;
        return true;
      }
      case 'OBJECT_COLUMN': {
        const [schema, relation, column] = names.length === 2 ? ['public', ...names] : names;
        const table = this.tables.get(key(schema, relation));
        const col = table?.columns.find((c) => c.name === column);
        if (col) {
          col.comment = text;
          return true;
        }
        const view = this.views.get(key(schema, relation)) ?? this.matviews.get(key(schema, relation));
        if (!view) return false;
        if (text === null) delete view.columnComments[column];
        else view.columnComments[column] = text;
        return true;
      }
      case 'OBJECT_INDEX': {
        const [schema, name] = qualified(names);
        for (const owner of [...this.tables.values(), ...this.matviews.values()]) {
          if (owner.schema !== schema) continue;
          const index = owner.indexes.find((i) => i.name === name);
          if (index) {
            index.comment = text;
            return true;
          }
        }
        return false;
      }
      case 'OBJECT_TABCONSTRAINT':
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY': {
        const [schema, relation, name] = names.length === 2 ? ['public', ...names] : names;
        const table = this.tables.get(key(schema, relation));
        if (!table) return false;
        const list: Array<{ name: string; comment: string | null }> =
          ast.objtype === 'OBJECT_TABCONSTRAINT' ? table.constraints : ast.objtype === 'OBJECT_TRIGGER' ? table.triggers : table.policies;
        const target = list.find((o) => o.name === name);
        if (!target) return false;
        target.comment = text;
        return true;
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const typeNames = stringList(ast.object?.TypeName?.names);
        const [schema, name] = qualified(typeNames);
        const type = this.types.get(key(schema, name));
        if (!type) return false;
        type.comment = text;
        return true;
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE': {
        const owa = ast.object?.ObjectWithArgs;
        const [schema, name] = qualified(stringList(owa?.objname));
        const args = (owa?.objargs ?? []).map((a: any) => formatTypeName(a.TypeName ?? a)).join(', ');
        const fn = this.functions.get(key(schema, `${name}(${args})`));
        if (!fn) return false;
        fn.comment = text;
        return true;
      }
      default:
        return false;
    }
  }
}

/** The name Postgres gives an unnamed constraint (hand-written SQL; pg_dump always writes the name). */
function unnamedConstraintName(table: TableObject, type: ConstraintObject['type'], con: any, columns: string[]): string {
  const taken = (name: string) => table.constraints.some((c) => c.name === name);
  switch (type) {
    case 'primary_key':
      return defaultName('pkey', table.name, [], taken);
    case 'unique':
      return defaultName('key', table.name, columns, taken);
    case 'foreign_key':
      return defaultName('fkey', table.name, columns, taken);
    case 'check':
      return defaultName('check', table.name, checkColumns(con.raw_expr), taken);
    case 'exclusion': {
      const keys = (con.exclusions ?? []).map((pair: any) => indexKeyName(pair?.List?.items?.[0]?.IndexElem ?? {}));
      return defaultName('excl', table.name, indexColumnNames(keys), taken);
    }
  }
}

/** A constraint's definition by its AST (names and validity left out): FKs and CHECKs repeat across two dumps. */
const constraintDefinitions = new Map<string, string>();
const NOT_IN_DEFINITION: ReadonlySet<string> = new Set(['skip_validation', 'initially_valid', 'conname']);

const CONSTRAINT_TYPES: Record<string, ConstraintObject['type']> = {
  CONSTR_PRIMARY: 'primary_key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign_key',
  CONSTR_EXCLUSION: 'exclusion',
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isSetConfig(select: any): boolean {
  const targets = select.targetList ?? [];
  return (
    targets.length === 1 &&
    !select.fromClause &&
    stringList(targets[0].ResTarget?.val?.FuncCall?.funcname).pop() === 'set_config'
  );
}

function safeCanonical(node: any): string | null {
  const text = canonicalSql(node);
  return text && !text.startsWith('/* ast */') ? text : null;
}

function otherName(statement: ParsedStatement): string {
  const ast = statement.ast ?? {};
  for (const field of ['trigname', 'extname', 'servername', 'pubname', 'subname', 'eventname', 'schemaname']) {
    if (typeof ast[field] === 'string') return ast[field];
  }
  const rel = ast.relation ?? ast.view ?? ast.sequence ?? ast.table ?? ast.into?.rel;
  if (rel?.relname) return `${rel.schemaname ?? 'public'}.${rel.relname}`;
  for (const field of ['defnames', 'funcname', 'typeName', 'domainname', 'conversion_name', 'collname']) {
    const names = stringList(Array.isArray(ast[field]) ? ast[field] : ast[field]?.names);
    if (names.length > 0) return names.length === 1 ? `public.${names[0]}` : names.join('.');
  }
  if (typeof ast.name === 'string') return ast.name;
  return statement.kind;
}

function collationOf(collClause: any): string | null {
  const names = stringList(collClause?.CollateClause?.collname ?? collClause?.collname);
  if (names.length === 0) return null;
  const printed = names.length === 2 && names[0] === 'pg_catalog' ? [names[1]] : names;
  return printed.map((n) => `"${n}"`).join('.');
}

function referentialAction(code: string | undefined): ReferentialAction {
  switch (code) {
    case 'r':
      return 'restrict';
    case 'c':
      return 'cascade';
    case 'n':
      return 'set null';
    case 'd':
      return 'set default';
    default:
      return 'no action';
  }
}

function stripConstraintPrefix(text: string): string {
  return text.replace(/^CONSTRAINT\s+("(?:[^"]|"")*"|\S+)\s+/, '');
}

function relOptions(options: any[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of options ?? []) {
    const d = o.DefElem;
    if (!d) continue;
    const name = d.defnamespace ? `${d.defnamespace}.${d.defname}` : d.defname;
    let value = defElemValue(d.arg);
    if (/^(on|yes|1)$/i.test(value)) value = 'true';
    if (/^(off|no|0)$/i.test(value)) value = 'false';
    out[name] = value;
  }
  return out;
}

function rangeOptions(params: any[] | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params ?? []) {
    const d = p.DefElem;
    if (!d) continue;
    out[d.defname.toLowerCase()] = defElemValue(d.arg);
  }
  // PG14+ print the multirange name even when it is the default one; PG12-13 have no multiranges.
  const defaultMultirange = name.includes('range') ? name.replace('range', 'multirange') : `${name}_multirange`;
  const multirange = out.multirange_type_name?.split('.').pop();
  if (multirange === defaultMultirange) delete out.multirange_type_name;
  return out;
}

function sequenceOptions(options: any[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of options ?? []) {
    const d = o.DefElem;
    if (!d) continue;
    if (d.arg === undefined && (d.defname === 'minvalue' || d.defname === 'maxvalue')) continue; // NO MINVALUE
    out[d.defname] = d.defname === 'cycle' ? String(d.arg?.Boolean?.boolval ?? true) : defElemValue(d.arg);
  }
  if (out.as === 'bigint') delete out.as;
  out.increment ??= '1';
  out.cache ??= '1';
  if (out.cycle === 'false') delete out.cycle;
  return out;
}

function partitionSpec(spec: any): string {
  const strategy = String(spec.strategy ?? '').replace('PARTITION_STRATEGY_', '');
  const params = (spec.partParams ?? []).map((p: any) => {
    const e = p.PartitionElem;
    let text = e.name ? e.name : `(${canonicalSql(e.expr)})`;
    const collation = collationOf(e.collation ? { collname: e.collation } : undefined);
    if (collation) text += ` COLLATE ${collation}`;
    const opclass = stringList(e.opclass);
    if (opclass.length) text += ` ${opclass.join('.')}`;
    return text;
  });
  return `${strategy} (${params.join(', ')})`;
}

function partitionBound(bound: any): string {
  if (!bound) return '';
  if (bound.is_default) return 'DEFAULT';
  const list = (items: any[] | undefined) => (items ?? []).map((d: any) => canonicalSql(d)).join(', ');
  if (bound.strategy === 'h') return `FOR VALUES WITH (modulus ${bound.modulus}, remainder ${bound.remainder ?? 0})`;
  if (bound.strategy === 'l') return `FOR VALUES IN (${list(bound.listdatums)})`;
  return `FOR VALUES FROM (${list(bound.lowerdatums)}) TO (${list(bound.upperdatums)})`;
}

function indexKey(elem: any): IndexObject['keys'][number] {
  const opclass = stringList(elem.opclass);
  return {
    column: elem.name ?? null,
    expression: elem.expr ? canonicalSql(elem.expr) : null,
    opclass: opclass.length ? (opclass[0] === 'pg_catalog' ? opclass.slice(1) : opclass).join('.') : null,
    collation: collationOf(elem.collation ? { collname: elem.collation } : undefined),
    ordering: elem.ordering === 'SORTBY_DESC' ? 'DESC' : elem.ordering === 'SORTBY_ASC' ? 'ASC' : null,
    nulls: elem.nulls_ordering === 'SORTBY_NULLS_FIRST' ? 'NULLS FIRST' : elem.nulls_ordering === 'SORTBY_NULLS_LAST' ? 'NULLS LAST' : null,
  };
}

function functionObject(ast: any, line: number): FunctionObject {
  const names = stringList(ast.funcname);
  const schema = names.length > 1 ? names[0] : 'public';
  const name = names[names.length - 1];
  const params: any[] = (ast.parameters ?? []).map((p: any) => p.FunctionParameter);
  const identity = params
    .filter((p) => p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p) => (p.mode === 'FUNC_PARAM_VARIADIC' ? 'VARIADIC ' : '') + formatTypeName(p.argType));
  const argument = (p: any) => {
    const mode = { FUNC_PARAM_OUT: 'OUT ', FUNC_PARAM_INOUT: 'INOUT ', FUNC_PARAM_VARIADIC: 'VARIADIC ', FUNC_PARAM_IN: 'IN ' }[p.mode as string] ?? '';
    const def = p.defexpr ? ` DEFAULT ${canonicalSql(p.defexpr)}` : '';
    return `${mode}${p.name ? `${p.name} ` : ''}${formatTypeName(p.argType)}${def}`;
  };
  const tableColumns = params.filter((p) => p.mode === 'FUNC_PARAM_TABLE');
  let returns: string | null = ast.returnType ? formatTypeName(ast.returnType) : null;
  if (tableColumns.length > 0) returns = `TABLE(${tableColumns.map((p) => `${p.name} ${formatTypeName(p.argType)}`).join(', ')})`;
  const fn: FunctionObject = {
    schema,
    name,
    kind: ast.is_procedure ? 'procedure' : 'function',
    identityArguments: identity.join(', '),
    arguments: params.filter((p) => p.mode !== 'FUNC_PARAM_TABLE').map(argument).join(', '),
    returns: ast.is_procedure ? null : returns,
    language: 'sql',
    volatility: 'volatile',
    securityDefiner: false,
    strict: false,
    options: {},
    body: '',
    comment: null,
    line,
  };
  for (const o of ast.options ?? []) {
    const d = o.DefElem;
    switch (d.defname) {
      case 'as': {
        const parts = stringList(d.arg?.List?.items);
        fn.body = parts.length === 1 ? parts[0].trim() : parts.join(', ');
        break;
      }
      case 'language':
        fn.language = defElemValue(d.arg).toLowerCase();
        break;
      case 'volatility':
        fn.volatility = defElemValue(d.arg) as FunctionObject['volatility'];
        break;
      case 'security':
        fn.securityDefiner = Boolean(d.arg?.Boolean?.boolval);
        break;
      case 'strict':
        fn.strict = Boolean(d.arg?.Boolean?.boolval);
        break;
      case 'set':
        fn.options[`set ${d.arg?.VariableSetStmt?.name}`] = canonicalSql(d.arg) ?? '';
        break;
      default:
        fn.options[d.defname] = defElemValue(d.arg);
    }
  }
  if (ast.sql_body) fn.body = canonicalSql({ CreateFunctionStmt: { funcname: [{ String: { sval: 'f' } }], sql_body: ast.sql_body } })?.replace(/^.*?(BEGIN ATOMIC|RETURN)/s, '$1') ?? '';
  if (fn.options.parallel === 'unsafe') delete fn.options.parallel;
  if (fn.options.leakproof === 'false') delete fn.options.leakproof;
  if (fn.options.cost && ((fn.language === 'c' || fn.language === 'internal') ? fn.options.cost === '1' : fn.options.cost === '100')) delete fn.options.cost;
  if (fn.options.rows === '1000') delete fn.options.rows;
  return fn;
}
