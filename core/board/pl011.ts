/**
 * ARM PrimeCell PL011 UART (ARM DDI 0183): enough of it for Linux's amba-pl011
 * driver and bare-metal polling: DR, RSR/ECR, FR, IBRD/FBRD, LCR_H, CR, IFLS,
 * IMSC, RIS, MIS, ICR, and the PrimeCell ID registers.
 */
import type { Device } from '../mem/bus.js';

const FR_TXFE = 1 << 7;
const FR_RXFF = 1 << 6;
const FR_RXFE = 1 << 4;

const INT_RX = 1 << 4;
const INT_TX = 1 << 5;
const INT_RT = 1 << 6;

const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/** Where received bytes come from when not from `input()` (e.g. a ring shared between vCPU workers). */
export interface RxSource {
  /** Next byte, or -1 when none. */
  take(): number;
  available(): number;
}

/** Register state words (an Int32Array that SMP machines share between vCPU workers). */
const CR = 0;
const LCRH = 1;
const IBRD = 2;
const FBRD = 3;
const IFLS = 4;
const IMSC = 5;
const RIS = 6;
const RSR = 7;
export const PL011_STATE_WORDS = 8;

export function pl011State(shared = false): Int32Array {
  const r = new Int32Array(shared ? new SharedArrayBuffer(4 * PL011_STATE_WORDS) : new ArrayBuffer(4 * PL011_STATE_WORDS));
  r[CR] = 0x300;
  r[IFLS] = 0x12;
  r[RIS] = INT_TX;
  return r;
}

export class Pl011 implements Device {
  readonly name = 'pl011';
  private readonly rx: number[] = [];

  /**
   * @param out receives each transmitted byte
   * @param irq called with the new level of the UART's interrupt line
   * @param rxSource where received bytes come from (default: `input()`)
   * @param r register state; pass one shared Int32Array to every vCPU worker's instance
   */
  constructor(
    private readonly out: (byte: number) => void,
    private readonly irq: (level: boolean) => void = () => {},
    private readonly rxSource?: RxSource,
    private readonly r: Int32Array = pl011State(),
  ) {}

  private rxCount(): number {
    return this.rxSource ? this.rxSource.available() : this.rx.length;
  }

  /** Host → guest: queue input bytes (keyboard). */
  input(bytes: Iterable<number>): void {
    for (const b of bytes) if (this.rx.length < 4096) this.rx.push(b & 0xff);
    Atomics.or(this.r, RIS, INT_RX | INT_RT);
    this.update();
  }

  /** The receive source got data (SMP input ring): raise the RX interrupt. */
  rxArrived(): void {
    Atomics.or(this.r, RIS, INT_RX | INT_RT);
    this.update();
  }

  read(offset: number): number {
    const r = this.r;
    switch (offset) {
      case 0x000: {
        const v = this.rxSource ? Math.max(this.rxSource.take(), 0) : (this.rx.shift() ?? 0);
        if (this.rxCount() === 0) Atomics.and(r, RIS, ~(INT_RX | INT_RT));
        this.update();
        return v;
      }
      case 0x004:
        return Atomics.load(r, RSR);
      case 0x018:
        return FR_TXFE | (this.rxCount() === 0 ? FR_RXFE : 0) | (this.rxCount() >= 32 ? FR_RXFF : 0);
      case 0x024:
        return Atomics.load(r, IBRD);
      case 0x028:
        return Atomics.load(r, FBRD);
      case 0x02c:
        return Atomics.load(r, LCRH);
      case 0x030:
        return Atomics.load(r, CR);
      case 0x034:
        return Atomics.load(r, IFLS);
      case 0x038:
        return Atomics.load(r, IMSC);
      case 0x03c:
        return Atomics.load(r, RIS);
      case 0x040:
        return Atomics.load(r, RIS) & Atomics.load(r, IMSC);
      default:
        if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    const r = this.r;
    switch (offset) {
      case 0x000:
        this.out(value & 0xff);
        Atomics.or(r, RIS, INT_TX);
        this.update();
        return;
      case 0x004:
        Atomics.store(r, RSR, 0);
        return;
      case 0x024:
        Atomics.store(r, IBRD, value & 0xffff);
        return;
      case 0x028:
        Atomics.store(r, FBRD, value & 0x3f);
        return;
      case 0x02c:
        Atomics.store(r, LCRH, value & 0xff);
        return;
      case 0x030:
        Atomics.store(r, CR, value & 0xffff);
        return;
      case 0x034:
        Atomics.store(r, IFLS, value & 0x3f);
        return;
      case 0x038:
        Atomics.store(r, IMSC, value & 0x7ff);
        this.update();
        return;
      case 0x044:
        Atomics.and(r, RIS, ~value);
        this.update();
        return;
      default:
        return;
    }
  }

  private update(): void {
    this.irq((Atomics.load(this.r, RIS) & Atomics.load(this.r, IMSC)) !== 0);
  }
}
