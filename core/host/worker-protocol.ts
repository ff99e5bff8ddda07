/**
 * The protocol between VmHost and its VM worker. Internal to core/host: the SMP
 * work replaces the one worker with an io worker and vCPU workers behind the
 * same HostApi, so nothing outside core/host may depend on these messages.
 */
import type { CounterSnapshot, Inspection, InspectQuery, Outcome, VmSpec } from './api.js';

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
}

/** Host → worker (besides the control word). */
export type ToWorker = { kind: 'input'; bytes: Uint8Array } | { kind: 'inspect'; id: number; query: InspectQuery };

/** Worker → host. */
export type FromWorker =
  | { kind: 'loaded' }
  | { kind: 'paused' }
  | { kind: 'resumed' }
  /** Console bytes, batched. */
  | { kind: 'console'; bytes: Uint8Array }
  | { kind: 'counters'; snapshot: CounterSnapshot }
  | { kind: 'inspected'; id: number; result?: Inspection; error?: string }
  /** The run ended; the worker stays alive for inspector queries until the host terminates it. */
  | { kind: 'ended'; outcome: Outcome; snapshot: CounterSnapshot; wallMs: number }
  | { kind: 'failed'; message: string };
