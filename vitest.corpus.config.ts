import { defineConfig } from 'vitest/config';

/** Opt-in tests against the real-image corpus built by ../shared/corpus (see README). */
export default defineConfig({
  test: {
    include: ['test/corpus/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
