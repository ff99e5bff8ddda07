/**
 * Logical (immediate), logical (shifted register), move wide, PC-relative
 * addressing (Arm ARM C4.1.86, C4.1.88).
 */
import { rz, wz, sext, type DecodeCtx, type Fields } from '../decoder.js';
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { logicFlags32, logicFlags64, shiftReg32, shiftReg64 } from './alu.js';
import { decodeBitMasks } from './int-bitmask.js';

const OPC_AND = 0;
const OPC_ORR = 1;
const OPC_EOR = 2;

/** Rd = constant (MOV aliases, ADR/ADRP, MOVZ/MOVN). */
export function constOp(d2: number, lo: number, hi: number): Op {
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = lo;
    x[d2 + 1] = hi;
    return NEXT;
  };
}

/** AND/ORR/EOR/ANDS (immediate): Rd is SP except for ANDS; the mask from DecodeBitMasks. */
export function logicalImm(f: Fields): Op | null {
  if (f.sf === 0 && f.N === 1) return null;
  const m = decodeBitMasks(f.N, f.imms, f.immr, true);
  if (m === null) return null;
  const opc = f.opc;
  const setFlags = opc === 3;
  const n2 = 2 * rz(f.Rn);
  const d2 = 2 * (setFlags ? wz(f.Rd) : f.Rd);
  const ilo = m.wlo;
  const ihi = f.sf ? m.whi : 0;
  if (f.Rn === 31 && opc === OPC_ORR) return constOp(d2, ilo, ihi); // MOV (bitmask immediate)
  if (opc === OPC_AND) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2 + 1] = x[n2 + 1] & ihi;
      x[d2] = x[n2] & ilo;
      return NEXT;
    };
  }
  const keep = f.sf ? -1 : 0;
  if (opc === OPC_ORR) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2 + 1] = (x[n2 + 1] | ihi) & keep;
      x[d2] = x[n2] | ilo;
      return NEXT;
    };
  }
  if (opc === OPC_EOR) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2 + 1] = (x[n2 + 1] ^ ihi) & keep;
      x[d2] = x[n2] ^ ilo;
      return NEXT;
    };
  }
  if (f.sf) {
    return (c: Cpu) => {
      const x = c.x;
      const lo = x[n2] & ilo;
      const hi = x[n2 + 1] & ihi;
      x[d2] = lo;
      x[d2 + 1] = hi;
      c.nzcv = logicFlags64(lo, hi);
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    const r = x[n2] & ilo;
    x[d2] = r;
    x[d2 + 1] = 0;
    c.nzcv = logicFlags32(r);
    return NEXT;
  };
}

/**
 * AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register): N inverts the shifted
 * operand; all four shifts are allowed; sf = 0 needs imm6 < 32.
 */
export function logicalShifted(f: Fields): Op | null {
  if (f.sf === 0 && f.imm6 >= 32) return null;
  const opc = f.opc;
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  const type = f.shift;
  const amt = f.imm6;
  const inv = f.N ? -1 : 0;
  if (f.sf) {
    if (amt === 0) {
      if (opc === OPC_ORR && f.Rn === 31 && inv === 0) {
        // MOV (register)
        return (c: Cpu) => {
          const x = c.x;
          x[d2] = x[m2];
          x[d2 + 1] = x[m2 + 1];
          return NEXT;
        };
      }
      return logical64(opc, n2, m2, d2, inv);
    }
    return logical64Shifted(opc, n2, m2, d2, inv, type, amt);
  }
  if (amt === 0) {
    if (opc === OPC_ORR && f.Rn === 31 && inv === 0) {
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = x[m2];
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    switch (opc) {
      case OPC_AND:
        return (c: Cpu) => {
          const x = c.x;
          x[d2] = x[n2] & (x[m2] ^ inv);
          x[d2 + 1] = 0;
          return NEXT;
        };
      case OPC_ORR:
        return (c: Cpu) => {
          const x = c.x;
          x[d2] = x[n2] | (x[m2] ^ inv);
          x[d2 + 1] = 0;
          return NEXT;
        };
      case OPC_EOR:
        return (c: Cpu) => {
          const x = c.x;
          x[d2] = x[n2] ^ x[m2] ^ inv;
          x[d2 + 1] = 0;
          return NEXT;
        };
      default:
        return (c: Cpu) => {
          const x = c.x;
          const r = x[n2] & (x[m2] ^ inv);
          x[d2] = r;
          x[d2 + 1] = 0;
          c.nzcv = logicFlags32(r);
          return NEXT;
        };
    }
  }
  switch (opc) {
    case OPC_AND:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = x[n2] & (shiftReg32(x[m2], type, amt) ^ inv);
        x[d2 + 1] = 0;
        return NEXT;
      };
    case OPC_ORR:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = x[n2] | (shiftReg32(x[m2], type, amt) ^ inv);
        x[d2 + 1] = 0;
        return NEXT;
      };
    case OPC_EOR:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = x[n2] ^ shiftReg32(x[m2], type, amt) ^ inv;
        x[d2 + 1] = 0;
        return NEXT;
      };
    default:
      return (c: Cpu) => {
        const x = c.x;
        const r = x[n2] & (shiftReg32(x[m2], type, amt) ^ inv);
        x[d2] = r;
        x[d2 + 1] = 0;
        c.nzcv = logicFlags32(r);
        return NEXT;
      };
  }
}

