/**
 * Data processing — immediate and register (Arm ARM C4.1.86, C4.1.88).
 * One line per encoding; emitters (exec/int-*.ts) compute the locals once at
 * decode time and return the op.
 *
 * Left out on purpose (UNDEFINED without the feature): ADDG/SUBG (FEAT_MTE),
 * RMIF/SETF (FEAT_FlagM), PACGA and the PAC/AUT data-processing (1 source)
 * forms (FEAT_PAuth), SUBP/IRG/GMI (FEAT_MTE), the FEAT_CSSC min/max/abs/cnt/ctz.
 */
import { enc, type Encoding } from '../decoder.js';
import { addSubCarry, addSubExtended, addSubImm, addSubShifted } from '../exec/int-addsub.js';
import { logicalImm, logicalShifted, moveWide, pcRelAddr } from '../exec/int-logical.js';
import { bitfield, extract } from '../exec/int-bitfield.js';
import { condCompareImm, condCompareReg, condSelect } from '../exec/int-condsel.js';
import { mulAdd, mulAddLong, mulHigh } from '../exec/int-dp3.js';
import { crc32, divide, shiftVariable } from '../exec/int-dp2.js';
import { countLeading, reverse } from '../exec/int-dp1.js';

export const TABLE: Encoding[] = [
  // Data processing — immediate
  enc('ADR', 'op:1 immlo:2 10000 immhi:19 Rd:5', pcRelAddr),
  enc('ADD_addsub_imm', 'sf:1 op:1 S:1 100010 sh:1 imm12:12 Rn:5 Rd:5', addSubImm),
  enc('AND_log_imm', 'sf:1 opc:2 100100 N:1 immr:6 imms:6 Rn:5 Rd:5', logicalImm),
  enc('MOVZ', 'sf:1 opc:2 100101 hw:2 imm16:16 Rd:5', moveWide),
  enc('SBFM', 'sf:1 opc:2 100110 N:1 immr:6 imms:6 Rn:5 Rd:5', bitfield),
  enc('EXTR', 'sf:1 00 100111 N:1 0 Rm:5 imms:6 Rn:5 Rd:5', extract),

  // Data processing — register
  enc('AND_log_shift', 'sf:1 opc:2 01010 shift:2 N:1 Rm:5 imm6:6 Rn:5 Rd:5', logicalShifted),
  enc('ADD_addsub_shift', 'sf:1 op:1 S:1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5', addSubShifted),
  enc('ADD_addsub_ext', 'sf:1 op:1 S:1 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5', addSubExtended),
  enc('ADC', 'sf:1 op:1 S:1 11010000 Rm:5 000000 Rn:5 Rd:5', addSubCarry),
  enc('CCMP_reg', 'sf:1 op:1 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4', condCompareReg),
  enc('CCMP_imm', 'sf:1 op:1 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4', condCompareImm),
  enc('CSEL', 'sf:1 op:1 0 11010100 Rm:5 cond:4 0 o2:1 Rn:5 Rd:5', condSelect),
  enc('MADD', 'sf:1 00 11011 000 Rm:5 o0:1 Ra:5 Rn:5 Rd:5', mulAdd),
  enc('SMADDL', '1 00 11011 U:1 01 Rm:5 o0:1 Ra:5 Rn:5 Rd:5', mulAddLong),
  enc('SMULH', '1 00 11011 U:1 10 Rm:5 0 xxxxx Rn:5 Rd:5', mulHigh),
  enc('UDIV', 'sf:1 0 0 11010110 Rm:5 00001 o1:1 Rn:5 Rd:5', divide),
  enc('LSLV', 'sf:1 0 0 11010110 Rm:5 0010 op2:2 Rn:5 Rd:5', shiftVariable),
  enc('CRC32', 'sf:1 0 0 11010110 Rm:5 010 C:1 sz:2 Rn:5 Rd:5', crc32, { feat: 'crc32' }),
  enc('RBIT', 'sf:1 1 0 11010110 00000 0000 opc:2 Rn:5 Rd:5', reverse),
  enc('CLZ', 'sf:1 1 0 11010110 00000 00010 op:1 Rn:5 Rd:5', countLeading),
];
