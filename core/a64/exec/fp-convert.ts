/**
 * Floating-point conversions for scalar FP and Advanced SIMD (Arm pseudocode FPConvert,
 * FPToFixed, FixedToFP, FPRoundInt). Same value conventions as fp-helpers.ts: singles
 * as int32 bits, doubles as (lo, hi) with the high word of a double result in c.hi,
 * halves as uint16 bits; 64-bit integers as (lo, hi) pairs, 32-bit integer results with
 * c.hi = 0. `rounding` is an FPRounding value (callers pass fpRoundingMode(c.fpcr) for
 * the instructions that use FPCR.RMode).
 */
import type { Cpu } from '../cpu.js';
import {
  FPCR_FZ,
  FPRounding,
  FPSR_IDC,
  FPSR_IOC,
  FPSR_IXC,
  MAX_F32,
  SAFE_MIN_F32,
  bigOf64,
  bitsOfF32,
  bitsOfF64,
  f32Of,
  f64Of,
  hiOf,
  isDenormal32,
  isDenormal64,
  isFastOperand64,
  isNaN32,
  isNaN64,
  loOf,
} from './fp-helpers.js';
import { twoSumErr } from './fp-arith.js';
import { fixedToFpX, fpConvertX, fpRoundIntX } from './fp-exact.js';

const TWO32 = 4294967296;

// ---- FPConvert (FCVT) ----

/** FPConvert double → single. */
export function fpConvertD2S(c: Cpu, lo: number, hi: number, rounding: number): number {
  if (rounding === FPRounding.TIEEVEN && isFastOperand64(lo, hi)) {
    const d = f64Of(lo, hi);
    const f = Math.fround(d);
    const af = Math.abs(f);
    if ((af >= SAFE_MIN_F32 && af <= MAX_F32) || d === 0) {
      if (f !== d) c.fpsr |= FPSR_IXC;
      return bitsOfF32(f);
    }
  }
  return Number(fpConvertX(c, bigOf64(lo, hi), 64, 32, c.fpcr, rounding)) | 0;
}

/** FPConvert single → double (always exact): returns lo, high word in c.hi. */
export function fpConvertS2D(c: Cpu, a: number): number {
  if (!isNaN32(a) && !(isDenormal32(a) && (c.fpcr & FPCR_FZ) !== 0)) return bitsOfF64(c, f32Of(a));
  const r = fpConvertX(c, BigInt(a >>> 0), 32, 64, c.fpcr, FPRounding.TIEEVEN);
  c.hi = hiOf(r);
  return loOf(r);
}

/** FPConvert from format N to format M (16/32/64), any case (exact path). Input bits (lo, hi); result lo, hi in c.hi. */
export function fpConvert(c: Cpu, lo: number, hi: number, N: number, M: number, rounding: number): number {
  const op = N === 64 ? bigOf64(lo, hi) : BigInt(N === 32 ? lo >>> 0 : lo & 0xffff);
  const r = fpConvertX(c, op, N, M, c.fpcr, rounding);
  c.hi = M === 64 ? hiOf(r) : 0;
  return loOf(r);
}

// ---- FPToFixed (FCVT[NPMZA][SU], fixed-point FCVTZ[SU]) ----

/** Round the finite double v to an integer as FPToFixed/FPRoundInt do; sets `inexact`. */
function roundToInteger(v: number, rounding: number): number {
  const fl = Math.floor(v); // exact; for |v| >= 2^52 v is already an integer
  const err = v - fl;
  inexact = err !== 0;
  if (!inexact) return fl;
  let up: boolean;
  switch (rounding) {
    case FPRounding.TIEEVEN:
      up = err > 0.5 || (err === 0.5 && fl % 2 !== 0);
      break;
    case FPRounding.POSINF:
      up = true;
      break;
    case FPRounding.NEGINF:
      up = false;
      break;
    case FPRounding.ZERO:
      up = fl < 0;
      break;
    default: // TIEAWAY
      up = err > 0.5 || (err === 0.5 && fl >= 0);
  }
  return up ? fl + 1 : fl;
}
let inexact = false;

/** FPToFixed on a finite double value (already flushed): the M-bit result lo, hi in c.hi. */
function toFixed(c: Cpu, v: number, fbits: number, unsigned: boolean, M: number, rounding: number): number {
  const scaled = v * 2 ** fbits; // exact (a power-of-two scale) unless it overflows, which saturates anyway
  let r: number;
  if (Math.abs(scaled) < 2 ** 64) {
    r = roundToInteger(scaled, rounding);
  } else {
    r = scaled;
    inexact = false;
  }
  const top = unsigned ? 2 ** M : 2 ** (M - 1); // exclusive
  const bottom = unsigned ? 0 : -top;
  if (r >= top || r < bottom) {
    c.fpsr |= FPSR_IOC;
    if (r < bottom) {
      c.hi = M === 64 && !unsigned ? 0x80000000 | 0 : 0;
      return unsigned ? 0 : M === 64 ? 0 : 0x80000000 | 0;
    }
    c.hi = M === 64 ? (unsigned ? -1 : 0x7fffffff) : 0;
    return unsigned ? -1 : M === 64 ? -1 : 0x7fffffff;
  }
  if (inexact) c.fpsr |= FPSR_IXC;
  if (M === 32) {
    c.hi = 0;
    return r | 0;
  }
  const h = Math.floor(r / TWO32);
  c.hi = h | 0;
  return (r - h * TWO32) | 0;
}

/**
 * FPToFixed from single precision `a` to an M-bit (32/64) integer with `fbits` fraction
 * bits (0 for FCVT*S/U to integer): saturating with IOC, IXC when inexact, IOC for NaN
 * (result 0). Returns the low word, high word in c.hi (0 for M = 32).
 */
