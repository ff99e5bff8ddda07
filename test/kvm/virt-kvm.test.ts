// The KVM board's plan (core/kvm/virt-kvm.ts kvmBoardPlan): pure, so it is checked on every
// host — the same placement as TCG's VirtMachine, the IPA size chosen from the RAM layout and
// the host's KVM_CAP_ARM_VM_IPA_SIZE, clear refusals. The DTB is read back with Debian's dtc.
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvmBoardPlan, kvmOutcome } from '../../core/kvm/virt-kvm.js';
import { VirtMachine } from '../../core/board/virt.js';
import { detect } from '../../core/loader/detect.js';

const root = join(import.meta.dirname, '..', '..');
const demo = detect(new Uint8Array(readFileSync(join(root, 'resources/demo/demo.elf'))), 'demo.elf');
const hasDtc = spawnSync('dtc', ['--version']).status === 0;

/** A minimal arm64 Image header (booting.rst): text_offset 0, image_size 2 MiB, "ARM\x64" magic. */
function fakeImage(): Uint8Array {
  const b = new Uint8Array(4096);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x14000000 + 16, true); // b +64
  v.setBigUint64(8, 0n, true);
  v.setBigUint64(16, 2n << 20n, true);
  v.setBigUint64(24, 0xan, true); // LE, 4K pages, anywhere
  v.setUint32(56, 0x644d5241, true);
  return b;
}

