import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { osFault } from '../errors.js';

/**
 * Writes a file atomically (temporary file in the same folder, then rename): an interrupted run leaves the old file.
 * An OS fault (read-only folder, disk full, a folder in the way) is a FileSystemError naming `file` (exit 2).
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw osFault(error, path.dirname(file), 'create');
  }
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw osFault(error, file, 'write');
  }
}
