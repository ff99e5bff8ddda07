/**
 * AArch64 exception entry and return (Arm ARM D1.10, AArch64.TakeException,
 * AArch64.ExceptionReturn). Routing decisions (which EL an exception goes to)
 * live with their causes; this file performs the entry once the target is known.
 */
import { JUMP, type Cpu } from './cpu.js';
import { R } from './sysregs.js';
import { fetchInsn, instructionSyndrome } from './isv.js';
import { ACC_EXEC, ACC_READ, ACC_WRITE, ACC_CM, FSC_SYNC_EXTERNAL } from '../mem/mempath.js';
import { pollTimers, PENDING_TIMER } from './timer.js';

/** Exception classes (ESR_ELx.EC). */
export const EC = {
  UNKNOWN: 0x00,
  WFX: 0x01,
  FP_ACCESS: 0x07,
  ILLEGAL_STATE: 0x0e,
  SVC64: 0x15,
  HVC64: 0x16,
  SMC64: 0x17,
  SYSREG: 0x18,
  IABORT_LOWER: 0x20,
  IABORT_SAME: 0x21,
  PC_ALIGN: 0x22,
  DABORT_LOWER: 0x24,
  DABORT_SAME: 0x25,
  SP_ALIGN: 0x26,
  FP_EXC64: 0x2c,
  SERROR: 0x2f,
  BRK64: 0x3c,
} as const;

export const VEC_SYNC = 0x000;
export const VEC_IRQ = 0x080;
export const VEC_FIQ = 0x100;
export const VEC_SERROR = 0x180;

/** PSTATE bits outside NZCV/DAIF/EL/SP as they sit in SPSR. */
export const PSTATE_PAN = 1 << 22;
export const PSTATE_SS = 1 << 21;
export const PSTATE_IL = 1 << 20;

/** ESR_ELx.IL: 32-bit instruction. */
export const ESR_IL = 1 << 25;

export const SCR_NS = 1 << 0;
export const SCR_IRQ = 1 << 1;
export const SCR_FIQ = 1 << 2;
export const SCR_SMD = 1 << 7;
export const SCR_HCE = 1 << 8;
export const SCR_RW = 1 << 10;
export const SCR_ST = 1 << 11;
export const SCR_TWI = 1 << 12;
export const SCR_TWE = 1 << 13;

export const HCR_FMO = 1 << 3;
export const HCR_IMO = 1 << 4;
export const HCR_VF = 1 << 6;
export const HCR_VI = 1 << 7;
export const HCR_TWI = 1 << 13;
export const HCR_TWE = 1 << 14;
export const HCR_TID1 = 1 << 16;
export const HCR_TID2 = 1 << 17;
export const HCR_TID3 = 1 << 18;
export const HCR_TSC = 1 << 19;
export const HCR_TACR = 1 << 21;
export const HCR_TSW = 1 << 22;
export const HCR_TPC = 1 << 23;
export const HCR_TPU = 1 << 24;
export const HCR_TTLB = 1 << 25;
export const HCR_TVM = 1 << 26;
export const HCR_TGE = 1 << 27;
export const HCR_TDZ = 1 << 28;
export const HCR_HCD = 1 << 29;
export const HCR_TRVM = 1 << 30;
export const HCR_RW = 1 << 31;
/** HCR_EL2.E2H is bit 34: bit 2 of the high word. */
export const HCR_HI_E2H = 1 << 2;

export const MDCR_TDE = 1 << 8;

/** c.pendingCheck bits. */
export const PENDING_ILLEGAL = 1 << 0;
/** The GIC state of this vCPU changed: recompute its IRQ/FIQ outputs (c.intLines). */
export const PENDING_GIC = 1 << 1;
/** An interrupt line (physical or virtual) may be asserted: take it when PSTATE/routing allow. */
export const PENDING_INT = 1 << 2;
/** A generic timer is armed: compare its deadline with host time now and then (timer.ts). */
export { PENDING_TIMER };

/** c.intLines bits: the CPU interface's IRQ and FIQ outputs. */
export const LINE_IRQ = 1;
export const LINE_FIQ = 2;

