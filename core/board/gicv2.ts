/**
 * GICv2 (Arm IHI 0048B): distributor (GICD) and memory-mapped CPU interface (GICC),
 * laid out and behaving like QEMU's `-M virt,gic-version=2` (hw/intc/arm_gic.c,
 * revision 2), which is the oracle:
 *
 *   0x0800_0000 ─ 0x0801_0000  GICD
 *   0x0801_0000 ─ 0x0802_0000  GICC (banked: each vCPU sees its own interface)
 *
 * Configuration, as QEMU virt without `secure=on`: no Security Extensions (interrupt
 * groups exist, GICD_CTLR.EnableGrp0/1, GICC_CTLR.AckCtl/FIQEn/CBPR/EOImode), 288
 * INTIDs, up to 8 CPUs, 8 bits of priority, 128 preemption levels (minimum BPR 0,
 * ABPR 1; GICC_APR0..3 and GICC_NSAPR0..3). Group 0 interrupts are signalled as FIQ
 * when GICC_CTLR.FIQEn is set, everything else as IRQ. SGIs remember their source
 * CPUs (GICC_IAR.CPUID) and are always enabled, as QEMU's. With one CPU GICD_ITARGETSR
 * reads as zero and every interrupt goes to CPU 0; with more, SPIs target no CPU until
 * software writes ITARGETSR. Interrupts reset to Group 0 — QEMU moves them to Group 1
 * for a kernel only when the GIC has the Security Extensions, so `resetNonSecure` does
 * nothing here. No virtualization extensions (GICH/GICV) and no GICv2m MSI frame.
 *
 * The ICC_* system registers do not exist with a GICv2 (ID_AA64PFR0_EL1.GIC = 0): the
 * CPU interface says `hasSysRegs = false` and sysreg-gic.ts makes them UNDEFINED.
 *
 * The shared state (gic-state.ts) is the GICv3's: the same bitmaps, priorities and lock
 * in one SharedArrayBuffer, so GICD_SGIR sets the target vCPU's pending state from any
 * worker. The MMIO frames are banked by the vCPU attached in this thread (`localCpu`):
 * an SMP vCPU worker attaches exactly its own vCPU; tests with several vCPUs in one
 * thread use `distributorFor(i)` and `cpuInterfaceFor(i)`.
 */
import type { Device, PhysBus } from '../mem/bus.js';
import type { Cpu } from '../a64/cpu.js';
import type { GicCpuInterface } from '../a64/interrupts.js';
import { LINE_FIQ, LINE_IRQ, PENDING_GIC } from '../a64/exceptions.js';
import {
  C_BMP,
  C_SGISRC,
  ctz32,
  GIC_INTERNAL,
  GicState,
  INTID_SPURIOUS,
  K_ACTIVE,
  K_EDGE,
  K_ENABLE,
  K_GROUP,
  K_PEND,
  W_DCTLR,
} from './gic-state.js';

export const GICV2_DIST_BASE = 0x0800_0000;
export const GICV2_DIST_SIZE = 0x1_0000;
export const GICV2_CPU_BASE = 0x0801_0000;
export const GICV2_CPU_SIZE = 0x1_0000;
/** 256 SPIs + 32 private interrupts, as QEMU virt. */
export const GICV2_NUM_IRQ = 288;
export const GICV2_MAX_CPUS = 8;

