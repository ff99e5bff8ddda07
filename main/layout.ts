/**
 * Where the desktop app finds its parts, in a checkout (npm run start) and packaged (electron-builder.yml).
 * Pure, so test/infra/packaging.test.ts checks it against the builder configuration without Electron.
 */
import { join } from 'node:path';

export interface AppLayout {
  /** VmHost's root: presets() finds resources/demo, resources/bench/out, resources/guest/out here. */
  root: string;
  /** Directory of the worker bundles (vm-worker.js, vcpu-worker.js, kvm-vcpu-worker.js, io-worker.js). */
  workerDir: string;
  /** Value for ARMLAB_RESOURCES (core/kvm/paths.ts: where native/ is), when packaged. */
  resourcesEnv?: string;
}

export function packagedLayout(p: { packaged: boolean; appPath: string; resourcesPath: string; mainDir: string }): AppLayout {
  if (!p.packaged) return { root: p.appPath, workerDir: p.mainDir };
  // out/main/** is in asarUnpack: worker threads start from real files.
  const workerDir = p.mainDir.replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked');
  return { root: p.resourcesPath, workerDir, resourcesEnv: p.resourcesPath };
}

/** The paths above for a packaged app whose resources directory is `resources` (for tests). */
export const packagedMainDir = (resources: string): string => join(resources, 'app.asar', 'out', 'main');
