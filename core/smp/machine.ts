/**
 * An SMP `virt` machine: one worker thread per vCPU over the same guest RAM
 * (SharedArrayBuffers), coordinated through the shared control blocks of
 * layout.ts. Loading (kernel, initrd, DTB) goes through the single-vCPU board so
 * both machines boot the same way; vCPU 0 starts at the entry point, the others
 * wait powered off for PSCI CPU_ON.
 *
 * Devices: the PL011 (registers in a shared Int32Array, TX through per-vCPU rings
 * drained here) and the GIC distributor/redistributors (shared state behind an
 * Atomics lock; each worker attaches its own CPU interface) run in every vCPU worker
 * (DESIGN §2 allows simple devices there); devices with one home (the PL031 RTC now,
 * virtio later) live in the io worker (io-worker.ts), reached through per-vCPU MMIO
 * request slots. Counters: counters() reads every vCPU's block (layout.ts).
 */
import { Worker } from 'node:worker_threads';
import { VirtMachine, CNTFRQ_HZ, VIRT, type ConsoleIo, type RunOutcome, type VmConfig } from '../board/virt.js';
import type { Loadable } from '../loader/detect.js';
import { LoadError } from '../loader/elf.js';
import {
  C_ACK_LAT_MAX_US,
  C_ACK_LAT_US,
  C_DSB_WAITS,
  C_DSB_WAIT_US,
  C_EXC,
  C_INSNS_HI,
  C_INSNS_LO,
  C_IPI_RECV,
  C_IPI_SENT,
  C_LAT_HIST,
  C_MMIO,
  C_TLB_FILLS,
  C_TLB_HITS,
  C_WALKS,
  C_WFI_US,
  LAT_BUCKETS,
  latBucketUpper,
  C_TLBI_RECV,
  C_TLBI_SENT,
  C_TLBI_ISSUED,
  C_SGI_RECV,
  C_SGI_SENT,
  C_EXC_CLASS,
  EXC_CLASSES,
  MAX_CPUS,
  M_NCPUS,
  M_PARKED,
  P_PAUSE,
  PENDING,
  M_STATUS,
  M_STOP,
  M_STOP_KIND,
  STATE,
  S_OFF,
  cpuBase,
  sharedWords,
  wake,
} from './layout.js';
import { Ring, ringBytes } from './rings.js';
import type { CheckerReport } from '../mmu/checker.js';
import { CheckerShared } from '../mmu/checker-shared.js';
import { createGic, type Gic } from '../board/gic.js';
import { pl011State } from '../board/pl011.js';
import { SLOT_WORDS } from '../kvm/shared.js';
import type { IoInit } from './io-worker.js';
import { STOP_ERROR, STOP_EXIT, STOP_POWEROFF, STOP_RESET, type VcpuInit } from './vcpu.js';
import type { AccessKind, InspectResult } from '../mmu/inspect.js';
import type { InspectReply, InspectRequest } from './vcpu-worker.js';

export interface SmpCounters {
  cpu: number;
  instructions: number;
  /** Fast-TLB fills, architectural-TLB hits, table walks. */
  tlbFills: number;
  tlbHits: number;
  walks: number;
  exceptions: number;
  mmioAccesses: number;
  /** GIC kicks sent to / received from other vCPUs (SGIs, routed SPIs). */
  ipisSent: number;
  ipisReceived: number;
  /** Time asleep in WFI/WFE. */
  wfiUs: number;
  tlbiSent: number;
  tlbiReceived: number;
  dsbWaits: number;
  dsbWaitUs: number;
  ackLatencyAvgUs: number;
  ackLatencyMaxUs: number;
  /** Median and 99th percentile of shootdown acknowledgement latency (upper bound of a log2 bucket, µs). */
  ackLatencyP50Us: number;
  ackLatencyP99Us: number;
  /** TLBI instructions this vCPU executed (tlbiSent counts the shootdown requests it posted, one per target). */
  tlbiIssued: number;
  /** SGIs this vCPU generated (one per target) and SGIs made pending on it (GICv3; ipisSent/Received count every GIC kick). */
  sgisSent: number;
  sgisReceived: number;
  /** Interrupts taken: IRQ, FIQ, SError. */
  irqs: number;
  fiqs: number;
  serrors: number;
  /** Synchronous exceptions by class, the classes taken at least once: `exc.svc64` … (ESR_ELx.EC names). */
  [ec: `exc.${string}`]: number;
}