/**
 * c.fpTrap value for a SIMD&FP access that CPACR_EL1 disables at EL0 while HCR_EL2.TGE = 1
 * (E2H = 0): AArch64.AdvSIMDFPAccessTrap routes it to EL2 as an Uncategorized exception (EC 0).
 */
export const FP_TRAP_EL2_UNCATEGORIZED = 4;

/** Consecutive exceptions taken at the first slot of the same vector before we call it a loop. */
const RECURSION_LIMIT = 256;

/**
 * Identical synchronous exceptions taken from inside their own handler (same EL, vector, ESR,
 * ELR and FAR, no exception return at that EL in between) before we call it a loop. Higher
 * than RECURSION_LIMIT: a guest may leave a handler without ERET (longjmp-style recovery)
 * and fault again at the same place; only a handler that keeps faulting repeats this often.
 */
const NESTED_LIMIT = 4096;

/**
 * True when this synchronous exception repeats the previous one taken from the same EL with no
 * ERET in between, for the NESTED_LIMIT-th time: a handler (reached by a branch from its vector,
 * so beyond the vector-slot check) that faults on its own instruction forever.
 */
function nestedFaultLoop(
  c: Cpu,
  el: number,
  vecLo: number,
  vecHi: number,
  esr: number,
  elrLo: number,
  elrHi: number,
  farLo: number,
  farHi: number,
): boolean {
  const w = c.nestedFault;
  if (
    w.el === el &&
    w.vecLo === vecLo &&
    w.vecHi === vecHi &&
    w.esr === esr &&
    w.elrLo === elrLo &&
    w.elrHi === elrHi &&
    w.farLo === farLo &&
    w.farHi === farHi
  ) {
    return ++w.repeats >= NESTED_LIMIT;
  }
  w.el = el;
  w.vecLo = vecLo;
  w.vecHi = vecHi;
  w.esr = esr;
  w.elrLo = elrLo;
  w.elrHi = elrHi;
  w.farLo = farLo;
  w.farHi = farHi;
  w.repeats = 0;
  return false;
}

/** An ERET at `el` ends the handler a nested-fault chain at that EL was counted in. */
function endNestedFaultChain(c: Cpu, el: number): void {
  if (c.nestedFault.el === el) c.nestedFault.el = -1;
}

/** SPSR value for the current PSTATE (AArch64 form). */
export function getSpsr(c: Cpu): number {
  return ((c.nzcv << 28) | (c.daif << 6) | (c.el << 2) | c.spsel | c.pstateOther) >>> 0;
}

/** Called after any change of EL or of registers that shape the memory context. */
export function contextChanged(c: Cpu): void {
  c.fpTrap = computeFpTrap(c);
  // Routing and virtual interrupt lines (HCR_EL2, SCR_EL3, the EL) may have changed.
  if (c.intLines !== 0 || c.hasEl2) c.pendingCheck |= PENDING_INT;
  c.onContextChange(c);
}

/**
 * Take an exception to `targetEl` with the given vector offset and syndrome.
 * `retLo/retHi` is the preferred return address (ELR). `far` is written when defined.
 */
