/**
 * Floating-point arithmetic for scalar FP and Advanced SIMD (Arm pseudocode FPAdd, FPSub,
 * FPMul, FPDiv, FPSqrt, FPMulAdd, FPMax, FPMin, FPMaxNum, FPMinNum, FPCompare, FPNeg,
 * FPAbs), single (int32 bits) and double ((lo, hi) bits; result lo returned, hi in c.hi).
 * All read FPCR from c.fpcr and OR exception flags into c.fpsr.
 *
 * Each function has a fast path for round-to-nearest with finite, normal (or zero)
 * operands and a result that is normal and at least twice the smallest normal (so it
 * was not tiny before rounding): JS arithmetic gives the correctly rounded result, and
 * the exact error (TwoSum, Dekker's TwoProduct) gives IXC. Everything else — other
 * rounding modes, NaNs, infinities, denormals, flush-to-zero, overflow, underflow —
 * goes to the exact pseudocode in fp-exact.ts. The fast paths do not allocate.
 */
import type { Cpu } from '../cpu.js';
import {
  FPCR_RMODE_MASK,
  FPSR_IXC,
  MAX_F32,
  MAX_F64,
  SAFE_MIN_F32,
  SAFE_MIN_F64,
  bigOf64,
  bitsOfF32,
  bitsOfF64,
  f32Of,
  f64Of,
  hiOf,
  isFastOperand32,
  isFastOperand64,
  isNaN32,
  isNaN64,
  isQNaN32,
  isQNaN64,
  loBitsOfF64,
  lastHi,
  loOf,
} from './fp-helpers.js';
import { fpAddX, fpCompareX, fpDivX, fpMaxMinNumX, fpMaxMinX, fpMulAddX, fpMulX, fpSqrtX } from './fp-exact.js';

/** Dekker/Veltkamp splitting constant 2^27 + 1. */
const SPLIT = 134217729;
/** Magnitudes the double fast paths accept for TwoProduct (no overflow in splitting, error term representable). */
const TP_MAX = 2 ** 960;
const TP_MIN = 2 ** -900;

/** Exact error of p = RN(a × b): a × b - p (Dekker's TwoProduct; |a|,|b| < 2^995, no underflow). */
export function twoProductErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** Exact error of s = RN(a + b): a + b - s (Knuth's TwoSum). */
export function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

function rn(c: Cpu): boolean {
  return (c.fpcr & FPCR_RMODE_MASK) === 0;
}

function slow32(r: bigint): number {
  return Number(r) | 0;
}
function slow64(c: Cpu, r: bigint): number {
  c.hi = hiOf(r);
  return loOf(r);
}
function big32(a: number): bigint {
  return BigInt(a >>> 0);
}

// ---- add / sub ----

function addFast32(c: Cpu, a: number, b: number): number {
  const x = f32Of(a);
  const y = f32Of(b);
  const d = x + y;
  const f = Math.fround(d);
  const af = Math.abs(f);
  if ((af >= SAFE_MIN_F32 && af <= MAX_F32) || d === 0) {
    if (f !== d || twoSumErr(x, y, d) !== 0) c.fpsr |= FPSR_IXC;
    return bitsOfF32(f);
  }
  return NaN;
}

/** FPAdd, single precision. */
export function fpAdd32(c: Cpu, a: number, b: number): number {
  if (rn(c) && isFastOperand32(a) && isFastOperand32(b)) {
    const r = addFast32(c, a, b);
    if (r === r) return r;
  }
  return slow32(fpAddX(c, big32(a), big32(b), 32, c.fpcr, false));
}

/** FPSub, single precision. */
export function fpSub32(c: Cpu, a: number, b: number): number {
  if (rn(c) && isFastOperand32(a) && isFastOperand32(b)) {
    const r = addFast32(c, a, b ^ 0x80000000);
    if (r === r) return r;
  }
  return slow32(fpAddX(c, big32(a), big32(b), 32, c.fpcr, true));
}

/** Fast double add of finite operands: the low word (high in c.hi), or NaN when the slow path is needed. */
function addFast64(c: Cpu, x: number, y: number): number {
  const r = x + y;
  const ar = Math.abs(r);
  if ((ar >= SAFE_MIN_F64 && ar <= MAX_F64) || r === 0) {
    if (twoSumErr(x, y, r) !== 0) c.fpsr |= FPSR_IXC;
    return bitsOfF64(c, r);
  }
  return NaN;
}

/** FPAdd, double precision: returns lo, high word in c.hi. */
export function fpAdd64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  if (rn(c) && isFastOperand64(alo, ahi) && isFastOperand64(blo, bhi)) {
    const r = addFast64(c, f64Of(alo, ahi), f64Of(blo, bhi));
    if (r === r) return r;
  }
  return slow64(c, fpAddX(c, bigOf64(alo, ahi), bigOf64(blo, bhi), 64, c.fpcr, false));
}

