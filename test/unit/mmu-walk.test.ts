// Stage-1 walks built programmatically across granule × VA size × OA format × leaf level,
// with tables and output addresses above 4 GiB and above 2^48 (the QEMU issue 2585 bug class:
// address bits lost in descriptor/table address arithmetic). Expected PAs come from the
// table builder (test/helpers/pagetables.ts), which encodes descriptors from the Arm ARM layout.
import { describe, it, expect } from 'vitest';
import { makeMachine, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, startLevel, AF, AP_RO, AP_EL0, UXN, PXN, NG, type Geometry } from '../helpers/pagetables.js';
import { getModel, type CpuModel } from '../../core/a64/models.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { ACC_READ, ACC_WRITE, ACC_EXEC, ACC_UNPRIV } from '../../core/mem/mempath.js';
import { faultStatusCode } from '../../core/mmu/mmu.js';

/** A CPU with every MMU feature: 52-bit PA, FEAT_LPA, FEAT_LPA2, FEAT_LVA, FEAT_HAFDBS. */
function model52(): CpuModel {
  const m = getModel('max');
  return {
    ...m,
    name: 'test52',
    paBits: 52,
    // PARange 52 (6); TGran4 = 1 (52-bit), TGran16 = 2 (52-bit), TGran64 = 0.
    id: { ...m.id, ID_AA64MMFR0_EL1: (1n << 28n) | (0n << 24n) | (2n << 20n) | 6n },
    features: { ...m.features, lpa: true, lpa2: true, lva: true, hafdbs: true },
  };
}

const HIGH_ARENA_4G = 0x1_0000_0000n; // tables above 4 GiB
const HIGH_ARENA_2_48 = 0x8_0000_0000_0000n; // tables above 2^48 (needs 52-bit PA)

function machine(): TestMachine {
  return makeMachine({
    model: model52(),
    extraRam: [
      { base: Number(HIGH_ARENA_4G), size: 8 << 20 },
      { base: Number(HIGH_ARENA_2_48), size: 8 << 20 },
    ],
  });
}

const TG0 = { 12: 0n, 16: 1n, 14: 2n } as const;
const TG1 = { 14: 1n, 12: 2n, 16: 3n } as const;

/** TCR_EL1 for a TTBR0-only geometry (EPD1 set), IPS from the OA format. */
function tcrFor(g: Geometry, extra = 0n): bigint {
  const ips = g.fmt === 'bits48' ? 5n : 6n;
  return BigInt(64 - g.inputSize) | (TG0[g.grain] << 14n) | (1n << 23n) | (ips << 32n) | (g.fmt === 'ds' ? 1n << 59n : 0n) | extra;
}

function enableMmu(m: TestMachine, g: Geometry, root: bigint, tcr = tcrFor(g)): void {
  const c = m.c;
  c.sys.set64(R.TCR_EL1, tcr);
  c.sys.set64(R.TTBR0_EL1, encodeTtbr(root, g.fmt));
  c.sys.set64(R.MAIR_EL1, 0xffn); // Attr0 = Normal write-back
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  contextChanged(c);
}

function translate(m: TestMachine, va: bigint, acc = ACC_READ, el = 1) {
  return m.mmu.translate(Number(va & 0xffffffffn) | 0, Number(va >> 32n) | 0, acc, el);
}

interface Case {
  name: string;
  g: Geometry;
  level: number;
  oa: bigint;
  arena: bigint;
}

const GEOMETRIES: Geometry[] = [
  { grain: 12, inputSize: 48, fmt: 'bits48' },
  { grain: 12, inputSize: 39, fmt: 'bits48' },
  { grain: 12, inputSize: 32, fmt: 'bits48' },
  { grain: 12, inputSize: 52, fmt: 'ds' },
  { grain: 14, inputSize: 48, fmt: 'bits48' },
  { grain: 14, inputSize: 47, fmt: 'bits48' },
  { grain: 14, inputSize: 36, fmt: 'bits48' },
  { grain: 14, inputSize: 52, fmt: 'ds' },
  { grain: 16, inputSize: 48, fmt: 'bits48' },
  { grain: 16, inputSize: 42, fmt: 'bits48' },
  { grain: 16, inputSize: 52, fmt: 'lpa64k' },
];

function leafLevels(g: Geometry): number[] {
  const start = startLevel(g);
  const blocks: Record<number, number[]> = {
    12: g.fmt === 'ds' ? [0, 1, 2] : [1, 2],
    14: g.fmt === 'ds' ? [1, 2] : [2],
    16: g.fmt === 'lpa64k' ? [1, 2] : [2],
  };
  return [...blocks[g.grain].filter((l) => l >= start), 3];
}

