/**
 * Single-register and pair loads/stores (Arm ARM C6.2: LDR/STR and their B/H/S*
 * variants, LDUR/STUR, LDTR/STTR, LDP/STP/LDNP/STNP/LDPSW, the SIMD&FP forms),
 * and the helpers every load/store op shares: data aborts, the SP alignment check
 * (CheckSPAlignment), and the page-crossing store probe.
 *
 * Ops are specialised at decode time (access kind, addressing mode, writeback);
 * addresses are (lo, hi) int32 pairs. Hot path: no allocation, no BigInt, no throw.
 *
 * Constrained UNPREDICTABLE choices follow QEMU (target/arm/tcg/translate-a64.c):
 *  - load with writeback and Rt == Rn: the load happens, then the writeback, so Rn
 *    ends up holding the written-back address;
 *  - store with writeback and Rt == Rn: the value stored is Rn before the writeback;
 *  - LDP with Rt == Rt2: Rt2 is written first, then Rt, so Rt's value (the lower
 *    address) wins; with writeback and Rt/Rt2 == Rn the writeback wins.
 */
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { dataAbort, EC, fpAccessTrap, syncTargetEl, takeException, VEC_SYNC } from '../exceptions.js';
import { R } from '../sysregs.js';
import { ACC_READ, ACC_UNPRIV, ACC_WRITE, FSC_ALIGNMENT, FSC_SYNC_EXTERNAL, type MemPath } from '../../mem/mempath.js';

// ---- faults ---------------------------------------------------------------

/**
 * Take the data abort recorded in c.mem. The fault flag is cleared afterwards:
 * the TLB fast path never clears it, so a stale flag would turn the next
 * fast-path hit into a bogus abort.
 */
export function abort(c: Cpu, pcLo: number, pcHi: number): number {
  const r = dataAbort(c, pcLo, pcHi);
  c.mem.fault = 0;
  return r;
}

/** SP alignment fault (EC 0x26), CheckSPAlignment() with SCTLR_ELx.SA/SA0 set. */
export function spAlignFault(c: Cpu, pcLo: number, pcHi: number): number {
  return takeException(c, syncTargetEl(c), VEC_SYNC, (EC.SP_ALIGN << 26) | (1 << 25), pcLo, pcHi);
}

/** Record an alignment fault for an access at (lo, hi); returns false for the caller's convenience. */
export function alignFault(m: MemPath, lo: number, hi: number, acc: number): boolean {
  m.setFault(FSC_ALIGNMENT, lo, hi, acc);
  return false;
}

/** True when a translation of the page holding (lo, hi) for `acc` reaches RAM or a device; else the fault is set. */
function probePage(m: MemPath, lo: number, hi: number, acc: number): boolean {
  const pa = m.translate(m, lo, hi, acc);
  if (pa < 0) return false;
  if (m.bus.find(pa) === undefined) {
    m.setFault(FSC_SYNC_EXTERNAL, lo, hi, acc);
    return false;
  }
  return true;
}

/**
 * A store of `total` bytes at (lo, hi) crosses a page: check, in the order the
 * accesses would fault (alignment of the first element, first page, second page),
 * that every byte can be written before anything is. MemPath's bytewise store
 * only checks translation of the second page, not that it reaches something.
 */
export function crossProbe(m: MemPath, lo: number, hi: number, esize: number, acc: number): boolean {
  m.fault = 0;
  if (m.strictAlign && (lo & (esize - 1)) !== 0) return alignFault(m, lo, hi, acc);
  if (!probePage(m, lo, hi, acc)) return false;
  // Device memory: misaligned accesses fault (checked after translation, as MemPath does).
  if (m.lastDevice && (lo & (esize - 1)) !== 0) return alignFault(m, lo, hi, acc);
  const plo = ((lo | 4095) + 1) | 0;
  return probePage(m, plo, plo === 0 ? (hi + 1) | 0 : hi, acc);
}

/** (lo, hi) + k for small non-negative k: high word of the result. */
export function carryHi(lo: number, hi: number, sum: number): number {
  return sum >>> 0 < lo >>> 0 ? (hi + 1) | 0 : hi;
}

