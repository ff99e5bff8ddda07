/**
 * Advanced SIMD conversions between floating point and fixed point (Arm ARM
 * C4.1.96.18 "shift by immediate" opcodes 11100/11111 and their scalar forms):
 * SCVTF/UCVTF (FixedToFP, FPCR rounding) and FCVTZS/FCVTZU (FPToFixed, toward
 * zero), with fbits = 2 * esize - UInt(immh:immb). The arithmetic is exec/fp-convert.ts's.
 */
import type { DecodeCtx, Emitter, Fields } from '../decoder.js';
import { fixedToFp32, fixedToFp64, fpToFixed32, fpToFixed64 } from './fp-convert.js';
import { FPRounding, fpRoundingMode } from './fp-helpers.js';
import { fpLaneOp, type FpSpec } from './simdfp.js';

export const TO_FP = 0;
export const TO_FIXED = 1;

function spec(kind: number, unsigned: boolean, fbits: number): FpSpec {
  if (kind === TO_FP) {
    return {
      f32: (c, a) => fixedToFp32(c, a, 0, false, unsigned, fbits, fpRoundingMode(c.fpcr)),
      f64: (c, lo, hi) => fixedToFp64(c, lo, hi, true, unsigned, fbits, fpRoundingMode(c.fpcr)),
    };
  }
  return {
    f32: (c, a) => fpToFixed32(c, a, fbits, unsigned, 32, FPRounding.ZERO),
    f64: (c, lo, hi) => fpToFixed64(c, lo, hi, fbits, unsigned, 64, FPRounding.ZERO),
  };
}

/**
 * Element size (32 or 64) from immh, or 0 when UNDEFINED: immh 000x is reserved (or
 * the modified-immediate group) and 001x is half precision, which needs FEAT_FP16
 * (not implemented).
 */
function esizeOf(immh: number): number {
  if (immh & 8) return 64;
  if (immh & 4) return 32;
  return 0;
}

/** Vector form: `0 Q U 011110 immh immb opcode 1 Rn Rd`; 2D needs Q = 1. */
export function fixedCvtVec(kind: number, unsigned: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const esize = esizeOf(f.immh);
    if (esize === 0 || (esize === 64 && f.Q === 0)) return null;
    const fbits = 2 * esize - ((f.immh << 3) | f.immb);
    const count = (f.Q ? 128 : 64) / esize;
    return fpLaneOp(ctx, spec(kind, unsigned, fbits), esize === 64, count, f.Rd, f.Rn, 0, -1, f.Q ? 'q1' : 'q0');
  };
}

/** AdvSIMD scalar form: `01 U 111110 immh immb opcode 1 Rn Rd` on Sd/Dd. */
export function fixedCvtScalar(kind: number, unsigned: boolean): Emitter {
  return (f: Fields, ctx: DecodeCtx) => {
    const esize = esizeOf(f.immh);
    if (esize === 0) return null;
    const fbits = 2 * esize - ((f.immh << 3) | f.immb);
    return fpLaneOp(ctx, spec(kind, unsigned, fbits), esize === 64, 1, f.Rd, f.Rn, 0, -1, 'scalar');
  };
}
