/**
 * The per-vCPU memory path: a direct-mapped software TLB in front of address
 * translation and the physical bus.
 *
 * Hot path (STYLE §4): a hit is an index computation, two tag compares and one
 * typed-array access. The tag compare also rejects misaligned accesses (the low
 * bits of the tag are zero), so they fall to the slow path, which handles
 * alignment faults, page-crossing accesses, MMIO and translation.
 *
 * Faults are values (STYLE §5): a faulting access returns 0 and leaves
 * `fault` non-zero with the fault record filled; the op then calls
 * `c.memFault(pcLo, pcHi)` (see exceptions.ts) and returns JUMP.
 */
import type { Device, PhysBus, RamRegion } from './bus.js';

/** 16384 entries: 64 MiB of 4 KiB pages per translation context (QEMU's softmmu TLB starts at 256). */
export const TLB_BITS = 14;
export const TLB_SIZE = 1 << TLB_BITS;
const TLB_MASK = TLB_SIZE - 1;
/** A tag that no access can match (bit 0 set, never page aligned). */
const NO_TAG = 1;

/** Access kinds (bit set). */
export const ACC_READ = 1;
export const ACC_WRITE = 2;
export const ACC_EXEC = 4;
/** Unprivileged access (LDTR/STTR, or EL0). */
export const ACC_UNPRIV = 8;
/** Exclusive or atomic (LDXR/STXR, LSE): needs Normal memory for the monitor. */
export const ACC_ATOMIC = 16;
/** Cache maintenance by VA (DC CVAC …): reported with CM=1, treated as a read. */
export const ACC_CM = 32;

/** Fault status codes (DFSC/IFSC values, level added where the architecture has one). */
export const FSC_ADDRESS_SIZE = 0x00;
export const FSC_TRANSLATION = 0x04;
export const FSC_ACCESS_FLAG = 0x08;
export const FSC_PERMISSION = 0x0c;
export const FSC_SYNC_EXTERNAL = 0x10;
export const FSC_ALIGNMENT = 0x21;

/**
 * Translation hook: resolves a VA to a PA (a number below 2^52) or returns -1 after
 * filling the fault fields of `m`. Installed by the MMU; the default is the
 * MMU-off identity map with the PA-size check.
 */
export type Translate = (m: MemPath, lo: number, hi: number, acc: number) => number;

/** One set of fast-path TLB arrays (read and write), for one translation context. */
export class FastTlb {
  readonly rTagLo = new Int32Array(TLB_SIZE).fill(NO_TAG);
  readonly rTagHi = new Int32Array(TLB_SIZE);
  readonly rReg = new Int32Array(TLB_SIZE);
  readonly rOff = new Int32Array(TLB_SIZE);
  readonly wTagLo = new Int32Array(TLB_SIZE).fill(NO_TAG);
  readonly wTagHi = new Int32Array(TLB_SIZE);
  readonly wReg = new Int32Array(TLB_SIZE);
  readonly wOff = new Int32Array(TLB_SIZE);
  /** Non-zero once anything was installed since the last flush (skip needless fills). */
  used = 0;

  flush(): void {
    if (this.used === 0) return;
    this.rTagLo.fill(NO_TAG);
    this.wTagLo.fill(NO_TAG);
    this.used = 0;
  }
}

export class MemPath {
  /**
   * The fast-path arrays of the current context (EL/PAN/regime); the MMU selects
   * the set on context changes so switching EL does not flush. Pages holding
   * decoded code are never installed in the write arrays.
   */
  rTagLo: Int32Array;
  rTagHi: Int32Array;
  rReg: Int32Array;
  rOff: Int32Array;
  wTagLo: Int32Array;
  wTagHi: Int32Array;
  wReg: Int32Array;
  wOff: Int32Array;
  private set: FastTlb;
  readonly sets: FastTlb[] = [];

  readonly ram8: Uint8Array[];
  readonly ram16: Uint16Array[];
  readonly ram32: Int32Array[];
  /** Doubleword views of the RAM regions, for single-copy atomic 8-byte accesses (`atomic64`). */
  readonly ram64: Float64Array[];
  /**
   * RAM is shared with other vCPU workers: aligned 8-byte accesses must be single-copy
   * atomic (Arm ARM B2.2.1), so they go through one 8-byte host access (`ram64`)
   * instead of two 32-bit ones. Off on a single vCPU (two Int32 accesses are faster).
   */
  atomic64 = false;
  /** Per RAM region, one byte per 4 KiB page: non-zero when decoded blocks exist for that page. */
  readonly code: Uint8Array[];

