import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { EngineError } from '../errors.js';
import type { MemoryFsClass } from './pglite-state.js';

const require = createRequire(import.meta.url);

/** The Postgres majors the embedded engine can run. */
export const EMBEDDED_MAJORS = [16, 17, 18] as const;
export type EmbeddedMajor = (typeof EMBEDDED_MAJORS)[number];
export const NEWEST_EMBEDDED_MAJOR: EmbeddedMajor = 18;

/** Where an extension's PGlite bundle lives: a module under the PGlite package, and the name it exports. */
export interface ExtensionModule {
  subpath: string;
  exportName: string;
}

/**
 * One embedded Postgres major: a PGlite build and the pglite-tools pg_dump that can talk to it. Versions are
 * pinned: each pglite-tools pg_dump only works with its own PGlite (0.4.8's calls execProtocolRawStream, which
 * the older builds lack). Facts measured in /work/shared/notes/dependencies.md.
 */
export interface EmbeddedBuild {
  major: EmbeddedMajor;
  /** module specifier of the PGlite package (an npm alias for the older majors) */
  pglitePackage: string;
  pgliteVersion: string;
  toolsPackage: string;
  toolsVersion: string;
  /** SQL extension name → its bundle; plpgsql is built in */
  extensions: Record<string, ExtensionModule>;
  /** how pg_dump hands PGlite its bytes: the older tools call execProtocolRawSync, 0.4.x execProtocolRawStream */
  protocolCall: 'execProtocolRawSync' | 'execProtocolRawStream';
  /** whether PGlite.create() takes `startParams` (0.5.x; the older builds start with fixed settings) */
  startParams: boolean;
  /**
   * whether the tools answer pg_dump's connection themselves with server_version as the only ParameterStatus
   * (pglite-tools 0.2.2, dist pgDump's sched_yield: AuthenticationOk, ParameterStatus server_version, ReadyForQuery)
   */
  startupLacksSettings?: boolean;
  /** the build's PGDATA inside its Emscripten file system (where a saved data directory is put back) */
  dataDirPath: string;
  /** built with ICU (CREATE COLLATION ... provider = icu works): measured, 16 and 17 answer 0A000 "ICU is not supported in this build" */
  icu: boolean;
  /**
   * CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY work: measured, 17 (PGlite 0.3.16) fails both with XX000
   * "tuple concurrently updated" on any table (electric-sql/pglite#901, open), 16 and 18 run them
   */
  concurrentIndex: boolean;
  /**
   * RESET ALL, RESET search_path and SET search_path TO DEFAULT give a server's `"$user", public`: measured, 16 and 17
   * (PGlite 0.2.17, 0.3.16) give pg_catalog (their backend starts with it on its command line and sets public
   * after), where the tables a migration then creates land unseen by pg_dump; 18 gives public
   */
  searchPathReset: boolean;
  /**
   * ALTER TABLE ... ADD COLUMN of a domain type with a CHECK and a DEFAULT leaves the default unchecked on an empty
   * table, as a server does (the rewrite scans no row): measured, Postgres 15 (server), 17 and 18 do; 16 (PGlite 0.2.17)
   * checks it and fails with 23514 (field: FoxComm/highlander middlewarehouse, `add column type stock_item_type not
   * null default 1`)
   */
  domainDefaultOnEmptyTable: boolean;
}

/** `contrib/<module>` bundles exporting `<module>`, keyed by SQL name (uuid-ossp's module is uuid_ossp). */
function contrib(modules: string): Record<string, ExtensionModule> {
  const out: Record<string, ExtensionModule> = {};
  for (const module of modules.split(/\s+/).filter(Boolean)) {
    out[module === 'uuid_ossp' ? 'uuid-ossp' : module] = { subpath: `contrib/${module}`, exportName: module };
  }
  return out;
}

/** Extensions published as top-level modules of the package (`@electric-sql/pglite/vector`). */
function topLevel(modules: string): Record<string, ExtensionModule> {
  const out: Record<string, ExtensionModule> = {};
  for (const module of modules.split(/\s+/).filter(Boolean)) out[module] = { subpath: module, exportName: module };
  return out;
}

