import { defineConfig } from 'vitest/config';

// Tests run from TypeScript sources; tests that spawn the `sortline` command use the compiled
// dist/ that `npm test` builds first (the `pretest` script). Two CI cores: keep workers at 2.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/reporters/summary.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
