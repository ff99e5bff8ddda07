/**
 * The vCPU side of the io worker path (DESIGN.md §2): a Device whose accesses are
 * written into this vCPU's MMIO request slot (core/kvm/shared.ts layout, served by
 * MmioServer in the io worker) and waited for synchronously with Atomics.wait.
 */
import type { Device } from '../mem/bus.js';
import {
  SLOT_ADDR_HI,
  SLOT_ADDR_LO,
  SLOT_DATA_HI,
  SLOT_DATA_LO,
  SLOT_IDLE,
  SLOT_LEN,
  SLOT_REPLY,
  SLOT_REQUEST,
  SLOT_STATE,
  SLOT_WRITE,
} from '../kvm/shared.js';

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
    const addr = this.base + offset;
    s[b + SLOT_ADDR_LO] = addr % 4294967296 | 0;
    s[b + SLOT_ADDR_HI] = Math.floor(addr / 4294967296);
    s[b + SLOT_LEN] = size;
    s[b + SLOT_WRITE] = write ? 1 : 0;
    s[b + SLOT_DATA_LO] = lo;
    s[b + SLOT_DATA_HI] = 0;
    Atomics.store(s, b + SLOT_STATE, SLOT_REQUEST);
    Atomics.notify(s, b + SLOT_STATE);
    while (Atomics.load(s, b + SLOT_STATE) !== SLOT_REPLY) {
      if (this.stopped()) return 0;
      Atomics.wait(s, b + SLOT_STATE, SLOT_REQUEST, 50);
    }
    const v = s[b + SLOT_DATA_LO];
    this.hi = s[b + SLOT_DATA_HI];
    Atomics.store(s, b + SLOT_STATE, SLOT_IDLE);
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
