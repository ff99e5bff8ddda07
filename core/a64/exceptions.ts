/**
 * AArch64 exception entry and return (Arm ARM D1.10, AArch64.TakeException,
 * AArch64.ExceptionReturn). Routing decisions (which EL an exception goes to)
 * live with their causes; this file performs the entry once the target is known.
 */
import { JUMP, type Cpu } from './cpu.js';
import { R } from './sysregs.js';
import { ACC_EXEC, ACC_WRITE, ACC_CM, FSC_SYNC_EXTERNAL } from '../mem/mempath.js';

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

/** Consecutive exceptions taken at the first slot of the same vector before we call it a loop. */
const RECURSION_LIMIT = 256;

/** SPSR value for the current PSTATE (AArch64 form). */
export function getSpsr(c: Cpu): number {
  return ((c.nzcv << 28) | (c.daif << 6) | (c.el << 2) | c.spsel | c.pstateOther) >>> 0;
}

/** Called after any change of EL or of registers that shape the memory context. */
export function contextChanged(c: Cpu): void {
  c.fpTrap = computeFpTrap(c);
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
  if (c.lastVecHi === retHi && (retLo >>> 0) - (c.lastVecLo >>> 0) < 0x80 && (retLo >>> 0) >= (c.lastVecLo >>> 0) && c.lastEsr === esr) {
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
  c.lastVecLo = vecLo;
  c.lastVecHi = vecHi;
  c.lastEsr = esr;
  c.excCount++;

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
  if (c.model.features.pan && targetEl === 1 && (s.lo(R.SCTLR_EL1) & (1 << 23)) === 0) other |= PSTATE_PAN;
  c.pstateOther = other;
  s.loadSp();
  c.exclusiveArmed = false;
  c.setPc(vecLo, vecHi);
  contextChanged(c);
  return JUMP;
}

/** Target EL for a synchronous exception from the current EL (no EL2 trap routing here). */
export function syncTargetEl(c: Cpu): number {
  if (c.el !== 0) return c.el;
  // EL0 exceptions go to EL1, or to EL2 when HCR_EL2.TGE is set.
  const hcr = c.sys.lo(R.HCR_EL2);
  return c.hasEl2 && (hcr & (1 << 27)) !== 0 ? 2 : 1;
}

/** UNDEFINED instruction at (pcLo, pcHi): EC 0, IL 1. */
export function undefinedInstruction(c: Cpu, pcLo: number, pcHi: number): number {
  return takeException(c, syncTargetEl(c), VEC_SYNC, (EC.UNKNOWN << 26) | (1 << 25), pcLo, pcHi);
}

/** Take the data abort recorded in c.mem by a failed access of the instruction at (pcLo, pcHi). */
export function dataAbort(c: Cpu, pcLo: number, pcHi: number): number {
  const m = c.mem;
  const target = m.faultStage2 ? 2 : syncTargetEl(c);
  const ec = target > c.el ? EC.DABORT_LOWER : EC.DABORT_SAME;
  let iss = m.faultStatus & 0x3f;
  if ((m.faultAcc & ACC_WRITE) !== 0 && (m.faultAcc & ACC_CM) === 0) iss |= 1 << 6;
  if ((m.faultAcc & ACC_CM) !== 0) iss |= (1 << 8) | (1 << 6);
  if (m.faultS1ptw) iss |= 1 << 7;
  // External aborts on an unmapped address: FAR is valid (FnV = 0).
  if (m.faultStatus === FSC_SYNC_EXTERNAL) iss &= ~(1 << 10);
  if (m.faultIpa >= 0 && target === 2) {
    const ipaPage = Math.floor(m.faultIpa / 4096);
    c.sys.set(R.HPFAR_EL2, ((ipaPage % 0x10000000) * 16) | 0, Math.floor(ipaPage / 0x10000000) * 16);
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
 * Where a SIMD&FP access at the current EL traps (Arm ARM D19.2, CPACR_EL1.FPEN,
 * CPTR_EL2.TFP/FPEN, CPTR_EL3.TFP); 0 when it does not.
 */
export function computeFpTrap(c: Cpu): number {
  const s = c.sys;
  if (c.el <= 1) {
    // With HCR_EL2.{E2H,TGE} = {1,1}, EL0 is governed by CPTR_EL2 (below), not CPACR_EL1.
    const hostEl0 = c.hasEl2 && (s.lo(R.HCR_EL2) & (1 << 27)) !== 0 && (s.hi(R.HCR_EL2) & (1 << 2)) !== 0;
    const fpen = (s.lo(R.CPACR_EL1) >>> 20) & 3;
    if (!hostEl0 && (fpen === 0 || fpen === 2 || (fpen === 1 && c.el === 0))) {
      // Traps from EL0 go to EL2 when HCR_EL2.TGE is set.
      return c.el === 0 && c.hasEl2 && (s.lo(R.HCR_EL2) & (1 << 27)) !== 0 ? 2 : 1;
    }
  }
  if (c.el <= 2 && c.hasEl2) {
    const cptr = s.lo(R.CPTR_EL2);
    const e2h = (s.hi(R.HCR_EL2) & (1 << 2)) !== 0;
    if (e2h) {
      const fpen = (cptr >>> 20) & 3;
      const tge = (s.lo(R.HCR_EL2) & (1 << 27)) !== 0;
      if (fpen === 0 || fpen === 2 || (fpen === 1 && c.el === 0 && tge)) return 2;
    } else if ((cptr & (1 << 10)) !== 0) {
      return 2;
    }
  }
  if (c.hasEl3 && (s.lo(R.CPTR_EL3) & (1 << 10)) !== 0) return 3;
  return 0;
}

/** Take the SIMD&FP access trap (EC 0x07) computed in c.fpTrap for the instruction at (pcLo, pcHi). */
export function fpAccessTrap(c: Cpu, pcLo: number, pcHi: number): number {
  return takeException(c, c.fpTrap, VEC_SYNC, (EC.FP_ACCESS << 26) | (1 << 25), pcLo, pcHi);
}

export function fmtPair(lo: number, hi: number): string {
  return ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16);
}

export { ACC_EXEC };
