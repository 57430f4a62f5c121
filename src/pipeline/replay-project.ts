import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { latestSnapshot, resolveProject, type Project, type ProjectOptions } from '../config/project.js';
import { dumpedFromMajor } from '../engine/embedded-major.js';
import type { SourcePosition } from '../errors.js';
import { openEngine } from '../engine/index.js';
import { checkExtensions, embeddedBuildFor } from '../engine/pglite.js';
import { replayLimits } from '../engine/limits.js';
import type { Engine, EngineInfo } from '../engine/types.js';
import type { MigrationFile } from '../migrations/discover.js';
import { bookkeepingFileName, loadProjectMigrations, skippedFiles, skippedFilesNotice, type SkippedFile } from '../migrations/project-migrations.js';
import { composeBindMounts, readComposeServices } from '../runners/compose-file.js';
import { isSupabaseCliFolder } from '../runners/supabase.js';
import { supabaseConfigDb } from '../runners/supabase-schemas.js';
import { GOTRUE_STORAGE_SQL, STORAGE_DROPPED, SUPABASE_PLATFORM_VERSIONS } from '../runners/supabase-gotrue-storage.js';
import { SUPABASE_IMAGE_EXTENSIONS, SUPABASE_IMAGE_SHIPS, SUPABASE_PLATFORM_FILE, SUPABASE_PLATFORM_ROLES, SUPABASE_SEARCH_PATH } from '../runners/supabase-platform.js';
import { requestedExtensions } from '../engine/extensions.js';
import { asEmbeddedMajor, EMBEDDED_BUILDS } from '../engine/pglite-builds.js';
import { standInsNotice, standInsUsed } from '../engine/stand-ins.js';
import { quoteIdent } from '../engine/quote.js';
import { prepareHistory, replayHistory, type PreparedHistory } from '../replay/replay.js';
import type { DatabaseStatementsLeftOut, MigrationFailure, ReplayReport, RunnerRoleReport } from '../replay/types.js';
import { databasesLeftOut } from '../sql/named-database.js';
import { loadSqlParser, parseSqlOrUndefined } from '../sql/parse.js';
import type { HistoryEvent, HistoryFile } from '../history/events.js';
import { walkHistory } from '../history/walker.js';
import { newReplayDatabaseName, prestartEngine, takeResolvedProject, takeStartedEngine } from './early-engine.js';
import { replayWithCache } from './cached-replay.js';
import { engineOptionsFor, type SnapshotOrigin } from './engine-options.js';
import type { ReplayCommandOptions } from './options.js';
import type { TimingRecorder } from './timings.js';

export { engineOptionsFor };

export interface LoadedHistory {
  project: Project;
  baseline: MigrationFile[];
  migrations: MigrationFile[];
  prepared: PreparedHistory;
  /** files in the migrations folder the runner would not apply (and nothing marks as meant to be skipped) */
  skipped: SkippedFile[];
}

/**
 * The project a command runs on, resolved once per command (the CLI's early engine start resolves it first:
 * taken from there), with `--migrations`, `--runner` and `--baseline` applied.
 */
export function resolveRunProject(options: ReplayCommandOptions, resolving: Pick<ProjectOptions, 'migrationsOptional'> = {}): Project {
  const taken = takeResolvedProject(options);
  if (taken) return taken; // its time is the CLI's config stage
  const resolve = () => resolveProject({ cwd: options.cwd, configFile: options.configFile, migrations: options.migrations, runner: options.runner, baseline: options.baseline, snapshot: options.snapshot, ...resolving });
  return options.timings ? options.timings.timeSync('config', resolve, configDetail) : resolve();
}

/** What `--verbose` says of the config stage. */
export function configDetail(project: Project): string {
  return `${project.configSource ?? 'no config file: layout detected'}; runner ${project.runner.name} (${project.runnerSource})`;
}