/**
 * The SMP counters `armlab run --stats` adds to its per-vCPU line: TLBI instructions issued,
 * interrupts taken and synchronous exceptions by class (the fields SmpCounters adds beyond the
 * common ones), e.g. "TLBI instructions 300, IRQs 12, exceptions by class: dabt_same 3".
 */
export function formatSmpCounterExtras(k: Partial<SmpCounters>): string {
  const parts = [
    `TLBI instructions ${k.tlbiIssued ?? 0}`,
    `SGIs sent ${k.sgisSent ?? 0} received ${k.sgisReceived ?? 0}`,
    `IRQs ${k.irqs ?? 0}`,
  ];
  if (k.fiqs) parts.push(`FIQs ${k.fiqs}`);
  if (k.serrors) parts.push(`SErrors ${k.serrors}`);
  const cls = Object.entries(k as Record<string, number>)
    .filter(([name, n]) => name.startsWith('exc.') && n !== 0)
    .map(([name, n]) => `${name.slice(4)} ${n}`);
  if (cls.length > 0) parts.push(`exceptions by class: ${cls.join(', ')}`);
  return parts.join(', ');
}

/** ESR_ELx.EC names (Arm ARM D17.2.37) for the exception-class counters; others appear as exc.ec_0xNN. */
const EC_NAMES: Record<number, string> = {
  0x00: 'unknown',
  0x01: 'wfx',
  0x07: 'fp_access',
  0x0e: 'illegal_state',
  0x15: 'svc64',
  0x16: 'hvc64',
  0x17: 'smc64',
  0x18: 'sysreg',
  0x20: 'iabt_lower',
  0x21: 'iabt_same',
  0x22: 'pc_align',
  0x24: 'dabt_lower',
  0x25: 'dabt_same',
  0x26: 'sp_align',
  0x2c: 'fp_exc',
  0x2f: 'serror_sync',
  0x3c: 'brk64',
};

/** The per-class exception counters of vCPU block `b` as `exc.<name>` fields (non-zero ones). */
function exceptionClasses(w: Int32Array, b: number): Record<`exc.${string}`, number> {
  const out: Record<`exc.${string}`, number> = {};
  for (let ec = 0; ec < 64; ec++) {
    const n = Atomics.load(w, b + C_EXC_CLASS + ec);
    if (n !== 0) out[`exc.${EC_NAMES[ec] ?? 'ec_0x' + ec.toString(16).padStart(2, '0')}`] = n;
  }
  return out;
}

/** Percentile `q` of a latency histogram (bucket counts, layout.ts latBucket): the upper bound (µs) of the bucket that holds it; 0 when empty. */
export function histPercentile(h: ArrayLike<number>, q: number): number {
  let total = 0;
  for (let k = 0; k < h.length; k++) total += h[k];
  if (total === 0) return 0;
  let acc = 0;
  for (let k = 0; k < h.length; k++) {
    acc += h[k];
    if (acc >= q * total) return latBucketUpper(k);
  }
  return latBucketUpper(h.length - 1);
}

type WorkerMsg =
  | { kind: 'done'; error: string; state: string; icount: number }
  | { kind: 'crash'; message: string; state: string }
  | { kind: 'check'; report: CheckerReport }
  | InspectReply;

export class SmpMachine {
  readonly board: VirtMachine;
  readonly ncpus: number;
  private readonly shared: SharedArrayBuffer;
  private readonly w: Int32Array;
  private readonly rings: SharedArrayBuffer;
  private readonly consoleRings: Ring[] = [];
  private readonly inputRing: Ring;
  private workers: Worker[] = [];
  private exits: Promise<void>[] = [];
  private readonly results: (Exclude<WorkerMsg, { kind: 'check' | 'inspected' }> | undefined)[] = [];
  /** Inspector requests sent to a vCPU worker, by id, until it answers (or exits). */
  private readonly inspections = new Map<number, { cpu: number; done: (m: InspectReply) => void }>();
  private nextInspect = 1;
  private readonly startNs = (performance.timeOrigin + performance.now()) * 1e6;

