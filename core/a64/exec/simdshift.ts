/**
 * Advanced SIMD shift by immediate (Arm ARM C4.1.96.18, scalar C4.1.96.12):
 * SSHR/USHR/SSRA/USRA/SRSHR/URSHR/SRSRA/URSRA, SHL, SLI, SRI, the narrowing
 * shifts (SHRN, RSHRN, SQSHRN, UQSHRN, SQRSHRN, UQRSHRN, SQSHRUN, SQRSHRUN) and
 * SSHLL/USHLL. The element size is the position of the top set bit of immh.
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import type { DecodeCtx, Emitter, Fields } from '../decoder.js';
import { fpAccessTrap } from '../exceptions.js';
import { add64, asr64, clearHigh, clearReg, flushQc, lsr64, readElems, rshr64, sat, satQ, shl64, writeElems } from './simdlanes.js';
import { widenShiftOp } from './simdmisc.js';

/** log2(esize / 8) from immh (0..3), or -1 when immh is 0. */
function immhSize(immh: number): number {
  return immh === 0 ? -1 : 31 - Math.clz32(immh);
}

export const SHR = 0;
export const SRA = 1;
export const SRI = 2;
export const SHL = 3;
export const SLI = 4;

export interface ShiftSpec {
  kind: number;
  signed: boolean;
  round: boolean;
}

function shiftOp(
  ctx: DecodeCtx,
  s: ShiftSpec,
  size: number,
  count: number,
  sh: number,
  d: number,
  n: number,
  upper: 'q0' | 'q1' | 'scalar',
): Op {
  const { pcLo, pcHi } = ctx;
  const { kind, signed, round } = s;
  if (size === 3) {
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      // Lane-wise, so in place is safe.
      for (let i = 0; i < count; i++) {
        const alo = v[4 * n + 2 * i];
        const ahi = v[4 * n + 2 * i + 1];
        const dlo = v[4 * d + 2 * i];
        const dhi = v[4 * d + 2 * i + 1];
        let lo: number;
        let hi: number;
        if (kind === SHL) {
          lo = shl64(c, alo, ahi, sh);
          hi = c.hi;
        } else if (kind === SLI) {
          lo = shl64(c, alo, ahi, sh);
          hi = c.hi;
          const mlo = shl64(c, -1, -1, sh);
          lo |= dlo & ~mlo;
          hi |= dhi & ~c.hi;
        } else if (kind === SRI) {
          lo = lsr64(c, alo, ahi, sh);
          hi = c.hi;
          const mlo = lsr64(c, -1, -1, sh);
          lo |= dlo & ~mlo;
          hi |= dhi & ~c.hi;
        } else {
          lo = round ? rshr64(c, alo, ahi, sh, signed) : signed ? asr64(c, alo, ahi, sh) : lsr64(c, alo, ahi, sh);
          hi = c.hi;
          if (kind === SRA) {
            lo = add64(c, dlo, dhi, lo, hi);
            hi = c.hi;
          }
        }
        v[4 * d + 2 * i] = lo;
        v[4 * d + 2 * i + 1] = hi;
      }
      if (upper !== 'q1') clearHigh(c, d);
      return NEXT;
    };
  }
  const bits = 8 << size;
  const scale = 2 ** sh;
  const rc = round ? scale / 2 : 0;
  // SLI keeps bits [sh-1:0] of Vd (modulo `scale`); SRI keeps the top sh bits (all but modulo `keep`).
  const keep = 2 ** (bits - sh);
  const sa = new Float64Array(count);
  const sd = new Float64Array(count);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    readElems(c, n, size, 0, count, signed, sa, 0);
    if (kind === SRA || kind === SLI || kind === SRI) readElems(c, d, size, 0, count, false, sd, 0);
    for (let i = 0; i < count; i++) {
      const a = sa[i];
      let r: number;
      if (kind === SHL) r = a * scale;
      // Reduce first: a * 2^sh can exceed 2^53, and adding Vd's low bits would then round.
      else if (kind === SLI) r = (a % keep) * scale + (sd[i] % scale);
      else if (kind === SRI) r = Math.floor(a / scale) + (sd[i] - (sd[i] % keep));
      else {
        r = Math.floor((a + rc) / scale);
        if (kind === SRA) r += sd[i];
      }
      sa[i] = r;
    }
    if (upper === 'scalar') clearReg(c, d);
    writeElems(c, d, size, 0, count, sa, 0);
    if (upper === 'q0') clearHigh(c, d);
    return NEXT;
  };
}

/** Right shifts encode 2*esize - immh:immb (1..esize); left shifts immh:immb - esize (0..esize-1). */
function shiftAmount(kind: number, size: number, immh: number, immb: number): number {
  const v = (immh << 3) | immb;
  const esize = 8 << size;
  return kind === SHL || kind === SLI ? v - esize : 2 * esize - v;
}

