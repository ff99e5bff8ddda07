// The lab's plot series and summaries (renderer/src/lib/series.ts): rates per interval, KVM runs
// plotted by exits and time in the guest (no MIPS: KVM counts no instructions), live summaries
// computed as the host computes the final one (core/host/summary.ts).
import { describe, it, expect } from 'vitest';
import type { CounterSnapshot } from '../../core/host/api.js';
import { summaryOf } from '../../core/host/summary.js';
import { liveSummary, MeasuredMetrics, METRICS, SeriesCache, seriesOf } from '../../renderer/src/lib/series.js';

const metric = (key: string) => METRICS.find((m) => m.key === key)!;

describe('counter series', () => {
  const tcg: CounterSnapshot[] = [
    { t: 100, cpus: [{ cpu: 0, instructions: 1e6, mips: 10, walks: 10 }] },
    { t: 300, cpus: [{ cpu: 0, instructions: 5e6, mips: 20, walks: 50 }] },
  ];
  const kvm: CounterSnapshot[] = [
    { t: 100, cpus: [{ cpu: 0, instructions: 0, mips: 0, kvmExits: 100, kvmGuestMs: 60, kvmUserMs: 30, mmioAccesses: 90 }] },
    { t: 600, cpus: [{ cpu: 0, instructions: 0, mips: 0, kvmExits: 1100, kvmGuestMs: 460, kvmUserMs: 100, mmioAccesses: 1000 }] },
  ];

  it('TCG: MIPS as measured, walks as a rate over each interval', () => {
    expect(seriesOf(tcg, metric('mips')).data).toEqual([
      [0.1, 0.3],
      [10, 20],
    ]);
    expect(seriesOf(tcg, metric('walks')).data[1]).toEqual([100, 200]);
    expect(seriesOf(tcg, metric('kvmExits')).data[1]).toEqual([null, null]);
  });

  it('KVM: exits per second and the share of time in KVM_RUN; no MIPS line', () => {
    expect(seriesOf(kvm, metric('mips')).data[1]).toEqual([null, null]);
    expect(seriesOf(kvm, metric('kvmExits')).data[1]).toEqual([1000, 2000]);
    // 400 ms in the guest during 500 ms of run: 80 %.
    expect(seriesOf(kvm, metric('kvmGuest')).data[1][1]).toBeCloseTo(80);
    expect(seriesOf(kvm, metric('kvmUser')).data[1][1]).toBeCloseTo(14);
  });

  it('TLB hit rate: Δhits / (Δhits + Δwalks) per vCPU and sample; no lookups in an interval is no point', () => {
    const snaps: CounterSnapshot[] = [
      {
        t: 100,
        cpus: [
          { cpu: 0, instructions: 0, mips: 0, tlbHits: 90, walks: 10 },
          { cpu: 1, instructions: 0, mips: 0, tlbHits: 0, walks: 0 },
        ],
      },
      {
        t: 200,
        cpus: [
          { cpu: 0, instructions: 0, mips: 0, tlbHits: 390, walks: 110 },
          { cpu: 1, instructions: 0, mips: 0, tlbHits: 30, walks: 10 },
        ],
      },
      {
        t: 300,
        cpus: [
          { cpu: 0, instructions: 0, mips: 0, tlbHits: 390, walks: 110 },
          { cpu: 1, instructions: 0, mips: 0, tlbHits: 30, walks: 10 },
        ],
      },
    ];
    const { data } = seriesOf(snaps, metric('tlbHitRate'));
    expect(data[1]).toEqual([90, 75, null]);
    expect(data[2]).toEqual([null, 75, null]);
    // A machine without hit counts (KVM) has no hit-rate line.
    expect(seriesOf(kvm, metric('tlbHitRate')).data[1]).toEqual([null, null]);
  });

  it('TLB hit rate uses tlbMisses where the machine counts them (walks otherwise)', () => {
    const snaps: CounterSnapshot[] = [
      { t: 100, cpus: [{ cpu: 0, instructions: 0, mips: 0, tlbHits: 0, tlbMisses: 0, walks: 0 }] },
      { t: 200, cpus: [{ cpu: 0, instructions: 0, mips: 0, tlbHits: 990, tlbMisses: 10, walks: 500 }] },
    ];
    expect(seriesOf(snaps, metric('tlbHitRate')).data[1]).toEqual([null, 99]);
  });

  it('TLBIs applied on each vCPU (tlbiLocal, all scopes), as a rate; the per-scope and per-op counters in other are not summed', () => {
    const local: CounterSnapshot[] = [
      { t: 1000, cpus: [{ cpu: 0, instructions: 0, mips: 0, tlbiLocal: 4, other: { 'tlbi.vae1': 999 } }] },
      { t: 2000, cpus: [{ cpu: 0, instructions: 0, mips: 0, tlbiLocal: 10 }] },
    ];
    expect(seriesOf(local, metric('tlbi')).data[1]).toEqual([4, 6]);
    expect(seriesOf(kvm, metric('tlbi')).data[1]).toEqual([null, null]);
  });

  it('SeriesCache appends the points of new snapshots and equals seriesOf; a trimmed or replaced history is recomputed', () => {
    const snap = (i: number, cpus = 2): CounterSnapshot => ({
      t: 100 * (i + 1),
      cpus: Array.from({ length: cpus }, (_, c) => ({ cpu: c, instructions: i * 1000, mips: i, walks: i * i * (c + 1), tlbHits: 10 * i })),
    });
    const hist = [snap(0), snap(1), snap(2)];
    for (const m of METRICS) {
      const cache = new SeriesCache(m);
      const list = hist.slice();
      expect(cache.update(list)).toEqual(seriesOf(list, m));
      list.push(snap(3), snap(4));
      expect(cache.update(list)).toEqual(seriesOf(list, m));
      expect(cache.computed).toBe(5);
      list.splice(0, 2);
      expect(cache.update(list)).toEqual(seriesOf(list, m));
      expect(cache.computed).toBe(8);
      list.push(snap(5, 3));
      expect(cache.update(list)).toEqual(seriesOf(list, m));
      const other = list.slice();
      expect(cache.update(other)).toEqual(seriesOf(other, m));
    }
  });

  it('MeasuredMetrics: metrics with a value anywhere in the history, scanning only new snapshots', () => {
    const mm = new MeasuredMetrics();
    const list: CounterSnapshot[] = [];
    expect(mm.update(list)).toBe(METRICS);
    list.push(...tcg);
    const keys = (): string[] => mm.update(list).map((m) => m.key);
    expect(keys()).toEqual(['mips', 'walks']);
    list.push({ t: 400, cpus: [{ cpu: 0, instructions: 6e6, mips: 10, walks: 60, tlbHits: 5 }] });
    expect(keys()).toEqual(['mips', 'tlbHitRate', 'walks']);
    // A metric stays measured when later snapshots lack it.
    list.push({ t: 500, cpus: [{ cpu: 0, instructions: 7e6, mips: 10 }] });
    expect(keys()).toEqual(['mips', 'tlbHitRate', 'walks']);
    expect(new MeasuredMetrics().update(kvm).map((m) => m.key)).toEqual(['mmio', 'kvmExits', 'kvmGuest', 'kvmUser']);
  });

  it('a live summary is the host summary of the latest snapshot; a final one is kept as it is', () => {
    expect(liveSummary(undefined, kvm, 42)).toEqual(summaryOf(kvm[1], 600, 42));
    expect(liveSummary(undefined, kvm, 42)).toMatchObject({ kvmExits: 1100, kvmGuestMs: 460, mmioAccesses: 1000, consoleBytes: 42 });
    const final = summaryOf(tcg[1], 300, 7);
    expect(liveSummary(final, kvm, 0)).toBe(final);
    expect(liveSummary(undefined, [], 0)).toBeUndefined();
  });
});
