/** Counter snapshots → plot series: per-vCPU rates over each interval (no smoothing, no invented points). */
import type { CounterSnapshot, RunSummary, VcpuCounters, VcpuSpec } from '../../../core/host/api';
import { summaryOf } from '../../../core/host/summary';

export interface Metric {
  key: string;
  title: string;
  unit: string;
  /** The value of one vCPU at snapshot i (given the previous snapshot), or null when it cannot be known. */
  value(cur: VcpuCounters, prev: VcpuCounters | undefined, dtSec: number): number | null;
}

const rate =
  (f: (c: VcpuCounters) => number | undefined, scale = 1) =>
  (cur: VcpuCounters, prev: VcpuCounters | undefined, dt: number): number | null => {
    const a = f(cur);
    if (a === undefined || dt <= 0) return null;
    const b = prev ? (f(prev) ?? 0) : 0;
    return ((a - b) / dt) * scale;
  };

const gauge =
  (f: (c: VcpuCounters) => number | undefined) =>
  (cur: VcpuCounters): number | null =>
    f(cur) ?? null;

/**
 * Acknowledgement latency of the shootdown requests a vCPU acknowledged in the interval: the machine
 * reports the run's average and count, so the interval's sum is avg·count − avg'·count'.
 */
function intervalAckLatency(cur: VcpuCounters, prev: VcpuCounters | undefined): number | null {
  if (cur.ackLatencyAvgUs === undefined || cur.tlbiReceived === undefined) return null;
  const n = cur.tlbiReceived - (prev?.tlbiReceived ?? 0);
  if (n <= 0) return null;
  const sum = cur.ackLatencyAvgUs * cur.tlbiReceived - (prev?.ackLatencyAvgUs ?? 0) * (prev?.tlbiReceived ?? 0);
  return Math.max(0, sum / n);
}

/** Lookups that needed a walk: `tlbMisses`, or the walks where a machine does not count misses. */
const missesOf = (c: VcpuCounters): number | undefined => c.tlbMisses ?? c.walks;

/**
 * TLB hit rate over the interval (percent): Δhits / (Δhits + Δmisses), where a hit is a translation a TLB
 * answered (`tlbHits`) and a miss one that needed a page-table walk. No lookups: no point.
 */
function intervalHitRate(cur: VcpuCounters, prev: VcpuCounters | undefined): number | null {
  const m = missesOf(cur);
  if (cur.tlbHits === undefined || m === undefined) return null;
  const hits = cur.tlbHits - (prev?.tlbHits ?? 0);
  const misses = m - ((prev && missesOf(prev)) ?? 0);
  return hits + misses > 0 ? (100 * hits) / (hits + misses) : null;
}