/** Reads + parses the project's baseline and migrations (no database involved yet). */
export async function loadHistory(options: ReplayCommandOptions, resolved?: Project, replayDatabase?: (project: Project) => string): Promise<LoadedHistory> {
  const timings = options.timings;
  const project = resolved ?? resolveRunProject(options);
  if (project.detected) options.onNotice?.(project.detected);
  for (const notice of project.runner.notices ?? []) options.onNotice?.(notice);
  const folder = path.relative(project.root, project.migrationsDir) || '.';
  // before discovery: a runner's plan may parse a file (Flyway decides a file's transaction on its statements)
  await loadSqlParser();
  const databaseName = replayDatabase?.(project);
  const { baseline, migrations, discovery, aroundEachMigration } = timed(
    timings,
    'discovery',
    () => loadProjectMigrations(project, { strict: true, ...(databaseName ? { replayDatabase: databaseName } : {}) }),
    (found) => `${found.migrations.length} files in ${folder}/ by the ${project.runner.name} runner's rules${found.baseline.length > 0 ? `, ${found.baseline.length} baseline files` : ''}`,
  );
  const skipped = skippedFiles(project, discovery);
  const skippedNotice = skippedFilesNotice(project, skipped);
  if (skippedNotice) options.onNotice?.(skippedNotice);
  const prepare = async () => {
    const roles = [...(project.platformBaseline ? SUPABASE_PLATFORM_ROLES : []), ...(project.runner.rolesBeforeMigrations ?? [])];
    return prepareHistory(baseline, migrations, roles, {
      oneTransaction: project.runner.oneTransaction,
      sessionReset: sessionResetOf(project),
      aroundEachMigration,
      runsWithPsql: project.runner.runsWithPsql,
      runnerRole: project.runner.connectsAs,
      ...(databaseName ? { replayDatabase: databaseName } : {}),
    });
  };
  const prepared = timings
    ? await timings.time('parse', prepare, (p) => `${p.files.length} files parsed with libpg-query${p.extensions.length > 0 ? `, extensions ${p.extensions.join(', ')}` : ''}`)
    : await prepare();
  return { project, baseline, migrations, prepared, skipped };
}

/**
 * What the runner sends before each file: its own statements (Runner.sessionBeforeEachFile), or for a runner that
 * resets its connection before each file (Runner.resetsSessionBeforeEachFile): RESET ALL, which on a server brings
 * back the search_path the connection started with (the platform's from the role's setting, else the default
 * `"$user", public`). That value is set again after it: role settings do not apply on the embedded engine, and the
 * embedded 16 and 17 (PGlite 0.2, 0.3) reset search_path to pg_catalog, where every table the next file creates
 * would land unseen by the dump (field: leg100/otf, tern: 62 tables missing on 16, none on the server).
 */
function sessionResetOf(project: Project): string[] | undefined {
  if (project.runner.sessionBeforeEachFile) return project.runner.sessionBeforeEachFile;
  if (!project.runner.resetsSessionBeforeEachFile) return undefined;
  return ['RESET ALL', `SET search_path TO ${(project.platformBaseline ? SUPABASE_SEARCH_PATH : SERVER_DEFAULT_SEARCH_PATH).map(quoteIdent).join(', ')}`];
}

/** postgresql.conf's default search_path (guc_tables.c boot value), which RESET gives a connection with no setting */
const SERVER_DEFAULT_SEARCH_PATH = ['$user', 'public'];

/** Times a synchronous step when there is a recorder. */
function timed<T>(timings: TimingRecorder | undefined, stage: Parameters<TimingRecorder['timeSync']>[0], run: () => T, detail: (result: T) => string): T {
  return timings ? timings.timeSync(stage, run, detail) : run();
}

const eventsOf = new WeakMap<LoadedHistory, { events: HistoryEvent[]; skipped: string[] }>();

/**
 * The history walker's events over the loaded files, computed once per loaded history and shared by
 * attribution and docs (the linter walks alongside its rules). Files that do not parse are listed in `skipped`.
 */
export function historyEvents(history: LoadedHistory): { events: HistoryEvent[]; skipped: string[] } {
  let found = eventsOf.get(history);
  if (!found) {
    const files: HistoryFile[] = [];
    const skipped: string[] = [];
    let migrationIndex = 0;
    for (const prepared of history.prepared.files) {
      const fileIndex = prepared.role === 'baseline' ? -1 : migrationIndex++;
      if (prepared.parsed) files.push({ file: prepared.migration.file, role: prepared.role, fileIndex, parsed: prepared.parsed, ...(prepared.migration.sameSession ? { continuesSession: true } : {}) });
      else skipped.push(prepared.migration.file);
    }
    found = { events: walkHistory(files, { migrationSearchPath: history.project.runner.searchPathBeforeEachFile, sessionSearchPath: history.project.runner.sessionSearchPath }), skipped };
    eventsOf.set(history, found);
  }
  return found;
}

export interface ReplayOutcome {
  history: LoadedHistory;
  report: ReplayReport;
  /** the engine's pg_dump --schema-only text, without \restrict lines */
  dump: string;
}

/**
 * Replays the project's history on a fresh throwaway engine and dumps the result. `inside` runs extra work
 * on the same engine before it is closed (e.g. canonicalising a snapshot).
 */
