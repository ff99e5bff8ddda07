/**
 * The CPU side of interrupt delivery: what a vCPU needs from its interrupt
 * controller (GIC CPU interface), ISR_EL1, and the WFI/WFE wake-up rules.
 *
 * Flow (see also exceptions.ts checkPending):
 *  - The GIC marks a vCPU with PENDING_GIC in `c.pendingCheck` whenever state that
 *    can change its highest-priority pending interrupt changes (device lines, MMIO
 *    writes, SGIs, ICC_* writes). At the next block boundary checkPending asks the
 *    CPU interface to recompute its IRQ/FIQ outputs into `c.intLines`.
 *  - While a line is asserted, PENDING_INT stays set: checkPending takes the IRQ/FIQ
 *    exception as soon as PSTATE and the routing controls allow it.
 *  - Timers: while a generic timer is armed, PENDING_TIMER makes checkPending compare
 *    the earliest deadline with host time every TIMER_POLL_INSNS instructions
 *    (timer.ts pollTimers), which drives the timer PPIs.
 *  - WFI/WFE set `c.halted`; the run loop sleeps until `nextWakeNs(c)` or input, and
 *    `wakeReady(c)` tells it when the vCPU may continue.
 */
import type { Cpu } from './cpu.js';
import { hcrLo, refreshInterruptLines, virtualInterruptLines, HCR_IMO, HCR_FMO, LINE_IRQ, LINE_FIQ, PENDING_TIMER } from './exceptions.js';
import { eventStreamNextNs, pollTimers } from './timer.js';

/** The ICC_* registers a CPU interface implements (sysreg-gic.ts maps encodings to these). */
export const enum Icc {
  PMR,
  IAR0,
  EOIR0,
  HPPIR0,
  BPR0,
  AP0R0,
  AP1R0,
  DIR,
  RPR,
  SGI1R,
  ASGI1R,
  SGI0R,
  IAR1,
  EOIR1,
  HPPIR1,
  BPR1,
  CTLR,
  SRE_EL1,
  IGRPEN0,
  IGRPEN1,
  SRE_EL2,
  CTLR_EL3,
  SRE_EL3,
  IGRPEN1_EL3,
  AP0R1,
  AP0R2,
  AP0R3,
  AP1R1,
  AP1R2,
  AP1R3,
  /** Virtual CPU interface control (EL2): storage only, no virtual interrupt delivery yet. */
  ICH_HCR,
  ICH_VTR,
  ICH_VMCR,
  ICH_MISR,
  ICH_EISR,
  ICH_ELRSR,
  ICH_AP0R0,
  ICH_AP1R0,
  ICH_LR0,
  ICH_LR1,
  ICH_LR2,
  ICH_LR3,
}

/**
 * A vCPU's interrupt-controller CPU interface (the board's GICv3 or GICv2 provides it;
 * null when the board has none). ICC_* registers are UNDEFINED without one, and with a
 * GICv2 (hasSysRegs false), as on QEMU.
 */
export interface GicCpuInterface {
  /** The ICC_* system registers exist (GICv3); false for a GICv2, whose CPU interface is MMIO. */
  readonly hasSysRegs: boolean;
  /** Recompute the highest-priority pending interrupt; returns the IRQ/FIQ outputs (LINE_IRQ | LINE_FIQ). */
  update(c: Cpu): number;
  /** ICC_* register read (low word; high word in c.hi). */
  read(c: Cpu, reg: Icc): number;
  write(c: Cpu, reg: Icc, lo: number, hi: number): void;
  /** A private peripheral interrupt line of this CPU (timer PPIs). */
  setPpi(intid: number, level: boolean): void;
  /** One line for error reports: the highest-priority pending interrupt and why it is (not) signalled. */
  describe(): string;
}

/** Timer PPIs (INTIDs) as on QEMU virt / the Arm BSA: CNTP 30, CNTV 27, CNTHP 26, CNTPS 29. */
export const PPI_CNTP = 30;
export const PPI_CNTV = 27;
export const PPI_CNTHP = 26;
export const PPI_CNTPS = 29;

