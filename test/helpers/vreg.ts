/**
 * Test access to the 128-bit SIMD&FP registers as bigints, and the FPCR/FPSR bit
 * values from the Arm ARM register descriptions (kept here, independent of core/,
 * so tests do not check the emulator against its own constants).
 */
import type { Cpu } from '../../core/a64/cpu.js';

/** FPCR.FZ, FPCR.DN, FPCR.AHP and the FPCR.RMode values +inf / -inf / zero. */
export const FZ = 1 << 24;
export const DN = 1 << 25;
export const AHP = 1 << 26;
export const RP = 1 << 22;
export const RM = 2 << 22;
export const RZ = 3 << 22;

/** FPSR cumulative flags. */
export const IOC = 1;
export const DZC = 2;
export const OFC = 4;
export const UFC = 8;
export const IXC = 16;
export const IDC = 128;
export const QC = 1 << 27;

export function setV(c: Cpu, r: number, v: bigint): void {
  for (let i = 0; i < 4; i++) c.v32[4 * r + i] = Number((v >> BigInt(32 * i)) & 0xffffffffn) | 0;
}

export function getV(c: Cpu, r: number): bigint {
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 32n) | BigInt(c.v32[4 * r + i] >>> 0);
  return v;
}
