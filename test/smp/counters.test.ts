// Per-vCPU SMP counters on the host API's counter stream: exceptions by class, interrupts
// taken, TLBI instructions issued apart from the shootdown requests posted (one per target).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent, VcpuSpec, VmSpec } from '../../core/host/api.js';
import { VmHost } from '../../core/host/vmhost.js';
import { eventsOf, ensureWorker, guest, root, until } from '../host/worker.js';
import { formatSmpCounterExtras, histPercentile } from '../../core/smp/machine.js';
import { latBucketUpper } from '../../core/smp/layout.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-smp-counters-'));
let host: VmHost;
const events: HostEvent[] = [];
const max = (n: number): VcpuSpec[] => Array.from({ length: n }, () => ({ model: 'max' }));
const spec = (name: string, n: number): VmSpec => ({
  name,
  backend: 'tcg',
  cpus: max(n),
  memory: [{ base: 0x4000_0000, size: 128 * 2 ** 20 }],
  entryEl: 1,
  boot: { kind: 'program', path: guest(name) },
});

async function run(name: string, n: number, extra: Partial<VmSpec> = {}) {
  const vm = await host.create({ ...spec(name, n), ...extra });
  await host.start(vm.id);
  await until(() => eventsOf(events, vm.id, 'exit')[0], 60_000);
  return (await host.history(vm.id)).counters.at(-1)!.cpus;
}

beforeAll(async () => {
  host = new VmHost({ root, workerUrl: await ensureWorker(), dataDir, transport: 'serve', version: 'test' });
  host.on((e) => events.push(e));
});
afterAll(async () => {
  await host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SMP counters', () => {
  it('latency percentiles are the upper bound of the bucket holding them (bench and counters share one function)', () => {
    expect(histPercentile([0, 2, 0, 2], 0.5)).toBe(latBucketUpper(1));
    expect(histPercentile([0, 2, 0, 2], 0.99)).toBe(latBucketUpper(3));
    expect(histPercentile([0, 0, 0, 0], 0.5)).toBe(0);
  });

  it('smp_shootdown on 3 vCPUs: TLBI instructions issued vs requests posted (one per other vCPU)', async () => {
    const cpus = await run('smp_shootdown', 3);
    const issued = cpus[0].other?.tlbiIssued ?? 0;
    const received = cpus[1].tlbiReceived ?? 0;
    expect(received).toBeGreaterThanOrEqual(300); // one TLBI VAE1IS per generation reached vCPU 1
    expect(cpus[2].tlbiReceived).toBe(received);
    expect(cpus[0].tlbiSent).toBe(2 * received); // each posted to both other vCPUs
    expect(issued).toBeGreaterThanOrEqual(received); // (the runtime's own TLBIs ran before CPU_ON)
    expect(issued).toBeLessThan(cpus[0].tlbiSent!);
  }, 90_000);

  it('smp_ipi on 2 vCPUs: IRQs taken on both and counted by class', async () => {
    const cpus = await run('smp_ipi', 2);
    for (const c of cpus) expect(c.other?.irqs ?? 0).toBeGreaterThan(0);
    // 200 pings (SGI 1 to vCPU 1) and 200 pongs (SGI 2 to vCPU 0), counted apart from other GIC kicks.
    expect(cpus[0].other?.sgisSent).toBe(200);
    expect(cpus[1].other?.sgisSent).toBe(200);
    expect(cpus[0].other?.sgisReceived).toBe(200);
    expect(cpus[1].other?.sgisReceived).toBe(200);
    expect(
      formatSmpCounterExtras({ cpu: 0, irqs: 3, fiqs: 0, serrors: 0, tlbiIssued: 2, sgisSent: 5, sgisReceived: 6, 'exc.svc64': 4 }),
    ).toBe('TLBI instructions 2, SGIs sent 5 received 6, IRQs 3, exceptions by class: svc64 4');
  }, 90_000);

  it('smp_ipi_v2 on 2 vCPUs (GICv2): GICD_SGIR SGIs counted per target', async () => {
    const cpus = await run('smp_ipi_v2', 2, { gic: 2 });
    // 200 pings (SGI 1 to vCPU 1) and the broadcast SGI 3 (filter "all but me": vCPU 1) from vCPU 0,
    // 200 pongs (SGI 2 to vCPU 0) from vCPU 1.
    expect(cpus[0].other?.sgisSent).toBe(201);
    expect(cpus[1].other?.sgisSent).toBe(200);
    expect(cpus[0].other?.sgisReceived).toBe(200);
    expect(cpus[1].other?.sgisReceived).toBe(201);
  }, 90_000);
});
