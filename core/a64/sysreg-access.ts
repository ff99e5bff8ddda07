/**
 * System register access by encoding (MRS/MSR, Arm ARM D19/D23): one table keyed by
 * (op0, op1, CRn, CRm, op2). The MRS/MSR emitters look the register up once at
 * decode time and capture its read/write/check functions, so an execution does no
 * map lookup.
 *
 * Access results (SysCheck): ACCESS_OK, a trap to EL1/EL2/EL3 (EC 0x18 with the
 * access's ISS), ACCESS_UNDEF, ACCESS_FP (SIMD&FP access trap, c.fpTrap), or
 * ACCESS_RAZWI (EL2 registers at EL3 when EL2 is not implemented: RES0, as QEMU).
 *
 * Rules implemented: registers of a higher EL are UNDEFINED; registers of an
 * unimplemented EL are UNDEFINED (RAZ/WI from EL3 for EL2's); EL0 reaches only what
 * the architecture allows, under SCTLR_EL1.UCT/UMA, CNTKCTL_EL1 and PMUSERENR_EL0;
 * EL2 traps HCR_EL2.TVM/TRVM, TID1/TID2/TID3, TACR, CPTR_ELx.TCPAC, CNTHCTL_EL2.EL1PCTEN/
 * EL1PCEN, MDCR_EL2.TDA/TDOSA/TDRA/TPM/TPMCR (and the MDCR_EL3 equivalents).
 * FEAT_VHE (vheEl1): at EL2 with HCR_EL2.E2H = 1 the EL1 encodings of SCTLR, CPACR
 * (CPTR_EL2), TTBR0/1, TCR, SPSR, ELR, AFSR0/1, ESR, FAR, MAIR, AMAIR, VBAR, CONTEXTIDR and
 * CNTKCTL (CNTHCTL_EL2) reach the EL2 registers, and the CNTP and CNTV timer registers the
 * EL2 timers CNTHP and CNTHV (also at EL0 with {E2H,TGE} = {1,1}); the _EL12 and _EL02
 * encodings reach the EL1/EL0 registers from EL2 and EL3 when E2H is in effect and are
 * UNDEFINED otherwise.
 * Not implemented: HCR_EL2.TIDCP (IMPDEF registers), FEAT_FGT fine-grained traps, FEAT_NV
 * (EL1 accesses to *_EL12 are UNDEFINED).
 */
import { type Cpu } from './cpu.js';
import { R } from './sysregs.js';
import type { Features } from './models.js';
import {
  el2Enabled,
  hcrLo,
  isSecure,
  HCR_RW,
  HCR_TACR,
  HCR_TID1,
  HCR_TID2,
  HCR_TID3,
  HCR_TRVM,
  HCR_TVM,
  HCR_TGE,
  HCR_TDZ,
  HCR_HI_E2H,
  isInHost,
  PSTATE_PAN,
  SCR_RW,
  SCR_ST,
} from './exceptions.js';
import {
  physicalCount,
  readTimerCtl,
  readTimerTval,
  virtualCount,
  writeCntvoff,
  writeTimerCtl,
  writeTimerCval,
  writeTimerTval,
  TIMER_HP,
  TIMER_HV,
  TIMER_P,
  TIMER_PS,
  TIMER_V,
} from './timer.js';
import { readIsr } from './interrupts.js';
import { registerGicSysRegs } from './sysreg-gic.js';

export const ACCESS_OK = 0;
/** 1, 2, 3: trapped to that EL (EC 0x18). */
export const ACCESS_UNDEF = 4;
export const ACCESS_FP = 5;
export const ACCESS_RAZWI = 6;

/** Read: returns the low word, leaves the high word in c.hi. */
export type SysRead = (c: Cpu) => number;
export type SysWrite = (c: Cpu, lo: number, hi: number) => void;
/** Access check beyond the register's minimum EL (EL0 permissions, EL2/EL3 traps). */
export type SysCheck = (c: Cpu, read: boolean) => number;

export interface SysRegDef {
  name: string;
  op0: number;
  op1: number;
  crn: number;
  crm: number;
  op2: number;
  /** Lowest EL that may access it; below that it is UNDEFINED. EL0 registers' `check` decides EL0 rights. */
  minEl: number;
  /** EL whose implementation the register belongs to (2 or 3), 0 for none. */
  needs: number;
  read: SysRead | null;
  write: SysWrite | null;
  check: SysCheck | null;
  /** A SIMD&FP register (FPCR/FPSR): subject to CPACR/CPTR traps. */
  fp: boolean;
  /** A write changes translation, traps or routing: contextChanged() and end the block. */
  ctx: boolean;
  /** A write changes PSTATE or something checked at block boundaries: end the block. */
  end: boolean;
  /** Decoder feature the register exists with (UNDEFINED without it). */
  feat: keyof Features | null;
}

/** Encoding key: op0:op1:CRn:CRm:op2 as in MRS/MSR bits [20:5] with op0 in full. */
export function sysRegKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** ISS of a trapped MSR/MRS (EC 0x18): Op0, Op2, Op1, CRn, Rt, CRm, Direction (1 = read). */
export function sysRegIss(op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, read: boolean): number {
  return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
}

/** The generic access check: EL, implemented EL, FP trap, then the register's own traps. */
export function checkAccess(c: Cpu, d: SysRegDef, read: boolean): number {
  if (c.el < d.minEl) return ACCESS_UNDEF;
  if (d.needs === 2 && !c.hasEl2) return c.el === 3 ? ACCESS_RAZWI : ACCESS_UNDEF;
  if (d.needs === 3 && !c.hasEl3) return ACCESS_UNDEF;
  if (d.check !== null) {
    const r = d.check(c, read);
    if (r !== ACCESS_OK) return r;
  }
  if (d.fp && c.fpTrap !== 0) return ACCESS_FP;
  return ACCESS_OK;
}

// ---- the table --------------------------------------------------------------

const TABLE = new Map<number, SysRegDef>();

interface Opts {
  minEl?: number;
  needs?: number;
  check?: SysCheck | null;
  fp?: boolean;
  ctx?: boolean;
  end?: boolean;
  feat?: keyof Features | null;
}

type Enc = [number, number, number, number, number];

function def(name: string, enc: Enc, read: SysRead | null, write: SysWrite | null, o: Opts = {}): void {
  const [op0, op1, crn, crm, op2] = enc;
  const minEl = o.minEl ?? elOfName(name);
  const d: SysRegDef = {
    name,
    op0,
    op1,
    crn,
    crm,
    op2,
    minEl,
    needs: o.needs ?? (minEl >= 2 ? minEl : 0),
    read,
    write,
    check: o.check ?? null,
    fp: o.fp ?? false,
    ctx: o.ctx ?? false,
    end: o.end ?? false,
    feat: o.feat ?? null,
  };
  const key = sysRegKey(op0, op1, crn, crm, op2);
  if (TABLE.has(key)) throw new Error(`sysreg ${name}: encoding already used by ${TABLE.get(key)!.name}`);
  TABLE.set(key, d);
}

function elOfName(name: string): number {
  const m = /_EL([0-3])$/.exec(name);
  return m ? Number(m[1]) : 1;
}

/** The register at an encoding, or undefined (UNDEFINED). */
export function lookupSysReg(op0: number, op1: number, crn: number, crm: number, op2: number): SysRegDef | undefined {
  return TABLE.get(sysRegKey(op0, op1, crn, crm, op2));
}

export function allSysRegs(): SysRegDef[] {
  return [...TABLE.values()];
}

// ---- storage helpers ----------------------------------------------------------

function load(i: number): SysRead {
  const k = 2 * i;
  return (c) => {
    c.hi = c.sys.r[k + 1];
    return c.sys.r[k];
  };
}

