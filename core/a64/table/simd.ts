/**
 * Advanced SIMD data processing (Arm ARM C4.1.95 scalar, C4.1.96 vector).
 * One line per instruction; emitters live in exec/simd*.ts. Encodings not listed
 * here (SQDMLAL & friends, FP16, dot product, SHA-512/SHA-3/SM3/SM4, …) are UNDEFINED.
 * The Cryptographic Extension (AES, SHA-1, SHA-256, PMULL 1Q) is gated on the
 * model's features; emitters in exec/crypto.ts.
 */
import { enc, type Encoding } from '../decoder.js';
import { E, E64, addpScalar, logicVec, pairVec, sameScalar, sameVec, type SameSpec } from '../exec/simdsame.js';
import {
  ADDLV,
  ADDV,
  MAXV,
  MINV,
  SQXTN,
  SQXTUN,
  U,
  U64,
  UQXTN,
  XTN,
  acrossLanes,
  addlp,
  narrowScalar,
  narrowVec,
  rev,
  shll,
  unaryScalar,
  unaryVec,
  type UnarySpec,
} from '../exec/simdmisc.js';
import { ABAL, ABDL, ADDL, ADDW, MLAL, MLSL, MULL, SUBL, SUBW, addhn, longElemVec, longVec, mulElemVec } from '../exec/simdlong.js';
import {
  N_SQ,
  N_SQU,
  N_TRUNC,
  N_UQ,
  SHL,
  SHR,
  SLI,
  SRA,
  SRI,
  narrowShiftScalar,
  narrowShiftVec,
  shiftScalar,
  shiftVec,
  shllImm,
  type ShiftSpec,
} from '../exec/simdshift.js';
import {
  TRN1,
  TRN2,
  UZP1,
  UZP2,
  ZIP1,
  ZIP2,
  dupElem,
  dupGeneral,
  ext,
  insElem,
  insGeneral,
  modImm,
  movToGeneral,
  permuteVec,
  tbl,
} from '../exec/simdmove.js';
import {
  FB,
  FU,
  fcvtl,
  fcvtn,
  fpAcross,
  fpElemScalar,
  fpElemVec,
  fpPairScalar,
  fpPairVec,
  fpScalar,
  fpVec,
  type FpSpec,
} from '../exec/simdfp.js';
import { FR } from '../exec/simdrecip.js';
import { TO_FIXED, TO_FP, fixedCvtScalar, fixedCvtVec } from '../exec/simdcvt.js';
import { SQDMULH, SQRDMULH, SQRSHL, SQSHL, SRSHL, UQRSHL, UQSHL, URSHL, qdmulhElem, sqaddAccScalar, sqaddAccVec } from '../exec/simdsat.js';
import {
  SHA1C,
  SHA1M,
  SHA1P,
  aesMix,
  aesRound,
  pmull64,
  pmull8,
  sha1Hash,
  sha1h,
  sha1su0,
  sha1su1,
  sha256h,
  sha256su0,
  sha256su1,
} from '../exec/crypto.js';

// Allowed `size` values as bit masks.
const B_H_S = 0b0111;
const ALL = 0b1111;
const D = 0b1000;

// Group patterns (bit 31 first); U and opcode fixed per line.
const same = (u: number, op: string) => `0 Q:1 ${u} 01110 size:2 1 Rm:5 ${op} 1 Rn:5 Rd:5`;
const sameS = (u: number, op: string) => `01 ${u} 11110 size:2 1 Rm:5 ${op} 1 Rn:5 Rd:5`;
const misc = (u: number, op: string, size = 'size:2') => `0 Q:1 ${u} 01110 ${size} 10000 ${op} 10 Rn:5 Rd:5`;
const miscS = (u: number, op: string) => `01 ${u} 11110 size:2 10000 ${op} 10 Rn:5 Rd:5`;
const across = (u: number, op: string) => `0 Q:1 ${u} 01110 size:2 11000 ${op} 10 Rn:5 Rd:5`;
const diff = (u: number, op: string) => `0 Q:1 ${u} 01110 size:2 1 Rm:5 ${op} 00 Rn:5 Rd:5`;
const shift = (u: number, op: string) => `0 Q:1 ${u} 011110 immh:4 immb:3 ${op} 1 Rn:5 Rd:5`;
const shiftS = (u: number, op: string) => `01 ${u} 111110 immh:4 immb:3 ${op} 1 Rn:5 Rd:5`;
const elem = (u: number, op: string) => `0 Q:1 ${u} 01111 size:2 L:1 M:1 Rm:4 ${op} H:1 0 Rn:5 Rd:5`;
// Floating point: `a` is size<1>, sz is size<0> (single/double).
const fsame = (u: number, a: number, op: string) => `0 Q:1 ${u} 01110 ${a} sz:1 1 Rm:5 ${op} 1 Rn:5 Rd:5`;
const fsameS = (u: number, a: number, op: string) => `01 ${u} 11110 ${a} sz:1 1 Rm:5 ${op} 1 Rn:5 Rd:5`;
const fmisc = (u: number, a: number, op: string) => `0 Q:1 ${u} 01110 ${a} sz:1 10000 ${op} 10 Rn:5 Rd:5`;
const fmiscS = (u: number, a: number, op: string) => `01 ${u} 11110 ${a} sz:1 10000 ${op} 10 Rn:5 Rd:5`;
const felem = (u: number, op: string) => `0 Q:1 ${u} 01111 1 sz:1 L:1 M:1 Rm:4 ${op} H:1 0 Rn:5 Rd:5`;
const felemS = (u: number, op: string) => `01 ${u} 11111 1 sz:1 L:1 M:1 Rm:4 ${op} H:1 0 Rn:5 Rd:5`;
const sha3 = (op: number) => `01011110 00 0 Rm:5 0 ${op.toString(2).padStart(3, '0')} 00 Rn:5 Rd:5`;
const sha2 = (op: string) => `01011110 00 10100 ${op} 10 Rn:5 Rd:5`;
const copy = (q: string, op: number, imm4: string) => `0 ${q} ${op} 01110000 imm5:5 0 ${imm4} 1 Rn:5 Rd:5`;

