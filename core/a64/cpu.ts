/**
 * Architectural state of one AArch64 vCPU.
 *
 * 64-bit values are pairs of int32 (lo, hi): measured against BigUint64Array
 * in an interpreter-shaped loop, pairs are ~2x faster (docs/registers.md).
 *
 * General registers live in `x` (Int32Array): x[2n] = low word, x[2n+1] = high word.
 *   slots 0..30  X0..X30
 *   slot  31     SP of the current exception level (banked copies in sysregs)
 *   slot  32     ZR: always zero, never written
 *   slot  33     sink: writes to XZR land here and are never read
 * The decoder resolves register field 31 to SP (31), ZR (32, reads) or the sink
 * (33, writes) once, so handlers never test for 31 at run time.
 */
import type { CpuModel } from './models.js';
import type { MemPath } from '../mem/mempath.js';
import { SysRegs } from './sysregs.js';
import type { TlbiOp as TlbiOpInfo, TlbiOperand as TlbiOperandInfo } from './sysreg-ops.js';
import type { GicCpuInterface } from './interrupts.js';

export const SP = 31;
export const ZR = 32;
export const SINK = 33;

/** Op return codes: continue with the next op of the block, or leave the block. */
export const NEXT = 0;
/** PC was set by the op (branch taken, exception taken, context change). */
export const JUMP = 1;

/** An executable op: closure made at decode time; returns NEXT or JUMP. */
export type Op = (c: Cpu) => number;

/** NZCV packed in 4 bits as in PSTATE: N=8, Z=4, C=2, V=1. */
export const FLAG_N = 8;
export const FLAG_Z = 4;
export const FLAG_C = 2;
export const FLAG_V = 1;

/**
 * What the core needs from whoever runs it (board, worker, test).
 * The core owns nothing of the host: time, semihosting, PSCI and console come in here.
 */
export interface CpuEnv {
  /** Host monotonic time in nanoseconds (drives the generic timer). */
  nowNs(): number;
  /** HLT #0xF000 semihosting call; returns true if handled (x0 updated). */
  semihosting(c: Cpu): boolean;
  /**
   * HVC/SMC that the board's firmware emulation (PSCI) may consume.
   * Returns true if handled (registers updated, execution continues after the insn).
   */
  firmwareCall(c: Cpu, conduit: 'hvc' | 'smc'): boolean;
  /** The guest asked to stop the machine (SYSTEM_OFF, semihosting exit, reset). */
  requestStop(reason: StopReason): void;
}

export type StopReason = { kind: 'exit'; status: number } | { kind: 'poweroff' } | { kind: 'reset' } | { kind: 'error'; message: string };

export class Cpu {
  readonly x = new Int32Array(68);
  pcLo = 0;
  pcHi = 0;
  /** PSTATE.NZCV, packed (FLAG_*). */
  nzcv = 0;
  /** PSTATE.EL (0..3). */
  el = 1;
  /** PSTATE.SP: 0 = SP_EL0, 1 = SP_ELx. */
  spsel = 1;
  /** PSTATE.DAIF as bits D=8 A=4 I=2 F=1. */
  daif = 0xf;
  /** Other PSTATE bits kept as the SPSR encodes them (PAN, UAO, SS, IL, SSBS, BTYPE, TCO, DIT). */
  pstateOther = 0;

  /** SIMD&FP registers V0..V31, 16 bytes each, little-endian element order. */
  readonly vbuf = new ArrayBuffer(32 * 16);
  readonly v32 = new Int32Array(this.vbuf);
  readonly v8 = new Uint8Array(this.vbuf);
  readonly v16 = new Uint16Array(this.vbuf);
  readonly vf32 = new Float32Array(this.vbuf);
  readonly vf64 = new Float64Array(this.vbuf);
  fpcr = 0;
  fpsr = 0;

  /** Exclusive monitor: armed flag and the marked physical address/size. */
  exclusiveArmed = false;
  exclusivePa = 0;
  exclusiveSize = 0;
  /** Values seen by the load-exclusive (compared by store-exclusive for cross-worker atomicity). */
  exclusiveLo = 0;
  exclusiveHi = 0;
  exclusiveLo2 = 0;
  exclusiveHi2 = 0;

  /** Instructions retired (approximate within a block when it exits early). */
  icount = 0;
  /** Set when the CPU sleeps in WFI/WFE; the run loop decides how to wait. */
  halted = false;
  /** Set by ops to make the run loop return (stop requested, fatal error). */
  stopRequested = false;

  /**
   * 0 when SIMD&FP instructions may execute at the current EL; otherwise the EL a
   * SIMD&FP access traps to (CPACR_EL1.FPEN, CPTR_EL2.TFP/FPEN, CPTR_EL3.TFP).
   * Recomputed on every context change; FP/SIMD ops test it first (see fpAccessTrap).
   */
  fpTrap = 0;

  /**
   * SP alignment checking for the current EL (SCTLR_ELx.SA, or SCTLR_EL1.SA0 at EL0):
   * loads/stores with SP as the base must fault when SP is not 16-byte aligned.
   */
  spAlignCheck = false;

  /**
   * IC maintenance: `all` (IC IALLU/IALLUIS) or one line by VA (IC IVAU, given as
   * the PA it translates to, or -1 if unknown). Wired to the block cache.
   */
  onIcMaintenance: (c: Cpu, all: boolean, pa: number) => void = () => {};

