/**
 * The MMU of one vCPU: plugs into MemPath as its `translate` hook.
 *
 *   access → [fast TLB: MemPath arrays, per context] → translateAccess()
 *          → [architectural TLB: ArchTlb] → walk (stage 1, stage 2) → permissions
 *
 * Follows AArch64.FullTranslate: stage 1 (or the MMU-off flat map), then stage 2
 * when enabled; permission and access-flag checks on the combined result.
 */
import type { Cpu } from '../a64/cpu.js';
import { R } from '../a64/sysregs.js';
import {
  ACC_ATOMIC,
  ACC_CM,
  ACC_EXEC,
  ACC_UNPRIV,
  ACC_WRITE,
  FSC_ADDRESS_SIZE,
  TLB_BITS,
  type FastTlb,
  type MemPath,
} from '../mem/mempath.js';
import {
  AT_PAN,
  Regime,
  currentAsid,
  currentVmid,
  isParamsFault,
  isTwoRange,
  regimeFor,
  s1Enabled,
  s1Params,
  s2Enabled,
  s2Params,
  sctlrIndex,
  tbiFor,
  tcrIndex,
  vaInRange,
  vaOffset,
  type TTWParams,
} from './params.js';
import { ArchTlb, type TlbEntry } from './tlb.js';
import { combineS1S2, isDeviceAttr, s1Attrs } from './attrs.js';
import type { TlbiOp, TlbiOperand } from '../a64/sysreg-ops.js';
import { hexPair, staleReport, TlbChecker, type CheckerReport } from './checker.js';
import { CheckerShared } from './checker-shared.js';
import { readDesc } from './walk.js';
import { fault, s1Walk, s2Walk, updateDesc, type FaultRecord, type LevelTrace, type WalkOk } from './walk.js';

/** PSTATE.PAN in the SPSR layout (bit 22). */
const PSTATE_PAN = 1 << 22;

/** ESR DFSC/IFSC for a fault kind and level (Arm ARM D19.2, ESR_ELx ISS encoding for aborts). */
export function faultStatusCode(kind: FaultRecord['kind'], level: number): number {
  switch (kind) {
    case 'addressSize':
      return level < 0 ? 0x29 : FSC_ADDRESS_SIZE + level;
    case 'translation':
      return level < 0 ? 0x2b : 0x04 + level;
    case 'accessFlag':
      return 0x08 + Math.max(level, 0);
    case 'permission':
      return 0x0c + Math.max(level, 0);
    case 'external':
      return level < 0 ? 0x13 : 0x14 + level;
    case 'alignment':
      return 0x21;
  }
}

export interface TranslateOk {
  ok: true;
  pa: number;
  entry: TlbEntry;
  device: boolean;
}

export type TranslateResult = TranslateOk | FaultRecord;

/** TLBI scopes by index (ResolvedTlbi.scope), in the order of sysreg-ops' TlbiScope. */
export const TLBI_SCOPES = ['all', 'vmall', 'vmalls12', 'asid', 'va', 'vaa', 'ipa'] as const;

/** A TLBI resolved in the issuing CPU's context; plain numbers so it can cross threads. */
export interface ResolvedTlbi {
  scope: number;
  /** Bit per Regime. */
  regimes: number;
  vmid: number;
  allVmids: boolean;
  asid: number;
  /** VA range (TTBR) and the translated VA bits, or the IPA for 'ipa'. */
  range: number;
  addr: number;
  /** Input address size of the VA's range (by-VA forms), 0 otherwise. */
  inputSize: number;
  /**
   * FEAT_TLBIRANGE form: [addr, addr + len) is invalidated; len = 0 (TG reserved) invalidates
   * nothing. A record without len (a broadcast format that does not carry it) invalidates the
   * whole VA range / IPA space of the ASID or VMID: a superset, which the architecture allows.
   */
  opRange: boolean;
  len?: number;
}

/** Granule (log2) of a range TLBI's TG field: 0b01 4K, 0b10 16K, 0b11 64K; 0b00 is reserved. */
export function tlbiRangeGrain(tg: number): number {
  return tg === 0 ? 0 : [0, 12, 14, 16][tg];
}

/**
 * TLBIRange (Arm ARM D8.13.6, the range TLBI operand): BaseADDR is in units of the
 * granule TG, or of 64 KiB when the regime uses 52-bit addresses with LPA2 (TCR.DS = 1);
 * the range is (NUM + 1) << (5 * SCALE + 1) granules. Returns [start, length] in bytes,
 * with BaseADDR sign-extended from bit 36 when `signed` (two-range regimes: the VA's
 * top bits select TTBR1), or undefined for the reserved TG = 0b00: the pseudocode then
 * reports the range invalid and the TLBI invalidates nothing.
 */
export function tlbiRange(o: TlbiOperand, ds: boolean, signed: boolean): [number, number] | undefined {
  const grain = tlbiRangeGrain(o.tg);
  if (grain === 0) return undefined;
  const unit = ds ? 16 : grain;
  let base = (o.addrHi & 0x1f) * 2 ** 32 + (o.addrLo >>> 0);
  if (signed && base >= 2 ** 36) base -= 2 ** 37;
  return [base * 2 ** unit, (o.num + 1) * 2 ** (5 * o.scale + 1 + grain)];
}

export interface TranslateOptions {
  /** AT S1E1R/W and friends: PAN does not apply. */
  ignorePan?: boolean;
  /** Neither look up nor fill the TLB (AT, the inspector). */
  noTlb?: boolean;
  /** Stage 1 only: the result is the IPA even when stage 2 is enabled (AT S1E*). */
  stage1Only?: boolean;
  /** Internal: walks repeated because a hardware dirty-bit update lost a race. */
  retries?: number;
}

const SIG_WORDS = 18;

/** Context sets: EL1&0 {EL0, EL1, EL1+PAN}, EL2&0 {EL0, EL2, EL2+PAN}, EL2, EL3. */
const CTX_COUNT = 8;

