// GICv3 register semantics (distributor, redistributor, CPU interface), checked against
// the GICv3 architecture specification (IHI 0069) and QEMU's virt GICv3 (the reset and
// ID values are the ones resources/guest/tests/irq_gic.c reads back under QEMU).
import { describe, expect, it } from 'vitest';
import { GicV3, GICD_BASE, GICR_BASE, GICR_STRIDE, INTID_SPURIOUS } from '../../core/board/gicv3.js';
import { Icc } from '../../core/a64/interrupts.js';
import { LINE_FIQ, LINE_IRQ, PENDING_GIC } from '../../core/a64/exceptions.js';
import { makeMachine, type TestMachine } from '../helpers/cpu.js';

const SGI = 0x10000;

function setup(ncpu = 1): { gic: GicV3; ms: TestMachine[] } {
  const gic = new GicV3(ncpu);
  const ms: TestMachine[] = [];
  for (let i = 0; i < ncpu; i++) {
    const m = makeMachine();
    gic.attachCpu(i, m.c, i); // Aff0 = i
    ms.push(m);
  }
  return { gic, ms };
}

const d = (g: GicV3, off: number): number => g.distributor.read(off, 4) >>> 0;
const dw = (g: GicV3, off: number, v: number): void => g.distributor.write(off, 4, v >>> 0);
const r = (g: GicV3, cpu: number, off: number): number => g.redistributors.read(cpu * GICR_STRIDE + off, 4) >>> 0;
const rw = (g: GicV3, cpu: number, off: number, v: number): void => g.redistributors.write(cpu * GICR_STRIDE + off, 4, v >>> 0);

/** Group 1 everywhere, both groups enabled in the distributor and the CPU interface, PMR open. */
function enableAll(g: GicV3, m: TestMachine, cpu = 0): void {
  dw(g, 0x0, 3);
  rw(g, cpu, SGI + 0x80, 0xffffffff);
  for (let w = 1; w < 9; w++) dw(g, 0x80 + 4 * w, 0xffffffff);
  const cif = m.c.gic!;
  cif.write(m.c, Icc.PMR, 0xff, 0);
  cif.write(m.c, Icc.IGRPEN1, 1, 0);
  cif.write(m.c, Icc.IGRPEN0, 1, 0);
}