  /**
   * DMB (dsb = 0) and DSB (dsb = 1) on multi-vCPU machines (null on one vCPU, where
   * barriers order nothing): see core/smp.
   */
  onBarrier: ((c: Cpu, dsb: number) => void) | null = null;

  /**
   * Exceptions taken by class: [0, 64) synchronous by ESR EC; 64 + 1 IRQ, 64 + 2 FIQ, 64 + 3 SError
   * (takeException; read by the SMP counters).
   */
  readonly excByClass = new Int32Array(68);

  /** SEV on multi-vCPU machines: signal an event to every other PE (core/smp). */
  onSev: ((c: Cpu) => void) | null = null;

  /** Exception levels this vCPU implements (board configuration ∧ CPU model). */
  hasEl2 = false;
  hasEl3 = false;

  /** Exception bookkeeping: recursion detection and counters. */
  lastVecLo = -1;
  lastVecHi = -1;
  lastEsr = -1;
  excStreak = 0;
  excCount = 0;
  /**
   * The last synchronous exception taken from the EL it was taken to, and how many identical
   * ones followed it with no ERET at that EL (exceptions.ts nestedFaultLoop); `el` -1: none.
   */
  readonly nestedFault = { el: -1, vecLo: 0, vecHi: 0, esr: 0, elrLo: 0, elrHi: 0, farLo: 0, farHi: 0, repeats: 0 };

  /**
   * Called after a change of EL or of registers that shape translation (SCTLR, TCR,
   * TTBR, HCR …): the MMU and block cache recompute what they cache. Installed by
   * whoever builds the CPU (see machine.ts).
   */
  onContextChange: (c: Cpu) => void = () => {};

  /**
   * Non-zero when something may need attention at the next block boundary
   * (interrupt lines, timer deadline, stop/pause requests). `checkPending` then
   * runs and returns non-zero if it changed the PC (exception taken).
   */
  pendingCheck = 0;
  checkPending: (c: Cpu) => number = () => 0;

  /**
   * MPIDR_EL1 affinity (Aff3 in bits [31:24], Aff2..Aff0 below) set by the board before reset;
   * -1 gives QEMU virt's layout from `id` (Aff0 = id % 8, Aff1 = id / 8).
   */
  affinity = -1;

  /** The event register (WFE/SEV/SEVL). */
  eventRegister = false;

  /** GIC CPU interface of this vCPU (ICC_* registers, IRQ/FIQ outputs); null: no GIC (ICC_* UNDEFINED). */
  gic: GicCpuInterface | null = null;
  /** The CPU interface's IRQ/FIQ outputs as last computed (exceptions.ts LINE_IRQ | LINE_FIQ). */
  intLines = 0;
  /** Generic timer output lines (bit per TIMER_* in timer.ts) as last driven to the GIC. */
  timerLines = 0;
  /** Host time (env.nowNs scale) at which the next armed timer fires; Infinity when none. */
  timerNextNs = Infinity;
  /** c.icount value at which checkPending polls the timers again (while PENDING_TIMER). */
  timerPollAt = 0;
  /** While halted in WFE: host time at which the WFE completes anyway (0 for WFI). */
  wfeUntilNs = 0;
  /**
   * Event stream for WFE (interrupts.ts wfeEvent): `wfeNs` the next transition of the current
   * WFE (0: not looked at yet), `latchNs` the first transition after the last WFE ended.
   */
  readonly wfeStream = { wfeNs: 0, latchNs: 0 };

  /**
   * TLB maintenance hook (TLBI): receives the decoded operation and operand
   * (sysreg-ops.ts: TlbiOp, TlbiOperand). Null: flush the whole TLB.
   */
  onTlbi: ((c: Cpu, op: TlbiOpInfo, operand: TlbiOperandInfo) => void) | null = null;

  /**
   * Set by the MMU's translate while an AT instruction runs: the translation regime
   * the AT asks for (1 = EL1&0, 2 = EL2, 3 = EL3; stage 1 only or stages 1+2: atStage12),
   * -1 for ordinary accesses. `atAttrs` is where the MMU reports the resulting memory
   * attributes for PAR_EL1 (MAIR-format byte | SH << 8); -1 when it does not.
   */
  atRegime = -1;
  atStage12 = false;
  atAttrs = -1;

  readonly sys: SysRegs;
  /** Scratch for the high word returned by 64-bit helpers (e.g. MemPath.ld64). */
  hi = 0;

  constructor(
    readonly id: number,
    readonly model: CpuModel,
    readonly env: CpuEnv,
    public mem: MemPath,
  ) {
    this.sys = new SysRegs(this);
  }

  /** Set PC (both halves). */
  setPc(lo: number, hi: number): void {
    this.pcLo = lo | 0;
    this.pcHi = hi | 0;
  }

  /** Read X[n] as an unsigned BigInt (slow: tests, tracing, CLI only). */
  getX(n: number): bigint {
    return (BigInt(this.x[2 * n + 1] >>> 0) << 32n) | BigInt(this.x[2 * n] >>> 0);
  }

  /** Write X[n] from a BigInt (slow: loaders, tests, firmware emulation). */
  setX(n: number, v: bigint): void {
    this.x[2 * n] = Number(v & 0xffffffffn) | 0;
    this.x[2 * n + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
  }

  get pc(): bigint {
    return (BigInt(this.pcHi >>> 0) << 32n) | BigInt(this.pcLo >>> 0);
  }

  set pc(v: bigint) {
    this.pcLo = Number(v & 0xffffffffn) | 0;
    this.pcHi = Number((v >> 32n) & 0xffffffffn) | 0;
  }
}
