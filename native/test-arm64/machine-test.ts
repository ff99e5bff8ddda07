/**
 * The arm64 lane's second in-guest test: the same guest (guest.S) through the KVM
 * backend's own machinery instead of raw addon calls — KvmMachine (core/kvm/machine.ts)
 * with one vCPU worker per vCPU (VcpuLoop's arm64 setUp: KVM_ARM_PREFERRED_TARGET,
 * KVM_ARM_VCPU_INIT with PSCI 0.2 / POWER_OFF, ONE_REG PSTATE/PC/X0), the vGICv3 created
 * after the vCPUs, setSpi (KVM_IRQ_LINE), MMIO exits answered by the board's PL011 model
 * through MmioServer, the kick that stops the powered-off vCPU 1, counters and teardown.
 *
 * Bundled by scripts/kvm-arm64-lane.sh with esbuild for Debian's Node 18 (with
 * core/kvm/vcpu-worker.ts as kvm-vcpu-worker.mjs next to it) and run by /init after
 * kvm-arm64-test.mjs. Same output: "PASS …" / "FAIL …", then "kvm-arm64 machine: n passed, m failed".
 */
import { readdirSync } from 'node:fs';
import { Pl011 } from '../../core/board/pl011.js';
import { describeKvm } from '../../core/kvm/info.js';
import { KvmMachine } from '../../core/kvm/machine.js';
import type { VcpuOutcome } from '../../core/kvm/vcpu-loop.js';
// @ts-expect-error -- plain JavaScript generated from guest.S
import { GUEST, RAM_BASE } from './guest-bytes.mjs';

const HIGH_BASE = 2 ** 40;
const UART = 0x0900_0000;
const SPI = 33;

let passed = 0;
let failed = 0;
async function check(what: string, fn: () => Promise<string | void> | string | void): Promise<boolean> {
  try {
    const detail = await fn();
    passed++;
    console.log(`PASS machine: ${what}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`FAIL machine: ${what}: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}
function expectEq<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, expected ${String(expected)}`);
}
const openFds = (): number => readdirSync('/proc/self/fd').length;

async function main(): Promise<void> {
  const info = describeKvm();
  const ipaBits = info.ipaBits ?? 40;
  await check('describeKvm: arm64 guests run here, IPA size from KVM_CAP_ARM_VM_IPA_SIZE', () => {
    if (!info.addon.loaded) throw new Error(`addon: ${info.addon.reason}`);
    if (!info.device.accessible) throw new Error(`/dev/kvm: ${info.device.reason}`);
    if (!(ipaBits > 40)) throw new Error(`ipaBits ${ipaBits}`);
    return `${ipaBits}-bit IPA`;
  });

  const fds0 = openFds();
  const out: number[] = [];
  let m: KvmMachine | undefined;
  const created = await check('KvmMachine.create: 2 vCPU workers (vCPU 1 powered off), vGICv3, RAM at 0x40000000 and 2^40', async () => {
    m = await KvmMachine.create(
      {
        ram: [
          { base: RAM_BASE, size: 0x1_0000 },
          { base: HIGH_BASE, size: 0x1000 },
        ],
        devices: [{ base: UART, size: 0x1000, device: new Pl011((b) => out.push(b)) }],
        vcpus: [
          { arch: 'arm64', pc: BigInt(RAM_BASE), x0: BigInt(HIGH_BASE + 0x10), powerOff: false },
          { arch: 'arm64', powerOff: true },
        ],
        vmType: ipaBits,
        gicV3: { dist: 0x0800_0000, redist: 0x080a_0000, nrIrqs: 96 },
      },
      new URL('./kvm-vcpu-worker.mjs', import.meta.url),
    );
  });
  if (!created || !m) return;
  const vm = m;

  await check(`setSpi(${SPI}): KVM_IRQ_LINE raise and lower`, () => {
    vm.setSpi(SPI, true);
    vm.setSpi(SPI, false);
  });

  let outcomes: VcpuOutcome[] = [];
  await check('run: the guest powers off with PSCI SYSTEM_OFF; vCPU 1 is kicked out of KVM_RUN and stops', async () => {
    vm.writeBytes(RAM_BASE, GUEST as Uint8Array);
    vm.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<VcpuOutcome[]>((resolve) => {
      timer = setTimeout(() => void vm.stop().then(resolve), 60_000);
    });
    outcomes = await Promise.race([vm.wait(), timeout]);
    clearTimeout(timer);
    const o = outcomes[0];
    if (o.kind !== 'system-event') throw new Error(`vCPU 0 ended with ${JSON.stringify(o)}`);
    expectEq(o.type, vm.addon.constants.KVM_SYSTEM_EVENT_SHUTDOWN, 'system event type');
    expectEq(outcomes[1].kind, 'stopped', 'vCPU 1 outcome');
    return outcomes.map((x, i) => `vCPU ${i}: ${x.kind}`).join(', ');
  });

  await check('MMIO through MmioServer to the PL011 model: "K" transmitted, UARTFR read 0x90', () => {
    expectEq(Buffer.from(out).toString('latin1'), 'K', 'UART output');
    const fr = new DataView(vm.readBytes(RAM_BASE + 0x1040, 4).buffer).getUint32(0, true);
    expectEq(fr, 0x90, 'UARTFR as the guest read it');
  });

  await check('guest RAM through KvmMachine.readBytes: the pattern and the word at 2^40', () => {
    const w = new DataView(vm.readBytes(RAM_BASE + 0x1000, 64).buffer);
    for (let i = 0; i < 16; i++) expectEq(w.getUint32(i * 4, true), (0xc0debeef + i * 0x01010101) >>> 0, `pattern word ${i}`);
    expectEq(new DataView(vm.readBytes(HIGH_BASE + 0x10, 4).buffer).getUint32(0, true), 0x48494748, 'word at 2^40 + 0x10');
  });

  await check('counters: vCPU 0 saw 1 MMIO write, 1 MMIO read, 1 SYSTEM_EVENT', () => {
    const c = vm.counters()[0];
    expectEq(c.mmioWrites, 1, 'MMIO writes');
    expectEq(c.mmioReads, 1, 'MMIO reads');
    expectEq(c.exits.SYSTEM_EVENT, 1, 'SYSTEM_EVENT exits');
    return `exits ${JSON.stringify(c.exits)}`;
  });

  await check('close: workers gone, no file descriptors left open', async () => {
    await vm.close();
    expectEq(openFds(), fds0, 'open fds');
  });
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`FAIL machine: unexpected error: ${e instanceof Error ? e.stack : String(e)}`);
}
console.log(`kvm-arm64 machine: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