export async function replayProject<T = undefined>(
  options: ReplayCommandOptions,
  inside?: (engine: Engine, outcome: ReplayOutcome) => Promise<T>,
  project?: Project,
): Promise<ReplayOutcome & { extra?: T }> {
  // A server or container takes a while to create a database; that needs nothing from the migrations (PGlite
  // needs their extensions), so it starts now and the files are read and parsed meanwhile.
  const started = startEngineEarly(options, project);
  const early = started?.engine;
  // the database the migrations run in, named before discovery replaces the runners' placeholders for it: the engine
  // started early has its name; otherwise one is made for this replay (newReplayDatabaseName)
  let databaseName = started?.databaseName;
  let history: LoadedHistory;
  try {
    history = await loadHistory(options, project, (resolved) => (databaseName ??= newReplayDatabaseName(options, resolved)));
  } catch (error) {
    early?.then((engine) => engine.close()).catch(() => {});
    throw error;
  }
  const timings = options.timings;
  const replayOptions = {
    keepGoing: options.keepGoing,
    mode: history.project.mode,
    onFile: options.onProgress,
    timeoutMs: replayLimits(history.project.config.replay).timeoutMs,
  };
  // the major the project's database runs (its snapshot's header, a Supabase config.toml), for the failures' hints
  let origin: SnapshotOrigin | undefined;
  const run = async (engine: Engine) => {
    const replayStarted = performance.now();
    const report = await replayHistory(engine, history.prepared, replayOptions);
    if (timings) recordReplay(timings, report, performance.now() - replayStarted);
    const dump = timings
      ? await timings.time('dump', () => engine.dump(), (text) => `pg_dump ${engine.info.pgDumpVersion}, ${text.split('\n').length} lines`)
      : await engine.dump();
    const outcome = { history, report: withSkipped(report, history, origin), dump };
    if (outcome.report.standIns) options.onNotice?.(standInsNotice(outcome.report.standIns));
    if (outcome.report.runnerRole) options.onNotice?.(runnerRoleNotice(outcome.report.runnerRole, history.project.runner.name));
    if (outcome.report.databaseStatements) options.onNotice?.(databaseStatementsNotice(outcome.report.databaseStatements));
    const extra = inside ? await inside(engine, outcome) : undefined;
    return { ...outcome, extra };
  };
  const close = (engine: Engine) => (timings ? timings.time('engine close', () => engine.close(), closeDetail(engine.info)) : engine.close());
  // `since`: when the engine's preparation began (its options, the extension check, the synchronous part of opening it)
  const runOn = async (open: () => Promise<Engine>, startedEarly: boolean, since?: number) => {
    const engine = timings ? await timings.time('engine start', open, (e) => engineDetail(e.info, startedEarly), {}, since) : await open();
    try {
      return await run(engine);
    } finally {
      await close(engine);
    }
  };
  if (!early) {
    const preparing = performance.now();
    origin = await snapshotOrigin(history.project);
    const engineOptions = engineOptionsFor(history.project, options, history.prepared.extensions, origin, { icu: history.prepared.usesIcu, concurrentIndex: history.prepared.usesConcurrentIndex, searchPathReset: history.prepared.resetsSearchPath, domainDefault: history.prepared.addsDomainColumnWithDefault });
    if (engineOptions.majorNotice) options.onNotice?.(engineOptions.majorNotice);
    // a missing extension is reported at the statement that creates it, before any engine starts
    if (engineOptions.engine === 'pglite') checkExtensions(embeddedBuildFor(engineOptions.pg), history.prepared.extensions, (names) => extensionSite(history.prepared, names), history.project.platformBaseline);
    if (engineOptions.engine === 'pglite' && !options.noCache && process.env.PGDRIFT_NO_CACHE !== '1') {
      // The replay cache starts the engine, replays and dumps as one step (a hit starts no engine at all): one stage.
      const cacheNotes: string[] = [];
      const onVerbose = timings ? (message: string) => cacheNotes.push(message) : options.onVerbose;
      const replayed = await replayWithCache(engineOptions, history, replayOptions, { cacheDir: options.cacheDir, onVerbose });
      if (timings) recordCachedReplay(timings, replayed.report, performance.now() - preparing, cacheNotes);
      try {
        const outcome = { history, report: withSkipped(replayed.report, history, origin), dump: replayed.dump };
        if (outcome.report.standIns) options.onNotice?.(standInsNotice(outcome.report.standIns));
        const extra = inside ? await inside(replayed.engine, outcome) : undefined;
        return { ...outcome, extra };
      } finally {
        await close(replayed.engine);
      }
    }
    return runOn(() => openEngine(engineOptions.engine === 'pglite' || !databaseName ? engineOptions : { ...engineOptions, databaseName }), false, preparing);
  }
  return runOn(() => early, true);
}

/** Where the history first creates one of these extensions (in replay order): file, line and column of its CREATE EXTENSION. */
export function extensionSite(prepared: PreparedHistory, extensions: string | readonly string[]): SourcePosition | undefined {
  const names = new Set(typeof extensions === 'string' ? [extensions] : extensions);
  for (const file of prepared.files) {
    for (const statement of file.parsed?.statements ?? []) {
      if (statement.kind === 'CreateExtensionStmt' && names.has(statement.ast.extname as string)) return { file: file.migration.file, line: statement.line, column: statement.column };
    }
  }
  return undefined;
}

