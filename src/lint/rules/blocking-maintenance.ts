import { alterTableCommands, relationName, type RangeVar } from '../ast.js';
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
    const ast = statement.ast;
    const existing = (relation: RangeVar | undefined) => !relation?.relname || tableAge(relation) === 'existing';
    const blocked = (what: string, relation: RangeVar | undefined, help: string) =>
      report({ message: `${what}${relation?.relname ? ` ${relationName(relation)}` : ''} holds an ACCESS EXCLUSIVE lock while it works: reads and writes wait`, help, object: relation?.relname ? relationName(relation) : undefined });
    switch (statement.kind) {
      case 'ReindexStmt': {
        if ((ast.params ?? []).some((p: any) => p.DefElem?.defname === 'concurrently')) return;
        let table: RangeVar | undefined = ast.relation;
        if (ast.kind === 'REINDEX_OBJECT_INDEX' && ast.relation) {
          const index = schema.indexes.get(`${ast.relation.schemaname ?? 'public'}.${ast.relation.relname}`);
          table = index ? { schemaname: index.table.split('.')[0], relname: index.table.split('.')[1] } : undefined;
        }
        if (table && !existing(table)) return;
        return blocked('REINDEX', ast.relation, 'write REINDEX ... CONCURRENTLY (Postgres 12+, outside a transaction block)');
      }
      case 'AlterTableStmt':
        if (!existing(ast.relation)) return;
        for (const command of alterTableCommands(statement)) {
          if (command.subtype !== 'AT_DetachPartition' || command.def?.PartitionCmd?.concurrent) continue;
          blocked('DETACH PARTITION on', ast.relation, 'write ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (Postgres 14+, outside a transaction block)');
        }
        return;
      case 'RefreshMatViewStmt': {
        // the history does not track materialized views: one created earlier in this file is new
        const createdHere = context.earlierInFile.some((s) => s.kind === 'CreateTableAsStmt' && relationName(s.ast.into?.rel) === relationName(ast.relation));
        if (ast.concurrent || createdHere || !existing(ast.relation)) return;
        return blocked('REFRESH MATERIALIZED VIEW', ast.relation, 'write REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view)');
      }
      case 'ClusterStmt':
        if (ast.relation && !existing(ast.relation)) return;
        return blocked('CLUSTER', ast.relation, 'rebuild without the lock (pg_repack, or REPACK (CONCURRENTLY) on Postgres 19+), or run it in a maintenance window, not in a migration');
      case 'VacuumStmt': {
        if (!(ast.options ?? []).some((o: any) => o.DefElem?.defname === 'full')) return;
        const relations: RangeVar[] = (ast.rels ?? []).map((r: any) => r.VacuumRelation?.relation).filter(Boolean);
        if (relations.length > 0 && relations.every((r) => !existing(r))) return;
        return blocked('VACUUM FULL', relations[0], 'rebuild without the lock (pg_repack, or REPACK (CONCURRENTLY) on Postgres 19+), or run it in a maintenance window, not in a migration');
      }
      default:
        return;
    }
  },
});
