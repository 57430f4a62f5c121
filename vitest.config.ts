import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // asks once whether the local PostgreSQL answers: server tests skip with the reason, or fail the run under
    // PGDRIFT_REQUIRE_SERVER=1 (what .ci/run sets)
    globalSetup: ['test/helpers/server-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // PGlite instances take ~0.7 GB each; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
  },
});