const cases: Case[] = [];
for (const g of GEOMETRIES) {
  const wide = g.fmt !== 'bits48';
  for (const level of leafLevels(g)) {
    const size = 1n << BigInt(g.grain + (3 - level) * (g.grain - 3));
    // Output addresses with bits set just below the OA size, in the 4 GiB .. 2^48 .. 2^52 ranges.
    const oaRaw = wide ? 0xf_8765_4321_0000_0n >> 4n : 0x8765_4321_0000n;
    const oa = (oaRaw / size) * size;
    for (const arena of wide ? [HIGH_ARENA_4G, HIGH_ARENA_2_48] : [HIGH_ARENA_4G]) {
      cases.push({
        name: `${1 << (g.grain - 10)}K ${g.inputSize}-bit VA ${g.fmt} level ${level} tables@0x${arena.toString(16)}`,
        g,
        level,
        oa,
        arena,
      });
    }
  }
}

describe('stage-1 walk matrix', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, tc) => {
    const m = machine();
    const tb = new TableBuilder(m, tc.g, tc.arena);
    const vaMask = (1n << BigInt(tc.g.inputSize)) - 1n;
    const va = 0x000f_a5c3_9e17_6b2an & vaMask;
    const size = 1n << BigInt(tc.g.grain + (3 - tc.level) * (tc.g.grain - 3));
    tb.map(va, tc.oa, tc.level);
    enableMmu(m, tc.g, tb.root);
    const r = translate(m, va);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) {
      expect(BigInt(r.pa).toString(16)).toBe((tc.oa + (va % size)).toString(16));
      expect(r.entry.s1Level).toBe(tc.level);
    }
    // Neighbouring address in the same leaf translates through the architectural TLB.
    const va2 = va ^ (size >> 1n);
    const r2 = translate(m, va2);
    expect(r2.ok && BigInt(r2.pa).toString(16)).toBe((tc.oa + (va2 % size)).toString(16));
  });
});

