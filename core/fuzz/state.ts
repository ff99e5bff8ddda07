/**
 * Initial architectural state of a slot and the data buffer's memory image:
 * a seeded mix of random bits and values that find edge cases (0, ±1, sign
 * boundaries, FP specials in every lane width).
 */
import type { Rng } from './prng.js';
import { BASES, STATE } from './layout.js';

export interface SlotState {
  /** X0..X30. */
  x: bigint[];
  sp: bigint;
  /** NZCV in bits 31:28. */
  nzcv: number;
  fpcr: number;
  fpsr: number;
  /** V0..V31, 16 bytes each. */
  v: Uint8Array;
}

export interface StateOptions {
  /** Virtual address of the data buffer (fuzz_data). */
  dataAddr: bigint;
  /** Randomise FPCR's RMode/FZ/DN/FZ16/AHP bits (otherwise FPCR = 0). */
  randomFpcr: boolean;
}

const M64 = (1n << 64n) - 1n;

const SPECIAL64 = [
  0n,
  1n,
  2n,
  M64,
  M64 - 1n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0x7fffffffffffffffn,
  0x8000000000000000n,
  0xffffffff80000000n,
  0x8000n,
  0xffffn,
  0x7fn,
  0x80n,
  0xffn,
  0x5555555555555555n,
  0xaaaaaaaaaaaaaaaan,
];

/** A 64-bit general-register value. */
export function interestingX(r: Rng): bigint {
  switch (r.below(8)) {
    case 0:
    case 1:
    case 2:
      return r.u64();
    case 3:
      return r.pick(SPECIAL64);
    case 4:
      return BigInt(r.range(0, 64));
    case 5:
      return BigInt.asUintN(64, BigInt(-r.range(1, 64)));
    case 6: {
      const p = 1n << BigInt(r.below(64));
      return BigInt.asUintN(64, p + BigInt(r.range(-1, 1)));
    }
    default:
      // a 32-bit value, zero- or sign-extended
      return r.chance(0.5) ? BigInt(r.u32()) : BigInt.asUintN(64, BigInt(r.u32() | 0));
  }
}

const F64 = [
  0x0000000000000000n,
  0x8000000000000000n,
  0x3ff0000000000000n,
  0xbff0000000000000n,
  0x3ff8000000000000n,
  0x3fe0000000000000n,
  0x7ff0000000000000n,
  0xfff0000000000000n,
  0x7ff8000000000000n,
  0x7ff4000000000000n,
  0xfff8000000000001n,
  0x0000000000000001n,
  0x000fffffffffffffn,
  0x0010000000000000n,
  0x7fefffffffffffffn,
  0x43e0000000000000n,
  0x41e0000000000000n,
  0xc1e0000000200000n,
  0x4330000000000000n,
  0x3ff0000000000001n,
];
const F32 = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x3f000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0xffc00001,
  0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0x5f000000, 0x4f000000, 0xcf000000, 0x4b000000, 0x3f800001,
];
const F16 = [
  0x0000, 0x8000, 0x3c00, 0xbc00, 0x3e00, 0x3800, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x5bff, 0x3c01,
];

/** 8 bytes for one half of a V register (or one memory word). */
export function interesting64(r: Rng, out: DataView, off: number): void {
  switch (r.below(7)) {
    case 0:
    case 1:
      out.setUint32(off, r.u32(), true);
      out.setUint32(off + 4, r.u32(), true);
      return;
    case 2:
      out.setBigUint64(off, r.pick(F64), true);
      return;
    case 3:
      out.setUint32(off, r.pick(F32), true);
      out.setUint32(off + 4, r.pick(F32), true);
      return;
    case 4:
      for (let i = 0; i < 4; i++) out.setUint16(off + 2 * i, r.pick(F16), true);
      return;
    case 5:
      out.setBigUint64(off, interestingX(r), true);
      return;
    default:
      // small signed lanes of a random width
      for (let i = 0; i < 8; i++) out.setInt8(off + i, r.range(-3, 3));
  }
}

/** Jitter of a base register: mostly 16-byte aligned, sometimes misaligned (an alignment fault on most accesses). */
function baseJitter(r: Rng): bigint {
  let d = 16 * r.range(-16, 16);
  if (r.chance(0.08)) d += r.range(1, 15);
  return BigInt(d);
}

export function randomState(r: Rng, o: StateOptions): SlotState {
  const x: bigint[] = [];
  for (let i = 0; i < 31; i++) x.push(interestingX(r));
  x[26] = BigInt(r.chance(0.7) ? 16 * r.range(0, 3) : r.range(0, 63)); // index register of register-offset loads and stores
  x[27] = o.dataAddr + BigInt(BASES.X27) + baseJitter(r);
  x[28] = o.dataAddr + BigInt(BASES.X28) + baseJitter(r);
  const sp = o.dataAddr + BigInt(BASES.SP) + baseJitter(r);
  const v = new Uint8Array(512);
  const dv = new DataView(v.buffer);
  for (let i = 0; i < 64; i++) interesting64(r, dv, 8 * i);
  let fpcr = 0;
  if (o.randomFpcr && r.chance(0.5)) {
    // RMode (23:22), FZ (24), DN (25), AHP (26), FZ16 (19)
    fpcr = (r.below(4) << 22) | (r.below(2) << 24) | (r.below(2) << 25) | (r.below(2) << 26) | (r.below(2) << 19);
  }
  return { x, sp, nzcv: r.below(16) << 28, fpcr, fpsr: 0, v };
}

export function writeState(s: SlotState, out: Uint8Array, off: number): void {
  const dv = new DataView(out.buffer, out.byteOffset + off, STATE.SIZE);
  for (let i = 0; i < 31; i++) dv.setBigUint64(STATE.X + 8 * i, s.x[i], true);
  dv.setBigUint64(STATE.SP, s.sp, true);
  dv.setBigUint64(STATE.NZCV, BigInt(s.nzcv >>> 0), true);
  dv.setBigUint64(STATE.FPCR, BigInt(s.fpcr >>> 0), true);
  dv.setBigUint64(STATE.FPSR, BigInt(s.fpsr >>> 0), true);
  out.set(s.v, off + STATE.V);
}

/** The data buffer's initial contents (the same for every slot of a run). */
export function memoryImage(r: Rng, size: number): Uint8Array {
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  for (let off = 0; off < size; off += 8) interesting64(r, dv, off);
  return b;
}
