import { objectLines } from '../diff/diff.js';
import type { DriftItem } from '../diff/types.js';
import { withEngine } from '../engine/index.js';
import { checkExtensions, embeddedBuildFor } from '../engine/pglite.js';
import type { EngineName, EngineOptions } from '../engine/types.js';
import { EngineError, InputError, type PgdriftError } from '../errors.js';
import { virtualMigrationFile } from '../migrations/discover.js';
import { SUPABASE_PLATFORM_FILE } from '../runners/supabase-platform.js';
import { supabase } from '../runners/supabase.js';
import { buildSchemaModel } from '../model/build.js';
import type { SchemaModel } from '../model/types.js';
import { prepareHistory, replayHistory, type PreparedHistory } from '../replay/replay.js';
import type { MigrationFailure } from '../replay/types.js';
import { replayLimits } from '../engine/limits.js';
import type { DumpSide } from './compare.js';
import { extensionSite, type LoadedHistory } from './replay-project.js';
import type { TimingRecorder } from './timings.js';
import { nodesAs, walk } from '../sql/ast.js';
import { objectName } from '../history/events.js';
import { walkHistory } from '../history/walker.js';
import type { ParsedStatement } from '../sql/parse.js';
import type { LoadedSnapshot } from './snapshot-side.js';

/**
 * pg_dump's own comment lines: the header (`-- PostgreSQL database dump`, `-- Dumped from database version`,
 * `-- Dumped by pg_dump version`) and the entry before each object (`-- Name: t; Type: TABLE; Schema: public; Owner: -`).
 * Comments are not SQL: a line reader is the right tool.
 */
const PG_DUMP_COMMENT = /^-- (?:PostgreSQL database dump|Dumped from database version |Dumped by pg_dump version |Name: [^\n]*; Type: [^\n]*; Schema: )/m;

/** The text carries pg_dump's header or entry comment lines. */
function hasPgDumpComments(text: string): boolean {
  return PG_DUMP_COMMENT.test(text);
}

/**
 * Whether pg_dump wrote the snapshot: its comment lines, or the preamble statement every pg_dump since 10.3 writes
 * (`SELECT pg_catalog.set_config('search_path', '', false);`), which the scripts that drop pg_dump's comment lines
 * keep (`supabase db dump`'s dump_schema.sh; `dbmate dump` trims the leading comments). Anything else is a schema
 * file someone wrote by hand (a `schema.sql` next to the migrations).
 */
export function writtenByPgDump(snapshot: { text: string; model: SchemaModel }): boolean {
  return snapshot.model.pgDumpPreamble === true || hasPgDumpComments(snapshot.text);
}

/** A hand-written snapshot, loaded into a throwaway engine and dumped again by that engine's pg_dump. */
export interface NormalizedSnapshot {
  /** the engine's pg_dump --schema-only of the loaded file */
  text: string;
  model: SchemaModel;
  /** the engine it was loaded into */
  engine: EngineName;
  /** the files loaded before it (the platform baseline, the baseline files, the runner's bookkeeping table) */
  after: string[];
  /** a set of schema files: the files loaded, in order */
  files?: string[];
}

/**
 * A schema file written by hand says the same thing as pg_dump in other words (`serial` for a sequence and its
 * default, `int` for integer, an inline REFERENCES or UNIQUE whose name Postgres chooses, unqualified names...), so
 * comparing its text with a dump reports differences no database would show. It is loaded, as `psql -f` would load
 * it (statement by statement, stopping at the first error), into a fresh throwaway database of the replay's engine,
 * after what the replay has before the migrations (the platform baseline, so `auth.users` exists; the baseline files;
 * the runner's bookkeeping table), with the same roles and search_path; the database is dumped by the same pg_dump
 * as the replay. What the baseline creates is then on both sides, as in a snapshot pg_dump writes.
 * A statement that does not load is an input error naming the file, line and column (exit 2).
 */
