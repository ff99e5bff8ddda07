/**
 * Advanced SIMD floating point (Arm ARM C4.1.96.20/21/4/24 and their scalar forms):
 * lane-wise, pairwise, across-lanes and by-element single/double operations. The
 * per-element arithmetic is the scalar FP engine's (exec/fp-*.ts: FPCR rounding,
 * FPSR flags, NaN propagation); lanes stay raw int32 bits so NaN payloads survive.
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import type { DecodeCtx, Emitter, Fields } from '../decoder.js';
import { fpAccessTrap } from '../exceptions.js';
import {
  fpAdd32,
  fpAdd64,
  fpCompare32,
  fpCompare64,
  fpDiv32,
  fpDiv64,
  fpMaxMin32,
  fpMaxMin64,
  fpMaxMinNum32,
  fpMaxMinNum64,
  fpMul32,
  fpMul64,
  fpMulAdd32,
  fpMulAdd64,
  fpSqrt32,
  fpSqrt64,
  fpSub32,
  fpSub64,
} from './fp-arith.js';
import {
  fixedToFp32,
  fixedToFp64,
  fpConvert,
  fpConvertD2S,
  fpConvertS2D,
  fpRoundInt32,
  fpRoundInt64,
  fpToFixed32,
  fpToFixed64,
} from './fp-convert.js';
import { FPRounding, fpRoundingMode } from './fp-helpers.js';
import { clearHigh, clearReg } from './simdlanes.js';

/** Single-precision element op on bits: a, b sources, d the old destination element. */
export type F32Fn = (c: Cpu, a: number, b: number, d: number) => number;
/** Double-precision element op on (lo, hi) bits; returns lo, high word in c.hi. */
export type F64Fn = (c: Cpu, alo: number, ahi: number, blo: number, bhi: number, dlo: number, dhi: number) => number;

export interface FpSpec {
  f32: F32Fn;
  f64: F64Fn;
}

const SIGN = 0x80000000 | 0;
const ONES = -1;

/** FPCompare NZCV results. */
const EQ = 0b0110;
const GT = 0b0010;

function cmp64(c: Cpu, r: number): number {
  c.hi = r;
  return r;
}