/** Three-same integer ops: [name, U, opcode, spec]; scalarSizes adds the AdvSIMD scalar form. */
const SAME: [string, number, string, SameSpec][] = [
  ['SHADD', 0, '00000', { fn: E.hadd, fn64: null, signed: true, sizes: B_H_S }],
  ['UHADD', 1, '00000', { fn: E.hadd, fn64: null, signed: false, sizes: B_H_S }],
  ['SQADD', 0, '00001', { fn: E.sqadd, fn64: E64.sqadd, signed: true, sizes: ALL, scalarSizes: ALL }],
  ['UQADD', 1, '00001', { fn: E.uqadd, fn64: E64.uqadd, signed: false, sizes: ALL, scalarSizes: ALL }],
  ['SRHADD', 0, '00010', { fn: E.rhadd, fn64: null, signed: true, sizes: B_H_S }],
  ['URHADD', 1, '00010', { fn: E.rhadd, fn64: null, signed: false, sizes: B_H_S }],
  ['SHSUB', 0, '00100', { fn: E.hsub, fn64: null, signed: true, sizes: B_H_S }],
  ['UHSUB', 1, '00100', { fn: E.hsub, fn64: null, signed: false, sizes: B_H_S }],
  ['SQSUB', 0, '00101', { fn: E.sqsub, fn64: E64.sqsub, signed: true, sizes: ALL, scalarSizes: ALL }],
  ['UQSUB', 1, '00101', { fn: E.uqsub, fn64: E64.uqsub, signed: false, sizes: ALL, scalarSizes: ALL }],
  ['CMGT', 0, '00110', { fn: E.cmgt, fn64: E64.cmgt, signed: true, sizes: ALL, scalarSizes: D }],
  ['CMHI', 1, '00110', { fn: E.cmgt, fn64: E64.cmhi, signed: false, sizes: ALL, scalarSizes: D }],
  ['CMGE', 0, '00111', { fn: E.cmge, fn64: E64.cmge, signed: true, sizes: ALL, scalarSizes: D }],
  ['CMHS', 1, '00111', { fn: E.cmge, fn64: E64.cmhs, signed: false, sizes: ALL, scalarSizes: D }],
  ['SSHL', 0, '01000', { fn: E.shl, fn64: E64.sshl, signed: true, sizes: ALL, scalarSizes: D }],
  ['USHL', 1, '01000', { fn: E.shl, fn64: E64.ushl, signed: false, sizes: ALL, scalarSizes: D }],
  ['SQSHL', 0, '01001', SQSHL],
  ['UQSHL', 1, '01001', UQSHL],
  ['SRSHL', 0, '01010', SRSHL],
  ['URSHL', 1, '01010', URSHL],
  ['SQRSHL', 0, '01011', SQRSHL],
  ['UQRSHL', 1, '01011', UQRSHL],
  ['SMAX', 0, '01100', { fn: E.max, fn64: null, signed: true, sizes: B_H_S }],
  ['UMAX', 1, '01100', { fn: E.max, fn64: null, signed: false, sizes: B_H_S }],
  ['SMIN', 0, '01101', { fn: E.min, fn64: null, signed: true, sizes: B_H_S }],
  ['UMIN', 1, '01101', { fn: E.min, fn64: null, signed: false, sizes: B_H_S }],
  ['SABD', 0, '01110', { fn: E.abd, fn64: null, signed: true, sizes: B_H_S }],
  ['UABD', 1, '01110', { fn: E.abd, fn64: null, signed: false, sizes: B_H_S }],
  ['SABA', 0, '01111', { fn: E.aba, fn64: null, signed: true, sizes: B_H_S, acc: true }],
  ['UABA', 1, '01111', { fn: E.aba, fn64: null, signed: false, sizes: B_H_S, acc: true }],
  ['ADD', 0, '10000', { fn: E.add, fn64: E64.add, signed: false, sizes: ALL, scalarSizes: D }],
  ['SUB', 1, '10000', { fn: E.sub, fn64: E64.sub, signed: false, sizes: ALL, scalarSizes: D }],
  ['CMTST', 0, '10001', { fn: E.cmtst, fn64: E64.cmtst, signed: false, sizes: ALL, scalarSizes: D }],
  ['CMEQ', 1, '10001', { fn: E.cmeq, fn64: E64.cmeq, signed: false, sizes: ALL, scalarSizes: D }],
  ['MLA', 0, '10010', { fn: E.mla, fn64: null, signed: false, sizes: B_H_S, acc: true }],
  ['MLS', 1, '10010', { fn: E.mls, fn64: null, signed: false, sizes: B_H_S, acc: true }],
  ['MUL', 0, '10011', { fn: E.mul, fn64: null, signed: false, sizes: B_H_S }],
  ['PMUL', 1, '10011', { fn: E.pmul, fn64: null, signed: false, sizes: 0b0001 }],
  ['SQDMULH', 0, '10110', SQDMULH],
  ['SQRDMULH', 1, '10110', SQRDMULH],
];

