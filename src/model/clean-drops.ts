import type { Node } from '@pgsql/types';
import type { DumpStatement as ParsedStatement } from './parse-dump.js';
import { nodeAs, stringList } from '../sql/ast.js';

/**
 * The `DROP ... IF EXISTS` (and `ALTER TABLE IF EXISTS ... DROP CONSTRAINT IF EXISTS / ALTER COLUMN ... DROP DEFAULT`)
 * statements of a dump that leave its end state as it is: the object was not created before them in the text (Postgres
 * only notices "does not exist, skipping"), or it is created again after them. `pg_dump --clean --if-exists` writes one
 * for every object ahead of the CREATEs (pg_backup_archiver.c RestoreArchive: the drops, in reverse order, before the
 * restore), e.g. getlago/lago-api's db/structure.sql; each was kept as an "other" object, so a difference from the same
 * schema dumped without --clean whenever the confirming reload could not run. The model applies statements in phases,
 * not in text order: this is seen in text order (`see`, as the dump is parsed), and asked once the text is read.
 */
export class CleanDrops {
  private readonly created = new Map<string, number[]>();
  private readonly drops = new Map<ParsedStatement, { at: number; names: string[] }>();
  private at = 0;

  /** `schema`: where an unqualified name of this statement is (an old pg_dump's search_path). */
  see(statement: ParsedStatement, schema: string): void {
    const at = this.at++;
    for (const name of createdNames(statement, schema)) {
      const seen = this.created.get(name);
      if (seen) seen.push(at);
      else this.created.set(name, [at]);
    }
    const names = droppedNames(statement, schema);
    if (names) this.drops.set(statement, { at, names });
  }

  /** True for a statement seen above that drops nothing the dump's end state has. */
  dropsNothing(statement: ParsedStatement): boolean {
    const drop = this.drops.get(statement);
    if (!drop) return false;
    return drop.names.every((name) => {
      const created = this.created.get(name) ?? [];
      return !created.some((at) => at < drop.at) || created.some((at) => at > drop.at);
    });
  }
}

const qualified = (names: string[], schema: string, parts = 2) => (names.length === parts - 1 ? [schema, ...names] : names).join('.');

function createdNames(statement: ParsedStatement, schema: string): string[] {
  const relation = (rel: { schemaname?: string; relname?: string } | undefined) => `rel:${rel?.schemaname ?? schema}.${rel?.relname ?? ''}`;
  switch (statement.kind) {
    case 'CreateStmt':
      return [relation(statement.ast.relation)];
    case 'CreateSeqStmt':
      return [relation(statement.ast.sequence)];
    case 'ViewStmt':
      return [relation(statement.ast.view)];
    case 'CreateTableAsStmt':
      return [relation(statement.ast.into?.rel)];
    case 'IndexStmt':
      return statement.ast.idxname ? [`rel:${statement.ast.relation?.schemaname ?? schema}.${statement.ast.idxname}`] : [];
    case 'CompositeTypeStmt':
      return [`type:${statement.ast.typevar?.schemaname ?? schema}.${statement.ast.typevar?.relname ?? ''}`];
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      return [`type:${qualified(stringList(statement.ast.typeName), schema)}`];
    case 'CreateDomainStmt':
      return [`type:${qualified(stringList(statement.ast.domainname), schema)}`];
    case 'CreateFunctionStmt': {
      // by name (what a DROP FUNCTION without an argument list names) and by name and input argument types (an
      // overload: DROP FUNCTION IF EXISTS f(int) before CREATE FUNCTION f(text) drops f(int), which stays gone)
      const name = `function:${qualified(stringList(statement.ast.funcname), schema)}`;
      const inputs = (statement.ast.parameters ?? [])
        .map((parameter) => nodeAs(parameter, 'FunctionParameter'))
        .filter((parameter) => parameter && !['FUNC_PARAM_OUT', 'FUNC_PARAM_TABLE'].includes(parameter.mode ?? ''))
        .map((parameter) => parameter?.argType);
      return [name, `${name}(${argumentKey(inputs)})`];
    }
    case 'CreateSchemaStmt':
      return [`schema:${statement.ast.schemaname ?? ''}`];
    case 'CreateExtensionStmt':
      return [`extension:${statement.ast.extname ?? ''}`];
    case 'CreateTrigStmt':
      return [`trigger:${statement.ast.relation?.schemaname ?? schema}.${statement.ast.relation?.relname ?? ''}.${statement.ast.trigname ?? ''}`];
    case 'CreatePolicyStmt':
      return [`policy:${statement.ast.table?.schemaname ?? schema}.${statement.ast.table?.relname ?? ''}.${statement.ast.policy_name ?? ''}`];
    default:
      return [];
  }
}

const RELATIONS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_INDEX', 'OBJECT_FOREIGN_TABLE']);

/** Argument types as a key: each TypeName's syntax tree without its positions (the same parser wrote both sides). */
function argumentKey(types: unknown[]): string {
  return types.map((type) => JSON.stringify(type ?? null, (key, value) => (key === 'location' ? undefined : value))).join(',');
}

/** The objects an IF EXISTS drop names, as createdNames does; undefined for any other statement. */
function droppedNames(statement: ParsedStatement, schema: string): string[] | undefined {
  if (statement.kind === 'AlterTableStmt') {
    const { ast } = statement;
    if (ast.missing_ok !== true || ast.objtype !== 'OBJECT_TABLE') return undefined;
    const cmds = (ast.cmds ?? []).map((cmd) => nodeAs(cmd, 'AlterTableCmd'));
    const drops = cmds.every((cmd) => cmd && ((cmd.subtype === 'AT_DropConstraint' && cmd.behavior !== 'DROP_CASCADE') || (cmd.subtype === 'AT_ColumnDefault' && cmd.def === undefined)));
    return drops ? [`rel:${ast.relation?.schemaname ?? schema}.${ast.relation?.relname ?? ''}`] : undefined;
  }
  if (statement.kind !== 'DropStmt') return undefined;
  const { ast } = statement;
  if (ast.missing_ok !== true || ast.behavior === 'DROP_CASCADE') return undefined;
  const objects: Node[] = ast.objects ?? [];
  const type = ast.removeType ?? '';
  const lists = objects.map((object) => stringList(nodeAs(object, 'List')?.items));
  if (RELATIONS.has(type)) return lists.map((names) => `rel:${qualified(names, schema)}`);
  if (type === 'OBJECT_TRIGGER' || type === 'OBJECT_POLICY') return lists.map((names) => `${type === 'OBJECT_TRIGGER' ? 'trigger' : 'policy'}:${qualified(names, schema, 3)}`);
  if (type === 'OBJECT_TYPE' || type === 'OBJECT_DOMAIN') return objects.map((object) => `type:${qualified(stringList(nodeAs(object, 'TypeName')?.names), schema)}`);
  if (type === 'OBJECT_FUNCTION' || type === 'OBJECT_PROCEDURE') {
    return objects.map((object) => {
      const target = nodeAs(object, 'ObjectWithArgs');
      const name = `function:${qualified(stringList(target?.objname), schema)}`;
      return target?.args_unspecified ? name : `${name}(${argumentKey((target?.objargs ?? []).map((arg) => nodeAs(arg, 'TypeName')))})`;
    });
  }
  if (type === 'OBJECT_SCHEMA' || type === 'OBJECT_EXTENSION') {
    return objects.map((object) => `${type === 'OBJECT_SCHEMA' ? 'schema' : 'extension'}:${nodeAs(object, 'String')?.sval ?? ''}`);
  }
  return undefined;
}
