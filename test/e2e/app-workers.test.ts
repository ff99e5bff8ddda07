// The desktop app's bundles (electron-vite build: out/main/vm-worker.js and out/main/vcpu-worker.js,
// with their shared chunks) run an SMP guest when VmHost is pointed at them as main/index.ts does.
// Electron's main process is Node, so this runs in plain Node without the Electron binary.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent } from '../../core/host/api.js';
import { VmHost } from '../../core/host/vmhost.js';
import { buildApp, root } from './helpers.js';

describe('the app bundle (out/main) runs SMP machines', () => {
  let outDir: string;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-app-workers-'));
  let host: VmHost;
  const events: HostEvent[] = [];

  beforeAll(() => {
    outDir = buildApp();
    host = new VmHost({
      root,
      workerUrl: path.join(outDir, 'main', 'vm-worker.js'),
      vcpuWorkerUrl: path.join(outDir, 'main', 'vcpu-worker.js'),
      dataDir,
      transport: 'electron',
      version: 'test',
    });
    host.on((e) => events.push(e));
  }, 120_000);
  afterAll(async () => {
    await host?.dispose();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('smp_counter on 2 vCPUs from out/main/vm-worker.js + out/main/vcpu-worker.js', async () => {
    const vm = await host.create({
      name: 'smp_counter',
      backend: 'tcg',
      cpus: [{ model: 'max' }, { model: 'max' }],
      memory: [{ base: 0x4000_0000, size: 128 * 2 ** 20 }],
      entryEl: 1,
      boot: { kind: 'program', path: path.join(root, 'resources', 'guest', 'out', 'smp_counter.elf') },
    });
    await host.start(vm.id);
    await expect.poll(() => events.some((e) => e.type === 'exit' && e.vm === vm.id), { timeout: 30_000 }).toBe(true);
    const h = await host.history(vm.id);
    expect(h.vm.outcome).toEqual({ kind: 'exit', status: 0 });
    expect(Buffer.from(h.console, 'base64').toString()).toContain('locked total 40000 (expected 40000)');
    expect(h.counters.at(-1)!.cpus).toHaveLength(2);
  });
});