/** Store with write masks (bits outside the mask read as zero). */
function store(i: number, maskLo = -1, maskHi = -1): SysWrite {
  const k = 2 * i;
  return (c, lo, hi) => {
    c.sys.r[k] = lo & maskLo;
    c.sys.r[k + 1] = hi & maskHi;
  };
}

function constant(lo: number, hi = 0): SysRead {
  return (c) => {
    c.hi = hi;
    return lo;
  };
}

const razRead: SysRead = constant(0);
const ignoreWrite: SysWrite = () => {};

// ---- checks -------------------------------------------------------------------

const TRAP_EL1 = 1;
const TRAP_EL2 = 2;
const TRAP_EL3 = 3;

/** EL1 access trapped to EL2 by an HCR_EL2 bit (EL0 accesses are UNDEFINED by minEl). */
function hcrTrap(bit: number): SysCheck {
  return (c) => (c.el === 1 && (hcrLo(c) & bit) !== 0 ? TRAP_EL2 : ACCESS_OK);
}

/** HCR_EL2.TRVM (reads) / TVM (writes) for the EL1 virtual-memory control registers. */
const vmTrap: SysCheck = (c, read) => (c.el === 1 && (hcrLo(c) & (read ? HCR_TRVM : HCR_TVM)) !== 0 ? TRAP_EL2 : ACCESS_OK);

/** TID2 applies to EL0 and EL1; CTR_EL0 at EL0 also needs SCTLR_EL1.UCT. */
const ctrCheck: SysCheck = (c) => {
  if (c.el === 0) {
    const uct = (c.sys.lo(isInHost(c) ? R.SCTLR_EL2 : R.SCTLR_EL1) & SCTLR_UCT) !== 0;
    if (!uct) return TRAP_EL1;
  }
  return c.el <= 1 && (hcrLo(c) & HCR_TID2) !== 0 ? TRAP_EL2 : ACCESS_OK;
};

/** EL0 access allowed when SCTLR_EL1.UMA = 1 (SCTLR_EL2.UMA in the EL2&0 regime) (DAIF); otherwise a trap to EL1. */
const umaCheck: SysCheck = (c) =>
  c.el === 0 && (c.sys.lo(isInHost(c) ? R.SCTLR_EL2 : R.SCTLR_EL1) & SCTLR_UMA) === 0 ? TRAP_EL1 : ACCESS_OK;

/** CPACR_EL1 accesses trapped by CPTR_EL2.TCPAC / CPTR_EL3.TCPAC. */
const cpacrCheck: SysCheck = (c) => {
  if (c.el === 1 && el2Enabled(c) && (c.sys.lo(R.CPTR_EL2) & CPTR_TCPAC) !== 0) return TRAP_EL2;
  if (c.el <= 2 && c.hasEl3 && (c.sys.lo(R.CPTR_EL3) & CPTR_TCPAC) !== 0) return TRAP_EL3;
  return ACCESS_OK;
};

const SP_EL0_CHECK: SysCheck = (c) => (c.spsel === 0 ? ACCESS_UNDEF : ACCESS_OK);

/**
 * Generic timer (Arm ARM D11, CNTPCT_EL0/CNTP_CTL_EL0 access pseudocode): EL0 rights from
 * CNTKCTL_EL1 (CNTHCTL_EL2's EL0 bits, at the same positions, in the EL2&0 regime); EL1 and
 * EL0 rights from CNTHCTL_EL2.EL1PCTEN/EL1PCEN, bits [1:0] with HCR_EL2.E2H = 0 and [11:10] with E2H = 1.
 */
function timerCheck(el0Bits: number, cnthctlBit: number): SysCheck {
  return (c) => {
    if (c.el >= 2) return ACCESS_OK;
    const e2h = e2hOn(c);
    if (c.el === 0 && e2h && (c.sys.lo(R.HCR_EL2) & HCR_TGE) !== 0) {
      return (c.sys.lo(R.CNTHCTL_EL2) & el0Bits) === 0 ? TRAP_EL2 : ACCESS_OK;
    }
    if (c.el === 0 && (c.sys.lo(R.CNTKCTL_EL1) & el0Bits) === 0) return TRAP_EL1;
    const el1Bit = e2h ? cnthctlBit << 10 : cnthctlBit;
    if (cnthctlBit !== 0 && el2Enabled(c) && (c.sys.lo(R.CNTHCTL_EL2) & el1Bit) === 0) return TRAP_EL2;
    return ACCESS_OK;
  };
}

const CNTKCTL_EL0PCTEN = 1 << 0;
const CNTKCTL_EL0VCTEN = 1 << 1;
const CNTKCTL_EL0VTEN = 1 << 8;
const CNTKCTL_EL0PTEN = 1 << 9;
const CNTHCTL_EL1PCTEN = 1 << 0;
const CNTHCTL_EL1PCEN = 1 << 1;

/** CNTFRQ_EL0: readable wherever a counter is; writable only at the highest implemented EL. */
const cntfrqCheck: SysCheck = (c, read) => {
  if (!read) return c.el === (c.hasEl3 ? 3 : c.hasEl2 ? 2 : 1) ? ACCESS_OK : ACCESS_UNDEF;
  if (c.el !== 0) return ACCESS_OK;
  const host = isInHost(c);
  const enabled = (c.sys.lo(host ? R.CNTHCTL_EL2 : R.CNTKCTL_EL1) & (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN)) !== 0;
  return enabled ? ACCESS_OK : host ? TRAP_EL2 : TRAP_EL1;
};

/** CNTPS_*_EL1: EL3, or Secure EL1 with SCR_EL3.ST = 1. */
const cntpsCheck: SysCheck = (c) => {
  if (c.el === 3) return ACCESS_OK;
  if (c.el !== 1 || !isSecure(c)) return ACCESS_UNDEF;
  return (c.sys.lo(R.SCR_EL3) & SCR_ST) === 0 ? TRAP_EL3 : ACCESS_OK;
};

/** Debug registers: MDCR_EL2.TDA/TDOSA/TDRA (or TDE) to EL2, MDCR_EL3.TDA/TDOSA to EL3. */
function debugCheck(mdcr2Bit: number, mdcr3Bit: number): SysCheck {
  return (c) => {
    if (c.el <= 1 && el2Enabled(c) && (c.sys.lo(R.MDCR_EL2) & (mdcr2Bit | MDCR_TDE)) !== 0) return TRAP_EL2;
    if (c.el <= 2 && c.hasEl3 && (c.sys.lo(R.MDCR_EL3) & mdcr3Bit) !== 0) return TRAP_EL3;
    return ACCESS_OK;
  };
}

const MDCR_TPMCR = 1 << 5;
const MDCR_TPM = 1 << 6;
const MDCR_TDE = 1 << 8;
const MDCR_TDA = 1 << 9;
const MDCR_TDOSA = 1 << 10;
const MDCR_TDRA = 1 << 11;

const PMUSERENR_EN = 1 << 0;
const PMUSERENR_SW = 1 << 1;
const PMUSERENR_CR = 1 << 2;
const PMUSERENR_ER = 1 << 3;

/**
 * PMU: EL0 needs PMUSERENR_EL0.EN (or the bit given for this access), EL0/EL1 accesses
 * trap to EL2 with MDCR_EL2.TPM (or TPMCR for PMCR_EL0), to EL3 with MDCR_EL3.TPM.
 */
function pmuCheck(el0ReadBits: number, el0WriteBits: number, tpmcr = false): SysCheck {
  return (c, read) => {
    if (c.el === 0) {
      const u = c.sys.lo(R.PMUSERENR_EL0);
      if ((u & (PMUSERENR_EN | (read ? el0ReadBits : el0WriteBits))) === 0) return TRAP_EL1;
    }
    if (c.el <= 1 && el2Enabled(c)) {
      const m = c.sys.lo(R.MDCR_EL2);
      if ((m & MDCR_TPM) !== 0 || (tpmcr && (m & MDCR_TPMCR) !== 0)) return TRAP_EL2;
    }
    if (c.el <= 2 && c.hasEl3 && (c.sys.lo(R.MDCR_EL3) & MDCR_TPM) !== 0) return TRAP_EL3;
    return ACCESS_OK;
  };
}

