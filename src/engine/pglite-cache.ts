import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A cache of PGlite's freshly initialised data directory: a cold PGlite.create() runs initdb (4-6 s), loading
 * the tarball takes ~1.3 s. The file name carries the SHA-256 of its content, so a torn or corrupt file is
 * detected on read; writes go to a temporary file renamed into place, so concurrent runs never see half a file.
 */
export interface DataDirCache {
  read(key: string): Buffer | undefined;
  /** The key of the most recently used entry whose key starts with `prefix`. */
  newestKey(prefix: string): string | undefined;
  write(key: string, data: Buffer): void;
  /** removes every entry of a key (used when a cached data dir fails to load) */
  evict(key: string): void;
  readonly dir: string;
  /** true when the last read() found (and removed) a corrupt entry */
  readonly lastReadFoundCorrupt: boolean;
}

export function defaultCacheDir(projectRoot?: string): string {
  if (process.env.PGDRIFT_CACHE_DIR) return path.resolve(process.env.PGDRIFT_CACHE_DIR);
  if (projectRoot && existsSync(path.join(projectRoot, 'node_modules'))) return path.join(projectRoot, 'node_modules', '.cache', 'pgdrift');
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'pgdrift');
}

export function openDataDirCache(dir: string): DataDirCache {
  return openBlobCache(dir, 'tgz');
}

/** The same content-checked, atomically written store for any kind of blob (`ext`: tgz data dirs, json replays). */
export function openBlobCache(dir: string, ext: string): DataDirCache {
  const suffix = `.${ext}`;
  const entriesOf = (key: string, exact = true) => {
    try {
      return readdirSync(dir).filter((name) => name.startsWith(exact ? `${key}.` : key) && name.endsWith(suffix));
    } catch {
      return [];
    }
  };
  let lastReadFoundCorrupt = false;
  return {
    dir,
    get lastReadFoundCorrupt() {
      return lastReadFoundCorrupt;
    },
    read(key) {
      lastReadFoundCorrupt = false;
      for (const name of entriesOf(key)) {
        const expected = name.slice(key.length + 1, -suffix.length);
        let data: Buffer;
        try {
          data = readFileSync(path.join(dir, name));
        } catch {
          continue;
        }
        if (sha256(data).slice(0, expected.length) === expected && expected.length >= 16) {
          touch(path.join(dir, name));
          return data;
        }
        lastReadFoundCorrupt = true;
        rmSync(path.join(dir, name), { force: true }); // corrupt: drop it, the caller rebuilds
      }
      return undefined;
    },
    newestKey(prefix) {
      let newest: { key: string; used: number } | undefined;
      for (const name of entriesOf(prefix, false)) {
        try {
          const used = statSync(path.join(dir, name)).mtimeMs;
          // `<key>.<sha256 prefix><suffix>`
          if (!newest || used > newest.used) newest = { key: name.slice(0, name.lastIndexOf('.', name.length - suffix.length - 1)), used };
        } catch {
          /* removed meanwhile by a concurrent run */
        }
      }
      return newest?.key;
    },
    write(key, data) {
      mkdirSync(dir, { recursive: true });
      const final = path.join(dir, `${key}.${sha256(data).slice(0, 32)}${suffix}`);
      const temporary = path.join(dir, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      writeFileSync(temporary, data);
      renameSync(temporary, final);
    },
    evict(key) {
      for (const name of entriesOf(key)) rmSync(path.join(dir, name), { force: true });
    },
  };
}

/**
 * Keeps the entries whose names start with one of `prefixes` under `maxBytes` in total, deleting the least recently
 * used first (a read refreshes an entry's mtime). Temporary files of crashed runs older than an hour go too.
 */
export function pruneCache(dir: string, prefixes: string[], maxBytes: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const entries = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const stat = statSync(file);
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        if (Date.now() - stat.mtimeMs > 3600_000) rmSync(file, { force: true });
        continue;
      }
      if (prefixes.some((prefix) => name.startsWith(prefix))) entries.push({ file, size: stat.size, used: stat.mtimeMs });
    } catch {
      /* removed meanwhile by a concurrent run */
    }
  }
  entries.sort((a, b) => b.used - a.used);
  let total = 0;
  for (const entry of entries) {
    total += entry.size;
    if (total > maxBytes) rmSync(entry.file, { force: true });
  }
}

/** Marks an entry as just used, for pruneCache's least-recently-used order. */
export function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    /* a read-only cache only loses ordering */
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
