/**
 * The Arm floating-point pseudocode on exact values (shared/functions/float: FPUnpack,
 * FPRoundBase, FPProcessNaNs, FPAdd, FPMulAdd, FPToFixed, FPConvert …), for any format
 * N ∈ {16, 32, 64}, with operands and results as BigInt bit patterns.
 *
 * This is the slow path behind every operation in fp-arith.ts / fp-convert.ts: it
 * handles every rounding mode, NaNs, infinities, denormals, flush-to-zero and all
 * exception flags, and is written to follow the pseudocode line by line. It allocates
 * (BigInt, small objects); the fast paths avoid it for the common cases.
 *
 * A finite value is held exactly as (-1)^sign × mant × 2^exp with mant a BigInt.
 */
import type { Cpu } from '../cpu.js';
import {
  FPCR_AHP,
  FPCR_DN,
  FPCR_FZ,
  FPCR_FZ16,
  FPRounding,
  FPSR_DZC,
  FPSR_IDC,
  FPSR_IOC,
  FPSR_IXC,
  FPSR_OFC,
  FPSR_UFC,
  fpRoundingMode,
} from './fp-helpers.js';

/** FPType; Denormal and Nonzero are one kind here (both carry their exact value). */
export const FPType = { ZERO: 0, NONZERO: 1, INFINITY: 2, QNAN: 3, SNAN: 4 } as const;

export interface FPValue {
  type: number;
  sign: number;
  mant: bigint;
  exp: number;
}

interface Format {
  E: number;
  F: number;
  bias: number;
  minExp: number;
}
const FORMATS: Record<number, Format> = {
  16: { E: 5, F: 10, bias: 15, minExp: -14 },
  32: { E: 8, F: 23, bias: 127, minExp: -126 },
  64: { E: 11, F: 52, bias: 1023, minExp: -1022 },
};

export function bitLength(m: bigint): number {
  return m === 0n ? 0 : m.toString(2).length;
}

export function fpZero(sign: number, N: number): bigint {
  return BigInt(sign) << BigInt(N - 1);
}
export function fpInfinity(sign: number, N: number): bigint {
  const f = FORMATS[N];
  return fpZero(sign, N) | (((1n << BigInt(f.E)) - 1n) << BigInt(f.F));
}
export function fpMaxNormal(sign: number, N: number): bigint {
  const f = FORMATS[N];
  return fpZero(sign, N) | (((1n << BigInt(f.E)) - 2n) << BigInt(f.F)) | ((1n << BigInt(f.F)) - 1n);
}
export function fpDefaultNaN(N: number): bigint {
  const f = FORMATS[N];
  return fpInfinity(0, N) | (1n << BigInt(f.F - 1));
}

/**
 * FPUnpack / FPUnpackCV. Half-precision inputs are never flushed (FZ16 is ignored: we
 * implement no FP16 arithmetic, only the FCVT conversions, which use FPUnpackCV).
 */
export function fpUnpack(c: Cpu, op: bigint, N: number, fpcr: number): FPValue {
  const f = FORMATS[N];
  const sign = Number((op >> BigInt(N - 1)) & 1n);
  const expField = Number((op >> BigInt(f.F)) & ((1n << BigInt(f.E)) - 1n));
  const frac = op & ((1n << BigInt(f.F)) - 1n);
  const ones = (1 << f.E) - 1;
  if (expField === 0) {
    if (frac === 0n) return { type: FPType.ZERO, sign, mant: 0n, exp: 0 };
    if (N !== 16 && (fpcr & FPCR_FZ) !== 0) {
      c.fpsr |= FPSR_IDC;
      return { type: FPType.ZERO, sign, mant: 0n, exp: 0 };
    }
    return { type: FPType.NONZERO, sign, mant: frac, exp: f.minExp - f.F };
  }
  if (expField === ones && !(N === 16 && (fpcr & FPCR_AHP) !== 0)) {
    if (frac === 0n) return { type: FPType.INFINITY, sign, mant: 0n, exp: 0 };
    const quiet = ((frac >> BigInt(f.F - 1)) & 1n) === 1n;
    return { type: quiet ? FPType.QNAN : FPType.SNAN, sign, mant: 0n, exp: 0 };
  }
  return { type: FPType.NONZERO, sign, mant: frac | (1n << BigInt(f.F)), exp: expField - f.bias - f.F };
}

