/**
 * GICv3 (Arm IHI 0069): distributor, one redistributor per vCPU, and the CPU
 * interfaces behind the ICC_* system registers — laid out and behaving like QEMU's
 * `-M virt,gic-version=3` (hw/intc/arm_gicv3*.c), which is the oracle.
 *
 * Configuration, as QEMU virt without `secure=on`: one Security state
 * (GICD_CTLR.DS = 1, ARE = 1), 288 INTIDs (256 SPIs), no LPIs/ITS, 5 bits of
 * priority and preemption at the CPU interface (ICC_CTLR_EL1.PRIbits = 4, minimum
 * BPR0 2, BPR1 3; PMR keeps bits [7:3]), 8-bit priorities in the distributor.
 * Group 0 interrupts are signalled as FIQ, Group 1 as IRQ (Group 1 as FIQ in Secure
 * state). Interrupts reset to Group 0, or to Group 1 for a Linux kernel boot
 * (`resetNonSecure`, QEMU's irq_reset_nonsecure when it loads a kernel Image).
 *
 * State shared between vCPUs (distributor and redistributor registers, pending/active/
 * enable bits, priorities, routing) lives in one SharedArrayBuffer behind a spin lock
 * (gic-state.ts, shared with the GICv2 model), so every vCPU worker maps the same buffer
 * and SGIs go vCPU→vCPU without the io worker. The CPU interface state (PMR, BPR, active
 * priorities, group enables) is per vCPU and lives with it (GicCpuIf).
 */
