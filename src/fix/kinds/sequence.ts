import type { SequenceObject } from '../../model/types.js';
import { sameObject, type FixContext } from '../context.js';
import { commentOn, quotedDotted, qualifiedName } from '../sql.js';
import { Phase } from '../types.js';

/**
 * Sequences: created before the tables whose defaults call them, OWNED BY once the column exists, ALTERed in
 * place. A sequence owned by a dropped table or column goes with it; any other drop resets numbering.
 */
export function sequenceSteps(ctx: FixContext): void {
  const { idempotent } = ctx.options;
  const key = (s: SequenceObject) => `${s.schema}.${s.name}`;
  const before = new Map(ctx.from.sequences.map((s) => [key(s), s]));
  const after = new Map(ctx.to.sequences.map((s) => [key(s), s]));
  for (const [name, sequence] of before) {
    if (after.has(name) || droppedWithOwner(ctx, sequence)) continue;
    ctx.add({
      phase: Phase.dropSequence,
      target: name,
      sql: `DROP SEQUENCE ${idempotent ? 'IF EXISTS ' : ''}${qualifiedName(sequence.schema, sequence.name)};`,
      unsafe: `DROP SEQUENCE ${name} loses its current value`,
    });
  }
  for (const [name, sequence] of after) {
    const old = before.get(name);
    const sql = qualifiedName(sequence.schema, sequence.name);
    const owner = sequence.ownedBy?.split('.').slice(0, 2).join('.');
    if (!old) {
      ctx.add({ phase: Phase.createSequence, target: name, owner, sql: `CREATE ${sequence.unlogged ? 'UNLOGGED ' : ''}SEQUENCE ${idempotent ? 'IF NOT EXISTS ' : ''}${sql}${options(sequence, true)};` });
    } else if (!sameObject(old, sequence, ['ownedBy', 'unlogged'])) {
      ctx.add({ phase: Phase.alterSequence, target: name, sql: `ALTER SEQUENCE ${sql}${options(sequence, false)};` });
    }
    if (old && old.unlogged !== sequence.unlogged) {
      ctx.add({ phase: Phase.alterSequence, target: name, sql: `ALTER SEQUENCE ${sql} SET ${sequence.unlogged ? 'UNLOGGED' : 'LOGGED'};` });
    }
    if (sequence.ownedBy !== (old ? old.ownedBy : null)) {
      const column = sequence.ownedBy ? ownedByColumn(sequence.ownedBy) : 'NONE';
      ctx.add({ phase: Phase.alterSequence, target: name, owner, sql: `ALTER SEQUENCE ${sql} OWNED BY ${column};` });
    }
    if (sequence.comment !== (old ? old.comment : null)) ctx.add({ phase: Phase.comment, target: name, owner, sql: commentOn(`SEQUENCE ${sql}`, sequence.comment) });
  }
}

function options(sequence: SequenceObject, creating: boolean): string {
  const o = sequence.options;
  const parts: string[] = [];
  if (o.as || !creating) parts.push(`AS ${o.as ?? 'bigint'}`);
  if (o.start) parts.push(`START WITH ${o.start}`);
  parts.push(`INCREMENT BY ${o.increment}`);
  parts.push(o.minvalue ? `MINVALUE ${o.minvalue}` : 'NO MINVALUE');
  parts.push(o.maxvalue ? `MAXVALUE ${o.maxvalue}` : 'NO MAXVALUE');
  parts.push(`CACHE ${o.cache}`);
  parts.push(o.cycle === 'true' ? 'CYCLE' : 'NO CYCLE');
  return `\n    ${parts.join('\n    ')}`;
}

function ownedByColumn(ownedBy: string): string {
  const parts = ownedBy.split('.');
  const column = parts.pop()!;
  return `${quotedDotted(parts.join('.'))}.${quotedDotted(column)}`;
}

function droppedWithOwner(ctx: FixContext, sequence: SequenceObject): boolean {
  if (!sequence.ownedBy) return false;
  const parts = sequence.ownedBy.split('.');
  const column = parts.pop()!;
  const table = parts.join('.');
  return ctx.isTableDropped(table) || (ctx.droppedColumns.get(table)?.has(column) ?? false);
}
