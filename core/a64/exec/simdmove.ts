/**
 * Advanced SIMD data movement: copy (Arm ARM C4.1.96.9: DUP, INS, SMOV, UMOV and
 * scalar DUP), modified immediate (C4.1.96.16: MOVI/MVNI/ORR/BIC/FMOV with
 * AdvSIMDExpandImm), permute (ZIP/UZP/TRN), EXT and table lookup (TBL/TBX).
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { rz, wz, type DecodeCtx, type Fields } from '../decoder.js';
import { fpAccessTrap } from '../exceptions.js';
import { clearHigh, clearReg } from './simdlanes.js';

/** Element size (0..3) and index encoded in imm5, or null when imm5<3:0> is 0000. */
function imm5Elem(imm5: number): [number, number] | null {
  if ((imm5 & 0xf) === 0) return null;
  const size = 31 - Math.clz32(imm5 & -imm5);
  return [size, imm5 >>> (size + 1)];
}

/** Copies element `idx` of size `size` (bytes 1 << size) from V[n] into the bytes of `out`. */
function byteOffset(r: number, size: number, idx: number): number {
  return 16 * r + (idx << size);
}

/** DUP (element): every element of Vd = Vn[index]. Also DUP (scalar) / MOV Bd, Vn.B[i] with scalar=true. */
export function dupElem(scalar: boolean) {
  return (f: Fields, ctx: DecodeCtx): Op | null => {
    const e = imm5Elem(f.imm5);
    if (e === null) return null;
    const [size, idx] = e;
    if (!scalar && size === 3 && f.Q === 0) return null;
    const { pcLo, pcHi } = ctx;
    const ebytes = 1 << size;
    const src = byteOffset(f.Rn, size, idx);
    const db = 16 * f.Rd;
    const d = f.Rd;
    const len = scalar ? ebytes : f.Q ? 16 : 8;
    const tmp = new Uint8Array(8);
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const b = c.v8;
      for (let i = 0; i < ebytes; i++) tmp[i] = b[src + i];
      if (scalar) clearReg(c, d);
      for (let i = 0; i < len; i++) b[db + i] = tmp[i & (ebytes - 1)];
      if (!scalar && len === 8) clearHigh(c, d);
      return NEXT;
    };
  };
}

/** DUP (general): every element of Vd = low bits of Wn/Xn. */
export function dupGeneral(f: Fields, ctx: DecodeCtx): Op | null {
  const e = imm5Elem(f.imm5);
  if (e === null) return null;
  const size = e[0];
  if (size === 3 && f.Q === 0) return null;
  const { pcLo, pcHi } = ctx;
  const n2 = 2 * rz(f.Rn);
  const d = f.Rd;
  const words = f.Q ? 4 : 2;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const lo = c.x[n2];
    const v = c.v32;
    if (size === 3) {
      const hi = c.x[n2 + 1];
      v[4 * d] = lo;
      v[4 * d + 1] = hi;
      v[4 * d + 2] = lo;
      v[4 * d + 3] = hi;
      return NEXT;
    }
    let w = lo;
    if (size === 0) w = (lo & 0xff) * 0x01010101;
    else if (size === 1) w = (lo & 0xffff) * 0x10001;
    for (let i = 0; i < words; i++) v[4 * d + i] = w;
    if (words === 2) clearHigh(c, d);
    return NEXT;
  };
}

/** INS (general) / MOV Vd.T[i], Rn: other elements unchanged. */
export function insGeneral(f: Fields, ctx: DecodeCtx): Op | null {
  const e = imm5Elem(f.imm5);
  if (e === null) return null;
  const [size, idx] = e;
  const { pcLo, pcHi } = ctx;
  const n2 = 2 * rz(f.Rn);
  const d = f.Rd;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const x = c.x;
    if (size === 0) c.v8[16 * d + idx] = x[n2];
    else if (size === 1) c.v16[8 * d + idx] = x[n2];
    else if (size === 2) c.v32[4 * d + idx] = x[n2];
    else {
      c.v32[4 * d + 2 * idx] = x[n2];
      c.v32[4 * d + 2 * idx + 1] = x[n2 + 1];
    }
    return NEXT;
  };
}

/** INS (element) / MOV Vd.T[i], Vn.T[j]. */
export function insElem(f: Fields, ctx: DecodeCtx): Op | null {
  const e = imm5Elem(f.imm5);
  if (e === null) return null;
  const [size, di] = e;
  const si = f.imm4 >>> size;
  const { pcLo, pcHi } = ctx;
  const ebytes = 1 << size;
  const src = byteOffset(f.Rn, size, si);
  const dst = byteOffset(f.Rd, size, di);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const b = c.v8;
    // Source and destination elements are either the same or disjoint.
    for (let i = 0; i < ebytes; i++) b[dst + i] = b[src + i];
    return NEXT;
  };
}