export const METRICS: Metric[] = [
  // KVM does not count guest instructions: no MIPS line for its runs.
  { key: 'mips', title: 'MIPS', unit: 'M instructions/s', value: (c) => (c.kvmExits !== undefined ? null : c.mips) },
  { key: 'tlbFills', title: 'TLB fills', unit: 'per second', value: rate((c) => c.tlbFills) },
  { key: 'tlbHitRate', title: 'TLB hit rate', unit: '% of lookups (miss: a walk)', value: intervalHitRate },
  { key: 'walks', title: 'Page-table walks', unit: 'per second', value: rate((c) => c.walks) },
  { key: 'tlbi', title: 'TLBIs applied', unit: 'per second', value: rate((c) => c.tlbiLocal) },
  { key: 'exceptions', title: 'Exceptions', unit: 'per second', value: rate((c) => c.exceptions) },
  { key: 'mmio', title: 'MMIO accesses', unit: 'per second', value: rate((c) => c.mmioAccesses) },
  { key: 'tlbiSent', title: 'TLBI sent', unit: 'broadcast requests/s', value: rate((c) => c.tlbiSent) },
  { key: 'tlbiReceived', title: 'TLBI received', unit: 'acknowledged/s', value: rate((c) => c.tlbiReceived) },
  { key: 'dsbWaits', title: 'DSB waits', unit: 'per second', value: rate((c) => c.dsbWaits) },
  // µs waited per second of run time / 10^4 = percent of the time.
  { key: 'dsbWaitTime', title: 'Time in DSB waits', unit: '% of run time', value: rate((c) => c.dsbWaitUs, 1e-4) },
  { key: 'ackLatency', title: 'Shootdown ack latency', unit: 'µs, average in the interval', value: intervalAckLatency },
  { key: 'ackLatencyMax', title: 'Shootdown ack latency max', unit: 'µs, over the run', value: gauge((c) => c.ackLatencyMaxUs) },
  {
    key: 'ackLatencyP99',
    title: 'Shootdown ack latency p99',
    unit: 'µs, over the run (log2 bucket)',
    value: gauge((c) => c.ackLatencyP99Us),
  },
  { key: 'ipisSent', title: 'IPIs sent', unit: 'per second', value: rate((c) => c.ipisSent) },
  { key: 'ipisReceived', title: 'IPIs received', unit: 'per second', value: rate((c) => c.ipisReceived) },
  { key: 'wfi', title: 'Time in WFI', unit: '% of run time', value: rate((c) => c.wfiUs, 1e-4) },
  // KVM runs: exits from KVM_RUN, and where the vCPU thread's time went (ms per second / 10 = percent).
  { key: 'kvmExits', title: 'KVM exits', unit: 'per second', value: rate((c) => c.kvmExits) },
  { key: 'kvmGuest', title: 'Time in the guest (KVM_RUN)', unit: '% of run time', value: rate((c) => c.kvmGuestMs, 0.1) },
  { key: 'kvmUser', title: 'Time in userspace (exits)', unit: '% of run time', value: rate((c) => c.kvmUserMs, 0.1) },
];

/** uPlot data: [x seconds, vCPU 0 values, vCPU 1 values, …]. */
export function seriesOf(snaps: CounterSnapshot[], m: Metric): { data: (number | null)[][]; cpus: number } {
  const cpus = snaps.reduce((n, s) => Math.max(n, s.cpus.length), 0);
  const x: number[] = [];
  const ys: (number | null)[][] = Array.from({ length: cpus }, () => []);
  snaps.forEach((s, i) => {
    const prev = snaps[i - 1];
    const dt = (s.t - (prev?.t ?? 0)) / 1000;
    x.push(s.t / 1000);
    for (let c = 0; c < cpus; c++) {
      const cur = s.cpus[c];
      ys[c].push(cur ? m.value(cur, prev?.cpus[c], dt) : null);
    }
  });
  return { data: [x, ...ys], cpus };
}

/**
 * seriesOf for a history that grows at its end (10 Hz): each update appends the points of the snapshots
 * added since the last one, instead of recomputing every point. A history that changed otherwise (a new
 * array, its front trimmed, more vCPUs) is recomputed.
 */
export class SeriesCache {
  private src: CounterSnapshot[] | undefined;
  private n = 0;
  private last: CounterSnapshot | undefined;
  private cur: { data: (number | null)[][]; cpus: number } = { data: [[]], cpus: 0 };
  /** Points computed so far (for tests: appends compute only the new ones). */
  computed = 0;

  constructor(private readonly metric: Metric) {}

  update(snaps: CounterSnapshot[]): { data: (number | null)[][]; cpus: number } {
    const appendable =
      snaps === this.src &&
      snaps.length >= this.n &&
      (this.n === 0 || snaps[this.n - 1] === this.last) &&
      snaps.slice(this.n).every((s) => s.cpus.length <= this.cur.cpus);
    if (!appendable) {
      this.cur = seriesOf(snaps, this.metric);
      this.computed += snaps.length;
    } else {
      const [x, ...ys] = this.cur.data;
      for (let i = this.n; i < snaps.length; i++) {
        const s = snaps[i];
        const prev = snaps[i - 1];
        const dt = (s.t - (prev?.t ?? 0)) / 1000;
        x.push(s.t / 1000);
        for (let c = 0; c < this.cur.cpus; c++) {
          const k = s.cpus[c];
          ys[c].push(k ? this.metric.value(k, prev?.cpus[c], dt) : null);
        }
        this.computed++;
      }
    }
    this.src = snaps;
    this.n = snaps.length;
    this.last = snaps.at(-1);
    return this.cur;
  }
}