  /** High word of the last 64-bit load. */
  hi = 0;

  /** Fault record of the last failed access (0 = no fault). */
  fault = 0;
  /** DFSC/IFSC value including the level. */
  faultStatus = 0;
  faultVaLo = 0;
  faultVaHi = 0;
  faultAcc = 0;
  /** Fault on a stage-1 table walk access at stage 2 (S1PTW). */
  faultS1ptw = 0;
  /** Stage-2 fault: the IPA (for HPFAR_EL2), -1 otherwise. */
  faultIpa = -1;
  /** Fault taken to EL2 because it happened at stage 2. */
  faultStage2 = 0;

  /** Strict alignment (SCTLR_ELx.A) or Device memory (MMU off): misaligned data accesses fault. */
  strictAlign = true;
  /**
   * Set by the translator: the last translated access is to Device memory (misaligned
   * accesses fault, and it is never cached in the fast path for misaligned use).
   */
  lastDevice = false;

  /** Called when a store hits a page holding decoded code (invalidate blocks there). */
  onCodeWrite: (pa: number) => void = () => {};

  /**
   * Checker mode (core/mmu/checker.ts): pages the table walker has read are watched,
   * and stores to them are reported with the old and new value of each 64-bit word
   * they touch; the fast path is not filled, so every data access is re-translated.
   */
  checking = false;
  /** Watched pages per RAM region (shared between vCPUs in checker mode). */
  watch: Uint8Array[];
  onWatchedWrite: (paWord: number, oldLo: number, oldHi: number, newLo: number, newHi: number) => void = () => {};

  /** Counters (read by the host): fast-TLB fills on the slow path; fast-TLB hits, one increment per hit. */
  tlbMisses = 0;
  tlbHits = 0;
  mmioAccesses = 0;

  translate: Translate;
  paBits: number;

  constructor(
    readonly bus: PhysBus,
    paBits: number,
  ) {
    this.paBits = paBits;
    this.ram8 = bus.ram.map((r) => r.u8);
    this.ram16 = bus.ram.map((r) => r.u16);
    this.ram32 = bus.ram.map((r) => r.i32);
    this.ram64 = bus.ram.map((r) => new Float64Array(r.i32.buffer, r.i32.byteOffset, r.size >>> 3));
    this.code = bus.ram.map((r) => new Uint8Array(Math.ceil(r.size / 4096)));
    this.watch = bus.ram.map((r) => new Uint8Array(Math.ceil(r.size / 4096)));
    this.translate = identityTranslate;
    this.set = this.newSet();
    this.rTagLo = this.set.rTagLo;
    this.rTagHi = this.set.rTagHi;
    this.rReg = this.set.rReg;
    this.rOff = this.set.rOff;
    this.wTagLo = this.set.wTagLo;
    this.wTagHi = this.set.wTagHi;
    this.wReg = this.set.wReg;
    this.wOff = this.set.wOff;
  }

  /** A new fast-TLB set owned by this path (the MMU keeps one per translation context). */
  newSet(): FastTlb {
    const s = new FastTlb();
    this.sets.push(s);
    return s;
  }

  /** Make `s` the current fast-TLB set. */
  selectSet(s: FastTlb): void {
    if (s === this.set) return;
    this.set = s;
    this.rTagLo = s.rTagLo;
    this.rTagHi = s.rTagHi;
    this.rReg = s.rReg;
    this.rOff = s.rOff;
    this.wTagLo = s.wTagLo;
    this.wTagHi = s.wTagHi;
    this.wReg = s.wReg;
    this.wOff = s.wOff;
  }

  /** Drop every fast-path entry of every context (translation registers changed). */
  flushFast(): void {
    for (const s of this.sets) s.flush();
  }

  /**
   * TLB invalidation from the guest (TLBI): drops the fast path and asks the MMU to
   * invalidate its architectural TLB (`onTlbFlush`; without an MMU there is none).
   */
  flushTlb(): void {
    this.flushFast();
    this.onTlbFlush();
  }

  /** Installed by the MMU: invalidate every architectural TLB entry. */
  onTlbFlush: () => void = () => {};

