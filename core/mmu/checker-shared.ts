/**
 * State the checker shares between vCPUs (SharedArrayBuffers, so every worker
 * sees it): which pages hold translation tables (watched), one record per
 * watched descriptor (hashed by PA; a collision overwrites, which can only hide
 * a problem, never invent one), and per-CPU DSB counters.
 *
 * A descriptor record holds:
 *  - what the walkers know of it: the input address it was last walked for and
 *    the span it translates (so a TLBI by VA can be matched with it), and the
 *    set of vCPUs whose walks read it (those that may hold it in their TLB), and
 *    the ASID tag of the TLB entries those walks made (ASID_*: a TLBI by ASID
 *    covers only entries of its ASID, and never global ones);
 *  - its last change (writer, writer's PC, the writer's DSB count at that point,
 *    whether a TLBI by the writer has covered it since, locally or broadcast);
 *  - its break-before-make state (Arm ARM D8.16.1): valid → invalid written
 *    (BROKEN) → a covering TLBI issued, broadcast when other vCPUs may hold the
 *    entry (TLBI_ISSUED) → a DSB that completes it (COMPLETE), with the valid
 *    value before the break, and notes on why it did not progress.
 */

const SLOTS = 4096;
// Record words.
const K_PA_LO = 0;
const K_PA_HI = 1;
const K_WRITER = 2; // writer + 1, 0 = no change recorded
const K_DSBS = 3; // writer's DSB count at the change
const K_COVERED = 4; // bit 0: a TLBI by the writer covered the change, bit 1: a broadcast one
const K_PC_LO = 5;
const K_PC_HI = 6;
const K_BBM = 7;
const K_OLD_LO = 8;
const K_OLD_HI = 9;
const K_IA_LO = 10;
const K_IA_HI = 11;
const K_SPAN = 12; // log2 of the input-address span the descriptor translates; 0 = unknown
const K_CPUS = 13; // bit per vCPU whose walks read the descriptor
const K_NOTE = 14; // why the BBM sequence did not progress (NOTE_*)
const K_ASID = 15; // ASID tag of the entries walks made through it: ASID_* or ASID + 1
const W = 16;

/** K_ASID values: no walk tagged it yet; the entries are global (nG = 0, or a regime without ASIDs); walks with different tags. */
export const ASID_UNKNOWN = 0;
export const ASID_GLOBAL = -1;
export const ASID_MIXED = -2;

export const CPU_COUNTER_WORDS = 1; // DSBs completed that complete TLB maintenance (reads-and-writes types)

/** Break-before-make states. */
export const BBM_NONE = 0;
export const BBM_BROKEN = 1;
export const BBM_TLBI_ISSUED = 2;
export const BBM_COMPLETE = 3;

/** Notes: a local TLBI while other vCPUs may hold the entry; DSB NSH after a broadcast TLBI; a DSB …ST/…LD. */
export const NOTE_LOCAL_TLBI = 1;
export const NOTE_DSB_NSH = 2;
export const NOTE_DSB_TYPE = 4;

export interface CheckerSharedInit {
  watch: SharedArrayBuffer[];
  changes: SharedArrayBuffer;
  counters: SharedArrayBuffer;
}

/** A descriptor record as read by one vCPU (a snapshot; other vCPUs may change it). */
export interface DescRecord {
  writer: number;
  dsbs: number;
  covered: number;
  pcLo: number;
  pcHi: number;
  bbm: number;
  oldLo: number;
  oldHi: number;
  ia: number;
  span: number;
  cpus: number;
  note: number;
  /** ASID tag: ASID_UNKNOWN, ASID_GLOBAL, ASID_MIXED, or the ASID + 1. */
  asidTag: number;
}

export class CheckerShared {
  readonly watch: Uint8Array[];
  private readonly ch: Int32Array;
  private readonly cnt: Int32Array;

  constructor(readonly init: CheckerSharedInit) {
    this.watch = init.watch.map((s) => new Uint8Array(s));
    this.ch = new Int32Array(init.changes);
    this.cnt = new Int32Array(init.counters);
  }

  static create(regionSizes: number[], ncpus: number): CheckerShared {
    return new CheckerShared({
      watch: regionSizes.map((n) => new SharedArrayBuffer(Math.ceil(n / 4096))),
      changes: new SharedArrayBuffer(4 * SLOTS * W),
      counters: new SharedArrayBuffer(4 * CPU_COUNTER_WORDS * ncpus),
    });
  }

  get ncpus(): number {
    return this.cnt.length / CPU_COUNTER_WORDS;
  }

  dsbs(cpu: number): number {
    return Atomics.load(this.cnt, cpu * CPU_COUNTER_WORDS);
  }

  /** A DSB of the reads-and-writes type (any domain) completed on `cpu`. */
  dsb(cpu: number): void {
    Atomics.add(this.cnt, cpu * CPU_COUNTER_WORDS, 1);
  }

  private slot(pa: number): number {
    return (((Math.floor(pa / 8) * 2654435761) >>> 0) % SLOTS) * W;
  }

