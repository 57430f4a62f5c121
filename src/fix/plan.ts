import type { SchemaModel } from '../model/types.js';
import { FixContext } from './context.js';
import { decideDependents } from './dependents.js';
import { constraintSteps } from './kinds/constraint.js';
import { functionSteps } from './kinds/function.js';
import { indexSteps } from './kinds/index.js';
import { otherSteps, privilegeSteps } from './kinds/privilege.js';
import { extensionSteps, schemaSteps } from './kinds/schema.js';
import { sequenceSteps } from './kinds/sequence.js';
import { tableSteps } from './kinds/table.js';
import { policySteps, triggerSteps } from './kinds/trigger.js';
import { typeSteps } from './kinds/type.js';
import { viewSteps } from './kinds/view.js';
import type { FixOptions, FixPlan, FixStep } from './types.js';

/**
 * The DDL that turns schema `from` into schema `to`, computed from the two models (never from dump text).
 * Pure: models in, ordered steps out. The SQL parser must be loaded (loadSqlParser) before the call.
 */
export function planFix(from: SchemaModel, to: SchemaModel, options: FixOptions = {}): FixPlan {
  const ctx = new FixContext(from, to, options);
  decideDependents(ctx);
  schemaSteps(ctx);
  extensionSteps(ctx);
  typeSteps(ctx);
  sequenceSteps(ctx);
  functionSteps(ctx);
  tableSteps(ctx);
  constraintSteps(ctx);
  indexSteps(ctx);
  viewSteps(ctx);
  triggerSteps(ctx);
  policySteps(ctx);
  privilegeSteps(ctx);
  otherSteps(ctx);
  const steps = orderSteps(ctx.steps);
  const unsafeCount = ctx.options.allowDestructive ? 0 : steps.filter((s) => s.unsafe).length;
  return { steps, unsafeCount };
}

/** By phase, then rank, then the order the kinds wrote them (a stable sort). */
function orderSteps(steps: FixStep[]): FixStep[] {
  return steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => a.step.phase - b.step.phase || (a.step.rank ?? 0) - (b.step.rank ?? 0) || a.i - b.i)
    .map(({ step }) => step);
}
