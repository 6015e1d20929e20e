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
    // expect.poll waits for a state a user would see; vitest's default gives up after 1 s, a
    // speed budget that a CPU hog beside the suite ran out (scripts/test-under-load.sh). Two
    // minutes is a hang guard: a correct run returns as soon as the state is reached.
    expect: { poll: { timeout: 2 * 60_000 } },
    // Tests share one private keychain and real loopback servers; two cores here.
    pool: 'forks',
    maxWorkers: 2,
  },
})
