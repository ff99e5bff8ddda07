// Progress of long work: a Linux boot's console milestones (core/host/boot-progress.ts), and the Debian
// guest download (VmHost.fetchGuest running scripts/fetch-guest.sh; here a fake script, no network):
// step k of n, the package, bytes while it downloads, the Debian preset available afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent, TaskProgress } from '../../core/host/api.js';
import { BootProgress, LINUX_MILESTONES } from '../../core/host/boot-progress.js';
import { FETCH_STEPS, stepOf } from '../../core/host/fetch-guest.js';
import { VmHost } from '../../core/host/vmhost.js';
import { writeFakeFetchScript } from './fake-fetch.js';
import { ensureWorker, guest, root, until } from './worker.js';

const enc = new TextEncoder();

describe('Linux boot progress from the console', () => {
  it('reports each milestone once, in order, with step k of n, also when a chunk boundary splits it', () => {
    const b = new BootProgress();
    const n = LINUX_MILESTONES.length;
    expect(b.feed(enc.encode('EFI stub: Booting Linux Kernel...\n[    0.000000] Booting Li'))).toBeUndefined();
    expect(b.feed(enc.encode('nux on physical CPU 0x0000000000 [0x411fd070]\n'))).toEqual({
      phase: 'kernel started',
      fraction: 1 / n,
      step: 1,
      steps: n,
    });
    expect(b.feed(enc.encode('Booting Linux on physical CPU 0x1\n'))).toBeUndefined();
    // A later milestone implies the ones before it.
    expect(b.feed(enc.encode('[    1.2] Trying to unpack rootfs image as initramfs...\n[ 1.3] Unpacking initramfs\n'))?.step).toBe(3);
    expect(b.feed(enc.encode('smp: Brought up 1 node, 2 CPUs\n'))).toBeUndefined();
    expect(b.feed(enc.encode('[ 9.9] Freeing unused kernel memory: 8000K\n[ 10.0] Run /init as init process\n'))).toMatchObject({
      phase: 'starting init',
      step: 5,
    });
    expect(b.done).toBe(false);
    expect(b.feed(enc.encode('ARMLAB-MARKER: init reached\n'))).toMatchObject({ phase: 'init reached', fraction: 1, step: n });
    expect(b.done).toBe(true);
    expect(b.feed(enc.encode('Run /init\n'))).toBeUndefined();
  });

  it('decodes UTF-8 split across chunks without losing the milestone after it', () => {
    const b = new BootProgress([{ text: 'é-Booting', phase: 'x' }]);
    const bytes = enc.encode('é-Booting');
    expect(b.feed(bytes.slice(0, 1))).toBeUndefined();
    expect(b.feed(bytes.slice(1))).toMatchObject({ step: 1, steps: 1 });
  });
});

