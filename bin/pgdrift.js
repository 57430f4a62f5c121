#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ (built by `npm run build`, run by `prepare` on install).
import v8 from 'node:v8';

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

import('../dist/cli-bundle/main.js').then((m) => m.main(process.argv.slice(2))).then(() => { settled = true; }, (error) => {
  settled = true;
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli-bundle/main.js')) {
    console.error('pgdrift: the CLI is not built yet; run `npm run build` (npm install does it through `prepare`).');
    process.exit(2);
  }
  throw error;
});
