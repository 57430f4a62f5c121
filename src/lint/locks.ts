import type { Constraint, RangeVar } from '@pgsql/types';
import { namesKey, nodeAs, nodesAs, objectNames, rangeVarOfKey, rangeVarOfNames } from '../sql/ast.js';
import type { ParsedStatement } from '../sql/parse.js';
import { alterTableCommands, columnConstraints } from './ast.js';
import { concurrentForm } from '../sql/transaction-block.js';
import type { SchemaState } from './schema-state.js';

/** A table a statement must lock before it can do anything: the lock waits behind every open transaction on it. */
export interface TableLock {
  relation: RangeVar;
  /** Postgres's lock mode (explicit-locking.html, "Table-Level Lock Modes") */
  mode: 'ACCESS EXCLUSIVE' | 'EXCLUSIVE' | 'SHARE ROW EXCLUSIVE' | 'SHARE' | 'SHARE UPDATE EXCLUSIVE';
}

/**
 * The tables a DDL statement locks, with the mode (for the lock_timeout / statement_timeout rules). DML and
 * CREATE of new objects lock nothing that exists, except CREATE TABLE ... REFERENCES (the referenced table).
 */
export function tableLocks(statement: ParsedStatement, schema: SchemaState): TableLock[] {
  const concurrent = concurrentForm(statement) !== undefined;
  // destructured from the union, `kind` still narrows `ast`
  const { kind, ast } = statement;
  const locks: TableLock[] = [];
  const lock = (relation: RangeVar | undefined, mode: TableLock['mode']) => relation && locks.push({ relation, mode });
  /** a foreign key locks the table it references */
  const referenced = (constraints: Constraint[]) => {
    for (const c of constraints) if (c.contype === 'CONSTR_FOREIGN') lock(c.pktable, 'SHARE ROW EXCLUSIVE');
  };
  switch (kind) {
    case 'AlterTableStmt': {
      const commands = alterTableCommands(statement);
      const onlyForeignKeys = commands.length > 0 && commands.every((c) => c.subtype === 'AT_AddConstraint' && nodeAs(c.def, 'Constraint')?.contype === 'CONSTR_FOREIGN');
      const weak = commands.length > 0 && commands.every((c) => c.subtype === 'AT_ValidateConstraint' || c.subtype === 'AT_SetStatistics' || c.subtype === 'AT_SetRelOptions');
      lock(ast.relation, concurrent || weak ? 'SHARE UPDATE EXCLUSIVE' : onlyForeignKeys ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE');
      for (const command of commands) {
        const added = nodeAs(command.def, 'Constraint');
        referenced(added ? [added] : columnConstraints(nodeAs(command.def, 'ColumnDef')));
      }
      return locks;
    }
    case 'IndexStmt':
      lock(ast.relation, ast.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE');
      return locks;
    case 'CreateStmt':
      for (const element of ast.tableElts ?? []) {
        referenced(nodesAs([element], 'Constraint'));
        referenced(columnConstraints(nodeAs(element, 'ColumnDef')));
      }
      return locks;
    case 'DropStmt': {
      const names = (ast.objects ?? []).map(objectNames);
      switch (ast.removeType) {
        case 'OBJECT_TABLE':
        case 'OBJECT_VIEW':
        case 'OBJECT_MATVIEW':
          return names.map((parts) => ({ relation: rangeVarOfNames(parts), mode: 'ACCESS EXCLUSIVE' }));
        case 'OBJECT_INDEX':
          return names.map((parts) => {
            const index = schema.indexes.get(namesKey(parts));
            // an unknown index predates the history; name it by itself so the caller treats it as existing
            return { relation: index ? rangeVarOfKey(index.table) : rangeVarOfNames(parts), mode: ast.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' };
          });
        case 'OBJECT_TRIGGER':
        case 'OBJECT_POLICY':
        case 'OBJECT_RULE':
          return names.map((parts) => ({ relation: rangeVarOfNames(parts.slice(0, -1)), mode: 'ACCESS EXCLUSIVE' }));
        default:
          return [];
      }
    }
    case 'TruncateStmt':
    case 'LockStmt':
      for (const relation of nodesAs(ast.relations, 'RangeVar')) lock(relation, 'ACCESS EXCLUSIVE');
      return locks;
    case 'CreateTrigStmt':
      lock(ast.relation, 'SHARE ROW EXCLUSIVE');
      return locks;
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      lock(ast.table, 'ACCESS EXCLUSIVE');
      return locks;
    case 'RenameStmt':
      lock(ast.relation, 'ACCESS EXCLUSIVE');
      return locks;
    case 'ReindexStmt':
      lock(ast.relation, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE');
      return locks;
    case 'ClusterStmt':
      lock(ast.relation, 'ACCESS EXCLUSIVE');
      return locks;
    case 'RefreshMatViewStmt':
      lock(ast.relation, ast.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE');
      return locks;
    case 'VacuumStmt':
      if (nodesAs(ast.options, 'DefElem').some((option) => option.defname === 'full')) {
        for (const rel of nodesAs(ast.rels, 'VacuumRelation')) lock(rel.relation, 'ACCESS EXCLUSIVE');
      }
      return locks;
    default:
      return [];
  }
}

/** `SET [LOCAL] <name> = <non-zero>` sets the timeout; `SET ... = 0`, `SET ... TO DEFAULT` and `RESET` clear it; undefined: not about it. */
export function timeoutSetting(statement: ParsedStatement, name: string): boolean | undefined {
  if (statement.kind !== 'VariableSetStmt' || statement.ast.name !== name) return undefined;
  if (statement.ast.kind !== 'VAR_SET_VALUE') return false;
  const value = nodeAs(statement.ast.args?.[0], 'A_Const');
  const raw = value?.ival?.ival ?? value?.sval?.sval ?? value?.fval?.fval;
  return !(raw === undefined || raw === 0 || /^\s*0+\s*(ms|s|min|h|d)?\s*$/i.test(String(raw)));
}
