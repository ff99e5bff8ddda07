/** Worker entry of one vCPU (bundled as dist/vcpu-worker.js). */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { inspectTranslation, type AccessKind, type InspectResult } from '../mmu/inspect.js';
import { SmpVcpu, type VcpuInit } from './vcpu.js';

/** SmpMachine.inspect → this worker: translate `va` (decimal) with this vCPU's registers and TLB. */
export interface InspectRequest {
  kind: 'inspect';
  id: number;
  va: string;
  access: AccessKind;
  el?: number;
}
export type InspectReply = { kind: 'inspected'; id: number; result?: InspectResult; error?: string };

const v = new SmpVcpu(workerData as VcpuInit);

// The run loop never yields to the event loop: inspector requests wait in the port and are answered
// while the vCPU is parked (paused), where its registers and TLB hold still.
v.whileParked = () => {
  for (let m = receiveMessageOnPort(parentPort!); m; m = receiveMessageOnPort(parentPort!)) {
    const q = m.message as InspectRequest;
    if (q.kind !== 'inspect') continue;
    let reply: InspectReply;
    try {
      reply = { kind: 'inspected', id: q.id, result: inspectTranslation(v.cpu, v.mmu, BigInt(q.va), q.access, q.el ?? v.cpu.el) };
    } catch (e) {
      reply = { kind: 'inspected', id: q.id, error: (e as Error).message };
    }
    parentPort!.postMessage(reply);
  }
};

try {
  v.run();
  parentPort?.postMessage({ kind: 'done', error: v.errorMessage, state: v.describe(), icount: v.cpu.icount });
} catch (e) {
  parentPort?.postMessage({ kind: 'crash', message: (e as Error).stack ?? String(e), state: v.describe() });
}
