/**
 * System instructions, hints, barriers, MRS/MSR, exception generation and return
 * (Arm ARM C4.1.66 "Branches, Exception Generating and System instructions").
 *
 * MRS/MSR and SYS look their register or operation up once, at decode time
 * (sysreg-access.ts, sysreg-ops.ts), and capture its functions in the op.
 */
import { enc, rz, wz, type Encoding, type Fields, type DecodeCtx } from '../decoder.js';
import { NEXT, JUMP, type Cpu, type Op } from '../cpu.js';
import {
  callHypervisor,
  callSecureMonitor,
  callSupervisor,
  contextChanged,
  exceptionReturn,
  fpAccessTrap,
  hcrLo,
  hvcUndefined,
  smcTrap,
  smcTrapsToEl2,
  smcUndefined,
  softwareBreakpoint,
  sysRegTrap,
  undefinedInstruction,
  wfxTrap,
  HCR_TWE,
  HCR_TWI,
  HCR_TGE,
  SCR_TWE,
  SCR_TWI,
} from '../exceptions.js';
import {
  ACCESS_FP,
  ACCESS_OK,
  ACCESS_RAZWI,
  ACCESS_UNDEF,
  checkAccess,
  lookupSysReg,
  setPan,
  setSpSel,
  sysRegIss,
  SCTLR_NTWE,
  SCTLR_NTWI,
  SCTLR_UMA,
} from '../sysreg-access.js';
import { checkSysOp, lookupSysOp } from '../sysreg-ops.js';
import { R } from '../sysregs.js';
import { wakeReady, WFE_MAX_SLEEP_NS } from '../interrupts.js';

/** PC + offset as a (lo, hi) pair, computed at decode time. */
function pcRel(ctx: DecodeCtx, offset: number): [number, number] {
  const lo = (ctx.pcLo >>> 0) + offset;
  const hi = lo > 0xffffffff ? (ctx.pcHi + 1) | 0 : ctx.pcHi;
  return [lo | 0, hi];
}

/** A failed access check: UNDEFINED, SIMD&FP trap or EC 0x18 trap to EL1/2/3. */
function accessFault(c: Cpu, a: number, iss: number, pcLo: number, pcHi: number): number {
  if (a === ACCESS_UNDEF) return undefinedInstruction(c, pcLo, pcHi);
  if (a === ACCESS_FP) return fpAccessTrap(c, pcLo, pcHi);
  return sysRegTrap(c, a, iss, pcLo, pcHi);
}

/** MRS Xt, <sysreg>. */
function mrs(f: Fields, ctx: DecodeCtx): Op | null {
  const op0 = 2 + f.o0;
  const d = lookupSysReg(op0, f.op1, f.CRn, f.CRm, f.op2);
  if (d === undefined || d.read === null || (d.feat !== null && !ctx.features[d.feat])) return null;
  const read = d.read;
  const t2 = 2 * wz(f.Rt);
  const iss = sysRegIss(op0, f.op1, f.CRn, f.CRm, f.op2, f.Rt, true);
  const { pcLo, pcHi } = ctx;
  return (c: Cpu) => {
    const a = checkAccess(c, d, true);
    const x = c.x;
    if (a !== ACCESS_OK) {
      if (a !== ACCESS_RAZWI) return accessFault(c, a, iss, pcLo, pcHi);
      x[t2] = 0;
      x[t2 + 1] = 0;
      return NEXT;
    }
    const lo = read(c);
    x[t2] = lo;
    x[t2 + 1] = c.hi;
    return NEXT;
  };
}

