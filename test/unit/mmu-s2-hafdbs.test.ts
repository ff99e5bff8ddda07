// Stage-2 hardware dirty state (VTCR_EL2.HD with DBM), hardware updates of stage-1
// descriptors that need stage-2 write permission (else a stage-2 Permission fault on the
// walk: S1PTW = 1, WnR = 1), and the stage-1/stage-2 attribute combination (PAR_EL1).
import { describe, it, expect } from 'vitest';
import { makeMachine, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, AF, DBM, AP_RO, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { ACC_READ, ACC_WRITE } from '../../core/mem/mempath.js';
import { combineS1S2 } from '../../core/mmu/attrs.js';

const S2_RW = 3n << 6n;
const S2_RO = 1n << 6n;
const S2_WB = 0xfn << 2n;
const ARENA = 0x1_0000_0000n; // stage-1 tables (IPA = PA)
const S2ARENA = 0x1_0040_0000n; // stage-2 tables
const G: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
const S2G: Geometry = { grain: 12, inputSize: 40, fmt: 'bits48' };
const VA = 0x10_0000n;
const DATA_IPA = 0x4010_0000n;

interface World {
  m: TestMachine;
  s1: TableBuilder;
  s2: TableBuilder;
  /** Stage-2 leaf slots (PA) of the data page and of the stage-1 table region. */
  dataSlot: number;
  tableSlot: number;
}

/**
 * EL1&0 with stage 2: stage-1 tables in ARENA (identity IPA, 2 MiB stage-2 block with
 * `tableS2`), the data page DATA_IPA (stage-2 page with `dataS2`). VTCR.HA/HD, TCR.HA/HD on.
 */
function world(s1Leaf: bigint, dataS2: bigint, tableS2: bigint, hd = true): World {
  const m = makeMachine({ el2: true, extraRam: [{ base: Number(ARENA), size: 8 << 20 }] });
  const c = m.c;
  const s1 = new TableBuilder(m, G, ARENA);
  s1.map(VA, DATA_IPA, 3, s1Leaf);
  const s2 = new TableBuilder(m, S2G, S2ARENA, 2, 1);
  const dataSlot = Number(s2.map(DATA_IPA, DATA_IPA, 3, dataS2));
  const tableSlot = Number(s2.map(ARENA, ARENA, 2, tableS2));
  c.sys.set64(R.VTCR_EL2, 24n | (1n << 6n) | (2n << 16n) | (1n << 21n) | (hd ? 1n << 22n : 0n));
  c.sys.set64(R.VTTBR_EL2, s2.root | (1n << 48n));
  c.sys.set64(R.HCR_EL2, (1n << 31n) | 1n);
  c.sys.set64(R.TCR_EL1, 16n | (1n << 23n) | (5n << 32n) | (1n << 39n) | (1n << 40n)); // HA, HD
  c.sys.set64(R.MAIR_EL1, 0xffn);
  c.sys.set64(R.TTBR0_EL1, encodeTtbr(s1.root, 'bits48'));
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  contextChanged(c);
  return { m, s1, s2, dataSlot, tableSlot };
}

const tr = (w: World, acc: number) => w.m.mmu.translate(Number(VA), 0, acc, 1);

describe('stage-2 dirty state (VTCR_EL2.HD)', () => {
  it('a write to a stage-2 read-only DBM page succeeds and sets S2AP[1] in the descriptor', () => {
    const w = world(AF, AF | S2_RO | S2_WB | DBM, AF | S2_RW | S2_WB);
    expect(tr(w, ACC_READ).ok).toBe(true);
    expect((w.m.peek64(w.dataSlot) >> 6n) & 3n).toBe(1n); // reads leave it clean
    const r = tr(w, ACC_WRITE);
    expect(r.ok && r.pa).toBe(Number(DATA_IPA));
    expect((w.m.peek64(w.dataSlot) >> 6n) & 3n).toBe(3n);
  });
  it('without HD the same write is a stage-2 permission fault', () => {
    const w = world(AF, AF | S2_RO | S2_WB | DBM, AF | S2_RW | S2_WB, false);
    expect(tr(w, ACC_WRITE)).toMatchObject({ ok: false, kind: 'permission', stage: 2, s1ptw: false, ipa: Number(DATA_IPA) });
    expect((w.m.peek64(w.dataSlot) >> 6n) & 3n).toBe(1n);
  });
});

describe('hardware updates of stage-1 descriptors need stage-2 write permission', () => {
  it('AF update with the stage-1 tables stage-2 read-only: stage-2 permission fault, S1PTW, WnR (hwUpdate)', () => {
    const w = world(0n, AF | S2_RW | S2_WB, AF | S2_RO | S2_WB, false);
    const r = tr(w, ACC_READ);
    expect(r).toMatchObject({ ok: false, kind: 'permission', stage: 2, s1ptw: true, hwUpdate: true, level: 2 });
    expect(!r.ok && r.ipa).toBeGreaterThanOrEqual(Number(ARENA));
  });
  it('…through the CPU: ESR_EL2 has S1PTW = 1 and WnR = 1 for a load', () => {
    const w = world(0n, AF | S2_RW | S2_WB, AF | S2_RO | S2_WB, false);
    const m = w.m;
    expect(m.c.mem.translate(m.c.mem, Number(VA), 0, ACC_READ)).toBe(-1);
    expect(m.c.mem.faultS1ptw).toBe(1);
    expect(m.c.mem.faultStage2).toBe(1);
    expect(m.c.mem.faultAcc & ACC_WRITE).toBe(ACC_WRITE);
  });
  it('AF update allowed when the table page is stage-2 writable-clean (DBM, HD): it becomes dirty', () => {
    const w = world(0n, AF | S2_RW | S2_WB, AF | S2_RO | S2_WB | DBM);
    expect(tr(w, ACC_READ).ok).toBe(true);
    expect((w.m.peek64(w.tableSlot) >> 6n) & 3n).toBe(3n);
  });
  it('dirty-state update (stage-1 DBM page written) with stage-1 tables stage-2 read-only: fault, descriptor unchanged', () => {
    const w = world(AF | AP_RO | DBM, AF | S2_RW | S2_WB, AF | S2_RO | S2_WB, false);
    expect(tr(w, ACC_READ).ok).toBe(true);
    const slotBefore = [...w.m.mmu.tlb.entries()][0].descPa;
    const before = w.m.peek64(slotBefore);
    expect(tr(w, ACC_WRITE)).toMatchObject({ ok: false, kind: 'permission', stage: 2, s1ptw: true, hwUpdate: true });
    expect(w.m.peek64(slotBefore)).toBe(before);
  });
  it('the inspector reports the fault without writing anything', () => {
    const w = world(0n, AF | S2_RW | S2_WB, AF | S2_RO | S2_WB | DBM);
    const before = w.m.peek64(w.tableSlot);
    const trace: never[] = [];
    expect(w.m.mmu.translate(Number(VA), 0, ACC_READ, 1, trace).ok).toBe(true);
    expect(w.m.peek64(w.tableSlot)).toBe(before);
  });
});

describe('AArch64.CombineS1S2Desc (PAR_EL1 attributes)', () => {
  it('stage 2 Non-cacheable makes Write-Back Non-cacheable, reported Outer Shareable', () => {
    expect(combineS1S2({ attr: 0xff, sh: 3 }, 0b0101, 3)).toEqual({ attr: 0x44, sh: 2 });
  });
  it('stage 2 Device makes Normal Device; two Device types give the more restrictive', () => {
    expect(combineS1S2({ attr: 0xff, sh: 3 }, 0b0001, 3)).toEqual({ attr: 0x04, sh: 2 });
    expect(combineS1S2({ attr: 0x04, sh: 2 }, 0b0000, 3)).toEqual({ attr: 0x00, sh: 2 });
    expect(combineS1S2({ attr: 0x0c, sh: 2 }, 0b0010, 3)).toEqual({ attr: 0x08, sh: 2 });
  });
  it('stage 2 Write-Back keeps stage 1; Write-Through limits Write-Back (hints kept); shareability: the stronger', () => {
    expect(combineS1S2({ attr: 0xbb, sh: 3 }, 0b1111, 3)).toEqual({ attr: 0xbb, sh: 3 });
    expect(combineS1S2({ attr: 0xff, sh: 3 }, 0b1110, 2)).toEqual({ attr: 0xfb, sh: 2 });
    expect(combineS1S2({ attr: 0xff, sh: 0 }, 0b1111, 3)).toEqual({ attr: 0xff, sh: 3 });
  });
});
