/**
 * The TLB-maintenance checker (DESIGN.md §3), off by default.
 *
 * (a) Stale translation: every data access re-translates (the fast path is not
 *     filled); when the architectural TLB hits, the entry is compared with a fresh
 *     walk of the tables. A difference means the tables changed and no completed
 *     invalidation covered the entry (our TLBIs remove entries exactly, and remote
 *     ones are drained before they are judged): a missing TLBI or DSB in the guest.
 * (b) Break-before-make: stores to pages the walker has read are intercepted; a
 *     valid descriptor replaced by a different valid one whose output address,
 *     memory type, shareability, block/table kind or contiguous bit changed, without
 *     an invalid step in between, is reported (Arm ARM D8.16.1).
 *
 * Reports carry the vCPU, PC (of the block), VA, descriptor PA, old and new values.
 */

export interface CheckerReport {
  kind: 'stale-tlb' | 'bbm';
  cpu: number;
  /** PC of the translated block that made the access (hex). */
  pc: string;
  /** The VA translated (stale-tlb), or the VAs cached for the descriptor (bbm), or '' when unknown. */
  va: string;
  descPa: string;
  old: string;
  new: string;
  detail: string;
}

const hex = (lo: number, hi: number): string => '0x' + ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16).padStart(16, '0');

export function formatReport(r: CheckerReport): string {
  return `checker: vCPU ${r.cpu} ${r.kind} at PC ${r.pc}: VA ${r.va || '?'} descriptor @${r.descPa} ${r.old} → ${r.new}: ${r.detail}`;
}

/** Descriptor bits whose change needs break-before-make: OA [49:12] (and LPA's [15:12]), AttrIndx/MemAttr, SH, table/block, contiguous. */
const BBM_MASK_LO = 0xfffff000 | (0xf << 2) | (3 << 8) | 2;
const BBM_MASK_HI = 0x0003ffff | (1 << 20);

export function needsBbm(oldLo: number, oldHi: number, newLo: number, newHi: number): boolean {
  if ((oldLo & 1) === 0 || (newLo & 1) === 0) return false; // an invalid step: fine
  return ((oldLo ^ newLo) & BBM_MASK_LO) !== 0 || ((oldHi ^ newHi) & BBM_MASK_HI) !== 0;
}

export function bbmReport(cpu: number, pc: string, va: string, descPa: number, oldLo: number, oldHi: number, newLo: number, newHi: number): CheckerReport {
  return {
    kind: 'bbm',
    cpu,
    pc,
    va,
    descPa: '0x' + descPa.toString(16),
    old: hex(oldLo, oldHi),
    new: hex(newLo, newHi),
    detail: 'valid descriptor replaced by a different valid one (output address or attributes) without an invalid entry and TLBI in between',
  };
}

export function staleReport(cpu: number, pc: string, va: string, descPa: number, oldLo: number, oldHi: number, newLo: number, newHi: number, why: string): CheckerReport {
  return {
    kind: 'stale-tlb',
    cpu,
    pc,
    va,
    descPa: '0x' + descPa.toString(16),
    old: hex(oldLo, oldHi),
    new: hex(newLo, newHi),
    detail: `TLB hit on a translation the tables no longer give (${why}): missing TLBI (or DSB) after the descriptor changed`,
  };
}

export { hex as hexPair };
