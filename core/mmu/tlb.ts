/**
 * The architectural TLB of one vCPU: completed walks tagged by regime, VA range,
 * ASID (or global), VMID. Like hardware, an entry stays until a TLBI (or
 * capacity) removes it — a guest that changes a descriptor without TLBI keeps
 * seeing the old translation.
 *
 * The per-access fast path (MemPath's direct-mapped arrays) caches this TLB for
 * the current context; whenever entries here are removed, those arrays are flushed.
 */
import type { Regime } from './params.js';
import type { LeafAttrs } from './walk.js';

export interface TlbEntry {
  regime: Regime;
  /** 0 or 1: which VA range (TTBR) of a two-range regime. */
  range: number;
  /** -1 for global entries (nG = 0) and regimes without ASIDs. */
  asid: number;
  vmid: number;
  /** Input address (translated VA bits) of the start of the block/page, and its size. */
  iaBase: number;
  sizeBits: number;
  /** Output (PA) of the start of the block/page. */
  paBase: number;
  /** Stage 1 leaf (null when stage 1 is off), and stage 2 leaf (null when stage 2 is off). */
  s1: LeafAttrs | null;
  s2: LeafAttrs | null;
  s1Level: number;
  /** Level of the stage-2 leaf (-2 when stage 2 is off). */
  s2Level: number;
  /** Stage-1 leaf descriptor (PA, value) for dirty-state updates and the checker; -1 when none. */
  descPa: number;
  descLo: number;
  descHi: number;
  /** IPA of the block start (stage 2 in use), else -1. */
  ipaBase: number;
  /** IPA of the stage-1 leaf descriptor when stage 2 translated the walk (dirty updates need stage-2 write permission). */
  descIpa?: number;
  /** Stage-2 leaf descriptor (PA, value) for stage-2 dirty-state updates (VTCR_EL2.HD). */
  s2DescPa?: number;
  s2DescLo?: number;
  s2DescHi?: number;
}

/**
 * Most entries kept (hardware TLBs have finite capacity too). When full, the
 * oldest-inserted bucket is evicted (a Map iterates in insertion order), so a
 * working set just above capacity does not flush everything on every pass.
 */
export const TLB_CAPACITY = 32768;

export class ArchTlb {
  private readonly map = new Map<number, TlbEntry[]>();
  count = 0;
  /** Most entries kept (tests lower it). */
  capacity = TLB_CAPACITY;
  /**
   * Called for each entry evicted for capacity: the MMU drops the fast-path copies, or a
   * later TLBI that finds nothing here would leave them in use.
   */
  onEvict: ((e: TlbEntry) => void) | null = null;
  /** Counters for the host (hits here are fast-path misses). */
  hits = 0;
  misses = 0;
  invalidations = 0;

  private static key(regime: Regime, range: number, iaPage4k: number): number {
    return iaPage4k * 8 + regime * 2 + range;
  }

  /** The bucket of a `bits`-sized entry (log2 bytes) that would cover 4 KiB page `page`. */
  private static bucket(regime: Regime, range: number, page: number, bits: number): number {
    if (bits === 12) return ArchTlb.key(regime, range, page);
    const pagesPer = 2 ** (bits - 12);
    return ArchTlb.key(regime, range, Math.floor(page / pagesPer) * pagesPer);
  }

  lookup(regime: Regime, range: number, ia: number, asid: number, vmid: number): TlbEntry | undefined {
    const sizes = this.sizeList;
    const page = Math.floor(ia / 4096);
    for (let k = 0; k < sizes.length; k++) {
      const bits = sizes[k];
      const list = this.map.get(ArchTlb.bucket(regime, range, page, bits));
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i++) {
        const e = list[i];
        if (e.sizeBits === bits && e.vmid === vmid && (e.asid === -1 || e.asid === asid)) {
          this.hits++;
          return e;
        }
      }
    }
    this.misses++;
    return undefined;
  }

  insert(e: TlbEntry): void {
    while (this.count >= this.capacity) this.evictOldest();
    const k = ArchTlb.key(e.regime, e.range, e.iaBase / 4096);
    let list = this.map.get(k);
    if (list === undefined) {
      list = [];
      this.map.set(k, list);
    }
    // A new walk for the same tag replaces the old entry.
    const i = list.findIndex((x) => x.sizeBits === e.sizeBits && x.vmid === e.vmid && x.asid === e.asid);
    if (i >= 0) list[i] = e;
    else {
      list.push(e);
      this.count++;
    }
    if (!this.sizeList.includes(e.sizeBits)) this.sizeList = [...this.sizeList, e.sizeBits].sort((a, b) => a - b);
  }

  /** Block/page sizes present (log2), smallest first: the probes a lookup makes. */
  private sizeList: number[] = [];

  private evictOldest(): void {
    const first = this.map.entries().next();
    if (first.done) {
      this.count = 0;
      return;
    }
    this.map.delete(first.value[0]);
    this.count -= first.value[1].length;
    this.evictions++;
    if (this.onEvict !== null) for (const e of first.value[1]) this.onEvict(e);
  }

  evictions = 0;

  clear(): void {
    this.map.clear();
    this.sizeList = [];
    this.count = 0;
    this.invalidations++;
  }

  /**
   * Remove the entries of (regime, range) that cover input address `ia` and satisfy
   * `pred`, probing only the buckets that can hold them (one per block size in use).
   * Returns the removed entries.
   */
  removeAt(regime: Regime, range: number, ia: number, pred: (e: TlbEntry) => boolean): TlbEntry[] {
    const out: TlbEntry[] = [];
    const page = Math.floor(ia / 4096);
    for (const bits of this.sizeList) {
      const key = ArchTlb.bucket(regime, range, page, bits);
      const list = this.map.get(key);
      if (list === undefined) continue;
      const keep: TlbEntry[] = [];
      for (const e of list) {
        if (e.sizeBits === bits && pred(e)) out.push(e);
        else keep.push(e);
      }
      if (keep.length === list.length) continue;
      if (keep.length === 0) this.map.delete(key);
      else this.map.set(key, keep);
    }
    this.count -= out.length;
    if (out.length > 0) this.invalidations++;
    return out;
  }

  /** Remove every entry for which `pred` holds. Returns how many were removed. */
  removeWhere(pred: (e: TlbEntry) => boolean): number {
    let n = 0;
    for (const [k, list] of this.map) {
      const keep = list.filter((e) => !pred(e));
      n += list.length - keep.length;
      if (keep.length === 0) this.map.delete(k);
      else if (keep.length !== list.length) this.map.set(k, keep);
    }
    this.count -= n;
    if (n > 0) this.invalidations++;
    return n;
  }

  /** Every entry (inspector, checker). */
  *entries(): IterableIterator<TlbEntry> {
    for (const list of this.map.values()) yield* list;
  }
}