/**
 * ISR_EL1: I (bit 7) / F (bit 6) pending. At EL1 with HCR_EL2.IMO (FMO) set the bit shows the
 * virtual interrupt (HCR_EL2.VI/VF), otherwise the physical line. A (SError) is never pending.
 */
export function readIsr(c: Cpu): number {
  c.hi = 0;
  refreshInterruptLines(c);
  const hcr = c.el === 1 ? hcrLo(c) : 0;
  const virt = virtualInterruptLines(c);
  let v = 0;
  if ((hcr & HCR_IMO) !== 0 ? (virt & LINE_IRQ) !== 0 : (c.intLines & LINE_IRQ) !== 0) v |= 1 << 7;
  if ((hcr & HCR_FMO) !== 0 ? (virt & LINE_FIQ) !== 0 : (c.intLines & LINE_FIQ) !== 0) v |= 1 << 6;
  return v;
}

/**
 * WFE wake-ups are capped (the architecture allows a WFE to complete spuriously), for the event
 * sources armlab does not model: an SError, a monitor cleared by a store of the same value (the
 * monitor is value-based), by a device, or, on one vCPU, by anything but this PE. Every modelled
 * source wakes WFE itself: SEV (another PE's P_EVENT), the event register (SEVL, exception return),
 * the event stream, a monitor cleared by another vCPU's store (SMP), interrupts and timers.
 * 50 ms (was 10 ms before those were modelled): an idle waiter costs ~15 µs of host CPU per
 * wake-up either way (docs/smp.md, wfe_idle), so the cap bounds a stall, not a cost.
 */
export const WFE_MAX_SLEEP_NS = 50_000_000;

/**
 * A WFE's events that need no other PE: the event register (SEVL, an exception return, SEV or
 * a monitor clear delivered by SMP code), and an event-stream transition — one while the vCPU
 * sleeps, or one since the last WFE ended (it latched the event register: the WFE completes at
 * once). Consumes the event.
 */
function wfeEvent(c: Cpu): boolean {
  if (c.eventRegister) {
    c.eventRegister = false;
    return true;
  }
  const s = c.wfeStream;
  const now = c.env.nowNs();
  if (s.wfeNs === 0) {
    const latched = s.latchNs !== 0 && now >= s.latchNs;
    s.latchNs = 0;
    if (latched) return true;
    s.wfeNs = eventStreamNextNs(c);
    return false;
  }
  if (now >= s.wfeNs) {
    s.wfeNs = 0;
    return true;
  }
  return false;
}

/**
 * Refresh what a halted vCPU can see (timer deadlines against host time, the GIC's
 * outputs) and say whether it may continue: WFI wakes on any asserted IRQ/FIQ line,
 * whatever PSTATE.I/F say (and on virtual lines); WFE also on an event (wfeEvent) and at
 * its sleep deadline.
 */
export function wakeReady(c: Cpu): boolean {
  if ((c.pendingCheck & PENDING_TIMER) !== 0) {
    c.timerPollAt = 0;
    pollTimers(c);
  }
  refreshInterruptLines(c);
  if ((c.intLines | virtualInterruptLines(c)) !== 0) return true;
  if (c.wfeUntilNs !== 0 && (wfeEvent(c) || c.env.nowNs() >= c.wfeUntilNs)) return true;
  return false;
}

/** Host time (c.env.nowNs scale) by which a halted vCPU must be looked at again, Infinity if never. */
export function nextWakeNs(c: Cpu): number {
  const t = c.timerNextNs;
  if (c.wfeUntilNs === 0) return t;
  return Math.min(t, c.wfeUntilNs, eventStreamNextNs(c));
}

/** Leave the halted state (the run loop found wakeReady); a WFE's end starts the stream latch. */
export function wake(c: Cpu): void {
  if (c.wfeUntilNs !== 0) {
    const s = c.wfeStream;
    s.wfeNs = 0;
    s.latchNs = eventStreamNextNs(c);
  }
  c.halted = false;
  c.wfeUntilNs = 0;
}
