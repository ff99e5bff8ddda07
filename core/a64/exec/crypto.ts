/**
 * Cryptographic Extension (Arm ARM C4.1.95.1–3, pseudocode shared/functions/crypto):
 * AESE/AESD/AESMC/AESIMC, SHA1C/P/M/H/SU0/SU1, SHA256H/H2/SU0/SU1, and the
 * polynomial multiplies PMULL/PMULL2 (8B→8H always, 1D→1Q with FEAT_PMULL).
 *
 * The AES state is the 16 bytes of the vector, byte i at row i mod 4, column
 * i div 4 (FIPS-197 §3.4 order). SHA words are the 32-bit lanes, lane 0 lowest.
 * Gating on the model's features happens at the table edge (`feat`).
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import type { DecodeCtx, Fields } from '../decoder.js';
import { fpAccessTrap } from '../exceptions.js';

// ---- AES ------------------------------------------------------------------------------------

/** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
function xtime(a: number): number {
  return ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
}

function gfMul(a: number, b: number): number {
  let r = 0;
  for (; b !== 0; b >>= 1, a = xtime(a)) if (b & 1) r ^= a;
  return r;
}

/** The AES S-box (FIPS-197 §5.1.1: multiplicative inverse, then the affine map) and its inverse. */
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  let inv = 0;
  if (x !== 0) {
    // x^254 = x^-1 in GF(2^8)
    let p = 1;
    for (let i = 0; i < 254; i++) p = gfMul(p, x);
    inv = p;
  }
  const rot = (v: number, k: number): number => ((v << k) | (v >>> (8 - k))) & 0xff;
  const s = inv ^ rot(inv, 1) ^ rot(inv, 2) ^ rot(inv, 3) ^ rot(inv, 4) ^ 0x63;
  SBOX[x] = s;
  INV_SBOX[s] = x;
}

const state = new Uint8Array(16);
const tmp = new Uint8Array(16);

/** AESShiftRows: row r moves left by r columns. */
function shiftRows(s: Uint8Array, inverse: boolean): void {
  tmp.set(s);
  for (let col = 0; col < 4; col++) {
    for (let row = 1; row < 4; row++) {
      const from = (col + (inverse ? 4 - row : row)) & 3;
      s[row + 4 * col] = tmp[row + 4 * from];
    }
  }
}

/** Multiplication tables by the MixColumns coefficients: x ↦ k·x in GF(2^8), built once at load. */
function mulTable(k: number): Uint8Array {
  const t = new Uint8Array(256);
  for (let x = 0; x < 256; x++) t[x] = gfMul(x, k);
  return t;
}
/** The coefficient rows of MixColumns (2 3 1 1) and InvMixColumns (14 11 13 9), as tables. */
const MIX = [2, 3, 1, 1].map(mulTable);
const INV_MIX = [14, 11, 13, 9].map(mulTable);

/** AESMixColumns / AESInvMixColumns on each column. */
function mixColumns(s: Uint8Array, inverse: boolean): void {
  const [k0, k1, k2, k3] = inverse ? INV_MIX : MIX;
  for (let col = 0; col < 4; col++) {
    const o = 4 * col;
    const a0 = s[o];
    const a1 = s[o + 1];
    const a2 = s[o + 2];
    const a3 = s[o + 3];
    s[o] = k0[a0] ^ k1[a1] ^ k2[a2] ^ k3[a3];
    s[o + 1] = k3[a0] ^ k0[a1] ^ k1[a2] ^ k2[a3];
    s[o + 2] = k2[a0] ^ k3[a1] ^ k0[a2] ^ k1[a3];
    s[o + 3] = k1[a0] ^ k2[a1] ^ k3[a2] ^ k0[a3];
  }
}

/** AESE (D = 0) / AESD (D = 1): Vd = [Inv]SubBytes([Inv]ShiftRows(Vd EOR Vn)). */
export function aesRound(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = 16 * f.Rd;
  const n = 16 * f.Rn;
  const inverse = f.D === 1;
  const box = inverse ? INV_SBOX : SBOX;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v8;
    for (let i = 0; i < 16; i++) state[i] = v[d + i] ^ v[n + i];
    shiftRows(state, inverse);
    for (let i = 0; i < 16; i++) v[d + i] = box[state[i]];
    return NEXT;
  };
}

/** AESMC (D = 0) / AESIMC (D = 1): Vd = [Inv]MixColumns(Vn). */
export function aesMix(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = 16 * f.Rd;
  const n = 16 * f.Rn;
  const inverse = f.D === 1;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v8;
    for (let i = 0; i < 16; i++) state[i] = v[n + i];
    mixColumns(state, inverse);
    for (let i = 0; i < 16; i++) v[d + i] = state[i];
    return NEXT;
  };
}

