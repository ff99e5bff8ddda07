/**
 * Data-processing (3 source): MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL,
 * SMULH, UMULH (Arm ARM C4.1.88). Exact products without BigInt (int-mul.ts).
 */
import { rz, wz, type Fields } from '../decoder.js';
import { NEXT, ZR, type Cpu, type Op } from '../cpu.js';
import { mul64, smulHi32, smulh64, umulHi32, umulh64 } from './int-mul.js';

/** X[d2/2] = X[a2/2] ± (phi:plo), 64-bit wrap-around, on the register pair array. */
function accumulate(x: Int32Array, d2: number, a2: number, plo: number, phi: number, sub: boolean): void {
  const ahi = x[a2 + 1];
  if (sub) {
    const s = (x[a2] >>> 0) - (plo >>> 0);
    x[d2] = s | 0;
    x[d2 + 1] = (ahi - phi - (s < 0 ? 1 : 0)) | 0;
  } else {
    const s = (x[a2] >>> 0) + (plo >>> 0);
    x[d2] = s | 0;
    x[d2 + 1] = (ahi + phi + (s > 0xffffffff ? 1 : 0)) | 0;
  }
}

/** MADD/MSUB: Rd = Ra ± Rn × Rm (o0 = 1: subtract). MUL/MNEG are Ra = XZR. */
export function mulAdd(f: Fields): Op {
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const a2 = 2 * rz(f.Ra);
  const d2 = 2 * wz(f.Rd);
  const sub = f.o0 === 1;
  if (f.sf === 0) {
    if (sub) {
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = (x[a2] - Math.imul(x[n2], x[m2])) | 0;
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = (x[a2] + Math.imul(x[n2], x[m2])) | 0;
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  if (a2 === 2 * ZR && !sub) {
    // MUL
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = mul64(c, x[n2], x[n2 + 1], x[m2], x[m2 + 1]);
      x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    const plo = mul64(c, x[n2], x[n2 + 1], x[m2], x[m2 + 1]);
    const phi = c.hi;
    accumulate(x, d2, a2, plo, phi, sub);
    return NEXT;
  };
}

/** SMADDL/SMSUBL/UMADDL/UMSUBL: Xd = Xa ± Wn × Wm (U = 1: unsigned). SMULL/UMULL are Ra = XZR. */
export function mulAddLong(f: Fields): Op {
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const a2 = 2 * rz(f.Ra);
  const d2 = 2 * wz(f.Rd);
  const sub = f.o0 === 1;
  const unsigned = f.U === 1;
  return (c: Cpu) => {
    const x = c.x;
    const wn = x[n2];
    const wm = x[m2];
    const plo = Math.imul(wn, wm);
    const phi = unsigned ? umulHi32(wn, wm) : smulHi32(wn, wm);
    accumulate(x, d2, a2, plo, phi, sub);
    return NEXT;
  };
}

/** SMULH/UMULH: Xd = (Xn × Xm)<127:64>. Ra is "should be 11111" and is ignored. */
export function mulHigh(f: Fields): Op {
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  if (f.U === 1) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = umulh64(c, x[n2], x[n2 + 1], x[m2], x[m2 + 1]);
      x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = smulh64(c, x[n2], x[n2 + 1], x[m2], x[m2 + 1]);
    x[d2 + 1] = c.hi;
    return NEXT;
  };
}
