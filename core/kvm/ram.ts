/**
 * Guest RAM for KVM: SharedArrayBuffers whose bytes start on a host page, as
 * KVM_SET_USER_MEMORY_REGION requires. A growable SharedArrayBuffer is reserved
 * with the page allocator and comes back page-aligned (measured: REFERENCES.md);
 * a plain one is malloc'ed (offset 16 for large sizes). If the growable one is
 * not aligned either, over-allocate by a page and start the view at the next page.
 */
import type { KvmAddon } from './addon.js';

export interface GuestRam {
  readonly base: number;
  readonly size: number;
  readonly sab: SharedArrayBuffer;
  /** Byte offset of guest address `base` in `sab` (0 unless the fallback was needed). */
  readonly offset: number;
  readonly u8: Uint8Array;
}

type GrowableSabCtor = new (length: number, options: { maxByteLength: number }) => SharedArrayBuffer;

export function allocGuestRam(addon: KvmAddon, base: number, size: number): GuestRam {
  const page = addon.pageSize;
  if (size <= 0 || size % page !== 0 || base % page !== 0) {
    throw new Error(`KVM RAM at 0x${base.toString(16)} size 0x${size.toString(16)}: must be non-empty and ${page}-byte aligned`);
  }
  const sab = new (SharedArrayBuffer as unknown as GrowableSabCtor)(size, { maxByteLength: size });
  const u8 = new Uint8Array(sab, 0, size);
  if (addon.pageOffset(u8) === 0) return { base, size, sab, offset: 0, u8 };
  const big = new SharedArrayBuffer(size + page);
  const offset = (page - addon.pageOffset(new Uint8Array(big))) % page;
  return { base, size, sab: big, offset, u8: new Uint8Array(big, offset, size) };
}
