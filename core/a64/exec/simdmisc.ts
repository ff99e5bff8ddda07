/**
 * Advanced SIMD two-register miscellaneous (Arm ARM C4.1.96.21, scalar C4.1.96.13)
 * and across-lanes (C4.1.96.4) integer operations: compares against zero,
 * ABS/NEG/SQABS/SQNEG, CLS/CLZ/CNT/NOT/RBIT, REV*, pairwise long adds, narrowing
 * moves (XTN, SQXTN, UQXTN, SQXTUN), SHLL, ADDV/xMAXV/xMINV/xADDLV.
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import type { DecodeCtx, Emitter, Fields } from '../decoder.js';
import { fpAccessTrap } from '../exceptions.js';
import { add64, clearHigh, clearReg, flushQc, fromNumber, readElems, sat, satQ, sub64, writeElems } from './simdlanes.js';

export type UnaryFn = (a: number, bits: number) => number;
export type UnaryPairFn = (c: Cpu, lo: number, hi: number) => number;

export interface UnarySpec {
  fn: UnaryFn;
  fn64: UnaryPairFn | null;
  signed: boolean;
  sizes: number;
  scalarSizes?: number;
  /** Element size when the size field selects the operation (NOT, RBIT: bytes). */
  elemSize?: number;
}

const ONES = -1;

export const U = {
  cmgt0: (a: number) => (a > 0 ? ONES : 0),
  cmge0: (a: number) => (a >= 0 ? ONES : 0),
  cmeq0: (a: number) => (a === 0 ? ONES : 0),
  cmle0: (a: number) => (a <= 0 ? ONES : 0),
  cmlt0: (a: number) => (a < 0 ? ONES : 0),
  abs: (a: number) => Math.abs(a),
  neg: (a: number) => -a,
  sqabs: (a: number, bits: number) => satQ(Math.abs(a), bits, false),
  sqneg: (a: number, bits: number) => satQ(-a, bits, false),
  /** Inputs zero-extended. */
  clz: (a: number, bits: number) => Math.clz32(a) - (32 - bits),
  /** Inputs sign-extended. */
  cls: (a: number, bits: number) => Math.clz32(a < 0 ? ~a : a) - (32 - bits) - 1,
  cnt: (a: number) => {
    let x = a - ((a >> 1) & 0x55);
    x = (x & 0x33) + ((x >> 2) & 0x33);
    return (x + (x >> 4)) & 0x0f;
  },
  not: (a: number) => ~a,
  rbit: (a: number) => {
    let r = 0;
    for (let i = 0; i < 8; i++) r |= ((a >> i) & 1) << (7 - i);
    return r;
  },
};

export const U64: Record<string, UnaryPairFn> = {
  cmgt0: (c, lo, hi) => (c.hi = hi > 0 || (hi === 0 && lo !== 0) ? ONES : 0),
  cmge0: (c, _lo, hi) => (c.hi = hi >= 0 ? ONES : 0),
  cmeq0: (c, lo, hi) => (c.hi = (lo | hi) === 0 ? ONES : 0),
  cmle0: (c, lo, hi) => (c.hi = hi < 0 || (hi === 0 && lo === 0) ? ONES : 0),
  cmlt0: (c, _lo, hi) => (c.hi = hi < 0 ? ONES : 0),
  abs: (c, lo, hi) => {
    if (hi >= 0) {
      c.hi = hi;
      return lo;
    }
    return sub64(c, 0, 0, lo, hi);
  },
  neg: (c, lo, hi) => sub64(c, 0, 0, lo, hi),
  sqabs: (c, lo, hi) => (hi >= 0 ? ((c.hi = hi), lo) : sqneg64(c, lo, hi)),
  sqneg: (c, lo, hi) => sqneg64(c, lo, hi),
};

function sqneg64(c: Cpu, lo: number, hi: number): number {
  if (lo === 0 && hi === (0x80000000 | 0)) {
    sat.q = 1;
    c.hi = 0x7fffffff;
    return ONES;
  }
  return sub64(c, 0, 0, lo, hi);
}

function unaryOp(ctx: DecodeCtx, s: UnarySpec, size: number, count: number, d: number, n: number, upper: 'q0' | 'q1' | 'scalar'): Op {
  const { pcLo, pcHi } = ctx;
  if (size === 3) {
    const fn64 = s.fn64 as UnaryPairFn;
    const words = 2 * count;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      // Lane-wise: element i of Vd depends only on element i of Vn, so in place is safe.
      for (let w = 0; w < words; w += 2) {
        const lo = fn64(c, v[4 * n + w], v[4 * n + w + 1]);
        v[4 * d + w] = lo;
        v[4 * d + w + 1] = c.hi;
      }
      if (upper !== 'q1') clearHigh(c, d);
      flushQc(c);
      return NEXT;
    };
  }
  const fn = s.fn;
  const bits = 8 << size;
  const signed = s.signed;
  const sa = new Float64Array(count);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    readElems(c, n, size, 0, count, signed, sa, 0);
    for (let i = 0; i < count; i++) sa[i] = fn(sa[i], bits);
    if (upper === 'scalar') clearReg(c, d);
    writeElems(c, d, size, 0, count, sa, 0);
    if (upper === 'q0') clearHigh(c, d);
    flushQc(c);
    return NEXT;
  };
}

