/**
 * The interrupt state both GIC models share (gicv3.ts, gicv2.ts): one SharedArrayBuffer
 * (`s`, Int32Array) that every vCPU worker maps, behind a spin lock on word 0, so an SGI
 * or a device line goes from any thread straight into the target vCPU's state.
 *
 * Layout (word indices):
 *
 *   0                 lock (Atomics.compareExchange 0 → 1)
 *   1                 distributor control (GICD_CTLR)
 *   D_BMP …           shared bitmaps, one bit per INTID, NKINDS × nw words (word 0 unused:
 *                     INTIDs 0..31 are banked per CPU)
 *   dPrio …           one priority word per INTID (SPIs; 0..31 are banked)
 *   dRoute …          two words per INTID: GICD_IROUTER (GICv3) or the ITARGETSR byte (GICv2)
 *   cBase + i*C_SIZE  per vCPU: redistributor words, the banked bitmaps and priorities of
 *                     INTIDs 0..31, and the GICv2 SGI source masks
 *
 * A state change marks the affected vCPUs with PENDING_GIC (`kick`); each recomputes its
 * highest-priority pending interrupt at its next block boundary. A vCPU attached in
 * another thread (SMP) is told through `onRemoteKick` (shared PENDING bit + wake).
 */
import type { Cpu } from '../a64/cpu.js';
import { PENDING_GIC } from '../a64/exceptions.js';

/** SGIs and PPIs (INTIDs 0..31) are private to a CPU. */
export const GIC_INTERNAL = 32;
export const INTID_SPURIOUS = 1023;

const W_LOCK = 0;
export const W_DCTLR = 1;
export const D_BMP = 4;
/** Bitmap kinds: one bit per INTID. */
export const K_ENABLE = 0;
export const K_PEND = 1;
export const K_ACTIVE = 2;
export const K_LEVEL = 3;
export const K_EDGE = 4;
export const K_GROUP = 5;
const NKINDS = 6;
/** Per-CPU block: redistributor registers (GICv3), private bitmaps, priorities, SGI sources (GICv2). */
export const C_CTLR = 0;
export const C_WAKER = 1;
export const C_AFF = 2;
export const C_BMP = 4;
export const C_PRIO = 16;
export const C_SGISRC = 48;
export const C_SIZE = 64;

export function ctz32(v: number): number {
  return v === 0 ? 32 : 31 - Math.clz32(v & -v);
}

/** The part of a CPU interface the shared state needs: the vCPU it belongs to. */
export interface GicCpuPort {
  readonly cpu: Cpu;
}

export abstract class GicState<C extends GicCpuPort> {
  readonly sab: SharedArrayBuffer;
  readonly s: Int32Array;
  protected readonly nw: number;
  protected readonly dPrio: number;
  protected readonly dRoute: number;
  protected readonly cBase: number;
  readonly cpus: (C | undefined)[];
  /** Called after a vCPU was marked PENDING_GIC (the board wakes it if it sleeps in WFI). */
  onKick: (cpu: number) => void = () => {};
  /** SMP: vCPU `cpu` is not attached in this thread; the machine signals it (shared PENDING bit + wake). */
  onRemoteKick: (cpu: number) => void = () => {};
  /** Highest priority found by the last findHppi. */
  hppiPrio = 0xff;

  constructor(
    what: string,
    readonly numCpu: number,
    readonly numIrq: number,
    sab?: SharedArrayBuffer,
  ) {
    if (numIrq % 32 !== 0 || numIrq < 64 || numIrq > 1020)
      throw new Error(`${what}: ${numIrq} INTIDs (must be a multiple of 32, 64..1020)`);
    this.nw = numIrq / 32;
    this.dPrio = D_BMP + NKINDS * this.nw;
    this.dRoute = this.dPrio + numIrq;
    this.cBase = this.dRoute + 2 * numIrq;
    const words = this.cBase + numCpu * C_SIZE;
    this.sab = sab ?? new SharedArrayBuffer(words * 4);
    this.s = new Int32Array(this.sab);
    this.cpus = new Array<C | undefined>(numCpu).fill(undefined);
  }

  // ---- lock ------------------------------------------------------------------------

  lock(): void {
    while (Atomics.compareExchange(this.s, W_LOCK, 0, 1) !== 0) {
      Atomics.wait(this.s, W_LOCK, 1, 1);
    }
  }

  /** Error reports only: the lock if it comes free within `ms` (a vCPU may have stopped inside it). */
  tryLock(ms: number): boolean {
    const end = Date.now() + ms;
    while (Atomics.compareExchange(this.s, W_LOCK, 0, 1) !== 0) {
      if (Date.now() >= end) return false;
      Atomics.wait(this.s, W_LOCK, 1, 1);
    }
    return true;
  }

