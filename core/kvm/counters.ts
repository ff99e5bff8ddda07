/** KVM per-vCPU counters: decoding the shared Float64Array the vCPU worker fills (layout in shared.ts). */
import {
  C_GUEST_NS,
  C_IO,
  C_MMIO_READS,
  C_MMIO_UNMAPPED,
  C_MMIO_WAIT_NS,
  C_MMIO_WRITES,
  C_RUNS,
  C_USER_NS,
  COUNTER_WORDS,
  EXIT_CODES,
} from './shared.js';

/** Names of KVM exit codes (include/uapi/linux/kvm.h), for the exits-by-reason table. */
export const EXIT_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'EXCEPTION',
  2: 'IO',
  3: 'HYPERCALL',
  4: 'DEBUG',
  5: 'HLT',
  6: 'MMIO',
  7: 'IRQ_WINDOW_OPEN',
  8: 'SHUTDOWN',
  9: 'FAIL_ENTRY',
  10: 'INTR',
  17: 'INTERNAL_ERROR',
  24: 'SYSTEM_EVENT',
  28: 'ARM_NISV',
};

export interface KvmVcpuCounters {
  vcpu: number;
  /** Exits by reason name (only reasons seen). INTR counts interrupted runs (kicks, signals). */
  exits: Record<string, number>;
  mmioReads: number;
  mmioWrites: number;
  mmioUnmapped: number;
  io: number;
  runs: number;
  /** Seconds inside KVM_RUN, and in userspace between runs (of which waiting for MMIO replies). */
  guestSec: number;
  userSec: number;
  mmioWaitSec: number;
}

export function counterWords(ncpus: number): number {
  return COUNTER_WORDS * ncpus;
}

export function readCounters(c: Float64Array, vcpu: number): KvmVcpuCounters {
  const b = vcpu * COUNTER_WORDS;
  const exits: Record<string, number> = {};
  for (let code = 0; code < EXIT_CODES; code++) {
    const n = c[b + code];
    if (n > 0) exits[EXIT_NAMES[code] ?? `EXIT_${code}`] = n;
  }
  return {
    vcpu,
    exits,
    mmioReads: c[b + C_MMIO_READS],
    mmioWrites: c[b + C_MMIO_WRITES],
    mmioUnmapped: c[b + C_MMIO_UNMAPPED],
    io: c[b + C_IO],
    runs: c[b + C_RUNS],
    guestSec: c[b + C_GUEST_NS] / 1e9,
    userSec: c[b + C_USER_NS] / 1e9,
    mmioWaitSec: c[b + C_MMIO_WAIT_NS] / 1e9,
  };
}

/** One line per vCPU for CLI reports: exits by reason, MMIO, where the time went. */
export function formatKvmCounters(k: KvmVcpuCounters): string {
  const exits = Object.entries(k.exits)
    .sort((a, b) => b[1] - a[1])
    .map(([n, v]) => `${n} ${v}`)
    .join(', ');
  const ms = (s: number): string => (s * 1000).toFixed(1);
  return (
    `vCPU ${k.vcpu}: ${k.runs} KVM_RUN calls, exits: ${exits || 'none'}; MMIO ${k.mmioReads} reads ${k.mmioWrites} writes` +
    `${k.mmioUnmapped ? ` (${k.mmioUnmapped} to no device)` : ''}; in guest ${ms(k.guestSec)} ms, in userspace ${ms(k.userSec)} ms (MMIO replies ${ms(k.mmioWaitSec)} ms)`
  );
}
