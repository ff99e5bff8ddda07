/**
 * Shared helpers of the load/store unit tests: a machine whose synchronous
 * exception vector (current EL, SP_ELx) holds HLT #0xF000, so a fault stops the
 * run with ESR/FAR/ELR readable.
 */
import { CODE, HLT_STOP, makeMachine, type MachineOptions, type TestMachine } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { R } from '../../core/a64/sysregs.js';
import { AF, AP_EL0, TableBuilder } from '../helpers/pagetables.js';

export const VEC = 0x4009_0000;
export const RAM_END = 0x4100_0000;
export const GARBAGE = 0xdeadbeefcafef00dn;

export interface Run {
  c: Cpu;
  m: TestMachine;
}

/**
 * With `mmu`, an identity map of RAM with Normal memory (so misaligned accesses
 * work unless SCTLR.A is set) and three special 4 KiB pages (see below).
 */
export interface RunOptions extends MachineOptions {
  mmu?: boolean;
  /** SCTLR_EL1.A: strict alignment checking. */
  alignCheck?: boolean;
}

/** Normal page; the next one is unmapped (translation fault, level 3). */
export const NPAGE = 0x40a0_0000;
export const UNMAPPED = NPAGE + 0x1000;
/** Normal page followed by NOPA, which is mapped to a PA with nothing there (external abort). */
export const NPAGE2 = NPAGE + 0x2000;
export const NOPA = NPAGE + 0x3000;
export const DFSC_TRANS_L3 = 0x07;

function enableIdentityMmu(m: TestMachine): void {
  const tb = new TableBuilder(m, { grain: 12, inputSize: 39, fmt: 'bits48' }, 0x40c0_0000n);
  for (let a = 0x4000_0000n; a < 0x40a0_0000n; a += 0x20_0000n) tb.map(a, a, 2, AF | (3n << 8n));
  // The special pages are also accessible at EL0 (for LDTR/STTR).
  tb.map(BigInt(NPAGE), BigInt(NPAGE), 3, AF | AP_EL0 | (3n << 8n));
  tb.map(BigInt(NPAGE2), BigInt(NPAGE2), 3, AF | AP_EL0 | (3n << 8n));
  tb.map(BigInt(NOPA), BigInt(RAM_END), 3, AF | AP_EL0 | (3n << 8n));
  const c = m.c;
  // T0SZ = 25 (39-bit VA), TG0 = 4K, EPD1, IPS = 48 bits.
  c.sys.set64(R.TCR_EL1, 25n | (1n << 23n) | (5n << 32n));
  c.sys.set64(R.TTBR0_EL1, tb.root);
  c.sys.set64(R.MAIR_EL1, 0xffn);
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  contextChanged(c);
}

/** Place words (+ HLT) at CODE, HLT at the sync vectors (current EL and lower EL), init, run. */
export function run(words: number[], init?: (c: Cpu, m: TestMachine) => void, opts: RunOptions = {}): Run {
  const m = makeMachine(opts);
  m.poke32(CODE, [...words, HLT_STOP]);
  m.poke32(VEC + 0x200, [HLT_STOP]);
  m.poke32(VEC + 0x400, [HLT_STOP]);
  m.c.sys.set(R.VBAR_EL1, VEC, 0);
  if (opts.mmu) enableIdentityMmu(m);
  if (opts.alignCheck) {
    m.c.sys.set(R.SCTLR_EL1, m.c.sys.lo(R.SCTLR_EL1) | 2, 0);
    contextChanged(m.c);
  }
  init?.(m.c, m);
  m.run(100_000);
  return { c: m.c, m };
}

/** ESR_EL1 of the last exception, or -1 if none was taken. */
export function esr(c: Cpu): number {
  return c.excCount === 0 ? -1 : c.sys.lo(R.ESR_EL1) >>> 0;
}

export function far(c: Cpu): bigint {
  return c.sys.get64(R.FAR_EL1);
}

export function elr(c: Cpu): bigint {
  return c.sys.get64(R.ELR_EL1);
}

/** ESR for a data abort at the same EL (EC 0x25, IL) with DFSC and WnR. */
export function dabt(dfsc: number, write = false): number {
  return ((0x25 << 26) | (1 << 25) | (write ? 1 << 6 : 0) | dfsc) >>> 0;
}

export const DFSC_ALIGN = 0x21;
export const DFSC_EXT = 0x10;
export const ESR_UNDEF = (1 << 25) >>> 0;
export const ESR_SP_ALIGN = ((0x26 << 26) | (1 << 25)) >>> 0;
/** Exception class of an ESR value. */
export function ec(esr: number): number {
  return esr >>> 26;
}

/** V register n as [low 64, high 64]. */
export function vreg(c: Cpu, n: number): [bigint, bigint] {
  const w = (i: number) => BigInt(c.v32[4 * n + i] >>> 0);
  return [(w(1) << 32n) | w(0), (w(3) << 32n) | w(2)];
}

export function setV(c: Cpu, n: number, lo: bigint, hi: bigint): void {
  const m = 0xffffffffn;
  c.v32[4 * n] = Number(lo & m) | 0;
  c.v32[4 * n + 1] = Number((lo >> 32n) & m) | 0;
  c.v32[4 * n + 2] = Number(hi & m) | 0;
  c.v32[4 * n + 3] = Number((hi >> 32n) & m) | 0;
}

export function pokeBytes(m: TestMachine, pa: number, bytes: number[]): void {
  m.bus.writeBytes(pa, Uint8Array.from(bytes));
}

export function peekBytes(m: TestMachine, pa: number, n: number): number[] {
  return [...m.bus.readBytes(pa, n)];
}

export { CODE };