  /**
   * Drop the fast-TLB slots that 4 KiB VA pages [firstPage, firstPage + pages) index
   * to, in every context's set (a superset: slots are indexed by the low VA bits only).
   * Large ranges flush everything.
   */
  dropFastPages(firstPage: number, pages: number): void {
    if (pages >= TLB_SIZE) {
      this.flushFast();
      return;
    }
    for (const s of this.sets) {
      if (s.used === 0) continue;
      for (let k = 0; k < pages; k++) {
        const i = (firstPage + k) & TLB_MASK;
        s.rTagLo[i] = NO_TAG;
        s.wTagLo[i] = NO_TAG;
      }
    }
  }

  /** Drop write entries for a physical page that now holds code. */
  protectCodePage(region: number, pageOff: number): void {
    for (const s of this.sets) {
      for (let i = 0; i < TLB_SIZE; i++) {
        if (s.wTagLo[i] !== NO_TAG && s.wReg[i] === region && s.wOff[i] === pageOff) s.wTagLo[i] = NO_TAG;
      }
    }
  }

  // ---- fast paths -------------------------------------------------------

  ld8(lo: number, hi: number): number {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.rTagLo[i] === (lo & -4096) && this.rTagHi[i] === hi) {
      this.tlbHits++;
      this.fault = 0;
      return this.ram8[this.rReg[i]][this.rOff[i] | (lo & 4095)];
    }
    return this.slowRead(lo, hi, 1, ACC_READ);
  }

  ld16(lo: number, hi: number): number {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.rTagLo[i] === (lo & -4095) && this.rTagHi[i] === hi) {
      this.tlbHits++;
      this.fault = 0;
      return this.ram16[this.rReg[i]][(this.rOff[i] | (lo & 4095)) >> 1];
    }
    return this.slowRead(lo, hi, 2, ACC_READ);
  }

  /** Returns the 32-bit value as int32. */
  ld32(lo: number, hi: number): number {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.rTagLo[i] === (lo & -4093) && this.rTagHi[i] === hi) {
      this.tlbHits++;
      this.fault = 0;
      return this.ram32[this.rReg[i]][(this.rOff[i] | (lo & 4095)) >> 2];
    }
    return this.slowRead(lo, hi, 4, ACC_READ);
  }

  /** Returns the low word; the high word is in `this.hi`. */
  ld64(lo: number, hi: number): number {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.rTagLo[i] === (lo & -4089) && this.rTagHi[i] === hi) {
      this.tlbHits++;
      const a = this.ram32[this.rReg[i]];
      const w = (this.rOff[i] | (lo & 4095)) >> 2;
      this.fault = 0;
      if (this.atomic64) return load64(this, this.ram64[this.rReg[i]], w >> 1);
      this.hi = a[w + 1];
      return a[w];
    }
    return this.slowRead(lo, hi, 8, ACC_READ);
  }

  st8(lo: number, hi: number, v: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.wTagLo[i] === (lo & -4096) && this.wTagHi[i] === hi) {
      this.tlbHits++;
      this.ram8[this.wReg[i]][this.wOff[i] | (lo & 4095)] = v;
      this.fault = 0;
      return;
    }
    this.slowWrite(lo, hi, 1, ACC_WRITE, v, 0);
  }

  st16(lo: number, hi: number, v: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.wTagLo[i] === (lo & -4095) && this.wTagHi[i] === hi) {
      this.tlbHits++;
      this.ram16[this.wReg[i]][(this.wOff[i] | (lo & 4095)) >> 1] = v;
      this.fault = 0;
      return;
    }
    this.slowWrite(lo, hi, 2, ACC_WRITE, v, 0);
  }

  st32(lo: number, hi: number, v: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.wTagLo[i] === (lo & -4093) && this.wTagHi[i] === hi) {
      this.tlbHits++;
      this.ram32[this.wReg[i]][(this.wOff[i] | (lo & 4095)) >> 2] = v;
      this.fault = 0;
      return;
    }
    this.slowWrite(lo, hi, 4, ACC_WRITE, v, 0);
  }

  st64(lo: number, hi: number, vlo: number, vhi: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.wTagLo[i] === (lo & -4089) && this.wTagHi[i] === hi) {
      this.tlbHits++;
      const a = this.ram32[this.wReg[i]];
      const w = (this.wOff[i] | (lo & 4095)) >> 2;
      if (this.atomic64) store64(this.ram64[this.wReg[i]], w >> 1, vlo, vhi);
      else {
        a[w] = vlo;
        a[w + 1] = vhi;
      }
      this.fault = 0;
      return;
    }
    this.slowWrite(lo, hi, 8, ACC_WRITE, vlo, vhi);
  }

  // ---- slow paths -------------------------------------------------------

  /** Records a fault for the access at (lo, hi). Returns -1 for use by translators. */
  setFault(status: number, lo: number, hi: number, acc: number): number {
    this.fault = 1;
    this.faultStatus = status;
    this.faultVaLo = lo;
    this.faultVaHi = hi;
    this.faultAcc = acc;
    this.faultS1ptw = 0;
    this.faultIpa = -1;
    this.faultStage2 = 0;
    return -1;
  }

  /**
   * Any read: acc may add ACC_UNPRIV/ACC_ATOMIC. Returns the value (low word for 8
   * bytes, high word in `hi`), or 0 with `fault` set.
   */
  slowRead(lo: number, hi: number, size: number, acc: number): number {
    this.fault = 0;
    const misaligned = (lo & (size - 1)) !== 0;
    if (misaligned && (this.strictAlign || (acc & ACC_ATOMIC) !== 0)) {
      this.setFault(FSC_ALIGNMENT, lo, hi, acc);
      return 0;
    }
    const pa = this.translate(this, lo, hi, acc);
    if (pa < 0) return 0;
    if (misaligned) {
      // Device memory (including everything with the MMU off): misaligned accesses fault.
      if (this.lastDevice) {
        this.setFault(FSC_ALIGNMENT, lo, hi, acc);
        return 0;
      }
      if ((lo & 4095) + size > 4096 || size === 8) return this.readBytewise(lo, hi, size, acc);
    }
    const r = this.bus.find(pa);
    if (r === undefined) {
      this.setFault(FSC_SYNC_EXTERNAL, lo, hi, acc);
      return 0;
    }
    if (r.kind === 'mmio') {
      this.mmioAccesses++;
      return this.deviceRead(r.device, pa - r.base, size, lo, hi, acc);
    }
    const off = pa - r.base;
    if ((lo & (size - 1)) === 0 && (acc & (ACC_UNPRIV | ACC_ATOMIC)) === 0) this.installRead(lo, hi, r, off);
    return readRam(this, r, off, size);
  }

  slowWrite(lo: number, hi: number, size: number, acc: number, vlo: number, vhi: number): void {
    this.fault = 0;
    const misaligned = (lo & (size - 1)) !== 0;
    if (misaligned && (this.strictAlign || (acc & ACC_ATOMIC) !== 0)) {
      this.setFault(FSC_ALIGNMENT, lo, hi, acc);
      return;
    }
    const pa = this.translate(this, lo, hi, acc);
    if (pa < 0) return;
    if (misaligned) {
      if (this.lastDevice) {
        this.setFault(FSC_ALIGNMENT, lo, hi, acc);
        return;
      }
      if ((lo & 4095) + size > 4096 || size === 8) {
        this.writeBytewise(lo, hi, size, acc, vlo, vhi);
        return;
      }
    }
    const r = this.bus.find(pa);
    if (r === undefined) {
      this.setFault(FSC_SYNC_EXTERNAL, lo, hi, acc);
      return;
    }
    if (r.kind === 'mmio') {
      this.mmioAccesses++;
      this.deviceWrite(r.device, pa - r.base, size, vlo, vhi);
      return;
    }
    const off = pa - r.base;
    const page = Math.floor(off / 4096);
    if (this.code[r.index][page] !== 0) {
      this.code[r.index][page] = 0;
      this.onCodeWrite(r.base + page * 4096);
    } else if ((lo & (size - 1)) === 0 && (acc & (ACC_UNPRIV | ACC_ATOMIC)) === 0) {
      this.installWrite(lo, hi, r, off);
    }
    if (this.watch[r.index][page] !== 0) {
      this.watchedWrite(r, off, size, vlo, vhi);
      return;
    }
    writeRam(this, r, off, size, vlo, vhi);
  }

  /**
   * A store into a watched (page-table) page: report every 64-bit word it changes,
   * *before* the store is visible, so another vCPU that sees the new descriptor also
   * sees the record of its change.
   */
  private watchedWrite(r: RamRegion, off: number, size: number, vlo: number, vhi: number): void {
    const w0 = off & ~7;
    const w1 = (off + size - 1) & ~7;
    const s = watchScratch;
    s.set(r.u8.subarray(w0, w1 + 8));
    const old = [s32[0], s32[1], s32[2], s32[3]];
    const rel = off - w0;
    for (let k = 0; k < size; k++) s[rel + k] = k < 4 ? (vlo >>> (8 * k)) & 0xff : (vhi >>> (8 * (k - 4))) & 0xff;
    this.onWatchedWrite(r.base + w0, old[0], old[1], s32[0], s32[1]);
    if (w1 !== w0) this.onWatchedWrite(r.base + w1, old[2], old[3], s32[2], s32[3]);
    writeRam(this, r, off, size, vlo, vhi);
  }

  /** Watch the page holding physical address `pa` (checker mode): drop write entries that map it. */
  watchPage(pa: number): void {
    const r = this.bus.find(pa);
    if (r === undefined || r.kind !== 'ram') return;
    const page = Math.floor((pa - r.base) / 4096);
    if (this.watch[r.index][page] !== 0) return;
    this.watch[r.index][page] = 1;
    this.protectCodePage(r.index, page * 4096);
  }

  private installRead(lo: number, hi: number, r: RamRegion, off: number): void {
    this.tlbMisses++;
    if (this.checking) return;
    this.set.used = 1;
    const i = (lo >>> 12) & TLB_MASK;
    this.rTagLo[i] = lo & -4096;
    this.rTagHi[i] = hi;
    this.rReg[i] = r.index;
    this.rOff[i] = off & -4096;
  }

  private installWrite(lo: number, hi: number, r: RamRegion, off: number): void {
    this.tlbMisses++;
    if (this.checking) return;
    this.set.used = 1;
    const i = (lo >>> 12) & TLB_MASK;
    this.wTagLo[i] = lo & -4096;
    this.wTagHi[i] = hi;
    this.wReg[i] = r.index;
    this.wOff[i] = off & -4096;
  }

  private deviceRead(d: Device, off: number, size: number, lo: number, hi: number, acc: number): number {
    if ((lo & (size - 1)) !== 0) {
      // Device memory: misaligned accesses always fault.
      this.setFault(FSC_ALIGNMENT, lo, hi, acc);
      return 0;
    }
    if (size === 8) {
      const l = d.read(off, 4);
      this.hi = d.read(off + 4, 4) | 0;
      return l | 0;
    }
    return d.read(off, size) | 0;
  }

  private deviceWrite(d: Device, off: number, size: number, vlo: number, vhi: number): void {
    if (size === 8) {
      d.write(off, 4, vlo >>> 0);
      d.write(off + 4, 4, vhi >>> 0);
      return;
    }
    d.write(off, size, size === 4 ? vlo >>> 0 : vlo & ((1 << (size * 8)) - 1));
  }

  private readBytewise(lo: number, hi: number, size: number, acc: number): number {
    let l = 0;
    let h = 0;
    for (let k = 0; k < size; k++) {
      const a = (lo + k) | 0;
      const ah = a >>> 0 < lo >>> 0 ? (hi + 1) | 0 : hi;
      const b = this.slowRead(a, ah, 1, acc);
      if (this.fault) return 0;
      if (k < 4) l |= b << (8 * k);
      else h |= b << (8 * (k - 4));
    }
    this.hi = h;
    return l;
  }

  private writeBytewise(lo: number, hi: number, size: number, acc: number, vlo: number, vhi: number): void {
    // Check every byte translates before writing any (no partial stores on a fault).
    for (let k = 0; k < size; k += 1) {
      const a = (lo + k) | 0;
      const ah = a >>> 0 < lo >>> 0 ? (hi + 1) | 0 : hi;
      if (k !== 0 && (a & 4095) !== 0) continue;
      const pa = this.translate(this, a, ah, acc);
      if (pa < 0) return;
      if (this.bus.find(pa) === undefined) {
        this.setFault(FSC_SYNC_EXTERNAL, a, ah, acc);
        return;
      }
    }
    for (let k = 0; k < size; k++) {
      const a = (lo + k) | 0;
      const ah = a >>> 0 < lo >>> 0 ? (hi + 1) | 0 : hi;
      const b = k < 4 ? (vlo >>> (8 * k)) & 0xff : (vhi >>> (8 * (k - 4))) & 0xff;
      this.slowWrite(a, ah, 1, acc, b, 0);
      if (this.fault) return;
    }
  }

  // ---- helpers for special accesses (exclusives, atomics, DC ZVA, walks) ----

  /** Translate and resolve to a RAM region; returns the byte offset in `ramRegion`, or -1 (fault set, or MMIO/unmapped). */
  ramRegion: RamRegion | undefined = undefined;
  resolveRam(lo: number, hi: number, acc: number): number {
    this.fault = 0;
    const pa = this.translate(this, lo, hi, acc);
    if (pa < 0) return -1;
    const r = this.bus.find(pa);
    if (r === undefined || r.kind !== 'ram') {
      this.setFault(FSC_SYNC_EXTERNAL, lo, hi, acc);
      return -1;
    }
    this.ramRegion = r;
    const off = pa - r.base;
    const page = Math.floor(off / 4096);
    if ((acc & ACC_WRITE) !== 0 && this.code[r.index][page] !== 0) {
      this.code[r.index][page] = 0;
      this.onCodeWrite(r.base + page * 4096);
    }
    return off;
  }
}

