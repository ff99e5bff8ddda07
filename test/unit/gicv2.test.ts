// GICv2 register semantics (distributor, memory-mapped CPU interface), checked against the
// GICv2 architecture specification (IHI 0048B) and QEMU's virt gic-version=2 (the reset and
// ID values are the ones resources/guest/tests/gicv2_irq.c reads back under QEMU).
import { describe, expect, it } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GicV2, GICV2_CPU_BASE, GICV2_DIST_BASE } from '../../core/board/gicv2.js';
import { attachGic, createGic } from '../../core/board/gic.js';
import { PENDING_GIC, LINE_FIQ, LINE_IRQ } from '../../core/a64/exceptions.js';
import { R } from '../../core/a64/sysregs.js';
import { VirtMachine } from '../../core/board/virt.js';
import { kvmBoardPlan } from '../../core/kvm/virt-kvm.js';
import { detect } from '../../core/loader/detect.js';
import { CODE, HLT_STOP, makeMachine, type TestMachine } from '../helpers/cpu.js';

// GICD
const CTLR = 0x0;
const TYPER = 0x4;
const IIDR = 0x8;
const IGROUPR = 0x80;
const ISENABLER = 0x100;
const ICENABLER = 0x180;
const ISPENDR = 0x200;
const ICPENDR = 0x280;
const ISACTIVER = 0x300;
const ICACTIVER = 0x380;
const IPRIORITYR = 0x400;
const ITARGETSR = 0x800;
const ICFGR = 0xc00;
const SGIR = 0xf00;
const CPENDSGIR = 0xf10;
const SPENDSGIR = 0xf20;
// GICC
const C_CTLR = 0x0;
const PMR = 0x4;
const BPR = 0x8;
const IAR = 0xc;
const EOIR = 0x10;
const RPR = 0x14;
const HPPIR = 0x18;
const ABPR = 0x1c;
const AIAR = 0x20;
const AEOIR = 0x24;
const AHPPIR = 0x28;
const APR0 = 0xd0;
const NSAPR0 = 0xe0;
const C_IIDR = 0xfc;
const DIR = 0x1000;
const GRP0 = 1;
const GRP1 = 2;
const ACKCTL = 4;
const FIQEN = 8;
const CBPR = 16;
const EOIMODE = 1 << 9;

interface Rig {
  gic: GicV2;
  ms: TestMachine[];
  d(cpu: number, off: number, size?: number): number;
  dw(cpu: number, off: number, v: number, size?: number): void;
  c(cpu: number, off: number): number;
  cw(cpu: number, off: number, v: number): void;
}

function setup(ncpu = 1): Rig {
  const gic = new GicV2(ncpu);
  const ms: TestMachine[] = [];
  for (let i = 0; i < ncpu; i++) {
    const m = makeMachine();
    gic.attachCpu(i, m.c);
    ms.push(m);
  }
  return {
    gic,
    ms,
    d: (cpu, off, size = 4) => gic.distributorFor(cpu).read(off, size) >>> 0,
    dw: (cpu, off, v, size = 4) => gic.distributorFor(cpu).write(off, size, v >>> 0),
    c: (cpu, off) => gic.cpuInterfaceFor(cpu).read(off, 4) >>> 0,
    cw: (cpu, off, v) => gic.cpuInterfaceFor(cpu).write(off, 4, v >>> 0),
  };
}

/** Distributor and CPU interface of every CPU on for Group 0, PMR open, SGIs at priority 0x80. */
function enable(r: Rig): void {
  r.dw(0, CTLR, 3);
  for (let i = 0; i < r.gic.numCpu; i++) {
    for (let k = 0; k < 16; k += 4) r.dw(i, IPRIORITYR + k, 0x80808080);
    r.cw(i, C_CTLR, GRP0);
    r.cw(i, PMR, 0xff);
  }
}

const lines = (r: Rig, cpu: number): number => r.ms[cpu].c.gic!.update(r.ms[cpu].c);

