import { columnDdl } from '../../model/ddl.js';
import type { ColumnObject, TableObject } from '../../model/types.js';
import { needsColumnRecreate, type FixContext } from '../context.js';
import { expressionReferences } from '../references.js';
import { commentOn, ifExists, ifNotExists, literal, quoteIdent, quotedDotted, qualifiedName, unlessExists } from '../sql.js';
import { Phase } from '../types.js';
import { isWidening } from '../type-change.js';
import { inheritedFromParent } from './constraint.js';
import { enumRebuildUnsafe } from './type.js';

/** Tables: CREATE (columns, non-FK constraints inline), DROP, and the table-level ALTERs. */
export function tableSteps(ctx: FixContext): void {
  const { idempotent } = ctx.options;
  for (const [name, table] of ctx.fromTables) {
    if (ctx.toTables.has(name)) continue;
    ctx.add({
      phase: Phase.dropTable,
      // partitions and inheritance children first: dropping a parent drops them too
      rank: table.parent ? 0 : 1,
      target: name,
      sql: `DROP TABLE ${ifExists(idempotent)}${tableName(table)};`,
      unsafe: `DROP TABLE ${name} deletes the table and its rows`,
    });
    // Its foreign keys go first, with the other foreign keys: the keys they reference may be dropped before it.
    for (const fk of table.constraints.filter((c) => c.type === 'foreign_key')) {
      ctx.add({
        phase: Phase.dropForeignKey,
        target: name,
        sql: `ALTER TABLE ${tableName(table)} DROP CONSTRAINT ${ifExists(idempotent)}${quoteIdent(fk.name)};`,
        unsafe: `part of DROP TABLE ${name}`,
      });
    }
  }
  for (const [name, table] of ctx.toTables) {
    const before = ctx.fromTables.get(name);
    if (!before) createTable(ctx, table);
    else alterTable(ctx, before, table);
  }
}

function createTable(ctx: FixContext, table: TableObject): void {
  const { idempotent } = ctx.options;
  const name = `${table.schema}.${table.name}`;
  const columns = [...table.columns].sort((a, b) => a.position - b.position);
  const inline = table.constraints.filter((c) => c.type !== 'foreign_key' && !inheritedFromParent(ctx.to, table, c));
  const elements = [...columns.map(columnDefinition), ...inline.map((c) => `CONSTRAINT ${quoteIdent(c.name)} ${c.definition}${c.notValid ? ' NOT VALID' : ''}`)];
  let sql = `CREATE ${table.unlogged ? 'UNLOGGED ' : ''}TABLE ${ifNotExists(idempotent)}${tableName(table)} (\n${elements.map((e) => `    ${e}`).join(',\n')}\n)`;
  if (table.parent && !table.partitionBound) sql += ` INHERITS (${table.parent.split(', ').map(quotedDotted).join(', ')})`;
  if (table.partitionBy) sql += ` PARTITION BY ${table.partitionBy}`;
  if (table.accessMethod) sql += ` USING ${quoteIdent(table.accessMethod)}`;
  if (table.storageParameters) sql += ` WITH (${table.storageParameters})`;
  ctx.add({ phase: Phase.createTable, rank: depth(ctx, table), target: name, sql: `${sql};` });
  if (table.parent && table.partitionBound) {
    const attach = `ALTER TABLE ${quotedDotted(table.parent)} ATTACH PARTITION ${tableName(table)} ${table.partitionBound};`;
    ctx.add({ phase: Phase.alterTable, target: name, sql: idempotent ? attachIfDetached(table, attach) : attach });
  }
  for (const column of columns) {
    if (column.notNull && column.notNullNotValid) ctx.add({ phase: Phase.alterColumn, target: name, sql: addNotValidNotNull(tableName(table), column) });
  }
  rowSecurity(ctx, name, table, { rlsEnabled: false, rlsForced: false });
  if (table.comment !== null) ctx.add({ phase: Phase.comment, target: name, sql: commentOn(`TABLE ${tableName(table)}`, table.comment) });
  for (const column of table.columns) {
    if (column.comment !== null) ctx.add({ phase: Phase.comment, target: name, sql: commentOn(`COLUMN ${tableName(table)}.${quoteIdent(column.name)}`, column.comment) });
  }
}

