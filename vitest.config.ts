import { defineConfig } from 'vitest/config';

// One suite: unit tests (fake runtime) and integration/e2e tests (real Docker).
// The global setup checks Docker and removes every container this run labelled.
// Every test must make at least one assertion (expect.requireAssertions): a test that asserts nothing fails.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 4,
    minWorkers: 1,
    reporters: ['default'],
    expect: { requireAssertions: true },
  },
});
