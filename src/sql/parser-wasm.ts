import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * How the CLI bundle loads libpg-query's WebAssembly (scripts/bundle-cli.mjs passes these options to libpg-query's
 * Emscripten factory; the library build, dist/index.js, uses libpg-query as published).
 *
 * Why: libpg-query reads its 1.7 MB .wasm with fs.promises.readFile and compiles it with WebAssembly.instantiate,
 * a chain of callbacks that each wait for the main thread; a command's main thread is busy loading and setting up
 * modules for its first ~90 ms, so the parser was ready only ~15 ms after the command first needed it (`lint` of
 * 30 files sat idle that long). The launcher (bin/pgdrift.js) now starts WebAssembly.compile on V8's background
 * threads before it loads the bundle, and the instance is made here from that compile. Without the launcher's
 * compile (a library caller of the bundle, the engine's worker thread), or when it failed, the module is compiled
 * here, from the file libpg-query ships.
 */

// The WebAssembly API, as far as used here (the project's TypeScript lib has no DOM types, where it is declared)
type WasmModule = object;
type WasmInstance = object;
type WasmImports = object;
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule>; Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance };
};

/** Where the launcher leaves its compile (a Promise<WasmModule>, already marked handled). */
const LAUNCHER_COMPILE = Symbol.for('pgdrift.libpg-query.wasm');

let instance: Promise<WasmInstance> | undefined;

function compileHere(): Promise<WasmModule> {
  const file = createRequire(import.meta.url).resolve('libpg-query/wasm/libpg-query.wasm');
  return WebAssembly.compile(readFileSync(file));
}

function compiledModule(): Promise<WasmModule> {
  const early = (globalThis as Record<symbol, unknown>)[LAUNCHER_COMPILE] as Promise<WasmModule> | undefined;
  try {
    return early ? early.catch(compileHere) : compileHere();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The Emscripten module options the CLI bundle hands libpg-query (its factory runs when libpg-query loads). */
export function libpgQueryModuleOptions(): { instantiateWasm(imports: WasmImports, done: (instance: WasmInstance) => void): object } {
  return {
    instantiateWasm(imports, done) {
      instance = compiledModule().then((module) => new WebAssembly.Instance(module, imports));
      instance.then(done, () => {}); // a failure is reported by parserWasmReady (libpg-query would only wait forever)
      return {}; // Emscripten: the exports come later, through `done`
    },
  };
}

/**
 * Settles when the instance made above is ready, and rejects with the reason when it could not be made: loadSqlParser
 * awaits it beside libpg-query's own loadModule, which never settles in that case. Resolves at once outside the
 * CLI bundle (libpg-query then loads its WebAssembly itself and reports its own failures).
 */
export function parserWasmReady(): Promise<unknown> {
  return instance ?? Promise.resolve();
}
