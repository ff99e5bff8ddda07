import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Debian Linux boots: their own lane (npm run test:linux, test/linux/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'test/linux/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
