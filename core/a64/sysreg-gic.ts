/**
 * GICv3 CPU interface system registers (ICC_*, Arm IHI 0069 chapter 12), registered
 * into the MRS/MSR table by sysreg-access.ts through `registerGicSysRegs(def)`.
 *
 * The registers exist only when the vCPU has a GICv3 CPU interface (`c.gic` with
 * hasSysRegs); without one, and with a GICv2, they are UNDEFINED (as on QEMU, which
 * registers them only with a GICv3; ID_AA64PFR0_EL1.GIC then reads 0). The semantics live in the
 * board's GIC (core/board/gicv3.ts): these definitions forward to `c.gic.read/write`.
 *
 * Access checks as QEMU's hw/intc/arm_gicv3_cpuif.c (gicv3_irqfiq_access & co.):
 * SCR_EL3.IRQ/FIQ trap EL1 (without HCR_EL2.IMO/FMO) and EL2 accesses to EL3; SGI
 * generation at EL1 traps to EL2 when HCR_EL2.IMO or FMO is set. With IMO/FMO set,
 * QEMU redirects EL1 accesses to the virtual interface (ICV_*), which armlab does not
 * implement: they reach the physical interface.
 */
import type { Cpu } from './cpu.js';
import { R } from './sysregs.js';
import { hcrLo, HCR_FMO, HCR_IMO, SCR_FIQ, SCR_IRQ } from './exceptions.js';
import { Icc } from './interrupts.js';
import type { SysCheck, SysRead, SysWrite } from './sysreg-access.js';

/** Access-check results, the same codes as sysreg-access.ts (ACCESS_OK, TRAP_EL2/EL3, ACCESS_UNDEF). */
const OK = 0;
const TRAP_EL2 = 2;
const TRAP_EL3 = 3;
const UNDEF = 4;

/** No GICv3 CPU interface: no ICC_* / ICH_* registers. */
function absent(c: Cpu): boolean {
  return c.gic === null || !c.gic.hasSysRegs;
}

export type DefFn = (
  name: string,
  enc: [number, number, number, number, number],
  read: SysRead | null,
  write: SysWrite | null,
  o?: { minEl?: number; needs?: number; check?: SysCheck | null; end?: boolean },
) => void;

/** Routing-based trap of EL1/EL2 accesses to EL3 for the interrupt kind(s) in scrBits. */
function routeCheck(scrBits: number, hcrBits: number, all: boolean): SysCheck {
  return (c) => {
    if (absent(c)) return UNDEF;
    if (!c.hasEl3 || c.el === 3) return OK;
    const scr = c.sys.lo(R.SCR_EL3) & scrBits;
    if (all ? scr !== scrBits : scr === 0) return OK;
    if (c.el === 2) return TRAP_EL3;
    return (hcrLo(c) & hcrBits) === 0 ? TRAP_EL3 : OK;
  };
}

const irqAccess = routeCheck(SCR_IRQ, HCR_IMO, false);
const fiqAccess = routeCheck(SCR_FIQ, HCR_FMO, false);
const irqFiqAccess = routeCheck(SCR_IRQ | SCR_FIQ, HCR_IMO | HCR_FMO, true);
const sgiAccess: SysCheck = (c, read) => {
  if (absent(c)) return UNDEF;
  if (c.el === 1 && (hcrLo(c) & (HCR_IMO | HCR_FMO)) !== 0) return TRAP_EL2;
  return irqFiqAccess(c, read);
};
const present: SysCheck = (c) => (absent(c) ? UNDEF : OK);

function rd(reg: Icc): SysRead {
  return (c: Cpu) => c.gic!.read(c, reg);
}
function wr(reg: Icc): SysWrite {
  return (c: Cpu, lo: number, hi: number) => c.gic!.write(c, reg, lo, hi);
}

