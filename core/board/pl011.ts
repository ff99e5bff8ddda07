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

export class Pl011 implements Device {
  readonly name = 'pl011';
  private readonly rx: number[] = [];
  private cr = 0x300;
  private lcrh = 0;
  private ibrd = 0;
  private fbrd = 0;
  private ifls = 0x12;
  private imsc = 0;
  private ris = INT_TX;
  private rsr = 0;

  /**
   * @param out receives each transmitted byte
   * @param irq called with the new level of the UART's interrupt line
   */
  constructor(
    private readonly out: (byte: number) => void,
    private readonly irq: (level: boolean) => void = () => {},
    private readonly rxSource?: RxSource,
  ) {}

  private rxCount(): number {
    return this.rxSource ? this.rxSource.available() : this.rx.length;
  }

  /** Host → guest: queue input bytes (keyboard). */
  input(bytes: Iterable<number>): void {
    for (const b of bytes) if (this.rx.length < 4096) this.rx.push(b & 0xff);
    this.ris |= INT_RX | INT_RT;
    this.update();
  }

  read(offset: number): number {
    switch (offset) {
      case 0x000: {
        const v = this.rxSource ? Math.max(this.rxSource.take(), 0) : (this.rx.shift() ?? 0);
        if (this.rxCount() === 0) this.ris &= ~(INT_RX | INT_RT);
        this.update();
        return v;
      }
      case 0x004:
        return this.rsr;
      case 0x018:
        return FR_TXFE | (this.rxCount() === 0 ? FR_RXFE : 0) | (this.rxCount() >= 32 ? FR_RXFF : 0);
      case 0x024:
        return this.ibrd;
      case 0x028:
        return this.fbrd;
      case 0x02c:
        return this.lcrh;
      case 0x030:
        return this.cr;
      case 0x034:
        return this.ifls;
      case 0x038:
        return this.imsc;
      case 0x03c:
        return this.ris;
      case 0x040:
        return this.ris & this.imsc;
      default:
        if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case 0x000:
        this.out(value & 0xff);
        this.ris |= INT_TX;
        this.update();
        return;
      case 0x004:
        this.rsr = 0;
        return;
      case 0x024:
        this.ibrd = value & 0xffff;
        return;
      case 0x028:
        this.fbrd = value & 0x3f;
        return;
      case 0x02c:
        this.lcrh = value & 0xff;
        return;
      case 0x030:
        this.cr = value & 0xffff;
        return;
      case 0x034:
        this.ifls = value & 0x3f;
        return;
      case 0x038:
        this.imsc = value & 0x7ff;
        this.update();
        return;
      case 0x044:
        this.ris &= ~value;
        this.update();
        return;
      default:
        return;
    }
  }

  private update(): void {
    this.irq((this.ris & this.imsc) !== 0);
  }
}
