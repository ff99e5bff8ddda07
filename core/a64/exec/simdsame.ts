/**
 * Advanced SIMD "three registers of the same type" (Arm ARM C4.1.96.20, C4.1.96.8):
 * lane-wise and pairwise integer operations, vector and scalar forms, and the
 * bitwise logical group.
 *
 * An operation is an element function on exact doubles (sizes 8/16/32; inputs
 * sign- or zero-extended as the instruction says, result truncated on write)
 * plus, where 64-bit elements are allowed, a pair function on (lo, hi).
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import type { DecodeCtx, Emitter, Fields } from '../decoder.js';
import { fpAccessTrap } from '../exceptions.js';
import {
  add64,
  asr64,
  clearHigh,
  clearReg,
  flushQc,
  lsr64,
  ltS64,
  ltU64,
  readElems,
  sat,
  satQ,
  shl64,
  sub64,
  writeElems,
} from './simdlanes.js';

/** Element op: a, b sources, d the old destination element (accumulating forms), bits the element size. */
export type ElemFn = (a: number, b: number, d: number, bits: number) => number;
/** 64-bit element op: returns the low word, high word in c.hi. */
export type PairFn = (c: Cpu, alo: number, ahi: number, blo: number, bhi: number) => number;

export interface SameSpec {
  fn: ElemFn | null;
  fn64: PairFn | null;
  signed: boolean;
  /** Reads the destination (MLA, SABA, …). */
  acc?: boolean;
  /** Allowed sizes, bit per size value (vector forms). */
  sizes: number;
  /** Allowed sizes of the AdvSIMD scalar form. */
  scalarSizes?: number;
}

// ---- element functions ---------------------------------------------------------------------

const ONES = -1;
export const E = {
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => Math.imul(a, b),
  mla: (a: number, b: number, d: number) => d + Math.imul(a, b),
  mls: (a: number, b: number, d: number) => d - Math.imul(a, b),
  cmeq: (a: number, b: number) => (a === b ? ONES : 0),
  cmtst: (a: number, b: number) => ((a & b) !== 0 ? ONES : 0),
  cmgt: (a: number, b: number) => (a > b ? ONES : 0),
  cmge: (a: number, b: number) => (a >= b ? ONES : 0),
  max: (a: number, b: number) => (a > b ? a : b),
  min: (a: number, b: number) => (a < b ? a : b),
  abd: (a: number, b: number) => Math.abs(a - b),
  aba: (a: number, b: number, d: number) => d + Math.abs(a - b),
  hadd: (a: number, b: number) => Math.floor((a + b) / 2),
  rhadd: (a: number, b: number) => Math.floor((a + b + 1) / 2),
  hsub: (a: number, b: number) => Math.floor((a - b) / 2),
  sqadd: (a: number, b: number, _d: number, bits: number) => satQ(a + b, bits, false),
  uqadd: (a: number, b: number, _d: number, bits: number) => satQ(a + b, bits, true),
  sqsub: (a: number, b: number, _d: number, bits: number) => satQ(a - b, bits, false),
  uqsub: (a: number, b: number, _d: number, bits: number) => satQ(a - b, bits, true),
  /** SSHL/USHL: shift by the signed low byte of b; inputs already extended as signed/unsigned. */
  shl: (a: number, b: number, _d: number, bits: number) => {
    const sh = (b << 24) >> 24;
    if (sh >= 0) return sh >= bits ? 0 : a * 2 ** sh;
    return Math.floor(a / 2 ** Math.min(-sh, 40));
  },
  /** PMUL: polynomial (carry-less) multiply of bytes. */
  pmul: (a: number, b: number) => {
    let r = 0;
    for (let i = 0; i < 8; i++) if ((b >> i) & 1) r ^= a << i;
    return r;
  },
};