function alterTable(ctx: FixContext, before: TableObject, after: TableObject): void {
  const name = `${after.schema}.${after.name}`;
  const table = tableName(after);
  if (before.kind !== after.kind || before.partitionBy !== after.partitionBy) {
    ctx.add({
      phase: Phase.alterTable,
      target: name,
      sql: `-- ${name}: ${before.kind} ${before.partitionBy ?? ''} → ${after.kind} ${after.partitionBy ?? ''}`.trimEnd(),
      unsafe: `Postgres cannot change how ${name} is partitioned in place: the table must be recreated and its rows copied by hand`,
    });
  }
  if (before.parent !== after.parent || before.partitionBound !== after.partitionBound) {
    const statements: string[] = [];
    if (before.parent && before.partitionBound) statements.push(`ALTER TABLE ${quotedDotted(before.parent)} DETACH PARTITION ${table};`);
    else if (before.parent) statements.push(`ALTER TABLE ${table} NO INHERIT ${quotedDotted(before.parent)};`);
    if (after.parent && after.partitionBound) statements.push(`ALTER TABLE ${quotedDotted(after.parent)} ATTACH PARTITION ${table} ${after.partitionBound};`);
    else if (after.parent) statements.push(`ALTER TABLE ${table} INHERIT ${quotedDotted(after.parent)};`);
    ctx.add({ phase: Phase.alterTable, target: name, sql: statements.join('\n') });
  }
  if (before.unlogged !== after.unlogged) {
    ctx.add({ phase: Phase.alterTable, target: name, sql: `ALTER TABLE ${table} SET ${after.unlogged ? 'UNLOGGED' : 'LOGGED'};` });
  }
  if (before.accessMethod !== after.accessMethod) {
    // Postgres 15+ (ALTER TABLE ... SET ACCESS METHOD rewrites the table); null is heap, the default
    ctx.add({ phase: Phase.alterTable, target: name, sql: `ALTER TABLE ${table} SET ACCESS METHOD ${quoteIdent(after.accessMethod ?? 'heap')};` });
  }
  if (before.storageParameters !== after.storageParameters) storageParameterSteps(ctx, name, table, before, after);
  rowSecurity(ctx, name, after, before);
  if (before.comment !== after.comment) ctx.add({ phase: Phase.comment, target: name, sql: commentOn(`TABLE ${table}`, after.comment) });
  columnSteps(ctx, before, after);
}

function rowSecurity(ctx: FixContext, name: string, after: TableObject, before: { rlsEnabled: boolean; rlsForced: boolean }): void {
  const table = tableName(after);
  if (before.rlsEnabled !== after.rlsEnabled) {
    ctx.add({ phase: Phase.alterTable, target: name, sql: `ALTER TABLE ${table} ${after.rlsEnabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY;` });
  }
  if (before.rlsForced !== after.rlsForced) {
    ctx.add({ phase: Phase.alterTable, target: name, sql: `ALTER TABLE ${table} ${after.rlsForced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY;` });
  }
}

/** Columns of a table on both sides: ADD, DROP, and one ALTER COLUMN per changed attribute. */
function columnSteps(ctx: FixContext, before: TableObject, after: TableObject): void {
  const { idempotent } = ctx.options;
  const tableKey = `${after.schema}.${after.name}`;
  const table = tableName(after);
  const targets = new Map(after.columns.map((c) => [c.name, c]));
  const sources = new Map(before.columns.map((c) => [c.name, c]));
  for (const column of before.columns) {
    const target = targets.get(column.name);
    if (target && !needsColumnRecreate(column, target, ctx.options.postgresMajor)) continue;
    const dropsData = !target || target.generated === null || column.generated === null;
    ctx.add({
      phase: Phase.dropColumn,
      target: `${tableKey}.${column.name}`,
      sql: `ALTER TABLE ${table} DROP COLUMN ${ifExists(idempotent)}${quoteIdent(column.name)};`,
      unsafe: dropsData ? `DROP COLUMN ${tableKey}.${column.name} deletes the column's data` : undefined,
      note: target ? `${tableKey}.${column.name}: the generated expression changes; the column is dropped and added again` : undefined,
    });
  }
  const added = after.columns
    .filter((c) => !sources.has(c.name) || needsColumnRecreate(sources.get(c.name)!, c, ctx.options.postgresMajor))
    .sort((a, b) => a.position - b.position);
  for (const column of added) {
    ctx.add({
      phase: Phase.alterColumn,
      target: `${tableKey}.${column.name}`,
      sql: `ALTER TABLE ${table} ADD COLUMN ${ifNotExists(idempotent)}${columnDefinition(column)};`,
    });
    if (column.notNull && column.notNullNotValid) ctx.add({ phase: Phase.alterColumn, rank: 3, target: `${tableKey}.${column.name}`, sql: addNotValidNotNull(table, column) });
    if (column.comment !== null) ctx.add({ phase: Phase.comment, target: `${tableKey}.${column.name}`, sql: commentOn(`COLUMN ${table}.${quoteIdent(column.name)}`, column.comment) });
  }
  for (const column of before.columns) {
    const target = targets.get(column.name);
    if (!target || needsColumnRecreate(column, target, ctx.options.postgresMajor)) continue;
    alterColumn(ctx, tableKey, table, column, target);
  }
}

