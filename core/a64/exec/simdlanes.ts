/**
 * Advanced SIMD lane access and 64-bit lane arithmetic on int32 pairs.
 *
 * Elements of 8/16/32 bits are moved through Float64Array scratch (exact for
 * every value an element op produces before truncation); typed-array stores
 * truncate modulo 2^esize, which is what the pseudocode's `<esize-1:0>` slices do.
 * 64-bit elements are (lo, hi) pairs: helpers return the low word and leave the
 * high word in `c.hi`.
 */
import type { Cpu } from '../cpu.js';

/** FPSR.QC: cumulative saturation. */
export const FPSR_QC = 1 << 27;

/** Reads `n` elements of `8 << size` bits (size 0..2) from V[r] starting at element e0. */
export function readElems(c: Cpu, r: number, size: number, e0: number, n: number, signed: boolean, out: Float64Array, off: number): void {
  if (size === 0) {
    const v = c.v8;
    const b = 16 * r + e0;
    if (signed) for (let i = 0; i < n; i++) out[off + i] = (v[b + i] << 24) >> 24;
    else for (let i = 0; i < n; i++) out[off + i] = v[b + i];
  } else if (size === 1) {
    const v = c.v16;
    const b = 8 * r + e0;
    if (signed) for (let i = 0; i < n; i++) out[off + i] = (v[b + i] << 16) >> 16;
    else for (let i = 0; i < n; i++) out[off + i] = v[b + i];
  } else {
    const v = c.v32;
    const b = 4 * r + e0;
    if (signed) for (let i = 0; i < n; i++) out[off + i] = v[b + i];
    else for (let i = 0; i < n; i++) out[off + i] = v[b + i] >>> 0;
  }
}

/** Writes `n` elements of `8 << size` bits (size 0..2) to V[r] starting at element e0, truncating. */
export function writeElems(c: Cpu, r: number, size: number, e0: number, n: number, src: Float64Array, off: number): void {
  if (size === 0) {
    const v = c.v8;
    const b = 16 * r + e0;
    for (let i = 0; i < n; i++) v[b + i] = src[off + i];
  } else if (size === 1) {
    const v = c.v16;
    const b = 8 * r + e0;
    for (let i = 0; i < n; i++) v[b + i] = src[off + i];
  } else {
    const v = c.v32;
    const b = 4 * r + e0;
    for (let i = 0; i < n; i++) v[b + i] = src[off + i];
  }
}

/** One element of V[r] (size 0..2), sign- or zero-extended. */
export function getElem(c: Cpu, r: number, size: number, e: number, signed: boolean): number {
  if (size === 0) return signed ? (c.v8[16 * r + e] << 24) >> 24 : c.v8[16 * r + e];
  if (size === 1) return signed ? (c.v16[8 * r + e] << 16) >> 16 : c.v16[8 * r + e];
  return signed ? c.v32[4 * r + e] : c.v32[4 * r + e] >>> 0;
}

/** Sets one element of V[r] (size 0..2), truncating. */
export function setElem(c: Cpu, r: number, size: number, e: number, v: number): void {
  if (size === 0) c.v8[16 * r + e] = v;
  else if (size === 1) c.v16[8 * r + e] = v;
  else c.v32[4 * r + e] = v;
}

/** Zeroes bits [127:64] of V[d] (a write of a 64-bit vector). */
export function clearHigh(c: Cpu, d: number): void {
  c.v32[4 * d + 2] = 0;
  c.v32[4 * d + 3] = 0;
}

/** Zeroes all of V[d]. */
export function clearReg(c: Cpu, d: number): void {
  const w = 4 * d;
  c.v32[w] = 0;
  c.v32[w + 1] = 0;
  c.v32[w + 2] = 0;
  c.v32[w + 3] = 0;
}

/** Copies the 128-bit register V[r] to s[off..off+3]. */
export function saveReg(c: Cpu, r: number, s: Int32Array, off: number): void {
  const v = c.v32;
  const w = 4 * r;
  s[off] = v[w];
  s[off + 1] = v[w + 1];
  s[off + 2] = v[w + 2];
  s[off + 3] = v[w + 3];
}

// ---- 64-bit pairs --------------------------------------------------------------------------

