/**
 * One VM in a worker thread (bundled to dist/vm-worker.js and out/main/vm-worker.js).
 *
 * One vCPU: runs VirtMachine in short slices (~5 ms) and reads the control word
 * that VmHost sets in shared memory between slices, so pause and stop take
 * effect within a slice.
 *
 * More vCPUs: runs an SmpMachine (core/smp/machine.ts), which starts one vCPU
 * worker per vCPU (nested worker threads, vcpu-worker.js) over shared guest RAM.
 * This thread only relays: it drains the console rings every few ms, samples
 * SmpMachine.counters() every 100 ms, forwards checker reports, and turns the
 * control word into a stop of every vCPU. Pause needs the vCPU workers to park
 * at a slice boundary (layout.ts P_PAUSE): used when SmpMachine offers
 * pause()/resume(), refused with a reason until then.
 *
 * KVM backend (arm64 hosts): runs a KvmVirt (core/kvm/virt-kvm.ts): KVM vCPU workers, the
 * PL011/PL031 models answering their MMIO exits on this thread, KVM's counters (exits by
 * reason, MMIO, time in the guest and in userspace) on the same counter stream.
 *
 * Console bytes, counter snapshots and checker reports go back by postMessage,
 * batched (console at most every 50 ms or 32 KiB, counters every 100 ms), so
 * reporting costs the VM almost nothing.
 *
 * States: loading → running ⇄ paused → ended (stays alive for inspector queries).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VirtMachine, type ConsoleIo, type RunOutcome, type VmConfig } from '../board/virt.js';
import { detect } from '../loader/detect.js';
import { formatReport, type CheckerReport as CoreCheckerReport } from '../mmu/checker.js';
import { inspectTranslation } from '../mmu/inspect.js';
import { SmpMachine } from '../smp/machine.js';
import type { KvmVcpuCounters } from '../kvm/counters.js';
import { describeKvm } from '../kvm/info.js';
import { KvmVirt, kvmHostLimits } from '../kvm/virt-kvm.js';
import type { CheckerReport, CounterSnapshot, Inspection, Outcome, RunControls, VcpuCounters } from './api.js';
import { BootProgress } from './boot-progress.js';
import { topologyOf } from './config.js';
import { CTRL, PAUSE, RUN, STOP, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js';

const SLICE_TARGET_MS = 5;
const CONSOLE_FLUSH_MS = 50;
const COUNTER_MS = 100;
/** How often the SMP relay drains the vCPUs' console rings (they hold 64 KiB each). */
const SMP_POLL_MS = 5;
/** Checker reports forwarded to the host per run; the rest are counted only. */
const CHECKER_FORWARD = 500;

const port = parentPort!;
const init = workerData as WorkerInit;
const ctrl = new Int32Array(init.control);
const post = (m: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer ?? []);