const PAIRWISE: [string, number, string, SameSpec][] = [
  ['SMAXP', 0, '10100', { fn: E.max, fn64: null, signed: true, sizes: B_H_S }],
  ['UMAXP', 1, '10100', { fn: E.max, fn64: null, signed: false, sizes: B_H_S }],
  ['SMINP', 0, '10101', { fn: E.min, fn64: null, signed: true, sizes: B_H_S }],
  ['UMINP', 1, '10101', { fn: E.min, fn64: null, signed: false, sizes: B_H_S }],
  ['ADDP', 0, '10111', { fn: E.add, fn64: E64.add, signed: false, sizes: ALL }],
];

/** Two-register misc integer ops (lane-wise). */
const MISC: [string, number, string, UnarySpec][] = [
  ['CLS', 0, '00100', { fn: U.cls, fn64: null, signed: true, sizes: B_H_S }],
  ['CLZ', 1, '00100', { fn: U.clz, fn64: null, signed: false, sizes: B_H_S }],
  ['SQABS', 0, '00111', { fn: U.sqabs, fn64: U64.sqabs, signed: true, sizes: ALL, scalarSizes: ALL }],
  ['SQNEG', 1, '00111', { fn: U.sqneg, fn64: U64.sqneg, signed: true, sizes: ALL, scalarSizes: ALL }],
  ['CMGT_zero', 0, '01000', { fn: U.cmgt0, fn64: U64.cmgt0, signed: true, sizes: ALL, scalarSizes: D }],
  ['CMGE_zero', 1, '01000', { fn: U.cmge0, fn64: U64.cmge0, signed: true, sizes: ALL, scalarSizes: D }],
  ['CMEQ_zero', 0, '01001', { fn: U.cmeq0, fn64: U64.cmeq0, signed: true, sizes: ALL, scalarSizes: D }],
  ['CMLE_zero', 1, '01001', { fn: U.cmle0, fn64: U64.cmle0, signed: true, sizes: ALL, scalarSizes: D }],
  ['CMLT_zero', 0, '01010', { fn: U.cmlt0, fn64: U64.cmlt0, signed: true, sizes: ALL, scalarSizes: D }],
  ['ABS', 0, '01011', { fn: U.abs, fn64: U64.abs, signed: true, sizes: ALL, scalarSizes: D }],
  ['NEG', 1, '01011', { fn: U.neg, fn64: U64.neg, signed: true, sizes: ALL, scalarSizes: D }],
];