/** The pair for an integer-valued double within ±2^53. */
export function fromNumber(c: Cpu, v: number): number {
  c.hi = Math.floor(v / 4294967296) | 0;
  return v | 0;
}

/** The pair (lo, hi) as an (inexact beyond 2^53) signed double. */
export function toNumberS(lo: number, hi: number): number {
  return hi * 4294967296 + (lo >>> 0);
}

export function add64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = (alo >>> 0) + (blo >>> 0);
  c.hi = (ahi + bhi + (lo > 0xffffffff ? 1 : 0)) | 0;
  return lo | 0;
}

export function sub64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = (alo >>> 0) - (blo >>> 0);
  c.hi = (ahi - bhi - (lo < 0 ? 1 : 0)) | 0;
  return lo | 0;
}

/** Unsigned 32 × 32 → 64 product. */
export function mulU32(c: Cpu, a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  c.hi = (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
  return (mid << 16) | (ll & 0xffff) | 0;
}

/** Signed 32 × 32 → 64 product. */
export function mulS32(c: Cpu, a: number, b: number): number {
  const lo = mulU32(c, a, b);
  c.hi = (c.hi - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
  return lo;
}

/** (lo, hi) << n for 0 <= n; 0 when n >= 64. */
export function shl64(c: Cpu, lo: number, hi: number, n: number): number {
  if (n === 0) {
    c.hi = hi;
    return lo;
  }
  if (n >= 64) {
    c.hi = 0;
    return 0;
  }
  if (n >= 32) {
    c.hi = lo << (n - 32);
    return 0;
  }
  c.hi = (hi << n) | (lo >>> (32 - n));
  return lo << n;
}

/** Logical (lo, hi) >> n for 0 <= n; 0 when n >= 64. */
export function lsr64(c: Cpu, lo: number, hi: number, n: number): number {
  if (n === 0) {
    c.hi = hi;
    return lo;
  }
  if (n >= 64) {
    c.hi = 0;
    return 0;
  }
  if (n >= 32) {
    c.hi = 0;
    return (hi >>> (n - 32)) | 0;
  }
  c.hi = (hi >>> n) | 0;
  return (lo >>> n) | (hi << (32 - n));
}

/** Arithmetic (lo, hi) >> n for 0 <= n; sign fill when n >= 64. */
export function asr64(c: Cpu, lo: number, hi: number, n: number): number {
  if (n === 0) {
    c.hi = hi;
    return lo;
  }
  if (n >= 64) n = 63;
  if (n >= 32) {
    c.hi = hi >> 31;
    return hi >> (n - 32);
  }
  c.hi = hi >> n;
  return (lo >>> n) | (hi << (32 - n));
}

/** Rounding right shift by n (1..64): (x + (1 << (n-1))) >> n without losing the carry. */
export function rshr64(c: Cpu, lo: number, hi: number, n: number, signed: boolean): number {
  // Round bit = bit n-1 of x; result = (x >> n) + round.
  const rb = n <= 32 ? (lo >>> (n - 1)) & 1 : (hi >>> (n - 33)) & 1;
  const rlo = signed ? asr64(c, lo, hi, n) : lsr64(c, lo, hi, n);
  return add64(c, rlo, c.hi, rb, 0);
}

export function ltS64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi < bhi || (ahi === bhi && alo >>> 0 < blo >>> 0);
}

export function ltU64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  return ah < bh || (ah === bh && alo >>> 0 < blo >>> 0);
}

// ---- Saturation ---------------------------------------------------------------------------

/** SignedSatQ / UnsignedSatQ for bits <= 32 on an exact double: returns the clamped value, `sat.q` set when clamped. */
export const sat = { q: 0 };

export function satQ(v: number, bits: number, unsigned: boolean): number {
  let min: number;
  let max: number;
  if (unsigned) {
    min = 0;
    max = 2 ** bits - 1;
  } else {
    max = 2 ** (bits - 1) - 1;
    min = -max - 1;
  }
  if (v > max) {
    sat.q = 1;
    return max;
  }
  if (v < min) {
    sat.q = 1;
    return min;
  }
  return v;
}

/** Folds a pending saturation into FPSR.QC. */
export function flushQc(c: Cpu): void {
  if (sat.q !== 0) {
    c.fpsr |= FPSR_QC;
    sat.q = 0;
  }
}
