#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ (built by `npm run build`, run by `prepare` on install).
import v8 from 'node:v8';

// Both WebAssembly modules pgdrift runs (PGlite's 10 MB Postgres and libpg-query's parser) live for one short
// command. V8's default compiles every function with its baseline compiler and then recompiles the hot ones with
// TurboFan on background threads; for a run of seconds that recompilation never pays back. Measured on the sample
// check: 5.5 → 2.8 s CPU and 430 → 290 MB peak; a 1,000-file replay: 24 → 17.5 s. Set before any module compiles.
v8.setFlagsFromString('--liftoff-only');

import('../dist/cli-bundle/main.js').then((m) => m.main(process.argv.slice(2))).catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli-bundle/main.js')) {
    console.error('pgdrift: the CLI is not built yet; run `npm run build` (npm install does it through `prepare`).');
    process.exit(2);
  }
  throw error;
});