function isNaNType(t: number): boolean {
  return t === FPType.QNAN || t === FPType.SNAN;
}

/** FPProcessNaN: quiet a signalling NaN (IOC), or the default NaN when FPCR.DN. */
export function fpProcessNaN(c: Cpu, type: number, op: bigint, N: number, fpcr: number): bigint {
  let r = op;
  if (type === FPType.SNAN) {
    r |= 1n << BigInt(FORMATS[N].F - 1);
    c.fpsr |= FPSR_IOC;
  }
  if ((fpcr & FPCR_DN) !== 0) r = fpDefaultNaN(N);
  return r;
}

/** FPProcessNaNs: the NaN result, or null when neither operand is a NaN. */
export function fpProcessNaNs(c: Cpu, t1: number, t2: number, op1: bigint, op2: bigint, N: number, fpcr: number): bigint | null {
  if (t1 === FPType.SNAN) return fpProcessNaN(c, t1, op1, N, fpcr);
  if (t2 === FPType.SNAN) return fpProcessNaN(c, t2, op2, N, fpcr);
  if (t1 === FPType.QNAN) return fpProcessNaN(c, t1, op1, N, fpcr);
  if (t2 === FPType.QNAN) return fpProcessNaN(c, t2, op2, N, fpcr);
  return null;
}

/** FPProcessNaNs3 (signalling NaNs first, in operand order; then quiet NaNs). */
export function fpProcessNaNs3(
  c: Cpu,
  t1: number,
  t2: number,
  t3: number,
  op1: bigint,
  op2: bigint,
  op3: bigint,
  N: number,
  fpcr: number,
): bigint | null {
  if (t1 === FPType.SNAN) return fpProcessNaN(c, t1, op1, N, fpcr);
  if (t2 === FPType.SNAN) return fpProcessNaN(c, t2, op2, N, fpcr);
  if (t3 === FPType.SNAN) return fpProcessNaN(c, t3, op3, N, fpcr);
  if (t1 === FPType.QNAN) return fpProcessNaN(c, t1, op1, N, fpcr);
  if (t2 === FPType.QNAN) return fpProcessNaN(c, t2, op2, N, fpcr);
  if (t3 === FPType.QNAN) return fpProcessNaN(c, t3, op3, N, fpcr);
  return null;
}

/**
 * FPRoundBase: round the exact non-zero value (-1)^sign × mant × 2^exp to format N.
 * Flush-to-zero uses FPCR.FZ (FZ16 for N = 16); tininess is detected before rounding
 * (Arm, FPCR.AH = 0): UFC when the unrounded exponent is below the minimum and the
 * result is inexact. `rounding` may be any FPRounding except TIEAWAY … which we accept
 * as well (FPRoundCV callers never pass it, but it costs nothing).
 */