export function takeException(
  c: Cpu,
  targetEl: number,
  vecType: number,
  esr: number,
  retLo: number,
  retHi: number,
  farLo?: number,
  farHi?: number,
): number {
  const s = c.sys;
  const fromEl = c.el;
  const spsr = getSpsr(c);
  // Vector offset: current EL with SP_EL0, current EL with SP_ELx, lower EL AArch64.
  const base = targetEl > fromEl ? 0x400 : c.spsel === 0 ? 0x000 : 0x200;
  const vbar = R.VBAR_EL1 + (targetEl - 1);
  const vecLo = ((s.lo(vbar) & ~0x7ff) + base + vecType) | 0;
  const vecHi = s.hi(vbar);

  // Recursive exception detection: an exception taken from inside the vector slot we just entered.
  if (c.lastVecHi === retHi && (retLo >>> 0) - (c.lastVecLo >>> 0) < 0x80 && retLo >>> 0 >= c.lastVecLo >>> 0 && c.lastEsr === esr) {
    if (++c.excStreak >= RECURSION_LIMIT) {
      c.stopRequested = true;
      c.env.requestStop({
        kind: 'error',
        message: `recursive exception loop: exception (ESR 0x${(esr >>> 0).toString(16)}) taken ${RECURSION_LIMIT} times from its own vector at 0x${fmtPair(vecLo, vecHi)} (EL${targetEl})`,
      });
      return JUMP;
    }
  } else {
    c.excStreak = 0;
  }
  if (
    vecType === VEC_SYNC &&
    fromEl === targetEl &&
    nestedFaultLoop(c, targetEl, vecLo, vecHi, esr, retLo | 0, retHi | 0, farLo === undefined ? -1 : farLo | 0, farHi ?? 0)
  ) {
    c.stopRequested = true;
    c.env.requestStop({
      kind: 'error',
      message: `recursive exception loop: exception (ESR 0x${(esr >>> 0).toString(16)}) taken ${NESTED_LIMIT} times from 0x${fmtPair(retLo, retHi)} inside its own handler (vector 0x${fmtPair(vecLo, vecHi)}, EL${targetEl}) with no exception return`,
    });
    return JUMP;
  }
  c.lastVecLo = vecLo;
  c.lastVecHi = vecHi;
  c.lastEsr = esr;
  c.excCount++;
  c.excByClass[vecType === VEC_SYNC ? esr >>> 26 : 64 + (vecType >>> 7)]++;

  s.saveSp();
  s.set(R.SPSR_EL1 + (targetEl - 1), spsr, 0);
  s.set(R.ELR_EL1 + (targetEl - 1), retLo, retHi);
  if (vecType === VEC_SYNC || vecType === VEC_SERROR) s.set(R.ESR_EL1 + (targetEl - 1), esr, 0);
  if (farLo !== undefined) s.set(R.FAR_EL1 + (targetEl - 1), farLo, farHi ?? 0);

  c.el = targetEl;
  c.spsel = 1;
  c.daif = 0xf;
  let other = c.pstateOther & ~(PSTATE_SS | PSTATE_IL);
  // FEAT_PAN: PSTATE.PAN is set on entry to EL1 (or EL2 with E2H&TGE) unless SCTLR.SPAN is 1.
  if (c.model.features.pan) {
    const spanReg = targetEl === 1 ? R.SCTLR_EL1 : targetEl === 2 && isInHost(c) ? R.SCTLR_EL2 : -1;
    if (spanReg >= 0 && (s.lo(spanReg) & (1 << 23)) === 0) other |= PSTATE_PAN;
  }
  c.pstateOther = other;
  s.loadSp();
  c.exclusiveArmed = false;
  c.setPc(vecLo, vecHi);
  contextChanged(c);
  return JUMP;
}

/** Security state: Secure when EL3 exists and SCR_EL3.NS = 0, or at EL3 (no FEAT_SEL2). */
export function isSecure(c: Cpu): boolean {
  return c.hasEl3 && (c.el === 3 || (c.sys.lo(R.SCR_EL3) & SCR_NS) === 0);
}

/** EL2Enabled(): EL2 exists and the PE is Non-secure (armlab has no Secure EL2). */
export function el2Enabled(c: Cpu): boolean {
  return c.hasEl2 && (!c.hasEl3 || (c.sys.lo(R.SCR_EL3) & SCR_NS) !== 0);
}

/** HCR_EL2 low word as it applies to the current state (0 when EL2 is not enabled). */
export function hcrLo(c: Cpu): number {
  return el2Enabled(c) ? c.sys.lo(R.HCR_EL2) : 0;
}

/** HCR_EL2.{E2H,TGE} = {1,1}: EL0 runs in the EL2&0 (host) regime. */
export function isInHost(c: Cpu): boolean {
  return c.model.features.vhe && el2Enabled(c) && (c.sys.lo(R.HCR_EL2) & HCR_TGE) !== 0 && (c.sys.hi(R.HCR_EL2) & HCR_HI_E2H) !== 0;
}

