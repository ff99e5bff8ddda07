/**
 * Branches (Arm ARM C4.1.65): B.cond, CBZ/CBNZ, TBZ/TBNZ, B/BL, BR/BLR/RET.
 *
 * Targets of immediate branches are computed at decode time (pcRel). A taken
 * branch sets c.pcLo/pcHi and returns JUMP; a branch not taken returns NEXT.
 */
import { rz, sext, type DecodeCtx, type Fields } from '../decoder.js';
import { JUMP, NEXT, type Cpu, type Op } from '../cpu.js';
import { R } from '../sysregs.js';
import { COND_ALWAYS, COND_TABLE } from './int-cond.js';

const TWO32 = 4294967296;

/** PC + offset as a (lo, hi) pair, computed at decode time; |offset| < 2^33 (ADRP reaches ±4 GiB). */
export function pcRel(ctx: DecodeCtx, offset: number): [number, number] {
  const lo = (ctx.pcLo >>> 0) + offset;
  const carry = Math.floor(lo / TWO32); // -2, -1, 0, 1 or 2: a borrow from or carry into the high word
  return [lo | 0, (ctx.pcHi + carry) | 0];
}

function jumpTo(tlo: number, thi: number): Op {
  return (c: Cpu) => {
    c.pcLo = tlo;
    c.pcHi = thi;
    return JUMP;
  };
}

/** B, BL: imm26 words from PC; BL writes the return address to X30. */
export function branchImm(f: Fields, ctx: DecodeCtx): Op {
  const [tlo, thi] = pcRel(ctx, sext(f.imm26, 26) * 4);
  if (f.op === 0) return jumpTo(tlo, thi);
  const [rlo, rhi] = pcRel(ctx, 4);
  return (c: Cpu) => {
    c.x[60] = rlo;
    c.x[61] = rhi;
    c.pcLo = tlo;
    c.pcHi = thi;
    return JUMP;
  };
}

/** B.cond: taken when COND_TABLE[cond] has bit NZCV set. */
export function branchCond(f: Fields, ctx: DecodeCtx): Op {
  const [tlo, thi] = pcRel(ctx, sext(f.imm19, 19) * 4);
  const mask = COND_TABLE[f.cond];
  if (mask === COND_ALWAYS) return jumpTo(tlo, thi);
  return (c: Cpu) => {
    if (((mask >> c.nzcv) & 1) === 0) return NEXT;
    c.pcLo = tlo;
    c.pcHi = thi;
    return JUMP;
  };
}

/** CBZ/CBNZ (op = 1: branch if non-zero); sf = 0 tests the W register only. */
export function compareBranch(f: Fields, ctx: DecodeCtx): Op {
  const [tlo, thi] = pcRel(ctx, sext(f.imm19, 19) * 4);
  const t2 = 2 * rz(f.Rt);
  const nonZero = f.op === 1;
  if (f.sf === 0) {
    if (nonZero) {
      return (c: Cpu) => {
        if (c.x[t2] === 0) return NEXT;
        c.pcLo = tlo;
        c.pcHi = thi;
        return JUMP;
      };
    }
    return (c: Cpu) => {
      if (c.x[t2] !== 0) return NEXT;
      c.pcLo = tlo;
      c.pcHi = thi;
      return JUMP;
    };
  }
  if (nonZero) {
    return (c: Cpu) => {
      const x = c.x;
      if ((x[t2] | x[t2 + 1]) === 0) return NEXT;
      c.pcLo = tlo;
      c.pcHi = thi;
      return JUMP;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    if ((x[t2] | x[t2 + 1]) !== 0) return NEXT;
    c.pcLo = tlo;
    c.pcHi = thi;
    return JUMP;
  };
}

/** TBZ/TBNZ (op = 1: branch if the bit is one): bit b5:b40 of Xt. */
export function testBranch(f: Fields, ctx: DecodeCtx): Op {
  const [tlo, thi] = pcRel(ctx, sext(f.imm14, 14) * 4);
  const bit = (f.b5 << 5) | f.b40;
  const w = 2 * rz(f.Rt) + (bit >> 5);
  const m = 1 << (bit & 31);
  const want = f.op === 1 ? m : 0;
  return (c: Cpu) => {
    if ((c.x[w] & m) !== want) return NEXT;
    c.pcLo = tlo;
    c.pcHi = thi;
    return JUMP;
  };
}

/** BR, BLR, RET (kind 0, 1, 2): to Xn (XZR for Rn = 31); BLR writes X30 after reading Xn. */
export function branchReg(kind: number): (f: Fields, ctx: DecodeCtx) => Op {
  return (f, ctx) => {
    const n2 = 2 * rz(f.Rn);
    if (kind !== 1) {
      return (c: Cpu) => {
        const lo = c.x[n2];
        const hi = c.x[n2 + 1];
        // Bits 63:55 all zero, or all one below EL2: AArch64.BranchAddr leaves the address unchanged.
        const top = hi >> 23;
        if (top === 0 || (top === -1 && c.el < 2)) {
          c.pcLo = lo;
          c.pcHi = hi;
          return JUMP;
        }
        return branchAddr(c, lo, hi);
      };
    }
    const [rlo, rhi] = pcRel(ctx, 4);
    return (c: Cpu) => {
      const x = c.x;
      const lo = x[n2];
      const hi = x[n2 + 1];
      x[60] = rlo;
      x[61] = rhi;
      const top = hi >> 23;
      if (top === 0 || (top === -1 && c.el < 2)) {
        c.pcLo = lo;
        c.pcHi = hi;
        return JUMP;
      }
      return branchAddr(c, lo, hi);
    };
  };
}

/**
 * AArch64.BranchAddr: with top-byte-ignore (AddrTop = 55) the PC gets bits 55:0
 * of the target, sign-extended at EL0/EL1 and in the EL2&0 host regime,
 * zero-extended otherwise. Sets the PC and returns JUMP.
 */
export function branchAddr(c: Cpu, lo: number, hi: number): number {
  const el = c.el;
  const s = c.sys;
  const bit55 = (hi >>> 23) & 1;
  const hcrHi = s.hi(R.HCR_EL2);
  const e2h = c.hasEl2 && c.model.features.vhe && (hcrHi & (1 << 2)) !== 0; // HCR_EL2.E2H, bit 34
  const tge = (s.lo(R.HCR_EL2) & (1 << 27)) !== 0;
  const inHost = e2h && (el === 2 || (el === 0 && tge));
  let tbi: number;
  if (el === 3) tbi = (s.lo(R.TCR_EL3) >>> 20) & 1;
  else if (el === 2 || inHost) {
    // TCR_EL2 in the EL2&0 regime has TBI0/TBI1 at bits 37/38, otherwise TBI at bit 20.
    tbi = inHost ? (s.hi(R.TCR_EL2) >>> (bit55 ? 6 : 5)) & 1 : (s.lo(R.TCR_EL2) >>> 20) & 1;
  } else {
    tbi = (s.hi(R.TCR_EL1) >>> (bit55 ? 6 : 5)) & 1; // TBI1 (bit 38) / TBI0 (bit 37)
  }
  c.pcLo = lo;
  if (tbi === 0) c.pcHi = hi;
  else if ((el <= 1 || inHost) && bit55 === 1) c.pcHi = hi | 0xff000000;
  else c.pcHi = hi & 0x00ffffff;
  return JUMP;
}
