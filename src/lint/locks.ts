import type { ParsedStatement } from '../sql/parse.js';
import { alterTableCommands, strings, type RangeVar } from './ast.js';
import { concurrentForm } from './rules/concurrent-index-in-transaction.js';
import type { SchemaState } from './schema-state.js';

/** A table a statement must lock before it can do anything: the lock waits behind every open transaction on it. */
export interface TableLock {
  relation: RangeVar;
  /** Postgres's lock mode (explicit-locking.html, "Table-Level Lock Modes") */
  mode: 'ACCESS EXCLUSIVE' | 'EXCLUSIVE' | 'SHARE ROW EXCLUSIVE' | 'SHARE' | 'SHARE UPDATE EXCLUSIVE';
}

const splitKey = (key: string): RangeVar => ({ schemaname: key.slice(0, key.indexOf('.')), relname: key.slice(key.indexOf('.') + 1) });
const fromNames = (parts: string[]): RangeVar => (parts.length > 1 ? { schemaname: parts[parts.length - 2], relname: parts[parts.length - 1] } : { relname: parts[0] });

/**
 * The tables a DDL statement locks, with the mode (for the lock_timeout / statement_timeout rules). DML and
 * CREATE of new objects lock nothing that exists, except CREATE TABLE ... REFERENCES (the referenced table).
 */
export function tableLocks(statement: ParsedStatement, schema: SchemaState): TableLock[] {
  const ast = statement.ast;
  const concurrent = concurrentForm(statement) !== undefined;
  switch (statement.kind) {
    case 'AlterTableStmt': {
      const locks: TableLock[] = [];
      const commands = alterTableCommands(statement);
      const onlyForeignKeys = commands.length > 0 && commands.every((c) => c.subtype === 'AT_AddConstraint' && c.def?.Constraint?.contype === 'CONSTR_FOREIGN');
      const weak = commands.length > 0 && commands.every((c) => c.subtype === 'AT_ValidateConstraint' || c.subtype === 'AT_SetStatistics' || c.subtype === 'AT_SetRelOptions');
      if (ast.relation) locks.push({ relation: ast.relation, mode: concurrent || weak ? 'SHARE UPDATE EXCLUSIVE' : onlyForeignKeys ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE' });
      for (const command of commands) {
        const constraints = command.def?.Constraint ? [command.def.Constraint] : (command.def?.ColumnDef?.constraints ?? []).map((c: any) => c.Constraint);
        for (const c of constraints) if (c?.contype === 'CONSTR_FOREIGN' && c.pktable) locks.push({ relation: c.pktable, mode: 'SHARE ROW EXCLUSIVE' });
      }
      return locks;
    }
    case 'IndexStmt':
      return [{ relation: ast.relation, mode: ast.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE' }];
    case 'CreateStmt': {
      const locks: TableLock[] = [];
      const visit = (c: any) => c?.contype === 'CONSTR_FOREIGN' && c.pktable && locks.push({ relation: c.pktable, mode: 'SHARE ROW EXCLUSIVE' });
      for (const element of ast.tableElts ?? []) {
        visit(element.Constraint);
        for (const c of element.ColumnDef?.constraints ?? []) visit(c.Constraint);
      }
      return locks;
    }
    case 'DropStmt': {
      const names: string[][] = (ast.objects ?? []).map((o: any) => strings(o.List?.items ?? (o.String ? [o] : [])));
      switch (ast.removeType) {
        case 'OBJECT_TABLE':
        case 'OBJECT_VIEW':
        case 'OBJECT_MATVIEW':
          return names.map((parts) => ({ relation: fromNames(parts), mode: 'ACCESS EXCLUSIVE' }));
        case 'OBJECT_INDEX':
          return names.map((parts) => {
            const index = schema.indexes.get(parts.length > 1 ? parts.join('.') : `public.${parts[0]}`);
            // an unknown index predates the history; name it by itself so the caller treats it as existing
            return { relation: index ? splitKey(index.table) : fromNames(parts), mode: ast.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' };
          });
        case 'OBJECT_TRIGGER':
        case 'OBJECT_POLICY':
        case 'OBJECT_RULE':
          return names.map((parts) => ({ relation: fromNames(parts.slice(0, -1)), mode: 'ACCESS EXCLUSIVE' }));
        default:
          return [];
      }
    }
    case 'TruncateStmt':
    case 'LockStmt':
      return (ast.relations ?? []).map((r: any) => ({ relation: r.RangeVar, mode: 'ACCESS EXCLUSIVE' }));
    case 'CreateTrigStmt':
      return [{ relation: ast.relation, mode: 'SHARE ROW EXCLUSIVE' }];
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return [{ relation: ast.table, mode: 'ACCESS EXCLUSIVE' }];
    case 'RenameStmt':
      return ast.relation ? [{ relation: ast.relation, mode: 'ACCESS EXCLUSIVE' }] : [];
    case 'ReindexStmt':
      return ast.relation ? [{ relation: ast.relation, mode: concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' }] : [];
    case 'ClusterStmt':
    case 'RefreshMatViewStmt':
      return ast.relation ? [{ relation: ast.relation, mode: ast.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE' }] : [];
    case 'VacuumStmt': {
      const full = (ast.options ?? []).some((o: any) => o.DefElem?.defname === 'full');
      return full ? (ast.rels ?? []).map((r: any) => ({ relation: r.VacuumRelation?.relation, mode: 'ACCESS EXCLUSIVE' })).filter((l: TableLock) => l.relation) : [];
    }
    default:
      return [];
  }
}

/** `SET [LOCAL] <name> = <non-zero>` sets the timeout; `SET ... = 0`, `SET ... TO DEFAULT` and `RESET` clear it; undefined: not about it. */
export function timeoutSetting(statement: ParsedStatement, name: string): boolean | undefined {
  if (statement.kind !== 'VariableSetStmt' || statement.ast.name !== name) return undefined;
  if (statement.ast.kind !== 'VAR_SET_VALUE') return false;
  const value = statement.ast.args?.[0]?.A_Const;
  const raw = value?.ival?.ival ?? value?.sval?.sval ?? value?.fval?.fval;
  return !(raw === undefined || raw === 0 || /^\s*0+\s*(ms|s|min|h|d)?\s*$/i.test(String(raw)));
}
