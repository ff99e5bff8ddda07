/**
 * Advanced SIMD integer operations with rounding or saturation that the
 * three-same and two-register-misc groups add to exec/simdsame.ts:
 *   SRSHL/URSHL, SQSHL/UQSHL, SQRSHL/UQRSHL (register)  — shift by the signed low byte of Vm
 *   SQDMULH/SQRDMULH (vector, scalar, by element)       — SignedSatQ((2ab [+ 2^(esize-1)]) >> esize)
 *   SUQADD/USQADD                                       — Vd ± the other signedness, saturated
 * Element functions follow simdsame.ts's conventions (exact doubles for 8/16/32-bit
 * elements, (lo, hi) pairs for 64-bit ones); saturation sets `sat.q`.
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import type { DecodeCtx, Emitter, Fields } from '../decoder.js';
import { fpAccessTrap } from '../exceptions.js';
import { sameScalar, sameVec, type ElemFn, type PairFn, type SameSpec } from './simdsame.js';
import {
  add64,
  asr64,
  clearHigh,
  clearReg,
  flushQc,
  getElem,
  lsr64,
  ltU64,
  readElems,
  rshr64,
  sat,
  satQ,
  shl64,
  writeElems,
} from './simdlanes.js';

const ONES = -1;
const INT64_MIN_HI = 0x80000000 | 0;

/** The signed shift amount: SInt(Vm.element<7:0>). */
const shiftOf = (b: number): number => (b << 24) >> 24;

/** (a + rounding) >> n for n >= 1 on an exact element value; 0 once n is past the element. */
function roundShr(a: number, n: number): number {
  if (n > 40) return 0;
  return Math.floor((a + 2 ** (n - 1)) / 2 ** n);
}

/** Saturated 64-bit result: INT64_MIN/INT64_MAX by the sign of `negative`, or UINT64_MAX/0. */
function sat64(c: Cpu, unsigned: boolean, negative: boolean): number {
  sat.q = 1;
  if (unsigned) {
    c.hi = negative ? 0 : ONES;
    return negative ? 0 : ONES;
  }
  c.hi = negative ? INT64_MIN_HI : 0x7fffffff;
  return negative ? 0 : ONES;
}

/** Left shift of a 64-bit pair by 0 <= sh with saturation (SQSHL/UQSHL semantics). */
function qshl64(c: Cpu, lo: number, hi: number, sh: number, unsigned: boolean): number {
  if (lo === 0 && hi === 0) {
    c.hi = 0;
    return 0;
  }
  const negative = !unsigned && hi < 0;
  if (sh >= 64) return sat64(c, unsigned, negative);
  const rlo = shl64(c, lo, hi, sh);
  const rhi = c.hi;
  const back = unsigned ? lsr64(c, rlo, rhi, sh) : asr64(c, rlo, rhi, sh);
  if (back !== lo || c.hi !== hi) return sat64(c, unsigned, negative);
  c.hi = rhi;
  return rlo;
}

// ---- shifts by register ----------------------------------------------------------------

/** SRSHL/URSHL. */
const rshl: ElemFn = (a, b, _d, bits) => {
  const sh = shiftOf(b);
  if (sh >= 0) return sh >= bits ? 0 : a * 2 ** sh;
  return roundShr(a, -sh);
};
/** SQSHL/UQSHL (register); `signed` of the spec gives the saturation range. */
const qshl =
  (unsigned: boolean, round: boolean): ElemFn =>
  (a, b, _d, bits) => {
    const sh = shiftOf(b);
    if (sh >= 0) return satQ(a * 2 ** Math.min(sh, 64), bits, unsigned);
    return round ? roundShr(a, -sh) : Math.floor(a / 2 ** Math.min(-sh, 40));
  };

const rshl64 =
  (signed: boolean): PairFn =>
  (c, alo, ahi, blo) => {
    const sh = shiftOf(blo);
    if (sh >= 0) return shl64(c, alo, ahi, sh);
    if (-sh > 64) {
      c.hi = 0;
      return 0;
    }
    return rshr64(c, alo, ahi, -sh, signed);
  };
const qshl64Reg = (unsigned: boolean, round: boolean): PairFn => {
  const roundRight = rshl64(!unsigned);
  return (c, alo, ahi, blo, bhi) => {
    const sh = shiftOf(blo);
    if (sh >= 0) return qshl64(c, alo, ahi, sh, unsigned);
    if (round) return roundRight(c, alo, ahi, blo, bhi);
    return unsigned ? lsr64(c, alo, ahi, -sh) : asr64(c, alo, ahi, -sh);
  };
};

const ALL = 0b1111;
const H_S = 0b0110;

export const SRSHL: SameSpec = { fn: rshl, fn64: rshl64(true), signed: true, sizes: ALL, scalarSizes: 0b1000 };
export const URSHL: SameSpec = { fn: rshl, fn64: rshl64(false), signed: false, sizes: ALL, scalarSizes: 0b1000 };
export const SQSHL: SameSpec = { fn: qshl(false, false), fn64: qshl64Reg(false, false), signed: true, sizes: ALL, scalarSizes: ALL };
export const UQSHL: SameSpec = { fn: qshl(true, false), fn64: qshl64Reg(true, false), signed: false, sizes: ALL, scalarSizes: ALL };
export const SQRSHL: SameSpec = { fn: qshl(false, true), fn64: qshl64Reg(false, true), signed: true, sizes: ALL, scalarSizes: ALL };
export const UQRSHL: SameSpec = { fn: qshl(true, true), fn64: qshl64Reg(true, true), signed: false, sizes: ALL, scalarSizes: ALL };

