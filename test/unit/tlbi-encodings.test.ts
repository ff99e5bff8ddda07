// Every TLBI encoding the issue names, and the FEAT_TLBIRANGE forms, executed as the real
// A64 SYS instruction word (SYS #op1, C8, Cm, #op2, Xt) on `max`; each test lists which
// architectural-TLB entries die and which survive.
import { describe, it, expect } from 'vitest';
import { makeMachine, CODE, HLT_STOP, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, AF, NG, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { enterAt } from '../../core/a64/reset.js';
import { allSysOps } from '../../core/a64/sysreg-ops.js';
import { getModel } from '../../core/a64/models.js';
import { ACC_READ } from '../../core/mem/mempath.js';
import { REGIME_NAMES } from '../../core/mmu/params.js';
import { tlbiRange } from '../../core/mmu/mmu.js';

const ARENA = 0x1_0000_0000n;
const G: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
const S2G: Geometry = { grain: 12, inputSize: 40, fmt: 'bits48' };
/** Stage-1 pages P(k) = 0x10_0000 + k·4K, non-global, output IPA 0x4020_0000 + k·4K. */
const P = (k: number): bigint => 0x10_0000n + BigInt(k) * 0x1000n;
const IPA = (k: number): bigint => 0x4020_0000n + BigInt(k) * 0x1000n;
const GL = 0x30_0000n; // global page
const T1 = 0xffff_0000_0050_0000n; // a TTBR1 VA (same tables, global)
/** T0SZ = T1SZ = 16, TG0 = TG1 = 4K, IPS 48-bit, 16-bit ASIDs. */
const TCR_EL1 = 16n | (16n << 16n) | (2n << 30n) | (5n << 32n) | (1n << 36n);
const HCR_VM = 1n;
const HCR_RW = 1n << 31n;
const HCR_E2H = 1n << 34n;
const HCR_TGE = 1n << 27n;

/** The SYS instruction word for a TLBI with Xt = X1. */
function sysWord(op1: number, crm: number, op2: number): number {
  return (0xd5080000 | (op1 << 16) | (8 << 12) | (crm << 8) | (op2 << 5) | 1) >>> 0;
}

const TLBI = new Map(
  allSysOps()
    .filter((d) => d.name.startsWith('TLBI '))
    .map((d) => [d.name.slice(5), d] as const),
);

function tr(m: TestMachine, va: bigint, el: number): void {
  const r = m.mmu.translate(Number(va & 0xffffffffn) | 0, Number((va >> 32n) & 0xffffffffn) | 0, ACC_READ, el);
  expect(r.ok, `translate ${va.toString(16)} at EL${el}`).toBe(true);
}

/**
 * The world: EL1&0 entries for VMID 1 (ASIDs 1 and 2, pages P0..P7, GL, T1) and VMID 2 (GL),
 * all through stage 2; EL2 entries (E2H = 0) for P0..P3; EL3 entries for P0..P3.
 */
function world(): TestMachine {
  const m = makeMachine({ el2: true, el3: true, extraRam: [{ base: Number(ARENA), size: 8 << 20 }] });
  const c = m.c;
  const s1 = new TableBuilder(m, G, ARENA);
  for (let k = 0; k < 8; k++) s1.map(P(k), IPA(k), 3, AF | NG);
  s1.map(GL, 0x4030_0000n, 3, AF);
  s1.map(T1 & 0xffff_ffff_ffffn, 0x4031_0000n, 3, AF);
  const s2 = new TableBuilder(m, S2G, ARENA + 0x40_0000n, 2, 1);
  for (let ipa = 0x4000_0000n; ipa < 0x4100_0000n; ipa += 0x20_0000n) s2.map(ipa, ipa, 2, AF | (3n << 6n) | (0xfn << 2n));
  for (let ipa = ARENA; ipa < ARENA + 0x80_0000n; ipa += 0x20_0000n) s2.map(ipa, ipa, 2, AF | (3n << 6n) | (0xfn << 2n));
  c.sys.set64(R.VTCR_EL2, 24n | (1n << 6n) | (2n << 16n));
  c.sys.set64(R.MAIR_EL1, 0xffn);
  c.sys.set64(R.MAIR_EL2, 0xffn);
  c.sys.set64(R.MAIR_EL3, 0xffn);
  c.sys.set64(R.TCR_EL1, TCR_EL1);
  c.sys.set64(R.SCR_EL3, 0x401n); // NS, RW
  c.sys.set64(R.TTBR1_EL1, encodeTtbr(s1.root, 'bits48'));
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  const el1 = (vmid: bigint, asid: bigint, vas: bigint[]): void => {
    c.sys.set64(R.VTTBR_EL2, s2.root | (vmid << 48n));
    c.sys.set64(R.TTBR0_EL1, encodeTtbr(s1.root, 'bits48', asid));
    c.sys.set64(R.HCR_EL2, HCR_RW | HCR_VM);
    contextChanged(c);
    for (const va of vas) tr(m, va, 1);
  };
  const pages = [0, 1, 2, 3, 4, 5, 6, 7].map(P);
  el1(2n, 1n, [GL]);
  el1(1n, 2n, pages);
  el1(1n, 1n, [...pages, GL, T1]);
  // EL2 (E2H = 0) and EL3: single-range regimes on the same tables.
  c.sys.set64(R.TCR_EL2, 16n | (5n << 16n));
  c.sys.set64(R.TTBR0_EL2, s1.root);
  c.sys.set64(R.SCTLR_EL2, c.sys.get64(R.SCTLR_EL2) | 1n);
  c.sys.set64(R.TCR_EL3, 16n | (5n << 16n));
  c.sys.set64(R.TTBR0_EL3, s1.root);
  c.sys.set64(R.SCTLR_EL3, c.sys.get64(R.SCTLR_EL3) | 1n);
  contextChanged(c);
  for (let k = 0; k < 4; k++) {
    tr(m, P(k), 2);
    tr(m, P(k), 3);
  }
  // Execute with every stage 1 off (the code is not mapped); stage 2 stays on for EL1.
  for (const r of [R.SCTLR_EL1, R.SCTLR_EL2, R.SCTLR_EL3]) c.sys.set64(r, c.sys.get64(r) & ~1n);
  return m;
}

/** Entries as "regime/vVMID/aASID/VA-offset". */
function cached(m: TestMachine): string[] {
  return [...m.mmu.tlb.entries()]
    .map((e) => `${REGIME_NAMES[e.regime]}/v${e.vmid}/a${e.asid}/${e.range ? 'T1:' : ''}${e.iaBase.toString(16)}`)
    .sort();
}

function exec(m: TestMachine, name: string, el: number, xt: bigint): void {
  const d = TLBI.get(name);
  expect(d, name).toBeDefined();
  m.poke32(CODE, [sysWord(d!.op1, d!.crm, d!.op2), HLT_STOP]);
  m.blocks.invalidateAll(m.c);
  enterAt(m.c, el, BigInt(CODE));
  m.c.setX(1, xt);
  m.run(100);
  expect(m.c.excCount, `${name} took an exception`).toBe(0);
  expect(m.mmu.tlbiByOp.get(name), `${name} executed once`).toBe(1);
}

const hex = (v: bigint): string => v.toString(16);
const el10 = (vmid: number, asid: number, va: bigint): string => `EL1&0/v${vmid}/a${asid}/${hex(va)}`;
const ALL_EL10_V1 = [
  ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [el10(1, 1, P(k)), el10(1, 2, P(k))]),
  el10(1, -1, GL),
  `EL1&0/v1/a-1/T1:${hex(T1 & 0xffff_ffff_ffffn)}`,
];
const EL10_V2 = [el10(2, -1, GL)];
const EL2 = [0, 1, 2, 3].map((k) => `EL2/v0/a-1/${hex(P(k))}`);
const EL3 = [0, 1, 2, 3].map((k) => `EL3/v0/a-1/${hex(P(k))}`);
const EVERYTHING = [...ALL_EL10_V1, ...EL10_V2, ...EL2, ...EL3].sort();

