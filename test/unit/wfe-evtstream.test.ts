// WFE on one vCPU and the generic timer's event stream (Arm ARM D11.1.5): with
// CNTKCTL_EL1.EVNTEN set, a transition of count bit EVNTI (0→1, or 1→0 with EVNTDIR)
// is an event that wakes WFE; a transition while the vCPU runs sets the event
// register (the next WFE completes at once). Host time is faked (16 ns per tick).
import { describe, expect, it } from 'vitest';
import { GicV3 } from '../../core/board/gicv3.js';
import { Icc, nextWakeNs, wake, wakeReady, WFE_MAX_SLEEP_NS } from '../../core/a64/interrupts.js';
import { CODE, HLT_STOP, makeMachine, type TestMachine } from '../helpers/cpu.js';

const MSR_CNTKCTL_X1 = 0xd518e101; // msr cntkctl_el1, x1
const WFE = 0xd503205f;
const SEVL = 0xd50320bf;
const ADD_X0 = 0x91000400; // add x0, x0, #1

function machine(prog: number[]): { m: TestMachine; clock: { ns: number } } {
  const m = makeMachine();
  const clock = { ns: 0 };
  (m.c.env as { nowNs: () => number }).nowNs = () => clock.ns;
  const gic = new GicV3(1);
  gic.attachCpu(0, m.c, 0);
  m.c.gic!.write(m.c, Icc.PMR, 0xf0, 0);
  m.poke32(CODE, prog);
  return { m, clock };
}

/** Resume a halted vCPU as the board's run loop does. */
function resume(m: TestMachine): void {
  wake(m.c);
  m.run();
}

describe('WFE and the event stream on one vCPU', () => {
  it('EVNTEN, EVNTI = 4: WFE wakes at each 0→1 transition of count bit 4 (every 32 ticks)', () => {
    const { m, clock } = machine([MSR_CNTKCTL_X1, WFE, ADD_X0, WFE, ADD_X0, HLT_STOP]);
    const c = m.c;
    c.setX(1, BigInt((4 << 4) | (1 << 2)));
    m.run();
    expect(c.halted).toBe(true);
    expect(wakeReady(c)).toBe(false);
    expect(nextWakeNs(c)).toBe(16 * 16); // count 16: bit 4 goes 0→1
    clock.ns = 255;
    expect(wakeReady(c)).toBe(false);
    clock.ns = 256;
    expect(wakeReady(c)).toBe(true);
    resume(m);
    expect(c.getX(0)).toBe(1n);
    expect(c.halted).toBe(true); // the second WFE: the next transition is at count 48
    clock.ns = 300;
    expect(wakeReady(c)).toBe(false);
    expect(nextWakeNs(c)).toBe(48 * 16);
    clock.ns = 48 * 16;
    expect(wakeReady(c)).toBe(true);
    resume(m);
    expect(c.getX(0)).toBe(2n);
    expect(c.halted).toBe(false);
  });

  it('EVNTDIR = 1 selects the 1→0 transition', () => {
    const { m, clock } = machine([MSR_CNTKCTL_X1, WFE, HLT_STOP]);
    const c = m.c;
    c.setX(1, BigInt((4 << 4) | (1 << 3) | (1 << 2)));
    m.run();
    expect(wakeReady(c)).toBe(false);
    expect(nextWakeNs(c)).toBe(32 * 16);
    clock.ns = 32 * 16 - 1;
    expect(wakeReady(c)).toBe(false);
    clock.ns = 32 * 16;
    expect(wakeReady(c)).toBe(true);
  });

  it('a transition while the vCPU runs latches the event: the next WFE completes at once', () => {
    const { m, clock } = machine([MSR_CNTKCTL_X1, WFE, ADD_X0, WFE, ADD_X0, HLT_STOP]);
    const c = m.c;
    c.setX(1, BigInt((4 << 4) | (1 << 2)));
    m.run();
    expect(wakeReady(c)).toBe(false);
    clock.ns = 256;
    expect(wakeReady(c)).toBe(true);
    wake(c);
    clock.ns = 2000; // the transition at count 48 (768 ns) passes before the next WFE
    m.run();
    expect(c.halted).toBe(true);
    expect(wakeReady(c)).toBe(true);
    resume(m);
    expect(c.getX(0)).toBe(2n);
  });

  it('without the event stream WFE sleeps to its cap; SEVL makes the next WFE complete at once', () => {
    const { m, clock } = machine([WFE, ADD_X0, SEVL, WFE, ADD_X0, HLT_STOP]);
    const c = m.c;
    m.run();
    expect(c.halted).toBe(true);
    expect(wakeReady(c)).toBe(false);
    expect(nextWakeNs(c)).toBe(WFE_MAX_SLEEP_NS);
    clock.ns = WFE_MAX_SLEEP_NS - 1;
    expect(wakeReady(c)).toBe(false);
    clock.ns = WFE_MAX_SLEEP_NS;
    expect(wakeReady(c)).toBe(true);
    resume(m);
    expect(c.halted).toBe(false);
    expect(c.getX(0)).toBe(2n);
  });
});
