/**
 * The generic timer (Arm ARM D11): the system counter, read from host time, and
 * the per-CPU timers' CTL/CVAL/TVAL views.
 *
 * The counter runs at COUNTER_HZ (62.5 MHz, QEMU virt's CNTFRQ: one tick per
 * 16 ns) from the host's monotonic clock (`c.env.nowNs()`), independently of
 * what software writes to CNTFRQ_EL0 (which only reports the frequency).
 * 64-bit values are (lo, hi) pairs; functions return lo and leave hi in `c.hi`.
 *
 * Interrupt delivery (timer PPIs through the GIC) comes with the GIC; it can use
 * `timerConditionMet` and `timerDeadlineNs`.
 */
import type { Cpu } from './cpu.js';
import { R } from './sysregs.js';

export const COUNTER_HZ = 62_500_000;
const NS_PER_TICK = 1e9 / COUNTER_HZ;
const TWO32 = 4294967296;

/** CNTx_CTL bits. */
export const CTL_ENABLE = 1;
export const CTL_IMASK = 2;
export const CTL_ISTATUS = 4;

/** The timers: physical EL1 (CNTP), virtual (CNTV), EL2 physical (CNTHP), secure physical (CNTPS). */
export const TIMER_P = 0;
export const TIMER_V = 1;
export const TIMER_HP = 2;
export const TIMER_PS = 3;

const CTL = [R.CNTP_CTL_EL0, R.CNTV_CTL_EL0, R.CNTHP_CTL_EL2, R.CNTPS_CTL_EL1];
const CVAL = [R.CNTP_CVAL_EL0, R.CNTV_CVAL_EL0, R.CNTHP_CVAL_EL2, R.CNTPS_CVAL_EL1];

/** CNTPCT_EL0: the physical count (lo; hi in c.hi). */
export function physicalCount(c: Cpu): number {
  const t = Math.floor(c.env.nowNs() / NS_PER_TICK);
  c.hi = Math.floor(t / TWO32) | 0;
  return t | 0;
}

/** CNTVCT_EL0 = CNTPCT_EL0 − CNTVOFF_EL2 (the offset is 0 when EL2 is not implemented). */
export function virtualCount(c: Cpu): number {
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

function timerCount(c: Cpu, t: number): number {
  return t === TIMER_V ? virtualCount(c) : physicalCount(c);
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
