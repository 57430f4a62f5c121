import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { libpgQueryModuleOptions, parserWasmReady } from '../../src/sql/parser-wasm.js';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * src/sql/parser-wasm.ts: in the CLI bundle, libpg-query's WebAssembly instance is made from the compile the launcher
 * (bin/pgdrift.js) starts before it loads the bundle; without it, or when it failed, from the file libpg-query ships;
 * and a failure is reported instead of waited on forever.
 */
const LAUNCHER_COMPILE = Symbol.for('pgdrift.libpg-query.wasm');
const slot = globalThis as Record<symbol, unknown>;
afterEach(() => {
  delete slot[LAUNCHER_COMPILE];
});

// WebAssembly is a value at run time; the project's TypeScript lib set has no DOM types, where it is declared
const Wasm = (globalThis as unknown as { WebAssembly: { Module: WasmModuleClass } }).WebAssembly;
interface WasmModuleClass {
  new (bytes: Uint8Array): object;
  imports(module: object): { module: string; name: string }[];
}

/** The smallest valid WebAssembly module (no imports, no exports): a stand-in compile of the launcher. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

describe('the parser WebAssembly of the CLI bundle', () => {
  it("instantiates the launcher's compile when there is one", async () => {
    const launcherModule = new Wasm.Module(EMPTY_MODULE);
    slot[LAUNCHER_COMPILE] = Promise.resolve(launcherModule);
    let handed: object | undefined;
    libpgQueryModuleOptions().instantiateWasm({}, (made) => (handed = made));
    const instance = (await parserWasmReady()) as { exports: object };
    // the empty module's instance (no exports; libpg-query's has its memory and functions), handed to libpg-query
    expect(Object.keys(instance.exports)).toEqual([]);
    expect(handed).toBe(instance);
  });

  it("compiles libpg-query's own file when the launcher's compile failed, and reports what then fails", async () => {
    const failed = Promise.reject(new Error('launcher could not compile'));
    failed.catch(() => {});
    slot[LAUNCHER_COMPILE] = failed;
    // libpg-query's real module, given no imports: made from its own file (not the failed compile), and refused
    libpgQueryModuleOptions().instantiateWasm({}, () => {
      throw new Error('done must not be called');
    });
    await expect(parserWasmReady()).rejects.toThrow(/Import #0 .*module is not an object/);
  });

  it("compiles libpg-query's own file when no launcher started one", async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('libpg-query/wasm/libpg-query.wasm'));
    const imports = Object.fromEntries(Wasm.Module.imports(new Wasm.Module(wasm)).map((entry) => [entry.module, {}]));
    libpgQueryModuleOptions().instantiateWasm(imports, () => {});
    // libpg-query's module was compiled (its imports are named in the refusal), not the empty stand-in
    await expect(parserWasmReady()).rejects.toThrow(/Import #0 module="a" function="\w+"/);
  });

  it('the bundled CLI parses with it: lint of a file with a syntax error names its line and column', async () => {
    const bundle = readFileSync(path.join(REPO_ROOT, 'dist', 'cli-bundle', 'main.cjs'), 'utf8');
    expect(bundle).toContain('libpgQueryModuleOptions()'); // the build's plugin handed libpg-query the options
    const project = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-parser-wasm-'));
    try {
      mkdirSync(path.join(project, 'migrations'));
      writeFileSync(path.join(project, 'migrations', '0001_a.sql'), 'CREATE TABLE a (id int);\nCREATE TABLE b (id int,, x text);\n');
      const stdout = await new Promise<string>((resolve) =>
        execFile(process.execPath, [path.join(REPO_ROOT, 'bin', 'pgdrift.js'), 'lint', '-q', '-C', project, '--format', 'json'], (_error, out) => resolve(out)),
      );
      expect(JSON.parse(stdout).findings).toEqual([expect.objectContaining({ rule: 'syntax-error', file: 'migrations/0001_a.sql', line: 2, column: 24 })]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
