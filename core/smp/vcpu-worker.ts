/** Worker entry of one vCPU (bundled as dist/vcpu-worker.js). */
import { parentPort, workerData } from 'node:worker_threads';
import { SmpVcpu, type VcpuInit } from './vcpu.js';

const v = new SmpVcpu(workerData as VcpuInit);
try {
  v.run();
  parentPort?.postMessage({ kind: 'done', error: v.errorMessage, state: v.describe(), icount: v.cpu.icount });
} catch (e) {
  parentPort?.postMessage({ kind: 'crash', message: (e as Error).stack ?? String(e), state: v.describe() });
}