export function fpRoundBase(c: Cpu, sign: number, mant: bigint, exp: number, N: number, fpcr: number, rounding: number): bigint {
  const f = FORMATS[N];
  const exponent = bitLength(mant) - 1 + exp;
  const fz = N === 16 ? (fpcr & FPCR_FZ16) !== 0 : (fpcr & FPCR_FZ) !== 0;
  if (fz && exponent < f.minExp) {
    c.fpsr |= FPSR_UFC;
    return fpZero(sign, N);
  }
  let biased = Math.max(exponent - f.minExp + 1, 0);
  const lsbExp = biased > 0 ? exponent - f.F : f.minExp - f.F;
  const sh = lsbExp - exp;
  let intMant: bigint;
  let errNZ = false;
  let cmpHalf = -1;
  if (sh <= 0) {
    intMant = mant << BigInt(-sh);
  } else {
    intMant = mant >> BigInt(sh);
    const rem = mant - (intMant << BigInt(sh));
    const half = 1n << BigInt(sh - 1);
    errNZ = rem !== 0n;
    cmpHalf = rem > half ? 1 : rem === half ? 0 : -1;
  }
  if (biased === 0 && errNZ) c.fpsr |= FPSR_UFC;
  let roundUp: boolean;
  let overflowToInf: boolean;
  switch (rounding) {
    case FPRounding.TIEEVEN:
      roundUp = cmpHalf > 0 || (cmpHalf === 0 && (intMant & 1n) === 1n);
      overflowToInf = true;
      break;
    case FPRounding.POSINF:
      roundUp = errNZ && sign === 0;
      overflowToInf = sign === 0;
      break;
    case FPRounding.NEGINF:
      roundUp = errNZ && sign === 1;
      overflowToInf = sign === 1;
      break;
    case FPRounding.TIEAWAY:
      roundUp = cmpHalf >= 0;
      overflowToInf = true;
      break;
    default: // ZERO, ODD
      roundUp = false;
      overflowToInf = false;
  }
  if (roundUp) {
    intMant += 1n;
    if (intMant === 1n << BigInt(f.F)) biased = 1; // denormal rounded up to normal
    if (intMant === 1n << BigInt(f.F + 1)) {
      biased += 1;
      intMant >>= 1n;
    }
  }
  if (errNZ && rounding === FPRounding.ODD) intMant |= 1n;
  let inexact = errNZ;
  let result: bigint;
  const fracMask = (1n << BigInt(f.F)) - 1n;
  if (N !== 16 || (fpcr & FPCR_AHP) === 0) {
    if (biased >= (1 << f.E) - 1) {
      result = overflowToInf ? fpInfinity(sign, N) : fpMaxNormal(sign, N);
      c.fpsr |= FPSR_OFC;
      inexact = true;
    } else {
      result = fpZero(sign, N) | (BigInt(biased) << BigInt(f.F)) | (intMant & fracMask);
    }
  } else if (biased >= 1 << f.E) {
    // Alternative half precision has no infinity: saturate and signal Invalid Operation.
    result = fpZero(sign, N) | ((1n << BigInt(N - 1)) - 1n);
    c.fpsr |= FPSR_IOC;
    inexact = false;
  } else {
    result = fpZero(sign, N) | (BigInt(biased) << BigInt(f.F)) | (intMant & fracMask);
  }
  if (inexact) c.fpsr |= FPSR_IXC;
  return result;
}

/** FPRound(op, fpcr, rounding): FPRoundBase with FPCR.AHP = 0. */
export function fpRound(c: Cpu, sign: number, mant: bigint, exp: number, N: number, fpcr: number, rounding = fpRoundingMode(fpcr)): bigint {
  return fpRoundBase(c, sign, mant, exp, N, fpcr & ~FPCR_AHP, rounding);
}

/** Exact sum of two signed values: [sign, mant, exp] (sign 0 for an exact zero). */
function addExact(s1: number, m1: bigint, e1: number, s2: number, m2: bigint, e2: number): [number, bigint, number] {
  if (m1 === 0n) return [s2, m2, e2];
  if (m2 === 0n) return [s1, m1, e1];
  const e = Math.min(e1, e2);
  const a = m1 << BigInt(e1 - e);
  const b = m2 << BigInt(e2 - e);
  const v = (s1 ? -a : a) + (s2 ? -b : b);
  return v < 0n ? [1, -v, e] : [0, v, e];
}

/** Round an exact sum; an exact zero gets the sign the rounding mode gives (-0 only for RM). */
function roundSum(c: Cpu, s: number, m: bigint, e: number, N: number, fpcr: number): bigint {
  const rounding = fpRoundingMode(fpcr);
  if (m === 0n) return fpZero(rounding === FPRounding.NEGINF ? 1 : 0, N);
  return fpRound(c, s, m, e, N, fpcr, rounding);
}

