import type { RangeVar } from '@pgsql/types';
import { alterTableCommands } from '../ast.js';
import { nodeAs, nodesAs, rangeVarOfKey, relationKey, writtenRelationName } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'blocking-maintenance',
  scope: 'statement',
  description: 'REINDEX, DETACH PARTITION or REFRESH MATERIALIZED VIEW without CONCURRENTLY, VACUUM FULL or CLUSTER, on an existing object',
  defaultSeverity: 'warning',
  docs: 'These take an ACCESS EXCLUSIVE lock for as long as they work on the whole table: reads and writes wait.',
  check(context) {
    // earlierInFile is read only where needed: it is a copy per statement (lint stays linear in the file size)
    const { statement, schema, tableAge, report } = context;
    // destructured from the union, `kind` still narrows `ast`
    const { kind, ast } = statement;
    const existing = (relation: RangeVar | undefined) => !relation?.relname || tableAge(relation) === 'existing';
    const blocked = (what: string, relation: RangeVar | undefined, help: string) =>
      report({ message: `${what}${relation?.relname ? ` ${writtenRelationName(relation)}` : ''} holds an ACCESS EXCLUSIVE lock while it works: reads and writes wait`, help, object: relation?.relname ? writtenRelationName(relation) : undefined });
    switch (kind) {
      case 'ReindexStmt': {
        if (nodesAs(ast.params, 'DefElem').some((option) => option.defname === 'concurrently')) return;
        let table: RangeVar | undefined = ast.relation;
        if (ast.kind === 'REINDEX_OBJECT_INDEX' && ast.relation) {
          const index = schema.indexes.get(relationKey(ast.relation));
          table = index ? rangeVarOfKey(index.table) : undefined;
        }
        if (table && !existing(table)) return;
        return blocked('REINDEX', ast.relation, 'write REINDEX ... CONCURRENTLY (Postgres 12+, outside a transaction block)');
      }
      case 'AlterTableStmt':
        if (!existing(ast.relation)) return;
        for (const command of alterTableCommands(statement)) {
          if (command.subtype !== 'AT_DetachPartition' || nodeAs(command.def, 'PartitionCmd')?.concurrent) continue;
          blocked('DETACH PARTITION on', ast.relation, 'write ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (Postgres 14+, outside a transaction block)');
        }
        return;
      case 'RefreshMatViewStmt': {
        // the history does not track materialized views: one created earlier in this file is new
        const createdHere = context.earlierInFile.some((s) => s.kind === 'CreateTableAsStmt' && writtenRelationName(s.ast.into?.rel) === writtenRelationName(ast.relation));
        if (ast.concurrent || createdHere || !existing(ast.relation)) return;
        return blocked('REFRESH MATERIALIZED VIEW', ast.relation, 'write REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view)');
      }
      case 'ClusterStmt':
        if (ast.relation && !existing(ast.relation)) return;
        return blocked('CLUSTER', ast.relation, 'rebuild without the lock (pg_repack, or REPACK (CONCURRENTLY) on Postgres 19+), or run it in a maintenance window, not in a migration');
      case 'VacuumStmt': {
        if (!nodesAs(ast.options, 'DefElem').some((option) => option.defname === 'full')) return;
        const relations = nodesAs(ast.rels, 'VacuumRelation').flatMap((r) => (r.relation ? [r.relation] : []));
        if (relations.length > 0 && relations.every((r) => !existing(r))) return;
        return blocked('VACUUM FULL', relations[0], 'rebuild without the lock (pg_repack, or REPACK (CONCURRENTLY) on Postgres 19+), or run it in a maintenance window, not in a migration');
      }
      default:
        return;
    }
  },
});