import type { Device, PhysBus } from '../mem/bus.js';
import type { Cpu } from '../a64/cpu.js';
import { Icc, type GicCpuInterface } from '../a64/interrupts.js';
import { isSecure, LINE_FIQ, LINE_IRQ, PENDING_GIC } from '../a64/exceptions.js';
import {
  C_AFF,
  C_BMP,
  C_CTLR,
  C_SIZE,
  C_WAKER,
  ctz32,
  D_BMP,
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

export { GIC_INTERNAL, INTID_SPURIOUS } from './gic-state.js';

export const GICD_BASE = 0x0800_0000;
export const GICD_SIZE = 0x1_0000;
export const GICR_BASE = 0x080a_0000;
export const GICR_STRIDE = 0x2_0000;
/** QEMU virt: 256 SPIs + 32 private interrupts. */
export const GIC_NUM_IRQ = 288;
const INTID_NONSECURE = 1021;

/** GICD_IIDR / GICR_IIDR: Arm (0x43B), r0p0, ProductID 0, as QEMU. */
export const GIC_IIDR = 0x43b;
/** PIDR4..7, PIDR0..3, CIDR0..3 at 0xFFD0 (PIDR2.ArchRev = 3: GICv3), as QEMU. */
const GICD_IDS = [0x44, 0x00, 0x00, 0x00, 0x92, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const GICR_IDS = [0x44, 0x00, 0x00, 0x00, 0x93, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/** GICD_CTLR bits (DS = 1 view). */
const CTLR_EN_GRP0 = 1 << 0;
const CTLR_EN_GRP1 = 1 << 1;
const CTLR_ARE = 1 << 4;
const CTLR_DS = 1 << 6;

const WAKER_PROCESSOR_SLEEP = 1 << 1;
const WAKER_CHILDREN_ASLEEP = 1 << 2;

/** CPU interface: priority bits and preemption bits (QEMU's default for its CPUs). */
const PRIBITS = 5;
const PREBITS = 5;
const MIN_BPR = 7 - PREBITS;
const PRIO_MASK = (0xff << (8 - PRIBITS)) & 0xff;
const ICC_CTLR_CBPR = 1 << 0;
const ICC_CTLR_EOIMODE = 1 << 1;
/** ICC_CTLR_EL1 read-only fields: A3V, IDbits = 1 (24-bit), PRIbits. */
const ICC_CTLR_RO = (1 << 15) | (1 << 11) | ((PRIBITS - 1) << 8);
/** ICC_CTLR_EL3: NDS, A3V, IDbits, PRIbits; EOImode_EL3 (bit 2) is its only own writable bit. */
const ICC_CTLR3_RO = (1 << 17) | (1 << 15) | (1 << 11) | ((PRIBITS - 1) << 8);
const ICC_CTLR3_EOIMODE_EL3 = 1 << 2;

const G0 = 0;
const G1 = 1;

export class GicV3 extends GicState<GicCpuIf> {
  readonly version = 3;
  readonly distributor: Device;
  readonly redistributors: Device;

  constructor(numCpu: number, numIrq = GIC_NUM_IRQ, sab?: SharedArrayBuffer) {
    super('GICv3', numCpu, numIrq, sab);
    this.distributor = { name: 'gicv3-dist', read: (o, n) => this.distRead(o, n), write: (o, n, v) => this.distWrite(o, n, v) };
    this.redistributors = { name: 'gicv3-redist', read: (o, n) => this.redistRead(o, n), write: (o, n, v) => this.redistWrite(o, n, v) };
    if (sab === undefined) this.reset();
  }

  /** Cold reset of the shared state (every interrupt Group 0, disabled, priority 0, as QEMU). */
  reset(): void {
    const aff = Array.from({ length: this.numCpu }, (_, i) => this.s[this.cBase + i * C_SIZE + C_AFF] ?? 0);
    this.s.fill(0);
    this.s[W_DCTLR] = CTLR_ARE | CTLR_DS;
    for (let i = 0; i < this.numCpu; i++) {
      const b = this.cBase + i * C_SIZE;
      this.s[b + C_AFF] = aff[i];
      this.s[b + C_WAKER] = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP;
      // SGIs are always edge-triggered; PPIs reset level-sensitive.
      this.s[b + C_BMP + K_EDGE] = 0xffff;
    }
  }

  /** Every interrupt in Group 1 (Non-secure), as QEMU leaves them when it boots a Linux kernel. */
  resetNonSecure(): void {
    this.lock();
    for (let w = 1; w < this.nw; w++) this.s[D_BMP + K_GROUP * this.nw + w] = -1;
    for (let i = 0; i < this.numCpu; i++) this.s[this.cBase + i * C_SIZE + C_BMP + K_GROUP] = -1;
    this.unlock();
    this.kick(-1);
  }

  /**
   * Give vCPU `index` its CPU interface. `affinity`: MPIDR_EL1's Aff3..Aff0 as
   * Aff3 << 24 | Aff2 << 16 | Aff1 << 8 | Aff0 (GICR_TYPER, IROUTER, SGI targets).
   */
  attachCpu(index: number, cpu: Cpu, affinity: number): GicCpuIf {
    const cif = new GicCpuIf(this, index, cpu);
    this.cpus[index] = cif;
    this.s[this.cBase + index * C_SIZE + C_AFF] = affinity;
    cpu.gic = cif;
    cpu.pendingCheck |= PENDING_GIC;
    return cif;
  }

  cpuAffinity(cpu: number): number {
    return this.s[this.cBase + cpu * C_SIZE + C_AFF];
  }

  /** The vCPU an SPI is routed to (GICD_IROUTER; IRM = 1 "any": the lowest-numbered vCPU), or -1. */
  spiTarget(irq: number): number {
    const lo = this.s[this.dRoute + 2 * irq];
    const hi = this.s[this.dRoute + 2 * irq + 1];
    if ((lo & (1 << 31)) !== 0) return 0;
    const aff = ((hi & 0xff) << 24) | (lo & 0xffffff);
    for (let i = 0; i < this.numCpu; i++) if (this.cpuAffinity(i) === aff) return i;
    return -1;
  }

  protected spiTargets(irq: number, cpu: number): boolean {
    return this.spiTarget(irq) === cpu;
  }

  /** Only the groups GICD_CTLR enables compete for the highest-priority pending interrupt. */
  protected override hppiGroupFilter(grp: number): number {
    const ctlr = this.s[W_DCTLR];
    return ((ctlr & CTLR_EN_GRP1) !== 0 ? grp : 0) | ((ctlr & CTLR_EN_GRP0) !== 0 ? ~grp : 0);
  }

  /** Map the distributor and the redistributors of every vCPU (QEMU virt's addresses). */
  mapInto(bus: PhysBus): void {
    bus.addDevice(GICD_BASE, GICD_SIZE, this.distributor);
    bus.addDevice(GICR_BASE, GICR_STRIDE * this.numCpu, this.redistributors);
  }

  /** Called once per target of an SGI (counters; core/smp), as GicV2's. */
  onSgi: ((from: number, to: number, irq: number) => void) | null = null;

  /** An SGI from the CPU interface of `from` (group `grp`: G0 or G1) to vCPU `to`. */
  sendSgi(from: number, to: number, irq: number, grp: number): void {
    this.onSgi?.(from, to, irq);
    this.lock();
    const ok = this.groupOf(to, irq) === grp;
    if (ok) this.setBit(to, K_PEND, irq, true);
    this.unlock();
    if (ok) this.kick(to);
  }

  // ---- distributor MMIO ----------------------------------------------------------------

  private distRead(off: number, size: number): number {
    if (off >= 0x400 && off < 0x800) return this.readPrio(-1, off - 0x400, size, GIC_INTERNAL);
    if (size !== 4) return 0;
    const s = this.s;
    if (off === 0x0) return s[W_DCTLR];
    if (off === 0x4) return (1 << 25) | (1 << 24) | (0xf << 19) | (this.numIrq / 32 - 2);
    if (off === 0x8) return GIC_IIDR;
    if (off >= 0x80 && off < 0x400) {
      const kind = off < 0x100 ? K_GROUP : [K_ENABLE, K_ENABLE, K_PEND, K_PEND, K_ACTIVE, K_ACTIVE][((off - 0x100) >> 7) & 7];
      const w = (off & 0x7f) >> 2;
      if (w === 0 || w >= this.nw) return 0;
      return this.readBitmap(-1, kind, w * 32);
    }
    if (off >= 0xc00 && off < 0xd00) {
      const irq = (off - 0xc00) * 4;
      if (irq < GIC_INTERNAL || irq >= this.numIrq) return 0;
      return this.readCfg(-1, irq);
    }
    if (off >= 0x6100 && off < 0x6000 + 8 * this.numIrq) {
      const irq = (off - 0x6000) >> 3;
      return s[this.dRoute + 2 * irq + ((off >> 2) & 1)];
    }
    if (off >= 0xffd0) return GICD_IDS[(off - 0xffd0) >> 2] ?? 0;
    return 0;
  }

  private distWrite(off: number, size: number, v: number): void {
    if (off >= 0x400 && off < 0x800) {
      this.writePrio(-1, off - 0x400, size, v, GIC_INTERNAL);
      return;
    }
    if (size !== 4) return;
    const s = this.s;
    this.lock();
    if (off === 0x0) {
      s[W_DCTLR] = (s[W_DCTLR] & ~(CTLR_EN_GRP0 | CTLR_EN_GRP1)) | (v & (CTLR_EN_GRP0 | CTLR_EN_GRP1));
    } else if (off >= 0x80 && off < 0x400) {
      const w = (off & 0x7f) >> 2;
      if (w !== 0 && w < this.nw) {
        if (off < 0x100) s[D_BMP + K_GROUP * this.nw + w] = v;
        else this.writeSetClear(-1, off, w * 32, v);
      }
    } else if (off >= 0xc00 && off < 0xd00) {
      const irq = (off - 0xc00) * 4;
      if (irq >= GIC_INTERNAL && irq < this.numIrq) this.writeCfg(-1, irq, v);
    } else if (off >= 0x6100 && off < 0x6000 + 8 * this.numIrq) {
      const irq = (off - 0x6000) >> 3;
      // Aff3 in the high word [7:0]; IRM (bit 31) and Aff2..Aff0 in the low word.
      s[this.dRoute + 2 * irq + ((off >> 2) & 1)] = (off & 4) !== 0 ? v & 0xff : v & 0x80ffffff;
    }
    this.unlock();
    this.kick(-1);
  }

  // ---- redistributor MMIO ----------------------------------------------------------------

  private redistRead(off: number, size: number): number {
    const cpu = Math.floor(off / GICR_STRIDE);
    if (cpu >= this.numCpu) return 0;
    const o = off % GICR_STRIDE;
    const b = this.cBase + cpu * C_SIZE;
    if (o >= 0x10400 && o < 0x10420) return this.readPrio(cpu, o - 0x10400, size, 0);
    if (size !== 4) return 0;
    const s = this.s;
    switch (o) {
      case 0x0:
        // CES (bit 1) as QEMU; EnableLPIs stays 0 (no LPIs).
        return s[b + C_CTLR] | 2;
      case 0x4:
        return GIC_IIDR;
      case 0x8:
        // CommonLPIAff = 1 (as QEMU), Processor_Number, Last.
        return (1 << 24) | (cpu << 8) | (cpu === this.numCpu - 1 ? 1 << 4 : 0);
      case 0xc:
        return s[b + C_AFF];
      case 0x14:
        return s[b + C_WAKER];
      case 0x10080:
        return s[b + C_BMP + K_GROUP];
      case 0x10100:
      case 0x10180:
        return s[b + C_BMP + K_ENABLE];
      case 0x10200:
      case 0x10280:
        return this.readBitmap(cpu, K_PEND, 0);
      case 0x10300:
      case 0x10380:
        return s[b + C_BMP + K_ACTIVE];
      case 0x10c00:
        return this.readCfg(cpu, 0);
      case 0x10c04:
        return this.readCfg(cpu, 16);
      default:
        if (o >= 0xffd0 && o < 0x10000) return GICR_IDS[(o - 0xffd0) >> 2] ?? 0;
        return 0;
    }
  }

  private redistWrite(off: number, size: number, v: number): void {
    const cpu = Math.floor(off / GICR_STRIDE);
    if (cpu >= this.numCpu) return;
    const o = off % GICR_STRIDE;
    const b = this.cBase + cpu * C_SIZE;
    if (o >= 0x10400 && o < 0x10420) {
      this.writePrio(cpu, o - 0x10400, size, v, 0);
      return;
    }
    if (size !== 4) return;
    const s = this.s;
    this.lock();
    if (o === 0x14) {
      // ProcessorSleep is the only writable bit; ChildrenAsleep follows it at once.
      s[b + C_WAKER] = (v & WAKER_PROCESSOR_SLEEP) !== 0 ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
    } else if (o === 0x10080) {
      s[b + C_BMP + K_GROUP] = v;
    } else if (o >= 0x10100 && o < 0x10400 && (o & 0x7f) === 0) {
      this.writeSetClear(cpu, o - 0x10000, 0, v);
    } else if (o === 0x10c04) {
      this.writeCfg(cpu, 16, v);
    }
    this.unlock();
    this.kick(cpu);
  }
}

/**
 * The CPU interface of one vCPU (system registers ICC_*): priority mask, binary points,
 * active priorities, group enables, EOI mode; decides the vCPU's IRQ/FIQ outputs.
 */
export class GicCpuIf implements GicCpuInterface {
  readonly hasSysRegs = true;
  pmr = 0;
  bpr0 = MIN_BPR;
  bpr1 = MIN_BPR + 1;
  ctlr = 0;
  ctlrEl3 = 0;
  igrpen0 = 0;
  igrpen1 = 0;
  igrpen1s = 0;
  apr0 = 0;
  apr1 = 0;
  /** ICH_* (EL2 virtual interface controls): HCR, VMCR, AP0R0, AP1R0 (lo words), LR0..3 (lo, hi). */
  ichHcr = 0;
  ichVmcr = 0;
  ichAp0 = 0;
  ichAp1 = 0;
  readonly ichLr = new Int32Array(8);
  /** Highest-priority pending interrupt as last computed. */
  hppi = INTID_SPURIOUS;
  hppiPrio = 0xff;
  hppiGrp = G1;

  constructor(
    readonly gic: GicV3,
    readonly index: number,
    readonly cpu: Cpu,
  ) {}

  private refresh(): void {
    this.gic.lock();
    this.findHppi();
    this.gic.unlock();
  }

  /** Caller holds the GIC lock: this CPU's highest-priority pending interrupt, its priority and group. */
  private findHppi(): void {
    const g = this.gic;
    this.hppi = g.findHppi(this.index);
    this.hppiPrio = g.hppiPrio;
    this.hppiGrp = this.hppi === INTID_SPURIOUS ? G1 : g.groupOf(this.index, this.hppi);
  }

  update(c: Cpu): number {
    this.refresh();
    if (!this.canPreempt()) return 0;
    const fiq = this.hppiGrp === G0 || (c.hasEl3 && isSecure(c));
    return fiq ? LINE_FIQ : LINE_IRQ;
  }

  setPpi(intid: number, level: boolean): void {
    this.gic.setPpi(this.index, intid, level);
  }

  describe(): string {
    const g = this.gic;
    if (!g.tryLock(100)) return 'GIC: state locked by another thread (a vCPU stopped inside the GIC?)';
    this.findHppi();
    g.unlock();
    const h = (v: number): string => '0x' + v.toString(16);
    const state = `PMR ${h(this.pmr)}, running priority ${h(this.runningPriority())}, IGRPEN0 ${this.igrpen0} IGRPEN1 ${this.igrpen1}`;
    if (this.hppi === INTID_SPURIOUS) return `GIC: nothing pending for this CPU (${state})`;
    const grp = this.hppiGrp === G0 ? 0 : 1;
    let why: string;
    if (!this.groupEnabled(this.hppiGrp)) why = `not signalled: Group ${grp} disabled at the CPU interface`;
    else if (this.hppiPrio >= this.pmr) why = 'not signalled: masked by PMR';
    else if (!this.canPreempt()) why = 'not signalled: does not preempt the active interrupt';
    else why = 'signalled';
    return `GIC: INTID ${this.hppi} pending (Group ${grp}, priority ${h(this.hppiPrio)}) ${why} (${state})`;
  }

  private groupEnabled(grp: number): boolean {
    return (grp === G0 ? this.igrpen0 : this.igrpen1) !== 0;
  }

  /** Running priority from the active priority registers (0xff: idle). */
  runningPriority(): number {
    const apr = this.apr0 | this.apr1;
    return apr === 0 ? 0xff : ctz32(apr) << (MIN_BPR + 1);
  }

  /** Mask of the group-priority bits for `grp` (GroupBits(): BPR0, or BPR1 - 1, or BPR0 with CBPR). */
  private gprioMask(grp: number): number {
    let bpr: number;
    if (grp === G0 || (this.ctlr & ICC_CTLR_CBPR) !== 0) bpr = this.bpr0;
    else bpr = this.bpr1 - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  private canPreempt(): boolean {
    if (this.hppiPrio === 0xff || !this.groupEnabled(this.hppiGrp)) return false;
    if (this.hppiPrio >= this.pmr) return false;
    const rp = this.runningPriority();
    if (rp === 0xff) return true;
    const m = this.gprioMask(this.hppiGrp);
    return (this.hppiPrio & m) < (rp & m);
  }

  private hppir(c: Cpu, grp: number): number {
    if (this.hppiPrio === 0xff || !this.groupEnabled(this.hppiGrp)) return INTID_SPURIOUS;
    if (grp === G0) {
      if (this.hppiGrp === G0) return this.hppi;
      return c.el === 3 ? INTID_NONSECURE : INTID_SPURIOUS;
    }
    return this.hppiGrp === G1 ? this.hppi : INTID_SPURIOUS;
  }

  private acknowledge(c: Cpu, grp: number): number {
    this.refresh();
    const id = this.canPreempt() ? this.hppir(c, grp) : INTID_SPURIOUS;
    if (id >= 1020) return id;
    const bit = 1 << ((this.hppiPrio & this.gprioMask(this.hppiGrp)) >> (8 - PREBITS));
    if (this.hppiGrp === G0) this.apr0 |= bit;
    else this.apr1 |= bit;
    const g = this.gic;
    g.lock();
    g.activate(this.index, id);
    g.unlock();
    this.kickSelf();
    return id;
  }

  private eoiSplit(c: Cpu): boolean {
    return c.el === 3 ? (this.ctlrEl3 & ICC_CTLR3_EOIMODE_EL3) !== 0 : (this.ctlr & ICC_CTLR_EOIMODE) !== 0;
  }

  private endOfInterrupt(c: Cpu, grp: number, irq: number): void {
    if (irq >= this.gic.numIrq) return;
    // The group of the highest-priority active interrupt (lowest set APR bit).
    const z0 = ctz32(this.apr0);
    const z1 = ctz32(this.apr1);
    const active = z1 < z0 ? G1 : z0 < 32 ? G0 : -1;
    if (active !== grp) return;
    if (grp === G0) this.apr0 &= this.apr0 - 1;
    else this.apr1 &= this.apr1 - 1;
    if (!this.eoiSplit(c)) this.gic.deactivate(this.index, irq);
    this.kickSelf();
  }

  private kickSelf(): void {
    this.gic.kick(this.index);
  }

  private generateSgi(c: Cpu, lo: number, hi: number, grp: number): void {
    const targets = lo & 0xffff;
    const intid = (lo >>> 24) & 0xf;
    const aff = (((hi >>> 16) & 0xff) << 24) | ((hi & 0xff) << 16) | (((lo >>> 16) & 0xff) << 8);
    const rs = (hi >>> 12) & 0xf;
    const irm = (hi & (1 << 8)) !== 0;
    const g = this.gic;
    for (let i = 0; i < g.numCpu; i++) {
      if (irm) {
        if (i === this.index) continue;
      } else {
        const a = g.cpuAffinity(i);
        if ((a & ~0xff) !== aff) continue;
        const a0 = (a & 0xff) - rs * 16;
        if (a0 < 0 || a0 > 15 || (targets & (1 << a0)) === 0) continue;
      }
      g.sendSgi(this.index, i, intid, grp);
    }
  }

  read(c: Cpu, reg: Icc): number {
    c.hi = 0;
    switch (reg) {
      case Icc.PMR:
        return this.pmr;
      case Icc.IAR0:
        return this.acknowledge(c, G0);
      case Icc.IAR1:
        return this.acknowledge(c, G1);
      case Icc.HPPIR0:
        this.refresh();
        return this.hppir(c, G0);
      case Icc.HPPIR1:
        this.refresh();
        return this.hppir(c, G1);
      case Icc.BPR0:
        return this.bpr0;
      case Icc.BPR1:
        if ((this.ctlr & ICC_CTLR_CBPR) !== 0 && c.el < 3) return Math.min(this.bpr0 + 1, 7);
        return this.bpr1;
      case Icc.AP0R0:
        return this.apr0;
      case Icc.AP1R0:
        return this.apr1;
      case Icc.RPR:
        return this.runningPriority();
      case Icc.CTLR:
        return ICC_CTLR_RO | this.ctlr;
      case Icc.CTLR_EL3: {
        // EOImode_EL1S/NS (bits 4, 3) and CBPR_EL1S/NS (bits 0, 1) alias ICC_CTLR_EL1 (one bank with DS = 1).
        const eoi = (this.ctlr & ICC_CTLR_EOIMODE) !== 0 ? (1 << 3) | (1 << 4) : 0;
        const cbpr = (this.ctlr & ICC_CTLR_CBPR) !== 0 ? (1 << 0) | (1 << 1) : 0;
        return ICC_CTLR3_RO | this.ctlrEl3 | eoi | cbpr;
      }
      case Icc.SRE_EL1:
        return 0x7;
      case Icc.SRE_EL2:
      case Icc.SRE_EL3:
        return 0xf;
      case Icc.IGRPEN0:
        return this.igrpen0;
      case Icc.IGRPEN1:
        return this.igrpen1;
      case Icc.IGRPEN1_EL3:
        return this.igrpen1 | (this.igrpen1s << 1);
      case Icc.ICH_HCR:
        return this.ichHcr;
      case Icc.ICH_VTR:
        // ListRegs 3 (4 LRs), TDS, nV4, A3V, IDbits 1, PREbits 4, PRIbits 4 (QEMU's values).
        return (3 | (1 << 19) | (1 << 20) | (1 << 21) | (1 << 23) | (4 << 26) | (4 << 29)) >>> 0;
      case Icc.ICH_VMCR:
        return this.ichVmcr;
      case Icc.ICH_AP0R0:
        return this.ichAp0;
      case Icc.ICH_AP1R0:
        return this.ichAp1;
      case Icc.ICH_ELRSR: {
        // An LR is empty when its State (bits [63:62]) is 0 and it is HW or has no EOI maintenance.
        let v = 0;
        for (let n = 0; n < 4; n++) {
          // State [63:62], HW [61], EOI [41] (high-word bits 31:30, 29, 9).
          const hi = this.ichLr[2 * n + 1];
          if ((hi & 0xc0000000) === 0 && ((hi & (1 << 29)) !== 0 || (hi & (1 << 9)) === 0)) v |= 1 << n;
        }
        return v;
      }
      default:
        if (reg >= Icc.ICH_LR0 && reg <= Icc.ICH_LR3) {
          const n = reg - Icc.ICH_LR0;
          c.hi = this.ichLr[2 * n + 1];
          return this.ichLr[2 * n];
        }
        return 0;
    }
  }

  write(c: Cpu, reg: Icc, lo: number, hi: number): void {
    switch (reg) {
      case Icc.PMR:
        this.pmr = lo & PRIO_MASK;
        break;
      case Icc.EOIR0:
        this.endOfInterrupt(c, G0, lo & 0xffffff);
        return;
      case Icc.EOIR1:
        this.endOfInterrupt(c, G1, lo & 0xffffff);
        return;
      case Icc.DIR: {
        const irq = lo & 0xffffff;
        if (irq < this.gic.numIrq && this.eoiSplit(c)) this.gic.deactivate(this.index, irq);
        return;
      }
      case Icc.BPR0:
        this.bpr0 = (hi === 0 && lo >>> 0 < MIN_BPR ? MIN_BPR : lo) & 7;
        break;
      case Icc.BPR1:
        if ((this.ctlr & ICC_CTLR_CBPR) !== 0 && c.el < 3) return;
        this.bpr1 = (hi === 0 && lo >>> 0 < MIN_BPR + 1 ? MIN_BPR + 1 : lo) & 7;
        break;
      case Icc.AP0R0:
        this.apr0 = lo;
        break;
      case Icc.AP1R0:
        this.apr1 = lo;
        break;
      case Icc.CTLR:
        this.ctlr = lo & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE);
        break;
      case Icc.CTLR_EL3:
        this.ctlr = ((lo & (1 << 3)) !== 0 ? ICC_CTLR_EOIMODE : 0) | ((lo & (1 << 1)) !== 0 ? ICC_CTLR_CBPR : 0);
        this.ctlrEl3 = lo & ICC_CTLR3_EOIMODE_EL3;
        break;
      case Icc.IGRPEN0:
        this.igrpen0 = lo & 1;
        break;
      case Icc.IGRPEN1:
        this.igrpen1 = lo & 1;
        break;
      case Icc.IGRPEN1_EL3:
        this.igrpen1 = lo & 1;
        this.igrpen1s = (lo >>> 1) & 1;
        break;
      case Icc.SGI0R:
        this.generateSgi(c, lo, hi, G0);
        return;
      case Icc.SGI1R:
        // Group 1 for the current Security state; with DS = 1 Secure Group 1 is Group 0.
        this.generateSgi(c, lo, hi, c.hasEl3 && isSecure(c) ? G0 : G1);
        return;
      case Icc.ASGI1R:
        this.generateSgi(c, lo, hi, c.hasEl3 && isSecure(c) ? G1 : G0);
        return;
      case Icc.ICH_HCR:
        this.ichHcr = lo & 0xf800_7cff;
        return;
      case Icc.ICH_VMCR:
        this.ichVmcr = lo;
        return;
      case Icc.ICH_AP0R0:
        this.ichAp0 = lo;
        return;
      case Icc.ICH_AP1R0:
        this.ichAp1 = lo;
        return;
      default:
        if (reg >= Icc.ICH_LR0 && reg <= Icc.ICH_LR3) {
          const n = reg - Icc.ICH_LR0;
          this.ichLr[2 * n] = lo;
          this.ichLr[2 * n + 1] = hi;
        }
        return;
    }
    this.kickSelf();
  }
}