export const E64: Record<string, PairFn> = {
  add: add64,
  sub: sub64,
  cmeq: (c, alo, ahi, blo, bhi) => (c.hi = alo === blo && ahi === bhi ? ONES : 0),
  cmtst: (c, alo, ahi, blo, bhi) => (c.hi = (alo & blo) !== 0 || (ahi & bhi) !== 0 ? ONES : 0),
  cmgt: (c, alo, ahi, blo, bhi) => (c.hi = ltS64(blo, bhi, alo, ahi) ? ONES : 0),
  cmhi: (c, alo, ahi, blo, bhi) => (c.hi = ltU64(blo, bhi, alo, ahi) ? ONES : 0),
  cmge: (c, alo, ahi, blo, bhi) => (c.hi = ltS64(alo, ahi, blo, bhi) ? 0 : ONES),
  cmhs: (c, alo, ahi, blo, bhi) => (c.hi = ltU64(alo, ahi, blo, bhi) ? 0 : ONES),
  sshl: (c, alo, ahi, blo) => {
    const sh = (blo << 24) >> 24;
    return sh >= 0 ? shl64(c, alo, ahi, sh) : asr64(c, alo, ahi, -sh);
  },
  ushl: (c, alo, ahi, blo) => {
    const sh = (blo << 24) >> 24;
    return sh >= 0 ? shl64(c, alo, ahi, sh) : lsr64(c, alo, ahi, -sh);
  },
  sqadd: (c, alo, ahi, blo, bhi) => {
    const lo = add64(c, alo, ahi, blo, bhi);
    if (((ahi ^ c.hi) & (bhi ^ c.hi)) < 0) return satS64(c, ahi);
    return lo;
  },
  sqsub: (c, alo, ahi, blo, bhi) => {
    const lo = sub64(c, alo, ahi, blo, bhi);
    if (((ahi ^ bhi) & (ahi ^ c.hi)) < 0) return satS64(c, ahi);
    return lo;
  },
  uqadd: (c, alo, ahi, blo, bhi) => {
    const lo = add64(c, alo, ahi, blo, bhi);
    if (ltU64(lo, c.hi, alo, ahi)) {
      sat.q = 1;
      c.hi = ONES;
      return ONES;
    }
    return lo;
  },
  uqsub: (c, alo, ahi, blo, bhi) => {
    if (ltU64(alo, ahi, blo, bhi)) {
      sat.q = 1;
      c.hi = 0;
      return 0;
    }
    return sub64(c, alo, ahi, blo, bhi);
  },
};

/** Saturated 64-bit result with the sign of `signHi` (negative → INT64_MIN). */
function satS64(c: Cpu, signHi: number): number {
  sat.q = 1;
  if (signHi < 0) {
    c.hi = 0x80000000 | 0;
    return 0;
  }
  c.hi = 0x7fffffff;
  return ONES;
}

// ---- runners -------------------------------------------------------------------------------

/** Lane-wise op over `count` elements; `scalar` clears the whole register, Q=0 the top half. */
function laneOp(
  ctx: DecodeCtx,
  s: SameSpec,
  size: number,
  count: number,
  d: number,
  n: number,
  m: number,
  upper: 'q0' | 'q1' | 'scalar',
): Op {
  const { pcLo, pcHi } = ctx;
  if (size === 3) {
    const fn64 = s.fn64 as PairFn;
    const words = 2 * count;
    const res = new Int32Array(4);
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      const nb = 4 * n;
      const mb = 4 * m;
      for (let w = 0; w < words; w += 2) {
        res[w] = fn64(c, v[nb + w], v[nb + w + 1], v[mb + w], v[mb + w + 1]);
        res[w + 1] = c.hi;
      }
      const db = 4 * d;
      for (let w = 0; w < words; w++) v[db + w] = res[w];
      if (upper !== 'q1') clearHigh(c, d);
      flushQc(c);
      return NEXT;
    };
  }
  const fn = s.fn as ElemFn;
  const bits = 8 << size;
  const signed = s.signed;
  const acc = s.acc === true;
  const sa = new Float64Array(count);
  const sb = new Float64Array(count);
  const sd = new Float64Array(count);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    readElems(c, n, size, 0, count, signed, sa, 0);
    readElems(c, m, size, 0, count, signed, sb, 0);
    if (acc) readElems(c, d, size, 0, count, signed, sd, 0);
    for (let i = 0; i < count; i++) sd[i] = fn(sa[i], sb[i], sd[i], bits);
    if (upper === 'scalar') clearReg(c, d);
    writeElems(c, d, size, 0, count, sd, 0);
    if (upper === 'q0') clearHigh(c, d);
    flushQc(c);
    return NEXT;
  };
}

/** Vector form: `0 Q U 01110 size 1 Rm opcode 1 Rn Rd`. */
export function sameVec(s: SameSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = f.size;
    if (((s.sizes >> size) & 1) === 0 || (size === 3 && f.Q === 0)) return null;
    const count = (f.Q ? 16 : 8) >> size;
    return laneOp(ctx, s, size, count, f.Rd, f.Rn, f.Rm, f.Q ? 'q1' : 'q0');
  };
}

