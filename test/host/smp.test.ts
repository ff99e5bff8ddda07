// SMP and heterogeneous machines behind the host API: a VM with more than one vCPU runs the SMP
// machine (one worker thread per vCPU, started from the VM worker) with the same lifecycle, console,
// exit status, counters and checker reports as one vCPU. Expected outputs are the guests' own
// checks (exact totals), the MIDRs of the Arm TRMs (A72 r0p3, A53 r0p4), and the checker's three
// findings on tlb_maint (as `armlab run --check` prints them, test/smp/checker.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent, VcpuSpec, VmSpec } from '../../core/host/api.js';
import { VmHost } from '../../core/host/vmhost.js';
import { consoleOf, ensureWorker, eventsOf, guest, root, until as untilMs } from './worker.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-host-smp-'));
let host: VmHost;
const events: HostEvent[] = [];

const spec = (name: string, cpus: VcpuSpec[], over: Partial<VmSpec> = {}): VmSpec => ({
  name,
  backend: 'tcg',
  cpus,
  memory: [{ base: 0x4000_0000, size: 128 * 2 ** 20 }],
  entryEl: 1,
  boot: { kind: 'program', path: guest(name) },
  ...over,
});
const max = (n: number): VcpuSpec[] => Array.from({ length: n }, () => ({ model: 'max' }));

/** SMP machines take longer to start: 30 s. */
const until = <T>(f: () => T | undefined | false): Promise<T> => untilMs(f, 30_000);
const of = <T extends HostEvent['type']>(vm: string, type: T): Extract<HostEvent, { type: T }>[] => eventsOf(events, vm, type);
const consoleText = (vm: string): string => consoleOf(events, vm);
const ended = (vm: string): Promise<Extract<HostEvent, { type: 'exit' }>> => until(() => of(vm, 'exit')[0]);