/** Write-only / read-only registers at EL0: the other direction is UNDEFINED. */
function el0ReadOnly(inner: SysCheck | null): SysCheck {
  return (c, read) => (c.el === 0 && !read ? ACCESS_UNDEF : inner === null ? ACCESS_OK : inner(c, read));
}

// ---- FEAT_VHE: E2H redirection ------------------------------------------------------

/** HCR_EL2.E2H in effect: EL2 enabled and E2H set (E2H is writable only with FEAT_VHE). */
function e2hOn(c: Cpu): boolean {
  return el2Enabled(c) && (c.sys.hi(R.HCR_EL2) & HCR_HI_E2H) !== 0;
}

/** At EL2 with HCR_EL2.E2H = 1 an EL1 register's encoding reaches its EL2 counterpart. */
function redirected(c: Cpu): boolean {
  return c.el === 2 && (c.sys.hi(R.HCR_EL2) & HCR_HI_E2H) !== 0;
}

/** *_EL12 and *_EL02: from EL2 or EL3 with E2H in effect, else UNDEFINED (from EL1 too: no FEAT_NV). */
const el12Check: SysCheck = (c) => (e2hOn(c) ? ACCESS_OK : ACCESS_UNDEF);

/**
 * An EL1 register that FEAT_VHE redirects: its encoding reaches the EL2 register `el2` at EL2
 * with HCR_EL2.E2H = 1, and its *_EL12 alias (op1 = 5) reaches the EL1 register from EL2/EL3.
 * `o` applies to the EL1 encoding; the alias keeps its traps (CPTR_EL3.TCPAC) behind el12Check.
 */
function vheEl1(name: string, enc: Enc, el1: [SysRead, SysWrite], el2: [SysRead, SysWrite], o: Opts = {}): void {
  const [r1, w1] = el1;
  const [r2, w2] = el2;
  def(
    name,
    enc,
    (c) => (redirected(c) ? r2(c) : r1(c)),
    (c, lo, hi) => (redirected(c) ? w2(c, lo, hi) : w1(c, lo, hi)),
    o,
  );
  const inner = o.check ?? null;
  const check: SysCheck = inner === null ? el12Check : (c, read) => (e2hOn(c) ? inner(c, read) : ACCESS_UNDEF);
  def(`${name}2`, [3, 5, enc[2], enc[3], enc[4]], r1, w1, { minEl: 2, needs: 0, check, ctx: o.ctx, end: o.end, feat: 'vhe' });
}

// ---- register bit definitions ------------------------------------------------------

export const SCTLR_M = 1 << 0;
export const SCTLR_A = 1 << 1;
export const SCTLR_UMA = 1 << 9;
export const SCTLR_DZE = 1 << 14;
export const SCTLR_UCT = 1 << 15;
export const SCTLR_NTWI = 1 << 16;
export const SCTLR_NTWE = 1 << 18;
export const SCTLR_SPAN = 1 << 23;
export const SCTLR_UCI = 1 << 26;
const CPTR_TCPAC = 1 << 31;

/**
 * SCTLR_ELx writable bits: all but those that would enable what armlab lacks: nAA (6),
 * EnRCTX (10), EnDB/EnDA/EnIB/EnIA (13, 27, 30, 31: PAuth), bit 17 (RES0), IESB (21),
 * E0E/EE (24, 25: no big-endian data). The v8.0 RES1 bits are kept as written (stateful).
 */
const SCTLR_MASK = ~((1 << 6) | (1 << 10) | (1 << 13) | (1 << 17) | (1 << 21) | (1 << 24) | (1 << 25) | (1 << 27) | (1 << 30) | (1 << 31));

/** SCTLR writes: SPAN is RES1 without FEAT_PAN. */
function writeSctlr(i: number): SysWrite {
  return (c, lo) => {
    let v = lo & SCTLR_MASK;
    if (!c.model.features.pan) v |= SCTLR_SPAN;
    c.sys.set(i, v, 0);
  };
}

/** HCR_EL2: v8.0 bits [33:0], E2H (34) with FEAT_VHE; RW is RAO/WI when EL1 cannot be AArch32. */
const writeHcr: SysWrite = (c, lo, hi) => {
  let l = lo;
  if (!c.model.features.aarch32) l |= HCR_RW;
  c.sys.set(R.HCR_EL2, l, hi & (c.model.features.vhe ? 0x7 : 0x3));
};

/** SCR_EL3: NS, IRQ, FIQ, EA, RES1 [5:4], SMD, HCE, SIF, RW, ST, TWI, TWE; RW RAO/WI without AArch32. */
const writeScr: SysWrite = (c, lo) => {
  let l = lo & 0x3fbf;
  if (!c.model.features.aarch32) l |= SCR_RW;
  c.sys.set(R.SCR_EL3, l, 0);
};

/** PMCR_EL0: IMP/IDCODE/N from the model; E, D, X, DP, LC stored; P and C reset counters. */
const readPmcr: SysRead = (c) => {
  c.hi = 0;
  return (c.model.pmcr & ~0x7ff) | (c.sys.lo(R.PMCR_EL0) & 0x7d);
};

const writePmcr: SysWrite = (c, lo) => {
  let cntLo = readPmccntr(c);
  let cntHi = c.hi;
  if ((lo & 4) !== 0) {
    cntLo = 0;
    cntHi = 0;
  }
  if ((lo & 2) !== 0) for (let n = 0; n < 6; n++) c.sys.set(R.PMEVCNTR0_EL0 + n, 0, 0);
  c.sys.set(R.PMCR_EL0, lo & 0x7d, 0);
  setPmccntr(c, cntLo, cntHi);
};

function pmuCounterMask(c: Cpu): number {
  const n = (c.model.pmcr >>> 11) & 0x1f;
  return (1 << 31) | ((1 << n) - 1);
}

/** The cycle counter counts retired instructions (an interpreter's cycles) while PMCR.E and PMCNTENSET.C are set. */
function pmccCounting(c: Cpu): boolean {
  return (c.sys.lo(R.PMCR_EL0) & 1) !== 0 && (c.sys.lo(R.PMCNTENSET_EL0) & (1 << 31)) !== 0;
}

function readPmccntr(c: Cpu): number {
  const s = c.sys;
  const lo = s.lo(R.PMCCNTR_EL0);
  const hi = s.hi(R.PMCCNTR_EL0);
  if (!pmccCounting(c)) {
    c.hi = hi;
    return lo;
  }
  const delta = c.icount - (s.lo(R.PMCCNTR_BASE) >>> 0) - (s.hi(R.PMCCNTR_BASE) >>> 0) * 4294967296;
  const sum = (lo >>> 0) + delta;
  c.hi = (hi + Math.floor(sum / 4294967296)) | 0;
  return sum | 0;
}

/** Sets the cycle counter to (lo, hi) now: stores the value and the instruction count it was taken at. */
function setPmccntr(c: Cpu, lo: number, hi: number): void {
  c.sys.set(R.PMCCNTR_EL0, lo, hi);
  c.sys.set(R.PMCCNTR_BASE, (c.icount % 4294967296) | 0, Math.floor(c.icount / 4294967296));
}

/** A set/clear register pair on one storage word (PMCNTENSET/CLR, PMINTENSET/CLR, PMOVSSET/CLR). */
function setClr(i: number, set: boolean, recount = false): SysWrite {
  return (c, lo) => {
    const cnt = recount ? readPmccntr(c) : 0;
    const cntHi = c.hi;
    const m = lo & pmuCounterMask(c);
    c.sys.set(i, set ? c.sys.lo(i) | m : c.sys.lo(i) & ~m, 0);
    if (recount) setPmccntr(c, cnt, cntHi);
  };
}