/** Whether a metric has a value at snapshot i of the history. */
function measuredAt(m: Metric, snaps: CounterSnapshot[], i: number): boolean {
  const s = snaps[i];
  const prev = snaps[i - 1];
  const dt = (s.t - (prev?.t ?? 0)) / 1000;
  return s.cpus.some((k, c) => m.value(k, prev?.cpus[c], dt) !== null);
}

/** The metrics a run measures (a value anywhere in its history), looking only at snapshots added since the last call. */
export class MeasuredMetrics {
  private src: CounterSnapshot[] | undefined;
  private n = 0;
  private last: CounterSnapshot | undefined;
  private readonly found = new Set<string>();

  update(snaps: CounterSnapshot[]): Metric[] {
    if (snaps !== this.src || snaps.length < this.n || (this.n > 0 && snaps[this.n - 1] !== this.last)) {
      this.found.clear();
      this.n = 0;
    }
    for (const m of METRICS) {
      if (this.found.has(m.key)) continue;
      for (let i = this.n; i < snaps.length; i++) {
        if (measuredAt(m, snaps, i)) {
          this.found.add(m.key);
          break;
        }
      }
    }
    this.src = snaps;
    this.n = snaps.length;
    this.last = snaps.at(-1);
    // Before the first snapshot every metric may yet be measured.
    return snaps.length === 0 ? METRICS : METRICS.filter((m) => this.found.has(m.key));
  }
}

const int = (v: number): string => v.toLocaleString('en-US');

export const SUMMARY_ROWS: { key: keyof RunSummary; label: string; format: (v: number) => string }[] = [
  { key: 'wallMs', label: 'run time', format: (v) => `${(v / 1000).toFixed(2)} s` },
  { key: 'cpus', label: 'vCPUs', format: int },
  { key: 'instructions', label: 'instructions', format: int },
  { key: 'mips', label: 'average MIPS', format: (v) => v.toFixed(1) },
  { key: 'tlbFills', label: 'TLB fills', format: int },
  { key: 'walks', label: 'page-table walks', format: int },
  { key: 'exceptions', label: 'exceptions', format: int },
  { key: 'mmioAccesses', label: 'MMIO accesses', format: int },
  { key: 'blocksDecoded', label: 'blocks decoded', format: int },
  { key: 'tlbiSent', label: 'TLBIs broadcast', format: int },
  { key: 'ipisSent', label: 'IPIs sent', format: int },
  { key: 'dsbWaits', label: 'DSB waits', format: int },
  { key: 'dsbWaitUs', label: 'time in DSB waits', format: (v) => `${(v / 1000).toFixed(1)} ms` },
  { key: 'ackLatencyMaxUs', label: 'worst shootdown ack', format: (v) => `${int(v)} µs` },
  { key: 'kvmExits', label: 'KVM exits', format: int },
  { key: 'kvmGuestMs', label: 'time in the guest (KVM_RUN)', format: (v) => `${(v / 1000).toFixed(2)} s` },
  { key: 'checkerReports', label: 'checker reports', format: int },
  { key: 'consoleBytes', label: 'console bytes', format: int },
];

/** A summary figure, or '—' when the run's machine does not measure it. */
export function formatRow(row: (typeof SUMMARY_ROWS)[number], s: RunSummary | undefined): string {
  const v = s?.[row.key];
  return v === undefined ? '—' : row.format(v);
}