/** The failure with one more hint after the ones it has (each hint function adds its own). */
function withHint(failure: MigrationFailure, hint: string): MigrationFailure {
  // pgdrift's hints are clauses without a full stop: a second one follows after a semicolon, not run on into the
  // first ("...accepts the replay ran on..."); Postgres's own hints end with one
  const joined = failure.hint ? `${failure.hint}${/[.!?]$/.test(failure.hint) ? '' : ';'} ${hint}` : hint;
  return { ...failure, hint: joined };
}

/** SQLSTATEs of "it does not exist": a table, column, type, function or schema an unreplayed migration may have made. */
const MISSING_OBJECT_STATES = new Set(['42P01', '42703', '42704', '42883', '3F000']);

/**
 * A failure on a missing object in a migration the runner applies after one pgdrift could not replay (a goose Go
 * migration) gets a hint naming that migration: its effect is missing from the replay, and it is the likely cause
 * (field: hatchet-dev/hatchet, whose v1_0_100.sql locks tables that the Go migration v1_0_99.go creates).
 */
function withUnreplayedCause(failures: MigrationFailure[], history: LoadedHistory): MigrationFailure[] {
  const order = new Map(history.migrations.map((m, index) => [m.file, index]));
  return failures.map((failure) => {
    const at = order.get(failure.file);
    if (at === undefined || !MISSING_OBJECT_STATES.has(failure.sqlstate)) return failure;
    const placed = history.skipped
      .filter((f) => f.appliedByRunner && f.appliedBefore !== undefined)
      .map((f) => ({ file: f.file, next: order.get(f.appliedBefore!) ?? Infinity }))
      .filter((f) => f.next <= at);
    if (placed.length === 0) return failure;
    const latestFirst = placed.sort((a, b) => b.next - a.next).map((f) => f.file);
    const named = latestFirst.length === 1 ? latestFirst[0] : `${latestFirst.slice(0, 3).join(', ')}${latestFirst.length > 3 ? ` and ${latestFirst.length - 3} earlier` : ''}`;
    const hint = `the runner applies ${named} before this file, which pgdrift cannot replay: what is missing may be made there`;
    return withHint(failure, hint);
  });
}

/**
 * A failure on a missing object after a first migration that holds only comments gets a hint naming it: such a file
 * usually stands for a schema the team's databases had before the migrations ("All tables already exist in the
 * database, this file is just for tracking purposes": field 0-don/coding.global-bot's drizzle 0000_initial_schema.sql),
 * which a new database, and the replay, do not have.
 */
function withCommentOnlyFirstMigrationHint(failures: MigrationFailure[], history: LoadedHistory): MigrationFailure[] {
  const first = history.migrations[0];
  const parsed = first && history.prepared.files.find((file) => file.role === 'migration' && file.migration.file === first.file)?.parsed;
  if (!parsed || parsed.statements.length > 0 || parsed.source.text.trim() === '') return failures;
  return failures.map((failure) => {
    if (failure.file === first.file || !MISSING_OBJECT_STATES.has(failure.sqlstate)) return failure;
    const hint = `${first.file}, the first migration, holds only comments: if it stands for a schema the team's databases had before the migrations, give pgdrift that schema (a pg_dump --schema-only of it) as a "baseline" file, run before the migrations`;
    return withHint(failure, hint);
  });
}

/** Where the official postgres image (and the images built on it) runs its one-time setup scripts (docker-library/postgres docker-entrypoint.sh). */
const INITDB_FOLDER = '/docker-entrypoint-initdb.d';

/** Images built on the official postgres image's entrypoint (postgis, pgvector, timescaledb, supabase/postgres...). */
const POSTGRES_IMAGE = /postgres|postgis|pgvector|timescale|paradedb|citus/i;

/**
 * The first failure on a missing object (a schema, a role, a table) in a project whose Compose file mounts scripts
 * into the database container's /docker-entrypoint-initdb.d gets a hint naming them: the postgres image runs them once,
 * when it creates the database and before anything connects, so the team's migrations may rely on what they make
 * (field: measure-sh/measure self-host, whose init-postgres.sh creates the "measure" schema that dbmate's first
 * migration uses: 3F000). pgdrift runs none of it unasked (a .sh is a program; a .sql may seed data or be the whole
 * schema): the hint says how to give its SQL as a baseline.
 */
