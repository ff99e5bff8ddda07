/**
 * Reciprocal and reciprocal-square-root estimate and step, and FMULX (Arm pseudocode
 * FPRecipEstimate/RecipEstimate, FPRSqrtEstimate/RecipSqrtEstimate, FPRecipStepFused,
 * FPRSqrtStepFused, FPMulX) for single and double precision, on the exact BigInt
 * layer of fp-exact.ts (BigInt, allocating). exec/simdrecip.ts keeps the common cases
 * off it: FMULX of finite operands is FMUL, and FRECPS/FRSQRTS without infinities are
 * one FPMulAdd; the estimates (FRECPE/FRSQRTE, one per Newton-Raphson sequence) always
 * come here.
 * Operands/results are bit patterns of format N (32 or 64) as BigInt.
 */
import type { Cpu } from '../cpu.js';
import { FPCR_FZ, FPRounding, FPSR_DZC, FPSR_IOC, FPSR_IXC, FPSR_OFC, FPSR_UFC, fpRoundingMode } from './fp-helpers.js';
import {
  FPType,
  bitLength,
  fpDefaultNaN,
  fpInfinity,
  fpMaxNormal,
  fpProcessNaN,
  fpProcessNaNs,
  fpRound,
  fpUnpack,
  fpZero,
  type FPValue,
} from './fp-exact.js';

const FRAC = { 32: 23, 64: 52 } as const;
const BIAS = { 32: 127, 64: 1023 } as const;

/** A finite value 1.5 × 2^k, 2.0 …: (-1)^sign × mant × 2^exp packed to format N (exact, normal). */
function fpConst(sign: number, mant: number, exp: number, N: 32 | 64): bigint {
  const len = bitLength(BigInt(mant));
  const unbiased = len - 1 + exp;
  const frac = (BigInt(mant) << BigInt(FRAC[N] - (len - 1))) & ((1n << BigInt(FRAC[N])) - 1n);
  return fpZero(sign, N) | (BigInt(unbiased + BIAS[N]) << BigInt(FRAC[N])) | frac;
}

/** Exact s1·m1·2^e1 + s2·m2·2^e2 as [sign, mant, exp]. */
function sum(s1: number, m1: bigint, e1: number, s2: number, m2: bigint, e2: number): [number, bigint, number] {
  if (m2 === 0n) return [s1, m1, e1];
  const e = Math.min(e1, e2);
  const a = m1 << BigInt(e1 - e);
  const b = m2 << BigInt(e2 - e);
  const v = (s1 ? -a : a) + (s2 ? -b : b);
  return v < 0n ? [1, -v, e] : [0, v, e];
}

const isInf = (u: FPValue): boolean => u.type === FPType.INFINITY;
const isZero = (u: FPValue): boolean => u.type === FPType.ZERO;

/** FPMulX: FPMul, except 0 × ∞ = ±2.0. */
export function fpMulXX(c: Cpu, op1: bigint, op2: bigint, N: 32 | 64, fpcr: number): bigint {
  const u1 = fpUnpack(c, op1, N, fpcr);
  const u2 = fpUnpack(c, op2, N, fpcr);
  const nan = fpProcessNaNs(c, u1.type, u2.type, op1, op2, N, fpcr);
  if (nan !== null) return nan;
  const sign = u1.sign ^ u2.sign;
  if ((isInf(u1) && isZero(u2)) || (isZero(u1) && isInf(u2))) return fpConst(sign, 2, 0, N);
  if (isInf(u1) || isInf(u2)) return fpInfinity(sign, N);
  if (isZero(u1) || isZero(u2)) return fpZero(sign, N);
  return fpRound(c, sign, u1.mant * u2.mant, u1.exp + u2.exp, N, fpcr);
}

/**
 * FPRecipStepFused (rsqrt = false): 2 - op1 × op2; FPRSqrtStepFused (rsqrt = true):
 * (3 - op1 × op2) / 2; each rounded once. op1 is negated before NaN processing.
 */
export function fpStepFusedX(c: Cpu, op1: bigint, op2: bigint, N: 32 | 64, fpcr: number, rsqrt: boolean): bigint {
  const neg1 = op1 ^ (1n << BigInt(N - 1));
  const u1 = fpUnpack(c, neg1, N, fpcr);
  const u2 = fpUnpack(c, op2, N, fpcr);
  const nan = fpProcessNaNs(c, u1.type, u2.type, neg1, op2, N, fpcr);
  if (nan !== null) return nan;
  if ((isInf(u1) && isZero(u2)) || (isZero(u1) && isInf(u2))) return rsqrt ? fpConst(0, 3, -1, N) : fpConst(0, 2, 0, N);
  if (isInf(u1) || isInf(u2)) return fpInfinity(u1.sign ^ u2.sign, N);
  const [s, m, e] = sum(0, rsqrt ? 3n : 2n, 0, u1.sign ^ u2.sign, u1.mant * u2.mant, u1.exp + u2.exp);
  const rounding = fpRoundingMode(fpcr);
  if (m === 0n) return fpZero(rounding === FPRounding.NEGINF ? 1 : 0, N);
  return fpRound(c, s, m, rsqrt ? e - 1 : e, N, fpcr, rounding);
}

