import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Network-namespace and lab tests are real I/O; two cores, so keep the parallelism modest.
    maxWorkers: 4,
  },
});