/** Xt for by-VA forms: ASID [63:48], VA[55:12] in [43:0]. */
const byVa = (va: bigint, asid = 0n): bigint => (asid << 48n) | ((va >> 12n) & 0xfff_ffff_ffffn);
/** Xt for range forms: ASID, TG [47:46], SCALE [45:44], NUM [43:39], TTL [38:37], BaseADDR [36:0]. */
const rng = (base: bigint, num: number, scale = 0, tg = 1, asid = 0n, unit = 12n): bigint =>
  (asid << 48n) | (BigInt(tg) << 46n) | (BigInt(scale) << 44n) | (BigInt(num) << 39n) | ((base >> unit) & ((1n << 37n) - 1n));

interface Case {
  /** Suffix-free names: each is run as local, IS and OS forms. */
  names: string[];
  el: number;
  xt: bigint;
  dies: string[];
}

const PAGES_2_TO_5 = [2, 3, 4, 5];
const CASES: Case[] = [
  { names: ['VMALLE1'], el: 1, xt: 0n, dies: ALL_EL10_V1 },
  { names: ['VAE1', 'VALE1'], el: 1, xt: byVa(P(1), 1n), dies: [el10(1, 1, P(1))] },
  { names: ['VAE1', 'VALE1', 'VAAE1', 'VAALE1'], el: 1, xt: byVa(GL, 2n), dies: [el10(1, -1, GL)] },
  { names: ['VAAE1', 'VAALE1'], el: 1, xt: byVa(P(1)), dies: [el10(1, 1, P(1)), el10(1, 2, P(1))] },
  { names: ['ASIDE1'], el: 1, xt: 1n << 48n, dies: [0, 1, 2, 3, 4, 5, 6, 7].map((k) => el10(1, 1, P(k))) },
  // Range: (NUM + 1) << (5·SCALE + 1) = 4 pages of 4K from P2.
  { names: ['RVAE1', 'RVALE1'], el: 1, xt: rng(P(2), 1, 0, 1, 2n), dies: PAGES_2_TO_5.map((k) => el10(1, 2, P(k))) },
  { names: ['RVAAE1', 'RVAALE1'], el: 1, xt: rng(P(2), 1), dies: PAGES_2_TO_5.flatMap((k) => [el10(1, 1, P(k)), el10(1, 2, P(k))]) },
  // NUM = 0: 2 pages; a TTBR1 base (BaseADDR bit 36 set = VA[48] of 0xffff…): only the TTBR1 entry.
  { names: ['RVAAE1'], el: 1, xt: rng(T1, 0), dies: [`EL1&0/v1/a-1/T1:${hex(T1 & 0xffff_ffff_ffffn)}`] },
  // TG = 0b00 is reserved: the range is invalid and nothing is invalidated (pseudocode TLBIRange).
  { names: ['RVAAE1'], el: 1, xt: rng(P(2), 1, 0, 0), dies: [] },
  // SCALE = 1: (0 + 1) << 6 = 64 pages from P0 covers P0..P7 but not GL (0x300000).
  { names: ['RVAAE1'], el: 1, xt: rng(P(0), 0, 1), dies: [0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [el10(1, 1, P(k)), el10(1, 2, P(k))]) },
  { names: ['ALLE1'], el: 2, xt: 0n, dies: [...ALL_EL10_V1, ...EL10_V2] },
  { names: ['VMALLS12E1'], el: 2, xt: 0n, dies: ALL_EL10_V1 },
  // IPAS2: the combined stage 1+2 entries whose IPA is the operand's (both ASIDs); IPA[51:12] in [39:0].
  { names: ['IPAS2E1', 'IPAS2LE1'], el: 2, xt: IPA(3) >> 12n, dies: [el10(1, 1, P(3)), el10(1, 2, P(3))] },
  { names: ['RIPAS2E1', 'RIPAS2LE1'], el: 2, xt: rng(IPA(2), 1), dies: PAGES_2_TO_5.flatMap((k) => [el10(1, 1, P(k)), el10(1, 2, P(k))]) },
  { names: ['ALLE2'], el: 2, xt: 0n, dies: EL2 },
  { names: ['VAE2', 'VALE2'], el: 2, xt: byVa(P(1)), dies: [EL2[1]] },
  { names: ['RVAE2', 'RVALE2'], el: 2, xt: rng(P(1), 0), dies: [EL2[1], EL2[2]] },
  { names: ['ALLE3'], el: 3, xt: 0n, dies: EL3 },
  { names: ['VAE3', 'VALE3'], el: 3, xt: byVa(P(2)), dies: [EL3[2]] },
  { names: ['RVAE3', 'RVALE3'], el: 3, xt: rng(P(0), 1), dies: EL3 },
];

