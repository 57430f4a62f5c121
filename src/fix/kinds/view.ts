import type { MaterializedViewObject, ViewObject } from '../../model/types.js';
import type { FixContext, RelationView } from '../context.js';
import { statementReferences } from '../references.js';
import { commentOn, literal, qualifiedName, quoteIdent } from '../sql.js';
import { Phase } from '../types.js';
import { createIndex } from './index.js';

/**
 * Views and materialized views. A view is never altered in place: when it changes, or when a column, view or
 * function it reads is dropped or retyped, it is dropped (dependents first) and created again from the target
 * (dependencies first), the way pg_dump orders them. Its comments and indexes come back with it.
 */
export function viewSteps(ctx: FixContext): void {
  const { idempotent } = ctx.options;
  const fromDepth = depths(ctx.fromViews);
  const toDepth = depths(ctx.toViews);
  for (const name of ctx.droppedViews) {
    const { view, materialized } = ctx.fromViews.get(name)!;
    const recreated = ctx.toViews.has(name);
    ctx.add({
      phase: Phase.dropView,
      rank: -fromDepth.get(name)!,
      target: recreated ? ctx.recreatedBecause.get(`view:${name}`) ?? name : name,
      sql: `DROP ${materialized ? 'MATERIALIZED ' : ''}VIEW ${idempotent ? 'IF EXISTS ' : ''}${qualifiedName(view.schema, view.name)};`,
      note: recreated && ctx.recreatedBecause.has(`view:${name}`) ? `${name} reads ${ctx.recreatedBecause.get(`view:${name}`)}: dropped here, created again below` : undefined,
    });
  }
  for (const [name, { view, materialized }] of ctx.toViews) {
    const old = ctx.fromViews.get(name);
    const target = old && ctx.recreatedBecause.has(`view:${name}`) ? ctx.recreatedBecause.get(`view:${name}`)! : name;
    if (old && !ctx.droppedViews.has(name)) {
      viewComments(ctx, name, view, materialized, old.view);
      continue;
    }
    const options = Object.entries(view.options);
    const withOptions = options.length > 0 ? ` WITH (${options.map(([k, v]) => `${k}=${literal(v)}`).join(', ')})` : '';
    const create = materialized
      ? `CREATE MATERIALIZED VIEW ${idempotent ? 'IF NOT EXISTS ' : ''}`
      : `CREATE ${idempotent ? 'OR REPLACE ' : ''}VIEW `;
    ctx.add({ phase: Phase.createView, rank: toDepth.get(name), target, sql: `${create}${qualifiedName(view.schema, view.name)}${withOptions} AS\n${view.query};` });
    // a materialized view's indexes follow it (before any view that reads it)
    if ('indexes' in view) for (const index of view.indexes) createIndex(ctx, view, index, target, true, { phase: Phase.createView, rank: toDepth.get(name)! + 0.5 });
    viewComments(ctx, target, view, materialized, undefined);
  }
}

function viewComments(ctx: FixContext, target: string, view: ViewObject | MaterializedViewObject, materialized: boolean, old: ViewObject | undefined): void {
  const name = qualifiedName(view.schema, view.name);
  if (view.comment !== (old ? old.comment : null)) {
    ctx.add({ phase: Phase.comment, target, sql: commentOn(`${materialized ? 'MATERIALIZED ' : ''}VIEW ${name}`, view.comment) });
  }
  const columns = new Set([...Object.keys(view.columnComments), ...Object.keys(old?.columnComments ?? {})]);
  for (const column of [...columns].sort()) {
    const comment = view.columnComments[column] ?? null;
    if (comment !== (old?.columnComments[column] ?? null)) {
      ctx.add({ phase: Phase.comment, target, sql: commentOn(`COLUMN ${name}.${quoteIdent(column)}`, comment) });
    }
  }
}

/** 0 for a view that reads no other view, else one more than the deepest view it reads. */
function depths(views: Map<string, RelationView>): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (name: string, path: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (path.has(name)) return 0;
    path.add(name);
    let level = 0;
    for (const relation of statementReferences(views.get(name)!.view.query).relations) {
      if (views.has(relation) && relation !== name) level = Math.max(level, visit(relation, path) + 1);
    }
    path.delete(name);
    depth.set(name, level);
    return level;
  };
  for (const name of views.keys()) visit(name, new Set());
  return depth;
}