/** FPSub, double precision. */
export function fpSub64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  if (rn(c) && isFastOperand64(alo, ahi) && isFastOperand64(blo, bhi)) {
    const r = addFast64(c, f64Of(alo, ahi), -f64Of(blo, bhi));
    if (r === r) return r;
  }
  return slow64(c, fpAddX(c, bigOf64(alo, ahi), bigOf64(blo, bhi), 64, c.fpcr, true));
}

// ---- mul ----

/** FPMul, single precision. */
export function fpMul32(c: Cpu, a: number, b: number): number {
  if (rn(c) && isFastOperand32(a) && isFastOperand32(b)) {
    const d = f32Of(a) * f32Of(b); // exact: 24 × 24 bits
    const f = Math.fround(d);
    const af = Math.abs(f);
    if ((af >= SAFE_MIN_F32 && af <= MAX_F32) || d === 0) {
      if (f !== d) c.fpsr |= FPSR_IXC;
      return bitsOfF32(f);
    }
  }
  return slow32(fpMulX(c, big32(a), big32(b), 32, c.fpcr));
}

/** FPMul, double precision. */
export function fpMul64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  if (rn(c) && isFastOperand64(alo, ahi) && isFastOperand64(blo, bhi)) {
    const x = f64Of(alo, ahi);
    const y = f64Of(blo, bhi);
    const r = x * y;
    const ar = Math.abs(r);
    if (ar >= TP_MIN && ar <= TP_MAX && Math.abs(x) < TP_MAX && Math.abs(y) < TP_MAX) {
      if (twoProductErr(x, y, r) !== 0) c.fpsr |= FPSR_IXC;
      return bitsOfF64(c, r);
    }
    if (x === 0 || y === 0) return bitsOfF64(c, r);
  }
  return slow64(c, fpMulX(c, bigOf64(alo, ahi), bigOf64(blo, bhi), 64, c.fpcr));
}

/** FNMUL's FPNeg(FPMul(...)), single: the sign of the result (even a NaN) is flipped. */
export function fpNMul32(c: Cpu, a: number, b: number): number {
  return fpMul32(c, a, b) ^ 0x80000000;
}
/** FPNeg(FPMul(...)), double. */
export function fpNMul64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = fpMul64(c, alo, ahi, blo, bhi);
  c.hi ^= 0x80000000;
  return lo;
}

// ---- div / sqrt ----

/** FPDiv, single precision. */
export function fpDiv32(c: Cpu, a: number, b: number): number {
  if (rn(c) && isFastOperand32(a) && isFastOperand32(b) && (b & 0x7fffffff) !== 0) {
    const x = f32Of(a);
    const y = f32Of(b);
    const f = Math.fround(x / y);
    const af = Math.abs(f);
    if ((af >= SAFE_MIN_F32 && af <= MAX_F32) || x === 0) {
      if (f * y !== x) c.fpsr |= FPSR_IXC; // f × y is exact in double
      return bitsOfF32(f);
    }
  }
  return slow32(fpDivX(c, big32(a), big32(b), 32, c.fpcr));
}

/** FPDiv, double precision. */
export function fpDiv64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number): number {
  if (rn(c) && isFastOperand64(alo, ahi) && isFastOperand64(blo, bhi) && ((bhi & 0x7fffffff) | blo) !== 0) {
    const x = f64Of(alo, ahi);
    const y = f64Of(blo, bhi);
    const r = x / y;
    const ar = Math.abs(r);
    const ax = Math.abs(x);
    if (ar >= TP_MIN && ar <= TP_MAX && ax >= TP_MIN && ax <= TP_MAX && Math.abs(y) < TP_MAX) {
      const p = r * y;
      if (p !== x || twoProductErr(r, y, p) !== 0) c.fpsr |= FPSR_IXC;
      return bitsOfF64(c, r);
    }
    if (x === 0) return bitsOfF64(c, r);
  }
  return slow64(c, fpDivX(c, bigOf64(alo, ahi), bigOf64(blo, bhi), 64, c.fpcr));
}

