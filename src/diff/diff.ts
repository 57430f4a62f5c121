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
import type { SchemaModel } from '../model/types.js';
import type { ChangeKind, DriftItem, FieldChange, ObjectKind } from './types.js';

export interface DiffOptions {
  /** Object-name patterns to leave out: `public.migrations`, `*.migrations`, `migrations`; `*` stops at dots, `**` does not. */
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
  owner?: string;
  /** one-line description used when folded or when on one side only (computed only for reported entries) */
  summary: () => string;
  ddl: () => string;
  line: number;
}

/**
 * Compares the migrations' model with the snapshot's: `added` = only in the migrations, `removed` = only in the
 * snapshot, `changed` with attribute-level details (from = snapshot, to = migrations). Items are sorted by name.
 */
export function diffModels(migrations: SchemaModel, snapshot: SchemaModel, options: DiffOptions = {}): DriftItem[] {
  const overloaded = overloadedFunctions([migrations, snapshot]);
  const ours = indexEntries(flatten(migrations, overloaded));
  const theirs = indexEntries(flatten(snapshot, overloaded));
  const onlyOneSide = new Set<string>();
  for (const key of ours.keys()) if (!theirs.has(key)) onlyOneSide.add(key);
  for (const key of theirs.keys()) if (!ours.has(key)) onlyOneSide.add(key);

  const items: DriftItem[] = [];
  const folded = (entry: Entry) => foldTarget(entry, onlyOneSide, ours.has(entry.key) ? ours : theirs) !== undefined;
  const children = new Map<string, string[]>();
  for (const key of onlyOneSide) {
    const entry = ours.get(key) ?? theirs.get(key)!;
    const target = foldTarget(entry, onlyOneSide, ours.has(key) ? ours : theirs);
    if (target) {
      const list = children.get(target) ?? [];
      list.push(entry.summary());
      children.set(target, list);
    }
  }
  for (const key of onlyOneSide) {
    const mine = ours.get(key);
    const entry = mine ?? theirs.get(key)!;
    if (folded(entry)) continue;
    const change: ChangeKind = mine ? 'added' : 'removed';
    const details = children.get(key)?.sort() ?? [entry.summary()];
    items.push({
      kind: entry.kind,
      name: entry.name,
      change,
      details: details.length > 0 ? details : [entry.summary()],
      source: mine ? {} : { snapshot: { file: snapshot.file, line: entry.line } },
      ddl: mine ? { migrations: entry.ddl() } : { snapshot: entry.ddl() },
    });
  }
  for (const [key, mine] of ours) {
    const other = theirs.get(key);
    if (!other) continue;
    const item = compareEntries(mine, other, snapshot.file);
    if (item) items.push(item);
  }
  const ignore = (options.ignore ?? []).map(ignorePattern);
  return items
    .filter((item) => !ignore.some((pattern) => pattern.test(item.name)))
    .sort((a, b) => compare(a.name, b.name) || compare(a.kind, b.kind) || compare(a.change, b.change));
}

function compareEntries(mine: Entry, other: Entry, snapshotFile: string): DriftItem | undefined {
  const fieldChanges = changedFields(other.fields, mine.fields);
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
    ddl: { snapshot: other.ddl(), migrations: mine.ddl() },
  };
}