function dts(dtb: Uint8Array): string {
  const f = join(mkdtempSync(join(tmpdir(), 'armlab-kvm-dt-')), 'b.dtb');
  writeFileSync(f, dtb);
  return execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('KVM board plan', () => {
  const ram = [{ base: 0x4000_0000, size: 128 << 20 }];

  it('places a bare-metal ELF exactly as the TCG board does; vCPU 0 at the entry, the others powered off', () => {
    const p = kvmBoardPlan({ cpus: 3, memory: ram }, { ipaSizeCap: 48 }, demo);
    const tcg = new VirtMachine({ cpu: 'max', mem: 128 << 20 }, { write: () => {} });
    tcg.load(demo);
    for (const w of p.boot.writes.filter((x) => x.what !== 'device tree'))
      expect(Buffer.from(tcg.bus.readBytes(w.pa, w.data.length)).equals(w.data), `${w.what} at 0x${w.pa.toString(16)}`).toBe(true);
    expect(p.machine.vcpus[0]).toEqual({ arch: 'arm64', pc: tcg.cpu.pc, x0: undefined, powerOff: false });
    expect(p.machine.vcpus.slice(1)).toEqual([
      { arch: 'arm64', powerOff: true },
      { arch: 'arm64', powerOff: true },
    ]);
    expect(p.machine.gicV3).toEqual({ dist: 0x0800_0000, redist: 0x080a_0000, nrIrqs: 288 });
    expect(p.machine.ram).toEqual(ram);
  });

  it('chooses the smallest IPA size that holds the RAM (at least 40), and 0 (the default type) without the capability', () => {
    expect(kvmBoardPlan({ cpus: 1, memory: ram }, { ipaSizeCap: 48 }, demo).machine.vmType).toBe(40);
    expect(kvmBoardPlan({ cpus: 1, memory: ram }, { ipaSizeCap: 0 }, demo).machine.vmType).toBe(0);
    // Accesses to no device become external aborts only where KVM can inject them.
    expect(kvmBoardPlan({ cpus: 1, memory: ram }, { ipaSizeCap: 40, injectExtDabt: true }, demo).machine.injectExtDabt).toBe(true);
    expect(kvmBoardPlan({ cpus: 1, memory: ram }, { ipaSizeCap: 40 }, demo).machine.injectExtDabt).toBe(false);
    const high = [...ram, { base: 2 ** 44, size: 64 << 20 }];
    const p = kvmBoardPlan({ cpus: 1, memory: high }, { ipaSizeCap: 48 }, demo);
    expect(p.machine.vmType).toBe(45);
    expect(p.ipaBits).toBe(45);
    expect(() => kvmBoardPlan({ cpus: 1, memory: high }, { ipaSizeCap: 0 }, demo)).toThrow(
      /needs a 45-bit IPA space; this host's KVM offers 40 bits \(KVM_CAP_ARM_VM_IPA_SIZE absent\)/,
    );
    expect(() => kvmBoardPlan({ cpus: 1, memory: [...ram, { base: 2 ** 50, size: 1 << 20 }] }, { ipaSizeCap: 48 }, demo)).toThrow(
      /51-bit IPA space; this host's KVM offers 48 bits/,
    );
  });

  it('refuses what KVM cannot map: unaligned slots, RAM over the device window, too many vCPUs', () => {
    expect(() => kvmBoardPlan({ cpus: 1, memory: [{ base: 0x4000_1000, size: 1 << 20 }] }, { ipaSizeCap: 48 }, demo)).toThrow(
      /64 KiB aligned/,
    );
    expect(() => kvmBoardPlan({ cpus: 1, memory: [{ base: 0, size: 1 << 30 }] }, { ipaSizeCap: 48 }, demo)).toThrow(/device window/);
    expect(() => kvmBoardPlan({ cpus: 4, memory: ram }, { ipaSizeCap: 48, maxVcpus: 2 }, demo)).toThrow(/this host's KVM allows 2/);
    expect(() => kvmBoardPlan({ cpus: 9, memory: ram }, { ipaSizeCap: 48 }, demo)).toThrow(/1 to 8/);
  });

  it.skipIf(!hasDtc)(
    'boots a kernel Image with x0 = the DTB: PSCI through HVC, every vCPU with enable-method psci, vGICv3 regions, initrd in /chosen',
    () => {
      const initrd = new Uint8Array(5000).fill(7);
      const mem = [
        { base: 0x4000_0000, size: 256 << 20 },
        { base: 0x1_0000_0000, size: 64 << 20 },
      ];
      const p = kvmBoardPlan(
        { cpus: 2, memory: mem, cmdline: 'console=ttyAMA0' },
        { ipaSizeCap: 40 },
        detect(fakeImage(), 'Image'),
        initrd,
      );
      expect(p.boot.kernel).toBe(true);
      expect(p.machine.vcpus[0]).toMatchObject({ pc: 0x4000_0000n, powerOff: false });
      const dtbWrite = p.boot.writes.find((w) => w.what === 'device tree')!;
      expect(p.machine.vcpus[0]).toMatchObject({ x0: BigInt(dtbWrite.pa) });
      expect(dtbWrite.pa % (2 << 20)).toBe(0);
      const s = dts(dtbWrite.data);
      expect(s).toMatch(/psci \{[^}]*method = "hvc";/s);
      expect(s.match(/enable-method = "psci";/g)).toHaveLength(2);
      expect(s).toContain('bootargs = "console=ttyAMA0";');
      expect(s).toMatch(/reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x40000>;/);
      expect(s).toContain('memory@100000000');
      const ird = p.boot.writes.find((w) => w.what === 'initrd')!;
      expect(s).toContain(`linux,initrd-start = <0x00 0x${ird.pa.toString(16)}>;`);
    },
  );

  it('maps vCPU outcomes to the run outcome: SYSTEM_OFF → poweroff, reset, errors name the vCPU', () => {
    expect(kvmOutcome([{ kind: 'system-event', type: 1 }, { kind: 'stopped' }], 1, 2)).toEqual({ kind: 'poweroff' });
    expect(kvmOutcome([{ kind: 'stopped' }, { kind: 'system-event', type: 2 }], 1, 2)).toEqual({ kind: 'reset' });
    expect(kvmOutcome([{ kind: 'stopped' }, { kind: 'error', message: 'KVM internal error' }], 1, 2)).toEqual({
      kind: 'error',
      message: 'vCPU 1: KVM internal error',
    });
    expect(kvmOutcome([{ kind: 'stopped' }], 1, 2)).toEqual({ kind: 'stopped' });
  });
});
