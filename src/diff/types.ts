/** Kinds of schema objects a drift item can name. Part of the public JSON contract. */
export type ObjectKind =
  | 'schema'
  | 'extension'
  | 'type'
  | 'table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'sequence'
  | 'view'
  | 'materialized_view'
  | 'function'
  | 'trigger'
  | 'policy'
  | 'comment'
  | 'other';

/**
 * added: produced by the migrations, absent from the snapshot;
 * removed: in the snapshot, not produced by the migrations;
 * changed: on both sides, different.
 */
export type ChangeKind = 'added' | 'removed' | 'changed';

/** One attribute that differs, e.g. {field: 'type', from: 'text', to: 'integer'} (from = snapshot, to = migrations). */
export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface DriftSource {
  /** The migration file (relative to the project root) and line that created or last altered the object. */
  migration?: { file: string; line: number; column?: number };
  /** The line of the object's statement in the snapshot file. */
  snapshot?: { file: string; line: number };
}

/** One real difference between the migrations' schema and the snapshot. Part of the public JSON contract. */
export interface DriftItem {
  kind: ObjectKind;
  /** schema-qualified and dotted: public.users, public.users.email, public.users.users_email_key */
  name: string;
  change: ChangeKind;
  /** attribute-level changes for `changed`; for a table on one side only, its folded columns etc. */
  details: FieldChange[] | string[];
  source: DriftSource;
  /** the object's DDL on each side, for a small unified diff in text output */
  ddl?: { snapshot?: string; migrations?: string };
  /**
   * false: an expression-text difference the confirming reload could not check (the engine could not load a
   * side), so it may be Postgres re-printing the same expression; absent: confirmed, or certain without reload
   */
  confirmed?: false;
}