function changedFields(from: Record<string, string | null>, to: Record<string, string | null>): FieldChange[] {
  const changes: FieldChange[] = [];
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  for (const field of fields) {
    const a = from[field] ?? null;
    const b = to[field] ?? null;
    if (a !== b) changes.push({ field, from: a, to: b });
  }
  return changes;
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

function indexEntries(entries: Entry[]): Map<string, Entry> {
  const map = new Map<string, Entry>();
  for (const entry of entries) {
    let key = entry.key;
    for (let n = 2; map.has(key); n++) key = `${entry.key}#${n}`;
    entry.key = key;
    map.set(key, entry);
  }
  return map;
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

function flatten(model: SchemaModel, overloaded: Set<string>): Entry[] {
  const entries: Entry[] = [];
  for (const schema of model.schemas) {
    entries.push({
      key: `schema:${schema.name}`,
      kind: 'schema',
      name: schema.name,
      fields: {},
      comments: { comment: schema.comment },
      summary: () => `schema ${schema.name}`,
      ddl: () => `CREATE SCHEMA ${quoteIdent(schema.name)};`,
      line: schema.line,
    });
  }
  for (const extension of model.extensions) {
    entries.push({
      key: `extension:${extension.name}`,
      kind: 'extension',
      name: extension.name,
      fields: { schema: extension.schema },
      comments: { comment: extension.comment },
      summary: () => `extension ${extension.name}`,
      ddl: () => `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(extension.name)}${extension.schema ? ` WITH SCHEMA ${quoteIdent(extension.schema)}` : ''};`,
      line: extension.line,
    });
  }
  for (const type of model.types) {
    const { schema, name, comment, line, ...rest } = type;
    const fields: Record<string, string | null> = {};
    for (const [field, value] of Object.entries(rest)) fields[field] = stringify(value);
    entries.push({
      key: `type:${schema}.${name}`,
      kind: 'type',
      name: `${schema}.${name}`,
      fields,
      comments: { comment },
      summary: () => `${type.type} ${schema}.${name}`,
      ddl: () => typeDdl(type),
      line,
    });
  }
  for (const table of model.tables) {
    const tableKey = `relation:${table.schema}.${table.name}`;
    const tableName = `${table.schema}.${table.name}`;
    const qualifiedOnce = () => qualifiedName(table.schema, table.name);
    entries.push({
      key: tableKey,
      kind: 'table',
      name: tableName,
      fields: {
        kind: table.kind,
        partitionBy: table.partitionBy,
        parent: table.parent,
        partitionBound: table.partitionBound,
        unlogged: bool(table.unlogged),
        rlsEnabled: bool(table.rlsEnabled),
        rlsForced: bool(table.rlsForced),
      },
      comments: { comment: table.comment },
      owner: table.parent ? `relation:${table.parent.split(', ')[0]}` : undefined,
      summary: () => `${table.kind === 'partition' ? 'partition' : 'table'} ${tableName}`,
      ddl: () => tableDdl(table),
      line: table.line,
    });
    for (const column of table.columns) {
      const ddl = () => columnDdl(column);
      entries.push({
        key: `column:${tableName}.${column.name}`,
        kind: 'column',
        name: `${tableName}.${column.name}`,
        fields: {
          type: column.type,
          notNull: bool(column.notNull),
          default: column.default,
          identity: column.identity,
          generated: column.generated,
          collation: column.collation,
        },
        comments: { comment: column.comment },
        owner: tableKey,
        summary: () => `column ${ddl()}`,
        ddl: () => withComment(`ALTER TABLE ${qualifiedOnce()} ADD COLUMN ${ddl()};`, `COLUMN ${qualifiedOnce()}.${quoteIdent(column.name)}`, column.comment),
        line: column.line,
      });
    }
    for (const constraint of table.constraints) {
      entries.push({
        key: `constraint:${tableName}.${constraint.name}`,
        kind: 'constraint',
        name: `${tableName}.${constraint.name}`,
        fields: {
          type: constraint.type,
          definition: constraint.definition,
          notValid: bool(constraint.notValid),
          deferrable: bool(constraint.deferrable),
          initiallyDeferred: bool(constraint.initiallyDeferred),
          ...(constraint.references
            ? {
                references: `${constraint.references.table}(${constraint.references.columns.join(', ')})`,
                match: constraint.references.match,
                onDelete: constraint.references.onDelete,
                onUpdate: constraint.references.onUpdate,
              }
            : {}),
        },
        comments: { comment: constraint.comment },
        owner: tableKey,
        summary: () => `constraint ${constraint.name} ${constraint.definition}`,
        ddl: () => withComment(`ALTER TABLE ${qualifiedOnce()} ADD ${constraintDdl(constraint)};`, `CONSTRAINT ${quoteIdent(constraint.name)} ON ${qualifiedOnce()}`, constraint.comment),
        line: constraint.line,
      });
    }
    for (const index of table.indexes) entries.push(indexEntry(index, tableName, tableKey, table.schema));
    for (const trigger of table.triggers) {
      entries.push({
        key: `trigger:${tableName}.${trigger.name}`,
        kind: 'trigger',
        name: `${tableName}.${trigger.name}`,
        fields: {
          timing: trigger.timing,
          events: trigger.events.join(' or '),
          level: trigger.level,
          function: trigger.function,
          when: trigger.when,
          definition: trigger.definition,
        },
        comments: { comment: trigger.comment },
        owner: tableKey,
        summary: () => `trigger ${trigger.definition}`,
        ddl: () => withComment(`${trigger.definition};`, `TRIGGER ${quoteIdent(trigger.name)} ON ${qualifiedOnce()}`, trigger.comment),
        line: trigger.line,
      });
    }
    for (const policy of table.policies) {
      const ddl = () => policyDdl(policy, table.schema, table.name);
      entries.push({
        key: `policy:${tableName}.${policy.name}`,
        kind: 'policy',
        name: `${tableName}.${policy.name}`,
        fields: {
          permissive: bool(policy.permissive),
          command: policy.command,
          roles: policy.roles.join(', '),
          using: policy.using,
          withCheck: policy.withCheck,
        },
        comments: { comment: policy.comment },
        owner: tableKey,
        summary: () => `policy ${ddl()}`,
        ddl: () => withComment(`${ddl()};`, `POLICY ${quoteIdent(policy.name)} ON ${qualifiedOnce()}`, policy.comment),
        line: policy.line,
      });
    }
  }
  for (const sequence of model.sequences) {
    const owner = sequence.ownedBy?.split('.').slice(0, 2).join('.');
    const fields: Record<string, string | null> = { ownedBy: sequence.ownedBy };
    for (const [option, value] of Object.entries(sequence.options)) fields[option] = value;
    entries.push({
      key: `sequence:${sequence.schema}.${sequence.name}`,
      kind: 'sequence',
      name: `${sequence.schema}.${sequence.name}`,
      fields,
      comments: { comment: sequence.comment },
      owner: owner ? `relation:${owner}` : undefined,
      summary: () => `sequence ${sequence.schema}.${sequence.name}`,
      ddl: () => sequenceDdl(sequence),
      line: sequence.line,
    });
  }
  for (const [materialized, views] of [
    [false, model.views],
    [true, model.materializedViews],
  ] as const) {
    for (const view of views) {
      const viewName = `${view.schema}.${view.name}`;
      const viewKey = `relation:${viewName}`;
      const comments: Record<string, string | null> = { comment: view.comment };
      for (const [column, comment] of Object.entries(view.columnComments)) comments[`comment on column ${column}`] = comment;
      const fields: Record<string, string | null> = { query: view.query };
      for (const [option, value] of Object.entries(view.options)) fields[option] = value;
      entries.push({
        key: viewKey,
        kind: materialized ? 'materialized_view' : 'view',
        name: viewName,
        fields,
        comments,
        summary: () => `${materialized ? 'materialized view' : 'view'} ${viewName}`,
        ddl: () => viewDdl(view, materialized),
        line: view.line,
      });
      if ('indexes' in view) for (const index of view.indexes) entries.push(indexEntry(index, viewName, viewKey, view.schema));
    }
  }
  for (const fn of model.functions) {
    const plain = `${fn.schema}.${fn.name}`;
    entries.push({
      key: `function:${plain}(${fn.identityArguments})`,
      kind: 'function',
      name: overloaded.has(plain) ? `${plain}(${fn.identityArguments})` : plain,
      fields: {
        kind: fn.kind,
        arguments: fn.arguments,
        returns: fn.returns,
        language: fn.language,
        volatility: fn.kind === 'procedure' ? null : fn.volatility,
        securityDefiner: bool(fn.securityDefiner),
        strict: bool(fn.strict),
        ...Object.fromEntries(Object.entries(fn.options)),
        body: fn.body,
      },
      comments: { comment: fn.comment },
      summary: () => `${fn.kind} ${plain}(${fn.identityArguments})`,
      ddl: () => functionDdl(fn),
      line: fn.line,
    });
  }
  for (const privilege of model.privileges) {
    entries.push({
      key: `privilege:${privilege.statement}`,
      kind: 'other',
      name: privilege.statement,
      fields: {},
      comments: {},
      summary: () => privilege.statement,
      ddl: () => `${privilege.statement};`,
      line: privilege.line,
    });
  }
  for (const other of model.others) {
    entries.push({
      key: `other:${other.text}`,
      kind: 'other',
      name: other.name,
      fields: {},
      comments: {},
      owner: other.name.split('.').length === 2 ? `relation:${other.name}` : undefined,
      summary: () => other.text,
      ddl: () => `${other.text};`,
      line: other.line,
    });
  }
  return entries;
}

function indexEntry(index: SchemaModel['tables'][number]['indexes'][number], ownerName: string, ownerKey: string, schema: string): Entry {
  return {
    key: `index:${ownerName}.${index.name}`,
    kind: 'index',
    name: `${ownerName}.${index.name}`,
    fields: {
      unique: bool(index.unique),
      method: index.method,
      keys: stringify(index.keys),
      include: index.include.join(', '),
      predicate: index.predicate,
      definition: index.definition,
    },
    comments: { comment: index.comment },
    owner: ownerKey,
    summary: () => `index ${index.definition}`,
    ddl: () => withComment(`${index.definition};`, `INDEX ${qualifiedName(schema, index.name)}`, index.comment),
    line: index.line,
  };
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
