/**
 * Where a program, kernel, initrd and device tree go in guest RAM, and the entry
 * state — one plan shared by every backend (TCG's VirtMachine, the KVM board), so a
 * guest sees the same memory under both.
 *
 * Linux Image / raw binary (Documentation/arch/arm64/booting.rst, QEMU -kernel):
 * an Image "must be placed text_offset bytes from a 2MB aligned base address", so at
 * align_up(RAM base, 2 MiB) + text_offset (raw: RAM base + 0x80000), the initrd at RAM base +
 * min(RAM/2, 128 MiB) (or after the kernel if that is higher), the DTB after the
 * initrd on a 2 MiB boundary; x0 = DTB, x1..x3 = 0.
 * ELF: segments at their physical addresses; the DTB at the bottom of RAM when the
 * program leaves it free (as QEMU does for bare-metal ELF images); x0 untouched.
 */
import type { Loadable } from '../loader/detect.js';
import { LoadError } from '../loader/elf.js';

export interface BootPlan {
  /** Bytes to place, in order (later writes win). */
  writes: { pa: number; data: Uint8Array; what: string }[];
  entry: bigint;
  /** End of the loaded program (semihosting SYS_HEAPINFO puts the heap after it). */
  imageEnd: number;
  /** The DTB address for x0 (kernel boots), or undefined (ELF programs: x0 as reset left it). */
  x0?: bigint;
  /** A kernel boot (Image or raw binary): the interrupt controller starts with every interrupt in Group 1. */
  kernel: boolean;
  initrd?: { start: number; end: number };
}

const align = (v: number, a: number): number => Math.ceil(v / a) * a;

/**
 * Plan the boot of `l` into the RAM region [ramBase, ramBase + ramSize). `deviceTree` builds
 * the DTB once the initrd's place is known (it goes into /chosen).
 */
export function planBoot(
  l: Loadable,
  ramBase: number,
  ramSize: number,
  deviceTree: (initrd?: { start: number; end: number }) => Uint8Array,
  initrd?: Uint8Array,
): BootPlan {
  const ramEnd = ramBase + ramSize;
  const check = (pa: number, len: number, what: string): void => {
    if (pa < ramBase || pa + len > ramEnd) {
      throw new LoadError(
        `${what} at 0x${pa.toString(16)}..0x${(pa + len).toString(16)} is outside RAM 0x${ramBase.toString(16)}..0x${ramEnd.toString(16)} (use --mem to enlarge RAM)`,
      );
    }
  };
  const writes: BootPlan['writes'] = [];
  let entry: bigint;
  let imageEnd: number;
  switch (l.kind) {
    case 'elf':
      for (const s of l.elf.segments) {
        check(s.paddr, s.memSize, 'ELF segment');
        writes.push({ pa: s.paddr, data: s.data, what: 'ELF segment' });
        if (s.memSize > s.data.length)
          writes.push({ pa: s.paddr + s.data.length, data: new Uint8Array(s.memSize - s.data.length), what: 'ELF bss' });
      }
      imageEnd = l.elf.end;
      entry = l.elf.entry;
      break;
    case 'image': {
      const at = align(ramBase, 2 ** 21) + l.image.textOffset;
      const size = Math.max(l.image.imageSize, l.image.data.length);
      check(at, size, 'kernel Image');
      writes.push({ pa: at, data: l.image.data, what: 'kernel Image' });
      imageEnd = at + size;
      entry = BigInt(at);
      break;
    }
    case 'raw': {
      // QEMU loads a raw AArch64 binary like an Image without header: RAM base + 0x80000.
      const at = ramBase + 0x80000;
      check(at, l.data.length, 'raw binary');
      writes.push({ pa: at, data: l.data, what: 'raw binary' });
      imageEnd = at + l.data.length;
      entry = BigInt(at);
      break;
    }
  }
  if (l.kind === 'elf') {
    if (initrd) throw new LoadError('--initrd needs a Linux kernel Image, not an ELF program');
    const dtb = deviceTree();
    const free = l.elf.segments.every((s) => s.paddr >= ramBase + dtb.length || s.paddr + s.memSize <= ramBase);
    if (free) writes.push({ pa: ramBase, data: dtb, what: 'device tree' });
    return { writes, entry, imageEnd, kernel: false };
  }
  let next = align(Math.max(imageEnd, ramBase + Math.min(ramSize / 2, 128 * 2 ** 20)), 4096);
  let initrdRange: { start: number; end: number } | undefined;
  if (initrd) {
    check(next, initrd.length, 'initrd');
    writes.push({ pa: next, data: initrd, what: 'initrd' });
    initrdRange = { start: next, end: next + initrd.length };
    next = align(next + initrd.length, 4096);
  }
  const dtb = deviceTree(initrdRange);
  next = align(next, 2 ** 21);
  check(next, dtb.length, 'device tree');
  writes.push({ pa: next, data: dtb, what: 'device tree' });
  return { writes, entry, imageEnd, x0: BigInt(next), kernel: true, initrd: initrdRange };
}
