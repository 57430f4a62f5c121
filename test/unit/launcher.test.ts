import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * bin/pgdrift.js with a stand-in for the bundled CLI: the launcher's own rule is that a command which never
 * settles (its work waiting on a worker or socket that no longer keeps Node running) must not end as exit 0 with
 * no verdict, a false "clean" for a CI gate.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-launcher-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function launch(main: string): Promise<{ code: number; stderr: string }> {
  const dir = mkdtempSync(path.join(root, 'case-'));
  mkdirSync(path.join(dir, 'bin'));
  mkdirSync(path.join(dir, 'dist', 'cli-bundle'), { recursive: true });
  copyFileSync(path.join(REPO_ROOT, 'bin', 'pgdrift.js'), path.join(dir, 'bin', 'pgdrift.js'));
  writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
  writeFileSync(path.join(dir, 'dist', 'cli-bundle', 'main.js'), `export async function main(argv) {\n${main}\n}\n`);
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(dir, 'bin', 'pgdrift.js'), 'check'], (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stderr });
    });
  });
}

describe('bin/pgdrift.js', () => {
  it('a command that never settles ends with exit 4 and says so, not exit 0', async () => {
    const result = await launch('await new Promise(() => {});');
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/internal error: the command stopped before it finished/);
  });

  it('a command that finishes keeps its own exit code (0, or 1 for drift)', async () => {
    expect(await launch('return;')).toEqual({ code: 0, stderr: '' });
    expect(await launch('process.exitCode = 1;')).toEqual({ code: 1, stderr: '' });
  });

  it('an explicit process.exit (yargs after --help) is not taken for an unfinished command', async () => {
    expect(await launch('process.exit(0);')).toEqual({ code: 0, stderr: '' });
  });
});
