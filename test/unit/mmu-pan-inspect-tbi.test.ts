// Regressions: AT S1E1RP/WP honour PSTATE.PAN while S1E1R/W ignore it (FEAT_PAN2);
// the inspector's walks change no descriptor (it used to set the AF by hardware update);
// TBI applies to data addresses with stage 1 off (AArch64.TranslateAddressS1Off).
import { describe, it, expect } from 'vitest';
import { makeMachine, CODE, HLT_STOP, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, AF, AP_EL0, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { enterAt } from '../../core/a64/reset.js';
import { ACC_READ, ACC_WRITE } from '../../core/mem/mempath.js';
import { inspectTranslation, formatInspection } from '../../core/mmu/inspect.js';

const ARENA = 0x1_0000_0000n;
const G: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
const USER = 0x20_0000n; // EL0 read/write page (AP = 01)
const PSTATE_PAN = 1 << 22;

/** EL1&0 stage 1 on: CODE identity-mapped (EL1 only), USER at EL0 RW. TCR.HA per `ha`. */
function mmuOn(m: TestMachine, ha = false): TableBuilder {
  const c = m.c;
  const tb = new TableBuilder(m, G, ARENA);
  tb.map(BigInt(CODE), BigInt(CODE), 3, AF);
  tb.map(USER, 0x4010_0000n, 3, AF | AP_EL0);
  c.sys.set64(R.TCR_EL1, 16n | (1n << 23n) | (5n << 32n) | (ha ? 1n << 39n : 0n));
  c.sys.set64(R.MAIR_EL1, 0xffn);
  c.sys.set64(R.TTBR0_EL1, encodeTtbr(tb.root, 'bits48'));
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  contextChanged(c);
  return tb;
}

/** AT (SYS #0, C7, CRm, #op2, X1) on USER with PSTATE.PAN = pan; returns PAR_EL1. */
function at(crm: number, op2: number, pan: boolean): bigint {
  const m = makeMachine({ extraRam: [{ base: Number(ARENA), size: 1 << 20 }] });
  mmuOn(m);
  m.poke32(CODE, [(0xd5087000 | (crm << 8) | (op2 << 5) | 1) >>> 0, HLT_STOP]);
  enterAt(m.c, 1, BigInt(CODE));
  if (pan) m.c.pstateOther |= PSTATE_PAN;
  contextChanged(m.c);
  m.c.setX(1, USER);
  m.run(10);
  expect(m.c.excCount).toBe(0);
  return m.c.sys.get64(R.PAR_EL1);
}

describe('AT and PSTATE.PAN (FEAT_PAN2)', () => {
  // PAR_EL1 on success: PA[47:12], NS, SH = 0b00 (the page is Non-shareable), RES1 bit 11, ATTR 0xff; on fault F=1, FST, RES1.
  const OK = (0xffn << 56n) | 0x4010_0000n | (1n << 11n) | (1n << 9n);
  const PERM_L3 = 1n | (0x0fn << 1n) | (1n << 11n);
  it('AT S1E1R / S1E1W ignore PAN', () => {
    expect(at(8, 0, true) & ~(1n << 9n)).toBe(OK & ~(1n << 9n));
    expect(at(8, 1, true) & ~(1n << 9n)).toBe(OK & ~(1n << 9n));
  });
  it('AT S1E1RP / S1E1WP give a permission fault on EL0-accessible memory with PAN = 1', () => {
    expect(at(9, 0, true)).toBe(PERM_L3);
    expect(at(9, 1, true)).toBe(PERM_L3);
  });
  it('AT S1E1RP / S1E1WP translate with PAN = 0', () => {
    expect(at(9, 0, false) & ~(1n << 9n)).toBe(OK & ~(1n << 9n));
    expect(at(9, 1, false) & ~(1n << 9n)).toBe(OK & ~(1n << 9n));
  });
});

describe('inspector is side-effect free', () => {
  it('a walk that would set the AF by hardware (TCR.HA) leaves the descriptor alone and says so', () => {
    const m = makeMachine({ extraRam: [{ base: Number(ARENA), size: 1 << 20 }] });
    const tb = mmuOn(m, true);
    const slot = Number(tb.map(0x30_0000n, 0x4000_0000n, 3, 0n)); // AF = 0: 0x40000003
    expect(m.peek64(slot)).toBe(0x4000_0003n);
    const x = inspectTranslation(m.c, m.mmu, 0x30_0010n, 'read', 1);
    expect(x.ok).toBe(true);
    expect(x.pa).toBe('0x40000010');
    expect(x.levels.at(-1)?.note).toBe('AF would be set by hardware');
    expect(formatInspection(x)).toContain('(AF would be set by hardware)');
    expect(m.peek64(slot)).toBe(0x4000_0003n); // unchanged
    expect([...m.mmu.tlb.entries()].length).toBe(0); // and nothing cached
    // A real access sets it (0x40000403).
    expect(m.mmu.translate(0x30_0010, 0, ACC_READ, 1).ok).toBe(true);
    expect(m.peek64(slot)).toBe(0x4000_0403n);
  });
});

describe('TBI with stage 1 off', () => {
  const TAGGED_HI = 0x5a00_0000; // VA 0x5a00_0000_4010_0008: tag 0x5a over PA 0x4010_0008
  it('TCR_EL1.TBI0 = 1: the top byte of a data address is ignored (SCTLR_EL1.M = 0)', () => {
    const m = makeMachine();
    m.c.sys.set64(R.TCR_EL1, 1n << 37n);
    contextChanged(m.c);
    const r = m.mmu.translate(0x4010_0008, TAGGED_HI, ACC_READ, 1);
    expect(r.ok && r.pa).toBe(0x4010_0008);
  });
  it('TCR_EL1.TBI0 = 0: the same address is an Address size fault at level 0', () => {
    const m = makeMachine();
    const r = m.mmu.translate(0x4010_0008, TAGGED_HI, ACC_READ, 1);
    expect(r).toMatchObject({ ok: false, kind: 'addressSize', level: 0 });
  });
  it('TCR_EL2.TBI = 1 at EL2 (single-range regime), stage 1 off', () => {
    const m = makeMachine({ el2: true, el: 2 });
    m.c.sys.set64(R.TCR_EL2, 1n << 20n);
    contextChanged(m.c);
    const r = m.mmu.translate(0x4010_0008, TAGGED_HI, ACC_READ, 2);
    expect(r.ok && r.pa).toBe(0x4010_0008);
  });
  it('a tagged load through the CPU reads RAM', () => {
    const m = makeMachine();
    m.poke64(0x4010_0008, 0x1234_5678n);
    m.c.sys.set64(R.TCR_EL1, 1n << 37n);
    m.poke32(CODE, [0xf9400020, HLT_STOP]); // ldr x0, [x1]
    enterAt(m.c, 1, BigInt(CODE));
    m.c.setX(1, (BigInt(TAGGED_HI) << 32n) | 0x4010_0008n);
    m.run(10);
    expect(m.c.excCount).toBe(0);
    expect(m.c.getX(0)).toBe(0x1234_5678n);
  });
});

describe('inspector and dirty state', () => {
  it('inspecting a write to a writable-clean DBM page leaves AP[2] set and says the hardware would clear it', () => {
    const m = makeMachine({ extraRam: [{ base: Number(ARENA), size: 1 << 20 }] });
    const tb = mmuOn(m, true);
    m.c.sys.set64(R.TCR_EL1, m.c.sys.get64(R.TCR_EL1) | (1n << 40n)); // HD
    contextChanged(m.c);
    const slot = Number(tb.map(0x30_0000n, 0x4000_0000n, 3, AF | (2n << 6n) | (1n << 51n))); // AP[2] = 1, DBM
    const before = m.peek64(slot);
    const x = inspectTranslation(m.c, m.mmu, 0x30_0010n, 'write', 1);
    expect(x.ok).toBe(true);
    expect(x.levels.at(-1)?.note).toBe('dirty state would be set by hardware (AP[2] cleared)');
    expect(m.peek64(slot)).toBe(before);
    expect(m.mmu.translate(0x30_0010, 0, ACC_WRITE, 1).ok).toBe(true); // a real write clears AP[2]
    expect(m.peek64(slot)).toBe(before & ~(2n << 6n));
  });
});
