import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileSystemError, InputError, osFault } from '../errors.js';
import { lazyBuiltin } from './lazy-builtin.js';

const crypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');

/** Writes a file atomically (temporary file in the same folder, then rename): an interrupted run leaves the old file. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  writeFilesAtomic([[file, content]]);
}

/**
 * Writes several files as one step: every content goes to a temporary file beside its target first, and only
 * when all are written are they renamed over the targets. A failure while writing (disk full, file too large,
 * a folder in the way) removes the temporary files and leaves every old file as it was; the error names the file.
 */
export function writeFilesAtomic(files: ReadonlyArray<readonly [file: string, content: string | Uint8Array]>): void {
  const staged: Array<{ file: string; temporary: string }> = [];
  const streams: Array<readonly [file: string, content: string | Uint8Array]> = [];
  let current = '';
  try {
    for (const [file, content] of files) {
      current = file;
      if (isStream(file)) {
        streams.push([file, content]);
        continue;
      }
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`);
      staged.push({ file, temporary });
      writeFileSync(temporary, content);
    }
  } catch (error) {
    for (const { temporary } of staged) rmSync(temporary, { force: true });
    throw writeError(current, error);
  }
  for (let i = 0; i < staged.length; i++) {
    try {
      renameSync(staged[i].temporary, staged[i].file);
    } catch (error) {
      for (const { temporary } of staged.slice(i)) rmSync(temporary, { force: true });
      throw writeError(staged[i].file, error);
    }
  }
  for (const [file, content] of streams) {
    try {
      writeFileSync(file, content);
    } catch (error) {
      throw writeError(file, error);
    }
  }
}

/**
 * A target that is a device, a pipe or a socket (`-o /dev/null`, `-o /dev/stdout`, a FIFO), itself or through a
 * link: written to as it is. A rename would replace it with a regular file (as root, /dev/null itself), and there is
 * no old content to keep.
 */
function isStream(file: string): boolean {
  try {
    const stat = statSync(file);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false; // a new file (or a dangling link): written atomically
  }
}

/** An OS fault as a FileSystemError naming the target (exit 2); anything else keeps its reason. */
function writeError(file: string, error: any): Error {
  const typed = osFault(error, file, 'write');
  if (typed instanceof FileSystemError) return typed;
  return new InputError(`cannot write ${file}: ${error?.code ?? error?.message ?? String(error)}; the previous file, if any, is unchanged`);
}

/**
 * A file's or folder's stamp for the caches that keep what was read from it while it is unchanged (settings files,
 * the recipes of a project, a walk of its sources): inode, size and change times; `missing` when there is none. A
 * folder's changes when an entry is added, removed or renamed.
 */
export function fileStamp(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  } catch {
    return 'missing';
  }
}