/** Scratch for watched writes: two 64-bit words. */
const watchScratch = new Uint8Array(16);
const s32 = new Int32Array(watchScratch.buffer);

/**
 * Single-copy atomic doubleword access for shared RAM: one aligned 8-byte host load or
 * store through a Float64Array, the bits moved through a scratch double. ECMAScript
 * only promises tear-free integer element accesses; V8 compiles aligned Float64Array
 * element accesses to one 8-byte load/store (x86-64 movsd, AArch64 ldr/str d), which
 * the host architecture makes single-copy atomic, and typed-array copies keep NaN
 * payloads bit for bit (test/smp/atomic64.test.ts pins both). Atomics.load/store on a
 * BigInt64Array would be guaranteed by the language but allocate a BigInt per access
 * (~45 ns against ~6 ns, measured; docs/smp.md).
 */
const scratch64 = new Float64Array(1);
const scratch32 = new Int32Array(scratch64.buffer);

function load64(m: MemPath, f: Float64Array, d: number): number {
  scratch64[0] = f[d];
  m.hi = scratch32[1];
  return scratch32[0];
}

function store64(f: Float64Array, d: number, vlo: number, vhi: number): void {
  scratch32[0] = vlo;
  scratch32[1] = vhi;
  f[d] = scratch64[0];
}