// The lists are the package's own dist/contrib/*.js and its package.json "exports" of each pinned version.
export const EMBEDDED_BUILDS: Record<EmbeddedMajor, EmbeddedBuild> = {
  16: {
    major: 16,
    pglitePackage: 'pglite-pg16',
    pgliteVersion: '0.2.17',
    toolsPackage: 'pglite-tools-pg16',
    toolsVersion: '0.2.2',
    protocolCall: 'execProtocolRawSync',
    startParams: false,
    startupLacksSettings: true,
    dataDirPath: '/tmp/pglite/base',
    icu: false,
    concurrentIndex: true,
    searchPathReset: false,
    domainDefaultOnEmptyTable: false,
    extensions: {
      ...contrib(
        'adminpack amcheck auto_explain bloom btree_gin btree_gist citext cube earthdistance fuzzystrmatch hstore isn lo ltree pg_trgm seg tablefunc tcn tsm_system_rows tsm_system_time uuid_ossp',
      ),
      ...topLevel('vector'),
    },
  },
  17: {
    major: 17,
    pglitePackage: 'pglite-pg17',
    pgliteVersion: '0.3.16',
    toolsPackage: 'pglite-tools-pg17',
    toolsVersion: '0.2.21',
    protocolCall: 'execProtocolRawSync',
    startParams: false,
    dataDirPath: '/tmp/pglite/base',
    icu: false,
    concurrentIndex: false,
    searchPathReset: false,
    domainDefaultOnEmptyTable: true,
    extensions: {
      ...contrib(
        'amcheck auto_explain bloom btree_gin btree_gist citext cube dict_int dict_xsyn earthdistance file_fdw fuzzystrmatch hstore intarray isn lo ltree pageinspect pg_buffercache pg_freespacemap pg_surgery pg_trgm pg_visibility pg_walinspect pgcrypto seg tablefunc tcn tsm_system_rows tsm_system_time unaccent uuid_ossp',
      ),
      ...topLevel('vector pg_ivm pgtap pg_uuidv7 age pg_hashids'),
    },
  },
  18: {
    major: 18,
    pglitePackage: '@electric-sql/pglite',
    pgliteVersion: '0.5.8',
    toolsPackage: '@electric-sql/pglite-tools',
    toolsVersion: '0.4.8',
    protocolCall: 'execProtocolRawStream',
    startParams: true,
    dataDirPath: '/pglite/data',
    icu: true,
    concurrentIndex: true,
    searchPathReset: true,
    domainDefaultOnEmptyTable: true,
    extensions: contrib(
      'amcheck auto_explain bloom btree_gin btree_gist citext cube dict_int dict_xsyn earthdistance file_fdw fuzzystrmatch hstore intarray isn lo ltree moddatetime pageinspect pg_buffercache pg_freespacemap pg_stat_statements pg_surgery pg_trgm pg_visibility pg_walinspect pgcrypto seg tablefunc tcn tsm_system_rows tsm_system_time unaccent uuid_ossp',
    ),
  },
};

export const BUILTIN_EXTENSIONS = new Set(['plpgsql']);

/** "16", 16, "16.4" → 16; anything else (15, "latest") → undefined. */
export function asEmbeddedMajor(value: string | number | undefined): EmbeddedMajor | undefined {
  if (value === undefined) return undefined;
  const major = Number(String(value).trim().split('.')[0]);
  return (EMBEDDED_MAJORS as readonly number[]).includes(major) ? (major as EmbeddedMajor) : undefined;
}

/** The command that installs a major's packages, for messages. */
export function installCommand(build: EmbeddedBuild): string {
  if (build.major === NEWEST_EMBEDDED_MAJOR) {
    return `npm install --save-exact ${build.pglitePackage}@${build.pgliteVersion} ${build.toolsPackage}@${build.toolsVersion}`;
  }
  return `npm install --save-exact ${build.pglitePackage}@npm:@electric-sql/pglite@${build.pgliteVersion} ${build.toolsPackage}@npm:@electric-sql/pglite-tools@${build.toolsVersion}`;
}

/** Whether a major's PGlite and pg_dump packages are installed (they are optional dependencies). */
export function isInstalled(build: EmbeddedBuild): boolean {
  try {
    require.resolve(build.pglitePackage);
    require.resolve(`${build.toolsPackage}/pg_dump`);
    return true;
  } catch {
    return false;
  }
}

/** A clear error when a major's packages are missing (optional dependencies skipped, or pruned). */
export function missingBuildError(build: EmbeddedBuild): EngineError {
  return new EngineError(
    `the embedded Postgres ${build.major} is not installed (packages ${build.pglitePackage} and ${build.toolsPackage} were not found)`,
    `add it with: ${installCommand(build)}  (they are optional dependencies of pgdrift; an install with --omit=optional leaves them out), or choose another major with --pg`,
  );
}

/** The PGlite class of a major, imported only when that major is chosen. */
export async function importPglite(build: EmbeddedBuild): Promise<typeof PGlite> {
  return (await importPgliteModule(build)).PGlite;
}

/** The chosen major's PGlite class and its in-memory file system class (pglite-state.ts builds on it). */
export async function importPgliteModule(build: EmbeddedBuild): Promise<{ PGlite: typeof PGlite; MemoryFS: MemoryFsClass }> {
  if (!isInstalled(build)) throw missingBuildError(build);
  return (await import(build.pglitePackage)) as { PGlite: typeof PGlite; MemoryFS: MemoryFsClass };
}

/** The extension bundles a run needs, imported from the chosen major's package, keyed by their export name. */
export async function importExtensions(build: EmbeddedBuild, names: string[]): Promise<Record<string, unknown>> {
  const extensions: Record<string, unknown> = {};
  for (const name of names) {
    const { subpath, exportName } = build.extensions[name];
    const module = (await import(`${build.pglitePackage}/${subpath}`)) as Record<string, unknown>;
    extensions[exportName] = module[exportName];
  }
  return extensions;
}

type PgDump = (options: { pg: PGlite; args?: string[] }) => Promise<File>;

/** The chosen major's pg_dump. pglite-tools 0.2.2 prints "easywasi" to stdout when loaded: kept off our stdout. */
export async function importPgDump(build: EmbeddedBuild): Promise<PgDump> {
  const log = console.log;
  console.log = () => {};
  try {
    const module = (await import(`${build.toolsPackage}/pg_dump`)) as { pgDump: PgDump };
    return module.pgDump;
  } finally {
    console.log = log;
  }
}

/** The installed version of a package (package.json is not always exported, so it is found next to the entry). */
export function installedVersion(specifier: string): string | undefined {
  try {
    let dir = path.dirname(require.resolve(specifier));
    while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}
