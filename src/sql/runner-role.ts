/**
 * Statements that name the role the team's runner connects as (Runner.connectsAs: the Supabase CLI's `postgres`), read
 * from their AST. On a server the replay runs as a throwaway role that stands for that role, and is never given the
 * server's own role of that name. Where a statement only says "this role", as the replay role it needs no saying, or
 * says it otherwise, in place (the file keeps every character's position):
 * - `ALTER ... OWNER TO postgres` of an object the replay role created is an ownership change to the current owner;
 * - `ALTER DEFAULT PRIVILEGES FOR ROLE postgres` is the statement without its FOR ROLE clause;
 * - `GRANT ... TO postgres` / `REVOKE ... FROM postgres` of an object the replay role owns (all it created) give or
 *   take privileges the owner holds: the grantee is left out (the whole statement when it is the only one);
 * - `GRANT r TO postgres` (role membership): the replay role holds every role pgdrift made, and the server's own
 *   postgres, a cluster-wide role pgdrift did not create, must not gain or lose a membership: left out likewise;
 * - `SET ROLE postgres` is `SET ROLE NONE`, `SET SESSION AUTHORIZATION postgres` is `... DEFAULT`: back to the role
 *   the session connected as.
 */
import type { AlterDefaultPrivilegesStmt, AlterOwnerStmt, AlterTableStmt, GrantRoleStmt, GrantStmt, Node, RoleSpec, VariableSetStmt } from '@pgsql/types';
import { nodeAs, nodesAs } from './ast.js';
import type { ParsedStatement } from './parse.js';

/** What an edit is about, for the run's notice. */
export type RunnerRoleEditKind = 'owner' | 'for-role' | 'grantee' | 'set-role';

/**
 * What of a statement the replay role need not run, or runs as other text: all of it, or byte ranges of the file,
 * each blanked or replaced by `text` (no longer than the range; the rest of it blanked).
 */
export type RunnerRoleEdit = { kind: RunnerRoleEditKind } & ({ whole: true } | { whole: false; ranges: Array<{ byteStart: number; byteEnd: number; text?: string }> });

/** The file's code tokens (no comments) around a byte offset: the one starting there, and its neighbours. */
export interface TokenLookup {
  at(byteOffset: number): { start: number; end: number; text: string } | undefined;
  next(byteOffset: number): { start: number; end: number; text: string } | undefined;
  previous(byteOffset: number): { start: number; end: number; text: string } | undefined;
}

/**
 * Objects whose ownership change to the runner's role is one to the replay role. A database or tablespace is not the
 * replay's (the throwaway database has another name; tablespaces belong to the server): left as written.
 */
const NOT_THE_REPLAYS = new Set(['OBJECT_DATABASE', 'OBJECT_TABLESPACE']);

/**
 * Objects of a GRANT the replay role does not own, so a grant on them to the runner's role is not one the owner already
 * holds: left as written (it lands in the throwaway database's catalog, or is refused; the dump names the server's
 * postgres as it names the replay role). Schema `public` belongs to pg_database_owner (PostgreSQL 15+), as on Supabase,
 * where `GRANT USAGE ON SCHEMA public TO postgres` is an ACL entry a dump shows.
 */
const NOT_OWNED_OBJECTS = new Set(['OBJECT_DATABASE', 'OBJECT_TABLESPACE', 'OBJECT_LANGUAGE', 'OBJECT_FDW', 'OBJECT_FOREIGN_SERVER', 'OBJECT_LARGEOBJECT', 'OBJECT_PARAMETER_ACL']);

/** The role a session is running as, as far as the replay can tell from the statements before. */
export type CurrentRole = 'runner' | 'other' | 'unknown';

/**
 * The edit of a statement that names `role` (the runner's connecting role, by name) in one of the ways above, or
 * undefined (run as written). `current`: who the session is at this statement; only a membership grant or a SET ROLE
 * to the runner's role is edited when it is not the runner's role (after `SET ROLE other`, what an ownership change or
 * a grant means depends on that other role: run as written).
 */