/** FPAdd / FPSub (sub = true negates op2's value; a NaN op2 propagates unchanged). */
export function fpAddX(c: Cpu, op1: bigint, op2: bigint, N: number, fpcr: number, sub: boolean): bigint {
  const u1 = fpUnpack(c, op1, N, fpcr);
  const u2 = fpUnpack(c, op2, N, fpcr);
  const nan = fpProcessNaNs(c, u1.type, u2.type, op1, op2, N, fpcr);
  if (nan !== null) return nan;
  const s2 = sub ? 1 - u2.sign : u2.sign;
  const inf1 = u1.type === FPType.INFINITY;
  const inf2 = u2.type === FPType.INFINITY;
  if (inf1 && inf2 && u1.sign !== s2) {
    c.fpsr |= FPSR_IOC;
    return fpDefaultNaN(N);
  }
  if (inf1) return fpInfinity(u1.sign, N);
  if (inf2) return fpInfinity(s2, N);
  if (u1.type === FPType.ZERO && u2.type === FPType.ZERO && u1.sign === s2) return fpZero(s2, N);
  const [s, m, e] = addExact(u1.sign, u1.mant, u1.exp, s2, u2.mant, u2.exp);
  return roundSum(c, s, m, e, N, fpcr);
}

/** FPMul. */
export function fpMulX(c: Cpu, op1: bigint, op2: bigint, N: number, fpcr: number): bigint {
  const u1 = fpUnpack(c, op1, N, fpcr);
  const u2 = fpUnpack(c, op2, N, fpcr);
  const nan = fpProcessNaNs(c, u1.type, u2.type, op1, op2, N, fpcr);
  if (nan !== null) return nan;
  const inf1 = u1.type === FPType.INFINITY;
  const inf2 = u2.type === FPType.INFINITY;
  const zero1 = u1.type === FPType.ZERO;
  const zero2 = u2.type === FPType.ZERO;
  const sign = u1.sign ^ u2.sign;
  if ((inf1 && zero2) || (zero1 && inf2)) {
    c.fpsr |= FPSR_IOC;
    return fpDefaultNaN(N);
  }
  if (inf1 || inf2) return fpInfinity(sign, N);
  if (zero1 || zero2) return fpZero(sign, N);
  return fpRound(c, sign, u1.mant * u2.mant, u1.exp + u2.exp, N, fpcr);
}

/** FPDiv. */
export function fpDivX(c: Cpu, op1: bigint, op2: bigint, N: number, fpcr: number): bigint {
  const u1 = fpUnpack(c, op1, N, fpcr);
  const u2 = fpUnpack(c, op2, N, fpcr);
  const nan = fpProcessNaNs(c, u1.type, u2.type, op1, op2, N, fpcr);
  if (nan !== null) return nan;
  const inf1 = u1.type === FPType.INFINITY;
  const inf2 = u2.type === FPType.INFINITY;
  const zero1 = u1.type === FPType.ZERO;
  const zero2 = u2.type === FPType.ZERO;
  const sign = u1.sign ^ u2.sign;
  if ((inf1 && inf2) || (zero1 && zero2)) {
    c.fpsr |= FPSR_IOC;
    return fpDefaultNaN(N);
  }
  if (inf1 || zero2) {
    if (!inf1) c.fpsr |= FPSR_DZC;
    return fpInfinity(sign, N);
  }
  if (zero1 || inf2) return fpZero(sign, N);
  // Quotient with at least 64 significant bits; a non-zero remainder becomes a sticky bit.
  const k = Math.max(0, bitLength(u2.mant) - bitLength(u1.mant)) + 64;
  const num = u1.mant << BigInt(k);
  let q = num / u2.mant;
  if (q * u2.mant !== num) q |= 1n;
  return fpRound(c, sign, q, u1.exp - u2.exp - k, N, fpcr);
}

