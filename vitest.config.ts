import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    setupFiles: ['test/setup/loopbackOnly.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests share one private keychain and real loopback servers; two cores here.
    pool: 'forks',
    maxWorkers: 2,
  },
})
