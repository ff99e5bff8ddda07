/**
 * SYS instructions (op0 = 1): cache maintenance (DC, IC), address translation (AT)
 * and TLB maintenance (TLBI), keyed by (op1, CRn, CRm, op2) like the registers in
 * sysreg-access.ts. Each entry has an access check and an executor; the SYS emitter
 * in table/system.ts captures both at decode time.
 */
import { NEXT, type Cpu } from './cpu.js';
import type { Features } from './models.js';
import { R } from './sysregs.js';
import { contextChanged, dataAbort, hcrLo, isInHost, isSecure, HCR_TGE, HCR_TPC, HCR_TPU, HCR_TSW, HCR_TTLB } from './exceptions.js';
import { ACCESS_OK, ACCESS_UNDEF, dcZvaAllowed, SCTLR_M, SCTLR_UCI, type SysCheck } from './sysreg-access.js';
import { ACC_CM, ACC_READ, ACC_UNPRIV, ACC_WRITE, FSC_ALIGNMENT, FSC_SYNC_EXTERNAL } from '../mem/mempath.js';
import { AT_PAN } from '../mmu/params.js';

/** Executes the operation on Xt = (lo, hi); returns NEXT or JUMP (fault taken). */
export type SysExec = (c: Cpu, lo: number, hi: number, pcLo: number, pcHi: number) => number;

export interface SysOpDef {
  name: string;
  op1: number;
  crn: number;
  crm: number;
  op2: number;
  minEl: number;
  /** EL that must be implemented (2 or 3), 0 for none. */
  needs: number;
  check: SysCheck | null;
  exec: SysExec;
  feat: keyof Features | null;
}

const OPS = new Map<number, SysOpDef>();

