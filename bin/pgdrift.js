#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, run by `prepare` on install).
import('../dist/cli-bundle/main.js').then((m) => m.main(process.argv.slice(2))).catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli-bundle/main.js')) {
    console.error('pgdrift: the CLI is not built yet; run `npm run build` (npm install does it through `prepare`).');
    process.exit(2);
  }
  throw error;
});
