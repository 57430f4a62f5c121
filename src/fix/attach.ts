import type { DriftItem } from '../diff/types.js';
import { renderStep } from './render.js';
import type { FixPlan, FixStep } from './types.js';

/**
 * Gives each drift item the SQL of the steps that reconcile it (`sql` in JSON). A step belongs to the item named
 * by its target, else to the one named by its owner (a sequence folded into its new table), else to the nearest
 * item whose name is a prefix of the target (a column of a table on one side only).
 */
export function attachFixSql(items: DriftItem[], plan: FixPlan, allowDestructive: boolean): DriftItem[] {
  const byName = new Map<string, string[]>();
  const ownerOf = itemOwner(items);
  for (const step of plan.steps) {
    const name = ownerOf(step.target, step.owner);
    if (name === undefined) continue;
    const list = byName.get(name) ?? [];
    list.push(renderStep(step, allowDestructive));
    byName.set(name, list);
  }
  return items.map((item) => {
    const sql = byName.get(item.name);
    return sql ? { ...item, sql: sql.join('\n') } : item;
  });
}

/** The steps that serve one of the items (in plan order). */
export function stepsForItems(items: DriftItem[], plan: FixPlan): FixStep[] {
  const ownerOf = itemOwner(items);
  return plan.steps.filter((step) => ownerOf(step.target, step.owner) !== undefined);
}

function itemOwner(items: DriftItem[]): (target: string, owner?: string) => string | undefined {
  const names = new Set(items.map((i) => i.name));
  return (target, owner) => {
    if (names.has(target)) return target;
    if (owner && names.has(owner)) return owner;
    for (let cut = target.lastIndexOf('.'); cut > 0; cut = target.lastIndexOf('.', cut - 1)) {
      if (names.has(target.slice(0, cut))) return target.slice(0, cut);
    }
    return undefined;
  };
}