function alterColumn(ctx: FixContext, tableKey: string, table: string, before: ColumnObject, after: ColumnObject): void {
  const target = `${tableKey}.${after.name}`;
  const column = `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(after.name)}`;
  const forcedDefault = ctx.recreated.has(`default:${target}`);
  const rebuiltEnum = ctx.rebuiltEnumOf(after.type);
  const retyped = before.type !== after.type || before.collation !== after.collation || rebuiltEnum !== undefined;
  const castNeeded = (retyped && !isWidening(before.type, after.type) && before.type !== after.type) || rebuiltEnum !== undefined;
  // A default that cannot follow the new type blocks ALTER TYPE: it goes first and comes back afterwards.
  const defaultInTheWay = before.default !== null && before.identity === null && retyped && castNeeded;
  if ((defaultInTheWay || forcedDefault) && before.default !== null) {
    ctx.add({ phase: Phase.dropDefault, target, sql: `${column} DROP DEFAULT;` });
  }
  if (before.generated !== null && after.generated === null) ctx.add({ phase: Phase.alterColumn, target, sql: `${column} DROP EXPRESSION;` });
  if (before.generated !== null && after.generated !== null && before.generated !== after.generated) {
    ctx.add({ phase: Phase.alterColumn, target, sql: `${column} SET EXPRESSION AS (${after.generated});` });
  }
  if (retyped) {
    const collate = after.collation ? ` COLLATE ${after.collation}` : '';
    // an enum being rebuilt has no cast from its old self: go through text
    const via = rebuiltEnum ? `::text${after.type.endsWith('[]') ? '[]' : ''}` : '';
    const using = castNeeded ? ` USING ${quoteIdent(after.name)}${via}::${after.type}` : '';
    const removedLabels = rebuiltEnum ? ctx.rebuiltEnums.get(rebuiltEnum)! : [];
    ctx.add({
      phase: Phase.alterColumn,
      target: rebuiltEnum ?? target,
      sql: `${column} TYPE ${after.type}${collate}${using};`,
      unsafe:
        before.type !== after.type && !isWidening(before.type, after.type)
          ? `${target}: ${before.type} → ${after.type} may fail on existing rows or lose data`
          : removedLabels.length > 0
            ? enumRebuildUnsafe(rebuiltEnum!, removedLabels)
            : undefined,
    });
  }
  if (before.identity !== after.identity) {
    if (after.identity === null) ctx.add({ phase: Phase.alterColumn, target, sql: `${column} DROP IDENTITY${ctx.options.idempotent ? ' IF EXISTS' : ''};` });
    else if (before.identity === null) {
      if (before.default !== null && !defaultInTheWay) ctx.add({ phase: Phase.dropDefault, target, sql: `${column} DROP DEFAULT;` });
      if (!before.notNull) ctx.add({ phase: Phase.alterColumn, target, sql: `${column} SET NOT NULL;` });
      const options = after.identityOptions ? ` (${after.identityOptions})` : '';
      ctx.add({ phase: Phase.alterColumn, rank: 1, target, sql: `${column} ADD GENERATED ${after.identity.toUpperCase()} AS IDENTITY${options};` });
    } else ctx.add({ phase: Phase.alterColumn, target, sql: `${column} SET GENERATED ${after.identity.toUpperCase()};` });
  }
  if (before.identity !== null && after.identity !== null && (before.identityOptions ?? '') !== (after.identityOptions ?? '')) {
    identityOptionSteps(ctx, target, column, before, after);
  }
  const defaultDropped = defaultInTheWay || forcedDefault || (before.identity === null && after.identity !== null);
  if (after.identity === null && after.generated === null) {
    if (after.default !== null && (after.default !== before.default || defaultDropped)) {
      const refs = expressionReferences(after.default);
      const late = [...refs.functions].some((fn) => ctx.droppedFunctionNames.has(fn));
      ctx.add({ phase: late ? Phase.createConstraint - 1 : Phase.alterColumn, rank: 2, target, sql: `${column} SET DEFAULT ${after.default};` });
    } else if (after.default === null && before.default !== null && !defaultDropped) {
      ctx.add({ phase: Phase.alterColumn, target, sql: `${column} DROP DEFAULT;` });
    }
  }
  const identityAdded = before.identity === null && after.identity !== null;
  if (!(identityAdded && after.notNull)) notNullSteps(ctx, target, table, column, before, after);
  if (before.comment !== after.comment) ctx.add({ phase: Phase.comment, target, sql: commentOn(`COLUMN ${table}.${quoteIdent(after.name)}`, after.comment) });
}

