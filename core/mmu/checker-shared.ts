/**
 * State the checker shares between vCPUs (SharedArrayBuffers, so every worker
 * sees it): which pages hold translation tables (watched), the last change of
 * each watched descriptor (who wrote it, at which point of that CPU's barrier
 * history, from which PC), and per-CPU barrier counters.
 *
 * A stale TLB hit is a violation when the CPU that changed the descriptor has
 * since completed a synchronisation that should have removed the entry: for the
 * writer itself any later DSB (it changed the table, synchronised and still uses
 * the old translation: no TLBI), for other CPUs a later TLBI followed by a DSB
 * (the invalidation it issued did not cover the entry). Hits inside a
 * break-before-make window — before the writer's TLBI and DSB — are legal.
 */

const SLOTS = 4096;
const W = 6; // paLo, paHi, writer + 1, dsbsAtChange, syncsAtChange, pcLo
export const CPU_COUNTER_WORDS = 2; // dsbs, syncs (DSBs completed after a TLBI)

export interface CheckerSharedInit {
  watch: SharedArrayBuffer[];
  changes: SharedArrayBuffer;
  counters: SharedArrayBuffer;
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

  dsbs(cpu: number): number {
    return Atomics.load(this.cnt, cpu * CPU_COUNTER_WORDS);
  }

  syncs(cpu: number): number {
    return Atomics.load(this.cnt, cpu * CPU_COUNTER_WORDS + 1);
  }

  /** A DSB completed on `cpu`; `afterTlbi` when a TLBI was issued since its previous DSB. */
  barrier(cpu: number, afterTlbi: boolean): void {
    Atomics.add(this.cnt, cpu * CPU_COUNTER_WORDS, 1);
    if (afterTlbi) Atomics.add(this.cnt, cpu * CPU_COUNTER_WORDS + 1, 1);
  }

  private slot(pa: number): number {
    return ((Math.floor(pa / 8) * 2654435761) >>> 0) % SLOTS;
  }

  /** Record a change of the descriptor at `pa` by `cpu` (the latest change wins; collisions overwrite). */
  recordChange(pa: number, cpu: number, pcLo: number): void {
    const k = this.slot(pa) * W;
    Atomics.store(this.ch, k + 0, pa % 4294967296 | 0);
    Atomics.store(this.ch, k + 1, Math.floor(pa / 4294967296));
    Atomics.store(this.ch, k + 2, cpu + 1);
    Atomics.store(this.ch, k + 3, this.dsbs(cpu));
    Atomics.store(this.ch, k + 4, this.syncs(cpu));
    Atomics.store(this.ch, k + 5, pcLo);
  }

  /**
   * Whether a stale use of the descriptor at `pa` by `user` is a violation; returns
   * the writer and its PC (low word) when it is, undefined when it is legal or unknown.
   */
  violation(pa: number, user: number): { writer: number; pcLo: number } | undefined {
    const k = this.slot(pa) * W;
    if (Atomics.load(this.ch, k + 0) !== (pa % 4294967296 | 0) || Atomics.load(this.ch, k + 1) !== Math.floor(pa / 4294967296)) return undefined;
    const writer = Atomics.load(this.ch, k + 2) - 1;
    if (writer < 0) return undefined;
    const dsbs = Atomics.load(this.ch, k + 3);
    const syncs = Atomics.load(this.ch, k + 4);
    const bad = (writer === user && this.dsbs(writer) > dsbs) || this.syncs(writer) > syncs;
    return bad ? { writer, pcLo: Atomics.load(this.ch, k + 5) } : undefined;
  }
}
