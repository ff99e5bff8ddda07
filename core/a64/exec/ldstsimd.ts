/**
 * Advanced SIMD structure loads/stores (Arm ARM C7.2: LD1–LD4/ST1–ST4 multiple
 * structures, LD1–LD4/ST1–ST4 single structure to one lane, LD1R–LD4R).
 *
 * Every element is read into a buffer (loads) or gathered from the registers
 * (stores) first; registers are written only after all reads succeeded, and a
 * store that crosses a page checks both pages before writing anything, so a
 * fault has no architectural effect.
 *
 * Alignment: each element must be aligned to its size when alignment is strict
 * (SCTLR.A, or Device memory). Elements go to memory as aligned 8-byte chunks
 * when the address allows (that cannot change which accesses fault), else one by one.
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { fpAccessTrap } from '../exceptions.js';
import { ACC_READ, ACC_WRITE, type MemPath } from '../../mem/mempath.js';
import { abort, alignFault, carryHi, crossProbe, spAlignFault } from './ldst.js';

/** Up to 64 bytes of structure data in memory order. */
const buf = new Uint8Array(64);
const buf32 = new Int32Array(buf.buffer);
const buf16 = new Uint16Array(buf.buffer);

/** Read `total` bytes at (lo, hi) in elements of `esize` bytes into buf. */
function readMem(m: MemPath, lo: number, hi: number, total: number, esize: number): boolean {
  m.fault = 0;
  if (m.strictAlign && (lo & (esize - 1)) !== 0) return alignFault(m, lo, hi, ACC_READ);
  if ((total & 7) === 0 && (lo & 7) === 0) {
    for (let k = 0; k < total; k += 8) {
      const a = (lo + k) | 0;
      buf32[k >> 2] = m.ld64(a, carryHi(lo, hi, a));
      buf32[(k >> 2) + 1] = m.hi;
      if (m.fault !== 0) return false;
    }
    return true;
  }
  for (let k = 0; k < total; k += esize) {
    const a = (lo + k) | 0;
    const ah = carryHi(lo, hi, a);
    switch (esize) {
      case 1:
        buf[k] = m.ld8(a, ah);
        break;
      case 2:
        buf16[k >> 1] = m.ld16(a, ah);
        break;
      case 4:
        buf32[k >> 2] = m.ld32(a, ah);
        break;
      default:
        buf32[k >> 2] = m.ld64(a, ah);
        buf32[(k >> 2) + 1] = m.hi;
    }
    if (m.fault !== 0) return false;
  }
  return true;
}

/** Write `total` bytes of buf at (lo, hi) in elements of `esize` bytes. */
function writeMem(m: MemPath, lo: number, hi: number, total: number, esize: number): boolean {
  m.fault = 0;
  if (m.strictAlign && (lo & (esize - 1)) !== 0) return alignFault(m, lo, hi, ACC_WRITE);
  if ((lo & 4095) + total > 4096 && !crossProbe(m, lo, hi, esize, ACC_WRITE)) return false;
  if ((total & 7) === 0 && (lo & 7) === 0) {
    for (let k = 0; k < total; k += 8) {
      const a = (lo + k) | 0;
      m.st64(a, carryHi(lo, hi, a), buf32[k >> 2], buf32[(k >> 2) + 1]);
      if (m.fault !== 0) return false;
    }
    return true;
  }
  for (let k = 0; k < total; k += esize) {
    const a = (lo + k) | 0;
    const ah = carryHi(lo, hi, a);
    switch (esize) {
      case 1:
        m.st8(a, ah, buf[k]);
        break;
      case 2:
        m.st16(a, ah, buf16[k >> 1]);
        break;
      case 4:
        m.st32(a, ah, buf32[k >> 2]);
        break;
      default:
        m.st64(a, ah, buf32[k >> 2], buf32[(k >> 2) + 1]);
    }
    if (m.fault !== 0) return false;
  }
  return true;
}