/** Console output collected between flushes; Linux boots also report their milestones as progress. */
class ConsoleBatch implements ConsoleIo {
  private buf = new Uint8Array(32 * 1024);
  private n = 0;
  /** Set for kernel boots until init is reached; `clock` is the run clock of the run that started. */
  boot: { progress: BootProgress; clock?: Clock } | undefined =
    init.spec.boot.kind === 'kernel' ? { progress: new BootProgress() } : undefined;
  write(b: Uint8Array): void {
    if (this.n + b.length > this.buf.length) {
      this.flush();
      if (b.length > this.buf.length) this.buf = new Uint8Array(b.length);
    }
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  flush(): void {
    if (this.n === 0) return;
    const bytes = this.buf.slice(0, this.n);
    this.n = 0;
    const step = this.boot?.progress.feed(bytes);
    post({ kind: 'console', bytes }, [bytes.buffer]);
    if (step) {
      post({ kind: 'progress', ...step, elapsedMs: Math.round(this.boot?.clock?.now() ?? 0) });
      if (this.boot?.progress.done) this.boot = undefined;
    }
  }
}

/** Checker reports collected between flushes (the first CHECKER_FORWARD of the run; all are counted). */
class CheckerBatch {
  total = 0;
  private batch: CheckerReport[] = [];
  add = (r: CoreCheckerReport): void => {
    this.total++;
    if (this.total > CHECKER_FORWARD) return;
    this.batch.push({
      kind: r.kind,
      cpu: r.cpu,
      pc: r.pc,
      va: r.va,
      descriptorPa: r.descPa,
      old: r.old,
      new: r.new,
      detail: r.detail,
      message: formatReport(r).replace(/^checker: /, ''),
    });
  };
  flush(): void {
    if (this.batch.length === 0 && this.total <= CHECKER_FORWARD) return;
    post({ kind: 'checker', reports: this.batch, total: this.total });
    this.batch = [];
  }
}

/** Run time excluding pauses. */
class Clock {
  private runMs = 0;
  private since = performance.now();
  pause(): void {
    this.runMs += performance.now() - this.since;
  }
  resume(): void {
    this.since = performance.now();
  }
  now(): number {
    return this.runMs + (performance.now() - this.since);
  }
}

/** Counter snapshots with rates over the last interval, from whatever per-vCPU counters the machine reads. */
class Meter {
  readonly clock = new Clock();
  private prevT = 0;
  private prevInsns: number[] = [];
  constructor(private readonly read: () => Omit<VcpuCounters, 'mips'>[]) {}
  snapshot(t = this.clock.now()): CounterSnapshot {
    const dt = t - this.prevT;
    const cpus = this.read().map((c, i): VcpuCounters => {
      const prev = this.prevInsns[i] ?? 0;
      this.prevInsns[i] = c.instructions;
      return { ...c, mips: dt > 0 ? (c.instructions - prev) / (dt * 1000) : 0 };
    });
    this.prevT = t;
    return { t: Math.round(t * 10) / 10, cpus };
  }
}

/** SmpMachine.counters() fields that VcpuCounters names; any other numeric field goes to `other`. */
const KNOWN = new Set<string>([
  'instructions',
  'tlbFills',
  'walks',
  'translationFaults',
  'exceptions',
  'mmioAccesses',
  'blocksDecoded',
  'tlbiSent',
  'tlbiReceived',
  'dsbWaits',
  'dsbWaitUs',
  'ackLatencyAvgUs',
  'ackLatencyMaxUs',
  'tlbHits',
  'tlbiLocal',
  'tlbMisses',
  'ipisSent',
  'ipisReceived',
  'wfiUs',
  'ackLatencyP50Us',
  'ackLatencyP99Us',
]);

function fromSmpCounters(k: object, index: number): Omit<VcpuCounters, 'mips'> {
  const src = k as Record<string, unknown>;
  const out: Record<string, unknown> = { cpu: typeof src.cpu === 'number' ? src.cpu : index, instructions: 0 };
  const other: Record<string, number> = {};
  for (const [name, v] of Object.entries(src)) {
    if (name === 'cpu') continue;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) continue;
    if (KNOWN.has(name)) out[name] = n;
    else other[name] = n;
  }
  if (Object.keys(other).length > 0) out.other = other;
  return out as unknown as Omit<VcpuCounters, 'mips'>;
}

function machineConfig(): VmConfig & { cpus: number } {
  const s = init.spec;
  return {
    cpu: s.cpus[0].model,
    cpus: s.cpus.length,
    topology: topologyOf(s),
    mem: s.memory[0].size,
    ramBase: s.memory[0].base,
    extraRam: s.memory.slice(1),
    virtualization: s.entryEl === 2,
    secure: s.entryEl === 3,
    cmdline: s.boot.append,
    gic: s.gic,
  };
}

function checkExtraRam(board: VirtMachine): void {
  for (const r of init.spec.memory.slice(1)) {
    if (!board.bus.ram.some((x) => x.base === r.base))
      throw new Error(`this build's board does not place extra RAM regions yet (region at 0x${r.base.toString(16)})`);
  }
}

function toOutcome(o: RunOutcome): Outcome {
  switch (o.kind) {
    case 'exit':
    case 'poweroff':
    case 'reset':
    case 'error':
      return o;
    default:
      return { kind: 'error', message: `unexpected run outcome '${o.kind}'` };
  }
}

function parseVa(text: string): bigint {
  const t = text.trim().replace(/_/g, '');
  if (!/^(0x)?[0-9a-f]+$/i.test(t)) throw new Error(`'${text}' is not a hexadecimal address`);
  const va = BigInt(t.toLowerCase().startsWith('0x') ? t : '0x' + t);
  if (va >= 1n << 64n) throw new Error(`${text} is wider than 64 bits`);
  return va;
}

