// Two projects: the Node tests (test/**, one environment for the emulator, host and infrastructure),
// and the Svelte component tests (test/component/**: the renderer's components compiled for the browser
// and mounted in happy-dom). `npx vitest run <file>` picks the project the file belongs to.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          // Debian Linux boots: their own lane (npm run test:linux, test/linux/vitest.config.ts).
          exclude: [...configDefaults.exclude, 'test/linux/**', 'test/component/**'],
        },
      },
      {
        extends: true,
        plugins: [svelte({ configFile: false, compilerOptions: { runes: true }, emitCss: false })],
        // Svelte's browser build (mount, not the server renderer).
        resolve: { conditions: ['browser'] },
        test: {
          name: 'component',
          include: ['test/component/**/*.test.ts'],
          environment: 'happy-dom',
          setupFiles: ['test/component/setup.ts'],
          testTimeout: 10_000,
        },
      },
    ],
  },
});
