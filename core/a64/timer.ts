/**
 * The generic timer (Arm ARM D11): the system counter, read from host time, and
 * the per-CPU timers' CTL/CVAL/TVAL views.
 *
 * The counter runs at COUNTER_HZ (62.5 MHz, QEMU virt's CNTFRQ: one tick per
 * 16 ns) from the host's monotonic clock (`c.env.nowNs()`), independently of
 * what software writes to CNTFRQ_EL0 (which only reports the frequency).
 * 64-bit values are (lo, hi) pairs; functions return lo and leave hi in `c.hi`.
 *
 * Interrupts: each timer drives a PPI of the vCPU's GIC CPU interface (CNTP 30,
 * CNTV 27, CNTHP 26, CNTPS 29, CNTHV 28, as QEMU virt), asserted (level) while
 * CTL.ENABLE = 1, CTL.IMASK = 0 and the count has reached CVAL (CNTPCT - CNTVOFF_EL2
 * for the EL1 virtual timer; FEAT_VHE's EL2 virtual timer CNTHV uses offset 0).
 * `pollTimers` evaluates the lines against host time; it runs after
 * every timer register write and, while a timer is armed (PENDING_TIMER in
 * c.pendingCheck), at block boundaries every TIMER_POLL_INSNS instructions, and from
 * the run loop when the vCPU sleeps in WFI until `c.timerNextNs`.
 */
import type { Cpu } from './cpu.js';
import { R } from './sysregs.js';
import { HCR_HI_E2H, isInHost } from './exceptions.js';

export const COUNTER_HZ = 62_500_000;
const NS_PER_TICK = 1e9 / COUNTER_HZ;
const TWO32 = 4294967296;

/** CNTx_CTL bits. */
export const CTL_ENABLE = 1;
export const CTL_IMASK = 2;
export const CTL_ISTATUS = 4;

/** The timers: EL1 physical (CNTP), virtual (CNTV), EL2 physical (CNTHP), secure physical (CNTPS), EL2 virtual (CNTHV). */
export const TIMER_P = 0;
export const TIMER_V = 1;
export const TIMER_HP = 2;
export const TIMER_PS = 3;
export const TIMER_HV = 4;
const TIMER_COUNT = 5;

/** c.pendingCheck bit: a timer is armed; poll it (see exceptions.ts checkPending). */
export const PENDING_TIMER = 1 << 3;

/** Instructions between two timer polls at block boundaries while a timer is armed. */
export const TIMER_POLL_INSNS = 16384;

/** The PPI (INTID) each timer drives, indexed by TIMER_*. */
export const TIMER_PPI = [30, 27, 26, 29, 28];

const CTL = [R.CNTP_CTL_EL0, R.CNTV_CTL_EL0, R.CNTHP_CTL_EL2, R.CNTPS_CTL_EL1, R.CNTHV_CTL_EL2];
const CVAL = [R.CNTP_CVAL_EL0, R.CNTV_CVAL_EL0, R.CNTHP_CVAL_EL2, R.CNTPS_CVAL_EL1, R.CNTHV_CVAL_EL2];

/** CNTPCT_EL0: the physical count (lo; hi in c.hi). */
export function physicalCount(c: Cpu): number {
  const t = Math.floor(c.env.nowNs() / NS_PER_TICK);
  c.hi = Math.floor(t / TWO32) | 0;
  return t | 0;
}

/**
 * CNTVCT_EL0 as read at the current EL: CNTPCT_EL0 − CNTVOFF_EL2, with the offset 0 without EL2,
 * at EL2 with HCR_EL2.E2H = 1 and at EL0 with HCR_EL2.{E2H,TGE} = {1,1} (FEAT_VHE; Arm ARM, the virtual counter).
 */
export function virtualCount(c: Cpu): number {
  if (c.hasEl2 && c.el !== 1 && c.el !== 3 && virtualOffsetIsZero(c)) return physicalCount(c);
  return offsetVirtualCount(c);
}