export async function normalizeHandWrittenSnapshot(
  snapshot: Pick<LoadedSnapshot, 'file' | 'text' | 'parts'>,
  history: Pick<LoadedHistory, 'baseline' | 'prepared'>,
  engine: EngineOptions & { projectRoot?: string },
  options: { timeoutMs?: number; supabaseCli?: boolean } = {},
): Promise<NormalizedSnapshot> {
  // a set of schema files: each its own file, in order, so a failure names the file and line it is at
  const parts = snapshot.parts ?? [snapshot];
  const files = parts.map((part) => ({ ...virtualMigrationFile(part.file.file, part.text), path: part.file.path }));
  if (options.supabaseCli) refuseSupabaseSplit(parts);
  // the snapshot as the last baseline files: statement by statement, stopping at the first error
  const prepared = prepareHistory([...history.baseline, ...files], [], history.prepared.roles);
  const snapshotFiles = prepared.files.slice(-files.length);
  // Roles live outside a schema file: the ones it names and does not create are made (NOLOGIN, dropped with the
  // engine), as the confirming reload does for policies' roles, so a GRANT or an owner in it loads.
  const statements = snapshotFiles.flatMap((file) => file.parsed?.statements ?? []);
  prepared.roles = [...new Set([...prepared.roles, ...rolesNamedNotCreated(statements)])];
  refuseShadowedCreates(prepared, new Set(snapshotFiles.map((file) => file.migration.file)));
  const extensions = [...new Set([...(engine.extensions ?? []), ...prepared.extensions])].sort();
  if (engine.engine === 'pglite') checkExtensions(embeddedBuildFor(engine.pg), extensions, (names) => extensionSite(prepared, names), history.baseline.some((f) => f.file === SUPABASE_PLATFORM_FILE));
  const after = history.baseline.map((f) => f.file);
  const text = await withEngine({ ...engine, extensions, initialState: undefined }, async (e) => {
    const report = await replayHistory(e, prepared, { timeoutMs: options.timeoutMs });
    const failure = report.migrationFailures[0];
    if (failure) throw loadError(failure, new Set(files.map((file) => file.file)), after, e.info.name, prepared);
    return e.dump();
  });
  return { text, model: buildSchemaModel(text, snapshot.file.file), engine: engine.engine, after, ...(snapshot.parts ? { files: files.map((file) => file.file) } : {}) };
}

/**
 * The Supabase CLI applies each declarative schema file as it applies a migration (pkg/migration/seed.go `SeedGlobals`
 * → `ExecBatch`): split by its own statement reader, each piece sent as one statement. A file it splits otherwise
 * than Postgres fails under the CLI: refused at the piece, as in the migrations (supabase.ts `plan`).
 */
function refuseSupabaseSplit(parts: ReadonlyArray<Pick<LoadedSnapshot, 'file' | 'text'>>): void {
  for (const part of parts) {
    const problem = supabase.plan(part.text, part.file.file, '').problem;
    if (!problem) continue;
    const position = { file: part.file.file, line: problem.line ?? 1, column: problem.column ?? 1 };
    throw new InputError(`${position.file}:${position.line}:${position.column}: ${problem.message}`, { position, hint: problem.hint });
  }
}

/**
 * A `CREATE ... IF NOT EXISTS` of the snapshot whose table, view, sequence or index a baseline file (or the platform
 * baseline) already makes would load as a no-op, and the snapshot's own definition of it would never be compared: a
 * "clean" that is not one. Refused at its file:line:column, as a plain CREATE of it fails to load ("already exists").
 */