// ---- doubling multiply high ------------------------------------------------------------

/** SignedSatQ((2 * a * b + (round ? 2^(bits-1) : 0)) >> bits, bits), exact for 16- and 32-bit elements. */
function qdmulh(a: number, b: number, bits: number, round: boolean): number {
  if (bits === 16) return satQ(Math.floor((2 * a * b + (round ? 0x8000 : 0)) / 0x10000), 16, false);
  // 2ab + r = x * 2^17 + y with x = a * bh, y = 2 * a * bl + r (b = bh * 2^16 + bl); both exact.
  const bl = b & 0xffff;
  const bh = (b - bl) / 0x10000;
  const x = a * bh;
  const y = 2 * a * bl + (round ? 0x80000000 : 0);
  const xq = Math.floor(x / 0x8000);
  const xr = x - xq * 0x8000;
  return satQ(xq + Math.floor((xr * 0x20000 + y) / 0x100000000), 32, false);
}

export const SQDMULH: SameSpec = {
  fn: (a, b, _d, bits) => qdmulh(a, b, bits, false),
  fn64: null,
  signed: true,
  sizes: H_S,
  scalarSizes: H_S,
};
export const SQRDMULH: SameSpec = {
  fn: (a, b, _d, bits) => qdmulh(a, b, bits, true),
  fn64: null,
  signed: true,
  sizes: H_S,
  scalarSizes: H_S,
};

/** Index and register of the by-element operand for 16/32-bit elements, or null when size is reserved. */
function elemOperand(f: Fields): [number, number] | null {
  if (f.size === 1) return [(f.H << 2) | (f.L << 1) | f.M, f.Rm];
  if (f.size === 2) return [(f.H << 1) | f.L, (f.M << 4) | f.Rm];
  return null;
}

/** SQDMULH/SQRDMULH (by element): vector `0 Q 0 01111 size L M Rm 110R H 0 Rn Rd` or scalar `01 0 11111 …`. */
export function qdmulhElem(round: boolean, scalar: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx): Op | null => {
    const e = elemOperand(f);
    if (e === null) return null;
    const [idx, m] = e;
    const { pcLo, pcHi } = ctx;
    const size = f.size;
    const bits = 8 << size;
    const q = f.Q;
    const d = f.Rd;
    const n = f.Rn;
    const count = scalar ? 1 : (q ? 16 : 8) >> size;
    const sa = new Float64Array(count);
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const b = getElem(c, m, size, idx, true);
      readElems(c, n, size, 0, count, true, sa, 0);
      for (let i = 0; i < count; i++) sa[i] = qdmulh(sa[i], b, bits, round);
      if (scalar) clearReg(c, d);
      writeElems(c, d, size, 0, count, sa, 0);
      if (!scalar && q === 0) clearHigh(c, d);
      flushQc(c);
      return NEXT;
    };
  };
}

// ---- SUQADD / USQADD ---------------------------------------------------------------------
// Run through the three-same lane runner with Rm := Rd: a is the Vn element, b the Vd element.

/** SUQADD: signed Vd + unsigned Vn (both read signed; a re-read as unsigned). */
const suqadd: ElemFn = (a, b, _d, bits) => satQ(b + (a < 0 ? a + 2 ** bits : a), bits, false);
/** USQADD: unsigned Vd + signed Vn (both read unsigned; a re-read as signed). */
const usqadd: ElemFn = (a, b, _d, bits) => satQ(b + (a >= 2 ** (bits - 1) ? a - 2 ** bits : a), bits, true);

const suqadd64: PairFn = (c, nlo, nhi, dlo, dhi) => {
  const r = add64(c, dlo, dhi, nlo, nhi);
  const rneg = c.hi < 0;
  // d >= 0: overflow when n >= 2^63 or the sum wrapped negative; d < 0: only when n >= 2^63 and the sum >= 2^63
  if (dhi >= 0 ? nhi < 0 || rneg : nhi < 0 && rneg) return sat64(c, false, false);
  return r;
};
const usqadd64: PairFn = (c, nlo, nhi, dlo, dhi) => {
  const r = add64(c, dlo, dhi, nlo, nhi);
  const rhi = c.hi;
  if (nhi >= 0) {
    if (ltU64(r, rhi, dlo, dhi)) return sat64(c, true, false);
  } else if (ltU64(dlo, dhi, r, rhi)) return sat64(c, true, true);
  c.hi = rhi;
  return r;
};

const SUQADD: SameSpec = { fn: suqadd, fn64: suqadd64, signed: true, sizes: ALL, scalarSizes: ALL };
const USQADD: SameSpec = { fn: usqadd, fn64: usqadd64, signed: false, sizes: ALL, scalarSizes: ALL };

/** SUQADD/USQADD (vector): `0 Q U 01110 size 10000 00011 10 Rn Rd`. */
export function sqaddAccVec(unsignedAcc: boolean): Emitter {
  const e = sameVec(unsignedAcc ? USQADD : SUQADD);
  return (f: Fields, ctx: DecodeCtx) => e({ ...f, Rm: f.Rd }, ctx);
}

/** SUQADD/USQADD (scalar): `01 U 11110 size 10000 00011 10 Rn Rd`. */
export function sqaddAccScalar(unsignedAcc: boolean): Emitter {
  const e = sameScalar(unsignedAcc ? USQADD : SUQADD);
  return (f: Fields, ctx: DecodeCtx) => e({ ...f, Rm: f.Rd }, ctx);
}