/** FP three-same: [name, U, a, opcode, spec, has AdvSIMD scalar form]. */
const FSAME: [string, number, number, string, FpSpec, boolean][] = [
  ['FMAXNM', 0, 0, '11000', FB.fmaxnm, false],
  ['FMINNM', 0, 1, '11000', FB.fminnm, false],
  ['FMLA', 0, 0, '11001', FB.fmla, false],
  ['FMLS', 0, 1, '11001', FB.fmls, false],
  ['FADD', 0, 0, '11010', FB.fadd, false],
  ['FSUB', 0, 1, '11010', FB.fsub, false],
  ['FABD', 1, 1, '11010', FB.fabd, true],
  ['FMUL', 1, 0, '11011', FB.fmul, false],
  ['FCMEQ', 0, 0, '11100', FB.fcmeq, true],
  ['FCMGE', 1, 0, '11100', FB.fcmge, true],
  ['FCMGT', 1, 1, '11100', FB.fcmgt, true],
  ['FACGE', 1, 0, '11101', FB.facge, true],
  ['FACGT', 1, 1, '11101', FB.facgt, true],
  ['FMAX', 0, 0, '11110', FB.fmax, false],
  ['FMIN', 0, 1, '11110', FB.fmin, false],
  ['FDIV', 1, 0, '11111', FB.fdiv, false],
  ['FMULX', 0, 0, '11011', FR.fmulx, true],
  ['FRECPS', 0, 0, '11111', FR.frecps, true],
  ['FRSQRTS', 0, 1, '11111', FR.frsqrts, true],
];

/** FP pairwise: [name, a, three-same opcode, scalar-pairwise opcode, spec]. */
const FPAIR: [string, number, string, string, FpSpec][] = [
  ['FMAXNMP', 0, '11000', '01100', FB.fmaxnm],
  ['FMINNMP', 1, '11000', '01100', FB.fminnm],
  ['FADDP', 0, '11010', '01101', FB.fadd],
  ['FMAXP', 0, '11110', '01111', FB.fmax],
  ['FMINP', 1, '11110', '01111', FB.fmin],
];

/** FP two-register misc: [name, U, a, opcode, spec, has AdvSIMD scalar form]. */
const FMISC: [string, number, number, string, FpSpec, boolean][] = [
  ['FCMGT_zero', 0, 1, '01100', FU.fcmgt0, true],
  ['FCMEQ_zero', 0, 1, '01101', FU.fcmeq0, true],
  ['FCMLT_zero', 0, 1, '01110', FU.fcmlt0, true],
  ['FABS', 0, 1, '01111', FU.fabs, false],
  ['FRINTP', 0, 1, '11000', FU.frintp, false],
  ['FRINTZ', 0, 1, '11001', FU.frintz, false],
  ['FCVTPS', 0, 1, '11010', FU.fcvtps, true],
  ['FCVTZS', 0, 1, '11011', FU.fcvtzs, true],
  ['FCMGE_zero', 1, 1, '01100', FU.fcmge0, true],
  ['FCMLE_zero', 1, 1, '01101', FU.fcmle0, true],
  ['FNEG', 1, 1, '01111', FU.fneg, false],
  ['FRINTI', 1, 1, '11001', FU.frinti, false],
  ['FCVTPU', 1, 1, '11010', FU.fcvtpu, true],
  ['FCVTZU', 1, 1, '11011', FU.fcvtzu, true],
  ['FSQRT', 1, 1, '11111', FU.fsqrt, false],
  ['FRINTN', 0, 0, '11000', FU.frintn, false],
  ['FRINTM', 0, 0, '11001', FU.frintm, false],
  ['FCVTNS', 0, 0, '11010', FU.fcvtns, true],
  ['FCVTMS', 0, 0, '11011', FU.fcvtms, true],
  ['FCVTAS', 0, 0, '11100', FU.fcvtas, true],
  ['SCVTF', 0, 0, '11101', FU.scvtf, true],
  ['FRINTA', 1, 0, '11000', FU.frinta, false],
  ['FRINTX', 1, 0, '11001', FU.frintx, false],
  ['FCVTNU', 1, 0, '11010', FU.fcvtnu, true],
  ['FCVTMU', 1, 0, '11011', FU.fcvtmu, true],
  ['FCVTAU', 1, 0, '11100', FU.fcvtau, true],
  ['UCVTF', 1, 0, '11101', FU.ucvtf, true],
  ['FRECPE', 0, 1, '11101', FR.frecpe, true],
  ['FRSQRTE', 1, 1, '11101', FR.frsqrte, true],
];

const RIGHT = (signed: boolean, round: boolean, acc: boolean): ShiftSpec => ({ kind: acc ? SRA : SHR, signed, round });

/** Shift by immediate, lane-wise: [name, U, opcode, spec]; all have a 64-bit scalar form. */
const SHIFTS: [string, number, string, ShiftSpec][] = [
  ['SSHR', 0, '00000', RIGHT(true, false, false)],
  ['USHR', 1, '00000', RIGHT(false, false, false)],
  ['SSRA', 0, '00010', RIGHT(true, false, true)],
  ['USRA', 1, '00010', RIGHT(false, false, true)],
  ['SRSHR', 0, '00100', RIGHT(true, true, false)],
  ['URSHR', 1, '00100', RIGHT(false, true, false)],
  ['SRSRA', 0, '00110', RIGHT(true, true, true)],
  ['URSRA', 1, '00110', RIGHT(false, true, true)],
  ['SRI', 1, '01000', { kind: SRI, signed: false, round: false }],
  ['SHL', 0, '01010', { kind: SHL, signed: false, round: false }],
  ['SLI', 1, '01010', { kind: SLI, signed: false, round: false }],
];

