import { typeDdl } from '../../model/ddl.js';
import type { CompositeType, DomainType, EnumType, TypeObject } from '../../model/types.js';
import { sameObject, type FixContext } from '../context.js';
import { commentOn, literal, qualifiedName, quoteIdent, unlessExists } from '../sql.js';
import { isWidening } from '../type-change.js';
import { Phase } from '../types.js';

/** Enums, domains, composite and range types: CREATE, DROP, and the ALTERs Postgres has for each. */
export function typeSteps(ctx: FixContext): void {
  const { idempotent } = ctx.options;
  const key = (t: TypeObject) => `${t.schema}.${t.name}`;
  const before = new Map(ctx.from.types.map((t) => [key(t), t]));
  const after = new Map(ctx.to.types.map((t) => [key(t), t]));
  for (const [name, type] of before) {
    if (after.has(name)) continue;
    ctx.add({ phase: Phase.dropType, target: name, sql: `DROP ${keyword(type)} ${idempotent ? 'IF EXISTS ' : ''}${qualifiedName(type.schema, type.name)};` });
  }
  for (const [name, type] of after) {
    const old = before.get(name);
    if (!old) {
      const create = typeDdl({ ...type, comment: null });
      const exists = `SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ${literal(type.schema)} AND t.typname = ${literal(type.name)}`;
      ctx.add({ phase: Phase.createType, target: name, sql: idempotent ? unlessExists(exists, create) : create });
    } else if (!sameObject(old, type)) {
      alterType(ctx, name, old, type);
    }
    // a rebuilt enum is a new type: its comment must be given again
    if (type.comment !== (old && !ctx.rebuiltEnums.has(name) ? old.comment : null)) {
      ctx.add({ phase: Phase.comment, target: name, sql: commentOn(`${keyword(type)} ${qualifiedName(type.schema, type.name)}`, type.comment) });
    }
  }
}

function alterType(ctx: FixContext, name: string, before: TypeObject, after: TypeObject): void {
  if (before.type === 'enum' && after.type === 'enum') return alterEnum(ctx, name, before, after);
  if (before.type === 'domain' && after.type === 'domain' && before.baseType === after.baseType && before.collation === after.collation) {
    return alterDomain(ctx, name, before, after);
  }
  if (before.type === 'composite' && after.type === 'composite') return alterComposite(ctx, name, before, after);
  ctx.add({
    phase: Phase.createType,
    target: name,
    sql: `-- ${name}: ${typeDdl({ ...after, comment: null }).replace(/\n/g, '\n-- ')}`,
    unsafe: `Postgres cannot alter ${name} this way: drop and recreate the type (and convert the columns that use it) by hand`,
  });
}

/** New labels go in with ADD VALUE at their place; removing or reordering labels needs a new type. */
function alterEnum(ctx: FixContext, name: string, before: EnumType, after: EnumType): void {
  const old = new Set(before.labels);
  if (ctx.rebuiltEnums.has(name)) return rebuildEnum(ctx, name, before, after);
  const type = qualifiedName(after.schema, after.name);
  const ifNotExists = ctx.options.idempotent ? 'IF NOT EXISTS ' : '';
  after.labels.forEach((label, i) => {
    if (old.has(label)) return;
    const place = i === after.labels.length - 1 ? '' : i > 0 ? ` AFTER ${literal(after.labels[i - 1])}` : ` BEFORE ${literal(after.labels[1])}`;
    ctx.add({ phase: Phase.createType, target: name, sql: `ALTER TYPE ${type} ADD VALUE ${ifNotExists}${literal(label)}${place};` });
  });
}

/**
 * Labels removed or reordered: the old type is renamed away, the new one created, every column converted
 * through text (tables.ts writes those ALTER COLUMNs), then the old type dropped. A removed label still held by
 * a row makes the conversion fail, so that case is destructive.
 */