beforeAll(async () => {
  host = new VmHost({ root, workerUrl: await ensureWorker(), dataDir, transport: 'serve', version: 'test' });
  host.on((e) => events.push(e));
});
afterAll(async () => {
  await host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('VmHost with SMP machines', () => {
  it('offers up to 8 vCPUs and the SMP presets', async () => {
    const info = await host.info();
    expect(info.maxCpus).toBe(8);
    expect(info.presets.map((p) => p.id)).toEqual(expect.arrayContaining(['smp-shootdown', 'biglittle', 'tlb-check']));
  });

  it('smp_counter on 2 vCPUs: exact totals on the console, exit status 0, counters of both vCPUs', async () => {
    const vm = await host.create(spec('smp_counter', max(2)));
    await host.start(vm.id);
    const exit = await ended(vm.id);
    expect(consoleText(vm.id)).toContain('cpus 2\n');
    expect(consoleText(vm.id)).toContain('locked total 40000 (expected 40000)');
    expect(consoleText(vm.id)).toContain('atomic total 40000 (expected 40000)');
    expect(exit.outcome).toEqual({ kind: 'exit', status: 0 });
    const h = await host.history(vm.id);
    expect(h.vm.state).toBe('exited');
    expect(h.vm.outcome).toEqual({ kind: 'exit', status: 0 });
    const last = h.counters.at(-1)!;
    expect(last.cpus.map((c) => c.cpu)).toEqual([0, 1]);
    for (const c of last.cpus) {
      expect(c.instructions).toBeGreaterThan(10_000); // both vCPUs ran the 20000-iteration loops
      expect(c.tlbiSent).toBeTypeOf('number');
      expect(c.dsbWaits).toBeTypeOf('number');
      expect(c.ackLatencyMaxUs).toBeTypeOf('number');
    }
    expect(h.vm.summary!.cpus).toBe(2);
    expect(h.vm.summary!.instructions).toBe(last.cpus[0].instructions + last.cpus[1].instructions);
    // The inspector asks a vCPU's worker, which is gone once the run ended.
    expect(h.vm.controls?.inspect).toBe(true);
    await expect(host.inspect(vm.id, { va: '0x40000000', access: 'read' })).rejects.toThrow(/the run has ended/);
    await expect(host.inspect(vm.id, { va: '0x40000000', access: 'read', cpu: 2 })).rejects.toThrow(/vCPU 2 does not exist/);
    const states = of(vm.id, 'state').map((e) => e.state);
    expect(states).toEqual(['created', 'starting', 'running', 'exited']);
    expect(JSON.parse(JSON.stringify(h))).toEqual(h);
  });

  it('big.LITTLE: 2x Cortex-A72 in cluster 0 and 2x Cortex-A53 in cluster 1 print their MPIDRs and both MIDRs', async () => {
    const cpus: VcpuSpec[] = [
      { model: 'cortex-a72', cluster: 0 },
      { model: 'cortex-a72', cluster: 0 },
      { model: 'cortex-a53', cluster: 1 },
      { model: 'cortex-a53', cluster: 1 },
    ];
    const vm = await host.create(spec('smp_whoami', cpus));
    await host.start(vm.id);
    const exit = await ended(vm.id);
    expect(exit.outcome).toEqual({ kind: 'exit', status: 0 });
    expect(consoleText(vm.id)).toBe(
      'cpu0 mpidr 0\ncpu1 mpidr 1 midr 410fd083\ncpu2 mpidr 100 midr 410fd034\ncpu3 mpidr 101 midr 410fd034\n',
    );
    expect((await host.history(vm.id)).counters.at(-1)!.cpus).toHaveLength(4);
  });

  // As `armlab run --check` reports it (test/smp/checker.test.ts, since the per-descriptor break-before-make state of 27ae53f).
  it('the checker (one vCPU) reports tlb_maint: a valid→valid remap and a make before any TLBI, as events and in the history', async () => {
    const vm = await host.create(spec('tlb_maint', max(1), { checkTlb: true }));
    await host.start(vm.id);
    const exit = await ended(vm.id);
    expect(exit.outcome).toEqual({ kind: 'exit', status: 0 });
    expect(consoleText(vm.id)).toBe('done\n');
    const reports = of(vm.id, 'checker').map((e) => e.report);
    expect(reports.map((r) => [r.kind, r.cpu, r.va])).toEqual([
      ['bbm', 0, '0x80000000'],
      ['bbm', 0, '0x80001000'],
    ]);
    for (const r of reports) {
      expect(r.pc).toMatch(/^0x[0-9a-f]+$/);
      expect(r.descriptorPa).toMatch(/^0x[0-9a-f]+$/);
      expect(r.old).toMatch(/^0x[0-9a-f]{16}$/);
      expect(r.new).toMatch(/^0x[0-9a-f]{16}$/);
      expect(r.old).not.toBe(r.new);
    }
    expect(reports[0].detail).toMatch(/valid descriptor replaced by a different valid one/);
    expect(reports[1].detail).toMatch(/new valid descriptor written after a break but before a TLBI covering its address/);
    expect(reports[0].message).toMatch(/^vCPU 0 bbm at PC 0x[0-9a-f]+: VA 0x80000000 descriptor @0x[0-9a-f]+ /);
    const h = await host.history(vm.id);
    expect(h.checker).toEqual(reports);
    expect(h.vm.summary!.checkerReports).toBe(2);
  });

  it('the checker on 2 vCPUs: the other vCPU using a stale translation after a local TLBI is reported', async () => {
    const vm = await host.create(spec('smp_tlbi_local', max(2), { checkTlb: true }));
    await host.start(vm.id);
    expect((await ended(vm.id)).outcome).toEqual({ kind: 'exit', status: 0 });
    const reports = of(vm.id, 'checker').map((e) => e.report);
    expect(reports.some((r) => r.kind === 'stale-tlb' && r.cpu === 1 && r.va === '0x80000000')).toBe(true);
    // vCPU 0's make after a local (not …IS) TLBI is itself a break-before-make violation.
    expect(reports.some((r) => r.kind === 'bbm' && r.cpu === 0 && /the TLBI was local/.test(r.detail))).toBe(true);
  });

  it('a running SMP VM streams per-vCPU shootdown counters; pause parks every vCPU, resume continues, stop ends it', async () => {
    // A storm long enough (tens of seconds) that it is still running whenever the pause arrives.
    const vm = await host.create(
      spec('smp_shootdown', max(2), { boot: { kind: 'program', path: guest('smp_shootdown'), append: '200000' } }),
    );
    await host.start(vm.id);
    const snap = await until(() =>
      of(vm.id, 'counters').find(
        (e) => e.snapshot.cpus.length === 2 && (e.snapshot.cpus[0].tlbiSent ?? 0) > 0 && e.snapshot.cpus[1].instructions > 0,
      ),
    );
    expect(snap.snapshot.cpus[1].tlbiReceived).toBeTypeOf('number');
    const running = (await host.list()).find((v) => v.id === vm.id)!;
    expect(running.controls?.pause).toBe(true);
    // Every vCPU parks: the counters hold while paused, and move again after resume.
    expect((await host.pause(vm.id)).state).toBe('paused');
    const insns = async (): Promise<number[]> => (await host.history(vm.id)).counters.at(-1)!.cpus.map((c) => c.instructions);
    const p1 = await insns();
    // The inspector on a paused SMP machine: each vCPU's own registers and TLB, through its worker.
    for (const cpu of [0, 1]) {
      const t = await host.inspect(vm.id, { va: '0x40001234', access: 'read', cpu, el: 1 });
      expect(t).toMatchObject({ el: 1, stage1: true, ok: true, pa: '0x40001234' });
      expect(t.levels.length).toBeGreaterThan(0);
    }
    const fault = await host.inspect(vm.id, { va: '0x7f00000000', access: 'write', cpu: 1 });
    expect(fault.ok).toBe(false);
    expect(fault.fault?.kind).toMatch(/translation|addressSize/);
    await expect(host.inspect(vm.id, { va: 'nonsense', access: 'read', cpu: 1 })).rejects.toThrow(/not a hexadecimal address/);
    await new Promise((r) => setTimeout(r, 300));
    expect(await insns()).toEqual(p1);
    expect((await host.resume(vm.id)).state).toBe('running');
    await expect(host.inspect(vm.id, { va: '0x40000000', access: 'read', cpu: 0 })).rejects.toThrow(/pause the VM first/);
    const stopped = await host.stop(vm.id);
    expect(stopped.state).toBe('exited');
    expect(stopped.outcome).toEqual({ kind: 'stopped' });
    expect(stopped.summary!.cpus).toBe(2);
    expect(stopped.summary!.tlbiSent).toBeGreaterThan(0);
  });

  it('an SMP VM runs to completion, and runs again as a fresh machine with a fresh console', async () => {
    const vm = await host.create(spec('smp_shootdown', max(2), { name: 'smp_again' }));
    for (let run = 1; run <= 2; run++) {
      await host.start(vm.id);
      const exit = await until(() => (of(vm.id, 'exit').length >= run ? of(vm.id, 'exit')[run - 1] : undefined));
      expect(exit.outcome).toEqual({ kind: 'exit', status: 0 });
      expect(Buffer.from((await host.history(vm.id)).console, 'base64').toString()).toMatch(
        /^cpus 2\ngenerations 300, stale reads after the flush point: 0\n$/,
      );
    }
  });

  it('console input reaches the guest UART of an SMP machine', async () => {
    // smp_ipi has no input; this only checks that input is accepted while the VM runs and refused after.
    const vm = await host.create(spec('smp_shootdown', max(2), { name: 'smp_input' }));
    await host.start(vm.id);
    await host.input(vm.id, 'x');
    await host.stop(vm.id);
    await expect(host.input(vm.id, 'x')).rejects.toThrow(/takes no input/);
  });

  it('validates SMP configurations: vCPU count, clusters, EL per model', async () => {
    const msgs = async (s: VmSpec): Promise<string> => (await host.validate(s)).map((p) => p.message).join('\n');
    expect(await msgs(spec('smp_counter', max(9)))).toMatch(/at most 8 vCPUs/);
    expect(await msgs(spec('smp_counter', [{ model: 'max', cluster: -1 }, { model: 'max' }]))).toMatch(/cluster -1/);
    expect(await msgs(spec('smp_counter', max(2)))).toBe('');
    expect(
      await msgs(
        spec('smp_whoami', [
          { model: 'cortex-a72', cluster: 0 },
          { model: 'cortex-a53', cluster: 1 },
        ]),
      ),
    ).toBe('');
  });

  it('names the missing vCPU worker bundle instead of failing obscurely', async () => {
    const h2 = new VmHost({
      root,
      workerUrl: await ensureWorker(),
      vcpuWorkerUrl: path.join(dataDir, 'no-such-vcpu-worker.js'),
      dataDir,
      transport: 'serve',
      version: 'test',
    });
    const vm = await h2.create(spec('smp_counter', max(2)));
    await expect(h2.start(vm.id)).rejects.toThrow(/vCPU worker bundle is missing/);
    await h2.dispose();
  });
});
