/**
 * The device side of the KVM MMIO path: answers the vCPU workers' MMIO request
 * slots from a PhysBus, i.e. the same `Device` objects (PL011, …) the TCG
 * backend uses. It runs on whichever thread owns the devices (the VM's owner
 * today, the io worker once devices move there) and waits with Atomics.waitAsync,
 * so that thread stays free for its event loop.
 */
import type { PhysBus } from '../mem/bus.js';
import {
  SLOT_ADDR_HI,
  SLOT_ADDR_LO,
  SLOT_DATA_HI,
  SLOT_DATA_LO,
  SLOT_LEN,
  SLOT_REPLY,
  SLOT_REQUEST,
  SLOT_STATE,
  SLOT_UNMAPPED,
  SLOT_WORDS,
  SLOT_WRITE,
  waitAsync,
} from './shared.js';

export class MmioServer {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  /** Accesses that hit no device (reads return 0, writes are dropped), for diagnostics. */
  unmapped = 0;

  constructor(
    private readonly bus: PhysBus,
    private readonly slots: Int32Array,
    ncpus: number,
  ) {
    for (let i = 0; i < ncpus; i++) this.loops.push(this.serve(i * SLOT_WORDS));
  }

  /** Stop answering (after the vCPU workers are gone) and wait for the loops to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (let i = 0; i * SLOT_WORDS < this.slots.length; i++) Atomics.notify(this.slots, i * SLOT_WORDS + SLOT_STATE);
    await Promise.all(this.loops);
  }

  private async serve(b: number): Promise<void> {
    const s = this.slots;
    while (!this.stopped) {
      const st = Atomics.load(s, b + SLOT_STATE);
      if (st !== SLOT_REQUEST) {
        const w = waitAsync(s, b + SLOT_STATE, st);
        if (w.async) await w.value;
        continue;
      }
      this.handle(b);
      Atomics.store(s, b + SLOT_STATE, SLOT_REPLY);
      Atomics.notify(s, b + SLOT_STATE);
    }
  }

  /** One access: offset-relative read/write on the device at the address (8-byte accesses as two words). */
  private handle(b: number): void {
    const s = this.slots;
    const addr = (s[b + SLOT_ADDR_HI] >>> 0) * 2 ** 32 + (s[b + SLOT_ADDR_LO] >>> 0);
    const len = s[b + SLOT_LEN];
    const r = this.bus.find(addr);
    s[b + SLOT_UNMAPPED] = 0;
    if (!r || r.kind !== 'mmio') {
      this.unmapped++;
      s[b + SLOT_UNMAPPED] = 1;
      s[b + SLOT_DATA_LO] = 0;
      s[b + SLOT_DATA_HI] = 0;
      return;
    }
    const off = addr - r.base;
    const d = r.device;
    if (s[b + SLOT_WRITE] !== 0) {
      if (len === 8) {
        d.write(off, 4, s[b + SLOT_DATA_LO] >>> 0);
        d.write(off + 4, 4, s[b + SLOT_DATA_HI] >>> 0);
      } else {
        d.write(off, len, s[b + SLOT_DATA_LO] >>> 0);
      }
      return;
    }
    if (len === 8) {
      s[b + SLOT_DATA_LO] = d.read(off, 4);
      s[b + SLOT_DATA_HI] = d.read(off + 4, 4);
    } else {
      const mask = len >= 4 ? -1 : (1 << (8 * len)) - 1;
      s[b + SLOT_DATA_LO] = d.read(off, len) & mask;
      s[b + SLOT_DATA_HI] = 0;
    }
  }
}