/** GICD_IIDR (Arm, 0x43B) and GICC_IIDR (ArchitectureVersion 2), as QEMU. */
const GICD_IIDR = 0x43b;
const GICC_IIDR = 0x2043b;
/** PIDR4..7, PIDR0..3, CIDR0..3 at 0xFD0 (PIDR2.ArchRev = 2), as QEMU. */
const GICD_IDS = [0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

const CTLR_EN_GRP0 = 1 << 0;
const CTLR_EN_GRP1 = 1 << 1;
const GICC_CTLR_ACKCTL = 1 << 2;
const GICC_CTLR_FIQEN = 1 << 3;
const GICC_CTLR_CBPR = 1 << 4;
const GICC_CTLR_EOIMODE = 1 << 9;
/** Writable GICC_CTLR bits without the Security Extensions (EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImodeS). */
const GICC_CTLR_MASK = 0x21f;
const MIN_BPR = 0;
const MIN_ABPR = 1;
/** Running priority when nothing is active (RPR reads 0xff). */
const IDLE = 0x100;
const INTID_GROUP1_HIDDEN = 1022;

export class GicV2 extends GicState<GicV2CpuIf> {
  readonly version = 2;
  /** The vCPU whose banked registers this thread's MMIO accesses see. */
  localCpu = 0;
  readonly distributor: Device;
  readonly cpuInterface: Device;

  constructor(numCpu: number, numIrq = GICV2_NUM_IRQ, sab?: SharedArrayBuffer) {
    if (numCpu < 1 || numCpu > GICV2_MAX_CPUS) throw new Error(`GICv2: ${numCpu} CPUs (a GICv2 serves 1 to ${GICV2_MAX_CPUS})`);
    super('GICv2', numCpu, numIrq, sab);
    this.distributor = {
      name: 'gicv2-dist',
      read: (o, n) => this.distRead(this.localCpu, o, n),
      write: (o, n, v) => this.distWrite(this.localCpu, o, n, v),
    };
    this.cpuInterface = {
      name: 'gicv2-cpu',
      read: (o, n) => this.cpuRead(this.localCpu, o, n),
      write: (o, n, v) => this.cpuWrite(this.localCpu, o, n, v),
    };
    if (sab === undefined) this.reset();
  }

  /** The distributor as vCPU `cpu` sees it (banked registers of INTIDs 0..31, SGIR source). */
  distributorFor(cpu: number): Device {
    return { name: 'gicv2-dist', read: (o, n) => this.distRead(cpu, o, n), write: (o, n, v) => this.distWrite(cpu, o, n, v) };
  }

  cpuInterfaceFor(cpu: number): Device {
    return { name: 'gicv2-cpu', read: (o, n) => this.cpuRead(cpu, o, n), write: (o, n, v) => this.cpuWrite(cpu, o, n, v) };
  }

  /** Cold reset: everything Group 0, disabled, priority 0; SGIs enabled and edge-triggered (as QEMU). */
  reset(): void {
    this.s.fill(0);
    for (let i = 0; i < this.numCpu; i++) {
      const b = this.cpuBlock(i);
      this.s[b + C_BMP + K_EDGE] = 0xffff;
      this.s[b + C_BMP + K_ENABLE] = 0xffff;
    }
  }

  /** QEMU moves interrupts to Group 1 for a kernel only on a GIC with the Security Extensions: nothing to do. */
  resetNonSecure(): void {}

  /** Give vCPU `index` its CPU interface; MMIO in this thread is now vCPU `index`'s view. */
  attachCpu(index: number, cpu: Cpu): GicV2CpuIf {
    const cif = new GicV2CpuIf(this, index, cpu);
    this.cpus[index] = cif;
    this.localCpu = index;
    cpu.gic = cif;
    cpu.pendingCheck |= PENDING_GIC;
    return cif;
  }

  /** Map the distributor and the CPU interface (QEMU virt's addresses). */
  mapInto(bus: PhysBus): void {
    bus.addDevice(GICV2_DIST_BASE, GICV2_DIST_SIZE, this.distributor);
    bus.addDevice(GICV2_CPU_BASE, GICV2_CPU_SIZE, this.cpuInterface);
  }

  /** The ITARGETSR byte of SPI `irq` (every SPI targets CPU 0 on a uniprocessor GIC). */
  targetsOf(irq: number): number {
    return this.numCpu === 1 ? 1 : this.s[this.dRoute + 2 * irq] & 0xff;
  }

  protected spiTargets(irq: number, cpu: number): boolean {
    return (this.targetsOf(irq) & (1 << cpu)) !== 0;
  }

  // ---- SGIs --------------------------------------------------------------------------

  /** Locked: SGI `irq` pending on `to` from `from`. */
  private pendSgi(to: number, irq: number, from: number): void {
    this.s[this.cpuBlock(to) + C_SGISRC + irq] |= 1 << from;
    this.setBit(to, K_PEND, irq, true);
  }

  /**
   * Locked, after `activate`: the lowest source CPU of SGI `irq` on `cpu`, taken off its
   * source mask; the SGI stays pending (active and pending) while other sources remain.
   */
  takeSgiSource(cpu: number, irq: number): number {
    const k = this.cpuBlock(cpu) + C_SGISRC + irq;
    const src = ctz32(this.s[k]);
    if (src < 32) this.s[k] &= ~(1 << src);
    this.setBit(cpu, K_PEND, irq, this.s[k] !== 0);
    return src < 32 ? src & 7 : 0;
  }

  /**
   * Called once per target of a GICD_SGIR write, after the SGI is pending there (`from` the
   * sending CPU): the SMP vCPU counts SGIs sent and received with it, as it wraps the
   * GICv3's sendSgi.
   */
  onSgi: ((from: number, to: number, irq: number) => void) | null = null;

  /** GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], SGIINTID [3:0]. */
  private writeSgir(from: number, v: number): void {
    const irq = v & 0xf;
    let mask: number;
    switch ((v >>> 24) & 3) {
      case 0:
        mask = (v >>> 16) & 0xff;
        break;
      case 1:
        mask = 0xff & ~(1 << from);
        break;
      case 2:
        mask = 1 << from;
        break;
      default:
        // Reserved; QEMU sends it to every CPU.
        mask = 0xff;
    }
    mask &= (1 << this.numCpu) - 1;
    if (mask === 0) return;
    this.lock();
    for (let t = 0; t < this.numCpu; t++) if ((mask & (1 << t)) !== 0) this.pendSgi(t, irq, from);
    this.unlock();
    for (let t = 0; t < this.numCpu; t++) {
      if ((mask & (1 << t)) === 0) continue;
      this.onSgi?.(from, t, irq);
      this.kick(t);
    }
  }

  // ---- distributor MMIO ----------------------------------------------------------------

  private distRead(cpu: number, off: number, size: number): number {
    if (off >= 0x400 && off < 0x800) return this.readPrio(cpu, off - 0x400, size, 0);
    if (off >= 0x800 && off < 0xc00) return this.readTargets(cpu, off - 0x800, size);
    if (off >= 0xf10 && off < 0xf30) return this.readSgiSources(cpu, off & 0xf, size);
    if (size !== 4) return 0;
    const s = this.s;
    if (off === 0x0) return s[W_DCTLR];
    if (off === 0x4) return (this.numIrq / 32 - 1) | ((this.numCpu - 1) << 5);
    if (off === 0x8) return GICD_IIDR;
    if (off >= 0x80 && off < 0x400) {
      const w = (off & 0x7f) >> 2;
      if (w >= this.nw) return 0;
      const kind = off < 0x100 ? K_GROUP : [K_ENABLE, K_PEND, K_ACTIVE][((off - 0x100) >> 8) & 3];
      return this.readBitmap(cpu, kind, w * 32);
    }
    if (off >= 0xc00 && off < 0xc00 + this.numIrq / 4) return this.readCfg(cpu, (off - 0xc00) * 4);
    if (off >= 0xfd0 && off < 0x1000) return GICD_IDS[(off - 0xfd0) >> 2] ?? 0;
    return 0;
  }

  private distWrite(cpu: number, off: number, size: number, v: number): void {
    if (off >= 0x400 && off < 0x800) {
      this.writePrio(cpu, off - 0x400, size, v, 0);
      return;
    }
    if (off === 0xf00 && size === 4) {
      this.writeSgir(cpu, v);
      return;
    }
    const bytes = off >= 0x800 && off < 0xc00 ? 1 : off >= 0xf10 && off < 0xf30 ? 1 : 4;
    if (size !== 4 && size !== bytes) return;
    const s = this.s;
    this.lock();
    if (off >= 0x800 && off < 0xc00) {
      this.writeTargets(off - 0x800, size, v);
    } else if (off >= 0xf10 && off < 0xf30) {
      this.writeSgiSources(cpu, off, size, v);
    } else if (off === 0x0) {
      s[W_DCTLR] = v & (CTLR_EN_GRP0 | CTLR_EN_GRP1);
    } else if (off >= 0x80 && off < 0x400) {
      const w = (off & 0x7f) >> 2;
      if (w < this.nw) {
        if (off < 0x100) s[this.word(cpu, K_GROUP, w * 32)] = v;
        // SGIs are always enabled, and their pending state changes only through SGIR/SPENDSGIR/CPENDSGIR.
        else this.writeSetClear(cpu, off, w * 32, w === 0 && off < 0x300 ? v & ~0xffff : v);
      }
    } else if (off >= 0xc04 && off < 0xc00 + this.numIrq / 4) {
      // ICFGR0 (SGIs) is fixed edge-triggered.
      this.writeCfg(cpu, (off - 0xc00) * 4, v);
    }
    this.unlock();
    this.kick(-1);
  }

  /** GICD_ITARGETSR: INTIDs 0..31 read as the reading CPU's own bit; RAZ/WI on a uniprocessor GIC. */
  private readTargets(cpu: number, o: number, size: number): number {
    if ((size !== 1 && size !== 4) || this.numCpu === 1) return 0;
    let v = 0;
    for (let k = size - 1; k >= 0; k--) {
      const irq = o + k;
      v = (v << 8) | (irq >= this.numIrq ? 0 : irq < GIC_INTERNAL ? 1 << cpu : this.targetsOf(irq));
    }
    return v;
  }

  /** Locked. */
  private writeTargets(o: number, size: number, v: number): void {
    if (this.numCpu === 1) return;
    for (let k = 0; k < size; k++) {
      const irq = o + k;
      if (irq >= GIC_INTERNAL && irq < this.numIrq) this.s[this.dRoute + 2 * irq] = (v >>> (8 * k)) & 0xff;
    }
  }

  /** GICD_CPENDSGIR/SPENDSGIR: one byte per SGI, one bit per source CPU (this CPU's SGIs). */
  private readSgiSources(cpu: number, o: number, size: number): number {
    if (size !== 1 && size !== 4) return 0;
    let v = 0;
    for (let k = size - 1; k >= 0; k--) v = (v << 8) | (o + k < 16 ? this.s[this.cpuBlock(cpu) + C_SGISRC + o + k] & 0xff : 0);
    return v;
  }

  /** Locked. */
  private writeSgiSources(cpu: number, off: number, size: number, v: number): void {
    const set = off >= 0xf20;
    for (let k = 0; k < size; k++) {
      const irq = (off & 0xf) + k;
      if (irq >= 16) break;
      const bits = (v >>> (8 * k)) & 0xff;
      const w = this.cpuBlock(cpu) + C_SGISRC + irq;
      if (set) {
        if (bits === 0) continue;
        this.s[w] |= bits;
        this.setBit(cpu, K_PEND, irq, true);
      } else {
        this.s[w] &= ~bits;
        if (this.s[w] === 0) this.setBit(cpu, K_PEND, irq, false);
      }
    }
  }

  // ---- CPU interface MMIO -------------------------------------------------------------

  private cpuRead(cpu: number, off: number, size: number): number {
    const cif = this.cpus[cpu];
    if (size !== 4 || cif === undefined) return 0;
    return cif.mmioRead(off);
  }

  private cpuWrite(cpu: number, off: number, size: number, v: number): void {
    const cif = this.cpus[cpu];
    if (size !== 4 || cif === undefined) return;
    cif.mmioWrite(off, v >>> 0);
  }
}

/**
 * The GICC of one vCPU: priority mask, binary points, active priorities (GICC_APRn for
 * Group 0, GICC_NSAPRn for Group 1: one bit per preemption level, priority >> 1), the
 * control bits; decides the vCPU's IRQ/FIQ outputs as QEMU's gic_update does.
 */
export class GicV2CpuIf implements GicCpuInterface {
  readonly hasSysRegs = false;
  ctlr = 0;
  pmr = 0;
  bpr = MIN_BPR;
  abpr = MIN_ABPR;
  readonly apr = new Int32Array(4);
  readonly nsapr = new Int32Array(4);
  /** Highest-priority pending interrupt as last computed (INTID_SPURIOUS: none). */
  hppi = INTID_SPURIOUS;
  hppiPrio = 0xff;

  constructor(
    readonly gic: GicV2,
    readonly index: number,
    readonly cpu: Cpu,
  ) {}

  /** Caller holds the GIC lock: QEMU's current_pending (the best interrupt PMR lets through, or 1023). */
  private findPending(): void {
    const g = this.gic;
    const dctlr = g.s[W_DCTLR];
    if ((dctlr & (CTLR_EN_GRP0 | CTLR_EN_GRP1)) === 0 || (this.ctlr & (CTLR_EN_GRP0 | CTLR_EN_GRP1)) === 0) {
      this.hppi = INTID_SPURIOUS;
      this.hppiPrio = 0xff;
      return;
    }
    const irq = g.findHppi(this.index);
    this.hppiPrio = g.hppiPrio;
    this.hppi = irq !== INTID_SPURIOUS && g.hppiPrio < this.pmr ? irq : INTID_SPURIOUS;
  }

  private refresh(): void {
    this.gic.lock();
    this.findPending();
    this.gic.unlock();
  }

  /** Running priority from the active priority registers (IDLE when nothing is active). */
  runningPriority(): number {
    for (let i = 0; i < 4; i++) {
      const a = this.apr[i] | this.nsapr[i];
      if (a !== 0) return (i * 32 + ctz32(a)) << (MIN_BPR + 1);
    }
    return IDLE;
  }

  /** Group priority of `irq` in group `grp` (BPR, or ABPR - 1 for Group 1 unless CBPR). */
  private groupPriority(prio: number, grp: number): number {
    const bpr = grp === 1 && (this.ctlr & GICC_CTLR_CBPR) === 0 ? this.abpr - 1 : this.bpr;
    return prio & ((0xff << ((bpr & 7) + 1)) & 0xff);
  }

  update(): number {
    this.refresh();
    if (this.hppi === INTID_SPURIOUS || this.hppiPrio >= this.runningPriority()) return 0;
    const grp = this.gic.groupOf(this.index, this.hppi);
    const bit = 1 << grp;
    if ((this.gic.s[W_DCTLR] & bit) === 0 || (this.ctlr & bit) === 0) return 0;
    return grp === 0 && (this.ctlr & GICC_CTLR_FIQEN) !== 0 ? LINE_FIQ : LINE_IRQ;
  }

  /** GICC_HPPIR / IAR view of the pending interrupt: Group 1 shows as 1022 unless AckCtl (`alias`: the Group 1 registers). */
  private visible(alias: boolean): number {
    const irq = this.hppi;
    if (irq === INTID_SPURIOUS) return irq;
    const grp = this.gic.groupOf(this.index, irq);
    if (alias) return grp === 1 ? irq : INTID_SPURIOUS;
    if (grp === 1 && (this.ctlr & GICC_CTLR_ACKCTL) === 0) return INTID_GROUP1_HIDDEN;
    return irq;
  }

  private acknowledge(alias: boolean): number {
    const g = this.gic;
    g.lock();
    this.findPending();
    const irq = this.visible(alias);
    if (irq >= 1020 || (g.s[g.prioIndex(this.index, irq)] & 0xff) >= this.runningPriority()) {
      g.unlock();
      return irq >= 1020 ? irq : INTID_SPURIOUS;
    }
    const grp = g.groupOf(this.index, irq);
    const level = this.groupPriority(g.s[g.prioIndex(this.index, irq)] & 0xff, grp) >> (MIN_BPR + 1);
    (grp === 1 ? this.nsapr : this.apr)[level >> 5] |= 1 << (level & 31);
    g.activate(this.index, irq);
    const ret = irq < 16 ? irq | (g.takeSgiSource(this.index, irq) << 10) : irq;
    g.unlock();
    g.kick(this.index);
    return ret;
  }

  private endOfInterrupt(v: number, alias: boolean): void {
    const irq = v & 0x3ff;
    const g = this.gic;
    if (irq >= g.numIrq || this.runningPriority() === IDLE) return;
    const grp = g.groupOf(this.index, irq);
    if (alias && grp === 0) return;
    // Drop the highest active priority of the interrupt's group (lowest set bit).
    const aprs = grp === 1 ? this.nsapr : this.apr;
    for (let i = 0; i < 4; i++) {
      if (aprs[i] === 0) continue;
      aprs[i] &= aprs[i] - 1;
      break;
    }
    if ((this.ctlr & GICC_CTLR_EOIMODE) === 0) g.deactivate(this.index, irq);
    else g.kick(this.index);
  }

  mmioRead(off: number): number {
    switch (off) {
      case 0x00:
        return this.ctlr;
      case 0x04:
        return this.pmr;
      case 0x08:
        return this.bpr;
      case 0x0c:
        return this.acknowledge(false);
      case 0x14: {
        const rp = this.runningPriority();
        return rp === IDLE ? 0xff : rp;
      }
      case 0x18:
        this.refresh();
        return this.visible(false);
      case 0x1c:
        return this.abpr;
      case 0x20:
        return this.acknowledge(true);
      case 0x28:
        this.refresh();
        return this.visible(true);
      case 0xfc:
        return GICC_IIDR;
      default:
        if (off >= 0xd0 && off < 0xe0) return this.apr[(off - 0xd0) >> 2];
        if (off >= 0xe0 && off < 0xf0) return this.nsapr[(off - 0xe0) >> 2];
        return 0;
    }
  }

  mmioWrite(off: number, v: number): void {
    switch (off) {
      case 0x00:
        this.ctlr = v & GICC_CTLR_MASK;
        break;
      case 0x04:
        this.pmr = v & 0xff;
        break;
      case 0x08:
        this.bpr = Math.max(v & 7, MIN_BPR);
        break;
      case 0x10:
        this.endOfInterrupt(v, false);
        return;
      case 0x1c:
        this.abpr = Math.max(v & 7, MIN_ABPR);
        break;
      case 0x24:
        this.endOfInterrupt(v, true);
        return;
      case 0x1000: {
        // GICC_DIR: deactivation, only with EOImode = 1 (otherwise UNPREDICTABLE; ignored as QEMU).
        const irq = v & 0x3ff;
        if (irq < this.gic.numIrq && (this.ctlr & GICC_CTLR_EOIMODE) !== 0) this.gic.deactivate(this.index, irq);
        return;
      }
      default:
        if (off >= 0xd0 && off < 0xe0) this.apr[(off - 0xd0) >> 2] = v;
        else if (off >= 0xe0 && off < 0xf0) this.nsapr[(off - 0xe0) >> 2] = v;
        else return;
    }
    this.gic.kick(this.index);
  }

  setPpi(intid: number, level: boolean): void {
    this.gic.setPpi(this.index, intid, level);
  }

  /** No ICC_* system registers with a GICv2 (sysreg-gic.ts makes them UNDEFINED before they get here). */
  read(c: Cpu): number {
    c.hi = 0;
    return 0;
  }

  write(): void {}

  describe(): string {
    const g = this.gic;
    if (!g.tryLock(100)) return 'GIC: state locked by another thread (a vCPU stopped inside the GIC?)';
    const best = g.findHppi(this.index);
    const prio = g.hppiPrio;
    g.unlock();
    const h = (v: number): string => '0x' + v.toString(16);
    const rp = this.runningPriority();
    const state = `GICv2, GICD_CTLR ${h(g.s[W_DCTLR])}, GICC_CTLR ${h(this.ctlr)}, PMR ${h(this.pmr)}, running priority ${h(rp === IDLE ? 0xff : rp)}`;
    if (best === INTID_SPURIOUS) return `GIC: nothing pending for this CPU (${state})`;
    const grp = g.groupOf(this.index, best);
    let why: string;
    if ((g.s[W_DCTLR] & (1 << grp)) === 0) why = `not signalled: Group ${grp} disabled in the distributor`;
    else if ((this.ctlr & (1 << grp)) === 0) why = `not signalled: Group ${grp} disabled at the CPU interface`;
    else if (prio >= this.pmr) why = 'not signalled: masked by PMR';
    else if (prio >= rp) why = 'not signalled: does not preempt the active interrupt';
    else why = 'signalled';
    return `GIC: INTID ${best} pending (Group ${grp}, priority ${h(prio)}) ${why} (${state})`;
  }
}
