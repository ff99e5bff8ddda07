/**
 * Bitfield (SBFM, BFM, UBFM) and extract (EXTR) (Arm ARM C4.1.86).
 *
 * The masks come from DecodeBitMasks(N, imms, immr, FALSE) at decode time; the
 * aliases LSL/LSR/ASR (immediate) get their own ops.
 */
import { rz, wz, type Fields } from '../decoder.js';
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { asr64, lsl64, lsr64, ror64 } from './alu.js';
import { decodeBitMasks } from './int-bitmask.js';

const OPC_SBFM = 0;
const OPC_BFM = 1;
const OPC_UBFM = 2;

/** SBFM/BFM/UBFM: sf must equal N; the 32-bit forms need immr, imms < 32; opc 11 is unallocated. */
export function bitfield(f: Fields): Op | null {
  const opc = f.opc;
  if (opc === 3 || f.sf !== f.N) return null;
  if (f.sf === 0 && (f.immr >= 32 || f.imms >= 32)) return null;
  const m = decodeBitMasks(f.N, f.imms, f.immr, false);
  if (m === null) return null;
  const n2 = 2 * rz(f.Rn);
  const d2 = 2 * wz(f.Rd);
  const r = f.immr;
  const s = f.imms;
  return f.sf ? bitfield64(opc, n2, d2, r, s, m.wlo, m.whi, m.tlo, m.thi) : bitfield32(opc, n2, d2, r, s, m.wlo, m.tlo);
}

function bitfield32(opc: number, n2: number, d2: number, r: number, s: number, wmask: number, tmask: number): Op {
  if (opc === OPC_UBFM) {
    if (s === 31) {
      // LSR (immediate)
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = x[n2] >>> r;
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    if (s + 1 === r) {
      // LSL (immediate)
      const k = 31 - s;
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = x[n2] << k;
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    const mask = wmask & tmask;
    return (c: Cpu) => {
      const x = c.x;
      const v = x[n2];
      x[d2] = ((v >>> r) | (v << (32 - r))) & mask;
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  if (opc === OPC_SBFM) {
    if (s === 31) {
      // ASR (immediate)
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = x[n2] >> r;
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    const bot = wmask & tmask;
    const top = 31 - s;
    return (c: Cpu) => {
      const x = c.x;
      const v = x[n2];
      // (Replicate(src<s>) AND NOT tmask) OR (ROR(src, r) AND wmask AND tmask)
      x[d2] = (((v << top) >> 31) & ~tmask) | (((v >>> r) | (v << (32 - r))) & bot);
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  // BFM: bot = (dst AND NOT wmask) OR (ROR(src, r) AND wmask); Rd = (dst AND NOT tmask) OR (bot AND tmask).
  return (c: Cpu) => {
    const x = c.x;
    const v = x[n2];
    const dst = x[d2];
    const bot = (dst & ~wmask) | (((v >>> r) | (v << (32 - r))) & wmask);
    x[d2] = (dst & ~tmask) | (bot & tmask);
    x[d2 + 1] = 0;
    return NEXT;
  };
}

function bitfield64(opc: number, n2: number, d2: number, r: number, s: number, wlo: number, whi: number, tlo: number, thi: number): Op {
  if (opc === OPC_UBFM) {
    if (s === 63) {
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = lsr64(c, x[n2], x[n2 + 1], r);
        x[d2 + 1] = c.hi;
        return NEXT;
      };
    }
    if (s + 1 === r) {
      const k = 63 - s;
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = lsl64(c, x[n2], x[n2 + 1], k);
        x[d2 + 1] = c.hi;
        return NEXT;
      };
    }
    const mlo = wlo & tlo;
    const mhi = whi & thi;
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = ror64(c, x[n2], x[n2 + 1], r) & mlo;
      x[d2 + 1] = c.hi & mhi;
      return NEXT;
    };
  }
  if (opc === OPC_SBFM) {
    if (s === 63) {
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = asr64(c, x[n2], x[n2 + 1], r);
        x[d2 + 1] = c.hi;
        return NEXT;
      };
    }
    const blo = wlo & tlo;
    const bhi = whi & thi;
    // Bit s of the source, in its word, moved to bit 31.
    const sIdx = s >= 32 ? 1 : 0;
    const top = 31 - (s & 31);
    return (c: Cpu) => {
      const x = c.x;
      const sign = (x[n2 + sIdx] << top) >> 31;
      const lo = ror64(c, x[n2], x[n2 + 1], r);
      x[d2] = (sign & ~tlo) | (lo & blo);
      x[d2 + 1] = (sign & ~thi) | (c.hi & bhi);
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    const lo = ror64(c, x[n2], x[n2 + 1], r);
    const hi = c.hi;
    const dlo = x[d2];
    const dhi = x[d2 + 1];
    const botLo = (dlo & ~wlo) | (lo & wlo);
    const botHi = (dhi & ~whi) | (hi & whi);
    x[d2] = (dlo & ~tlo) | (botLo & tlo);
    x[d2 + 1] = (dhi & ~thi) | (botHi & thi);
    return NEXT;
  };
}

/** EXTR: Rd = (Rn:Rm)<lsb + datasize − 1 : lsb>; sf must equal N, 32-bit lsb < 32. */
export function extract(f: Fields): Op | null {
  if (f.sf !== f.N || (f.sf === 0 && f.imms >= 32)) return null;
  const n2 = 2 * rz(f.Rn);
  const m2 = 2 * rz(f.Rm);
  const d2 = 2 * wz(f.Rd);
  const lsb = f.imms;
  if (f.sf === 0) {
    if (lsb === 0) {
      return (c: Cpu) => {
        const x = c.x;
        x[d2] = x[m2];
        x[d2 + 1] = 0;
        return NEXT;
      };
    }
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = (x[m2] >>> lsb) | (x[n2] << (32 - lsb));
      x[d2 + 1] = 0;
      return NEXT;
    };
  }
  if (lsb === 0) {
    return (c: Cpu) => {
      const x = c.x;
      x[d2] = x[m2];
      x[d2 + 1] = x[m2 + 1];
      return NEXT;
    };
  }
  if (lsb === 32) {
    return (c: Cpu) => {
      const x = c.x;
      const lo = x[m2 + 1];
      x[d2 + 1] = x[n2];
      x[d2] = lo;
      return NEXT;
    };
  }
  // The three 32-bit words that contribute, from the bottom: (w0, w1, w2) with a shift k < 32.
  const k = lsb & 31;
  const w0 = lsb < 32 ? m2 : m2 + 1;
  const w1 = lsb < 32 ? m2 + 1 : n2;
  const w2 = lsb < 32 ? n2 : n2 + 1;
  return (c: Cpu) => {
    const x = c.x;
    const a = x[w0];
    const b = x[w1];
    const d = x[w2];
    x[d2] = (a >>> k) | (b << (32 - k));
    x[d2 + 1] = (b >>> k) | (d << (32 - k));
    return NEXT;
  };
}
