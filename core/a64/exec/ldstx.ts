/**
 * Exclusives, load-acquire/store-release, compare-and-swap and LSE atomic memory
 * operations (Arm ARM C6.2 LDXR/STXR/LDXP/STXP/LDAR/STLR/CAS/CASP/LDADD…/SWP;
 * pseudocode AArch64.ExclusiveMonitorsPass, MemAtomic, MemAtomicCompareAndSwap).
 *
 * Cross-thread atomicity (DESIGN §3): every read-modify-write is an `Atomics`
 * operation on the shared RAM views, so it is atomic against other vCPU workers.
 * The local exclusive monitor remembers the PA, size and the value LDXR saw; STXR
 * is a compareExchange against that value, so an intervening store by another
 * CPU of a *different* value makes it fail (a store of the same value does not:
 * the usual value-based monitor, as in QEMU).
 *
 * Atomics need Normal RAM: on MMIO (or nothing) they take a synchronous external
 * abort (resolveRam reports FSC_SYNC_EXTERNAL). Misaligned addresses always give
 * an alignment fault, checked before translation as in the pseudocode.
 *
 * 128-bit operations: JavaScript has no 128-bit compareExchange. LDXP, STXP and CASP
 * with 64-bit registers run under one lock word shared by every vCPU worker
 * (setAtomic128Lock; as QEMU's exclusive fallback serialises them), so they are
 * single-copy atomic among themselves: an LDXP never sees half of a CASP/STXP. The
 * update itself is two compareExchanges (the first undone when the second fails), so
 * a plain 64-bit store by another CPU to one half still races only with that half.
 *
 * Constrained UNPREDICTABLE choices (as QEMU): STXR with Rs == Rt stores the
 * original Rt and then writes the status; Rs == Rn uses the original address.
 * LDXP with Rt == Rt2 writes Rt then Rt2 (Rt2 wins).
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { ACC_ATOMIC, ACC_READ, ACC_WRITE, TLB_SIZE, type MemPath } from '../../mem/mempath.js';
import type { RamRegion } from '../../mem/bus.js';
import { abort, alignFault, spAlignFault } from './ldst.js';

const TLB_MASK = TLB_SIZE - 1;

/** Region of the last ramOffset() result. */
let region: RamRegion | undefined;

/**
 * Byte offset in RAM of an aligned atomic access, or -1 with the fault set.
 * Uses the fast TLB when it hits, else resolveRam (a full translation, which does
 * not fill the fast TLB; MMIO and unmapped addresses give an external abort).
 */
function ramOffset(m: MemPath, lo: number, hi: number, size: number, acc: number): number {
  m.fault = 0;
  if ((lo & (size - 1)) !== 0) {
    alignFault(m, lo, hi, acc);
    return -1;
  }
  // Fast path: the write TLB for anything that writes (AArch64 stage 1 has no
  // write-only pages, so a writable page is readable), else the read TLB.
  const i = (lo >>> 12) & TLB_MASK;
  const tag = lo & -4096;
  if ((acc & ACC_WRITE) !== 0) {
    if (m.wTagLo[i] === tag && m.wTagHi[i] === hi) {
      region = m.bus.ram[m.wReg[i]];
      return m.wOff[i] | (lo & 4095);
    }
  } else if (m.rTagLo[i] === tag && m.rTagHi[i] === hi) {
    region = m.bus.ram[m.rReg[i]];
    return m.rOff[i] | (lo & 4095);
  }
  const off = m.resolveRam(lo, hi, acc | ACC_ATOMIC);
  if (off < 0) return -1;
  region = m.ramRegion;
  return off;
}

/** The shared lock of 128-bit atomics (SMP machines; null on one vCPU, where nothing races). */
let lock128: Int32Array | null = null;
let lock128Index = 0;

/** Install the lock word every vCPU worker of the machine shares (core/smp/vcpu.ts). */
export function setAtomic128Lock(words: Int32Array, index: number): void {
  lock128 = words;
  lock128Index = index;
}

function lock128Acquire(): void {
  if (lock128 === null) return;
  while (Atomics.compareExchange(lock128, lock128Index, 0, 1) !== 0) {
    // Held for a few accesses by another worker: spin.
  }
}

function lock128Release(): void {
  if (lock128 !== null) Atomics.store(lock128, lock128Index, 0);
}