/** The virtual offset is 0 at EL2 with HCR_EL2.E2H and at EL0 in the EL2&0 host (E2H and TGE). */
function virtualOffsetIsZero(c: Cpu): boolean {
  return c.el === 2 ? (c.sys.hi(R.HCR_EL2) & HCR_HI_E2H) !== 0 : isInHost(c);
}

/** CNTPCT_EL0 − CNTVOFF_EL2 whatever the EL: the count of the EL1 virtual timer. */
function offsetVirtualCount(c: Cpu): number {
  const plo = physicalCount(c);
  const phi = c.hi;
  if (!c.hasEl2) return plo;
  const s = c.sys.r;
  const olo = s[2 * R.CNTVOFF_EL2];
  const ohi = s[2 * R.CNTVOFF_EL2 + 1];
  const borrow = plo >>> 0 < olo >>> 0 ? 1 : 0;
  c.hi = (phi - ohi - borrow) | 0;
  return (plo - olo) | 0;
}

/**
 * The event streams (Arm ARM D11.1.5): CNTKCTL_EL1 on the virtual count (CNTPCT − CNTVOFF_EL2)
 * and, with EL2, CNTHCTL_EL2 on the physical count each generate an event when the selected bit
 * EVNTI[7:4] of the count goes 0→1 (EVNTDIR[3] = 0) or 1→0 (EVNTDIR = 1), when EVNTEN[2] is set.
 * Returns the host time (c.env.nowNs scale) of the next such transition, Infinity when none is enabled.
 */
export function eventStreamNextNs(c: Cpu): number {
  const nowTicks = Math.floor(c.env.nowNs() / NS_PER_TICK);
  let next = Infinity;
  const k = c.sys.r[2 * R.CNTKCTL_EL1];
  if ((k & 4) !== 0) next = nextTransition(nowTicks, c.hasEl2 ? c.sys.r[2 * R.CNTVOFF_EL2] : 0, k);
  if (c.hasEl2) {
    const h = c.sys.r[2 * R.CNTHCTL_EL2];
    if ((h & 4) !== 0) next = Math.min(next, nextTransition(nowTicks, 0, h));
  }
  return next * NS_PER_TICK;
}

/** First physical tick after `nowTicks` at which bit EVNTI of (tick − offset) makes the transition EVNTDIR selects. */
function nextTransition(nowTicks: number, offsetLo: number, ctl: number): number {
  const n = (ctl >>> 4) & 0xf;
  const period = 2 ** (n + 1);
  const target = (ctl & 8) === 0 ? 2 ** n : 0; // count mod period at the transition
  const count = (nowTicks - ((offsetLo >>> 0) % period) + period) % period;
  const r = (count - target + period) % period;
  return nowTicks + (period - r);
}

function timerCount(c: Cpu, t: number): number {
  return t === TIMER_V ? offsetVirtualCount(c) : physicalCount(c);
}

/** TimerConditionMet: the count has reached CVAL (unsigned 64-bit compare). */
export function timerConditionMet(c: Cpu, t: number): boolean {
  const lo = timerCount(c, t);
  const hi = c.hi;
  const s = c.sys.r;
  const clo = s[2 * CVAL[t]];
  const chi = s[2 * CVAL[t] + 1];
  if (hi !== chi) return hi >>> 0 > chi >>> 0;
  return lo >>> 0 >= clo >>> 0;
}

/** CNTx_CTL read: ENABLE and IMASK as written, ISTATUS computed from the counter. */
export function readTimerCtl(c: Cpu, t: number): number {
  const ctl = c.sys.r[2 * CTL[t]] & (CTL_ENABLE | CTL_IMASK);
  c.hi = 0;
  return (ctl & CTL_ENABLE) !== 0 && timerConditionMet(c, t) ? ctl | CTL_ISTATUS : ctl;
}

export function writeTimerCtl(c: Cpu, t: number, lo: number): void {
  c.sys.r[2 * CTL[t]] = lo & (CTL_ENABLE | CTL_IMASK);
  c.sys.r[2 * CTL[t] + 1] = 0;
  timerChanged(c);
}

/** CNTx_CVAL write. */
export function writeTimerCval(c: Cpu, t: number, lo: number, hi: number): void {
  c.sys.r[2 * CVAL[t]] = lo;
  c.sys.r[2 * CVAL[t] + 1] = hi;
  timerChanged(c);
}