/** The TLBIs issue 3 lists (ALLE1 … VAE2 "…": the EL2 and EL3 families) and the FEAT_TLBIRANGE forms. */
const ISSUE_NAMES = [
  ...[
    'VMALLE1',
    'VAE1',
    'VALE1',
    'VAAE1',
    'VAALE1',
    'ASIDE1',
    'ALLE1',
    'VMALLS12E1',
    'ALLE2',
    'VAE2',
    'VALE2',
    'ALLE3',
    'VAE3',
    'VALE3',
  ].flatMap((n) => [n, n + 'IS', n + 'OS']),
  ...['IPAS2E1', 'IPAS2LE1'].flatMap((n) => [n, n + 'IS', n + 'OS']),
  ...['RVAE1', 'RVAAE1', 'RVALE1', 'RVAALE1', 'RIPAS2E1', 'RIPAS2LE1', 'RVAE2', 'RVALE2', 'RVAE3', 'RVALE3'].flatMap((n) => [
    n,
    n + 'IS',
    n + 'OS',
  ]),
];

describe('TLBI encodings', () => {
  it('every TLBI the issue names and every range form is decoded, and nothing else', () => {
    expect([...TLBI.keys()].sort()).toEqual([...ISSUE_NAMES].sort());
  });

  it('the world starts with every entry cached', () => {
    expect(cached(world())).toEqual(EVERYTHING);
  });

  for (const k of CASES) {
    for (const base of k.names) {
      for (const suffix of ['', 'IS', 'OS']) {
        const name = base + suffix;
        it(`TLBI ${name}, X1=0x${hex(k.xt)} at EL${k.el}: removes ${k.dies.length === 0 ? 'nothing' : k.dies.join(' ')}`, () => {
          const m = world();
          exec(m, name, k.el, k.xt);
          expect(cached(m)).toEqual(EVERYTHING.filter((e) => !k.dies.includes(e)));
        });
      }
    }
  }

  it('range forms are UNDEFINED without FEAT_TLBIRANGE, OS forms without FEAT_TLBIOS (cortex-a57)', () => {
    const m = makeMachine({ model: 'cortex-a57', el2: true });
    for (const name of ['RVAE1', 'VAE1OS', 'RVAE1IS']) {
      const d = TLBI.get(name)!;
      m.poke32(CODE, [sysWord(d.op1, d.crm, d.op2), HLT_STOP]);
      m.blocks.invalidateAll(m.c);
      enterAt(m.c, 1, BigInt(CODE));
      m.c.sys.set64(R.VBAR_EL1, 0x4009_0000n);
      const before = m.c.excCount;
      m.run(1);
      expect(m.c.excCount, name).toBe(before + 1);
      expect(Number(m.c.sys.get64(R.ESR_EL1) >> 26n), name).toBe(0); // EC = Unknown reason
    }
    expect(getModel('max').features.tlbirange && getModel('max').features.tlbios).toBe(true);
  });
});

