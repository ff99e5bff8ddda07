/**
 * Floating-point state and raw-bit helpers shared by the scalar FP and Advanced SIMD
 * instructions (Arm ARM shared/functions/float, FPCR/FPSR in D19/C5.2).
 *
 * Value conventions used by every exported FP function in exec/fp-*.ts:
 *   - a half is a uint16 bit pattern in a number;
 *   - a single is its int32 bit pattern;
 *   - a double is an int32 pair (lo, hi); functions returning a double return the low
 *     word and leave the high word in `c.hi` (as exec/alu.ts does for 64-bit integers).
 * NaN payloads must survive, and a JS engine may canonicalise a NaN that passes through
 * a number, so NaNs are only ever handled as bits: the fast paths reinterpret bits as
 * floats only after checking the operands are not NaN.
 *
 * FPCR and FPSR live in `c.fpcr` / `c.fpsr`; cumulative exception flags are ORed into
 * `c.fpsr`. Trap enables (FPCR.IOE, DZE, OFE, UFE, IXE, IDE) are RAZ/WI in our models
 * (no FP exception trapping), so no function here ever traps.
 */
import type { Cpu } from '../cpu.js';

/** FPCR fields. */
export const FPCR_AHP = 1 << 26;
export const FPCR_DN = 1 << 25;
export const FPCR_FZ = 1 << 24;
export const FPCR_RMODE_SHIFT = 22;
export const FPCR_RMODE_MASK = 3 << 22;
export const FPCR_FZ16 = 1 << 19;

/** FPSR cumulative exception bits. */
export const FPSR_IOC = 1 << 0;
export const FPSR_DZC = 1 << 1;
export const FPSR_OFC = 1 << 2;
export const FPSR_UFC = 1 << 3;
export const FPSR_IXC = 1 << 4;
export const FPSR_IDC = 1 << 7;

/** FPRounding (Arm pseudocode enumeration). The first four equal FPCR.RMode. */
export const FPRounding = {
  TIEEVEN: 0,
  POSINF: 1,
  NEGINF: 2,
  ZERO: 3,
  TIEAWAY: 4,
  ODD: 5,
} as const;

/** FPRoundingMode(fpcr): DecodeRounding(FPCR.RMode). */
export function fpRoundingMode(fpcr: number): number {
  return (fpcr >>> FPCR_RMODE_SHIFT) & 3;
}

/** Default NaNs (FPDefaultNaN). */
export const DEFAULT_NAN_16 = 0x7e00;
export const DEFAULT_NAN_32 = 0x7fc00000;
export const DEFAULT_NAN_64_HI = 0x7ff80000;

/** Largest finite values and the thresholds the fast paths use. */
export const MAX_F32 = 3.4028234663852886e38;
export const MAX_F64 = 1.7976931348623157e308;
/** 2^-125 and 2^-1021: a correctly rounded result at least this large was not tiny before rounding. */
export const SAFE_MIN_F32 = 2.350988701644575e-38;
export const SAFE_MIN_F64 = 4.450147717014403e-308;

// Scratch views for reinterpreting bits (one module-level buffer: no allocation per op).
const scratch = new ArrayBuffer(8);
const sI32 = new Int32Array(scratch);
const sF32 = new Float32Array(scratch);
const sF64 = new Float64Array(scratch);

/** The double with bits (lo, hi). Caller guarantees it is not a NaN. */
export function f64Of(lo: number, hi: number): number {
  sI32[0] = lo;
  sI32[1] = hi;
  return sF64[0];
}

/** The single with bits `a`, as a double (exact). Caller guarantees it is not a NaN. */
export function f32Of(a: number): number {
  sI32[0] = a;
  return sF32[0];
}

/** Bits of a (non-NaN) double: returns the low word, high word in `c.hi`. */
export function bitsOfF64(c: Cpu, x: number): number {
  sF64[0] = x;
  c.hi = sI32[1];
  return sI32[0];
}

/** Low word of a double's bits; the high word is then in `sI32[1]` (see lastHi). */
export function loBitsOfF64(x: number): number {
  sF64[0] = x;
  return sI32[0];
}
/** High word of the double last passed to loBitsOfF64/bitsOfF64. */
export function lastHi(): number {
  return sI32[1];
}

/** Bits of a (non-NaN) double already representable as a single. */
export function bitsOfF32(x: number): number {
  sF32[0] = x;
  return sI32[0];
}

// Raw-bit classification (no float conversion; safe for NaNs).
export function isNaN32(a: number): boolean {
  return (a & 0x7fffffff) > 0x7f800000;
}
export function isNaN64(lo: number, hi: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}
export function isSNaN32(a: number): boolean {
  return isNaN32(a) && (a & 0x00400000) === 0;
}
export function isSNaN64(lo: number, hi: number): boolean {
  return isNaN64(lo, hi) && (hi & 0x00080000) === 0;
}
export function isQNaN32(a: number): boolean {
  return (a & 0x7fc00000) === 0x7fc00000;
}
export function isQNaN64(lo: number, hi: number): boolean {
  return (hi & 0x7ff80000) === 0x7ff80000;
}
/** Not NaN/infinity, and not a denormal (zeros allowed): the operands a fast path takes. */
export function isFastOperand32(a: number): boolean {
  const e = a & 0x7f800000;
  return e !== 0x7f800000 && (e !== 0 || (a & 0x007fffff) === 0);
}
export function isFastOperand64(lo: number, hi: number): boolean {
  const e = hi & 0x7ff00000;
  return e !== 0x7ff00000 && (e !== 0 || ((hi & 0x000fffff) | lo) === 0);
}
export function isDenormal32(a: number): boolean {
  return (a & 0x7f800000) === 0 && (a & 0x007fffff) !== 0;
}
export function isDenormal64(lo: number, hi: number): boolean {
  return (hi & 0x7ff00000) === 0 && ((hi & 0x000fffff) | lo) !== 0;
}

/** 64-bit bits ⇄ BigInt (slow paths and tests only). */
export function bigOf64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
export function loOf(b: bigint): number {
  return Number(b & 0xffffffffn) | 0;
}
export function hiOf(b: bigint): number {
  return Number((b >> 32n) & 0xffffffffn) | 0;
}