// Stores that may cross a page (single element of 2, 4, 8 bytes).
function st16x(m: MemPath, lo: number, hi: number, v: number, acc: number): void {
  if ((lo & 4095) === 4095 && !crossProbe(m, lo, hi, 2, acc)) return;
  if (acc === ACC_WRITE) m.st16(lo, hi, v);
  else m.slowWrite(lo, hi, 2, acc, v, 0);
}

function st32x(m: MemPath, lo: number, hi: number, v: number, acc: number): void {
  if ((lo & 4095) > 4092 && !crossProbe(m, lo, hi, 4, acc)) return;
  if (acc === ACC_WRITE) m.st32(lo, hi, v);
  else m.slowWrite(lo, hi, 4, acc, v, 0);
}

function st64x(m: MemPath, lo: number, hi: number, vlo: number, vhi: number, acc: number): void {
  if ((lo & 4095) > 4088 && !crossProbe(m, lo, hi, 8, acc)) return;
  if (acc === ACC_WRITE) m.st64(lo, hi, vlo, vhi);
  else m.slowWrite(lo, hi, 8, acc, vlo, vhi);
}

// ---- access kinds -----------------------------------------------------------

/** Integer loads (destination X[t], index 2t). */
export const LDRB = 0;
export const LDRH = 1;
export const LDRW = 2;
export const LDRX = 3;
export const LDRSBW = 4;
export const LDRSHW = 5;
export const LDRSBX = 6;
export const LDRSHX = 7;
export const LDRSWX = 8;
/** Integer stores. */
export const STRB = 9;
export const STRH = 10;
export const STRW = 11;
export const STRX = 12;
/** SIMD&FP loads/stores (register V[t]); add log2(bytes) to the base. */
export const LDRV = 13; // +0 B, +1 H, +2 S, +3 D, +4 Q
export const STRV = 18;

/** Bytes accessed by a kind. */
export function kindBytes(kind: number): number {
  if (kind >= STRV) return 1 << (kind - STRV);
  if (kind >= LDRV) return 1 << (kind - LDRV);
  if (kind >= STRB) return 1 << (kind - STRB);
  if (kind <= LDRX) return 1 << kind;
  return kind === LDRSBW || kind === LDRSBX ? 1 : kind === LDRSWX ? 4 : 2;
}

/**
 * Load of one integer register: reads memory, then (only when nothing faulted)
 * writes X[t2/2] with the kind's extension. Returns false on a fault.
 */
function loadX(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t2: number): boolean {
  let v: number;
  let h = 0;
  switch (kind) {
    case LDRB:
      v = m.ld8(lo, hi);
      break;
    case LDRH:
      v = m.ld16(lo, hi);
      break;
    case LDRW:
      v = m.ld32(lo, hi);
      break;
    case LDRX:
      v = m.ld64(lo, hi);
      h = m.hi;
      break;
    case LDRSBW:
      v = (m.ld8(lo, hi) << 24) >> 24;
      break;
    case LDRSHW:
      v = (m.ld16(lo, hi) << 16) >> 16;
      break;
    case LDRSBX:
      v = (m.ld8(lo, hi) << 24) >> 24;
      h = v >> 31;
      break;
    case LDRSHX:
      v = (m.ld16(lo, hi) << 16) >> 16;
      h = v >> 31;
      break;
    default:
      v = m.ld32(lo, hi);
      h = v >> 31;
  }
  if (m.fault !== 0) return false;
  const x = c.x;
  x[t2] = v;
  x[t2 + 1] = h;
  return true;
}

/** Store of one integer register X[t2/2] (t2 = 2*32 for XZR). */
function storeX(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t2: number): boolean {
  const x = c.x;
  switch (kind) {
    case STRB:
      m.st8(lo, hi, x[t2] & 0xff);
      break;
    case STRH:
      st16x(m, lo, hi, x[t2] & 0xffff, ACC_WRITE);
      break;
    case STRW:
      st32x(m, lo, hi, x[t2], ACC_WRITE);
      break;
    default:
      st64x(m, lo, hi, x[t2], x[t2 + 1], ACC_WRITE);
  }
  return m.fault === 0;
}

