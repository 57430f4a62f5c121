import {
  columnDdl,
  constraintDdl,
  functionDdl,
  policyDdl,
  sequenceDdl,
  tableDdl,
  typeDdl,
  viewDdl,
} from '../model/ddl.js';
import { qualifiedName, quoteIdent } from '../model/normalize.js';
import type { ColumnObject, IndexObject, MaterializedViewObject, SchemaModel, TableObject, ViewObject } from '../model/types.js';
import type { ChangeKind, DriftItem, FieldChange, ObjectKind } from './types.js';
import { sameFunctionBody } from './function-body.js';

export interface DiffOptions {
  /**
   * Object-name patterns to leave out: `public.migrations`, `*.migrations`, `migrations`; `*` stops at dots, `**` does
   * not. A `schema.table` pattern also leaves out that schema when it exists on one side only (not its other objects).
   */
  ignore?: string[];
}

/** One comparable object of a model, flattened: what the diff matches by `key` and compares by `fields`. */
interface Entry {
  key: string;
  kind: ObjectKind;
  name: string;
  /** compared attributes (comments excluded) */
  fields: Record<string, string | null>;
  /** comment attributes: `comment`, or `comment on column x` for a view's column */
  comments: Record<string, string | null>;
  /** the key of the table / materialized view / parent this entry folds into when that owner is on one side only */
  owner: string | undefined;
  /** the model object, and the relation that holds it (for a column, constraint...) */
  object: any;
  relation: any;
  /** prints the one-line description (used when folded or on one side only) and the DDL: only for reported entries */
  print: Printer;
  /** the kind's own sameness of two unequal field texts (see KindSpec.sameField) */
  sameField?: KindSpec['sameField'];
  line: number;
}

const summary = (entry: Entry) => entry.print.summary(entry);
const ddlOf = (entry: Entry) => entry.print.ddl(entry);

/**
 * Compares the migrations' model with the snapshot's: `added` = only in the migrations, `removed` = only in the
 * snapshot, `changed` with attribute-level details (from = snapshot, to = migrations). Items are sorted by name.
 */
export function diffModels(migrations: SchemaModel, snapshot: SchemaModel, options: DiffOptions = {}): DriftItem[] {
  const overloaded = overloadedFunctions([migrations, snapshot]);
  const settled = tablesWithSameParts(migrations, snapshot);
  const ours = flatten(migrations, overloaded, settled);
  const theirs = flatten(snapshot, overloaded, settled);
  const onlyOneSide = new Set<string>();
  for (const key of ours.keys()) if (!theirs.has(key)) onlyOneSide.add(key);
  for (const key of theirs.keys()) if (!ours.has(key)) onlyOneSide.add(key);

  const items: DriftItem[] = [];
  const entryOf = new Map<DriftItem, Entry>();
  const folded = (entry: Entry) => foldTarget(entry, onlyOneSide, ours.has(entry.key) ? ours : theirs) !== undefined;
  const children = new Map<string, string[]>();
  for (const key of onlyOneSide) {
    const entry = ours.get(key) ?? theirs.get(key)!;
    const target = foldTarget(entry, onlyOneSide, ours.has(key) ? ours : theirs);
    if (target) {
      const list = children.get(target) ?? [];
      list.push(summary(entry));
      children.set(target, list);
    }
  }
  for (const key of onlyOneSide) {
    const mine = ours.get(key);
    const entry = mine ?? theirs.get(key)!;
    if (folded(entry)) continue;
    const change: ChangeKind = mine ? 'added' : 'removed';
    const details = children.get(key)?.sort() ?? [summary(entry)];
    const item: DriftItem = {
      kind: entry.kind,
      name: entry.name,
      change,
      details: details.length > 0 ? details : [summary(entry)],
      source: mine ? {} : { snapshot: { file: snapshot.file, line: entry.line } },
      ddl: mine ? { migrations: ddlOf(entry) } : { snapshot: ddlOf(entry) },
    };
    items.push(item);
    entryOf.set(item, entry);
  }
  for (const [key, mine] of ours) {
    const other = theirs.get(key);
    if (!other) continue;
    const item = compareEntries(mine, other, snapshot.file);
    if (item) {
      items.push(item);
      entryOf.set(item, mine);
    }
  }
  const ignore = (options.ignore ?? []).map(ignorePattern);
  const ignored = (name: string) => ignore.some((pattern) => pattern.test(name));
  // An object named apart from the table it belongs to goes with it: a sequence OWNED BY an ignored table's column
  // (the serial id of a runner's bookkeeping table, which goose created as serial before v3.22 and as identity since).
  const ownerName = (item: DriftItem) => {
    const owner = entryOf.get(item)?.owner;
    return owner === undefined ? undefined : (ours.get(owner) ?? theirs.get(owner))?.name;
  };
  const holders = holdingSchemas(options.ignore ?? []);
  return items
    .filter((item) => !ignored(item.name))
    .filter((item) => {
      const owner = ownerName(item);
      return owner === undefined || !ignored(owner);
    })
    .filter((item) => !(item.kind === 'schema' && item.change !== 'changed' && holders.has(item.name)))
    .sort((a, b) => compare(a.name, b.name) || compare(a.kind, b.kind) || compare(a.change, b.change));
}