/** Binary ops (FADD … FACGT), d unused except by FMLA/FMLS. */
export const FB: Record<string, FpSpec> = {
  fadd: { f32: (c, a, b) => fpAdd32(c, a, b), f64: (c, al, ah, bl, bh) => fpAdd64(c, al, ah, bl, bh) },
  fsub: { f32: (c, a, b) => fpSub32(c, a, b), f64: (c, al, ah, bl, bh) => fpSub64(c, al, ah, bl, bh) },
  fmul: { f32: (c, a, b) => fpMul32(c, a, b), f64: (c, al, ah, bl, bh) => fpMul64(c, al, ah, bl, bh) },
  fdiv: { f32: (c, a, b) => fpDiv32(c, a, b), f64: (c, al, ah, bl, bh) => fpDiv64(c, al, ah, bl, bh) },
  fabd: {
    f32: (c, a, b) => fpSub32(c, a, b) & 0x7fffffff,
    f64: (c, al, ah, bl, bh) => {
      const lo = fpSub64(c, al, ah, bl, bh);
      c.hi &= 0x7fffffff;
      return lo;
    },
  },
  fmax: { f32: (c, a, b) => fpMaxMin32(c, a, b, true), f64: (c, al, ah, bl, bh) => fpMaxMin64(c, al, ah, bl, bh, true) },
  fmin: { f32: (c, a, b) => fpMaxMin32(c, a, b, false), f64: (c, al, ah, bl, bh) => fpMaxMin64(c, al, ah, bl, bh, false) },
  fmaxnm: { f32: (c, a, b) => fpMaxMinNum32(c, a, b, true), f64: (c, al, ah, bl, bh) => fpMaxMinNum64(c, al, ah, bl, bh, true) },
  fminnm: { f32: (c, a, b) => fpMaxMinNum32(c, a, b, false), f64: (c, al, ah, bl, bh) => fpMaxMinNum64(c, al, ah, bl, bh, false) },
  /** FMLA: d + a*b fused. */
  fmla: {
    f32: (c, a, b, d) => fpMulAdd32(c, d, a, b),
    f64: (c, al, ah, bl, bh, dl, dh) => fpMulAdd64(c, dl, dh, al, ah, bl, bh),
  },
  /** FMLS: d + (-a)*b fused. */
  fmls: {
    f32: (c, a, b, d) => fpMulAdd32(c, d, a ^ SIGN, b),
    f64: (c, al, ah, bl, bh, dl, dh) => fpMulAdd64(c, dl, dh, al, ah ^ SIGN, bl, bh),
  },
  // FPCompareEQ is quiet (IOC only for signalling NaNs); GE/GT signal on any NaN.
  fcmeq: {
    f32: (c, a, b) => (fpCompare32(c, a, b, false) === EQ ? ONES : 0),
    f64: (c, al, ah, bl, bh) => cmp64(c, fpCompare64(c, al, ah, bl, bh, false) === EQ ? ONES : 0),
  },
  fcmge: {
    f32: (c, a, b) => (geOf(fpCompare32(c, a, b, true)) ? ONES : 0),
    f64: (c, al, ah, bl, bh) => cmp64(c, geOf(fpCompare64(c, al, ah, bl, bh, true)) ? ONES : 0),
  },
  fcmgt: {
    f32: (c, a, b) => (fpCompare32(c, a, b, true) === GT ? ONES : 0),
    f64: (c, al, ah, bl, bh) => cmp64(c, fpCompare64(c, al, ah, bl, bh, true) === GT ? ONES : 0),
  },
  facge: {
    f32: (c, a, b) => (geOf(fpCompare32(c, a & 0x7fffffff, b & 0x7fffffff, true)) ? ONES : 0),
    f64: (c, al, ah, bl, bh) => cmp64(c, geOf(fpCompare64(c, al, ah & 0x7fffffff, bl, bh & 0x7fffffff, true)) ? ONES : 0),
  },
  facgt: {
    f32: (c, a, b) => (fpCompare32(c, a & 0x7fffffff, b & 0x7fffffff, true) === GT ? ONES : 0),
    f64: (c, al, ah, bl, bh) => cmp64(c, fpCompare64(c, al, ah & 0x7fffffff, bl, bh & 0x7fffffff, true) === GT ? ONES : 0),
  },
};

function geOf(nzcv: number): boolean {
  return nzcv === EQ || nzcv === GT;
}

/** Unary ops as binary specs ignoring b/d (compares against +0.0 use b = 0). */
const un = (f32: (c: Cpu, a: number) => number, f64: (c: Cpu, lo: number, hi: number) => number): FpSpec => ({
  f32: (c, a) => f32(c, a),
  f64: (c, al, ah) => f64(c, al, ah),
});

const rint = (mode: number, exact: boolean): FpSpec =>
  un(
    (c, a) => fpRoundInt32(c, a, mode < 0 ? fpRoundingMode(c.fpcr) : mode, exact),
    (c, lo, hi) => fpRoundInt64(c, lo, hi, mode < 0 ? fpRoundingMode(c.fpcr) : mode, exact),
  );
const toInt = (mode: number, unsigned: boolean): FpSpec =>
  un(
    (c, a) => fpToFixed32(c, a, 0, unsigned, 32, mode),
    (c, lo, hi) => fpToFixed64(c, lo, hi, 0, unsigned, 64, mode),
  );
const toFp = (unsigned: boolean): FpSpec =>
  un(
    (c, a) => fixedToFp32(c, a, 0, false, unsigned, 0, fpRoundingMode(c.fpcr)),
    (c, lo, hi) => fixedToFp64(c, lo, hi, true, unsigned, 0, fpRoundingMode(c.fpcr)),
  );