describe('GICv2 distributor', () => {
  it('identifies itself and resets as QEMU virt gic-version=2', () => {
    const r = setup(1);
    expect(r.d(0, CTLR)).toBe(0);
    expect(r.d(0, TYPER)).toBe(8); // ITLinesNumber 8 (288 INTIDs), CPUNumber 0, no SecurityExtn
    expect(r.d(0, IIDR)).toBe(0x43b);
    expect(r.d(0, 0xfe8)).toBe(0x2b); // PIDR2.ArchRev 2
    expect(r.d(0, ISENABLER)).toBe(0xffff); // SGIs always enabled
    expect(r.d(0, ICFGR)).toBe(0xaaaaaaaa); // SGIs edge-triggered
    expect(r.d(0, ICFGR + 4)).toBe(0);
    expect(r.c(0, C_IIDR)).toBe(0x2043b);
    expect([r.c(0, C_CTLR), r.c(0, PMR), r.c(0, BPR), r.c(0, ABPR), r.c(0, RPR), r.c(0, HPPIR)]).toEqual([0, 0, 0, 1, 0xff, 1023]);
    expect(new GicV2(4).distributorFor(0).read(TYPER, 4)).toBe(8 | (3 << 5));
    expect(() => new GicV2(9)).toThrow(/1 to 8/);
  });

  it('keeps SGIs enabled, edge-triggered and out of ISPENDR/ICPENDR', () => {
    const r = setup(1);
    r.dw(0, ICENABLER, 0xffffffff);
    expect(r.d(0, ISENABLER)).toBe(0xffff);
    r.dw(0, ICFGR, 0);
    expect(r.d(0, ICFGR)).toBe(0xaaaaaaaa);
    r.dw(0, ISPENDR, 0xffff);
    expect(r.d(0, ISPENDR)).toBe(0);
    r.dw(0, ICFGR + 8, 0xaaaaaaaa);
    expect(r.d(0, ICFGR + 8)).toBe(0xaaaaaaaa);
    r.dw(0, CTLR, 0xffffffff);
    expect(r.d(0, CTLR)).toBe(3);
  });

  it('ITARGETSR: RAZ/WI on a uniprocessor GIC (every SPI goes to CPU 0); banked own bit for INTIDs 0..31 on SMP', () => {
    const up = setup(1);
    up.dw(0, ITARGETSR + 32, 0x02020202);
    expect(up.d(0, ITARGETSR + 32)).toBe(0);
    expect(up.gic.targetsOf(40)).toBe(1);
    const r = setup(3);
    expect(r.d(0, ITARGETSR)).toBe(0x01010101);
    expect(r.d(2, ITARGETSR + 28)).toBe(0x04040404);
    r.dw(1, ITARGETSR, 0xffffffff);
    expect(r.d(1, ITARGETSR)).toBe(0x02020202);
    expect(r.d(0, ITARGETSR + 40)).toBe(0); // SPIs target no CPU until written
    r.dw(0, ITARGETSR + 41, 0x06, 1);
    expect(r.d(0, ITARGETSR + 40)).toBe(0x0600);
    expect(r.d(2, ITARGETSR + 41, 1)).toBe(6);
  });

  it('banks IGROUPR0, ISENABLER0, ISACTIVER0, ICFGR1 and the priorities of INTIDs 0..31 per CPU; SPIs are shared', () => {
    const r = setup(2);
    r.dw(0, IGROUPR, 0x10);
    r.dw(1, ISENABLER, 1 << 27);
    r.dw(0, IPRIORITYR + 27, 0x40, 1);
    r.dw(1, IPRIORITYR + 27, 0x60, 1);
    r.dw(1, ISACTIVER, 1 << 3);
    r.dw(1, ICFGR + 4, 0x00800000);
    expect([r.d(0, IGROUPR), r.d(1, IGROUPR)]).toEqual([0x10, 0]);
    expect([r.d(0, ISENABLER), r.d(1, ISENABLER)]).toEqual([0xffff, 0xffff | (1 << 27)]);
    expect([r.d(0, IPRIORITYR + 27, 1), r.d(1, IPRIORITYR + 27, 1)]).toEqual([0x40, 0x60]);
    expect([r.d(0, ISACTIVER), r.d(1, ISACTIVER)]).toEqual([0, 8]);
    expect([r.d(0, ICFGR + 4), r.d(1, ICFGR + 4)]).toEqual([0, 0x00800000]);
    r.dw(0, IPRIORITYR + 40, 0x11223344);
    expect(r.d(1, IPRIORITYR + 40)).toBe(0x11223344);
    r.dw(1, IGROUPR + 4, 0xffff);
    expect(r.d(0, IGROUPR + 4)).toBe(0xffff);
    r.dw(0, ICACTIVER, 0xffffffff);
    expect(r.d(1, ISACTIVER)).toBe(8);
  });

  it('SPIs: ISPENDR/ICPENDR, level-sensitive lines stay pending while high, edge-triggered latch', () => {
    const r = setup(1);
    enable(r);
    r.dw(0, ISENABLER + 4, 3);
    r.gic.raiseSpi(33, true);
    expect(r.d(0, ISPENDR + 4)).toBe(2);
    r.dw(0, ICPENDR + 4, 2);
    expect(r.d(0, ISPENDR + 4)).toBe(2); // the line is still high
    r.gic.raiseSpi(33, false);
    expect(r.d(0, ISPENDR + 4)).toBe(0);
    r.dw(0, ICFGR + 8, 0x2); // INTID 32 edge
    r.gic.raiseSpi(32, true);
    r.gic.raiseSpi(32, false);
    expect(r.d(0, ISPENDR + 4)).toBe(1);
    expect(r.c(0, IAR)).toBe(32);
  });

  it('an SPI goes only to the CPUs in its ITARGETSR byte', () => {
    const r = setup(2);
    enable(r);
    r.dw(0, ISENABLER + 4, 1 << 8);
    r.dw(0, ISPENDR + 4, 1 << 8);
    expect([r.c(0, HPPIR), r.c(1, HPPIR)]).toEqual([1023, 1023]);
    r.dw(0, ITARGETSR + 40, 2, 1);
    expect([r.c(0, HPPIR), r.c(1, HPPIR)]).toEqual([1023, 40]);
    expect(r.c(1, IAR)).toBe(40);
  });
});