describe('stage-1 faults', () => {
  const g: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
  const va = 0x0000_1234_5678_9000n;

  it('translation fault at the level of the invalid descriptor', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    tb.map(va ^ (1n << 20n), 0x4000_0000n, 3); // builds levels 0..2 for a neighbour only
    enableMmu(m, g, tb.root);
    const r = translate(m, va);
    expect(r).toMatchObject({ ok: false, kind: 'translation', level: 3 });
    expect(faultStatusCode('translation', 3)).toBe(0x07);
  });

  it('address size fault when the output address exceeds TCR.IPS', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    tb.map(va, 0x100_0000_0000n, 3); // 2^40: above a 40-bit IPS
    enableMmu(m, g, tb.root, (tcrFor(g) & ~(7n << 32n)) | (2n << 32n));
    expect(translate(m, va)).toMatchObject({ ok: false, kind: 'addressSize', level: 3 });
  });

  it('48-bit format: descriptor bits [51:48] are not address bits (AArch64.LeafBase)', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    tb.map(va, 0x4000_0000n | (1n << 48n), 2);
    enableMmu(m, g, tb.root);
    const r = translate(m, va);
    expect(r.ok && r.pa).toBe(0x4000_0000 + Number(va % (1n << 21n)));
  });

  it('address size fault when a table address exceeds TCR.IPS', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G); // tables at 4 GiB: beyond a 32-bit IPS
    tb.map(va, 0x4000_0000n, 3);
    enableMmu(m, g, tb.root, (tcrFor(g) & ~(7n << 32n)) | (0n << 32n));
    expect(translate(m, va)).toMatchObject({ ok: false, kind: 'addressSize', level: 0 });
  });

  it('access flag fault without TCR.HA; hardware sets AF with TCR.HA', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    const slot = tb.map(va, 0x4000_0000n, 3, 0n);
    enableMmu(m, g, tb.root);
    expect(translate(m, va)).toMatchObject({ ok: false, kind: 'accessFlag', level: 3 });
    enableMmu(m, g, tb.root, tcrFor(g) | (1n << 39n));
    expect(translate(m, va).ok).toBe(true);
    expect(m.peek64(Number(slot)) & AF).toBe(AF);
  });

  it('dirty-bit management: DBM + AP[2] page becomes writable and AP[2] is cleared', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    const slot = tb.map(va, 0x4000_0000n, 3, AF | AP_RO | (1n << 51n));
    enableMmu(m, g, tb.root);
    expect(translate(m, va, ACC_WRITE)).toMatchObject({ ok: false, kind: 'permission' });
    enableMmu(m, g, tb.root, tcrFor(g) | (1n << 39n) | (1n << 40n));
    m.mmu.invalidateAll();
    expect(translate(m, va, ACC_WRITE).ok).toBe(true);
    expect(m.peek64(Number(slot)) & AP_RO).toBe(0n);
  });

  it('permissions: read-only, EL0 access, UXN, PXN, EL0-writable implies PXN, PAN', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    const ro = 0x10_0000n;
    const user = 0x20_0000n;
    const uxn = 0x30_0000n;
    const pxn = 0x40_0000n;
    tb.map(ro, 0x4000_0000n, 3, AF | AP_RO);
    tb.map(user, 0x4000_1000n, 3, AF | AP_EL0);
    tb.map(uxn, 0x4000_2000n, 3, AF | AP_EL0 | AP_RO | UXN);
    tb.map(pxn, 0x4000_3000n, 3, AF | PXN);
    enableMmu(m, g, tb.root);
    expect(translate(m, ro, ACC_WRITE)).toMatchObject({ ok: false, kind: 'permission', level: 3 });
    expect(translate(m, ro, ACC_READ, 0)).toMatchObject({ ok: false, kind: 'permission' });
    expect(translate(m, user, ACC_WRITE, 0).ok).toBe(true);
    expect(translate(m, user, ACC_EXEC, 1)).toMatchObject({ ok: false, kind: 'permission' }); // writable at EL0 → PXN
    expect(translate(m, uxn, ACC_EXEC, 0)).toMatchObject({ ok: false, kind: 'permission' });
    expect(translate(m, uxn, ACC_EXEC, 1).ok).toBe(true);
    expect(translate(m, pxn, ACC_EXEC, 1)).toMatchObject({ ok: false, kind: 'permission' });
    m.c.pstateOther |= 1 << 22; // PSTATE.PAN
    expect(translate(m, user, ACC_READ, 1)).toMatchObject({ ok: false, kind: 'permission' });
    expect(translate(m, user, ACC_READ | ACC_UNPRIV, 1).ok).toBe(true); // LDTR is not subject to PAN
  });

  it('APTable[0] removes EL0 access below a table', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    tb.map(va, 0x4000_0000n, 3, AF | AP_EL0, 1n << 61n);
    enableMmu(m, g, tb.root);
    expect(translate(m, va, ACC_READ, 0)).toMatchObject({ ok: false, kind: 'permission' });
    expect(translate(m, va, ACC_READ, 1).ok).toBe(true);
  });

  it('VA outside the TTBR0 range gives a level-0 translation fault', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    enableMmu(m, g, tb.root);
    expect(translate(m, 1n << 48n)).toMatchObject({ ok: false, kind: 'translation', level: 0 });
  });

  it('TTBR1 translates the upper range (TG1 encodings differ from TG0)', () => {
    const m = machine();
    const g16: Geometry = { grain: 14, inputSize: 47, fmt: 'bits48' };
    const tb = new TableBuilder(m, g16, HIGH_ARENA_4G);
    const kva = 0xffff_8000_1234_4000n;
    tb.map(kva & ((1n << 47n) - 1n), 0x4000_4000n, 3);
    const tcr = (17n << 16n) | (TG1[14] << 30n) | (1n << 7n) | (5n << 32n); // T1SZ=17, TG1=16K, EPD0
    m.c.sys.set64(R.TTBR1_EL1, encodeTtbr(tb.root, 'bits48'));
    enableMmu(m, g16, 0n, tcr);
    m.c.sys.set64(R.TTBR1_EL1, encodeTtbr(tb.root, 'bits48'));
    const r = translate(m, kva + 0x10n);
    expect(r.ok && r.pa.toString(16)).toBe('40004010');
    expect(translate(m, 0x1234_4000n)).toMatchObject({ ok: false, kind: 'translation', level: 0 }); // EPD0
  });
});

describe('architectural TLB', () => {
  const g: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
  const va = 0x7_0000n;

  it('keeps a stale translation until a TLB invalidation, like hardware', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    tb.map(va, 0x4000_0000n, 3);
    enableMmu(m, g, tb.root);
    expect(translate(m, va).ok && (translate(m, va) as { pa: number }).pa).toBe(0x4000_0000);
    tb.map(va, 0x4000_5000n, 3); // remap without TLBI
    expect((translate(m, va) as { pa: number }).pa).toBe(0x4000_0000);
    m.c.mem.flushTlb(); // what TLBI VMALLE1 does today
    expect((translate(m, va) as { pa: number }).pa).toBe(0x4000_5000);
  });

  it('tags non-global entries with the ASID', () => {
    const m = machine();
    const tb = new TableBuilder(m, g, HIGH_ARENA_4G);
    tb.map(va, 0x4000_0000n, 3, AF | NG);
    enableMmu(m, g, tb.root);
    expect((translate(m, va) as { pa: number }).pa).toBe(0x4000_0000);
    tb.map(va, 0x4000_6000n, 3, AF | NG);
    m.c.sys.set64(R.TTBR0_EL1, encodeTtbr(tb.root, 'bits48', 5n)); // switch to ASID 5: no entry yet
    contextChanged(m.c);
    expect((translate(m, va) as { pa: number }).pa).toBe(0x4000_6000);
    m.c.sys.set64(R.TTBR0_EL1, encodeTtbr(tb.root, 'bits48', 0n)); // back to ASID 0: the old entry is still cached
    contextChanged(m.c);
    expect((translate(m, va) as { pa: number }).pa).toBe(0x4000_0000);
  });
});
