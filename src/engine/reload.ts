import type { Engine } from './types.js';
import { EngineError } from '../errors.js';
import { loadSqlParser } from '../sql/parse.js';
import { parseDumpStatements, type DumpStatement } from '../model/parse-dump.js';
import type { RangeVar } from '@pgsql/types';
import { nodeAs, nodesAs, qualifiedRelation, relationKey } from '../sql/ast.js';

/**
 * A dump the engine refused to load: names the dump (`label`), the line of the statement Postgres rejected and
 * Postgres's own message, so the cause (an extension the engine lacks, a newer syntax...) is plain.
 */
export class ReloadError extends EngineError {
  constructor(
    readonly label: string,
    readonly line: number | undefined,
    readonly reason: string,
    engineName: string,
  ) {
    super(`the ${engineName} engine could not load ${label}${line !== undefined ? ` (line ${line})` : ''}: ${reason}`);
  }
}

/**
 * Loads a `pg_dump --schema-only` text into the engine's empty throwaway database and dumps it again, so that two
 * sides printed by different pg_dump versions (or re-printed by Postgres after a reload) are printed by the same
 * pg_dump after one reload. Owners, grants and revokes to roles other than PUBLIC, SET / set_config lines, the
 * `public` schema's CREATE / COMMENT and plpgsql's COMMENT are skipped (privileges and comments are compared from
 * the model, never through a reload); roles named by policies are created (NOLOGIN) when missing. `label` names the dump in errors.
 */
export async function canonicalizeThroughEngine(dumpText: string, engine: Engine, label = 'the dump', options: ReloadOptions = {}): Promise<string> {
  await loadSqlParser();
  const kept: DumpStatement[] = [];
  const roles = new Set<string>();
  const statements = parseDumpStatements(dumpText, label);
  const leaveOut = options.focusTables ? leavesOutsideFocus(statements, options.focusTables) : undefined;
  const before = options.before;
  for (const statement of statements) {
    if (!keepStatement(statement) || leaveOut?.has(statement) || (before && createsOrCommentsOnExtension(statement, before.extensions))) continue;
    if (statement.kind === 'CreatePolicyStmt') {
      for (const role of nodesAs(statement.ast.roles, 'RoleSpec')) if (role.rolename) roles.add(role.rolename);
    }
    kept.push(statement);
  }
  for (const role of [...new Set([...roles, ...(before?.roles ?? [])])].sort()) await engine.ensureRole(role);
  if (before) {
    try {
      await engine.exec(before.sql);
    } catch (caught) {
      throw new ReloadError(before.file, undefined, String((caught as { message?: unknown } | undefined)?.message ?? caught), engine.info.name);
    }
  }
  const prologue = 'SET check_function_bodies = false;\n';
  const sql = prologue + kept.map((statement) => statement.text).join(';\n') + ';\nRESET check_function_bodies;';
  try {
    await engine.exec(sql);
  } catch (caught) {
    const error = caught as { position?: unknown; message?: unknown } | undefined;
    const position = Number(error?.position);
    const statement = Number.isFinite(position) && position > 0 ? statementAt(kept, prologue.length, codePointIndex(sql, position - 1)) : undefined;
    throw new ReloadError(label, statement?.line, String(error?.message ?? error), engine.info.name);
  }
  return engine.dump();
}

export interface ReloadOptions {
  /**
   * Only these tables (`schema.name`) need their indexes, foreign keys and triggers: the others' are left out of
   * the reload (nothing else in a dump depends on them, and creating them is most of a load's cost). Tables,
   * columns, CHECKs, keys, views, functions, types and comments are always loaded. Undefined: load everything.
   */
  focusTables?: ReadonlySet<string>;
  /**
   * What the dump was taken after, loaded first: `sql` (named `file` in errors) with its `roles`; the dump's own
   * CREATE EXTENSION and COMMENT ON EXTENSION of `extensions` are left out (that SQL makes them, or stands in for
   * them). A snapshot `supabase db dump` wrote references the platform schemas it leaves out (`auth.users`,
   * `auth.uid()`) and lists extensions only Supabase's image ships (pg_graphql, pg_net, supabase_vault...).
   */
  before?: { sql: string; file: string; roles: readonly string[]; extensions: ReadonlySet<string> };
}

/** A CREATE EXTENSION, or a COMMENT ON EXTENSION, of one of `extensions`. */
function createsOrCommentsOnExtension(statement: DumpStatement, extensions: ReadonlySet<string>): boolean {
  if (statement.kind === 'CreateExtensionStmt') return extensions.has(statement.ast.extname ?? '');
  if (statement.kind === 'CommentStmt' && statement.ast.objtype === 'OBJECT_EXTENSION') return extensions.has(nodeAs(statement.ast.object, 'String')?.sval ?? '');
  return false;
}

/**
 * The statements a focused reload may leave out: non-unique CREATE INDEX, FOREIGN KEY constraints and CREATE
 * TRIGGER on tables outside the focus, and the comments on them; never an object another statement names (an
 * index a partition's index is attached to, a table is clustered on or uses as replica identity; a trigger a
 * table enables or disables).
 */
