/**
 * Exact 64-bit division on int32 pairs without BigInt (UDIV/SDIV: quotient
 * rounded towards zero, division by zero gives 0).
 *
 * Operands below 2^53 divide exactly in doubles: for integers a, b < 2^53,
 * ⌊fl(a / b)⌋ = ⌊a / b⌋ (a quotient k − j/b can only round up to k when
 * a > j·(2^53 − 1)). Larger dividends take an estimate from doubles that is
 * corrected twice with exact 64-bit remainders (udivLarge).
 */
import type { Cpu } from '../cpu.js';
import { mul64 } from './int-mul.js';

const TWO32 = 4294967296;
const TWO21 = 2097152;

/** Unsigned a / b for uint32 operands (as int32); 0 when b is 0. */
export function udiv32(a: number, b: number): number {
  if (b === 0) return 0;
  return Math.floor((a >>> 0) / (b >>> 0)) | 0;
}

/** Signed a / b rounded towards zero for int32 operands; 0 when b is 0; INT_MIN / -1 = INT_MIN. */
export function sdiv32(a: number, b: number): number {
  if (b === 0) return 0;
  return Math.trunc(a / b) | 0;
}

/** Unsigned 64-bit a / b. Returns lo; hi in c.hi. */
export function udiv64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  if (ah < TWO21) {
    // Dividend below 2^53: exact in doubles (and so is the divisor whenever it is ≤ the dividend).
    if (bh >= TWO21 || (bh | blo) === 0) {
      c.hi = 0;
      return 0;
    }
    const q = Math.floor((ah * TWO32 + (alo >>> 0)) / (bh * TWO32 + (blo >>> 0)));
    c.hi = Math.floor(q / TWO32) | 0;
    return q | 0;
  }
  if ((bh | blo) === 0) {
    c.hi = 0;
    return 0;
  }
  return udivLarge(c, alo, ahi, blo, bhi);
}

/** udiv64 for a dividend ≥ 2^53 and a non-zero divisor. */
function udivLarge(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  const bh = bhi >>> 0;
  if (bh >= 0x40000000) {
    // b ≥ 2^62: the quotient is at most 3; subtract.
    let rlo = alo >>> 0;
    let rhi = ahi >>> 0;
    let q = 0;
    const bl = blo >>> 0;
    while (rhi > bh || (rhi === bh && rlo >= bl)) {
      const t = rlo - bl;
      rhi = rhi - bh - (t < 0 ? 1 : 0);
      rlo = t < 0 ? t + TWO32 : t;
      q++;
    }
    c.hi = 0;
    return q;
  }
  const fb = bh * TWO32 + (blo >>> 0);
  // First estimate: relative error ≤ 3·2^-53, so |a − q·b| ≤ 3·2^11 + b < 2^63.
  let q = Math.floor(((ahi >>> 0) * TWO32 + (alo >>> 0)) / fb);
  let qlo = q | 0;
  let qhi = Math.floor(q / TWO32) | 0; // q = 2^64 wraps to 0; the remainder below is taken mod 2^64
  let rlo = remLo(c, alo, ahi, qlo, qhi, blo, bhi);
  let rhi = c.hi;
  // Second estimate from the signed remainder: leaves an error of at most one or two.
  const fr = rhi * TWO32 + (rlo >>> 0);
  const dq = Math.floor(fr / fb);
  if (dq !== 0) {
    q = (qlo >>> 0) + dq;
    qhi = (qhi + Math.floor(q / TWO32)) | 0;
    qlo = q | 0;
    rlo = remLo(c, alo, ahi, qlo, qhi, blo, bhi);
    rhi = c.hi;
  }
  // Final correction until 0 ≤ r < b.
  while (rhi < 0) {
    const t = (qlo >>> 0) - 1;
    qhi = (qhi - (t < 0 ? 1 : 0)) | 0;
    qlo = t | 0;
    const s = (rlo >>> 0) + (blo >>> 0);
    rhi = (rhi + bhi + (s >= TWO32 ? 1 : 0)) | 0;
    rlo = s | 0;
  }
  while (rhi > bhi || (rhi === bhi && rlo >>> 0 >= blo >>> 0)) {
    const t = (qlo >>> 0) + 1;
    qhi = (qhi + (t >= TWO32 ? 1 : 0)) | 0;
    qlo = t | 0;
    const s = (rlo >>> 0) - (blo >>> 0);
    rhi = (rhi - bhi - (s < 0 ? 1 : 0)) | 0;
    rlo = s | 0;
  }
  c.hi = qhi;
  return qlo;
}

/** a − q·b mod 2^64. Returns lo; hi in c.hi. */
function remLo(c: Cpu, alo: number, ahi: number, qlo: number, qhi: number, blo: number, bhi: number): number {
  const plo = mul64(c, qlo, qhi, blo, bhi);
  const phi = c.hi;
  const t = (alo >>> 0) - (plo >>> 0);
  c.hi = (ahi - phi - (t < 0 ? 1 : 0)) | 0;
  return t | 0;
}

/** Signed 64-bit a / b rounded towards zero. Returns lo; hi in c.hi. */
export function sdiv64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  const neg = (ahi ^ bhi) < 0;
  if (ahi < 0) {
    alo = -alo | 0;
    ahi = (~ahi + (alo === 0 ? 1 : 0)) | 0;
  }
  if (bhi < 0) {
    blo = -blo | 0;
    bhi = (~bhi + (blo === 0 ? 1 : 0)) | 0;
  }
  // |INT_MIN| = 2^63 is exact as an unsigned magnitude; INT_MIN / -1 wraps back to INT_MIN.
  const qlo = udiv64(c, alo, ahi, blo, bhi);
  if (!neg) return qlo;
  const nlo = -qlo | 0;
  c.hi = (~c.hi + (nlo === 0 ? 1 : 0)) | 0;
  return nlo;
}
