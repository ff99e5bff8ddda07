/**
 * Byte rings in shared memory: one console ring per vCPU (guest → host, drained by
 * the main thread) and one input ring (host → guest UART/semihosting, consumed by
 * whichever vCPU reads). Layout: [head, tail] as Int32 words, then the bytes.
 * Single producer per ring; the input ring's consumers serialise with Atomics.
 */

export const RING_BYTES = 1 << 16;
const HDR = 8;

export function ringBytes(): number {
  return HDR + RING_BYTES;
}

export class Ring {
  private readonly w: Int32Array;
  private readonly b: Uint8Array;

  constructor(sab: SharedArrayBuffer, offset: number) {
    this.w = new Int32Array(sab, offset, 2);
    this.b = new Uint8Array(sab, offset + HDR, RING_BYTES);
  }

  /** Producer: append bytes, waiting (bounded by `stopped`) while the ring is full. */
  write(data: Uint8Array, stopped: () => boolean): void {
    for (let i = 0; i < data.length; i++) {
      for (;;) {
        const head = Atomics.load(this.w, 0);
        const tail = Atomics.load(this.w, 1);
        if (head - tail < RING_BYTES) {
          this.b[head % RING_BYTES] = data[i];
          Atomics.store(this.w, 0, head + 1);
          break;
        }
        if (stopped()) return;
        Atomics.wait(this.w, 1, tail, 5);
      }
    }
  }

  /** Consumer: everything available (empty array when none). */
  readAll(): Uint8Array {
    const head = Atomics.load(this.w, 0);
    const tail = Atomics.load(this.w, 1);
    const n = head - tail;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.b[(tail + i) % RING_BYTES];
    Atomics.store(this.w, 1, head);
    Atomics.notify(this.w, 1);
    return out;
  }

  /** Consumer side for several threads: one byte, or -1 when empty. */
  takeByte(): number {
    for (;;) {
      const head = Atomics.load(this.w, 0);
      const tail = Atomics.load(this.w, 1);
      if (head === tail) return -1;
      const v = this.b[tail % RING_BYTES];
      if (Atomics.compareExchange(this.w, 1, tail, tail + 1) === tail) return v;
    }
  }

  /** RxSource for the PL011. */
  take(): number {
    return this.takeByte();
  }

  available(): number {
    return Atomics.load(this.w, 0) - Atomics.load(this.w, 1);
  }
}
