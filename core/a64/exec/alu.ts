/**
 * Integer arithmetic on (lo, hi) int32 pairs, named after the Arm pseudocode.
 * Results: the low word is returned, the high word left in `c.hi`; flags in `c.nzcv`
 * only where the caller asks.
 */
import type { Cpu } from '../cpu.js';

/**
 * AddWithCarry(x, y, carry_in) for 64 bits. Returns the low word; high in c.hi.
 * When `setFlags`, writes NZCV.
 */
export function addWithCarry64(c: Cpu, xlo: number, xhi: number, ylo: number, yhi: number, cin: number, setFlags: boolean): number {
  const lo = (xlo >>> 0) + (ylo >>> 0) + cin;
  const c0 = lo > 0xffffffff ? 1 : 0;
  const hiU = (xhi >>> 0) + (yhi >>> 0) + c0;
  const rhi = hiU | 0;
  const rlo = lo | 0;
  c.hi = rhi;
  if (setFlags) {
    const n = rhi >>> 31;
    const z = (rlo | rhi) === 0 ? 1 : 0;
    const carry = hiU > 0xffffffff ? 1 : 0;
    const v = ((xhi ^ rhi) & (yhi ^ rhi)) >>> 31;
    c.nzcv = (n << 3) | (z << 2) | (carry << 1) | v;
  }
  return rlo;
}

/** AddWithCarry for 32 bits: returns the result (int32); c.hi is set to 0 (W writes zero-extend). */
export function addWithCarry32(c: Cpu, x: number, y: number, cin: number, setFlags: boolean): number {
  const u = (x >>> 0) + (y >>> 0) + cin;
  const r = u | 0;
  c.hi = 0;
  if (setFlags) {
    const n = r >>> 31;
    const z = r === 0 ? 1 : 0;
    const carry = u > 0xffffffff ? 1 : 0;
    const v = ((x ^ r) & (y ^ r)) >>> 31;
    c.nzcv = (n << 3) | (z << 2) | (carry << 1) | v;
  }
  return r;
}
