/**
 * The KVM vCPU worker must be plain JavaScript that Node can start in a
 * worker_thread, from the TypeScript sources (vitest) and from the CLI bundle
 * alike. This bundles core/kvm/vcpu-worker.ts with esbuild into
 * native/build/worker/kvm-vcpu-worker.mjs when that file is missing or older than
 * the sources in core/kvm/ (written to a temporary name, then renamed, so
 * parallel test files never load half a file). A bundle (dist/, out/main/) uses the
 * kvm-vcpu-worker.js its build put next to it.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';
import { repoRoot } from './paths.js';

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir)) if (e.endsWith('.ts')) t = Math.max(t, statSync(join(dir, e)).mtimeMs);
  return t;
}

export async function kvmWorkerUrl(): Promise<URL> {
  // Inside a bundle (dist/armlab.js, out/main/…), the build put the worker next to it.
  const beside = new URL('./kvm-vcpu-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts') && existsSync(fileURLToPath(beside))) return beside;
  const root = repoRoot();
  const outDir = join(root, 'native', 'build', 'worker');
  const out = join(outDir, 'kvm-vcpu-worker.mjs');
  const srcDir = join(root, 'core', 'kvm');
  const have = existsSync(out);
  if (have && (!existsSync(srcDir) || statSync(out).mtimeMs >= newestSource(srcDir))) return pathToFileURL(out);
  let esbuild: typeof Esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    if (have) return pathToFileURL(out); // a packaged app has no esbuild: use what was built
    throw new Error(`the KVM vCPU worker is not built (${out}) and esbuild is not available to build it`);
  }
  mkdirSync(outDir, { recursive: true });
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await esbuild.build({
    entryPoints: [join(srcDir, 'vcpu-worker.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  renameSync(tmp, out);
  return pathToFileURL(out);
}
