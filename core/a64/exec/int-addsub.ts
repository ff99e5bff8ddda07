/**
 * Add/subtract: immediate, shifted register, extended register, with carry
 * (Arm ARM C4.1.86 "Add/subtract (immediate)", C4.1.88 "Add/subtract (shifted
 * register)", "(extended register)", "(with carry)").
 *
 * Emitters specialise on the datasize, on flag setting and on a zero shift, so
 * the common forms (ADD/SUB/CMP of registers) run without helper branches.
 */
import { rz, wz, type Fields } from '../decoder.js';
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { addWithCarry32, addWithCarry64, shiftReg32, shiftReg64, SHIFT_LSL, SHIFT_ROR } from './alu.js';

/** ADD/ADDS/SUB/SUBS (immediate): op selects SUB, S sets flags; Rn is SP, Rd is SP unless S. */
export function addSubImm(f: Fields): Op {
  const imm = f.sh ? f.imm12 << 12 : f.imm12;
  const sub = f.op === 1;
  const setFlags = f.S === 1;
  const n2 = 2 * f.Rn;
  const d2 = 2 * (setFlags ? wz(f.Rd) : f.Rd);
  if (f.sf) {
    if (!setFlags) {
      // Plain 64-bit add of a small constant (negated for SUB): one carry across words.
      const k = sub ? -imm : imm;
      return (c: Cpu) => {
        const x = c.x;
        const hi = x[n2 + 1];
        const s = (x[n2] >>> 0) + k;
        x[d2] = s | 0;
        x[d2 + 1] = s > 0xffffffff ? (hi + 1) | 0 : s < 0 ? (hi - 1) | 0 : hi;
        return NEXT;
      };
    }
    if (sub) {
      // SUBS/CMP: imm < 2^24, so the subtrahend's high word is 0 and C is "no borrow out of bit 63".
      return (c: Cpu) => {
        const x = c.x;
        const nhi = x[n2 + 1];
        const lo = (x[n2] >>> 0) - imm;
        const hiU = (nhi >>> 0) - (lo < 0 ? 1 : 0);
        const rlo = lo | 0;
        const rhi = hiU | 0;
        x[d2] = rlo;
        x[d2 + 1] = rhi;
        c.nzcv = ((rhi >>> 31) << 3) | ((rlo | rhi) === 0 ? 4 : 0) | (hiU >= 0 ? 2 : 0) | ((nhi & ~rhi) >>> 31);
        return NEXT;
      };
    }
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = addWithCarry64(c, x[n2], x[n2 + 1], imm, 0, 0, true);
      x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  if (!setFlags) {
    const k = sub ? -imm : imm;
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = (x[n2] + k) | 0;
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  const y = sub ? ~imm : imm;
  const cin = sub ? 1 : 0;
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = addWithCarry32(c, x[n2], y, cin, true);
    x[d2 + 1] = 0;
    return NEXT;
  };
}

/** Rd = Rn ± Rm for 64-bit pairs, no flags. */
function add64(n2: number, m2: number, d2: number): Op {
  return (c: Cpu) => {
    const x = c.x;
    const nh = x[n2 + 1];
    const mh = x[m2 + 1];
    const s = (x[n2] >>> 0) + (x[m2] >>> 0);
    x[d2] = s | 0;
    x[d2 + 1] = (nh + mh + (s > 0xffffffff ? 1 : 0)) | 0;
    return NEXT;
  };
}

function sub64(n2: number, m2: number, d2: number): Op {
  return (c: Cpu) => {
    const x = c.x;
    const nh = x[n2 + 1];
    const mh = x[m2 + 1];
    const s = (x[n2] >>> 0) - (x[m2] >>> 0);
    x[d2] = s | 0;
    x[d2 + 1] = (nh - mh - (s < 0 ? 1 : 0)) | 0;
    return NEXT;
  };
}

/** Rd = Rn + (Rm LSL k) for 64-bit pairs, no flags (address arithmetic, multiply by constants). */
function addLsl64(n2: number, m2: number, d2: number, k: number): Op {
  if (k >= 32) {
    const j = k - 32;
    return (c: Cpu) => {
      const x = c.x;
      const bhi = x[m2] << j;
      x[d2 + 1] = (x[n2 + 1] + bhi) | 0;
      x[d2] = x[n2];
      return NEXT;
    };
  }
  const r = 32 - k;
  return (c: Cpu) => {
    const x = c.x;
    const mlo = x[m2];
    const bhi = (x[m2 + 1] << k) | (mlo >>> r);
    const nh = x[n2 + 1];
    const s = (x[n2] >>> 0) + ((mlo << k) >>> 0);
    x[d2] = s | 0;
    x[d2 + 1] = (nh + bhi + (s > 0xffffffff ? 1 : 0)) | 0;
    return NEXT;
  };
}

function subLsl64(n2: number, m2: number, d2: number, k: number): Op {
  if (k >= 32) {
    const j = k - 32;
    return (c: Cpu) => {
      const x = c.x;
      const bhi = x[m2] << j;
      x[d2 + 1] = (x[n2 + 1] - bhi) | 0;
      x[d2] = x[n2];
      return NEXT;
    };
  }
  const r = 32 - k;
  return (c: Cpu) => {
    const x = c.x;
    const mlo = x[m2];
    const bhi = (x[m2 + 1] << k) | (mlo >>> r);
    const nh = x[n2 + 1];
    const s = (x[n2] >>> 0) - ((mlo << k) >>> 0);
    x[d2] = s | 0;
    x[d2 + 1] = (nh - bhi - (s < 0 ? 1 : 0)) | 0;
    return NEXT;
  };
}

/** ADD/ADDS/SUB/SUBS (shifted register). ROR is reserved; sf = 0 needs imm6 < 32. */
export function addSubShifted(f: Fields): Op | null {
  if (f.shift === SHIFT_ROR || (f.sf === 0 && f.imm6 >= 32)) return null;
  const sub = f.op === 1;
  const setFlags = f.S === 1;
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  const type = f.shift;
  const amt = f.imm6;
  const inv = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  if (f.sf) {
    if (amt === 0) {
      if (!setFlags) return sub ? sub64(n2, m2, d2) : add64(n2, m2, d2);
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = addWithCarry64(c, x[n2], x[n2 + 1], x[m2] ^ inv, x[m2 + 1] ^ inv, cin, true);
        x[d2 + 1] = c.hi;
        return NEXT;
      };
    }
    if (!setFlags && type === SHIFT_LSL) return sub ? subLsl64(n2, m2, d2, amt) : addLsl64(n2, m2, d2, amt);
    return (c: Cpu) => {
      const x = c.x;
      const mlo = shiftReg64(c, x[m2], x[m2 + 1], type, amt);
      x[d2] = addWithCarry64(c, x[n2], x[n2 + 1], mlo ^ inv, c.hi ^ inv, cin, setFlags);
      x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  if (!setFlags) {
    if (amt === 0) {
      if (sub) {
        return (c: Cpu) => {
          const x = c.x;
          x[d2] = (x[n2] - x[m2]) | 0;
          x[d2 + 1] = 0;
          return NEXT;
        };
      }
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = (x[n2] + x[m2]) | 0;
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    const sign = sub ? -1 : 1;
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = (x[n2] + sign * shiftReg32(x[m2], type, amt)) | 0;
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = addWithCarry32(c, x[n2], shiftReg32(x[m2], type, amt) ^ inv, cin, true);
    x[d2 + 1] = 0;
    return NEXT;
  };
}

/**
 * ExtendReg's low word for `option` (UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX).
 * The high word of a 64-bit operand is the register's (xTX), the sign (SXTB/H/W) or 0.
 */
function extendLo(v: number, option: number): number {
  switch (option) {
    case 0:
      return v & 0xff;
    case 1:
      return v & 0xffff;
    case 4:
      return (v << 24) >> 24;
    case 5:
      return (v << 16) >> 16;
    default:
      return v;
  }
}

/** ADD/ADDS/SUB/SUBS (extended register): Rn is SP, Rd is SP unless S; shift 0..4. */
export function addSubExtended(f: Fields): Op | null {
  if (f.imm3 > 4) return null;
  const sub = f.op === 1;
  const setFlags = f.S === 1;
  const n2 = 2 * f.Rn;
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * (setFlags ? wz(f.Rd) : f.Rd);
  const option = f.option;
  const sh = f.imm3;
  const inv = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  if (f.sf) {
    // High word source: 0 = zero, 1 = sign of the extended low word, 2 = Rm's high word.
    const hiKind = (option & 3) === 3 ? 2 : option >= 4 ? 1 : 0;
    return (c: Cpu) => {
      const x = c.x;
      const lo = extendLo(x[m2], option);
      const hi = hiKind === 2 ? x[m2 + 1] : hiKind === 1 ? lo >> 31 : 0;
      const ylo = sh === 0 ? lo : lo << sh;
      const yhi = sh === 0 ? hi : (hi << sh) | (lo >>> (32 - sh));
      x[d2] = addWithCarry64(c, x[n2], x[n2 + 1], ylo ^ inv, yhi ^ inv, cin, setFlags);
      x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = addWithCarry32(c, x[n2], (extendLo(x[m2], option) << sh) ^ inv, cin, setFlags);
    x[d2 + 1] = 0;
    return NEXT;
  };
}

/** ADC/ADCS/SBC/SBCS: AddWithCarry(Rn, Rm or NOT Rm, PSTATE.C). */
export function addSubCarry(f: Fields): Op {
  const setFlags = f.S === 1;
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  const inv = f.op === 1 ? -1 : 0;
  if (f.sf) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = addWithCarry64(c, x[n2], x[n2 + 1], x[m2] ^ inv, x[m2 + 1] ^ inv, (c.nzcv >> 1) & 1, setFlags);
      x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = addWithCarry32(c, x[n2], x[m2] ^ inv, (c.nzcv >> 1) & 1, setFlags);
    x[d2 + 1] = 0;
    return NEXT;
  };
}
