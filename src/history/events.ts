import type { ParsedSql, ParsedStatement } from '../sql/parse.js';

/**
 * One file as the history walker reads it. `statements` is the part of the file that runs (a runner may run
 * only a section of a file, e.g. goose's `-- +goose Up`); it defaults to every parsed statement.
 */
export interface HistoryFile {
  /** relative to the project root, forward slashes */
  file: string;
  role: 'baseline' | 'migration';
  /** the caller's index of the file (the linter: index among the linted migrations, -1 for baseline files) */
  fileIndex: number;
  parsed: ParsedSql;
  statements?: readonly ParsedStatement[];
  /**
   * The file goes on in the session of the migration before it (a script cut at a psql include, ExecutionPart
   * `continued`; a runner that sends it on the same connection, MigrationFile.sameSession): the runner's reset before
   * each file (HistoryWalkerOptions.migrationSearchPath) does not come between.
   */
  continuesSession?: boolean;
}

/** Where an event happened: the node's own position when it has one (a column, a constraint), else the statement's. */
export interface HistoryLocation {
  file: string;
  line: number;
  column: number;
  role: 'baseline' | 'migration';
  fileIndex: number;
  /** UTF-8 byte offset of the node, when the event has a node of its own */
  byteLocation?: number;
  statement: ParsedStatement;
}

export type RelationKind = 'table' | 'view' | 'materialized view' | 'sequence' | 'foreign table';
export type ConstraintType = 'primary_key' | 'unique' | 'check' | 'foreign_key' | 'exclusion';

/** What an event is about. Table parts (column, constraint, index, trigger, policy) name their table. */
export type HistoryObject =
  | { kind: 'schema'; name: string }
  | { kind: 'extension'; name: string }
  | { kind: 'relation'; relkind: RelationKind; schema: string; name: string }
  | { kind: 'column'; schema: string; table: string; name: string }
  | { kind: 'constraint'; schema: string; table: string; name: string }
  | { kind: 'index'; schema: string; table: string; name: string }
  | { kind: 'trigger'; schema: string; table: string; name: string }
  | { kind: 'policy'; schema: string; table: string; name: string }
  /** `args`: the input argument types as pg_dump prints them, when the statement names them */
  | { kind: 'function'; schema: string; name: string; args?: string[] }
  | { kind: 'type'; schema: string; name: string };

export interface ColumnDetail {
  /** the type name's last part: int4, varchar, timestamptz */
  baseType: string;
  /** its integer modifiers as written (`varchar(100)` → [100]); undefined when none */
  modifiers?: number[];
}

export interface ConstraintDetail {
  constraintType: ConstraintType;
  columns: string[];
  /** foreign keys: the referenced table (`schema.name`) and columns */
  refTable?: string;
  refColumns?: string[];
  /** ADD CONSTRAINT ... USING INDEX: the index that becomes the constraint's */
  usingIndex?: string;
  /** a constraint written on a column definition: where that column is defined */
  columnAt?: HistoryLocation;
}

export interface IndexDetail {
  /** key columns, `null` for an expression */
  columns: Array<string | null>;
  partial: boolean;
  /** a partial index's WHERE clause (AST) */
  predicate?: unknown;
  unique: boolean;
}

export interface RelationDetail {
  temporary: boolean;
}

/** A domain (CREATE DOMAIN): what a type change to or from it costs depends on its base type and constraints. */
export interface DomainDetail {
  /** the base type name's last part (text, int4) */
  domainOf: string;
  /** the base type has modifiers (`varchar(10)`) */
  baseModified: boolean;
  /** it has CHECK or NOT NULL constraints, which a conversion to it must test row by row */
  constrained: boolean;
}

interface EventBase {
  object: HistoryObject;
  at: HistoryLocation;
  /** what the statement did, in words (the docs' history shows these): `create table`, `add column email` */
  action: string;
  /** implied by a larger statement (a column of a CREATE TABLE): the docs list only the statement itself */
  nested: boolean;
}

/**
 * The typed account of a history. `create` with `noop` is a `CREATE ... IF NOT EXISTS` of an object that
 * exists (nothing happens); `existed` marks `CREATE OR REPLACE` of an existing object. `alter.aspect` is the
 * attribute set (the diff's field names: type, default, notNull, identity, generated, comment), `other`, or
 * `*` when the object is redefined whole.
 */
export type HistoryEvent =
  | (EventBase & { type: 'create'; noop: boolean; existed: boolean; detail?: ColumnDetail | ConstraintDetail | IndexDetail | RelationDetail | DomainDetail })
  | (EventBase & { type: 'alter'; aspect: string; detail?: ColumnDetail })
  | (EventBase & { type: 'rename'; to: HistoryObject })
  /** `noop`: a `DROP ... IF EXISTS` of an object the history does not know (Postgres only notices it) */
  | (EventBase & { type: 'drop'; noop: boolean })
  /** rows written (INSERT/UPDATE/DELETE/TRUNCATE): the docs mention them, nothing else changes */
  | (EventBase & { type: 'data' });

/** The name drift items use for an object: `public.users`, `public.users.email`, `public.f`, `app` (schema). */
export function objectName(object: HistoryObject): string {
  switch (object.kind) {
    case 'schema':
    case 'extension':
      return object.name;
    case 'relation':
    case 'function':
    case 'type':
      return `${object.schema}.${object.name}`;
    default:
      return `${object.schema}.${object.table}.${object.name}`;
  }
}

/** The `schema.table` an object belongs to (itself for a relation), or undefined for schemas, functions, types. */
export function owningRelation(object: HistoryObject): string | undefined {
  switch (object.kind) {
    case 'relation':
      return `${object.schema}.${object.name}`;
    case 'column':
    case 'constraint':
    case 'index':
    case 'trigger':
    case 'policy':
      return `${object.schema}.${object.table}`;
    default:
      return undefined;
  }
}
