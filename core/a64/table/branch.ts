/**
 * Branches, exception generation and system instructions' control flow (Arm ARM C4.1.65).
 */
import { enc, sext, type Encoding, type Fields, type DecodeCtx } from '../decoder.js';
import { JUMP, type Cpu, type Op } from '../cpu.js';

/** PC + offset as a (lo, hi) pair, computed at decode time. */
export function pcRel(ctx: DecodeCtx, offset: number): [number, number] {
  const lo = (ctx.pcLo >>> 0) + offset;
  let hi = ctx.pcHi;
  if (lo > 0xffffffff) hi = (hi + 1) | 0;
  else if (lo < 0) hi = (hi - 1) | 0;
  return [lo | 0, hi];
}

/** B, BL: imm26 words from PC; BL writes the return address to X30. */
function bImm(f: Fields, ctx: DecodeCtx): Op {
  const [tlo, thi] = pcRel(ctx, sext(f.imm26, 26) * 4);
  if (f.op === 0) {
    return (c: Cpu) => {
      c.pcLo = tlo;
      c.pcHi = thi;
      return JUMP;
    };
  }
  const [rlo, rhi] = pcRel(ctx, 4);
  return (c: Cpu) => {
    c.x[60] = rlo;
    c.x[61] = rhi;
    c.pcLo = tlo;
    c.pcHi = thi;
    return JUMP;
  };
}

export const TABLE: Encoding[] = [enc('B_uncond', 'op:1 00101 imm26:26', bImm, { end: true })];