function compareEntries(mine: Entry, other: Entry, snapshotFile: string): DriftItem | undefined {
  const fieldChanges = changedFields(other.fields, mine.fields).filter(
    (change) => !mine.sameField?.(change.field, change.from, change.to, mine.object, other.object),
  );
  const commentChanges = changedFields(other.comments, mine.comments);
  if (fieldChanges.length === 0 && commentChanges.length === 0) return undefined;
  const onlyComments = fieldChanges.length === 0;
  let change: ChangeKind = 'changed';
  if (onlyComments && commentChanges.length === 1) {
    const [c] = commentChanges;
    change = c.from === null ? 'added' : c.to === null ? 'removed' : 'changed';
  }
  return {
    kind: onlyComments ? 'comment' : mine.kind,
    name: mine.name,
    change,
    details: [...fieldChanges, ...commentChanges],
    source: { snapshot: { file: snapshotFile, line: other.line } },
    ddl: { snapshot: ddlOf(other), migrations: ddlOf(mine) },
  };
}

const NO_CHANGES: FieldChange[] = [];
const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** The fields that differ, `from`'s fields first then `to`'s others, each in its object's key order. */
function changedFields(from: Record<string, string | null>, to: Record<string, string | null>): FieldChange[] {
  let changes: FieldChange[] | undefined;
  for (const field of Object.keys(from)) {
    const a = from[field] ?? null;
    const b = to[field] ?? null;
    if (a !== b) (changes ??= []).push({ field, from: a, to: b });
  }
  for (const field of Object.keys(to)) {
    if (hasOwn(from, field)) continue;
    const a = from[field] ?? null;
    const b = to[field] ?? null;
    if (a !== b) (changes ??= []).push({ field, from: a, to: b });
  }
  return changes ?? NO_CHANGES;
}

/** The owner an entry on one side only folds into: its nearest owner that is also on one side only. */
function foldTarget(entry: Entry, onlyOneSide: Set<string>, side: Map<string, Entry>): string | undefined {
  let target: string | undefined;
  let owner = entry.owner;
  const seen = new Set<string>();
  while (owner && onlyOneSide.has(owner) && side.has(owner) && !seen.has(owner)) {
    seen.add(owner);
    target = owner;
    owner = side.get(owner)!.owner;
  }
  return target;
}

/** Adds an entry under its key, or `key#2`, `key#3`... when the key is taken. */
function addEntry(map: Map<string, Entry>, entry: Entry): void {
  let key = entry.key;
  for (let n = 2; map.has(key); n++) key = `${entry.key}#${n}`;
  entry.key = key;
  map.set(key, entry);
}

/**
 * Where each object of `model` stands in its file, keyed `kind:name` as diffModels names its items (`others`: the
 * models it is compared with, which decide whether a function's name carries its arguments).
 */
export function objectLines(model: SchemaModel, others: SchemaModel[] = []): Map<string, number> {
  const entries = flatten(model, overloadedFunctions([model, ...others]), new Set());
  return new Map([...entries.values()].map((entry) => [`${entry.kind}:${entry.name}`, entry.line]));
}

/**
 * The tables (of both sides) whose columns, constraints, indexes, triggers and policies are the same, in the same
 * order, on both sides: those parts yield no item, so the diff does not flatten them (on a large schema most tables
 * are unchanged, and their parts are most of the entries). Only when every part's key is unique on each side (no
 * dot in a part's name, one owner per name, parts strictly sorted by name), so that leaving parts out cannot shift
 * the `#2` suffix of another entry's key; otherwise none.
 */
