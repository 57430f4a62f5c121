/**
 * The normalized schema model built from a `pg_dump --schema-only` text.
 *
 * Plain JSON data: every list is sorted by name (tables by schema then name, columns by name), every SQL fragment
 * is printed canonically (the same schema dumped by pg_dump 15..18, in any order, gives an equal model apart from
 * `line`). `line` is the 1-based line of the object's statement in the source file and is never compared.
 */
export interface SchemaModel {
  /** The file the model was built from (for `line`s). */
  file: string;
  /** "18.3" when the dump header says "Dumped by pg_dump version 18.3", else undefined. */
  pgDumpVersion?: string;
  /**
   * The text was written by `supabase db dump`, not pg_dump alone: the CLI rewrites pg_dump's `CREATE TABLE` and
   * `CREATE SCHEMA` into `... IF NOT EXISTS` (dump_schema.sh), which pg_dump never writes, and leaves the platform's
   * schemas out.
   */
  supabaseDbDump?: boolean;
  /**
   * The text has pg_dump's preamble `SELECT pg_catalog.set_config('search_path', '', false);`, which pg_dump writes
   * and the scripts that strip its comment lines keep: with the header lines, what tells pg_dump output from a
   * hand-written schema file (src/pipeline/hand-written-snapshot.ts).
   */
  pgDumpPreamble?: boolean;
  schemas: SchemaObject[];
  extensions: ExtensionObject[];
  types: TypeObject[];
  tables: TableObject[];
  sequences: SequenceObject[];
  views: ViewObject[];
  materializedViews: MaterializedViewObject[];
  functions: FunctionObject[];
  /** Privileges (GRANT/REVOKE): empty unless built with `includePrivileges`. */
  privileges: PrivilegeObject[];
  /** Statements the model does not understand, compared by their normalized text. Never silently dropped. */
  others: OtherObject[];
  /**
   * What the model leaves out of the comparison by design, as the statements' whitespace-collapsed text, so that a
   * comparison can say when the two sides differ there (rather than a bare "no differences"): the GRANT / REVOKE /
   * ALTER DEFAULT PRIVILEGES statements when privileges are not included, the `... OWNER TO` statements, and the
   * INSERT / UPDATE / DELETE / MERGE statements (`rows`): table data, not schema. Rails' db/structure.sql and dbmate's
   * db/schema.sql end with `INSERT INTO schema_migrations (version) VALUES ...`; pg_dump --schema-only never writes
   * rows, and a reload through the engine (which dumps the schema only) drops them.
   */
  leftOut: { privileges: string[]; owners: string[]; rows: string[] };
}

export interface BuildModelOptions {
  /** Keep GRANT/REVOKE statements (ignored by default). */
  includePrivileges?: boolean;
  /**
   * Fill the columns' `defaultText` and `generatedText` (docs show expressions as the dump wrote them). Off by
   * default: it parses each statement that sets one again, which only docs needs.
   */
  writtenExpressions?: boolean;
}

/** Where an object stands in its source file. */
export interface Located {
  /** 1-based line of the statement that created (or, for an ALTER TABLE ... ADD, attached) the object. */
  line: number;
}

export interface SchemaObject extends Located {
  name: string;
  comment: string | null;
}

export interface ExtensionObject extends Located {
  name: string;
  /** the schema the extension's objects live in */
  schema: string | null;
  comment: string | null;
}

export type TypeObject = EnumType | DomainType | CompositeType | RangeType;

interface TypeBase extends Located {
  schema: string;
  name: string;
  comment: string | null;
}

export interface EnumType extends TypeBase {
  type: 'enum';
  labels: string[];
}

export interface DomainType extends TypeBase {
  type: 'domain';
  /** canonical base type, e.g. `character varying(255)` */
  baseType: string;
  notNull: boolean;
  default: string | null;
  /** `default` as the dump's text writes it, on the terms of ColumnObject.defaultText (docs only; never compared) */
  defaultText?: string;
  collation: string | null;
  /** CHECK constraints, sorted by name */
  constraints: Array<{ name: string; definition: string; notValid: boolean }>;
}

export interface CompositeType extends TypeBase {
  type: 'composite';
  attributes: Array<{ name: string; type: string; collation: string | null }>;
}

