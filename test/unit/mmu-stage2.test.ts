// Stage 2 (VTCR_EL2/VTTBR_EL2): concatenated start tables, S1PTW faults, stage-2 faults with the
// IPA for HPFAR_EL2 — the "hypervisor's stage-2 tables fault on the PCI ECAM window" case.
import { describe, it, expect } from 'vitest';
import { makeMachine, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, AF, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { ACC_READ, ACC_WRITE, ACC_EXEC } from '../../core/mem/mempath.js';

const S2_RW = 3n << 6n; // S2AP
const S2_RO = 1n << 6n;
const S2_NORMAL = 0xfn << 2n; // MemAttr: Normal write-back
const S2_XN = 2n << 53n; // XN[1]
const ARENA = 0x1_0000_0000n;
const ECAM_HIGH = 0x40_1000_0000n;

function machine(): TestMachine {
  return makeMachine({ el2: true, extraRam: [{ base: Number(ARENA), size: 8 << 20 }] });
}

/** 4K granule, 40-bit IPA, SL0=1: start at level 1 with two concatenated tables. */
const S2G: Geometry = { grain: 12, inputSize: 40, fmt: 'bits48' };

function stage2(m: TestMachine): TableBuilder {
  const tb = new TableBuilder(m, S2G, ARENA, 2, 1);
  const vtcr = 24n | (1n << 6n) | (0n << 14n) | (2n << 16n); // T0SZ=24, SL0=1, TG0=4K, PS=40-bit
  m.c.sys.set64(R.VTCR_EL2, vtcr);
  m.c.sys.set64(R.VTTBR_EL2, tb.root | (7n << 48n)); // VMID 7
  m.c.sys.set64(R.HCR_EL2, (1n << 31n) | 1n); // RW, VM
  contextChanged(m.c);
  return tb;
}

function tr(m: TestMachine, va: bigint, acc = ACC_READ) {
  return m.mmu.translate(Number(va & 0xffffffffn) | 0, Number(va >> 32n) | 0, acc, 1);
}

describe('stage 2', () => {
  it('translates IPA→PA with concatenated start tables (IPA bit 39 selects the second table)', () => {
    const m = machine();
    const s2 = stage2(m);
    const ipa = 0x80_1234_5000n; // bit 39 set
    s2.map(ipa, 0x4000_7000n, 3, AF | S2_RW | S2_NORMAL);
    const r = tr(m, ipa + 0x18n);
    expect(r.ok && r.pa.toString(16)).toBe('40007018');
    expect(r.ok && r.entry.vmid).toBe(7);
  });

  it('reports a stage-2 fault with the IPA for an unmapped PCI ECAM window at 0x40_1000_0000', () => {
    const m = machine();
    const s2 = stage2(m);
    s2.map(0x4000_0000n, 0x4000_0000n, 2, AF | S2_RW | S2_NORMAL); // RAM only
    const r = tr(m, ECAM_HIGH + 0x8n);
    expect(r).toMatchObject({ ok: false, kind: 'translation', stage: 2, s1ptw: false, ipa: Number(ECAM_HIGH + 0x8n) });
  });

  it('stage-2 permissions: read-only and execute-never', () => {
    const m = machine();
    const s2 = stage2(m);
    s2.map(0x4000_0000n, 0x4000_0000n, 3, AF | S2_RO | S2_NORMAL | S2_XN);
    expect(tr(m, 0x4000_0000n).ok).toBe(true);
    expect(tr(m, 0x4000_0000n, ACC_WRITE)).toMatchObject({ ok: false, kind: 'permission', stage: 2 });
    expect(tr(m, 0x4000_0000n, ACC_EXEC)).toMatchObject({ ok: false, kind: 'permission', stage: 2 });
  });

  it('walks stage-1 tables through stage 2, and faults with S1PTW when a table IPA is unmapped', () => {
    const m = machine();
    const s2 = stage2(m);
    // Stage-1 tables live at IPA 0x2000_0000.., which stage 2 maps to PA ARENA + 4 MiB.
    const s1g: Geometry = { grain: 12, inputSize: 39, fmt: 'bits48' };
    const s1TablesPa = ARENA + 0x40_0000n;
    const s1TablesIpa = 0x2000_0000n;
    const s1 = new TableBuilder(m, s1g, s1TablesPa);
    const va = 0x12_3456_7000n;
    // The builder writes physical addresses into table descriptors; rewrite them as IPAs.
    s1.map(va, 0x4000_0000n, 3);
    for (let off = 0n; off < 0x10_000n; off += 8n) {
      const pa = s1TablesPa + off;
      const d = m.peek64(Number(pa));
      if ((d & 3n) === 3n && (d & ((1n << 48n) - 4096n)) >= s1TablesPa && (d & ((1n << 48n) - 4096n)) < s1TablesPa + 0x10_0000n) {
        m.poke64(Number(pa), d - s1TablesPa + s1TablesIpa);
      }
    }
    m.c.sys.set64(R.TCR_EL1, 25n | (1n << 23n) | (5n << 32n));
    m.c.sys.set64(R.TTBR0_EL1, encodeTtbr(s1TablesIpa, 'bits48'));
    m.c.sys.set64(R.MAIR_EL1, 0xffn);
    m.c.sys.set64(R.SCTLR_EL1, m.c.sys.get64(R.SCTLR_EL1) | 1n);
    contextChanged(m.c);
    // Without a stage-2 mapping for the table IPAs: S1PTW fault at stage 2.
    const f = tr(m, va);
    expect(f).toMatchObject({ ok: false, stage: 2, s1ptw: true });
    // The faulting IPA is the level-1 descriptor's address (HPFAR_EL2 reports its page).
    expect(!f.ok && f.ipa).toBe(Number(s1TablesIpa) + Number((va >> 30n) & 511n) * 8);
    s2.map(s1TablesIpa, s1TablesPa, 2, AF | S2_RW | S2_NORMAL);
    m.mmu.invalidateAll();
    // Output IPA 0x4000_0000 is not mapped at stage 2 yet: stage-2 fault on the output, not S1PTW.
    expect(tr(m, va)).toMatchObject({ ok: false, stage: 2, s1ptw: false, ipa: 0x4000_0000 });
    s2.map(0x4000_0000n, 0x4080_0000n, 2, AF | S2_RW | S2_NORMAL);
    m.mmu.invalidateAll();
    const r = tr(m, va + 0x44n);
    expect(r.ok && r.pa.toString(16)).toBe('40800044');
  });
});

describe('AT with a stage-2 fault on its stage-1 walk', () => {
  // AArch64.FaultSyndrome for AccessType_AT: an AT from EL1 whose stage-1 table walk faults at
  // stage 2 is not reported in PAR_EL1 but taken to EL2 as a Data Abort with S1PTW, CM and WnR set.
  it('AT S1E1R at EL1 takes a Data Abort to EL2 (S1PTW, CM=1, WnR=1) with HPFAR = the table IPA', async () => {
    const { makeMachine, CODE, HLT_STOP } = await import('../helpers/cpu.js');
    const m = makeMachine({ el2: true, extraRam: [{ base: Number(ARENA), size: 8 << 20 }] });
    const s2 = stage2(m);
    // Stage 2: identity for RAM at 0x4000_0000 (code, stage-1 TTBR0 tables); nothing at IPA 0x3000_0000.
    s2.map(0x4000_0000n, 0x4000_0000n, 2, AF | S2_RW | S2_NORMAL);
    s2.map(0x4020_0000n, 0x4020_0000n, 2, AF | S2_RW | S2_NORMAL);
    // Stage 1 TTBR0: identity 2 MiB blocks over the code; tables in RAM at 0x4020_0000 (an IPA = PA).
    const s1 = new TableBuilder(m, { grain: 12, inputSize: 39, fmt: 'bits48' }, 0x4020_0000n);
    s1.map(0x4000_0000n, 0x4000_0000n, 2, AF | (1n << 2n));
    const c = m.c;
    const vbar = CODE + 0x800;
    m.poke32(CODE, [0xd5087800, HLT_STOP]); // at s1e1r, x0
    m.poke32(vbar + 0x400, [HLT_STOP]); // EL2 vector: lower EL, synchronous
    c.sys.set64(R.VBAR_EL2, BigInt(vbar));
    c.sys.set64(R.MAIR_EL1, 0xff00n);
    // T0SZ=25 (TTBR0), T1SZ=25 (TTBR1, tables at unmapped IPA 0x3000_0000), TG1 = 4K, IPS 40 bits.
    c.sys.set64(R.TCR_EL1, 25n | (25n << 16n) | (2n << 30n) | (2n << 32n));
    c.sys.set64(R.TTBR0_EL1, s1.root);
    c.sys.set64(R.TTBR1_EL1, 0x3000_0000n);
    c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
    contextChanged(c);
    c.setX(0, 0xffff_ff80_1234_5000n);
    m.run();
    expect(c.el).toBe(2);
    const esr = c.sys.get64(R.ESR_EL2);
    expect(esr >> 26n).toBe(0x24n); // Data Abort from a lower EL
    expect((esr >> 7n) & 1n).toBe(1n); // S1PTW
    expect((esr >> 8n) & 1n).toBe(1n); // CM
    expect((esr >> 6n) & 1n).toBe(1n); // WnR
    expect(c.sys.get64(R.HPFAR_EL2)).toBe(0x3000_0000n >> 8n); // FIPA = IPA[51:12] << 4
    expect(c.sys.get64(R.PAR_EL1)).toBe(0n); // PAR untouched
  });
});

describe('fault order: stage 1 before stage 2 (AArch64.FullTranslate)', () => {
  // Regression (found by mmu_at_regimes): an EL0 access to an EL1-only page whose output IPA has no
  // stage-2 mapping was reported as the stage-2 translation fault; stage 1's permission fault comes first.
  it('EL0 read of an EL1-only page with an unmapped output IPA: stage-1 permission fault', () => {
    const m = machine();
    const s2 = stage2(m);
    s2.map(ARENA + 0x40_0000n, ARENA + 0x40_0000n, 2, AF | S2_RW | S2_NORMAL); // stage-1 tables only
    const s1 = new TableBuilder(m, { grain: 12, inputSize: 39, fmt: 'bits48' }, ARENA + 0x40_0000n);
    s1.map(0x10_0000n, 0x0900_0000n, 3, AF); // AP = 00: EL1 only; IPA 0x0900_0000 not in stage 2
    m.c.sys.set64(R.TCR_EL1, 25n | (1n << 23n) | (2n << 32n));
    m.c.sys.set64(R.TTBR0_EL1, s1.root);
    m.c.sys.set64(R.MAIR_EL1, 0xffn);
    m.c.sys.set64(R.SCTLR_EL1, m.c.sys.get64(R.SCTLR_EL1) | 1n);
    contextChanged(m.c);
    expect(m.mmu.translate(0x10_0000, 0, ACC_READ, 0)).toMatchObject({ ok: false, kind: 'permission', stage: 1, level: 3 });
    expect(tr(m, 0x10_0000n)).toMatchObject({ ok: false, kind: 'translation', stage: 2, ipa: 0x0900_0000 });
  });
});
