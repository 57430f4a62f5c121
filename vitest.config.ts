import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // PGlite instances take ~0.7 GB each; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
  },
});