/** Vector form: `0 Q U 011110 immh immb opcode 1 Rn Rd` (immh = 0 is the modified-immediate group). */
export function shiftVec(s: ShiftSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = immhSize(f.immh);
    if (size < 0 || (size === 3 && f.Q === 0)) return null;
    const count = (f.Q ? 16 : 8) >> size;
    return shiftOp(ctx, s, size, count, shiftAmount(s.kind, size, f.immh, f.immb), f.Rd, f.Rn, f.Q ? 'q1' : 'q0');
  };
}

/** Scalar form: `01 U 111110 immh immb opcode 1 Rn Rd`; these exist for 64-bit elements only. */
export function shiftScalar(s: ShiftSpec): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    if ((f.immh & 8) === 0) return null;
    return shiftOp(ctx, s, 3, 1, shiftAmount(s.kind, 3, f.immh, f.immb), f.Rd, f.Rn, 'scalar');
  };
}

// ---- narrowing shifts ----------------------------------------------------------------------

export const N_TRUNC = 0;
export const N_SQ = 1;
export const N_UQ = 2;
export const N_SQU = 3;

/**
 * SHRN/RSHRN (N_TRUNC), SQ[R]SHRN (N_SQ), UQ[R]SHRN (N_UQ), SQ[R]SHRUN (N_SQU):
 * elements of 2*esize from Vn shifted right by 1..esize into the Q half of Vd.
 */
function narrowShiftOp(
  ctx: DecodeCtx,
  sat_: number,
  round: boolean,
  size: number,
  sh: number,
  d: number,
  n: number,
  part: number,
  scalar: boolean,
): Op {
  const { pcLo, pcHi } = ctx;
  const count = scalar ? 1 : 8 >> size;
  const e0 = part ? count : 0;
  const bits = 8 << size;
  const signedSrc = sat_ === N_SQ || sat_ === N_SQU;
  const scale = 2 ** sh;
  const rc = round ? scale / 2 : 0;
  const sa = new Float64Array(count);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    if (size === 2) {
      const v = c.v32;
      for (let i = 0; i < count; i++) {
        const alo = v[4 * n + 2 * i];
        const ahi = v[4 * n + 2 * i + 1];
        const lo = round ? rshr64(c, alo, ahi, sh, signedSrc) : signedSrc ? asr64(c, alo, ahi, sh) : lsr64(c, alo, ahi, sh);
        const hi = c.hi;
        let r = lo;
        if (sat_ === N_SQ) {
          if (hi !== lo >> 31) {
            sat.q = 1;
            r = hi < 0 ? 0x80000000 | 0 : 0x7fffffff;
          }
        } else if (sat_ === N_UQ) {
          if (hi !== 0) {
            sat.q = 1;
            r = -1;
          }
        } else if (sat_ === N_SQU) {
          if (hi !== 0) {
            sat.q = 1;
            r = hi < 0 ? 0 : -1;
          }
        }
        sa[i] = r;
      }
    } else {
      readElems(c, n, size + 1, 0, count, signedSrc, sa, 0);
      for (let i = 0; i < count; i++) {
        const r = Math.floor((sa[i] + rc) / scale);
        sa[i] = sat_ === N_TRUNC ? r : satQ(r, bits, sat_ !== N_SQ);
      }
    }
    if (scalar) clearReg(c, d);
    writeElems(c, d, size, e0, count, sa, 0);
    if (!scalar && part === 0) clearHigh(c, d);
    flushQc(c);
    return NEXT;
  };
}

/** Narrowing shift, vector: destination esize from immh (1xxx reserved). */
export function narrowShiftVec(satKind: number, round: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = immhSize(f.immh);
    if (size < 0 || size === 3) return null;
    return narrowShiftOp(ctx, satKind, round, size, shiftAmount(SHR, size, f.immh, f.immb), f.Rd, f.Rn, f.Q, false);
  };
}

/** Narrowing shift, scalar (saturating forms only). */
export function narrowShiftScalar(satKind: number, round: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = immhSize(f.immh);
    if (size < 0 || size === 3) return null;
    return narrowShiftOp(ctx, satKind, round, size, shiftAmount(SHR, size, f.immh, f.immb), f.Rd, f.Rn, 0, true);
  };
}

/** SSHLL/USHLL (and the UXTL/SXTL aliases): shift 0..esize-1, immh 1xxx reserved. */
export function shllImm(signed: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const size = immhSize(f.immh);
    if (size < 0 || size === 3) return null;
    return widenShiftOp(ctx, size, f.Rd, f.Rn, f.Q, signed, shiftAmount(SHL, size, f.immh, f.immb));
  };
}
