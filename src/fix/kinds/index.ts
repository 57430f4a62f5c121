import type { IndexObject, SchemaModel, TableObject } from '../../model/types.js';
import { sameObject, type FixContext } from '../context.js';
import { commentOn, editStatement, qualifiedName, quotedDotted } from '../sql.js';
import { Phase } from '../types.js';

interface IndexOwner {
  schema: string;
  name: string;
  indexes: IndexObject[];
}

/** Indexes of tables and materialized views: CREATE [CONCURRENTLY], DROP, and drop-and-create for a change. */
export function indexSteps(ctx: FixContext): void {
  for (const [name, after] of ctx.toTables) {
    const before = ctx.fromTables.get(name);
    ownerIndexes(ctx, name, before, after, !before);
  }
  // Materialized views that stay: their indexes change like a table's (recreated views bring their own).
  for (const [name, { view, materialized }] of ctx.toViews) {
    const old = ctx.fromViews.get(name);
    if (!materialized || !old || !old.materialized || ctx.droppedViews.has(name)) continue;
    ownerIndexes(ctx, name, old.view as IndexOwner, view as IndexOwner, false);
  }
}

function ownerIndexes(ctx: FixContext, ownerKey: string, before: IndexOwner | undefined, after: IndexOwner, newOwner: boolean): void {
  const old = new Map((before?.indexes ?? []).map((i) => [i.name, i]));
  for (const index of after.indexes) {
    if (mirrorsParentIndex(ctx.to, after, index)) continue;
    const target = `${ownerKey}.${index.name}`;
    const previous = old.get(index.name);
    const forced = ctx.recreated.has(`index:${target}`);
    const because = forced ? ctx.recreatedBecause.get(`index:${target}`) ?? target : target;
    if (previous && !forced && sameObject(previous, index)) {
      if (previous.comment !== index.comment) ctx.add(indexComment(after, index, target));
      continue;
    }
    if (previous && !forced && index.attachedTo && sameObject(previous, index, ['attachedTo'])) {
      // only attached now: ALTER INDEX parent ATTACH PARTITION child (an index cannot be detached: else recreated)
      ctx.add({ phase: Phase.createIndex, target, sql: `ALTER INDEX ${quotedDotted(index.attachedTo)} ATTACH PARTITION ${qualifiedName(after.schema, index.name)};` });
      continue;
    }
    if (previous) dropIndex(ctx, before!, previous, because);
    createIndex(ctx, after, index, because, newOwner);
  }
  if (!before) return;
  const kept = new Set(after.indexes.map((i) => i.name));
  for (const index of before.indexes) {
    if (kept.has(index.name) || mirrorsParentIndex(ctx.from, before, index)) continue;
    dropIndex(ctx, before, index, `${ownerKey}.${index.name}`);
  }
}

/** CREATE INDEX for an index of the target model (also used for recreated materialized views). */
export function createIndex(ctx: FixContext, owner: IndexOwner, index: IndexObject, target: string, newOwner: boolean, place: { phase: number; rank?: number } = { phase: Phase.createIndex }): void {
  const concurrently = ctx.options.concurrently && !newOwner && !isPartitioned(owner);
  const sql = editStatement(index.definition, (ast) => {
    if (ast.relation) ast.relation.inh = true; // pg_dump's ON ONLY would leave the partitions without the index
    if (concurrently) ast.concurrent = true;
    if (ctx.options.idempotent) ast.if_not_exists = true;
  });
  ctx.add({ ...place, target, sql, outsideTransaction: concurrently || undefined });
  if (index.comment !== null) ctx.add(indexComment(owner, index, target));
}

function dropIndex(ctx: FixContext, owner: IndexOwner, index: IndexObject, target: string): void {
  const concurrently = ctx.options.concurrently && !isPartitioned(owner);
  ctx.add({
    phase: Phase.dropIndex,
    target,
    outsideTransaction: concurrently || undefined,
    sql: `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${ctx.options.idempotent ? 'IF EXISTS ' : ''}${qualifiedName(owner.schema, index.name)};`,
  });
}

function indexComment(owner: IndexOwner, index: IndexObject, target: string) {
  return { phase: Phase.comment, target, sql: commentOn(`INDEX ${qualifiedName(owner.schema, index.name)}`, index.comment) };
}

function isPartitioned(owner: IndexOwner): boolean {
  return (owner as TableObject).kind === 'partitioned';
}

/** A partition's index that Postgres creates (and drops) with the same index of its partitioned parent. */
export function mirrorsParentIndex(model: SchemaModel, owner: IndexOwner, index: IndexObject): boolean {
  const table = owner as TableObject;
  if (!table.parent || !table.partitionBound) return false;
  const parent = model.tables.find((t) => `${t.schema}.${t.name}` === table.parent);
  return (parent?.indexes ?? []).some((p) => sameObject(p, index, ['name', 'definition', 'attachedTo']));
}