  /** The record of the descriptor at `pa`, or -1 when its slot holds another descriptor. */
  private find(pa: number): number {
    const k = this.slot(pa);
    if (
      Atomics.load(this.ch, k + K_PA_LO) !== ((pa % 4294967296) | 0) ||
      Atomics.load(this.ch, k + K_PA_HI) !== Math.floor(pa / 4294967296)
    )
      return -1;
    return k;
  }

  /** The record of `pa`, claiming (and clearing) its slot when another descriptor holds it. */
  private claim(pa: number): number {
    const k = this.find(pa);
    if (k >= 0) return k;
    const n = this.slot(pa);
    for (let i = 2; i < W; i++) Atomics.store(this.ch, n + i, 0);
    Atomics.store(this.ch, n + K_PA_LO, (pa % 4294967296) | 0);
    Atomics.store(this.ch, n + K_PA_HI, Math.floor(pa / 4294967296));
    return n;
  }

  /**
   * A walk by `cpu` read the descriptor at `pa`, translating input address `ia` over 2^span bytes;
   * `asidTag` (ASID_GLOBAL or ASID + 1; ASID_UNKNOWN when the walk made no entry) tags the entry.
   * Walks with different tags leave ASID_MIXED: then every TLBI by ASID counts as covering it.
   */
  walked(pa: number, cpu: number, ia: number, span: number, asidTag = ASID_UNKNOWN): void {
    const k = this.claim(pa);
    Atomics.store(this.ch, k + K_IA_LO, (ia % 4294967296) | 0);
    Atomics.store(this.ch, k + K_IA_HI, Math.floor(ia / 4294967296));
    Atomics.store(this.ch, k + K_SPAN, span);
    Atomics.or(this.ch, k + K_CPUS, 1 << cpu);
    if (asidTag === ASID_UNKNOWN) return;
    const was = Atomics.compareExchange(this.ch, k + K_ASID, ASID_UNKNOWN, asidTag);
    if (was !== ASID_UNKNOWN && was !== asidTag) Atomics.store(this.ch, k + K_ASID, ASID_MIXED);
  }

  /** A valid descriptor changed (to anything else) by `cpu` at PC (pcLo, pcHi). */
  recordChange(pa: number, cpu: number, pcLo: number, pcHi: number): void {
    const k = this.claim(pa);
    Atomics.store(this.ch, k + K_DSBS, this.dsbs(cpu));
    Atomics.store(this.ch, k + K_COVERED, 0);
    Atomics.store(this.ch, k + K_PC_LO, pcLo);
    Atomics.store(this.ch, k + K_PC_HI, pcHi);
    Atomics.store(this.ch, k + K_WRITER, cpu + 1);
  }

  /** Start a break-before-make sequence: the valid value (oldLo, oldHi) was replaced by an invalid one. */
  broke(pa: number, oldLo: number, oldHi: number): void {
    const k = this.claim(pa);
    Atomics.store(this.ch, k + K_OLD_LO, oldLo);
    Atomics.store(this.ch, k + K_OLD_HI, oldHi);
    Atomics.store(this.ch, k + K_NOTE, 0);
    Atomics.store(this.ch, k + K_BBM, BBM_BROKEN);
  }

  read(pa: number): DescRecord | undefined {
    const k = this.find(pa);
    if (k < 0) return undefined;
    const g = (i: number): number => Atomics.load(this.ch, k + i);
    return {
      writer: g(K_WRITER) - 1,
      dsbs: g(K_DSBS),
      covered: g(K_COVERED),
      pcLo: g(K_PC_LO),
      pcHi: g(K_PC_HI),
      bbm: g(K_BBM),
      oldLo: g(K_OLD_LO),
      oldHi: g(K_OLD_HI),
      ia: (g(K_IA_HI) >>> 0) * 4294967296 + (g(K_IA_LO) >>> 0),
      span: g(K_SPAN),
      cpus: g(K_CPUS),
      note: g(K_NOTE),
      asidTag: g(K_ASID),
    };
  }

  setBbm(pa: number, state: number): void {
    const k = this.find(pa);
    if (k >= 0) Atomics.store(this.ch, k + K_BBM, state);
  }

  addNote(pa: number, note: number): void {
    const k = this.find(pa);
    if (k >= 0) Atomics.or(this.ch, k + K_NOTE, note);
  }

  cover(pa: number, broadcast: boolean): void {
    const k = this.find(pa);
    if (k >= 0) Atomics.or(this.ch, k + K_COVERED, broadcast ? 3 : 1);
  }

  /**
   * Whether a stale use of the descriptor at `pa` by `user` is a violation: the
   * writer changed it, has completed a DSB since, and no TLBI that reaches `user`
   * covered the change. Returns the writer and its PC when it is.
   */
  violation(pa: number, user: number): { writer: number; pcLo: number; pcHi: number } | undefined {
    const d = this.read(pa);
    if (d === undefined || d.writer < 0) return undefined;
    if (this.dsbs(d.writer) <= d.dsbs) return undefined; // still inside the writer's maintenance window
    const reaches = d.writer === user ? d.covered !== 0 : (d.covered & 2) !== 0;
    return reaches ? undefined : { writer: d.writer, pcLo: d.pcLo, pcHi: d.pcHi };
  }
}
