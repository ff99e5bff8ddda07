/**
 * A run's summary figures from its last counter snapshot: computed the same way by the host
 * when a run ends and by the renderer while it runs. The renderer imports it (eslint.config.js
 * allowFiles): keep it pure, with type-only imports and no Node APIs.
 */
import type { CounterSnapshot, RunSummary, VcpuCounters } from './api.js';

/** Sum of a counter over the vCPUs, or undefined when no vCPU measures it. */
function total(cpus: VcpuCounters[], f: (c: VcpuCounters) => number | undefined): number | undefined {
  let sum: number | undefined;
  for (const c of cpus) {
    const v = f(c);
    if (v !== undefined) sum = (sum ?? 0) + v;
  }
  return sum;
}

export function summaryOf(snapshot: CounterSnapshot, wallMs: number, consoleBytes: number, checkerReports?: number): RunSummary {
  const cpus = snapshot.cpus;
  const instructions = total(cpus, (c) => c.instructions) ?? 0;
  const max = cpus.reduce<number | undefined>(
    (a, c) => (c.ackLatencyMaxUs === undefined ? a : Math.max(a ?? 0, c.ackLatencyMaxUs)),
    undefined,
  );
  const s: RunSummary = {
    wallMs: Math.round(wallMs),
    cpus: cpus.length,
    instructions,
    mips: wallMs > 0 ? instructions / (wallMs * 1000) : 0,
    tlbFills: total(cpus, (c) => c.tlbFills),
    walks: total(cpus, (c) => c.walks),
    exceptions: total(cpus, (c) => c.exceptions),
    mmioAccesses: total(cpus, (c) => c.mmioAccesses),
    blocksDecoded: total(cpus, (c) => c.blocksDecoded),
    consoleBytes,
    tlbiSent: total(cpus, (c) => c.tlbiSent),
    ipisSent: total(cpus, (c) => c.ipisSent),
    dsbWaits: total(cpus, (c) => c.dsbWaits),
    dsbWaitUs: total(cpus, (c) => c.dsbWaitUs),
    ackLatencyMaxUs: max,
    kvmExits: total(cpus, (c) => c.kvmExits),
    kvmGuestMs: total(cpus, (c) => c.kvmGuestMs),
    checkerReports,
  };
  // Not measured: absent (JSON drops undefined anyway; keep the object the same on both transports).
  for (const k of Object.keys(s) as (keyof RunSummary)[]) if (s[k] === undefined) delete s[k];
  return s;
}