function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

let bigHi = 0;
/** Low word of a 64-bit BigInt; the high word goes to bigHi. */
function fromBig(v: bigint): number {
  bigHi = Number(BigInt.asIntN(32, v >> 32n));
  return Number(BigInt.asIntN(32, v));
}

/** Atomic load of `size` bytes at RAM offset `off`: low word returned, high word in bigHi. */
function atomicLoad(r: RamRegion, off: number, size: number): number {
  bigHi = 0;
  switch (size) {
    case 1:
      return Atomics.load(r.u8, off);
    case 2:
      return Atomics.load(r.u16, off >> 1);
    case 4:
      return Atomics.load(r.i32, off >> 2);
    default:
      return fromBig(Atomics.load(r.i64, off >> 3));
  }
}

/** compareExchange of `size` bytes; returns true when memory held (elo, ehi) and now holds (nlo, nhi). */
function atomicCas(r: RamRegion, off: number, size: number, elo: number, ehi: number, nlo: number, nhi: number): boolean {
  switch (size) {
    case 1:
      return Atomics.compareExchange(r.u8, off, elo & 0xff, nlo & 0xff) === (elo & 0xff);
    case 2:
      return Atomics.compareExchange(r.u16, off >> 1, elo & 0xffff, nlo & 0xffff) === (elo & 0xffff);
    case 4:
      return Atomics.compareExchange(r.i32, off >> 2, elo, nlo) === elo;
    default: {
      const e = toBig(elo, ehi);
      return Atomics.compareExchange(r.i64, off >> 3, e, toBig(nlo, nhi)) === e;
    }
  }
}

/** compareExchange returning the old value (low word; high in bigHi), for CAS. */
function atomicCmpxchg(r: RamRegion, off: number, size: number, elo: number, ehi: number, nlo: number, nhi: number): number {
  bigHi = 0;
  switch (size) {
    case 1:
      return Atomics.compareExchange(r.u8, off, elo & 0xff, nlo & 0xff);
    case 2:
      return Atomics.compareExchange(r.u16, off >> 1, elo & 0xffff, nlo & 0xffff);
    case 4:
      return Atomics.compareExchange(r.i32, off >> 2, elo, nlo);
    default:
      return fromBig(Atomics.compareExchange(r.i64, off >> 3, toBig(elo, ehi), toBig(nlo, nhi)));
  }
}

function spBad(c: Cpu, spChk: boolean): boolean {
  return spChk && c.spAlignCheck && (c.x[62] & 15) !== 0;
}

// ---- exclusives ---------------------------------------------------------------

/** LDXR/LDAXR (B/H/W/X): t2 = 2*wz(Rt). */
export function ldxrOp(size: number, t2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const off = ramOffset(m, x[n2], x[n2 + 1], size, ACC_READ);
    if (off < 0) return abort(c, pcLo, pcHi);
    const r = region!;
    const lo = atomicLoad(r, off, size);
    const hi = bigHi;
    c.exclusiveArmed = true;
    c.exclusivePa = r.base + off;
    c.exclusiveSize = size;
    c.exclusiveLo = lo;
    c.exclusiveHi = hi;
    x[t2] = lo;
    x[t2 + 1] = hi;
    return NEXT;
  };
}

/** STXR/STLXR: s2 = 2*wz(Rs) status, t2 = 2*rz(Rt). */
export function stxrOp(size: number, s2: number, t2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const lo = x[n2];
    const hi = x[n2 + 1];
    let status = 1;
    if ((lo & (size - 1)) !== 0) {
      alignFault(m, lo, hi, ACC_WRITE | ACC_ATOMIC);
      return abort(c, pcLo, pcHi);
    }
    if (c.exclusiveArmed) {
      // Monitor armed: translate (faults are taken), then compare PA, size and value.
      const off = ramOffset(m, lo, hi, size, ACC_WRITE);
      if (off < 0) return abort(c, pcLo, pcHi);
      const r = region!;
      if (
        r.base + off === c.exclusivePa &&
        c.exclusiveSize === size &&
        atomicCas(r, off, size, c.exclusiveLo, c.exclusiveHi, x[t2], x[t2 + 1])
      )
        status = 0;
    }
    c.exclusiveArmed = false;
    x[s2] = status;
    x[s2 + 1] = 0;
    return NEXT;
  };
}