/** MSR <sysreg>, Xt. Context-changing writes end the block at the next instruction. */
function msrReg(f: Fields, ctx: DecodeCtx): Op | null {
  const op0 = 2 + f.o0;
  const d = lookupSysReg(op0, f.op1, f.CRn, f.CRm, f.op2);
  if (d === undefined || d.write === null || (d.feat !== null && !ctx.features[d.feat])) return null;
  const write = d.write;
  const t2 = 2 * rz(f.Rt);
  const iss = sysRegIss(op0, f.op1, f.CRn, f.CRm, f.op2, f.Rt, false);
  const { pcLo, pcHi } = ctx;
  const [nLo, nHi] = pcRel(ctx, 4);
  const ctxChange = d.ctx;
  const end = d.ctx || d.end;
  return (c: Cpu) => {
    const a = checkAccess(c, d, false);
    if (a !== ACCESS_OK) {
      if (a !== ACCESS_RAZWI) return accessFault(c, a, iss, pcLo, pcHi);
      return NEXT;
    }
    write(c, c.x[t2], c.x[t2 + 1]);
    if (!end) return NEXT;
    if (ctxChange) contextChanged(c);
    c.pcLo = nLo;
    c.pcHi = nHi;
    return JUMP;
  };
}

/** MSR <pstatefield>, #imm: SPSel, DAIFSet, DAIFClr, PAN. UAO/DIT/SSBS/TCO need features armlab lacks. */
function msrImm(f: Fields, ctx: DecodeCtx): Op | null {
  const { pcLo, pcHi } = ctx;
  const [nLo, nHi] = pcRel(ctx, 4);
  const imm = f.CRm;
  const field = (f.op1 << 3) | f.op2;
  const iss = sysRegIss(0, f.op1, 4, f.CRm, f.op2, 31, false);
  const next = (c: Cpu): number => {
    c.pcLo = nLo;
    c.pcHi = nHi;
    return JUMP;
  };
  switch (field) {
    case 0o05: // SPSel
      return (c: Cpu) => {
        if (c.el === 0) return undefinedInstruction(c, pcLo, pcHi);
        setSpSel(c, imm & 1);
        return next(c);
      };
    case 0o36: // DAIFSet
    case 0o37: // DAIFClr
      return (c: Cpu) => {
        if (c.el === 0 && (c.sys.lo((hcrLo(c) & HCR_TGE) !== 0 ? R.SCTLR_EL2 : R.SCTLR_EL1) & SCTLR_UMA) === 0) {
          return sysRegTrap(c, 1, iss, pcLo, pcHi);
        }
        c.daif = field === 0o36 ? c.daif | imm : c.daif & ~imm;
        return next(c);
      };
    case 0o04: // PAN
      if (!ctx.features.pan) return null;
      return (c: Cpu) => {
        if (c.el === 0) return undefinedInstruction(c, pcLo, pcHi);
        setPan(c, (imm & 1) !== 0);
        contextChanged(c);
        return next(c);
      };
    default:
      return null;
  }
}

/** SYS #op1, Cn, Cm, #op2, Xt: DC, IC, AT, TLBI. */
function sys(f: Fields, ctx: DecodeCtx): Op | null {
  const d = lookupSysOp(f.op1, f.CRn, f.CRm, f.op2);
  if (d === undefined || (d.feat !== null && !ctx.features[d.feat])) return null;
  const exec = d.exec;
  const t2 = 2 * rz(f.Rt);
  const iss = sysRegIss(1, f.op1, f.CRn, f.CRm, f.op2, f.Rt, false);
  const { pcLo, pcHi } = ctx;
  return (c: Cpu) => {
    const a = checkSysOp(c, d);
    if (a !== ACCESS_OK) return accessFault(c, a, iss, pcLo, pcHi);
    return exec(c, c.x[t2], c.x[t2 + 1], pcLo, pcHi);
  };
}

/**
 * WFI/WFE traps: SCTLR_EL1.nTWI/nTWE at EL0 (to EL1), HCR_EL2.TWI/TWE at EL0/EL1 (to EL2),
 * SCR_EL3.TWI/TWE below EL3. Returns the target EL, or 0.
 */
function wfxTrapTarget(c: Cpu, wfe: boolean): number {
  if (c.el === 0) {
    const sctlr = c.sys.lo((hcrLo(c) & HCR_TGE) !== 0 ? R.SCTLR_EL2 : R.SCTLR_EL1);
    if ((sctlr & (wfe ? SCTLR_NTWE : SCTLR_NTWI)) === 0) return 1;
  }
  if (c.el <= 1 && (hcrLo(c) & (wfe ? HCR_TWE : HCR_TWI)) !== 0) return 2;
  if (c.el <= 2 && c.hasEl3 && (c.sys.lo(R.SCR_EL3) & (wfe ? SCR_TWE : SCR_TWI)) !== 0) return 3;
  return 0;
}