  constructor(
    readonly config: VmConfig & { cpus: number },
    private readonly console: ConsoleIo,
    private readonly workerUrl: URL,
    /** Checker mode: every vCPU checks TLB maintenance; reports arrive here. */
    private readonly onCheck?: (r: CheckerReport) => void,
  ) {
    if (!Number.isInteger(config.cpus) || config.cpus < 2 || config.cpus > MAX_CPUS) {
      throw new LoadError(`--cpus ${config.cpus}: an SMP machine has 2 to ${MAX_CPUS} vCPUs`);
    }
    this.ncpus = config.cpus;
    this.board = new VirtMachine(config, { write: () => {} });
    this.shared = new SharedArrayBuffer(4 * sharedWords(this.ncpus));
    this.w = new Int32Array(this.shared);
    this.w[M_NCPUS] = this.ncpus;
    this.w[M_STATUS] = -1;
    for (let i = 0; i < this.ncpus; i++) this.w[cpuBase(i) + STATE] = S_OFF;
    this.rings = new SharedArrayBuffer(ringBytes() * (this.ncpus + 1));
    for (let i = 0; i < this.ncpus; i++) this.consoleRings.push(new Ring(this.rings, i * ringBytes()));
    this.inputRing = new Ring(this.rings, this.ncpus * ringBytes());
    this.gic = createGic(config.gic ?? 3, this.ncpus);
    this.ioSlots = new SharedArrayBuffer(4 * SLOT_WORDS * this.ncpus);
  }

  /** Shared interrupt controller and UART state for every vCPU worker. */
  private readonly gic: Gic;
  private readonly uartState = pl011State(true);
  /** The io worker and the vCPUs' MMIO request slots to it. */
  private io: Worker | undefined;
  private ioExit: Promise<void> | undefined;
  private readonly ioSlots: SharedArrayBuffer;

  load(l: Loadable, initrd?: Uint8Array): void {
    this.board.load(l, initrd);
    // As the board does for one vCPU: a Linux kernel boots with interrupts in Group 1.
    if (l.kind !== 'elf') this.gic.resetNonSecure();
  }

  sendInput(bytes: Uint8Array): void {
    this.inputRing.write(bytes, () => true);
  }

  /** Start the io worker and every vCPU worker; vCPU 0 at the loaded entry point. */
  start(): void {
    const ioInit: IoInit = {
      ncpus: this.ncpus,
      shared: this.shared,
      gicSab: this.gic.sab,
      gicVersion: this.gic.version,
      slots: this.ioSlots,
    };
    this.io = new Worker(new URL('./io-worker.js', this.workerUrl), { workerData: ioInit });
    this.ioExit = new Promise<void>((r) => this.io!.once('exit', () => r()));
    this.io.on('error', (e) => {
      this.results[0] = { kind: 'crash', message: `io worker: ${e.stack ?? String(e)}`, state: '' };
      this.stopWith(STOP_ERROR);
    });
    const b = this.board;
    const c0 = b.cpu;
    const ram = b.bus.ram.map((r) => ({ base: r.base, size: r.size, sab: r.sab }));
    const ramEnd = b.ramBase + this.config.mem;
    const checkShared = this.onCheck
      ? CheckerShared.create(
          b.bus.ram.map((r) => r.size),
          this.ncpus,
        )
      : undefined;
    for (let i = 0; i < this.ncpus; i++) {
      const init: VcpuInit = {
        id: i,
        ncpus: this.ncpus,
        model: this.config.topology?.[i].model ?? this.config.cpu,
        affinities: this.config.topology?.map((t) => t.affinity) ?? Array.from({ length: this.ncpus }, (_, k) => ((k >> 3) << 8) | (k & 7)),
        ram,
        shared: this.shared,
        rings: this.rings,
        hasEl2: c0.hasEl2,
        hasEl3: c0.hasEl3,
        cntfrqHz: CNTFRQ_HZ,
        startNs: this.startNs,
        uartBase: VIRT.UART0,
        psciConduit: b.psciConduit,
        cmdline: this.config.cmdline ?? '',
        heap: { base: b.ramBase, limit: ramEnd },
        check: checkShared?.init,
        gicSab: this.gic.sab,
        gicVersion: this.gic.version,
        uartState: this.uartState,
        ioSlots: this.ioSlots,
        boot: i === 0 ? { pc: c0.pc.toString(), el: c0.el, x: [0, 1, 2, 3].map((n) => c0.getX(n).toString()) } : undefined,
      };
      const wk = new Worker(this.workerUrl, { workerData: init });
      wk.on('message', (m: WorkerMsg) => {
        if (m.kind === 'check') {
          this.onCheck?.(m.report);
          return;
        }
        if (m.kind === 'inspected') {
          this.inspections.get(m.id)?.done(m);
          this.inspections.delete(m.id);
          return;
        }
        this.results[i] = m;
        if (m.kind === 'crash') this.stopWith(STOP_ERROR);
      });
      wk.on('error', (e) => {
        this.results[i] = { kind: 'crash', message: e.stack ?? String(e), state: '' };
        this.stopWith(STOP_ERROR);
      });
      this.workers.push(wk);
      this.exits.push(new Promise<void>((r) => wk.once('exit', () => r())));
      wk.once('exit', () => {
        for (const [id, q] of this.inspections)
          if (q.cpu === i) {
            q.done({ kind: 'inspected', id, error: `vCPU ${i}'s worker has ended` });
            this.inspections.delete(id);
          }
      });
    }
  }

