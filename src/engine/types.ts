import type { RoleStatement } from '../sql/role-statements.js';
import type { StandInSet } from './stand-ins.js';

/** The engines pgdrift can replay migrations on. */
export type EngineName = 'pglite' | 'server' | 'docker';

/** Which Postgres and which pg_dump an engine runs: reported in every result. */
export interface EngineInfo {
  name: EngineName;
  /** e.g. "18.3" or "15.19" */
  postgresVersion: string;
  /** e.g. "18.3": the pg_dump that wrote the dump */
  pgDumpVersion: string;
  /** e.g. "postgres:16-alpine" for docker; absent otherwise */
  image?: string;
  /** pglite: whether the initial data directory came from the cache */
  cache?: 'hit' | 'miss' | 'rebuilt';
  /** pglite: the embedded Postgres major (16, 17 or 18) */
  major?: number;
  /** why this major, when it was not asked for (e.g. "from the snapshot header"); shown in the engine banner */
  majorReason?: string;
  /**
   * The replay cache: `dump` = the whole replay was reused (nothing applied); `prefix` = the state after the
   * first `reusedFiles` files was loaded and only the rest applied; `miss` = replayed from scratch; absent = off.
   */
  replayCache?: 'dump' | 'prefix' | 'miss';
  reusedFiles?: number;
}

/**
 * A throwaway Postgres database. Everything pgdrift does to a database goes through these four calls;
 * the engine owns the lifecycle of what it created (database, role, container, PGlite instance).
 */
export interface Engine {
  readonly info: EngineInfo;
  /**
   * Runs a SQL text as ONE simple-protocol query (one implicit transaction), as a Node runner's client.query(text) does.
   * With `timeoutMs`, a query still running then is stopped (ReplayLimitError) and the engine is usable again,
   * in the state it had before this query.
   */
  exec(sql: string, options?: { timeoutMs?: number }): Promise<void>;
  /** Runs one statement with parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** `pg_dump --schema-only` of the database, as text (with `\restrict` lines removed). */
  dump(): Promise<string>;
  /**
   * Makes sure a (NOLOGIN) role exists, e.g. one a policy names. A role the engine had to create is dropped on
   * close: on a server, roles are cluster-wide and must not outlive the throwaway database.
   */
  ensureRole(name: string): Promise<void>;
  /**
   * The migrations create roles (CREATE ROLE): on a server, where roles are cluster-wide, wait until no other
   * pgdrift run that creates roles is active, so parallel runs never meet each other's roles. Absent on engines
   * whose cluster is private (PGlite, a container).
   */
  reserveRoles?(): Promise<void>;
  /**
   * Server engine before PostgreSQL 16 only, where the replay role cannot be given CREATEROLE (there it could take
   * over every role): offered each top-level role statement, in order. It takes every CREATE ROLE, and ALTER, DROP,
   * COMMENT ON or RENAME of a role this run created, and returns the function that runs it on the engine's own
   * session, checked against what a PostgreSQL 16 CREATEROLE role may do; the replay then leaves it out of what it
   * sends. undefined: the replay role runs it like any statement (and is refused on a role that existed before).
   * The function throws errors with Postgres's fields (code, message, position in the statement text, detail, hint).
   */
  takeRoleStatement?(statement: RoleStatement): Promise<(() => Promise<void>) | undefined>;
  /**
   * Server and docker engines: whether the replay role may stand for `role`, the role the team's runner connects as
   * (Runner.connectsAs), so that a statement saying only "this role" (`ALTER ... OWNER TO postgres`) is one about the
   * replay role itself. False when a role of that name is one pgdrift made (a platform stand-in, granted to the replay
   * role; a role this run's migrations created): that one acts as itself, as today. Absent on the embedded engine,
   * which replays as `postgres`, a superuser.
   */
  replaysAs?(role: string): Promise<boolean>;
  /** Drops everything the engine created. Safe to call twice. */
  close(): Promise<void>;
  /** pglite only: the whole data directory (gzipped tar), to start another instance in this very state */
  saveState?(): Promise<Buffer>;
}

/** What an engine needs to start. */
export interface EngineOptions {
  engine: EngineName;
  /** server engine: admin connection URL (never migrated; only used to create and drop a throwaway database) */
  databaseUrl?: string;
  /** docker engine: image, e.g. postgres:16-alpine; or a major version (`--pg 16`) */
  image?: string;
  /**
   * server and docker: the throwaway database's name (throwaway.ts newRunName), when the replay named it before it
   * exists: the runners' current-database placeholders (graphile-migrate :DATABASE_NAME, Flyway ${flyway:database})
   * are replaced at discovery, before the engine opens. Default: a new name.
   */
  databaseName?: string;
  /** Extensions the SQL asks for (CREATE EXTENSION), so PGlite can load them up front. */
  extensions?: string[];
  /** Where PGlite keeps its cached initial data directory. */
  cacheDir?: string;
  /** pglite: the embedded Postgres major (default 18) */
  pg?: number;
  /** pglite: why that major (shown in the engine banner), when the user did not ask for it */
  majorReason?: string;
  /** pglite: start from this saved data directory (a replayed prefix) instead of a fresh cluster */
  initialState?: Buffer;
  /** Bounds for SQL from a pull request (config `replay`); defaults in limits.ts. */
  limits?: ReplayLimits;
  /**
   * The search_path the platform gives the role that runs the migrations (Supabase: `"$user", public, extensions`),
   * as schema names. Server and docker: a setting of the replay role (ALTER ROLE ... SET), as the platform has it.
   * PGlite (one session, which sets its own search_path at start and never reads role settings): set on the
   * session when the engine opens, fresh or from a saved state, so no migration file carries it.
   */
  searchPath?: string[];
  /**
   * pglite: the platform's extensions PGlite cannot load are provided by pgdrift's stand-ins of this set
   * (stand-ins.ts); server and docker have the real ones or fail as the platform would not.
   */
  standIns?: StandInSet;
}

/** How far a replay may go: wall-clock time, temporary files (server), memory (embedded engine). */
export interface ReplayLimits {
  /** whole replay, and each query inside Postgres (statement_timeout); 0 = no limit */
  timeoutMs: number;
  /** temp_file_limit of the throwaway role (server engine), in kB; 0 = no limit */
  tempFileLimitKb: number;
  /** embedded engine: resident memory of the process, in MB; 0 = no limit */
  memoryLimitMb: number;
}

/** An error raised by Postgres while running SQL, with the fields Postgres reports. */
export interface PostgresErrorFields {
  message: string;
  sqlstate?: string;
  /** 1-based character position in the query text, when Postgres gives one */
  position?: number;
  /** position inside an internally generated query (e.g. a PL/pgSQL body) */
  internalPosition?: number;
  internalQuery?: string;
  detail?: string;
  hint?: string;
  where?: string;
}
