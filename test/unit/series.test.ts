// The lab's plot series and summaries (renderer/src/lib/series.ts): rates per interval, KVM runs
// plotted by exits and time in the guest (no MIPS: KVM counts no instructions), live summaries
// computed as the host computes the final one (core/host/summary.ts).
import { describe, it, expect } from 'vitest';
import type { CounterSnapshot } from '../../core/host/api.js';
import { summaryOf } from '../../core/host/summary.js';
import { liveSummary, METRICS, seriesOf } from '../../renderer/src/lib/series.js';

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

  it('TLBIs applied: tlbiLocal, else the sum of the tlbi.<scope> counters in other, as a rate', () => {
    const one: CounterSnapshot[] = [
      { t: 500, cpus: [{ cpu: 0, instructions: 0, mips: 0, other: { 'tlbi.vae1': 3, 'tlbi.vmalle1': 2, 'walks.L3': 40 } }] },
      { t: 1000, cpus: [{ cpu: 0, instructions: 0, mips: 0, other: { 'tlbi.vae1': 13, 'tlbi.vmalle1': 7, 'walks.L3': 90 } }] },
    ];
    expect(seriesOf(one, metric('tlbi')).data[1]).toEqual([10, 30]);
    const local: CounterSnapshot[] = [
      { t: 1000, cpus: [{ cpu: 0, instructions: 0, mips: 0, tlbiLocal: 4, other: { 'tlbi.vae1': 999 } }] },
      { t: 2000, cpus: [{ cpu: 0, instructions: 0, mips: 0, tlbiLocal: 10 }] },
    ];
    expect(seriesOf(local, metric('tlbi')).data[1]).toEqual([4, 6]);
    expect(seriesOf(kvm, metric('tlbi')).data[1]).toEqual([null, null]);
  });

  it('a live summary is the host summary of the latest snapshot; a final one is kept as it is', () => {
    expect(liveSummary(undefined, kvm, 42)).toEqual(summaryOf(kvm[1], 600, 42));
    expect(liveSummary(undefined, kvm, 42)).toMatchObject({ kvmExits: 1100, kvmGuestMs: 460, mmioAccesses: 1000, consoleBytes: 42 });
    const final = summaryOf(tcg[1], 300, 7);
    expect(liveSummary(final, kvm, 0)).toBe(final);
    expect(liveSummary(undefined, [], 0)).toBeUndefined();
  });
});
