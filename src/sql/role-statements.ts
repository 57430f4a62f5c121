/**
 * Statements about roles, read from their AST: roles are cluster-wide, so an engine whose replay role may not
 * create them itself (the server engine before PostgreSQL 16) runs these on its own session instead, after
 * checking them against what a PostgreSQL 16 CREATEROLE role that is not superuser may do.
 */
import type { AlterRoleSetStmt, AlterRoleStmt, CommentStmt, CreateRoleStmt, DefElem, DropRoleStmt, Node, RenameStmt, RoleSpec } from '@pgsql/types';
import { nodeAs, nodesAs } from './ast.js';
import type { ParsedStatement } from './parse.js';

/** A top-level role statement: what it does, to which roles, and what a non-superuser could not do in it. */
export interface RoleStatement {
  /**
   * create: CREATE ROLE/USER/GROUP; alter: ALTER ROLE/USER/GROUP attributes or members; settings: ALTER ROLE ...
   * SET/RESET; drop: DROP ROLE/USER/GROUP; comment: COMMENT ON ROLE; rename: ALTER ROLE ... RENAME TO.
   */
  action: 'create' | 'alter' | 'settings' | 'drop' | 'comment' | 'rename';
  /**
   * The roles it acts on, by name, in order (the new role for create, the old name for rename); empty when it
   * names one otherwise (CURRENT_USER, SESSION_USER, ALL): such a statement is about the replay role itself.
   */
  roles: string[];
  /** drop: IF EXISTS */
  missingOk: boolean;
  /** rename: the new name */
  newName?: string;
  /** create: the roles IN ROLE / IN GROUP makes the new role a member of (granting those needs ADMIN on each) */
  memberOf: Array<{ role: string; byteLocation: number }>;
  /** what only a superuser (or a role holding that attribute) may write here; the first such, with its place */
  privileged?: { attribute: string; byteLocation: number };
  /** a role written as CURRENT_USER, CURRENT_ROLE or SESSION_USER where the engine would have to name it */
  specialRole?: { written: string; byteLocation: number };
  /** the statement as written, and where it starts in the file (UTF-8 bytes: AST locations count from there) */
  text: string;
  byteStart: number;
}

/** Role attributes a non-superuser cannot give without holding them (PostgreSQL 16 `CREATE ROLE` checks). */
const PRIVILEGED_ATTRIBUTES: Record<string, string> = {
  superuser: 'SUPERUSER',
  createdb: 'CREATEDB',
  createrole: 'CREATEROLE',
  isreplication: 'REPLICATION',
  bypassrls: 'BYPASSRLS',
};

/** Options that are plain per-role settings anyone administering the role may set. */
const PLAIN_OPTIONS = new Set(['password', 'inherit', 'connectionlimit', 'validUntil', 'canlogin', 'sysid', 'rolemembers', 'adminmembers', 'addroleto']);

/** The role statement a parsed statement is, or undefined for any other statement. */
export function roleStatementOf(statement: ParsedStatement): RoleStatement | undefined {
  const base = { missingOk: false, memberOf: [] as RoleStatement['memberOf'], text: statement.text, byteStart: statement.byteStart };
  switch (statement.kind) {
    case 'CreateRoleStmt': {
      const ast = statement.ast as CreateRoleStmt;
      return withOptions({ ...base, action: 'create', roles: [ast.role ?? ''] }, ast.options, statement.byteStart);
    }
    case 'AlterRoleStmt': {
      const ast = statement.ast as AlterRoleStmt;
      return withOptions({ ...base, action: 'alter', roles: namedRoles([ast.role]) }, ast.options, statement.byteStart);
    }
    case 'AlterRoleSetStmt': {
      const ast = statement.ast as AlterRoleSetStmt;
      return { ...base, action: 'settings', roles: ast.role ? namedRoles([ast.role]) : [] };
    }
    case 'DropRoleStmt': {
      const ast = statement.ast as DropRoleStmt;
      const specs = nodesAs(ast.roles, 'RoleSpec');
      const roles = namedRoles(specs);
      // DROP ROLE refuses CURRENT_USER itself; a list with one is left to Postgres (roles stays short of a name)
      return { ...base, action: 'drop', roles: roles.length === specs.length ? roles : [], missingOk: Boolean(ast.missing_ok) };
    }
    case 'CommentStmt': {
      const ast = statement.ast as CommentStmt;
      if (ast.objtype !== 'OBJECT_ROLE') return undefined;
      const name = nodeAs(ast.object, 'String')?.sval;
      return { ...base, action: 'comment', roles: name ? [name] : [] };
    }
    case 'RenameStmt': {
      const ast = statement.ast as RenameStmt;
      if (ast.renameType !== 'OBJECT_ROLE') return undefined;
      return { ...base, action: 'rename', roles: ast.subname ? [ast.subname] : [], newName: ast.newname };
    }
    default:
      return undefined;
  }
}