/**
 * A column's definition in CREATE TABLE / ADD COLUMN. Postgres 18's not-null flavours: a NOT VALID one exists only
 * through `ALTER TABLE ... ADD CONSTRAINT name NOT NULL col NOT VALID` (pg_dump prints it so; addNotValidNotNull),
 * so the column is written without it; a NO INHERIT one is written as the column's `NOT NULL NO INHERIT`.
 */
function columnDefinition(column: ColumnObject): string {
  const ddl = columnDdl({ ...column, notNull: column.notNull && !column.notNullNotValid });
  return column.notNull && column.notNullNoInherit && !column.notNullNotValid && !column.identity ? `${ddl} NO INHERIT` : ddl;
}

function addNotValidNotNull(table: string, column: ColumnObject): string {
  return `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(column.notNullNotValid!)} NOT NULL ${quoteIdent(column.name)}${column.notNullNoInherit ? ' NO INHERIT' : ''} NOT VALID;`;
}

type NotNullState = 'none' | 'valid' | 'not valid';

function notNullState(column: ColumnObject): NotNullState {
  return !column.notNull ? 'none' : column.notNullNotValid ? 'not valid' : 'valid';
}

/**
 * The column's NOT NULL from `before` to `after`, Postgres 18's NOT VALID and NO INHERIT included (a plain SET NOT NULL
 * would make a validated, inherited one where the target has neither: field, the open item of PG18 support):
 * VALIDATE CONSTRAINT makes a NOT VALID one valid, RENAME CONSTRAINT renames one; any other change drops the old one
 * and adds the new one, in one step so that nothing comes between them.
 */