/** SIMD&FP load of B/H/S/D/Q into V[t]; the rest of the register is cleared. */
function loadV(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t: number): boolean {
  let w0: number;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  switch (kind - LDRV) {
    case 0:
      w0 = m.ld8(lo, hi);
      break;
    case 1:
      w0 = m.ld16(lo, hi);
      break;
    case 2:
      w0 = m.ld32(lo, hi);
      break;
    case 3:
      w0 = m.ld64(lo, hi);
      w1 = m.hi;
      break;
    default: {
      // 128 bits as two 64-bit accesses; Device memory / SCTLR.A needs 16-byte alignment.
      if (m.strictAlign && (lo & 15) !== 0) return alignFault(m, lo, hi, ACC_READ);
      w0 = m.ld64(lo, hi);
      w1 = m.hi;
      if (m.fault !== 0) return false;
      const lo2 = (lo + 8) | 0;
      w2 = m.ld64(lo2, carryHi(lo, hi, lo2));
      w3 = m.hi;
    }
  }
  if (m.fault !== 0) return false;
  const v = c.v32;
  const b = 4 * t;
  v[b] = w0;
  v[b + 1] = w1;
  v[b + 2] = w2;
  v[b + 3] = w3;
  return true;
}

/** SIMD&FP store of B/H/S/D/Q from V[t]. */
function storeV(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t: number): boolean {
  const v = c.v32;
  const b = 4 * t;
  switch (kind - STRV) {
    case 0:
      m.st8(lo, hi, c.v8[16 * t]);
      break;
    case 1:
      st16x(m, lo, hi, c.v16[8 * t], ACC_WRITE);
      break;
    case 2:
      st32x(m, lo, hi, v[b], ACC_WRITE);
      break;
    case 3:
      st64x(m, lo, hi, v[b], v[b + 1], ACC_WRITE);
      break;
    default: {
      if (m.strictAlign && (lo & 15) !== 0) return alignFault(m, lo, hi, ACC_WRITE);
      // Both halves' pages are checked before the first half is written.
      if ((lo & 4095) > 4080 && !crossProbe(m, lo, hi, 16, ACC_WRITE)) return false;
      m.st64(lo, hi, v[b], v[b + 1]);
      if (m.fault !== 0) return false;
      const lo2 = (lo + 8) | 0;
      m.st64(lo2, carryHi(lo, hi, lo2), v[b + 2], v[b + 3]);
    }
  }
  return m.fault === 0;
}

/** Any single-register access; `t` is 2*Xt for integer kinds, Vt for SIMD&FP kinds. */
export function access(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t: number): boolean {
  if (kind < STRB) return loadX(c, m, lo, hi, kind, t);
  if (kind < LDRV) return storeX(c, m, lo, hi, kind, t);
  if (kind < STRV) return loadV(c, m, lo, hi, kind, t);
  return storeV(c, m, lo, hi, kind, t);
}

// ---- addressing modes -----------------------------------------------------

export const MODE_OFFSET = 0;
export const MODE_PRE = 1;
export const MODE_POST = 2;

/**
 * [Xn|SP, #off] with optional pre-/post-index writeback (unsigned offset, unscaled,
 * pre- and post-indexed forms).
 */
