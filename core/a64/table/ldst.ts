/**
 * Loads and stores (Arm ARM C4.1.88 "Loads and Stores"): one line per encoding
 * class; emitters decode the fields once and pick a specialised op from exec/.
 *
 * Not implemented (UNDEFINED here): LDLAR/STLLR (FEAT_LOR),
 * LDAPUR/STLUR (FEAT_LRCPC2), memory tagging (STG, STGP, LDG …), LDRAA/LDRAB
 * (FEAT_PAuth), memory copy/set (FEAT_MOPS), LD64B/ST64B.
 */
import { enc, rz, sext, wz, type DecodeCtx, type Encoding, type Fields } from '../decoder.js';
import type { Op } from '../cpu.js';
import {
  immOp,
  litOp,
  nopOp,
  pairOp,
  regOp,
  unprivOp,
  LDRB,
  LDRH,
  LDRSBW,
  LDRSBX,
  LDRSHW,
  LDRSHX,
  LDRSWX,
  LDRV,
  LDRW,
  LDRX,
  MODE_OFFSET,
  MODE_POST,
  MODE_PRE,
  PAIR_D,
  PAIR_Q,
  PAIR_S,
  PAIR_SW,
  PAIR_W,
  PAIR_X,
  STRB,
  STRV,
} from '../exec/ldst.js';
import { atomicOp, casOp, caspOp, ldarOp, ldxpOp, ldxrOp, stlrOp, stxpOp, stxrOp, AOP_SWP } from '../exec/ldstx.js';
import { multiOp, singleOp } from '../exec/ldstsimd.js';

const PRFM = -1;
const UNALLOCATED = -2;

/** The access kind of the single-register forms for (size, V, opc); PRFM or UNALLOCATED. */
function regKind(size: number, v: number, opc: number): number {
  if (v) {
    const scale = ((opc & 2) << 1) | size; // opc<1>:size; 4 = Q
    if (scale > 4) return UNALLOCATED;
    return ((opc & 1) !== 0 ? LDRV : STRV) + scale;
  }
  switch (opc) {
    case 0:
      return STRB + size;
    case 1:
      return LDRB + size; // LDRB, LDRH, LDRW, LDRX
    case 2:
      return size === 3 ? PRFM : [LDRSBX, LDRSHX, LDRSWX][size];
    default:
      return size <= 1 ? [LDRSBW, LDRSHW][size] : UNALLOCATED;
  }
}

/** log2 of the bytes accessed by the single-register forms. */
function regScale(size: number, v: number, opc: number): number {
  return v ? ((opc & 2) << 1) | size : size;
}

/** Transfer register operand: 2*Xt (XZR for reads, the sink for writes) or Vt. */
function regT(kind: number, rt: number): number {
  if (kind >= LDRV) return rt;
  return kind < STRB ? 2 * wz(rt) : 2 * rz(rt);
}

/** PC + offset as a (lo, hi) pair. */
function pcRel(ctx: DecodeCtx, offset: number): [number, number] {
  const s = (ctx.pcLo >>> 0) + offset;
  const hi = s > 0xffffffff ? (ctx.pcHi + 1) | 0 : s < 0 ? (ctx.pcHi - 1) | 0 : ctx.pcHi;
  return [s | 0, hi];
}

/** LDR (literal), LDRSW (literal), PRFM (literal), LDR (literal, SIMD&FP). */
function ldrLiteral(f: Fields, ctx: DecodeCtx): Op | null {
  const [alo, ahi] = pcRel(ctx, sext(f.imm19, 19) * 4);
  let kind: number;
  if (f.V) {
    if (f.opc === 3) return null;
    kind = LDRV + 2 + f.opc;
  } else {
    if (f.opc === 3) return nopOp();
    kind = [LDRW, LDRX, LDRSWX][f.opc];
  }
  return litOp(kind, regT(kind, f.Rt), alo, ahi, ctx.pcLo, ctx.pcHi);
}