function refuseShadowedCreates(prepared: PreparedHistory, snapshotFiles: ReadonlySet<string>): void {
  const files = prepared.files.flatMap((f) => (f.parsed ? [{ file: f.migration.file, role: 'baseline' as const, fileIndex: -1, parsed: f.parsed }] : []));
  // what a file of the snapshot made is no baseline's: a later file's IF NOT EXISTS of it is the set's own business
  const madeBySnapshot = new Set<string>();
  const shadowed = walkHistory(files).find((event) => {
    if (event.type !== 'create' || event.nested || !snapshotFiles.has(event.at.file) || (event.object.kind !== 'relation' && event.object.kind !== 'index')) return false;
    const name = objectName(event.object);
    if (!event.noop) madeBySnapshot.add(name);
    return event.noop && !madeBySnapshot.has(name);
  });
  if (!shadowed) return;
  const { file, line, column } = shadowed.at;
  const name = objectName(shadowed.object);
  throw new InputError(`${file}:${line}:${column}: this ${shadowed.action} IF NOT EXISTS does nothing: ${name} already exists after the baseline, so this definition of it would not be compared`, {
    position: { file, line, column },
    hint: 'a snapshot without pg_dump\'s header is loaded after the baseline files: leave out of it what they create, or commit a pg_dump --schema-only snapshot (`pgdrift snapshot`)',
  });
}

/**
 * The snapshot side of a comparison with the replay: the file as it is when pg_dump wrote it, else the engine's dump
 * of it (normalizeHandWrittenSnapshot, recorded as the `snapshot load` stage). Labelled with the file either way.
 */
export async function comparedSnapshot(
  snapshot: LoadedSnapshot,
  history: LoadedHistory,
  engine: EngineOptions & { projectRoot?: string },
  timings?: TimingRecorder,
): Promise<DumpSide & { model: SchemaModel; normalized?: NormalizedSnapshot }> {
  const label = snapshot.file.file;
  // a set of schema files is loaded whatever its files are (pg_dump's text among them too: the CLI loads it so)
  if (!snapshot.parts && writtenByPgDump(snapshot)) return { text: snapshot.text, label, model: snapshot.model };
  const supabaseCli = history.project.schemaFiles?.supabaseCli === true;
  const load = () => normalizeHandWrittenSnapshot(snapshot, history, engine, { timeoutMs: replayLimits(history.project.config.replay).timeoutMs, supabaseCli });
  const what = snapshot.parts ? `${label}: ${snapshot.parts.length} schema files loaded in order` : `${label} has no pg_dump header: loaded`;
  const normalized = timings
    ? await timings.time('snapshot load', load, (n) => `${what} into ${n.engine}${n.after.length > 0 ? ` after ${n.after.length} baseline files` : ''} and dumped again`)
    : await load();
  return { text: normalized.text, label, model: normalized.model, normalized };
}

/** CREATE EXTENSION of one the server does not have: "extension ... is not available" */
const FEATURE_NOT_SUPPORTED = '0A000';
/** CREATE EXTENSION of an untrusted one by a role that is not superuser: "permission denied to create extension" */
const INSUFFICIENT_PRIVILEGE = '42501';

/** The extension a failure's statement creates, if it is a CREATE EXTENSION. */
function extensionSiteAt(prepared: PreparedHistory, failure: MigrationFailure): string | undefined {
  const file = prepared.files.find((f) => f.migration.file === failure.file);
  const statement = file?.parsed?.statements.filter((s) => s.line <= failure.line).at(-1);
  return statement?.kind === 'CreateExtensionStmt' ? statement.ast.extname : undefined;
}

/** The roles the statements name (grantees, owners, policies' roles, granted roles) that none of them creates. */
export function rolesNamedNotCreated(statements: readonly ParsedStatement[]): string[] {
  const named = new Set<string>();
  const created = new Set<string>();
  for (const statement of statements) {
    if (statement.kind === 'CreateRoleStmt' && statement.ast.role) created.add(statement.ast.role);
    walk(statement.ast, (object, key) => {
      if (key === 'RoleSpec' && object.roletype === 'ROLESPEC_CSTRING' && typeof object.rolename === 'string') named.add(object.rolename);
    });
    if (statement.kind === 'GrantRoleStmt') for (const role of nodesAs(statement.ast.granted_roles, 'AccessPriv')) if (role.priv_name) named.add(role.priv_name);
  }
  return [...named].filter((role) => !created.has(role)).sort();
}

/**
 * Why the snapshot did not load, at its file:line:column: an input error (exit 2), unless the engine lacks an
 * extension it creates, which another engine has (exit 3, as when the replay's engine lacks one).
 */