describe('GICv2 SGIs', () => {
  it('GICD_SGIR target filters: list, all but self, self, reserved (QEMU: every CPU); list bits beyond the CPUs are ignored', () => {
    const r = setup(3);
    const pend = (): number[] => [0, 1, 2].map((i) => r.d(i, ISPENDR) & 0xffff);
    r.dw(1, SGIR, (0b1101 << 16) | 1);
    expect(pend()).toEqual([2, 0, 2]);
    r.dw(1, SGIR, (1 << 24) | 2);
    expect(pend()).toEqual([6, 0, 6]);
    r.dw(2, SGIR, (2 << 24) | 3);
    expect(pend()).toEqual([6, 0, 0xe]);
    r.dw(0, SGIR, (3 << 24) | 4);
    expect(pend()).toEqual([0x16, 0x10, 0x1e]);
    r.dw(0, SGIR, (1 << 16) | 5, 1); // SGIR is written as a word only
    expect(pend()[0]).toBe(0x16);
  });

  it('remembers every source CPU: SPENDSGIR/CPENDSGIR, GICC_IAR.CPUID, active and pending until all are taken', () => {
    const r = setup(3);
    enable(r);
    r.dw(2, SGIR, (1 << 16) | 1);
    r.dw(1, SGIR, (1 << 16) | 1);
    expect(r.d(0, SPENDSGIR)).toBe(0x0600);
    expect(r.d(0, CPENDSGIR + 1, 1)).toBe(6);
    expect(r.d(1, SPENDSGIR)).toBe(0);
    const first = r.c(0, IAR);
    expect(first).toBe(1 | (1 << 10));
    expect(r.d(0, SPENDSGIR)).toBe(0x0400);
    expect(r.d(0, ISPENDR) & 2).toBe(2);
    expect(r.d(0, ISACTIVER) & 2).toBe(2);
    expect(r.c(0, IAR)).toBe(1023); // active: not taken again
    r.cw(0, EOIR, first);
    expect(r.c(0, IAR)).toBe(1 | (2 << 10));
    expect(r.d(0, ISPENDR) & 2).toBe(0);
    r.dw(0, SPENDSGIR + 4, 0x05, 1);
    expect(r.d(0, ISPENDR) & 0x10).toBe(0x10);
    r.dw(0, CPENDSGIR + 4, 0x01, 1);
    expect(r.d(0, SPENDSGIR + 4)).toBe(4);
    r.dw(0, CPENDSGIR + 4, 0x04, 1);
    expect(r.d(0, ISPENDR) & 0x10).toBe(0);
  });

  it('kicks the target vCPU (PENDING_GIC), and one attached in another thread through onRemoteKick', () => {
    const r = setup(2);
    r.ms[1].c.pendingCheck = 0;
    r.dw(0, SGIR, (2 << 16) | 1);
    expect(r.ms[1].c.pendingCheck & PENDING_GIC).toBe(PENDING_GIC);
    // Two workers' views of one shared state: vCPU 0 here, vCPU 1 there.
    const a = new GicV2(2);
    const b = new GicV2(2, undefined, a.sab);
    const m0 = makeMachine();
    const m1 = makeMachine();
    a.attachCpu(0, m0.c);
    b.attachCpu(1, m1.c);
    const remote: number[] = [];
    a.distributor.write(CTLR, 4, 1);
    b.cpuInterface.write(C_CTLR, 4, GRP0);
    b.cpuInterface.write(PMR, 4, 0xff);
    a.onRemoteKick = (k) => remote.push(k);
    a.distributor.write(SGIR, 4, (2 << 16) | 7);
    expect(remote).toEqual([1]);
    expect(b.cpuInterface.read(IAR, 4)).toBe(7);
    expect(a.localCpu).toBe(0);
    expect(b.localCpu).toBe(1);
  });
});