/** LDR/STR …, [Xn|SP, #pimm] (unsigned offset, scaled). */
function ldstUimm(f: Fields, ctx: DecodeCtx): Op | null {
  const kind = regKind(f.size, f.V, f.opc);
  if (kind === UNALLOCATED) return null;
  if (kind === PRFM) return nopOp();
  const off = f.imm12 << regScale(f.size, f.V, f.opc);
  return immOp(kind, regT(kind, f.Rt), f.Rn, off, MODE_OFFSET, ctx.pcLo, ctx.pcHi);
}

/** LDUR/STUR (idx 00), post-indexed (01), LDTR/STTR (10), pre-indexed (11), PRFUM. */
function ldstImm9(f: Fields, ctx: DecodeCtx): Op | null {
  const kind = regKind(f.size, f.V, f.opc);
  if (kind === UNALLOCATED) return null;
  const off = sext(f.imm9, 9);
  if (kind === PRFM) return f.idx === 0 ? nopOp() : null;
  if (f.idx === 2) {
    if (f.V) return null; // no unprivileged SIMD&FP forms
    return unprivOp(kind, regT(kind, f.Rt), f.Rn, off, ctx.pcLo, ctx.pcHi);
  }
  const mode = f.idx === 0 ? MODE_OFFSET : f.idx === 1 ? MODE_POST : MODE_PRE;
  return immOp(kind, regT(kind, f.Rt), f.Rn, off, mode, ctx.pcLo, ctx.pcHi);
}

/** LDR/STR …, [Xn|SP, (Wm|Xm){, extend {#amount}}]; option<1> = 0 is unallocated. */
function ldstRegOff(f: Fields, ctx: DecodeCtx): Op | null {
  if ((f.option & 2) === 0) return null;
  const kind = regKind(f.size, f.V, f.opc);
  if (kind === UNALLOCATED) return null;
  if (kind === PRFM) return nopOp();
  const shift = f.S ? regScale(f.size, f.V, f.opc) : 0;
  return regOp(kind, regT(kind, f.Rt), f.Rn, 2 * rz(f.Rm), f.option, shift, ctx.pcLo, ctx.pcHi);
}

/** LDP/STP/LDNP/STNP/LDPSW and the SIMD&FP pairs; idx: 00 no-allocate, 01 post, 10 offset, 11 pre. */
function ldstPair(f: Fields, ctx: DecodeCtx): Op | null {
  const isLoad = f.L === 1;
  let kind: number;
  if (f.V) {
    if (f.opc === 3) return null;
    kind = [PAIR_S, PAIR_D, PAIR_Q][f.opc];
  } else if (f.opc === 0) kind = PAIR_W;
  else if (f.opc === 2) kind = PAIR_X;
  else if (f.opc === 1 && isLoad && f.idx !== 0) kind = PAIR_SW;
  else return null; // STGP (FEAT_MTE), LDNP with opc 01, opc 11
  const scale = [2, 3, 2, 2, 3, 4][kind];
  const off = sext(f.imm7, 7) * (1 << scale);
  const mode = f.idx === 1 ? MODE_POST : f.idx === 3 ? MODE_PRE : MODE_OFFSET;
  let t: number;
  let t2: number;
  if (f.V) {
    t = f.Rt;
    t2 = f.Rt2;
  } else if (isLoad) {
    t = 2 * wz(f.Rt);
    t2 = 2 * wz(f.Rt2);
  } else {
    t = 2 * rz(f.Rt);
    t2 = 2 * rz(f.Rt2);
  }
  return pairOp(kind, isLoad, t, t2, f.Rn, off, mode, ctx.pcLo, ctx.pcHi);
}

/** LDXR/LDAXR/STXR/STLXR (B/H/W/X). Rt2 (and Rs for loads) should be 11111; like QEMU we ignore them. */
function ldstExcl(f: Fields, ctx: DecodeCtx): Op | null {
  const size = 1 << f.size;
  if (f.L) return ldxrOp(size, 2 * wz(f.Rt), f.Rn, ctx.pcLo, ctx.pcHi);
  return stxrOp(size, 2 * wz(f.Rs), 2 * rz(f.Rt), f.Rn, ctx.pcLo, ctx.pcHi);
}

