/**
 * Advanced SIMD widening and narrowing arithmetic: three registers of different
 * types (Arm ARM C4.1.96.19: xADDL/xADDW/xSUBL/xSUBW, ADDHN/SUBHN/RADDHN/RSUBHN,
 * xABAL/xABDL, xMLAL/xMLSL/xMULL) and the integer vector × element forms
 * (C4.1.96.24: MUL/MLA/MLS, xMULL/xMLAL/xMLSL by element).
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import type { DecodeCtx, Emitter, Fields } from '../decoder.js';
import { fpAccessTrap } from '../exceptions.js';
import { add64, clearHigh, fromNumber, getElem, mulS32, mulU32, readElems, sub64, writeElems } from './simdlanes.js';

export const ADDL = 0;
export const SUBL = 1;
export const ADDW = 2;
export const SUBW = 3;
export const ABDL = 4;
export const ABAL = 5;
export const MULL = 6;
export const MLAL = 7;
export const MLSL = 8;

/** Element function of a long op on exact doubles (destination ≤ 32 bits). */
function longElem(kind: number, a: number, b: number, d: number): number {
  switch (kind) {
    case ADDL:
    case ADDW:
      return a + b;
    case SUBL:
    case SUBW:
      return a - b;
    case ABDL:
      return Math.abs(a - b);
    case ABAL:
      return d + Math.abs(a - b);
    case MULL:
      return a * b;
    case MLAL:
      return d + a * b;
    default:
      return d - a * b;
  }
}

/** The same for 64-bit destinations: (alo, ahi) is the wide operand of the W forms, else a. */
function longPair(c: Cpu, kind: number, a: number, alo: number, ahi: number, b: number, dlo: number, dhi: number, signed: boolean): number {
  switch (kind) {
    case ADDL:
      return fromNumber(c, a + b);
    case SUBL:
      return fromNumber(c, a - b);
    case ADDW: {
      const blo = fromNumber(c, b);
      return add64(c, alo, ahi, blo, c.hi);
    }
    case SUBW: {
      const blo = fromNumber(c, b);
      return sub64(c, alo, ahi, blo, c.hi);
    }
    case ABDL:
      return fromNumber(c, Math.abs(a - b));
    case ABAL: {
      const lo = fromNumber(c, Math.abs(a - b));
      return add64(c, dlo, dhi, lo, c.hi);
    }
    default: {
      const lo = signed ? mulS32(c, a, b) : mulU32(c, a, b);
      if (kind === MULL) return lo;
      return kind === MLAL ? add64(c, dlo, dhi, lo, c.hi) : sub64(c, dlo, dhi, lo, c.hi);
    }
  }
}

/**
 * Long op: narrow elements of `8 << size` bits from the `part` half of Vn (or all of
 * wide Vn for the W forms) and of Vm — or element `idx` of Vm when idx >= 0 — into
 * `16 << size`-bit elements of Vd.
 */
function longOp(
  ctx: DecodeCtx,
  kind: number,
  signed: boolean,
  size: number,
  d: number,
  n: number,
  m: number,
  part: number,
  idx: number,
): Op {
  const { pcLo, pcHi } = ctx;
  const count = 8 >> size;
  const e0 = part ? count : 0;
  const wide = kind === ADDW || kind === SUBW;
  const acc = kind === ABAL || kind === MLAL || kind === MLSL;
  const sa = new Float64Array(count);
  const sb = new Float64Array(count);
  const sd = new Float64Array(count);
  const wa = new Int32Array(4);
  const wd = new Int32Array(4);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    if (idx >= 0) {
      const b = getElem(c, m, size, idx, signed);
      for (let i = 0; i < count; i++) sb[i] = b;
    } else {
      readElems(c, m, size, e0, count, signed, sb, 0);
    }
    const v = c.v32;
    if (size === 2) {
      for (let w = 0; w < 4; w++) {
        wa[w] = v[4 * n + w];
        wd[w] = v[4 * d + w];
      }
      if (!wide) readElems(c, n, 2, e0, count, signed, sa, 0);
      for (let i = 0; i < count; i++) {
        const lo = longPair(c, kind, sa[i], wa[2 * i], wa[2 * i + 1], sb[i], wd[2 * i], wd[2 * i + 1], signed);
        v[4 * d + 2 * i] = lo;
        v[4 * d + 2 * i + 1] = c.hi;
      }
      return NEXT;
    }
    if (wide) readElems(c, n, size + 1, 0, count, signed, sa, 0);
    else readElems(c, n, size, e0, count, signed, sa, 0);
    if (acc) readElems(c, d, size + 1, 0, count, false, sd, 0);
    for (let i = 0; i < count; i++) sd[i] = longElem(kind, sa[i], sb[i], sd[i]);
    writeElems(c, d, size + 1, 0, count, sd, 0);
    return NEXT;
  };
}