export function registerGicSysRegs(def: DefFn): void {
  const rw = (name: string, op1: number, crn: number, crm: number, op2: number, reg: Icc, check: SysCheck): void =>
    def(name, [3, op1, crn, crm, op2], rd(reg), wr(reg), { check, end: true });
  const ro = (name: string, op1: number, crn: number, crm: number, op2: number, reg: Icc, check: SysCheck): void =>
    def(name, [3, op1, crn, crm, op2], rd(reg), null, { check });
  const wo = (name: string, op1: number, crn: number, crm: number, op2: number, reg: Icc, check: SysCheck): void =>
    def(name, [3, op1, crn, crm, op2], null, wr(reg), { check, end: true });

  rw('ICC_PMR_EL1', 0, 4, 6, 0, Icc.PMR, irqFiqAccess);
  ro('ICC_IAR0_EL1', 0, 12, 8, 0, Icc.IAR0, fiqAccess);
  wo('ICC_EOIR0_EL1', 0, 12, 8, 1, Icc.EOIR0, fiqAccess);
  ro('ICC_HPPIR0_EL1', 0, 12, 8, 2, Icc.HPPIR0, fiqAccess);
  rw('ICC_BPR0_EL1', 0, 12, 8, 3, Icc.BPR0, fiqAccess);
  rw('ICC_AP0R0_EL1', 0, 12, 8, 4, Icc.AP0R0, fiqAccess);
  rw('ICC_AP1R0_EL1', 0, 12, 9, 0, Icc.AP1R0, irqAccess);
  wo('ICC_DIR_EL1', 0, 12, 11, 1, Icc.DIR, irqFiqAccess);
  ro('ICC_RPR_EL1', 0, 12, 11, 3, Icc.RPR, irqFiqAccess);
  wo('ICC_SGI1R_EL1', 0, 12, 11, 5, Icc.SGI1R, sgiAccess);
  wo('ICC_ASGI1R_EL1', 0, 12, 11, 6, Icc.ASGI1R, sgiAccess);
  wo('ICC_SGI0R_EL1', 0, 12, 11, 7, Icc.SGI0R, sgiAccess);
  ro('ICC_IAR1_EL1', 0, 12, 12, 0, Icc.IAR1, irqAccess);
  wo('ICC_EOIR1_EL1', 0, 12, 12, 1, Icc.EOIR1, irqAccess);
  ro('ICC_HPPIR1_EL1', 0, 12, 12, 2, Icc.HPPIR1, irqAccess);
  rw('ICC_BPR1_EL1', 0, 12, 12, 3, Icc.BPR1, irqAccess);
  rw('ICC_CTLR_EL1', 0, 12, 12, 4, Icc.CTLR, irqFiqAccess);
  rw('ICC_SRE_EL1', 0, 12, 12, 5, Icc.SRE_EL1, present);
  rw('ICC_IGRPEN0_EL1', 0, 12, 12, 6, Icc.IGRPEN0, fiqAccess);
  rw('ICC_IGRPEN1_EL1', 0, 12, 12, 7, Icc.IGRPEN1, irqAccess);
  rw('ICC_SRE_EL2', 4, 12, 9, 5, Icc.SRE_EL2, present);
  rw('ICC_CTLR_EL3', 6, 12, 12, 4, Icc.CTLR_EL3, present);
  rw('ICC_SRE_EL3', 6, 12, 12, 5, Icc.SRE_EL3, present);
  rw('ICC_IGRPEN1_EL3', 6, 12, 12, 7, Icc.IGRPEN1_EL3, present);

  // Virtual CPU interface controls (EL2). Linux writes ICH_HCR_EL2 when it boots at EL2 and
  // KVM reads ICH_VTR_EL2 (4 list registers, 5 priority/preemption bits, as QEMU). They hold
  // what is written; virtual interrupts from list registers are not delivered yet.
  rw('ICH_AP0R0_EL2', 4, 12, 8, 0, Icc.ICH_AP0R0, present);
  rw('ICH_AP1R0_EL2', 4, 12, 9, 0, Icc.ICH_AP1R0, present);
  rw('ICH_HCR_EL2', 4, 12, 11, 0, Icc.ICH_HCR, present);
  ro('ICH_VTR_EL2', 4, 12, 11, 1, Icc.ICH_VTR, present);
  ro('ICH_MISR_EL2', 4, 12, 11, 2, Icc.ICH_MISR, present);
  ro('ICH_EISR_EL2', 4, 12, 11, 3, Icc.ICH_EISR, present);
  ro('ICH_ELRSR_EL2', 4, 12, 11, 5, Icc.ICH_ELRSR, present);
  rw('ICH_VMCR_EL2', 4, 12, 11, 7, Icc.ICH_VMCR, present);
  for (let n = 0; n < 4; n++) rw(`ICH_LR${n}_EL2`, 4, 12, 12, n, Icc.ICH_LR0 + n, present);
}