/**
 * Hints (CRm:op2). WFI, and WFE without a pending event, end the block and put the CPU to
 * sleep (c.halted) unless a wake-up is already due (an asserted IRQ/FIQ line, whatever
 * PSTATE.I/F say, or a virtual interrupt; interrupts.ts wakeReady). The run loop sleeps
 * until the next timer deadline or input and resumes at the next instruction; the
 * interrupt, if unmasked, is then taken there. A WFE sleeps at most WFE_MAX_SLEEP_NS
 * (spurious wake-ups are allowed; SEV from other CPUs arrives with SMP). Every other
 * hint, including the PAuth and BTI hints on CPUs without FEAT_PAuth/FEAT_BTI, executes as NOP.
 * A vCPU without a GIC (c.gic null: nothing could wake it) completes WFI/WFE at once.
 */
function hint(f: Fields, ctx: DecodeCtx): Op | null {
  const h = (f.CRm << 3) | f.op2;
  const { pcLo, pcHi } = ctx;
  const [nLo, nHi] = pcRel(ctx, 4);
  switch (h) {
    case 2: // WFE
    case 3: {
      // WFI
      const wfe = h === 2;
      return (c: Cpu) => {
        const t = wfxTrapTarget(c, wfe);
        if (t !== 0) return wfxTrap(c, t, wfe, pcLo, pcHi);
        if (wfe && c.eventRegister) {
          c.eventRegister = false;
          return NEXT;
        }
        c.pcLo = nLo;
        c.pcHi = nHi;
        // Without an interrupt controller nothing could wake the CPU: complete at once.
        if (c.gic !== null && !wakeReady(c)) {
          c.halted = true;
          c.wfeUntilNs = wfe ? c.env.nowNs() + WFE_MAX_SLEEP_NS : 0;
        }
        return JUMP;
      };
    }
    case 4: // SEV: this PE's event register, and every other PE's (c.onSev, SMP machines)
      return (c: Cpu) => {
        c.eventRegister = true;
        if (c.onSev !== null) c.onSev(c);
        return NEXT;
      };
    case 5: // SEVL: this PE only
      return (c: Cpu) => {
        c.eventRegister = true;
        return NEXT;
      };
    default:
      return () => NEXT;
  }
}

/** Barriers and CLREX (CRm:op2). ISB ends the block; DSB/DMB order nothing in a single-threaded interpreter. */
function barrier(f: Fields, ctx: DecodeCtx): Op | null {
  const [nLo, nHi] = pcRel(ctx, 4);
  switch (f.op2) {
    case 2: // CLREX
      return (c: Cpu) => {
        c.exclusiveArmed = false;
        return NEXT;
      };
    case 4: // DSB (CRm = 0: SSBB, CRm = 4: PSSBB)
    case 5: {
      // DMB/DSB: on SMP machines c.onBarrier fences with a sequentially consistent Atomics
      // operation and, for DSB, waits until every TLB shootdown this CPU posted is acknowledged.
      // The hook gets 0 for DMB, 16 | CRm for DSB (the checker needs domain and types: checker.ts).
      const isDsb = f.op2 === 4 && f.CRm !== 0 && f.CRm !== 4 ? 16 | f.CRm : 0;
      return (c: Cpu) => {
        if (c.onBarrier !== null) c.onBarrier(c, isDsb);
        return NEXT;
      };
    }
    case 6: // ISB
      return (c: Cpu) => {
        c.pcLo = nLo;
        c.pcHi = nHi;
        return JUMP;
      };
    case 7: // SB
      return f.CRm === 0 && ctx.features.sb ? () => NEXT : null;
    default:
      return null;
  }
}

/** SVC #imm16: to EL1 from EL0 (EL2 with TGE), else the current EL. */
function svc(f: Fields, ctx: DecodeCtx): Op {
  const imm = f.imm16;
  const [nLo, nHi] = pcRel(ctx, 4);
  return (c: Cpu) => callSupervisor(c, imm, nLo, nHi);
}

