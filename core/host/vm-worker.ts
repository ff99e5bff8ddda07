/**
 * One VM in a worker thread (bundled to dist/vm-worker.js and out/main/vm-worker.js).
 *
 * Runs VirtMachine in short slices (~5 ms) and reads the control word that
 * VmHost sets in shared memory between slices, so pause and stop take effect
 * within a slice. Console bytes and counter snapshots go back by postMessage,
 * batched (console at most every 50 ms or 32 KiB, counters every 100 ms), so
 * reporting costs the VM almost nothing.
 *
 * States: loading → running ⇄ paused → ended (stays alive for inspector queries).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VirtMachine, type ConsoleIo, type RunOutcome, type VmConfig } from '../board/virt.js';
import { detect } from '../loader/detect.js';
import { inspectTranslation } from '../mmu/inspect.js';
import type { CounterSnapshot, Inspection, Outcome, VcpuCounters } from './api.js';
import { CTRL, PAUSE, RUN, STOP, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js';

const SLICE_TARGET_MS = 5;
const CONSOLE_FLUSH_MS = 50;
const COUNTER_MS = 100;

const port = parentPort!;
const init = workerData as WorkerInit;
const ctrl = new Int32Array(init.control);
const post = (m: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer ?? []);

/** Console output collected between flushes. */
class ConsoleBatch implements ConsoleIo {
  private buf = new Uint8Array(32 * 1024);
  private n = 0;
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
    post({ kind: 'console', bytes }, [bytes.buffer]);
  }
}

/** Run time excluding pauses, and counter snapshots with rates over the last interval. */
class Meter {
  private runMs = 0;
  private since = performance.now();
  private prevT = 0;
  private prevInsns = 0;
  constructor(private readonly vm: VirtMachine) {}
  pause(): void {
    this.runMs += performance.now() - this.since;
  }
  resume(): void {
    this.since = performance.now();
  }
  now(): number {
    return this.runMs + (performance.now() - this.since);
  }
  snapshot(t = this.now()): CounterSnapshot {
    const { cpu, mmu, blocks } = this.vm;
    const dt = t - this.prevT;
    const c: VcpuCounters = {
      cpu: cpu.id,
      instructions: cpu.icount,
      mips: dt > 0 ? (cpu.icount - this.prevInsns) / (dt * 1000) : 0,
      tlbFills: cpu.mem.tlbMisses,
      walks: mmu.walks,
      translationFaults: mmu.faults,
      exceptions: cpu.excCount,
      mmioAccesses: cpu.mem.mmioAccesses,
      blocksDecoded: blocks.blocksBuilt,
    };
    this.prevT = t;
    this.prevInsns = cpu.icount;
    return { t: Math.round(t * 10) / 10, cpus: [c] };
  }
}

function machineConfig(): VmConfig & { extraRam?: { base: number; size: number }[] } {
  const s = init.spec;
  return {
    cpu: s.cpus[0].model,
    mem: s.memory[0].size,
    ramBase: s.memory[0].base,
    extraRam: s.memory.slice(1),
    virtualization: s.entryEl === 2,
    secure: s.entryEl === 3,
    cmdline: s.boot.append,
  };
}

function boot(out: ConsoleBatch): VirtMachine {
  const vm = new VirtMachine(machineConfig(), out);
  for (const r of init.spec.memory.slice(1)) {
    if (!vm.bus.ram.some((x) => x.base === r.base))
      throw new Error(`this build's board does not place extra RAM regions yet (region at 0x${r.base.toString(16)})`);
  }
  vm.load(detect(init.program, init.spec.boot.path), init.initrd);
  return vm;
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

function inspect(vm: VirtMachine, msg: Extract<ToWorker, { kind: 'inspect' }>): void {
  const q = msg.query;
  try {
    if (!/^(0x)?[0-9a-f_]+$/i.test(q.va.trim())) throw new Error(`'${q.va}' is not a hexadecimal address`);
    const va = BigInt(q.va.trim().toLowerCase().startsWith('0x') ? q.va.trim().replace(/_/g, '') : '0x' + q.va.trim().replace(/_/g, ''));
    if (va >= 1n << 64n) throw new Error(`${q.va} is wider than 64 bits`);
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

async function run(vm: VirtMachine, out: ConsoleBatch): Promise<void> {
  const meter = new Meter(vm);
  let budget = 100_000;
  let lastFlush = performance.now();
  let lastSnap = performance.now();
  const end = (outcome: Outcome): void => {
    meter.pause();
    out.flush();
    const wallMs = meter.now();
    post({ kind: 'ended', outcome, snapshot: meter.snapshot(wallMs), wallMs });
  };
  for (;;) {
    const c = Atomics.load(ctrl, CTRL);
    if (c === STOP) return end({ kind: 'stopped' });
    if (c === PAUSE) {
      meter.pause();
      out.flush();
      post({ kind: 'counters', snapshot: meter.snapshot() });
      post({ kind: 'paused' });
      await waitWhile(PAUSE);
      meter.resume();
      if (Atomics.load(ctrl, CTRL) === RUN) post({ kind: 'resumed' });
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

async function main(): Promise<void> {
  const out = new ConsoleBatch();
  let vm: VirtMachine;
  try {
    vm = boot(out);
  } catch (e) {
    out.flush();
    post({ kind: 'failed', message: (e as Error).message });
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'input') vm.sendInput(m.bytes);
    else inspect(vm, m);
  });
  post({ kind: 'loaded' });
  try {
    await run(vm, out);
  } catch (e) {
    out.flush();
    post({ kind: 'failed', message: `emulator error: ${(e as Error).stack ?? (e as Error).message}` });
  }
}

void main();
