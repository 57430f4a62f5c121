import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { EngineError, type SourcePosition } from '../errors.js';
import { SUPABASE_IMAGE_EXTENSIONS, SUPABASE_IMAGE_SHIPS } from '../runners/supabase-platform.js';
import { majorsShipping } from './extensions.js';
import { standInsFor, type StandInExtension } from './stand-ins.js';
import {
  asEmbeddedMajor,
  BUILTIN_EXTENSIONS,
  EMBEDDED_BUILDS,
  EMBEDDED_MAJORS,
  importExtensions,
  importPglite,
  importPgliteModule,
  importPgDump,
  NEWEST_EMBEDDED_MAJOR,
  type EmbeddedBuild,
  type EmbeddedMajor,
} from './pglite-builds.js';
import { quoteIdent } from './quote.js';
import { defaultCacheDir, openDataDirCache } from './pglite-cache.js';
import { wholeMessagesOnly } from './pglite-dump.js';
import { savedState, stateFileSystem, tarBytes } from './pglite-state.js';
import { stripRestrictLines } from './restrict.js';
import { readableOlderDumpText } from '../sql/older-dump-keywords.js';
import type { Engine, EngineInfo, EngineOptions } from './types.js';

const require = createRequire(import.meta.url);

/** The version of the default (Postgres 18) PGlite build. */
export function pgliteVersion(): string {
  return EMBEDDED_BUILDS[NEWEST_EMBEDDED_MAJOR].pgliteVersion;
}

/** The build for `options.pg` (default 18); an unknown major is an error naming the ones there are. */
export function embeddedBuildFor(pg: number | undefined): EmbeddedBuild {
  if (pg === undefined) return EMBEDDED_BUILDS[NEWEST_EMBEDDED_MAJOR];
  const major = asEmbeddedMajor(pg);
  if (!major) throw new EngineError(`the embedded engine has no Postgres ${pg} (it has ${EMBEDDED_MAJORS.join(', ')})`, 'choose one of those with --pg, or use --engine server / --engine docker');
  return EMBEDDED_BUILDS[major];
}

/** Identity of an embedded build for cache keys: a different PGlite or pg_dump must never reuse a result. */
export function embeddedBuildId(build: EmbeddedBuild): string {
  // `-settings`: that pg_dump is told the server's client_encoding and standard_conforming_strings (pglite-dump.ts
  // parameterStatus), so a dump stored before it (SQL_ASCII, doubled backslashes) is never reused
  return `pglite${build.pgliteVersion}-pgdump${build.toolsVersion}-pg${build.major}${build.startupLacksSettings ? '-settings' : ''}`;
}


/**
 * Extensions the run asks for that the chosen build lacks: an error that names the majors that have them, at the
 * statement that creates the first missing one when `siteOf` knows it (the pipeline checks with the history's
 * positions before it starts the engine; the engine's own check is the backstop for a library caller).
 */
export function checkExtensions(
  build: EmbeddedBuild,
  requested: string[],
  siteOf?: (extensions: readonly string[]) => SourcePosition | undefined,
  /**
   * the project runs on Supabase (its platform baseline is on): the platform's extensions that have a stand-in
   * (stand-ins.ts) are there, and the image that has what it lacks is Supabase's
   */
  onSupabase = false,
): void {
  const standIns = standInsFor(onSupabase ? 'supabase' : undefined, build);
  // plpgsql is in every cluster: pg_dump up to 10 prints `CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA
  // pg_catalog` (field: danbooru and 18F/e-manifest db/structure.sql), which every build runs as a no-op
  const missing = requested.filter((name) => !BUILTIN_EXTENSIONS.has(name) && !(name in build.extensions) && !standIns.has(name));
  if (missing.length === 0) return;
  const elsewhere = majorsShipping(missing, build.major);
  const plural = missing.length > 1 ? 's' : '';
  throw new EngineError(
    `the embedded Postgres ${build.major} (PGlite ${build.pgliteVersion}) does not ship the extension${plural} ${missing.join(', ')}` +
      (elsewhere.length > 0 ? `; the embedded Postgres ${elsewhere.join(' and ')} ${elsewhere.length > 1 ? 'do' : 'does'}` : someElsewhere(missing, build.major)),
    [
      elsewhere.length > 0 ? `replay on one with --pg ${elsewhere[elsewhere.length - 1]} (or "pg": ${elsewhere[elsewhere.length - 1]} in pgdrift.config.json)` : undefined,
      `${elsewhere.length > 0 ? 'or ' : ''}${realPostgresHint(missing, onSupabase)}`,
    ]
      .filter(Boolean)
      .join('; '),
    // the first of them the history creates, in replay order (`missing` is sorted by name: field gonasi/gonasi
    // 20240619123001_extensions.sql creates pg_jsonschema at line 4 and was named at pg_cron's line 8)
    siteOf?.(missing),
  );
}