describe('TLBI range operand (TLBIRange)', () => {
  const op = (xt: bigint) => ({
    asid: 0,
    ttl: 0,
    tg: Number((xt >> 46n) & 3n),
    scale: Number((xt >> 44n) & 3n),
    num: Number((xt >> 39n) & 0x1fn),
    addrLo: Number(xt & 0xffffffffn) | 0,
    addrHi: Number((xt >> 32n) & 0x1fn),
  });
  it('BaseADDR is in granule units: 4K, 16K, 64K', () => {
    expect(tlbiRange(op(rng(0x12_3000n, 0, 0, 1)), false, false)).toEqual([0x12_3000, 2 * 4096]);
    expect(tlbiRange(op(rng(0x12_4000n, 3, 1, 2, 0n, 14n)), false, false)).toEqual([0x12_4000, 4 * 64 * 16384]);
    expect(tlbiRange(op(rng(0x12_0000n, 31, 3, 3, 0n, 16n)), false, false)).toEqual([0x12_0000, 32 * 2 ** 16 * 65536]);
  });
  it('with TCR.DS = 1 (LPA2), BaseADDR is VA[52:16] whatever the granule', () => {
    const xt = (1n << 46n) | (0x1_0000_0001n & ((1n << 37n) - 1n)); // TG=4K, BaseADDR = 2^32 + 1
    expect(tlbiRange(op(xt), true, false)).toEqual([(2 ** 32 + 1) * 65536, 2 * 4096]);
  });
  it('two-range regimes sign-extend BaseADDR (TTBR1); TG = 0b00 gives no range', () => {
    expect(tlbiRange(op(rng(T1, 0)), false, true)![0]).toBe(-(2 ** 48) + 0x50_0000);
    expect(tlbiRange(op(rng(P(0), 0, 0, 0)), false, true)).toBeUndefined();
  });
});