/** 64-bit AND/ORR/EOR/ANDS of Rn and (Rm XOR inv). */
function logical64(opc: number, n2: number, m2: number, d2: number, inv: number): Op {
  switch (opc) {
    case OPC_AND:
      return (c: Cpu) => {
        const x = c.x;
        x[d2 + 1] = x[n2 + 1] & (x[m2 + 1] ^ inv);
        x[d2] = x[n2] & (x[m2] ^ inv);
        return NEXT;
      };
    case OPC_ORR:
      return (c: Cpu) => {
        const x = c.x;
        x[d2 + 1] = x[n2 + 1] | (x[m2 + 1] ^ inv);
        x[d2] = x[n2] | (x[m2] ^ inv);
        return NEXT;
      };
    case OPC_EOR:
      return (c: Cpu) => {
        const x = c.x;
        x[d2 + 1] = x[n2 + 1] ^ x[m2 + 1] ^ inv;
        x[d2] = x[n2] ^ x[m2] ^ inv;
        return NEXT;
      };
    default:
      return (c: Cpu) => {
        const x = c.x;
        const hi = x[n2 + 1] & (x[m2 + 1] ^ inv);
        const lo = x[n2] & (x[m2] ^ inv);
        x[d2] = lo;
        x[d2 + 1] = hi;
        c.nzcv = logicFlags64(lo, hi);
        return NEXT;
      };
  }
}

/** 64-bit AND/ORR/EOR/ANDS of Rn and (ShiftReg(Rm) XOR inv). */
function logical64Shifted(opc: number, n2: number, m2: number, d2: number, inv: number, type: number, amt: number): Op {
  switch (opc) {
    case OPC_AND:
      return (c: Cpu) => {
        const x = c.x;
        const lo = shiftReg64(c, x[m2], x[m2 + 1], type, amt) ^ inv;
        x[d2 + 1] = x[n2 + 1] & (c.hi ^ inv);
        x[d2] = x[n2] & lo;
        return NEXT;
      };
    case OPC_ORR:
      return (c: Cpu) => {
        const x = c.x;
        const lo = shiftReg64(c, x[m2], x[m2 + 1], type, amt) ^ inv;
        x[d2 + 1] = x[n2 + 1] | (c.hi ^ inv);
        x[d2] = x[n2] | lo;
        return NEXT;
      };
    case OPC_EOR:
      return (c: Cpu) => {
        const x = c.x;
        const lo = shiftReg64(c, x[m2], x[m2 + 1], type, amt) ^ inv;
        x[d2 + 1] = x[n2 + 1] ^ c.hi ^ inv;
        x[d2] = x[n2] ^ lo;
        return NEXT;
      };
    default:
      return (c: Cpu) => {
        const x = c.x;
        const olo = shiftReg64(c, x[m2], x[m2 + 1], type, amt) ^ inv;
        const hi = x[n2 + 1] & (c.hi ^ inv);
        const lo = x[n2] & olo;
        x[d2] = lo;
        x[d2 + 1] = hi;
        c.nzcv = logicFlags64(lo, hi);
        return NEXT;
      };
  }
}

/** MOVN/MOVZ/MOVK: opc 00/10/11 (01 is unallocated); sf = 0 allows hw 0 and 1 only. */
export function moveWide(f: Fields): Op | null {
  const opc = f.opc;
  const hw = f.hw;
  if (opc === 1 || (f.sf === 0 && hw >= 2)) return null;
  const d2 = 2 * wz(f.Rd);
  const pos = (hw & 1) * 16;
  const v = f.imm16 << pos;
  const inHi = hw >= 2;
  if (opc !== 3) {
    let lo = inHi ? 0 : v;
    let hi = inHi ? v : 0;
    if (opc === 0) {
      lo = ~lo;
      hi = f.sf ? ~hi : 0;
    }
    return constOp(d2, lo, hi);
  }
  const keep = ~(0xffff << pos);
  if (inHi) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2 + 1] = (x[d2 + 1] & keep) | v;
      return NEXT;
    };
  }
  if (f.sf) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = (x[d2] & keep) | v;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = (x[d2] & keep) | v;
    x[d2 + 1] = 0;
    return NEXT;
  };
}

/** ADR/ADRP: Rd = PC + imm (ADR) or PC[63:12]:0 + imm << 12 (ADRP), computed at decode time. */
export function pcRelAddr(f: Fields, ctx: DecodeCtx): Op {
  const imm = sext((f.immhi << 2) | f.immlo, 21);
  const d2 = 2 * wz(f.Rd);
  const base = f.op === 1 ? (ctx.pcLo & ~0xfff) >>> 0 : ctx.pcLo >>> 0;
  const off = f.op === 1 ? imm * 4096 : imm;
  const lo = base + off; // exact: |off| < 2^32
  const carry = Math.floor(lo / 4294967296);
  return constOp(d2, lo | 0, (ctx.pcHi + carry) | 0);
}