/** PMSELR_EL0-selected event counter (PMXEVCNTR/PMXEVTYPER); SEL = 31 selects PMCCFILTR for the type. */
function pmxev(type: boolean): [SysRead, SysWrite] {
  const sel = (c: Cpu): number => {
    const n = c.sys.lo(R.PMSELR_EL0) & 0x1f;
    if (n === 31) return type ? R.PMCCFILTR_EL0 : -1;
    return n < ((c.model.pmcr >>> 11) & 0x1f) ? (type ? R.PMEVTYPER0_EL0 : R.PMEVCNTR0_EL0) + n : -1;
  };
  return [
    (c) => {
      const i = sel(c);
      c.hi = 0;
      return i < 0 ? 0 : c.sys.lo(i);
    },
    (c, lo) => {
      const i = sel(c);
      if (i >= 0) c.sys.set(i, lo, 0);
    },
  ];
}

/** FPCR: AHP, DN, FZ, RMode, Stride, Len stored; trap enables RAZ/WI (no FP exception traps); FZ16 with FP16. */
const FPCR_MASK = 0x07f70000;
const FPSR_MASK = 0xf800009f;

/** DCZID_EL0: BS from the model, DZP when DC ZVA is prohibited at the current EL. */
const readDczid: SysRead = (c) => {
  c.hi = 0;
  return c.model.dczidBs | (dcZvaAllowed(c) === ACCESS_OK ? 0 : 1 << 4);
};

/** DC ZVA permission: SCTLR_EL1.DZE at EL0 (SCTLR_EL2.DZE with TGE), HCR_EL2.TDZ at EL0/EL1. */
export function dcZvaAllowed(c: Cpu): number {
  const hcr = hcrLo(c);
  if (c.el === 0) {
    const reg = isInHost(c) ? R.SCTLR_EL2 : R.SCTLR_EL1;
    if ((c.sys.lo(reg) & SCTLR_DZE) === 0) return TRAP_EL1;
  }
  if (c.el <= 1 && (hcr & HCR_TDZ) !== 0) return TRAP_EL2;
  return ACCESS_OK;
}

/** MIDR/MPIDR as seen at EL1: VPIDR_EL2/VMPIDR_EL2 when EL2 is enabled. */
function virtualisedId(real: number, virt: number): SysRead {
  return (c) => {
    const i = c.el === 1 && el2Enabled(c) ? virt : real;
    c.hi = c.sys.hi(i);
    return c.sys.lo(i);
  };
}

/** CCSIDR_EL1 selected by CSSELR_EL1 (Level[3:1], InD[0]); unimplemented caches read as 0. */
const readCcsidr: SysRead = (c) => {
  const sel = c.sys.lo(R.CSSELR_EL1) & 0xf;
  c.hi = 0;
  const i = sel === 0 ? R.CCSIDR_L1D : sel === 1 ? R.CCSIDR_L1I : sel === 2 ? R.CCSIDR_L2 : sel === 4 ? R.CCSIDR_L3 : -1;
  return i < 0 ? 0 : c.sys.lo(i);
};

/** OSLAR_EL1 write sets OSLSR_EL1.OSLK (bit 1); OSLSR_EL1.OSLM = 0b10 (bit 3). */
const writeOslar: SysWrite = (c, lo) => c.sys.set(R.OSLSR_EL1, 0x8 | ((lo & 1) << 1), 0);

// ---- PSTATE fields --------------------------------------------------------------

const readNzcv: SysRead = (c) => {
  c.hi = 0;
  return c.nzcv << 28;
};
const writeNzcv: SysWrite = (c, lo) => {
  c.nzcv = (lo >>> 28) & 0xf;
};
const readDaif: SysRead = (c) => {
  c.hi = 0;
  return c.daif << 6;
};
const writeDaif: SysWrite = (c, lo) => {
  c.daif = (lo >>> 6) & 0xf;
};
const readSpsel: SysRead = (c) => {
  c.hi = 0;
  return c.spsel;
};
/** Changes which SP backs slot 31. */
export function setSpSel(c: Cpu, v: number): void {
  c.sys.saveSp();
  c.spsel = v & 1;
  c.sys.loadSp();
}
const writeSpsel: SysWrite = (c, lo) => setSpSel(c, lo);
const readCurrentEl: SysRead = (c) => {
  c.hi = 0;
  return c.el << 2;
};
const readPan: SysRead = (c) => {
  c.hi = 0;
  return c.pstateOther & PSTATE_PAN;
};
export function setPan(c: Cpu, on: boolean): void {
  c.pstateOther = on ? c.pstateOther | PSTATE_PAN : c.pstateOther & ~PSTATE_PAN;
}
const writePan: SysWrite = (c, lo) => setPan(c, (lo & PSTATE_PAN) !== 0);

// ---- the registers --------------------------------------------------------------

const VM = { check: vmTrap };
const VM_CTX = { check: vmTrap, ctx: true };

// Identification. Reserved encodings of the ID space (op0=3, op1=0, CRn=0, CRm=1..7) read as zero.
const ID_NAMES: Record<string, number> = {
  '1,0': R.ID_PFR0_EL1,
  '1,1': R.ID_PFR1_EL1,
  '1,2': R.ID_DFR0_EL1,
  '1,3': R.ID_AFR0_EL1,
  '1,4': R.ID_MMFR0_EL1,
  '1,5': R.ID_MMFR1_EL1,
  '1,6': R.ID_MMFR2_EL1,
  '1,7': R.ID_MMFR3_EL1,
  '2,0': R.ID_ISAR0_EL1,
  '2,1': R.ID_ISAR1_EL1,
  '2,2': R.ID_ISAR2_EL1,
  '2,3': R.ID_ISAR3_EL1,
  '2,4': R.ID_ISAR4_EL1,
  '2,5': R.ID_ISAR5_EL1,
  '2,6': R.ID_MMFR4_EL1,
  '2,7': R.ID_ISAR6_EL1,
  '3,0': R.MVFR0_EL1,
  '3,1': R.MVFR1_EL1,
  '3,2': R.MVFR2_EL1,
  '3,4': R.ID_PFR2_EL1,
  '3,5': R.ID_DFR1_EL1,
  '3,6': R.ID_MMFR5_EL1,
  '4,0': R.ID_AA64PFR0_EL1,
  '4,1': R.ID_AA64PFR1_EL1,
  '4,4': R.ID_AA64ZFR0_EL1,
  '5,0': R.ID_AA64DFR0_EL1,
  '5,1': R.ID_AA64DFR1_EL1,
  '5,4': R.ID_AA64AFR0_EL1,
  '5,5': R.ID_AA64AFR1_EL1,
  '6,0': R.ID_AA64ISAR0_EL1,
  '6,1': R.ID_AA64ISAR1_EL1,
  '6,2': R.ID_AA64ISAR2_EL1,
  '7,0': R.ID_AA64MMFR0_EL1,
  '7,1': R.ID_AA64MMFR1_EL1,
  '7,2': R.ID_AA64MMFR2_EL1,
};
const REG_NAMES = Object.fromEntries(Object.entries(R).map(([k, v]) => [v, k])) as Record<number, string>;
for (let crm = 1; crm <= 7; crm++) {
  for (let op2 = 0; op2 <= 7; op2++) {
    const i = ID_NAMES[`${crm},${op2}`];
    const name = i === undefined ? `ID_RESERVED_${crm}_${op2}` : REG_NAMES[i];
    def(name, [3, 0, 0, crm, op2], i === undefined ? razRead : load(i), null, { minEl: 1, check: hcrTrap(HCR_TID3) });
  }
}
def('MIDR_EL1', [3, 0, 0, 0, 0], virtualisedId(R.MIDR_EL1, R.VPIDR_EL2), null);
def('MPIDR_EL1', [3, 0, 0, 0, 5], virtualisedId(R.MPIDR_EL1, R.VMPIDR_EL2), null);
def('REVIDR_EL1', [3, 0, 0, 0, 6], load(R.REVIDR_EL1), null, { check: hcrTrap(HCR_TID1) });
def('CCSIDR_EL1', [3, 1, 0, 0, 0], readCcsidr, null, { check: hcrTrap(HCR_TID2) });
def('CLIDR_EL1', [3, 1, 0, 0, 1], load(R.CLIDR_EL1), null, { check: hcrTrap(HCR_TID2) });
def('AIDR_EL1', [3, 1, 0, 0, 7], load(R.AIDR_EL1), null, { check: hcrTrap(HCR_TID1) });
def('CSSELR_EL1', [3, 2, 0, 0, 0], load(R.CSSELR_EL1), store(R.CSSELR_EL1, 0xf, 0), { check: hcrTrap(HCR_TID2) });
def('CTR_EL0', [3, 3, 0, 0, 1], load(R.CTR_EL0), null, { check: ctrCheck });
def('DCZID_EL0', [3, 3, 0, 0, 7], readDczid, null, { minEl: 0 });
def('VPIDR_EL2', [3, 4, 0, 0, 0], load(R.VPIDR_EL2), store(R.VPIDR_EL2, -1, 0));
def('VMPIDR_EL2', [3, 4, 0, 0, 5], load(R.VMPIDR_EL2), store(R.VMPIDR_EL2, -1, 0xff));

