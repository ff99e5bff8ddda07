// The arm64 KVM lane (`npm run test:kvm-arm64`): its own config, so the default
// `npm test` (vitest.config.ts: test/**/*.test.ts) never boots it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/kvm-arm64/**/*.lane.ts'],
    testTimeout: 40 * 60_000,
  },
});