/** HVC #imm16: the board's firmware (PSCI over HVC) first, then the architecture. */
function hvc(f: Fields, ctx: DecodeCtx): Op {
  const imm = f.imm16;
  const { pcLo, pcHi } = ctx;
  const [nLo, nHi] = pcRel(ctx, 4);
  return (c: Cpu) => {
    if (c.el === 0) return undefinedInstruction(c, pcLo, pcHi);
    if (c.env.firmwareCall(c, 'hvc')) {
      c.pcLo = nLo;
      c.pcHi = nHi;
      return JUMP;
    }
    if (hvcUndefined(c)) return undefinedInstruction(c, pcLo, pcHi);
    return callHypervisor(c, imm, nLo, nHi);
  };
}

/** SMC #imm16: HCR_EL2.TSC trap first (as QEMU), then the board's firmware, then EL3. */
function smc(f: Fields, ctx: DecodeCtx): Op {
  const imm = f.imm16;
  const { pcLo, pcHi } = ctx;
  const [nLo, nHi] = pcRel(ctx, 4);
  return (c: Cpu) => {
    if (c.el === 0) return undefinedInstruction(c, pcLo, pcHi);
    if (smcTrapsToEl2(c)) return smcTrap(c, imm, pcLo, pcHi);
    if (c.env.firmwareCall(c, 'smc')) {
      c.pcLo = nLo;
      c.pcHi = nHi;
      return JUMP;
    }
    if (smcUndefined(c)) return undefinedInstruction(c, pcLo, pcHi);
    return callSecureMonitor(c, imm, nLo, nHi);
  };
}

/** BRK #imm16: preferred return is the BRK itself. */
function brk(f: Fields, ctx: DecodeCtx): Op {
  const imm = f.imm16;
  const { pcLo, pcHi } = ctx;
  return (c: Cpu) => softwareBreakpoint(c, imm, pcLo, pcHi);
}

/** HLT #imm16: semihosting when imm16 is 0xF000 (and not at EL0); otherwise UNDEFINED (no halting debug). */
function hlt(f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  if (f.imm16 !== 0xf000) return (c: Cpu) => undefinedInstruction(c, pcLo, pcHi);
  return (c: Cpu) => {
    if (c.el === 0 || !c.env.semihosting(c)) return undefinedInstruction(c, pcLo, pcHi);
    if (c.halted) {
      // A call that waits (SYS_READC with no input yet): resume at this HLT to make it again.
      c.pcLo = pcLo;
      c.pcHi = pcHi;
      return JUMP;
    }
    return c.stopRequested ? JUMP : NEXT;
  };
}

/** ERET: UNDEFINED at EL0 (ERETAA/ERETAB need FEAT_PAuth and are not in the table). */
function eret(_f: Fields, ctx: DecodeCtx): Op {
  const { pcLo, pcHi } = ctx;
  return (c: Cpu) => (c.el === 0 ? undefinedInstruction(c, pcLo, pcHi) : exceptionReturn(c));
}

export const TABLE: Encoding[] = [
  enc('SVC', '11010100 000 imm16:16 000 01', svc, { end: true }),
  enc('HVC', '11010100 000 imm16:16 000 10', hvc, { end: true }),
  enc('SMC', '11010100 000 imm16:16 000 11', smc, { end: true }),
  enc('BRK', '11010100 001 imm16:16 000 00', brk, { end: true }),
  enc('HLT', '11010100 010 imm16:16 000 00', hlt),
  enc('ERET', '1101011 0100 11111 000000 11111 00000', eret, { end: true }),
  enc('HINT', '1101010100 0 00 011 0010 CRm:4 op2:3 11111', hint),
  enc('BARRIERS', '1101010100 0 00 011 0011 CRm:4 op2:3 11111', barrier),
  enc('MSR_imm', '1101010100 0 00 op1:3 0100 CRm:4 op2:3 11111', msrImm),
  enc('SYS', '1101010100 0 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5', sys),
  enc('MSR_reg', '1101010100 0 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5', msrReg),
  enc('MRS', '1101010100 1 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5', mrs),
];