// System control.
/**
 * CPTR_EL2: the bits of both layouts are kept (a field of one layout is stateful under the other):
 * E2H = 0: TCPAC, TTA (20), TFP (10), RES1 [13:12], [9:0]; E2H = 1: TCPAC, TTA (28), FPEN [21:20].
 */
const writeCptrEl2: SysWrite = (c, lo) => c.sys.set(R.CPTR_EL2, (lo & (c.model.features.vhe ? 0x903037ff : 0x801037ff)) | 0, 0);
/** CNTHCTL_EL2: EL1PCTEN, EL1PCEN, EVNTEN, EVNTDIR, EVNTI; with FEAT_VHE also the E2H = 1 layout's EL0VTEN, EL0PTEN, EL1PCTEN, EL1PCEN [11:8]. */
const writeCnthctl: SysWrite = (c, lo) => c.sys.set(R.CNTHCTL_EL2, lo & (c.model.features.vhe ? 0xfff : 0xff), 0);

vheEl1('SCTLR_EL1', [3, 0, 1, 0, 0], [load(R.SCTLR_EL1), writeSctlr(R.SCTLR_EL1)], [load(R.SCTLR_EL2), writeSctlr(R.SCTLR_EL2)], VM_CTX);
def('ACTLR_EL1', [3, 0, 1, 0, 1], load(R.ACTLR_EL1), store(R.ACTLR_EL1), { check: hcrTrap(HCR_TACR) });
vheEl1('CPACR_EL1', [3, 0, 1, 0, 2], [load(R.CPACR_EL1), store(R.CPACR_EL1, 0x10300000, 0)], [load(R.CPTR_EL2), writeCptrEl2], {
  check: cpacrCheck,
  ctx: true,
});
def('SCTLR_EL2', [3, 4, 1, 0, 0], load(R.SCTLR_EL2), writeSctlr(R.SCTLR_EL2), { ctx: true });
def('ACTLR_EL2', [3, 4, 1, 0, 1], load(R.ACTLR_EL2), store(R.ACTLR_EL2));
def('HCR_EL2', [3, 4, 1, 1, 0], load(R.HCR_EL2), writeHcr, { ctx: true });
def('MDCR_EL2', [3, 4, 1, 1, 1], load(R.MDCR_EL2), store(R.MDCR_EL2, 0xfff, 0));
def('CPTR_EL2', [3, 4, 1, 1, 2], load(R.CPTR_EL2), writeCptrEl2, { ctx: true });
def('HSTR_EL2', [3, 4, 1, 1, 3], load(R.HSTR_EL2), store(R.HSTR_EL2, 0xbfff, 0));
def('HACR_EL2', [3, 4, 1, 1, 7], load(R.HACR_EL2), store(R.HACR_EL2));
def('SCTLR_EL3', [3, 6, 1, 0, 0], load(R.SCTLR_EL3), writeSctlr(R.SCTLR_EL3), { ctx: true });
def('ACTLR_EL3', [3, 6, 1, 0, 1], load(R.ACTLR_EL3), store(R.ACTLR_EL3));
def('SCR_EL3', [3, 6, 1, 1, 0], load(R.SCR_EL3), writeScr, { ctx: true });
def('CPTR_EL3', [3, 6, 1, 1, 2], load(R.CPTR_EL3), store(R.CPTR_EL3, 0x80100400 | 0, 0), { ctx: true });
def('MDCR_EL3', [3, 6, 1, 3, 1], load(R.MDCR_EL3), store(R.MDCR_EL3, 0x1c640, 0));