function inspect(vm: VirtMachine, msg: Extract<ToWorker, { kind: 'inspect' }>): void {
  const q = msg.query;
  try {
    const va = parseVa(q.va);
    if (q.el !== undefined && (q.el < 0 || q.el > 3)) throw new Error(`EL${q.el} does not exist`);
    const result: Inspection = inspectTranslation(vm.cpu, vm.mmu, va, q.access, q.el ?? vm.cpu.el);
    post({ kind: 'inspected', id: msg.id, result });
  } catch (e) {
    post({ kind: 'inspected', id: msg.id, error: (e as Error).message });
  }
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Atomics.waitAsync (Node 16+; in TypeScript's ES2024 lib, newer than this project's ES2023). */
type WaitAsync = (
  a: Int32Array,
  index: number,
  value: number,
  ms?: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Waits until the control word leaves `value` (or `ms` passes), without blocking message handling. */
async function waitWhile(value: number, ms?: number): Promise<void> {
  const w = waitAsync(ctrl, CTRL, value, ms);
  if (w.async) await w.value;
}

/**
 * The machine has stopped at a pause: stop the run clock, flush (`flush`), report the counters and
 * 'paused', hold until the control word leaves PAUSE, restart the machine (`resume`) and the clock,
 * and report 'resumed' unless the host asked to stop meanwhile.
 */
async function holdPaused(meter: Meter, flush: () => void, resume: () => void = () => {}): Promise<void> {
  meter.clock.pause();
  flush();
  post({ kind: 'counters', snapshot: meter.snapshot() });
  post({ kind: 'paused' });
  await waitWhile(PAUSE);
  resume();
  meter.clock.resume();
  if (Atomics.load(ctrl, CTRL) === RUN) post({ kind: 'resumed' });
}

// ------------------------------------------------------------ one vCPU

async function runSingle(out: ConsoleBatch, checker: CheckerBatch): Promise<void> {
  let vm: VirtMachine;
  try {
    vm = new VirtMachine(machineConfig(), out);
    checkExtraRam(vm);
    if (init.spec.checkTlb) vm.mmu.enableChecker(checker.add);
    vm.load(detect(init.program, init.spec.boot.path), init.initrd);
  } catch (e) {
    out.flush();
    post({ kind: 'failed', message: (e as Error).message });
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'input') vm.sendInput(m.bytes);
    else inspect(vm, m);
  });
  post({ kind: 'loaded', controls: { pause: true, inspect: true, notes: [] } });
  const { cpu, mmu, blocks } = vm;
  const meter = new Meter(() => [
    {
      cpu: cpu.id,
      instructions: cpu.icount,
      tlbFills: cpu.mem.tlbMisses,
      // Fast-path hits plus architectural-TLB hits after a fast-path miss; a miss needed a walk (Mmu.tlbHits/tlbMisses).
      tlbHits: mmu.tlbHits,
      tlbMisses: mmu.tlbMisses,
      walks: mmu.walks,
      tlbiLocal: mmu.tlbiByScope.reduce((a, b) => a + b, 0),
      translationFaults: mmu.faults,
      exceptions: cpu.excCount,
      mmioAccesses: cpu.mem.mmioAccesses,
      blocksDecoded: blocks.blocksBuilt,
      other: mmu.detailCounters(),
    },
  ]);
  const clock = meter.clock;
  if (out.boot) out.boot.clock = clock;
  let budget = 100_000;
  let lastFlush = performance.now();
  let lastSnap = performance.now();
  const end = (outcome: Outcome): void => {
    clock.pause();
    out.flush();
    checker.flush();
    const wallMs = clock.now();
    post({ kind: 'ended', outcome, snapshot: meter.snapshot(wallMs), wallMs, checkerTotal: checker.total });
  };
  for (;;) {
    const c = Atomics.load(ctrl, CTRL);
    if (c === STOP) return end({ kind: 'stopped' });
    if (c === PAUSE) {
      await holdPaused(meter, () => {
        out.flush();
        checker.flush();
      });
      continue;
    }
    const s0 = performance.now();
    const o = vm.runSlice(budget);
    const t = performance.now();
    const dt = t - s0;
    if (dt < SLICE_TARGET_MS / 2) budget = Math.min(budget * 2, 20_000_000);
    else if (dt > SLICE_TARGET_MS * 2) budget = Math.max(budget >> 1, 5_000);
    if (o.kind !== 'budget') return end(toOutcome(o));
    if (t - lastFlush >= CONSOLE_FLUSH_MS) {
      out.flush();
      checker.flush();
      lastFlush = t;
    }
    if (t - lastSnap >= COUNTER_MS) {
      post({ kind: 'counters', snapshot: meter.snapshot() });
      lastSnap = t;
    }
    // WFI: sleep a little (woken at once by a control change); otherwise just let messages in.
    if (vm.cpu.halted) await waitWhile(RUN, 1);
    else await nextTurn();
  }
}