function loadError(failure: MigrationFailure, snapshotFiles: ReadonlySet<string>, after: string[], engine: EngineName, prepared: PreparedHistory): PgdriftError {
  const place = `${failure.file}:${failure.line}:${failure.column}`;
  const why = `${failure.message}${failure.sqlstate ? ` (${failure.sqlstate})` : ''}${failure.detail ? `; ${failure.detail}` : ''}`;
  const position = { file: failure.file, line: failure.line, column: failure.column };
  const site = extensionSiteAt(prepared, failure);
  if (failure.sqlstate === FEATURE_NOT_SUPPORTED && site) {
    return new EngineError(`${place}: the ${engine} engine cannot load ${failure.file}: ${why}`, failure.hint ?? `load it on an engine that has the extension ${site}: --engine docker --image <an image with it>, or --engine server --database-url <a server with it>`, position);
  }
  if (failure.sqlstate === INSUFFICIENT_PRIVILEGE && site && engine === 'server') {
    // an untrusted extension (moddatetime before Postgres 16...): the file is right, the engine's role may not do it
    // (the migrations that create it fail the same way on this engine). Field: toy-crane/claude-hunt's schema files.
    return new EngineError(
      `${place}: the server engine cannot load ${failure.file}: ${why}`,
      `the server engine loads as a role that is not superuser, which may create only trusted extensions; ${site} needs a superuser (${failure.hint ?? 'a Supabase project creates it as one'}): use the embedded engine (--engine pglite, a superuser), or --engine docker`,
      position,
    );
  }
  const before = after.length > 0 ? ` after ${after.join(', ')}` : '';
  const set = snapshotFiles.size > 1;
  const message = snapshotFiles.has(failure.file)
    ? set
      ? `${place}: the schema file ${failure.file} does not load into the ${engine} engine${before} and the schema files before it: ${why}`
      : `${place}: ${failure.file} is not pg_dump output, and it does not load into the ${engine} engine${before}: ${why}`
    : `${place}: ${failure.file} does not load before the hand-written snapshot ${[...snapshotFiles].join(', ')}: ${why}`;
  return new InputError(message, {
    position,
    hint: set
      ? `the schema files are loaded in order, one after the other, into a throwaway database (after the platform baseline and the baseline files) and dumped again; ` +
        `make them load there in that order (${failure.hint ? `${failure.hint}; ` : ''}a file that needs another first must sort after it, or come later in schema_paths / the "snapshot" list)`
      : `a snapshot without pg_dump's header is loaded into a throwaway database (after the platform baseline and the baseline files) and dumped again, so both sides are printed by the same pg_dump; ` +
        `make the file load there (${failure.hint ? `${failure.hint}; ` : ''}psql -f on an empty database is the test), or commit a pg_dump --schema-only snapshot instead (\`pgdrift snapshot\`)`,
  });
}

/**
 * The drift items' snapshot lines, taken from the hand-written file (the compared dump is the engine's): the line of
 * the object of that kind and name, else of the table it belongs to; none when the file has no such object by that
 * name (an object pg_dump prints apart from where the file declares it).
 */
export function handWrittenLines(items: DriftItem[], handWritten: SchemaModel | readonly SchemaModel[], compared: SchemaModel[]): DriftItem[] {
  // a set of schema files: each file's own lines; an object is where the first file that has it declares it
  const files = (Array.isArray(handWritten) ? handWritten : [handWritten]).map((model) => ({ file: model.file, lines: objectLines(model, compared) }));
  const find = (key: string) => {
    for (const { file, lines } of files) {
      const line = lines.get(key);
      if (line !== undefined) return { file, line };
    }
    return undefined;
  };
  return items.map((item) => {
    const source = { ...item.source };
    delete source.snapshot;
    if (item.change !== 'added') {
      const table = item.name.split('.').slice(0, 2).join('.');
      const place = find(`${item.kind}:${item.name}`) ?? find(`table:${table}`);
      if (place) source.snapshot = place;
    }
    return { ...item, source };
  });
}