const FPCR_MODE = -1;

export const FU: Record<string, FpSpec> = {
  fabs: un(
    (_c, a) => a & 0x7fffffff,
    (c, lo, hi) => ((c.hi = hi & 0x7fffffff), lo),
  ),
  fneg: un(
    (_c, a) => a ^ SIGN,
    (c, lo, hi) => ((c.hi = hi ^ SIGN), lo),
  ),
  fsqrt: un(fpSqrt32, fpSqrt64),
  fcmeq0: un(
    (c, a) => FB.fcmeq.f32(c, a, 0, 0),
    (c, lo, hi) => FB.fcmeq.f64(c, lo, hi, 0, 0, 0, 0),
  ),
  fcmge0: un(
    (c, a) => FB.fcmge.f32(c, a, 0, 0),
    (c, lo, hi) => FB.fcmge.f64(c, lo, hi, 0, 0, 0, 0),
  ),
  fcmgt0: un(
    (c, a) => FB.fcmgt.f32(c, a, 0, 0),
    (c, lo, hi) => FB.fcmgt.f64(c, lo, hi, 0, 0, 0, 0),
  ),
  // LE: FPCompareGE(0, x); LT: FPCompareGT(0, x).
  fcmle0: un(
    (c, a) => FB.fcmge.f32(c, 0, a, 0),
    (c, lo, hi) => FB.fcmge.f64(c, 0, 0, lo, hi, 0, 0),
  ),
  fcmlt0: un(
    (c, a) => FB.fcmgt.f32(c, 0, a, 0),
    (c, lo, hi) => FB.fcmgt.f64(c, 0, 0, lo, hi, 0, 0),
  ),
  frintn: rint(FPRounding.TIEEVEN, false),
  frinta: rint(FPRounding.TIEAWAY, false),
  frintp: rint(FPRounding.POSINF, false),
  frintm: rint(FPRounding.NEGINF, false),
  frintz: rint(FPRounding.ZERO, false),
  frintx: rint(FPCR_MODE, true),
  frinti: rint(FPCR_MODE, false),
  fcvtns: toInt(FPRounding.TIEEVEN, false),
  fcvtnu: toInt(FPRounding.TIEEVEN, true),
  fcvtps: toInt(FPRounding.POSINF, false),
  fcvtpu: toInt(FPRounding.POSINF, true),
  fcvtms: toInt(FPRounding.NEGINF, false),
  fcvtmu: toInt(FPRounding.NEGINF, true),
  fcvtzs: toInt(FPRounding.ZERO, false),
  fcvtzu: toInt(FPRounding.ZERO, true),
  fcvtas: toInt(FPRounding.TIEAWAY, false),
  fcvtau: toInt(FPRounding.TIEAWAY, true),
  scvtf: toFp(false),
  ucvtf: toFp(true),
};

/**
 * Lane-wise op over `count` elements (single: 32-bit words, double: pairs). Lane i of
 * Vd depends only on lane i of the sources (read before it is written), except the
 * by-element operand, which is read once first. `bIdx` >= 0 selects that element of Vm.
 */