// ------------------------------------------------------------ SMP

const SMP_INSPECT_NOTE =
  "SMP: the translation inspector answers while the VM is paused (each vCPU's registers and TLB live in its own worker thread)";

/** An inspector request on an SMP machine, answered by the chosen vCPU's worker while paused. */
async function inspectSmp(smp: SmpMachine, msg: Extract<ToWorker, { kind: 'inspect' }>): Promise<void> {
  const q = msg.query;
  try {
    const va = parseVa(q.va);
    if (q.el !== undefined && (q.el < 0 || q.el > 3)) throw new Error(`EL${q.el} does not exist`);
    const result: Inspection = await smp.inspect(q.cpu ?? 0, va, q.access, q.el);
    post({ kind: 'inspected', id: msg.id, result });
  } catch (e) {
    post({ kind: 'inspected', id: msg.id, error: (e as Error).message });
  }
}

async function runSmp(out: ConsoleBatch, checker: CheckerBatch): Promise<void> {
  let smp: SmpMachine;
  try {
    smp = new SmpMachine(machineConfig(), out, new URL(init.vcpuWorkerUrl), init.spec.checkTlb ? checker.add : undefined);
    checkExtraRam(smp.board);
    smp.load(detect(init.program, init.spec.boot.path), init.initrd);
  } catch (e) {
    out.flush();
    post({ kind: 'failed', message: (e as Error).message });
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'input') smp.sendInput(m.bytes);
    else void inspectSmp(smp, m);
  });
  const controls: RunControls = { pause: true, inspect: true, notes: [SMP_INSPECT_NOTE] };
  const meter = new Meter(() => smp.counters().map((k, i) => fromSmpCounters(k, i)));
  const clock = meter.clock;
  if (out.boot) out.boot.clock = clock;
  smp.start();
  post({ kind: 'loaded', controls });
  let lastFlush = performance.now();
  let lastSnap = performance.now();
  let stoppedByUser = false;
  for (;;) {
    const c = Atomics.load(ctrl, CTRL);
    if (c === STOP) {
      stoppedByUser = !smp.stopped;
      break;
    }
    if (c === PAUSE) {
      // Keep draining the console while the vCPUs reach a slice boundary: one blocked on a full ring never would.
      let parked = false;
      const done = smp.pause().then(() => void (parked = true));
      while (!parked && !smp.stopped) {
        smp.drainConsole();
        await Promise.race([done, new Promise((r) => setTimeout(r, SMP_POLL_MS))]);
      }
      if (!parked) break; // the guest ended meanwhile
      await holdPaused(
        meter,
        () => {
          smp.drainConsole();
          out.flush();
          checker.flush();
        },
        () => smp.resume(),
      );
      continue;
    }
    if (smp.stopped) break;
    smp.drainConsole();
    const t = performance.now();
    if (t - lastFlush >= CONSOLE_FLUSH_MS) {
      out.flush();
      checker.flush();
      lastFlush = t;
    }
    if (t - lastSnap >= COUNTER_MS) {
      post({ kind: 'counters', snapshot: meter.snapshot() });
      lastSnap = t;
    }
    await waitWhile(RUN, SMP_POLL_MS);
  }
  const o = await smp.finish(false);
  clock.pause();
  const wallMs = clock.now();
  let outcome: Outcome = stoppedByUser ? { kind: 'stopped' } : toOutcome(o);
  if (outcome.kind === 'error') outcome = { kind: 'error', message: `${outcome.message}\n${smp.describe()}` };
  out.flush();
  checker.flush();
  post({ kind: 'ended', outcome, snapshot: meter.snapshot(wallMs), wallMs, checkerTotal: checker.total });
}

