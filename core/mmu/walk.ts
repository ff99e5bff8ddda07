/**
 * Translation table walks, stage 1 and stage 2 (Arm ARM D8.3–D8.4; pseudocode
 * AArch64.S1Walk → s1Walk, AArch64.S2Walk → s2Walk, AArch64.BlockDescSupported →
 * blockDescSupported, AArch64.OAOutOfRange).
 *
 * Cold path: called on TLB misses, by AT instructions and by the inspector.
 * Faults are values (FaultRecord), never exceptions.
 */
import type { PhysBus } from '../mem/bus.js';
import { OaFormat, type TTWParams } from './params.js';

export type FaultKind = 'translation' | 'addressSize' | 'accessFlag' | 'permission' | 'external' | 'alignment';

export interface FaultRecord {
  ok: false;
  kind: FaultKind;
  level: number;
  stage: 1 | 2;
  /** The fault happened on a stage-2 translation of a stage-1 table access. */
  s1ptw: boolean;
  /** …while the hardware updated a stage-1 descriptor (AF or dirty state): reported with WnR = 1. */
  hwUpdate?: boolean;
  /** IPA of a stage-2 fault (for HPFAR_EL2), -1 otherwise. */
  ipa: number;
}

export interface LevelTrace {
  stage: 1 | 2;
  level: number;
  tableBase: number;
  index: number;
  descPa: number;
  /** Raw descriptor as (lo, hi) words, undefined when the read aborted. */
  descLo?: number;
  descHi?: number;
  kind: 'table' | 'block' | 'page' | 'invalid' | 'reserved' | 'abort';
  /** Next-level table or output address. */
  next?: number;
  /** What the hardware would do that an inspection does not (e.g. set the Access flag). */
  note?: string;
}

/** Leaf attributes as the descriptor and its tables give them (stage 1 or 2 layout). */
export interface LeafAttrs {
  /** Stage 1: AttrIndx; stage 2: MemAttr[3:0]. */
  attr: number;
  /** Stage 1: AP[2:1] after APTable; stage 2: S2AP. */
  ap: number;
  sh: number;
  ns: number;
  ng: number;
  dbm: number;
  contiguous: number;
  /** Stage 1: PXN|PXNTable; stage 2: XN[1:0] (FEAT_XNX) in bit 1..0. */
  pxn: number;
  /** Stage 1: UXN|XNTable (or XN for single-range regimes). */
  uxn: number;
}

export interface WalkOk {
  ok: true;
  /** Base of the block/page in the output address space and its size (log2). */
  oaBase: number;
  sizeBits: number;
  level: number;
  attrs: LeafAttrs;
  /** Where the leaf descriptor lives (PA) and its value, for AF/dirty updates and the checker. */
  descPa: number;
  /** Its IPA when stage 2 translated the table accesses (a hardware update needs stage-2 write permission), else -1. */
  descIpa: number;
  descLo: number;
  descHi: number;
}

export type WalkResult = WalkOk | FaultRecord;

/** Stage 2 translation of a stage-1 table address (IPA → PA), supplied by the caller when stage 2 is on. */
export type S2TableLookup = (ipa: number) => number | FaultRecord;

export function fault(kind: FaultKind, level: number, stage: 1 | 2, s1ptw = false, ipa = -1): FaultRecord {
  return { ok: false, kind, level, stage, s1ptw, ipa };
}

/** AArch64.BlockDescSupported: which levels may hold block descriptors. */
export function blockDescSupported(grain: number, level: number, fmt: OaFormat, lpa: boolean): boolean {
  if (grain === 12) return level === 1 || level === 2 || (level === 0 && fmt === OaFormat.Ds);
  if (grain === 14) return level === 2 || (level === 1 && fmt === OaFormat.Ds);
  return level === 2 || (level === 1 && lpa);
}

/**
 * Output address bits [..:lowBits] of a descriptor in the given format
 * (AArch64.LeafBase / AArch64.NextTableBase): [47:g] for 48-bit OAs — bits [51:48]
 * are not address bits there (bit 51 is DBM, bit 50 GP on leaves).
 */
export function descOa(lo: number, hi: number, fmt: OaFormat, lowBits: number): number {
  const l = lo >>> 0;
  const low = l - (l % 2 ** Math.min(lowBits, 32));
  switch (fmt) {
    case OaFormat.Bits48:
      return (hi & 0xffff) * 2 ** 32 + low;
    case OaFormat.Lpa64k:
      return (hi & 0xffff) * 2 ** 32 + low + ((l >>> 12) & 0xf) * 2 ** 48;
    case OaFormat.Ds:
      return (hi & 0x3ffff) * 2 ** 32 + low + ((l >>> 8) & 3) * 2 ** 50;
  }
}

/** Reads a descriptor (single-copy atomic 64-bit); undefined when the PA is not RAM. */
export function readDesc(bus: PhysBus, pa: number): [number, number] | undefined {
  const r = bus.find(pa);
  if (r === undefined || r.kind !== 'ram' || pa + 8 > r.base + r.size) return undefined;
  const v = Atomics.load(r.i64, (pa - r.base) / 8);
  return [Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0];
}

/** Atomically replace a descriptor if it still holds `old` (hardware AF/dirty updates). */
export function updateDesc(bus: PhysBus, pa: number, oldLo: number, oldHi: number, newLo: number, newHi: number): boolean {
  const r = bus.find(pa);
  if (r === undefined || r.kind !== 'ram') return false;
  const old = (BigInt(oldHi) << 32n) | BigInt(oldLo >>> 0);
  const neu = (BigInt(newHi) << 32n) | BigInt(newLo >>> 0);
  return Atomics.compareExchange(r.i64, (pa - r.base) / 8, BigInt.asIntN(64, old), BigInt.asIntN(64, neu)) === BigInt.asIntN(64, old);
}

