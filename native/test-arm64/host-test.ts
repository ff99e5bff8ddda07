/**
 * The arm64 lane's third in-guest test: the lab's own path to KVM — VmHost (core/host)
 * with a `backend: 'kvm'` VM, its VM worker (core/host/vm-worker.ts → KvmVirt) and the KVM
 * vCPU workers — on a bare-metal guest and a 2-vCPU one: the backend is offered, console
 * output arrives as host events, KVM counters stream, the run ends powered off with a summary,
 * pause/resume work, and the same spec on TCG (in the same host) gives the same console.
 *
 * Bundled by scripts/kvm-arm64-lane.sh for Debian's Node 18 with vm-worker.js, vcpu-worker.js
 * and kvm-vcpu-worker.js beside it; run by /init. Prints "PASS host: …" / "FAIL host: …" and
 * "kvm-arm64 host: n passed, m failed".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostEvent, VmSpec } from '../../core/host/api.js';
import { VmHost } from '../../core/host/vmhost.js';

let passed = 0;
let failed = 0;
async function check(what: string, fn: () => Promise<string | void>): Promise<void> {
  try {
    const detail = await fn();
    passed++;
    console.log(`PASS host: ${what}${detail ? ` (${detail})` : ''}`);
  } catch (e) {
    failed++;
    console.log(`FAIL host: ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
function expectEq<T>(actual: T, expected: T, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

const here = new URL('.', import.meta.url);
const events: HostEvent[] = [];
const host = new VmHost({
  root: '/lane',
  workerUrl: new URL('vm-worker.js', here),
  vcpuWorkerUrl: new URL('vcpu-worker.js', here),
  dataDir: mkdtempSync(join(tmpdir(), 'armlab-host-')),
  transport: 'serve',
  version: 'kvm-arm64-lane',
});
host.on((e) => events.push(e));

const spec = (backend: 'tcg' | 'kvm', guest: string, cpus = 1): VmSpec => ({
  name: `${guest}-${backend}`,
  backend,
  cpus: Array.from({ length: cpus }, () => ({ model: 'max' })),
  memory: [{ base: 0x4000_0000, size: 128 * 2 ** 20 }],
  entryEl: 1,
  boot: { kind: 'program', path: `/lane/guests/${guest}.elf` },
});
const consoleOf = (vm: string): string =>
  events
    .filter((e): e is Extract<HostEvent, { type: 'console' }> => e.type === 'console' && e.vm === vm)
    .map((e) => Buffer.from(e.data, 'base64').toString('latin1'))
    .join('');
async function until<T>(f: () => T | undefined, ms: number, what: string): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const ended = (vm: string, ms = 300_000) => until(() => events.find((e) => e.type === 'exit' && e.vm === vm), ms, `the end of ${vm}`);

async function runToEnd(s: VmSpec): Promise<{ id: string; console: string }> {
  const vm = await host.create(s);
  await host.start(vm.id);
  await ended(vm.id);
  return { id: vm.id, console: consoleOf(vm.id) };
}

async function main(): Promise<void> {
  await check('info: the KVM backend is offered on this arm64 host', async () => {
    const kvm = (await host.info()).backends.find((b) => b.kind === 'kvm');
    if (!kvm?.available) throw new Error(`KVM unavailable: ${kvm?.reason}`);
    return kvm.detail;
  });

  await check('a KVM VM runs hello: console events, powered off, KVM counters and a summary', async () => {
    const r = await runToEnd(spec('kvm', 'hello'));
    if (!r.console.includes('hello from armlab guest (uart)')) throw new Error(`console: ${JSON.stringify(r.console)}`);
    const h = await host.history(r.id);
    expectEq(h.vm.outcome, { kind: 'poweroff' }, 'outcome');
    const s = h.vm.summary!;
    if (!(s.kvmExits! > 0 && s.mmioAccesses! > 0 && s.kvmGuestMs! > 0)) throw new Error(`summary ${JSON.stringify(s)}`);
    const last = h.counters.at(-1)!.cpus[0];
    if (!((last.other?.['exits.MMIO'] ?? 0) > 0)) throw new Error(`counters ${JSON.stringify(last)}`);
    return `${s.kvmExits} exits, ${s.mmioAccesses} MMIO, ${s.kvmGuestMs} ms in KVM_RUN`;
  });

  await check('the same spec on TCG and on KVM print the same console (c_sha256)', async () => {
    const t = await runToEnd(spec('tcg', 'c_sha256'));
    const k = await runToEnd(spec('kvm', 'c_sha256'));
    expectEq(k.console, t.console, 'console');
    return `${k.console.length} bytes`;
  });

  await check('2 vCPUs under KVM (smp_counter): PSCI CPU_ON by KVM, exact totals, counters for both vCPUs', async () => {
    const r = await runToEnd(spec('kvm', 'smp_counter', 2));
    if (!r.console.includes('cpus 2\nlocked total 40000 (expected 40000)\natomic total 40000 (expected 40000)')) throw new Error(r.console);
    const h = await host.history(r.id);
    expectEq(h.counters.at(-1)!.cpus.length, 2, 'vCPUs in the counter stream');
  });

  await check('pause and resume a running KVM VM, then stop it', async () => {
    const vm = await host.create(spec('kvm', 'demo'));
    await host.start(vm.id);
    await until(() => (consoleOf(vm.id).includes('armlab demo guest') ? true : undefined), 120_000, 'demo output');
    expectEq((await host.pause(vm.id)).state, 'paused', 'state after pause');
    const n = consoleOf(vm.id).length;
    await new Promise((r) => setTimeout(r, 1500));
    if (consoleOf(vm.id).length !== n) throw new Error('console grew while paused');
    expectEq((await host.resume(vm.id)).state, 'running', 'state after resume');
    await host.stop(vm.id);
    await ended(vm.id, 60_000);
    expectEq((await host.history(vm.id)).vm.outcome, { kind: 'stopped' }, 'outcome');
  });
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`FAIL host: unexpected error: ${e instanceof Error ? e.stack : String(e)}`);
}
await host.dispose();
console.log(`kvm-arm64 host: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