function tablesWithSameParts(a: SchemaModel, b: SchemaModel): Set<TableObject> {
  const settled = new Set<TableObject>();
  if (!partKeysUnique(a) || !partKeysUnique(b)) return settled;
  const theirs = new Map<string, TableObject>();
  for (const table of b.tables) theirs.set(`${table.schema}.${table.name}`, table);
  for (const table of a.tables) {
    const other = theirs.get(`${table.schema}.${table.name}`);
    if (
      other &&
      sameParts(table.columns, other.columns) &&
      sameParts(table.constraints, other.constraints) &&
      sameParts(table.indexes, other.indexes) &&
      sameParts(table.triggers, other.triggers) &&
      sameParts(table.policies, other.policies)
    ) {
      settled.add(table);
      settled.add(other);
    }
  }
  return settled;
}

function partKeysUnique(model: SchemaModel): boolean {
  const owners = new Set<string>();
  for (const owner of [...model.tables, ...model.materializedViews]) {
    const name = `${owner.schema}.${owner.name}`;
    if (owners.has(name)) return false;
    owners.add(name);
  }
  for (const table of model.tables) {
    for (const parts of [table.columns, table.constraints, table.indexes, table.triggers, table.policies]) {
      for (let i = 0; i < parts.length; i++) {
        if (parts[i].name.includes('.') || (i > 0 && !(parts[i - 1].name < parts[i].name))) return false;
      }
    }
  }
  for (const view of model.materializedViews) {
    for (let i = 0; i < view.indexes.length; i++) {
      if (view.indexes[i].name.includes('.') || (i > 0 && !(view.indexes[i - 1].name < view.indexes[i].name))) return false;
    }
  }
  return true;
}

/** Same parts in the same order, every attribute equal but the line (stricter than the diff's own comparison). */
function sameParts(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i], 'line')) return false;
  return true;
}

function sameValue(a: unknown, b: unknown, ignoredKey?: string): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  let keys = 0;
  for (const key in a) {
    if (key === ignoredKey) continue;
    if (!hasOwn(a, key) || !hasOwn(b, key) || !sameValue((a as any)[key], (b as any)[key])) return false;
    keys++;
  }
  for (const key in b) if (key !== ignoredKey) keys--;
  return keys === 0;
}

function overloadedFunctions(models: SchemaModel[]): Set<string> {
  const signatures = new Map<string, Set<string>>();
  for (const model of models) {
    for (const fn of model.functions) {
      const name = `${fn.schema}.${fn.name}`;
      const set = signatures.get(name) ?? new Set<string>();
      set.add(fn.identityArguments);
      signatures.set(name, set);
    }
  }
  return new Set([...signatures].filter(([, set]) => set.size > 1).map(([name]) => name));
}

const bool = (value: boolean) => (value ? 'true' : 'false');

/**
 * A column's nullability. A NOT NULL constraint's NOT VALID and NO INHERIT (Postgres 18, which pg_dump 18 prints:
 * `ADD CONSTRAINT name NOT NULL col NOT VALID`, `col integer NOT NULL NO INHERIT`) are catalogue data too, so
 * `true → true (NOT VALID)` is a real difference; the name of the constraint is not compared (dumps before 18 have none).
 */
function notNullField(column: ColumnObject): string {
  const flags = [column.notNullNotValid ? 'NOT VALID' : '', column.notNull && column.notNullNoInherit ? 'NO INHERIT' : ''].filter(Boolean);
  return flags.length ? `${bool(column.notNull)} (${flags.join(', ')})` : bool(column.notNull);
}

const NO_FIELDS: Record<string, string | null> = Object.freeze({}) as Record<string, string | null>;

/** What flatten needs besides the model: overloaded function names, and tables whose parts need no comparison. */
interface FlattenContext {
  overloaded: Set<string>;
  settled: Set<TableObject>;
}

/** One object of a kind, as its kind finds it in a model. */
interface Found<T> {
  object: T;
  /** the drift item's name: public.users, public.users.email */
  name: string;
  /** the entry this one folds into when both are on one side only */
  owner?: string;
  /** the relation that holds a part (a column's table) */
  relation?: { schema: string; name: string };
  /** the match key when it is not `<prefix>:<name>` (functions: by signature) */
  key?: string;
}