export function fpToFixed32(c: Cpu, a: number, fbits: number, unsigned: boolean, M: number, rounding: number): number {
  if (isNaN32(a)) return nanToFixed(c);
  let v = f32Of(a); // ±Infinity saturates below
  if ((c.fpcr & FPCR_FZ) !== 0 && isDenormal32(a)) {
    c.fpsr |= FPSR_IDC;
    v = 0;
  }
  return toFixed(c, v, fbits, unsigned, M, rounding);
}

/** FPToFixed from double precision (lo, hi); as fpToFixed32. */
export function fpToFixed64(c: Cpu, lo: number, hi: number, fbits: number, unsigned: boolean, M: number, rounding: number): number {
  if (isNaN64(lo, hi)) return nanToFixed(c);
  let v = f64Of(lo, hi);
  if ((c.fpcr & FPCR_FZ) !== 0 && isDenormal64(lo, hi)) {
    c.fpsr |= FPSR_IDC;
    v = 0;
  }
  return toFixed(c, v, fbits, unsigned, M, rounding);
}

function nanToFixed(c: Cpu): number {
  c.fpsr |= FPSR_IOC;
  c.hi = 0;
  return 0;
}

// ---- FixedToFP (SCVTF, UCVTF) ----

/** The integer operand of FixedToFP as a double, and whether that double is exact (in `exactInt`). */
function intOperand(lo: number, hi: number, is64: boolean, unsigned: boolean): number {
  if (!is64) {
    exactInt = true;
    return unsigned ? lo >>> 0 : lo | 0;
  }
  const h = unsigned ? hi >>> 0 : hi | 0;
  exactInt = h >= -0x200000 && h < 0x200000; // |value| < 2^53
  return h * TWO32 + (lo >>> 0); // one rounding (RN) of the exact value
}
let exactInt = false;

function bigIntOperand(lo: number, hi: number, is64: boolean, unsigned: boolean): bigint {
  if (!is64) return BigInt(unsigned ? lo >>> 0 : lo | 0);
  const b = bigOf64(lo, hi);
  return unsigned ? b : BigInt.asIntN(64, b);
}

/**
 * FixedToFP to single precision: the 32-bit (lo) or 64-bit (lo, hi) signed or unsigned
 * integer divided by 2^fbits, rounded once with `rounding`. Returns single bits.
 */
export function fixedToFp32(c: Cpu, lo: number, hi: number, is64: boolean, unsigned: boolean, fbits: number, rounding: number): number {
  const v = intOperand(lo, hi, is64, unsigned);
  if (exactInt && rounding === FPRounding.TIEEVEN) {
    const x = v / 2 ** fbits; // exact
    const f = Math.fround(x);
    if (f !== x) c.fpsr |= FPSR_IXC;
    return bitsOfF32(f);
  }
  return Number(fixedToFpX(c, bigIntOperand(lo, hi, is64, unsigned), fbits, 32, c.fpcr, rounding)) | 0;
}

/** FixedToFP to double precision: as fixedToFp32; returns lo, high word in c.hi. */
export function fixedToFp64(c: Cpu, lo: number, hi: number, is64: boolean, unsigned: boolean, fbits: number, rounding: number): number {
  const v = intOperand(lo, hi, is64, unsigned);
  if (exactInt) return bitsOfF64(c, v / 2 ** fbits);
  if (rounding === FPRounding.TIEEVEN) {
    const h = unsigned ? hi >>> 0 : hi | 0;
    if (twoSumErr(h * TWO32, lo >>> 0, v) !== 0) c.fpsr |= FPSR_IXC;
    return bitsOfF64(c, v / 2 ** fbits);
  }
  const r = fixedToFpX(c, bigIntOperand(lo, hi, is64, unsigned), fbits, 64, c.fpcr, rounding);
  c.hi = hiOf(r);
  return loOf(r);
}

// ---- FPRoundInt (FRINT*) ----

/** FPRoundInt, single precision: round to an integral value; IXC only when `exact` (FRINTX). */
export function fpRoundInt32(c: Cpu, a: number, rounding: number, exact: boolean): number {
  const e = a & 0x7f800000;
  if (e === 0x7f800000 || (e === 0 && (c.fpcr & FPCR_FZ) !== 0)) {
    return Number(fpRoundIntX(c, BigInt(a >>> 0), 32, c.fpcr, rounding, exact)) | 0;
  }
  const v = f32Of(a);
  if (v === 0) return a;
  const r = roundToInteger(v, rounding);
  if (inexact && exact) c.fpsr |= FPSR_IXC;
  return r === 0 ? a & 0x80000000 : bitsOfF32(r);
}

/** FPRoundInt, double precision: returns lo, high word in c.hi. */
export function fpRoundInt64(c: Cpu, lo: number, hi: number, rounding: number, exact: boolean): number {
  const e = hi & 0x7ff00000;
  if (e === 0x7ff00000 || (e === 0 && (c.fpcr & FPCR_FZ) !== 0)) {
    const r = fpRoundIntX(c, bigOf64(lo, hi), 64, c.fpcr, rounding, exact);
    c.hi = hiOf(r);
    return loOf(r);
  }
  const v = f64Of(lo, hi);
  if (v === 0) {
    c.hi = hi;
    return lo;
  }
  const r = roundToInteger(v, rounding);
  if (inexact && exact) c.fpsr |= FPSR_IXC;
  if (r === 0) {
    c.hi = hi & 0x80000000;
    return 0;
  }
  return bitsOfF64(c, r);
}