// Translation. TCR/VTCR keep HA/HD only with FEAT_HAFDBS and DS (and VTCR.SL2) only with FEAT_LPA2;
// HPD, TBID and the other optional fields are RES0 in every model.
function tcrStore(i: number, maskLo: number, maskHi: number, haLo: number, haHi: number, dsHi: number): SysWrite {
  const k = 2 * i;
  return (c, lo, hi) => {
    const f = c.model.features;
    c.sys.r[k] = lo & (maskLo | (f.hafdbs ? haLo : 0));
    c.sys.r[k + 1] = hi & (maskHi | (f.hafdbs ? haHi : 0) | (f.lpa2 ? dsHi : 0));
  };
}
// TCR_EL2 with FEAT_VHE keeps the TCR_EL1 layout's bits (E2H = 1), a superset of its own E2H = 0 layout's.
const tcrEl2Vhe = tcrStore(R.TCR_EL2, ~(1 << 6), 0x77 | 1, 3 << 21, 0x180, 1 << 27);
const tcrEl2 = tcrStore(R.TCR_EL2, ~(3 << 21), 0, 3 << 21, 0, 1);
const writeTcrEl2: SysWrite = (c, lo, hi) => (c.model.features.vhe ? tcrEl2Vhe : tcrEl2)(c, lo, hi);
vheEl1('TTBR0_EL1', [3, 0, 2, 0, 0], [load(R.TTBR0_EL1), store(R.TTBR0_EL1, ~1)], [load(R.TTBR0_EL2), store(R.TTBR0_EL2, ~1)], VM_CTX);
vheEl1('TTBR1_EL1', [3, 0, 2, 0, 1], [load(R.TTBR1_EL1), store(R.TTBR1_EL1, ~1)], [load(R.TTBR1_EL2), store(R.TTBR1_EL2, ~1)], VM_CTX);
vheEl1(
  'TCR_EL1',
  [3, 0, 2, 0, 2],
  [load(R.TCR_EL1), tcrStore(R.TCR_EL1, ~(1 << 6), 0x77, 0, 0x180, 1 << 27)],
  [load(R.TCR_EL2), writeTcrEl2],
  VM_CTX,
);
def('TTBR0_EL2', [3, 4, 2, 0, 0], load(R.TTBR0_EL2), store(R.TTBR0_EL2, ~1), { ctx: true });
def('TTBR1_EL2', [3, 4, 2, 0, 1], load(R.TTBR1_EL2), store(R.TTBR1_EL2, ~1), { ctx: true, feat: 'vhe' });
def('TCR_EL2', [3, 4, 2, 0, 2], load(R.TCR_EL2), writeTcrEl2, { ctx: true });
def('VTTBR_EL2', [3, 4, 2, 1, 0], load(R.VTTBR_EL2), store(R.VTTBR_EL2, ~1), { ctx: true });
def('VTCR_EL2', [3, 4, 2, 1, 2], load(R.VTCR_EL2), tcrStore(R.VTCR_EL2, ~((1 << 19) | (3 << 21)), 0, 3 << 21, 0, 3), { ctx: true });
def('TTBR0_EL3', [3, 6, 2, 0, 0], load(R.TTBR0_EL3), store(R.TTBR0_EL3, ~1), { ctx: true });
def('TCR_EL3', [3, 6, 2, 0, 2], load(R.TCR_EL3), tcrStore(R.TCR_EL3, ~(3 << 21), 0, 3 << 21, 0, 1), { ctx: true });
vheEl1('MAIR_EL1', [3, 0, 10, 2, 0], [load(R.MAIR_EL1), store(R.MAIR_EL1)], [load(R.MAIR_EL2), store(R.MAIR_EL2)], VM_CTX);
vheEl1('AMAIR_EL1', [3, 0, 10, 3, 0], [load(R.AMAIR_EL1), store(R.AMAIR_EL1)], [load(R.AMAIR_EL2), store(R.AMAIR_EL2)], VM);
def('MAIR_EL2', [3, 4, 10, 2, 0], load(R.MAIR_EL2), store(R.MAIR_EL2), { ctx: true });
def('AMAIR_EL2', [3, 4, 10, 3, 0], load(R.AMAIR_EL2), store(R.AMAIR_EL2));
def('MAIR_EL3', [3, 6, 10, 2, 0], load(R.MAIR_EL3), store(R.MAIR_EL3), { ctx: true });
def('AMAIR_EL3', [3, 6, 10, 3, 0], load(R.AMAIR_EL3), store(R.AMAIR_EL3));
vheEl1(
  'CONTEXTIDR_EL1',
  [3, 0, 13, 0, 1],
  [load(R.CONTEXTIDR_EL1), store(R.CONTEXTIDR_EL1, -1, 0)],
  [load(R.CONTEXTIDR_EL2), store(R.CONTEXTIDR_EL2, -1, 0)],
  VM,
);
def('CONTEXTIDR_EL2', [3, 4, 13, 0, 1], load(R.CONTEXTIDR_EL2), store(R.CONTEXTIDR_EL2, -1, 0), { feat: 'vhe' });
def('PAR_EL1', [3, 0, 7, 4, 0], load(R.PAR_EL1), store(R.PAR_EL1));

// Exception handling.
vheEl1('SPSR_EL1', [3, 0, 4, 0, 0], [load(R.SPSR_EL1), store(R.SPSR_EL1, -1, 0)], [load(R.SPSR_EL2), store(R.SPSR_EL2, -1, 0)]);
vheEl1('ELR_EL1', [3, 0, 4, 0, 1], [load(R.ELR_EL1), store(R.ELR_EL1)], [load(R.ELR_EL2), store(R.ELR_EL2)]);
def('SPSR_EL2', [3, 4, 4, 0, 0], load(R.SPSR_EL2), store(R.SPSR_EL2, -1, 0));
def('ELR_EL2', [3, 4, 4, 0, 1], load(R.ELR_EL2), store(R.ELR_EL2));
def('SPSR_EL3', [3, 6, 4, 0, 0], load(R.SPSR_EL3), store(R.SPSR_EL3, -1, 0));
def('ELR_EL3', [3, 6, 4, 0, 1], load(R.ELR_EL3), store(R.ELR_EL3));
def('SPSR_irq', [3, 4, 4, 3, 0], load(R.SPSR_irq), store(R.SPSR_irq, -1, 0), { minEl: 2, needs: 2, feat: 'aarch32' });
def('SPSR_abt', [3, 4, 4, 3, 1], load(R.SPSR_abt), store(R.SPSR_abt, -1, 0), { minEl: 2, needs: 2, feat: 'aarch32' });
def('SPSR_und', [3, 4, 4, 3, 2], load(R.SPSR_und), store(R.SPSR_und, -1, 0), { minEl: 2, needs: 2, feat: 'aarch32' });
def('SPSR_fiq', [3, 4, 4, 3, 3], load(R.SPSR_fiq), store(R.SPSR_fiq, -1, 0), { minEl: 2, needs: 2, feat: 'aarch32' });
vheEl1('ESR_EL1', [3, 0, 5, 2, 0], [load(R.ESR_EL1), store(R.ESR_EL1, -1, 0)], [load(R.ESR_EL2), store(R.ESR_EL2, -1, 0)], VM);
def('ESR_EL2', [3, 4, 5, 2, 0], load(R.ESR_EL2), store(R.ESR_EL2, -1, 0));
def('ESR_EL3', [3, 6, 5, 2, 0], load(R.ESR_EL3), store(R.ESR_EL3, -1, 0));
vheEl1('AFSR0_EL1', [3, 0, 5, 1, 0], [load(R.AFSR0_EL1), store(R.AFSR0_EL1)], [load(R.AFSR0_EL2), store(R.AFSR0_EL2)], VM);
vheEl1('AFSR1_EL1', [3, 0, 5, 1, 1], [load(R.AFSR1_EL1), store(R.AFSR1_EL1)], [load(R.AFSR1_EL2), store(R.AFSR1_EL2)], VM);
def('AFSR0_EL2', [3, 4, 5, 1, 0], load(R.AFSR0_EL2), store(R.AFSR0_EL2));
def('AFSR1_EL2', [3, 4, 5, 1, 1], load(R.AFSR1_EL2), store(R.AFSR1_EL2));
def('AFSR0_EL3', [3, 6, 5, 1, 0], load(R.AFSR0_EL3), store(R.AFSR0_EL3));
def('AFSR1_EL3', [3, 6, 5, 1, 1], load(R.AFSR1_EL3), store(R.AFSR1_EL3));
vheEl1('FAR_EL1', [3, 0, 6, 0, 0], [load(R.FAR_EL1), store(R.FAR_EL1)], [load(R.FAR_EL2), store(R.FAR_EL2)], VM);
def('FAR_EL2', [3, 4, 6, 0, 0], load(R.FAR_EL2), store(R.FAR_EL2));
def('HPFAR_EL2', [3, 4, 6, 0, 4], load(R.HPFAR_EL2), store(R.HPFAR_EL2, ~0xf, 0xfffff));
def('FAR_EL3', [3, 6, 6, 0, 0], load(R.FAR_EL3), store(R.FAR_EL3));
vheEl1('VBAR_EL1', [3, 0, 12, 0, 0], [load(R.VBAR_EL1), store(R.VBAR_EL1, ~0x7ff)], [load(R.VBAR_EL2), store(R.VBAR_EL2, ~0x7ff)]);
def('VBAR_EL2', [3, 4, 12, 0, 0], load(R.VBAR_EL2), store(R.VBAR_EL2, ~0x7ff));
def('VBAR_EL3', [3, 6, 12, 0, 0], load(R.VBAR_EL3), store(R.VBAR_EL3, ~0x7ff));
def('RVBAR_EL3', [3, 6, 12, 0, 1], razRead, null);
// ISR_EL1: pending IRQ/FIQ (physical, or virtual at EL1 with HCR_EL2.IMO/FMO); SError never pending.
def('ISR_EL1', [3, 0, 12, 1, 0], readIsr, null);

