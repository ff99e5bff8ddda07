/**
 * The TLB-maintenance checker (DESIGN.md §3), off by default.
 *
 * (a) Stale translation: every data access re-translates (the fast path is not
 *     filled); when the architectural TLB hits, the entry is compared with a fresh
 *     walk of the tables. A difference is reported when the CPU that changed the
 *     descriptor has since completed a DSB (of the reads-and-writes type) and no
 *     TLBI reaching this CPU (broadcast, or its own) covered the change.
 * (b) Break-before-make (Arm ARM D8.16.1): stores to pages the walker has read are
 *     intercepted. A valid descriptor replaced by a different valid one whose
 *     output address, memory type, shareability, nG, block/table kind or contiguous
 *     bit changed is reported; so is the new valid descriptor of a break-before-make
 *     sequence written before the sequence completed: valid → invalid → a TLBI that
 *     covers the descriptor's input address (broadcast when other vCPUs have walked
 *     it) → a DSB that completes it → new valid.
 *
 * DSB and TLB maintenance (Arm ARM B2.3.12): a DSB completes TLB maintenance only
 * when its required access types are reads and writes (SY, ISH, OSH, NSH; not
 * …ST or …LD), and only for its shareability domain: DSB NSH completes a broadcast
 * TLBI for this PE alone. ISH and OSH cover every vCPU (one Inner Shareable domain).
 *
 * The barrier hook (Cpu.onBarrier) receives 0 for DMB and DSB_FLAG | CRm for DSB.
 * In checker mode blocks hold one instruction, so reports carry the exact PC.
 */
import type { Cpu } from '../a64/cpu.js';
import type { LevelTrace } from './walk.js';
import { currentAsid, regimeFor } from './params.js';
import {
  ASID_GLOBAL,
  ASID_MIXED,
  ASID_UNKNOWN,
  BBM_BROKEN,
  BBM_COMPLETE,
  BBM_NONE,
  BBM_TLBI_ISSUED,
  type CheckerShared,
  NOTE_DSB_NSH,
  NOTE_DSB_TYPE,
  NOTE_LOCAL_TLBI,
} from './checker-shared.js';

/** Cpu.onBarrier's argument for a DSB: this flag or'ed with the instruction's CRm (0 = DMB). */
export const DSB_FLAG = 16;

/** DSB with CRm: whether it completes TLB maintenance (required access types reads and writes). */
export function dsbCompletesMaintenance(arg: number): boolean {
  const types = arg & 3;
  return (arg & DSB_FLAG) !== 0 && (types === 3 || types === 0);
}

/** DSB NSH (CRm[3:2] = 01, not an alias with CRm[1:0] = 00): completes maintenance for this PE only. */
export function dsbNonShareable(arg: number): boolean {
  return (arg & 0xc) === 4 && (arg & 3) !== 0;
}