/** Integer square root (floor). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** FPSqrt. */
export function fpSqrtX(c: Cpu, op: bigint, N: number, fpcr: number): bigint {
  const u = fpUnpack(c, op, N, fpcr);
  if (isNaNType(u.type)) return fpProcessNaN(c, u.type, op, N, fpcr);
  if (u.type === FPType.ZERO) return fpZero(u.sign, N);
  if (u.type === FPType.INFINITY && u.sign === 0) return fpInfinity(0, N);
  if (u.sign === 1) {
    c.fpsr |= FPSR_IOC;
    return fpDefaultNaN(N);
  }
  let m = u.mant;
  let e = u.exp;
  if ((e & 1) !== 0) {
    m <<= 1n;
    e -= 1;
  }
  const k = Math.max(0, Math.ceil((130 - bitLength(m)) / 2));
  m <<= BigInt(2 * k);
  e -= 2 * k;
  let r = isqrt(m);
  if (r * r !== m) r |= 1n;
  return fpRound(c, 0, r, e / 2, N, fpcr);
}

/** FPMulAdd(addend, op1, op2): addend + op1 × op2 with a single rounding. */
export function fpMulAddX(c: Cpu, addend: bigint, op1: bigint, op2: bigint, N: number, fpcr: number): bigint {
  const rounding = fpRoundingMode(fpcr);
  const ua = fpUnpack(c, addend, N, fpcr);
  const u1 = fpUnpack(c, op1, N, fpcr);
  const u2 = fpUnpack(c, op2, N, fpcr);
  const inf1 = u1.type === FPType.INFINITY;
  const inf2 = u2.type === FPType.INFINITY;
  const zero1 = u1.type === FPType.ZERO;
  const zero2 = u2.type === FPType.ZERO;
  let result = fpProcessNaNs3(c, ua.type, u1.type, u2.type, addend, op1, op2, N, fpcr);
  // A quiet NaN addend does not hide the Invalid Operation of 0 × ∞.
  if (ua.type === FPType.QNAN && ((inf1 && zero2) || (zero1 && inf2))) {
    c.fpsr |= FPSR_IOC;
    result = fpDefaultNaN(N);
  }
  if (result !== null) return result;
  const infA = ua.type === FPType.INFINITY;
  const zeroA = ua.type === FPType.ZERO;
  const signP = u1.sign ^ u2.sign;
  const infP = inf1 || inf2;
  const zeroP = zero1 || zero2;
  if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && ua.sign !== signP)) {
    c.fpsr |= FPSR_IOC;
    return fpDefaultNaN(N);
  }
  if ((infA && ua.sign === 0) || (infP && signP === 0)) return fpInfinity(0, N);
  if ((infA && ua.sign === 1) || (infP && signP === 1)) return fpInfinity(1, N);
  if (zeroA && zeroP && ua.sign === signP) return fpZero(ua.sign, N);
  const [s, m, e] = addExact(ua.sign, ua.mant, ua.exp, signP, u1.mant * u2.mant, u1.exp + u2.exp);
  if (m === 0n) return fpZero(rounding === FPRounding.NEGINF ? 1 : 0, N);
  return fpRound(c, s, m, e, N, fpcr, rounding);
}

/** Compare two unpacked non-NaN values: -1, 0, 1. */
function compareValues(u1: FPValue, u2: FPValue): number {
  const k1 = u1.type === FPType.INFINITY ? (u1.sign ? -2 : 2) : 0;
  const k2 = u2.type === FPType.INFINITY ? (u2.sign ? -2 : 2) : 0;
  if (k1 !== 0 || k2 !== 0) return k1 === k2 ? 0 : k1 < k2 ? -1 : 1;
  const [s, m] = addExact(u1.sign, u1.mant, u1.exp, 1 - u2.sign, u2.mant, u2.exp);
  return m === 0n ? 0 : s ? -1 : 1;
}

/** FPMax / FPMin. */
export function fpMaxMinX(c: Cpu, op1: bigint, op2: bigint, N: number, fpcr: number, isMax: boolean): bigint {
  const u1 = fpUnpack(c, op1, N, fpcr);
  const u2 = fpUnpack(c, op2, N, fpcr);
  const nan = fpProcessNaNs(c, u1.type, u2.type, op1, op2, N, fpcr);
  if (nan !== null) return nan;
  const cmp = compareValues(u1, u2);
  const u = (isMax ? cmp > 0 : cmp < 0) ? u1 : u2;
  if (u.type === FPType.INFINITY) return fpInfinity(u.sign, N);
  if (u.type === FPType.ZERO) return fpZero(isMax ? u1.sign & u2.sign : u1.sign | u2.sign, N);
  return fpRound(c, u.sign, u.mant, u.exp, N, fpcr);
}