  unlock(): void {
    Atomics.store(this.s, W_LOCK, 0);
    Atomics.notify(this.s, W_LOCK, 1);
  }

  /** Mark vCPU `i` (or all, i < 0) to recompute its interrupt outputs. */
  kick(i: number): void {
    for (let k = 0; k < this.numCpu; k++) {
      if (i >= 0 && k !== i) continue;
      const cif = this.cpus[k];
      if (cif === undefined) {
        // A vCPU running in another worker (SMP): it learns through its shared control block.
        this.onRemoteKick(k);
        continue;
      }
      cif.cpu.pendingCheck |= PENDING_GIC;
      this.onKick(k);
    }
  }

  // ---- device inputs ---------------------------------------------------------------

  /** Drive the input line of shared peripheral interrupt `intid` (32 ≤ intid < numIrq). */
  raiseSpi(intid: number, level: boolean): void {
    if (intid < GIC_INTERNAL || intid >= this.numIrq) return;
    this.lock();
    const changed = this.setLine(-1, intid, level);
    this.unlock();
    if (changed) this.kick(-1);
  }

  /** Drive private peripheral interrupt `intid` (16 ≤ intid < 32) of vCPU `cpu`. */
  setPpi(cpu: number, intid: number, level: boolean): void {
    if (intid < 16 || intid >= GIC_INTERNAL || cpu < 0 || cpu >= this.numCpu) return;
    this.lock();
    const changed = this.setLine(cpu, intid, level);
    this.unlock();
    if (changed) this.kick(cpu);
  }

  /** Locked: record an input level; a rising edge latches pending for edge-triggered interrupts. */
  private setLine(cpu: number, irq: number, level: boolean): boolean {
    const bit = 1 << (irq & 31);
    const lw = this.word(cpu, K_LEVEL, irq);
    const old = (this.s[lw] & bit) !== 0;
    if (old === level) return false;
    this.s[lw] = level ? this.s[lw] | bit : this.s[lw] & ~bit;
    if (level && (this.s[this.word(cpu, K_EDGE, irq)] & bit) !== 0) this.s[this.word(cpu, K_PEND, irq)] |= bit;
    return true;
  }

  // ---- state helpers (caller holds the lock where it matters) -------------------------

  /** Word index of bitmap `kind` holding `irq` (private interrupts: vCPU `cpu`'s bank). */
  word(cpu: number, kind: number, irq: number): number {
    return irq < GIC_INTERNAL ? this.cBase + cpu * C_SIZE + C_BMP + kind : D_BMP + kind * this.nw + (irq >> 5);
  }

  prioIndex(cpu: number, irq: number): number {
    return irq < GIC_INTERNAL ? this.cBase + cpu * C_SIZE + C_PRIO + irq : this.dPrio + irq;
  }

  /** First word of vCPU `cpu`'s block. */
  protected cpuBlock(cpu: number): number {
    return this.cBase + cpu * C_SIZE;
  }

  protected bit(cpu: number, kind: number, irq: number): boolean {
    return (this.s[this.word(cpu, kind, irq)] & (1 << (irq & 31))) !== 0;
  }

  protected setBit(cpu: number, kind: number, irq: number, on: boolean): void {
    const w = this.word(cpu, kind, irq);
    const b = 1 << (irq & 31);
    this.s[w] = on ? this.s[w] | b : this.s[w] & ~b;
  }

  /** 0: Group 0, 1: Group 1. */
  groupOf(cpu: number, irq: number): number {
    return this.bit(cpu, K_GROUP, irq) ? 1 : 0;
  }

  /** Whether SPI `irq` may be taken by vCPU `cpu` (GICD_IROUTER / GICD_ITARGETSR). */
  protected abstract spiTargets(irq: number, cpu: number): boolean;

  /** The pending bits of a word of group bits `grp` that may compete for the HPPI (all by default). */
  protected hppiGroupFilter(grp: number): number {
    void grp;
    return -1;
  }

