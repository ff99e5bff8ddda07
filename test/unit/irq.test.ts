// IRQ/FIQ exception entry through the GICv3: ELR/SPSR, PSTATE masking, routing to EL2
// (HCR_EL2.IMO), virtual IRQs (HCR_EL2.VI), ISR_EL1, ICC_* UNDEFINED without a GIC.
// Encodings from aarch64-linux-gnu-as; expected behaviour from the Arm ARM (D1.3,
// AArch64.TakePhysicalIRQException) and QEMU's arm_excp_unmasked.
import { describe, expect, it } from 'vitest';
import { GicV3 } from '../../core/board/gicv3.js';
import { Icc } from '../../core/a64/interrupts.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { R } from '../../core/a64/sysregs.js';
import { CODE, HLT_STOP, makeMachine, type MachineOptions, type TestMachine } from '../helpers/cpu.js';

const VBAR = 0x4004_0000;
const MSR_DAIFCLR_I = 0xd50342ff; // msr daifclr, #2
const MSR_SGI1R_X1 = 0xd518cba1; // msr icc_sgi1r_el1, x1
const MRS_IAR1_X0 = 0xd538cc00; // mrs x0, icc_iar1_el1
const MSR_EOIR1_X0 = 0xd518cc20; // msr icc_eoir1_el1, x0
const MRS_ELR_X12 = 0xd538402c; // mrs x12, elr_el1
const MRS_SPSR_X13 = 0xd538400d; // mrs x13, spsr_el1
const MRS_ISR_X4 = 0xd538c104; // mrs x4, isr_el1
const MRS_SRE_X11 = 0xd538ccab; // mrs x11, icc_sre_el1
const ADD_X0_1 = 0x91000400; // add x0, x0, #1
const ADD_X10_1 = 0x9100054a; // add x10, x10, #1
const ERET = 0xd69f03e0; // eret

function machine(opts: MachineOptions = {}): { m: TestMachine; gic: GicV3 } {
  const m = makeMachine(opts);
  const gic = new GicV3(1);
  gic.attachCpu(0, m.c, 0);
  // Group 1, both groups on, SGIs enabled at priority 0x80, CPU interface open.
  gic.distributor.write(0, 4, 3);
  gic.redistributors.write(0x10080, 4, 0xffffffff);
  gic.redistributors.write(0x10100, 4, 0xffff);
  for (let i = 0; i < 16; i++) gic.redistributors.write(0x10400 + i, 1, 0x80);
  return { m, gic };
}

function openCpuIf(m: TestMachine): void {
  const c = m.c;
  // ICC_PMR_EL1 = 0xf0, ICC_IGRPEN1_EL1 = 1 through the system-register path.
  c.sys.set(R.VBAR_EL1, VBAR, 0);
  m.poke32(CODE - 0x100, [0xd5184602, 0xd518cce3, HLT_STOP]); // msr icc_pmr_el1, x2; msr icc_igrpen1_el1, x3
  const pc = c.pc;
  c.pc = BigInt(CODE - 0x100);
  c.setX(2, 0xf0n);
  c.setX(3, 1n);
  m.run();
  c.pc = pc;
}

describe('IRQ delivery', () => {
  it('an SGI to self is taken after the MSR with IRQs unmasked: ELR, SPSR, DAIF on entry', () => {
    const { m } = machine();
    openCpuIf(m);
    const c = m.c;
    // EL1h, current EL with SP_ELx: IRQ vector at VBAR + 0x280.
    m.poke32(VBAR + 0x280, [MRS_IAR1_X0, MRS_ELR_X12, MRS_SPSR_X13, MSR_EOIR1_X0, ADD_X10_1, ERET]);
    m.poke32(CODE, [MSR_DAIFCLR_I, MSR_SGI1R_X1, ADD_X0_1, HLT_STOP]);
    c.setX(1, (1n << 24n) | 1n);
    m.run();
    expect(c.getX(10)).toBe(1n);
    expect(c.getX(12)).toBe(BigInt(CODE + 8));
    expect(c.getX(13)).toBe(0x345n); // D, A, F set, I clear, EL1h
    expect(c.getX(0)).toBe(2n); // INTID 1, then the add
    expect(c.daif).toBe(0xd);
  });

  it('PSTATE.I masks the IRQ at EL1; ISR_EL1.I shows it pending', () => {
    const { m } = machine();
    openCpuIf(m);
    const c = m.c;
    m.poke32(VBAR + 0x280, [ADD_X10_1, ERET]);
    m.poke32(CODE, [MSR_SGI1R_X1, MRS_ISR_X4, ADD_X0_1, HLT_STOP]);
    c.setX(1, (2n << 24n) | 1n);
    m.run();
    expect(c.getX(10)).toBe(0n);
    expect(c.getX(4)).toBe(0x80n);
  });

  it('HCR_EL2.IMO routes the IRQ to EL2, where PSTATE.I at EL1 does not mask it', () => {
    const { m } = machine({ el2: true });
    openCpuIf(m);
    const c = m.c;
    c.sys.set(R.VBAR_EL2, VBAR + 0x1000, 0);
    c.sys.set(R.HCR_EL2, c.sys.lo(R.HCR_EL2) | (1 << 4), c.sys.hi(R.HCR_EL2));
    contextChanged(c);
    m.poke32(VBAR + 0x1000 + 0x480, [HLT_STOP]); // lower EL, AArch64, IRQ
    // (ICC_SGI1R_EL1 at EL1 traps to EL2 with IMO set: send the SGI from the GIC side.)
    c.gic!.write(c, Icc.SGI1R, (3 << 24) | 1, 0);
    m.poke32(CODE, [ADD_X0_1, HLT_STOP]);
    m.run();
    expect(c.el).toBe(2);
    expect(c.sys.get64(R.ELR_EL2)).toBe(BigInt(CODE));
    expect(c.sys.lo(R.SPSR_EL2) & 0x3cf).toBe(0x3c5);
  });

  it('HCR_EL2.VI with IMO raises a virtual IRQ at EL1; ISR_EL1 shows it', () => {
    const { m } = machine({ el2: true });
    const c = m.c;
    c.sys.set(R.VBAR_EL1, VBAR, 0);
    c.sys.set(R.HCR_EL2, c.sys.lo(R.HCR_EL2) | (1 << 4) | (1 << 7), c.sys.hi(R.HCR_EL2));
    contextChanged(c);
    m.poke32(VBAR + 0x280, [HLT_STOP]);
    m.poke32(CODE, [MRS_ISR_X4, MSR_DAIFCLR_I, ADD_X0_1, HLT_STOP]);
    m.run();
    expect(c.getX(4)).toBe(0x80n);
    expect(c.el).toBe(1);
    expect(c.sys.get64(R.ELR_EL1)).toBe(BigInt(CODE + 8));
    expect(c.getX(0)).toBe(0n);
  });

  it('ICC_* registers are UNDEFINED without a GIC', () => {
    const m = makeMachine();
    const c = m.c;
    c.sys.set(R.VBAR_EL1, VBAR, 0);
    m.poke32(VBAR + 0x200, [HLT_STOP]);
    m.poke32(CODE, [MRS_SRE_X11, HLT_STOP]);
    m.run();
    expect(c.sys.lo(R.ESR_EL1) >>> 26).toBe(0);
    expect(c.sys.get64(R.ELR_EL1)).toBe(BigInt(CODE));
  });
});