export class Mmu {
  readonly tlb = new ArchTlb();
  private readonly sets: FastTlb[] = [];
  private readonly sigs: Int32Array[] = [];
  private readonly sig = new Int32Array(SIG_WORDS);
  /** Counters. */
  walks = 0;
  faults = 0;
  /** Completed stage-1 walks by the level of their leaf (index level + 1: -1..3). */
  readonly walksByLevel = new Float64Array(5);
  /** TLBIs applied here (executed, or received by broadcast), by scope (index into TLBI_SCOPES). */
  readonly tlbiByScope = new Float64Array(TLBI_SCOPES.length);
  /** TLBIs executed by this vCPU, by operation ('VAE1IS', 'RVAE1', …). */
  readonly tlbiByOp = new Map<string, number>();

  /** The counters issue 3 names beyond hits/misses, for the counter stream and --stats: walks by leaf level, TLBIs by scope, capacity evictions. */
  detailCounters(): Record<string, number> {
    const out: Record<string, number> = { 'tlb.hits': this.tlbHits, 'tlb.fastHits': this.c.mem.tlbHits, 'tlb.misses': this.tlbMisses };
    this.walksByLevel.forEach((n, i) => {
      if (n > 0) out[`walks.L${i - 1}`] = n;
    });
    this.tlbiByScope.forEach((n, i) => {
      if (n > 0) out[`tlbi.${TLBI_SCOPES[i]}`] = n;
    });
    for (const [name, n] of this.tlbiByOp) out[`tlbi.${name.toLowerCase()}`] = n;
    if (this.tlb.evictions > 0) out['tlb.evictions'] = this.tlb.evictions;
    return out;
  }

  /**
   * TLB hits: fast-path hits (MemPath.tlbHits, the scalar loads and stores) plus
   * architectural-TLB hits after a fast-path miss. A miss is a lookup that needed a walk.
   */
  get tlbHits(): number {
    return this.c.mem.tlbHits + this.tlb.hits;
  }

  get tlbMisses(): number {
    return this.tlb.misses;
  }

  constructor(private readonly c: Cpu) {
    const m = c.mem;
    for (let i = 0; i < CTX_COUNT; i++) {
      this.sets.push(i === 0 ? (m as MemPathWithSets).sets[0] : m.newSet());
      this.sigs.push(new Int32Array(SIG_WORDS).fill(-1));
    }
    m.translate = (_m, lo, hi, acc) => this.translateAccess(lo, hi, acc);
    // Fast-TLB slots are indexed by VA bits [12 + TLB_BITS - 1 : 12]; they equal the entry's
    // translated bits except for a TTBR1 range narrower than that (VA bits above it are 1):
    // drop everything then.
    this.tlb.onEvict = (e) => {
      if (e.range === 1 && this.inputSizeFor(e.regime, 1) < 12 + TLB_BITS) m.flushFast();
      else m.dropFastPages(Math.floor(e.iaBase / 4096), 2 ** (e.sizeBits - 12));
    };
    m.onTlbFlush = () => this.invalidateAll();
    c.onTlbi = (_c, op, operand) => this.tlbi(op, operand);
  }

  /**
   * TLBI (Arm ARM D8.13): resolve the operation in this CPU's context, apply it
   * here, and hand Inner/Outer Shareable forms to `onBroadcast` (SMP machines post
   * them to the other vCPUs, which apply the same resolved record).
   */
  tlbi(op: TlbiOp, o: TlbiOperand): void {
    this.tlbiByOp.set(op.name, (this.tlbiByOp.get(op.name) ?? 0) + 1);
    const t = this.resolveTlbi(op, o);
    this.checker?.tlbi(
      { scopeName: TLBI_SCOPES[t.scope], addr: t.addr, opRange: t.opRange, len: t.len, asid: t.asid },
      op.shareable !== 0 && this.onBroadcast !== null,
    );
    this.applyTlbi(t);
    if (op.shareable !== 0 && this.onBroadcast !== null) this.onBroadcast(t);
  }

  /** Checker mode (checker.ts): reports go to `onReport`. */
  checking = false;
  onReport: ((r: CheckerReport) => void) | null = null;
  /** SMP: apply shootdowns already posted to this vCPU before judging a hit stale. */
  beforeStaleCheck: (() => void) | null = null;
  reports = 0;
  /** Stale entries already reported (each is reported once, however often it is hit). */
  private readonly reported = new WeakSet<TlbEntry>();

  private shared: CheckerShared | null = null;
  private checker: TlbChecker | null = null;

  /**
   * Checker mode. `shared` is common to every vCPU of the machine (SMP); a
   * single-vCPU machine gets its own.
   */
  enableChecker(onReport: (r: CheckerReport) => void, shared?: CheckerShared): void {
    const c = this.c;
    const m = c.mem;
    const sh =
      shared ??
      CheckerShared.create(
        m.bus.ram.map((r) => r.size),
        c.id + 1,
      );
    this.shared = sh;
    this.checking = true;
    this.onReport = onReport;
    m.checking = true;
    m.watch = sh.watch;
    m.flushFast();
    const checker = new TlbChecker(c, { vasOf: (pa) => this.vasOf(pa) }, sh, (r) => this.report(r));
    this.checker = checker;
    const prevBarrier = c.onBarrier;
    c.onBarrier = (cpu, dsb) => {
      if (prevBarrier !== null) prevBarrier(cpu, dsb);
      if (dsb) checker.dsb(dsb);
    };
    m.onWatchedWrite = (pa, oldLo, oldHi, newLo, newHi) => checker.watchedWrite(pa, oldLo, oldHi, newLo, newHi);
  }

  /** The VAs this CPU's TLB caches through the descriptor at `pa` (checker reports). */
  private vasOf(pa: number): string {
    const vas: string[] = [];
    for (const e of this.tlb.entries()) if (e.descPa === pa) vas.push(`0x${e.iaBase.toString(16)}${e.range ? ' (TTBR1)' : ''}`);
    return vas.join(',');
  }

  private report(r: CheckerReport): void {
    this.reports++;
    this.onReport?.(r);
  }

