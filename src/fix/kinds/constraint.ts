import type { ConstraintObject, SchemaModel, TableObject } from '../../model/types.js';
import { sameObject, type FixContext } from '../context.js';
import { commentOn, quoteIdent } from '../sql.js';
import { Phase, type FixStep } from '../types.js';
import { tableName } from './table.js';

/**
 * Table constraints. Foreign keys and CHECKs added to an existing table go in as NOT VALID and are validated in a
 * second statement (a weaker lock, as the constraint-not-valid rule asks); a UNIQUE or PRIMARY KEY is built from an
 * index created CONCURRENTLY when the runner allows it. A changed constraint is dropped and added again, except
 * validation and FK deferrability, which have their own ALTERs.
 */
export function constraintSteps(ctx: FixContext): void {
  for (const [name, after] of ctx.toTables) {
    const before = ctx.fromTables.get(name);
    const existing = new Map((before?.constraints ?? []).map((c) => [c.name, c]));
    for (const constraint of after.constraints) {
      if (inheritedFromParent(ctx.to, after, constraint)) continue;
      const old = existing.get(constraint.name);
      const target = `${name}.${constraint.name}`;
      if (!before) {
        // New table: everything but foreign keys was written inline.
        if (constraint.type === 'foreign_key') addConstraint(ctx, after, constraint, false, target);
        else if (constraint.comment !== null) ctx.add(commentStep(after, constraint, target));
        continue;
      }
      const forced = ctx.recreated.has(`constraint:${target}`);
      if (!old) {
        addConstraint(ctx, after, constraint, true, target);
        continue;
      }
      if (forced || !sameObject(old, constraint)) {
        const onlyValidated = sameObject(old, constraint, ['notValid']) && old.notValid && !constraint.notValid;
        // the model keeps every part of a foreign key but these in fields of its own, so the definition may be ignored
        const onlyDeferrability = constraint.type === 'foreign_key' && sameObject(old, constraint, ['deferrable', 'initiallyDeferred', 'definition']);
        if (!forced && onlyValidated) {
          ctx.add({ phase: Phase.validateConstraint, target, sql: `ALTER TABLE ${tableName(after)} VALIDATE CONSTRAINT ${quoteIdent(constraint.name)};` });
        } else if (!forced && onlyDeferrability) {
          const mode = constraint.deferrable ? `DEFERRABLE INITIALLY ${constraint.initiallyDeferred ? 'DEFERRED' : 'IMMEDIATE'}` : 'NOT DEFERRABLE';
          ctx.add({ phase: Phase.alterTable, target, sql: `ALTER TABLE ${tableName(after)} ALTER CONSTRAINT ${quoteIdent(constraint.name)} ${mode};` });
        } else {
          dropConstraint(ctx, before, old, forced ? ctx.recreatedBecause.get(`constraint:${target}`) ?? target : target);
          addConstraint(ctx, after, constraint, true, forced ? ctx.recreatedBecause.get(`constraint:${target}`) ?? target : target, true);
          continue;
        }
      }
      if (old.comment !== constraint.comment) ctx.add(commentStep(after, constraint, target));
    }
    if (!before) continue;
    const kept = new Set(after.constraints.map((c) => c.name));
    for (const constraint of before.constraints) {
      if (kept.has(constraint.name) || inheritedFromParent(ctx.from, before, constraint)) continue;
      dropConstraint(ctx, before, constraint, `${name}.${constraint.name}`);
    }
  }
}

function addConstraint(ctx: FixContext, table: TableObject, constraint: ConstraintObject, existingTable: boolean, target: string, droppedEarlier = false): void {
  const { idempotent, concurrently } = ctx.options;
  const relation = tableName(table);
  const name = quoteIdent(constraint.name);
  const phase = constraint.type === 'foreign_key' ? Phase.createForeignKey : Phase.createConstraint;
  // re-runnable: the ADD is preceded by a DROP ... IF EXISTS (here, or by the drop step of a changed constraint)
  const dropFirst = idempotent && !droppedEarlier ? `DROP CONSTRAINT IF EXISTS ${name}, ` : '';
  const validateLater = existingTable && !constraint.notValid && (constraint.type === 'foreign_key' || constraint.type === 'check');
  const keyColumns = constraint.columns.map(quoteIdent).join(', ');
  const simpleKey = `${constraint.type === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} (${constraint.columns.join(', ')})`;
  if (existingTable && concurrently && !idempotent && (constraint.type === 'unique' || constraint.type === 'primary_key') && constraint.definition === simpleKey) {
    ctx.add({
      phase,
      target,
      outsideTransaction: true,
      sql: [
        `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${relation} USING btree (${keyColumns});`,
        `ALTER TABLE ${relation} ADD CONSTRAINT ${name} ${constraint.type === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} USING INDEX ${name};`,
      ].join('\n'),
    });
  } else {
    const notValid = constraint.notValid || validateLater ? ' NOT VALID' : '';
    ctx.add({ phase, target, sql: `ALTER TABLE ${relation} ${dropFirst}ADD CONSTRAINT ${name} ${constraint.definition}${notValid};` });
    if (validateLater) ctx.add({ phase: Phase.validateConstraint, target, sql: `ALTER TABLE ${relation} VALIDATE CONSTRAINT ${name};` });
  }
  if (constraint.comment !== null) ctx.add(commentStep(table, constraint, target));
}

function dropConstraint(ctx: FixContext, table: TableObject, constraint: ConstraintObject, target: string): void {
  ctx.add({
    phase: constraint.type === 'foreign_key' ? Phase.dropForeignKey : Phase.dropConstraint,
    target,
    sql: `ALTER TABLE ${tableName(table)} DROP CONSTRAINT ${ctx.options.idempotent ? 'IF EXISTS ' : ''}${quoteIdent(constraint.name)};`,
  });
}

function commentStep(table: TableObject, constraint: ConstraintObject, target: string): FixStep {
  return { phase: Phase.comment, target, sql: commentOn(`CONSTRAINT ${quoteIdent(constraint.name)} ON ${tableName(table)}`, constraint.comment) };
}

/** A partition's PRIMARY KEY / UNIQUE that Postgres creates (and drops) with its parent's. */
export function inheritedFromParent(model: SchemaModel, table: TableObject, constraint: ConstraintObject): boolean {
  if (!table.parent || !table.partitionBound || (constraint.type !== 'primary_key' && constraint.type !== 'unique')) return false;
  const parent = model.tables.find((t) => `${t.schema}.${t.name}` === table.parent);
  return (parent?.constraints ?? []).some((c) => c.type === constraint.type && c.columns.join(',') === constraint.columns.join(','));
}