/**
 * One kind of comparable object: where a model holds its objects, the fields compared, the comments, and how
 * one is summarised and printed as DDL. Adding a kind to the model is adding a row to KINDS.
 */
interface KindSpec<T = any> {
  /** the drift item's kind */
  kind: ObjectKind;
  /** key prefix: objects match across the two models by `<prefix>:<name>` */
  prefix: string;
  objects(model: SchemaModel, context: FlattenContext): Iterable<Found<T>>;
  fields(object: T): Record<string, string | null>;
  comments(object: T): Record<string, string | null>;
  summary(entry: Entry): string;
  ddl(entry: Entry): string;
  /** two texts of a field that differ but say the same (from = snapshot, to = migrations) */
  sameField?(field: string, from: string | null, to: string | null, ours: T, theirs: T): boolean;
}

type Printer = Pick<KindSpec, 'summary' | 'ddl'>;

const relationName = (entry: Entry) => qualifiedName(entry.relation.schema, entry.relation.name);
const commentOnly = (object: { comment: string | null }) => ({ comment: object.comment });

/** The parts of every table whose parts need comparing (see tablesWithSameParts), with their table. */
function* tableParts<T>(model: SchemaModel, context: FlattenContext, parts: (table: TableObject) => readonly T[]): Iterable<Found<T>> {
  for (const table of model.tables) {
    if (context.settled.has(table)) continue;
    const tableName = `${table.schema}.${table.name}`;
    for (const object of parts(table)) yield { object, name: `${tableName}.${(object as { name: string }).name}`, owner: `relation:${tableName}`, relation: table };
  }
}

function indexFields(index: IndexObject): Record<string, string | null> {
  return {
    unique: bool(index.unique),
    method: index.method,
    keys: stringify(index.keys),
    include: index.include.join(', '),
    predicate: index.predicate,
    definition: index.definition,
    attachedTo: index.attachedTo ?? null,
  };
}

function viewFields(view: ViewObject | MaterializedViewObject): Record<string, string | null> {
  const fields: Record<string, string | null> = { query: view.query };
  if ('accessMethod' in view) fields.accessMethod = view.accessMethod;
  for (const [option, value] of Object.entries(view.options)) fields[option] = value;
  return fields;
}

function viewComments(view: ViewObject | MaterializedViewObject): Record<string, string | null> {
  const comments: Record<string, string | null> = { comment: view.comment };
  for (const [column, comment] of Object.entries(view.columnComments)) comments[`comment on column ${column}`] = comment;
  return comments;
}

/**
 * plpgsql in pg_catalog, which initdb installs in every database: older pg_dump versions write its CREATE EXTENSION
 * and COMMENT (10.3 did), current ones (15, 16, 18 checked) do not, so it is on one side or the other by the pg_dump
 * version alone (field report: AcademySoftwareFoundation/OpenCue's pg_dump 10.3 schema.sql against a replay dumped
 * by pg_dump 16).
 */
function isInitdbPlpgsql(extension: SchemaModel['extensions'][number]): boolean {
  return extension.name === 'plpgsql' && (extension.schema === null || extension.schema === 'pg_catalog');
}

const views = <T extends ViewObject | MaterializedViewObject>(list: readonly T[]): Array<Found<T>> =>
  list.map((view) => ({ object: view, name: `${view.schema}.${view.name}` }));

