/**
 * Bit and byte operations of the data-processing (1 source) group:
 * RBIT, REV16, REV32, REV, CLZ, CLS on int32 words.
 */

/** BitReverse of a 32-bit word. */
export function rbit32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  return rev32(v);
}

/** Reverse the bytes of a 32-bit word. */
export function rev32(v: number): number {
  return (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** Swap the bytes in each halfword of a 32-bit word. */
export function rev16(v: number): number {
  return ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff);
}

/** CountLeadingSignBits of a 32-bit word: leading bits equal to the sign bit, excluding it. */
export function cls32(v: number): number {
  return Math.clz32(v ^ (v >> 31)) - 1;
}

/** CountLeadingZeroBits of a 64-bit pair. */
export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

/** CountLeadingSignBits of a 64-bit pair. */
export function cls64(lo: number, hi: number): number {
  const s = hi >> 31;
  return clz64(lo ^ s, hi ^ s) - 1;
}
