/**
 * AdvSIMD FMULX, FRECPS, FRSQRTS, FRECPE, FRSQRTE as FpSpecs for the lane runners
 * of exec/simdfp.ts (vector, scalar and by-element forms share them). The
 * arithmetic is exec/fp-recip.ts's.
 */
import type { Cpu } from '../cpu.js';
import { fpMul32, fpMul64, fpMulAdd32, fpMulAdd64 } from './fp-arith.js';
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
const SIGN = 0x80000000 | 0;
const TWO32 = 0x40000000;
const ONE_HALF32 = 0x3fc00000;
const TWO64_HI = 0x40000000;
const ONE_HALF64_HI = 0x3ff80000;

/*
 * Fast paths for the Newton-Raphson steps, where no operand is infinite or NaN (so the
 * 0 × ∞ special case cannot arise): FRECPS is FPMulAdd(2.0, -a, b) exactly; FRSQRTS is
 * FPMulAdd(1.5, -(a/2), b) when halving a is exact (a normal with biased exponent >= 2).
 * Flush-to-zero of b and the rounding/flags are FPMulAdd's, as in the step pseudocode.
 */
const frecps32 = (c: Cpu, a: number, b: number): number =>
  (a & EXP32) !== EXP32 && (b & EXP32) !== EXP32
    ? fpMulAdd32(c, TWO32, a ^ SIGN, b)
    : Number(fpStepFusedX(c, b32(a), b32(b), 32, c.fpcr, false)) | 0;
const frsqrts32 = (c: Cpu, a: number, b: number): number => {
  const ea = a & EXP32;
  if (ea !== EXP32 && ea >= 0x01000000 && (b & EXP32) !== EXP32) return fpMulAdd32(c, ONE_HALF32, (a - 0x00800000) ^ SIGN, b);
  return Number(fpStepFusedX(c, b32(a), b32(b), 32, c.fpcr, true)) | 0;
};
const frecps64 = (c: Cpu, al: number, ah: number, bl: number, bh: number): number =>
  (ah & EXP64) !== EXP64 && (bh & EXP64) !== EXP64
    ? fpMulAdd64(c, 0, TWO64_HI, al, ah ^ SIGN, bl, bh)
    : out64(c, fpStepFusedX(c, bigOf64(al, ah), bigOf64(bl, bh), 64, c.fpcr, false));
const frsqrts64 = (c: Cpu, al: number, ah: number, bl: number, bh: number): number => {
  const ea = ah & EXP64;
  if (ea !== EXP64 && ea >= 0x00200000 && (bh & EXP64) !== EXP64)
    return fpMulAdd64(c, 0, ONE_HALF64_HI, al, (ah - 0x00100000) ^ SIGN, bl, bh);
  return out64(c, fpStepFusedX(c, bigOf64(al, ah), bigOf64(bl, bh), 64, c.fpcr, true));
};

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
  frecps: { f32: frecps32, f64: frecps64 },
  frsqrts: { f32: frsqrts32, f64: frsqrts64 },
  frecpe: {
    f32: (c, a) => Number(fpRecipEstimateX(c, b32(a), 32, c.fpcr)) | 0,
    f64: (c, al, ah) => out64(c, fpRecipEstimateX(c, bigOf64(al, ah), 64, c.fpcr)),
  },
  frsqrte: {
    f32: (c, a) => Number(fpRSqrtEstimateX(c, b32(a), 32, c.fpcr)) | 0,
    f64: (c, al, ah) => out64(c, fpRSqrtEstimateX(c, bigOf64(al, ah), 64, c.fpcr)),
  },
};