/** FPSqrt, single precision. */
export function fpSqrt32(c: Cpu, a: number): number {
  if (rn(c) && isFastOperand32(a) && (a >= 0 || a === (0x80000000 | 0))) {
    const x = f32Of(a);
    const f = Math.fround(Math.sqrt(x));
    if (f * f !== x) c.fpsr |= FPSR_IXC;
    return bitsOfF32(f);
  }
  return slow32(fpSqrtX(c, big32(a), 32, c.fpcr));
}

/** FPSqrt, double precision. */
export function fpSqrt64(c: Cpu, alo: number, ahi: number): number {
  if (rn(c) && isFastOperand64(alo, ahi) && (ahi >= 0 || (ahi === (0x80000000 | 0) && alo === 0))) {
    const x = f64Of(alo, ahi);
    const r = Math.sqrt(x);
    if (x >= TP_MIN) {
      const p = r * r;
      if (p !== x || twoProductErr(r, r, p) !== 0) c.fpsr |= FPSR_IXC;
      return bitsOfF64(c, r);
    }
    if (x === 0) return bitsOfF64(c, r);
  }
  return slow64(c, fpSqrtX(c, bigOf64(alo, ahi), 64, c.fpcr));
}

// ---- fused multiply-add ----

/**
 * FPMulAdd(addend, op1, op2), single precision: addend + op1 × op2 rounded once.
 * The product is exact in double; the sum is rounded to odd at 53 bits (TwoSum, then
 * force the last bit to 1 when inexact), after which rounding to 24 bits is correct.
 */
export function fpMulAdd32(c: Cpu, addend: number, a: number, b: number): number {
  if (rn(c) && isFastOperand32(addend) && isFastOperand32(a) && isFastOperand32(b)) {
    const p = f32Of(a) * f32Of(b);
    const z = f32Of(addend);
    let s = p + z;
    const e = twoSumErr(p, z, s);
    if (e !== 0) s = roundToOddAdjust(s, e);
    const f = Math.fround(s);
    const af = Math.abs(f);
    if ((af >= SAFE_MIN_F32 && af <= MAX_F32) || (s === 0 && e === 0)) {
      if (e !== 0 || f !== s) c.fpsr |= FPSR_IXC;
      return bitsOfF32(f);
    }
  }
  return slow32(fpMulAddX(c, big32(addend), big32(a), big32(b), 32, c.fpcr));
}

/**
 * The double next to s in the direction of the (non-zero) error e when s's last bit is
 * even, else s: RO(s + e) for s = RN(s + e) (round to odd, Boldo & Melquiond).
 */
function roundToOddAdjust(s: number, e: number): number {
  let lo = loBitsOfF64(s);
  let hi = lastHi();
  if ((lo & 1) !== 0) return s;
  if (e > 0 === s > 0) {
    lo = (lo + 1) | 0; // lo was even: no carry
  } else {
    if (lo === 0) hi = (hi - 1) | 0;
    lo = (lo - 1) | 0;
  }
  return f64Of(lo, hi);
}

/**
 * FPMulAdd, double precision (Boldo & Melquiond, "Emulation of FMA and correctly rounded
 * sums: proved algorithms using rounding to odd", 2008):
 *   (uh, ul) = TwoProduct(a, b); (th, tl) = TwoSum(addend, uh);
 *   v = RO(tl + ul); result = RN(th + v).
 * The result is inexact iff tl + ul was inexact or th + v was (tests prove both).
 * Operands or intermediate magnitudes outside [2^-900, 2^960] take the exact path.
 */