function rebuildEnum(ctx: FixContext, name: string, before: EnumType, after: EnumType): void {
  const removed = ctx.rebuiltEnums.get(name)!;
  const unsafe = removed.length > 0 ? enumRebuildUnsafe(name, removed) : undefined;
  const oldName = `${after.name}__pgdrift_old`;
  ctx.add({
    phase: Phase.createType,
    rank: -1,
    target: name,
    unsafe,
    note: `${name}: labels (${before.labels.join(', ')}) → (${after.labels.join(', ')}) cannot change in place; the type is rebuilt`,
    sql: `ALTER TYPE ${qualifiedName(after.schema, after.name)} RENAME TO ${quoteIdent(oldName)};`,
  });
  ctx.add({ phase: Phase.createType, target: name, unsafe, sql: typeDdl({ ...after, comment: null }) });
  ctx.add({ phase: Phase.dropRebuiltType, target: name, unsafe, sql: `DROP TYPE ${qualifiedName(after.schema, oldName)};` });
}

export function enumRebuildUnsafe(name: string, removed: string[]): string {
  return `rows holding ${removed.map(literal).join(', ')} (removed from ${name}) make the conversion fail`;
}

function alterDomain(ctx: FixContext, name: string, before: DomainType, after: DomainType): void {
  const domain = `ALTER DOMAIN ${qualifiedName(after.schema, after.name)}`;
  const add = (sql: string) => ctx.add({ phase: Phase.createType, target: name, sql });
  if (before.default !== after.default) add(after.default === null ? `${domain} DROP DEFAULT;` : `${domain} SET DEFAULT ${after.default};`);
  if (before.notNull !== after.notNull) add(`${domain} ${after.notNull ? 'SET' : 'DROP'} NOT NULL;`);
  const old = new Map(before.constraints.map((c) => [c.name, c]));
  const kept = new Set(after.constraints.map((c) => c.name));
  for (const c of before.constraints) {
    if (!kept.has(c.name)) ctx.add({ phase: Phase.dropType, target: name, sql: `${domain} DROP CONSTRAINT ${ctx.options.idempotent ? 'IF EXISTS ' : ''}${quoteIdent(c.name)};` });
  }
  for (const c of after.constraints) {
    const previous = old.get(c.name);
    if (previous && previous.definition === c.definition) {
      if (previous.notValid && !c.notValid) add(`${domain} VALIDATE CONSTRAINT ${quoteIdent(c.name)};`);
      if (!previous.notValid && c.notValid) {
        add(`${domain} DROP CONSTRAINT ${quoteIdent(c.name)};\n${domain} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition} NOT VALID;`);
      }
      continue;
    }
    const drop = previous || ctx.options.idempotent ? `${domain} DROP CONSTRAINT ${previous ? '' : 'IF EXISTS '}${quoteIdent(c.name)};\n` : '';
    add(`${drop}${domain} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}${c.notValid ? ' NOT VALID' : ''};`);
  }
}

function alterComposite(ctx: FixContext, name: string, before: CompositeType, after: CompositeType): void {
  const type = `ALTER TYPE ${qualifiedName(after.schema, after.name)}`;
  const old = new Map(before.attributes.map((a) => [a.name, a]));
  const kept = new Set(after.attributes.map((a) => a.name));
  for (const a of before.attributes) {
    if (!kept.has(a.name)) {
      ctx.add({ phase: Phase.createType, target: name, sql: `${type} DROP ATTRIBUTE ${quoteIdent(a.name)};`, unsafe: `dropping attribute ${a.name} of ${name} deletes its data in every column of that type` });
    }
  }
  for (const a of after.attributes) {
    const previous = old.get(a.name);
    const collate = a.collation ? ` COLLATE ${a.collation}` : '';
    if (!previous) ctx.add({ phase: Phase.createType, target: name, sql: `${type} ADD ATTRIBUTE ${quoteIdent(a.name)} ${a.type}${collate};` });
    else if (previous.type !== a.type || previous.collation !== a.collation) {
      ctx.add({
        phase: Phase.createType,
        target: name,
        sql: `${type} ALTER ATTRIBUTE ${quoteIdent(a.name)} TYPE ${a.type}${collate};`,
        unsafe: previous.type !== a.type && !isWidening(previous.type, a.type) ? `${name}.${a.name}: ${previous.type} → ${a.type} may lose data` : undefined,
      });
    }
  }
}

function keyword(type: TypeObject): string {
  return type.type === 'domain' ? 'DOMAIN' : 'TYPE';
}
