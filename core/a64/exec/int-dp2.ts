/**
 * Data-processing (2 source): UDIV, SDIV, LSLV, LSRV, ASRV, RORV,
 * CRC32{B,H,W,X}, CRC32C{B,H,W,X} (Arm ARM C4.1.88).
 */
import { rz, wz, type Fields } from '../decoder.js';
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { shiftReg32, shiftReg64 } from './alu.js';
import { sdiv32, sdiv64, udiv32, udiv64 } from './int-div.js';
import { CRC32C_TABLES, CRC32_TABLES, crcByte, crcHalf, crcWord } from './int-crc.js';

/** UDIV/SDIV (o1 = 1: signed). */
export function divide(f: Fields): Op {
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  const signed = f.o1 === 1;
  if (f.sf === 0) {
    if (signed) {
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = sdiv32(x[n2], x[m2]);
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = udiv32(x[n2], x[m2]);
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  if (signed) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = sdiv64(c, x[n2], x[n2 + 1], x[m2], x[m2 + 1]);
      x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = udiv64(c, x[n2], x[n2 + 1], x[m2], x[m2 + 1]);
    x[d2 + 1] = c.hi;
    return NEXT;
  };
}

/** LSLV/LSRV/ASRV/RORV: shift by Rm MOD datasize (op2 is the shift type). */
export function shiftVariable(f: Fields): Op {
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  const type = f.op2;
  if (f.sf === 0) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = shiftReg32(x[n2], type, x[m2] & 31);
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = shiftReg64(c, x[n2], x[n2 + 1], type, x[m2] & 63);
    x[d2 + 1] = c.hi;
    return NEXT;
  };
}

/** CRC32/CRC32C: sz selects B/H/W/X; X needs sf = 1, the others sf = 0. */
export function crc32(f: Fields): Op | null {
  if ((f.sz === 3) !== (f.sf === 1)) return null;
  const t = f.C === 1 ? CRC32C_TABLES : CRC32_TABLES;
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  switch (f.sz) {
    case 0:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = crcByte(t, x[n2], x[m2]);
        x[d2 + 1] = 0;
        return NEXT;
      };
    case 1:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = crcHalf(t, x[n2], x[m2]);
        x[d2 + 1] = 0;
        return NEXT;
      };
    case 2:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = crcWord(t, x[n2], x[m2]);
        x[d2 + 1] = 0;
        return NEXT;
      };
    default:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = crcWord(t, crcWord(t, x[n2], x[m2]), x[m2 + 1]);
        x[d2 + 1] = 0;
        return NEXT;
      };
  }
}