/** LDXP/LDAXP: esize 4 or 8; t2/u2 = 2*wz(Rt), 2*wz(Rt2). */
export function ldxpOp(esize: number, t2: number, u2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const off = ramOffset(m, x[n2], x[n2 + 1], 2 * esize, ACC_READ);
    if (off < 0) return abort(c, pcLo, pcHi);
    const r = region!;
    if (esize === 8) lock128Acquire();
    const lo = atomicLoad(r, off, 8);
    const hi = bigHi;
    c.exclusiveArmed = true;
    c.exclusivePa = r.base + off;
    c.exclusiveSize = 2 * esize;
    c.exclusiveLo = lo;
    c.exclusiveHi = hi;
    if (esize === 4) {
      x[t2] = lo;
      x[t2 + 1] = 0;
      x[u2] = hi;
      x[u2 + 1] = 0;
      return NEXT;
    }
    const lo2 = atomicLoad(r, off + 8, 8);
    const hi2 = bigHi;
    lock128Release();
    c.exclusiveLo2 = lo2;
    c.exclusiveHi2 = hi2;
    x[t2] = lo;
    x[t2 + 1] = hi;
    x[u2] = lo2;
    x[u2 + 1] = hi2;
    return NEXT;
  };
}

/** Two-doubleword compare-and-swap (see the 128-bit note above). */
function cas128(
  r: RamRegion,
  off: number,
  e0: number,
  e1: number,
  e2: number,
  e3: number,
  n0: number,
  n1: number,
  n2: number,
  n3: number,
): boolean {
  lock128Acquire();
  let ok = false;
  if (atomicCas(r, off, 8, e0, e1, n0, n1)) {
    ok = atomicCas(r, off + 8, 8, e2, e3, n2, n3);
    if (!ok) atomicCas(r, off, 8, n0, n1, e0, e1);
  }
  lock128Release();
  return ok;
}

/** STXP/STLXP: s2 status, t2/u2 = 2*rz(Rt), 2*rz(Rt2). */
export function stxpOp(esize: number, s2: number, t2: number, u2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  const size = 2 * esize;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const lo = x[n2];
    const hi = x[n2 + 1];
    let status = 1;
    if ((lo & (size - 1)) !== 0) {
      alignFault(m, lo, hi, ACC_WRITE | ACC_ATOMIC);
      return abort(c, pcLo, pcHi);
    }
    if (c.exclusiveArmed) {
      const off = ramOffset(m, lo, hi, size, ACC_WRITE);
      if (off < 0) return abort(c, pcLo, pcHi);
      const r = region!;
      if (r.base + off === c.exclusivePa && c.exclusiveSize === size) {
        const ok =
          esize === 4
            ? atomicCas(r, off, 8, c.exclusiveLo, c.exclusiveHi, x[t2], x[u2])
            : cas128(r, off, c.exclusiveLo, c.exclusiveHi, c.exclusiveLo2, c.exclusiveHi2, x[t2], x[t2 + 1], x[u2], x[u2 + 1]);
        if (ok) status = 0;
      }
    }
    c.exclusiveArmed = false;
    x[s2] = status;
    x[s2 + 1] = 0;
    return NEXT;
  };
}

// ---- load-acquire / store-release ----------------------------------------------

/**
 * LDAR/LDARB/LDARH: an aligned load done with Atomics.load (sequentially consistent,
 * so it is an acquire across workers). MMIO falls back to the ordinary device read.
 */
export function ldarOp(size: number, t2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const lo = x[n2];
    const hi = x[n2 + 1];
    let v: number;
    let h: number;
    const off = ramOffset(m, lo, hi, size, ACC_READ);
    if (off >= 0) {
      v = atomicLoad(region!, off, size);
      h = bigHi;
    } else {
      if (m.faultStatus !== 0x10 || (lo & (size - 1)) !== 0) return abort(c, pcLo, pcHi);
      // Not RAM: an ordinary (device) read reports what is really there.
      v = m.slowRead(lo, hi, size, ACC_READ);
      h = size === 8 ? m.hi : 0;
      if (m.fault !== 0) return abort(c, pcLo, pcHi);
    }
    x[t2] = v;
    x[t2 + 1] = h;
    return NEXT;
  };
}

