/**
 * Integer arithmetic on (lo, hi) int32 pairs, named after the Arm pseudocode.
 * Results: the low word is returned, the high word left in `c.hi`; flags in `c.nzcv`
 * only where the caller asks.
 */
import type { Cpu } from '../cpu.js';

/** ShiftType (Arm ARM DecodeShift): the `shift` field of the shifted-register forms. */
export const SHIFT_LSL = 0;
export const SHIFT_LSR = 1;
export const SHIFT_ASR = 2;
export const SHIFT_ROR = 3;

/**
 * AddWithCarry(x, y, carry_in) for 64 bits. Returns the low word; high in c.hi.
 * When `setFlags`, writes NZCV.
 */
export function addWithCarry64(c: Cpu, xlo: number, xhi: number, ylo: number, yhi: number, cin: number, setFlags: boolean): number {
  const lo = (xlo >>> 0) + (ylo >>> 0) + cin;
  const c0 = lo > 0xffffffff ? 1 : 0;
  const hiU = (xhi >>> 0) + (yhi >>> 0) + c0;
  const rhi = hiU | 0;
  const rlo = lo | 0;
  c.hi = rhi;
  if (setFlags) {
    const n = rhi >>> 31;
    const z = (rlo | rhi) === 0 ? 1 : 0;
    const carry = hiU > 0xffffffff ? 1 : 0;
    const v = ((xhi ^ rhi) & (yhi ^ rhi)) >>> 31;
    c.nzcv = (n << 3) | (z << 2) | (carry << 1) | v;
  }
  return rlo;
}

/** AddWithCarry for 32 bits: returns the result (int32); c.hi is set to 0 (W writes zero-extend). */
export function addWithCarry32(c: Cpu, x: number, y: number, cin: number, setFlags: boolean): number {
  const u = (x >>> 0) + (y >>> 0) + cin;
  const r = u | 0;
  c.hi = 0;
  if (setFlags) {
    const n = r >>> 31;
    const z = r === 0 ? 1 : 0;
    const carry = u > 0xffffffff ? 1 : 0;
    const v = ((x ^ r) & (y ^ r)) >>> 31;
    c.nzcv = (n << 3) | (z << 2) | (carry << 1) | v;
  }
  return r;
}

/** NZCV after a logical operation (ANDS, BICS): N and Z from the result, C = V = 0. */
export function logicFlags64(lo: number, hi: number): number {
  return ((hi >>> 31) << 3) | ((lo | hi) === 0 ? 4 : 0);
}

export function logicFlags32(r: number): number {
  return ((r >>> 31) << 3) | (r === 0 ? 4 : 0);
}

/** LSL of a 64-bit pair by 0..63. */
export function lsl64(c: Cpu, lo: number, hi: number, n: number): number {
  if (n === 0) {
    c.hi = hi;
    return lo;
  }
  if (n < 32) {
    c.hi = (hi << n) | (lo >>> (32 - n));
    return lo << n;
  }
  c.hi = lo << (n - 32);
  return 0;
}

/** LSR of a 64-bit pair by 0..63. */
export function lsr64(c: Cpu, lo: number, hi: number, n: number): number {
  if (n === 0) {
    c.hi = hi;
    return lo;
  }
  if (n < 32) {
    c.hi = hi >>> n;
    return (lo >>> n) | (hi << (32 - n));
  }
  c.hi = 0;
  return hi >>> (n - 32);
}

/** ASR of a 64-bit pair by 0..63. */
export function asr64(c: Cpu, lo: number, hi: number, n: number): number {
  if (n === 0) {
    c.hi = hi;
    return lo;
  }
  if (n < 32) {
    c.hi = hi >> n;
    return (lo >>> n) | (hi << (32 - n));
  }
  c.hi = hi >> 31;
  return hi >> (n - 32);
}

/** ROR of a 64-bit pair by 0..63. */
export function ror64(c: Cpu, lo: number, hi: number, n: number): number {
  if (n >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    n -= 32;
  }
  if (n === 0) {
    c.hi = hi;
    return lo;
  }
  c.hi = (hi >>> n) | (lo << (32 - n));
  return (lo >>> n) | (hi << (32 - n));
}

/** ShiftReg for 64 bits (type SHIFT_*, amount 0..63): low word returned, high in c.hi. */
export function shiftReg64(c: Cpu, lo: number, hi: number, type: number, n: number): number {
  switch (type) {
    case SHIFT_LSL:
      return lsl64(c, lo, hi, n);
    case SHIFT_LSR:
      return lsr64(c, lo, hi, n);
    case SHIFT_ASR:
      return asr64(c, lo, hi, n);
    default:
      return ror64(c, lo, hi, n);
  }
}

/** ShiftReg for 32 bits (type SHIFT_*, amount 0..31). */
export function shiftReg32(v: number, type: number, n: number): number {
  switch (type) {
    case SHIFT_LSL:
      return v << n;
    case SHIFT_LSR:
      return (v >>> n) | 0;
    case SHIFT_ASR:
      return v >> n;
    default:
      // n = 0: v << 32 is v << 0 in JavaScript, so the result is v | v.
      return (v >>> n) | (v << (32 - n));
  }
}

/** A 64-bit constant as a (lo, hi) pair from a double holding an integer in [-2^63, 2^64). */
export function pairLo(v: number): number {
  return v | 0;
}

export function pairHi(v: number): number {
  return Math.floor(v / 4294967296) | 0;
}