describe('GICv3 distributor', () => {
  it('identifies itself as QEMU virt does', () => {
    const { gic } = setup();
    expect(d(gic, 0x0)).toBe(0x50); // ARE | DS
    expect(d(gic, 0x4) & 0x1f).toBe(7); // (288 - 32) / 32 - 1
    expect((d(gic, 0x4) >> 19) & 0x1f).toBe(15);
    expect(d(gic, 0x8)).toBe(0x43b);
    expect(d(gic, 0xffe8)).toBe(0x3b); // PIDR2.ArchRev = 3
    expect(d(gic, 0xfff0)).toBe(0x0d);
  });

  it('GICD_CTLR: only the group enables are writable', () => {
    const { gic } = setup();
    dw(gic, 0x0, 0xffffffff);
    expect(d(gic, 0x0)).toBe(0x53);
    dw(gic, 0x0, 0);
    expect(d(gic, 0x0)).toBe(0x50);
  });

  it('set/clear enable, pending and active registers; SGI/PPI words are RAZ/WI', () => {
    const { gic } = setup();
    dw(gic, 0x104, 0x0000_0101);
    dw(gic, 0x104, 0x8000_0000);
    expect(d(gic, 0x104)).toBe(0x8000_0101);
    expect(d(gic, 0x184)).toBe(0x8000_0101);
    dw(gic, 0x184, 0x0000_0100);
    expect(d(gic, 0x104)).toBe(0x8000_0001);
    dw(gic, 0x208, 0x10);
    expect(d(gic, 0x208)).toBe(0x10);
    dw(gic, 0x288, 0x10);
    expect(d(gic, 0x208)).toBe(0);
    dw(gic, 0x30c, 0x3);
    expect(d(gic, 0x38c)).toBe(3);
    dw(gic, 0x38c, 0x1);
    expect(d(gic, 0x30c)).toBe(2);
    dw(gic, 0x100, 0xffffffff);
    expect(d(gic, 0x100)).toBe(0);
    expect(d(gic, 0x80)).toBe(0);
  });

  it('IPRIORITYR: byte and word accesses, 8 bits kept, private INTIDs RAZ/WI', () => {
    const { gic } = setup();
    gic.distributor.write(0x400 + 33, 1, 0xa5);
    expect(gic.distributor.read(0x420, 4) >>> 0).toBe(0xa500);
    dw(gic, 0x424, 0x11223344);
    expect(gic.distributor.read(0x425, 1)).toBe(0x33);
    dw(gic, 0x400, 0xffffffff);
    expect(d(gic, 0x400)).toBe(0);
  });

  it('ICFGR: odd bits select edge; IROUTER holds Aff3..Aff0 and IRM', () => {
    const { gic } = setup();
    dw(gic, 0xc08, 0xffffffff);
    expect(d(gic, 0xc08)).toBe(0xaaaaaaaa);
    dw(gic, 0x6100 + 8 * 2, 0x8001_0203 | 0);
    dw(gic, 0x6104 + 8 * 2, 0xffff_ff04 | 0);
    expect(d(gic, 0x6110)).toBe(0x8001_0203);
    expect(d(gic, 0x6114)).toBe(0x04);
  });

  it('level-sensitive SPI: pending follows the line; edge-triggered: latched until cleared', () => {
    const { gic } = setup();
    gic.raiseSpi(40, true);
    expect(d(gic, 0x204) & 0x100).toBe(0x100);
    gic.raiseSpi(40, false);
    expect(d(gic, 0x204) & 0x100).toBe(0);
    dw(gic, 0xc08, 2 << 16); // INTID 40 edge-triggered
    gic.raiseSpi(40, true);
    gic.raiseSpi(40, false);
    expect(d(gic, 0x204) & 0x100).toBe(0x100);
    dw(gic, 0x284, 0x100);
    expect(d(gic, 0x204) & 0x100).toBe(0);
  });

  it('keeps its state in a SharedArrayBuffer another view can share', () => {
    const { gic } = setup();
    dw(gic, 0x104, 0x4);
    const other = new GicV3(1, 288, gic.sab);
    expect(other.distributor.read(0x104, 4)).toBe(4);
  });
});

describe('GICv3 redistributor', () => {
  it('GICR_TYPER: processor number, Last, affinity; IIDR, PIDR2', () => {
    const { gic } = setup(2);
    expect(r(gic, 0, 0x8)).toBe(0x0100_0000);
    expect(r(gic, 1, 0x8)).toBe(0x0100_0110);
    expect(r(gic, 1, 0xc)).toBe(1);
    expect(r(gic, 0, 0x4)).toBe(0x43b);
    expect(r(gic, 0, 0xffe8)).toBe(0x3b);
    expect(r(gic, 0, 0x0)).toBe(2);
  });

  it('GICR_WAKER: ProcessorSleep handshake (ChildrenAsleep follows)', () => {
    const { gic } = setup();
    expect(r(gic, 0, 0x14)).toBe(6);
    rw(gic, 0, 0x14, 0);
    expect(r(gic, 0, 0x14)).toBe(0);
    rw(gic, 0, 0x14, 2);
    expect(r(gic, 0, 0x14)).toBe(6);
  });

  it('SGI frame: enables, pending, active, priorities, ICFGR0 read-only edge, ICFGR1', () => {
    const { gic } = setup();
    rw(gic, 0, SGI + 0x100, 0x8000_0003);
    expect(r(gic, 0, SGI + 0x180)).toBe(0x8000_0003);
    rw(gic, 0, SGI + 0x180, 1);
    expect(r(gic, 0, SGI + 0x100)).toBe(0x8000_0002);
    rw(gic, 0, SGI + 0x200, 0x20);
    expect(r(gic, 0, SGI + 0x280)).toBe(0x20);
    rw(gic, 0, SGI + 0x280, 0x20);
    expect(r(gic, 0, SGI + 0x200)).toBe(0);
    rw(gic, 0, SGI + 0x300, 0x4);
    expect(r(gic, 0, SGI + 0x380)).toBe(4);
    gic.redistributors.write(SGI + 0x400 + 27, 1, 0x90);
    expect(gic.redistributors.read(SGI + 0x418, 4) >>> 0).toBe(0x9000_0000);
    rw(gic, 0, SGI + 0xc00, 0);
    expect(r(gic, 0, SGI + 0xc00)).toBe(0xaaaaaaaa);
    rw(gic, 0, SGI + 0xc04, 0x8000_0000);
    expect(r(gic, 0, SGI + 0xc04)).toBe(0x8000_0000);
    expect(r(gic, 0, SGI + 0x80)).toBe(0);
  });
});

