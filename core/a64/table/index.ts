/**
 * The whole A64 decode table, one file per encoding group (Arm ARM C4.1):
 *   dp.ts      data processing: immediate, register (integer)
 *   branch.ts  branches, exception generation
 *   ldst.ts    loads and stores (integer and SIMD&FP registers)
 *   fp.ts      scalar floating point
 *   simd.ts    Advanced SIMD
 *   system.ts  system instructions, hints, barriers, MRS/MSR
 */
import { buildDecoder, type Decoder, type Encoding } from '../decoder.js';
import { TABLE as DP } from './dp.js';
import { TABLE as BRANCH } from './branch.js';
import { TABLE as LDST } from './ldst.js';
import { TABLE as FP } from './fp.js';
import { TABLE as SIMD } from './simd.js';
import { TABLE as SYSTEM } from './system.js';

export const A64_TABLE: Encoding[] = [...DP, ...BRANCH, ...LDST, ...FP, ...SIMD, ...SYSTEM];

let decoder: Decoder | undefined;

/** The A64 decoder, built once per process (or worker). */
export function a64Decoder(): Decoder {
  decoder ??= buildDecoder(A64_TABLE);
  return decoder;
}