/** Narrowing shifts: [name, U, opcode, saturation kind, rounding, has scalar form]. */
const NARROW_SHIFTS: [string, number, string, number, boolean, boolean][] = [
  ['SHRN', 0, '10000', N_TRUNC, false, false],
  ['RSHRN', 0, '10001', N_TRUNC, true, false],
  ['SQSHRUN', 1, '10000', N_SQU, false, true],
  ['SQRSHRUN', 1, '10001', N_SQU, true, true],
  ['SQSHRN', 0, '10010', N_SQ, false, true],
  ['UQSHRN', 1, '10010', N_UQ, false, true],
  ['SQRSHRN', 0, '10011', N_SQ, true, true],
  ['UQRSHRN', 1, '10011', N_UQ, true, true],
];

/** Fixed-point conversions (shift-immediate group): [name, U, opcode, kind]. */
const FIXED_CVT: [string, number, string, number][] = [
  ['SCVTF', 0, '11100', TO_FP],
  ['UCVTF', 1, '11100', TO_FP],
  ['FCVTZS', 0, '11111', TO_FIXED],
  ['FCVTZU', 1, '11111', TO_FIXED],
];

const VECTOR_SHIFTS: Encoding[] = [
  ...FIXED_CVT.map(([name, u, op, k]) => enc(`${name}_asimdshf_C`, shift(u, op), fixedCvtVec(k, u === 1))),
  ...SHIFTS.map(([name, u, op, s]) => enc(`${name}_asimdshf_R`, shift(u, op), shiftVec(s))),
  ...NARROW_SHIFTS.map(([name, u, op, k, r]) => enc(`${name}_asimdshf_N`, shift(u, op), narrowShiftVec(k, r))),
  enc('SSHLL_asimdshf_L', shift(0, '10100'), shllImm(true)),
  enc('USHLL_asimdshf_L', shift(1, '10100'), shllImm(false)),
];