describe('GICv3 CPU interface', () => {
  it('reset values as QEMU: SRE 7, CTLR 0x8c00, BPR0 2, BPR1 3, RPR idle; PMR keeps 5 bits', () => {
    const { ms } = setup();
    const c = ms[0].c;
    const g = c.gic!;
    expect(g.read(c, Icc.SRE_EL1)).toBe(7);
    expect(g.read(c, Icc.CTLR)).toBe(0x8c00);
    expect(g.read(c, Icc.BPR0)).toBe(2);
    expect(g.read(c, Icc.BPR1)).toBe(3);
    expect(g.read(c, Icc.RPR)).toBe(0xff);
    g.write(c, Icc.PMR, 0xff, 0);
    expect(g.read(c, Icc.PMR)).toBe(0xf8);
    g.write(c, Icc.BPR1, 0, 0);
    expect(g.read(c, Icc.BPR1)).toBe(3);
    g.write(c, Icc.CTLR, 1, 0); // CBPR: BPR1 reads BPR0 + 1
    expect(g.read(c, Icc.BPR1)).toBe(3);
    g.write(c, Icc.BPR0, 5, 0);
    expect(g.read(c, Icc.BPR1)).toBe(6);
  });

  it('SGI to self: pending → IAR1 activates (RPR, AP1R0) → EOIR1 drops and deactivates', () => {
    const { gic, ms } = setup();
    const c = ms[0].c;
    const g = c.gic!;
    enableAll(gic, ms[0]);
    rw(gic, 0, SGI + 0x100, 0xffff);
    gic.redistributors.write(SGI + 0x400 + 3, 1, 0x80);
    c.pendingCheck = 0;
    g.write(c, Icc.SGI1R, (3 << 24) | 1, 0);
    expect(c.pendingCheck & PENDING_GIC).toBe(PENDING_GIC);
    expect(g.update(c)).toBe(LINE_IRQ);
    expect(g.read(c, Icc.HPPIR1)).toBe(3);
    expect(g.read(c, Icc.IAR1)).toBe(3);
    expect(g.read(c, Icc.RPR)).toBe(0x80);
    expect(g.read(c, Icc.AP1R0)).toBe(1 << 16);
    expect(r(gic, 0, SGI + 0x300)).toBe(8);
    expect(g.update(c)).toBe(0);
    g.write(c, Icc.EOIR1, 3, 0);
    expect(g.read(c, Icc.RPR)).toBe(0xff);
    expect(r(gic, 0, SGI + 0x300)).toBe(0);
    expect(g.read(c, Icc.IAR1)).toBe(INTID_SPURIOUS);
  });

  it('priority order, PMR masking and preemption by group priority (BPR)', () => {
    const { gic, ms } = setup();
    const c = ms[0].c;
    const g = c.gic!;
    enableAll(gic, ms[0]);
    rw(gic, 0, SGI + 0x100, 0xffff);
    const prio = (id: number, p: number): void => gic.redistributors.write(SGI + 0x400 + id, 1, p);
    prio(1, 0x80);
    prio(2, 0x40);
    prio(4, 0x88);
    g.write(c, Icc.PMR, 0x80, 0);
    g.write(c, Icc.SGI1R, (1 << 24) | 1, 0);
    expect(g.update(c)).toBe(0); // 0x80 is not below PMR 0x80
    expect(g.read(c, Icc.IAR1)).toBe(INTID_SPURIOUS);
    g.write(c, Icc.PMR, 0xf0, 0);
    g.write(c, Icc.BPR1, 7, 0); // group priority = bit 7 only
    expect(g.read(c, Icc.IAR1)).toBe(1);
    g.write(c, Icc.SGI1R, (4 << 24) | 1, 0);
    expect(g.update(c)).toBe(0); // 0x88: same group priority as the running 0x80
    g.write(c, Icc.SGI1R, (2 << 24) | 1, 0);
    expect(g.update(c)).toBe(LINE_IRQ); // 0x40 preempts
    expect(g.read(c, Icc.IAR1)).toBe(2);
    expect(g.read(c, Icc.RPR)).toBe(0);
    g.write(c, Icc.EOIR1, 2, 0);
    g.write(c, Icc.EOIR1, 1, 0);
    g.write(c, Icc.BPR1, 3, 0);
    expect(g.read(c, Icc.IAR1)).toBe(4);
    expect(g.read(c, Icc.RPR)).toBe(0x88);
  });

  it('EOImode 1: EOIR drops the priority only, DIR deactivates', () => {
    const { gic, ms } = setup();
    const c = ms[0].c;
    const g = c.gic!;
    enableAll(gic, ms[0]);
    rw(gic, 0, SGI + 0x100, 0xffff);
    g.write(c, Icc.CTLR, 2, 0);
    g.write(c, Icc.SGI1R, (5 << 24) | 1, 0);
    expect(g.read(c, Icc.IAR1)).toBe(5);
    g.write(c, Icc.EOIR1, 5, 0);
    expect(g.read(c, Icc.RPR)).toBe(0xff);
    expect(r(gic, 0, SGI + 0x300)).toBe(1 << 5);
    g.write(c, Icc.DIR, 5, 0);
    expect(r(gic, 0, SGI + 0x300)).toBe(0);
  });

  it('Group 0 is signalled as FIQ and acknowledged through IAR0 only', () => {
    const { gic, ms } = setup();
    const c = ms[0].c;
    const g = c.gic!;
    enableAll(gic, ms[0]);
    rw(gic, 0, SGI + 0x80, ~(1 << 6));
    rw(gic, 0, SGI + 0x100, 0xffff);
    g.write(c, Icc.SGI1R, (6 << 24) | 1, 0); // Group 1 SGI for a Group 0 INTID: ignored
    expect(g.update(c)).toBe(0);
    g.write(c, Icc.SGI0R, (6 << 24) | 1, 0);
    expect(g.update(c)).toBe(LINE_FIQ);
    expect(g.read(c, Icc.IAR1)).toBe(INTID_SPURIOUS);
    expect(g.read(c, Icc.IAR0)).toBe(6);
    expect(g.read(c, Icc.AP0R0)).toBe(1);
    g.write(c, Icc.EOIR0, 6, 0);
    expect(g.read(c, Icc.AP0R0)).toBe(0);
  });

  it('SGIs by affinity target list and IRM reach other vCPUs only as addressed', () => {
    const { gic, ms } = setup(3);
    for (let i = 0; i < 3; i++) {
      enableAll(gic, ms[i], i);
      rw(gic, i, SGI + 0x100, 0xffff);
    }
    const c0 = ms[0].c;
    c0.gic!.write(c0, Icc.SGI1R, (9 << 24) | 0b100, 0); // Aff0 = 2
    expect(ms[2].c.gic!.update(ms[2].c)).toBe(LINE_IRQ);
    expect(ms[1].c.gic!.update(ms[1].c)).toBe(0);
    expect(c0.gic!.update(c0)).toBe(0);
    c0.gic!.write(c0, Icc.SGI1R, 10 << 24, 1 << 8); // IRM: everyone but self
    expect(ms[1].c.gic!.read(ms[1].c, Icc.HPPIR1)).toBe(10);
    expect(c0.gic!.update(c0)).toBe(0);
  });

  it('SPIs go to the vCPU IROUTER names', () => {
    const { gic, ms } = setup(2);
    for (let i = 0; i < 2; i++) enableAll(gic, ms[i], i);
    dw(gic, 0x104, 1 << 8);
    dw(gic, 0x6000 + 8 * 40, 1); // Aff0 = 1
    gic.raiseSpi(40, true);
    expect(ms[0].c.gic!.update(ms[0].c)).toBe(0);
    expect(ms[1].c.gic!.read(ms[1].c, Icc.IAR1)).toBe(40);
    expect(d(gic, 0x304)).toBe(0x100);
    expect(d(gic, 0x204) & 0x100).toBe(0x100); // level still high: active and pending
  });

  it('the distributor group enables gate delivery', () => {
    const { gic, ms } = setup();
    const c = ms[0].c;
    enableAll(gic, ms[0]);
    rw(gic, 0, SGI + 0x100, 0xffff);
    dw(gic, 0x0, 1); // Group 1 disabled
    c.gic!.write(c, Icc.SGI1R, (1 << 24) | 1, 0);
    expect(c.gic!.update(c)).toBe(0);
    dw(gic, 0x0, 3);
    expect(c.gic!.update(c)).toBe(LINE_IRQ);
  });

  it('is mapped on the bus at QEMU virt addresses', () => {
    expect(GICD_BASE).toBe(0x0800_0000);
    expect(GICR_BASE).toBe(0x080a_0000);
    expect(GICR_STRIDE).toBe(0x2_0000);
  });
});

