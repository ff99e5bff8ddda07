/**
 * Reset state and direct-boot entry (what QEMU's `-kernel` gives a guest).
 */
import type { Cpu } from './cpu.js';
import type { BlockCache } from './blocks.js';
import { MODEL_ID_REGS as ID_REGS, R } from './sysregs.js';
import { checkPending, contextChanged, HCR_RW, SCR_RW } from './exceptions.js';

export interface ResetOptions {
  cntfrqHz: number;
  blocks: BlockCache;
}

/** SCTLR_ELx.M (stage 1 MMU enable) and .A (alignment check). */
const SCTLR_M = 1;
const SCTLR_A = 2;

/** Translation regime's SCTLR for the current EL (EL0 and EL1 share SCTLR_EL1). */
export function currentSctlr(c: Cpu): number {
  const el = c.el === 0 ? 1 : c.el;
  return c.sys.lo(R.SCTLR_EL1 + (el - 1));
}

export function resetCpu(c: Cpu, o: ResetOptions): void {
  c.x.fill(0);
  c.v32.fill(0);
  c.nzcv = 0;
  c.daif = 0xf;
  c.spsel = 1;
  c.fpcr = 0;
  c.fpsr = 0;
  c.pstateOther = 0;
  c.exclusiveArmed = false;
  c.pendingCheck = 0;
  c.checkPending = checkPending;
  c.sys.r.fill(0);
  c.sys.set(R.CNTFRQ_EL0, o.cntfrqHz, 0);
  c.onContextChange = (cpu) => {
    const sctlr = currentSctlr(cpu);
    // With the MMU off, data accesses are Device-nGnRnE: misaligned accesses fault (Arm ARM D8.2.11).
    cpu.mem.strictAlign = (sctlr & SCTLR_M) === 0 || (sctlr & SCTLR_A) !== 0;
    // SCTLR_ELx.SA (bit 3) at EL1+, SCTLR_EL1.SA0 (bit 4) at EL0.
    cpu.spAlignCheck = (sctlr & (cpu.el === 0 ? 16 : 8)) !== 0;
    o.blocks.flushJmp();
  };
  c.onIcMaintenance = (_cpu, all, pa) => {
    if (all || pa < 0) o.blocks.invalidateAll(c);
    else o.blocks.invalidatePage(pa);
  };
  resetSysregs(c);
}

/** MPIDR_EL1: bit 31 RES1, U = 0, MT = 0; affinity from `c.affinity`, or Aff0 = id % 8, Aff1 = id / 8 (QEMU virt, GICv2 clusters). */
export function mpidrOf(c: Cpu): bigint {
  const aff = c.affinity >= 0 ? BigInt(c.affinity) : BigInt(((c.id >> 3) << 8) | (c.id & 7));
  const aff3 = (aff >> 24n) & 0xffn;
  return (1n << 31n) | (aff & 0xffffffn) | (aff3 << 32n);
}

/**
 * Reset values software can observe, as QEMU 7.2 gives them for the model (read back
 * under qemu-system-aarch64 -M virt with EL1, EL2 and EL3 entry). Registers not listed reset to 0.
 */
export function resetSysregs(c: Cpu): void {
  const s = c.sys;
  const m = c.model;
  for (const name of ID_REGS) s.set64(R[name], m.id[name] ?? 0n);
  // The board's EL configuration shows in ID_AA64PFR0_EL1.EL2/EL3 (QEMU clears them when absent).
  let pfr0 = m.id.ID_AA64PFR0_EL1 ?? 0n;
  if (!c.hasEl2) pfr0 &= ~0xf00n;
  if (!c.hasEl3) pfr0 &= ~0xf000n;
  s.set64(R.ID_AA64PFR0_EL1, pfr0);
  s.set64(R.MIDR_EL1, m.midr);
  s.set64(R.MPIDR_EL1, mpidrOf(c));
  s.set64(R.VPIDR_EL2, m.midr);
  s.set64(R.VMPIDR_EL2, mpidrOf(c));
  [R.CCSIDR_L1D, R.CCSIDR_L1I, R.CCSIDR_L2].forEach((r, i) => s.set(r, m.ccsidr[i] ?? 0, 0));

  s.set(R.SCTLR_EL1, m.sctlrReset, 0);
  s.set(R.SCTLR_EL2, 0, 0);
  s.set(R.SCTLR_EL3, m.sctlrReset, 0);
  // HCR_EL2.RW / SCR_EL3.RW are RAO/WI when no lower EL can be AArch32.
  s.set(R.HCR_EL2, m.features.aarch32 ? 0 : HCR_RW, 0);
  s.set(R.SCR_EL3, 0x30 | (m.features.aarch32 ? 0 : SCR_RW), 0);
  // MDCR_EL2.HPMN = PMCR_EL0.N; CNTHCTL_EL2: EL1PCTEN | EL1PCEN.
  s.set(R.MDCR_EL2, (m.pmcr >>> 11) & 0x1f, 0);
  s.set(R.CNTHCTL_EL2, 3, 0);
  // The OS lock is set at cold reset: OSLSR_EL1.OSLM = 0b10, OSLK = 1.
  s.set(R.OSLSR_EL1, 0xa, 0);
}

/** Start executing at `entry` in ELxh with interrupts masked, as a direct kernel boot does. */
export function enterAt(c: Cpu, el: number, entry: bigint): void {
  c.el = el;
  c.spsel = el === 0 ? 0 : 1;
  c.daif = 0xf;
  c.sys.loadSp();
  // The guest enters at the highest implemented EL; SCR_EL3/HCR_EL2 keep their reset values
  // and the guest configures lower levels itself.
  c.pc = entry;
  contextChanged(c);
}