/** Vector form: `0 Q U 01110 size 10000 opcode 10 Rn Rd`. */
export function unaryVec(s: UnarySpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = f.size;
    if (((s.sizes >> size) & 1) === 0 || (size === 3 && f.Q === 0)) return null;
    const esz = s.elemSize ?? size;
    return unaryOp(ctx, s, esz, (f.Q ? 16 : 8) >> esz, f.Rd, f.Rn, f.Q ? 'q1' : 'q0');
  };
}

/** Scalar form: `01 U 11110 size 10000 opcode 10 Rn Rd`. */
export function unaryScalar(s: UnarySpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    if ((((s.scalarSizes ?? 0) >> f.size) & 1) === 0) return null;
    return unaryOp(ctx, s, f.size, 1, f.Rd, f.Rn, 'scalar');
  };
}

/** Byte permutation of Vn into Vd: Vd.B[i] = Vn.B[perm[i]]. */
export function permuteBytes(ctx: DecodeCtx, d: number, n: number, perm: Uint8Array, q: number): Op {
  const { pcLo, pcHi } = ctx;
  const tmp = new Uint8Array(16);
  const len = q ? 16 : 8;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const b = c.v8;
    const nb = 16 * n;
    for (let i = 0; i < 16; i++) tmp[i] = b[nb + i];
    const db = 16 * d;
    for (let i = 0; i < len; i++) b[db + i] = tmp[perm[i]];
    if (q === 0) clearHigh(c, d);
    return NEXT;
  };
}

/** REV16/REV32/REV64: reverse elements of `8 << size` bits within containers of `container` bits. */
export function rev(container: number): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const esize = 8 << f.size;
    if (esize >= container) return null;
    const perm = new Uint8Array(16);
    const cbytes = container / 8;
    const ebytes = esize / 8;
    for (let i = 0; i < 16; i++) {
      const base = i - (i % cbytes);
      const within = i % cbytes;
      const elem = Math.floor(within / ebytes);
      const byte = within % ebytes;
      const srcElem = cbytes / ebytes - 1 - elem;
      perm[i] = base + srcElem * ebytes + byte;
    }
    return permuteBytes(ctx, f.Rd, f.Rn, perm, f.Q);
  };
}

/** SADDLP/UADDLP (acc=false), SADALP/UADALP (acc=true): adjacent pairs summed into double-width elements. */
export function addlp(signed: boolean, acc: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = f.size;
    if (size === 3) return null;
    const { pcLo, pcHi } = ctx;
    const q = f.Q;
    const d = f.Rd;
    const n = f.Rn;
    const count = (q ? 16 : 8) >> size;
    const half = count >> 1;
    const sa = new Float64Array(count);
    const sd = new Float64Array(half);
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      readElems(c, n, size, 0, count, signed, sa, 0);
      if (size === 2) {
        const v = c.v32;
        for (let i = 0; i < half; i++) {
          let lo = fromNumber(c, sa[2 * i] + sa[2 * i + 1]);
          if (acc) lo = add64(c, lo, c.hi, v[4 * d + 2 * i], v[4 * d + 2 * i + 1]);
          v[4 * d + 2 * i] = lo;
          v[4 * d + 2 * i + 1] = c.hi;
        }
      } else {
        if (acc) readElems(c, d, size + 1, 0, half, false, sd, 0);
        for (let i = 0; i < half; i++) sd[i] = (acc ? sd[i] : 0) + sa[2 * i] + sa[2 * i + 1];
        writeElems(c, d, size + 1, 0, half, sd, 0);
      }
      if (q === 0) clearHigh(c, d);
      return NEXT;
    };
  };
}

// ---- narrowing -----------------------------------------------------------------------------

export const XTN = 0;
export const SQXTN = 1;
export const UQXTN = 2;
export const SQXTUN = 3;

/** Narrows one 64-bit source element to 32 bits by `kind`. */
function narrow64(lo: number, hi: number, kind: number): number {
  switch (kind) {
    case SQXTN:
      if (hi === lo >> 31) return lo;
      sat.q = 1;
      return hi < 0 ? 0x80000000 | 0 : 0x7fffffff;
    case UQXTN:
      if (hi === 0) return lo;
      sat.q = 1;
      return ONES;
    case SQXTUN:
      if (hi === 0) return lo;
      sat.q = 1;
      return hi < 0 ? 0 : ONES;
    default:
      return lo;
  }
}

