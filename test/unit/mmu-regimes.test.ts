// The walk matrix across translation regimes: EL1&0, EL2 (E2H = 0) and EL3 × granule ×
// leaf level × contiguous hint (a full, correctly programmed contiguous group: results must
// be the same as without the hint, no coalescing needed), plus SCTLR_ELx.WXN and TBI on data
// accesses (TCR_EL1.TBI0 / TCR_ELx.TBI) in every regime. Expected PAs come from the table
// builder (test/helpers/pagetables.ts), not from the walker.
import { describe, it, expect } from 'vitest';
import { makeMachine, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, startLevel, AF, AP_RO, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { ACC_READ, ACC_EXEC } from '../../core/mem/mempath.js';
import { REGIME_NAMES } from '../../core/mmu/params.js';

const ARENA = 0x1_0000_0000n;
const CONT = 1n << 52n;
const TG0 = { 12: 0n, 16: 1n, 14: 2n } as const;

interface RegimeCase {
  el: number;
  name: string;
  tcr: number;
  ttbr: number;
  sctlr: number;
  mair: number;
  /** TCR value for T0SZ = 16, TG0, 48-bit output, optional TBI. */
  tcrValue(tg0: bigint, tbi: boolean): bigint;
}

const REGIMES: RegimeCase[] = [
  {
    el: 1,
    name: 'EL1&0',
    tcr: R.TCR_EL1,
    ttbr: R.TTBR0_EL1,
    sctlr: R.SCTLR_EL1,
    mair: R.MAIR_EL1,
    // EPD1, IPS = 48 bits [34:32], TBI0 [37].
    tcrValue: (tg0, tbi) => 16n | (tg0 << 14n) | (1n << 23n) | (5n << 32n) | (tbi ? 1n << 37n : 0n),
  },
  {
    el: 2,
    name: 'EL2',
    tcr: R.TCR_EL2,
    ttbr: R.TTBR0_EL2,
    sctlr: R.SCTLR_EL2,
    mair: R.MAIR_EL2,
    // PS = 48 bits [18:16], TBI [20].
    tcrValue: (tg0, tbi) => 16n | (tg0 << 14n) | (5n << 16n) | (tbi ? 1n << 20n : 0n),
  },
  {
    el: 3,
    name: 'EL3',
    tcr: R.TCR_EL3,
    ttbr: R.TTBR0_EL3,
    sctlr: R.SCTLR_EL3,
    mair: R.MAIR_EL3,
    tcrValue: (tg0, tbi) => 16n | (tg0 << 14n) | (5n << 16n) | (tbi ? 1n << 20n : 0n),
  },
];

function setup(rc: RegimeCase, g: Geometry, tbi = false, sctlrExtra = 0n): { m: TestMachine; tb: TableBuilder } {
  const m = makeMachine({ el2: true, el3: true, el: rc.el, extraRam: [{ base: Number(ARENA), size: 16 << 20 }] });
  const tb = new TableBuilder(m, g, ARENA);
  const c = m.c;
  c.sys.set64(rc.tcr, rc.tcrValue(TG0[g.grain], tbi));
  c.sys.set64(rc.ttbr, encodeTtbr(tb.root, 'bits48'));
  c.sys.set64(rc.mair, 0xffn);
  c.sys.set64(rc.sctlr, c.sys.get64(rc.sctlr) | 1n | sctlrExtra);
  contextChanged(c);
  return { m, tb };
}

/** Entries in a contiguous group (Arm ARM D8.6.1): 4K 16; 16K 128 pages, 32 level-2 blocks; 64K 32. */
function contiguousCount(grain: number, level: number): number {
  if (grain === 12) return 16;
  if (grain === 14) return level === 3 ? 128 : 32;
  return 32;
}

const LEAVES: { grain: 12 | 14 | 16; levels: number[] }[] = [
  { grain: 12, levels: [1, 2, 3] },
  { grain: 14, levels: [2, 3] },
  { grain: 16, levels: [1, 2, 3] }, // level-1 blocks with 64K: PAMax 52 (max)
];

describe('walk matrix: regime × granule × leaf level × contiguous hint', () => {
  for (const rc of REGIMES) {
    for (const { grain, levels } of LEAVES) {
      const g: Geometry = { grain, inputSize: 48, fmt: 'bits48' };
      for (const level of levels) {
        for (const contiguous of [false, true]) {
          if (contiguous && grain === 16 && level === 1) continue; // no contiguous 64K level-1 blocks
          it(`${rc.name} ${2 ** (grain - 10)}K level ${level}${contiguous ? ' contiguous' : ''} (start level ${startLevel(g)})`, () => {
            const { m, tb } = setup(rc, g);
            const size = 1n << BigInt(grain + (3 - level) * (grain - 3));
            const n = contiguous ? contiguousCount(grain, level) : 1;
            // VA 2^46 and OA 2^43: aligned for every leaf size and contiguous group here.
            const vaBase = 0x4000_0000_0000n;
            const oaBase = 0x800_0000_0000n;
            for (let k = 0n; k < BigInt(n); k++) tb.map(vaBase + k * size, oaBase + k * size, level, AF | (contiguous ? CONT : 0n));
            for (const k of contiguous ? [0n, BigInt(n - 1)] : [0n]) {
              const off = size / 2n + 8n;
              const va = vaBase + k * size + off;
              const r = m.mmu.translate(Number(va & 0xffffffffn) | 0, Number(va >> 32n), ACC_READ, rc.el);
              expect(r.ok, `VA ${va.toString(16)}`).toBe(true);
              if (!r.ok) return;
              expect(BigInt(r.pa)).toBe(oaBase + k * size + off);
              expect(REGIME_NAMES[r.entry.regime]).toBe(rc.name);
              expect(r.entry.s1Level).toBe(level);
              expect(r.entry.s1?.contiguous).toBe(contiguous ? 1 : 0);
            }
          });
        }
      }
    }
  }
});

describe('SCTLR_ELx.WXN in every regime', () => {
  const g: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
  for (const rc of REGIMES) {
    it(`${rc.name}: writable memory is never executable with WXN; read-only memory is`, () => {
      const { m, tb } = setup(rc, g, false, 1n << 19n);
      tb.map(0x10_0000n, 0x4010_0000n, 3, AF); // writable
      tb.map(0x10_1000n, 0x4010_1000n, 3, AF | AP_RO); // read-only
      expect(m.mmu.translate(0x10_0000, 0, ACC_EXEC, rc.el)).toMatchObject({ ok: false, kind: 'permission', level: 3, stage: 1 });
      expect(m.mmu.translate(0x10_1000, 0, ACC_EXEC, rc.el).ok).toBe(true);
    });
    it(`${rc.name}: without WXN the writable page is executable`, () => {
      const { m, tb } = setup(rc, g);
      tb.map(0x10_0000n, 0x4010_0000n, 3, AF);
      expect(m.mmu.translate(0x10_0000, 0, ACC_EXEC, rc.el).ok).toBe(true);
    });
  }
});

describe('TBI on data accesses in every regime', () => {
  const g: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
  const TAG = 0x5a00_0000; // top byte 0x5a
  for (const rc of REGIMES) {
    it(`${rc.name}: with TBI a tagged data address translates as the untagged one; a tagged fetch does not`, () => {
      const { m, tb } = setup(rc, g, true);
      tb.map(0x10_0000n, 0x4010_0000n, 3, AF);
      const r = m.mmu.translate(0x10_0010, TAG, ACC_READ, rc.el);
      expect(r.ok && r.pa).toBe(0x4010_0010);
      expect(m.mmu.translate(0x10_0010, TAG, ACC_EXEC, rc.el)).toMatchObject({ ok: false, kind: 'translation', level: 0 });
    });
    it(`${rc.name}: without TBI the tagged address is outside the VA range (level-0 translation fault)`, () => {
      const { m, tb } = setup(rc, g, false);
      tb.map(0x10_0000n, 0x4010_0000n, 3, AF);
      expect(m.mmu.translate(0x10_0010, TAG, ACC_READ, rc.el)).toMatchObject({ ok: false, kind: 'translation', level: 0 });
    });
  }
});
