import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/util/fs.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * The read end of the pipe, opened without blocking so the write's open finds a reader (a blocking open, or a
 * stream opened later on the event loop, would wait forever behind the synchronous write); `read` returns what
 * arrived (the content is far below the pipe's buffer).
 */
function reader(fifo: string): { read: () => string } {
  const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  return {
    read: () => {
      const buffer = Buffer.alloc(4096);
      const length = readSync(fd, buffer, 0, buffer.length, null);
      closeSync(fd);
      return buffer.subarray(0, length).toString('utf8');
    },
  };
}

// field: `pgdrift dump -o /dev/null` run as root renamed a temporary file over /dev/null, which became a regular file
// (every later `> /dev/null` of other users then failed); a pipe or a device is written to as it is, not replaced
it.each([
  ['a named pipe', (fifo: string) => fifo],
  ['a link to a named pipe (like /dev/stdout)', (fifo: string) => {
    const link = `${fifo}-link`;
    symlinkSync(fifo, link);
    return link;
  }],
])('%s stays what it is and receives the content', (_name, target) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'pgdrift-fifo-'));
  folders.push(folder);
  const fifo = path.join(folder, 'out.pipe');
  execFileSync('mkfifo', [fifo]);
  const file = target(fifo);
  const pipe = reader(fifo);
  writeFileAtomic(file, 'CREATE TABLE t ();\n');
  expect(pipe.read()).toBe('CREATE TABLE t ();\n');
  expect(statSync(fifo).isFIFO()).toBe(true);
});
