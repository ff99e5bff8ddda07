// The architectural TLB: exact TLBI scopes (ASID-tagged and global entries) and capacity eviction.
import { describe, it, expect } from 'vitest';
import { makeMachine, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, AF, NG, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { ACC_READ } from '../../core/mem/mempath.js';
import { ArchTlb, TLB_CAPACITY, type TlbEntry } from '../../core/mmu/tlb.js';
import type { TlbiOp, TlbiScope } from '../../core/a64/sysreg-ops.js';

const G: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
const A = 0x10_0000n; // non-global, ASID 1
const B = 0x20_0000n; // non-global, ASID 1
const GL = 0x30_0000n; // global

function setup(): { m: TestMachine; cached: () => string[] } {
  const m = makeMachine({ extraRam: [{ base: 0x1_0000_0000, size: 4 << 20 }] });
  const tb = new TableBuilder(m, G, 0x1_0000_0000n);
  tb.map(A, 0x4000_0000n, 3, AF | NG);
  tb.map(B, 0x4000_1000n, 3, AF | NG);
  tb.map(GL, 0x4000_2000n, 3, AF);
  const c = m.c;
  c.sys.set64(R.TCR_EL1, 16n | (1n << 23n) | (5n << 32n) | (1n << 36n)); // 16-bit ASIDs
  c.sys.set64(R.MAIR_EL1, 0xffn);
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  const fill = (asid: bigint): void => {
    c.sys.set64(R.TTBR0_EL1, encodeTtbr(tb.root, 'bits48', asid));
    contextChanged(c);
    for (const va of [A, B, GL]) expect(m.mmu.translate(Number(va), 0, ACC_READ, 1).ok).toBe(true);
  };
  fill(1n);
  fill(2n);
  const cached = (): string[] => [...m.mmu.tlb.entries()].map((e: TlbEntry) => `${e.iaBase.toString(16)}/${e.asid}`).sort();
  return { m, cached };
}

function tlbi(m: TestMachine, scope: TlbiScope, va = 0n, asid = 0): void {
  const op: TlbiOp = { name: `test ${scope}`, regime: 1, scope, lastLevel: false, range: false, shareable: 0, el1Form: true };
  m.mmu.tlbi(op, { asid, ttl: 0, addrLo: Number(va & 0xffffffffn) | 0, addrHi: Number(va >> 32n), tg: 0, scale: 0, num: 0 });
}

describe('TLBI scopes', () => {
  it('starts with entries per ASID for non-global pages and one for the global page', () => {
    expect(setup().cached()).toEqual(['100000/1', '100000/2', '200000/1', '200000/2', '300000/-1']);
  });
  it('VAE1 removes one VA for one ASID and the global entry of that VA', () => {
    const { m, cached } = setup();
    tlbi(m, 'va', A, 1);
    tlbi(m, 'va', GL, 1);
    expect(cached()).toEqual(['100000/2', '200000/1', '200000/2']);
  });
  it('VAAE1 removes one VA for every ASID', () => {
    const { m, cached } = setup();
    tlbi(m, 'vaa', B);
    expect(cached()).toEqual(['100000/1', '100000/2', '300000/-1']);
  });
  it('ASIDE1 removes the non-global entries of one ASID only', () => {
    const { m, cached } = setup();
    tlbi(m, 'asid', 0n, 2);
    expect(cached()).toEqual(['100000/1', '200000/1', '300000/-1']);
  });
  it('VMALLE1 removes everything of the current VMID', () => {
    const { m, cached } = setup();
    tlbi(m, 'vmall');
    expect(cached()).toEqual([]);
  });
});

describe('capacity', () => {
  it('evicts the oldest entries instead of flushing everything', () => {
    const t = new ArchTlb();
    const mk = (i: number): TlbEntry => ({
      regime: 0,
      range: 0,
      asid: -1,
      vmid: 0,
      iaBase: i * 4096,
      sizeBits: 12,
      paBase: i * 4096,
      s1: null,
      s2: null,
      s1Level: 3,
      s2Level: -2,
      descPa: -1,
      descLo: 0,
      descHi: 0,
      ipaBase: -1,
    });
    for (let i = 0; i < TLB_CAPACITY + 100; i++) t.insert(mk(i));
    expect(t.count).toBe(TLB_CAPACITY);
    expect(t.lookup(0, 0, 5, -1, 0)).toBeUndefined(); // among the oldest: evicted
    expect(t.lookup(0, 0, (TLB_CAPACITY + 99) * 4096, -1, 0)?.paBase).toBe((TLB_CAPACITY + 99) * 4096);
    expect(t.lookup(0, 0, 200 * 4096, -1, 0)?.paBase).toBe(200 * 4096);
    expect(t.evictions).toBe(100); // one single-entry bucket per insert over capacity
  });
});

describe('MMU counters', () => {
  it('counts walks by leaf level, TLBIs by scope and capacity evictions (detailCounters)', () => {
    // Two ASIDs x two non-global pages, plus the global page walked once (its entry serves both ASIDs).
    const { m } = setup();
    tlbi(m, 'va', A, 1);
    tlbi(m, 'va', B, 1);
    tlbi(m, 'asid', 0n, 2);
    // Lookups: 5 misses (walks) and 1 hit (the global page for ASID 2); no loads, so no fast-path hits.
    expect(m.mmu.detailCounters()).toEqual({
      'tlb.hits': 1,
      'tlb.fastHits': 0,
      'tlb.misses': 5,
      'walks.L3': 5,
      'tlbi.va': 2,
      'tlbi.asid': 1,
      'tlbi.test va': 2,
      'tlbi.test asid': 1,
    });
  });
});

describe('TLBI by VA reaches the fast path', () => {
  it('a load after remap + TLBI VAE1 sees the new page, while an unrelated page keeps its fast entry', () => {
    const m = makeMachine({ extraRam: [{ base: 0x1_0000_0000, size: 4 << 20 }] });
    const tb = new TableBuilder(m, G, 0x1_0000_0000n);
    tb.map(A, 0x4010_0000n, 3, AF);
    tb.map(B, 0x4010_1000n, 3, AF);
    m.poke64(0x4010_0000, 0x1111n);
    m.poke64(0x4010_1000, 0x2222n);
    m.poke64(0x4010_2000, 0x3333n);
    const c = m.c;
    c.sys.set64(R.TCR_EL1, 16n | (1n << 23n) | (5n << 32n));
    c.sys.set64(R.MAIR_EL1, 0xffn);
    c.sys.set64(R.TTBR0_EL1, encodeTtbr(tb.root, 'bits48'));
    c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
    contextChanged(c);
    const ld = (va: bigint): number => c.mem.ld64(Number(va), 0);
    expect([ld(A), ld(B)]).toEqual([0x1111, 0x2222]); // fills the fast TLB
    const hits = c.mem.tlbHits;
    expect([ld(A), ld(B)]).toEqual([0x1111, 0x2222]);
    expect(c.mem.tlbHits).toBe(hits + 2); // fast-path hits are counted
    tb.map(A, 0x4010_2000n, 3, AF); // remap A without TLBI: stale, like hardware
    expect(ld(A)).toBe(0x1111);
    const fills = c.mem.tlbMisses;
    tlbi(m, 'va', A, 0);
    expect(ld(A)).toBe(0x3333);
    expect(ld(B)).toBe(0x2222);
    expect(c.mem.tlbMisses).toBe(fills + 1); // only A was refilled
  });
});

describe('capacity eviction reaches the fast path', () => {
  // Regression: an entry evicted from the architectural TLB stayed in the fast TLB, so a later
  // TLBI that found nothing to remove (ASIDE1 here) left the old translation in use.
  it('after eviction, remap + TLBI ASIDE1 (nothing left to remove) + load sees the new page', () => {
    const m = makeMachine({ extraRam: [{ base: 0x1_0000_0000, size: 4 << 20 }] });
    const tb = new TableBuilder(m, G, 0x1_0000_0000n);
    tb.map(A, 0x4010_0000n, 3, AF | NG);
    tb.map(GL, 0x4010_1000n, 3, AF);
    m.poke64(0x4010_0000, 0x1111n);
    m.poke64(0x4010_2000, 0x3333n);
    const c = m.c;
    c.sys.set64(R.TCR_EL1, 16n | (1n << 23n) | (5n << 32n));
    c.sys.set64(R.MAIR_EL1, 0xffn);
    c.sys.set64(R.TTBR0_EL1, encodeTtbr(tb.root, 'bits48', 1n));
    c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
    contextChanged(c);
    m.mmu.tlb.capacity = 1;
    const ld = (va: bigint): number => c.mem.ld64(Number(va), 0);
    expect(ld(A)).toBe(0x1111); // A cached (architectural + fast)
    ld(GL); // the global page evicts A
    expect(m.mmu.tlb.evictions).toBe(1);
    tb.map(A, 0x4010_2000n, 3, AF | NG);
    tlbi(m, 'asid', 0n, 1); // removes nothing: A was evicted, GL is global
    expect(ld(A)).toBe(0x3333);
  });
});
