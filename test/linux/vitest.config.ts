// The test:linux lane: its own config, since the default run (vitest.config.ts) leaves test/linux out.
import { defineConfig } from 'vitest/config';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  test: {
    root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
    include: ['test/linux/**/*.test.ts'],
    // Boots are long and each armlab boot keeps the 2 cores busy: one file at a time, tests in order.
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
  },
});
