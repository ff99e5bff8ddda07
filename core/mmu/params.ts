/**
 * Translation regimes and walk parameters (Arm ARM D8, pseudocode
 * AArch64.S1TTWParams*, AArch64.S2TTWParams, AArch64.S1StartLevel).
 *
 * Addresses on this slow path are doubles: a VA's translated bits are at most
 * 52, and PAs are below 2^52, so they are exact.
 */
import type { Cpu } from '../a64/cpu.js';
import { R } from '../a64/sysregs.js';

export const enum Regime {
  EL10 = 0,
  EL20 = 1,
  EL2 = 2,
  EL3 = 3,
}

export const REGIME_NAMES = ['EL1&0', 'EL2&0', 'EL2', 'EL3'] as const;

/** Cpu.atRegime flag: the AT honours PSTATE.PAN (AT S1E1RP/WP, FEAT_PAN2). */
export const AT_PAN = 16;

/** Output address format of descriptors and TTBRs. */
export const enum OaFormat {
  /** OA[47:g] in descriptor[47:g]. */
  Bits48 = 0,
  /** FEAT_LPA with the 64K granule: OA[51:48] in descriptor[15:12]. */
  Lpa64k = 1,
  /** FEAT_LPA2 (TCR.DS=1, 4K/16K): OA[49:g] in place, OA[51:50] in descriptor[9:8]. */
  Ds = 2,
}

export interface TTWParams {
  /** log2 of the granule: 12 (4K), 14 (16K), 16 (64K). */
  grain: number;
  /** Bits resolved per level: grain - 3. */
  stride: number;
  /** Input address size in bits (64 - TxSZ, after clamping). */
  inputSize: number;
  /** Level of the first lookup: -1..3. */
  startLevel: number;
  /** Physical address of the starting table. */
  base: number;
  /** Effective output (PA/IPA) size in bits: min(TCR.IPS/PS, the CPU's PARange). */
  oaBits: number;
  oaFormat: OaFormat;
  /** Hardware Access flag / dirty state updates enabled (TCR.HA/HD with FEAT_HAFDBS). */
  ha: boolean;
  hd: boolean;
  /** Walk attributes, for the inspector. */
  irgn: number;
  orgn: number;
  sh: number;
  /** Which TTBR (0 or 1) for two-range regimes. */
  ttbr: number;
  /** Number of concatenated tables at the start level (stage 2 only; 1 otherwise). */
  concat: number;
}

/** PARange/IPS/PS encodings → bits (D19.2 ID_AA64MMFR0_EL1.PARange). */
export const PA_BITS = [32, 36, 40, 42, 44, 48, 52];

export function paRangeBits(enc: number): number {
  return PA_BITS[Math.min(enc, 6)];
}

/** The regime used by accesses at `el` (Arm ARM D8.1.2). */
export function regimeFor(c: Cpu, el: number): Regime {
  if (el === 3) return Regime.EL3;
  const e2h = c.hasEl2 && (c.sys.hi(R.HCR_EL2) & (1 << 2)) !== 0;
  if (el === 2) return e2h ? Regime.EL20 : Regime.EL2;
  const tge = c.hasEl2 && (c.sys.lo(R.HCR_EL2) & (1 << 27)) !== 0;
  return el === 0 && e2h && tge ? Regime.EL20 : Regime.EL10;
}

export function isTwoRange(r: Regime): boolean {
  return r === Regime.EL10 || r === Regime.EL20;
}

export function sctlrIndex(r: Regime): number {
  return r === Regime.EL10 ? R.SCTLR_EL1 : r === Regime.EL3 ? R.SCTLR_EL3 : R.SCTLR_EL2;
}

export function tcrIndex(r: Regime): number {
  return r === Regime.EL10 ? R.TCR_EL1 : r === Regime.EL3 ? R.TCR_EL3 : R.TCR_EL2;
}

/** Stage 1 enabled for the regime (SCTLR.M, and not disabled by HCR_EL2.DC/TGE for EL1&0). */
export function s1Enabled(c: Cpu, r: Regime): boolean {
  if (r === Regime.EL10 && c.hasEl2) {
    const hcr = c.sys.lo(R.HCR_EL2);
    if ((hcr & (1 << 12)) !== 0 || (hcr & (1 << 27)) !== 0) return false; // DC, TGE
  }
  return (c.sys.lo(sctlrIndex(r)) & 1) !== 0;
}

/** Stage 2 enabled for EL1&0 (HCR_EL2.VM, or DC which forces it on). */
export function s2Enabled(c: Cpu, r: Regime): boolean {
  if (r !== Regime.EL10 || !c.hasEl2) return false;
  const hcr = c.sys.lo(R.HCR_EL2);
  if ((hcr & (1 << 27)) !== 0) return false; // TGE
  return (hcr & 1) !== 0 || (hcr & (1 << 12)) !== 0;
}

