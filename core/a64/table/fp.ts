/**
 * Scalar floating point (Arm ARM C4.1.96, "Data Processing -- Scalar Floating-Point and
 * Advanced SIMD": floating-point data-processing 1/2/3 source, compare, conditional
 * compare, conditional select, immediate, conversions between FP and integer/fixed-point).
 *
 * ftype: 00 single, 01 double; 11 half only for FCVT (no FEAT_FP16 arithmetic in our
 * models), so the half forms of everything else are UNDEFINED (emitters return null).
 * Semantics live in exec/fp-*.ts; every op starts with the SIMD&FP access check and a
 * scalar result clears the rest of the 128-bit register.
 */
import { enc, rz, wz, type DecodeCtx, type Encoding, type Fields } from '../decoder.js';
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { fpAccessTrap } from '../exceptions.js';
import { FPRounding, fpRoundingMode } from '../exec/fp-helpers.js';
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
  fpNMul32,
  fpNMul64,
  fpSqrt32,
  fpSqrt64,
  fpSub32,
  fpSub64,
} from '../exec/fp-arith.js';
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
} from '../exec/fp-convert.js';

const SIGN = 0x80000000 | 0;

type Bin32 = (c: Cpu, a: number, b: number) => number;
type Bin64 = (c: Cpu, alo: number, ahi: number, blo: number, bhi: number) => number;

/** Write a single (or a zero-extended 16-bit half) to Vd, clearing bits 127:32. */
function writeS(v: Int32Array, d: number, r: number): void {
  v[d] = r;
  v[d + 1] = 0;
  v[d + 2] = 0;
  v[d + 3] = 0;
}

/** Write a double to Vd, clearing bits 127:64. */
function writeD(v: Int32Array, d: number, lo: number, hi: number): void {
  v[d] = lo;
  v[d + 1] = hi;
  v[d + 2] = 0;
  v[d + 3] = 0;
}

/** ConditionHolds(cond) as a 16-bit mask indexed by the packed NZCV value. */
export function conditionMask(cond: number): number {
  let mask = 0;
  for (let nzcv = 0; nzcv < 16; nzcv++) {
    const n = (nzcv >> 3) & 1;
    const z = (nzcv >> 2) & 1;
    const cf = (nzcv >> 1) & 1;
    const v = nzcv & 1;
    let r: boolean;
    switch (cond >> 1) {
      case 0:
        r = z === 1;
        break; // EQ/NE
      case 1:
        r = cf === 1;
        break; // CS/CC
      case 2:
        r = n === 1;
        break; // MI/PL
      case 3:
        r = v === 1;
        break; // VS/VC
      case 4:
        r = cf === 1 && z === 0;
        break; // HI/LS
      case 5:
        r = n === v;
        break; // GE/LT
      case 6:
        r = n === v && z === 0;
        break; // GT/LE
      default:
        r = true; // AL/NV
    }
    if ((cond & 1) === 1 && cond !== 15) r = !r;
    if (r) mask |= 1 << nzcv;
  }
  return mask;
}

// ---- data-processing (2 source): FMUL FDIV FADD FSUB FMAX FMIN FMAXNM FMINNM FNMUL ----

function dp2(f32: Bin32, f64: Bin64) {
  return (f: Fields, ctx: DecodeCtx): Op | null => {
    const { pcLo, pcHi } = ctx;
    const d = 4 * f.Rd;
    const n = 4 * f.Rn;
    const m = 4 * f.Rm;
    if (f.ftype === 0) {
      return (c: Cpu) => {
        if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
        const v = c.v32;
        writeS(v, d, f32(c, v[n], v[m]));
        return NEXT;
      };
    }
    if (f.ftype === 1) {
      return (c: Cpu) => {
        if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
        const v = c.v32;
        const lo = f64(c, v[n], v[n + 1], v[m], v[m + 1]);
        writeD(v, d, lo, c.hi);
        return NEXT;
      };
    }
    return null;
  };
}

