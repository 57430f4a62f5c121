import { qualifiedName } from '../model/normalize.js';
import type {
  ConstraintObject,
  FunctionObject,
  IndexObject,
  MaterializedViewObject,
  SchemaModel,
  TableObject,
  ViewObject,
} from '../model/types.js';
import { expressionReferences, readsAnyColumn, statementReferences, type References } from './references.js';
import type { FixOptions, FixStep } from './types.js';

export interface RelationView {
  view: ViewObject | MaterializedViewObject;
  materialized: boolean;
}

/**
 * Both models indexed by name, and the dependency decisions every object kind needs before it writes a step:
 * which views, triggers, policies, constraints and indexes must be dropped and recreated because something they
 * depend on is dropped, recreated or retyped (Postgres refuses to drop or retype an object that others depend on).
 */
export class FixContext {
  readonly options: Required<FixOptions>;
  readonly steps: FixStep[] = [];
  readonly fromTables: Map<string, TableObject>;
  readonly toTables: Map<string, TableObject>;
  readonly fromViews: Map<string, RelationView>;
  readonly toViews: Map<string, RelationView>;
  readonly fromFunctions: Map<string, FunctionObject>;
  readonly toFunctions: Map<string, FunctionObject>;
  /** function names (`schema.name`) with more than one signature across both sides: drift names carry arguments */
  readonly overloaded = new Set<string>();
  /**
   * Enums whose labels are removed or reordered (`schema.name` → the removed labels): rebuilt under a new type,
   * their columns converted through text.
   */
  readonly rebuiltEnums = new Map<string, string[]>();
  /** tables key → column names whose type or collation changes (Postgres rewrites them in place) */
  readonly retypedColumns = new Map<string, Set<string>>();
  /** tables key → columns dropped (from a table that stays), including columns dropped to be added again */
  readonly droppedColumns = new Map<string, Set<string>>();
  /** `schema.name` of functions dropped (gone, or recreated because CREATE OR REPLACE cannot change them) */
  readonly droppedFunctionNames = new Set<string>();
  /** signature keys (`schema.name(args)`) of functions dropped then created again */
  readonly recreatedFunctions = new Set<string>();
  /** views and materialized views of `from` that are dropped (recreated from `to` when they are there) */
  readonly droppedViews = new Set<string>();
  /** `table.object` keys of triggers, policies, constraints, indexes and defaults recreated as dependents */
  readonly recreated = new Set<string>();
  /** why each dependent is recreated: the drift name of the change that forces it */
  readonly recreatedBecause = new Map<string, string>();

  constructor(
    readonly from: SchemaModel,
    readonly to: SchemaModel,
    options: FixOptions,
  ) {
    this.options = {
      allowDestructive: options.allowDestructive ?? false,
      concurrently: options.concurrently ?? false,
      idempotent: options.idempotent ?? false,
      postgresMajor: options.postgresMajor ?? majorOf(to.pgDumpVersion) ?? majorOf(from.pgDumpVersion) ?? 18,
    };
    this.fromTables = byName(from.tables);
    this.toTables = byName(to.tables);
    this.fromViews = viewsByName(from);
    this.toViews = viewsByName(to);
    this.fromFunctions = new Map(from.functions.map((fn) => [signature(fn), fn]));
    this.toFunctions = new Map(to.functions.map((fn) => [signature(fn), fn]));
    const signatures = new Map<string, Set<string>>();
    for (const fn of [...from.functions, ...to.functions]) {
      const set = signatures.get(`${fn.schema}.${fn.name}`) ?? new Set<string>();
      set.add(fn.identityArguments);
      signatures.set(`${fn.schema}.${fn.name}`, set);
    }
    for (const [name, set] of signatures) if (set.size > 1) this.overloaded.add(name);
    this.decideEnums();
    this.decideColumns();
    this.decideFunctions();
    this.decideViews();
  }

  add(step: FixStep): void {
    this.steps.push(step);
  }

  /** The drift-item name of a function: `schema.name`, with its arguments when the name is overloaded. */
  functionName(fn: FunctionObject): string {
    const plain = `${fn.schema}.${fn.name}`;
    return this.overloaded.has(plain) ? `${plain}(${fn.identityArguments})` : plain;
  }

  /** The drift name of a dropped function called by `schema.name` (with arguments when overloaded). */
  functionCause(plain: string): string {
    for (const [key, fn] of this.fromFunctions) {
      if (`${fn.schema}.${fn.name}` === plain && (!this.toFunctions.has(key) || this.recreatedFunctions.has(key))) return this.functionName(fn);
    }
    return plain;
  }

  /** Marks a dependent object (`kind:table.name`) for drop-and-recreate, remembering the first change that forced it. */
  recreate(key: string, because: string): void {
    if (!this.recreated.has(key)) {
      this.recreated.add(key);
      this.recreatedBecause.set(key, because);
    }
  }

  isTableDropped(name: string): boolean {
    return this.fromTables.has(name) && !this.toTables.has(name);
  }

  isTableCreated(name: string): boolean {
    return this.toTables.has(name) && !this.fromTables.has(name);
  }

  /** Whether the references read a column that is dropped or retyped, or a function that is dropped; the cause, if so. */
  brokenBy(refs: References, relation?: string): string | undefined {
    for (const fn of refs.functions) if (this.droppedFunctionNames.has(fn)) return this.functionCause(fn);
    const relations = relation ? [relation, ...refs.relations] : [...refs.relations];
    for (const rel of relations) {
      for (const columns of [this.retypedColumns.get(rel), this.droppedColumns.get(rel)]) {
        if (!columns || columns.size === 0) continue;
        const probe = relation === rel ? { ...refs, relations: new Set([rel]) } : refs;
        if (readsAnyColumn(probe, rel, columns)) return `${rel}.${[...columns].find((c) => refs.columns.has(c) || refs.columns.has('*'))}`;
      }
    }
    return undefined;
  }