function withComposeInitScriptsHint(failures: MigrationFailure[], history: LoadedHistory): MigrationFailure[] {
  const first = failures.findIndex((failure) => MISSING_OBJECT_STATES.has(failure.sqlstate));
  if (first < 0) return failures;
  const root = history.project.root;
  const mounts: { where: string; host: string }[] = [];
  for (const service of readComposeServices(root, process.env)) {
    // the postgres image's scripts, not a ClickHouse or MySQL image's (they read the same folder)
    const image = service.keys.get('image');
    if (!(typeof image === 'string' ? POSTGRES_IMAGE.test(image) : /postgres|^pg/i.test(service.name))) continue;
    for (const [container, host] of composeBindMounts(service, root)) {
      if (container === INITDB_FOLDER || container.startsWith(`${INITDB_FOLDER}/`)) mounts.push({ where: `${service.file}:${service.line} (service ${service.name})`, host: path.relative(root, host).split(path.sep).join('/') || '.' });
    }
  }
  const baselines = new Set(history.project.baselineFiles.map((file) => path.relative(root, file).split(path.sep).join('/')));
  const unused = mounts.filter((mount) => !baselines.has(mount.host));
  if (unused.length === 0) return failures;
  const named = unused.map((mount) => mount.host).join(', ');
  const sqlMounts = unused.filter((mount) => mount.host.endsWith('.sql'));
  const sql = sqlMounts.map((mount) => JSON.stringify(mount.host));
  const connecting = sqlMounts.map((mount) => connectInScript(root, mount.host)).find((found) => found !== undefined);
  const advice = connecting
    ? `${connecting}, which a baseline cannot do (pgdrift sends a baseline as plain SQL to the database the migrations run in): if the migrations rely on what it makes, copy the roles it creates and the statements it runs after that line into a file of their own and name that as a "baseline" in pgdrift.config.json`
    : sql.length > 0
      ? `if the migrations rely on what it makes, name it as a baseline ("baseline": [${sql.join(', ')}] in pgdrift.config.json)`
      : 'if the migrations rely on what it makes, save the SQL it runs as a file and name it as a "baseline" in pgdrift.config.json';
  const hint = `${unused[0].where} mounts ${named} into ${INITDB_FOLDER}, which the postgres image runs once when it creates the database, before any migration: ${advice}`;
  return failures.map((failure, index) => (index === first ? withHint(failure, hint) : failure));
}

/**
 * Where an init script the postgres image runs with psql switches database (`\\connect app`, field:
 * RedHatInsights/yara-backend init.sql: CREATE USER, CREATE DATABASE yara, CREATE ROLE yara_user, `\\connect yara`,
 * then the extensions): "init.sql:8 connects to the database yara with \\connect"; undefined when it does not (or
 * cannot be read or parsed).
 */
function connectInScript(root: string, host: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, host), 'utf8');
  } catch {
    return undefined;
  }
  const meta = parseSqlOrUndefined(text, host)?.metaCommands.find((command) => command.command === 'c' || command.command === 'connect');
  if (!meta) return undefined;
  const database = meta.text.split(/\s+/)[1];
  return `${host}:${meta.line} connects to ${database ? `the database ${database}` : 'another database'} with \\${meta.command}`;
}

/** The schemas the Supabase platform baseline stands in for (supabase-platform.ts). */
const SUPABASE_PLATFORM_SCHEMAS = new Set(['auth', 'storage', 'extensions', 'realtime', 'supabase_functions']);

/**
 * A migration of a project whose folder is not supabase/migrations (Prisma, drizzle, node-pg-migrate on a Supabase
 * database) that fails on a schema of the Supabase platform (3F000 schema "auth" does not exist, at REFERENCES
 * auth.users or auth.uid()) gets a hint naming "platformBaseline": pgdrift cannot tell from the folder that the
 * database is on Supabase, so the stand-in is off until the team says so.
 */
function withPlatformBaselineHint(failures: MigrationFailure[], history: LoadedHistory): MigrationFailure[] {
  if (history.project.platformBaseline) return failures;
  return failures.map((failure) => {
    const schema = failure.sqlstate === '3F000' ? /^schema "(.+)" does not exist$/.exec(failure.message)?.[1] : undefined;
    if (schema === undefined || !SUPABASE_PLATFORM_SCHEMAS.has(schema)) return failure;
    const hint = `${schema} is a schema of the Supabase platform: if the database is on Supabase, set "platformBaseline": true in pgdrift.config.json, and the platform's roles and schemas (auth.users, auth.uid(), storage...) are made before the migrations`;
    return withHint(failure, hint);
  });
}

/** "already exists" SQLSTATEs: a table or index, a trigger or policy, a function. */
const ALREADY_EXISTS_STATES = new Set(['42P07', '42710', '42723']);

/**
 * A Supabase migration that fails on a platform object of another GoTrue or Storage version gets a hint saying so:
 * the baseline stands for the images the CLI pins now (supabase-gotrue-storage.ts), and `supabase db reset` with
 * them fails at the same statement. A `supabase db pull` against a project on an older Storage copies what Storage
 * has since dropped (field: salmanazamdev/nanbites-food-delivery-app 20250918102521_remote_schema.sql, revoke on
 * "storage"."prefixes": 42P01); one against a newer one copies what a current Storage already makes (field:
 * cleinerfaria/monorepo_synia 20260216024608_remote_schema.sql, CREATE TRIGGER protect_buckets_delete: 42710).
 */