const fmax32: Bin32 = (c, a, b) => fpMaxMin32(c, a, b, true);
const fmin32: Bin32 = (c, a, b) => fpMaxMin32(c, a, b, false);
const fmaxnm32: Bin32 = (c, a, b) => fpMaxMinNum32(c, a, b, true);
const fminnm32: Bin32 = (c, a, b) => fpMaxMinNum32(c, a, b, false);
const fmax64: Bin64 = (c, al, ah, bl, bh) => fpMaxMin64(c, al, ah, bl, bh, true);
const fmin64: Bin64 = (c, al, ah, bl, bh) => fpMaxMin64(c, al, ah, bl, bh, false);
const fmaxnm64: Bin64 = (c, al, ah, bl, bh) => fpMaxMinNum64(c, al, ah, bl, bh, true);
const fminnm64: Bin64 = (c, al, ah, bl, bh) => fpMaxMinNum64(c, al, ah, bl, bh, false);

// ---- data-processing (3 source): FMADD FMSUB FNMADD FNMSUB ----

/** Ra + Rn × Rm with FPNeg applied to the addend (negA) and/or the first factor (negN) first. */
function dp3(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn;
  const m = 4 * f.Rm;
  const a = 4 * f.Ra;
  // o1:o0 = 00 FMADD, 01 FMSUB (−n), 10 FNMADD (−a, −n), 11 FNMSUB (−a)
  const negA = f.o1 === 1 ? SIGN : 0;
  const negN = f.o1 !== f.o0 ? SIGN : 0;
  if (f.ftype === 0) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      writeS(v, d, fpMulAdd32(c, v[a] ^ negA, v[n] ^ negN, v[m]));
      return NEXT;
    };
  }
  if (f.ftype === 1) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      const lo = fpMulAdd64(c, v[a], v[a + 1] ^ negA, v[n], v[n + 1] ^ negN, v[m], v[m + 1]);
      writeD(v, d, lo, c.hi);
      return NEXT;
    };
  }
  return null;
}

// ---- data-processing (1 source): FMOV FABS FNEG FSQRT ----

/** FMOV (register) = 0, FABS = 1, FNEG = 2: bit operations, no exceptions. */
function bitOp(op: number) {
  return (f: Fields, ctx: DecodeCtx): Op | null => {
    const { pcLo, pcHi } = ctx;
    const d = 4 * f.Rd;
    const n = 4 * f.Rn;
    const and = op === 1 ? 0x7fffffff : -1;
    const xor = op === 2 ? SIGN : 0;
    if (f.ftype === 0) {
      return (c: Cpu) => {
        if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
        const v = c.v32;
        writeS(v, d, (v[n] & and) ^ xor);
        return NEXT;
      };
    }
    if (f.ftype === 1) {
      return (c: Cpu) => {
        if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
        const v = c.v32;
        writeD(v, d, v[n], (v[n + 1] & and) ^ xor);
        return NEXT;
      };
    }
    return null;
  };
}

function fsqrt(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn;
  if (f.ftype === 0) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      writeS(v, d, fpSqrt32(c, v[n]));
      return NEXT;
    };
  }
  if (f.ftype === 1) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      const lo = fpSqrt64(c, v[n], v[n + 1]);
      writeD(v, d, lo, c.hi);
      return NEXT;
    };
  }
  return null;
}

/** FCVT (between precisions): ftype is the source, opc the destination (00 S, 01 D, 11 H). */
function fcvt(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const size = (t: number): number => (t === 0 ? 32 : t === 1 ? 64 : t === 3 ? 16 : 0);
  const N = size(f.ftype);
  const M = size(f.opc);
  if (N === 0 || M === 0 || N === M) return null;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn;
  if (N === 32 && M === 64) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      const lo = fpConvertS2D(c, v[n]);
      writeD(v, d, lo, c.hi);
      return NEXT;
    };
  }
  if (N === 64 && M === 32) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      writeS(v, d, fpConvertD2S(c, v[n], v[n + 1], fpRoundingMode(c.fpcr)));
      return NEXT;
    };
  }
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    const lo = fpConvert(c, v[n], v[n + 1], N, M, fpRoundingMode(c.fpcr));
    if (M === 64) writeD(v, d, lo, c.hi);
    else writeS(v, d, M === 16 ? lo & 0xffff : lo);
    return NEXT;
  };
}

