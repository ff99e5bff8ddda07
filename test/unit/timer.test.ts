// Generic timer interrupt lines: ISTATUS and the PPI follow CTL.ENABLE/IMASK and the
// counter against CVAL (CNTVOFF_EL2 for the virtual timer); the deadline drives WFI
// wake-up. Host time is faked (the counter is host ns / 16 at 62.5 MHz).
import { describe, expect, it } from 'vitest';
import { GicV3 } from '../../core/board/gicv3.js';
import { Icc, nextWakeNs, wake, wakeReady } from '../../core/a64/interrupts.js';
import {
  PENDING_TIMER,
  pollTimers,
  readTimerCtl,
  writeTimerCtl,
  writeTimerCval,
  TIMER_P,
  TIMER_V,
  TIMER_HP,
} from '../../core/a64/timer.js';
import { R } from '../../core/a64/sysregs.js';
import { CODE, HLT_STOP, makeMachine, type MachineOptions, type TestMachine } from '../helpers/cpu.js';

const VBAR = 0x4004_0000;

function machine(opts: MachineOptions = {}): { m: TestMachine; gic: GicV3; clock: { ns: number } } {
  const m = makeMachine(opts);
  const clock = { ns: 0 };
  (m.c.env as { nowNs: () => number }).nowNs = () => clock.ns;
  const gic = new GicV3(1);
  gic.attachCpu(0, m.c, 0);
  gic.distributor.write(0, 4, 2);
  gic.redistributors.write(0x10080, 4, 0xffffffff);
  gic.redistributors.write(0x10100, 4, (1 << 27) | (1 << 30) | (1 << 26));
  const c = m.c;
  c.gic!.write(c, Icc.PMR, 0xf0, 0);
  c.gic!.write(c, Icc.IGRPEN1, 1, 0);
  return { m, gic, clock };
}

describe('generic timer interrupts', () => {
  it('ISTATUS and PPI 27 follow ENABLE, IMASK and CVAL; HPPIR1 sees the PPI', () => {
    const { m, clock } = machine();
    const c = m.c;
    writeTimerCval(c, TIMER_V, 100, 0); // 100 ticks = 1600 ns
    writeTimerCtl(c, TIMER_V, 1);
    expect(readTimerCtl(c, TIMER_V)).toBe(1);
    expect(c.timerNextNs).toBe(1600);
    expect(c.pendingCheck & PENDING_TIMER).toBe(PENDING_TIMER);
    clock.ns = 1600;
    pollTimers(c);
    expect(readTimerCtl(c, TIMER_V)).toBe(5);
    expect(c.gic!.read(c, Icc.HPPIR1)).toBe(27);
    expect(c.pendingCheck & PENDING_TIMER).toBe(0);
    writeTimerCtl(c, TIMER_V, 3); // IMASK: ISTATUS stays, the line drops
    expect(readTimerCtl(c, TIMER_V)).toBe(7);
    expect(c.gic!.read(c, Icc.HPPIR1)).toBe(1023);
    writeTimerCtl(c, TIMER_V, 1);
    expect(c.gic!.read(c, Icc.HPPIR1)).toBe(27);
    writeTimerCval(c, TIMER_V, 1000, 0); // moving CVAL into the future drops it again
    expect(c.gic!.read(c, Icc.HPPIR1)).toBe(1023);
    expect(c.timerNextNs).toBe(16000);
  });

  it('the physical timer drives PPI 30, the EL2 timer PPI 26 (with EL2)', () => {
    const { m, clock } = machine({ el2: true });
    const c = m.c;
    clock.ns = 32;
    writeTimerCval(c, TIMER_P, 1, 0);
    writeTimerCtl(c, TIMER_P, 1);
    expect(c.gic!.read(c, Icc.HPPIR1)).toBe(30);
    writeTimerCtl(c, TIMER_P, 0);
    writeTimerCval(c, TIMER_HP, 2, 0);
    writeTimerCtl(c, TIMER_HP, 1);
    expect(c.gic!.read(c, Icc.HPPIR1)).toBe(26);
  });

  it('CNTVOFF_EL2 shifts the virtual deadline', () => {
    const { m, clock } = machine({ el2: true });
    const c = m.c;
    clock.ns = 60 * 16; // physical count 60, virtual count 10
    c.sys.set(R.CNTVOFF_EL2, 50, 0);
    writeTimerCval(c, TIMER_V, 100, 0);
    writeTimerCtl(c, TIMER_V, 1);
    expect(c.timerNextNs).toBe(150 * 16);
  });

  it('WFI sleeps until the timer deadline, then the IRQ is taken', () => {
    const { m, clock } = machine();
    const c = m.c;
    c.sys.set(R.VBAR_EL1, VBAR, 0);
    m.poke32(VBAR + 0x280, [0xd538cc00, HLT_STOP]); // mrs x0, icc_iar1_el1
    m.poke32(CODE, [
      0xd51be342, // msr cntv_cval_el0, x2
      0xd51be321, // msr cntv_ctl_el0, x1
      0xd50342ff, // msr daifclr, #2
      0xd503207f, // wfi
      0x91000400, // add x0, x0, #1
      HLT_STOP,
    ]);
    c.setX(1, 1n);
    c.setX(2, 1000n);
    m.run();
    expect(c.halted).toBe(true);
    expect(c.pc).toBe(BigInt(CODE + 16));
    expect(nextWakeNs(c)).toBe(16000);
    clock.ns = 15999;
    expect(wakeReady(c)).toBe(false);
    clock.ns = 16000;
    expect(wakeReady(c)).toBe(true);
    wake(c);
    m.run();
    expect(c.getX(0)).toBe(27n);
    expect(c.sys.get64(R.ELR_EL1)).toBe(BigInt(CODE + 16));
  });

  it('WFI with IRQs masked still wakes on the timer; the IRQ stays pending', () => {
    const { m, clock } = machine();
    const c = m.c;
    m.poke32(CODE, [
      0xd51be342, // msr cntv_cval_el0, x2
      0xd51be321, // msr cntv_ctl_el0, x1
      0xd503207f, // wfi
      0xd538c104, // mrs x4, isr_el1
      HLT_STOP,
    ]);
    c.setX(1, 1n);
    c.setX(2, 10n);
    m.run();
    expect(c.halted).toBe(true);
    clock.ns = 160;
    expect(wakeReady(c)).toBe(true);
    wake(c);
    m.run();
    expect(c.getX(4)).toBe(0x80n);
    expect(c.el).toBe(1);
  });

  it('a WFI whose wake-up is already due completes at once', () => {
    const { m, clock } = machine();
    const c = m.c;
    clock.ns = 1e6;
    m.poke32(CODE, [
      0xd51be342, // msr cntv_cval_el0, x2 (0: long past)
      0xd51be321, // msr cntv_ctl_el0, x1
      0xd503207f, // wfi
      0x91000400, // add x0, x0, #1
      HLT_STOP,
    ]);
    c.setX(1, 1n);
    m.run();
    expect(c.halted).toBe(false);
    expect(c.getX(0)).toBe(1n);
  });
});
