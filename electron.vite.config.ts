// electron-vite 6: explicit inputs for the top-level main/ and renderer/
// directories (its defaults expect src/main, src/renderer).
// Output (electron-vite's default out/, or --outDir): out/main/index.js (ESM),
// out/main/vm-worker.js (the VM worker), out/main/vcpu-worker.js (one per vCPU of an SMP machine, started by
// the VM worker), out/preload/preload.cjs (CommonJS: a sandboxed renderer cannot load an ES
// module preload), out/renderer/index.html.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      // The VM worker (core/host/vm-worker.ts) is bundled next to the main process, which starts it; the vCPU
      // worker of SMP machines (core/smp/vcpu-worker.ts) next to it, where VmHost looks for it.
      rolldownOptions: {
        input: {
          index: resolve(root, 'main/index.ts'),
          'vm-worker': resolve(root, 'core/host/vm-worker.ts'),
          'vcpu-worker': resolve(root, 'core/smp/vcpu-worker.ts'),
          'kvm-vcpu-worker': resolve(root, 'core/kvm/vcpu-worker.ts'),
          'io-worker': resolve(root, 'core/smp/io-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { preload: resolve(root, 'main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [svelte()],
    build: {
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
