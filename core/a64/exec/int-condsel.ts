/**
 * Conditional select (CSEL, CSINC, CSINV, CSNEG) and conditional compare
 * (CCMN, CCMP; register and immediate) (Arm ARM C4.1.88).
 * The condition is a 16-bit mask from COND_TABLE, tested against c.nzcv.
 */
import { rz, wz, type Fields } from '../decoder.js';
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { addWithCarry32, addWithCarry64 } from './alu.js';
import { COND_TABLE } from './int-cond.js';

/**
 * CSEL/CSINC/CSINV/CSNEG: Rd = cond ? Rn : f(Rm), where op:o2 selects f as
 * identity, +1, NOT, negate.
 */
export function condSelect(f: Fields): Op {
  const mask = COND_TABLE[f.cond];
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  const inv = f.op === 1 ? -1 : 0; // NOT for CSINV/CSNEG
  const inc = f.o2; // +1 for CSINC/CSNEG (NOT x + 1 = -x)
  if (f.sf) {
    if (inc === 0) {
      return (c: Cpu) => {
        const x = c.x;
        if (((mask >> c.nzcv) & 1) !== 0) {
          x[d2] = x[n2];
          x[d2 + 1] = x[n2 + 1];
        } else {
          x[d2] = x[m2] ^ inv;
          x[d2 + 1] = x[m2 + 1] ^ inv;
        }
        return NEXT;
      };
    }
    return (c: Cpu) => {
      const x = c.x;
      if (((mask >> c.nzcv) & 1) !== 0) {
        x[d2] = x[n2];
        x[d2 + 1] = x[n2 + 1];
      } else {
        const hi = x[m2 + 1] ^ inv;
        const lo = (x[m2] ^ inv) + 1;
        x[d2] = lo | 0;
        x[d2 + 1] = (lo | 0) === 0 ? (hi + 1) | 0 : hi;
      }
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = ((mask >> c.nzcv) & 1) !== 0 ? x[n2] : ((x[m2] ^ inv) + inc) | 0;
    x[d2 + 1] = 0;
    return NEXT;
  };
}

/**
 * CCMN/CCMP (register and immediate): if the condition holds, NZCV from
 * Rn + op2 (CCMN) or Rn − op2 (CCMP), otherwise NZCV = the nzcv field.
 * `imm` is the 5-bit immediate, or -1 for the register form.
 */
function condCompare(f: Fields, imm: number): Op {
  const mask = COND_TABLE[f.cond];
  const n2 = 2 * rz(f.Rn);
  const m2 = imm < 0 ? 2 * rz(f.Rm) : 0;
  const flags = f.nzcv;
  const sub = f.op === 1;
  const inv = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  if (imm >= 0) {
    const ylo = sub ? ~imm : imm;
    const yhi = sub ? -1 : 0;
    if (f.sf) {
      return (c: Cpu) => {
        const x = c.x;
        if (((mask >> c.nzcv) & 1) !== 0) addWithCarry64(c, x[n2], x[n2 + 1], ylo, yhi, cin, true);
        else c.nzcv = flags;
        return NEXT;
      };
    }
    return (c: Cpu) => {
      if (((mask >> c.nzcv) & 1) !== 0) addWithCarry32(c, c.x[n2], ylo, cin, true);
      else c.nzcv = flags;
      return NEXT;
    };
  }
  if (f.sf) {
    return (c: Cpu) => {
      const x = c.x;
      if (((mask >> c.nzcv) & 1) !== 0) addWithCarry64(c, x[n2], x[n2 + 1], x[m2] ^ inv, x[m2 + 1] ^ inv, cin, true);
      else c.nzcv = flags;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    if (((mask >> c.nzcv) & 1) !== 0) addWithCarry32(c, x[n2], x[m2] ^ inv, cin, true);
    else c.nzcv = flags;
    return NEXT;
  };
}

export function condCompareReg(f: Fields): Op {
  return condCompare(f, -1);
}

export function condCompareImm(f: Fields): Op {
  return condCompare(f, f.imm5);
}
