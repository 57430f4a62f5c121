import { nodeAs } from '../../sql/ast.js';
import { sqlName, sqlNames, sqlTable } from '../help-sql.js';
import { defineRule } from '../define-rule.js';
import type { SchemaState, TrackedForeignKey, TrackedIndex } from '../schema-state.js';

export default defineRule({
  id: 'fk-needs-index',
  scope: 'schema',
  description: 'A foreign key whose columns do not lead any index (the primary key counts) in the end-state schema',
  defaultSeverity: 'warning',
  docs: 'Without an index on the referencing columns, every delete or key update on the parent table scans the child table.',
  check({ schema, report }) {
    const indexes = indexesByTable(schema);
    for (const table of schema.tables.values()) {
      for (const fk of table.foreignKeys) {
        const cover = fkCover(schema, fk, indexes.get(fk.table) ?? []);
        if (cover.kind !== 'none') continue; // a filtering partial index is fk-partial-index's (weaker) finding
        const columns = fk.columns.join(', ');
        report({
          at: fk.origin,
          message: `foreign key ${fk.name} (${columns}) on ${table.name} has no index starting with ${fk.columns.length > 1 ? 'those columns' : 'that column'}`,
          help: `CREATE INDEX IF NOT EXISTS ${sqlName(`idx_${table.name}_${fk.columns.join('_')}`)} ON ${sqlTable(table.key)} (${sqlNames(fk.columns)}); (an index added by a later migration also counts)`,
          object: fkObject(table.key, fk),
        });
      }
    }
  },
});

export type FkCover = { kind: 'full' } | { kind: 'partial-only'; index: TrackedIndex } | { kind: 'none' };

/**
 * How the FK's lookups (`WHERE fk_cols = $1`, run by Postgres on every parent delete/key update) are served:
 * `full` by the primary key or an index whose leading columns are exactly the FK's (in any order) — a partial
 * index counts when its predicate only says the FK columns are NOT NULL, since the lookup's `=` implies that
 * (documented policy, issue 9 item 11); `partial-only` when only an index with a real filter leads with them.
 */
export function fkCover(schema: SchemaState, fk: TrackedForeignKey, indexes: readonly TrackedIndex[]): FkCover {
  const wanted = new Set(fk.columns);
  const leads = (columns: ReadonlyArray<string | null>) =>
    columns.length >= wanted.size && columns.slice(0, wanted.size).every((c) => c !== null && wanted.has(c));
  const table = schema.tables.get(fk.table);
  if (table?.primaryKey && leads(table.primaryKey)) return { kind: 'full' };
  let partial: TrackedIndex | undefined;
  for (const index of indexes) {
    if (!leads(index.columns)) continue;
    if (!index.partial || impliedByLookup(index.predicate, wanted)) return { kind: 'full' };
    partial ??= index;
  }
  return partial ? { kind: 'partial-only', index: partial } : { kind: 'none' };
}

/** True for `a IS NOT NULL [AND b IS NOT NULL ...]` over FK columns only: every FK lookup satisfies it. */
function impliedByLookup(predicate: unknown, fkColumns: ReadonlySet<string>): boolean {
  const and = nodeAs(predicate, 'BoolExpr');
  if (and?.boolop === 'AND_EXPR') return (and.args ?? []).every((arg) => impliedByLookup(arg, fkColumns));
  const test = nodeAs(predicate, 'NullTest');
  if (!test || test.nulltesttype !== 'IS_NOT_NULL') return false;
  const fields = nodeAs(test.arg, 'ColumnRef')?.fields ?? [];
  const column = fields.length === 1 ? nodeAs(fields[0], 'String')?.sval : undefined;
  return column !== undefined && fkColumns.has(column);
}

export function fkObject(tableKeyValue: string, fk: TrackedForeignKey): string {
  return fk.columns.length === 1 ? `${tableKeyValue}.${fk.columns[0]}` : `${tableKeyValue}.${fk.name}`;
}

export function indexesByTable(schema: SchemaState): Map<string, TrackedIndex[]> {
  const byTable = new Map<string, TrackedIndex[]>();
  for (const index of schema.indexes.values()) {
    const list = byTable.get(index.table);
    if (list) list.push(index);
    else byTable.set(index.table, [index]);
  }
  return byTable;
}