/** Target EL for a synchronous exception from the current EL (EL0 goes to EL2 when HCR_EL2.TGE is set). */
export function syncTargetEl(c: Cpu): number {
  if (c.el !== 0) return c.el;
  return (hcrLo(c) & HCR_TGE) !== 0 ? 2 : 1;
}

/** UNDEFINED instruction at (pcLo, pcHi): EC 0, IL 1. */
export function undefinedInstruction(c: Cpu, pcLo: number, pcHi: number): number {
  return takeException(c, syncTargetEl(c), VEC_SYNC, (EC.UNKNOWN << 26) | ESR_IL, pcLo, pcHi);
}

/**
 * A trapped system register/instruction access (EC 0x18) to `target` (1, 2 or 3).
 * A trap "to EL1" from EL0 goes to EL2 when HCR_EL2.TGE is set. `iss` is the access's ISS
 * (Op0, Op2, Op1, CRn, Rt, CRm, direction), computed at decode time.
 */
export function sysRegTrap(c: Cpu, target: number, iss: number, pcLo: number, pcHi: number): number {
  const el = target === 1 ? syncTargetEl(c) || 1 : target;
  return takeException(c, el < c.el ? c.el : el, VEC_SYNC, (EC.SYSREG << 26) | ESR_IL | iss, pcLo, pcHi);
}

/** SVC #imm16 (AArch64.CallSupervisor): preferred return is the next instruction. */
export function callSupervisor(c: Cpu, imm16: number, nextLo: number, nextHi: number): number {
  return takeException(c, syncTargetEl(c), VEC_SYNC, (EC.SVC64 << 26) | ESR_IL | imm16, nextLo, nextHi);
}

/** HVC to EL2, or at EL3 to EL3 (AArch64.CallHypervisor). Checks are the caller's (hvcUndefined). */
export function callHypervisor(c: Cpu, imm16: number, nextLo: number, nextHi: number): number {
  return takeException(c, c.el === 3 ? 3 : 2, VEC_SYNC, (EC.HVC64 << 26) | ESR_IL | imm16, nextLo, nextHi);
}

/**
 * HVC is UNDEFINED at EL0, without EL2, at Secure EL1, and when disabled by
 * SCR_EL3.HCE = 0 (EL3 present) or HCR_EL2.HCD = 1 (no EL3).
 */
export function hvcUndefined(c: Cpu): boolean {
  if (c.el === 0 || !c.hasEl2) return true;
  if (c.el === 1 && isSecure(c)) return true;
  if (c.hasEl3) return (c.sys.lo(R.SCR_EL3) & SCR_HCE) === 0;
  return (c.sys.lo(R.HCR_EL2) & HCR_HCD) !== 0;
}

/** SMC trapped to EL2 by HCR_EL2.TSC from EL1: EC 0x17, preferred return is the SMC itself. */
export function smcTrapsToEl2(c: Cpu): boolean {
  return c.el === 1 && (hcrLo(c) & HCR_TSC) !== 0;
}

export function smcTrap(c: Cpu, imm16: number, pcLo: number, pcHi: number): number {
  return takeException(c, 2, VEC_SYNC, (EC.SMC64 << 26) | ESR_IL | imm16, pcLo, pcHi);
}

/** SMC is UNDEFINED without EL3 and when SCR_EL3.SMD = 1 (EL0 is rejected at decode). */
export function smcUndefined(c: Cpu): boolean {
  return !c.hasEl3 || (c.sys.lo(R.SCR_EL3) & SCR_SMD) !== 0;
}

/** SMC to EL3 (AArch64.CallSecureMonitor): preferred return is the next instruction. */
export function callSecureMonitor(c: Cpu, imm16: number, nextLo: number, nextHi: number): number {
  return takeException(c, 3, VEC_SYNC, (EC.SMC64 << 26) | ESR_IL | imm16, nextLo, nextHi);
}