/** UMOV (signed=false) / SMOV: element to Wd (Q=0) or Xd (Q=1). */
export function movToGeneral(signed: boolean) {
  return (f: Fields, ctx: DecodeCtx): Op | null => {
    const e = imm5Elem(f.imm5);
    if (e === null) return null;
    const [size, idx] = e;
    const x64 = f.Q === 1;
    // UMOV: 32-bit for B/H/S, 64-bit for D only. SMOV: 32-bit for B/H, 64-bit for B/H/S.
    if (signed ? size >= (x64 ? 3 : 2) : x64 !== (size === 3)) return null;
    const { pcLo, pcHi } = ctx;
    const d2 = 2 * wz(f.Rd);
    const n = f.Rn;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      let lo: number;
      let hi = 0;
      if (size === 3) {
        lo = c.v32[4 * n + 2 * idx];
        hi = c.v32[4 * n + 2 * idx + 1];
      } else if (size === 2) {
        lo = c.v32[4 * n + idx];
        if (signed) hi = lo >> 31;
      } else if (size === 1) {
        lo = c.v16[8 * n + idx];
        if (signed) {
          lo = (lo << 16) >> 16;
          hi = lo >> 31;
        }
      } else {
        lo = c.v8[16 * n + idx];
        if (signed) {
          lo = (lo << 24) >> 24;
          hi = lo >> 31;
        }
      }
      if (!x64) {
        // SMOV Wd: the sign extension stops at bit 31.
        hi = 0;
      }
      c.x[d2] = lo;
      c.x[d2 + 1] = hi;
      return NEXT;
    };
  };
}

// ---- modified immediate --------------------------------------------------------------------

/** AdvSIMDExpandImm(op, cmode, imm8) as (lo, hi), or null when reserved. */
export function advSimdExpandImm(op: number, cmode: number, imm8: number): [number, number] | null {
  let w: number;
  switch (cmode >> 1) {
    case 0:
    case 1:
    case 2:
    case 3:
      w = imm8 << (8 * (cmode >> 1));
      return [w | 0, w | 0];
    case 4:
    case 5:
      w = (imm8 << (8 * ((cmode >> 1) & 1))) * 0x10001;
      return [w | 0, w | 0];
    case 6:
      w = (cmode & 1) === 0 ? (imm8 << 8) | 0xff : (imm8 << 16) | 0xffff;
      return [w, w];
    default:
      break;
  }
  if ((cmode & 1) === 0) {
    if (op === 0) {
      w = imm8 * 0x01010101;
      return [w | 0, w | 0];
    }
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 4; i++) if ((imm8 >> i) & 1) lo |= 0xff << (8 * i);
    for (let i = 0; i < 4; i++) if ((imm8 >> (i + 4)) & 1) hi |= 0xff << (8 * i);
    return [lo, hi];
  }
  const a = (imm8 >> 7) & 1;
  const b = (imm8 >> 6) & 1;
  const cdefgh = imm8 & 0x3f;
  if (op === 0) {
    // a:NOT(b):Replicate(b,5):cdefgh:Zeros(19)
    w = (a << 31) | ((b ^ 1) << 30) | (b ? 0x1f << 25 : 0) | (cdefgh << 19);
    return [w, w];
  }
  // a:NOT(b):Replicate(b,8):cdefgh:Zeros(48)
  const hi = (a << 31) | ((b ^ 1) << 30) | (b ? 0xff << 22 : 0) | (cdefgh << 16);
  return [0, hi];
}

const MOVI = 0;
const MVNI = 1;
const ORRI = 2;
const BICI = 3;

/** MOVI/MVNI/ORR/BIC (vector, immediate) and FMOV (vector, immediate). */
export function modImm(f: Fields, ctx: DecodeCtx): Op | null {
  const { Q, op, cmode } = f;
  if (f.o2 !== 0) return null; // FMOV (vector, half-precision immediate): FEAT_FP16, not implemented
  if (cmode === 15 && op === 1 && Q === 0) return null;
  const imm8 = (f.abc << 5) | f.defgh;
  const imm = advSimdExpandImm(op, cmode, imm8);
  if (imm === null) return null;
  let kind = MOVI;
  if (cmode < 12 && (cmode & 1) === 1) kind = op ? BICI : ORRI;
  else if (cmode < 14 && op === 1) kind = MVNI;
  let [lo, hi] = imm;
  if (kind === MVNI) {
    lo = ~lo;
    hi = ~hi;
  }
  if (kind === BICI) {
    lo = ~lo;
    hi = ~hi;
  }
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  if (kind === ORRI || kind === BICI) {
    const or = kind === ORRI;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const v = c.v32;
      if (or) {
        v[d] |= lo;
        v[d + 1] |= hi;
        if (Q) {
          v[d + 2] |= lo;
          v[d + 3] |= hi;
        }
      } else {
        v[d] &= lo;
        v[d + 1] &= hi;
        if (Q) {
          v[d + 2] &= lo;
          v[d + 3] &= hi;
        }
      }
      if (!Q) {
        v[d + 2] = 0;
        v[d + 3] = 0;
      }
      return NEXT;
    };
  }
  const lo2 = Q ? lo : 0;
  const hi2 = Q ? hi : 0;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    v[d] = lo;
    v[d + 1] = hi;
    v[d + 2] = lo2;
    v[d + 3] = hi2;
    return NEXT;
  };
}