/** AdvSIMD scalar form: `01 U 11110 size 1 Rm opcode 1 Rn Rd` (one element, rest of Vd cleared). */
export function sameScalar(s: SameSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = f.size;
    if ((((s.scalarSizes ?? 0) >> size) & 1) === 0) return null;
    return laneOp(ctx, s, size, 1, f.Rd, f.Rn, f.Rm, 'scalar');
  };
}

/** Pairwise vector form (ADDP, SMAXP, …): element i of Vm:Vn pairs (2i, 2i+1). */
export function pairVec(s: SameSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = f.size;
    const { pcLo, pcHi } = ctx;
    if (((s.sizes >> size) & 1) === 0 || (size === 3 && f.Q === 0)) return null;
    const q = f.Q;
    const d = f.Rd;
    const n = f.Rn;
    const m = f.Rm;
    if (size === 3) {
      const fn64 = s.fn64 as PairFn;
      return (c: Cpu) => {
        if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
        const v = c.v32;
        const r0 = fn64(c, v[4 * n], v[4 * n + 1], v[4 * n + 2], v[4 * n + 3]);
        const r1 = c.hi;
        const r2 = fn64(c, v[4 * m], v[4 * m + 1], v[4 * m + 2], v[4 * m + 3]);
        v[4 * d] = r0;
        v[4 * d + 1] = r1;
        v[4 * d + 2] = r2;
        v[4 * d + 3] = c.hi;
        return NEXT;
      };
    }
    const count = (q ? 16 : 8) >> size;
    const bits = 8 << size;
    const fn = s.fn as ElemFn;
    const signed = s.signed;
    const sa = new Float64Array(2 * count);
    const sd = new Float64Array(count);
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      readElems(c, n, size, 0, count, signed, sa, 0);
      readElems(c, m, size, 0, count, signed, sa, count);
      for (let i = 0; i < count; i++) sd[i] = fn(sa[2 * i], sa[2 * i + 1], 0, bits);
      writeElems(c, d, size, 0, count, sd, 0);
      if (q === 0) clearHigh(c, d);
      return NEXT;
    };
  };
}

/** ADDP (scalar): Dd = Vn.D[0] + Vn.D[1]; only size 3. */
export function addpScalar(f: Fields, ctx: DecodeCtx): Op | null {
  if (f.size !== 3) return null;
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    const lo = add64(c, v[n], v[n + 1], v[n + 2], v[n + 3]);
    v[d] = lo;
    v[d + 1] = c.hi;
    v[d + 2] = 0;
    v[d + 3] = 0;
    return NEXT;
  };
}

// ---- bitwise logical (C4.1.96.20, opcode 00011: size selects the operation) ----------------

const AND = 0;
const BIC = 1;
const ORR = 2;
const ORN = 3;
const EOR = 4;
const BSL = 5;
const BIT = 6;
const BIF = 7;

/** AND/BIC/ORR/ORN (U=0) and EOR/BSL/BIT/BIF (U=1) by `U:size`. */
export function logicVec(f: Fields, ctx: DecodeCtx): Op {
  const kind = (f.U << 2) | f.size;
  const { pcLo, pcHi } = ctx;
  const words = f.Q ? 4 : 2;
  const q = f.Q;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn;
  const m = 4 * f.Rm;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    for (let i = 0; i < words; i++) {
      const a = v[n + i];
      const b = v[m + i];
      let r: number;
      switch (kind) {
        case AND:
          r = a & b;
          break;
        case BIC:
          r = a & ~b;
          break;
        case ORR:
          r = a | b;
          break;
        case ORN:
          r = a | ~b;
          break;
        case EOR:
          r = a ^ b;
          break;
        case BSL: {
          const dd = v[d + i];
          r = (dd & a) | (~dd & b);
          break;
        }
        case BIT: {
          const dd = v[d + i];
          r = (dd & ~b) | (a & b);
          break;
        }
        case BIF: {
          const dd = v[d + i];
          r = (dd & b) | (a & ~b);
          break;
        }
        default:
          r = 0;
      }
      v[d + i] = r;
    }
    if (q === 0) {
      v[d + 2] = 0;
      v[d + 3] = 0;
    }
    return NEXT;
  };
}