function withPlatformVersionHint(failures: MigrationFailure[], history: LoadedHistory): MigrationFailure[] {
  if (!history.project.platformBaseline) return failures;
  return failures.map((failure) => {
    const text = `${failure.message} ${failure.statement ?? ''}`.replaceAll('"', '');
    const dropped = MISSING_OBJECT_STATES.has(failure.sqlstate) ? STORAGE_DROPPED.find((name) => new RegExp(`\\b${name.replace('.', '\\.')}\\b`).test(text)) : undefined;
    if (dropped !== undefined) {
      return withHint(failure, `${dropped} is gone from a current supabase start: Storage's migration 0052 (or 0059) dropped it, and pgdrift's platform baseline stands for ${SUPABASE_PLATFORM_VERSIONS}, where supabase db reset fails here too; a migration pulled from a project on an older Storage copied it`);
    }
    // the name the message quotes (trigger "protect_buckets_delete" for relation ..., relation "buckets_analytics"), made by the baseline's auth/storage part
    const existing = ALREADY_EXISTS_STATES.has(failure.sqlstate) ? /"([^"]+)"/.exec(failure.message)?.[1] : undefined;
    if (existing !== undefined && /\b(auth|storage)\.\w/.test(text) && new RegExp(`[ .]${existing.replace(/\W/g, '\\$&')}[ (]`).test(GOTRUE_STORAGE_SQL)) {
      return withHint(failure, `GoTrue's and Storage's own migrations make it before the project's migrations (pgdrift's platform baseline stands for ${SUPABASE_PLATFORM_VERSIONS}), where supabase db reset fails here too; a migration pulled from a project on another platform version copied it`);
    }
    return failure;
  });
}

/**
 * On a server or docker engine, a Supabase project's CREATE EXTENSION of one Supabase's image ships beyond its own
 * (pg_cron, http, postgis...: replay.ts names the image for those only that image has) fails with 0A000 "extension
 * ... is not available": that image is where the platform's extensions are, as the embedded engine's message says.
 */
function withSupabaseImageHint(failures: MigrationFailure[], history: LoadedHistory): MigrationFailure[] {
  if (!history.project.platformBaseline) return failures;
  return failures.map((failure) => {
    const name = failure.sqlstate === '0A000' ? /^extension "(.+)" is not available$/.exec(failure.message)?.[1] : undefined;
    if (name === undefined || !SUPABASE_IMAGE_SHIPS.includes(name) || SUPABASE_IMAGE_EXTENSIONS.includes(name)) return failure;
    const hint = `${name} is one of the extensions Supabase's image ships: replay on it, --engine docker --image supabase/postgres:<the project's version>, or on a server where ${name} is installed`;
    return withHint(failure, hint);
  });
}

/**
 * The first failure of a replay on an embedded major other than the project's (a snapshot dumped from 15 replayed on
 * 16, or on 18 for an extension 16 and 17 lack) says so: a statement a newer major refuses (field:
 * dreamprogrammin/commerce, [db] major_version = 15, replayed on 18 for moddatetime, failed with 42P10 at an UPDATE 15
 * accepts) is the major's failure, not the migration's, and only a server of the project's major can tell.
 */
function withOtherMajorHint(failures: MigrationFailure[], engine: EngineInfo, origin: SnapshotOrigin | undefined): MigrationFailure[] {
  const project = origin?.major;
  if (engine.name !== 'pglite' || project === undefined || engine.major === project || failures.length === 0) return failures;
  const where = origin?.source === 'supabase-config' ? `[db] major_version of ${origin.file}` : `the header of ${origin?.file ?? 'the snapshot'}`;
  const hint = `the replay ran on the embedded Postgres ${engine.major}, the project's database is Postgres ${project} (${where}): if this statement works on ${project}, the difference is the major's; replay on ${project} itself with --engine server --database-url <a ${project} server> or --engine docker --pg ${project}`;
  return failures.map((failure, index) => (index === 0 ? withHint(failure, hint) : failure));
}

/** A failure of the runner's bookkeeping setup gets the runner's word on why (BookkeepingSetup.failureHint). */
function withBookkeepingHint(failures: MigrationFailure[], history: LoadedHistory): MigrationFailure[] {
  const { name, bookkeepingSetup } = history.project.runner;
  const hint = bookkeepingSetup?.failureHint;
  if (!hint) return failures;
  const file = bookkeepingFileName(name);
  return failures.map((failure) => (failure.file === file ? withHint(failure, hint) : failure));
}