/**
 * Narrow `count` source elements of size+1 from Vn into size-`size` elements of Vd at
 * element e0 (0, or count for the "2" forms which keep the low half).
 */
export function narrowOp(ctx: DecodeCtx, kind: number, size: number, d: number, n: number, part: number, scalar: boolean): Op {
  const { pcLo, pcHi } = ctx;
  const count = scalar ? 1 : 8 >> size;
  const e0 = part ? count : 0;
  const bits = 8 << size;
  const signedSrc = kind === SQXTN || kind === SQXTUN;
  const unsignedDst = kind === UQXTN || kind === SQXTUN;
  const sa = new Float64Array(count);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    if (size === 2) {
      const v = c.v32;
      for (let i = 0; i < count; i++) sa[i] = narrow64(v[4 * n + 2 * i], v[4 * n + 2 * i + 1], kind);
    } else {
      readElems(c, n, size + 1, 0, count, signedSrc, sa, 0);
      if (kind !== XTN) for (let i = 0; i < count; i++) sa[i] = satQ(sa[i], bits, unsignedDst);
    }
    if (scalar) clearReg(c, d);
    writeElems(c, d, size, e0, count, sa, 0);
    if (!scalar && part === 0) clearHigh(c, d);
    flushQc(c);
    return NEXT;
  };
}

/** XTN/SQXTN/UQXTN/SQXTUN (vector): sizes 0..2. */
export function narrowVec(kind: number): Emitter {
  return (f: Fields, ctx: DecodeCtx) => (f.size === 3 ? null : narrowOp(ctx, kind, f.size, f.Rd, f.Rn, f.Q, false));
}

/** SQXTN/UQXTN/SQXTUN (scalar). */
export function narrowScalar(kind: number): Emitter {
  return (f: Fields, ctx: DecodeCtx) => (f.size === 3 ? null : narrowOp(ctx, kind, f.size, f.Rd, f.Rn, 0, true));
}

/**
 * Widen the low (part 0) or high (part 1) half of Vn: Vd[i] = Extend(Vn[i]) << shift,
 * destination elements of `16 << size` bits. SHLL, SSHLL/USHLL (UXTL/SXTL).
 */
export function widenShiftOp(ctx: DecodeCtx, size: number, d: number, n: number, part: number, signed: boolean, shift: number): Op {
  const { pcLo, pcHi } = ctx;
  const count = 8 >> size;
  const e0 = part ? count : 0;
  const sa = new Float64Array(count);
  const mul = 2 ** shift;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    readElems(c, n, size, e0, count, signed, sa, 0);
    if (size === 2) {
      const v = c.v32;
      for (let i = 0; i < count; i++) {
        // a * 2^shift is exact (power-of-two scaling); ToInt32 and floor split it exactly.
        const x = sa[i] * mul;
        const lo = x | 0;
        const hi = Math.floor(x / 4294967296) | 0;
        v[4 * d + 2 * i] = lo;
        v[4 * d + 2 * i + 1] = hi;
      }
    } else {
      for (let i = 0; i < count; i++) sa[i] *= mul;
      writeElems(c, d, size + 1, 0, count, sa, 0);
    }
    return NEXT;
  };
}

/** SHLL/SHLL2: shift by the source element size. */
export function shll(f: Fields, ctx: DecodeCtx): Op | null {
  if (f.size === 3) return null;
  return widenShiftOp(ctx, f.size, f.Rd, f.Rn, f.Q, false, 8 << f.size);
}

// ---- across lanes --------------------------------------------------------------------------

export const ADDV = 0;
export const MAXV = 1;
export const MINV = 2;
export const ADDLV = 3;

/** ADDV, SMAXV/UMAXV, SMINV/UMINV, SADDLV/UADDLV: 8B/16B/4H/8H/4S. */
export function acrossLanes(kind: number, signed: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = f.size;
    if (size === 3 || (size === 2 && f.Q === 0)) return null;
    const { pcLo, pcHi } = ctx;
    const count = (f.Q ? 16 : 8) >> size;
    const d = f.Rd;
    const n = f.Rn;
    const sa = new Float64Array(count);
    const out = new Float64Array(1);
    const dsize = kind === ADDLV ? size + 1 : size;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      readElems(c, n, size, 0, count, signed, sa, 0);
      let r = sa[0];
      for (let i = 1; i < count; i++) {
        const x = sa[i];
        if (kind === MAXV) r = x > r ? x : r;
        else if (kind === MINV) r = x < r ? x : r;
        else r += x;
      }
      clearReg(c, d);
      if (dsize === 3) {
        c.v32[4 * d] = fromNumber(c, r);
        c.v32[4 * d + 1] = c.hi;
      } else {
        out[0] = r;
        writeElems(c, d, dsize, 0, 1, out, 0);
      }
      return NEXT;
    };
  };
}
