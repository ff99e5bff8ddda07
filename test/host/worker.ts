// The VM worker and the vCPU worker are bundled (dist/vm-worker.js, dist/vcpu-worker.js); Node cannot
// start a worker from TypeScript source. npm test bundles before vitest; a run of this directory alone
// bundles here when the bundle is older than the sources.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(import.meta.dirname, '../..');
export const workerPath = path.join(root, 'dist', 'vm-worker.js');
export const vcpuWorkerPath = path.join(root, 'dist', 'vcpu-worker.js');

export async function ensureWorker(): Promise<string> {
  const { stale, buildCli } = (await import(pathToFileURL(path.join(root, 'scripts', 'build-cli.mjs')).href)) as {
    stale: () => boolean;
    buildCli: () => Promise<void>;
  };
  if (!existsSync(workerPath) || !existsSync(vcpuWorkerPath) || stale()) await buildCli();
  return workerPath;
}

export const DEMO = path.join(root, 'resources', 'demo', 'demo.elf');
export const PAGESTRIDE = path.join(root, 'resources', 'bench', 'out', 'pagestride.elf');
export const guest = (name: string): string => path.join(root, 'resources', 'guest', 'out', `${name}.elf`);
