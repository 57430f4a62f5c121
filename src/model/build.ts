import { PUBLIC_SCHEMA_COMMENT } from './comments.js';
import type {
  AlterSeqStmt,
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  CommentStmt,
  Constraint,
  CreateDomainStmt,
  CreateFunctionStmt,
  CreatePolicyStmt,
  CreateStmt,
  CreateTrigStmt,
  FuncCall,
  FunctionParameter,
  IndexElem,
  IndexStmt,
  Node,
  RangeVar,
  PartitionBoundSpec,
  PartitionSpec,
  SelectStmt,
  TypeName,
  VariableSetStmt,
} from '@pgsql/types';
import { CleanDrops } from './clean-drops.js';
import { forEachDumpStatement, type DumpStatement as ParsedStatement } from './parse-dump.js';
import { canonicalSql, collapseWhitespace, defElemValue, deparseNode, formatTypeName, memoized, nodeKey, normalizeNode, qualifiedName, quoteIdent } from './normalize.js';
import { parseSync } from 'libpg-query';
import { nodeAs, nodesAs, qualifiedKey, qualifiedNames, qualifiedRelation, relationKey, SearchPath, stringList, unwrapNode, withUnqualifiedRelationsAs, type QualifiedName } from '../sql/ast.js';
import { indexDdl, triggerDdl } from './ddl.js';
import { parseExpression, parseQuery, setsColumnExpressions, writtenColumnExpressions, writtenDomainDefault, writtenViewQuery } from './written-expressions.js';
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
  // A later statement keeps the search_path it was written under (an old pg_dump's unqualified names depend on it).
  const later: Array<Array<{ statement: ParsedStatement; dumpSchema: string }>> = [[], []];
  const cleanDrops = new CleanDrops();
  forEachDumpStatement(dumpText, file, (statement) => {
    cleanDrops.see(statement, builder.currentDumpSchema);
    const phase = phaseOf(statement);
    if (phase === 0) builder.apply(statement);
    else later[phase - 1].push({ statement, dumpSchema: builder.currentDumpSchema });
  });
  for (const phase of later) {
    for (const { statement, dumpSchema } of phase) if (!cleanDrops.dropsNothing(statement)) builder.apply(statement, dumpSchema);
  }
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
  // SET search_path is applied in order: it decides the schema of the unqualified names that follow it
  if (CREATE_KINDS.has(statement.kind) || statement.kind === 'VariableSetStmt') return 0;
  // after every index, whatever the order of the text: ALTER INDEX parent ATTACH PARTITION child marks the child
  if (statement.kind === 'CommentStmt' || (statement.kind === 'AlterTableStmt' && statement.ast.objtype === 'OBJECT_INDEX')) return 2;
  return 1;
}

const key = (schema: string, name: string) => `${schema}.${name}`;

/** An expression as the dump's text writes it, and the canonical form that text parses to. */
interface WrittenForm {
  text: string;
  canonical: string;
}

class ModelBuilder {
  private readonly model: SchemaModel;
  private readonly tables = new Map<string, TableObject>();
  /** each INHERITS child's parents, as table keys (the model's `parent` is their display text) */
  private readonly inheritsFrom = new Map<string, string[]>();
  /** `schema.table.column` whose NOT NULL is NO INHERIT (Postgres 18): children do not get it */
  private readonly notInheritedNotNull = new Set<string>();
  private readonly views = new Map<string, ViewObject>();
  private readonly matviews = new Map<string, MaterializedViewObject>();
  private readonly types = new Map<string, TypeObject>();
  private readonly sequences = new Map<string, SchemaModel['sequences'][number]>();
  private readonly functions = new Map<string, FunctionObject>();
  /**
   * The schema an unqualified name of the statements that follow is in: pg_dump before 10.3 printed names unqualified
   * under `SET search_path = app, pg_catalog;` (one per schema section), later ones qualify every name.
   */
  private dumpSchema = 'public';
  /**
   * `SET default_table_access_method = x;` in force: pg_dump (12+) names a table's or materialized view's access
   * method that way, once before the first object of each method, rather than with `USING` (pg_backup_archiver.c
   * _selectTableAccessMethod); null for heap, the default. Without it, `ALTER TABLE ... SET ACCESS METHOD` was no drift.
   */
  private tableAccessMethod: string | null = null;
  /**
   * With `writtenExpressions`: each column's last written default / generated expression and its canonical form,
   * kept by finish() when that is still the column's expression.
   */
  private readonly written = new Map<ColumnObject, { default?: WrittenForm; generated?: WrittenForm }>();

  /** A relation as the dump names it: an unqualified one is in dumpSchema. */
  private relation(relation: RangeVar | undefined): QualifiedName {
    return this.dumpSchema === 'public' ? qualifiedRelation(relation) : new SearchPath([this.dumpSchema]).relation(relation);
  }