  /**
   * Highest-priority pending, enabled, inactive interrupt for vCPU `cpu` (QEMU's best-IRQ
   * search: lowest priority value, then lowest INTID; priority 0xff never wins). Returns
   * the INTID or INTID_SPURIOUS; the priority is left in `hppiPrio`. Caller holds the lock.
   */
  findHppi(cpu: number): number {
    const s = this.s;
    let best = INTID_SPURIOUS;
    let bestPrio = 0xff;
    const nw = this.nw;
    for (let w = 0; w < nw; w++) {
      let pend: number;
      let grp: number;
      if (w === 0) {
        const b = this.cBase + cpu * C_SIZE + C_BMP;
        pend = (s[b + K_PEND] | (s[b + K_LEVEL] & ~s[b + K_EDGE])) & s[b + K_ENABLE] & ~s[b + K_ACTIVE];
        grp = s[b + K_GROUP];
      } else {
        pend =
          (s[D_BMP + K_PEND * nw + w] | (s[D_BMP + K_LEVEL * nw + w] & ~s[D_BMP + K_EDGE * nw + w])) &
          s[D_BMP + K_ENABLE * nw + w] &
          ~s[D_BMP + K_ACTIVE * nw + w];
        grp = s[D_BMP + K_GROUP * nw + w];
      }
      pend &= this.hppiGroupFilter(grp);
      while (pend !== 0) {
        const k = ctz32(pend);
        pend &= pend - 1;
        const irq = w * 32 + k;
        if (w !== 0 && !this.spiTargets(irq, cpu)) continue;
        const prio = s[this.prioIndex(cpu, irq)] & 0xff;
        if (prio < bestPrio) {
          bestPrio = prio;
          best = irq;
        }
      }
    }
    this.hppiPrio = bestPrio;
    return best;
  }

  /** Locked: acknowledge: pending → active (the line of a level-sensitive interrupt stays pending). */
  activate(cpu: number, irq: number): void {
    this.setBit(cpu, K_ACTIVE, irq, true);
    this.setBit(cpu, K_PEND, irq, false);
  }

  deactivate(cpu: number, irq: number): void {
    this.lock();
    this.setBit(cpu, K_ACTIVE, irq, false);
    this.unlock();
    this.kick(irq < GIC_INTERNAL ? cpu : -1);
  }

  // ---- register helpers ------------------------------------------------------------------

  /** 32 bits of a bitmap; pending reads include level-sensitive interrupts whose line is high. */
  protected readBitmap(cpu: number, kind: number, irq: number): number {
    const v = this.s[this.word(cpu, kind, irq)];
    if (kind !== K_PEND) return v;
    return v | (this.s[this.word(cpu, K_LEVEL, irq)] & ~this.s[this.word(cpu, K_EDGE, irq)]);
  }

  /** ISENABLER/ICENABLER/ISPENDR/ICPENDR/ISACTIVER/ICACTIVER at offset `off` (0x100..0x3ff). Locked. */
  protected writeSetClear(cpu: number, off: number, irq: number, v: number): void {
    const r = (off - 0x100) >> 7;
    const kind = r < 2 ? K_ENABLE : r < 4 ? K_PEND : K_ACTIVE;
    const w = this.word(cpu, kind, irq);
    this.s[w] = (r & 1) === 0 ? this.s[w] | v : this.s[w] & ~v;
  }

  /** ICFGR for 16 INTIDs from `irq`: 0b10 in the odd bit = edge-triggered. */
  protected readCfg(cpu: number, irq: number): number {
    const e = this.s[this.word(cpu, K_EDGE, irq)] >>> (irq & 16);
    let v = 0;
    for (let k = 0; k < 16; k++) if ((e & (1 << k)) !== 0) v |= 2 << (2 * k);
    return v;
  }

  protected writeCfg(cpu: number, irq: number, v: number): void {
    const w = this.word(cpu, K_EDGE, irq);
    let e = this.s[w];
    for (let k = 0; k < 16; k++) {
      const b = 1 << ((irq & 16) + k);
      e = (v & (2 << (2 * k))) !== 0 ? e | b : e & ~b;
    }
    this.s[w] = e;
  }

  /** IPRIORITYR byte/word reads (`first`: lowest INTID these registers hold). */
  protected readPrio(cpu: number, o: number, size: number, first: number): number {
    if (size !== 1 && size !== 4) return 0;
    let v = 0;
    for (let k = size - 1; k >= 0; k--) {
      const irq = o + k;
      v = (v << 8) | (irq < first || irq >= this.numIrq ? 0 : this.s[this.prioIndex(cpu, irq)] & 0xff);
    }
    return v;
  }

  protected writePrio(cpu: number, o: number, size: number, v: number, first: number): void {
    if (size !== 1 && size !== 4) return;
    this.lock();
    for (let k = 0; k < size; k++) {
      const irq = o + k;
      if (irq >= first && irq < this.numIrq) this.s[this.prioIndex(cpu, irq)] = (v >>> (8 * k)) & 0xff;
    }
    this.unlock();
    this.kick(cpu < 0 || o + size > GIC_INTERNAL ? -1 : cpu);
  }
}
