/**
 * Builds translation tables in guest RAM for MMU tests, independently of the
 * walker: descriptor layouts straight from the Arm ARM (D8.3), tables placed
 * wherever the test says (above 4 GiB, above 2^48 …).
 */
import type { TestMachine } from './cpu.js';

export type OaFmt = 'bits48' | 'lpa64k' | 'ds';

export interface Geometry {
  grain: 12 | 14 | 16;
  inputSize: number;
  fmt: OaFmt;
}

export const AF = 1n << 10n;
export const NG = 1n << 11n;
export const AP_RO = 2n << 6n; // AP[2]
export const AP_EL0 = 1n << 6n; // AP[1]
export const PXN = 1n << 53n;
export const UXN = 1n << 54n;
export const DBM = 1n << 51n;

export function startLevel(g: Geometry): number {
  const stride = g.grain - 3;
  return 4 - Math.ceil((g.inputSize - g.grain) / stride);
}

/** Descriptor output-address bits for `oa` in the format (D8.3.1, LPA D8.3.1.2, LPA2 D8.3.1.3). */
export function encodeOa(oa: bigint, fmt: OaFmt): bigint {
  switch (fmt) {
    case 'bits48':
      return oa;
    case 'lpa64k':
      return (oa & ((1n << 48n) - 1n)) | (((oa >> 48n) & 0xfn) << 12n);
    case 'ds':
      return (oa & ((1n << 50n) - 1n)) | (((oa >> 50n) & 3n) << 8n);
  }
}

/** TTBR value for a table base (BADDR[51:48] in TTBR[5:2] for 52-bit formats). */
export function encodeTtbr(base: bigint, fmt: OaFmt, asid = 0n): bigint {
  const b = fmt === 'bits48' ? base : (base & ((1n << 48n) - 1n)) | (((base >> 48n) & 0xfn) << 2n);
  return b | (asid << 48n);
}

export class TableBuilder {
  private next: bigint;
  readonly root: bigint;
  readonly start: number;

  constructor(
    private readonly m: TestMachine,
    readonly g: Geometry,
    /** Where tables are allocated (physical, in RAM). */
    arena: bigint,
    /** Stage-2 concatenation: number of start tables (1 for stage 1). */
    concat = 1,
    /** Start level (stage 2 with concatenated tables starts one level lower than the geometry implies). */
    start = startLevel(g),
  ) {
    this.start = start;
    this.next = arena;
    const stride = g.grain - 3;
    const startBits = Math.min(g.inputSize - (g.grain + (3 - this.start) * stride), stride);
    this.root = this.alloc(BigInt(8 * 2 ** startBits * concat));
  }

  private alloc(bytes: bigint): bigint {
    const gsz = 1n << BigInt(this.g.grain);
    const align = bytes < gsz ? gsz : bytes;
    this.next = ((this.next + align - 1n) / align) * align;
    const a = this.next;
    this.next += bytes < gsz ? gsz : bytes;
    for (let o = 0n; o < bytes; o += 8n) this.m.poke64(Number(a + o), 0n);
    return a;
  }

  private shift(level: number): number {
    return this.g.grain + (3 - level) * (this.g.grain - 3);
  }

  private index(ia: bigint, level: number): bigint {
    const bits = level === this.start ? this.g.inputSize - this.shift(level) : this.g.grain - 3;
    return (ia >> BigInt(this.shift(level))) & ((1n << BigInt(bits)) - 1n);
  }

  /**
   * Map input address `ia` to `oa` with a leaf at `level` (page at 3, block above).
   * `attrs` are ORed into the leaf; `tableAttrs` into every table descriptor created.
   */
  map(ia: bigint, oa: bigint, level: number, attrs = AF, tableAttrs = 0n): bigint {
    let table = this.root;
    for (let l = this.start; l < level; l++) {
      const slot = table + this.index(ia, l) * 8n;
      let d = this.m.peek64(Number(slot));
      if ((d & 3n) !== 3n) {
        const t = this.alloc(1n << BigInt(this.g.grain));
        d = encodeOa(t, this.g.fmt) | 3n | tableAttrs;
        this.m.poke64(Number(slot), d);
      }
      table = this.decodeTable(d);
    }
    const slot = table + this.index(ia, level) * 8n;
    const leaf = encodeOa(oa, this.g.fmt) | (level === 3 ? 3n : 1n) | attrs;
    this.m.poke64(Number(slot), leaf);
    return slot;
  }

  private decodeTable(d: bigint): bigint {
    const low = ~((1n << BigInt(this.g.grain)) - 1n);
    switch (this.g.fmt) {
      case 'bits48':
        return d & ((1n << 48n) - 1n) & low;
      case 'lpa64k':
        return (d & ((1n << 48n) - 1n) & low) | (((d >> 12n) & 0xfn) << 48n);
      case 'ds':
        return (d & ((1n << 50n) - 1n) & low) | (((d >> 8n) & 3n) << 50n);
    }
  }
}
