/**
 * The io worker (DESIGN.md §2, bundled as dist/io-worker.js): hosts the devices
 * whose state lives in one place (the PL031 RTC now; virtio devices later) and
 * answers every vCPU's MMIO request slot (MmioServer, the same server the KVM
 * backend uses). Device interrupts go to the shared GIC; a GIC kick for a vCPU
 * sets its shared PENDING bit and wakes it, as from any vCPU worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PhysBus } from '../mem/bus.js';
import { MmioServer } from '../kvm/mmio-server.js';
import { createGic, type GicVersion } from '../board/gic.js';
import { Pl031 } from '../board/pl031.js';
import { VIRT } from '../board/virt.js';
import { M_STOP, PENDING, P_IRQ, cpuBase, wake } from './layout.js';

export interface IoInit {
  ncpus: number;
  shared: SharedArrayBuffer;
  gicSab: SharedArrayBuffer;
  gicVersion: GicVersion;
  slots: SharedArrayBuffer;
}

const init = workerData as IoInit;
const w = new Int32Array(init.shared);
const gic = createGic(init.gicVersion, init.ncpus, init.gicSab);
gic.onRemoteKick = (k) => {
  Atomics.or(w, cpuBase(k) + PENDING, P_IRQ);
  wake(w, k);
};
const bus = new PhysBus();
const rtc = new Pl031(
  () => Date.now() / 1000,
  (level) => gic.raiseSpi(32 + VIRT.RTC_SPI, level),
);
bus.addDevice(VIRT.RTC, 0x1000, rtc);
const server = new MmioServer(bus, new Int32Array(init.slots), init.ncpus);
// The RTC's match interrupt follows host time; poll it, and notice the machine stopping.
const timer = setInterval(() => {
  rtc.poll();
  if (Atomics.load(w, M_STOP) !== 0) {
    clearInterval(timer);
    void server.stop().then(() => parentPort?.postMessage({ kind: 'done' }));
  }
}, 20);
parentPort?.postMessage({ kind: 'ready' });
