/**
 * Guest physical address space: RAM regions (SharedArrayBuffers) and MMIO
 * devices registered by (base, size). Physical addresses are plain numbers:
 * they are at most 52 bits, so a double holds them exactly.
 */

/** One device interface (STYLE §7): offset-relative accesses of 1, 2, 4 or 8 bytes. */
export interface Device {
  readonly name: string;
  /** Returns the value read; 8-byte reads return the low 32 bits and set `hi` on the device's reply. */
  read(offset: number, size: number): number;
  write(offset: number, size: number, value: number): void;
}

export interface RamRegion {
  readonly kind: 'ram';
  readonly index: number;
  readonly base: number;
  readonly size: number;
  readonly sab: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /** 64-bit view for Atomics on doublewords (exclusives, LSE atomics, hardware AF/DBM updates). */
  readonly i64: BigInt64Array;
}

export interface MmioRegion {
  readonly kind: 'mmio';
  readonly base: number;
  readonly size: number;
  readonly device: Device;
}

export type Region = RamRegion | MmioRegion;

/** Largest single RAM region: host offsets into a region stay below 2^31 so they fit int32 arithmetic. */
export const MAX_REGION_BYTES = 2 ** 31 - 4096;

export class PhysBus {
  readonly ram: RamRegion[] = [];
  readonly regions: Region[] = [];

  /** Adds RAM; `sab` lets several workers share the same bytes. Sizes above 2 GiB are split. */
  addRam(base: number, size: number, sab?: SharedArrayBuffer): RamRegion[] {
    if (size <= 0 || base % 4096 !== 0 || size % 4096 !== 0) {
      throw new Error(`RAM region at 0x${base.toString(16)} size 0x${size.toString(16)}: must be 4 KiB aligned and non-empty`);
    }
    const out: RamRegion[] = [];
    let off = 0;
    while (off < size) {
      const chunk = Math.min(size - off, MAX_REGION_BYTES);
      const buf = off === 0 && sab && sab.byteLength === chunk ? sab : new SharedArrayBuffer(chunk);
      const r: RamRegion = {
        kind: 'ram',
        index: this.ram.length,
        base: base + off,
        size: chunk,
        sab: buf,
        u8: new Uint8Array(buf),
        u16: new Uint16Array(buf),
        i32: new Int32Array(buf),
        i64: new BigInt64Array(buf),
      };
      this.insert(r);
      this.ram.push(r);
      out.push(r);
      off += chunk;
    }
    return out;
  }

  addDevice(base: number, size: number, device: Device): void {
    this.insert({ kind: 'mmio', base, size, device });
  }

  private insert(r: Region): void {
    for (const o of this.regions) {
      if (r.base < o.base + o.size && o.base < r.base + r.size) {
        const name = (x: Region): string => (x.kind === 'ram' ? 'RAM' : x.device.name);
        throw new Error(
          `${name(r)} at 0x${r.base.toString(16)}+0x${r.size.toString(16)} overlaps ${name(o)} at 0x${o.base.toString(16)}+0x${o.size.toString(16)}`,
        );
      }
    }
    this.regions.push(r);
    this.regions.sort((a, b) => a.base - b.base);
  }

  /** The region containing physical address `pa`, or undefined (unmapped). */
  find(pa: number): Region | undefined {
    const rs = this.regions;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid];
      if (pa < r.base) hi = mid - 1;
      else if (pa >= r.base + r.size) lo = mid + 1;
      else return r;
    }
    return undefined;
  }

  /** Copy bytes into guest physical memory (loaders). Throws if any byte is not RAM. */
  writeBytes(pa: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const r = this.find(pa + done);
      if (!r || r.kind !== 'ram') throw new Error(`no RAM at physical address 0x${(pa + done).toString(16)}`);
      const off = pa + done - r.base;
      const n = Math.min(data.length - done, r.size - off);
      r.u8.set(data.subarray(done, done + n), off);
      done += n;
    }
  }

  /** Copy bytes out of guest physical memory (tests, semihosting). Throws if any byte is not RAM. */
  readBytes(pa: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const r = this.find(pa + done);
      if (!r || r.kind !== 'ram') throw new Error(`no RAM at physical address 0x${(pa + done).toString(16)}`);
      const off = pa + done - r.base;
      const n = Math.min(len - done, r.size - off);
      out.set(r.u8.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }
}