describe('GICv2 CPU interface', () => {
  it('writable bits: CTLR 0x21f, PMR 8 bits, BPR ≥ 0, ABPR ≥ 1', () => {
    const r = setup(1);
    r.cw(0, C_CTLR, 0xffffffff);
    expect(r.c(0, C_CTLR)).toBe(0x21f);
    r.cw(0, PMR, 0x1ff);
    expect(r.c(0, PMR)).toBe(0xff);
    r.cw(0, BPR, 0);
    r.cw(0, ABPR, 0);
    expect([r.c(0, BPR), r.c(0, ABPR)]).toEqual([0, 1]);
    r.cw(0, BPR, 0xf);
    expect(r.c(0, BPR)).toBe(7);
  });

  it('priorities: the lowest value wins, running priority and APRn bits (priority >> 1), preemption', () => {
    const r = setup(1);
    enable(r);
    r.dw(0, IPRIORITYR, 0x40a08000); // SGI 0: 00, 1: 80, 2: a0, 3: 40
    r.dw(0, SGIR, (2 << 24) | 2);
    r.dw(0, SGIR, (2 << 24) | 1);
    expect(r.c(0, HPPIR)).toBe(1);
    expect(r.c(0, IAR)).toBe(1);
    expect(r.c(0, RPR)).toBe(0x80);
    expect(r.c(0, APR0 + 8)).toBe(1); // level 0x40 → APR2 bit 0
    expect(r.c(0, IAR)).toBe(1023); // 0xa0 does not preempt 0x80
    expect(lines(r, 0)).toBe(0);
    r.dw(0, SGIR, (2 << 24) | 3);
    expect(lines(r, 0)).toBe(LINE_IRQ);
    expect(r.c(0, IAR)).toBe(3);
    expect(r.c(0, RPR)).toBe(0x40);
    expect(r.c(0, APR0 + 4)).toBe(1);
    r.cw(0, EOIR, 3);
    expect(r.c(0, RPR)).toBe(0x80);
    r.cw(0, EOIR, 1);
    expect(r.c(0, RPR)).toBe(0xff);
    expect(r.c(0, IAR)).toBe(2);
  });

  it('binary point: BPR for Group 0 and, unless CBPR, ABPR - 1 for Group 1', () => {
    const r = setup(1);
    enable(r);
    r.dw(0, IPRIORITYR, 0x00009098); // SGI 0: 98, 1: 90
    r.cw(0, BPR, 3); // group priority [7:4]
    r.dw(0, SGIR, (2 << 24) | 0);
    expect(r.c(0, IAR)).toBe(0);
    expect(r.c(0, RPR)).toBe(0x90);
    r.dw(0, SGIR, (2 << 24) | 1);
    expect(r.c(0, IAR)).toBe(1023); // 0x90 is not below the running group priority 0x90
    r.cw(0, EOIR, 0);
    expect(r.c(0, IAR)).toBe(1);
    r.cw(0, EOIR, 1);
    // Group 1: ABPR 4 → group priority bits [7:4]; CBPR makes BPR apply.
    r.dw(0, IGROUPR, 1 << 2);
    r.dw(0, IPRIORITYR + 2, 0xa8, 1);
    r.cw(0, C_CTLR, GRP0 | GRP1 | ACKCTL);
    r.cw(0, BPR, 0);
    r.cw(0, ABPR, 4);
    r.dw(0, SGIR, (2 << 24) | 2);
    expect(r.c(0, IAR)).toBe(2);
    expect(r.c(0, RPR)).toBe(0xa0);
    expect(r.c(0, NSAPR0 + 8)).toBe(1 << 16);
    r.cw(0, EOIR, 2);
    r.cw(0, C_CTLR, GRP0 | GRP1 | ACKCTL | CBPR);
    r.dw(0, SGIR, (2 << 24) | 2);
    expect(r.c(0, IAR)).toBe(2);
    expect(r.c(0, RPR)).toBe(0xa8);
  });

  it('PMR masks: HPPIR/IAR 1023 and no line at or above the mask', () => {
    const r = setup(1);
    enable(r);
    r.cw(0, PMR, 0x80);
    r.dw(0, SGIR, (2 << 24) | 1);
    expect([r.c(0, HPPIR), r.c(0, IAR), lines(r, 0)]).toEqual([1023, 1023, 0]);
    r.cw(0, PMR, 0x81);
    expect(lines(r, 0)).toBe(LINE_IRQ);
  });

  it('signals nothing while the group is disabled in the distributor or the CPU interface; Group 0 as FIQ with FIQEn', () => {
    const r = setup(1);
    enable(r);
    r.dw(0, SGIR, (2 << 24) | 1);
    r.dw(0, CTLR, 2);
    expect([lines(r, 0), r.c(0, HPPIR)]).toEqual([0, 1]);
    r.dw(0, CTLR, 0);
    expect(r.c(0, HPPIR)).toBe(1023);
    r.dw(0, CTLR, 1);
    r.cw(0, C_CTLR, GRP1);
    expect(lines(r, 0)).toBe(0);
    r.cw(0, C_CTLR, GRP0 | FIQEN);
    expect(lines(r, 0)).toBe(LINE_FIQ);
    expect(r.ms[0].c.gic!.describe()).toMatch(/INTID 1 pending \(Group 0, priority 0x80\) signalled/);
  });

  it('Group 1 shows as 1022 in HPPIR/IAR without AckCtl; the aliased AIAR/AHPPIR/AEOIR see Group 1 only', () => {
    const r = setup(1);
    enable(r);
    r.dw(0, CTLR, 3);
    r.dw(0, IGROUPR, 1 << 5);
    r.cw(0, C_CTLR, GRP0 | GRP1);
    r.dw(0, SGIR, (2 << 24) | 5);
    expect(lines(r, 0)).toBe(LINE_IRQ);
    expect([r.c(0, HPPIR), r.c(0, IAR), r.c(0, AHPPIR)]).toEqual([1022, 1022, 5]);
    expect(r.c(0, AIAR)).toBe(5);
    r.cw(0, AEOIR, 5);
    expect([r.c(0, RPR), r.d(0, ISACTIVER) & 0x20]).toEqual([0xff, 0]);
    r.dw(0, SGIR, (2 << 24) | 4); // Group 0
    expect([r.c(0, AHPPIR), r.c(0, AIAR)]).toEqual([1023, 1023]);
    expect(r.c(0, IAR)).toBe(4);
    r.cw(0, AEOIR, 4); // a Group 0 interrupt through the alias: ignored
    expect(r.c(0, RPR)).toBe(0x80);
    r.cw(0, EOIR, 4);
    expect(r.c(0, RPR)).toBe(0xff);
  });

  it('EOImode 0: EOIR drops priority and deactivates, DIR is ignored; EOImode 1: EOIR drops, DIR deactivates', () => {
    const r = setup(1);
    enable(r);
    r.dw(0, SGIR, (2 << 24) | 1);
    const a = r.c(0, IAR);
    r.cw(0, DIR, a);
    expect(r.d(0, ISACTIVER) & 2).toBe(2);
    r.cw(0, EOIR, a);
    expect([r.c(0, RPR), r.d(0, ISACTIVER) & 2]).toEqual([0xff, 0]);
    r.cw(0, C_CTLR, GRP0 | EOIMODE);
    r.dw(0, SGIR, (2 << 24) | 1);
    const b = r.c(0, IAR);
    r.cw(0, EOIR, b);
    expect([r.c(0, RPR), r.d(0, ISACTIVER) & 2]).toEqual([0xff, 2]);
    r.dw(0, SGIR, (2 << 24) | 1);
    expect([r.c(0, HPPIR), r.c(0, IAR)]).toEqual([1023, 1023]); // pending while still active
    r.cw(0, DIR, b);
    expect(r.d(0, ISACTIVER) & 2).toBe(0);
    expect(r.c(0, IAR)).toBe(1);
    r.cw(0, EOIR, 1023); // spurious: ignored
    expect(r.c(0, RPR)).toBe(0x80);
  });

  it('timer PPIs reach the CPU interface through setPpi (level-sensitive)', () => {
    const r = setup(1);
    enable(r);
    r.dw(0, ISENABLER, 1 << 27);
    r.ms[0].c.gic!.setPpi(27, true);
    expect(r.c(0, HPPIR)).toBe(27);
    expect(r.c(0, IAR)).toBe(27);
    r.ms[0].c.gic!.setPpi(27, false);
    r.cw(0, EOIR, 27);
    expect(r.c(0, HPPIR)).toBe(1023);
  });
});

