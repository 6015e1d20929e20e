import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The hygiene scan runs as phase 2 of scripts/run-tests.mjs, after everything else.
    exclude: process.env['TOKENDECK_HYGIENE_SCAN_DIR']
      ? ['**/node_modules/**']
      : ['**/node_modules/**', 'test/hygiene/**'],
    setupFiles: ['test/setup/loopbackOnly.ts'],
    // Hang guards, not speed budgets: a test waits for events and readiness, so a slow or
    // loaded machine only takes longer. These bounds turn a real hang into a failure; they
    // must never be what a correct run on a busy machine runs into.
    testTimeout: 10 * 60_000,
    hookTimeout: 10 * 60_000,
    // Tests share one private keychain and real loopback servers; two cores here.
    pool: 'forks',
    maxWorkers: 2,
  },
})