// ---- SHA-1 and SHA-256 --------------------------------------------------------------------

const rol = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
const ror = (x: number, k: number): number => (x >>> k) | (x << (32 - k));
const shaChoose = (x: number, y: number, z: number): number => ((y ^ z) & x) ^ z;
const shaMajority = (x: number, y: number, z: number): number => (x & y) | ((x | y) & z);
const shaParity = (x: number, y: number, z: number): number => x ^ y ^ z;
const sigma0 = (x: number): number => ror(x, 2) ^ ror(x, 13) ^ ror(x, 22);
const sigma1 = (x: number): number => ror(x, 6) ^ ror(x, 11) ^ ror(x, 25);

export const SHA1C = 0;
export const SHA1P = 1;
export const SHA1M = 2;
const SHA1_F = [shaChoose, shaParity, shaMajority];

const X = new Int32Array(4);
const Y = new Int32Array(4);
const W = new Int32Array(4);

function load(c: Cpu, r: number, out: Int32Array): void {
  const v = c.v32;
  for (let i = 0; i < 4; i++) out[i] = v[4 * r + i];
}

function store(c: Cpu, r: number, src: Int32Array): void {
  const v = c.v32;
  for (let i = 0; i < 4; i++) v[4 * r + i] = src[i];
}

/** SHA1C/SHA1P/SHA1M Qd, Sn, Vm.4S: four rounds of SHA-1 with f = choose/parity/majority. */
export function sha1Hash(fn: number) {
  const fsel = SHA1_F[fn];
  return (f: Fields, ctx: DecodeCtx): Op => {
    const { pcLo, pcHi } = ctx;
    const d = f.Rd;
    const n = f.Rn;
    const m = f.Rm;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      load(c, d, X);
      load(c, m, W);
      let y = c.v32[4 * n];
      for (let e = 0; e < 4; e++) {
        const t = fsel(X[1], X[2], X[3]);
        y = (y + rol(X[0], 5) + t + W[e]) | 0;
        X[1] = rol(X[1], 30);
        // <Y, X> = ROL(Y:X, 32) on the 160-bit value
        const top = X[3];
        X[3] = X[2];
        X[2] = X[1];
        X[1] = X[0];
        X[0] = y;
        y = top;
      }
      store(c, d, X);
      return NEXT;
    };
  };
}

/** SHA1H Sd, Sn: Sd = ROL(Sn, 30), rest of Vd cleared. */
export function sha1h(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    const r = rol(v[n], 30);
    v[d] = r;
    v[d + 1] = 0;
    v[d + 2] = 0;
    v[d + 3] = 0;
    return NEXT;
  };
}

/** SHA1SU0 Vd, Vn, Vm: (Vn<63:0> : Vd<127:64>) EOR Vd EOR Vm. */
export function sha1su0(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = f.Rd;
  const n = f.Rn;
  const m = f.Rm;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    load(c, d, X);
    load(c, n, Y);
    load(c, m, W);
    const r0 = X[2] ^ X[0] ^ W[0];
    const r1 = X[3] ^ X[1] ^ W[1];
    const r2 = Y[0] ^ X[2] ^ W[2];
    const r3 = Y[1] ^ X[3] ^ W[3];
    X[0] = r0;
    X[1] = r1;
    X[2] = r2;
    X[3] = r3;
    store(c, d, X);
    return NEXT;
  };
}

/** SHA1SU1 Vd, Vn: T = Vd EOR LSR(Vn, 32); lanes ROL(T, 1), lane 3 also EOR ROL(T<31:0>, 2). */
export function sha1su1(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = f.Rd;
  const n = f.Rn;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    load(c, d, X);
    load(c, n, Y);
    const t0 = X[0] ^ Y[1];
    const t1 = X[1] ^ Y[2];
    const t2 = X[2] ^ Y[3];
    const t3 = X[3];
    X[0] = rol(t0, 1);
    X[1] = rol(t1, 1);
    X[2] = rol(t2, 1);
    X[3] = rol(t3, 1) ^ rol(t0, 2);
    store(c, d, X);
    return NEXT;
  };
}

/** SHA256hash(X, Y, W, part1): four rounds; X holds (a..d), Y holds (e..h), lane 0 = a / e. */
function sha256Hash(part1: boolean): Int32Array {
  for (let e = 0; e < 4; e++) {
    const chs = shaChoose(Y[0], Y[1], Y[2]);
    const maj = shaMajority(X[0], X[1], X[2]);
    const t = (Y[3] + sigma1(Y[0]) + chs + W[e]) | 0;
    const x3 = (t + X[3]) | 0;
    const y3 = (t + sigma0(X[0]) + maj) | 0;
    // <Y, X> = ROL(Y:X, 32) on the 256-bit value
    X[3] = X[2];
    X[2] = X[1];
    X[1] = X[0];
    X[0] = y3;
    Y[3] = Y[2];
    Y[2] = Y[1];
    Y[1] = Y[0];
    Y[0] = x3;
  }
  return part1 ? X : Y;
}

