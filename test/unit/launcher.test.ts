import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * A copy of the launcher beside a stand-in CLI whose main() runs `main`: as main.cjs (what the launcher compiles
 * with V8's code cache) and as the ES module build main.js (its fallback), each saying which one ran.
 */
function launch(main: string, env: Record<string, string> = {}, dir = mkdtempSync(path.join(root, 'case-'))): Promise<{ code: number; stderr: string; stdout: string; dir: string }> {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  mkdirSync(path.join(dir, 'dist', 'cli-bundle'), { recursive: true });
  copyFileSync(path.join(REPO_ROOT, 'bin', 'pgdrift.js'), path.join(dir, 'bin', 'pgdrift.js'));
  copyFileSync(path.join(REPO_ROOT, 'bin', 'package.json'), path.join(dir, 'bin', 'package.json')); // the launcher is CommonJS
  copyFileSync(path.join(REPO_ROOT, 'bin', 'commands.json'), path.join(dir, 'bin', 'commands.json'));
  writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
  writeFileSync(path.join(dir, 'dist', 'cli-bundle', 'main.cjs'), `exports.main = async function main(argv) {\nprocess.stdout.write('cjs ');\n${main}\n};\n`);
  writeFileSync(path.join(dir, 'dist', 'cli-bundle', 'main.js'), `export async function main(argv) {\nprocess.stdout.write('esm ');\n${main}\n}\n`);
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(dir, 'bin', 'pgdrift.js'), 'check'], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stderr, stdout, dir });
    });
  });
}

const outcome = ({ code, stderr, stdout }: { code: number; stderr: string; stdout: string }) => ({ code, stderr, stdout });

describe('bin/pgdrift.js', () => {
  it('a command that never settles ends with exit 4 and says so, not exit 0', async () => {
    const result = await launch('await new Promise(() => {});');
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/internal error: the command stopped before it finished/);
  });

  it('a command that finishes keeps its own exit code (0, or 1 for drift)', async () => {
    expect(outcome(await launch('return;'))).toEqual({ code: 0, stderr: '', stdout: 'cjs ' });
    expect(outcome(await launch('process.exitCode = 1;'))).toEqual({ code: 1, stderr: '', stdout: 'cjs ' });
  });

  it('an explicit process.exit (yargs after --help) is not taken for an unfinished command', async () => {
    expect(outcome(await launch('process.exit(0);'))).toEqual({ code: 0, stderr: '', stdout: 'cjs ' });
  });

  it("runs the CommonJS build with V8's code cache of the command's last run, written once and then used", async () => {
    const first = await launch('return;');
    const cache = path.join(first.dir, 'dist', 'cli-bundle', '.code-cache', 'check.v8cache');
    expect(statSync(cache).size).toBeGreaterThan(0);
    const written = statSync(cache).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outcome(await launch('return;', {}, first.dir))).toEqual({ code: 0, stderr: '', stdout: 'cjs ' });
    expect(statSync(cache).mtimeMs).toBe(written); // accepted by V8, so not written again
    writeFileSync(cache, 'not a code cache');
    await launch('return;', {}, first.dir);
    expect(statSync(cache).size).toBeGreaterThan(100); // rejected, so written again
  });

  it('PGDRIFT_NO_CODE_CACHE=1 runs the ES module build instead', async () => {
    expect(outcome(await launch('return;', { PGDRIFT_NO_CODE_CACHE: '1' }))).toEqual({ code: 0, stderr: '', stdout: 'esm ' });
  });

  it('an unbuilt install says how to build, exit 2', async () => {
    const dir = mkdtempSync(path.join(root, 'unbuilt-'));
    mkdirSync(path.join(dir, 'bin'));
    copyFileSync(path.join(REPO_ROOT, 'bin', 'pgdrift.js'), path.join(dir, 'bin', 'pgdrift.js'));
    copyFileSync(path.join(REPO_ROOT, 'bin', 'package.json'), path.join(dir, 'bin', 'package.json')); // the launcher is CommonJS
    copyFileSync(path.join(REPO_ROOT, 'bin', 'commands.json'), path.join(dir, 'bin', 'commands.json'));
    writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
    const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [path.join(dir, 'bin', 'pgdrift.js'), 'check'], (error, _stdout, stderr) => resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stderr })),
    );
    expect(result).toEqual({ code: 2, stderr: expect.stringMatching(/the CLI is not built yet; run `npm run build`/) });
  });
});