describe('GICv2 on the virt board', () => {
  const MRS_SRE_X11 = 0xd538ccab; // mrs x11, icc_sre_el1
  const MSR_PMR_X1 = 0xd5184601; // msr icc_pmr_el1, x1

  it('ICC_* system registers are UNDEFINED and ID_AA64PFR0_EL1.GIC reads 0 (1 with a GICv3), as QEMU', () => {
    for (const insn of [MRS_SRE_X11, MSR_PMR_X1]) {
      const m = makeMachine();
      const c = m.c;
      attachGic(createGic(2, 1), 0, c);
      const VBAR = 0x4000_0000;
      c.sys.set(R.VBAR_EL1, VBAR, 0);
      m.poke32(VBAR + 0x200, [HLT_STOP]);
      m.poke32(CODE, [insn, HLT_STOP]);
      m.run();
      expect(c.sys.lo(R.ESR_EL1) >>> 26).toBe(0);
      expect(c.sys.get64(R.ELR_EL1)).toBe(BigInt(CODE));
      expect((c.sys.get64(R.ID_AA64PFR0_EL1) >> 24n) & 0xfn).toBe(0n);
    }
    const m3 = makeMachine();
    attachGic(createGic(3, 1), 0, m3.c);
    expect((m3.c.sys.get64(R.ID_AA64PFR0_EL1) >> 24n) & 0xfn).toBe(1n);
  });

  it('maps GICD at 0x0800_0000 and GICC at 0x0801_0000', () => {
    const vm = new VirtMachine({ cpu: 'max', mem: 16 << 20, gic: 2 }, { write: () => {} });
    expect(vm.gic.version).toBe(2);
    const read32 = (pa: number): number => {
      const r = vm.bus.find(pa);
      return r?.kind === 'mmio' ? r.device.read(pa - r.base, 4) : -1;
    };
    expect(read32(GICV2_DIST_BASE + IIDR)).toBe(0x43b);
    expect(read32(GICV2_CPU_BASE + C_IIDR)).toBe(0x2043b);
    expect(vm.bus.find(0x080a_0000)).toBeUndefined(); // no redistributors
    expect(vm.cpu.gic?.hasSysRegs).toBe(false);
  });

  it('the KVM board refuses a GICv2 with the reason (its in-kernel vGIC is a GICv3)', () => {
    const raw = detect(new Uint8Array(64), 'x.bin');
    const cfg = { cpus: 1, memory: [{ base: 0x4000_0000, size: 1 << 24 }] };
    expect(() => kvmBoardPlan({ ...cfg, gic: 2 }, { ipaSizeCap: 0 }, raw)).toThrow(/gic-version 2 is not offered.*VGIC_V3/);
    expect(kvmBoardPlan({ ...cfg, gic: 3 }, { ipaSizeCap: 0 }, raw).machine.gicV3).toBeDefined();
  });

  const hasDtc = spawnSync('dtc', ['--version']).status === 0;
  it.skipIf(!hasDtc)(
    'device tree: arm,cortex-a15-gic with the GICD and GICC regions; timer PPIs carry the CPU mask (dtc decompiles it)',
    () => {
      const vm = new VirtMachine({ cpu: 'max', mem: 16 << 20, gic: 2, cpus: 2, rngSeed: new Uint8Array(4) }, { write: () => {} });
      const dir = mkdtempSync(join(tmpdir(), 'armlab-gicv2-'));
      const f = join(dir, 'v2.dtb');
      writeFileSync(f, vm.deviceTree());
      const dts = execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(dts).toContain('compatible = "arm,cortex-a15-gic";');
      expect(dts).toContain('reg = <0x00 0x8000000 0x00 0x10000 0x00 0x8010000 0x00 0x10000>;');
      expect(dts).toContain('#interrupt-cells = <0x03>;');
      expect(dts).not.toContain('redistributor');
      expect(dts).toContain('interrupts = <0x01 0x0d 0x304 0x01 0x0e 0x304 0x01 0x0b 0x304 0x01 0x0a 0x304>;');
      expect(dts).toContain('interrupts = <0x00 0x01 0x04>;'); // PL011 unchanged
    },
  );
});