/** CNTVOFF_EL2 write (moves the virtual timer's deadline). */
export function writeCntvoff(c: Cpu, lo: number, hi: number): void {
  c.sys.r[2 * R.CNTVOFF_EL2] = lo;
  c.sys.r[2 * R.CNTVOFF_EL2 + 1] = hi;
  timerChanged(c);
}

/** After a write to a timer register: re-evaluate the interrupt lines and the next deadline now. */
export function timerChanged(c: Cpu): void {
  pollTimers(c);
}

/**
 * Evaluate every timer's interrupt line against host time, drive the PPIs of the GIC CPU
 * interface (on changes only), and compute `c.timerNextNs`, the earliest host time at which
 * an unmasked, enabled timer that has not fired yet will fire. Keeps PENDING_TIMER set
 * while there is one, so checkPending polls again after TIMER_POLL_INSNS instructions.
 */
export function pollTimers(c: Cpu): void {
  let next = Infinity;
  let lines = 0;
  const r = c.sys.r;
  for (let t = 0; t < TIMER_COUNT; t++) {
    const ctl = r[2 * CTL[t]];
    if ((ctl & (CTL_ENABLE | CTL_IMASK)) !== CTL_ENABLE) continue;
    if ((t === TIMER_HP || t === TIMER_HV) && !c.hasEl2) continue;
    if (t === TIMER_PS && !c.hasEl3) continue;
    if (timerConditionMet(c, t)) {
      lines |= 1 << t;
    } else {
      const d = timerDeadlineNs(c, t);
      if (d < next) next = d;
    }
  }
  const changed = lines ^ c.timerLines;
  if (changed !== 0) {
    c.timerLines = lines;
    const g = c.gic;
    if (g !== null) for (let t = 0; t < TIMER_COUNT; t++) if ((changed & (1 << t)) !== 0) g.setPpi(TIMER_PPI[t], (lines & (1 << t)) !== 0);
  }
  c.timerNextNs = next;
  if (next !== Infinity) {
    c.pendingCheck |= PENDING_TIMER;
    c.timerPollAt = c.icount + TIMER_POLL_INSNS;
  } else {
    c.pendingCheck &= ~PENDING_TIMER;
  }
}

/** CNTx_TVAL read: (CVAL − count)[31:0], sign-extended. */
export function readTimerTval(c: Cpu, t: number): number {
  const lo = timerCount(c, t);
  const v = (c.sys.r[2 * CVAL[t]] - lo) | 0;
  c.hi = v >> 31;
  return v;
}

/** CNTx_TVAL write: CVAL = count + SignExtend(TVAL[31:0]). */
export function writeTimerTval(c: Cpu, t: number, lo: number): void {
  const clo = timerCount(c, t);
  const chi = c.hi;
  const sum = (clo >>> 0) + (lo >>> 0);
  const carry = sum >= TWO32 ? 1 : 0;
  c.sys.r[2 * CVAL[t]] = sum | 0;
  c.sys.r[2 * CVAL[t] + 1] = (chi + (lo >> 31) + carry) | 0;
  timerChanged(c);
}

/**
 * Host time (ns, on the c.env.nowNs() scale) at which timer `t` fires, or Infinity when
 * it is disabled or masked. For whoever schedules wake-ups (WFI, the GIC's timer PPIs).
 */
export function timerDeadlineNs(c: Cpu, t: number): number {
  const ctl = c.sys.r[2 * CTL[t]];
  if ((ctl & CTL_ENABLE) === 0 || (ctl & CTL_IMASK) !== 0) return Infinity;
  const cval = (c.sys.r[2 * CVAL[t] + 1] >>> 0) * TWO32 + (c.sys.r[2 * CVAL[t]] >>> 0);
  let offset = 0;
  if (t === TIMER_V && c.hasEl2) offset = (c.sys.r[2 * R.CNTVOFF_EL2 + 1] >>> 0) * TWO32 + (c.sys.r[2 * R.CNTVOFF_EL2] >>> 0);
  return (cval + offset) * NS_PER_TICK;
}