function leavesOutsideFocus(statements: DumpStatement[], focus: ReadonlySet<string>): Set<DumpStatement> {
  const named = new Set<string>();
  for (const statement of statements) {
    if (statement.kind !== 'AlterTableStmt') continue;
    collectStrings(statement.ast, named);
  }
  const out = new Set<DumpStatement>();
  const dropped = new Set<string>(); // schema.table.name or schema.name of what was left out, for their comments
  const tableOf = (relation: RangeVar | undefined) => (relation ? relationKey(relation) : '');
  for (const statement of statements) {
    if (statement.kind === 'IndexStmt') {
      const ast = statement.ast;
      const table = tableOf(ast.relation);
      if (!ast.unique && !ast.primary && !ast.isconstraint && ast.idxname && !focus.has(table) && !named.has(ast.idxname)) {
        out.add(statement);
        dropped.add(`index:${qualifiedRelation(ast.relation).schema}.${ast.idxname}`);
      }
    } else if (statement.kind === 'CreateTrigStmt') {
      const ast = statement.ast;
      const table = tableOf(ast.relation);
      if (!focus.has(table) && !named.has(ast.trigname ?? '')) {
        out.add(statement);
        dropped.add(`trigger:${table}.${ast.trigname}`);
      }
    } else if (statement.kind === 'AlterTableStmt' && statement.ast.objtype === 'OBJECT_TABLE') {
      const table = tableOf(statement.ast.relation);
      const cmds = nodesAs(statement.ast.cmds, 'AlterTableCmd');
      const foreignKeys = cmds.map((c) => (c.subtype === 'AT_AddConstraint' ? nodeAs(c.def, 'Constraint') : undefined));
      if (cmds.length > 0 && foreignKeys.every((fk) => fk?.contype === 'CONSTR_FOREIGN') && !focus.has(table)) {
        out.add(statement);
        for (const fk of foreignKeys) dropped.add(`constraint:${table}.${fk?.conname}`);
      }
    }
  }
  const commentKinds: Record<string, string> = { OBJECT_INDEX: 'index', OBJECT_TRIGGER: 'trigger', OBJECT_TABCONSTRAINT: 'constraint' };
  for (const statement of statements) {
    if (statement.kind !== 'CommentStmt') continue;
    const parts = (nodeAs(statement.ast.object, 'List')?.items ?? []).map((item) => nodeAs(item, 'String')?.sval);
    const kind = commentKinds[statement.ast.objtype ?? ''];
    if (kind && dropped.has(`${kind}:${parts.join('.')}`)) out.add(statement);
  }
  return out;
}

/** Every string value in an AST (names it mentions), conservatively. */
function collectStrings(node: unknown, into: Set<string>): void {
  if (typeof node === 'string') into.add(node);
  else if (Array.isArray(node)) for (const item of node) collectStrings(item, into);
  else if (node && typeof node === 'object') for (const value of Object.values(node)) collectStrings(value, into);
}

/** The kept statement whose text contains the UTF-16 `index` of the joined SQL. */
function statementAt(kept: DumpStatement[], start: number, index: number): DumpStatement | undefined {
  let offset = start;
  for (const statement of kept) {
    const end = offset + statement.text.length + 2; // ";\n"
    if (index < end) return statement;
    offset = end;
  }
  return undefined;
}

/** UTF-16 index of the `codePoints`-th code point (Postgres counts characters). */
function codePointIndex(text: string, codePoints: number): number {
  let index = 0;
  for (let n = 0; n < codePoints && index < text.length; n++) index += text.codePointAt(index)! > 0xffff ? 2 : 1;
  return index;
}

function keepStatement(statement: DumpStatement): boolean {
  // destructured from the union, `kind` still narrows `ast`
  const { kind, ast } = statement;
  switch (kind) {
    case 'VariableSetStmt':
      // pg_dump before 10.3 printed names unqualified under `SET search_path = app, pg_catalog;`: without it the
      // reload would make app's objects in public
      return ast.name === 'search_path';
    case 'AlterOwnerStmt':
    case 'GrantRoleStmt':
    case 'AlterDefaultPrivilegesStmt':
      return false;
    case 'SelectStmt':
      return !/^\s*SELECT\s+pg_catalog\.set_config\s*\(/i.test(statement.text);
    case 'CreateSchemaStmt':
      return ast.schemaname !== 'public';
    case 'CommentStmt': {
      // Also plpgsql's: every database has it, owned by the bootstrap superuser, and pg_dump <= 10 wrote its comment,
      // which the server engine's replay role may not set ("must be owner of extension plpgsql"). Comments are
      // compared from the model, never through a reload.
      const name = nodeAs(ast.object, 'String')?.sval;
      return !((ast.objtype === 'OBJECT_SCHEMA' && name === 'public') || (ast.objtype === 'OBJECT_EXTENSION' && name === 'plpgsql'));
    }
    case 'GrantStmt':
      return (ast.grantees ?? []).every((g) => nodeAs(g, 'RoleSpec')?.roletype === 'ROLESPEC_PUBLIC');
    case 'AlterTableStmt':
      return !(ast.cmds ?? []).every((c) => nodeAs(c, 'AlterTableCmd')?.subtype === 'AT_ChangeOwner');
    default:
      return true;
  }
}
