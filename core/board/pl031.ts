/**
 * ARM PrimeCell PL031 real-time clock (ARM DDI 0224): a 32-bit seconds counter
 * that runs from the host's wall clock, a match register and its interrupt
 * (QEMU virt: 0x0901_0000, SPI 2). Register state is an Int32Array that SMP
 * machines share between vCPU workers.
 */
import type { Device } from '../mem/bus.js';

const DR = 0x000;
const MR = 0x004;
const LR = 0x008;
const CR = 0x00c;
const IMSC = 0x010;
const RIS = 0x014;
const MIS = 0x018;
const ICR = 0x01c;

const ID = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

// State words.
const S_DELTA = 0; // counter - host seconds (set by writes to LR)
const S_MR = 1;
const S_IMSC = 2;
const S_RIS = 3;
export const PL031_STATE_WORDS = 4;

export function pl031State(shared = false): Int32Array {
  return new Int32Array(shared ? new SharedArrayBuffer(4 * PL031_STATE_WORDS) : new ArrayBuffer(4 * PL031_STATE_WORDS));
}

export class Pl031 implements Device {
  readonly name = 'pl031';

  /**
   * @param hostSeconds the host's wall-clock time in seconds (the counter follows it)
   * @param irq the level of the RTC's interrupt line
   */
  constructor(
    private readonly hostSeconds: () => number,
    private readonly irq: (level: boolean) => void = () => {},
    private readonly s: Int32Array = pl031State(),
  ) {}

  /** RTCDR: seconds, modulo 2^32. */
  count(): number {
    return (Math.floor(this.hostSeconds()) + Atomics.load(this.s, S_DELTA)) >>> 0;
  }

  /** Raise the match interrupt once the counter has reached RTCMR (called at run-slice boundaries). */
  poll(): void {
    if ((Atomics.load(this.s, S_RIS) & 1) !== 0) return;
    if (this.count() === Atomics.load(this.s, S_MR) >>> 0) {
      Atomics.or(this.s, S_RIS, 1);
      this.update();
    }
  }

  read(offset: number): number {
    switch (offset) {
      case DR:
        return this.count();
      case MR:
        return Atomics.load(this.s, S_MR) >>> 0;
      case LR:
        return this.count();
      case CR:
        return 1; // the counter always runs (RTCCR.RTCStart reads 1 once started; QEMU starts it at reset)
      case IMSC:
        return Atomics.load(this.s, S_IMSC) & 1;
      case RIS:
        return Atomics.load(this.s, S_RIS) & 1;
      case MIS:
        return Atomics.load(this.s, S_RIS) & Atomics.load(this.s, S_IMSC) & 1;
      default:
        if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case MR:
        Atomics.store(this.s, S_MR, value | 0);
        this.poll();
        return;
      case LR:
        Atomics.store(this.s, S_DELTA, ((value >>> 0) - Math.floor(this.hostSeconds())) | 0);
        return;
      case IMSC:
        Atomics.store(this.s, S_IMSC, value & 1);
        this.update();
        return;
      case ICR:
        Atomics.and(this.s, S_RIS, ~(value & 1));
        this.update();
        return;
      default:
        return; // RTCCR writes of 0 cannot stop the counter (as QEMU); others are read-only
    }
  }

  private update(): void {
    this.irq((Atomics.load(this.s, S_RIS) & Atomics.load(this.s, S_IMSC) & 1) !== 0);
  }
}
