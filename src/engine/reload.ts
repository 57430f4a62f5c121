import type { Engine } from './types.js';
import { InputError } from '../errors.js';
import { loadSqlParser } from '../sql/parse.js';
import { parseDumpStatements, type DumpStatement } from '../model/parse-dump.js';

/**
 * Loads a `pg_dump --schema-only` text into the engine's empty throwaway database and dumps it again, so that two
 * sides printed by different pg_dump versions (or re-printed by Postgres after a reload) are printed by the same
 * pg_dump after one reload. Owners, grants and revokes to roles other than PUBLIC, SET / set_config lines and the
 * `public` schema's CREATE / COMMENT are skipped; roles named by policies are created (NOLOGIN) when missing.
 */
export async function canonicalizeThroughEngine(dumpText: string, engine: Engine): Promise<string> {
  await loadSqlParser();
  const kept: string[] = ['SET check_function_bodies = false'];
  const roles = new Set<string>();
  for (const statement of parseDumpStatements(dumpText, 'dump')) {
    if (!keepStatement(statement)) continue;
    if (statement.kind === 'CreatePolicyStmt') {
      for (const role of statement.ast.roles ?? []) if (role.RoleSpec?.rolename) roles.add(role.RoleSpec.rolename);
    }
    kept.push(statement.text);
  }
  for (const role of [...roles].sort()) await engine.ensureRole(role);
  try {
    await engine.exec(kept.join(';\n') + ';\nRESET check_function_bodies;');
  } catch (error: any) {
    throw new InputError(`could not load the dump into the ${engine.info.name} engine: ${error?.message ?? error}`, {
      hint: 'the dump must be plain `pg_dump --schema-only` output',
    });
  }
  return engine.dump();
}

function keepStatement(statement: DumpStatement): boolean {
  const ast = statement.ast;
  switch (statement.kind) {
    case 'VariableSetStmt':
    case 'AlterOwnerStmt':
    case 'GrantRoleStmt':
    case 'AlterDefaultPrivilegesStmt':
      return false;
    case 'SelectStmt':
      return !/^\s*SELECT\s+pg_catalog\.set_config\s*\(/i.test(statement.text);
    case 'CreateSchemaStmt':
      return ast.schemaname !== 'public';
    case 'CommentStmt':
      return !(ast.objtype === 'OBJECT_SCHEMA' && ast.object?.String?.sval === 'public');
    case 'GrantStmt':
      return (ast.grantees ?? []).every((g: any) => g.RoleSpec?.roletype === 'ROLESPEC_PUBLIC');
    case 'AlterTableStmt':
      return !(ast.cmds ?? []).every((c: any) => c.AlterTableCmd?.subtype === 'AT_ChangeOwner');
    default:
      return true;
  }
}
