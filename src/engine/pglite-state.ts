import { parseTar, type ParsedTarFileItem } from 'nanotar';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { PGlite } from '@electric-sql/pglite';
import { EngineError } from '../errors.js';

/**
 * Saved PGlite data directories (the data-dir cache's fresh clusters, the replay cache's prefix states) in and out.
 *
 * In: PGlite's own `loadDataDir` copies the tar through a Blob and creates each of its files by path, asking
 * Emscripten's FS for every parent folder of every file first: for a 1,000-table state (9,000 files) that was
 * ~2.5 s of the engine's 4.4 s start (measured, CPU profile: analyzePath, normalize, lookupPath, Blob reads).
 * stateFileSystem() hands PGlite a MemoryFS that already holds the files when PGlite looks for a data directory
 * (PGlite then resumes it, as it does a persisted one): each folder made once, each file's bytes taken over from
 * the tar without a copy.
 *
 * Out: savedState() analyzes the catalogs, checkpoints, and leaves out the WAL segments no start needs (recycled
 * ones kept for reuse, any before the checkpoint's redo point): 3 of the 4 16 MB segments of that state, half of its
 * compressed size.
 */

/** The part of Emscripten's FS API used here. */
interface EmscriptenFs {
  mkdir(path: string): void;
  readdir(path: string): string[];
  unlink(path: string): void;
  writeFile(path: string, data: Uint8Array, options?: { canOwn?: boolean }): void;
}

/** PGlite's in-memory file system class, as each build exports it. */
export interface MemoryFsClass {
  new (): { init(pg: PGlite, options: object): Promise<{ emscriptenOpts: object }>; initialSyncFs(): Promise<void> };
}

/**
 * A PGlite `fs` that starts with the data directory of `tar` at `dataDirPath` (the build's PGDATA). `tar` must
 * be this call's own bytes: PGlite's files keep views of it and write into them.
 */
export function stateFileSystem(MemoryFS: MemoryFsClass, dataDirPath: string, tar: Uint8Array): object {
  const entries: ParsedTarFileItem[] = parseTar(ownArrayBuffer(tar));
  class PreloadedFs extends MemoryFS {
    private pg?: PGlite;
    override async init(pg: PGlite, options: object) {
      this.pg = pg;
      return super.init(pg, options);
    }
    override async initialSyncFs() {
      await super.initialSyncFs();
      // the Emscripten module PGlite has just instantiated; its FS is empty until now
      const fs = (this.pg as unknown as { Module: { FS: EmscriptenFs } }).Module.FS;
      writeEntries(fs, dataDirPath, entries);
    }
  }
  return new PreloadedFs();
}

function writeEntries(fs: EmscriptenFs, root: string, entries: ParsedTarFileItem[]): void {
  const made = new Set<string>();
  const folder = (path: string) => {
    if (made.has(path)) return;
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (parent) folder(parent);
    try {
      fs.mkdir(path);
    } catch {
      // exists already (the root's parents are part of PGlite's own tree)
    }
    made.add(path);
  };
  for (const entry of entries) {
    // names are relative to the data directory (PGlite writes "/base/5/1259", nanotar strips the leading slash)
    const path = `${root}/${entry.name.replace(/\/$/, '')}`;
    if (entry.type === 'directory') {
      folder(path);
    } else if (entry.type === 'file') {
      folder(path.slice(0, path.lastIndexOf('/')));
      // canOwn: the file's contents become a view of the tar instead of a copy of it
      fs.writeFile(path, entry.data ?? new Uint8Array(0), { canOwn: true });
    } else {
      throw new Error(`unexpected ${entry.type} entry ${entry.name} in a saved data directory`);
    }
  }
  if (!made.has(root)) folder(root);
}

/**
 * A saved data directory (gzip on disk) as the plain tar the engine starts from, in a buffer of its own (the
 * engine's files become views of it). Decompressed into one buffer sized by the gzip trailer's length field: in
 * 16 KB chunks, zlib spent a third of a 127 MB state's decompression concatenating them (measured: 300 → 200 ms).
 */
export function tarBytes(data: Uint8Array): Uint8Array {
  const gzip = data.length > 18 && data[0] === 0x1f && data[1] === 0x8b;
  // the trailer holds the length modulo 2^32: only a size hint (a wrong one costs speed, not correctness)
  const length = gzip ? Buffer.from(data.buffer, data.byteOffset, data.byteLength).readUInt32LE(data.byteLength - 4) : 0;
  const tar = gzip ? gunzipSync(data, length > 0 ? { chunkSize: Math.max(length + 1, 64 * 1024) } : {}) : new Uint8Array(data);
  // Bytes that are not a tar must fail here, as this start's error, not somewhere inside PGlite.
  const magic = Buffer.from(tar.subarray(257, 262)).toString('latin1');
  if (magic !== 'ustar') throw new EngineError('the saved data directory is not a tar archive');
  return tar;
}

/**
 * nanotar reads `data.buffer` from its start (and stops at the archive's end blocks): a view that starts
 * elsewhere is copied to a buffer of its own.
 */
function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : (bytes.slice().buffer as ArrayBuffer);
}

/**
 * The engine's data directory as a gzipped tar for the cache: checkpointed first (a start from it then has no WAL
 * to redo), and without the WAL segments outside [the redo point's segment, the current insert segment]. Those are
 * removed from the engine's file system first, as Postgres's own checkpointer removes old ones: a later segment
 * switch creates the segment it needs when no recycled file is there.
 */
export async function savedState(pg: PGlite, dataDirPath: string): Promise<Buffer> {
  await analyzeCatalogs(pg);
  await pg.exec('CHECKPOINT');
  const wal = (
    await pg.query<{ first: string; last: string }>(
      'SELECT redo_wal_file AS first, pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_insert_lsn()) AS last FROM pg_catalog.pg_control_checkpoint()',
    )
  ).rows[0];
  const fs = (pg as unknown as { Module: { FS: EmscriptenFs } }).Module.FS;
  const walDir = `${dataDirPath}/pg_wal`;
  for (const name of fs.readdir(walDir)) {
    if (/^[0-9A-F]{24}$/.test(name) && (name < wal.first || name > wal.last)) fs.unlink(`${walDir}/${name}`);
  }
  const tar = new Uint8Array(await (await pg.dumpDataDir('none')).arrayBuffer());
  // level 1: a state is written after a long replay, on its critical path; measured on a 1,000-table state,
  // level 6 took 3x as long (1.7 vs 0.54 s) for 18% less (8.7 vs 10.6 MB), and PGlite's own gzip 2.5 s
  return gzipSync(tar, { level: 1 });
}

/**
 * Fresh planner statistics for the system catalogs, kept in the state. A replay grows them from initdb's size with
 * no autovacuum to notice, and pg_dump's catalog queries planned on initdb-time statistics: measured on the 1,000-
 * table state, its dump took 3.4-3.9 s before and 2.4-3.0 s after (ANALYZE itself: ~1.4 s, paid once per save).
 * Only planner statistics change; the schema and its dump are the same.
 */
async function analyzeCatalogs(pg: PGlite): Promise<void> {
  const catalogs = await pg.query<{ name: string }>(
    `SELECT 'pg_catalog.' || pg_catalog.quote_ident(relname) AS name FROM pg_catalog.pg_class
      WHERE relnamespace = 'pg_catalog'::pg_catalog.regnamespace AND relkind = 'r' ORDER BY relname`,
  );
  await pg.exec(`ANALYZE ${catalogs.rows.map((row) => row.name).join(', ')}`);
}
