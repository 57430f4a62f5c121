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

/**
 * The Emscripten module libpg-query made from the options below: Emscripten fills the options object itself in (its
 * MODULARIZE factory's `Module` is the argument), so after the load it holds the exports parseToJson calls.
 */
interface EmscriptenParser {
  HEAPU8?: Uint8Array;
  _malloc?(size: number): number;
  _free?(pointer: number): void;
  _wasm_parse_query_raw?(query: number): number;
  _wasm_free_parse_result?(result: number): void;
}
let emscripten: EmscriptenParser | undefined;

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
  return (emscripten = {
    instantiateWasm(imports, done) {
      instance = compiledModule().then((module) => new WebAssembly.Instance(module, imports));
      instance.then(done, () => {}); // a failure is reported by parserWasmReady (libpg-query would only wait forever)
      return {}; // Emscripten: the exports come later, through `done`
    },
  } as EmscriptenParser & { instantiateWasm(imports: WasmImports, done: (instance: WasmInstance) => void): object });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * libpg-query's parseSync, minus its JavaScript loops: it measures and copies the query into the WebAssembly memory
 * character by character (lengthBytesUTF8, stringToUTF8) and finds the end of the JSON it gets back byte by byte
 * (Emscripten's findStringEnd), ~7% of a 1,000-file lint's CPU. Here the copy is TextEncoder.encodeInto and the end
 * is Uint8Array.indexOf, both native; the calls into the parser and the result's layout (PgQueryParseResult:
 * parse_tree, stderr_buffer, error) are parseSync's. The parse tree's JSON text, or undefined when this path is not
 * there (outside the CLI bundle) or the parser reported an error: the caller then asks parseSync, which throws it.
 * `byteLength`: the query's length in UTF-8 bytes.
 */
export function parseToJson(query: string, byteLength: number): string | undefined {
  const parser = emscripten;
  if (!parser?.HEAPU8 || !parser._malloc || !parser._free || !parser._wasm_parse_query_raw || !parser._wasm_free_parse_result) return undefined;
  const queryPointer = parser._malloc(byteLength + 1);
  if (!queryPointer) return undefined;
  try {
    let heap = parser.HEAPU8;
    encoder.encodeInto(query, heap.subarray(queryPointer, queryPointer + byteLength));
    heap[queryPointer + byteLength] = 0;
    const result = parser._wasm_parse_query_raw(queryPointer);
    if (!result) return undefined;
    try {
      heap = parser.HEAPU8; // the parse may have grown the memory, which replaces the views on it
      const words = new DataView(heap.buffer, heap.byteOffset, heap.byteLength);
      const tree = words.getUint32(result, true);
      const error = words.getUint32(result + 8, true);
      if (error || !tree) return undefined;
      const end = heap.indexOf(0, tree);
      return decoder.decode(heap.subarray(tree, end < 0 ? heap.length : end));
    } finally {
      parser._wasm_free_parse_result(result);
    }
  } finally {
    parser._free(queryPointer);
  }
}

/**
 * Settles when the instance made above is ready, and rejects with the reason when it could not be made: loadSqlParser
 * awaits it beside libpg-query's own loadModule, which never settles in that case. Resolves at once outside the
 * CLI bundle (libpg-query then loads its WebAssembly itself and reports its own failures).
 */
export function parserWasmReady(): Promise<unknown> {
  return instance ?? Promise.resolve();
}
