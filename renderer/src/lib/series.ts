/** Counter snapshots → plot series: per-vCPU rates over each interval (no smoothing, no invented points). */
import type { CounterSnapshot, RunSummary, VcpuCounters } from '../../../core/host/api';

export interface Metric {
  key: string;
  title: string;
  unit: string;
  /** The value of one vCPU at snapshot i (given the previous snapshot), or null when it cannot be known. */
  value(cur: VcpuCounters, prev: VcpuCounters | undefined, dtSec: number): number | null;
}

const rate =
  (f: (c: VcpuCounters) => number | undefined) =>
  (cur: VcpuCounters, prev: VcpuCounters | undefined, dt: number): number | null => {
    const a = f(cur);
    if (a === undefined || dt <= 0) return null;
    const b = prev ? (f(prev) ?? 0) : 0;
    return (a - b) / dt;
  };

export const METRICS: Metric[] = [
  { key: 'mips', title: 'MIPS', unit: 'M instructions/s', value: (c) => c.mips },
  { key: 'tlbFills', title: 'TLB fills', unit: 'per second', value: rate((c) => c.tlbFills) },
  { key: 'walks', title: 'Page-table walks', unit: 'per second', value: rate((c) => c.walks) },
  { key: 'exceptions', title: 'Exceptions', unit: 'per second', value: rate((c) => c.exceptions) },
  { key: 'mmio', title: 'MMIO accesses', unit: 'per second', value: rate((c) => c.mmioAccesses) },
  { key: 'tlbis', title: 'TLBIs', unit: 'per second (with SMP)', value: rate((c) => c.tlbis) },
  { key: 'ipis', title: 'IPIs', unit: 'per second (with SMP)', value: rate((c) => c.ipis) },
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

export const SUMMARY_ROWS: { key: keyof RunSummary; label: string; format: (v: number) => string }[] = [
  { key: 'wallMs', label: 'run time', format: (v) => `${(v / 1000).toFixed(2)} s` },
  { key: 'instructions', label: 'instructions', format: (v) => v.toLocaleString('en-US') },
  { key: 'mips', label: 'average MIPS', format: (v) => v.toFixed(1) },
  { key: 'tlbFills', label: 'TLB fills', format: (v) => v.toLocaleString('en-US') },
  { key: 'walks', label: 'page-table walks', format: (v) => v.toLocaleString('en-US') },
  { key: 'exceptions', label: 'exceptions', format: (v) => v.toLocaleString('en-US') },
  { key: 'mmioAccesses', label: 'MMIO accesses', format: (v) => v.toLocaleString('en-US') },
  { key: 'blocksDecoded', label: 'blocks decoded', format: (v) => v.toLocaleString('en-US') },
  { key: 'consoleBytes', label: 'console bytes', format: (v) => v.toLocaleString('en-US') },
];

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

/** Summary figures of a run: the host's when it ended, otherwise from the latest snapshot. */
export function liveSummary(final: RunSummary | undefined, snaps: CounterSnapshot[], consoleBytes: number): RunSummary | undefined {
  if (final) return final;
  const last = snaps.at(-1);
  if (!last) return undefined;
  const sum = (f: (c: VcpuCounters) => number): number => last.cpus.reduce((a, c) => a + f(c), 0);
  const instructions = sum((c) => c.instructions);
  return {
    wallMs: last.t,
    instructions,
    mips: last.t > 0 ? instructions / (last.t * 1000) : 0,
    tlbFills: sum((c) => c.tlbFills),
    walks: sum((c) => c.walks),
    exceptions: sum((c) => c.exceptions),
    mmioAccesses: sum((c) => c.mmioAccesses),
    blocksDecoded: sum((c) => c.blocksDecoded),
    consoleBytes,
  };
}