/**
 * When no other embedded major ships them all: the ones another major does ship, so that one missing everywhere is
 * not taken for all of them (field: mckaywrigley/chatbot-ui, http and vector: 16 and 17 ship vector, none http).
 */
function someElsewhere(missing: string[], except: EmbeddedMajor): string {
  const shipped = missing.map((name) => ({ name, majors: majorsShipping([name], except) })).filter((entry) => entry.majors.length > 0);
  if (shipped.length === 0) return '';
  const nowhere = missing.filter((name) => !shipped.some((entry) => entry.name === name));
  // one clause per set of majors: 'the embedded Postgres 18 ships moddatetime, pg_stat_statements', not a clause for each
  // (field: Cap-go/capgo on major 17, whose prod baseline creates both)
  const byMajors = new Map<string, string[]>();
  for (const { name, majors } of shipped) byMajors.set(majors.join(' and '), [...(byMajors.get(majors.join(' and ')) ?? []), name]);
  const clauses = [...byMajors].map(([majors, names]) => `the embedded Postgres ${majors} ${majors.includes(' and ') ? 'ship' : 'ships'} ${names.join(', ')}`);
  return `; ${clauses.join('; ')}${nowhere.length > 0 ? `; none ships ${nowhere.join(', ')}` : ''}`;
}

/**
 * Where extensions PGlite lacks can be had. Supabase's own (pg_net, pg_graphql, pgjwt, supabase_vault...: a squashed
 * `supabase db dump` migration creates them, so does one that enables pg_net) are in Supabase's image only: a plain
 * Postgres server lacks them just as PGlite does, so the image comes first and the server is named with that caveat.
 * A project on Supabase is sent to that image for any extension it ships (pg_cron, http, pgmq...), which are what the
 * platform offers its migrations. (In such a project those with a stand-in never get here: stand-ins.ts.)
 */
function realPostgresHint(missing: string[], onSupabase: boolean): string {
  const supabaseOnly = missing.filter((name) => SUPABASE_IMAGE_EXTENSIONS.includes(name));
  const inImage = onSupabase ? missing.filter((name) => SUPABASE_IMAGE_SHIPS.includes(name)) : supabaseOnly;
  if (inImage.length === 0) return `replay on a real Postgres: --engine server --database-url postgres://... (or PGDRIFT_DATABASE_URL), or --engine docker --image <an image with the extension>`;
  const elsewhere = missing.filter((name) => !inImage.includes(name));
  const image = `replay on Supabase's own image, which ships ${inImage.join(', ')}: --engine docker --image supabase/postgres:<the project's version>`;
  const server =
    supabaseOnly.length > 0
      ? `a plain Postgres lacks ${supabaseOnly.length === inImage.length ? (supabaseOnly.length > 1 ? 'them' : 'it') : supabaseOnly.join(', ')} too, so --engine server works only on one where ${supabaseOnly.length > 1 ? 'they are' : 'it is'} installed`
      : `or --engine server on a Postgres where ${inImage.length > 1 ? 'they are' : 'it is'} installed`;
  return `${image}; ${server}${elsewhere.length > 0 ? `; ${elsewhere.join(', ')} ${elsewhere.length > 1 ? 'are' : 'is'} not in that image: a Postgres with ${elsewhere.length > 1 ? 'them' : 'it'} installed` : ''}`;
}