  private stopWith(kind: number): void {
    Atomics.compareExchange(this.w, M_STOP_KIND, 0, kind);
    Atomics.store(this.w, M_STOP, 1);
    for (let i = 0; i < this.ncpus; i++) wake(this.w, i);
  }

  /**
   * Parks every vCPU at its next block-group boundary; resolves when all are parked (or the
   * machine stopped). Parked vCPUs keep acknowledging shootdowns, so a DSB elsewhere cannot
   * deadlock. The guest's clock keeps running while paused (the counter follows host time).
   */
  async pause(): Promise<void> {
    // A resume in flight: wait until every vCPU has left its parked state first.
    while (Atomics.load(this.w, M_PARKED) > 0 && !this.stopped) await new Promise((r) => setTimeout(r, 1));
    for (let i = 0; i < this.ncpus; i++) {
      Atomics.or(this.w, cpuBase(i) + PENDING, P_PAUSE);
      wake(this.w, i);
    }
    for (;;) {
      const n = Atomics.load(this.w, M_PARKED);
      if (n >= this.ncpus || this.stopped) return;
      const r = (
        Atomics as unknown as {
          waitAsync: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string };
        }
      ).waitAsync(this.w, M_PARKED, n, 50);
      if (r.async) await r.value;
    }
  }

  /**
   * Translates `va` with vCPU `cpu`'s registers and TLB (core/mmu/inspect.ts), without touching the TLB.
   * Only while paused: the vCPU's state lives in its worker, which answers while parked (vcpu-worker.ts).
   */
  inspect(cpu: number, va: bigint, access: AccessKind, el?: number): Promise<InspectResult> {
    if (this.stopped) return Promise.reject(new Error("the run has ended: the vCPUs' worker threads are gone"));
    if (Atomics.load(this.w, M_PARKED) < this.ncpus)
      return Promise.reject(new Error('pause the VM first: on an SMP machine each vCPU answers the inspector while parked'));
    const wk = this.workers[cpu];
    if (!wk) return Promise.reject(new Error(`vCPU ${cpu} does not exist`));
    const id = this.nextInspect++;
    return new Promise((resolve, reject) => {
      this.inspections.set(id, { cpu, done: (m) => (m.result ? resolve(m.result) : reject(new Error(m.error ?? 'inspection failed'))) });
      const req: InspectRequest = { kind: 'inspect', id, va: va.toString(), access, el };
      wk.postMessage(req);
      wake(this.w, cpu);
    });
  }

  resume(): void {
    for (let i = 0; i < this.ncpus; i++) {
      Atomics.and(this.w, cpuBase(i) + PENDING, ~P_PAUSE);
      wake(this.w, i);
    }
  }

  /** Guest console output gathered since the last call, vCPU by vCPU. */
  drainConsole(): void {
    for (const r of this.consoleRings) {
      const bytes = r.readAll();
      if (bytes.length) this.console.write(bytes);
    }
  }

  get stopped(): boolean {
    return Atomics.load(this.w, M_STOP) !== 0;
  }

  /** Stop (if not stopped yet) and wait for every worker; returns the outcome. */
  async finish(timedOut: boolean): Promise<RunOutcome> {
    if (!this.stopped) this.stopWith(STOP_ERROR);
    await Promise.all(this.exits);
    if (this.io) {
      // The io worker ends by itself once it sees the stop; do not wait for ever if it cannot.
      await Promise.race([this.ioExit, new Promise((r) => setTimeout(r, 500))]);
      void this.io.terminate();
    }
    this.drainConsole();
    if (timedOut) return { kind: 'timeout' };
    const crash = this.results.find((r) => r?.kind === 'crash');
    if (crash) return { kind: 'error', message: `vCPU worker crashed: ${crash.message}` };
    switch (Atomics.load(this.w, M_STOP_KIND)) {
      case STOP_EXIT:
        return { kind: 'exit', status: Atomics.load(this.w, M_STATUS) };
      case STOP_POWEROFF:
        return { kind: 'poweroff' };
      case STOP_RESET:
        return { kind: 'reset' };
      default: {
        const err = this.results.find((r) => r?.kind === 'done' && r.error);
        return { kind: 'error', message: err && err.kind === 'done' ? err.error : 'stopped' };
      }
    }
  }

  /** Where each vCPU was when it stopped (for error reports). */
  describe(): string {
    return this.results.map((r, i) => `vCPU ${i}: ${r?.state ?? '(no report)'}`).join('\n');
  }

  /** vCPU `cpu`'s shootdown acknowledgement-latency histogram (bucket counts; layout.ts latBucket). */
  latencyHistogram(cpu: number): number[] {
    const b = cpuBase(cpu);
    return Array.from({ length: LAT_BUCKETS }, (_, k) => Atomics.load(this.w, b + C_LAT_HIST + k));
  }

  counters(): SmpCounters[] {
    const out: SmpCounters[] = [];
    for (let i = 0; i < this.ncpus; i++) {
      const b = cpuBase(i);
      const hist = this.latencyHistogram(i);
      const recv = Atomics.load(this.w, b + C_TLBI_RECV);
      out.push({
        cpu: i,
        instructions: Atomics.load(this.w, b + C_INSNS_HI) * 0x40000000 + Atomics.load(this.w, b + C_INSNS_LO),
        tlbFills: Atomics.load(this.w, b + C_TLB_FILLS) >>> 0,
        tlbHits: Atomics.load(this.w, b + C_TLB_HITS) >>> 0,
        walks: Atomics.load(this.w, b + C_WALKS),
        exceptions: Atomics.load(this.w, b + C_EXC),
        mmioAccesses: Atomics.load(this.w, b + C_MMIO),
        ipisSent: Atomics.load(this.w, b + C_IPI_SENT),
        ipisReceived: Atomics.load(this.w, b + C_IPI_RECV),
        wfiUs: Atomics.load(this.w, b + C_WFI_US),
        tlbiSent: Atomics.load(this.w, b + C_TLBI_SENT),
        tlbiReceived: recv,
        dsbWaits: Atomics.load(this.w, b + C_DSB_WAITS),
        dsbWaitUs: Atomics.load(this.w, b + C_DSB_WAIT_US),
        ackLatencyAvgUs: recv ? Atomics.load(this.w, b + C_ACK_LAT_US) / recv : 0,
        ackLatencyMaxUs: Atomics.load(this.w, b + C_ACK_LAT_MAX_US),
        ackLatencyP50Us: histPercentile(hist, 0.5),
        ackLatencyP99Us: histPercentile(hist, 0.99),
        tlbiIssued: Atomics.load(this.w, b + C_TLBI_ISSUED),
        sgisSent: Atomics.load(this.w, b + C_SGI_SENT),
        sgisReceived: Atomics.load(this.w, b + C_SGI_RECV),
        irqs: Atomics.load(this.w, b + C_EXC_CLASS + 65),
        fiqs: Atomics.load(this.w, b + C_EXC_CLASS + 66),
        serrors: Atomics.load(this.w, b + C_EXC_CLASS + EXC_CLASSES - 1),
        ...exceptionClasses(this.w, b),
      });
    }
    return out;
  }
}