/** FRINTN/P/M/Z/A/X/I: rmode 000 N, 001 P, 010 M, 011 Z, 100 A, 110 X (FPCR, exact), 111 I (FPCR). */
function frint(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn;
  const rm = f.rmode;
  if (rm === 5 || f.ftype > 1) return null;
  const fixed = rm <= 4 ? [FPRounding.TIEEVEN, FPRounding.POSINF, FPRounding.NEGINF, FPRounding.ZERO, FPRounding.TIEAWAY][rm] : -1;
  const exact = rm === 6;
  if (f.ftype === 0) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      writeS(v, d, fpRoundInt32(c, v[n], fixed >= 0 ? fixed : fpRoundingMode(c.fpcr), exact));
      return NEXT;
    };
  }
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    const lo = fpRoundInt64(c, v[n], v[n + 1], fixed >= 0 ? fixed : fpRoundingMode(c.fpcr), exact);
    writeD(v, d, lo, c.hi);
    return NEXT;
  };
}

// ---- compare, conditional compare, conditional select ----

/** FCMP/FCMPE (opc<1> = E: signal on quiet NaNs), opc<0>: compare with +0.0. */
function fcmp(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const n = 4 * f.Rn;
  const m = 4 * f.Rm;
  const signal = (f.opc & 2) !== 0;
  const withZero = (f.opc & 1) !== 0;
  if (f.ftype === 0) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      c.nzcv = fpCompare32(c, v[n], withZero ? 0 : v[m], signal);
      return NEXT;
    };
  }
  if (f.ftype === 1) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      c.nzcv = withZero ? fpCompare64(c, v[n], v[n + 1], 0, 0, signal) : fpCompare64(c, v[n], v[n + 1], v[m], v[m + 1], signal);
      return NEXT;
    };
  }
  return null;
}

/** FCCMP/FCCMPE: compare if cond holds, else NZCV = #nzcv. */
function fccmp(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const n = 4 * f.Rn;
  const m = 4 * f.Rm;
  const signal = f.op === 1;
  const mask = conditionMask(f.cond);
  const imm = f.nzcv;
  if (f.ftype === 0) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      c.nzcv = ((mask >> c.nzcv) & 1) !== 0 ? fpCompare32(c, v[n], v[m], signal) : imm;
      return NEXT;
    };
  }
  if (f.ftype === 1) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      c.nzcv = ((mask >> c.nzcv) & 1) !== 0 ? fpCompare64(c, v[n], v[n + 1], v[m], v[m + 1], signal) : imm;
      return NEXT;
    };
  }
  return null;
}

function fcsel(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn;
  const m = 4 * f.Rm;
  const mask = conditionMask(f.cond);
  if (f.ftype === 0) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      writeS(v, d, ((mask >> c.nzcv) & 1) !== 0 ? v[n] : v[m]);
      return NEXT;
    };
  }
  if (f.ftype === 1) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      const s = ((mask >> c.nzcv) & 1) !== 0 ? n : m;
      writeD(v, d, v[s], v[s + 1]);
      return NEXT;
    };
  }
  return null;
}

// ---- immediate ----

/** VFPExpandImm(imm8) for N = 32 (returns the bits) or 64 (returns the high word; low word 0). */
export function vfpExpandImm(imm8: number, N: 32 | 64): number {
  const sign = (imm8 >> 7) & 1;
  const b6 = (imm8 >> 6) & 1;
  const E = N === 32 ? 8 : 11;
  // exp = NOT(imm8<6>) : Replicate(imm8<6>, E-3) : imm8<5:4>
  const exp = ((b6 ^ 1) << (E - 1)) | ((b6 ? (1 << (E - 3)) - 1 : 0) << 2) | ((imm8 >> 4) & 3);
  const frac4 = imm8 & 15;
  if (N === 32) return (sign << 31) | (exp << 23) | (frac4 << 19) | 0;
  return (sign << 31) | (exp << 20) | (frac4 << 16) | 0;
}

function fmovImm(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  if (f.ftype > 1) return null;
  const is64 = f.ftype === 1;
  const word = vfpExpandImm(f.imm8, is64 ? 64 : 32);
  const lo = is64 ? 0 : word;
  const hi = is64 ? word : 0;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    writeD(c.v32, d, lo, hi);
    return NEXT;
  };
}

// ---- conversions between FP and general registers ----

/** FCVTNS/NU/PS/PU/MS/MU/ZS/ZU (rmode 00 N, 01 P, 10 M, 11 Z) and FCVTAS/AU (a = true). */
function fcvtToInt(away: boolean) {
  return (f: Fields, ctx: DecodeCtx): Op | null => {
    if (f.ftype > 1) return null;
    const rounding = away ? FPRounding.TIEAWAY : f.rmode;
    return toFixedOp(f, ctx, 0, rounding);
  };
}

