/**
 * Branches (Arm ARM C4.1.65): conditional, compare and test, unconditional
 * immediate and register. Exception generation, ERET and DRPS are in system.ts.
 *
 * Left out on purpose (UNDEFINED without the feature): BC.cond (FEAT_HBC) and the
 * pointer-authenticating BRAA/BLRAA/RETAA… forms (FEAT_PAuth).
 */
import { enc, type Encoding } from '../decoder.js';
import { branchCond, branchImm, branchReg, compareBranch, testBranch } from '../exec/int-branch.js';

export { pcRel } from '../exec/int-branch.js';

export const TABLE: Encoding[] = [
  enc('B_cond', '0101010 0 imm19:19 0 cond:4', branchCond),
  enc('CBZ', 'sf:1 011010 op:1 imm19:19 Rt:5', compareBranch),
  enc('TBZ', 'b5:1 011011 op:1 b40:5 imm14:14 Rt:5', testBranch),
  enc('B_uncond', 'op:1 00101 imm26:26', branchImm, { end: true }),
  // Unconditional branch (register): 1101011 opc:4 op2:5 op3:6 Rn:5 op4:5, with op2 = 11111, op3 = op4 = 0.
  enc('BR', '1101011 0000 11111 000000 Rn:5 00000', branchReg(0), { end: true }),
  enc('BLR', '1101011 0001 11111 000000 Rn:5 00000', branchReg(1), { end: true }),
  enc('RET', '1101011 0010 11111 000000 Rn:5 00000', branchReg(2), { end: true }),
];
