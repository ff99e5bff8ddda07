// VmHost end to end in Node: the host API drives real VM workers running the demo guest
// and a long page-stride loop; pause/resume/stop take effect; bad configurations are refused
// with messages naming the field; saved configurations persist; dispatch answers malformed requests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent, VmSpec } from '../../core/host/api.js';
import { dispatch } from '../../core/host/dispatch.js';
import { ApiFailure, VmHost } from '../../core/host/vmhost.js';
import { consoleOf, DEMO, ensureWorker, PAGESTRIDE, root, until } from './worker.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-host-'));
let host: VmHost;
const events: HostEvent[] = [];

const spec = (over: Partial<VmSpec> = {}): VmSpec => ({
  name: 'demo',
  backend: 'tcg',
  cpus: [{ model: 'cortex-a57' }],
  memory: [{ base: 0x4000_0000, size: 128 * 2 ** 20 }],
  entryEl: 1,
  boot: { kind: 'program', path: DEMO },
  ...over,
});
const stride = (): VmSpec => spec({ name: 'stride', boot: { kind: 'program', path: PAGESTRIDE, append: '1000000' } });

const consoleText = (vm: string): string => consoleOf(events, vm);
const instructions = async (vm: string): Promise<number> => (await host.history(vm)).counters.at(-1)?.cpus[0].instructions ?? 0;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  host = new VmHost({ root, workerUrl: await ensureWorker(), dataDir, transport: 'serve', version: 'test' });
  host.on((e) => events.push(e));
});
afterAll(async () => {
  await host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('VmHost', () => {
  it('lists TCG as available and KVM with what this host can do (x86_64: unavailable, and why)', async () => {
    const info = await host.info();
    expect(info.backends.find((b) => b.kind === 'tcg')?.available).toBe(true);
    const kvm = info.backends.find((b) => b.kind === 'kvm')!;
    if (process.arch === 'arm64') expect(kvm.available || /dev\/kvm|addon/.test(kvm.reason ?? '')).toBe(true);
    else {
      expect(kvm.available).toBe(false);
      expect(kvm.reason).toMatch(/this x64 CPU cannot execute A64 code. Run AArch64 guests under TCG here, or under KVM on an arm64 host/);
    }
    expect(info.presets.map((p) => p.id)).toContain('demo');
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it('runs the demo guest: console output, counters, exit status 0, a summary', async () => {
    const vm = await host.create(spec());
    await host.start(vm.id);
    await until(() => events.some((e) => e.type === 'exit' && e.vm === vm.id));
    expect(consoleText(vm.id)).toContain('armlab demo guest');
    expect(consoleText(vm.id)).toContain('bye');
    const h = await host.history(vm.id);
    expect(h.vm.state).toBe('exited');
    expect(h.vm.outcome).toEqual({ kind: 'exit', status: 0 });
    expect(h.vm.summary!.instructions).toBeGreaterThan(100_000);
    expect(h.vm.summary!.mmioAccesses).toBeGreaterThan(0); // one UART store per character
    expect(h.counters.length).toBeGreaterThan(0);
    // TLB hits (fast path and architectural TLB) and misses for the hit-rate plot; TLBIs applied (none or some).
    const k = h.counters.at(-1)!.cpus[0];
    expect(k.tlbHits).toBeGreaterThan(k.tlbMisses!);
    expect(k.tlbMisses).toBeTypeOf('number');
    expect(k.tlbiLocal).toBeTypeOf('number');
    expect(Buffer.from(h.console, 'base64').toString('latin1')).toContain('armlab demo guest');
    const states = events.filter((e) => e.type === 'state' && e.vm === vm.id).map((e) => (e as { state: string }).state);
    expect(states).toEqual(['created', 'starting', 'running', 'exited']);
  });

  it('streams counters that increase while a guest runs; pause holds them, resume continues, stop ends the run', async () => {
    const vm = await host.create(stride());
    await host.start(vm.id);
    await until(() => {
      const snaps = events.filter((e) => e.type === 'counters' && e.vm === vm.id);
      return snaps.length >= 3 ? snaps : undefined;
    });
    const a = await instructions(vm.id);
    await sleep(250);
    const b = await instructions(vm.id);
    expect(b).toBeGreaterThan(a);

    expect((await host.pause(vm.id)).state).toBe('paused');
    const p1 = await instructions(vm.id);
    await sleep(300);
    expect(await instructions(vm.id)).toBe(p1);
    // The inspector answers on a paused VM (MMU off: VA = PA).
    const t = await host.inspect(vm.id, { va: '0x40200000', access: 'read' });
    expect(t.ok).toBe(true);
    expect(t.pa).toBe('0x40200000');

    expect((await host.resume(vm.id)).state).toBe('running');
    await sleep(250);
    expect(await instructions(vm.id)).toBeGreaterThan(p1);

    const stopped = await host.stop(vm.id);
    expect(stopped.state).toBe('exited');
    expect(stopped.outcome).toEqual({ kind: 'stopped' });
    expect(stopped.summary!.tlbFills).toBeGreaterThan(2000); // one fill per page of the 8 MiB region at least
    await expect(host.pause(vm.id)).rejects.toThrow(/only a running VM/);
  });

  it('refuses invalid configurations with a message per problem, before launch', async () => {
    const bad = spec({
      cpus: [{ model: 'cortex-a99' }, ...Array.from({ length: 8 }, () => ({ model: 'cortex-a53' }))],
      memory: [{ base: 0x4000_0000, size: 4096 }],
      boot: { kind: 'program', path: path.join(dataDir, 'missing.elf') },
    });
    const problems = await host.validate(bad);
    const text = problems.map((p) => p.message).join('\n');
    expect(text).toMatch(/unknown CPU model 'cortex-a99'/);
    expect(text).toMatch(/9 vCPUs: a VM has at most 8 vCPUs/);
    expect(text).toMatch(/too small, at least 1 MiB/);
    expect(text).toMatch(/no such file/);
    await expect(host.create(bad)).rejects.toBeInstanceOf(ApiFailure);

    const garbage = path.join(dataDir, 'garbage.elf');
    writeFileSync(garbage, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60)]));
    expect((await host.validate(spec({ boot: { kind: 'program', path: garbage } }))).map((p) => p.message).join()).toMatch(/not loadable/);
    if (process.arch !== 'arm64')
      expect((await host.validate(spec({ backend: 'kvm' })))[0].message).toMatch(
        /KVM is unavailable: KVM runs guests of the host's own instruction set/,
      );
    // Whatever the host: KVM enters at EL1 and has no software TLB to check.
    const kvmProblems = (await host.validate(spec({ backend: 'kvm', entryEl: 2, checkTlb: true }))).map((p) => `${p.field}: ${p.message}`);
    expect(kvmProblems).toContain('entryEl: KVM enters guests at EL1 (this backend does not offer nested virtualization)');
    expect(kvmProblems).toContain("checkTlb: the TLB checker watches TCG's software TLB: choose TCG to use it");
    expect((await host.validate(spec({ memory: [{ base: 0x0900_0000, size: 2 ** 20 }] }))).map((p) => p.message).join()).toMatch(
      /overlaps the PL011 UART/,
    );
    // The demo is linked at 0x40000000: RAM elsewhere cannot hold it.
    expect((await host.validate(spec({ memory: [{ base: 0x8000_0000, size: 2 ** 24 }] }))).map((p) => p.message).join()).toMatch(
      /outside RAM region 0/,
    );
    expect(
      (await host.validate(spec({ cpus: [{ model: 'cortex-a57' }], memory: [{ base: 2 ** 44, size: 2 ** 20 }] })))
        .map((p) => p.message)
        .join(),
    ).toMatch(/beyond the 44-bit physical address space/);
    expect(await host.validate(spec())).toEqual([]);
  });

  it('saves configurations in the data directory', async () => {
    await host.save(spec({ name: 'b' }));
    await host.save(spec({ name: 'a' }));
    await host.save(spec({ name: 'b', entryEl: 2 }));
    const again = new VmHost({ root, dataDir, transport: 'serve', version: 'test' });
    const saved = await again.listSaved();
    expect(saved.map((s) => s.name)).toEqual(['a', 'b']);
    expect(saved[1].entryEl).toBe(2);
    expect((await again.deleteSaved('a')).map((s) => s.name)).toEqual(['b']);
  });

  it('dispatch answers every request, malformed ones with an error', async () => {
    expect(await dispatch(host, { kind: 'request', id: 7, method: 'list', params: [] })).toMatchObject({ id: 7, ok: true });
    expect(await dispatch(host, { kind: 'request', id: 8, method: 'format-disk', params: [] })).toMatchObject({ id: 8, ok: false });
    expect(await dispatch(host, 'hello')).toMatchObject({ ok: false });
    const r = await dispatch(host, { kind: 'request', id: 9, method: 'create', params: [spec({ cpus: [] })] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.problems?.[0].field).toBe('cpus');
    expect(await dispatch(host, { kind: 'request', id: 10, method: 'start', params: ['vm999'] })).toMatchObject({
      ok: false,
      error: { message: "no VM 'vm999'" },
    });
  });
});