/** BRK #imm16: EC 0x3C; routed to EL2 from EL0/EL1 when HCR_EL2.TGE or MDCR_EL2.TDE is set. */
export function softwareBreakpoint(c: Cpu, imm16: number, pcLo: number, pcHi: number): number {
  let target = syncTargetEl(c);
  if (c.el <= 1 && el2Enabled(c) && (c.sys.lo(R.MDCR_EL2) & MDCR_TDE) !== 0) target = 2;
  return takeException(c, target, VEC_SYNC, (EC.BRK64 << 26) | ESR_IL | imm16, pcLo, pcHi);
}

/** WFI/WFE trapped (EC 0x01): ISS CV=1, COND=0xE, TI = 0 (WFI) / 1 (WFE). */
export function wfxTrap(c: Cpu, target: number, wfe: boolean, pcLo: number, pcHi: number): number {
  const iss = (1 << 24) | (0xe << 20) | (wfe ? 1 : 0);
  return takeException(c, target === 1 ? syncTargetEl(c) : target, VEC_SYNC, (EC.WFX << 26) | ESR_IL | iss, pcLo, pcHi);
}

/** ELUsingAArch32(el) for el in 0..2 as SCR_EL3.RW / HCR_EL2.RW configure it. */
export function elUsingAArch32(c: Cpu, el: number): boolean {
  if (el === 3) return false;
  const scrAArch32 = c.hasEl3 && (c.sys.lo(R.SCR_EL3) & SCR_RW) === 0;
  if (el === 2) return scrAArch32;
  if (el === 0 && (hcrLo(c) & HCR_TGE) !== 0) return scrAArch32 && c.hasEl2;
  return scrAArch32 || (el2Enabled(c) && (c.sys.lo(R.HCR_EL2) & HCR_RW) === 0 && !isInHost(c));
}

/** IllegalExceptionReturn(spsr) for an AArch64 SPSR (Arm ARM J1, AArch64.ExceptionReturn). */
export function illegalExceptionReturn(c: Cpu, spsr: number): boolean {
  if ((spsr & 0x10) !== 0) return !c.model.features.aarch32;
  if ((spsr & 2) !== 0) return true;
  const target = (spsr >>> 2) & 3;
  if (target > c.el) return true;
  if ((target === 2 && !c.hasEl2) || (target === 3 && !c.hasEl3)) return true;
  if (target === 2 && c.hasEl3 && (c.sys.lo(R.SCR_EL3) & SCR_NS) === 0) return true;
  if (target === 1 && (hcrLo(c) & HCR_TGE) !== 0) return true;
  if (target === 0 && (spsr & 1) !== 0) return true;
  return elUsingAArch32(c, target);
}

/**
 * ERET (AArch64.ExceptionReturn): PSTATE from SPSR_ELx, PC from ELR_ELx. An illegal
 * return keeps EL and SP selection, restores the other fields and sets PSTATE.IL, so
 * the next instruction takes an Illegal Execution state exception (see checkPending).
 */
export function exceptionReturn(c: Cpu): number {
  const s = c.sys;
  const el = c.el;
  const spsr = s.lo(R.SPSR_EL1 + el - 1);
  const elrLo = s.lo(R.ELR_EL1 + el - 1);
  const elrHi = s.hi(R.ELR_EL1 + el - 1);
  const illegal = illegalExceptionReturn(c, spsr);
  if (!illegal && (spsr & 0x10) !== 0) {
    c.stopRequested = true;
    c.env.requestStop({
      kind: 'error',
      message: `ERET to AArch32 state (SPSR_EL${el}=0x${(spsr >>> 0).toString(16)}): armlab executes AArch64 only`,
    });
    return JUMP;
  }
  endNestedFaultChain(c, el);
  s.saveSp();
  c.nzcv = (spsr >>> 28) & 0xf;
  c.daif = (spsr >>> 6) & 0xf;
  let other = c.model.features.pan ? spsr & PSTATE_PAN : 0;
  if (illegal || (spsr & PSTATE_IL) !== 0) other |= PSTATE_IL;
  if (!illegal) {
    c.el = (spsr >>> 2) & 3;
    c.spsel = spsr & 1;
  }
  c.pstateOther = other;
  s.loadSp();
  // Exception return clears the local exclusive monitor and sets the event register.
  c.exclusiveArmed = false;
  c.eventRegister = true;
  c.setPc(elrLo, elrHi);
  if ((other & PSTATE_IL) !== 0) c.pendingCheck |= PENDING_ILLEGAL;
  contextChanged(c);
  return JUMP;
}