/** SHA256H Qd, Qn, Vm.4S (part1) / SHA256H2 Qd, Qn, Vm.4S (part 2, X and Y swapped). */
export function sha256h(part1: boolean) {
  return (f: Fields, ctx: DecodeCtx): Op => {
    const { pcLo, pcHi } = ctx;
    const d = f.Rd;
    const n = f.Rn;
    const m = f.Rm;
    return (c: Cpu) => {
      if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      load(c, part1 ? d : n, X);
      load(c, part1 ? n : d, Y);
      load(c, m, W);
      store(c, d, sha256Hash(part1));
      return NEXT;
    };
  };
}

/** SHA256SU0 Vd, Vn: Vd[e] += σ0(T[e]) with T = Vn<31:0> : Vd<127:32>. */
export function sha256su0(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = f.Rd;
  const n = f.Rn;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    load(c, d, X);
    const next = c.v32[4 * n];
    for (let e = 0; e < 4; e++) {
      const t = e < 3 ? X[e + 1] : next;
      Y[e] = (X[e] + (ror(t, 7) ^ ror(t, 18) ^ (t >>> 3))) | 0;
    }
    store(c, d, Y);
    return NEXT;
  };
}

/** SHA256SU1 Vd, Vn, Vm: the second half of the message schedule update (σ1 of Vm<127:64>, then of the new low half). */
export function sha256su1(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = f.Rd;
  const n = f.Rn;
  const m = f.Rm;
  const small1 = (x: number): number => ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    load(c, d, X);
    load(c, n, Y);
    load(c, m, W);
    // T0 = Vm<31:0> : Vn<127:32>
    const t0 = Y[1];
    const t1 = Y[2];
    const t2 = Y[3];
    const t3 = W[0];
    const r0 = (small1(W[2]) + X[0] + t0) | 0;
    const r1 = (small1(W[3]) + X[1] + t1) | 0;
    const r2 = (small1(r0) + X[2] + t2) | 0;
    const r3 = (small1(r1) + X[3] + t3) | 0;
    X[0] = r0;
    X[1] = r1;
    X[2] = r2;
    X[3] = r3;
    store(c, d, X);
    return NEXT;
  };
}

// ---- PMULL / PMULL2 -------------------------------------------------------------------------

/** Carry-less 32 × 32 → 64 product: low word returned, high word in c.hi. */
export function clmul32(c: Cpu, a: number, b: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 32; i++) {
    if ((b >>> i) & 1) {
      lo ^= a << i;
      if (i !== 0) hi ^= a >>> (32 - i);
    }
  }
  c.hi = hi;
  return lo;
}

/** PMULL/PMULL2 Vd.1Q, Vn.1D/2D, Vm.1D/2D: 64 × 64 → 128 polynomial product of the Q half. */
export function pmull64(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = 4 * f.Rd;
  const n = 4 * f.Rn + 2 * f.Q;
  const m = 4 * f.Rm + 2 * f.Q;
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v32;
    const al = v[n];
    const ah = v[n + 1];
    const bl = v[m];
    const bh = v[m + 1];
    const p0 = clmul32(c, al, bl);
    const p1 = c.hi;
    const x0 = clmul32(c, al, bh);
    const x1 = c.hi;
    const y0 = clmul32(c, ah, bl);
    const y1 = c.hi;
    const r0 = clmul32(c, ah, bh);
    const r1 = c.hi;
    // al*bl EOR (al*bh EOR ah*bl) << 32 EOR ah*bh << 64
    v[d] = p0;
    v[d + 1] = p1 ^ x0 ^ y0;
    v[d + 2] = r0 ^ x1 ^ y1;
    v[d + 3] = r1;
    return NEXT;
  };
}

/** PMULL/PMULL2 Vd.8H, Vn.8B/16B, Vm.8B/16B: eight 8 × 8 → 16 polynomial products. */
export function pmull8(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  const d = f.Rd;
  const n = 16 * f.Rn + 8 * f.Q;
  const m = 16 * f.Rm + 8 * f.Q;
  const res = new Uint16Array(8);
  return (c: Cpu) => {
    if (c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const v = c.v8;
    for (let i = 0; i < 8; i++) {
      const a = v[n + i];
      const b = v[m + i];
      let r = 0;
      for (let k = 0; k < 8; k++) if ((b >> k) & 1) r ^= a << k;
      res[i] = r;
    }
    for (let i = 0; i < 8; i++) c.v16[8 * d + i] = res[i];
    return NEXT;
  };
}