// Stack pointers and PSTATE fields.
def('SP_EL0', [3, 0, 4, 1, 0], load(R.SP_EL0), store(R.SP_EL0), { check: SP_EL0_CHECK });
def('SP_EL1', [3, 4, 4, 1, 0], load(R.SP_EL1), store(R.SP_EL1), { minEl: 2, needs: 0 });
def('SP_EL2', [3, 6, 4, 1, 0], load(R.SP_EL2), store(R.SP_EL2), { minEl: 3, needs: 2 });
def('SPSel', [3, 0, 4, 2, 0], readSpsel, writeSpsel, { end: true });
def('CurrentEL', [3, 0, 4, 2, 2], readCurrentEl, null);
def('PAN', [3, 0, 4, 2, 3], readPan, writePan, { ctx: true, feat: 'pan' });
def('NZCV', [3, 3, 4, 2, 0], readNzcv, writeNzcv, { minEl: 0 });
def('DAIF', [3, 3, 4, 2, 1], readDaif, writeDaif, { minEl: 0, check: umaCheck, end: true });
def(
  'FPCR',
  [3, 3, 4, 4, 0],
  (c) => ((c.hi = 0), c.fpcr),
  (c, lo) => void (c.fpcr = lo & FPCR_MASK),
  { minEl: 0, fp: true },
);
def(
  'FPSR',
  [3, 3, 4, 4, 1],
  (c) => ((c.hi = 0), c.fpsr),
  (c, lo) => void (c.fpsr = lo & FPSR_MASK),
  { minEl: 0, fp: true },
);

// Thread IDs.
def('TPIDR_EL0', [3, 3, 13, 0, 2], load(R.TPIDR_EL0), store(R.TPIDR_EL0), { minEl: 0 });
def('TPIDRRO_EL0', [3, 3, 13, 0, 3], load(R.TPIDRRO_EL0), store(R.TPIDRRO_EL0), { check: el0ReadOnly(null) });
def('TPIDR_EL1', [3, 0, 13, 0, 4], load(R.TPIDR_EL1), store(R.TPIDR_EL1));
def('TPIDR_EL2', [3, 4, 13, 0, 2], load(R.TPIDR_EL2), store(R.TPIDR_EL2));
def('TPIDR_EL3', [3, 6, 13, 0, 2], load(R.TPIDR_EL3), store(R.TPIDR_EL3));

// Generic timer.
vheEl1('CNTKCTL_EL1', [3, 0, 14, 1, 0], [load(R.CNTKCTL_EL1), store(R.CNTKCTL_EL1, 0x3ff, 0)], [load(R.CNTHCTL_EL2), writeCnthctl]);
def('CNTFRQ_EL0', [3, 3, 14, 0, 0], load(R.CNTFRQ_EL0), store(R.CNTFRQ_EL0, -1, 0), { check: cntfrqCheck });
def('CNTPCT_EL0', [3, 3, 14, 0, 1], physicalCount, null, { check: timerCheck(CNTKCTL_EL0PCTEN, CNTHCTL_EL1PCTEN) });
def('CNTVCT_EL0', [3, 3, 14, 0, 2], virtualCount, null, { check: timerCheck(CNTKCTL_EL0VCTEN, 0) });
const CVAL_REGS = [R.CNTP_CVAL_EL0, R.CNTV_CVAL_EL0, R.CNTHP_CVAL_EL2, R.CNTPS_CVAL_EL1, R.CNTHV_CVAL_EL2];
/** The timer an access reaches: `t`, or with FEAT_VHE `host` at EL2 with E2H = 1 and at EL0 with {E2H,TGE} = {1,1}. */
function timerFor(t: number, host = t): (c: Cpu) => number {
  if (host === t) return () => t;
  return (c) => (redirected(c) || (c.el === 0 && isInHost(c)) ? host : t);
}
function timerRegs(prefix: string, op1: number, crm: number, sel: (c: Cpu) => number, o: Opts): void {
  def(
    prefix.replace('*', 'TVAL'),
    [3, op1, 14, crm, 0],
    (c) => readTimerTval(c, sel(c)),
    (c, lo) => writeTimerTval(c, sel(c), lo),
    o,
  );
  def(
    prefix.replace('*', 'CTL'),
    [3, op1, 14, crm, 1],
    (c) => readTimerCtl(c, sel(c)),
    (c, lo) => writeTimerCtl(c, sel(c), lo),
    o,
  );
  const readCval: SysRead = (c) => {
    const i = CVAL_REGS[sel(c)];
    c.hi = c.sys.hi(i);
    return c.sys.lo(i);
  };
  def(prefix.replace('*', 'CVAL'), [3, op1, 14, crm, 2], readCval, (c, lo, hi) => writeTimerCval(c, sel(c), lo, hi), o);
}
timerRegs('CNTP_*_EL0', 3, 2, timerFor(TIMER_P, TIMER_HP), { minEl: 0, check: timerCheck(CNTKCTL_EL0PTEN, CNTHCTL_EL1PCEN), end: true });
timerRegs('CNTV_*_EL0', 3, 3, timerFor(TIMER_V, TIMER_HV), { minEl: 0, check: timerCheck(CNTKCTL_EL0VTEN, 0), end: true });
timerRegs('CNTHP_*_EL2', 4, 2, timerFor(TIMER_HP), { minEl: 2, end: true });
timerRegs('CNTHV_*_EL2', 4, 3, timerFor(TIMER_HV), { minEl: 2, end: true, feat: 'vhe' });
timerRegs('CNTPS_*_EL1', 7, 2, timerFor(TIMER_PS), { minEl: 1, check: cntpsCheck, end: true });
// The EL1 timers from EL2/EL3 with E2H = 1 (FEAT_VHE).
timerRegs('CNTP_*_EL02', 5, 2, timerFor(TIMER_P), { minEl: 2, needs: 0, check: el12Check, end: true, feat: 'vhe' });
timerRegs('CNTV_*_EL02', 5, 3, timerFor(TIMER_V), { minEl: 2, needs: 0, check: el12Check, end: true, feat: 'vhe' });
def('CNTHCTL_EL2', [3, 4, 14, 1, 0], load(R.CNTHCTL_EL2), writeCnthctl);
def('CNTVOFF_EL2', [3, 4, 14, 0, 3], load(R.CNTVOFF_EL2), writeCntvoff, { end: true });

