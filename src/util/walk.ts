import { readdirSync } from 'node:fs';
import path from 'node:path';
import { countWork } from './work-count.js';

export interface SourceWalk {
  /** folders never entered, by name (dot folders never are) */
  skipFolder?: (name: string) => boolean;
  /** the files that count, and are handed to `onFile` */
  accept: (name: string) => boolean;
  /** at most this many accepted files: a bound on reading a large repository's sources */
  maxFiles: number;
  /** how many folder levels below `root` are entered (default: all) */
  maxDepth?: number;
  /** each folder listed (`root` first), before its files: a reader that keeps the walk can stamp them */
  onFolder?: (dir: string) => void;
}

/**
 * Every accepted file below `root` (absolute paths), depth first, leaving out dot folders and those `skipFolder` names; stops after
 * `maxFiles` accepted files. For the readers that look through a project for a runner's files (go-embed.ts,
 * sqlx-macro.ts, sql-migrate.ts, liquibase.ts): unreadable folders are passed over.
 */
export function forEachSourceFile(root: string, walk: SourceWalk, onFile: (file: string) => void): void {
  countWork('foldersWalked', root);
  let budget = walk.maxFiles;
  const maxDepth = walk.maxDepth ?? Number.POSITIVE_INFINITY;
  const visit = (dir: string, depth: number) => {
    walk.onFolder?.(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (budget <= 0) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth && !entry.name.startsWith('.') && !walk.skipFolder?.(entry.name)) visit(full, depth + 1);
      } else if (walk.accept(entry.name)) {
        budget--;
        onFile(full);
      }
    }
  };
  visit(root, 0);
}
