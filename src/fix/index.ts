/** Drift → fix: the DDL that turns one schema model into another (`diff --sql`, `check --write-migration`). */
export { planFix } from './plan.js';
export { renderFixSql, runnableStatements } from './render.js';
export { attachFixSql } from './attach.js';
export type { FixOptions, FixPlan, FixStep } from './types.js';