/** STLR/STLRB/STLRH: aligned store with Atomics.store (a release across workers). */
export function stlrOp(size: number, t2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const lo = x[n2];
    const hi = x[n2 + 1];
    const vlo = x[t2];
    const off = ramOffset(m, lo, hi, size, ACC_WRITE);
    if (off >= 0) {
      const r = region!;
      switch (size) {
        case 1:
          Atomics.store(r.u8, off, vlo & 0xff);
          break;
        case 2:
          Atomics.store(r.u16, off >> 1, vlo & 0xffff);
          break;
        case 4:
          Atomics.store(r.i32, off >> 2, vlo);
          break;
        default:
          Atomics.store(r.i64, off >> 3, toBig(vlo, x[t2 + 1]));
      }
      return NEXT;
    }
    if (m.faultStatus !== 0x10 || (lo & (size - 1)) !== 0) return abort(c, pcLo, pcHi);
    m.slowWrite(lo, hi, size, ACC_WRITE, size === 4 || size === 8 ? vlo : vlo & ((1 << (size * 8)) - 1), x[t2 + 1]);
    if (m.fault !== 0) return abort(c, pcLo, pcHi);
    return NEXT;
  };
}

// ---- compare and swap -------------------------------------------------------------

/** CAS/CASA/CASL/CASAL (B/H/W/X): s2 = 2*Rs (read via rz, written via wz), t2 = 2*rz(Rt). */
export function casOp(size: number, sr2: number, sw2: number, t2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const off = ramOffset(m, x[n2], x[n2 + 1], size, ACC_READ | ACC_WRITE);
    if (off < 0) return abort(c, pcLo, pcHi);
    const old = atomicCmpxchg(region!, off, size, x[sr2], x[sr2 + 1], x[t2], x[t2 + 1]);
    x[sw2] = old;
    x[sw2 + 1] = bigHi;
    return NEXT;
  };
}

/** CASP family: esize 4 (W pair, one 64-bit CAS) or 8 (X pair, 128 bits; see note). Registers as 2*index. */
export function caspOp(esize: number, s2: number, t2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  // Rs+1 / Rt+1 may be register 31 (= XZR): reads give 0, writes go to the sink.
  const s2r = s2 + 2 === 62 ? 64 : s2 + 2;
  const s2w = s2 + 2 === 62 ? 66 : s2 + 2;
  const t2r = t2 + 2 === 62 ? 64 : t2 + 2;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const off = ramOffset(m, x[n2], x[n2 + 1], 2 * esize, ACC_READ | ACC_WRITE);
    if (off < 0) return abort(c, pcLo, pcHi);
    const r = region!;
    if (esize === 4) {
      const old = atomicCmpxchg(r, off, 8, x[s2], x[s2r], x[t2], x[t2r]);
      const oh = bigHi;
      x[s2] = old;
      x[s2 + 1] = 0;
      x[s2w] = oh;
      x[s2w + 1] = 0;
      return NEXT;
    }
    const e0 = x[s2];
    const e1 = x[s2 + 1];
    const e2 = x[s2r];
    const e3 = x[s2r + 1];
    // Read both doublewords; if they match, swap with the two-step CAS (retrying if a half moved meanwhile).
    for (;;) {
      lock128Acquire();
      const o0 = atomicLoad(r, off, 8);
      const o1 = bigHi;
      const o2 = atomicLoad(r, off + 8, 8);
      const o3 = bigHi;
      lock128Release();
      if (o0 !== e0 || o1 !== e1 || o2 !== e2 || o3 !== e3) {
        x[s2] = o0;
        x[s2 + 1] = o1;
        x[s2w] = o2;
        x[s2w + 1] = o3;
        return NEXT;
      }
      if (cas128(r, off, e0, e1, e2, e3, x[t2], x[t2 + 1], x[t2r], x[t2r + 1])) return NEXT; // Rs already holds the old value
    }
  };
}

// ---- LSE atomic memory operations ----------------------------------------------------

export const AOP_ADD = 0;
export const AOP_CLR = 1;
export const AOP_EOR = 2;
export const AOP_SET = 3;
export const AOP_SMAX = 4;
export const AOP_SMIN = 5;
export const AOP_UMAX = 6;
export const AOP_UMIN = 7;
export const AOP_SWP = 8;

