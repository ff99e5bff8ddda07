/**
 * Shared set-up for the system/exception unit tests: vector tables whose 16 slots
 * each record their index in X28 and stop (`movz x28, #slot; hlt #0xf000`).
 */
import { makeMachine, CODE, HLT_STOP, type MachineOptions, type TestMachine } from '../helpers/cpu.js';
import { R } from '../../core/a64/sysregs.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { contextChanged } from '../../core/a64/exceptions.js';

export const VEC = [0, 0x4020_0000, 0x4020_1000, 0x4020_2000];
export const MOVZ_X28 = 0xd280001c; // movz x28, #0 (imm16 at bit 5)

/** Slot indices: current EL with SP0 (0..3), current EL with SPx (4..7), lower EL AArch64 (8..11). */
export const SLOT_CUR_SP0_SYNC = 0;
export const SLOT_CUR_SPX_SYNC = 4;
export const SLOT_LOWER_SYNC = 8;

export function withVectors(opts: MachineOptions = {}): TestMachine {
  const m = makeMachine(opts);
  for (let el = 1; el <= 3; el++) {
    for (let slot = 0; slot < 16; slot++) m.poke32(VEC[el] + slot * 0x80, [(MOVZ_X28 | (slot << 5)) >>> 0, HLT_STOP]);
    m.c.sys.set(R.VBAR_EL1 + el - 1, VEC[el], 0);
  }
  m.c.setX(28, 0xdeadn);
  return m;
}

/** Run `words` (then HLT) at CODE with vectors installed. */
export function run(words: number[], init?: (c: Cpu, m: TestMachine) => void, opts: MachineOptions = {}): TestMachine {
  const m = withVectors(opts);
  m.poke32(CODE, [...words, HLT_STOP]);
  init?.(m.c, m);
  m.run(100_000);
  return m;
}

export function esr(c: Cpu, el: number): number {
  return c.sys.lo(R.ESR_EL1 + el - 1) >>> 0;
}

export function elr(c: Cpu, el: number): bigint {
  return c.sys.get64(R.ELR_EL1 + el - 1);
}

export function spsr(c: Cpu, el: number): number {
  return c.sys.lo(R.SPSR_EL1 + el - 1) >>> 0;
}

/**
 * Identity MMU for EL1&0 with EL1-only Normal memory over RAM ([1 GiB, 2 GiB) as one level-1
 * block, AP = 00), so EL1 can execute from RAM and DC ZVA sees Normal memory.
 */
export function enableEl1Mmu(m: TestMachine): void {
  const l1 = 0x4000_0000 + 16 * 1024 * 1024 - 0x20000;
  for (let i = 0; i < 512; i++) m.poke64(l1 + 8 * i, 0n);
  m.poke64(l1 + 8, (1n << 30n) | 1n | (1n << 2n) | (3n << 8n) | (1n << 10n));
  const c = m.c;
  c.sys.set64(R.MAIR_EL1, 0xff00n);
  c.sys.set64(R.TCR_EL1, 25n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (1n << 23n) | (1n << 32n));
  c.sys.set64(R.TTBR0_EL1, BigInt(l1));
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  contextChanged(c);
}

export const ec = (v: number): number => v >>> 26;
export const iss = (v: number): number => v & 0x1ffffff;
export { CODE };