/** FCVTZS/FCVTZU (scalar, fixed-point): fbits = 64 - scale, round towards zero. */
function fcvtToFixed(f: Fields, ctx: DecodeCtx): Op | null {
  if (f.ftype > 1 || (f.sf === 0 && f.scale < 32)) return null;
  return toFixedOp(f, ctx, 64 - f.scale, FPRounding.ZERO);
}

function toFixedOp(f: Fields, ctx: DecodeCtx, fbits: number, rounding: number): Op {
  const { pcLo, pcHi } = ctx;
  const d2 = 2 * wz(f.Rd);
  const n = 4 * f.Rn;
  const unsigned = f.U === 1;
  const M = f.sf ? 64 : 32;
  if (f.ftype === 0) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const lo = fpToFixed32(c, c.v32[n], fbits, unsigned, M, rounding);
      c.x[d2] = lo;
      c.x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    const lo = fpToFixed64(c, v[n], v[n + 1], fbits, unsigned, M, rounding);
    c.x[d2] = lo;
    c.x[d2 + 1] = c.hi;
    return NEXT;
  };
}

/** SCVTF/UCVTF (integer: scale = 64 → fbits 0; fixed-point: fbits = 64 - scale), FPCR rounding. */
function cvtf(fixedPoint: boolean) {
  return (f: Fields, ctx: DecodeCtx): Op | null => {
    if (f.ftype > 1) return null;
    if (fixedPoint && f.sf === 0 && f.scale < 32) return null;
    const { pcLo, pcHi } = ctx;
    const fbits = fixedPoint ? 64 - f.scale : 0;
    const d = 4 * f.Rd;
    const n2 = 2 * rz(f.Rn);
    const is64 = f.sf === 1;
    const unsigned = f.U === 1;
    if (f.ftype === 0) {
      return (c: Cpu) => {
        if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
        const x = c.x;
        writeS(c.v32, d, fixedToFp32(c, x[n2], x[n2 + 1], is64, unsigned, fbits, fpRoundingMode(c.fpcr)));
        return NEXT;
      };
    }
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const x = c.x;
      const lo = fixedToFp64(c, x[n2], x[n2 + 1], is64, unsigned, fbits, fpRoundingMode(c.fpcr));
      writeD(c.v32, d, lo, c.hi);
      return NEXT;
    };
  };
}

/**
 * FMOV (general): opcode<0> = 0 FP → general, 1 general → FP. Allocated forms:
 * sf 0 ftype 00 rmode 00 (W, S), sf 1 ftype 01 rmode 00 (X, D), sf 1 ftype 10 rmode 01
 * (X, V.D[1]: only the top half of V is written). The half forms need FEAT_FP16.
 */
function fmovGeneral(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const toFp = f.op === 1;
  let kind: 'S' | 'D' | 'D1';
  if (f.sf === 0 && f.ftype === 0 && f.rmode === 0) kind = 'S';
  else if (f.sf === 1 && f.ftype === 1 && f.rmode === 0) kind = 'D';
  else if (f.sf === 1 && f.ftype === 2 && f.rmode === 1) kind = 'D1';
  else return null;
  const vi = 4 * f.Rd;
  const vn = 4 * f.Rn;
  if (toFp) {
    const n2 = 2 * rz(f.Rn);
    if (kind === 'S') {
      return (c: Cpu) => {
        if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
        writeS(c.v32, vi, c.x[n2]);
        return NEXT;
      };
    }
    if (kind === 'D') {
      return (c: Cpu) => {
        if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
        writeD(c.v32, vi, c.x[n2], c.x[n2 + 1]);
        return NEXT;
      };
    }
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      c.v32[vi + 2] = c.x[n2];
      c.v32[vi + 3] = c.x[n2 + 1];
      return NEXT;
    };
  }
  const d2 = 2 * wz(f.Rd);
  const off = kind === 'D1' ? 2 : 0;
  const is32 = kind === 'S';
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    c.x[d2] = v[vn + off];
    c.x[d2 + 1] = is32 ? 0 : v[vn + off + 1];
    return NEXT;
  };
}

