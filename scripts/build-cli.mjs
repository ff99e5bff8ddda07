// Bundles the CLI (and the benchmark/fuzzer entry points) with esbuild into dist/.
// Called by bin/armlab.mjs when sources are newer than the bundle, and by npm scripts.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRIES = {
  armlab: 'cli/armlab.ts',
  bench: 'cli/bench.ts',
  fuzz: 'cli/fuzz.ts',
  'bench-smp': 'cli/bench-smp.ts',
  'bench-linux': 'cli/bench-linux.ts',
  'vcpu-worker': 'core/smp/vcpu-worker.ts',
  'io-worker': 'core/smp/io-worker.ts',
  // One per vCPU of a VM on the KVM backend (core/kvm/machine.ts), next to vcpu-worker.js.
  'kvm-vcpu-worker': 'core/kvm/vcpu-worker.ts',
  // The VM worker VmHost starts (core/host/vm-worker.ts), next to the CLI that uses it (`armlab serve`).
  'vm-worker': 'core/host/vm-worker.ts',
};

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

export function stale() {
  const out = join(root, 'dist', 'armlab.js');
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  return ['core', 'cli'].some((d) => newest(join(root, d)) > built);
}

export async function buildCli() {
  const entryPoints = Object.fromEntries(
    Object.entries(ENTRIES)
      .filter(([, f]) => existsSync(join(root, f)))
      .map(([k, f]) => [k, join(root, f)]),
  );
  // Build into a private directory, then rename each file into dist/: concurrent
  // `armlab` invocations never see a half-written bundle.
  const dist = join(root, 'dist');
  const tmp = join(dist, `.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  await build({
    entryPoints,
    outdir: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // ws (armlab serve) loads these optional native speed-ups when present; esbuild (the on-demand
    // KVM worker build from sources) is a native package that cannot be bundled.
    external: ['bufferutil', 'utf-8-validate', 'esbuild'],
    // CommonJS packages bundled into ES modules (ws) require Node built-ins: give them a require.
    banner: { js: "import { createRequire as __armlabRequire } from 'node:module'; const require = __armlabRequire(import.meta.url);" },
  });
  for (const f of readdirSync(tmp)) renameSync(join(tmp, f), join(dist, f));
  rmSync(tmp, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
}
