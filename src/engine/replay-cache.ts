import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { StatementNode } from '../sql/ast.js';
import { doBlockBody, doBlockContents } from '../sql/do-block.js';
import type { ParsedStatement } from '../sql/parse.js';
import type { ReplayReport } from '../replay/types.js';
import { openBlobCache, pruneCache } from './pglite-cache.js';

/**
 * The replay cache: what a replay produced, reused when nothing it depends on changed.
 * - `replay-<key>.json`: the dump and report of a whole history (key = engine build, runner, mode, every file's
 *   content, extensions), so an unchanged re-check starts no engine at all;
 * - `state-<key>.tgz`: PGlite's data directory after a prefix of the history, so a history that only appends
 *   files loads it and applies the rest.
 * Entries are content-hash checked on read and written atomically (pglite-cache.ts); the folder is size-bounded.
 */

/** One file of the history, as the cache needs to know it. */
export interface CacheFile {
  role: 'baseline' | 'migration';
  file: string;
  text: string;
  statements?: ParsedStatement[];
  /** why the file cannot run although its text could (a runner's refusal, e.g. a byte order mark the text lacks) */
  refused?: string;
  /** the file after it runs in its transaction (MigrationFile.sameTransaction): a state saved after it is no commit point */
  joinsNext?: boolean;
}

/** What, besides the files, decides what a replay produces. */
export interface ReplayIdentity {
  /** the engine build, e.g. pglite0.5.8-pgdump0.4.8-pg18 */
  engine: string;
  runner: string;
  mode: string;
  order: string;
  keepGoing: boolean;
  extensions: string[];
}

/** 2: a history starts with the runner's bookkeeping table (a replay cached before it lacks the table). */
const FORMAT = 2;
/** pgdrift's own version: a new release may post-process dumps differently, so it never reuses an older one's. */
const PGDRIFT_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
/** Default bound of the cache folder's replay entries (PGDRIFT_CACHE_MAX_MB overrides). */
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/** keys[i] identifies the state after files[0..i]: a hash chain over the identity and each file's role, name, content. */
export function prefixKeys(identity: ReplayIdentity, files: CacheFile[]): string[] {
  let previous = sha256(JSON.stringify({ format: FORMAT, pgdrift: PGDRIFT_VERSION, ...identity, extensions: [...identity.extensions].sort() }));
  const keys: string[] = [];
  for (const file of files) {
    previous = sha256(`${previous}\0${file.role}\0${file.file}\0${sha256(file.text)}${file.refused === undefined ? '' : `\0refused\0${sha256(file.refused)}`}${file.joinsNext ? '\0joins-next' : ''}`);
    keys.push(previous.slice(0, 40));
  }
  return keys;
}

/**
 * Index of the first file that leaves session state behind (SET without LOCAL, PREPARE, LISTEN, temporary objects,
 * cursors WITH HOLD, set_config, a DO block that may SET): the files after it ran in a session a fresh instance
 * loaded from a saved data directory would not reproduce, so a reusable prefix ends before it.
 */
export function sessionStateBarrier(files: CacheFile[]): number {
  const index = files.findIndex((file) => file.statements === undefined || file.statements.some(leavesSessionState));
  return index === -1 ? files.length : index;
}

function leavesSessionState(statement: StatementNode): boolean {
  switch (statement.kind) {
    case 'VariableSetStmt':
      return !statement.ast.is_local;
    case 'PrepareStmt':
    case 'ListenStmt':
    case 'DeclareCursorStmt':
    case 'DiscardStmt':
      return true;
    case 'CreateStmt':
      return statement.ast.relation?.relpersistence === 't';
    case 'CreateSeqStmt':
      return statement.ast.sequence?.relpersistence === 't';
    case 'CreateTableAsStmt':
      return statement.ast.into?.rel?.relpersistence === 't';
    case 'ViewStmt':
      return statement.ast.view?.relpersistence === 't';
    case 'DoStmt':
      return doBlockLeavesSessionState(statement.ast);
    default:
      return JSON.stringify(statement.ast ?? {}).includes('"set_config"');
  }
}

/**
 * A DO block, read through libpg-query's PL/pgSQL parser (do-block.ts): a SET (non-LOCAL) or set_config among its
 * SQL statements, any dynamic EXECUTE (unknowable), or a body that does not parse as PL/pgSQL counts. `set_config`
 * anywhere in the body counts too (a PERFORM or an assignment calls it outside any SQL statement). A false positive
 * only costs reuse.
 */
function doBlockLeavesSessionState(ast: unknown): boolean {
  const contents = doBlockContents(ast);
  if (!contents || doBlockBody(ast)!.includes('set_config')) return true;
  return contents.dynamic.length > 0 || contents.statements.some((statement) => statement === undefined || leavesSessionState(statement));
}

export interface CachedReplay {
  dump: string;
  report: ReplayReport;
}

export function openReplayCache(dir: string) {
  const replays = openBlobCache(dir, 'json');
  const states = openBlobCache(dir, 'tgz');
  return {
    dir,
    readReplay(key: string): CachedReplay | undefined {
      const data = replays.read(`replay-${key}`);
      if (!data) return undefined;
      try {
        const parsed = JSON.parse(data.toString('utf8')) as CachedReplay & { format: number };
        return parsed.format === FORMAT && typeof parsed.dump === 'string' ? { dump: parsed.dump, report: parsed.report } : undefined;
      } catch {
        replays.evict(`replay-${key}`);
        return undefined;
      }
    },
    writeReplay(key: string, value: CachedReplay): void {
      bestEffort(() => replays.write(`replay-${key}`, Buffer.from(JSON.stringify({ format: FORMAT, ...value }))));
    },
    /** the longest saved prefix among keys[0..limit): how many files it covers and its data directory */
    longestState(keys: string[], limit: number): { files: number; key: string; data: Buffer } | undefined {
      for (let count = Math.min(limit, keys.length); count >= 1; count--) {
        const data = states.read(`state-${keys[count - 1]}`);
        if (data) return { files: count, key: keys[count - 1], data };
      }
      return undefined;
    },
    readState(key: string): Buffer | undefined {
      return states.read(`state-${key}`);
    },
    writeState(key: string, data: Buffer): void {
      bestEffort(() => states.write(`state-${key}`, data));
    },
    evictState(key: string): void {
      states.evict(`state-${key}`);
    },
    prune(): void {
      const mb = Number(process.env.PGDRIFT_CACHE_MAX_MB);
      bestEffort(() => pruneCache(dir, ['replay-', 'state-'], Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : DEFAULT_MAX_BYTES));
    },
  };
}

export type ReplayCache = ReturnType<typeof openReplayCache>;

/** A cache folder that cannot be written only costs speed. */
function bestEffort(write: () => void): void {
  try {
    write();
  } catch {
    /* read-only or full */
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
