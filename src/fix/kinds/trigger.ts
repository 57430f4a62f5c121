import { policyDdl } from '../../model/ddl.js';
import type { PolicyObject, TableObject, TriggerObject } from '../../model/types.js';
import { sameObject, type FixContext } from '../context.js';
import { commentOn, quoteIdent } from '../sql.js';
import { Phase } from '../types.js';
import { tableName } from './table.js';

/** Triggers: DROP and CREATE (a changed trigger, or one whose function or columns change under it, is recreated). */
export function triggerSteps(ctx: FixContext): void {
  for (const [name, after] of ctx.toTables) {
    const before = ctx.fromTables.get(name);
    const old = new Map((before?.triggers ?? []).map((t) => [t.name, t]));
    for (const trigger of after.triggers) {
      const target = `${name}.${trigger.name}`;
      const previous = old.get(trigger.name);
      const forced = ctx.recreated.has(`trigger:${target}`);
      const because = forced ? ctx.recreatedBecause.get(`trigger:${target}`) ?? target : target;
      if (previous && !forced && sameObject(previous, trigger)) {
        if (previous.comment !== trigger.comment) ctx.add(triggerComment(after, trigger, target));
        continue;
      }
      if (previous) dropTrigger(ctx, before!, previous, because);
      const dropFirst = ctx.options.idempotent ? `DROP TRIGGER IF EXISTS ${quoteIdent(trigger.name)} ON ${tableName(after)};\n` : '';
      ctx.add({ phase: Phase.createTrigger, target: because, sql: `${dropFirst}${trigger.definition};` });
      if (trigger.comment !== null) ctx.add(triggerComment(after, trigger, target));
    }
    if (!before) continue;
    const kept = new Set(after.triggers.map((t) => t.name));
    for (const trigger of before.triggers) if (!kept.has(trigger.name)) dropTrigger(ctx, before, trigger, `${name}.${trigger.name}`);
  }
}

function dropTrigger(ctx: FixContext, table: TableObject, trigger: TriggerObject, target: string): void {
  ctx.add({ phase: Phase.dropTrigger, target, sql: `DROP TRIGGER ${ctx.options.idempotent ? 'IF EXISTS ' : ''}${quoteIdent(trigger.name)} ON ${tableName(table)};` });
}

function triggerComment(table: TableObject, trigger: TriggerObject, target: string) {
  return { phase: Phase.comment, target, sql: commentOn(`TRIGGER ${quoteIdent(trigger.name)} ON ${tableName(table)}`, trigger.comment) };
}

/** Row-level security policies: CREATE, DROP, ALTER POLICY when only roles or expressions change. */
export function policySteps(ctx: FixContext): void {
  for (const [name, after] of ctx.toTables) {
    const before = ctx.fromTables.get(name);
    const old = new Map((before?.policies ?? []).map((p) => [p.name, p]));
    for (const policy of after.policies) {
      const target = `${name}.${policy.name}`;
      const previous = old.get(policy.name);
      const forced = ctx.recreated.has(`policy:${target}`);
      const because = forced ? ctx.recreatedBecause.get(`policy:${target}`) ?? target : target;
      if (previous && !forced && sameObject(previous, policy)) {
        if (previous.comment !== policy.comment) ctx.add(policyComment(after, policy, target));
        continue;
      }
      if (previous && !forced && alterable(previous, policy)) {
        let sql = `ALTER POLICY ${quoteIdent(policy.name)} ON ${tableName(after)} TO ${policy.roles.join(', ')}`;
        if (policy.using !== null) sql += ` USING (${policy.using})`;
        if (policy.withCheck !== null) sql += ` WITH CHECK (${policy.withCheck})`;
        ctx.add({ phase: Phase.createPolicy, target, sql: `${sql};` });
        if (previous.comment !== policy.comment) ctx.add(policyComment(after, policy, target));
        continue;
      }
      if (previous) dropPolicy(ctx, before!, previous, because);
      const dropFirst = ctx.options.idempotent && !previous ? `DROP POLICY IF EXISTS ${quoteIdent(policy.name)} ON ${tableName(after)};\n` : '';
      ctx.add({ phase: Phase.createPolicy, target: because, sql: `${dropFirst}${policyDdl(policy, after.schema, after.name)};` });
      if (policy.comment !== null) ctx.add(policyComment(after, policy, target));
    }
    if (!before) continue;
    const kept = new Set(after.policies.map((p) => p.name));
    for (const policy of before.policies) if (!kept.has(policy.name)) dropPolicy(ctx, before, policy, `${name}.${policy.name}`);
  }
}

/** ALTER POLICY changes roles and expressions, but cannot remove an expression or change the command or kind. */
function alterable(before: PolicyObject, after: PolicyObject): boolean {
  return (
    before.permissive === after.permissive &&
    before.command === after.command &&
    (after.using !== null || before.using === null) &&
    (after.withCheck !== null || before.withCheck === null)
  );
}

function dropPolicy(ctx: FixContext, table: TableObject, policy: PolicyObject, target: string): void {
  ctx.add({ phase: Phase.dropPolicy, target, sql: `DROP POLICY ${ctx.options.idempotent ? 'IF EXISTS ' : ''}${quoteIdent(policy.name)} ON ${tableName(table)};` });
}

function policyComment(table: TableObject, policy: PolicyObject, target: string) {
  return { phase: Phase.comment, target, sql: commentOn(`POLICY ${quoteIdent(policy.name)} ON ${tableName(table)}`, policy.comment) };
}