export function immOp(kind: number, t: number, n: number, off: number, mode: number, pcLo: number, pcHi: number): Op {
  const simd = kind >= LDRV;
  const n2 = 2 * n;
  const spChk = n === 31;
  if (mode === MODE_OFFSET) {
    if (kind < STRB && !spChk) {
      // The hottest form: integer load, base register, no writeback.
      return (c: Cpu) => {
        const x = c.x;
        const s = (x[n2] >>> 0) + off;
        const bhi = x[n2 + 1];
        const m = c.mem;
        if (!loadX(c, m, s | 0, s > 4294967295 ? (bhi + 1) | 0 : s < 0 ? (bhi - 1) | 0 : bhi, kind, t)) return abort(c, pcLo, pcHi);
        return NEXT;
      };
    }
    return (c: Cpu) => {
      if (simd && c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
      const x = c.x;
      if (spChk && c.spAlignCheck && (x[62] & 15) !== 0) return spAlignFault(c, pcLo, pcHi);
      const s = (x[n2] >>> 0) + off;
      const bhi = x[n2 + 1];
      const m = c.mem;
      if (!access(c, m, s | 0, s > 4294967295 ? (bhi + 1) | 0 : s < 0 ? (bhi - 1) | 0 : bhi, kind, t)) return abort(c, pcLo, pcHi);
      return NEXT;
    };
  }
  const post = mode === MODE_POST;
  return (c: Cpu) => {
    if (simd && c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const x = c.x;
    if (spChk && c.spAlignCheck && (x[62] & 15) !== 0) return spAlignFault(c, pcLo, pcHi);
    const blo = x[n2];
    const bhi = x[n2 + 1];
    const s = (blo >>> 0) + off;
    const wlo = s | 0;
    const whi = s > 4294967295 ? (bhi + 1) | 0 : s < 0 ? (bhi - 1) | 0 : bhi;
    const m = c.mem;
    if (!access(c, m, post ? blo : wlo, post ? bhi : whi, kind, t)) return abort(c, pcLo, pcHi);
    x[n2] = wlo;
    x[n2 + 1] = whi;
    return NEXT;
  };
}

/** Register offset: [Xn|SP, Rm{, extend {#shift}}]; option: 2 UXTW, 3 LSL/UXTX, 6 SXTW, 7 SXTX. */
export function regOp(kind: number, t: number, n: number, m2: number, option: number, shift: number, pcLo: number, pcHi: number): Op {
  const simd = kind >= LDRV;
  const n2 = 2 * n;
  const spChk = n === 31;
  const wide = (option & 1) === 1;
  const signed = (option & 4) !== 0;
  const rsh = 32 - shift;
  return (c: Cpu) => {
    if (simd && c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const x = c.x;
    if (spChk && c.spAlignCheck && (x[62] & 15) !== 0) return spAlignFault(c, pcLo, pcHi);
    const ml = x[m2];
    let ohi: number;
    if (wide) ohi = shift === 0 ? x[m2 + 1] : (x[m2 + 1] << shift) | (ml >>> rsh);
    else if (signed) ohi = shift === 0 ? ml >> 31 : ml >> rsh;
    else ohi = shift === 0 ? 0 : ml >>> rsh;
    const s = (x[n2] >>> 0) + ((ml << shift) >>> 0);
    const m = c.mem;
    if (!access(c, m, s | 0, (x[n2 + 1] + ohi + (s > 4294967295 ? 1 : 0)) | 0, kind, t)) return abort(c, pcLo, pcHi);
    return NEXT;
  };
}

/** PC-relative literal: the address is known at decode time. */
export function litOp(kind: number, t: number, alo: number, ahi: number, pcLo: number, pcHi: number): Op {
  const simd = kind >= LDRV;
  return (c: Cpu) => {
    if (simd && c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    if (!access(c, c.mem, alo, ahi, kind, t)) return abort(c, pcLo, pcHi);
    return NEXT;
  };
}

// ---- unprivileged (LDTR/STTR family) -----------------------------------------

/**
 * AArch64 unprivileged access: EL1 (and EL2 with HCR_EL2.{E2H,TGE} = {1,1}) accesses
 * as EL0 unless PSTATE.UAO is set; at EL0, EL2 (E2H=0) and EL3 it is a normal access.
 */
function unprivAcc(c: Cpu): number {
  if ((c.pstateOther & (1 << 23)) !== 0) return 0;
  if (c.el === 1) return ACC_UNPRIV;
  if (c.el === 2 && (c.sys.hi(R.HCR_EL2) & 4) !== 0 && (c.sys.lo(R.HCR_EL2) & (1 << 27)) !== 0) return ACC_UNPRIV;
  return 0;
}

function loadU(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t2: number, acc: number): boolean {
  const size = kindBytes(kind);
  let v = m.slowRead(lo, hi, size, ACC_READ | acc);
  let h = 0;
  if (m.fault !== 0) return false;
  switch (kind) {
    case LDRX:
      h = m.hi;
      break;
    case LDRSBW:
      v = (v << 24) >> 24;
      break;
    case LDRSHW:
      v = (v << 16) >> 16;
      break;
    case LDRSBX:
      v = (v << 24) >> 24;
      h = v >> 31;
      break;
    case LDRSHX:
      v = (v << 16) >> 16;
      h = v >> 31;
      break;
    case LDRSWX:
      h = v >> 31;
      break;
  }
  c.x[t2] = v;
  c.x[t2 + 1] = h;
  return true;
}

function storeU(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t2: number, acc: number): boolean {
  const x = c.x;
  const a = ACC_WRITE | acc;
  switch (kind) {
    case STRB:
      m.slowWrite(lo, hi, 1, a, x[t2] & 0xff, 0);
      break;
    case STRH:
      st16x(m, lo, hi, x[t2] & 0xffff, a);
      break;
    case STRW:
      st32x(m, lo, hi, x[t2], a);
      break;
    default:
      st64x(m, lo, hi, x[t2], x[t2 + 1], a);
  }
  return m.fault === 0;
}

/** LDTR*, STTR*: [Xn|SP, #simm9] through the slow path with the unprivileged attribute. */
export function unprivOp(kind: number, t2: number, n: number, off: number, pcLo: number, pcHi: number): Op {
  const n2 = 2 * n;
  const spChk = n === 31;
  const isLoad = kind < STRB;
  return (c: Cpu) => {
    const x = c.x;
    if (spChk && c.spAlignCheck && (x[62] & 15) !== 0) return spAlignFault(c, pcLo, pcHi);
    const s = (x[n2] >>> 0) + off;
    const bhi = x[n2 + 1];
    const lo = s | 0;
    const hi = s > 4294967295 ? (bhi + 1) | 0 : s < 0 ? (bhi - 1) | 0 : bhi;
    const m = c.mem;
    const acc = unprivAcc(c);
    const ok = isLoad ? loadU(c, m, lo, hi, kind, t2, acc) : storeU(c, m, lo, hi, kind, t2, acc);
    return ok ? NEXT : abort(c, pcLo, pcHi);
  };
}

// ---- pairs ------------------------------------------------------------------

/** Pair kinds. */
export const PAIR_W = 0;
export const PAIR_X = 1;
export const PAIR_SW = 2; // LDPSW
export const PAIR_S = 3;
export const PAIR_D = 4;
export const PAIR_Q = 5;

const PAIR_BYTES = [4, 8, 4, 4, 8, 16];

/** Element read buffer for pair loads: nothing is written to registers until both elements are read. */
const pairBuf = new Int32Array(8);

/** Read one pair element of `esize` bytes into pairBuf[at..]. */
function readElem(m: MemPath, lo: number, hi: number, esize: number, at: number): boolean {
  const b = pairBuf;
  if (esize === 4) {
    b[at] = m.ld32(lo, hi);
    return m.fault === 0;
  }
  if (esize === 16 && m.strictAlign && (lo & 15) !== 0) return alignFault(m, lo, hi, ACC_READ);
  b[at] = m.ld64(lo, hi);
  b[at + 1] = m.hi;
  if (m.fault !== 0) return false;
  if (esize === 8) return true;
  const lo2 = (lo + 8) | 0;
  b[at + 2] = m.ld64(lo2, carryHi(lo, hi, lo2));
  b[at + 3] = m.hi;
  return m.fault === 0;
}

/** Write one pair element of `esize` bytes (words w0..w3); the caller has probed page crossings. */
function writeElem(m: MemPath, lo: number, hi: number, esize: number, v: Int32Array, b: number): boolean {
  if (esize === 4) {
    m.st32(lo, hi, v[b]);
    return m.fault === 0;
  }
  if (esize === 16 && m.strictAlign && (lo & 15) !== 0) return alignFault(m, lo, hi, ACC_WRITE);
  m.st64(lo, hi, v[b], v[b + 1]);
  if (m.fault !== 0 || esize === 8) return m.fault === 0;
  const lo2 = (lo + 8) | 0;
  m.st64(lo2, carryHi(lo, hi, lo2), v[b + 2], v[b + 3]);
  return m.fault === 0;
}

const storeBuf = new Int32Array(8);

function pairLoad(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t: number, t2: number): boolean {
  const esize = PAIR_BYTES[kind];
  if (!readElem(m, lo, hi, esize, 0)) return false;
  const lo2 = (lo + esize) | 0;
  if (!readElem(m, lo2, carryHi(lo, hi, lo2), esize, 4)) return false;
  const b = pairBuf;
  if (kind <= PAIR_SW) {
    // Integer: Rt2 first, then Rt (Rt wins when Rt == Rt2, as in QEMU).
    const x = c.x;
    if (kind === PAIR_X) {
      x[t2] = b[4];
      x[t2 + 1] = b[5];
      x[t] = b[0];
      x[t + 1] = b[1];
    } else {
      const sw = kind === PAIR_SW;
      x[t2] = b[4];
      x[t2 + 1] = sw ? b[4] >> 31 : 0;
      x[t] = b[0];
      x[t + 1] = sw ? b[0] >> 31 : 0;
    }
    return true;
  }
  const v = c.v32;
  const words = esize >> 2;
  const r2 = 4 * t2;
  const r1 = 4 * t;
  for (let i = 0; i < 4; i++) v[r2 + i] = i < words ? b[4 + i] : 0;
  for (let i = 0; i < 4; i++) v[r1 + i] = i < words ? b[i] : 0;
  return true;
}

function pairStore(c: Cpu, m: MemPath, lo: number, hi: number, kind: number, t: number, t2: number): boolean {
  const esize = PAIR_BYTES[kind];
  const b = storeBuf;
  if (kind <= PAIR_SW) {
    const x = c.x;
    b[0] = x[t];
    b[1] = x[t + 1];
    b[4] = x[t2];
    b[5] = x[t2 + 1];
  } else {
    const v = c.v32;
    for (let i = 0; i < 4; i++) {
      b[i] = v[4 * t + i];
      b[4 + i] = v[4 * t2 + i];
    }
  }
  // A fault on the second page must not leave the first element (or half) stored.
  if ((lo & 4095) + 2 * esize > 4096 && !crossProbe(m, lo, hi, esize === 16 ? 16 : esize, ACC_WRITE)) return false;
  if (!writeElem(m, lo, hi, esize, b, 0)) return false;
  const lo2 = (lo + esize) | 0;
  return writeElem(m, lo2, carryHi(lo, hi, lo2), esize, b, 4);
}

/**
 * LDP/STP/LDNP/STNP/LDPSW and the SIMD&FP pairs. `t`, `t2` are 2*Xt (integer,
 * with XZR/sink resolved) or Vt numbers (SIMD&FP).
 */
export function pairOp(
  kind: number,
  isLoad: boolean,
  t: number,
  t2: number,
  n: number,
  off: number,
  mode: number,
  pcLo: number,
  pcHi: number,
): Op {
  const simd = kind >= PAIR_S;
  const n2 = 2 * n;
  const spChk = n === 31;
  const wb = mode !== MODE_OFFSET;
  const post = mode === MODE_POST;
  return (c: Cpu) => {
    if (simd && c.fpTrap !== 0) return fpAccessTrap(c, pcLo, pcHi);
    const x = c.x;
    if (spChk && c.spAlignCheck && (x[62] & 15) !== 0) return spAlignFault(c, pcLo, pcHi);
    const blo = x[n2];
    const bhi = x[n2 + 1];
    const s = (blo >>> 0) + off;
    const wlo = s | 0;
    const whi = s > 4294967295 ? (bhi + 1) | 0 : s < 0 ? (bhi - 1) | 0 : bhi;
    const m = c.mem;
    const lo = post ? blo : wlo;
    const hi = post ? bhi : whi;
    if (!(isLoad ? pairLoad(c, m, lo, hi, kind, t, t2) : pairStore(c, m, lo, hi, kind, t, t2))) return abort(c, pcLo, pcHi);
    if (wb) {
      x[n2] = wlo;
      x[n2 + 1] = whi;
    }
    return NEXT;
  };
}

/** PRFM/PRFUM (all forms): a hint; never faults. */
export function nopOp(): Op {
  return () => NEXT;
}
