/**
 * System register storage. Each register is a (lo, hi) pair in `r` at index 2*R.NAME.
 * Access by encoding (MRS/MSR) is defined in sysreg-access.ts; this file only
 * holds storage and the banked-SP helpers the exception model needs.
 */
import type { Cpu } from './cpu.js';

/** ID registers copied from the CPU model at reset (names as in CpuModel.id and R). */
export const MODEL_ID_REGS = [
  'REVIDR_EL1',
  'AIDR_EL1',
  'CTR_EL0',
  'CLIDR_EL1',
  'ID_AA64PFR0_EL1',
  'ID_AA64PFR1_EL1',
  'ID_AA64DFR0_EL1',
  'ID_AA64DFR1_EL1',
  'ID_AA64AFR0_EL1',
  'ID_AA64AFR1_EL1',
  'ID_AA64ISAR0_EL1',
  'ID_AA64ISAR1_EL1',
  'ID_AA64ISAR2_EL1',
  'ID_AA64MMFR0_EL1',
  'ID_AA64MMFR1_EL1',
  'ID_AA64MMFR2_EL1',
  'ID_AA64ZFR0_EL1',
  'ID_PFR0_EL1',
  'ID_PFR1_EL1',
  'ID_PFR2_EL1',
  'ID_DFR0_EL1',
  'ID_DFR1_EL1',
  'ID_AFR0_EL1',
  'ID_MMFR0_EL1',
  'ID_MMFR1_EL1',
  'ID_MMFR2_EL1',
  'ID_MMFR3_EL1',
  'ID_MMFR4_EL1',
  'ID_MMFR5_EL1',
  'ID_ISAR0_EL1',
  'ID_ISAR1_EL1',
  'ID_ISAR2_EL1',
  'ID_ISAR3_EL1',
  'ID_ISAR4_EL1',
  'ID_ISAR5_EL1',
  'ID_ISAR6_EL1',
  'MVFR0_EL1',
  'MVFR1_EL1',
  'MVFR2_EL1',
  'PMCEID0_EL0',
  'PMCEID1_EL0',
] as const;