export function describeOutcome(o: { kind: string; status?: number; message?: string } | undefined): string {
  if (!o) return '—';
  switch (o.kind) {
    case 'exit':
      return `exit status ${o.status}`;
    case 'poweroff':
      return 'powered off (PSCI SYSTEM_OFF)';
    case 'reset':
      return 'reset requested (not emulated as a reboot)';
    case 'stopped':
      return 'stopped by the user';
    default:
      return `error: ${o.message ?? ''}`;
  }
}

/** "2× cortex-a72 (cluster 0), 2× cortex-a53 (cluster 1)": runs of equal vCPUs grouped. */
export function describeCpus(cpus: VcpuSpec[]): string {
  const groups: { model: string; cluster?: number; n: number }[] = [];
  for (const c of cpus) {
    const g = groups.at(-1);
    if (g && g.model === c.model && g.cluster === c.cluster) g.n++;
    else groups.push({ model: c.model, cluster: c.cluster, n: 1 });
  }
  return groups
    .map((g) => `${g.n > 1 ? `${g.n}× ` : ''}${g.model}${g.cluster !== undefined && g.cluster !== null ? ` (cluster ${g.cluster})` : ''}`)
    .join(', ');
}

/** Summary figures of a run: the host's when it ended, otherwise from the latest snapshot (core/host/summary.ts, as the host computes them). */
export function liveSummary(
  final: RunSummary | undefined,
  snaps: CounterSnapshot[],
  consoleBytes: number,
  checkerReports?: number,
): RunSummary | undefined {
  if (final) return final;
  const last = snaps.at(-1);
  return last ? summaryOf(last, last.t, consoleBytes, checkerReports) : undefined;
}

/** Per-vCPU counter columns for the table under the plots: every field the latest snapshot has. */
export const VCPU_COLUMNS: { key: keyof VcpuCounters; label: string; format?: (v: number) => string }[] = [
  { key: 'instructions', label: 'instructions' },
  { key: 'mips', label: 'MIPS', format: (v) => v.toFixed(1) },
  { key: 'tlbFills', label: 'TLB fills' },
  { key: 'tlbHits', label: 'TLB hits' },
  { key: 'tlbMisses', label: 'TLB misses' },
  { key: 'tlbiLocal', label: 'TLBIs applied' },
  { key: 'walks', label: 'walks' },
  { key: 'translationFaults', label: 'translation faults' },
  { key: 'exceptions', label: 'exceptions' },
  { key: 'mmioAccesses', label: 'MMIO' },
  { key: 'blocksDecoded', label: 'blocks' },
  { key: 'tlbiSent', label: 'TLBI sent' },
  { key: 'tlbiReceived', label: 'TLBI received' },
  { key: 'dsbWaits', label: 'DSB waits' },
  { key: 'dsbWaitUs', label: 'DSB wait', format: (v) => `${(v / 1000).toFixed(1)} ms` },
  { key: 'ackLatencyAvgUs', label: 'ack avg', format: (v) => `${v.toFixed(0)} µs` },
  { key: 'ackLatencyP50Us', label: 'ack p50', format: (v) => `≤${int(v)} µs` },
  { key: 'ackLatencyP99Us', label: 'ack p99', format: (v) => `≤${int(v)} µs` },
  { key: 'ackLatencyMaxUs', label: 'ack max', format: (v) => `${int(v)} µs` },
  { key: 'ipisSent', label: 'IPIs sent' },
  { key: 'ipisReceived', label: 'IPIs received' },
  { key: 'wfiUs', label: 'WFI', format: (v) => `${(v / 1000).toFixed(1)} ms` },
  { key: 'kvmExits', label: 'KVM exits' },
  { key: 'kvmGuestMs', label: 'in guest', format: (v) => `${v.toFixed(1)} ms` },
  { key: 'kvmUserMs', label: 'in userspace', format: (v) => `${v.toFixed(1)} ms` },
];