export function sysOpKey(op1: number, crn: number, crm: number, op2: number): number {
  return (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

export function lookupSysOp(op1: number, crn: number, crm: number, op2: number): SysOpDef | undefined {
  return OPS.get(sysOpKey(op1, crn, crm, op2));
}

export function allSysOps(): SysOpDef[] {
  return [...OPS.values()];
}

function op(
  name: string,
  enc: [number, number, number, number],
  minEl: number,
  exec: SysExec,
  o: { check?: SysCheck; needs?: number; feat?: keyof Features } = {},
): void {
  const [op1, crn, crm, op2] = enc;
  const key = sysOpKey(op1, crn, crm, op2);
  if (OPS.has(key)) throw new Error(`SYS ${name}: encoding already used by ${OPS.get(key)!.name}`);
  OPS.set(key, { name, op1, crn, crm, op2, minEl, needs: o.needs ?? 0, check: o.check ?? null, exec, feat: o.feat ?? null });
}

/** The generic check, as for registers: EL, implemented EL, own traps. */
export function checkSysOp(c: Cpu, d: SysOpDef): number {
  if (c.el < d.minEl) return ACCESS_UNDEF;
  if (d.needs === 2 && !c.hasEl2) return ACCESS_UNDEF;
  if (d.needs === 3 && !c.hasEl3) return ACCESS_UNDEF;
  return d.check === null ? ACCESS_OK : d.check(c, false);
}

// ---- checks -------------------------------------------------------------------

/** EL0 needs SCTLR_EL1.UCI (SCTLR_EL2.UCI with TGE); EL0/EL1 trap to EL2 with the given HCR_EL2 bit. */
function uciCheck(hcrBit: number): SysCheck {
  return (c) => {
    const hcr = hcrLo(c);
    if (c.el === 0 && (c.sys.lo((hcr & HCR_TGE) !== 0 ? R.SCTLR_EL2 : R.SCTLR_EL1) & SCTLR_UCI) === 0) return 1;
    return c.el <= 1 && (hcr & hcrBit) !== 0 ? 2 : ACCESS_OK;
  };
}

function hcrCheck(bit: number): SysCheck {
  return (c) => (c.el === 1 && (hcrLo(c) & bit) !== 0 ? 2 : ACCESS_OK);
}

// ---- DC / IC ----------------------------------------------------------------------

/** Current translation regime's SCTLR (EL0 and EL1 share SCTLR_EL1; EL0 with TGE uses SCTLR_EL2). */
function regimeSctlr(c: Cpu): number {
  if (c.el === 0) return c.sys.lo((hcrLo(c) & HCR_TGE) !== 0 ? R.SCTLR_EL2 : R.SCTLR_EL1);
  return c.sys.lo(R.SCTLR_EL1 + c.el - 1);
}

function unpriv(c: Cpu): number {
  return c.el === 0 ? ACC_UNPRIV : 0;
}

/**
 * DC ZVA: zero the naturally aligned block of 4 << DCZID_EL0.BS bytes holding Xt.
 * Device memory (the MMU off for data, or an MMIO region) gives an Alignment fault
 * (Arm ARM, DC ZVA; QEMU 7.2 zeroes instead). FAR holds Xt.
 */
const dcZva: SysExec = (c, lo, hi, pcLo, pcHi) => {
  const m = c.mem;
  const size = 4 << c.model.dczidBs;
  const alo = lo & -size;
  if ((regimeSctlr(c) & SCTLR_M) === 0) {
    m.setFault(FSC_ALIGNMENT, lo, hi, ACC_WRITE);
    return dataAbort(c, pcLo, pcHi);
  }
  m.fault = 0;
  const pa = m.translate(m, alo, hi, ACC_WRITE | unpriv(c));
  if (pa < 0) return dataAbort(c, pcLo, pcHi);
  const r = m.bus.find(pa);
  if (r === undefined || r.kind !== 'ram') {
    m.setFault(r === undefined ? FSC_SYNC_EXTERNAL : FSC_ALIGNMENT, lo, hi, ACC_WRITE);
    return dataAbort(c, pcLo, pcHi);
  }
  const off = m.resolveRam(alo, hi, ACC_WRITE | unpriv(c));
  if (off < 0) return dataAbort(c, pcLo, pcHi);
  m.ramRegion!.u8.fill(0, off, off + size);
  if (c.exclusiveArmed && c.exclusivePa >= pa && c.exclusivePa < pa + size) c.exclusiveArmed = false;
  return NEXT;
};

/** DC by VA without data effect here: the translation and permission faults still happen (CM = 1). */
function dcByVa(acc: number): SysExec {
  return (c, lo, hi, pcLo, pcHi) => {
    const m = c.mem;
    m.fault = 0;
    if (m.translate(m, lo, hi, acc | ACC_CM | unpriv(c)) < 0) return dataAbort(c, pcLo, pcHi);
    return NEXT;
  };
}

const noEffect: SysExec = () => NEXT;

/** IC IVAU: invalidate decoded blocks of the page the VA translates to. */
const icIvau: SysExec = (c, lo, hi, pcLo, pcHi) => {
  const m = c.mem;
  m.fault = 0;
  const pa = m.translate(m, lo, hi, ACC_READ | ACC_CM | unpriv(c));
  if (pa < 0) return dataAbort(c, pcLo, pcHi);
  c.onIcMaintenance(c, false, pa);
  return NEXT;
};

const icAll: SysExec = (c) => {
  c.onIcMaintenance(c, true, -1);
  return NEXT;
};

op('IC IALLUIS', [0, 7, 1, 0], 1, icAll, { check: hcrCheck(HCR_TPU) });
op('IC IALLU', [0, 7, 5, 0], 1, icAll, { check: hcrCheck(HCR_TPU) });
op('IC IVAU', [3, 7, 5, 1], 0, icIvau, { check: uciCheck(HCR_TPU) });
op('DC IVAC', [0, 7, 6, 1], 1, dcByVa(ACC_WRITE), { check: hcrCheck(HCR_TPC) });
op('DC ISW', [0, 7, 6, 2], 1, noEffect, { check: hcrCheck(HCR_TSW) });
op('DC CSW', [0, 7, 10, 2], 1, noEffect, { check: hcrCheck(HCR_TSW) });
op('DC CISW', [0, 7, 14, 2], 1, noEffect, { check: hcrCheck(HCR_TSW) });
op('DC ZVA', [3, 7, 4, 1], 0, dcZva, { check: (c) => dcZvaAllowed(c) });
op('DC CVAC', [3, 7, 10, 1], 0, dcByVa(ACC_READ), { check: uciCheck(HCR_TPC) });
op('DC CVAU', [3, 7, 11, 1], 0, dcByVa(ACC_READ), { check: uciCheck(HCR_TPU) });
op('DC CVAP', [3, 7, 12, 1], 0, dcByVa(ACC_READ), { check: uciCheck(HCR_TPC), feat: 'dpb' });
op('DC CIVAC', [3, 7, 14, 1], 0, dcByVa(ACC_READ), { check: uciCheck(HCR_TPC) });

// ---- AT -----------------------------------------------------------------------------

/** PAR_EL1 bit 11 is RES1 in both formats; F (bit 0) marks a fault. */
const PAR_RES1 = 1 << 11;

/**
 * AT: translate Xt in the requested regime through `c.mem.translate` (the MMU reads
 * c.atRegime/c.atStage12) and write PAR_EL1. With stage 1 off, data accesses are
 * Device-nGnRnE, Outer Shareable (PAR.SH = 0b10, as the Arm ARM reports Device memory;
 * QEMU 7.2 reports SH = 0b00). With the MMU on the attributes come from c.atAttrs.
 */
function at(regime: number, stage12: boolean, write: boolean, el0: boolean, pan = false): SysExec {
  return (c, lo, hi, pcLo, pcHi) => {
    const m = c.mem;
    const s = c.sys;
    const el = regime === 1 && stage12 && !c.hasEl2 ? 1 : regime;
    c.atRegime = el | (pan ? AT_PAN : 0);
    c.atStage12 = stage12 && c.hasEl2;
    c.atAttrs = -1;
    m.fault = 0;
    const pa = m.translate(m, lo, hi, (write ? ACC_WRITE : ACC_READ) | (el0 ? ACC_UNPRIV : 0));
    c.atRegime = -1;
    if (pa < 0 && m.faultStage2 && m.faultS1ptw && c.el < 2) {
      // A stage-2 fault on the stage-1 walk of an AT from EL1 is not reported in PAR_EL1:
      // it is a Data Abort to EL2 with S1PTW, CM = 1 and WnR = 1 (AArch64.FaultSyndrome, AccessType_AT).
      m.faultAcc |= ACC_CM | ACC_WRITE;
      return dataAbort(c, pcLo, pcHi);
    }
    if (pa < 0) {
      const fst = m.faultStatus & 0x3f;
      s.set(R.PAR_EL1, 1 | (fst << 1) | (m.faultS1ptw ? 1 << 8 : 0) | (m.faultStage2 ? 1 << 9 : 0) | PAR_RES1, 0);
      m.fault = 0;
      return NEXT;
    }
    // AT S1E0* at EL2 with {E2H,TGE} = {1,1} translates in the EL2&0 regime (SCTLR_EL2).
    const sctlr = s.lo(el0 && isInHost(c) ? R.SCTLR_EL2 : R.SCTLR_EL1 + el - 1);
    let attr = 0x00;
    let sh = 2;
    if ((sctlr & SCTLR_M) !== 0) {
      // The MMU reports attributes; without a report, Normal Write-Back Inner Shareable.
      attr = c.atAttrs >= 0 ? c.atAttrs & 0xff : 0xff;
      sh = c.atAttrs >= 0 ? (c.atAttrs >> 8) & 3 : 3;
    }
    const ns = el === 3 || (c.hasEl3 && isSecure(c) && el !== 2) ? 0 : 1;
    const paLo = (pa % 4294967296) & ~0xfff;
    const paHi = Math.floor(pa / 4294967296) & 0xfffff;
    s.set(R.PAR_EL1, paLo | PAR_RES1 | (ns << 9) | (sh << 7), paHi | (attr << 24));
    return NEXT;
  };
}

op('AT S1E1R', [0, 7, 8, 0], 1, at(1, false, false, false));
op('AT S1E1W', [0, 7, 8, 1], 1, at(1, false, true, false));
op('AT S1E0R', [0, 7, 8, 2], 1, at(1, false, false, true));
op('AT S1E0W', [0, 7, 8, 3], 1, at(1, false, true, true));
// FEAT_PAN2: as S1E1R/W, but PSTATE.PAN applies (S1E1R/W ignore it).
op('AT S1E1RP', [0, 7, 9, 0], 1, at(1, false, false, false, true), { feat: 'pan2' });
op('AT S1E1WP', [0, 7, 9, 1], 1, at(1, false, true, false, true), { feat: 'pan2' });
op('AT S1E2R', [4, 7, 8, 0], 2, at(2, false, false, false), { needs: 2 });
op('AT S1E2W', [4, 7, 8, 1], 2, at(2, false, true, false), { needs: 2 });
op('AT S12E1R', [4, 7, 8, 4], 2, at(1, true, false, false));
op('AT S12E1W', [4, 7, 8, 5], 2, at(1, true, true, false));
op('AT S12E0R', [4, 7, 8, 6], 2, at(1, true, false, true));
op('AT S12E0W', [4, 7, 8, 7], 2, at(1, true, true, true));
op('AT S1E3R', [6, 7, 8, 0], 3, at(3, false, false, false));
op('AT S1E3W', [6, 7, 8, 1], 3, at(3, false, true, false));

// ---- TLBI ---------------------------------------------------------------------------

/** What a TLBI removes. */
export type TlbiScope =
  /** ALLE1/ALLE2/ALLE3: every entry of the regime (ALLE1: all VMIDs, stages 1 and 2). */
  | 'all'
  /** VMALLE1: stage 1 of the current VMID, all ASIDs. */
  | 'vmall'
  /** VMALLS12E1: stages 1 and 2 of the current VMID. */
  | 'vmalls12'
  /** ASIDE1: non-global entries of one ASID. */
  | 'asid'
  /** VAE*, VALE*: one VA for one ASID (and global entries). */
  | 'va'
  /** VAAE1, VAALE1: one VA, any ASID. */
  | 'vaa'
  /** IPAS2E1, IPAS2LE1: stage 2 entries for one IPA. */
  | 'ipa';

/** A TLBI operation, decoded once (the MMU's invalidation reads it). */
export interface TlbiOp {
  name: string;
  /** Translation regime: 1 = EL1&0 (current VMID), 2 = EL2, 3 = EL3. */
  regime: number;
  scope: TlbiScope;
  /** Last level only (…LE…): entries from the final level of the walk. */
  lastLevel: boolean;
  /** FEAT_TLBIRANGE form: the operand is a range. */
  range: boolean;
  /** Broadcast domain: 0 = this PE, 1 = Inner Shareable, 2 = Outer Shareable. */
  shareable: number;
  /**
   * An EL1 instruction (op1 = 0: VMALLE1, VAE1, ASIDE1, …): executed at EL2 with
   * HCR_EL2.{E2H, TGE} = {1, 1} it applies to the EL2&0 regime. The EL2 instructions
   * that name EL1&0 (ALLE1, VMALLS12E1, IPAS2*) never redirect.
   */
  el1Form: boolean;
}

/**
 * A TLBI operand decoded from Xt (Arm ARM D8.x, TLBI operand formats):
 * by VA: ASID [63:48], TTL [47:44], VA[55:12] in [43:0]; by IPA: NS [63], TTL, IPA[51:12] in [39:0];
 * range: ASID, TG [47:46], SCALE [45:44], NUM [43:39], TTL [38:37], BaseADDR [36:0].
 */
export interface TlbiOperand {
  asid: number;
  /** Level hint (TTL, FEAT_TTL) or 0 when none. */
  ttl: number;
  /** The page address (VA or IPA, bits [63:12] with [11:0] zero) as (lo, hi); VA sign-extended from bit 55. */
  addrLo: number;
  addrHi: number;
  /** Range forms: TG, SCALE, NUM; BaseADDR is in addrLo/addrHi as a page number shifted by the granule later. */
  tg: number;
  scale: number;
  num: number;
}

const OPERAND: TlbiOperand = { asid: 0, ttl: 0, addrLo: 0, addrHi: 0, tg: 0, scale: 0, num: 0 };

export function decodeTlbiOperand(t: TlbiOp, lo: number, hi: number, out: TlbiOperand): void {
  out.asid = (hi >>> 16) & 0xffff;
  out.tg = 0;
  out.scale = 0;
  out.num = 0;
  if (t.range) {
    out.tg = (hi >>> 14) & 3;
    out.scale = (hi >>> 12) & 3;
    out.num = (hi >>> 7) & 0x1f;
    out.ttl = (hi >>> 5) & 3;
    out.addrLo = lo;
    out.addrHi = hi & 0x1f;
    return;
  }
  out.ttl = (hi >>> 12) & 0xf;
  if (t.scope === 'ipa') {
    out.addrLo = lo << 12;
    out.addrHi = ((hi & 0xff) << 12) | (lo >>> 20);
    return;
  }
  out.addrLo = lo << 12;
  out.addrHi = (((hi & 0xfff) << 20) >> 8) | (lo >>> 20);
}

function tlbiExec(t: TlbiOp): SysExec {
  return (c, lo, hi) => {
    if (t.scope === 'va' || t.scope === 'vaa' || t.scope === 'asid' || t.scope === 'ipa' || t.range) decodeTlbiOperand(t, lo, hi, OPERAND);
    if (c.onTlbi !== null) c.onTlbi(c, t, OPERAND);
    else c.mem.flushTlb();
    contextChanged(c);
    return NEXT;
  };
}

/** EL1 TLBIs at EL1 trap to EL2 with HCR_EL2.TTLB. */
const ttlbCheck = hcrCheck(HCR_TTLB);

function tlbi(
  name: string,
  enc: [number, number, number],
  regime: number,
  scope: TlbiScope,
  o: { last?: boolean; range?: boolean; sh?: number; minEl?: number; needs?: number } = {},
): void {
  const t: TlbiOp = {
    name,
    regime,
    scope,
    lastLevel: o.last ?? false,
    range: o.range ?? false,
    shareable: o.sh ?? 0,
    el1Form: enc[0] === 0,
  };
  const minEl = o.minEl ?? regime;
  // Range forms need FEAT_TLBIRANGE (ID_AA64ISAR0_EL1.TLB = 2), which includes FEAT_TLBIOS,
  // so the Outer Shareable range forms are gated on both.
  const feat: keyof Features | undefined = t.range ? 'tlbirange' : t.shareable === 2 ? 'tlbios' : undefined;
  op(`TLBI ${name}`, [enc[0], 8, enc[1], enc[2]], minEl, tlbiExec(t), {
    check: minEl === 1 ? ttlbCheck : undefined,
    needs: o.needs ?? (regime === 2 ? 2 : regime === 3 ? 3 : 0),
    feat,
  });
}

// EL1&0 regime, issued at EL1 (op1 = 0). CRm: 1 = OS, 3 = IS, 7 = local; 2/5/6 = range IS/OS/local.
for (const [crm, sh, suffix] of [
  [7, 0, ''],
  [3, 1, 'IS'],
  [1, 2, 'OS'],
] as const) {
  tlbi(`VMALLE1${suffix}`, [0, crm, 0], 1, 'vmall', { sh });
  tlbi(`VAE1${suffix}`, [0, crm, 1], 1, 'va', { sh });
  tlbi(`ASIDE1${suffix}`, [0, crm, 2], 1, 'asid', { sh });
  tlbi(`VAAE1${suffix}`, [0, crm, 3], 1, 'vaa', { sh });
  tlbi(`VALE1${suffix}`, [0, crm, 5], 1, 'va', { sh, last: true });
  tlbi(`VAALE1${suffix}`, [0, crm, 7], 1, 'vaa', { sh, last: true });
}
for (const [crm, sh, suffix] of [
  [6, 0, ''],
  [2, 1, 'IS'],
  [5, 2, 'OS'],
] as const) {
  tlbi(`RVAE1${suffix}`, [0, crm, 1], 1, 'va', { sh, range: true });
  tlbi(`RVAAE1${suffix}`, [0, crm, 3], 1, 'vaa', { sh, range: true });
  tlbi(`RVALE1${suffix}`, [0, crm, 5], 1, 'va', { sh, range: true, last: true });
  tlbi(`RVAALE1${suffix}`, [0, crm, 7], 1, 'vaa', { sh, range: true, last: true });
}
// Issued at EL2 (op1 = 4): EL2 regime and stage-2 / all-VMID operations on EL1&0.
for (const [crm, sh, suffix] of [
  [7, 0, ''],
  [3, 1, 'IS'],
  [1, 2, 'OS'],
] as const) {
  tlbi(`ALLE2${suffix}`, [4, crm, 0], 2, 'all', { sh });
  tlbi(`VAE2${suffix}`, [4, crm, 1], 2, 'va', { sh });
  tlbi(`ALLE1${suffix}`, [4, crm, 4], 1, 'all', { sh, minEl: 2 });
  tlbi(`VALE2${suffix}`, [4, crm, 5], 2, 'va', { sh, last: true });
  tlbi(`VMALLS12E1${suffix}`, [4, crm, 6], 1, 'vmalls12', { sh, minEl: 2 });
}
for (const [crm, sh, suffix] of [
  [6, 0, ''],
  [2, 1, 'IS'],
  [5, 2, 'OS'],
] as const) {
  tlbi(`RVAE2${suffix}`, [4, crm, 1], 2, 'va', { sh, range: true });
  tlbi(`RVALE2${suffix}`, [4, crm, 5], 2, 'va', { sh, range: true, last: true });
}
tlbi('IPAS2E1IS', [4, 0, 1], 1, 'ipa', { sh: 1, minEl: 2, needs: 2 });
tlbi('IPAS2LE1IS', [4, 0, 5], 1, 'ipa', { sh: 1, minEl: 2, needs: 2, last: true });
tlbi('RIPAS2E1IS', [4, 0, 2], 1, 'ipa', { sh: 1, minEl: 2, needs: 2, range: true });
tlbi('RIPAS2LE1IS', [4, 0, 6], 1, 'ipa', { sh: 1, minEl: 2, needs: 2, range: true, last: true });
tlbi('IPAS2E1OS', [4, 4, 0], 1, 'ipa', { sh: 2, minEl: 2, needs: 2 });
tlbi('IPAS2E1', [4, 4, 1], 1, 'ipa', { minEl: 2, needs: 2 });
tlbi('RIPAS2E1', [4, 4, 2], 1, 'ipa', { minEl: 2, needs: 2, range: true });
tlbi('RIPAS2E1OS', [4, 4, 3], 1, 'ipa', { sh: 2, minEl: 2, needs: 2, range: true });
tlbi('IPAS2LE1OS', [4, 4, 4], 1, 'ipa', { sh: 2, minEl: 2, needs: 2, last: true });
tlbi('IPAS2LE1', [4, 4, 5], 1, 'ipa', { minEl: 2, needs: 2, last: true });
tlbi('RIPAS2LE1', [4, 4, 6], 1, 'ipa', { minEl: 2, needs: 2, range: true, last: true });
tlbi('RIPAS2LE1OS', [4, 4, 7], 1, 'ipa', { sh: 2, minEl: 2, needs: 2, range: true, last: true });
// EL3 regime (op1 = 6).
for (const [crm, sh, suffix] of [
  [7, 0, ''],
  [3, 1, 'IS'],
  [1, 2, 'OS'],
] as const) {
  tlbi(`ALLE3${suffix}`, [6, crm, 0], 3, 'all', { sh });
  tlbi(`VAE3${suffix}`, [6, crm, 1], 3, 'va', { sh });
  tlbi(`VALE3${suffix}`, [6, crm, 5], 3, 'va', { sh, last: true });
}
for (const [crm, sh, suffix] of [
  [6, 0, ''],
  [2, 1, 'IS'],
  [5, 2, 'OS'],
] as const) {
  tlbi(`RVAE3${suffix}`, [6, crm, 1], 3, 'va', { sh, range: true });
  tlbi(`RVALE3${suffix}`, [6, crm, 5], 3, 'va', { sh, range: true, last: true });
}
