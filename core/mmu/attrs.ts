/**
 * Memory attributes of a translation as PAR_EL1 and the inspector report them:
 * the stage-1 MAIR byte combined with the stage-2 MemAttr (AArch64.CombineS1S2Desc,
 * S2CombineS1MemAttrs, S2CombineS1Device, S2CombineS1AttrHints, S2CombineS1Shareability;
 * HCR_EL2.FWB = 0).
 *
 * Attributes are MAIR-format bytes: Device 0000ddxx (dd: nGnRnE 00, nGnRE 01, nGRE 10,
 * GRE 11), Normal outer nibble [7:4] and inner nibble [3:0], each 0100 Non-cacheable,
 * 00RW Write-Through transient, 01RW Write-Back transient, 10RW Write-Through, 11RW
 * Write-Back (RW = allocation hints, RW != 00 for the transient forms).
 */

/** Cacheability of a MAIR nibble: 0 Non-cacheable, 1 Write-Through, 2 Write-Back. */
function nibbleClass(n: number): number {
  if (n === 0b0100) return 0;
  const top = n >> 2;
  return top === 0b00 || top === 0b10 ? 1 : 2;
}

/** Stage 2 (MemAttr[3:2] outer, [1:0] inner; 01 NC, 10 WT, 11 WB) limits stage 1: the weaker class wins, stage-1 hints stay. */
function combineNibble(s1: number, s2: number): number {
  const c1 = nibbleClass(s1);
  const c2 = s2 === 0b11 ? 2 : s2 === 0b10 ? 1 : 0;
  if (c2 >= c1) return s1;
  if (c2 === 0) return 0b0100;
  // Write-Through with stage 1's allocation hints (non-transient when stage 1 gave none).
  const hints = s1 & 3;
  return 0b1000 | hints;
}

/** Shareability order: Outer (0b10) is strongest, then Inner (0b11), then Non-shareable (0b00). */
function shRank(sh: number): number {
  return sh === 0b10 ? 2 : sh === 0b11 ? 1 : 0;
}

export interface MemAttrs {
  /** MAIR-format byte. */
  attr: number;
  /** SH as PAR_EL1 reports it: Device and Normal Non-cacheable (inner and outer) are Outer Shareable. */
  sh: number;
}

export function isDeviceAttr(attr: number): boolean {
  return (attr & 0xf0) === 0;
}

/** The PAR_EL1 form of stage-1 attributes alone (Device is reported Outer Shareable). */
export function s1Attrs(mair: number, sh: number): MemAttrs {
  return { attr: mair, sh: isDeviceAttr(mair) ? 0b10 : sh };
}

/** AArch64.CombineS1S2Desc for PAR_EL1/the inspector: stage-1 MAIR byte and SH with the stage-2 MemAttr and SH. */
export function combineS1S2(s1: MemAttrs, s2MemAttr: number, s2Sh: number): MemAttrs {
  const s2Outer = (s2MemAttr >> 2) & 3;
  if (isDeviceAttr(s1.attr) || s2Outer === 0) {
    // S2CombineS1Device: Device wins; of two Device types the more restrictive (lower dd).
    const d1 = isDeviceAttr(s1.attr) ? (s1.attr >> 2) & 3 : 3;
    const d2 = s2Outer === 0 ? s2MemAttr & 3 : 3;
    return { attr: Math.min(d1, d2) << 2, sh: 0b10 };
  }
  const attr = (combineNibble(s1.attr >> 4, s2Outer) << 4) | combineNibble(s1.attr & 0xf, s2MemAttr & 3);
  if (attr === 0x44) return { attr, sh: 0b10 };
  return { attr, sh: shRank(s1.sh) >= shRank(s2Sh) ? s1.sh : s2Sh };
}