// ------------------------------------------------------------ KVM (arm64 hosts)

const KVM_NO_INSPECT =
  "the translation inspector is not available under KVM: the host CPU walks the guest's page tables, armlab cannot see its TLB";

/** KVM's per-vCPU counters on the same stream as TCG's: exits by reason, MMIO, time in the guest and in userspace. */
function fromKvmCounters(k: KvmVcpuCounters): Omit<VcpuCounters, 'mips'> {
  const other: Record<string, number> = {};
  for (const [name, n] of Object.entries(k.exits)) other[`exits.${name}`] = n;
  other.mmioUnmapped = k.mmioUnmapped;
  other.mmioWaitMs = Math.round(k.mmioWaitSec * 1e4) / 10;
  return {
    cpu: k.vcpu,
    instructions: 0,
    mmioAccesses: k.mmioReads + k.mmioWrites,
    kvmExits: Object.values(k.exits).reduce((a, b) => a + b, 0),
    kvmGuestMs: Math.round(k.guestSec * 1e4) / 10,
    kvmUserMs: Math.round(k.userSec * 1e4) / 10,
    other,
  };
}

async function runKvm(out: ConsoleBatch): Promise<void> {
  const s = init.spec;
  let board: KvmVirt;
  try {
    const info = describeKvm();
    board = await KvmVirt.create(
      { cpus: s.cpus.length, memory: s.memory, cmdline: s.boot.append, gic: s.gic },
      kvmHostLimits(info),
      detect(init.program, s.boot.path),
      out,
      init.initrd,
      new URL('./kvm-vcpu-worker.js', init.vcpuWorkerUrl),
    );
  } catch (e) {
    out.flush();
    post({ kind: 'failed', message: `KVM: ${(e as Error).message}` });
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'input') board.sendInput(m.bytes);
    else post({ kind: 'inspected', id: m.id, error: KVM_NO_INSPECT });
  });
  const meter = new Meter(() => board.counters().map(fromKvmCounters));
  const clock = meter.clock;
  if (out.boot) out.boot.clock = clock;
  const ended = board.wait();
  let finished = false;
  void ended.then(() => (finished = true));
  board.start();
  post({ kind: 'loaded', controls: { pause: true, inspect: false, notes: [KVM_NO_INSPECT] } });
  let lastSnap = performance.now();
  let stoppedByUser = false;
  while (!finished) {
    const c = Atomics.load(ctrl, CTRL);
    if (c === STOP) {
      stoppedByUser = true;
      await board.stop();
      break;
    }
    if (c === PAUSE) {
      await board.pause();
      if (finished) break;
      await holdPaused(
        meter,
        () => out.flush(),
        () => board.resume(),
      );
      continue;
    }
    out.flush();
    const t = performance.now();
    if (t - lastSnap >= COUNTER_MS) {
      post({ kind: 'counters', snapshot: meter.snapshot() });
      lastSnap = t;
    }
    await Promise.race([ended, waitWhile(RUN, CONSOLE_FLUSH_MS)]);
  }
  const o = await ended;
  clock.pause();
  const wallMs = clock.now();
  const snapshot = meter.snapshot(wallMs);
  const state = board.describe();
  await board.close();
  let outcome: Outcome = stoppedByUser || o.kind === 'stopped' ? { kind: 'stopped' } : toOutcome(o);
  if (outcome.kind === 'error') outcome = { kind: 'error', message: `${outcome.message}\n${state}` };
  out.flush();
  post({ kind: 'ended', outcome, snapshot, wallMs, checkerTotal: 0 });
}

async function main(): Promise<void> {
  const out = new ConsoleBatch();
  const checker = new CheckerBatch();
  try {
    if (init.spec.backend === 'kvm') await runKvm(out);
    else if (init.spec.cpus.length > 1) await runSmp(out, checker);
    else await runSingle(out, checker);
  } catch (e) {
    out.flush();
    post({ kind: 'failed', message: `emulator error: ${(e as Error).stack ?? (e as Error).message}` });
  }
}

void main();