/** Granule size bits from TG0 (00 4K, 01 64K, 10 16K) or TG1 (01 16K, 10 4K, 11 64K); undefined for reserved values. */
export function grainFromTg(tg: number, isTg1: boolean): number | undefined {
  if (isTg1) return tg === 1 ? 14 : tg === 2 ? 12 : tg === 3 ? 16 : undefined;
  return tg === 0 ? 12 : tg === 1 ? 16 : tg === 2 ? 14 : undefined;
}

/** A granule the CPU does not implement is treated as an implemented one (IMPLEMENTATION DEFINED; we pick 4K then 64K as QEMU does). */
export function supportedGrain(c: Cpu, grain: number | undefined): number {
  const mmfr0 = c.model.id.ID_AA64MMFR0_EL1 ?? 0n;
  const has = (g: number): boolean => {
    const tg4 = Number((mmfr0 >> 28n) & 0xfn);
    const tg64 = Number((mmfr0 >> 24n) & 0xfn);
    const tg16 = Number((mmfr0 >> 20n) & 0xfn);
    if (g === 12) return tg4 !== 0xf;
    if (g === 16) return tg64 !== 0xf;
    return tg16 !== 0;
  };
  if (grain !== undefined && has(grain)) return grain;
  return has(12) ? 12 : 16;
}

/** AArch64.S1StartLevel: level = 4 - ceil((inputSize - grain) / stride). */
export function s1StartLevel(inputSize: number, grain: number): number {
  const stride = grain - 3;
  return 4 - Math.ceil((inputSize - grain) / stride);
}

/**
 * AArch64.S2InvalidSL: VTCR_EL2.SL0 (and SL2) values that are invalid for the granule
 * and the CPU's PAMax: 4K SL0 = 2 (level 0) needs PAMax >= 44, SL0 = 3 (level 3) needs
 * FEAT_TTST (not implemented), SL2 = 1 only with DS and SL0 = 0; 16K SL0 = 2 (level 1)
 * needs PAMax >= 42, SL0 = 3 (level 0) needs DS; 64K SL0 = 2 (level 1) needs
 * PAMax >= 44, SL0 = 3 is reserved.
 */
export function s2InvalidSL(paMax: number, grain: number, sl0: number, sl2: number, ds: boolean): boolean {
  if (grain === 12) {
    if (sl2 === 1) return !ds || sl0 !== 0;
    return sl0 === 3 || (sl0 === 2 && paMax < 44);
  }
  if (grain === 14) return sl0 === 3 ? !ds : sl0 === 2 && paMax < 42;
  return sl0 === 3 || (sl0 === 2 && paMax < 44);
}

/** AArch64.S2StartLevel: the first level of a stage-2 walk from SL0/SL2 (valid per s2InvalidSL). */
export function s2StartLevel(grain: number, sl0: number, sl2: number): number {
  if (grain === 12) return sl2 === 1 ? -1 : 2 - sl0;
  return 3 - sl0;
}

/**
 * AArch64.S2InconsistentSL: the start level must resolve the input size with at most
 * 16 concatenated tables and at least one bit at the start level.
 */
export function s2InconsistentSL(inputSize: number, grain: number, startLevel: number): boolean {
  const stride = grain - 3;
  const minSize = (3 - startLevel) * stride + grain + 1;
  return inputSize < minSize || inputSize > minSize + stride - 1 + 4;
}

/**
 * Smallest and largest TxSZ for a granule (AArch64.S1MinTxSZ / S2MinTxSZ, MaxTxSZ without
 * FEAT_TTST): 52-bit inputs with DS (LPA2), or with the 64K granule given FEAT_LVA at
 * stage 1 (a VA) or FEAT_LPA at stage 2 (an IPA is bounded by the PA size).
 */
export function txszLimits(c: Cpu, grain: number, ds: boolean, stage: 1 | 2 = 1): { min: number; max: number } {
  const f = c.model.features;
  const big = grain === 16 ? (stage === 1 ? f.lva : f.lpa) : ds;
  return { min: big ? 12 : 16, max: 39 };
}

/** Read a 64-bit sysreg as (lo, hi). */
export function sr(c: Cpu, i: number): [number, number] {
  return [c.sys.lo(i), c.sys.hi(i)];
}

/** The table base from a TTBR/VTTBR, with BADDR[51:48] in bits [5:2] for 52-bit formats. */
export function ttbrBase(lo: number, hi: number, fmt: OaFormat, tableBytes: number): number {
  const align = Math.max(tableBytes, fmt === OaFormat.Bits48 ? 2 : 64);
  let base = (hi & 0xffff) * 2 ** 32 + (lo >>> 0);
  if (fmt !== OaFormat.Bits48) base += ((lo >>> 2) & 0xf) * 2 ** 48;
  return base - (base % align);
}