export function fpLaneOp(
  ctx: DecodeCtx,
  s: FpSpec,
  dbl: boolean,
  count: number,
  d: number,
  n: number,
  m: number,
  bIdx: number,
  upper: 'q0' | 'q1' | 'scalar',
): Op {
  const { pcLo, pcHi } = ctx;
  const f32 = s.f32;
  const f64 = s.f64;
  const dw = 4 * d;
  const nw = 4 * n;
  const mw = 4 * m;
  if (!dbl) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      const bFixed = bIdx >= 0 ? v[mw + bIdx] : 0;
      let r0 = 0;
      for (let i = 0; i < count; i++) {
        const r = f32(c, v[nw + i], bIdx >= 0 ? bFixed : v[mw + i], v[dw + i]);
        if (upper === 'scalar') r0 = r;
        else v[dw + i] = r;
      }
      if (upper === 'scalar') {
        clearReg(c, d);
        v[dw] = r0;
      } else if (upper === 'q0') clearHigh(c, d);
      return NEXT;
    };
  }
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    const bLo = bIdx >= 0 ? v[mw + 2 * bIdx] : 0;
    const bHi = bIdx >= 0 ? v[mw + 2 * bIdx + 1] : 0;
    for (let i = 0; i < count; i++) {
      const w = 2 * i;
      const lo =
        bIdx >= 0
          ? f64(c, v[nw + w], v[nw + w + 1], bLo, bHi, v[dw + w], v[dw + w + 1])
          : f64(c, v[nw + w], v[nw + w + 1], v[mw + w], v[mw + w + 1], v[dw + w], v[dw + w + 1]);
      v[dw + w] = lo;
      v[dw + w + 1] = c.hi;
    }
    if (upper !== 'q1') clearHigh(c, d);
    return NEXT;
  };
}

/** Vector three-same / two-reg-misc: `sz` selects double (Q must be 1 then). */
export function fpVec(s: FpSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    if (f.sz === 1 && f.Q === 0) return null;
    const dbl = f.sz === 1;
    const count = (f.Q ? 4 : 2) >> f.sz;
    return fpLaneOp(ctx, s, dbl, count, f.Rd, f.Rn, f.Rm ?? 0, -1, f.Q ? 'q1' : 'q0');
  };
}

/** AdvSIMD scalar three-same / two-reg-misc on Sd/Dd. */
export function fpScalar(s: FpSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => fpLaneOp(ctx, s, f.sz === 1, 1, f.Rd, f.Rn, f.Rm ?? 0, -1, 'scalar');
}

/** Index and register of the element operand of an FP by-element form, or null when reserved. */
function fpElemOperand(f: Fields): [number, number] | null {
  if (f.sz === 0) return [(f.H << 1) | f.L, (f.M << 4) | f.Rm];
  if (f.L === 1) return null;
  return [f.H, (f.M << 4) | f.Rm];
}

/** FMUL/FMLA/FMLS (by element), vector: `0 Q U 01111 1 sz L M Rm opcode H 0 Rn Rd`. */
export function fpElemVec(s: FpSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const e = fpElemOperand(f);
    if (e === null || (f.sz === 1 && f.Q === 0)) return null;
    const count = (f.Q ? 4 : 2) >> f.sz;
    return fpLaneOp(ctx, s, f.sz === 1, count, f.Rd, f.Rn, e[1], e[0], f.Q ? 'q1' : 'q0');
  };
}

/** FMUL/FMLA/FMLS (by element), scalar: `01 U 11111 1 sz L M Rm opcode H 0 Rn Rd`. */
export function fpElemScalar(s: FpSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const e = fpElemOperand(f);
    if (e === null) return null;
    return fpLaneOp(ctx, s, f.sz === 1, 1, f.Rd, f.Rn, e[1], e[0], 'scalar');
  };
}

/** FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP (vector): pairs of Vm:Vn. */
export function fpPairVec(s: FpSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    if (f.sz === 1 && f.Q === 0) return null;
    const { pcLo, pcHi } = ctx;
    const q = f.Q;
    const words = q ? 4 : 2;
    const d = f.Rd;
    const n = f.Rn;
    const m = f.Rm;
    const dbl = f.sz === 1;
    const cat = new Int32Array(8);
    const res = new Int32Array(4);
    const f32 = s.f32;
    const f64 = s.f64;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      for (let i = 0; i < words; i++) {
        cat[i] = v[4 * n + i];
        cat[words + i] = v[4 * m + i];
      }
      if (dbl) {
        for (let i = 0; i < 2; i++) {
          res[2 * i] = f64(c, cat[4 * i], cat[4 * i + 1], cat[4 * i + 2], cat[4 * i + 3], 0, 0);
          res[2 * i + 1] = c.hi;
        }
      } else {
        for (let i = 0; i < words; i++) res[i] = f32(c, cat[2 * i], cat[2 * i + 1], 0);
      }
      for (let i = 0; i < words; i++) v[4 * d + i] = res[i];
      if (q === 0) clearHigh(c, d);
      return NEXT;
    };
  };
}

