/**
 * Statements that name the role the team's runner connects as (Runner.connectsAs: the Supabase CLI's `postgres`), read
 * from their AST. On a server the replay runs as a throwaway role that stands for that role; where the statement only
 * says "this role", as the replay role it needs no saying: `ALTER ... OWNER TO postgres` of an object the replay role
 * created is an ownership change to the current owner, and `ALTER DEFAULT PRIVILEGES FOR ROLE postgres` is the
 * statement without its FOR ROLE clause.
 */
import type { AlterDefaultPrivilegesStmt, AlterOwnerStmt, AlterTableStmt, RoleSpec, VariableSetStmt } from '@pgsql/types';
import { nodeAs, nodesAs } from './ast.js';
import type { ParsedStatement } from './parse.js';

/** What of a statement the replay role need not run: all of it, or byte ranges of the file (a FOR ROLE clause). */
export type RunnerRoleEdit = { whole: true } | { whole: false; ranges: Array<{ byteStart: number; byteEnd: number }> };

/**
 * Objects whose ownership change to the runner's role is one to the replay role. A database or tablespace is not the
 * replay's (the throwaway database has another name; tablespaces belong to the server): left as written.
 */
const NOT_THE_REPLAYS = new Set(['OBJECT_DATABASE', 'OBJECT_TABLESPACE']);

/**
 * How `role` (the runner's connecting role, by name) is written in a statement that the replay role need not run, or
 * not run all of: undefined when the statement is not one (run as written).
 * - `ALTER <object> OWNER TO role` (AlterOwnerStmt, and ALTER TABLE/VIEW/SEQUENCE/... whose only commands are OWNER TO
 *   role): whole.
 * - `ALTER DEFAULT PRIVILEGES FOR ROLE role ...` (that one role): the FOR ROLE clause.
 * `tokenEnd` gives the end byte of the token at a byte offset (the role's name as written, quoted or not).
 */
export function runnerRoleEdit(statement: ParsedStatement, role: string, tokenEnd: (byteOffset: number) => number | undefined): RunnerRoleEdit | undefined {
  const names = (spec: RoleSpec | undefined) => spec?.roletype === 'ROLESPEC_CSTRING' && spec.rolename === role;
  switch (statement.kind) {
    case 'AlterOwnerStmt': {
      const ast = statement.ast as AlterOwnerStmt;
      return names(ast.newowner) && !NOT_THE_REPLAYS.has(String(ast.objectType)) ? { whole: true } : undefined;
    }
    case 'AlterTableStmt': {
      const commands = nodesAs((statement.ast as AlterTableStmt).cmds, 'AlterTableCmd');
      if (commands.length === 0) return undefined;
      return commands.every((command) => command.subtype === 'AT_ChangeOwner' && names(command.newowner)) ? { whole: true } : undefined;
    }
    case 'AlterDefaultPrivilegesStmt': {
      const options = nodesAs((statement.ast as AlterDefaultPrivilegesStmt).options, 'DefElem');
      const forRole = options.find((option) => option.defname === 'roles');
      const specs = nodesAs(nodeAs(forRole?.arg, 'List')?.items, 'RoleSpec');
      if (!forRole || forRole.location === undefined || specs.length !== 1 || !names(specs[0]) || specs[0].location === undefined) return undefined;
      const end = tokenEnd(specs[0].location);
      return end === undefined ? undefined : { whole: false, ranges: [{ byteStart: forRole.location, byteEnd: end }] };
    }
    default:
      return undefined;
  }
}

/**
 * `SET ROLE`, `RESET ROLE`, `SET SESSION AUTHORIZATION` (and RESET ALL does not reset them): after one, the current role
 * is no longer the one the runner connected as, and what the statements above mean depends on which it is.
 */
export function setsRole(statement: ParsedStatement): boolean {
  if (statement.kind !== 'VariableSetStmt') return false;
  const name = (statement.ast as VariableSetStmt).name;
  return name === 'role' || name === 'session_authorization';
}
