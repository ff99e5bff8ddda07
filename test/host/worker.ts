// The VM worker is bundled (dist/vm-worker.js); Node cannot start a worker from TypeScript source.
// npm test bundles before vitest; a run of this directory alone bundles here when the bundle is stale.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(import.meta.dirname, '../..');
export const workerPath = path.join(root, 'dist', 'vm-worker.js');

export async function ensureWorker(): Promise<string> {
  const hostSrc = path.join(root, 'core', 'host', 'vm-worker.ts');
  if (!existsSync(workerPath) || statSync(workerPath).mtimeMs < statSync(hostSrc).mtimeMs) {
    const { buildCli } = (await import(pathToFileURL(path.join(root, 'scripts', 'build-cli.mjs')).href)) as {
      buildCli: () => Promise<void>;
    };
    await buildCli();
  }
  return workerPath;
}

export const DEMO = path.join(root, 'resources', 'demo', 'demo.elf');
export const PAGESTRIDE = path.join(root, 'resources', 'bench', 'out', 'pagestride.elf');