describe('boot progress of a run', () => {
  it("a kernel boot's milestones arrive as progress events, in order, with the run time; a program's do not", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-bootprog-'));
    const host = new VmHost({ root, workerUrl: await ensureWorker(), dataDir, transport: 'serve', version: 'test' });
    const events: HostEvent[] = [];
    host.on((e) => events.push(e));
    try {
      const spec = (kind: 'kernel' | 'program') => ({
        name: kind,
        backend: 'tcg' as const,
        cpus: [{ model: 'cortex-a57' }],
        memory: [{ base: 0x4000_0000, size: 2 ** 27 }],
        entryEl: 1 as const,
        // A stand-in boot log (resources/guest/tests/lab_boot_log.c), booted the way a kernel is.
        boot: { kind, path: guest('lab_boot_log') },
      });
      const boot = await host.create(spec('kernel'));
      await host.start(boot.id);
      await until(() => events.some((e) => e.type === 'exit' && e.vm === boot.id), 60_000);
      const steps = events.flatMap((e) => (e.type === 'progress' && e.vm === boot.id && e.steps !== undefined ? [e] : []));
      // Milestones that land in one console batch are reported once, as the furthest: steps only grow.
      const nums = steps.map((e) => e.step!);
      expect(nums.length).toBeGreaterThanOrEqual(3);
      nums.slice(1).forEach((k, i) => expect(k).toBeGreaterThan(nums[i]));
      for (const e of steps) expect(e.phase).toBe(`booting: ${LINUX_MILESTONES[e.step! - 1].phase}`);
      expect(steps.at(-1)).toMatchObject({ fraction: 1, steps: 6 });
      const times = steps.map((e) => e.elapsedMs!);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[5]).toBeGreaterThan(0);

      const prog = await host.create(spec('program'));
      await host.start(prog.id);
      await until(() => events.some((e) => e.type === 'exit' && e.vm === prog.id), 60_000);
      expect(events.some((e) => e.type === 'progress' && e.vm === prog.id && e.steps !== undefined)).toBe(false);
    } finally {
      await host.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the Debian guest download (fetchGuest)', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'armlab-fetch-'));
  const saved = { cache: process.env.ARMLAB_CACHE, script: process.env.ARMLAB_FETCH_GUEST_SCRIPT };
  let host: VmHost;
  const tasks: TaskProgress[] = [];

  beforeAll(() => {
    process.env.ARMLAB_CACHE = path.join(tmp, 'cache');
    host = new VmHost({ root, dataDir: path.join(tmp, 'data'), transport: 'serve', version: 'test' });
    host.on((e: HostEvent) => {
      if (e.type === 'task') tasks.push(e.task);
    });
  });
  afterAll(async () => {
    await host.dispose();
    for (const [k, v] of [
      ['ARMLAB_CACHE', saved.cache],
      ['ARMLAB_FETCH_GUEST_SCRIPT', saved.script],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it("knows the real script's status lines", () => {
    expect(stepOf('apt-get update')).toBe(0);
    expect(stepOf('downloading linux-image-6.1.0-28-cloud-arm64:arm64 6.1.119-1')).toBe(1);
    expect(stepOf('downloading linux-image-6.1.0-28-arm64:arm64 6.1.119-1')).toBe(2);
    expect(stepOf('downloading busybox-static:arm64 1:1.35.0-4+b3')).toBe(3);
    expect(stepOf('extracting kernels and building the initramfs')).toBe(4);
    expect(stepOf('ready in /home/u/.cache/armlab/linux')).toBe(5);
    expect(stepOf('another fetch holds /x/.lock; waiting')).toBe(-1);
    expect(FETCH_STEPS).toHaveLength(6);
  });

  it('a failed download: the error line of the script, and a last event with done and error', async () => {
    process.env.ARMLAB_FETCH_GUEST_SCRIPT = writeFakeFetchScript(tmp, { fail: true, stepMs: 50 });
    tasks.length = 0;
    const r = await host.fetchGuest();
    expect(r.ok).toBe(false);
    expect(r.message).toBe("cannot download linux-image-6.1.0-99-cloud-arm64:arm64: no network access to Debian's archive");
    expect(tasks.at(-1)).toMatchObject({ done: true, error: r.message, step: 2, steps: 6 });
  });

  it('steps, package names and bytes as they arrive; the Debian preset is available afterwards', async () => {
    expect((await host.info()).presets.find((p) => p.id === 'debian-linux')?.unavailable).toMatch(/not in .* yet/);
    process.env.ARMLAB_FETCH_GUEST_SCRIPT = writeFakeFetchScript(tmp, { stepMs: 300 });
    tasks.length = 0;
    const running = host.fetchGuest();
    await expect(host.fetchGuest()).rejects.toThrow(/already being fetched/);
    const r = await running;
    expect(r).toMatchObject({ ok: true });
    expect(r.message).toContain('KERNEL=');
    const steps = tasks.map((t) => t.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(tasks.map((t) => t.phase)).toEqual(
      expect.arrayContaining([
        'apt-get update',
        'downloading linux-image-6.1.0-99-cloud-arm64:arm64 6.1.999-1',
        'downloading busybox-static:arm64 1:1.35.0-4+b3',
        'extracting kernels and building the initramfs',
      ]),
    );
    const bytes = tasks.filter((t) => t.step === 2 && t.bytes !== undefined).map((t) => t.bytes!);
    expect(bytes.length).toBeGreaterThan(0);
    expect(Math.max(...bytes)).toBeGreaterThanOrEqual(262144);
    expect(tasks.at(-1)).toMatchObject({ done: true, step: 6, steps: 6, phase: 'ready' });
    expect(tasks.at(-1)?.error).toBeUndefined();
    const debian = (await host.info()).presets.find((p) => p.id === 'debian-linux')!;
    expect(debian.unavailable).toBeUndefined();
    expect(debian.spec.boot).toMatchObject({ kind: 'kernel', path: path.join(tmp, 'cache', 'linux', 'vmlinuz-6.1.0-99-cloud-arm64') });
  });

  it('a missing script is reported, not thrown', async () => {
    process.env.ARMLAB_FETCH_GUEST_SCRIPT = path.join(tmp, 'nope.sh');
    const r = await host.fetchGuest();
    expect(r).toEqual({ ok: false, message: `the guest fetcher ${path.join(tmp, 'nope.sh')} is missing` });
  });
});