function notNullSteps(ctx: FixContext, target: string, table: string, column: string, before: ColumnObject, after: ColumnObject): void {
  const [from, to] = [notNullState(before), notNullState(after)];
  const inheritChanged = to !== 'none' && from !== 'none' && Boolean(before.notNullNoInherit) !== Boolean(after.notNullNoInherit);
  const renamed = from === 'not valid' && to === 'not valid' && before.notNullNotValid !== after.notNullNotValid;
  if (from === to && !inheritChanged && !renamed) return;
  const add = (sql: string) => ctx.add({ phase: Phase.alterColumn, rank: 3, target, sql });
  if (to === 'none') return add(`${column} DROP NOT NULL;`);
  if (!inheritChanged && from === 'not valid' && to === 'valid') return add(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(before.notNullNotValid!)};`);
  if (!inheritChanged && renamed) return add(`ALTER TABLE ${table} RENAME CONSTRAINT ${quoteIdent(before.notNullNotValid!)} TO ${quoteIdent(after.notNullNotValid!)};`);
  const statements = from === 'none' ? [] : [`${column} DROP NOT NULL;`];
  if (to === 'not valid') statements.push(addNotValidNotNull(table, after));
  else if (after.notNullNoInherit) statements.push(`ALTER TABLE ${table} ADD NOT NULL ${quoteIdent(after.name)} NO INHERIT;`);
  else statements.push(`${column} SET NOT NULL;`);
  add(statements.join('\n'));
}

export function tableName(table: { schema: string; name: string }): string {
  return qualifiedName(table.schema, table.name);
}

/** Parents before children, so that CREATE TABLE ... INHERITS and ATTACH PARTITION find their parent. */
function depth(ctx: FixContext, table: TableObject): number {
  let level = 0;
  let parent = table.parent?.split(', ')[0];
  const seen = new Set<string>();
  while (parent && !seen.has(parent)) {
    seen.add(parent);
    level++;
    parent = ctx.toTables.get(parent)?.parent?.split(', ')[0];
  }
  return level;
}

/** ATTACH PARTITION is not re-runnable: on a second run the partition is already attached. */
function attachIfDetached(table: TableObject, attach: string): string {
  return unlessExists(`SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = ${literal(tableName(table))}::regclass`, attach);
}

/**
 * An identity column whose sequence options changed: ALTER COLUMN ... SET each option (the ones the target leaves at
 * Postgres's defaults are set back to them); a different sequence name is a rename of the sequence.
 */
function identityOptionSteps(ctx: FixContext, target: string, column: string, before: ColumnObject, after: ColumnObject): void {
  const from = identityClauses(before.identityOptions ?? '');
  const to = identityClauses(after.identityOptions ?? '');
  const defaults: Record<string, string> = { START: 'START WITH 1', INCREMENT: 'INCREMENT BY 1', MINVALUE: 'NO MINVALUE', MAXVALUE: 'NO MAXVALUE', CACHE: 'CACHE 1', CYCLE: 'NO CYCLE' };
  const sets = Object.keys(defaults)
    .filter((option) => from.get(option) !== to.get(option))
    .map((option) => `SET ${to.get(option) ?? defaults[option]}`);
  if (sets.length > 0) ctx.add({ phase: Phase.alterColumn, target, sql: `${column} ${sets.join(' ')};` });
  if (from.get('SEQUENCE') !== to.get('SEQUENCE')) {
    ctx.add({
      phase: Phase.alterColumn,
      target,
      sql: `-- ${target}: identity sequence ${from.get('SEQUENCE') ?? '(default name)'} → ${to.get('SEQUENCE') ?? '(default name)'}`,
      unsafe: `${target}: rename the identity's sequence by hand (ALTER SEQUENCE ... RENAME TO ...)`,
    });
  }
}

/** `START WITH 5 CACHE 20` → START → `START WITH 5`, CACHE → `CACHE 20` (the model's identityOptions, keyed by first word). */
function identityClauses(options: string): Map<string, string> {
  const clauses = new Map<string, string>();
  const words = options.split(' ').filter(Boolean);
  for (let i = 0; i < words.length; ) {
    const keyword = words[i];
    const width = keyword === 'CYCLE' ? 1 : keyword === 'MINVALUE' || keyword === 'MAXVALUE' || keyword === 'CACHE' ? 2 : 3;
    clauses.set(keyword, words.slice(i, i + width).join(' '));
    i += width;
  }
  return clauses;
}

/** ALTER TABLE ... RESET the storage parameters the target does not set, SET the ones it sets differently. */
function storageParameterSteps(ctx: FixContext, name: string, table: string, before: TableObject, after: TableObject): void {
  const from = storageParameterMap(before.storageParameters);
  const to = storageParameterMap(after.storageParameters);
  const reset = [...from.keys()].filter((parameter) => !to.has(parameter));
  const set = [...to].filter(([parameter, value]) => from.get(parameter) !== value).map(([parameter, value]) => `${parameter} = ${literal(value)}`);
  if (reset.length > 0) ctx.add({ phase: Phase.alterTable, target: name, sql: `ALTER TABLE ${table} RESET (${reset.join(', ')});` });
  if (set.length > 0) ctx.add({ phase: Phase.alterTable, target: name, sql: `ALTER TABLE ${table} SET (${set.join(', ')});` });
}

/** The model's `fillfactor=70, autovacuum_enabled=false` as a map. */
function storageParameterMap(parameters: string): Map<string, string> {
  return new Map(
    parameters
      .split(', ')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as [string, string]),
  );
}