/** FPMaxNum / FPMinNum: a single quiet NaN is treated as -∞ (max) or +∞ (min). */
export function fpMaxMinNumX(c: Cpu, op1: bigint, op2: bigint, N: number, fpcr: number, isMax: boolean): bigint {
  const t1 = fpUnpack(c, op1, N, fpcr).type;
  const t2 = fpUnpack(c, op2, N, fpcr).type;
  const inf = fpInfinity(isMax ? 1 : 0, N);
  if (t1 === FPType.QNAN && t2 !== FPType.QNAN) op1 = inf;
  else if (t1 !== FPType.QNAN && t2 === FPType.QNAN) op2 = inf;
  return fpMaxMinX(c, op1, op2, N, fpcr, isMax);
}

/** FPCompare: NZCV (packed N=8 Z=4 C=2 V=1). */
export function fpCompareX(c: Cpu, op1: bigint, op2: bigint, N: number, signalNaNs: boolean, fpcr: number): number {
  const u1 = fpUnpack(c, op1, N, fpcr);
  const u2 = fpUnpack(c, op2, N, fpcr);
  if (isNaNType(u1.type) || isNaNType(u2.type)) {
    if (u1.type === FPType.SNAN || u2.type === FPType.SNAN || signalNaNs) c.fpsr |= FPSR_IOC;
    return 0b0011;
  }
  const cmp = compareValues(u1, u2);
  return cmp === 0 ? 0b0110 : cmp < 0 ? 0b1000 : 0b0010;
}

/**
 * RoundDown + the rounding-mode increment shared by FPRoundInt and FPToFixed: the
 * integer (signed BigInt) nearest (-1)^sign × mant × 2^exp in the direction `rounding`;
 * `inexactOut.v` tells whether the value was not already an integer.
 */
function roundToIntegerX(sign: number, mant: bigint, exp: number, rounding: number, inexactOut: { v: boolean }): bigint {
  if (exp >= 0) {
    inexactOut.v = false;
    const m = mant << BigInt(exp);
    return sign ? -m : m;
  }
  const k = BigInt(-exp);
  const q = mant >> k;
  const r = mant - (q << k);
  // value = floor + err / 2^k with 0 <= err < 2^k
  const floorV = sign ? -q - (r !== 0n ? 1n : 0n) : q;
  const err = sign && r !== 0n ? (1n << k) - r : r;
  const half = 1n << (k - 1n);
  inexactOut.v = err !== 0n;
  let up: boolean;
  switch (rounding) {
    case FPRounding.TIEEVEN:
      up = err > half || (err === half && (floorV & 1n) === 1n);
      break;
    case FPRounding.POSINF:
      up = err !== 0n;
      break;
    case FPRounding.NEGINF:
      up = false;
      break;
    case FPRounding.ZERO:
      up = err !== 0n && floorV < 0n;
      break;
    default: // TIEAWAY
      up = err > half || (err === half && floorV >= 0n);
  }
  return up ? floorV + 1n : floorV;
}

/** FPRoundInt: round to an integral value in format N (FRINT*); IXC only when `exact`. */
export function fpRoundIntX(c: Cpu, op: bigint, N: number, fpcr: number, rounding: number, exact: boolean): bigint {
  const u = fpUnpack(c, op, N, fpcr);
  if (isNaNType(u.type)) return fpProcessNaN(c, u.type, op, N, fpcr);
  if (u.type === FPType.INFINITY) return fpInfinity(u.sign, N);
  if (u.type === FPType.ZERO) return fpZero(u.sign, N);
  const inexact = { v: false };
  const r = roundToIntegerX(u.sign, u.mant, u.exp, rounding, inexact);
  const result = r === 0n ? fpZero(u.sign, N) : fpRound(c, r < 0n ? 1 : 0, r < 0n ? -r : r, 0, N, fpcr, FPRounding.ZERO);
  if (inexact.v && exact) c.fpsr |= FPSR_IXC;
  return result;
}