export interface WalkOptions {
  stage: 1 | 2;
  /** FEAT_LPA (64K level-1 blocks). */
  lpa: boolean;
  /** Stage 2 for stage-1 table accesses (stage-1 walks under an enabled stage 2). */
  s2?: S2TableLookup;
  trace?: LevelTrace[];
}

/** AArch64.S1Walk: the stage-1 tables for a VA's translated bits (`va`); APTable/XNTable/PXNTable/NSTable accumulate. */
export function s1Walk(bus: PhysBus, p: TTWParams, va: number, o: Omit<WalkOptions, 'stage'>): WalkResult {
  return tableWalk(bus, p, va, { ...o, stage: 1 });
}

/** AArch64.S2Walk: the stage-2 tables (VTTBR_EL2, concatenated start tables) for an IPA. */
export function s2Walk(bus: PhysBus, p: TTWParams, ipa: number, o: Omit<WalkOptions, 'stage' | 's2'>): WalkResult {
  return tableWalk(bus, p, ipa, { ...o, stage: 2 });
}

/**
 * The level loop both walks share: the tables for input address `ia` (the translated
 * bits only). Leaves AF handling and permissions to the caller (they depend on the access).
 */
function tableWalk(bus: PhysBus, p: TTWParams, ia: number, o: WalkOptions): WalkResult {
  if (p.base >= 2 ** p.oaBits) return fault('addressSize', 0, o.stage);
  let level = p.startLevel;
  let table = p.base;
  let apTable = 0;
  let pxnTable = 0;
  let uxnTable = 0;
  let nsTable = 0;
  for (;;) {
    const shift = p.grain + (3 - level) * p.stride;
    const bits = level === p.startLevel ? p.inputSize - shift : p.stride;
    const index = Math.floor(ia / 2 ** shift) % 2 ** bits;
    let descPa = table + index * 8;
    const descIpa = o.s2 ? descPa : -1;
    if (o.s2) {
      const pa = o.s2(descPa);
      if (typeof pa !== 'number') return { ...pa, s1ptw: true };
      descPa = pa;
    }
    const t: LevelTrace | undefined = o.trace ? { stage: o.stage, level, tableBase: table, index, descPa, kind: 'abort' } : undefined;
    if (t) o.trace!.push(t);
    const d = readDesc(bus, descPa);
    if (d === undefined) return fault('external', level, o.stage);
    const [lo, hi] = d;
    if (t) {
      t.descLo = lo;
      t.descHi = hi;
    }
    if ((lo & 1) === 0) {
      if (t) t.kind = 'invalid';
      return fault('translation', level, o.stage);
    }
    const isTable = (lo & 2) !== 0;
    if (level === 3 && !isTable) {
      if (t) t.kind = 'reserved';
      return fault('translation', level, o.stage);
    }
    if (isTable && level < 3) {
      const next = descOa(lo, hi, p.oaFormat, p.grain);
      if (t) {
        t.kind = 'table';
        t.next = next;
      }
      if (next >= 2 ** p.oaBits) return fault('addressSize', level, o.stage);
      if (o.stage === 1) {
        pxnTable |= (hi >>> 27) & 1;
        uxnTable |= (hi >>> 28) & 1;
        apTable |= (hi >>> 29) & 3;
        nsTable |= (hi >>> 31) & 1;
      }
      table = next;
      level++;
      continue;
    }
    if (level < 3 && !blockDescSupported(p.grain, level, p.oaFormat, o.lpa)) {
      if (t) t.kind = 'reserved';
      return fault('translation', level, o.stage);
    }
    const sizeBits = p.grain + (3 - level) * p.stride;
    const oaBase = descOa(lo, hi, p.oaFormat, sizeBits);
    if (t) {
      t.kind = level === 3 ? 'page' : 'block';
      t.next = oaBase;
    }
    if (oaBase >= 2 ** p.oaBits) return fault('addressSize', level, o.stage);
    return {
      ok: true,
      oaBase,
      sizeBits,
      level,
      attrs: leafAttrs(lo, hi, p, o.stage, apTable, pxnTable, uxnTable, nsTable),
      descPa,
      descIpa,
      descLo: lo,
      descHi: hi,
    };
  }
}

function leafAttrs(
  lo: number,
  hi: number,
  p: TTWParams,
  stage: 1 | 2,
  apTable: number,
  pxnTable: number,
  uxnTable: number,
  nsTable: number,
): LeafAttrs {
  const sh = p.oaFormat === OaFormat.Ds ? p.sh : (lo >>> 8) & 3;
  if (stage === 2) {
    return {
      attr: (lo >>> 2) & 0xf,
      ap: (lo >>> 6) & 3,
      sh,
      ns: 0,
      ng: 0,
      dbm: (hi >>> 19) & 1,
      contiguous: (hi >>> 20) & 1,
      pxn: (hi >>> 21) & 3, // XN[1:0] = descriptor[54:53]
      uxn: 0,
    };
  }
  // APTable[1] makes the region read-only; APTable[0] removes EL0 access (D8.4.2).
  let ap = (lo >>> 6) & 3;
  let dbm = (hi >>> 19) & 1;
  if (apTable & 2) {
    ap |= 2;
    dbm = 0; // hierarchically read-only: dirty-bit management cannot make it writable
  }
  if (apTable & 1) ap &= 2;
  return {
    attr: (lo >>> 2) & 7,
    ap,
    sh,
    ns: ((lo >>> 5) & 1) | nsTable,
    ng: (lo >>> 11) & 1,
    dbm,
    contiguous: (hi >>> 20) & 1,
    pxn: ((hi >>> 21) & 1) | pxnTable,
    uxn: ((hi >>> 22) & 1) | uxnTable,
  };
}