/** Why a walk cannot start (reported as a translation fault at level 0, or -1 for LPA2 4K). */
export interface ParamsFault {
  fault: 'translation';
  level: number;
}

export const isParamsFault = (p: TTWParams | ParamsFault): p is ParamsFault => 'fault' in p;

/** Bits of a TCR: TCR_EL1 layout for two-range regimes, TCR_EL2/EL3 layout otherwise. */
function tcrField(lo: number, hi: number, lsb: number, width: number): number {
  const word = lsb >= 32 ? hi : lo;
  return (word >>> (lsb & 31)) & ((1 << width) - 1);
}

/** TBI for the VA's range: bit 55 selects TTBR1 in two-range regimes. */
export function tbiFor(c: Cpu, r: Regime, vaHi: number): boolean {
  const [lo, hi] = sr(c, tcrIndex(r));
  if (!isTwoRange(r)) return tcrField(lo, hi, 20, 1) === 1;
  return tcrField(lo, hi, (vaHi & (1 << 23)) !== 0 ? 38 : 37, 1) === 1;
}

/** ASID of the regime: from TTBR0 or TTBR1 (TCR.A1), 8 or 16 bits (TCR.AS); -1 for regimes without ASIDs. */
export function currentAsid(c: Cpu, r: Regime): number {
  if (!isTwoRange(r)) return -1;
  const tcr = r === Regime.EL10 ? R.TCR_EL1 : R.TCR_EL2;
  const a1 = (c.sys.lo(tcr) >>> 22) & 1;
  const as16 = (c.sys.hi(tcr) >>> 4) & 1;
  const ttbr = r === Regime.EL10 ? (a1 ? R.TTBR1_EL1 : R.TTBR0_EL1) : a1 ? R.TTBR1_EL2 : R.TTBR0_EL2;
  const asid = c.sys.hi(ttbr) >>> 16;
  return as16 ? asid : asid & 0xff;
}

/** VMID for EL1&0 translations (VTTBR_EL2[63:48], 8 or 16 bits per VTCR_EL2.VS). */
export function currentVmid(c: Cpu): number {
  if (!c.hasEl2) return 0;
  const vmid = c.sys.hi(R.VTTBR_EL2) >>> 16;
  return (c.sys.lo(R.VTCR_EL2) >>> 19) & 1 ? vmid : vmid & 0xff;
}

/**
 * Stage 1 walk parameters for a VA (lo, hi) in regime r (AArch64.GetS1TTWParams),
 * including the VA range check (AArch64.S1InvalidVA… → translation fault).
 */
export function s1Params(c: Cpu, r: Regime, vaLo: number, vaHi: number, isFetch: boolean): TTWParams | ParamsFault {
  const [tlo, thi] = sr(c, tcrIndex(r));
  const two = isTwoRange(r);
  const upper = two && (vaHi & (1 << 23)) !== 0;
  const f = (lsb: number, w: number): number => tcrField(tlo, thi, lsb, w);
  const b = upper ? 16 : 0; // TCR_EL1 fields for TTBR1 sit 16 bits higher
  const txsz = f(b, 6);
  const tg = f(b + 14, 2);
  const grain = supportedGrain(c, grainFromTg(tg, upper));
  const ds = (two ? f(59, 1) : f(32, 1)) === 1 && grain !== 16 && c.model.features.lpa2;
  const lim = txszLimits(c, grain, ds);
  const inputSize = 64 - Math.min(Math.max(txsz, lim.min), lim.max);
  const top = isFetch ? 63 : tbiFor(c, r, vaHi) ? 55 : 63;
  // Faults found before the walk starts are reported at level 0 (AArch64.S1Translate), even with LPA2's level -1.
  if (!vaInRange(vaLo, vaHi, inputSize, top, upper)) return { fault: 'translation', level: 0 };
  if (two && f(upper ? 23 : 7, 1) === 1) return { fault: 'translation', level: 0 }; // EPDx
  const ips = two ? f(32, 3) : f(16, 3);
  const cpuPa = c.model.paBits;
  const lpa64k = grain === 16 && c.model.features.lpa && ips === 6;
  let oaBits = Math.min(paRangeBits(ips), cpuPa);
  const fmt = ds ? OaFormat.Ds : lpa64k ? OaFormat.Lpa64k : OaFormat.Bits48;
  if (fmt === OaFormat.Bits48) oaBits = Math.min(oaBits, 48);
  const stride = grain - 3;
  const startLevel = s1StartLevel(inputSize, grain);
  const tableBytes = 8 * 2 ** (inputSize - (grain + (3 - startLevel) * stride));
  const ttbrIdx = ttbrIndex(r, upper);
  const base = ttbrBase(c.sys.lo(ttbrIdx), c.sys.hi(ttbrIdx), fmt, tableBytes);
  const hafdbs = c.model.features.hafdbs;
  return {
    grain,
    stride,
    inputSize,
    startLevel,
    base,
    oaBits,
    oaFormat: fmt,
    ha: hafdbs && (two ? f(39, 1) : f(21, 1)) === 1,
    hd: hafdbs && (two ? f(40, 1) : f(22, 1)) === 1,
    irgn: f(b + 8, 2),
    orgn: f(b + 10, 2),
    sh: f(b + 12, 2),
    ttbr: upper ? 1 : 0,
    concat: 1,
  };
}