// ---- permutes, EXT, TBL --------------------------------------------------------------------

/**
 * Vd.B[i] = (Vn:Vm).B[perm[i]] where bytes 0..15 are Vn and 16..31 are Vm; `len`
 * result bytes (8 clears the top half).
 */
function permute2(ctx: DecodeCtx, d: number, n: number, m: number, perm: Uint8Array, len: number): Op {
  const { pcLo, pcHi } = ctx;
  const tmp = new Uint8Array(32);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const b = c.v8;
    for (let i = 0; i < 16; i++) {
      tmp[i] = b[16 * n + i];
      tmp[16 + i] = b[16 * m + i];
    }
    const db = 16 * d;
    for (let i = 0; i < len; i++) b[db + i] = tmp[perm[i]];
    if (len === 8) clearHigh(c, d);
    return NEXT;
  };
}

export const UZP1 = 1;
export const TRN1 = 2;
export const ZIP1 = 3;
export const UZP2 = 5;
export const TRN2 = 6;
export const ZIP2 = 7;

/** UZP1/UZP2/TRN1/TRN2/ZIP1/ZIP2 by opcode. */
export function permuteVec(kind: number) {
  return (f: Fields, ctx: DecodeCtx): Op | null => {
    const size = f.size;
    if (size === 3 && f.Q === 0) return null;
    const len = f.Q ? 16 : 8;
    const eb = 1 << size;
    const count = len / eb;
    const part = kind >> 2; // 1 for the "2" forms
    // Source element j of Vn is byte j*eb; of Vm is 16 + j*eb.
    const srcOf = (e: number): number => {
      switch (kind & 3) {
        case 1: {
          // UZP: even (or odd) elements of the concatenation Vm:Vn.
          const j = 2 * e + part;
          return j < count ? j * eb : 16 + (j - count) * eb;
        }
        case 2: {
          // TRN: even result elements from Vn, odd from Vm, both at (e & ~1) + part.
          const j = (e & ~1) + part;
          return (e & 1) === 0 ? j * eb : 16 + j * eb;
        }
        default: {
          // ZIP: interleave the low (or high) halves.
          const j = part * (count / 2) + (e >> 1);
          return (e & 1) === 0 ? j * eb : 16 + j * eb;
        }
      }
    };
    const perm = new Uint8Array(16);
    for (let e = 0; e < count; e++) for (let k = 0; k < eb; k++) perm[e * eb + k] = srcOf(e) + k;
    return permute2(ctx, f.Rd, f.Rn, f.Rm, perm, len);
  };
}

/** EXT: bytes imm4.. of Vm:Vn (64-bit form: imm4<3> must be 0). */
export function ext(f: Fields, ctx: DecodeCtx): Op | null {
  const len = f.Q ? 16 : 8;
  if (f.imm4 >= len) return null;
  const perm = new Uint8Array(16);
  for (let i = 0; i < len; i++) {
    const j = i + f.imm4;
    perm[i] = j < len ? j : 16 + j - len;
  }
  return permute2(ctx, f.Rd, f.Rn, f.Rm, perm, len);
}

/** TBL (tbx=false) / TBX: table of len+1 consecutive registers from Vn (modulo 32), indices in Vm. */
export function tbl(tbx: boolean) {
  return (f: Fields, ctx: DecodeCtx): Op => {
    const { pcLo, pcHi } = ctx;
    const regs = f.len + 1;
    const limit = 16 * regs;
    const n = f.Rn;
    const m = f.Rm;
    const d = f.Rd;
    const len = f.Q ? 16 : 8;
    const table = new Uint8Array(64);
    const idx = new Uint8Array(16);
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const b = c.v8;
      for (let r = 0; r < regs; r++) {
        const rb = 16 * ((n + r) & 31);
        for (let i = 0; i < 16; i++) table[16 * r + i] = b[rb + i];
      }
      for (let i = 0; i < len; i++) idx[i] = b[16 * m + i];
      const db = 16 * d;
      for (let i = 0; i < len; i++) {
        const j = idx[i];
        if (j < limit) b[db + i] = table[j];
        else if (!tbx) b[db + i] = 0;
      }
      if (len === 8) clearHigh(c, d);
      return NEXT;
    };
  };
}