  /** A dotted name list (function, type, operator class...) as the dump names it: an unqualified one is in dumpSchema. */
  private names(names: readonly string[]): QualifiedName {
    return this.dumpSchema === 'public' ? qualifiedNames(names) : new SearchPath([this.dumpSchema]).list(names);
  }

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
      leftOut: { privileges: [], owners: [], rows: [] },
    };
  }

  /** The schema of unqualified names at this point of the dump. */
  get currentDumpSchema(): string {
    return this.dumpSchema;
  }

  /** Applies a statement; `dumpSchema`, for one applied after later statements, is the search_path it was written under. */
  apply(statement: ParsedStatement, dumpSchema?: string): void {
    if (dumpSchema !== undefined) this.dumpSchema = dumpSchema;
    if (statement.text.includes('nextval(')) statement = withQualifiedSequences(statement, this.dumpSchema);
    // relationKey, read by helpers of every kind of statement, follows the dump's search_path too
    if (this.dumpSchema === 'public') this.applyStatement(statement);
    else withUnqualifiedRelationsAs((relation) => this.relation(relation), () => this.applyStatement(statement));
  }

  private applyStatement(statement: ParsedStatement): void {
    // destructured from the union, `kind` still narrows `ast`
    const { kind, ast } = statement;
    const line = statement.line;
    switch (kind) {
      case 'VariableSetStmt':
        if (ast.name === 'search_path') this.dumpSchema = firstSchemaSet(ast);
        else if (ast.name === 'default_table_access_method') this.tableAccessMethod = accessMethodSet(ast);
        return;
      case 'AlterOwnerStmt':
        this.model.leftOut.owners.push(collapseWhitespace(statement.text));
        return;
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'MergeStmt':
        // rows, not schema (SchemaModel.leftOut.rows): compared, they made every Rails structure.sql differ from
        // its own pg_dump --schema-only by its `INSERT INTO "schema_migrations"` whenever the reload could not run
        this.model.leftOut.rows.push(collapseWhitespace(statement.text));
        return;
      case 'SelectStmt':
        if (isSetConfig(ast)) {
          if (clearsSearchPath(ast)) this.model.pgDumpPreamble = true;
          return;
        }
        break;
      case 'CreateSchemaStmt':
        if (ast.if_not_exists) this.model.supabaseDbDump = true;
        if (ast.schemaname === 'public') return;
        this.model.schemas.push({ name: ast.schemaname ?? '', comment: null, line });
        return;
      case 'CreateExtensionStmt': {
        const schemaOption = nodesAs(ast.options, 'DefElem').find((option) => option.defname === 'schema');
        this.model.extensions.push({
          name: ast.extname ?? '',
          schema: schemaOption ? defElemValue(schemaOption.arg) : null,
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
        return this.addType(ast.domainname, (schema, name) => this.withWrittenDefault(this.domain(ast, schema, name, line), statement));
      case 'CompositeTypeStmt': {
        const { schema, name } = this.relation(ast.typevar);
        this.types.set(key(schema, name), {
          type: 'composite',
          schema,
          name,
          attributes: nodesAs(ast.coldeflist, 'ColumnDef').map((column) => ({
            name: column.colname ?? '',
            type: this.typeOf(column.typeName),
            collation: collationOf(column.collClause?.collname),
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
        if (ast.if_not_exists) this.model.supabaseDbDump = true;
        if (this.createTable(ast, line)) {
          this.noteWrittenExpressions(statement, ast.relation);
          return;
        }
        break;
      case 'CreateSeqStmt': {
        const { schema, name } = this.relation(ast.sequence);
        const unlogged = ast.sequence?.relpersistence === 'u';
        this.sequences.set(key(schema, name), { schema, name, unlogged, options: sequenceOptions(ast.options), ownedBy: null, comment: null, line });
        return;
      }
      case 'AlterSeqStmt':
        if (this.alterSequence(ast)) return;
        break;
      case 'ViewStmt': {
        const { schema, name } = this.relation(ast.view);
        const options = relOptions(ast.options);
        if (ast.withCheckOption && ast.withCheckOption !== 'NO_CHECK_OPTION') {
          options.check_option = ast.withCheckOption === 'CASCADED_CHECK_OPTION' ? 'cascaded' : 'local';
        }
        this.views.set(key(schema, name), this.withWrittenQuery({ schema, name, query: canonicalSql(ast.query) ?? '', options, comment: null, columnComments: {}, line }, statement));
        return;
      }
      case 'CreateTableAsStmt':
        if (ast.objtype === 'OBJECT_MATVIEW') {
          const { schema, name } = this.relation(ast.into?.rel);
          this.matviews.set(key(schema, name), this.withWrittenQuery({
            schema,
            name,
            query: canonicalSql(ast.query) ?? '',
            options: relOptions(ast.into?.options),
            comment: null,
            columnComments: {},
            indexes: [],
            accessMethod: accessMethodName(ast.into?.accessMethod ?? this.tableAccessMethod),
            line,
          }, statement));
          return;
        }
        break;
      case 'CreateFunctionStmt': {
        const fn = functionObject(ast, line, this.names(stringList(ast.funcname)));
        this.functions.set(key(fn.schema, `${fn.name}(${fn.identityArguments})`), fn);
        return;
      }
      case 'AlterTableStmt':
        this.alterTable(statement, ast);
        this.noteWrittenExpressions(statement, ast.relation);
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
        if (this.comment(ast, statement)) return;
        break;
      case 'AlterPublicationStmt': {
        // pg_dump writes one table per ALTER PUBLICATION ... ADD TABLE: named after the table, so it folds under
        // it and an ignore pattern for the publication (a platform's, e.g. supabase_realtime) leaves it compared
        const tables = nodesAs(ast.pubobjects, 'PublicationObjSpec').filter((spec) => spec.pubobjtype === 'PUBLICATIONOBJ_TABLE' && spec.pubtable?.relation);
        const only = tables.length === 1 && ast.pubobjects?.length === 1 ? tables[0].pubtable!.relation! : undefined;
        if (only) return this.other(statement, statement.node, relationKey({ relname: only.relname ?? '', schemaname: only.schemaname }));
        break;
      }
      case 'GrantStmt':
      case 'GrantRoleStmt':
      case 'AlterDefaultPrivilegesStmt':
        if (this.options.includePrivileges) this.model.privileges.push({ statement: safeCanonical(statement.node) ?? collapseWhitespace(statement.text), line });
        else this.model.leftOut.privileges.push(collapseWhitespace(statement.text));
        return;
    }
    this.other(statement);
  }

  finish(): SchemaModel {
    const m = this.model;
    for (const [column, written] of this.written) {
      if (written.default && column.default !== null && written.default.canonical === column.default) column.defaultText = written.default.text;
      if (written.generated && column.generated !== null && written.generated.canonical === column.generated) column.generatedText = written.generated.text;
    }
    m.types = [...this.types.values()];
    m.tables = [...this.tables.values()];
    inheritNotNull(this.tables, this.inheritsFrom, this.notInheritedNotNull);
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

  /**
   * With `writtenExpressions`: the default and generated expressions a CREATE TABLE or ALTER TABLE wrote, as its text
   * spells them, with the canonical form each parses back to (under the dump's search_path, as `apply` reads it).
   */
  private noteWrittenExpressions(statement: ParsedStatement, relation: RangeVar | undefined): void {
    if (!this.options.writtenExpressions) return;
    const table = this.tables.get(qualifiedKey(this.relation(relation)));
    if (!table) return this.noteViewColumnDefaults(statement, relation);
    if (!setsColumnExpressions(statement)) return;
    for (const { column: name, kind, text } of writtenColumnExpressions(statement, this.model.file)) {
      const column = table.columns.find((c) => c.name === name);
      if (!column) continue;
      // a text spelled as the canonical form already (`now()`, most defaults) needs no parse
      const canonical = text === column[kind] ? text : this.canonicalOfWritten(text, statement);
      if (canonical === null) continue;
      const entry = this.written.get(column) ?? {};
      entry[kind] = { text, canonical };
      this.written.set(column, entry);
    }
  }

  /** The canonical form of an expression's written text, as `apply` reads the statement; null when it is not one expression. */
  /** With `writtenExpressions`: a domain's default as the dump spells it, when it parses back to the compared one. */
  private withWrittenDefault(type: TypeObject, statement: ParsedStatement): TypeObject {
    if (!this.options.writtenExpressions || type.type !== 'domain' || type.default === null) return type;
    const text = writtenDomainDefault(statement, this.model.file);
    if (text !== undefined && (text === type.default || this.canonicalOfWritten(text, statement) === type.default)) type.defaultText = text;
    return type;
  }

  /**
   * With `writtenExpressions`: a view column's default (pg_dump writes `ALTER TABLE ONLY v ALTER COLUMN c SET DEFAULT
   * ...` for a view too; compared as an "other" statement), for its docs page: as written when it parses back to the
   * same expression, else canonical; a DROP DEFAULT removes it.
   */
  private noteViewColumnDefaults(statement: ParsedStatement, relation: RangeVar | undefined): void {
    const id = qualifiedKey(this.relation(relation));
    const view = this.views.get(id) ?? this.matviews.get(id);
    if (!view || statement.kind !== 'AlterTableStmt') return;
    const cmds = nodesAs((statement.ast as AlterTableStmt).cmds, 'AlterTableCmd').filter((cmd) => cmd.subtype === 'AT_ColumnDefault' && cmd.name);
    if (cmds.length === 0) return;
    const written = writtenColumnExpressions(statement, this.model.file);
    for (const cmd of cmds) {
      if (!cmd.name) continue;
      const defaults = (view.columnDefaults ??= {});
      if (!cmd.def) {
        delete defaults[cmd.name];
        continue;
      }
      const canonical = canonicalSql(cmd.def) ?? '';
      const text = written.find((w) => w.column === cmd.name && w.kind === 'default')?.text;
      defaults[cmd.name] = text !== undefined && (text === canonical || this.canonicalOfWritten(text, statement) === canonical) ? text : canonical;
    }
  }

  /** With `writtenExpressions`: a view's query as the dump spells it, when it parses back to the compared one. */
  private withWrittenQuery<View extends ViewObject>(view: View, statement: ParsedStatement): View {
    if (!this.options.writtenExpressions || view.query === '') return view;
    const text = writtenViewQuery(statement, this.model.file);
    const query = text === undefined ? undefined : parseQuery(text, this.model.file);
    if (text !== undefined && query && canonicalSql(query) === view.query) view.queryText = text;
    return view;
  }

  private canonicalOfWritten(text: string, statement: ParsedStatement): string | null {
    const expression = parseExpression(text, this.model.file);
    if (!expression) return null;
    const qualified = statement.text.includes('nextval(') ? qualifySequenceNames(expression, this.dumpSchema) : undefined;
    return canonicalSql(qualified ?? expression);
  }

  private other(statement: ParsedStatement, node: Node = statement.node, name?: string): void {
    const canonical = safeCanonical(node) ?? collapseWhitespace(statement.text);
    this.model.others.push({ statementKind: statement.kind, name: name ?? otherName(statement, (names) => this.names(names)), text: canonical, line: statement.line });
  }

  /**
   * A type as pg_dump 10.3+ prints it: a type of this dump named unqualified by an older pg_dump (`member_type
   * nwr_enum` under `SET search_path = public, pg_catalog`) is in the schema that search_path named first
   * (field: openstreetmap-website db/structure.sql 2017).
   */
  private typeOf(typeName: TypeName | undefined): string {
    const names = stringList(typeName?.names);
    if (typeName && names.length === 1 && this.types.has(key(this.dumpSchema, names[0]))) {
      return formatTypeName({ ...typeName, names: [{ String: { sval: this.dumpSchema } }, ...(typeName.names ?? [])] });
    }
    return formatTypeName(typeName);
  }

  private addType(typeNameList: Node[] | undefined, make: (schema: string, name: string) => TypeObject): void {
    const { schema, name } = this.names(stringList(typeNameList));
    this.types.set(key(schema, name), make(schema, name));
  }

  private domain(ast: CreateDomainStmt, schema: string, name: string, line: number): TypeObject {
    let notNull = false;
    let defaultValue: string | null = null;
    const constraints: Array<{ name: string; definition: string; notValid: boolean }> = [];
    for (const con of nodesAs(ast.constraints, 'Constraint')) {
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
      baseType: this.typeOf(ast.typeName),
      notNull,
      default: defaultValue,
      collation: collationOf(ast.collClause?.collname),
      constraints: constraints.sort((a, b) => compare(a.name, b.name)),
      comment: null,
      line,
    };
  }

  private createTable(ast: CreateStmt, line: number): boolean {
    if (ast.ofTypename) return false;
    const { schema, name } = this.relation(ast.relation);
    const inherits = nodesAs(ast.inhRelations, 'RangeVar').map((relation) => this.relation(relation));
    const table: TableObject = {
      schema,
      name,
      kind: ast.partspec ? 'partitioned' : ast.partbound ? 'partition' : 'table',
      partitionBy: ast.partspec ? partitionSpec(ast.partspec) : null,
      parent: inherits.length > 0 ? inherits.map((r) => key(r.schema, r.name)).join(', ') : null,
      partitionBound: ast.partbound ? partitionBound(ast.partbound) : null,
      unlogged: ast.relation?.relpersistence === 'u',
      // A partitioned table has no storage: Postgres does not give it default_table_access_method, and pg_dump names
      // one it has (Postgres 17+) with ALTER TABLE ONLY ... SET ACCESS METHOD (pg_backup_archiver.c
      // _printTableAccessMethodNoStorage), leaving whatever SET came before in force.
      accessMethod: accessMethodName(ast.accessMethod ?? (ast.partspec ? null : this.tableAccessMethod)),
      storageParameters: storageParameters(ast.options),
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
      const column = nodeAs(element, 'ColumnDef');
      const constraint = nodeAs(element, 'Constraint');
      if (column) this.addColumn(table, column, line);
      else if (constraint) this.addConstraint(table, constraint, line);
    }
    this.tables.set(key(schema, name), table);
    if (table.kind === 'table' && inherits.length > 0) this.inheritsFrom.set(key(schema, name), inherits.map((r) => key(r.schema, r.name)));
    else this.inheritsFrom.delete(key(schema, name));
    return true;
  }

  private addColumn(table: TableObject, def: ColumnDef, line: number): void {
    const columnName = def.colname ?? '';
    const column: ColumnObject = {
      name: columnName,
      position: table.columns.filter((c) => c.name !== columnName).length + 1,
      type: this.typeOf(def.typeName),
      notNull: Boolean(def.is_not_null),
      default: null,
      identity: null,
      identityOptions: null,
      generated: null,
      collation: collationOf(def.collClause?.collname),
      comment: null,
      line,
    };
    for (const con of nodesAs(def.constraints, 'Constraint')) {
      switch (con.contype) {
        case 'CONSTR_NOTNULL':
          column.notNull = true;
          if (con.is_no_inherit) {
            this.notInheritedNotNull.add(key(key(table.schema, table.name), column.name));
            column.notNullNoInherit = true;
          }
          break;
        case 'CONSTR_NULL':
          break;
        case 'CONSTR_DEFAULT':
          column.default = canonicalSql(con.raw_expr);
          break;
        case 'CONSTR_IDENTITY':
          column.identity = con.generated_when === 'a' ? 'always' : 'by default';
          column.identityOptions = identityOptions(con.options, table, column.name);
          column.notNull = true;
          break;
        case 'CONSTR_GENERATED':
          column.generated = canonicalSql(con.raw_expr);
          break;
        default:
          this.addConstraint(table, { ...con, keys: con.keys ?? [{ String: { sval: columnName } }], fk_attrs: con.fk_attrs ?? [{ String: { sval: columnName } }] }, line);
      }
    }
    table.columns = table.columns.filter((c) => c.name !== column.name);
    table.columns.push(column);
  }

  private addConstraint(table: TableObject, con: Constraint, line: number): void {
    if (con.contype === 'CONSTR_NOTNULL') {
      // PG18 names NOT NULL constraints; the name is not compared, only the nullability and, since pg_dump 18 prints
      // `ADD CONSTRAINT name NOT NULL col NOT VALID` for one not yet validated (pg_dump.c dumpConstraint; rows may still
      // hold NULL), whether it is validated.
      for (const columnName of stringList(con.keys)) {
        const column = table.columns.find((c) => c.name === columnName);
        if (column) {
          column.notNull = true;
          if (con.skip_validation) column.notNullNotValid = con.conname ?? `${table.name}_${columnName}_not_null`;
          else delete column.notNullNotValid;
          if (con.is_no_inherit) column.notNullNoInherit = true;
        }
        if (con.is_no_inherit) this.notInheritedNotNull.add(key(key(table.schema, table.name), columnName));
      }
      return;
    }
    const type = CONSTRAINT_TYPES[con.contype ?? ''];
    if (!type) return;
    // `REFERENCES users(id)` in an old dump is `REFERENCES public.users(id)` in a new one (field: 18F/e-manifest, 3scale/zync)
    if (con.pktable && !con.pktable.schemaname) con = { ...con, pktable: { ...con.pktable, schemaname: this.dumpSchema } };
    const definition = memoized(
      constraintDefinitions,
      con,
      () => constraintDefinition(normalizeNode({ ...con, skip_validation: undefined, initially_valid: undefined, conname: undefined })),
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
              table: relationKey(con.pktable),
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

  private alterTable(statement: ParsedStatement, ast: AlterTableStmt): void {
    const line = statement.line;
    const cmds = nodesAs(ast.cmds, 'AlterTableCmd');
    if (ast.objtype === 'OBJECT_INDEX' && cmds.every((c) => c.subtype === 'AT_AttachPartition' || c.subtype === 'AT_ChangeOwner')) {
      // ALTER INDEX parent ATTACH PARTITION child is not implied by the partition tree: a partition's index may stand
      // apart from its partitioned table's index (CREATE INDEX ON ONLY, then no ATTACH: the parent's index is
      // invalid). It was dropped, so an ATTACH on one side only was no drift: it is the child index's `attachedTo`.
      const parent = this.relation(ast.relation);
      const unknown = cmds.filter((cmd) => cmd.subtype === 'AT_AttachPartition' && !this.attachIndex(nodeAs(cmd.def, 'PartitionCmd')?.name, parent));
      if (unknown.length === 0) return;
    }

    const { schema, name } = this.relation(ast.relation);
    const table = this.tables.get(key(schema, name));
    for (const cmd of cmds) {
      if (cmd.subtype === 'AT_ChangeOwner') {
        // by the relation, whatever the statement calls it: pg_dump 15 writes ALTER TABLE for a sequence or a view,
        // pg_dump 18 ALTER SEQUENCE / ALTER VIEW
        const role = cmd.newowner?.rolename ?? String(cmd.newowner?.roletype ?? '').toLowerCase();
        this.model.leftOut.owners.push(`${schema}.${name} OWNER TO ${role}`);
        continue;
      }
      if (table && this.alterTableCmd(table, cmd, line)) continue;
      // the relation as resolved (an old pg_dump named it unqualified under its search_path): its text then reads as
      // a later pg_dump prints it, `ALTER TABLE ONLY public.favorites_0 ALTER COLUMN id SET DEFAULT ...`
      const { schemaname: _written, ...unqualified } = ast.relation ?? {};
      const relation = ast.relation ? { schemaname: schema, ...unqualified } : undefined; // schemaname first, as the parser writes it (nodeKey)
      const single = { AlterTableStmt: { ...ast, relation, cmds: [{ AlterTableCmd: cmd }] } };
      // a column's statistics target, storage, compression, options (or a view column's default): named by the column, so attribution finds
      // the statement that set it (the history records it on the column), not the last one that touched the table
      const column = cmd.name && COLUMN_SETTINGS.has(cmd.subtype ?? '') ? `.${cmd.name}` : '';
      this.other(statement, single, `${schema}.${name}${column}`);
    }
  }

  /** Marks an index of this dump as attached to `parent` (a partitioned table's index); false when it is unknown. */
  private attachIndex(child: RangeVar | undefined, parent: QualifiedName): boolean {
    if (!child?.relname) return false;
    const { schema, name } = this.relation(child);
    for (const owner of this.tables.values()) {
      if (owner.schema !== schema) continue;
      // a partition's index, or the index of its PRIMARY KEY / UNIQUE / EXCLUDE constraint (named after it)
      const index = owner.indexes.find((i) => i.name === name) ?? owner.constraints.find((c) => c.name === name && c.type !== 'check' && c.type !== 'foreign_key');
      if (index) {
        index.attachedTo = qualifiedKey(parent);
        return true;
      }
    }
    return false;
  }

  private alterTableCmd(table: TableObject, cmd: AlterTableCmd, line: number): boolean {
    const column = cmd.name ? table.columns.find((c) => c.name === cmd.name) : undefined;
    switch (cmd.subtype) {
      case 'AT_AddConstraint': {
        const constraint = nodeAs(cmd.def, 'Constraint');
        if (!constraint || (!CONSTRAINT_TYPES[constraint.contype ?? ''] && constraint.contype !== 'CONSTR_NOTNULL')) return false;
        this.addConstraint(table, constraint, line);
        return true;
      }
      case 'AT_ColumnDefault':
        if (!column) return false;
        column.default = canonicalSql(cmd.def);
        return true;
      case 'AT_AddIdentity': {
        if (!column) return false;
        const constraint = nodeAs(cmd.def, 'Constraint');
        column.identity = constraint?.generated_when === 'a' ? 'always' : 'by default';
        column.identityOptions = identityOptions(constraint?.options, table, column.name);
        column.notNull = true;
        return true;
      }
      case 'AT_SetNotNull':
        if (!column) return false;
        column.notNull = true;
        return true;
      case 'AT_AddColumn': {
        const def = nodeAs(cmd.def, 'ColumnDef');
        if (!def) return false;
        this.addColumn(table, def, line);
        return true;
      }
      case 'AT_SetAccessMethod':
        table.accessMethod = accessMethodName(cmd.name);
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
        const attach = nodeAs(cmd.def, 'PartitionCmd');
        const partition = this.tables.get(relationKey(attach?.name));
        if (!partition) return false;
        partition.kind = partition.kind === 'partitioned' ? 'partitioned' : 'partition';
        partition.parent = key(table.schema, table.name);
        partition.partitionBound = partitionBound(attach?.bound);
        return true;
      }
      default:
        return false;
    }
  }

  private alterSequence(ast: AlterSeqStmt): boolean {
    const sequence = this.sequences.get(relationKey(ast.sequence));
    if (!sequence) return false;
    const options = ast.options ?? [];
    const ownedBy = nodeAs(options[0], 'DefElem');
    if (options.length !== 1 || ownedBy?.defname !== 'owned_by') return false;
    const owner = stringList(nodeAs(ownedBy.arg, 'List')?.items);
    sequence.ownedBy = owner.length === 1 && owner[0] === 'none' ? null : owner.length === 2 ? `${this.dumpSchema}.${owner.join('.')}` : owner.join('.');
    return true;
  }

  private addIndex(ast: IndexStmt, line: number): boolean {
    const { schema, name: relation } = this.relation(ast.relation);
    const owner = this.tables.get(key(schema, relation)) ?? this.matviews.get(key(schema, relation));
    if (!owner || !ast.idxname) return false;
    const index: IndexObject = {
      name: ast.idxname,
      unique: Boolean(ast.unique),
      method: (ast.accessMethod ?? 'btree').toLowerCase(),
      keys: nodesAs(ast.indexParams, 'IndexElem').map(indexKey),
      include: nodesAs(ast.indexIncludingParams, 'IndexElem').map((elem) => elem.name ?? canonicalSql(elem.expr) ?? ''),
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

  private addTrigger(ast: CreateTrigStmt, line: number): boolean {
    const { schema, name: relation } = this.relation(ast.relation);
    const table = this.tables.get(key(schema, relation));
    if (!table) return false;
    const timingBits = ast.timing ?? 0;
    const eventBits = ast.events ?? 0;
    const timing: 'before' | 'after' | 'instead of' = timingBits & 2 ? 'before' : timingBits & 64 ? 'instead of' : 'after';
    const events: string[] = [];
    if (eventBits & 4) events.push('insert');
    if (eventBits & 16) {
      const columns = stringList(ast.columns);
      events.push(columns.length > 0 ? `update of ${columns.join(', ')}` : 'update');
    }
    if (eventBits & 8) events.push('delete');
    if (eventBits & 32) events.push('truncate');
    const fnNames = stringList(ast.funcname);
    const args = (ast.args ?? []).map((a) => `'${String(nodeAs(a, 'String')?.sval ?? '').replace(/'/g, "''")}'`);
    const trigger = {
      name: ast.trigname ?? '',
      timing,
      events,
      level: ast.row ? ('row' as const) : ('statement' as const),
      function: `${qualifiedKey(this.names(fnNames))}(${args.join(', ')})`,
      when: canonicalSql(ast.whenClause),
      definition: '',
      comment: null,
      line,
    };
    const extras: string[] = [];
    if (ast.isconstraint) extras.push('CONSTRAINT');
    // `FROM referenced_table` of a constraint trigger (pg_get_triggerdef prints it before DEFERRABLE)
    if (ast.constrrel) extras.push(`FROM ${qualifiedKey(this.relation(ast.constrrel))}`);
    if (ast.deferrable) extras.push(ast.initdeferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE');
    if (ast.transitionRels?.length) extras.push(`REFERENCING ${canonicalSql(ast.transitionRels)}`);
    trigger.definition = triggerDdl(trigger, schema, relation, extras);
    table.triggers = table.triggers.filter((t) => t.name !== trigger.name);
    table.triggers.push(trigger);
    return true;
  }

  private addPolicy(ast: CreatePolicyStmt, line: number): boolean {
    const { schema, name: relation } = this.relation(ast.table);
    const table = this.tables.get(key(schema, relation));
    if (!table) return false;
    const roles = nodesAs(ast.roles, 'RoleSpec').map((r) => (r.roletype === 'ROLESPEC_PUBLIC' ? 'public' : (r.rolename ?? String(r.roletype).toLowerCase())));
    table.policies = table.policies.filter((p) => p.name !== ast.policy_name);
    table.policies.push({
      name: ast.policy_name ?? '',
      // libpg-query leaves a false boolean out of its JSON: AS RESTRICTIVE has no `permissive` key at all, so only
      // `true` means permissive (comparing with `false` made every policy permissive and hid a RESTRICTIVE change).
      permissive: ast.permissive === true,
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
  private comment(ast: CommentStmt, statement: ParsedStatement): boolean {
    const text: string | null = ast.comment ?? null;
    const names = stringList(nodeAs(ast.object, 'List')?.items);
    const single = nodeAs(ast.object, 'String')?.sval;
    switch (ast.objtype) {
      case 'OBJECT_SCHEMA': {
        const name = single;
        // The public schema is not in the model (initdb makes it). pg_dump 9.6-14 prints its default comment
        // ('standard public schema') in every dump, pg_dump 15+ prints none while it is the default and `IS ''` once
        // it is removed (pg_dump.c dumpNamespace/dumpCommentExtended, checked on a 15.20 server): those three say
        // nothing across versions. Any other text is a comment a migration set, kept as an "other" compared by its
        // text and named PUBLIC_SCHEMA_COMMENT (the reload drops it, so it is compared from the model: confirmation.ts), so
        // that a changed or added comment is drift (it was dropped whatever it said: a false clean).
        if (name === 'public') {
          if (text === null || text === '' || text === 'standard public schema') return true;
          this.other(statement, statement.node, PUBLIC_SCHEMA_COMMENT);
          return true;
        }
        const schema = this.model.schemas.find((s) => s.name === name);
        if (!schema) return false;
        schema.comment = text;
        return true;
      }
      case 'OBJECT_EXTENSION': {
        const extension = this.model.extensions.find((e) => e.name === single);
        if (!extension) return false;
        extension.comment = text;
        return true;
      }
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_SEQUENCE': {
        const { schema, name } = this.names(names);
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
        const { schema, name } = this.names(names);
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
        const typeNames = stringList(nodeAs(ast.object, 'TypeName')?.names);
        const { schema, name } = this.names(typeNames);
        const type = this.types.get(key(schema, name));
        if (!type) return false;
        type.comment = text;
        return true;
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE': {
        const owa = nodeAs(ast.object, 'ObjectWithArgs');
        const { schema, name } = this.names(stringList(owa?.objname));
        const args = (owa?.objargs ?? []).map((a) => formatTypeName(nodeAs(a, 'TypeName'))).join(', ');
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

/**
 * A column of an INHERITS child that a parent (or any ancestor) also has NOT NULL is NOT NULL: Postgres merges the
 * column and the constraint is inherited (before 18 it cannot even be dropped on the child). pg_dump up to 17 leaves
 * the NOT NULL out of the child's CREATE TABLE (the INHERITS clause brings it back on restore); pg_dump 18 writes it.
 * Without this, a snapshot from pg_dump 15 and a replay dumped by pg_dump 18 differed on the child's column (field
 * report: opentdf/platform's key_access_server_keys.id, a child of asym_key whose id is its primary key). A NOT NULL
 * NO INHERIT (Postgres 18) stays on its table.
 */
function inheritNotNull(tables: Map<string, TableObject>, inheritsFrom: ReadonlyMap<string, string[]>, notInherited: ReadonlySet<string>): void {
  const memo = new Map<string, Set<string>>();
  const notNullOfAncestors = (table: TableObject, visiting: Set<string>): Set<string> => {
    const own = key(table.schema, table.name);
    const known = memo.get(own);
    if (known) return known;
    const names = new Set<string>();
    const parents = inheritsFrom.get(own);
    if (parents && !visiting.has(own)) {
      visiting.add(own);
      for (const parentKey of parents) {
        const parent = tables.get(parentKey);
        if (!parent) continue;
        for (const column of parent.columns) if (column.notNull && !notInherited.has(key(parentKey, column.name))) names.add(column.name);
        for (const name of notNullOfAncestors(parent, visiting)) names.add(name);
      }
      visiting.delete(own);
    }
    memo.set(own, names);
    return names;
  };
  for (const table of tables.values()) {
    const inherited = notNullOfAncestors(table, new Set());
    for (const column of table.columns) if (inherited.has(column.name)) column.notNull = true;
  }
}

/** The name Postgres gives an unnamed constraint (hand-written SQL; pg_dump always writes the name). */
function unnamedConstraintName(table: TableObject, type: ConstraintObject['type'], con: Constraint, columns: string[]): string {
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
      const keys = (con.exclusions ?? []).map((pair) => indexKeyName(nodeAs(nodeAs(pair, 'List')?.items?.[0], 'IndexElem') ?? {}));
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

/** `SET default_table_access_method = x`'s method, null for heap (the default) and for RESET / DEFAULT. */
function accessMethodSet(ast: VariableSetStmt): string | null {
  if (ast.kind !== 'VAR_SET_VALUE') return null;
  const value = nodeAs(ast.args?.[0], 'A_Const')?.sval?.sval;
  return accessMethodName(value);
}

/** An access method as the model keeps it: null for `heap`, the default. */
function accessMethodName(name: string | null | undefined): string | null {
  return !name || name === 'heap' ? null : name;
}

/** The first schema of `SET search_path = app, pg_catalog` ("$user" skipped); `public` for RESET or DEFAULT. */
function firstSchemaSet(ast: VariableSetStmt): string {
  if (ast.kind !== 'VAR_SET_VALUE') return 'public';
  const schemas = (ast.args ?? []).map((arg) => nodeAs(arg, 'A_Const')?.sval?.sval).filter((name): name is string => Boolean(name) && name !== '$user');
  return schemas[0] ?? 'public';
}

function isSetConfig(select: SelectStmt): boolean {
  const targets = select.targetList ?? [];
  return targets.length === 1 && !select.fromClause && stringList(nodeAs(nodeAs(targets[0], 'ResTarget')?.val, 'FuncCall')?.funcname).pop() === 'set_config';
}

/**
 * `SELECT pg_catalog.set_config('search_path', '', false)`: every pg_dump since 10.3 writes it in its preamble
 * (pg_backup_archiver.c _doSetFixedOutputState), and it survives the scripts that strip pg_dump's comment lines
 * (`supabase db dump`, `dbmate dump`).
 */
function clearsSearchPath(select: SelectStmt): boolean {
  const call = nodeAs(nodeAs(select.targetList?.[0], 'ResTarget')?.val, 'FuncCall');
  const [name, value] = (call?.args ?? []).map((arg) => nodeAs(arg, 'A_Const')?.sval?.sval);
  return name === 'search_path' && value === '';
}

/**
 * canonicalSql of a statement kept as text, only when that text says all its AST says: the deparser leaves out what it
 * does not print (`COMMENT ON OPERATOR app.=== (...)` came out as `COMMENT ON OPERATOR app(...)`), and two statements
 * that differ only there printed alike, a false clean. Checked by parsing the text back: when the AST differs
 * (locations aside), null, and the caller keeps the statement's own text.
 */
const SEQUENCE_FUNCTIONS = new Set(['nextval', 'currval', 'setval']);

/**
 * The statement with each `nextval('seq'::regclass)` naming its sequence unqualified qualified by `schema`: pg_dump
 * before 10.3 printed a serial column's default that way under `SET search_path = public, pg_catalog`, later ones
 * print `nextval('public.seq'::regclass)` (field: danbooru 2017, openstreetmap-website, 18F/e-manifest
 * db/structure.sql: one difference per serial column, and per INHERITS child's default, whenever the confirming reload
 * could not run). A user's sequence is never in pg_catalog, the other schema of the search_path pg_dump sets.
 */
function withQualifiedSequences(statement: ParsedStatement, schema: string): ParsedStatement {
  const node = qualifySequenceNames(statement.node, schema);
  // text and line are getters of a parsed dump statement (parse-dump.ts): a spread leaves them behind
  return node ? ({ ...statement, text: statement.text, line: statement.line, node, ...unwrapNode(node) } as ParsedStatement) : statement;
}

/** A copy of `node` with withQualifiedSequences' qualification; undefined when it names no unqualified sequence. */
function qualifySequenceNames(node: Node, schema: string): Node | undefined {
  let changed = false;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [field, inner] of Object.entries(value)) out[field] = walk(inner);
    const call = nodeAs(out, 'FuncCall');
    const qualified = call && qualifiedSequenceArgument(call, schema);
    if (!qualified) return out;
    changed = true;
    return { FuncCall: { ...call, args: [qualified, ...(call.args ?? []).slice(1)] } };
  };
  const qualified = walk(node) as Node;
  return changed ? qualified : undefined;
}

function qualifiedSequenceArgument(call: FuncCall, schema: string): Node | undefined {
  const name = stringList(call.funcname);
  if (!SEQUENCE_FUNCTIONS.has(name[name.length - 1] ?? '') || name.length > 2 || (name.length === 2 && name[0] !== 'pg_catalog')) return undefined;
  const cast = nodeAs(call.args?.[0], 'TypeCast');
  const type = stringList(cast?.typeName?.names);
  if (!cast || type[type.length - 1] !== 'regclass' || type.length > 2 || (type.length === 2 && type[0] !== 'pg_catalog')) return undefined;
  const constant = nodeAs(cast.arg, 'A_Const');
  const text = constant?.sval?.sval;
  if (!constant || text === undefined || !isUnqualifiedName(text)) return undefined;
  return { TypeCast: { ...cast, arg: { A_Const: { ...constant, sval: { sval: `${quoteIdent(schema)}.${text}` } } } } };
}

/** A regclass literal naming one identifier (`seq`, `"My.Seq"`), not `schema.seq`. */
function isUnqualifiedName(text: string): boolean {
  if (!text.startsWith('"')) return text.length > 0 && !text.includes('.') && !text.includes('"');
  const quoted = /^"(?:[^"]|"")*"/.exec(text);
  return quoted !== null && quoted[0].length === text.length;
}

function safeCanonical(node: Node): string | null {
  const text = canonicalSql(node);
  if (!text || text.startsWith('/* ast */')) return null;
  const checked = memoized(roundTrips, node, () => {
    try {
      const back = parseSync(text).stmts?.[0]?.stmt;
      return back && nodeKey(normalizeNode(back)) === nodeKey(normalizeNode(node)) ? text : '';
    } catch {
      return '';
    }
  });
  return checked === '' ? null : checked;
}

/** safeCanonical's verdicts by statement (its canonical text, or '' when the text loses part of the AST). */
const roundTrips = new Map<string, string>();

/** A name for a statement kept as text: read from whichever of the usual name fields its node has (any kind). */
function otherName(statement: ParsedStatement, qualify: (names: string[]) => QualifiedName): string {
  const ast = (statement.ast ?? {}) as Record<string, unknown>;
  const field = (name: string): Record<string, unknown> | undefined => {
    const value = ast[name];
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  };
  // a foreign table's node also names its server: the table is what it creates
  const base = statement.kind === 'CreateForeignTableStmt' ? (field('base')?.relation as Record<string, unknown> | undefined) : undefined;
  if (typeof base?.relname === 'string') return relationKey({ relname: base.relname, schemaname: typeof base.schemaname === 'string' ? base.schemaname : undefined });
  for (const name of ['trigname', 'extname', 'servername', 'pubname', 'subname', 'eventname', 'schemaname']) {
    const value = ast[name];
    if (typeof value === 'string') return value;
  }
  const rel = field('relation') ?? field('view') ?? field('sequence') ?? field('table') ?? (field('into')?.rel as Record<string, unknown> | undefined);
  if (typeof rel?.relname === 'string') return relationKey({ relname: rel.relname, schemaname: typeof rel.schemaname === 'string' ? rel.schemaname : undefined });
  if (statement.kind === 'CreateCastStmt') {
    const type = (name: string) => stringList(field(name)?.names as Node[] | undefined).join('.');
    return `cast (${type('sourcetype')} AS ${type('targettype')})`;
  }
  if (statement.kind === 'CommentStmt') {
    // the object commented on (`app.===`, `app.audit.audit_no_delete`, `cast (int4 AS app.mood)`), not "CommentStmt"
    const object = ast.object as Node | undefined;
    const typeNames = (node: Node | undefined) => stringList(nodeAs(node, 'TypeName')?.names).join('.');
    const list = nodeAs(object, 'List')?.items ?? [];
    const names =
      nodeAs(object, 'String')?.sval ??
      (stringList(nodeAs(object, 'ObjectWithArgs')?.objname).join('.') ||
        typeNames(object) ||
        (list.length === 2 && nodeAs(list[0], 'TypeName') ? `cast (${typeNames(list[0])} AS ${typeNames(list[1])})` : stringList(list).join('.')));
    if (names) return names;
  }
  for (const name of ['defnames', 'funcname', 'typeName', 'domainname', 'conversion_name', 'collname', 'cfgname', 'dictname']) {
    const value = ast[name];
    const names = stringList((Array.isArray(value) ? value : field(name)?.names) as Node[] | undefined);
    if (names.length > 0) return qualifiedKey(qualify(names));
  }
  if (typeof ast.name === 'string') return ast.name;
  return statement.kind;
}

/** Column-level ALTER TABLE forms kept as text (a view column's default reaches here too: views have no column model). */
const COLUMN_SETTINGS = new Set(['AT_SetStatistics', 'AT_SetStorage', 'AT_SetCompression', 'AT_SetOptions', 'AT_ResetOptions', 'AT_ColumnDefault']);

/** `"collation"` as pg_dump prints it, from a collation's name list (`pg_catalog.` dropped). */
function collationOf(collname: Node[] | undefined): string | null {
  const names = stringList(collname);
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

/**
 * A constraint as pg_dump prints it after `CONSTRAINT name`. The deparser leaves out a key constraint's index
 * parameters (`INCLUDE (...)`, `WITH (fillfactor=...)`, `USING INDEX TABLESPACE`), so a PRIMARY KEY, UNIQUE or
 * EXCLUDE that differed only there compared equal (a false clean): they are put back where pg_get_constraintdef
 * prints them (ruleutils.c: after the key columns or exclusion list, before an exclusion's WHERE and DEFERRABLE).
 */
function constraintDefinition(con: Constraint): string {
  const print = (node: Constraint) => stripConstraintPrefix(deparseNode({ Constraint: node }));
  const full = print(con);
  const include = nodesAs(con.including, 'String').map((s) => quoteIdent(s.sval ?? ''));
  const options = Object.entries(relOptions(con.options)).map(([k, v]) => `${k}='${v}'`);
  const params = [
    include.length > 0 ? `INCLUDE (${include.join(', ')})` : '',
    options.length > 0 ? `WITH (${options.join(', ')})` : '',
    con.indexspace ? `USING INDEX TABLESPACE ${quoteIdent(con.indexspace)}` : '',
  ].filter(Boolean);
  if (params.length === 0) return full;
  const bare = { ...con, including: undefined, options: undefined, indexspace: undefined };
  const head = print({ ...bare, where_clause: undefined, deferrable: undefined, initdeferred: undefined });
  const tail = full.startsWith(head) ? full.slice(head.length) : null;
  // the deparser's own text of the rest (WHERE, DEFERRABLE) when it follows the head; else appended after it all
  return tail === null ? `${full} ${params.join(' ')}` : `${head} ${params.join(' ')}${tail}`;
}

function stripConstraintPrefix(text: string): string {
  return text.replace(/^CONSTRAINT\s+("(?:[^"]|"")*"|\S+)\s+/, '');
}

/**
 * A table's storage parameters as pg_dump writes them after its columns (`WITH (fillfactor='70')`), canonical:
 * `name=value`, sorted. They were not in the model, so a snapshot whose fillfactor or autovacuum settings differ
 * from the migrations' matched them (a false "clean").
 */
function storageParameters(options: Node[] | undefined): string {
  return Object.entries(relOptions(options))
    .sort(([a], [b]) => compare(a, b))
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

function relOptions(options: Node[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of nodesAs(options, 'DefElem')) {
    const name = d.defnamespace ? `${d.defnamespace}.${d.defname}` : (d.defname ?? '');
    let value = defElemValue(d.arg);
    if (/^(on|yes|1)$/i.test(value)) value = 'true';
    if (/^(off|no|0)$/i.test(value)) value = 'false';
    out[name] = value;
  }
  return out;
}

function rangeOptions(params: Node[] | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of nodesAs(params, 'DefElem')) {
    out[(d.defname ?? '').toLowerCase()] = defElemValue(d.arg);
  }
  // PG14+ print the multirange name even when it is the default one; PG12-13 have no multiranges.
  const defaultMultirange = name.includes('range') ? name.replace('range', 'multirange') : `${name}_multirange`;
  const multirange = out.multirange_type_name?.split('.').pop();
  if (multirange === defaultMultirange) delete out.multirange_type_name;
  return out;
}

/**
 * The options of an identity column's sequence (`START WITH`, `INCREMENT BY`, `MINVALUE`, `CACHE`, `CYCLE`, `SEQUENCE NAME`)
 * that differ from what Postgres picks when none are given, as one canonical string. pg_dump writes every option
 * (`ALTER TABLE ... ADD GENERATED ... AS IDENTITY (SEQUENCE NAME ... START WITH 1 ...)`), a hand-written snapshot may
 * write none: both mean the same sequence. Without this, a snapshot whose identity starts at 1 matched a history whose
 * identity starts at 1000 (a false "clean"). Written as the SQL of the options, in pg_dump's order.
 */
function identityOptions(options: Node[] | undefined, table: TableObject, column: string): string {
  const out = sequenceOptions(options);
  const ascending = !out.increment.startsWith('-');
  // Postgres starts an ascending sequence at its MINVALUE (default 1), a descending one at its MAXVALUE (default -1).
  if (out.start === (ascending ? (out.minvalue ?? '1') : (out.maxvalue ?? '-1'))) delete out.start;
  if (ascending && out.minvalue === '1') delete out.minvalue;
  if (!ascending && out.maxvalue === '-1') delete out.maxvalue;
  const [schema, name] = (out.sequence_name ?? '').includes('.') ? out.sequence_name.split('.') : [table.schema, out.sequence_name];
  // The default name is <table>_<column>_seq in the table's schema; another name is a real difference.
  const renamed = out.sequence_name !== undefined && (schema !== table.schema || name !== `${table.name}_${column}_seq`);
  const clauses = [
    renamed ? `SEQUENCE NAME ${qualifiedName(schema, name)}` : '',
    out.start !== undefined ? `START WITH ${out.start}` : '',
    out.increment !== '1' ? `INCREMENT BY ${out.increment}` : '',
    out.minvalue !== undefined ? `MINVALUE ${out.minvalue}` : '',
    out.maxvalue !== undefined ? `MAXVALUE ${out.maxvalue}` : '',
    out.cache !== '1' ? `CACHE ${out.cache}` : '',
    out.cycle === 'true' ? 'CYCLE' : '',
    // pg_dump 15+ writes LOGGED / UNLOGGED when the identity's sequence does not share its table's persistence
    // (ALTER SEQUENCE ... SET LOGGED on an unlogged table's identity): left out, that was no drift
    out.logged !== undefined ? 'LOGGED' : '',
    out.unlogged !== undefined ? 'UNLOGGED' : '',
  ];
  return clauses.filter(Boolean).join(' ');
}

function sequenceOptions(options: Node[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of nodesAs(options, 'DefElem')) {
    if (d.arg === undefined && (d.defname === 'minvalue' || d.defname === 'maxvalue')) continue; // NO MINVALUE
    out[d.defname ?? ''] = d.defname === 'cycle' ? String(nodeAs(d.arg, 'Boolean')?.boolval ?? true) : defElemValue(d.arg);
  }
  if (out.as === 'bigint') delete out.as;
  out.increment ??= '1';
  out.cache ??= '1';
  if (out.cycle === 'false') delete out.cycle;
  return out;
}

function partitionSpec(spec: PartitionSpec): string {
  const strategy = String(spec.strategy ?? '').replace('PARTITION_STRATEGY_', '');
  const params = nodesAs(spec.partParams, 'PartitionElem').map((e) => {
    let text = e.name ? e.name : `(${canonicalSql(e.expr)})`;
    const collation = collationOf(e.collation);
    if (collation) text += ` COLLATE ${collation}`;
    const opclass = stringList(e.opclass);
    if (opclass.length) text += ` ${opclass.join('.')}`;
    return text;
  });
  return `${strategy} (${params.join(', ')})`;
}

function partitionBound(bound: PartitionBoundSpec | undefined): string {
  if (!bound) return '';
  if (bound.is_default) return 'DEFAULT';
  const list = (items: Node[] | undefined) => (items ?? []).map((d) => canonicalSql(d)).join(', ');
  if (bound.strategy === 'h') return `FOR VALUES WITH (modulus ${bound.modulus}, remainder ${bound.remainder ?? 0})`;
  if (bound.strategy === 'l') return `FOR VALUES IN (${list(bound.listdatums)})`;
  return `FOR VALUES FROM (${list(bound.lowerdatums)}) TO (${list(bound.upperdatums)})`;
}

function indexKey(elem: IndexElem): IndexObject['keys'][number] {
  const opclass = stringList(elem.opclass);
  // `gist_trgm_ops(siglen='32')`: the operator class's parameters (Postgres 13+); left out, a changed siglen was no drift.
  // Only set when given, so that every other key compares and prints as before.
  const opclassOptions = elem.opclassopts?.length ? Object.entries(relOptions(elem.opclassopts)).map(([k, v]) => `${k}='${v}'`).join(', ') : null;
  return {
    column: elem.name ?? null,
    expression: elem.expr ? canonicalSql(elem.expr) : null,
    opclass: opclass.length ? (opclass[0] === 'pg_catalog' ? opclass.slice(1) : opclass).join('.') : null,
    ...(opclassOptions ? { opclassOptions } : {}),
    collation: collationOf(elem.collation),
    ordering: elem.ordering === 'SORTBY_DESC' ? 'DESC' : elem.ordering === 'SORTBY_ASC' ? 'ASC' : null,
    nulls: elem.nulls_ordering === 'SORTBY_NULLS_FIRST' ? 'NULLS FIRST' : elem.nulls_ordering === 'SORTBY_NULLS_LAST' ? 'NULLS LAST' : null,
  };
}

function functionObject(ast: CreateFunctionStmt, line: number, { schema, name }: QualifiedName): FunctionObject {
  const params = nodesAs(ast.parameters, 'FunctionParameter');
  const identity = params
    .filter((p) => p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p) => (p.mode === 'FUNC_PARAM_VARIADIC' ? 'VARIADIC ' : '') + formatTypeName(p.argType));
  const argument = (p: FunctionParameter) => {
    const modes: Record<string, string> = { FUNC_PARAM_OUT: 'OUT ', FUNC_PARAM_INOUT: 'INOUT ', FUNC_PARAM_VARIADIC: 'VARIADIC ', FUNC_PARAM_IN: 'IN ' };
    const mode = modes[p.mode ?? ''] ?? '';
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
  for (const d of nodesAs(ast.options, 'DefElem')) {
    switch (d.defname) {
      case 'as': {
        const parts = stringList(nodeAs(d.arg, 'List')?.items);
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
        fn.securityDefiner = Boolean(nodeAs(d.arg, 'Boolean')?.boolval);
        break;
      case 'strict':
        fn.strict = Boolean(nodeAs(d.arg, 'Boolean')?.boolval);
        break;
      case 'set':
        fn.options[`set ${nodeAs(d.arg, 'VariableSetStmt')?.name}`] = canonicalSql(d.arg) ?? '';
        break;
      default:
        fn.options[d.defname ?? ''] = defElemValue(d.arg);
    }
  }
  if (ast.sql_body) fn.body = canonicalSql({ CreateFunctionStmt: { funcname: [{ String: { sval: 'f' } }], sql_body: ast.sql_body } })?.replace(/^.*?(BEGIN ATOMIC|RETURN)/s, '$1') ?? '';
  if (fn.options.parallel === 'unsafe') delete fn.options.parallel;
  if (fn.options.leakproof === 'false') delete fn.options.leakproof;
  if (fn.options.cost && ((fn.language === 'c' || fn.language === 'internal') ? fn.options.cost === '1' : fn.options.cost === '100')) delete fn.options.cost;
  if (fn.options.rows === '1000') delete fn.options.rows;
  return fn;
}