const FP = '0 0 0 11110 ftype:2';

export const TABLE: Encoding[] = [
  // Data-processing (2 source)
  enc('FMUL_float', `${FP} 1 Rm:5 0000 10 Rn:5 Rd:5`, dp2(fpMul32, fpMul64)),
  enc('FDIV_float', `${FP} 1 Rm:5 0001 10 Rn:5 Rd:5`, dp2(fpDiv32, fpDiv64)),
  enc('FADD_float', `${FP} 1 Rm:5 0010 10 Rn:5 Rd:5`, dp2(fpAdd32, fpAdd64)),
  enc('FSUB_float', `${FP} 1 Rm:5 0011 10 Rn:5 Rd:5`, dp2(fpSub32, fpSub64)),
  enc('FMAX_float', `${FP} 1 Rm:5 0100 10 Rn:5 Rd:5`, dp2(fmax32, fmax64)),
  enc('FMIN_float', `${FP} 1 Rm:5 0101 10 Rn:5 Rd:5`, dp2(fmin32, fmin64)),
  enc('FMAXNM_float', `${FP} 1 Rm:5 0110 10 Rn:5 Rd:5`, dp2(fmaxnm32, fmaxnm64)),
  enc('FMINNM_float', `${FP} 1 Rm:5 0111 10 Rn:5 Rd:5`, dp2(fminnm32, fminnm64)),
  enc('FNMUL_float', `${FP} 1 Rm:5 1000 10 Rn:5 Rd:5`, dp2(fpNMul32, fpNMul64)),
  // Data-processing (3 source): FMADD, FMSUB, FNMADD, FNMSUB
  enc('FMADD_float', '0 0 0 11111 ftype:2 o1:1 Rm:5 o0:1 Ra:5 Rn:5 Rd:5', dp3),
  // Data-processing (1 source)
  enc('FMOV_float', `${FP} 1 0000 00 10000 Rn:5 Rd:5`, bitOp(0)),
  enc('FABS_float', `${FP} 1 0000 01 10000 Rn:5 Rd:5`, bitOp(1)),
  enc('FNEG_float', `${FP} 1 0000 10 10000 Rn:5 Rd:5`, bitOp(2)),
  enc('FSQRT_float', `${FP} 1 0000 11 10000 Rn:5 Rd:5`, fsqrt),
  enc('FCVT_float', `${FP} 1 0001 opc:2 10000 Rn:5 Rd:5`, fcvt),
  enc('FRINT_float', `${FP} 1 001 rmode:3 10000 Rn:5 Rd:5`, frint),
  // Compare, conditional compare, conditional select, immediate
  enc('FCMP_float', `${FP} 1 Rm:5 00 1000 Rn:5 opc:2 000`, fcmp),
  enc('FCCMP_float', `${FP} 1 Rm:5 cond:4 01 Rn:5 op:1 nzcv:4`, fccmp),
  enc('FCSEL_float', `${FP} 1 Rm:5 cond:4 11 Rn:5 Rd:5`, fcsel),
  enc('FMOV_float_imm', `${FP} 1 imm8:8 100 00000 Rd:5`, fmovImm),
  // Conversion between floating-point and integer
  enc('FCVTxU_float2int', 'sf:1 0 0 11110 ftype:2 1 rmode:2 00 U:1 000000 Rn:5 Rd:5', fcvtToInt(false)),
  enc('SCVTF_float_int', 'sf:1 0 0 11110 ftype:2 1 00 01 U:1 000000 Rn:5 Rd:5', cvtf(false)),
  enc('FCVTAx_float2int', 'sf:1 0 0 11110 ftype:2 1 00 10 U:1 000000 Rn:5 Rd:5', fcvtToInt(true)),
  enc('FMOV_float_gen', 'sf:1 0 0 11110 ftype:2 1 rmode:2 11 op:1 000000 Rn:5 Rd:5', fmovGeneral),
  // Conversion between floating-point and fixed-point
  enc('FCVTZx_float_fix', 'sf:1 0 0 11110 ftype:2 0 11 00 U:1 scale:6 Rn:5 Rd:5', fcvtToFixed),
  enc('SCVTF_float_fix', 'sf:1 0 0 11110 ftype:2 0 00 01 U:1 scale:6 Rn:5 Rd:5', cvtf(true)),
];