/** Every kind the diff compares, in the order entries are listed (which decides `#2` suffixes of repeated keys). */
const KINDS = [
  {
    kind: 'schema',
    prefix: 'schema',
    objects: (model) => model.schemas.map((schema) => ({ object: schema, name: schema.name })),
    fields: () => ({}),
    comments: commentOnly,
    summary: (e) => `schema ${e.object.name}`,
    ddl: (e) => `CREATE SCHEMA ${quoteIdent(e.object.name)};`,
  } satisfies KindSpec<SchemaModel['schemas'][number]>,
  {
    kind: 'extension',
    prefix: 'extension',
    objects: (model) => model.extensions.filter((extension) => !isInitdbPlpgsql(extension)).map((extension) => ({ object: extension, name: extension.name })),
    fields: (extension) => ({ schema: extension.schema }),
    comments: commentOnly,
    summary: (e) => `extension ${e.object.name}`,
    ddl: (e) => `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.object.name)}${e.object.schema ? ` WITH SCHEMA ${quoteIdent(e.object.schema)}` : ''};`,
  } satisfies KindSpec<SchemaModel['extensions'][number]>,
  {
    kind: 'type',
    prefix: 'type',
    objects: (model) => model.types.map((type) => ({ object: type, name: `${type.schema}.${type.name}` })),
    fields: (type) => {
      const { schema: _schema, name: _name, comment: _comment, line: _line, ...rest } = type;
      const fields: Record<string, string | null> = {};
      for (const [field, value] of Object.entries(rest)) fields[field] = stringify(value);
      return fields;
    },
    comments: commentOnly,
    summary: (e) => `${e.object.type} ${e.object.schema}.${e.object.name}`,
    ddl: (e) => typeDdl(e.object),
  } satisfies KindSpec<SchemaModel['types'][number]>,
  {
    kind: 'table',
    prefix: 'relation',
    objects: (model) =>
      model.tables.map((table) => ({ object: table, name: `${table.schema}.${table.name}`, owner: table.parent ? `relation:${table.parent.split(', ')[0]}` : undefined })),
    fields: (table) => ({
      kind: table.kind,
      partitionBy: table.partitionBy,
      parent: table.parent,
      partitionBound: table.partitionBound,
      unlogged: bool(table.unlogged),
      accessMethod: table.accessMethod,
      storageParameters: table.storageParameters,
      rlsEnabled: bool(table.rlsEnabled),
      rlsForced: bool(table.rlsForced),
    }),
    comments: commentOnly,
    summary: (e) => `${e.object.kind === 'partition' ? 'partition' : 'table'} ${e.name}`,
    ddl: (e) => tableDdl(e.object),
  } satisfies KindSpec<TableObject>,
  {
    kind: 'column',
    prefix: 'column',
    objects: (model, context) => tableParts(model, context, (table) => table.columns),
    fields: (column) => ({
      type: column.type,
      notNull: notNullField(column),
      default: column.default,
      identity: column.identity,
      identityOptions: column.identityOptions,
      generated: column.generated,
      collation: column.collation,
    }),
    comments: commentOnly,
    summary: (e) => `column ${columnDdl(e.object)}`,
    ddl: (e) =>
      withComment(
        `ALTER TABLE ${relationName(e)} ADD COLUMN ${columnDdl({ ...e.object, notNull: e.object.notNull && !e.object.notNullNotValid })}${e.object.notNullNoInherit && e.object.notNull && !e.object.notNullNotValid && !e.object.identity ? ' NO INHERIT' : ''};` +
          (e.object.notNullNotValid
            ? `\nALTER TABLE ${relationName(e)} ADD CONSTRAINT ${quoteIdent(e.object.notNullNotValid)} NOT NULL ${quoteIdent(e.object.name)}${e.object.notNullNoInherit ? ' NO INHERIT' : ''} NOT VALID;`
            : ''),
        `COLUMN ${relationName(e)}.${quoteIdent(e.object.name)}`,
        e.object.comment,
      ),
  } satisfies KindSpec<TableObject['columns'][number]>,
  {
    kind: 'constraint',
    prefix: 'constraint',
    objects: (model, context) => tableParts(model, context, (table) => table.constraints),
    fields: (constraint) => {
      const fields: Record<string, string | null> = {
        type: constraint.type,
        definition: constraint.definition,
        notValid: bool(constraint.notValid),
        deferrable: bool(constraint.deferrable),
        initiallyDeferred: bool(constraint.initiallyDeferred),
        attachedTo: constraint.attachedTo ?? null,
      };
      if (constraint.references) {
        fields.references = `${constraint.references.table}(${constraint.references.columns.join(', ')})`;
        fields.match = constraint.references.match;
        fields.onDelete = constraint.references.onDelete;
        fields.onUpdate = constraint.references.onUpdate;
      }
      return fields;
    },
    comments: commentOnly,
    summary: (e) => `constraint ${e.object.name} ${e.object.definition}`,
    ddl: (e) =>
      withComment(`ALTER TABLE ${relationName(e)} ADD ${constraintDdl(e.object)};`, `CONSTRAINT ${quoteIdent(e.object.name)} ON ${relationName(e)}`, e.object.comment),
  } satisfies KindSpec<TableObject['constraints'][number]>,
  {
    kind: 'index',
    prefix: 'index',
    // tables' indexes, then materialized views' (one key space: an index name is unique in its schema)
    objects: function* (model, context) {
      yield* tableParts(model, context, (table) => table.indexes);
      for (const view of model.materializedViews) {
        const viewName = `${view.schema}.${view.name}`;
        for (const index of view.indexes) yield { object: index, name: `${viewName}.${index.name}`, owner: `relation:${viewName}`, relation: view };
      }
    },
    fields: indexFields,
    comments: commentOnly,
    summary: (e) => `index ${e.object.definition}`,
    ddl: (e) => withComment(`${e.object.definition};`, `INDEX ${qualifiedName(e.relation.schema, e.object.name)}`, e.object.comment),
  } satisfies KindSpec<IndexObject>,
  {
    kind: 'trigger',
    prefix: 'trigger',
    objects: (model, context) => tableParts(model, context, (table) => table.triggers),
    fields: (trigger) => ({
      timing: trigger.timing,
      events: trigger.events.join(' or '),
      level: trigger.level,
      function: trigger.function,
      when: trigger.when,
      definition: trigger.definition,
    }),
    comments: commentOnly,
    summary: (e) => `trigger ${e.object.definition}`,
    ddl: (e) => withComment(`${e.object.definition};`, `TRIGGER ${quoteIdent(e.object.name)} ON ${relationName(e)}`, e.object.comment),
  } satisfies KindSpec<TableObject['triggers'][number]>,
  {
    kind: 'policy',
    prefix: 'policy',
    objects: (model, context) => tableParts(model, context, (table) => table.policies),
    fields: (policy) => ({
      permissive: bool(policy.permissive),
      command: policy.command,
      roles: policy.roles.join(', '),
      using: policy.using,
      withCheck: policy.withCheck,
    }),
    comments: commentOnly,
    summary: (e) => `policy ${policyDdl(e.object, e.relation.schema, e.relation.name)}`,
    ddl: (e) =>
      withComment(`${policyDdl(e.object, e.relation.schema, e.relation.name)};`, `POLICY ${quoteIdent(e.object.name)} ON ${relationName(e)}`, e.object.comment),
  } satisfies KindSpec<TableObject['policies'][number]>,
  {
    kind: 'sequence',
    prefix: 'sequence',
    objects: (model) =>
      model.sequences.map((sequence) => {
        const owner = sequence.ownedBy?.split('.').slice(0, 2).join('.');
        return { object: sequence, name: `${sequence.schema}.${sequence.name}`, owner: owner ? `relation:${owner}` : undefined };
      }),
    fields: (sequence) => {
      const fields: Record<string, string | null> = { ownedBy: sequence.ownedBy, unlogged: bool(sequence.unlogged) };
      for (const [option, value] of Object.entries(sequence.options)) fields[option] = value;
      return fields;
    },
    comments: commentOnly,
    summary: (e) => `sequence ${e.object.schema}.${e.object.name}`,
    ddl: (e) => sequenceDdl(e.object),
  } satisfies KindSpec<SchemaModel['sequences'][number]>,
  {
    kind: 'view',
    prefix: 'relation',
    objects: (model) => views(model.views),
    fields: viewFields,
    comments: viewComments,
    summary: (e) => `view ${e.name}`,
    ddl: (e) => viewDdl(e.object, false),
  } satisfies KindSpec<ViewObject>,
  {
    kind: 'materialized_view',
    prefix: 'relation',
    objects: (model) => views(model.materializedViews),
    fields: viewFields,
    comments: viewComments,
    summary: (e) => `materialized view ${e.name}`,
    ddl: (e) => viewDdl(e.object, true),
  } satisfies KindSpec<MaterializedViewObject>,
  {
    kind: 'function',
    prefix: 'function',
    objects: (model, context) =>
      model.functions.map((fn) => {
        const plain = `${fn.schema}.${fn.name}`;
        return { object: fn, name: context.overloaded.has(plain) ? `${plain}(${fn.identityArguments})` : plain, key: `function:${plain}(${fn.identityArguments})` };
      }),
    fields: (fn) => ({
      kind: fn.kind,
      arguments: fn.arguments,
      returns: fn.returns,
      language: fn.language,
      volatility: fn.kind === 'procedure' ? null : fn.volatility,
      securityDefiner: bool(fn.securityDefiner),
      strict: bool(fn.strict),
      ...Object.fromEntries(Object.entries(fn.options)),
      body: fn.body,
    }),
    sameField: (field, from, to, ours) => field === 'body' && from !== null && to !== null && sameFunctionBody(from, to, ours.language),
    comments: commentOnly,
    summary: (e) => `${e.object.kind} ${e.object.schema}.${e.object.name}(${e.object.identityArguments})`,
    ddl: (e) => functionDdl(e.object),
  } satisfies KindSpec<SchemaModel['functions'][number]>,
  {
    kind: 'other',
    prefix: 'privilege',
    objects: (model) => model.privileges.map((privilege) => ({ object: privilege, name: privilege.statement })),
    fields: () => NO_FIELDS,
    comments: () => NO_FIELDS,
    summary: (e) => e.object.statement,
    ddl: (e) => `${e.object.statement};`,
  } satisfies KindSpec<SchemaModel['privileges'][number]>,
  {
    kind: 'other',
    prefix: 'other',
    objects: (model) =>
      model.others.map((other) => ({ object: other, name: other.name, key: `other:${other.text}`, owner: ownerRelation(other.name) })),
    fields: () => NO_FIELDS,
    comments: () => NO_FIELDS,
    summary: (e) => e.object.text,
    ddl: (e) => `${e.object.text};`,
  } satisfies KindSpec<SchemaModel['others'][number]>,
] as const satisfies readonly KindSpec[];