export interface CheckerReport {
  kind: 'stale-tlb' | 'bbm';
  cpu: number;
  /** PC of the instruction that made the access (hex). */
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

/** Descriptor bits whose change needs break-before-make: OA [49:12] (and LPA's [15:12]), AttrIndx/MemAttr, SH, nG, table/block, contiguous. */
const BBM_MASK_LO = 0xfffff000 | (0xf << 2) | (3 << 8) | (1 << 11) | 2;
const BBM_MASK_HI = 0x0003ffff | (1 << 20);

export function needsBbm(oldLo: number, oldHi: number, newLo: number, newHi: number): boolean {
  if ((oldLo & 1) === 0 || (newLo & 1) === 0) return false; // an invalid step: fine
  return ((oldLo ^ newLo) & BBM_MASK_LO) !== 0 || ((oldHi ^ newHi) & BBM_MASK_HI) !== 0;
}

export function bbmReport(
  cpu: number,
  pc: string,
  va: string,
  descPa: number,
  oldLo: number,
  oldHi: number,
  newLo: number,
  newHi: number,
  detail = 'valid descriptor replaced by a different valid one (output address or attributes) without an invalid entry and TLBI in between',
): CheckerReport {
  return {
    kind: 'bbm',
    cpu,
    pc,
    va,
    descPa: '0x' + descPa.toString(16),
    old: hex(oldLo, oldHi),
    new: hex(newLo, newHi),
    detail,
  };
}

export function staleReport(
  cpu: number,
  pc: string,
  va: string,
  descPa: number,
  oldLo: number,
  oldHi: number,
  newLo: number,
  newHi: number,
  why: string,
): CheckerReport {
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

/** What the checker needs of the MMU: its TLB entries for a descriptor (for the VAs in reports). */
export interface CheckerMmu {
  vasOf(descPa: number): string;
}

/** A resolved TLBI as the checker matches it with descriptors (core/mmu/mmu.ts ResolvedTlbi). */
export interface CheckerTlbi {
  /** 'all', 'vmall', 'vmalls12', 'asid', 'va', 'vaa', 'ipa'. */
  scopeName: string;
  addr: number;
  opRange: boolean;
  len?: number;
  /** The ASID of 'asid' and 'va' forms (undefined: not matched, every entry counts as covered). */
  asid?: number;
}

/** Descriptors this CPU is taking through break-before-make or changed recently (bounded). */
const MAX_TRACKED = 512;

/** One vCPU's side of the checker: walk records, the BBM state machine, TLBI and DSB tracking. */
export class TlbChecker {
  /** PAs of descriptors this CPU broke or changed and whose maintenance is not complete. */
  private readonly tracked: number[] = [];
  private readonly ncpus: number;

  constructor(
    private readonly c: Cpu,
    private readonly mmu: CheckerMmu,
    readonly shared: CheckerShared,
    private readonly report: (r: CheckerReport) => void,
  ) {
    this.ncpus = shared.ncpus;
  }

  private pc(): string {
    return hex(this.c.pcLo, this.c.pcHi);
  }

  /**
   * A stage-1 walk of input address `ia` with granule 2^grain read these descriptors: watch their
   * pages. A walk that reached a block or page tags its descriptors with the entry's ASID: global
   * when the leaf's nG is 0 or the current regime has no ASIDs, else the current ASID (as the
   * MMU tags the TLB entry it makes).
   */
  walked(trace: LevelTrace[], ia: number, grain: number): void {
    const m = this.c.mem;
    let leaf: LevelTrace | undefined;
    for (const l of trace) if (l.stage === 1) leaf = l;
    let tag = ASID_UNKNOWN;
    if (leaf !== undefined && (leaf.kind === 'block' || leaf.kind === 'page') && leaf.descLo !== undefined) {
      const asid = (leaf.descLo & (1 << 11)) !== 0 ? currentAsid(this.c, regimeFor(this.c, this.c.el)) : -1;
      tag = asid < 0 ? ASID_GLOBAL : asid + 1;
    }
    for (const l of trace) {
      m.watchPage(l.descPa);
      if (l.stage !== 1) continue;
      this.shared.walked(l.descPa, this.c.id, ia, grain + (3 - l.level) * (grain - 3), tag);
    }
  }

  /** A store changed the 64-bit word at `pa` of a watched page (before it is visible). */
  watchedWrite(pa: number, oldLo: number, oldHi: number, newLo: number, newHi: number): void {
    const oldValid = (oldLo & 1) !== 0;
    const newValid = (newLo & 1) !== 0;
    if (oldLo === newLo && oldHi === newHi) return;
    if (oldValid) {
      this.shared.recordChange(pa, this.c.id, this.c.pcLo, this.c.pcHi);
      this.track(pa);
      if (!newValid) {
        this.shared.broke(pa, oldLo, oldHi);
        return;
      }
      if (needsBbm(oldLo, oldHi, newLo, newHi)) this.report(bbmReport(this.c.id, this.pc(), this.vas(pa), pa, oldLo, oldHi, newLo, newHi));
      return;
    }
    if (!newValid) return;
    // invalid → valid: the "make" of a break-before-make sequence, if one was started.
    const d = this.shared.read(pa);
    if (d === undefined || (d.bbm !== BBM_BROKEN && d.bbm !== BBM_TLBI_ISSUED)) return;
    this.shared.setBbm(pa, BBM_NONE);
    if (!needsBbm(d.oldLo, d.oldHi, newLo, newHi)) return;
    this.report(bbmReport(this.c.id, this.pc(), this.vas(pa), pa, d.oldLo, d.oldHi, newLo, newHi, this.why(d.bbm, d.note, d.cpus)));
  }

  /** The VAs this CPU caches through the descriptor, else the input address a walk last used it for. */
  private vas(pa: number): string {
    const cached = this.mmu.vasOf(pa);
    if (cached !== '') return cached;
    const d = this.shared.read(pa);
    if (d === undefined || d.span === 0) return '';
    return '0x' + (Math.floor(d.ia / 2 ** d.span) * 2 ** d.span).toString(16);
  }

  private why(state: number, note: number, cpus: number): string {
    const others = cpus & ~(1 << this.c.id);
    const held = others === 0 ? '' : ` (vCPU ${cpuList(others)} walked it)`;
    if (state === BBM_BROKEN) {
      if ((note & NOTE_LOCAL_TLBI) !== 0)
        return `new valid descriptor written after a break, but the TLBI was local (not …IS) while other vCPUs may hold the old entry${held}`;
      return `new valid descriptor written after a break but before a TLBI covering its address${held}`;
    }
    if ((note & NOTE_DSB_NSH) !== 0)
      return `new valid descriptor written after a break and a broadcast TLBI completed only by DSB NSH (this PE only)${held}`;
    if ((note & NOTE_DSB_TYPE) !== 0)
      return `new valid descriptor written after a break and a TLBI completed only by DSB …ST/…LD (TLB maintenance needs a DSB with reads and writes)${held}`;
    return `new valid descriptor written after a break and a TLBI, but before a DSB completed the TLBI${held}`;
  }

  private track(pa: number): void {
    if (this.tracked.includes(pa)) return;
    if (this.tracked.length >= MAX_TRACKED) this.tracked.shift();
    this.tracked.push(pa);
  }

  /** This CPU issued a TLBI (`broadcast`: an …IS/…OS form, posted to the other vCPUs). */
  tlbi(t: CheckerTlbi, broadcast: boolean): void {
    const me = 1 << this.c.id;
    for (const pa of this.tracked) {
      const d = this.shared.read(pa);
      if (d === undefined || !covers(t, d.ia, d.span, d.asidTag)) continue;
      if (d.writer === this.c.id) this.shared.cover(pa, broadcast);
      if (d.bbm !== BBM_BROKEN) continue;
      if (broadcast || this.ncpus === 1 || (d.cpus & ~me) === 0) this.shared.setBbm(pa, BBM_TLBI_ISSUED);
      else this.shared.addNote(pa, NOTE_LOCAL_TLBI);
    }
  }

  /** DSB with CRm (`arg` = DSB_FLAG | CRm). */
  dsb(arg: number): void {
    const full = dsbCompletesMaintenance(arg);
    if (full) this.shared.dsb(this.c.id);
    const nsh = dsbNonShareable(arg);
    const me = 1 << this.c.id;
    let keep = 0;
    for (let i = 0; i < this.tracked.length; i++) {
      const pa = this.tracked[i];
      const d = this.shared.read(pa);
      if (d === undefined) continue;
      if (d.bbm === BBM_TLBI_ISSUED) {
        if (!full) this.shared.addNote(pa, NOTE_DSB_TYPE);
        else if (nsh && this.ncpus > 1 && (d.cpus & ~me) !== 0) this.shared.addNote(pa, NOTE_DSB_NSH);
        else this.shared.setBbm(pa, BBM_COMPLETE);
      }
      // After a DSB that completes maintenance, keep only descriptors still inside a BBM sequence
      // (a change left uncovered is judged from its shared record: stale uses are now violations).
      const after = this.shared.read(pa);
      if (after !== undefined && (!full || after.bbm === BBM_BROKEN || after.bbm === BBM_TLBI_ISSUED)) this.tracked[keep++] = pa;
    }
    this.tracked.length = keep;
  }
}

/**
 * Whether a TLBI covers the descriptor translating [ia, ia + 2^span) whose entries carry ASID tag
 * `asidTag` (checker-shared.ts ASID_*). By ASID (ASIDE1): the entries of that ASID, never global
 * ones; by VA with an ASID (VAE1, RVAE1): the VA's entries of that ASID and its global entries (Arm
 * ARM D8.13: VAE1 also removes global entries of the VA); VAAE1, VMALLE1, ALLE1 …: every ASID.
 * An unknown or mixed tag, or a TLBI without its ASID, counts as covered (a superset: the checker
 * may then miss a wrong ASID, never report a right one); so do unknown spans.
 */
export function covers(t: CheckerTlbi, ia: number, span: number, asidTag = ASID_UNKNOWN): boolean {
  const tagged = t.asid !== undefined && asidTag !== ASID_UNKNOWN && asidTag !== ASID_MIXED;
  if (t.scopeName === 'asid') return !tagged || asidTag === t.asid! + 1;
  if (t.scopeName !== 'va' && t.scopeName !== 'vaa') return true; // all, vmall, vmalls12, ipa: every entry
  if (t.scopeName === 'va' && tagged && asidTag !== ASID_GLOBAL && asidTag !== t.asid! + 1) return false;
  if (span === 0) return true;
  const size = 2 ** span;
  const base = Math.floor(ia / size) * size;
  if (t.opRange) return t.len === undefined || (t.addr < base + size && base < t.addr + t.len);
  return t.addr >= base && t.addr < base + size;
}

function cpuList(mask: number): string {
  const l: number[] = [];
  for (let i = 0; i < 31; i++) if ((mask & (1 << i)) !== 0) l.push(i);
  return l.join(', ');
}