export function fpMulAdd64(c: Cpu, dlo: number, dhi: number, alo: number, ahi: number, blo: number, bhi: number): number {
  if (
    rn(c) &&
    isFastOperand64(dlo, dhi) &&
    isFastOperand64(alo, ahi) &&
    isFastOperand64(blo, bhi) &&
    ((ahi & 0x7fffffff) | alo) !== 0 &&
    ((bhi & 0x7fffffff) | blo) !== 0
  ) {
    const x = f64Of(alo, ahi);
    const y = f64Of(blo, bhi);
    const z = f64Of(dlo, dhi);
    const uh = x * y;
    const auh = Math.abs(uh);
    if (auh >= TP_MIN && auh <= TP_MAX && Math.abs(x) < TP_MAX && Math.abs(y) < TP_MAX && Math.abs(z) <= TP_MAX) {
      const ul = twoProductErr(x, y, uh);
      const th = z + uh;
      const tl = twoSumErr(z, uh, th);
      let v = tl + ul;
      const ve = twoSumErr(tl, ul, v);
      if (ve !== 0) v = roundToOddAdjust(v, ve);
      const r = th + v;
      const ar = Math.abs(r);
      if (ar >= TP_MIN && ar <= MAX_F64) {
        if (ve !== 0 || twoSumErr(th, v, r) !== 0) c.fpsr |= FPSR_IXC;
        return bitsOfF64(c, r);
      }
    }
  }
  return slow64(c, fpMulAddX(c, bigOf64(dlo, dhi), bigOf64(alo, ahi), bigOf64(blo, bhi), 64, c.fpcr));
}

// ---- max / min ----

/** FPMax (isMax) or FPMin, single precision. */
export function fpMaxMin32(c: Cpu, a: number, b: number, isMax: boolean): number {
  if (isFastOperand32(a) && isFastOperand32(b)) {
    const x = f32Of(a);
    const y = f32Of(b);
    if (x === y) return isMax ? a & b : a | b; // equal: identical bits, or ±0 (sign AND / OR)
    return x > y === isMax ? a : b;
  }
  return slow32(fpMaxMinX(c, big32(a), big32(b), 32, c.fpcr, isMax));
}

/** FPMax (isMax) or FPMin, double precision. */
export function fpMaxMin64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number, isMax: boolean): number {
  if (isFastOperand64(alo, ahi) && isFastOperand64(blo, bhi)) {
    const x = f64Of(alo, ahi);
    const y = f64Of(blo, bhi);
    if (x === y) {
      c.hi = isMax ? ahi & bhi : ahi | bhi;
      return alo | blo; // equal: identical, or both zero (low words 0)
    }
    if (x > y === isMax) {
      c.hi = ahi;
      return alo;
    }
    c.hi = bhi;
    return blo;
  }
  return slow64(c, fpMaxMinX(c, bigOf64(alo, ahi), bigOf64(blo, bhi), 64, c.fpcr, isMax));
}

/** FPMaxNum (isMax) or FPMinNum, single precision: one quiet NaN loses to a number. */
export function fpMaxMinNum32(c: Cpu, a: number, b: number, isMax: boolean): number {
  if (isQNaN32(a) || isQNaN32(b)) return slow32(fpMaxMinNumX(c, big32(a), big32(b), 32, c.fpcr, isMax));
  return fpMaxMin32(c, a, b, isMax);
}

/** FPMaxNum (isMax) or FPMinNum, double precision. */
export function fpMaxMinNum64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number, isMax: boolean): number {
  if (isQNaN64(alo, ahi) || isQNaN64(blo, bhi)) {
    return slow64(c, fpMaxMinNumX(c, bigOf64(alo, ahi), bigOf64(blo, bhi), 64, c.fpcr, isMax));
  }
  return fpMaxMin64(c, alo, ahi, blo, bhi, isMax);
}

// ---- compare ----

/** FPCompare, single precision: returns NZCV (N=8 Z=4 C=2 V=1); signalNaNs for FCMPE. */
export function fpCompare32(c: Cpu, a: number, b: number, signalNaNs: boolean): number {
  if (isFastOperand32(a) && isFastOperand32(b)) {
    const x = f32Of(a);
    const y = f32Of(b);
    return x === y ? 0b0110 : x < y ? 0b1000 : 0b0010;
  }
  return fpCompareX(c, big32(a), big32(b), 32, signalNaNs, c.fpcr);
}

/** FPCompare, double precision. */
export function fpCompare64(c: Cpu, alo: number, ahi: number, blo: number, bhi: number, signalNaNs: boolean): number {
  if (isFastOperand64(alo, ahi) && isFastOperand64(blo, bhi)) {
    const x = f64Of(alo, ahi);
    const y = f64Of(blo, bhi);
    return x === y ? 0b0110 : x < y ? 0b1000 : 0b0010;
  }
  return fpCompareX(c, bigOf64(alo, ahi), bigOf64(blo, bhi), 64, signalNaNs, c.fpcr);
}

export { isNaN32, isNaN64 };
