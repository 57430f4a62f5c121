#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ (built by `npm run build`, run by `prepare` on install).
// CommonJS (bin/package.json says so): Node starts a CommonJS entry without setting up its ES module loader, ~5-10 ms
// of every command.
'use strict';
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { createRequire } = Module;
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');

// Both WebAssembly modules pgdrift runs (PGlite's 10 MB Postgres and libpg-query's parser) live for one short
// command. V8's default compiles every function with its baseline compiler and then recompiles the hot ones with
// TurboFan on background threads; for a run of seconds that recompilation never pays back. Measured on the sample
// check: 5.5 → 2.8 s CPU and 430 → 290 MB peak; a 1,000-file replay: 24 → 17.5 s. Set before any module compiles.
v8.setFlagsFromString('--liftoff-only');

// A command whose work is left waiting on something that no longer keeps Node running (a worker, a socket) would
// otherwise end with exit code 0 and no verdict: for a gate, a false "clean". It ends as what it is, a bug (exit 4).
// ('beforeExit' comes only when the event loop has drained, never after an explicit process.exit.)
let settled = false;
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write('pgdrift: internal error: the command stopped before it finished (nothing was left to wait on); please report this\n');
  process.exitCode = 4;
});

// the command lists, shared with src/cli/main.ts
const commandLists = require('./commands.json');
const COMMANDS = new Set(commandLists.commands);
const PARSING_COMMANDS = new Set(commandLists.parsing);
const bundle = path.join(__dirname, '..', 'dist', 'cli-bundle', 'main.cjs');

// A command that parses SQL compiles libpg-query's WebAssembly from here, on V8's background threads, while this
// thread compiles and sets up the bundle; the bundle's libpg-query instantiates it (src/sql/parser-wasm.ts, which
// compiles the file itself when this one failed: so a failure here is only marked handled).
if (PARSING_COMMANDS.has(process.argv[2])) {
  try {
    const compile = WebAssembly.compile(readFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm')));
    compile.catch(() => {});
    globalThis[Symbol.for('pgdrift.libpg-query.wasm')] = compile;
  } catch {
    // not installed where this launcher can see it: the bundle reports it when it loads the parser
  }
}

/**
 * The CLI's main(). Compiling the bundle was ~60 ms of every command, and Node 20 caches V8's compiled code only for
 * scripts: so the CommonJS build (dist/cli-bundle/main.cjs) runs through vm.Script with the code cache of the last
 * run of the same command (written after it, compiled functions included, to dist/cli-bundle/.code-cache/; V8 checks
 * it against the source, its version and flags, and a rejected or missing one is written again; a read-only install
 * only misses the speed-up). Without vm's default-loader constant (older Node 20), with PGDRIFT_NO_CODE_CACHE=1 or
 * with --debug, the ES module build runs as is.
 */
function loadCli() {
  const loader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  // --debug prints stack traces: the ES module build keeps them readable (main.cjs is minified)
  if (!loader || process.env.PGDRIFT_NO_CODE_CACHE === '1' || process.argv.includes('--debug')) return import('../dist/cli-bundle/main.js');
  // esbuild writes ASCII (its default charset escapes every other character), so latin1 reads the same string
  // without UTF-8 decoding 2.4 MB on every run
  const source = readFileSync(bundle, 'latin1');
  const command = COMMANDS.has(process.argv[2]) ? process.argv[2] : 'other';
  const cacheFile = path.join(path.dirname(bundle), '.code-cache', `${command}.v8cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run of this command
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData, importModuleDynamically: loader });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  const stale = !cachedData || script.cachedDataRejected;
  return {
    async main(argv) {
      await module.exports.main(argv);
      if (stale) saveCodeCache(cacheFile, script.createCachedData());
    },
  };
}

// writeFileAtomic (src/util/fs.ts) in a few lines: the launcher runs before, and apart from, the built code it loads
function saveCodeCache(file, data) {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    // a read-only install: the next run compiles again
  }
}

const notBuilt = (error) =>
  error && ((error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli-bundle/main.js')) || (error.code === 'ENOENT' && error.path === bundle));

Promise.resolve()
  .then(loadCli)
  .then((cli) => cli.main(process.argv.slice(2)))
  .then(
    () => {
      settled = true;
    },
    (error) => {
      settled = true;
      if (notBuilt(error)) {
        console.error('pgdrift: the CLI is not built yet; run `npm run build` (npm install does it through `prepare`).');
        process.exit(2);
      }
      throw error;
    },
  );