/**
 * Installed as `c.checkPending`: runs at a block boundary when `c.pendingCheck` is
 * non-zero; returns non-zero when it took an exception. Bits of `pendingCheck`:
 * PENDING_ILLEGAL (PSTATE.IL after an illegal ERET), PENDING_TIMER (poll the armed
 * timers against host time every TIMER_POLL_INSNS instructions), PENDING_GIC
 * (recompute the GIC CPU interface outputs), PENDING_INT (an IRQ/FIQ line or a
 * virtual interrupt may be asserted: take it if PSTATE.DAIF and the routing in
 * SCR_EL3/HCR_EL2 allow; the bit stays set while a line is asserted but masked).
 */
export function checkPending(c: Cpu): number {
  if ((c.pendingCheck & PENDING_ILLEGAL) !== 0) {
    c.pendingCheck &= ~PENDING_ILLEGAL;
    if ((c.pstateOther & PSTATE_IL) !== 0) {
      takeException(c, syncTargetEl(c), VEC_SYNC, (EC.ILLEGAL_STATE << 26) | ESR_IL, c.pcLo, c.pcHi);
      return 1;
    }
  }
  if ((c.pendingCheck & PENDING_TIMER) !== 0 && c.icount >= c.timerPollAt) pollTimers(c);
  // Only the timer armed (the common case between polls): nothing else to look at.
  if ((c.pendingCheck & (PENDING_GIC | PENDING_INT)) === 0) return 0;
  refreshInterruptLines(c);
  const virt = virtualInterruptLines(c);
  if ((c.intLines | virt) === 0) {
    c.pendingCheck &= ~PENDING_INT;
    return 0;
  }
  c.pendingCheck |= PENDING_INT;
  return takePendingInterrupt(c, virt);
}

/** If the GIC flagged a change (PENDING_GIC), recompute c.intLines; an asserted line sets PENDING_INT. */
export function refreshInterruptLines(c: Cpu): void {
  if ((c.pendingCheck & PENDING_GIC) === 0) return;
  c.pendingCheck &= ~PENDING_GIC;
  c.intLines = c.gic === null ? 0 : c.gic.update(c);
  if (c.intLines !== 0) c.pendingCheck |= PENDING_INT;
}

/** Virtual IRQ/FIQ lines from HCR_EL2.VI/VF (only with EL2 enabled and HCR_EL2.IMO/FMO set). */
export function virtualInterruptLines(c: Cpu): number {
  if (!c.hasEl2 || !el2Enabled(c)) return 0;
  const h = c.sys.lo(R.HCR_EL2);
  let v = 0;
  if ((h & (HCR_IMO | HCR_VI)) === (HCR_IMO | HCR_VI)) v |= LINE_IRQ;
  if ((h & (HCR_FMO | HCR_VF)) === (HCR_FMO | HCR_VF)) v |= LINE_FIQ;
  return v;
}

/**
 * Target EL of a physical IRQ (fiq = false) or FIQ, or 0 when it cannot be taken now
 * (targets a lower EL, or masked by PSTATE.I/F). Routing: SCR_EL3.IRQ/FIQ to EL3, else
 * HCR_EL2.IMO/FMO or TGE to EL2 (EL2 enabled, from EL0/EL1), else EL1. An interrupt routed
 * by SCR_EL3 or HCR_EL2 to a higher EL than the current one is not masked by PSTATE
 * (as QEMU's arm_excp_unmasked, AArch64, no Secure EL2).
 */
