/**
 * CRC32 and CRC32C (Arm ARM C6.2: CRC32B/H/W/X, CRC32CB/H/W/X).
 *
 * The pseudocode bit-reverses accumulator and data, reduces modulo the polynomial
 * and reverses back, without pre- or post-inversion: that is the reflected
 * table-driven CRC update, here slicing-by-4 (four tables per polynomial).
 */

/** Reflected polynomials: CRC-32 0x04C11DB7 and CRC-32C (Castagnoli) 0x1EDC6F41. */
export const POLY_CRC32 = 0xedb88320;
export const POLY_CRC32C = 0x82f63b78;

/** Slicing-by-4 tables: t[k·256 + i] is the update of byte i followed by k zero bytes. */
function makeTables(poly: number): Int32Array {
  const t = new Int32Array(4 * 256);
  for (let i = 0; i < 256; i++) {
    let v = i;
    for (let b = 0; b < 8; b++) v = v & 1 ? (v >>> 1) ^ poly : v >>> 1;
    t[i] = v;
  }
  for (let k = 1; k < 4; k++) {
    for (let i = 0; i < 256; i++) {
      const p = t[(k - 1) * 256 + i];
      t[k * 256 + i] = (p >>> 8) ^ t[p & 0xff];
    }
  }
  return t;
}

export const CRC32_TABLES = makeTables(POLY_CRC32);
export const CRC32C_TABLES = makeTables(POLY_CRC32C);

/** One byte (the low 8 bits of v). */
export function crcByte(t: Int32Array, acc: number, v: number): number {
  return (acc >>> 8) ^ t[(acc ^ v) & 0xff];
}

/** One halfword (the low 16 bits of v, little-endian byte order). */
export function crcHalf(t: Int32Array, acc: number, v: number): number {
  const x = acc ^ (v & 0xffff);
  return (acc >>> 16) ^ t[256 + (x & 0xff)] ^ t[(x >>> 8) & 0xff];
}

/** One word (little-endian byte order). */
export function crcWord(t: Int32Array, acc: number, v: number): number {
  const x = acc ^ v;
  return t[768 + (x & 0xff)] ^ t[512 + ((x >>> 8) & 0xff)] ^ t[256 + ((x >>> 16) & 0xff)] ^ t[x >>> 24];
}
