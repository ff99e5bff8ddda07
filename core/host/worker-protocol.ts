/**
 * The protocol between VmHost and its VM worker. Internal to core/host: nothing
 * outside core/host may depend on these messages.
 *
 * One VM worker per VM. With one vCPU it runs VirtMachine itself; with more it
 * runs an SmpMachine (core/smp/machine.ts), which starts one vCPU worker per
 * vCPU (nested worker threads) over shared guest RAM, and relays their console,
 * counters and checker reports in the same messages.
 */
import type { CheckerReport, CounterSnapshot, Inspection, InspectQuery, Outcome, RunControls, VmSpec } from './api.js';

/** Control word values (Int32Array over a SharedArrayBuffer, index CTRL). */
export const CTRL = 0;
export const RUN = 0;
export const PAUSE = 1;
export const STOP = 2;

export interface WorkerInit {
  spec: VmSpec;
  program: Uint8Array;
  initrd?: Uint8Array;
  /** Control block: [CTRL] = RUN | PAUSE | STOP; the host sets it and notifies. */
  control: SharedArrayBuffer;
  /** The vCPU worker bundle (vcpu-worker.js) as a file: URL, for SMP machines. */
  vcpuWorkerUrl: string;
}

/** Host → worker (besides the control word). */
export type ToWorker = { kind: 'input'; bytes: Uint8Array } | { kind: 'inspect'; id: number; query: InspectQuery };

/** Worker → host. */
export type FromWorker =
  | { kind: 'loaded'; controls: RunControls }
  | { kind: 'paused' }
  | { kind: 'resumed' }
  /** The pause request was refused (this machine cannot pause); the VM keeps running. */
  | { kind: 'pause-refused'; message: string }
  /** Console bytes, batched. */
  | { kind: 'console'; bytes: Uint8Array }
  | { kind: 'counters'; snapshot: CounterSnapshot }
  /** Linux boot milestone `step` of `steps` reached (core/host/boot-progress.ts) at `elapsedMs` of run time. */
  | { kind: 'progress'; phase: string; fraction: number; step: number; steps: number; elapsedMs: number }
  /** Checker reports, batched; `total` counts every report of the run so far (also those not forwarded). */
  | { kind: 'checker'; reports: CheckerReport[]; total: number }
  | { kind: 'inspected'; id: number; result?: Inspection; error?: string }
  /** The run ended; the worker stays alive for inspector queries until the host terminates it. */
  | { kind: 'ended'; outcome: Outcome; snapshot: CounterSnapshot; wallMs: number; checkerTotal: number }
  | { kind: 'failed'; message: string };