export function physicalInterruptTarget(c: Cpu, fiq: boolean): number {
  const el = c.el;
  let target = 1;
  let routed = false;
  if (c.hasEl3 && (c.sys.lo(R.SCR_EL3) & (fiq ? SCR_FIQ : SCR_IRQ)) !== 0) {
    target = 3;
    routed = true;
  } else if (el <= 2 && el2Enabled(c) && (c.sys.lo(R.HCR_EL2) & ((fiq ? HCR_FMO : HCR_IMO) | HCR_TGE)) !== 0) {
    target = 2;
    routed = true;
  }
  if (target < el) return 0;
  if (target > el && target !== 1 && routed) return target;
  return (c.daif & (fiq ? 1 : 2)) !== 0 ? 0 : target;
}

/** Take the highest-priority deliverable interrupt: FIQ, IRQ, then virtual FIQ, virtual IRQ. Returns 1 if taken. */
function takePendingInterrupt(c: Cpu, virt: number): number {
  const lines = c.intLines;
  if ((lines & LINE_FIQ) !== 0) {
    const t = physicalInterruptTarget(c, true);
    if (t !== 0) return takeInterrupt(c, t, VEC_FIQ);
  }
  if ((lines & LINE_IRQ) !== 0) {
    const t = physicalInterruptTarget(c, false);
    if (t !== 0) return takeInterrupt(c, t, VEC_IRQ);
  }
  if (virt !== 0 && c.el <= 1 && (c.sys.lo(R.HCR_EL2) & HCR_TGE) === 0) {
    if ((virt & LINE_FIQ) !== 0 && (c.daif & 1) === 0) return takeInterrupt(c, 1, VEC_FIQ);
    if ((virt & LINE_IRQ) !== 0 && (c.daif & 2) === 0) return takeInterrupt(c, 1, VEC_IRQ);
  }
  return 0;
}

/** IRQ/FIQ entry at a block boundary: the preferred return address is the next instruction (the current PC). */
function takeInterrupt(c: Cpu, target: number, vec: number): number {
  c.halted = false;
  takeException(c, target, vec, 0, c.pcLo, c.pcHi);
  return 1;
}

/** Take the data abort recorded in c.mem by a failed access of the instruction at (pcLo, pcHi). */
export function dataAbort(c: Cpu, pcLo: number, pcHi: number): number {
  const m = c.mem;
  const target = m.faultStage2 ? 2 : syncTargetEl(c);
  const ec = target > c.el ? EC.DABORT_LOWER : EC.DABORT_SAME;
  let iss = m.faultStatus & 0x3f;
  const acc = m.faultAcc;
  // WnR: for read-modify-write atomics the read faults first (alignment, translation, …),
  // so WnR = 0 unless it is a permission fault on the write.
  const rmw = (acc & ACC_READ) !== 0 && (acc & ACC_WRITE) !== 0;
  const permission = (m.faultStatus & 0x3c) === 0x0c;
  if ((acc & ACC_WRITE) !== 0 && (acc & ACC_CM) === 0 && (!rmw || permission)) iss |= 1 << 6;
  if ((acc & ACC_CM) !== 0) iss |= (1 << 8) | (1 << 6);
  if (m.faultS1ptw) iss |= 1 << 7;
  // Stage-2 aborts taken to EL2 carry the instruction syndrome (ISV, SAS, SSE, SRT, SF, AR) for MMIO emulation.
  if (target === 2 && m.faultStage2 && !m.faultS1ptw) {
    const insn = fetchInsn(c, pcLo, pcHi);
    if (insn !== undefined) iss |= instructionSyndrome(insn);
  }
  // External aborts on an unmapped address: FAR is valid (FnV = 0).
  if (m.faultStatus === FSC_SYNC_EXTERNAL) iss &= ~(1 << 10);
  if (m.faultIpa >= 0 && target === 2) {
    const ipaPage = Math.floor(m.faultIpa / 4096);
    // HPFAR_EL2.FIPA = IPA[51:12] in bits [43:4]: the value is ipaPage * 16 (below 2^48, exact in a double).
    c.sys.set(R.HPFAR_EL2, ((ipaPage % 0x10000000) * 16) | 0, Math.floor(ipaPage / 0x10000000));
  }
  return takeException(c, target, VEC_SYNC, (ec << 26) | (1 << 25) | iss, pcLo, pcHi, m.faultVaLo, m.faultVaHi);
}