function readRam(m: MemPath, r: RamRegion, off: number, size: number): number {
  switch (size) {
    case 1:
      return r.u8[off];
    case 2:
      return (off & 1) === 0 ? r.u16[off >> 1] : r.u8[off] | (r.u8[off + 1] << 8);
    case 4:
      return (off & 3) === 0 ? r.i32[off >> 2] : r.u8[off] | (r.u8[off + 1] << 8) | (r.u8[off + 2] << 16) | (r.u8[off + 3] << 24);
    default:
      if (m.atomic64 && (off & 7) === 0) return load64(m, m.ram64[r.index], off >> 3);
      m.hi = r.i32[(off >> 2) + 1];
      return r.i32[off >> 2];
  }
}

function writeRam(m: MemPath, r: RamRegion, off: number, size: number, vlo: number, vhi: number): void {
  switch (size) {
    case 1:
      r.u8[off] = vlo;
      return;
    case 2:
      if ((off & 1) === 0) r.u16[off >> 1] = vlo;
      else {
        r.u8[off] = vlo;
        r.u8[off + 1] = vlo >>> 8;
      }
      return;
    case 4:
      if ((off & 3) === 0) r.i32[off >> 2] = vlo;
      else for (let k = 0; k < 4; k++) r.u8[off + k] = vlo >>> (8 * k);
      return;
    default:
      if (m.atomic64 && (off & 7) === 0) store64(m.ram64[r.index], off >> 3, vlo, vhi);
      else {
        r.i32[off >> 2] = vlo;
        r.i32[(off >> 2) + 1] = vhi;
      }
  }
}

/**
 * MMU off: VA = PA. Addresses at or above 2^PAbits give an Address size fault at
 * level 0 (Arm ARM, AArch64.TranslateAddressS1Off).
 */
export function identityTranslate(m: MemPath, lo: number, hi: number, acc: number): number {
  m.lastDevice = (acc & ACC_EXEC) === 0;
  const hiU = hi >>> 0;
  if (m.paBits < 64 && hiU >= 2 ** (m.paBits - 32)) return m.setFault(FSC_ADDRESS_SIZE, lo, hi, acc);
  return hiU * 4294967296 + (lo >>> 0);
}