describe('GICv3 CPU interface: describe() for error reports', () => {
  it('names the highest pending interrupt and why it is not signalled: group disabled, PMR, preemption', () => {
    const { gic, ms } = setup();
    const m = ms[0];
    const cif = m.c.gic!;
    expect(cif.describe()).toMatch(/^GIC: nothing pending for this CPU \(PMR 0x0, running priority 0xff, IGRPEN0 0 IGRPEN1 0\)$/);
    enableAll(gic, m);
    rw(gic, 0, SGI + 0x100, 1 << 3); // enable SGI 3
    gic.distributor.write(0x400 + 40, 1, 0xa0); // SPI 40 priority 0xa0 (not pending)
    gic.redistributors.write(SGI + 0x400 + 3, 1, 0x80); // SGI 3 priority 0x80
    cif.write(m.c, Icc.IGRPEN1, 0, 0);
    gic.sendSgi(0, 0, 3, 1);
    expect(cif.describe()).toMatch(/^GIC: INTID 3 pending \(Group 1, priority 0x80\) not signalled: Group 1 disabled at the CPU interface/);
    cif.write(m.c, Icc.IGRPEN1, 1, 0);
    cif.write(m.c, Icc.PMR, 0x80, 0);
    expect(cif.describe()).toMatch(/INTID 3 pending \(Group 1, priority 0x80\) not signalled: masked by PMR \(PMR 0x80,/);
    cif.write(m.c, Icc.PMR, 0xff, 0);
    expect(cif.describe()).toMatch(/INTID 3 pending \(Group 1, priority 0x80\) signalled \(PMR 0xf8, running priority 0xff/);
    // Acknowledged and active: nothing else pending.
    expect(cif.read(m.c, Icc.IAR1)).toBe(3);
    expect(cif.describe()).toMatch(/nothing pending for this CPU \(PMR 0xf8, running priority 0x80/);
    // A lower-priority SGI while SGI 3 is active: pending, but it cannot preempt.
    rw(gic, 0, SGI + 0x100, 1 << 4);
    gic.redistributors.write(SGI + 0x400 + 4, 1, 0x90);
    gic.sendSgi(0, 0, 4, 1);
    expect(cif.describe()).toMatch(/INTID 4 pending \(Group 1, priority 0x90\) not signalled: does not preempt the active interrupt/);
  });
});
