// Fault levels that do not come from a descriptor, with FEAT_LPA2 (TCR_EL1.DS=1) and the
// 4K granule, where walks may start at level -1.
//
// Arm ARM pseudocode AArch64.S1Translate: a VA outside the range TxSZ defines gives
// `fault.statuscode = Fault_Translation; fault.level = 0` (as do S1TxSZFaults and E0PD);
// AArch64.S1Walk gives the same for a walk disabled by TCR_ELx.EPDn. Level 0 whatever the
// start level: only a descriptor read at level -1 reports level -1 (FSC 0b101011).
// QEMU 7.2 agrees (found by resources/guest/tests/mmu_matrix_52bit.c: "va0 out", "va1 out",
// "epd1" lines). Also the TTBR1 range of that program starts at level 1 (T1SZ=25): a
// level -1 fault there cannot be right under any reading.
import { describe, it, expect } from 'vitest';
import { makeMachine, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, type Geometry } from '../helpers/pagetables.js';
import { getModel, type CpuModel } from '../../core/a64/models.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { ACC_READ } from '../../core/mem/mempath.js';
import { faultStatusCode } from '../../core/mmu/mmu.js';

function model52(): CpuModel {
  const m = getModel('max');
  return { ...m, name: 'test52', paBits: 52, features: { ...m.features, lpa: true, lpa2: true, lva: true } };
}

const ARENA = 0x1_0000_0000;

function machine(): TestMachine {
  return makeMachine({ model: model52(), extraRam: [{ base: ARENA, size: 8 << 20 }] });
}

const g52: Geometry = { grain: 12, inputSize: 52, fmt: 'ds' };

/** TCR_EL1: 4K both ranges, DS=1, IPS 52, T0SZ/T1SZ as given. */
function tcr(t0: number, t1: number, extra = 0n): bigint {
  return BigInt(64 - t0) | (BigInt(64 - t1) << 16n) | (2n << 30n) | (6n << 32n) | (1n << 59n) | extra;
}

function enable(m: TestMachine, tcrv: bigint, root0: bigint, root1: bigint): void {
  const c = m.c;
  c.sys.set64(R.TCR_EL1, tcrv);
  c.sys.set64(R.TTBR0_EL1, encodeTtbr(root0, 'ds'));
  c.sys.set64(R.TTBR1_EL1, encodeTtbr(root1, 'ds'));
  c.sys.set64(R.MAIR_EL1, 0xffn);
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  contextChanged(c);
}

function fsc(m: TestMachine, va: bigint): number | string {
  const r = m.mmu.translate(Number(va & 0xffffffffn) | 0, Number(va >> 32n) | 0, ACC_READ, 1);
  return r.ok ? 'ok' : faultStatusCode(r.kind, r.level);
}

describe('LPA2 4K: translation faults outside a walk are level 0 (AArch64.S1Translate)', () => {
  it('VA above the 52-bit TTBR0 range: FSC 0x04, not 0x2b', () => {
    const m = machine();
    const t0 = new TableBuilder(m, g52, BigInt(ARENA));
    const t1 = new TableBuilder(m, { grain: 12, inputSize: 39, fmt: 'ds' }, BigInt(ARENA + (4 << 20)));
    enable(m, tcr(52, 39), t0.root, t1.root);
    expect(fsc(m, 1n << 52n)).toBe(0x04);
  });

  it('VA below a 39-bit TTBR1 range (start level 1): FSC 0x04', () => {
    const m = machine();
    const t0 = new TableBuilder(m, g52, BigInt(ARENA));
    const t1 = new TableBuilder(m, { grain: 12, inputSize: 39, fmt: 'ds' }, BigInt(ARENA + (4 << 20)));
    enable(m, tcr(52, 39), t0.root, t1.root);
    expect(fsc(m, ((~0n << 39n) - 8n) & 0xffff_ffff_ffff_ffffn)).toBe(0x04);
  });

  it('TCR_EL1.EPD1 with a 52-bit TTBR1 range (start level -1): FSC 0x04', () => {
    const m = machine();
    const t0 = new TableBuilder(m, g52, BigInt(ARENA));
    const t1 = new TableBuilder(m, g52, BigInt(ARENA + (4 << 20)));
    enable(m, tcr(52, 52, 1n << 23n), t0.root, t1.root);
    expect(fsc(m, 0xfff0_0000_0000_0000n)).toBe(0x04);
  });

  it('an invalid level -1 descriptor still reports level -1: FSC 0x2b', () => {
    const m = machine();
    const t0 = new TableBuilder(m, g52, BigInt(ARENA));
    const t1 = new TableBuilder(m, g52, BigInt(ARENA + (4 << 20)));
    enable(m, tcr(52, 52), t0.root, t1.root);
    expect(fsc(m, 0x9_0000_0000_0000n)).toBe(0x2b);
  });
});
