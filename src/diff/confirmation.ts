import { PUBLIC_SCHEMA_COMMENT } from '../model/comments.js';
import type { SchemaModel } from '../model/types.js';
import type { DriftItem, FieldChange } from './types.js';

/**
 * Which differences need the confirming reload. Postgres stores an expression as a parse tree and prints it back
 * (pg_get_expr, pg_get_viewdef...), and that printing changes between versions and after a reload, so a difference
 * in expression text may be an artefact. Everything else in the model is catalogue data that pg_dump prints
 * as it is stored (names, types, flags, key columns, actions, labels, options): a difference there is real
 * whoever printed it. The model's canonical forms make both sides' printing of such data equal (proved by
 * test/integration/diff-confirmation.test.ts on reloaded and cross-version dumps).
 */
export interface SplitDrift {
  /** reported as they are: re-printing cannot explain them */
  structural: DriftItem[];
  /** a default, CHECK, index expression or predicate, view query, function body, policy or trigger condition, a
   * generated column, a partition key or bound, or a statement compared by its text: confirmed by the reload */
  expressionText: DriftItem[];
}

/** Attributes holding expression text, per drift kind (attributes of a `changed` item's details). */
const EXPRESSION_FIELDS: Partial<Record<DriftItem['kind'], ReadonlySet<string>>> = {
  column: new Set(['default', 'generated']),
  constraint: new Set(), // decided per constraint type below
  index: new Set(['predicate']),
  trigger: new Set(['when']),
  policy: new Set(['using', 'withCheck']),
  view: new Set(['query']),
  materialized_view: new Set(['query']),
  function: new Set(['body']),
  type: new Set(['default', 'constraints']),
  table: new Set(['partitionBy', 'partitionBound']),
};

/**
 * `all` sends every difference but privileges through the reload (the behaviour before the split, kept so tests
 * can prove both give the same result); privileges are always compared from the model: the reload cannot keep
 * grants to roles the throwaway database lacks.
 */
export function splitByReprinting(items: readonly DriftItem[], ours: SchemaModel, theirs: SchemaModel, mode: 'expression-text' | 'all' = 'expression-text'): SplitDrift {
  const parts = new PartLookup([ours, theirs]);
  const privileges = new Set([...ours.privileges, ...theirs.privileges].map((p) => p.statement));
  const split: SplitDrift = { structural: [], expressionText: [] };
  for (const item of items) {
    const reload = mode === 'all' ? !isPrivilege(item, privileges) : needsReprintCheck(item, parts, privileges);
    (reload ? split.expressionText : split.structural).push(item);
  }
  return split;
}

const isPrivilege = (item: DriftItem, privileges: Set<string>) => item.kind === 'other' && privileges.has(item.name);

function needsReprintCheck(item: DriftItem, parts: PartLookup, privileges: Set<string>): boolean {
  // the public schema's comment is a string the reload drops (reload.ts keepForReload): compared from the model
  if (item.kind === 'other' && item.name === PUBLIC_SCHEMA_COMMENT) return false;
  if (item.kind === 'other') return !isPrivilege(item, privileges); // compared by their text; a privilege is catalogue data
  if (item.change !== 'changed' || item.kind === 'comment') return false; // an object on one side only; a comment is a string
  const details = item.details as readonly (FieldChange | string)[];
  if (details.some((detail) => typeof detail === 'string')) return true;
  return (details as FieldChange[]).some((change) => isExpressionField(item, change, parts));
}

function isExpressionField(item: DriftItem, change: FieldChange, parts: PartLookup): boolean {
  if (EXPRESSION_FIELDS[item.kind]?.has(change.field)) return true;
  switch (item.kind) {
    case 'constraint':
      // a CHECK's or an exclusion constraint's definition is an expression; a key's or an FK's is column names
      return change.field === 'definition' && parts.constraintHasExpression(item.name);
    case 'index':
      // keys that are expressions, and the definition that prints them (or a predicate); an operator class named
      // unqualified on one side only: pg_dump before 10.3 printed `gin_trgm_ops` under `SET search_path = public,
      // pg_catalog`, later ones print `public.gin_trgm_ops` (field: danbooru db/structure.sql 2017)
      return (change.field === 'keys' || change.field === 'definition') && (parts.indexHasExpression(item.name) || parts.indexOpclassQualifiedApart(item.name));
    case 'trigger':
      return change.field === 'definition' && parts.triggerHasCondition(item.name);
    case 'function':
      // argument defaults are expressions; names, modes and types are not
      return change.field === 'arguments' && [change.from, change.to].some((text) => text !== null && / DEFAULT /i.test(text));
    default:
      return false;
  }
}

/** The model parts a drift item names (`schema.table.part`), on either side; an ambiguous name counts as expression. */
class PartLookup {
  private readonly constraints = new Map<string, boolean>();
  private readonly indexes = new Map<string, boolean>();
  private readonly triggers = new Map<string, boolean>();
  /** each index's operator classes, one list per model */
  private readonly opclasses = new Map<string, (string | null)[][]>();

  constructor(models: SchemaModel[]) {
    for (const model of models) {
      for (const table of model.tables) {
        const owner = `${table.schema}.${table.name}`;
        for (const c of table.constraints) merge(this.constraints, `${owner}.${c.name}`, c.type === 'check' || c.type === 'exclusion');
        for (const i of table.indexes) {
          const name = `${owner}.${i.name}`;
          merge(this.indexes, name, i.predicate !== null || i.keys.some((k) => k.expression !== null));
          this.opclasses.set(name, [...(this.opclasses.get(name) ?? []), i.keys.map((k) => k.opclass)]);
        }
        for (const t of table.triggers) merge(this.triggers, `${owner}.${t.name}`, t.when !== null);
      }
      for (const view of model.materializedViews) {
        for (const i of view.indexes) merge(this.indexes, `${view.schema}.${view.name}.${i.name}`, i.predicate !== null || i.keys.some((k) => k.expression !== null));
      }
    }
  }

  constraintHasExpression = (name: string) => this.constraints.get(name) ?? true;
  indexHasExpression = (name: string) => this.indexes.get(name) ?? true;
  triggerHasCondition = (name: string) => this.triggers.get(name) ?? true;

  /** Some key's operator class is schema-qualified on one side and the same name unqualified on the other. */
  indexOpclassQualifiedApart(name: string): boolean {
    const [ours, theirs] = this.opclasses.get(name) ?? [];
    if (!ours || !theirs || ours.length !== theirs.length) return false;
    return ours.some((a, i) => {
      const b = theirs[i];
      return a !== null && b !== null && a !== b && (a.endsWith(`.${b}`) || b.endsWith(`.${a}`));
    });
  }
}

/** Either side having an expression makes the part an expression part. */
function merge(map: Map<string, boolean>, name: string, hasExpression: boolean): void {
  map.set(name, (map.get(name) ?? false) || hasExpression);
}
