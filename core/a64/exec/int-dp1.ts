/**
 * Data-processing (1 source): RBIT, REV16, REV32, REV, CLZ, CLS (Arm ARM C4.1.88).
 */
import { rz, wz, type Fields } from '../decoder.js';
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { cls32, cls64, clz64, rbit32, rev16, rev32 } from './int-bits.js';

const OPC_RBIT = 0;
const OPC_REV16 = 1;
const OPC_REV32 = 2; // REV for sf = 0

/** RBIT/REV16/REV32/REV by opc; sf = 0 with opc 11 (64-bit REV) is unallocated. */
export function reverse(f: Fields): Op | null {
  const opc = f.opc;
  if (f.sf === 0 && opc === 3) return null;
  const n2 = 2 * rz(f.Rn);
  const d2 = 2 * wz(f.Rd);
  if (f.sf === 0) {
    const fn = opc === OPC_RBIT ? rbit32 : opc === OPC_REV16 ? rev16 : rev32;
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = fn(x[n2]);
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  switch (opc) {
    case OPC_RBIT:
      return (c: Cpu) => {
        const x = c.x;
        const lo = x[n2];
        x[d2] = rbit32(x[n2 + 1]);
        x[d2 + 1] = rbit32(lo);
        return NEXT;
      };
    case OPC_REV16:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = rev16(x[n2]);
        x[d2 + 1] = rev16(x[n2 + 1]);
        return NEXT;
      };
    case OPC_REV32:
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = rev32(x[n2]);
        x[d2 + 1] = rev32(x[n2 + 1]);
        return NEXT;
      };
    default:
      return (c: Cpu) => {
        const x = c.x;
        const lo = x[n2];
        x[d2] = rev32(x[n2 + 1]);
        x[d2 + 1] = rev32(lo);
        return NEXT;
      };
  }
}

/** CLZ (op = 0) / CLS (op = 1). */
export function countLeading(f: Fields): Op {
  const n2 = 2 * rz(f.Rn);
  const d2 = 2 * wz(f.Rd);
  const cls = f.op === 1;
  if (f.sf === 0) {
    if (cls) {
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = cls32(x[n2]);
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = Math.clz32(x[n2]);
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  if (cls) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = cls64(x[n2], x[n2 + 1]);
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = clz64(x[n2], x[n2 + 1]);
    x[d2 + 1] = 0;
    return NEXT;
  };
}