/** Sign-extend a `size`-byte value held zero-extended in a number (for 1, 2, 4). */
function sx(v: number, size: number): number {
  const s = 32 - 8 * size;
  return (v << s) >> s;
}

/** The combined value for SMAX/SMIN/UMAX/UMIN of sizes 1, 2, 4 (old and operand as raw low words). */
function minMax(op: number, old: number, v: number, size: number): number {
  let a: number;
  let b: number;
  if (op === AOP_SMAX || op === AOP_SMIN) {
    a = sx(old, size);
    b = sx(v, size);
  } else {
    const mask = size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    a = (old & mask) >>> 0;
    b = (v & mask) >>> 0;
  }
  const takeA = op === AOP_SMAX || op === AOP_UMAX ? a >= b : a <= b;
  return takeA ? old : v;
}

function rmw32(r: RamRegion, off: number, size: number, op: number, v: number): number {
  if (size === 4) {
    const a = r.i32;
    const i = off >> 2;
    switch (op) {
      case AOP_ADD:
        return Atomics.add(a, i, v);
      case AOP_CLR:
        return Atomics.and(a, i, ~v);
      case AOP_EOR:
        return Atomics.xor(a, i, v);
      case AOP_SET:
        return Atomics.or(a, i, v);
      case AOP_SWP:
        return Atomics.exchange(a, i, v);
    }
    for (;;) {
      const old = Atomics.load(a, i);
      if (Atomics.compareExchange(a, i, old, minMax(op, old, v, 4)) === old) return old;
    }
  }
  const a = size === 1 ? r.u8 : r.u16;
  const i = size === 1 ? off : off >> 1;
  const mask = size === 1 ? 0xff : 0xffff;
  const w = v & mask;
  switch (op) {
    case AOP_ADD:
      return Atomics.add(a, i, w);
    case AOP_CLR:
      return Atomics.and(a, i, ~w & mask);
    case AOP_EOR:
      return Atomics.xor(a, i, w);
    case AOP_SET:
      return Atomics.or(a, i, w);
    case AOP_SWP:
      return Atomics.exchange(a, i, w);
  }
  for (;;) {
    const old = Atomics.load(a, i);
    if (Atomics.compareExchange(a, i, old, minMax(op, old, w, size) & mask) === old) return old;
  }
}

function rmw64(r: RamRegion, off: number, op: number, vlo: number, vhi: number): number {
  const a = r.i64;
  const i = off >> 3;
  const v = toBig(vlo, vhi);
  switch (op) {
    case AOP_ADD:
      return fromBig(Atomics.add(a, i, v));
    case AOP_CLR:
      return fromBig(Atomics.and(a, i, ~v));
    case AOP_EOR:
      return fromBig(Atomics.xor(a, i, v));
    case AOP_SET:
      return fromBig(Atomics.or(a, i, v));
    case AOP_SWP:
      return fromBig(Atomics.exchange(a, i, v));
  }
  const signed = op === AOP_SMAX || op === AOP_SMIN;
  const max = op === AOP_SMAX || op === AOP_UMAX;
  const b = signed ? v : BigInt.asUintN(64, v);
  for (;;) {
    const old = Atomics.load(a, i);
    const o = signed ? old : BigInt.asUintN(64, old);
    const nv = (max ? o >= b : o <= b) ? old : v;
    if (Atomics.compareExchange(a, i, old, nv) === old) return fromBig(old);
  }
}

/** LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN/SWP (+A/L/AL, B/H/W/X). Rs via rz, Rt via wz. */
export function atomicOp(size: number, op: number, s2: number, t2: number, n: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  return (c: Cpu) => {
    if (spBad(c, spChk)) return spAlignFault(c, pcLo, pcHi);
    const m = c.mem;
    const x = c.x;
    const off = ramOffset(m, x[n2], x[n2 + 1], size, ACC_READ | ACC_WRITE);
    if (off < 0) return abort(c, pcLo, pcHi);
    let lo: number;
    let hi = 0;
    if (size === 8) {
      lo = rmw64(region!, off, op, x[s2], x[s2 + 1]);
      hi = bigHi;
    } else {
      lo = rmw32(region!, off, size, op, x[s2]);
    }
    x[t2] = lo;
    x[t2 + 1] = hi;
    return NEXT;
  };
}
