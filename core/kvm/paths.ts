/**
 * The checkout's root, found from this module's location (works from core/kvm/ and from a bundle in dist/ or
 * native/build/). In the packaged desktop app the main process sets ARMLAB_RESOURCES to Electron's resources
 * directory, which holds native/ laid out as in a checkout (electron-builder.yml extraResources); core/ never
 * imports Electron, so the path comes in through the environment (worker threads inherit it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** Set by main/index.ts in a packaged app: the directory that stands in for the checkout. */
export const RESOURCES_ENV = 'ARMLAB_RESOURCES';

export function repoRoot(): string {
  const packaged = process.env[RESOURCES_ENV];
  if (packaged) return packaged;
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'native'))) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'armlab') return (root = dir);
      } catch {}
    }
    const up = dirname(dir);
    if (up === dir) return (root = process.cwd());
    dir = up;
  }
}