  /** Checker (a): compare a TLB hit with a fresh walk; report when they differ and no pending invalidation explains it. */
  private checkHit(e: TlbEntry, lo: number, hi: number, acc: number, el: number, ia: number): boolean {
    const fresh = this.translate(lo, hi, acc & ~(ACC_WRITE | ACC_EXEC), el, undefined, { noTlb: true, ignorePan: true });
    const pa = e.paBase + (ia - e.iaBase);
    let why = '';
    if (!fresh.ok) why = `the tables now give a ${fresh.kind} fault at level ${fresh.level}`;
    else if (fresh.pa !== pa) why = `the tables now map it to PA 0x${fresh.pa.toString(16)}, the TLB to 0x${pa.toString(16)}`;
    else if (
      e.s1 &&
      fresh.entry.s1 &&
      (e.s1.ap !== fresh.entry.s1.ap || e.s1.uxn !== fresh.entry.s1.uxn || e.s1.pxn !== fresh.entry.s1.pxn)
    )
      why = 'permissions changed';
    if (why === '') return false;
    this.beforeStaleCheck?.();
    // Still cached after every posted invalidation was applied, and the CPU that changed
    // the descriptor has synchronised since (checker-shared.ts): a real stale use.
    if (!this.tlbHas(e)) return true;
    const v = this.shared?.violation(e.descPa, this.c.id);
    if (v === undefined || this.reported.has(e)) return true;
    this.reported.add(e);
    why += `; changed by vCPU ${v.writer} at PC ${hexPair(v.pcLo, v.pcHi)}, which has completed a DSB since without a TLBI reaching this CPU`;
    const cur = e.descPa >= 0 ? readDesc(this.c.mem.bus, e.descPa) : undefined;
    this.report(
      staleReport(
        this.c.id,
        hexPair(this.c.pcLo, this.c.pcHi),
        '0x' + ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16),
        e.descPa,
        e.descLo,
        e.descHi,
        cur?.[0] ?? 0,
        cur?.[1] ?? 0,
        why,
      ),
    );
    return true;
  }

  /** Set by SMP machines: broadcast a resolved TLBI to the other vCPUs. */
  onBroadcast: ((t: ResolvedTlbi) => void) | null = null;

  /** What a TLBI removes, resolved with the issuing CPU's registers (EL, E2H/TGE, VMID, ASID size, TCR). */
  resolveTlbi(op: TlbiOp, o: TlbiOperand): ResolvedTlbi {
    const c = this.c;
    const e2h = c.hasEl2 && (c.sys.hi(R.HCR_EL2) & (1 << 2)) !== 0;
    const tge = c.hasEl2 && (c.sys.lo(R.HCR_EL2) & (1 << 27)) !== 0;
    let regimes: number;
    // Only the EL1 instructions (op1 = 0) executed at EL2 with E2H = TGE = 1 act on EL2&0;
    // ALLE1, VMALLS12E1 and IPAS2* always name EL1&0.
    if (op.regime === 1) regimes = 1 << (op.el1Form && c.el === 2 && e2h && tge ? Regime.EL20 : Regime.EL10);
    else if (op.regime === 2) regimes = op.scope === 'all' ? (1 << Regime.EL2) | (1 << Regime.EL20) : 1 << (e2h ? Regime.EL20 : Regime.EL2);
    else regimes = 1 << Regime.EL3;
    const first: Regime =
      regimes & (1 << Regime.EL10)
        ? Regime.EL10
        : regimes & (1 << Regime.EL20)
          ? Regime.EL20
          : regimes & (1 << Regime.EL2)
            ? Regime.EL2
            : Regime.EL3;
    const asidBits = (c.sys.hi(first === Regime.EL10 ? R.TCR_EL1 : R.TCR_EL2) >>> 4) & 1 ? 0xffff : 0xff;
    const t: ResolvedTlbi = {
      scope: TLBI_SCOPES.indexOf(op.scope),
      regimes,
      vmid: currentVmid(c),
      allVmids: op.scope === 'all',
      asid: o.asid & asidBits,
      range: 0,
      addr: 0,
      inputSize: 0,
      opRange: op.range,
      len: 0,
    };
    if (op.range && op.scope === 'ipa') {
      // RIPAS2E1*: BaseADDR in units of the granule, or 64 KiB with VTCR_EL2.DS = 1.
      const ra = tlbiRange(o, c.model.features.lpa2 && (c.sys.hi(R.VTCR_EL2) & 1) !== 0, false);
      if (ra !== undefined) [t.addr, t.len] = ra;
    } else if (op.scope === 'ipa') t.addr = (o.addrHi >>> 0) * 2 ** 32 + (o.addrLo >>> 0);
    else if ((op.scope === 'va' || op.scope === 'vaa') && op.range) {
      const two = isTwoRange(first);
      const ra = tlbiRange(o, this.dsFor(first), two);
      if (ra !== undefined) {
        t.range = two && ra[0] < 0 ? 1 : 0;
        t.inputSize = this.inputSizeFor(first, t.range);
        t.addr = ((ra[0] % 2 ** t.inputSize) + 2 ** t.inputSize) % 2 ** t.inputSize;
        t.len = ra[1];
      }
    } else if (op.scope === 'va' || op.scope === 'vaa') {
      t.range = isTwoRange(first) && (o.addrHi & (1 << 23)) !== 0 ? 1 : 0;
      t.inputSize = this.inputSizeFor(first, t.range);
      t.addr = vaOffset(o.addrLo, o.addrHi, t.inputSize);
    }
    return t;
  }

  /** TCR.DS of a regime (TCR_EL1/TCR_EL2 with E2H: bit 59; TCR_EL2/EL3: bit 32), with FEAT_LPA2. */
  private dsFor(r: Regime): boolean {
    if (!this.c.model.features.lpa2) return false;
    return ((this.c.sys.hi(tcrIndex(r)) >>> (isTwoRange(r) ? 27 : 0)) & 1) !== 0;
  }

  /** Remove the entries a resolved TLBI names (on this CPU). */
  applyTlbi(t: ResolvedTlbi): void {
    this.tlbiByScope[t.scope]++;
    const inRegime = (e: TlbEntry): boolean =>
      (t.regimes & (1 << e.regime)) !== 0 && (e.regime !== Regime.EL10 || t.allVmids || e.vmid === t.vmid);
    switch (TLBI_SCOPES[t.scope]) {
      case 'all':
      case 'vmall':
      case 'vmalls12':
        return this.invalidateWhere(inRegime);
      case 'asid':
        return this.invalidateWhere((e) => inRegime(e) && e.asid === t.asid);
      case 'ipa':
        // Combined stage 1+2 entries that cover the IPA or meet the IPA range (the architecture
        // allows IPAS2 to leave combined entries, which VMALLE1 must then remove: a superset).
        if (t.opRange) return this.invalidateWhere((e) => inRegime(e) && e.s2 !== null && overlaps(e.ipaBase, e.sizeBits, t.addr, t.len));
        return this.invalidateWhere((e) => inRegime(e) && e.s2 !== null && t.addr >= e.ipaBase && t.addr < e.ipaBase + 2 ** e.sizeBits);
      case 'va':
      case 'vaa': {
        const anyAsid = TLBI_SCOPES[t.scope] === 'vaa';
        // Range forms: every entry of the VA range (TTBR) that meets [addr, addr + len). TTL and a TG
        // other than the entry's granule are hints the architecture lets us ignore (over-invalidation).
        if (t.opRange)
          return this.invalidateWhere(
            (e) =>
              inRegime(e) &&
              e.range === t.range &&
              (anyAsid || e.asid === -1 || e.asid === t.asid) &&
              overlaps(e.iaBase, e.sizeBits, t.addr, t.len),
          );
        // …LE (last level) forms: every cached entry is a leaf; intermediate walks are not cached.
        // By VA: probe only the buckets that can hold the VA, and drop only its fast-TLB slots
        // (Linux issues one TLBI per patched kernel instruction: this path must be cheap).
        const pred = (e: TlbEntry): boolean => inRegime(e) && (anyAsid || e.asid === -1 || e.asid === t.asid);
        let removed = 0;
        for (let r = 0; r < 4; r++) {
          if ((t.regimes & (1 << r)) === 0) continue;
          for (const e of this.tlb.removeAt(r as Regime, t.range, t.addr, pred)) {
            removed++;
            this.c.mem.dropFastPages(Math.floor(e.iaBase / 4096), 2 ** (e.sizeBits - 12));
          }
        }
        // Fast-TLB slots are indexed by VA bits [12 + TLB_BITS - 1 : 12]; they equal the translated
        // bits only when the range is that wide, otherwise drop everything. The VA's own slot may
        // also hold a tagged (TBI) alias: drop it too.
        if (t.inputSize < 12 + TLB_BITS) this.c.mem.flushFast();
        else this.c.mem.dropFastPages(Math.floor(t.addr / 4096), 1);
        if (removed > 0) this.c.onContextChange(this.c); // decoded blocks are keyed by VA
        return;
      }
    }
  }

  /** Input address size of a regime's VA range from its TCR (as s1Params computes it). */
  private inputSizeFor(r: Regime, range: number): number {
    const p = s1Params(this.c, r, 0, range ? -1 : 0, false);
    return isParamsFault(p) ? 48 : p.inputSize;
  }

  /**
   * Walk parameters per (regime, VA range, fetch): the TCR/TTBR decode is the same for
   * every VA of a range until a context change, so it is cached; the VA range check
   * still runs per access (s1Params does it for the VA it is given).
   */
  private readonly paramsCache: (TTWParams | undefined)[] = new Array<TTWParams | undefined>(16).fill(undefined);

  private params(r: Regime, lo: number, hi: number, fetch: boolean): TTWParams | { fault: 'translation'; level: number } {
    const upper = isTwoRange(r) && (hi & (1 << 23)) !== 0;
    const k = (r << 2) | (upper ? 2 : 0) | (fetch ? 1 : 0);
    const cached = this.paramsCache[k];
    if (cached !== undefined) {
      const top = fetch ? 63 : tbiFor(this.c, r, hi) ? 55 : 63;
      if (vaInRange(lo, hi, cached.inputSize, top, upper)) return cached;
      return { fault: 'translation', level: 0 };
    }
    const p = s1Params(this.c, r, lo, hi, fetch);
    if (!isParamsFault(p)) this.paramsCache[k] = p;
    return p;
  }

  /** Select the fast-TLB set for the current context; flush it if the translation registers changed. */
  contextChanged(): void {
    this.paramsCache.fill(undefined);
    const c = this.c;
    const r = regimeFor(c, c.el);
    const pan = (c.pstateOther & PSTATE_PAN) !== 0 ? 1 : 0;
    let idx: number;
    if (r === Regime.EL10) idx = c.el === 0 ? 0 : 1 + pan;
    else if (r === Regime.EL20) idx = c.el === 0 ? 3 : 4 + pan;
    else idx = r === Regime.EL2 ? 6 : 7;
    this.signature(r);
    const old = this.sigs[idx];
    let same = true;
    for (let i = 0; i < SIG_WORDS; i++) {
      if (old[i] !== this.sig[i]) {
        same = false;
        break;
      }
    }
    if (!same) {
      this.sets[idx].flush();
      old.set(this.sig);
    }
    c.mem.selectSet(this.sets[idx]);
    const sctlr = c.sys.lo(sctlrIndex(r));
    c.mem.strictAlign = (sctlr & 2) !== 0;
  }

  /** Registers whose values shape translations in regime r. */
  private signature(r: Regime): void {
    const s = this.c.sys;
    const g = this.sig;
    const put = (k: number, i: number): void => {
      g[k] = s.lo(i);
      g[k + 1] = s.hi(i);
    };
    g[0] = r;
    const el1 = r === Regime.EL10;
    const el3 = r === Regime.EL3;
    put(1, el1 ? R.TTBR0_EL1 : el3 ? R.TTBR0_EL3 : R.TTBR0_EL2);
    put(3, el1 ? R.TTBR1_EL1 : R.TTBR1_EL2);
    put(5, el1 ? R.TCR_EL1 : el3 ? R.TCR_EL3 : R.TCR_EL2);
    put(7, sctlrIndex(r));
    put(9, el1 ? R.MAIR_EL1 : el3 ? R.MAIR_EL3 : R.MAIR_EL2);
    put(11, R.HCR_EL2);
    put(13, R.VTTBR_EL2);
    put(15, R.VTCR_EL2);
    g[17] = this.c.hasEl2 ? 1 : 0;
  }

  /** Drop everything (TLBI without exact support, or reset). */
  invalidateAll(): void {
    this.tlb.clear();
    this.c.mem.flushFast();
    for (const s of this.sigs) s.fill(-1);
    this.c.onContextChange(this.c);
  }

  /** Remove architectural TLB entries matching `pred` and the fast path that caches them. */
  invalidateWhere(pred: (e: TlbEntry) => boolean): void {
    if (this.tlb.removeWhere(pred) > 0) {
      this.c.mem.flushFast();
      for (const s of this.sigs) s.fill(-1);
      this.c.onContextChange(this.c);
    }
  }

  /**
   * MemPath hook: PA of the access, or -1 with the fault recorded in MemPath.
   * While an AT instruction runs (c.atRegime >= 0), translates for the regime it
   * names, stage 1 only unless c.atStage12, without PAN unless the AT_PAN flag is
   * set (AT S1E1RP/WP), without filling the TLB, and reports the attributes in
   * c.atAttrs for PAR_EL1.
   */
  translateAccess(lo: number, hi: number, acc: number): number {
    const c = this.c;
    const at = c.atRegime < 0 ? -1 : c.atRegime & ~AT_PAN;
    const el = at < 0 ? c.el : (acc & ACC_UNPRIV) !== 0 && at === 1 ? 0 : at;
    const ignorePan = (c.atRegime & AT_PAN) === 0;
    const r =
      at < 0
        ? this.translate(lo, hi, acc, el)
        : this.translate(lo, hi, acc & ~ACC_UNPRIV, el, undefined, { noTlb: true, ignorePan, stage1Only: !c.atStage12 });
    const m = c.mem;
    if (at >= 0 && r.ok) c.atAttrs = this.parAttrs(r, regimeFor(c, el));
    if (!r.ok) {
      this.faults++;
      m.setFault(faultStatusCode(r.kind, r.level), lo, hi, r.hwUpdate === true ? acc | ACC_WRITE : acc);
      m.faultS1ptw = r.s1ptw ? 1 : 0;
      m.faultStage2 = r.stage === 2 ? 1 : 0;
      m.faultIpa = r.ipa;
      return -1;
    }
    m.lastDevice = r.device && (acc & ACC_EXEC) === 0;
    return r.pa;
  }

  /**
   * Full translation of VA (lo, hi) for an access of kind `acc` as if at `el`
   * (AT instructions and the inspector may ask for another EL than the current one).
   */
  translate(lo: number, hi: number, acc: number, el: number, trace?: LevelTrace[], opts: TranslateOptions = {}): TranslateResult {
    const c = this.c;
    const r = regimeFor(c, el);
    const fetch = (acc & ACC_EXEC) !== 0;
    const noTlb = trace !== undefined || opts.noTlb === true;
    if (!s1Enabled(c, r)) return this.flat(lo, hi, acc, r, fetch, trace, opts.stage1Only === true, !noTlb);
    const p = this.params(r, lo, hi, fetch);
    if (isParamsFault(p)) return fault('translation', p.level, 1);
    const two = isTwoRange(r);
    const range = p.ttbr;
    const ia = vaOffset(lo, hi, p.inputSize);
    const asid = currentAsid(c, r);
    const vmid = r === Regime.EL10 ? currentVmid(c) : 0;
    let e = noTlb ? undefined : this.tlb.lookup(r, range, ia, asid, vmid);
    if (e !== undefined && this.checking && (acc & ACC_EXEC) === 0) {
      // Invalidations applied during a mismatch check may have removed the entry.
      if (this.checkHit(e, lo, hi, acc, el, ia) && !this.tlbHas(e)) e = undefined;
    }
    if (e === undefined) {
      const res = this.s1Translate(r, p, ia, acc, el, trace, opts.stage1Only === true, opts.ignorePan === true);
      if ('ok' in res) return res;
      e = res;
      if (!noTlb) this.tlb.insert(e);
    }
    const pa = e.paBase + (ia - e.iaBase);
    const perm = this.checkPermissions(e, r, acc, el, two, opts.ignorePan === true, ia);
    if (perm !== undefined) return perm;
    const write = (acc & ACC_WRITE) !== 0 && (acc & ACC_CM) === 0;
    if (write && trace !== undefined) this.noteDirty(e, trace);
    if (write && e.s1 !== null && (e.s1.ap & 2) !== 0 && !noTlb) {
      // Writable only through hardware dirty-state management (checkPermissions allowed it):
      // clear AP[2] in the descriptor; if the descriptor changed meanwhile, walk again.
      const denied = this.s1UpdatePermitted(e.descIpa);
      if (denied !== undefined) return denied;
      if (!this.markDirty(e)) {
        this.tlb.removeWhere((x) => x === e);
        // Another vCPU changed the descriptor: walk again (bounded; a descriptor that keeps
        // changing under us is reported as a permission fault rather than spinning here).
        const retries = opts.retries ?? 0;
        if (retries >= 8) return fault('permission', e.s1Level, 1);
        return this.translate(lo, hi, acc, el, trace, { ...opts, retries: retries + 1 });
      }
    }
    if (write && e.s2 !== null && (e.s2.ap & 2) === 0 && !noTlb && !this.markS2Dirty(e)) {
      this.tlb.removeWhere((x) => x === e);
      const retries = opts.retries ?? 0;
      if (retries >= 8) return fault('permission', e.s2Level, 2, false, e.ipaBase + (ia - e.iaBase));
      return this.translate(lo, hi, acc, el, trace, { ...opts, retries: retries + 1 });
    }
    return { ok: true, pa, entry: e, device: this.isDevice(e, r) };
  }

  /** Stage 1 off: VA = IPA, Address size fault when it exceeds the PA size; then stage 2. */
  private flat(
    lo: number,
    hi: number,
    acc: number,
    r: Regime,
    fetch: boolean,
    trace: LevelTrace[] | undefined,
    stage1Only: boolean,
    update: boolean,
  ): TranslateResult {
    const c = this.c;
    // AArch64.TranslateAddressS1Off: AddrTop applies TCR.TBI* whatever SCTLR.M says, so the
    // top byte of a data address is ignored with TBI set (the Address size check covers
    // bits [55:PAMax]). Fetches use bit 63: a branch already stripped the tag (BranchAddr).
    const top = fetch ? 63 : tbiFor(c, r, hi) ? 55 : 63;
    const hiU = (top === 55 ? hi & 0xffffff : hi) >>> 0;
    if (hiU >= 2 ** (c.model.paBits - 32)) return fault('addressSize', 0, 1);
    const ia = hiU * 2 ** 32 + (lo >>> 0);
    const vmid = r === Regime.EL10 ? currentVmid(c) : 0;
    const s2on = s2Enabled(c, r) && !stage1Only;
    let e: TlbEntry = {
      regime: r,
      range: 0,
      asid: -1,
      vmid,
      iaBase: ia - (ia % 4096),
      sizeBits: 12,
      paBase: ia - (ia % 4096),
      s1: null,
      s2: null,
      s1Level: -2,
      s2Level: -2,
      descPa: -1,
      descLo: 0,
      descHi: 0,
      ipaBase: -1,
    };
    if (s2on) {
      const s2 = this.s2Translate(ia, acc, false, trace);
      if (!s2.ok) return s2;
      e = {
        ...e,
        paBase: s2.oaBase + (e.iaBase - (ia - (ia % 2 ** s2.sizeBits))),
        s2: s2.attrs,
        s2Level: s2.level,
        ipaBase: e.iaBase,
        s2DescPa: s2.descPa,
        s2DescLo: s2.descLo,
        s2DescHi: s2.descHi,
      };
      const perm = this.checkS2(e, acc, c.el, ia);
      if (perm !== undefined) return perm;
      // Stage-2 dirty state (one attempt: a lost race means another vCPU changed the descriptor).
      if (update && (acc & ACC_WRITE) !== 0 && (acc & ACC_CM) === 0 && (s2.attrs.ap & 2) === 0) this.markS2Dirty(e);
    }
    // Stage 1 off: data accesses are Device-nGnRnE (Normal write-back with HCR_EL2.DC), fetches Normal.
    const hcrDc = r === Regime.EL10 && c.hasEl2 && (c.sys.lo(R.HCR_EL2) & (1 << 12)) !== 0;
    const device = (!fetch && !hcrDc) || (e.s2 !== null && (e.s2.attr & 0xc) === 0);
    return { ok: true, pa: e.paBase + (ia - e.iaBase), entry: e, device };
  }

  /**
   * AArch64.S1Translate: the stage-1 walk (s1Walk; stage 2 for its table accesses and its
   * output when enabled), AF handling, the combined entry.
   */
  private s1Translate(
    r: Regime,
    p: TTWParams,
    ia: number,
    acc: number,
    el: number,
    trace: LevelTrace[] | undefined,
    stage1Only: boolean,
    ignorePan: boolean,
  ): TlbEntry | FaultRecord {
    const c = this.c;
    this.walks++;
    const s2on = s2Enabled(c, r);
    const s2 = s2on ? (ipa: number) => this.s2TableAccess(ipa, trace) : undefined;
    for (let attempt = 0; ; attempt++) {
      const t = trace ?? (this.checking ? [] : undefined);
      const w = s1Walk(c.mem.bus, p, ia, { lpa: c.model.features.lpa, s2, trace: t });
      if (this.checker !== null && t) this.checker.walked(t, ia, p.grain);
      if (!w.ok) return w;
      this.walksByLevel[w.level + 1]++;
      if ((w.descLo & 0x400) === 0) {
        // Access flag clear: fault, or set it with FEAT_HAFDBS (TCR.HA) atomically and walk again.
        if (!p.ha) return fault('accessFlag', w.level, 1);
        const denied = this.s1UpdatePermitted(w.descIpa, trace);
        if (denied !== undefined) return denied;
        if (!this.setAccessFlag(w, trace) && attempt < 8) continue;
      }
      const blockIa = ia - (ia % 2 ** w.sizeBits);
      const e: TlbEntry = {
        regime: r,
        range: p.ttbr,
        asid: isTwoRange(r) && w.attrs.ng ? currentAsid(c, r) : -1,
        vmid: r === Regime.EL10 ? currentVmid(c) : 0,
        iaBase: blockIa,
        sizeBits: w.sizeBits,
        paBase: w.oaBase,
        s1: w.attrs,
        s2: null,
        s1Level: w.level,
        s2Level: -2,
        descPa: w.descPa,
        descLo: w.descLo,
        descHi: w.descHi,
        ipaBase: -1,
        descIpa: w.descIpa,
      };
      // AT S1E* at EL2 with stage 2 on: the output is the IPA (table walks still went through stage 2).
      if (!s2on || stage1Only) return e;
      // AArch64.FullTranslate: a stage-1 fault (permission included) is reported before
      // stage 2 translates the output address.
      const perm = this.s1Permissions(e, r, acc, el, isTwoRange(r), ignorePan);
      if (perm !== undefined) return perm;
      const ipa = w.oaBase + (ia - blockIa);
      const s2w = this.s2Translate(ipa, acc, false, trace);
      if (!s2w.ok) return s2w;
      const size = Math.min(w.sizeBits, s2w.sizeBits);
      const iaBase = ia - (ia % 2 ** size);
      const ipaBase = ipa - (ipa % 2 ** size);
      return {
        ...e,
        iaBase,
        sizeBits: size,
        ipaBase,
        paBase: s2w.oaBase + (ipaBase - (ipa - (ipa % 2 ** s2w.sizeBits))),
        s2: s2w.attrs,
        s2Level: s2w.level,
        s2DescPa: s2w.descPa,
        s2DescLo: s2w.descLo,
        s2DescHi: s2w.descHi,
      };
    }
  }

  /**
   * A hardware update of a stage-1 descriptor (AF or dirty state) writes its IPA: stage 2
   * must permit the write (S2AP[1], or a writable-clean page with DBM and VTCR_EL2.HD, which
   * the update makes dirty); otherwise it is a stage-2 Permission fault on the walk
   * (S1PTW = 1) reported with WnR = 1 (Arm ARM D8.4.12, hardware management and stage 2).
   */
  private s1UpdatePermitted(descIpa: number | undefined, trace?: LevelTrace[]): FaultRecord | undefined {
    if (descIpa === undefined || descIpa < 0) return undefined;
    const w = this.s2Translate(descIpa, ACC_WRITE, true, trace);
    if (!w.ok) return { ...w, hwUpdate: true };
    if ((w.attrs.ap & 2) !== 0) return undefined;
    if (w.attrs.dbm === 1 && this.s2Hd()) {
      // Atomic set of S2AP[1]; a lost race leaves the descriptor to whoever changed it.
      if (trace === undefined) updateDesc(this.c.mem.bus, w.descPa, w.descLo, w.descHi, w.descLo | 0x80, w.descHi);
      return undefined;
    }
    return { ...fault('permission', w.level, 2, true, descIpa), hwUpdate: true };
  }

  /** Stage-2 dirty-state management: FEAT_HAFDBS and VTCR_EL2.HD. */
  private s2Hd(): boolean {
    return this.c.model.features.hafdbs && this.c.hasEl2 && (this.c.sys.lo(R.VTCR_EL2) & (1 << 22)) !== 0;
  }

  /** A write to a stage-2 writable-clean page (DBM, HD): set S2AP[1] atomically, and in the entry. */
  private markS2Dirty(e: TlbEntry): boolean {
    if (e.s2DescPa === undefined || e.s2DescLo === undefined || e.s2DescHi === undefined || e.s2 === null) return true;
    const newLo = e.s2DescLo | 0x80;
    if (!updateDesc(this.c.mem.bus, e.s2DescPa, e.s2DescLo, e.s2DescHi, newLo, e.s2DescHi)) return false;
    e.s2DescLo = newLo;
    e.s2 = { ...e.s2, ap: e.s2.ap | 2 };
    return true;
  }

  /**
   * Hardware Access flag update (FEAT_HAFDBS): set AF in the leaf descriptor atomically;
   * false when the descriptor changed meanwhile (walk again). An inspection (`trace`
   * given) writes nothing: the leaf's trace says the hardware would set the flag.
   */
  private setAccessFlag(w: WalkOk, trace: LevelTrace[] | undefined): boolean {
    if (trace !== undefined) {
      const leaf = trace[trace.length - 1];
      if (leaf !== undefined) leaf.note = 'AF would be set by hardware';
    } else if (!updateDesc(this.c.mem.bus, w.descPa, w.descLo, w.descHi, w.descLo | 0x400, w.descHi)) return false;
    w.descLo |= 0x400;
    return true;
  }

  /** Inspection of a write: say which dirty-state updates the hardware would make (none is made). */
  private noteDirty(e: TlbEntry, trace: LevelTrace[]): void {
    const note = (stage: 1 | 2, what: string): void => {
      for (let i = trace.length - 1; i >= 0; i--) {
        const t = trace[i];
        if (t.stage === stage && (t.kind === 'page' || t.kind === 'block')) {
          t.note = t.note === undefined ? what : `${t.note}; ${what}`;
          return;
        }
      }
    };
    if (e.s1 !== null && (e.s1.ap & 2) !== 0) note(1, 'dirty state would be set by hardware (AP[2] cleared)');
    if (e.s2 !== null && (e.s2.ap & 2) === 0) note(2, 'dirty state would be set by hardware (S2AP[1] set)');
  }

  private tlbHas(e: TlbEntry): boolean {
    for (const x of this.tlb.entries()) if (x === e) return true;
    return false;
  }

  /** AArch64.S2Translate: the stage-2 walk (s2Walk) for an IPA, with its access flag; faults carry the IPA. */
  private s2Translate(ipa: number, _acc: number, s1ptw: boolean, trace?: LevelTrace[]): WalkOk | FaultRecord {
    const c = this.c;
    const p = s2Params(c);
    if (isParamsFault(p)) return fault('translation', p.level, 2, s1ptw, ipa);
    if (ipa >= 2 ** p.inputSize) return fault('translation', 0, 2, s1ptw, ipa);
    for (let attempt = 0; ; attempt++) {
      const w = s2Walk(c.mem.bus, p, ipa, { lpa: c.model.features.lpa, trace });
      if (!w.ok) return { ...w, s1ptw, ipa };
      if ((w.descLo & 0x400) === 0) {
        if (!p.ha) return fault('accessFlag', w.level, 2, s1ptw, ipa);
        if (!this.setAccessFlag(w, trace) && attempt < 8) continue;
      }
      return w;
    }
  }

  /** A stage-1 table access at stage 2: needs stage-2 read permission (S2AP[0]). */
  private s2TableAccess(ipa: number, trace?: LevelTrace[]): number | FaultRecord {
    const w = this.s2Translate(ipa, 0, true, trace);
    if (!w.ok) return w;
    if ((w.attrs.ap & 1) === 0) return fault('permission', w.level, 2, true, ipa);
    return w.oaBase + (ipa % 2 ** w.sizeBits);
  }

  /** Stage-1 then stage-2 permissions of a (cached) translation. */
  private checkPermissions(
    e: TlbEntry,
    r: Regime,
    acc: number,
    el: number,
    two: boolean,
    ignorePan: boolean,
    ia: number,
  ): FaultRecord | undefined {
    const f = this.s1Permissions(e, r, acc, el, two, ignorePan);
    if (f !== undefined) return f;
    if (e.s2 !== null) return this.checkS2(e, acc, el, e.ipaBase + (ia - e.iaBase));
    return undefined;
  }

  /**
   * Stage-1 permissions (AArch64.S1DirectBasePermissions, AArch64.S1HasPermissionsFault):
   * AP, UXN/PXN, PAN, WXN, EL0-writable implies PXN, dirty-bit management.
   */
  private s1Permissions(e: TlbEntry, r: Regime, acc: number, el: number, two: boolean, ignorePan: boolean): FaultRecord | undefined {
    const c = this.c;
    const s1 = e.s1;
    if (s1 !== null) {
      const write = (acc & ACC_WRITE) !== 0 && (acc & ACC_CM) === 0;
      const fetch = (acc & ACC_EXEC) !== 0;
      const unpriv = two && (el === 0 || (acc & ACC_UNPRIV) !== 0);
      const ap = s1.ap;
      const sctlr = c.sys.lo(sctlrIndex(r));
      const wxn = (sctlr & (1 << 19)) !== 0;
      let read: boolean;
      let writable: boolean;
      let exec: boolean;
      if (!two) {
        read = true;
        writable = (ap & 2) === 0;
        exec = s1.uxn === 0;
      } else if (unpriv) {
        read = (ap & 1) !== 0;
        writable = ap === 1;
        exec = s1.uxn === 0;
      } else {
        read = true;
        writable = (ap & 2) === 0;
        // Privileged execution is never allowed from memory writable at EL0.
        exec = s1.pxn === 0 && ap !== 1;
        // PAN: privileged data accesses to EL0-accessible memory fault (not fetches, not LDTR/STTR, not cache maintenance).
        const pan = !ignorePan && el !== 0 && (c.pstateOther & PSTATE_PAN) !== 0 && (acc & (ACC_UNPRIV | ACC_CM)) === 0;
        if (pan && !fetch && (ap & 1) !== 0) read = writable = false;
      }
      // Dirty-bit management (FEAT_HAFDBS, TCR.HD): a DBM page with AP[2]=1 is writable-clean;
      // the write clears AP[2] (markDirty). APTable read-only restrictions cleared DBM in the walk.
      if (!writable && read && s1.dbm === 1 && this.hd(r)) writable = !two || !unpriv || ap === 3;
      if (wxn && writable) exec = false;
      const ok = fetch ? exec : write ? writable : read || (acc & ACC_CM) !== 0;
      if (!ok) return fault('permission', e.s1Level, 1);
    }
    return undefined;
  }

  private checkS2(e: TlbEntry, acc: number, el: number, ipa: number): FaultRecord | undefined {
    const s2 = e.s2!;
    const write = (acc & ACC_WRITE) !== 0 && (acc & ACC_CM) === 0;
    const fetch = (acc & ACC_EXEC) !== 0;
    let ok: boolean;
    if (fetch) {
      // XN[1] = descriptor bit 54 (FEAT_XNX, which would give XN[0] a meaning too, is not implemented).
      void el;
      ok = (s2.pxn & 2) === 0;
    } else if (write) ok = (s2.ap & 2) !== 0 || (s2.dbm === 1 && this.s2Hd());
    else ok = (s2.ap & 1) !== 0 || (acc & ACC_CM) !== 0;
    return ok ? undefined : fault('permission', e.s2Level, 2, false, ipa);
  }

  private hd(r: Regime): boolean {
    if (!this.c.model.features.hafdbs) return false;
    const [lo, hi] = [
      this.c.sys.lo(r === Regime.EL10 ? R.TCR_EL1 : r === Regime.EL3 ? R.TCR_EL3 : R.TCR_EL2),
      this.c.sys.hi(r === Regime.EL10 ? R.TCR_EL1 : r === Regime.EL3 ? R.TCR_EL3 : R.TCR_EL2),
    ];
    return isTwoRange(r) ? (hi & (1 << 8)) !== 0 : (lo & (1 << 22)) !== 0;
  }

  /** Hardware dirty-state update: clear AP[2] in the leaf descriptor atomically, and in the cached entry. */
  private markDirty(e: TlbEntry): boolean {
    const newLo = e.descLo & ~(1 << 7);
    if (!updateDesc(this.c.mem.bus, e.descPa, e.descLo, e.descHi, newLo, e.descHi)) return false;
    e.descLo = newLo;
    e.s1 = { ...e.s1!, ap: e.s1!.ap & 1 };
    return true;
  }

  /** PAR_EL1 attributes for a translation: the MAIR-format byte | SH << 8, stages 1 and 2 combined (AArch64.CombineS1S2Desc). */
  parAttrs(r: TranslateOk, regime: Regime): number {
    const e = r.entry;
    let attr: number;
    let sh: number;
    if (e.s1 === null) {
      attr = r.device ? 0x00 : 0xff;
      sh = r.device ? 2 : 3;
    } else {
      ({ attr, sh } = s1Attrs(this.mairByte(e.s1.attr, regime), e.s1.sh));
    }
    if (e.s2 !== null) ({ attr, sh } = combineS1S2({ attr, sh }, e.s2.attr, e.s2.sh));
    return attr | (sh << 8);
  }

  private mairByte(idx: number, r: Regime): number {
    const mair = r === Regime.EL10 ? R.MAIR_EL1 : r === Regime.EL3 ? R.MAIR_EL3 : R.MAIR_EL2;
    const word = idx < 4 ? this.c.sys.lo(mair) : this.c.sys.hi(mair);
    return (word >>> (8 * (idx & 3))) & 0xff;
  }

  /** Memory type: Device when MAIR's attribute (stage 1) or MemAttr (stage 2) says so. */
  private isDevice(e: TlbEntry, r: Regime): boolean {
    if (e.s1 !== null && isDeviceAttr(this.mairByte(e.s1.attr, r))) return true;
    return e.s2 !== null && (e.s2.attr & 0xc) === 0;
  }
}

type MemPathWithSets = MemPath & { sets: FastTlb[] };

/** Does the block [base, base + 2^bits) meet [start, start + len)? */
function overlaps(base: number, bits: number, start: number, len: number | undefined): boolean {
  if (len === undefined) return true;
  return len > 0 && base < start + len && start < base + 2 ** bits;
}

export { ACC_ATOMIC };