/** Instruction abort for the fault recorded in c.mem by an instruction fetch at (pcLo, pcHi). */
export function instructionAbort(c: Cpu, pcLo: number, pcHi: number): number {
  const m = c.mem;
  const target = m.faultStage2 ? 2 : syncTargetEl(c);
  const ec = target > c.el ? EC.IABORT_LOWER : EC.IABORT_SAME;
  let iss = m.faultStatus & 0x3f;
  if (m.faultS1ptw) iss |= 1 << 7;
  return takeException(c, target, VEC_SYNC, (ec << 26) | (1 << 25) | iss, pcLo, pcHi, pcLo, pcHi);
}

/** PC alignment fault (EC 0x22): FAR holds the misaligned PC. */
export function pcAlignmentFault(c: Cpu, pcLo: number, pcHi: number): number {
  return takeException(c, syncTargetEl(c), VEC_SYNC, (EC.PC_ALIGN << 26) | (1 << 25), pcLo, pcHi, pcLo, pcHi);
}

/**
 * Where a SIMD&FP access at the current EL traps (Arm ARM AArch64.CheckFPAdvSIMDEnabled,
 * AArch64.CheckFPAdvSIMDTrap): 0 when it does not, else the target EL (1, 2, 3), or
 * FP_TRAP_EL2_UNCATEGORIZED. CPACR_EL1.FPEN applies at EL0/EL1 unless in the EL2&0 host
 * regime; CPTR_EL2 (TFP, or FPEN with E2H = 1) when EL2 is enabled; CPTR_EL3.TFP at every EL.
 */
export function computeFpTrap(c: Cpu): number {
  const s = c.sys;
  const host = isInHost(c);
  if (c.el <= 1 && !host) {
    const fpen = (s.lo(R.CPACR_EL1) >>> 20) & 3;
    if (fpen === 0 || fpen === 2 || (fpen === 1 && c.el === 0)) {
      // AArch64.AdvSIMDFPAccessTrap(EL1) with HCR_EL2.TGE = 1 goes to EL2 as Uncategorized.
      return c.el === 0 && (hcrLo(c) & HCR_TGE) !== 0 ? FP_TRAP_EL2_UNCATEGORIZED : 1;
    }
  }
  if (c.el <= 2 && el2Enabled(c)) {
    const cptr = s.lo(R.CPTR_EL2);
    if (c.model.features.vhe && (s.hi(R.HCR_EL2) & HCR_HI_E2H) !== 0) {
      const fpen = (cptr >>> 20) & 3;
      if (fpen === 0 || fpen === 2 || (fpen === 1 && c.el === 0 && (s.lo(R.HCR_EL2) & HCR_TGE) !== 0)) return 2;
    } else if ((cptr & CPTR_TFP) !== 0) {
      return 2;
    }
  }
  if (c.hasEl3 && (s.lo(R.CPTR_EL3) & CPTR_TFP) !== 0) return 3;
  return 0;
}

/** CPTR_EL2.TFP / CPTR_EL3.TFP (bit 10). */
export const CPTR_TFP = 1 << 10;

/** Take the SIMD&FP access trap (EC 0x07) computed in c.fpTrap for the instruction at (pcLo, pcHi). */
export function fpAccessTrap(c: Cpu, pcLo: number, pcHi: number): number {
  if (c.fpTrap === FP_TRAP_EL2_UNCATEGORIZED) return takeException(c, 2, VEC_SYNC, (EC.UNKNOWN << 26) | ESR_IL, pcLo, pcHi);
  // ISS: CV = 1, COND = 0xE for an AArch64 trap.
  return takeException(c, c.fpTrap, VEC_SYNC, (EC.FP_ACCESS << 26) | ESR_IL | (1 << 24) | (0xe << 20), pcLo, pcHi);
}

export function fmtPair(lo: number, hi: number): string {
  return ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16);
}

export { ACC_EXEC };