function ttbrIndex(r: Regime, upper: boolean): number {
  switch (r) {
    case Regime.EL10:
      return upper ? R.TTBR1_EL1 : R.TTBR0_EL1;
    case Regime.EL20:
      return upper ? R.TTBR1_EL2 : R.TTBR0_EL2;
    case Regime.EL2:
      return R.TTBR0_EL2;
    default:
      return R.TTBR0_EL3;
  }
}

/** VA bits [top:inputSize] must all be 0 (lower range) or all 1 (upper range). */
export function vaInRange(lo: number, hi: number, inputSize: number, top: number, upper: boolean): boolean {
  // Bits [top:inputSize] split over the two words; compare each part with a mask.
  const want = upper ? -1 : 0;
  if (inputSize < 32) {
    const loMask = ~((1 << inputSize) - 1);
    if ((lo & loMask) !== (want & loMask)) return false;
  }
  const hiLow = Math.max(inputSize, 32) - 32; // first bit of the range in the high word
  const hiTop = top - 32; // last bit (31 or 23)
  const width = hiTop - hiLow + 1;
  if (width <= 0) return true;
  const mask = (width >= 32 ? -1 : (1 << width) - 1) << hiLow;
  return (hi & mask) === (want & mask);
}

/** The translated part of a VA: bits [inputSize-1:0] as a number. */
export function vaOffset(lo: number, hi: number, inputSize: number): number {
  const hiBits = inputSize - 32;
  if (hiBits <= 0) return hiBits === 0 ? lo >>> 0 : (lo & ((1 << inputSize) - 1)) >>> 0;
  const h = hiBits >= 32 ? hi >>> 0 : (hi & ((1 << hiBits) - 1)) >>> 0;
  return h * 4294967296 + (lo >>> 0);
}

/**
 * Stage 2 walk parameters (AArch64.GetS2TTWParams, VTCR_EL2) with the start level
 * from SL0 (and SL2 for LPA2) and concatenated start tables. Inconsistent
 * configurations give a translation fault at level 0.
 */
export function s2Params(c: Cpu): TTWParams | ParamsFault {
  const [vlo, vhi] = sr(c, R.VTCR_EL2);
  const f = (lsb: number, w: number): number => tcrField(vlo, vhi, lsb, w);
  const grain = supportedGrain(c, grainFromTg(f(14, 2), false));
  const ds = f(32, 1) === 1 && grain !== 16 && c.model.features.lpa2;
  const lim = txszLimits(c, grain, ds, 2);
  const inputSize = 64 - Math.min(Math.max(f(0, 6), lim.min), lim.max);
  const sl0 = f(6, 2);
  const sl2 = f(33, 1);
  if (s2InvalidSL(c.model.paBits, grain, sl0, sl2, ds)) return { fault: 'translation', level: 0 };
  const startLevel = s2StartLevel(grain, sl0, sl2);
  if (s2InconsistentSL(inputSize, grain, startLevel)) return { fault: 'translation', level: 0 };
  const stride = grain - 3;
  const concatBits = inputSize - (grain + (4 - startLevel) * stride); // beyond what the start level resolves
  const ps = f(16, 3);
  const lpa64k = grain === 16 && c.model.features.lpa && ps === 6;
  const fmt = ds ? OaFormat.Ds : lpa64k ? OaFormat.Lpa64k : OaFormat.Bits48;
  let oaBits = Math.min(paRangeBits(ps), c.model.paBits);
  if (fmt === OaFormat.Bits48) oaBits = Math.min(oaBits, 48);
  const concat = 2 ** Math.max(concatBits, 0);
  const tableBytes = 8 * 2 ** Math.min(inputSize - (grain + (3 - startLevel) * stride), stride) * concat;
  const hafdbs = c.model.features.hafdbs;
  return {
    grain,
    stride,
    inputSize,
    startLevel,
    base: ttbrBase(c.sys.lo(R.VTTBR_EL2), c.sys.hi(R.VTTBR_EL2), fmt, tableBytes),
    oaBits,
    oaFormat: fmt,
    ha: hafdbs && f(21, 1) === 1,
    hd: hafdbs && f(22, 1) === 1,
    irgn: f(8, 2),
    orgn: f(10, 2),
    sh: f(12, 2),
    ttbr: 0,
    concat,
  };
}