/**
 * FPToFixed: convert to an M-bit (32 or 64) signed or unsigned integer with `fbits`
 * fraction bits; saturates with IOC; IXC when inexact. Returns the M-bit pattern.
 */
export function fpToFixedX(
  c: Cpu,
  op: bigint,
  N: number,
  fbits: number,
  unsigned: boolean,
  M: number,
  fpcr: number,
  rounding: number,
): bigint {
  const u = fpUnpack(c, op, N, fpcr);
  const mask = (1n << BigInt(M)) - 1n;
  if (isNaNType(u.type)) {
    c.fpsr |= FPSR_IOC;
    return 0n;
  }
  const max = unsigned ? mask : (1n << BigInt(M - 1)) - 1n;
  const min = unsigned ? 0n : -(1n << BigInt(M - 1));
  if (u.type === FPType.INFINITY) {
    c.fpsr |= FPSR_IOC;
    return (u.sign ? min : max) & mask;
  }
  if (u.type === FPType.ZERO) return 0n;
  const inexact = { v: false };
  const r = roundToIntegerX(u.sign, u.mant, u.exp + fbits, rounding, inexact);
  if (r > max || r < min) {
    c.fpsr |= FPSR_IOC;
    return (r > max ? max : min) & mask;
  }
  if (inexact.v) c.fpsr |= FPSR_IXC;
  return r & mask;
}

/** FixedToFP: the signed integer `value` / 2^fbits rounded to format N. */
export function fixedToFpX(c: Cpu, value: bigint, fbits: number, N: number, fpcr: number, rounding: number): bigint {
  if (value === 0n) return fpZero(0, N);
  return fpRound(c, value < 0n ? 1 : 0, value < 0n ? -value : value, -fbits, N, fpcr, rounding);
}

/** FPConvertNaN: move the payload between formats, quieting it. */
export function fpConvertNaN(op: bigint, N: number, M: number): bigint {
  const sign = (op >> BigInt(N - 1)) & 1n;
  let frac: bigint; // 51 bits
  if (N === 64) frac = op & ((1n << 51n) - 1n);
  else if (N === 32) frac = (op & ((1n << 22n) - 1n)) << 29n;
  else frac = (op & ((1n << 9n) - 1n)) << 42n;
  const f = FORMATS[M];
  const top = ((1n << BigInt(M - f.F)) - 1n) << BigInt(f.F - 1); // exponent ones + quiet bit
  return (sign << BigInt(M - 1)) | top | (frac >> BigInt(51 - (f.F - 1)));
}

/**
 * FPConvert (FCVT): format N to format M with `rounding`, honouring FPCR.AHP for
 * half precision (alternative format: no infinities or NaNs), DN and FZ (not FZ16).
 */
export function fpConvertX(c: Cpu, op: bigint, N: number, M: number, fpcr: number, rounding: number): bigint {
  const u = fpUnpack(c, op, N, fpcr);
  const altHp = M === 16 && (fpcr & FPCR_AHP) !== 0;
  if (isNaNType(u.type)) {
    let r: bigint;
    if (altHp) r = fpZero(u.sign, M);
    else if ((fpcr & FPCR_DN) !== 0) r = fpDefaultNaN(M);
    else r = fpConvertNaN(op, N, M);
    if (u.type === FPType.SNAN || altHp) c.fpsr |= FPSR_IOC;
    return r;
  }
  if (u.type === FPType.INFINITY) {
    if (altHp) {
      c.fpsr |= FPSR_IOC;
      return fpZero(u.sign, M) | ((1n << BigInt(M - 1)) - 1n);
    }
    return fpInfinity(u.sign, M);
  }
  if (u.type === FPType.ZERO) return fpZero(u.sign, M);
  // FPRoundCV: FPRoundBase with FZ16 = 0 (AHP kept).
  return fpRoundBase(c, u.sign, u.mant, u.exp, M, fpcr & ~FPCR_FZ16, rounding);
}