describe('TLBI regime under HCR_EL2.{E2H, TGE} = {1, 1}', () => {
  /** The world plus EL2&0 entries (TTBR0_EL2 with ASID 3, E2H TCR layout). */
  function vheWorld(): TestMachine {
    const m = world();
    const c = m.c;
    c.sys.set64(R.HCR_EL2, HCR_RW | HCR_VM | HCR_E2H | HCR_TGE);
    c.sys.set64(R.TCR_EL2, TCR_EL1);
    c.sys.set64(R.TTBR0_EL2, c.sys.get64(R.TTBR0_EL1) | (3n << 48n));
    c.sys.set64(R.SCTLR_EL2, c.sys.get64(R.SCTLR_EL2) | 1n);
    contextChanged(c);
    tr(m, P(0), 2);
    tr(m, GL, 2);
    c.sys.set64(R.SCTLR_EL2, c.sys.get64(R.SCTLR_EL2) & ~1n);
    return m;
  }
  const EL20 = ['EL2&0/v0/a-1/300000', 'EL2&0/v0/a3/100000'];
  const cases: [string, bigint, string[]][] = [
    ['VMALLE1', 0n, EL20],
    ['VAE1IS', byVa(P(0), 3n), [EL20[1]]],
    ['ASIDE1', 3n << 48n, [EL20[1]]],
    ['RVAAE1', rng(P(0), 0), [EL20[1]]],
    ['ALLE1', 0n, [...ALL_EL10_V1, ...EL10_V2]],
    ['VMALLS12E1', 0n, ALL_EL10_V1],
    ['IPAS2E1IS', IPA(3) >> 12n, [el10(1, 1, P(3)), el10(1, 2, P(3))]],
  ];
  for (const [name, xt, dies] of cases) {
    it(`TLBI ${name} at EL2 acts on ${dies[0].split('/')[0]}`, () => {
      const m = vheWorld();
      const before = cached(m);
      expect(before).toEqual([...EVERYTHING, ...EL20].sort());
      exec(m, name, 2, xt);
      expect(cached(m)).toEqual(before.filter((e) => !dies.includes(e)));
    });
  }
});