// Performance monitors (PMUv3; the cycle counter counts retired instructions, events are not counted).
{
  const pmu = (name: string, enc: [number, number, number, number, number], r: SysRead | null, w: SysWrite | null, chk: SysCheck): void =>
    def(name, enc, r, w, { check: chk });
  const any = pmuCheck(0, 0);
  pmu('PMCR_EL0', [3, 3, 9, 12, 0], readPmcr, writePmcr, pmuCheck(0, 0, true));
  pmu('PMCNTENSET_EL0', [3, 3, 9, 12, 1], load(R.PMCNTENSET_EL0), setClr(R.PMCNTENSET_EL0, true, true), any);
  pmu('PMCNTENCLR_EL0', [3, 3, 9, 12, 2], load(R.PMCNTENSET_EL0), setClr(R.PMCNTENSET_EL0, false, true), any);
  pmu('PMOVSCLR_EL0', [3, 3, 9, 12, 3], load(R.PMOVSSET_EL0), setClr(R.PMOVSSET_EL0, false), any);
  pmu('PMSWINC_EL0', [3, 3, 9, 12, 4], null, ignoreWrite, (c, read) => (read ? ACCESS_UNDEF : pmuCheck(0, PMUSERENR_SW)(c, read)));
  pmu('PMSELR_EL0', [3, 3, 9, 12, 5], load(R.PMSELR_EL0), store(R.PMSELR_EL0, 0x1f, 0), pmuCheck(PMUSERENR_ER, PMUSERENR_ER));
  pmu('PMCEID0_EL0', [3, 3, 9, 12, 6], load(R.PMCEID0_EL0), null, any);
  pmu('PMCEID1_EL0', [3, 3, 9, 12, 7], load(R.PMCEID1_EL0), null, any);
  pmu('PMCCNTR_EL0', [3, 3, 9, 13, 0], readPmccntr, (c, lo, hi) => setPmccntr(c, lo, hi), pmuCheck(PMUSERENR_CR, 0));
  const [rt, wt] = pmxev(true);
  const [rc, wc] = pmxev(false);
  pmu('PMXEVTYPER_EL0', [3, 3, 9, 13, 1], rt, wt, any);
  pmu('PMXEVCNTR_EL0', [3, 3, 9, 13, 2], rc, wc, pmuCheck(PMUSERENR_ER, 0));
  pmu('PMUSERENR_EL0', [3, 3, 9, 14, 0], load(R.PMUSERENR_EL0), store(R.PMUSERENR_EL0, 0xf, 0), el0ReadOnly(pmuCheck(0xf, 0)));
  pmu('PMOVSSET_EL0', [3, 3, 9, 14, 3], load(R.PMOVSSET_EL0), setClr(R.PMOVSSET_EL0, true), any);
  pmu('PMINTENSET_EL1', [3, 0, 9, 14, 1], load(R.PMINTENSET_EL1), setClr(R.PMINTENSET_EL1, true), pmuCheck(0, 0));
  pmu('PMINTENCLR_EL1', [3, 0, 9, 14, 2], load(R.PMINTENSET_EL1), setClr(R.PMINTENSET_EL1, false), pmuCheck(0, 0));
  pmu('PMCCFILTR_EL0', [3, 3, 14, 15, 7], load(R.PMCCFILTR_EL0), store(R.PMCCFILTR_EL0, 0xf8000000 | 0, 0), any);
  for (let n = 0; n < 6; n++) {
    const inRange =
      (chk: SysCheck): SysCheck =>
      (c, read) =>
        n >= ((c.model.pmcr >>> 11) & 0x1f) ? ACCESS_UNDEF : chk(c, read);
    pmu(
      `PMEVCNTR${n}_EL0`,
      [3, 3, 14, 8 + (n >> 3), n & 7],
      load(R.PMEVCNTR0_EL0 + n),
      store(R.PMEVCNTR0_EL0 + n, -1, 0),
      inRange(pmuCheck(PMUSERENR_ER, 0)),
    );
    pmu(
      `PMEVTYPER${n}_EL0`,
      [3, 3, 14, 12 + (n >> 3), n & 7],
      load(R.PMEVTYPER0_EL0 + n),
      store(R.PMEVTYPER0_EL0 + n, 0xf800ffff | 0, 0),
      inRange(any),
    );
  }
}

// Debug (op0 = 2). Breakpoints and watchpoints are storage only: they never fire.
{
  const tda = debugCheck(MDCR_TDA, MDCR_TDA);
  const tdosa = debugCheck(MDCR_TDOSA, MDCR_TDOSA);
  def('MDCCINT_EL1', [2, 0, 0, 2, 0], load(R.MDCCINT_EL1), store(R.MDCCINT_EL1, 0x20000000, 0), { check: tda });
  def('MDSCR_EL1', [2, 0, 0, 2, 2], load(R.MDSCR_EL1), store(R.MDSCR_EL1, 0x0000d0c1 | (1 << 12) | (1 << 15), 0), { check: tda });
  def('OSECCR_EL1', [2, 0, 0, 6, 2], load(R.OSECCR_EL1), store(R.OSECCR_EL1, -1, 0), { check: tdosa });
  def('MDRAR_EL1', [2, 0, 1, 0, 0], razRead, null, { check: debugCheck(MDCR_TDRA, MDCR_TDA) });
  def('OSLAR_EL1', [2, 0, 1, 0, 4], null, writeOslar, { check: tdosa });
  def('OSLSR_EL1', [2, 0, 1, 1, 4], load(R.OSLSR_EL1), null, { check: tdosa });
  def('OSDLR_EL1', [2, 0, 1, 3, 4], load(R.OSDLR_EL1), store(R.OSDLR_EL1, 1, 0), { check: tdosa });
  def('DBGPRCR_EL1', [2, 0, 1, 4, 4], razRead, ignoreWrite, { check: tdosa });
  def('DBGCLAIMSET_EL1', [2, 0, 7, 8, 6], constant(0xff), (c, lo) => c.sys.set(R.DBGCLAIM, c.sys.lo(R.DBGCLAIM) | (lo & 0xff), 0), {
    check: tda,
  });
  def('DBGCLAIMCLR_EL1', [2, 0, 7, 9, 6], load(R.DBGCLAIM), (c, lo) => c.sys.set(R.DBGCLAIM, c.sys.lo(R.DBGCLAIM) & ~lo, 0), {
    check: tda,
  });
  // Non-invasive and invasive debug: Secure and Non-secure implemented and enabled.
  def('DBGAUTHSTATUS_EL1', [2, 0, 7, 14, 6], constant(0xff), null, { check: tda });
  def('MDCCSR_EL0', [2, 3, 0, 1, 0], razRead, null, {
    check: (c) => (c.el === 0 && (c.sys.lo(R.MDSCR_EL1) & (1 << 12)) !== 0 ? TRAP_EL1 : tda(c, true)),
  });
  for (let n = 0; n < 6; n++) {
    const inRange =
      (kind: 'b' | 'w'): SysCheck =>
      (c, read) => {
        const f = (Number(c.model.id.ID_AA64DFR0_EL1 ?? 0n) >>> (kind === 'b' ? 12 : 20)) & 0xf;
        return n > f ? ACCESS_UNDEF : tda(c, read);
      };
    def(`DBGBVR${n}_EL1`, [2, 0, 0, n, 4], load(R.DBGBVR0_EL1 + n), store(R.DBGBVR0_EL1 + n, ~3), { check: inRange('b') });
    def(`DBGBCR${n}_EL1`, [2, 0, 0, n, 5], load(R.DBGBCR0_EL1 + n), store(R.DBGBCR0_EL1 + n, 0x00ffe1e7, 0), { check: inRange('b') });
    def(`DBGWVR${n}_EL1`, [2, 0, 0, n, 6], load(R.DBGWVR0_EL1 + n), store(R.DBGWVR0_EL1 + n, ~3), { check: inRange('w') });
    def(`DBGWCR${n}_EL1`, [2, 0, 0, n, 7], load(R.DBGWCR0_EL1 + n), store(R.DBGWCR0_EL1 + n, 0x1f01fff, 0), { check: inRange('w') });
  }
}

// IMPLEMENTATION DEFINED registers of Cortex-A53/A57/A72 that firmware touches (as QEMU: RAZ/WI-like).
{
  const cortexOnly: SysCheck = (c) => (c.model.name.startsWith('cortex-a') ? ACCESS_OK : ACCESS_UNDEF);
  def('L2CTLR_EL1', [3, 1, 11, 0, 2], razRead, ignoreWrite, { check: cortexOnly });
  def('L2ECTLR_EL1', [3, 1, 11, 0, 3], razRead, ignoreWrite, { check: cortexOnly });
  def('L2ACTLR_EL1', [3, 1, 15, 0, 0], razRead, ignoreWrite, { check: cortexOnly });
  def('CPUACTLR_EL1', [3, 1, 15, 2, 0], razRead, ignoreWrite, { check: cortexOnly });
  def('CPUECTLR_EL1', [3, 1, 15, 2, 1], razRead, ignoreWrite, { check: cortexOnly });
  def('CPUMERRSR_EL1', [3, 1, 15, 2, 2], razRead, ignoreWrite, { check: cortexOnly });
  def('L2MERRSR_EL1', [3, 1, 15, 2, 3], razRead, ignoreWrite, { check: cortexOnly });
}

// GICv3 CPU interface (ICC_*): UNDEFINED unless the board gave the vCPU a GIC (see sysreg-gic.ts).
registerGicSysRegs(def);