/** Post-index writeback: Rn += imm (Rm == 31) or Rn += X[m]. */
function postIndex(c: Cpu, n2: number, m2: number, imm: number): void {
  const x = c.x;
  const olo = m2 < 0 ? imm : x[m2];
  const ohi = m2 < 0 ? 0 : x[m2 + 1];
  const s = (x[n2] >>> 0) + (olo >>> 0);
  x[n2] = s | 0;
  x[n2 + 1] = (x[n2 + 1] + ohi + (s > 4294967295 ? 1 : 0)) | 0;
}

/**
 * LD1–LD4/ST1–ST4 (multiple structures). rpt registers-groups of selem registers;
 * element e of structure r goes to V[(t + r + xs) % 32].
 * m2: -1 = no writeback or immediate post-index (wbImm), else 2*Xm.
 */
export function multiOp(
  isLoad: boolean,
  q: number,
  size: number,
  rpt: number,
  selem: number,
  t: number,
  n: number,
  wb: boolean,
  m2: number,
  pcLo: number,
  pcHi: number,
): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  const esize = 1 << size;
  const regBytes = q ? 16 : 8;
  const elements = regBytes >> size;
  const total = rpt * selem * regBytes;
  const nregs = rpt * selem;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const x = c.x;
    if (spChk && c.spAlignCheck && (x[62] & 15) !== 0) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const lo = x[n2];
    const hi = x[n2 + 1];
    const v8 = c.v8;
    if (isLoad) {
      if (!readMem(m, lo, hi, total, esize)) return abort(c, pcLo, pcHi);
      // 64-bit forms clear the upper half of each register written.
      if (!q) for (let r = 0; r < nregs; r++) c.v32.fill(0, 4 * ((t + r) & 31) + 2, 4 * ((t + r) & 31) + 4);
      let k = 0;
      for (let r = 0; r < rpt; r++) {
        for (let e = 0; e < elements; e++) {
          for (let s = 0; s < selem; s++) {
            const d = 16 * ((t + r + s) & 31) + e * esize;
            for (let b = 0; b < esize; b++) v8[d + b] = buf[k++];
          }
        }
      }
    } else {
      let k = 0;
      for (let r = 0; r < rpt; r++) {
        for (let e = 0; e < elements; e++) {
          for (let s = 0; s < selem; s++) {
            const d = 16 * ((t + r + s) & 31) + e * esize;
            for (let b = 0; b < esize; b++) buf[k++] = v8[d + b];
          }
        }
      }
      if (!writeMem(m, lo, hi, total, esize)) return abort(c, pcLo, pcHi);
    }
    if (wb) postIndex(c, n2, m2, total);
    return NEXT;
  };
}

/**
 * LD1–LD4/ST1–ST4 (single structure) to lane `index`, and LD1R–LD4R (replicate).
 * scale: log2 element bytes.
 */
export function singleOp(
  isLoad: boolean,
  replicate: boolean,
  q: number,
  scale: number,
  selem: number,
  index: number,
  t: number,
  n: number,
  wb: boolean,
  m2: number,
  pcLo: number,
  pcHi: number,
): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  const esize = 1 << scale;
  const total = selem * esize;
  const regBytes = q ? 16 : 8;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const x = c.x;
    if (spChk && c.spAlignCheck && (x[62] & 15) !== 0) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const lo = x[n2];
    const hi = x[n2 + 1];
    const v8 = c.v8;
    if (isLoad) {
      if (!readMem(m, lo, hi, total, esize)) return abort(c, pcLo, pcHi);
      for (let s = 0; s < selem; s++) {
        const base = 16 * ((t + s) & 31);
        const k = s * esize;
        if (replicate) {
          for (let d = 0; d < regBytes; d += esize) for (let b = 0; b < esize; b++) v8[base + d + b] = buf[k + b];
          if (!q) for (let d = 8; d < 16; d++) v8[base + d] = 0;
        } else {
          for (let b = 0; b < esize; b++) v8[base + index * esize + b] = buf[k + b];
        }
      }
    } else {
      for (let s = 0; s < selem; s++) {
        const base = 16 * ((t + s) & 31) + index * esize;
        for (let b = 0; b < esize; b++) buf[s * esize + b] = v8[base + b];
      }
      if (!writeMem(m, lo, hi, total, esize)) return abort(c, pcLo, pcHi);
    }
    if (wb) postIndex(c, n2, m2, total);
    return NEXT;
  };
}