/** The report with the files the runner skipped and the runner's notices (each only when there are any: the JSON key is left out otherwise). */
function withSkipped(report: ReplayReport, history: LoadedHistory, origin?: SnapshotOrigin): ReplayReport {
  const notices = history.project.runner.notices ?? [];
  // each adds its hint to the failures it explains, in this order
  const hints = [withUnreplayedCause, withBookkeepingHint, withPlatformBaselineHint, withPlatformVersionHint, withSupabaseImageHint, withCommentOnlyFirstMigrationHint, withComposeInitScriptsHint];
  const hinted = hints.reduce((failures, hint) => hint(failures, history), report.migrationFailures);
  const migrationFailures = withOtherMajorHint(hinted, report.engine, origin);
  const standIns = standInsOf(report, history);
  const databaseStatements = databaseStatementsLeftOut(report, history);
  return {
    ...report,
    migrationFailures,
    ...(history.skipped.length > 0 ? { skippedFiles: history.skipped } : {}),
    ...(notices.length > 0 ? { notices } : {}),
    ...(standIns.length > 0 ? { standIns } : {}),
    ...(databaseStatements ? { databaseStatements } : {}),
  };
}

/**
 * The statements on a database by name the replay left out (replay.ts withoutDatabaseStatements), in the files it ran:
 * of a file that failed, those above the failure. From the files, not from the engine, so a run that reused cached
 * states or a cached dump says the same as the first.
 */
function databaseStatementsLeftOut(report: ReplayReport, history: LoadedHistory): DatabaseStatementsLeftOut | undefined {
  const status = new Map(report.files.map((file) => [file.file, file.status]));
  const failedAt = new Map(report.migrationFailures.map((failure) => [failure.file, failure]));
  const beforeFailure = (file: string, statement: { line: number; column: number }) => {
    const failure = failedAt.get(file);
    return failure !== undefined && (statement.line < failure.line || (statement.line === failure.line && statement.column < failure.column));
  };
  const databases = new Set<string>();
  let statements = 0;
  let first: DatabaseStatementsLeftOut['first'] | undefined;
  for (const prepared of history.prepared.files) {
    const ran = status.get(prepared.migration.file);
    if (!prepared.parsed || ran === undefined || ran === 'skipped') continue;
    for (const statement of prepared.parsed.statements) {
      const names = databasesLeftOut(statement, history.prepared.replayDatabase);
      if (!names || (ran === 'failed' && !beforeFailure(prepared.migration.file, statement))) continue;
      for (const name of names) databases.add(name);
      statements++;
      first ??= { file: prepared.migration.file, line: statement.line, text: statement.text.split('\n')[0] };
    }
  }
  return first ? { databases: [...databases], statements, first } : undefined;
}

/** What databaseStatementsLeftOut found, said once per run. */
export function databaseStatementsNotice(left: DatabaseStatementsLeftOut): string {
  const names = left.databases.map((name) => `"${name}"`).join(', ');
  const count = left.statements === 1 ? 'a statement' : `${left.statements} statements`;
  return `${count} on the team's database ${names} by its name not run (the first: ${left.first.text} at ${left.first.file}:${left.first.line}): the replay runs in a throwaway database of another name, and what such a statement sets (database settings, comment, owner, privileges) is not part of the schema pg_dump prints, nor of the replay's own session`;
}

/** The extensions the migrations create that the embedded engine had only as pgdrift's stand-ins. */
function standInsOf(report: ReplayReport, history: LoadedHistory): string[] {
  const major = asEmbeddedMajor(report.engine.major);
  if (report.engine.name !== 'pglite' || !history.project.platformBaseline || major === undefined) return [];
  return standInsUsed('supabase', EMBEDDED_BUILDS[major], projectExtensions(history));
}

/** The extensions the project's own files create (CREATE EXTENSION), not pgdrift's platform baseline. */
export function projectExtensions(history: LoadedHistory): string[] {
  const own = history.prepared.files.filter((file) => file.migration.file !== SUPABASE_PLATFORM_FILE);
  return requestedExtensions(own.flatMap((file) => file.parsed?.statements ?? []));
}

function engineDetail(info: EngineInfo, early: boolean): string {
  const parts = [`${info.name}, Postgres ${info.postgresVersion}`];
  if (info.cache) parts.push(`data directory cache ${info.cache}`);
  if (early) parts.push('created in the background while the files were read (the time shown is the wait)');
  return parts.join(', ');
}

function closeDetail(info: EngineInfo): string {
  return info.name === 'pglite' ? 'embedded Postgres stopped' : 'throwaway database and role dropped';
}

