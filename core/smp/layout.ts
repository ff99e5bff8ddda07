/**
 * Shared memory of an SMP machine (one SharedArrayBuffer, Int32 words), visible to
 * the main thread and every vCPU worker:
 *
 *   word 0..15            machine words (M_STOP flag, exit status and kind, vCPU count,
 *                         parked count, the 128-bit atomics lock, the fence word)
 *   per vCPU i, at CPU_BASE + i * CPU_WORDS:
 *     PENDING   bits polled every 16 blocks and between run slices: P_SHOOTDOWN (mailbox
 *               not empty), P_PAUSE, P_CPU_ON, P_IRQ (the GIC changed this vCPU's
 *               interrupt state), P_EVENT (another PE executed SEV); a stop is the
 *               machine word M_STOP, seen by every vCPU
 *     WAKE      futex word: Atomics.wait while asleep (WFI/WFE, OFF, parked), bumped + notified to wake
 *     STATE     PSCI state: OFF, ON, ON_PENDING
 *     ENTRY/CTX CPU_ON entry point and context id (lo, hi words), EL to enter at
 *     OUTSTANDING  shootdown requests this CPU posted and not yet acknowledged
 *     MB_LOCK, MB_COUNT  the mailbox of requests posted *to* this CPU (requests from MB_SLOTS)
 *     counters  instructions, TLB, TLBI issued/posted/received, DSB waits, IPIs, WFI time,
 *               exceptions by class (C_EXC_CLASS), the ack-latency histogram (C_LAT_HIST)
 */

export const MAX_CPUS = 8;

// Machine words.
export const M_STOP = 0; // non-zero: every vCPU stops
export const M_STATUS = 1; // exit status (semihosting), or -1
export const M_STOP_KIND = 2; // 1 exit, 2 poweroff, 3 reset, 4 error
export const M_NCPUS = 3;
/** vCPUs parked for a pause (P_PAUSE), counted by the vCPUs, watched by SmpMachine.pause(). */
export const M_PARKED = 4;
/** Lock of 128-bit atomics (LDXP/STXP/CASP on X pairs), shared by every vCPU worker. */
export const M_LOCK128 = 5;
/** A word used only as the target of fencing Atomics operations (DMB/DSB). */
export const M_FENCE = 15;
export const MACHINE_WORDS = 16;

// Per-vCPU words (offsets within a CPU block).
export const PENDING = 0;
export const WAKE = 1;
export const STATE = 2;
export const ENTRY_LO = 3;
export const ENTRY_HI = 4;
export const CTX_LO = 5;
export const CTX_HI = 6;
export const ENTRY_EL = 7;
export const OUTSTANDING = 8;
export const MB_LOCK = 9;
export const MB_COUNT = 10;
// Counters.
export const C_TLBI_SENT = 11;
export const C_TLBI_RECV = 12;
export const C_DSB_WAITS = 13;
export const C_DSB_WAIT_US = 14;
export const C_ACK_LAT_US = 15;
export const C_ACK_LAT_MAX_US = 16;
export const C_INSNS_LO = 17; // instruction count (mod 2^31 chunks: lo + hi * 2^31)
export const C_INSNS_HI = 18;
export const C_TLB_FILLS = 19; // fast-TLB fills (MemPath misses)
export const C_WALKS = 20; // table walks
export const C_EXC = 21; // exceptions taken
export const C_IPI_SENT = 22; // GIC kicks to another vCPU (SGIs, SPIs routed there)
export const C_IPI_RECV = 23;
export const C_WFI_US = 24; // time asleep in WFI/WFE (µs)
export const C_TLB_HITS = 25; // TLB hits: fast-path hits + architectural-TLB hits (Mmu.tlbHits; mod 2^32)
export const C_MMIO = 26;
export const C_TLBI_ISSUED = 27; // TLBI instructions this vCPU executed (C_TLBI_SENT counts requests posted)
export const C_SGI_SENT = 28; // SGIs this vCPU generated (GICv3 ICC_SGI*R), one per target
export const C_SGI_RECV = 29; // SGIs made pending on this vCPU (counted by the sender)
/** Exceptions by class (Cpu.excByClass: 64 ECs, then IRQ, FIQ, SError at 65..67). */
export const C_EXC_CLASS = 64;
export const EXC_CLASSES = 68;

/**
 * Shootdown acknowledgement latency histogram (µs): one bucket per µs below 16 µs, then four
 * per octave (buckets end at 19, 23, 27, 31, 39 … µs) up to 2^24 µs (latBucket).
 */
export const C_LAT_HIST = 144;
export const LAT_BUCKETS = 16 + 20 * 4;

/** Histogram bucket of a latency of `us` whole microseconds. */
export function latBucket(us: number): number {
  if (us < 16) return Math.max(0, us);
  const e = Math.floor(Math.log2(us));
  const sub = Math.floor((us / 2 ** e - 1) * 4);
  return Math.min(LAT_BUCKETS - 1, 16 + (e - 4) * 4 + sub);
}

/** Largest latency (µs) bucket `k` can hold: exact below 16 µs, then the quarter-octave's upper bound. */
export function latBucketUpper(k: number): number {
  if (k < 16) return k;
  const e = 4 + Math.floor((k - 16) / 4);
  return 2 ** e * (1 + ((k - 16) % 4) / 4 + 0.25) - 1;
}

/** Header words of a CPU block; the mailbox's requests follow. */
export const MB_SLOTS = C_LAT_HIST + LAT_BUCKETS;
/** Words of a mailbox request (shootdown.ts header words; vcpu.ts encodeTlbi: 12–13 the range length). */
export const REQ_WORDS = 14;
export const MB_CAPACITY = 16;
export const CPU_WORDS = MB_SLOTS + MB_CAPACITY * REQ_WORDS; // 464

export const CPU_BASE = MACHINE_WORDS;

// PENDING bits.
export const P_SHOOTDOWN = 1;
// Bit 2 is free: a stop is the machine word M_STOP, which every vCPU checks.
export const P_PAUSE = 4;
export const P_CPU_ON = 8;
/** The GIC changed this vCPU's interrupt state (an SGI, an SPI routed here …). */
export const P_IRQ = 16;
/** Another PE executed SEV: set this PE's event register (and wake it from WFE). */
export const P_EVENT = 32;

// PSCI states (AFFINITY_INFO values).
export const S_ON = 0;
export const S_OFF = 1;
export const S_ON_PENDING = 2;

export function sharedWords(ncpus: number): number {
  return CPU_BASE + ncpus * CPU_WORDS;
}

export function cpuBase(i: number): number {
  return CPU_BASE + i * CPU_WORDS;
}

/** Bump a CPU's wake word and wake it if it sleeps. */
export function wake(w: Int32Array, i: number): void {
  const k = cpuBase(i) + WAKE;
  Atomics.add(w, k, 1);
  Atomics.notify(w, k);
}