/** FADDP/FMAXP/… (scalar): Vn.2S → Sd or Vn.2D → Dd. */
export function fpPairScalar(s: FpSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const { pcLo, pcHi } = ctx;
    const d = f.Rd;
    const nw = 4 * f.Rn;
    const dbl = f.sz === 1;
    const f32 = s.f32;
    const f64 = s.f64;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      if (dbl) {
        const lo = f64(c, v[nw], v[nw + 1], v[nw + 2], v[nw + 3], 0, 0);
        const hi = c.hi;
        clearReg(c, d);
        v[4 * d] = lo;
        v[4 * d + 1] = hi;
      } else {
        const r = f32(c, v[nw], v[nw + 1], 0);
        clearReg(c, d);
        v[4 * d] = r;
      }
      return NEXT;
    };
  };
}

/** FMAXV/FMINV/FMAXNMV/FMINNMV: 4S only, reduced pairwise as Reduce() does. */
export function fpAcross(s: FpSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    if (f.sz !== 0 || f.Q !== 1) return null;
    const { pcLo, pcHi } = ctx;
    const d = f.Rd;
    const nw = 4 * f.Rn;
    const f32 = s.f32;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      const lo = f32(c, v[nw], v[nw + 1], 0);
      const hi = f32(c, v[nw + 2], v[nw + 3], 0);
      const r = f32(c, lo, hi, 0);
      clearReg(c, d);
      v[4 * d] = r;
      return NEXT;
    };
  };
}

/** FCVTL/FCVTL2: half → single (sz 0) or single → double (sz 1) from the Q half of Vn. */
export function fcvtl(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = f.Rd;
  const n = f.Rn;
  const part = f.Q;
  const dbl = f.sz === 1;
  const src = new Int32Array(4);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    if (dbl) {
      src[0] = v[4 * n + 2 * part];
      src[1] = v[4 * n + 2 * part + 1];
      for (let i = 0; i < 2; i++) {
        const lo = fpConvertS2D(c, src[i]);
        v[4 * d + 2 * i] = lo;
        v[4 * d + 2 * i + 1] = c.hi;
      }
    } else {
      for (let i = 0; i < 4; i++) src[i] = c.v16[8 * n + 4 * part + i];
      const mode = fpRoundingMode(c.fpcr);
      for (let i = 0; i < 4; i++) v[4 * d + i] = fpConvert(c, src[i], 0, 16, 32, mode);
    }
    return NEXT;
  };
}

/** FCVTN/FCVTN2: single → half (sz 0) or double → single (sz 1) into the Q half of Vd. */
export function fcvtn(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = f.Rd;
  const n = f.Rn;
  const part = f.Q;
  const dbl = f.sz === 1;
  const res = new Int32Array(4);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    const mode = fpRoundingMode(c.fpcr);
    if (dbl) {
      for (let i = 0; i < 2; i++) res[i] = fpConvertD2S(c, v[4 * n + 2 * i], v[4 * n + 2 * i + 1], mode);
      v[4 * d + 2 * part] = res[0];
      v[4 * d + 2 * part + 1] = res[1];
    } else {
      for (let i = 0; i < 4; i++) res[i] = fpConvert(c, v[4 * n + i], 0, 32, 16, mode);
      for (let i = 0; i < 4; i++) c.v16[8 * d + 4 * part + i] = res[i];
    }
    if (part === 0) clearHigh(c, d);
    return NEXT;
  };
}
