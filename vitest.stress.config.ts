import { defineConfig } from 'vitest/config';

/** `npm run test:stress`: the long reliability runs, kept out of `npm test` (their files end in .stress.ts). */
export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
    // One at a time: each one loads the machine on purpose.
    fileParallelism: false,
  },
});