/** The replay's time split into the baseline files and the migrations, with each file's own time. */
function recordReplay(timings: TimingRecorder, report: ReplayReport, totalMs: number): void {
  const files = (role: 'baseline' | 'migration') =>
    report.files.filter((f) => f.role === role).map((f) => ({ file: f.file, ms: Math.round(f.ms * 10) / 10, status: f.status }));
  const baseline = files('baseline');
  const migrations = files('migration');
  const baselineMs = baseline.reduce((sum, f) => sum + f.ms, 0);
  const count = (list: typeof baseline, status: string) => list.filter((f) => f.status === status).length;
  const summary = (list: typeof baseline) =>
    `${count(list, 'applied')} applied${count(list, 'failed') ? `, ${count(list, 'failed')} failed` : ''}${count(list, 'skipped') ? `, ${count(list, 'skipped')} skipped` : ''}`;
  if (baseline.length > 0) timings.add('baseline', baselineMs, `${baseline.length} files: ${summary(baseline)}`, { files: baseline });
  timings.add('replay', Math.max(0, totalMs - baselineMs), `${migrations.length} files: ${summary(migrations)}`, { files: migrations });
}

/** The replay cache's one step (engine start, replay and dump together), with what the cache did and each file's time. */
function recordCachedReplay(timings: TimingRecorder, report: ReplayReport, totalMs: number, cacheNotes: string[]): void {
  const files = report.files.map((f) => ({ file: f.file, ms: Math.round(f.ms * 10) / 10, status: f.status }));
  const note = cacheNotes.length > 0 ? cacheNotes.join('; ') : 'replay cache: miss';
  timings.add('replay', totalMs, `engine start, replay and dump through the replay cache (${note}); ${report.engine.name}, Postgres ${report.engine.postgresVersion}`, { files });
}

/**
 * The latest snapshot's "Dumped from database version" major: the embedded engine's default major. Without one (a
 * `supabase db dump` has no header), a Supabase project's `[db] major_version` in supabase/config.toml: the major
 * `supabase start` / `db reset` run the migrations on ("This has to be the same as your remote database's", supabase/cli
 * pkg/config/templates/config.toml).
 */
export async function snapshotOrigin(project: Project): Promise<SnapshotOrigin> {
  let fromHeader: SnapshotOrigin = {};
  // hand-written schema files carry no pg_dump header (and the default glob may match other files)
  if (project.schemaFiles) return supabaseConfigMajor(project) ?? fromHeader;
  try {
    const latest = await latestSnapshot(project);
    if (latest) fromHeader = { major: dumpedFromMajor(readHead(latest.path)), file: latest.file };
  } catch {
    // an unreadable snapshot is reported by the command that reads it
  }
  if (fromHeader.major !== undefined) return fromHeader;
  const config = supabaseConfigMajor(project);
  return config ?? fromHeader;
}

/** `[db] major_version` of the supabase/config.toml beside a supabase/migrations folder, if any. */
function supabaseConfigMajor(project: Project): SnapshotOrigin | undefined {
  if (!isSupabaseCliFolder(project.migrationsDir)) return undefined;
  const file = path.join(path.dirname(project.migrationsDir), 'config.toml');
  // a config the CLI could not read gives no major
  const db = supabaseConfigDb(file);
  const major = db && Number.isInteger(db.major_version) ? (db.major_version as number) : undefined;
  return major === undefined ? undefined : { major, file: path.relative(project.root, file).split(path.sep).join('/'), source: 'supabase-config' };
}

/** The first 4 KB of a file: the dump header is at the top, and a snapshot can be megabytes. */
function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function startEngineEarly(options: ReplayCommandOptions, project?: Project): { engine: Promise<Engine>; databaseName: string } | undefined {
  prestartEngine(options, project);
  return takeStartedEngine(options);
}

/** What the replay role, standing for the runner's role, did not run or ran said otherwise (ReplayReport.runnerRole): said once per run. */
export function runnerRoleNotice(done: RunnerRoleReport, runner: string): string {
  const role = done.role;
  const kinds: Record<RunnerRoleReport['of'][number], string> = {
    owner: `ALTER ... OWNER TO ${role}`,
    'for-role': `FOR ROLE ${role}`,
    grantee: `GRANT ... TO ${role} / REVOKE ... FROM ${role}`,
    'set-role': `SET ROLE ${role} (sent as SET ROLE NONE)`,
  };
  const counts = [
    done.statements > 0 ? `${done.statements} statement${done.statements === 1 ? '' : 's'} not run` : '',
    done.clauses > 0 ? `${done.clauses} clause${done.clauses === 1 ? '' : 's'} left out or said otherwise` : '',
  ].filter(Boolean).join(' and ');
  return `${counts} (${done.of.map((kind) => kinds[kind]).join('; ')}): the ${runner} runner applies migrations as ${role}, and on this engine the throwaway replay role stands for it (it is never given the server's own ${role}, nor is that role granted anything): the replay role owns what the migrations created and holds every role pgdrift made, so those ownership changes and grants are to the current owner, and owners are not compared`;
}
