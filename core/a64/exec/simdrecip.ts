/**
 * AdvSIMD FMULX, FRECPS, FRSQRTS, FRECPE, FRSQRTE as FpSpecs for the lane runners
 * of exec/simdfp.ts (vector, scalar and by-element forms share them). The
 * arithmetic is exec/fp-recip.ts's.
 */
import type { Cpu } from '../cpu.js';
import { fpMul32, fpMul64 } from './fp-arith.js';
import { bigOf64, hiOf, loOf } from './fp-helpers.js';
import { fpMulXX, fpRSqrtEstimateX, fpRecipEstimateX, fpStepFusedX } from './fp-recip.js';
import type { FpSpec } from './simdfp.js';

const b32 = (a: number): bigint => BigInt(a >>> 0);
const out64 = (c: Cpu, r: bigint): number => {
  c.hi = hiOf(r);
  return loOf(r);
};
const EXP32 = 0x7f800000;
const EXP64 = 0x7ff00000;

export const FR: Record<'fmulx' | 'frecps' | 'frsqrts' | 'frecpe' | 'frsqrte', FpSpec> = {
  // FMULX differs from FMUL only for 0 × ∞, so operands without an infinity or NaN take FMUL.
  fmulx: {
    f32: (c, a, b) =>
      (a & EXP32) !== EXP32 && (b & EXP32) !== EXP32 ? fpMul32(c, a, b) : Number(fpMulXX(c, b32(a), b32(b), 32, c.fpcr)) | 0,
    f64: (c, al, ah, bl, bh) =>
      (ah & EXP64) !== EXP64 && (bh & EXP64) !== EXP64
        ? fpMul64(c, al, ah, bl, bh)
        : out64(c, fpMulXX(c, bigOf64(al, ah), bigOf64(bl, bh), 64, c.fpcr)),
  },
  frecps: {
    f32: (c, a, b) => Number(fpStepFusedX(c, b32(a), b32(b), 32, c.fpcr, false)) | 0,
    f64: (c, al, ah, bl, bh) => out64(c, fpStepFusedX(c, bigOf64(al, ah), bigOf64(bl, bh), 64, c.fpcr, false)),
  },
  frsqrts: {
    f32: (c, a, b) => Number(fpStepFusedX(c, b32(a), b32(b), 32, c.fpcr, true)) | 0,
    f64: (c, al, ah, bl, bh) => out64(c, fpStepFusedX(c, bigOf64(al, ah), bigOf64(bl, bh), 64, c.fpcr, true)),
  },
  frecpe: {
    f32: (c, a) => Number(fpRecipEstimateX(c, b32(a), 32, c.fpcr)) | 0,
    f64: (c, al, ah) => out64(c, fpRecipEstimateX(c, bigOf64(al, ah), 64, c.fpcr)),
  },
  frsqrte: {
    f32: (c, a) => Number(fpRSqrtEstimateX(c, b32(a), 32, c.fpcr)) | 0,
    f64: (c, al, ah) => out64(c, fpRSqrtEstimateX(c, bigOf64(al, ah), 64, c.fpcr)),
  },
};