/** RecipEstimate: a in [256, 511] (0.5 <= x < 1 in steps of 1/512) → r in [256, 511] (1/x in steps of 1/256). */
function recipEstimate(a: number): number {
  const a2 = a * 2 + 1;
  const b = Math.floor(2 ** 19 / a2);
  return Math.floor((b + 1) / 2);
}

/** RecipSqrtEstimate: a in [128, 511] (0.25 <= x < 1) → r in [256, 511] (1/sqrt(x) in steps of 1/256). */
function recipSqrtEstimate(a: number): number {
  const a2 = a < 256 ? a * 2 + 1 : ((a >> 1) << 1) * 2 + 2;
  let b = 512;
  while (a2 * (b + 1) * (b + 1) < 2 ** 28) b++;
  return Math.floor((b + 1) / 2);
}

/** The operand's fraction widened to 52 bits and its biased exponent. */
function fields(op: bigint, N: 32 | 64): [bigint, number] {
  const F = FRAC[N];
  const frac = (op & ((1n << BigInt(F)) - 1n)) << BigInt(52 - F);
  const exp = Number((op >> BigInt(F)) & (N === 32 ? 0xffn : 0x7ffn));
  return [frac, exp];
}

const bit = (x: bigint, i: number): number => Number((x >> BigInt(i)) & 1n);
const MASK52 = (1n << 52n) - 1n;

/** Packs sign, biased exponent and a 52-bit fraction into format N (the fraction truncated). */
function pack(sign: number, exp: number, frac52: bigint, N: 32 | 64): bigint {
  return fpZero(sign, N) | (BigInt(exp) << BigInt(FRAC[N])) | (frac52 >> BigInt(52 - FRAC[N]));
}

/** log2 of |value| rounded down (value non-zero, finite). */
const ilog2 = (u: FPValue): number => bitLength(u.mant) - 1 + u.exp;

/** FPRecipEstimate (FRECPE). */
export function fpRecipEstimateX(c: Cpu, op: bigint, N: 32 | 64, fpcr: number): bigint {
  const u = fpUnpack(c, op, N, fpcr);
  if (u.type === FPType.QNAN || u.type === FPType.SNAN) return fpProcessNaN(c, u.type, op, N, fpcr);
  if (isInf(u)) return fpZero(u.sign, N);
  if (isZero(u)) {
    c.fpsr |= FPSR_DZC;
    return fpInfinity(u.sign, N);
  }
  if (ilog2(u) < (N === 32 ? -128 : -1024)) {
    const rounding = fpRoundingMode(fpcr);
    const toInf =
      rounding === FPRounding.TIEEVEN ||
      (rounding === FPRounding.POSINF && u.sign === 0) ||
      (rounding === FPRounding.NEGINF && u.sign === 1);
    c.fpsr |= FPSR_OFC | FPSR_IXC;
    return toInf ? fpInfinity(u.sign, N) : fpMaxNormal(u.sign, N);
  }
  if ((fpcr & FPCR_FZ) !== 0 && ilog2(u) >= (N === 32 ? 126 : 1022)) {
    c.fpsr |= FPSR_UFC;
    return fpZero(u.sign, N);
  }
  let [frac, exp] = fields(op, N);
  if (exp === 0) {
    if (bit(frac, 51) === 0) {
      exp = -1;
      frac = (frac << 2n) & MASK52;
    } else frac = (frac << 1n) & MASK52;
  }
  const scaled = 256 + Number(frac >> 44n);
  let resultExp = (N === 32 ? 253 : 2045) - exp;
  const estimate = recipEstimate(scaled);
  let rfrac = BigInt(estimate & 0xff) << 44n;
  if (resultExp === 0) rfrac = (1n << 51n) | (rfrac >> 1n);
  else if (resultExp === -1) {
    rfrac = (1n << 50n) | (rfrac >> 2n);
    resultExp = 0;
  }
  return pack(u.sign, resultExp, rfrac, N);
}

/** FPRSqrtEstimate (FRSQRTE). */
export function fpRSqrtEstimateX(c: Cpu, op: bigint, N: 32 | 64, fpcr: number): bigint {
  const u = fpUnpack(c, op, N, fpcr);
  if (u.type === FPType.QNAN || u.type === FPType.SNAN) return fpProcessNaN(c, u.type, op, N, fpcr);
  if (isZero(u)) {
    c.fpsr |= FPSR_DZC;
    return fpInfinity(u.sign, N);
  }
  if (u.sign === 1) {
    c.fpsr |= FPSR_IOC;
    return fpDefaultNaN(N);
  }
  if (isInf(u)) return fpZero(0, N);
  let [frac, exp] = fields(op, N);
  if (exp === 0) {
    while (bit(frac, 51) === 0) {
      frac = (frac << 1n) & MASK52;
      exp--;
    }
    frac = (frac << 1n) & MASK52;
  }
  const scaled = (exp & 1) === 0 ? 256 + Number(frac >> 44n) : 128 + Number(frac >> 45n);
  const resultExp = Math.floor(((N === 32 ? 380 : 3068) - exp) / 2);
  const estimate = recipSqrtEstimate(scaled);
  return pack(0, resultExp, BigInt(estimate & 0xff) << 44n, N);
}
