/**
 * Shared helpers of the load/store unit tests: a machine whose synchronous
 * exception vector (current EL, SP_ELx) holds HLT #0xF000, so a fault stops the
 * run with ESR/FAR/ELR readable.
 */
import { CODE, HLT_STOP, makeMachine, type MachineOptions, type TestMachine } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { R } from '../../core/a64/sysregs.js';

export const VEC = 0x4009_0000;
export const RAM_END = 0x4100_0000;
export const GARBAGE = 0xdeadbeefcafef00dn;

export interface Run {
  c: Cpu;
  m: TestMachine;
}

/** Place words (+ HLT) at CODE, HLT at the sync vector, init, run. */
export function run(words: number[], init?: (c: Cpu, m: TestMachine) => void, opts: MachineOptions = {}): Run {
  const m = makeMachine(opts);
  m.poke32(CODE, [...words, HLT_STOP]);
  m.poke32(VEC + 0x200, [HLT_STOP]);
  m.c.sys.set(R.VBAR_EL1, VEC, 0);
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
export const ESR_FP = ((0x07 << 26) | (1 << 25)) >>> 0;

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