export function runnerRoleEdit(statement: ParsedStatement, role: string, tokens: TokenLookup, current: CurrentRole): RunnerRoleEdit | undefined {
  const names = (spec: RoleSpec | undefined) => spec?.roletype === 'ROLESPEC_CSTRING' && spec.rolename === role;
  const asRunner = current === 'runner';
  switch (statement.kind) {
    case 'AlterOwnerStmt': {
      const ast = statement.ast as AlterOwnerStmt;
      return asRunner && names(ast.newowner) && !NOT_THE_REPLAYS.has(String(ast.objectType)) ? { kind: 'owner', whole: true } : undefined;
    }
    case 'AlterTableStmt': {
      const commands = nodesAs((statement.ast as AlterTableStmt).cmds, 'AlterTableCmd');
      if (!asRunner || commands.length === 0) return undefined;
      return commands.every((command) => command.subtype === 'AT_ChangeOwner' && names(command.newowner)) ? { kind: 'owner', whole: true } : undefined;
    }
    case 'AlterDefaultPrivilegesStmt': {
      if (!asRunner) return undefined;
      const ast = statement.ast as AlterDefaultPrivilegesStmt;
      const options = nodesAs(ast.options, 'DefElem');
      const forRole = options.find((option) => option.defname === 'roles');
      const specs = nodesAs(nodeAs(forRole?.arg, 'List')?.items, 'RoleSpec');
      let clause: { byteStart: number; byteEnd: number } | undefined;
      if (forRole) {
        // FOR ROLE of the runner's role alone: the clause goes; of other roles too: the statement runs as written
        if (forRole.location === undefined || specs.length !== 1 || !names(specs[0]) || specs[0].location === undefined) return undefined;
        const end = tokens.at(specs[0].location)?.end;
        if (end === undefined) return undefined;
        clause = { byteStart: forRole.location, byteEnd: end };
      }
      // the replay role's default privileges on what it creates, to itself: held by the owner of each
      const grantees = granteeEdit(ast.action?.grantees, names, tokens);
      if (grantees === 'all') return { kind: 'grantee', whole: true };
      const ranges = [...(clause ? [clause] : []), ...(grantees ?? [])];
      return ranges.length === 0 ? undefined : { kind: grantees ? 'grantee' : 'for-role', whole: false, ranges };
    }
    case 'GrantStmt': {
      const ast = statement.ast as GrantStmt;
      if (!asRunner || NOT_OWNED_OBJECTS.has(String(ast.objtype))) return undefined;
      if (ast.objtype === 'OBJECT_SCHEMA' && ast.targtype === 'ACL_TARGET_OBJECT' && nodesAs(ast.objects, 'String').some((s) => s.sval === 'public')) return undefined;
      // GRANTED BY names the grantor: the statement runs as written
      if (ast.grantor) return undefined;
      return grantEdit(granteeEdit(ast.grantees, names, tokens));
    }
    case 'GrantRoleStmt': {
      // whoever the session is: the server's own role never gains or loses a membership
      const ast = statement.ast as GrantRoleStmt;
      if (ast.grantor) return undefined;
      return grantEdit(granteeEdit(ast.grantee_roles, names, tokens));
    }
    case 'VariableSetStmt': {
      const ast = statement.ast as VariableSetStmt;
      if (ast.kind !== 'VAR_SET_VALUE' || (ast.name !== 'role' && ast.name !== 'session_authorization')) return undefined;
      const value = settingValue(ast.args);
      if (value?.text !== role || value.location === undefined) return undefined;
      const token = tokens.at(value.location);
      const replacement = ast.name === 'role' ? 'NONE' : 'DEFAULT';
      if (!token || token.end - token.start < replacement.length) return undefined;
      return { kind: 'set-role', whole: false, ranges: [{ byteStart: token.start, byteEnd: token.end, text: replacement }] };
    }
    default:
      return undefined;
  }
}

function grantEdit(edit: ReturnType<typeof granteeEdit>): RunnerRoleEdit | undefined {
  if (edit === undefined) return undefined;
  return edit === 'all' ? { kind: 'grantee', whole: true } : { kind: 'grantee', whole: false, ranges: edit };
}

/**
 * The byte ranges that leave the runner's role out of a grantee list (each name with the comma after it, or the one
 * before it for the last), 'all' when it is every grantee, undefined when it is none.
 */
function granteeEdit(grantees: Node[] | undefined, names: (spec: RoleSpec | undefined) => boolean, tokens: TokenLookup): Array<{ byteStart: number; byteEnd: number }> | 'all' | undefined {
  const specs = nodesAs(grantees, 'RoleSpec');
  const runner = specs.filter((spec) => names(spec));
  if (runner.length === 0) return undefined;
  if (runner.length === specs.length) return 'all';
  const ranges: Array<{ byteStart: number; byteEnd: number }> = [];
  for (const spec of runner) {
    const token = spec.location === undefined ? undefined : tokens.at(spec.location);
    if (!token) return undefined;
    const after = tokens.next(token.start);
    if (after?.text === ',') {
      ranges.push({ byteStart: token.start, byteEnd: after.end });
      continue;
    }
    const before = tokens.previous(token.start);
    if (before?.text !== ',') return undefined;
    ranges.push({ byteStart: before.start, byteEnd: token.end });
  }
  // two neighbours both named: `a, postgres, postgres` would blank one comma twice and keep none between the others
  const sorted = [...ranges].sort((a, b) => a.byteStart - b.byteStart);
  return sorted.some((range, i) => i > 0 && range.byteStart < sorted[i - 1].byteEnd) ? undefined : sorted;
}

/** The value of `SET ROLE x` / `SET SESSION AUTHORIZATION x` as a name (an identifier or a string), with its place. */
function settingValue(args: Node[] | undefined): { text: string; location?: number } | undefined {
  if (args?.length !== 1) return undefined;
  const constant = nodeAs(args[0], 'A_Const');
  const text = constant?.sval?.sval;
  return text === undefined ? undefined : { text, location: constant?.location };
}

/**
 * Who the session runs as after a statement, given who it ran as before (`SET ROLE`, `RESET ROLE`, `SET SESSION
 * AUTHORIZATION`; RESET ALL does not reset them): the runner's role after `SET ROLE <it>`, `SET ROLE NONE`, `RESET
 * ROLE` and the session-authorization forms that name it or the session's own; another after `SET ROLE other`.
 * `local`: a SET LOCAL, which lasts to the end of the transaction.
 */
export function roleAfter(statement: ParsedStatement, role: string): { current: CurrentRole; local: boolean } | undefined {
  if (statement.kind !== 'VariableSetStmt') return undefined;
  const ast = statement.ast as VariableSetStmt;
  if (ast.name !== 'role' && ast.name !== 'session_authorization') return undefined;
  const local = Boolean(ast.is_local);
  if (ast.kind === 'VAR_RESET' || ast.kind === 'VAR_SET_DEFAULT') return { current: 'runner', local };
  if (ast.kind !== 'VAR_SET_VALUE') return { current: 'unknown', local };
  const value = settingValue(ast.args);
  if (value === undefined) return { current: 'unknown', local };
  // `SET ROLE NONE` (Postgres's check_role takes the value "none" for it, however written)
  const none = ast.name === 'role' && value.text === 'none';
  return { current: value.text === role || none ? 'runner' : 'other', local };
}