export interface RangeType extends TypeBase {
  type: 'range';
  /** the CREATE TYPE ... AS RANGE options, canonical: {subtype: 'integer', subtype_diff: '...'} */
  options: Record<string, string>;
}

export type TableKind = 'table' | 'partitioned' | 'partition';

export interface TableObject extends Located {
  schema: string;
  name: string;
  kind: TableKind;
  /** `PARTITION BY RANGE (created_at)` for a partitioned table */
  partitionBy: string | null;
  /** parent table `schema.name` for a partition (or an inheritance child) */
  parent: string | null;
  /** `FOR VALUES FROM (...) TO (...)` / `DEFAULT` for a partition */
  partitionBound: string | null;
  unlogged: boolean;
  /**
   * table access method other than `heap` (the default), e.g. `columnar`: pg_dump writes it as
   * `SET default_table_access_method = x;` before the CREATE TABLE (pg_backup_archiver.c _selectTableAccessMethod),
   * a hand-written file as `CREATE TABLE ... USING x`. null for heap.
   */
  accessMethod: string | null;
  /** storage parameters (`WITH (fillfactor='70', autovacuum_enabled='false')`), canonical `name=value` sorted by name; '' when none */
  storageParameters: string;
  comment: string | null;
  rlsEnabled: boolean;
  rlsForced: boolean;
  columns: ColumnObject[];
  constraints: ConstraintObject[];
  indexes: IndexObject[];
  triggers: TriggerObject[];
  policies: PolicyObject[];
}

export interface ColumnObject extends Located {
  name: string;
  /** 1-based position in the table as declared (pg_dump prints attnum order); shown by docs, never compared */
  position: number;
  /** canonical type: `integer`, `character varying(255)`, `timestamp with time zone`, `integer[]`, `public.mood` */
  type: string;
  notNull: boolean;
  /**
   * PG18's `ADD CONSTRAINT name NOT NULL col NOT VALID`: the constraint's name while it is not validated (rows may
   * still hold NULL; `VALIDATE CONSTRAINT` makes it a plain NOT NULL). Unset for a validated NOT NULL.
   */
  notNullNotValid?: string;
  /** PG18's `NOT NULL NO INHERIT`: the constraint does not pass to child tables (pg_constraint.connoinherit) */
  notNullNoInherit?: boolean;
  /** canonical default expression */
  default: string | null;
  /**
   * The default as the dump's text writes it (`'happy'::public.mood`, where `default` is the deparser's
   * `CAST('happy' AS public.mood)`), set only when it parses back to `default` and only when built with
   * `writtenExpressions`. For docs; never compared.
   */
  defaultText?: string;
  /** `always` | `by default` for identity columns */
  identity: 'always' | 'by default' | null;
  /** the identity's sequence options that differ from Postgres's defaults, as SQL, e.g. `START WITH 100 INCREMENT BY 5`; '' when all are defaults */
  identityOptions: string | null;
  /** the generated expression of a `GENERATED ALWAYS AS (...) STORED` column */
  generated: string | null;
  /** `generated` as the dump's text writes it, on the terms of `defaultText` */
  generatedText?: string;
  collation: string | null;
  comment: string | null;
}

export type ConstraintType = 'primary_key' | 'unique' | 'check' | 'foreign_key' | 'exclusion';

export interface ConstraintObject extends Located {
  name: string;
  type: ConstraintType;
  /** key columns (primary key, unique, foreign key) */
  columns: string[];
  /** canonical definition as pg_dump prints it after `CONSTRAINT name`, e.g. `CHECK ((price > 0))` */
  definition: string;
  notValid: boolean;
  deferrable: boolean;
  initiallyDeferred: boolean;
  /** foreign keys only */
  references: {
    table: string;
    columns: string[];
    match: 'simple' | 'full' | 'partial';
    onDelete: ReferentialAction;
    onUpdate: ReferentialAction;
  } | null;
  /** a partition's key constraint whose index is attached to its partitioned table's (`ALTER INDEX ... ATTACH PARTITION`) */
  attachedTo?: string;
  comment: string | null;
}

