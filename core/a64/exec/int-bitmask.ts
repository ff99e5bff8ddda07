/**
 * DecodeBitMasks (Arm ARM J1, shared/functions/bitmasks): the masks of the
 * logical-immediate and bitfield instructions, computed at decode time as
 * (lo, hi) pairs.
 */

export interface BitMasks {
  wlo: number;
  whi: number;
  tlo: number;
  thi: number;
}

/** Ones(n) for n in 0..32 as an int32. */
function ones32(n: number): number {
  return n >= 32 ? -1 : (1 << n) - 1;
}

/** Replicate an element of `esize` (≤ 32) bits across 32 bits. */
function replicate32(v: number, esize: number): number {
  for (let e = esize; e < 32; e *= 2) v |= v << e;
  return v;
}

/** ROR of the low `esize` (≤ 32) bits of v by r (< esize). */
function rorElem(v: number, esize: number, r: number): number {
  if (r === 0) return v;
  return ((v >>> r) | (v << (esize - r))) & ones32(esize);
}

/**
 * DecodeBitMasks(immN, imms, immr, immediate, M). Returns null where the
 * pseudocode is UNDEFINED (len < 1; for `immediate`, an all-ones element).
 * Callers reject M = 32 with immN = 1 themselves (the encodings do so).
 */
export function decodeBitMasks(immN: number, imms: number, immr: number, immediate: boolean): BitMasks | null {
  const combined = (immN << 6) | (~imms & 0x3f);
  const len = 31 - Math.clz32(combined); // HighestSetBit; -1 when zero
  if (len < 1) return null;
  const levels = (1 << len) - 1;
  if (immediate && (imms & levels) === levels) return null;
  const s = imms & levels;
  const r = immr & levels;
  const d = (s - r) & levels;
  const esize = 1 << len;
  if (esize === 64) {
    // welem = Ones(s + 1) rotated right by r within 64 bits; telem = Ones(d + 1).
    let lo = s + 1 >= 32 ? -1 : ones32(s + 1);
    let hi = s + 1 > 32 ? ones32(s + 1 - 32) : 0;
    if (r >= 32) {
      const t = lo;
      lo = hi;
      hi = t;
    }
    const k = r & 31;
    if (k !== 0) {
      const nlo = (lo >>> k) | (hi << (32 - k));
      hi = (hi >>> k) | (lo << (32 - k));
      lo = nlo;
    }
    return {
      wlo: lo | 0,
      whi: hi | 0,
      tlo: d + 1 >= 32 ? -1 : ones32(d + 1),
      thi: d + 1 > 32 ? ones32(d + 1 - 32) : 0,
    };
  }
  const w = replicate32(rorElem(ones32(s + 1), esize, r), esize);
  const t = replicate32(ones32(d + 1), esize);
  return { wlo: w, whi: w, tlo: t, thi: t };
}
