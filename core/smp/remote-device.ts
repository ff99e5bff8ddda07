/**
 * The vCPU side of the io worker path (DESIGN.md §2): a Device whose accesses are
 * written into this vCPU's MMIO request slot (core/kvm/shared.ts layout, served by
 * MmioServer in the io worker) and waited for synchronously with Atomics.wait.
 */
import type { Device } from '../mem/bus.js';
import { SLOT_DATA_HI, SLOT_DATA_LO, slotDone, slotRequest } from '../kvm/shared.js';

export class RemoteDevice implements Device {
  /** High word of the last 8-byte read (Device convention in MemPath). */
  hi = 0;
  /** Round trips made (for --stats). */
  requests = 0;

  constructor(
    readonly name: string,
    private readonly base: number,
    private readonly slots: Int32Array,
    private readonly slot: number,
    /** Give up waiting when the machine stops (the io worker may be gone). */
    private readonly stopped: () => boolean,
  ) {}

  private call(offset: number, size: number, write: boolean, lo: number): number {
    const s = this.slots;
    const b = this.slot;
    if (!slotRequest(s, b, this.base + offset, size, write, lo, 0, this.stopped, 50)) return 0;
    const v = s[b + SLOT_DATA_LO];
    this.hi = s[b + SLOT_DATA_HI];
    slotDone(s, b);
    this.requests++;
    return v;
  }

  read(offset: number, size: number): number {
    return this.call(offset, size, false, 0);
  }

  write(offset: number, size: number, value: number): void {
    this.call(offset, size, true, value | 0);
  }
}
