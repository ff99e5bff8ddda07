/**
 * Worker entry of one KVM vCPU (bundled to native/build/worker/ by worker-bundle.ts).
 * Creates the vCPU in this thread — vCPU ioctls must come from the thread that
 * runs it — reports `ready` with its kick token, runs, and reports the outcome.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { KvmAddon } from './addon.js';
import { VcpuLoop, type VcpuOutcome, type VcpuWorkerInit } from './vcpu-loop.js';

export type FromVcpuWorker =
  { kind: 'ready'; id: number; kickToken: number } | { kind: 'done'; id: number; outcome: VcpuOutcome; runs: number; runNs: number };

const init = workerData as VcpuWorkerInit;
const port = parentPort!;

function main(): FromVcpuWorker {
  let loop: VcpuLoop;
  try {
    const addon = createRequire(import.meta.url)(init.addonPath) as KvmAddon;
    loop = new VcpuLoop(addon, init);
  } catch (e) {
    return { kind: 'done', id: init.id, outcome: { kind: 'error', message: (e as Error).message }, runs: 0, runNs: 0 };
  }
  port.postMessage({ kind: 'ready', id: init.id, kickToken: loop.vcpu.kickToken } satisfies FromVcpuWorker);
  const outcome = loop.run();
  return { kind: 'done', id: init.id, outcome, runs: loop.vcpu.runs, runNs: loop.vcpu.runNs };
}

port.postMessage(main());