/** Names of the role specs that are plain names; a CURRENT_USER, SESSION_USER or ALL yields none. */
function namedRoles(specs: ReadonlyArray<RoleSpec | undefined>): string[] {
  const names: string[] = [];
  for (const spec of specs) if (spec?.roletype === 'ROLESPEC_CSTRING' && spec.rolename) names.push(spec.rolename);
  return names;
}

function withOptions(statement: RoleStatement, options: Node[] | undefined, byteStart: number): RoleStatement {
  for (const option of nodesAs(options, 'DefElem')) {
    const name = option.defname ?? '';
    const at = option.location ?? byteStart;
    const attribute = PRIVILEGED_ATTRIBUTES[name];
    if (attribute) {
      if (booleanArgument(option) && !statement.privileged) statement.privileged = { attribute, byteLocation: at };
      continue;
    }
    if (!PLAIN_OPTIONS.has(name)) {
      // an option this reader does not know (a newer grammar): refused rather than run unchecked
      statement.privileged ??= { attribute: name.toUpperCase(), byteLocation: at };
      continue;
    }
    if (name !== 'rolemembers' && name !== 'adminmembers' && name !== 'addroleto') continue;
    for (const spec of nodesAs(nodeAs(option.arg, 'List')?.items, 'RoleSpec')) {
      const location = spec.location ?? at;
      if (spec.roletype !== 'ROLESPEC_CSTRING' || !spec.rolename) {
        statement.specialRole ??= { written: SPECIAL_ROLE_NAMES[spec.roletype ?? ''] ?? String(spec.roletype), byteLocation: location };
        continue;
      }
      if (name === 'addroleto') statement.memberOf.push({ role: spec.rolename, byteLocation: location });
    }
  }
  return statement;
}

const SPECIAL_ROLE_NAMES: Record<string, string> = {
  ROLESPEC_CURRENT_USER: 'CURRENT_USER',
  ROLESPEC_CURRENT_ROLE: 'CURRENT_ROLE',
  ROLESPEC_SESSION_USER: 'SESSION_USER',
  ROLESPEC_PUBLIC: 'PUBLIC',
};

/** `SUPERUSER` → true, `NOSUPERUSER` → false (libpg-query may leave a false boolean out). */
function booleanArgument(option: DefElem): boolean {
  const value = nodeAs(option.arg, 'Boolean');
  if (value) return Boolean(value.boolval);
  const integer = nodeAs(option.arg, 'Integer');
  return integer ? Boolean(integer.ival) : true;
}

/** 1-based character position (what Postgres reports) of a file byte offset inside a statement's text. */
export function positionInStatement(statement: Pick<RoleStatement, 'text' | 'byteStart'>, byteLocation: number): number {
  const bytes = Buffer.from(statement.text, 'utf8');
  const prefix = bytes.subarray(0, Math.max(0, Math.min(bytes.length, byteLocation - statement.byteStart))).toString('utf8');
  return [...prefix].length + 1;
}