export const TABLE: Encoding[] = [
  // Three registers of the same type.
  ...SAME.map(([name, u, op, s]) => enc(`${name}_asimdsame`, same(u, op), sameVec(s))),
  ...SAME.filter(([, , , s]) => s.scalarSizes !== undefined).map(([name, u, op, s]) =>
    enc(`${name}_asisdsame`, sameS(u, op), sameScalar(s)),
  ),
  ...PAIRWISE.map(([name, u, op, s]) => enc(`${name}_asimdsame`, same(u, op), pairVec(s))),
  enc('ADDP_asisdpair', '01 0 11110 size:2 11000 11011 10 Rn:5 Rd:5', addpScalar),
  enc('LOGIC_asimdsame', '0 Q:1 U:1 01110 size:2 1 Rm:5 00011 1 Rn:5 Rd:5', logicVec),

  // Two-register miscellaneous.
  ...MISC.map(([name, u, op, s]) => enc(`${name}_asimdmisc`, misc(u, op), unaryVec(s))),
  ...MISC.filter(([, , , s]) => s.scalarSizes !== undefined).map(([name, u, op, s]) =>
    enc(`${name}_asisdmisc`, miscS(u, op), unaryScalar(s)),
  ),
  enc('SUQADD_asimdmisc', misc(0, '00011'), sqaddAccVec(false)),
  enc('USQADD_asimdmisc', misc(1, '00011'), sqaddAccVec(true)),
  enc('SUQADD_asisdmisc', miscS(0, '00011'), sqaddAccScalar(false)),
  enc('USQADD_asisdmisc', miscS(1, '00011'), sqaddAccScalar(true)),
  enc('CNT_asimdmisc', misc(0, '00101', 'size:2=00'), unaryVec({ fn: U.cnt, fn64: null, signed: false, sizes: 1 })),
  enc('NOT_asimdmisc', misc(1, '00101', 'size:2=00'), unaryVec({ fn: U.not, fn64: null, signed: false, sizes: 1 })),
  enc('RBIT_asimdmisc', misc(1, '00101', 'size:2=01'), unaryVec({ fn: U.rbit, fn64: null, signed: false, sizes: 0b0010, elemSize: 0 })),
  enc('REV64_asimdmisc', misc(0, '00000'), rev(64)),
  enc('REV32_asimdmisc', misc(1, '00000'), rev(32)),
  enc('REV16_asimdmisc', misc(0, '00001'), rev(16)),
  enc('SADDLP_asimdmisc', misc(0, '00010'), addlp(true, false)),
  enc('UADDLP_asimdmisc', misc(1, '00010'), addlp(false, false)),
  enc('SADALP_asimdmisc', misc(0, '00110'), addlp(true, true)),
  enc('UADALP_asimdmisc', misc(1, '00110'), addlp(false, true)),
  enc('XTN_asimdmisc', misc(0, '10010'), narrowVec(XTN)),
  enc('SQXTUN_asimdmisc', misc(1, '10010'), narrowVec(SQXTUN)),
  enc('SQXTN_asimdmisc', misc(0, '10100'), narrowVec(SQXTN)),
  enc('UQXTN_asimdmisc', misc(1, '10100'), narrowVec(UQXTN)),
  enc('SHLL_asimdmisc', misc(1, '10011'), shll),
  enc('SQXTUN_asisdmisc', miscS(1, '10010'), narrowScalar(SQXTUN)),
  enc('SQXTN_asisdmisc', miscS(0, '10100'), narrowScalar(SQXTN)),
  enc('UQXTN_asisdmisc', miscS(1, '10100'), narrowScalar(UQXTN)),

  // Across lanes.
  enc('SADDLV_asimdall', across(0, '00011'), acrossLanes(ADDLV, true)),
  enc('UADDLV_asimdall', across(1, '00011'), acrossLanes(ADDLV, false)),
  enc('SMAXV_asimdall', across(0, '01010'), acrossLanes(MAXV, true)),
  enc('UMAXV_asimdall', across(1, '01010'), acrossLanes(MAXV, false)),
  enc('SMINV_asimdall', across(0, '11010'), acrossLanes(MINV, true)),
  enc('UMINV_asimdall', across(1, '11010'), acrossLanes(MINV, false)),
  enc('ADDV_asimdall', across(0, '11011'), acrossLanes(ADDV, false)),

  // Three registers of different types.
  enc('SADDL_asimddiff', diff(0, '0000'), longVec(ADDL, true)),
  enc('UADDL_asimddiff', diff(1, '0000'), longVec(ADDL, false)),
  enc('SADDW_asimddiff', diff(0, '0001'), longVec(ADDW, true)),
  enc('UADDW_asimddiff', diff(1, '0001'), longVec(ADDW, false)),
  enc('SSUBL_asimddiff', diff(0, '0010'), longVec(SUBL, true)),
  enc('USUBL_asimddiff', diff(1, '0010'), longVec(SUBL, false)),
  enc('SSUBW_asimddiff', diff(0, '0011'), longVec(SUBW, true)),
  enc('USUBW_asimddiff', diff(1, '0011'), longVec(SUBW, false)),
  enc('ADDHN_asimddiff', diff(0, '0100'), addhn(false, false)),
  enc('RADDHN_asimddiff', diff(1, '0100'), addhn(false, true)),
  enc('SABAL_asimddiff', diff(0, '0101'), longVec(ABAL, true)),
  enc('UABAL_asimddiff', diff(1, '0101'), longVec(ABAL, false)),
  enc('SUBHN_asimddiff', diff(0, '0110'), addhn(true, false)),
  enc('RSUBHN_asimddiff', diff(1, '0110'), addhn(true, true)),
  enc('SABDL_asimddiff', diff(0, '0111'), longVec(ABDL, true)),
  enc('UABDL_asimddiff', diff(1, '0111'), longVec(ABDL, false)),
  enc('SMLAL_asimddiff', diff(0, '1000'), longVec(MLAL, true)),
  enc('UMLAL_asimddiff', diff(1, '1000'), longVec(MLAL, false)),
  enc('SMLSL_asimddiff', diff(0, '1010'), longVec(MLSL, true)),
  enc('UMLSL_asimddiff', diff(1, '1010'), longVec(MLSL, false)),
  enc('SMULL_asimddiff', diff(0, '1100'), longVec(MULL, true)),
  enc('UMULL_asimddiff', diff(1, '1100'), longVec(MULL, false)),
  enc('PMULL_asimddiff_L_8H', '0 Q:1 0 01110 00 1 Rm:5 1110 00 Rn:5 Rd:5', pmull8),
  enc('PMULL_asimddiff_L_1Q', '0 Q:1 0 01110 11 1 Rm:5 1110 00 Rn:5 Rd:5', pmull64, { feat: 'pmull' }),

  // Vector × indexed element (integer).
  enc('MUL_asimdelem', elem(0, '1000'), mulElemVec(0)),
  enc('MLA_asimdelem', elem(1, '0000'), mulElemVec(1)),
  enc('MLS_asimdelem', elem(1, '0100'), mulElemVec(-1)),
  enc('SMULL_asimdelem', elem(0, '1010'), longElemVec(MULL, true)),
  enc('UMULL_asimdelem', elem(1, '1010'), longElemVec(MULL, false)),
  enc('SMLAL_asimdelem', elem(0, '0010'), longElemVec(MLAL, true)),
  enc('UMLAL_asimdelem', elem(1, '0010'), longElemVec(MLAL, false)),
  enc('SMLSL_asimdelem', elem(0, '0110'), longElemVec(MLSL, true)),
  enc('UMLSL_asimdelem', elem(1, '0110'), longElemVec(MLSL, false)),
  enc('SQDMULH_asimdelem', elem(0, '1100'), qdmulhElem(false, false)),
  enc('SQRDMULH_asimdelem', elem(0, '1101'), qdmulhElem(true, false)),
  enc('SQDMULH_asisdelem', '01 0 11111 size:2 L:1 M:1 Rm:4 1100 H:1 0 Rn:5 Rd:5', qdmulhElem(false, true)),
  enc('SQRDMULH_asisdelem', '01 0 11111 size:2 L:1 M:1 Rm:4 1101 H:1 0 Rn:5 Rd:5', qdmulhElem(true, true)),

  // Shift by immediate (immh = 0000 is the modified-immediate group, which takes precedence).
  ...VECTOR_SHIFTS,
  ...SHIFTS.map(([name, u, op, s]) => enc(`${name}_asisdshf_R`, shiftS(u, op), shiftScalar(s))),
  ...NARROW_SHIFTS.filter((x) => x[5]).map(([name, u, op, k, r]) => enc(`${name}_asisdshf_N`, shiftS(u, op), narrowShiftScalar(k, r))),
  ...FIXED_CVT.map(([name, u, op, k]) => enc(`${name}_asisdshf_C`, shiftS(u, op), fixedCvtScalar(k, u === 1))),
  enc('MOVI_asimdimm', '0 Q:1 op:1 0111100000 abc:3 cmode:4 o2:1 1 defgh:5 Rd:5', modImm, { over: VECTOR_SHIFTS.map((e) => e.name) }),

  // Copy.
  enc('DUP_asimdins_DV_v', copy('Q:1', 0, '0000'), dupElem(false)),
  enc('DUP_asimdins_DR_r', copy('Q:1', 0, '0001'), dupGeneral),
  enc('INS_asimdins_IR_r', copy('1', 0, '0011'), insGeneral),
  enc('SMOV_asimdins_X_x', copy('Q:1', 0, '0101'), movToGeneral(true)),
  enc('UMOV_asimdins_X_x', copy('Q:1', 0, '0111'), movToGeneral(false)),
  enc('INS_asimdins_IV_v', copy('1', 1, 'imm4:4'), insElem),
  enc('DUP_asisdone_only', '01 0 11110000 imm5:5 0 0000 1 Rn:5 Rd:5', dupElem(true)),

  // Permute, extract, table lookup.
  enc('UZP1_asimdperm', '0 Q:1 001110 size:2 0 Rm:5 0 001 10 Rn:5 Rd:5', permuteVec(UZP1)),
  enc('TRN1_asimdperm', '0 Q:1 001110 size:2 0 Rm:5 0 010 10 Rn:5 Rd:5', permuteVec(TRN1)),
  enc('ZIP1_asimdperm', '0 Q:1 001110 size:2 0 Rm:5 0 011 10 Rn:5 Rd:5', permuteVec(ZIP1)),
  enc('UZP2_asimdperm', '0 Q:1 001110 size:2 0 Rm:5 0 101 10 Rn:5 Rd:5', permuteVec(UZP2)),
  enc('TRN2_asimdperm', '0 Q:1 001110 size:2 0 Rm:5 0 110 10 Rn:5 Rd:5', permuteVec(TRN2)),
  enc('ZIP2_asimdperm', '0 Q:1 001110 size:2 0 Rm:5 0 111 10 Rn:5 Rd:5', permuteVec(ZIP2)),
  enc('EXT_asimdext', '0 Q:1 101110 00 0 Rm:5 0 imm4:4 0 Rn:5 Rd:5', ext),
  enc('TBL_asimdtbl', '0 Q:1 001110 000 Rm:5 0 len:2 0 00 Rn:5 Rd:5', tbl(false)),
  enc('TBX_asimdtbl', '0 Q:1 001110 000 Rm:5 0 len:2 1 00 Rn:5 Rd:5', tbl(true)),

  // Floating point (single and double; FP16 forms are not implemented).
  ...FSAME.map(([name, u, a, op, s]) => enc(`${name}_asimdsame`, fsame(u, a, op), fpVec(s))),
  ...FSAME.filter((x) => x[5]).map(([name, u, a, op, s]) => enc(`${name}_asisdsame`, fsameS(u, a, op), fpScalar(s))),
  ...FPAIR.map(([name, a, op, , s]) => enc(`${name}_asimdsame`, fsame(1, a, op), fpPairVec(s))),
  ...FPAIR.map(([name, a, , op, s]) => enc(`${name}_asisdpair`, `01 1 11110 ${a} sz:1 11000 ${op} 10 Rn:5 Rd:5`, fpPairScalar(s))),
  ...FMISC.map(([name, u, a, op, s]) => enc(`${name}_asimdmisc`, fmisc(u, a, op), fpVec(s))),
  ...FMISC.filter((x) => x[5]).map(([name, u, a, op, s]) => enc(`${name}_asisdmisc`, fmiscS(u, a, op), fpScalar(s))),
  enc('FCVTN_asimdmisc', fmisc(0, 0, '10110'), fcvtn),
  enc('FCVTL_asimdmisc', fmisc(0, 0, '10111'), fcvtl),
  enc('FMAXNMV_asimdall', '0 Q:1 1 01110 0 sz:1 11000 01100 10 Rn:5 Rd:5', fpAcross(FB.fmaxnm)),
  enc('FMINNMV_asimdall', '0 Q:1 1 01110 1 sz:1 11000 01100 10 Rn:5 Rd:5', fpAcross(FB.fminnm)),
  enc('FMAXV_asimdall', '0 Q:1 1 01110 0 sz:1 11000 01111 10 Rn:5 Rd:5', fpAcross(FB.fmax)),
  enc('FMINV_asimdall', '0 Q:1 1 01110 1 sz:1 11000 01111 10 Rn:5 Rd:5', fpAcross(FB.fmin)),
  enc('FMLA_asimdelem', felem(0, '0001'), fpElemVec(FB.fmla)),
  enc('FMLS_asimdelem', felem(0, '0101'), fpElemVec(FB.fmls)),
  enc('FMUL_asimdelem', felem(0, '1001'), fpElemVec(FB.fmul)),
  enc('FMLA_asisdelem', felemS(0, '0001'), fpElemScalar(FB.fmla)),
  enc('FMLS_asisdelem', felemS(0, '0101'), fpElemScalar(FB.fmls)),
  enc('FMUL_asisdelem', felemS(0, '1001'), fpElemScalar(FB.fmul)),
  enc('FMULX_asimdelem', felem(1, '1001'), fpElemVec(FR.fmulx)),
  enc('FMULX_asisdelem', felemS(1, '1001'), fpElemScalar(FR.fmulx)),

  // Cryptographic AES (C4.1.95.1), three-register SHA (C4.1.95.2), two-register SHA (C4.1.95.3).
  enc('AESE_B_cryptoaes', '01001110 00 10100 0010 D:1=0 10 Rn:5 Rd:5', aesRound, { feat: 'aes' }),
  enc('AESD_B_cryptoaes', '01001110 00 10100 0010 D:1=1 10 Rn:5 Rd:5', aesRound, { feat: 'aes' }),
  enc('AESMC_B_cryptoaes', '01001110 00 10100 0011 D:1=0 10 Rn:5 Rd:5', aesMix, { feat: 'aes' }),
  enc('AESIMC_B_cryptoaes', '01001110 00 10100 0011 D:1=1 10 Rn:5 Rd:5', aesMix, { feat: 'aes' }),
  enc('SHA1C_QSV_cryptosha3', sha3(0b000), sha1Hash(SHA1C), { feat: 'sha1' }),
  enc('SHA1P_QSV_cryptosha3', sha3(0b001), sha1Hash(SHA1P), { feat: 'sha1' }),
  enc('SHA1M_QSV_cryptosha3', sha3(0b010), sha1Hash(SHA1M), { feat: 'sha1' }),
  enc('SHA1SU0_VVV_cryptosha3', sha3(0b011), sha1su0, { feat: 'sha1' }),
  enc('SHA256H_QQV_cryptosha3', sha3(0b100), sha256h(true), { feat: 'sha2' }),
  enc('SHA256H2_QQV_cryptosha3', sha3(0b101), sha256h(false), { feat: 'sha2' }),
  enc('SHA256SU1_VVV_cryptosha3', sha3(0b110), sha256su1, { feat: 'sha2' }),
  enc('SHA1H_SS_cryptosha2', sha2('00000'), sha1h, { feat: 'sha1' }),
  enc('SHA1SU1_VV_cryptosha2', sha2('00001'), sha1su1, { feat: 'sha1' }),
  enc('SHA256SU0_VV_cryptosha2', sha2('00010'), sha256su0, { feat: 'sha2' }),
];
