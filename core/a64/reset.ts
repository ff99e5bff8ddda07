/**
 * Reset state and direct-boot entry (what QEMU's `-kernel` gives a guest).
 */
import type { Cpu } from './cpu.js';
import type { BlockCache } from './blocks.js';
import { R } from './sysregs.js';
import { contextChanged } from './exceptions.js';

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

/** Architectural reset values for the registers whose reset values software can observe. */
export function resetSysregs(c: Cpu): void {
  // SCTLR_ELx RES1 bits (EL1: 29,28,23,22,20,11; EL2/EL3: 29,28,23,22,18,16,11,5,4) with the MMU off.
  c.sys.set(R.SCTLR_EL1, 0x30d00800, 0);
  c.sys.set(R.SCTLR_EL2, 0x30c50830, 0);
  c.sys.set(R.SCTLR_EL3, 0x30c50830, 0);
}

/** Start executing at `entry` in ELxh with interrupts masked, as a direct kernel boot does. */
export function enterAt(c: Cpu, el: number, entry: bigint): void {
  c.el = el;
  c.spsel = 1;
  c.daif = 0xf;
  c.sys.loadSp();
  // The guest enters at the highest implemented EL; SCR_EL3/HCR_EL2 keep their reset values
  // and the guest configures lower levels itself.
  c.pc = entry;
  contextChanged(c);
}
