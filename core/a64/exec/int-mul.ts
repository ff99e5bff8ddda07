/**
 * Exact integer multiplication on int32 words without BigInt.
 *
 * The low 32 bits of a 32×32 product come from Math.imul; the high 32 bits from
 * two exact double products of 32×16 bits (< 2^48), see umulHi32. 64×64
 * products are assembled from four 32×32 limb products.
 */
import type { Cpu } from '../cpu.js';

const TWO16 = 65536;
const TWO32 = 4294967296;

/**
 * High 32 bits of the unsigned 64-bit product a×b (a, b taken as uint32), as int32.
 * With b = b1·2^16 + b0: a×b = (a·b1 + ⌊a·b0 / 2^16⌋)·2^16 + (a·b0 mod 2^16); every
 * term is an exact double (< 2^49), and the dropped low part cannot carry into bit 32.
 */
export function umulHi32(a: number, b: number): number {
  const ua = a >>> 0;
  const s = ua * (b >>> 16) + Math.floor((ua * (b & 0xffff)) / TWO16);
  return Math.floor(s / TWO16) | 0;
}

/** High 32 bits of the signed 64-bit product a×b (int32 operands). */
export function smulHi32(a: number, b: number): number {
  // Signed from unsigned: subtract b·2^32 when a < 0 and a·2^32 when b < 0 (mod 2^64).
  return (umulHi32(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** Low 64 bits of the product of two 64-bit pairs. Returns lo; hi in c.hi. */
export function mul64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  c.hi = (umulHi32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  return Math.imul(alo, blo);
}

/** High 64 bits of the unsigned 128-bit product of two 64-bit pairs. Returns lo; hi in c.hi. */
export function umulh64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  // Limb products p_ij = a_i × b_j, each as (lo, hi) uint32 halves.
  const h00 = umulHi32(alo, blo) >>> 0;
  const l01 = Math.imul(alo, bhi) >>> 0;
  const h01 = umulHi32(alo, bhi) >>> 0;
  const l10 = Math.imul(ahi, blo) >>> 0;
  const h10 = umulHi32(ahi, blo) >>> 0;
  const l11 = Math.imul(ahi, bhi) >>> 0;
  const h11 = umulHi32(ahi, bhi) >>> 0;
  // Bits 32..63 of the product: h00 + l01 + l10 (< 3·2^32); its carry goes into bit 64.
  const mid = h00 + l01 + l10;
  const carry = mid >= 2 * TWO32 ? 2 : mid >= TWO32 ? 1 : 0;
  const lo = l11 + h01 + h10 + carry; // < 2^34
  const k = lo >= 2 * TWO32 ? 2 : lo >= TWO32 ? 1 : 0;
  c.hi = (h11 + k) | 0;
  return lo | 0;
}

/** High 64 bits of the signed 128-bit product of two 64-bit pairs. Returns lo; hi in c.hi. */
export function smulh64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  let lo = umulh64(c, alo, ahi, blo, bhi);
  let hi = c.hi;
  // Signed from unsigned (mod 2^64): subtract b when a < 0 and a when b < 0.
  if (ahi < 0) {
    const t = (lo >>> 0) - (blo >>> 0);
    hi = (hi - bhi - (t < 0 ? 1 : 0)) | 0;
    lo = t | 0;
  }
  if (bhi < 0) {
    const t = (lo >>> 0) - (alo >>> 0);
    hi = (hi - ahi - (t < 0 ? 1 : 0)) | 0;
    lo = t | 0;
  }
  c.hi = hi;
  return lo;
}
