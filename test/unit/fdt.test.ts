// The DTB writer checked against Debian's dtc (device-tree-compiler), our decoding oracle for DTBs.
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDtb, node, str, u32, u64, empty } from '../../core/board/fdt.js';
import { virtDtb } from '../../core/board/virt-dt.js';
import { VirtMachine } from '../../core/board/virt.js';

const hasDtc = spawnSync('dtc', ['--version']).status === 0;
if (!hasDtc) console.log('fdt.test: dtc not installed (Debian device-tree-compiler); oracle checks skipped');

function decompile(dtb: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'armlab-fdt-'));
  const f = join(dir, 't.dtb');
  writeFileSync(f, dtb);
  return execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe.skipIf(!hasDtc)('DTB writer vs dtc', () => {
  it('round-trips properties of every kind', () => {
    const dtb = writeDtb(
      node('', { compatible: str('a,b', 'c'), '#address-cells': u32(2) }, [
        node('n@1', { big: u64(0x123456789abcdefn), flag: empty(), cells: u32(1, 0xffffffff) }),
      ]),
    );
    const dts = decompile(dtb);
    expect(dts).toContain('compatible = "a,b\\0c";');
    expect(dts).toContain('#address-cells = <0x02>;');
    expect(dts).toContain('big = <0x1234567 0x89abcdef>;');
    expect(dts).toContain('flag;');
    expect(dts).toContain('cells = <0x01 0xffffffff>;');
  });

  it('describes the virt board with RAM above 4 GiB, bootargs and initrd', () => {
    const dts = decompile(
      virtDtb({
        ram: [{ base: 0x40_0000_0000, size: 0x8000_0000 }],
        cpuCompatible: 'arm,cortex-a57',
        cpus: 2,
        psciMethod: 'hvc',
        uartBase: 0x0900_0000,
        bootargs: 'console=ttyAMA0 earlycon',
        rtc: { base: 0x0901_0000, spi: 2 },
        initrd: { start: 0x48000000, end: 0x48100000 },
      }),
    );
    expect(dts).toContain('memory@4000000000 {');
    expect(dts).toContain('reg = <0x40 0x00 0x00 0x80000000>;');
    expect(dts).toContain('bootargs = "console=ttyAMA0 earlycon";');
    expect(dts).toContain('linux,initrd-start = <0x00 0x48000000>;');
    expect(dts).toContain('enable-method = "psci";');
    expect(dts).toContain('method = "hvc";');
    expect(dts).toContain('stdout-path = "/pl011@9000000";');
    expect(dts).toContain('pl031@9010000 {');
    expect(dts).toContain('compatible = "arm,pl031\\0arm,primecell";');
  });
});

describe.skipIf(!hasDtc)('virt board device tree', () => {
  // Without `interrupts` the amba-pl011 driver registers ttyAMA0 with irq 0 and the shell's
  // console gets no input (found booting Debian's 6.1 kernel: "ttyAMA0 at MMIO 0x9000000 (irq = 0…)").
  it('gives the PL011 its SPI (QEMU virt: SPI 1, level-high)', () => {
    const vm = new VirtMachine({ cpu: 'cortex-a57', mem: 16 << 20 }, { write: () => {} });
    const dts = decompile(vm.deviceTree());
    const uart = /pl011@9000000 \{[^}]*\}/.exec(dts)?.[0] ?? '';
    expect(uart).toContain('interrupts = <0x00 0x01 0x04>;');
  });

  // Without a seed Linux's CRNG stays empty until enough interrupts arrive, and every
  // get_random_bytes() meanwhile re-extracts the input pool: 21% of a booted busybox
  // shell's instructions went to blake2s_compress (Debian 6.1, no "random: crng init done").
  it('passes /chosen/rng-seed (32 bytes, as QEMU) so the kernel CRNG starts seeded', () => {
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i);
    const vm = new VirtMachine({ cpu: 'cortex-a57', mem: 16 << 20, rngSeed: seed }, { write: () => {} });
    const dts = decompile(vm.deviceTree());
    // dtc shows 32 bytes as 8 big-endian cells.
    expect(dts).toContain('rng-seed = <0x10203 0x4050607 0x8090a0b 0xc0d0e0f 0x10111213 0x14151617 0x18191a1b 0x1c1d1e1f>;');
    const other = decompile(new VirtMachine({ cpu: 'cortex-a57', mem: 16 << 20 }, { write: () => {} }).deviceTree());
    expect(other).toMatch(/rng-seed = <(0x[0-9a-f]+ ){7}0x[0-9a-f]+>;/);
  });
});

describe('DTB writer', () => {
  it('rejects duplicate properties', () => {
    expect(() => writeDtb(node('', { a: u32(1) }, [node('x', {}), node('x', {})]))).toThrow(/duplicate child/);
  });
});