export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface IndexObject extends Located {
  name: string;
  unique: boolean;
  /** btree, gist, gin, hash, brin, ... */
  method: string;
  /** one entry per key: a column name or a canonical expression, with opclass / ordering when given */
  keys: Array<{
    column: string | null;
    expression: string | null;
    opclass: string | null;
    /** the operator class's parameters as pg_dump prints them after its name: `siglen='32'` (null when none) */
    opclassOptions?: string | null;
    collation: string | null;
    ordering: string | null;
    nulls: string | null;
  }>;
  include: string[];
  /** canonical WHERE predicate of a partial index */
  predicate: string | null;
  /** canonical `CREATE [UNIQUE] INDEX name ON schema.table USING method (...) ...` */
  definition: string;
  /** a partition's index attached to its partitioned table's index (`ALTER INDEX parent ATTACH PARTITION this`): `schema.index` */
  attachedTo?: string;
  comment: string | null;
}

export interface TriggerObject extends Located {
  name: string;
  timing: 'before' | 'after' | 'instead of';
  /** sorted: insert, update, update of a,b, delete, truncate */
  events: string[];
  level: 'row' | 'statement';
  /** `schema.fn(args)` as called */
  function: string;
  when: string | null;
  /** canonical CREATE TRIGGER statement */
  definition: string;
  comment: string | null;
}

export interface PolicyObject extends Located {
  name: string;
  permissive: boolean;
  /** all | select | insert | update | delete */
  command: string;
  roles: string[];
  using: string | null;
  withCheck: string | null;
  comment: string | null;
}

export interface SequenceObject extends Located {
  schema: string;
  name: string;
  /** `CREATE UNLOGGED SEQUENCE` (Postgres 15+) */
  unlogged: boolean;
  /** canonical options: {as: 'integer', start: '1', increment: '1', minvalue, maxvalue, cache, cycle} */
  options: Record<string, string>;
  /** `schema.table.column` */
  ownedBy: string | null;
  comment: string | null;
}

export interface ViewObject extends Located {
  schema: string;
  name: string;
  /** canonical SELECT */
  query: string;
  /**
   * The query as the dump's text writes it (pg_get_viewdef's pretty text: `'draft'::billing.invoice_state`, one
   * clause a line), set only when it parses back to `query` and only when built with `writtenExpressions`. For
   * docs; never compared.
   */
  queryText?: string;
  /**
   * Column defaults set on the view (`ALTER VIEW v ALTER COLUMN c SET DEFAULT ...`; they apply to INSERTs through
   * it), as the dump writes them where that parses back to the same expression. Only when built with
   * `writtenExpressions`, for docs; compared as the dump's ALTER statements ("others"), never from here.
   */
  columnDefaults?: Record<string, string>;
  /** WITH (...) options, e.g. security_barrier, check_option */
  options: Record<string, string>;
  comment: string | null;
  columnComments: Record<string, string>;
}

export interface MaterializedViewObject extends ViewObject {
  indexes: IndexObject[];
  /** access method other than `heap`, as for a table (TableObject.accessMethod) */
  accessMethod: string | null;
}

export interface FunctionObject extends Located {
  schema: string;
  name: string;
  kind: 'function' | 'procedure' | 'aggregate';
  /** canonical identity argument types, e.g. `integer, text` (IN/INOUT/VARIADIC only, no names or defaults) */
  identityArguments: string;
  /** the full canonical argument list with modes, names and defaults */
  arguments: string;
  /** canonical return type (`void`, `trigger`, `SETOF public.users`, `TABLE(id integer)`), null for a procedure */
  returns: string | null;
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  securityDefiner: boolean;
  strict: boolean;
  /** other options in canonical text: parallel, leakproof, cost, rows, SET config */
  options: Record<string, string>;
  /** the body: the AS string (trimmed), or the canonical SQL-standard body */
  body: string;
  comment: string | null;
}

export interface PrivilegeObject extends Located {
  /** canonical GRANT/REVOKE statement */
  statement: string;
}

export interface OtherObject extends Located {
  /** the statement node type, e.g. `CreateEventTrigStmt` */
  statementKind: string;
  /** a short name for reports: the object name when the AST has one, else the statement kind */
  name: string;
  /** canonical (deparsed) statement text */
  text: string;
}
