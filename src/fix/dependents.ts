import type { ConstraintObject } from '../model/types.js';
import { constraintReferencesExpression, expressionReferences, indexReferences, sameObject, type FixContext } from './context.js';

/**
 * Objects that stay the same but must be dropped and created again because Postgres will not drop or retype
 * what they depend on: triggers, policies, CHECKs, indexes and defaults that call a dropped function or read a
 * retyped column, and foreign keys whose referenced unique index or constraint is dropped and created again.
 */
export function decideDependents(ctx: FixContext): void {
  for (const [name, before] of ctx.fromTables) {
    const after = ctx.toTables.get(name);
    if (!after) continue;
    for (const trigger of before.triggers) {
      const kept = after.triggers.find((t) => t.name === trigger.name);
      if (!kept || !sameObject(kept, trigger)) continue;
      const fnName = trigger.function.slice(0, trigger.function.indexOf('('));
      const retyped = ctx.retypedColumns.get(name) ?? new Set<string>();
      // UPDATE OF columns and WHEN expressions are dependencies Postgres records: it refuses to retype them.
      const updateOf = trigger.events.flatMap((e) => (e.startsWith('update of ') ? e.slice(10).split(',').map((c) => c.trim()) : [])).find((c) => retyped.has(c));
      let cause = ctx.droppedFunctionNames.has(fnName) ? ctx.functionCause(fnName) : undefined;
      cause ??= updateOf ? `${name}.${updateOf}` : undefined;
      cause ??= ctx.brokenBy(expressionReferences(trigger.when), name);
      if (cause) ctx.recreate(`trigger:${name}.${trigger.name}`, cause);
    }
    for (const policy of before.policies) {
      // a changed policy too: ALTER POLICY would come after the ALTER COLUMN ... TYPE it blocks
      if (!after.policies.some((p) => p.name === policy.name)) continue;
      const cause = ctx.brokenBy(expressionReferences(policy.using), name) ?? ctx.brokenBy(expressionReferences(policy.withCheck), name);
      if (cause) ctx.recreate(`policy:${name}.${policy.name}`, cause);
    }
    for (const constraint of before.constraints) {
      const kept = after.constraints.find((c) => c.name === constraint.name);
      if (!kept || !sameObject(kept, constraint) || constraint.type !== 'check') continue;
      const refs = constraintReferencesExpression(constraint);
      const fn = [...refs.functions].find((f) => ctx.droppedFunctionNames.has(f));
      const cause = fn && ctx.functionCause(fn);
      if (cause) ctx.recreate(`constraint:${name}.${constraint.name}`, cause);
    }
    for (const index of before.indexes) {
      const kept = after.indexes.find((i) => i.name === index.name);
      if (!kept || !sameObject(kept, index)) continue;
      const fn = [...indexReferences(index).functions].find((f) => ctx.droppedFunctionNames.has(f));
      const cause = fn && ctx.functionCause(fn);
      if (cause) ctx.recreate(`index:${name}.${index.name}`, cause);
    }
    for (const column of before.columns) {
      const kept = after.columns.find((c) => c.name === column.name);
      if (!kept || kept.default !== column.default || column.default === null) continue;
      const fn = [...expressionReferences(column.default).functions].find((f) => ctx.droppedFunctionNames.has(f));
      const cause = fn && ctx.functionCause(fn);
      if (cause) ctx.recreate(`default:${name}.${column.name}`, cause);
    }
  }
  // Foreign keys last: they follow the unique constraints and indexes decided above.
  for (const [name, before] of ctx.fromTables) {
    const after = ctx.toTables.get(name);
    if (!after) continue;
    for (const fk of before.constraints) {
      if (fk.type !== 'foreign_key' || !fk.references) continue;
      const kept = after.constraints.find((c) => c.name === fk.name);
      if (!kept || !sameObject(kept, fk)) continue;
      const cause = droppedKey(ctx, fk);
      if (cause) ctx.recreate(`constraint:${name}.${fk.name}`, cause);
    }
  }
}

/** The drift name of a unique constraint or index an FK may rely on that the script drops (or recreates). */
function droppedKey(ctx: FixContext, fk: ConstraintObject): string | undefined {
  const tableName = fk.references!.table;
  const before = ctx.fromTables.get(tableName);
  const after = ctx.toTables.get(tableName);
  if (!before || !after) return undefined;
  const wanted = [...fk.references!.columns].sort().join(',');
  for (const constraint of before.constraints) {
    if ((constraint.type !== 'primary_key' && constraint.type !== 'unique') || [...constraint.columns].sort().join(',') !== wanted) continue;
    const kept = after.constraints.find((c) => c.name === constraint.name);
    if (!kept || !sameObject(kept, constraint) || ctx.recreated.has(`constraint:${tableName}.${constraint.name}`)) return `${tableName}.${constraint.name}`;
  }
  for (const index of before.indexes) {
    if (!index.unique || index.predicate !== null || index.keys.some((k) => k.column === null)) continue;
    if (index.keys.map((k) => k.column!).sort().join(',') !== wanted) continue;
    const kept = after.indexes.find((i) => i.name === index.name);
    if (!kept || !sameObject(kept, index) || ctx.recreated.has(`index:${tableName}.${index.name}`)) return `${tableName}.${index.name}`;
  }
  return undefined;
}
