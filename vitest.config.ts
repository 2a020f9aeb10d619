import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check.ts'],
    // Fuzz and tree suites hash with the reference Pedersen; allow them time, never loop forever.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
