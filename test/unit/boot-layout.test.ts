// core/board/boot-layout.ts: where a Linux Image goes (Documentation/arch/arm64/booting.rst:
// "text_offset bytes from a 2MB aligned base address anywhere in usable system RAM").
import { describe, it, expect } from 'vitest';
import { planBoot } from '../../core/board/boot-layout';
import type { Loadable } from '../../core/loader/detect';

const MiB = 2 ** 20;

function image(textOffset: number, imageSize: number): Loadable {
  return { kind: 'image', image: { textOffset, imageSize, flags: 0b1010n, data: new Uint8Array(4096) } };
}

const dtb = (): Uint8Array => new Uint8Array(64);

describe('planBoot: Linux Image placement', () => {
  it('RAM at a 2 MiB boundary: the Image at RAM base + text_offset', () => {
    const p = planBoot(image(0, 16 * MiB), 0x4000_0000, 128 * MiB, dtb);
    expect(p.entry).toBe(0x4000_0000n);
    expect(p.writes[0]).toMatchObject({ pa: 0x4000_0000, what: 'kernel Image' });
    const old = planBoot(image(0x80000, 16 * MiB), 0x4000_0000, 128 * MiB, dtb);
    expect(old.entry).toBe(0x4008_0000n);
  });

  it('RAM not 2 MiB aligned (0x40001000): the Image at the next 2 MiB boundary + text_offset, not at RAM base', () => {
    const p = planBoot(image(0, 16 * MiB), 0x4000_1000, 128 * MiB, dtb);
    expect(p.entry).toBe(0x4020_0000n);
    const q = planBoot(image(0x80000, 16 * MiB), 0x4000_1000, 128 * MiB, dtb);
    expect(q.entry).toBe(0x4028_0000n);
    // The DTB stays 2 MiB aligned and after the kernel.
    expect(Number(p.x0) % (2 * MiB)).toBe(0);
    expect(Number(p.x0)).toBeGreaterThanOrEqual(0x4020_0000 + 16 * MiB);
  });

  it('refuses an Image that does not fit between the aligned base and the end of RAM', () => {
    // 4 MiB of RAM at 0x40001000: the aligned base is 0x40200000, leaving ~2 MiB for a 3 MiB image.
    expect(() => planBoot(image(0, 3 * MiB), 0x4000_1000, 4 * MiB, dtb)).toThrow(/kernel Image at 0x40200000\.\.0x40500000 is outside RAM/);
  });

  it('a raw binary keeps QEMU’s place: RAM base + 0x80000', () => {
    const p = planBoot({ kind: 'raw', data: new Uint8Array(16) }, 0x4000_0000, 128 * MiB, dtb);
    expect(p.entry).toBe(0x4008_0000n);
  });
});