  private decideColumns(): void {
    for (const [name, before] of this.fromTables) {
      const after = this.toTables.get(name);
      if (!after) continue;
      const columns = new Map(after.columns.map((c) => [c.name, c]));
      for (const column of before.columns) {
        const target = columns.get(column.name);
        if (!target || needsColumnRecreate(column, target, this.options.postgresMajor)) addTo(this.droppedColumns, name, column.name);
        else if (target.type !== column.type || target.collation !== column.collation || this.rebuiltEnumOf(target.type)) {
          addTo(this.retypedColumns, name, column.name);
        }
      }
    }
  }

  /** The rebuilt enum a column type names (`public.mood` or `public.mood[]`), if any. */
  rebuiltEnumOf(type: string): string | undefined {
    const base = type.endsWith('[]') ? type.slice(0, -2) : type;
    for (const name of this.rebuiltEnums.keys()) {
      const [schema, typeName] = name.split('.');
      if (base === qualifiedName(schema, typeName) || base === name) return name;
    }
    return undefined;
  }

  private decideEnums(): void {
    const after = new Map(this.to.types.map((t) => [`${t.schema}.${t.name}`, t]));
    for (const type of this.from.types) {
      const target = after.get(`${type.schema}.${type.name}`);
      if (type.type !== 'enum' || target?.type !== 'enum') continue;
      const kept = target.labels.filter((l) => type.labels.includes(l));
      if (kept.length === type.labels.length && kept.every((l, i) => l === type.labels[i])) continue;
      this.rebuiltEnums.set(`${type.schema}.${type.name}`, type.labels.filter((l) => !target.labels.includes(l)));
    }
  }

  private decideFunctions(): void {
    for (const [key, fn] of this.fromFunctions) {
      const target = this.toFunctions.get(key);
      if (!target || !replaceable(fn, target)) this.droppedFunctionNames.add(`${fn.schema}.${fn.name}`);
      if (target && !replaceable(fn, target)) this.recreatedFunctions.add(key);
    }
  }

  /** Views to drop: gone, changed, or reading something dropped, retyped or recreated; to a fixed point. */
  private decideViews(): void {
    for (const [name, { view, materialized }] of this.fromViews) {
      const target = this.toViews.get(name);
      if (!target || target.materialized !== materialized || target.view.query !== view.query || !sameRecord(target.view.options, view.options)) {
        this.droppedViews.add(name);
      }
    }
    let changed = true;
    while (changed) {
      changed = false;
      for (const [name, { view }] of this.fromViews) {
        if (this.droppedViews.has(name)) continue;
        const refs = statementReferences(view.query);
        const reads = [...refs.relations];
        const cause =
          reads.find((r) => this.isTableDropped(r) || this.droppedViews.has(r)) ?? this.brokenBy(refs);
        if (cause) {
          this.droppedViews.add(name);
          this.recreatedBecause.set(`view:${name}`, cause);
          changed = true;
        }
      }
    }
  }
}

/** A generated column whose expression appears or disappears, or changes on a Postgres without SET EXPRESSION. */
export function needsColumnRecreate(before: { generated: string | null }, after: { generated: string | null }, major: number): boolean {
  if (before.generated === after.generated) return false;
  if (before.generated !== null && after.generated === null) return false; // DROP EXPRESSION
  if (before.generated !== null && after.generated !== null && major >= 17) return false; // SET EXPRESSION
  return true;
}

/** CREATE OR REPLACE cannot change the return type, the argument names/defaults or the kind of a routine. */
export function replaceable(before: FunctionObject, after: FunctionObject): boolean {
  return before.kind === after.kind && before.returns === after.returns && before.arguments === after.arguments;
}

export function signature(fn: FunctionObject): string {
  return `${fn.schema}.${fn.name}(${fn.identityArguments})`;
}

export function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Whether two model objects are equal, ignoring `line`, `comment` and the keys given. */
export function sameObject(a: unknown, b: unknown, ignored: readonly string[] = []): boolean {
  const skip = new Set(['line', 'comment', ...ignored]);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => !skip.has(k))
        .sort()
        .map((k) => [k, strip((value as Record<string, unknown>)[k])]),
    );
  };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

export function constraintReferencesExpression(constraint: ConstraintObject): References {
  return statementReferences(`ALTER TABLE x ADD CONSTRAINT c ${constraint.definition}`);
}

export function indexReferences(index: IndexObject): References {
  return statementReferences(index.definition);
}

export { expressionReferences };

function byName<T extends { schema: string; name: string }>(objects: T[]): Map<string, T> {
  return new Map(objects.map((o) => [`${o.schema}.${o.name}`, o]));
}

function viewsByName(model: SchemaModel): Map<string, RelationView> {
  const map = new Map<string, RelationView>();
  for (const view of model.views) map.set(`${view.schema}.${view.name}`, { view, materialized: false });
  for (const view of model.materializedViews) map.set(`${view.schema}.${view.name}`, { view, materialized: true });
  return map;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

function majorOf(version: string | undefined): number | undefined {
  const major = version ? Number.parseInt(version, 10) : NaN;
  return Number.isFinite(major) ? major : undefined;
}