/**
 * Writes the stand-in extensions into the cluster's extension folder (SHAREDIR/extension, which PGlite keeps in its
 * in-memory file system, outside the data directory: written at every start, fresh or from a saved state), so that
 * CREATE EXTENSION finds them as it finds a real one.
 */
async function writeStandIns(instance: PGlite, standIns: ReadonlyMap<string, StandInExtension>): Promise<void> {
  const sharedir = (await instance.query<{ dir: string }>(`SELECT setting AS dir FROM pg_catalog.pg_config WHERE name = 'SHAREDIR'`)).rows[0].dir;
  const fs = (instance as unknown as { Module: { FS: { writeFile(path: string, data: string): void } } }).Module.FS;
  for (const extension of standIns.values()) for (const file of extension.files) fs.writeFile(`${sharedir}/extension/${file.file}`, file.text);
}

/**
 * What can be made ready before the run's extensions are known: the build's modules imported; for the newest build
 * (whose PGlite takes a precompiled module) its Postgres WebAssembly compiled; and the data-dir cache entry last used
 * for this build read, verified and unpacked (it is the one a repeated run needs; the open checks its key). isolated.ts
 * does this in a worker started while the command's own modules load.
 */
export interface WarmStart {
  major: number;
  /** a WebAssembly.Module (typed loosely: the build's TypeScript lib set has no WebAssembly types) */
  pgliteWasmModule?: object;
  /** the unpacked tar of a cached fresh cluster, and its cache key (which names the extensions it was made with) */
  dataDir?: { key: string; tar: Uint8Array };
}

export async function prewarmPglite(pg: number | undefined, cacheDir?: string): Promise<WarmStart> {
  const build = embeddedBuildFor(pg);
  const warm: WarmStart = { major: build.major };
  if (cacheDir) {
    const cache = openDataDirCache(cacheDir);
    const key = cache.newestKey(`${dataDirKeyPrefix(build)}-`);
    const data = key ? cache.read(key) : undefined;
    if (key && data) warm.dataDir = { key, tar: tarBytes(data) };
  }
  await Promise.all([importPglite(build), importPgDump(build)]);
  if (build.major !== NEWEST_EMBEDDED_MAJOR) return warm;
  const wasm = path.join(path.dirname(require.resolve(build.pglitePackage)), 'pglite.wasm');
  // WebAssembly is a value at run time; the TypeScript lib set here only declares its types
  const { compile } = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } }).WebAssembly;
  warm.pgliteWasmModule = await compile(await readFile(wasm));
  return warm;
}

/** The data-dir cache key's start for a build; the extension set follows it. */
function dataDirKeyPrefix(build: EmbeddedBuild): string {
  return `${build.major === NEWEST_EMBEDDED_MAJOR ? 'pglite' : `pglite-pg${build.major}`}-${build.pgliteVersion}`;
}

/**
 * Starts an in-process PGlite (Postgres 16, 17 or 18 in WASM) with the extensions the SQL asks for. Only the chosen
 * major's packages are loaded. A fresh cluster comes from the data-dir cache when it can (initdb costs 4-15 s);
 * `initialState` starts from a saved replayed prefix instead. `warm` is what prewarmPglite prepared, if anything.
 */