/** The table a statement kept as text belongs to: `schema.table`, or `schema.table.column` (a column setting). */
function ownerRelation(name: string): string | undefined {
  const parts = name.split('.');
  return parts.length === 2 || parts.length === 3 ? `relation:${parts[0]}.${parts[1]}` : undefined;
}

/** The model's comparable objects by key, kind by kind (see KINDS). */
function flatten(model: SchemaModel, overloaded: Set<string>, settled: Set<TableObject>): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const context: FlattenContext = { overloaded, settled };
  for (const spec of KINDS as readonly KindSpec[]) {
    for (const found of spec.objects(model, context)) {
      addEntry(entries, {
        key: found.key ?? `${spec.prefix}:${found.name}`,
        kind: spec.kind,
        name: found.name,
        fields: spec.fields(found.object),
        comments: spec.comments(found.object),
        owner: found.owner,
        object: found.object,
        relation: found.relation,
        print: spec,
        ...(spec.sameField ? { sameField: spec.sameField } : {}),
        line: found.object.line,
      });
    }
  }
  return entries;
}

function withComment(ddl: string, target: string, comment: string | null): string {
  return comment === null ? ddl : `${ddl}\nCOMMENT ON ${target} IS '${comment.replace(/'/g, "''")}';`;
}

function stringify(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  if (Array.isArray(value)) {
    return value
      .map((v) =>
        typeof v === 'object' && v !== null
          ? Object.values(v as Record<string, unknown>)
              .filter((x) => x !== null && x !== false)
              .join(' ')
          : String(v),
      )
      .join(', ');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The schemas named by `schema.table` patterns (not `public`): a runner creates its own to hold its bookkeeping table
 * (`drizzle`, `supabase_migrations`), so a schema that exists on one side only is left out with the table; every
 * other object in it is still compared.
 */
function holdingSchemas(patterns: string[]): Set<string> {
  const schemas = new Set<string>();
  for (const pattern of patterns) {
    const match = /^([^.*]+)\.[^.*]+$/.exec(pattern);
    if (match && match[1] !== 'public') schemas.add(match[1]);
  }
  return schemas;
}

function ignorePattern(pattern: string): RegExp {
  const body = (p: string) =>
    p
      .split(/(\*\*|\*)/)
      .map((part) => (part === '**' ? '.*' : part === '*' ? '[^.]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
  const alternatives = [body(pattern)];
  if (!pattern.includes('.')) alternatives.push(`[^.]*\\.${body(pattern)}`);
  // A table's pattern covers its columns, constraints, indexes...
  return new RegExp(`^(?:${alternatives.join('|')})(?:\\..*)?$`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
