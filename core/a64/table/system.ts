/**
 * System instructions, hints, barriers, MRS/MSR, exception generation (Arm ARM C4.1.66).
 */
import { enc, type Encoding, type Fields, type DecodeCtx } from '../decoder.js';
import { NEXT, JUMP, type Cpu, type Op } from '../cpu.js';
import { undefinedInstruction } from '../exceptions.js';

/** HLT #imm16: semihosting when imm16 is 0xF000 (and not at EL0); otherwise UNDEFINED (no halting debug). */
function hlt(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  if (f.imm16 !== 0xf000) return (c: Cpu) => undefinedInstruction(c, pcLo, pcHi);
  return (c: Cpu) => {
    if (c.el === 0 || !c.env.semihosting(c)) return undefinedInstruction(c, pcLo, pcHi);
    return c.stopRequested ? JUMP : NEXT;
  };
}

export const TABLE: Encoding[] = [enc('HLT', '11010100 010 imm16:16 000 00', hlt)];