/** Three-different long/wide forms: `0 Q U 01110 size 1 Rm opcode 00 Rn Rd`, sizes 0..2. */
export function longVec(kind: number, signed: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => (f.size === 3 ? null : longOp(ctx, kind, signed, f.size, f.Rd, f.Rn, f.Rm, f.Q, -1));
}

/** Index and register of the element operand of a by-element form (integer: sizes 1, 2). */
function elemOperand(f: Fields): [number, number] | null {
  if (f.size === 1) return [(f.H << 2) | (f.L << 1) | f.M, f.Rm];
  if (f.size === 2) return [(f.H << 1) | f.L, (f.M << 4) | f.Rm];
  return null;
}

/** xMULL/xMLAL/xMLSL (by element): `0 Q U 01111 size L M Rm opcode H 0 Rn Rd`. */
export function longElemVec(kind: number, signed: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const e = elemOperand(f);
    if (e === null) return null;
    return longOp(ctx, kind, signed, f.size, f.Rd, f.Rn, e[1], f.Q, e[0]);
  };
}

/** MUL/MLA/MLS (by element): acc 0 = MUL, 1 = MLA, -1 = MLS. */
export function mulElemVec(acc: number): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const e = elemOperand(f);
    if (e === null) return null;
    const [idx, m] = e;
    const { pcLo, pcHi } = ctx;
    const size = f.size;
    const q = f.Q;
    const d = f.Rd;
    const n = f.Rn;
    const count = (q ? 16 : 8) >> size;
    const sa = new Float64Array(count);
    const sd = new Float64Array(count);
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const b = getElem(c, m, size, idx, false);
      readElems(c, n, size, 0, count, false, sa, 0);
      if (acc !== 0) readElems(c, d, size, 0, count, false, sd, 0);
      for (let i = 0; i < count; i++) {
        const p = Math.imul(sa[i], b);
        sd[i] = acc === 0 ? p : acc > 0 ? sd[i] + p : sd[i] - p;
      }
      writeElems(c, d, size, 0, count, sd, 0);
      if (q === 0) clearHigh(c, d);
      return NEXT;
    };
  };
}

/** ADDHN/RADDHN/SUBHN/RSUBHN: high halves of wide sums/differences into the `Q` half of Vd. */
export function addhn(sub: boolean, round: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = f.size;
    if (size === 3) return null;
    const { pcLo, pcHi } = ctx;
    const part = f.Q;
    const d = f.Rd;
    const n = f.Rn;
    const m = f.Rm;
    const count = 8 >> size;
    const e0 = part ? count : 0;
    const bits = 8 << size;
    const scale = 2 ** bits;
    const rc = round ? 2 ** (bits - 1) : 0;
    const sa = new Float64Array(count);
    const sb = new Float64Array(count);
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      if (size === 2) {
        const v = c.v32;
        for (let i = 0; i < count; i++) {
          const alo = v[4 * n + 2 * i];
          const ahi = v[4 * n + 2 * i + 1];
          const blo = v[4 * m + 2 * i];
          const bhi = v[4 * m + 2 * i + 1];
          const lo = sub ? sub64(c, alo, ahi, blo, bhi) : add64(c, alo, ahi, blo, bhi);
          if (round) add64(c, lo, c.hi, rc, 0);
          sa[i] = c.hi;
        }
      } else {
        readElems(c, n, size + 1, 0, count, false, sa, 0);
        readElems(c, m, size + 1, 0, count, false, sb, 0);
        for (let i = 0; i < count; i++) sa[i] = Math.floor(((sub ? sa[i] - sb[i] : sa[i] + sb[i]) + rc) / scale);
      }
      writeElems(c, d, size, e0, count, sa, 0);
      if (part === 0) clearHigh(c, d);
      return NEXT;
    };
  };
}