/** LDXP/LDAXP/STXP/STLXP (W or X pairs). */
function ldstExclPair(f: Fields, ctx: DecodeCtx): Op | null {
  const esize = f.sz ? 8 : 4;
  if (f.L) return ldxpOp(esize, 2 * wz(f.Rt), 2 * wz(f.Rt2), f.Rn, ctx.pcLo, ctx.pcHi);
  return stxpOp(esize, 2 * wz(f.Rs), 2 * rz(f.Rt), 2 * rz(f.Rt2), f.Rn, ctx.pcLo, ctx.pcHi);
}

/** LDAR/STLR (o0 = 1); o0 = 0 is LDLAR/STLLR (FEAT_LOR, not implemented). */
function ldstOrdered(f: Fields, ctx: DecodeCtx): Op | null {
  if (f.o0 === 0) return null;
  const size = 1 << f.size;
  if (f.L) return ldarOp(size, 2 * wz(f.Rt), f.Rn, ctx.pcLo, ctx.pcHi);
  return stlrOp(size, 2 * rz(f.Rt), f.Rn, ctx.pcLo, ctx.pcHi);
}

/** CAS, CASA, CASL, CASAL (B/H/W/X). */
function cas(f: Fields, ctx: DecodeCtx): Op | null {
  return casOp(1 << f.size, 2 * rz(f.Rs), 2 * wz(f.Rs), 2 * rz(f.Rt), f.Rn, ctx.pcLo, ctx.pcHi);
}

/** CASP, CASPA, CASPL, CASPAL (W/X pairs): Rs and Rt must be even. */
function casp(f: Fields, ctx: DecodeCtx): Op | null {
  if ((f.Rs & 1) !== 0 || (f.Rt & 1) !== 0) return null;
  return caspOp(f.sz ? 8 : 4, 2 * f.Rs, 2 * f.Rt, f.Rn, ctx.pcLo, ctx.pcHi);
}

/** LDAPR/LDAPRB/LDAPRH (FEAT_LRCPC): acquire RCpc. Our loads are sequentially consistent, so LDAR's op serves. */
function ldapr(f: Fields, ctx: DecodeCtx): Op | null {
  return ldarOp(1 << f.size, 2 * wz(f.Rt), f.Rn, ctx.pcLo, ctx.pcHi);
}

/** LDADD … LDUMIN (o3 = 0, opc = op) and SWP (o3 = 1, opc = 000), all A/R variants. */
function atomic(f: Fields, ctx: DecodeCtx): Op | null {
  let op: number;
  if (f.o3 === 0) op = f.opc;
  else if (f.opc === 0) op = AOP_SWP;
  else return null; // LDAPR* (FEAT_LRCPC) and unallocated
  return atomicOp(1 << f.size, op, 2 * rz(f.Rs), 2 * wz(f.Rt), f.Rn, ctx.pcLo, ctx.pcHi);
}

/** (rpt, selem) per opcode of the multiple-structure forms. */
const MULTI: Record<number, [number, number]> = {
  0b0000: [1, 4], // LD4/ST4
  0b0010: [4, 1], // LD1/ST1, 4 registers
  0b0100: [1, 3], // LD3/ST3
  0b0110: [3, 1], // LD1/ST1, 3 registers
  0b0111: [1, 1], // LD1/ST1, 1 register
  0b1000: [1, 2], // LD2/ST2
  0b1010: [2, 1], // LD1/ST1, 2 registers
};

function simdMulti(f: Fields, ctx: DecodeCtx, post: boolean): Op | null {
  const rs = MULTI[f.opcode];
  if (rs === undefined) return null;
  const [rpt, selem] = rs;
  if (f.size === 3 && f.Q === 0 && selem !== 1) return null; // reserved: .1D with LD2–LD4
  const m2 = post && f.Rm !== 31 ? 2 * f.Rm : -1;
  return multiOp(f.L === 1, f.Q, f.size, rpt, selem, f.Rt, f.Rn, post, m2, ctx.pcLo, ctx.pcHi);
}