const NAMES = [
  ...MODEL_ID_REGS,
  'SP_EL0',
  'SP_EL1',
  'SP_EL2',
  'SP_EL3',
  'ELR_EL1',
  'ELR_EL2',
  'ELR_EL3',
  'SPSR_EL1',
  'SPSR_EL2',
  'SPSR_EL3',
  'SPSR_abt',
  'SPSR_und',
  'SPSR_irq',
  'SPSR_fiq',
  'ESR_EL1',
  'ESR_EL2',
  'ESR_EL3',
  'FAR_EL1',
  'FAR_EL2',
  'FAR_EL3',
  'HPFAR_EL2',
  'VBAR_EL1',
  'VBAR_EL2',
  'VBAR_EL3',
  'SCTLR_EL1',
  'SCTLR_EL2',
  'SCTLR_EL3',
  'ACTLR_EL1',
  'ACTLR_EL2',
  'ACTLR_EL3',
  'HCR_EL2',
  'SCR_EL3',
  'HSTR_EL2',
  'HACR_EL2',
  'MDCR_EL2',
  'MDCR_EL3',
  'CPACR_EL1',
  'CPTR_EL2',
  'CPTR_EL3',
  'TCR_EL1',
  'TCR_EL2',
  'TCR_EL3',
  'TTBR0_EL1',
  'TTBR1_EL1',
  'TTBR0_EL2',
  'TTBR1_EL2',
  'TTBR0_EL3',
  'VTCR_EL2',
  'VTTBR_EL2',
  'MAIR_EL1',
  'MAIR_EL2',
  'MAIR_EL3',
  'AMAIR_EL1',
  'AMAIR_EL2',
  'AMAIR_EL3',
  'PAR_EL1',
  'CONTEXTIDR_EL1',
  'CONTEXTIDR_EL2',
  'TPIDR_EL0',
  'TPIDRRO_EL0',
  'TPIDR_EL1',
  'TPIDR_EL2',
  'TPIDR_EL3',
  'AFSR0_EL1',
  'AFSR1_EL1',
  'AFSR0_EL2',
  'AFSR1_EL2',
  'AFSR0_EL3',
  'AFSR1_EL3',
  'MDSCR_EL1',
  'OSLAR_EL1',
  'OSLSR_EL1',
  'OSDLR_EL1',
  'MDCCINT_EL1',
  'CNTKCTL_EL1',
  'CNTHCTL_EL2',
  'CNTVOFF_EL2',
  'CNTFRQ_EL0',
  'CNTP_CTL_EL0',
  'CNTP_CVAL_EL0',
  'CNTV_CTL_EL0',
  'CNTV_CVAL_EL0',
  'CNTHP_CTL_EL2',
  'CNTHP_CVAL_EL2',
  'CNTPS_CTL_EL1',
  'CNTPS_CVAL_EL1',
  'CNTHV_CTL_EL2',
  'CNTHV_CVAL_EL2',
  'VPIDR_EL2',
  'VMPIDR_EL2',
  'CSSELR_EL1',
  'RMR_EL3',
  'PMCR_EL0',
  'PMCNTENSET_EL0',
  'PMUSERENR_EL0',
  'PMCCNTR_EL0',
  'PMCCFILTR_EL0',
  'PMSELR_EL0',
  'PMINTENSET_EL1',
  'PMOVSSET_EL0',
  'DISR_EL1',
  'VSESR_EL2',
  'VDISR_EL2',
  'APIAKEYLO_EL1',
  'APIAKEYHI_EL1',
  'APIBKEYLO_EL1',
  'APIBKEYHI_EL1',
  'APDAKEYLO_EL1',
  'APDAKEYHI_EL1',
  'APDBKEYLO_EL1',
  'APDBKEYHI_EL1',
  'APGAKEYLO_EL1',
  'APGAKEYHI_EL1',
  'ZCR_EL1',
  'ZCR_EL2',
  'ZCR_EL3',
  'GCR_EL1',
  'RGSR_EL1',
  'TFSR_EL1',
  'TFSRE0_EL1',
  'ICC_PMR_EL1',
  'ICC_SRE_EL1',
  'ICC_SRE_EL2',
  'ICC_SRE_EL3',
  'ICC_CTLR_EL1',
  'ICC_IGRPEN1_EL1',
  'ICC_IGRPEN0_EL1',
  'ICC_BPR1_EL1',
  'ICC_BPR0_EL1',
  // Identification (read-only; filled at reset from the model and the board's EL configuration).
  'MIDR_EL1',
  'MPIDR_EL1',
  'DCZID_EL0',
  'CCSIDR_L1D',
  'CCSIDR_L1I',
  'CCSIDR_L2',
  'CCSIDR_L3',
  // Debug: breakpoint/watchpoint value and control registers (storage only), claim tags.
  'DBGBVR0_EL1',
  'DBGBVR1_EL1',
  'DBGBVR2_EL1',
  'DBGBVR3_EL1',
  'DBGBVR4_EL1',
  'DBGBVR5_EL1',
  'DBGBCR0_EL1',
  'DBGBCR1_EL1',
  'DBGBCR2_EL1',
  'DBGBCR3_EL1',
  'DBGBCR4_EL1',
  'DBGBCR5_EL1',
  'DBGWVR0_EL1',
  'DBGWVR1_EL1',
  'DBGWVR2_EL1',
  'DBGWVR3_EL1',
  'DBGWVR4_EL1',
  'DBGWVR5_EL1',
  'DBGWCR0_EL1',
  'DBGWCR1_EL1',
  'DBGWCR2_EL1',
  'DBGWCR3_EL1',
  'DBGWCR4_EL1',
  'DBGWCR5_EL1',
  'DBGCLAIM',
  'OSECCR_EL1',
  // PMU event counters (storage; events are not counted yet) and the cycle counter's run base.
  'PMEVCNTR0_EL0',
  'PMEVCNTR1_EL0',
  'PMEVCNTR2_EL0',
  'PMEVCNTR3_EL0',
  'PMEVCNTR4_EL0',
  'PMEVCNTR5_EL0',
  'PMEVTYPER0_EL0',
  'PMEVTYPER1_EL0',
  'PMEVTYPER2_EL0',
  'PMEVTYPER3_EL0',
  'PMEVTYPER4_EL0',
  'PMEVTYPER5_EL0',
  'PMCCNTR_BASE',
] as const;

export type SysRegName = (typeof NAMES)[number];

/** Index of each register in SysRegs.r (in pairs: lo at 2*i, hi at 2*i+1). */
export const R = Object.fromEntries(NAMES.map((n, i) => [n, i])) as Record<SysRegName, number>;

export class SysRegs {
  readonly r = new Int32Array(NAMES.length * 2);

  constructor(private readonly c: Cpu) {}

  lo(i: number): number {
    return this.r[2 * i];
  }

  hi(i: number): number {
    return this.r[2 * i + 1];
  }

  set(i: number, lo: number, hi: number): void {
    this.r[2 * i] = lo;
    this.r[2 * i + 1] = hi;
  }

  get64(i: number): bigint {
    return (BigInt(this.r[2 * i + 1] >>> 0) << 32n) | BigInt(this.r[2 * i] >>> 0);
  }

  set64(i: number, v: bigint): void {
    this.r[2 * i] = Number(v & 0xffffffffn) | 0;
    this.r[2 * i + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
  }

  /** Index of the SP_ELx register that backs slot 31 for a given (EL, SPSel). */
  static spIndex(el: number, spsel: number): number {
    return spsel === 0 ? R.SP_EL0 : R.SP_EL0 + el;
  }

  /** Save the live SP (x slot 31) into its banked register. */
  saveSp(): void {
    const c = this.c;
    const i = SysRegs.spIndex(c.el, c.spsel);
    this.r[2 * i] = c.x[62];
    this.r[2 * i + 1] = c.x[63];
  }

  /** Load the live SP (x slot 31) from the banked register selected by current EL/SPSel. */
  loadSp(): void {
    const c = this.c;
    const i = SysRegs.spIndex(c.el, c.spsel);
    c.x[62] = this.r[2 * i];
    c.x[63] = this.r[2 * i + 1];
  }
}