export async function openPgliteEngine(options: EngineOptions & { projectRoot?: string }, warm?: WarmStart): Promise<Engine> {
  const build = embeddedBuildFor(options.pg);
  const standIns = standInsFor(options.standIns, build);
  const asked = (options.extensions ?? []).filter((name) => !BUILTIN_EXTENSIONS.has(name));
  checkExtensions(build, asked, undefined, options.standIns !== undefined);
  // a stand-in is files, not a module to load; what its control file requires (pgjwt: pgcrypto) is loaded instead
  const requested = [...new Set(asked.flatMap((name) => standIns.get(name)?.requires.filter((required) => required in build.extensions) ?? [name]))].sort();
  const { PGlite: PGliteClass, MemoryFS } = await importPgliteModule(build);
  const extensions = await importExtensions(build, requested);

  // A schema replay needs no buffer pool: PGlite's default shared_buffers (160 MB) is ~130 MB of resident memory
  // for nothing (measured on the sample: 519 → 385 MB after the replay). Not a setting the older builds take.
  const defaults = (PGliteClass as unknown as { defaultStartParams?: string[] }).defaultStartParams;
  const tuning = build.startParams && defaults ? { startParams: [...defaults, '-c', 'shared_buffers=16MB', '-c', 'wal_buffers=1MB'] } : {};
  // what a prewarm prepared serves only the major it was prepared for
  const prepared = warm?.major === build.major ? warm : undefined;
  const compiled = prepared?.pgliteWasmModule ? { pgliteWasmModule: prepared.pgliteWasmModule } : {};
  const create = (extra: Record<string, unknown>) => PGliteClass.create({ extensions: extensions as any, ...tuning, ...compiled, ...extra });
  /** a start from a saved data directory (a tar this start owns: PGlite's files become views of it) */
  const resume = (tar: Uint8Array) => create({ fs: stateFileSystem(MemoryFS, build.dataDirPath, tar) });

  const cache = openDataDirCache(options.cacheDir ?? defaultCacheDir(options.projectRoot));
  const key = `${dataDirKeyPrefix(build)}-${requested.join('+') || 'base'}`;
  let db: PGlite | undefined;
  let cacheState: 'hit' | 'miss' | 'rebuilt' = 'miss';
  try {
    if (options.initialState) {
      db = await resume(tarBytes(options.initialState));
      cacheState = 'hit';
    } else {
      const readAhead = prepared?.dataDir?.key === key ? prepared.dataDir.tar : undefined;
      if (readAhead && prepared) prepared.dataDir = undefined; // single use: the engine's files become views of it
      const cached = readAhead ?? cache.read(key);
      if (!readAhead && cache.lastReadFoundCorrupt) cacheState = 'rebuilt';
      if (cached) {
        try {
          db = await resume(readAhead ?? tarBytes(cached));
          cacheState = 'hit';
        } catch {
          cache.evict(key); // a tarball that verified but does not load (e.g. written by an incompatible build)
          cacheState = 'rebuilt';
          db = undefined;
        }
      }
      if (!db) {
        db = await create({});
        const fresh = await savedState(db, build.dataDirPath);
        try {
          cache.write(key, fresh);
        } catch {
          // A read-only cache folder only costs speed.
        }
      }
    }
  } catch (error: any) {
    throw new EngineError(`the embedded engine (PGlite ${build.pgliteVersion}, Postgres ${build.major}) could not start: ${error?.message ?? error}`);
  }
  const instance = db;
  if (standIns.size > 0) await writeStandIns(instance, standIns);
  if (options.searchPath) await instance.exec(`SET search_path TO ${options.searchPath.map(quoteIdent).join(', ')}`);
  const version = String((await instance.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v).split(' ')[0];
  const info: EngineInfo = {
    name: 'pglite',
    postgresVersion: version,
    pgDumpVersion: version,
    cache: cacheState,
    major: build.major,
    ...(options.majorReason ? { majorReason: options.majorReason } : {}),
  };

  // Not registered for signal cleanup on purpose: everything lives in this process and dies with it, and a JS
  // signal handler could not run anyway while the WASM engine is busy, so Ctrl-C keeps its default: stop now.
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await instance.close();
  };

  return {
    info,
    async exec(sql) {
      await instance.exec(sql);
    },
    async query<Row>(sql: string, params?: unknown[]) {
      return (await instance.query<Row>(sql, params)).rows;
    },
    async ensureRole(name) {
      // The whole cluster lives in this process and dies with it: nothing to track.
      const exists = await instance.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [name]);
      if (exists.rows.length === 0) await instance.exec(`CREATE ROLE ${quoteIdent(name)} NOLOGIN`);
    },
    async dump() {
      const pgDump = await importPgDump(build);
      const searchPath = (await instance.query<{ path: string }>(`SELECT current_setting('search_path') AS path`)).rows[0].path;
      // pg_dump connects as the cluster's superuser; here it shares the replay's session, where the last migration may
      // have left a SET ROLE or SET SESSION AUTHORIZATION (its catalog reads then fail: "current transaction is
      // aborted"): dump as the cluster's bootstrap superuser (PGlite's user; SET SESSION AUTHORIZATION DEFAULT keeps the
      // last one set there), then give the session back the identity it had
      const identity = (await instance.query<{ role: string; session: string; login: string }>(`SELECT current_setting('role') AS role, session_user::text AS session, (SELECT rolname FROM pg_catalog.pg_roles WHERE oid = 10)::text AS login`)).rows[0];
      const changedIdentity = identity.role !== 'none' || identity.session !== identity.login;
      if (changedIdentity) await instance.exec(`SET SESSION AUTHORIZATION ${quoteIdent(identity.login)}; RESET ROLE`);
      let text: string;
      // pglite-tools reads SHOW search_path, sets it back with SET after its dump and warns on stderr when SHOW then
      // spells it differently, which it does whenever the session's path was set in another spelling (Flyway's
      // '"app","$user", public' comes back as 'app, "$user", public'): the same path, and restored below anyway.
      const warn = console.warn;
      console.warn = (...args: unknown[]) => {
        if (!(typeof args[0] === 'string' && args[0].startsWith('Warning: search_path has been changed'))) warn(...args);
      };
      try {
        // pglite-tools restores the path it read with `SET SEARCH_PATH = ${path}` (pglite-tools dist, pgDump): an empty
        // path, which every pg_dump >= 10.3 text leaves behind (`SELECT pg_catalog.set_config('search_path', '',
        // false)`) when replayed as a baseline, makes that `SET SEARCH_PATH = ` a syntax error after a good dump
        // (field: danbooru db/structure.sql). pg_dump sets its own path; the session's is restored below.
        if (searchPath === '') await instance.query(`SELECT pg_catalog.set_config('search_path', 'pg_catalog', false)`);
        const settings = build.startupLacksSettings
          ? (await instance.query<Record<string, string>>(`SELECT current_setting('client_encoding') AS client_encoding, current_setting('standard_conforming_strings') AS standard_conforming_strings`)).rows[0]
          : {};
        const file = await pgDump({ pg: wholeMessagesOnly(instance, build.protocolCall, settings), args: ['--schema-only', '--no-owner'] });
        text = stripRestrictLines(await file.text());
      } catch (error: any) {
        // Measured: the Postgres 16 build (PGlite 0.2.17) aborts ("unreachable") while answering pg_dump's catalog
        // queries on schemas of a few hundred tables (200 dump, 500 do not; 17 and 18 dump 1,000).
        const largeSchemaLimit = build.major === 16 && /unreachable/i.test(String(error?.message ?? error));
        throw new EngineError(
          `the embedded pg_dump ${build.major} (pglite-tools ${build.toolsVersion}) failed: ${error?.message ?? error}`,
          largeSchemaLimit
            ? 'the embedded Postgres 16 (PGlite 0.2) cannot dump schemas of several hundred tables; replay on the embedded 17 or 18 (--pg 17, or "pg": 17 in pgdrift.config.json) or on a real Postgres 16 (--engine server / --engine docker --pg 16)'
            : undefined,
        );
      } finally {
        console.warn = warn;
        // pgDump runs in our single session and leaves its read-only transaction open and the search_path empty:
        // end the transaction and restore the path the session had, so the database stays usable (e.g. check --idempotent).
        await instance.exec('ROLLBACK');
        await instance.query(`SELECT pg_catalog.set_config('search_path', $1, false)`, [searchPath]);
        if (changedIdentity) {
          if (identity.session !== identity.login) await instance.exec(`SET SESSION AUTHORIZATION ${quoteIdent(identity.session)}`);
          if (identity.role !== 'none') await instance.exec(`SET ROLE ${quoteIdent(identity.role)}`);
        }
      }
      // the Postgres 16 build's pg_dump writes a parameter named json bare, which the grammar pgdrift reads refuses
      return readableOlderDumpText(text);
    },
    async saveState() {
      // checkpointed (without it, every later start from this state would redo all the WAL written since the
      // engine started: a 999-file replay, ~1 s of every start from it), and without the WAL no start needs
      return savedState(instance, build.dataDirPath);
    },
    close,
  };
}