function simdSingle(f: Fields, ctx: DecodeCtx, post: boolean): Op | null {
  const isLoad = f.L === 1;
  let scale = f.opcode >> 1;
  const selem = (((f.opcode & 1) << 1) | f.R) + 1;
  let index = (f.Q << 3) | (f.S << 2) | f.size;
  let replicate = false;
  switch (scale) {
    case 3:
      if (!isLoad || f.S) return null;
      scale = f.size;
      replicate = true;
      break;
    case 0:
      break;
    case 1:
      if (f.size & 1) return null;
      index >>= 1;
      break;
    default:
      if (f.size & 2) return null;
      if ((f.size & 1) === 0) index >>= 2;
      else {
        if (f.S) return null;
        index >>= 3;
        scale = 3;
      }
  }
  const m2 = post && f.Rm !== 31 ? 2 * f.Rm : -1;
  return singleOp(isLoad, replicate, f.Q, scale, selem, index, f.Rt, f.Rn, post, m2, ctx.pcLo, ctx.pcHi);
}

export const TABLE: Encoding[] = [
  // Advanced SIMD load/store multiple structures (+ post-indexed) and single structure (+ post-indexed).
  enc('LDST_simd_multi', '0 Q:1 0011000 L:1 000000 opcode:4 size:2 Rn:5 Rt:5', (f, ctx) => simdMulti(f, ctx, false)),
  enc('LDST_simd_multi_post', '0 Q:1 0011001 L:1 0 Rm:5 opcode:4 size:2 Rn:5 Rt:5', (f, ctx) => simdMulti(f, ctx, true)),
  enc('LDST_simd_single', '0 Q:1 0011010 L:1 R:1 00000 opcode:3 S:1 size:2 Rn:5 Rt:5', (f, ctx) => simdSingle(f, ctx, false)),
  enc('LDST_simd_single_post', '0 Q:1 0011011 L:1 R:1 Rm:5 opcode:3 S:1 size:2 Rn:5 Rt:5', (f, ctx) => simdSingle(f, ctx, true)),
  // Load/store exclusive register / pair, ordered, compare and swap.
  enc('LDST_excl', 'size:2 001000 0 L:1 0 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5', ldstExcl),
  enc('LDST_excl_pair', '1 sz:1 001000 0 L:1 1 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5', ldstExclPair),
  enc('CASP', '0 sz:1 001000 0 L:1 1 Rs:5 o0:1 11111 Rn:5 Rt:5', casp, { feat: 'lse' }),
  enc('LDST_ordered', 'size:2 001000 1 L:1 0 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5', ldstOrdered),
  enc('CAS', 'size:2 001000 1 L:1 1 Rs:5 o0:1 11111 Rn:5 Rt:5', cas, { feat: 'lse' }),
  // Load register (literal).
  enc('LDR_literal', 'opc:2 011 V:1 00 imm19:19 Rt:5', ldrLiteral),
  // Load/store register pair: no-allocate offset, post-indexed, offset, pre-indexed.
  enc('LDST_pair', 'opc:2 101 V:1 0 idx:2 L:1 imm7:7 Rt2:5 Rn:5 Rt:5', ldstPair),
  // Load/store register: unscaled, post-indexed, unprivileged, pre-indexed (imm9).
  enc('LDST_imm9', 'size:2 111 V:1 00 opc:2 0 imm9:9 idx:2 Rn:5 Rt:5', ldstImm9),
  // Atomic memory operations (FEAT_LSE).
  enc('LDST_atomic', 'size:2 111 0 00 A:1 R:1 1 Rs:5 o3:1 opc:3 00 Rn:5 Rt:5', atomic, { feat: 'lse' }),
  enc('LDAPR', 'size:2 111 0 00 1 0 1 11111 1 100 00 Rn:5 Rt:5', ldapr, { feat: 'rcpc', over: ['LDST_atomic'] }),
  // Load/store register (register offset).
  enc('LDST_regoff', 'size:2 111 V:1 00 opc:2 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5', ldstRegOff),
  // Load/store register (unsigned immediate).
  enc('LDST_uimm', 'size:2 111 V:1 01 opc:2 imm12:12 Rn:5 Rt:5', ldstUimm),
];
