/**
 * AdvSIMD conversions between floating point and fixed point (shift-by-immediate
 * group, opcodes 11100/11111): SCVTF/UCVTF/FCVTZS/FCVTZU, vector and scalar.
 * Encodings from aarch64-linux-gnu-as (text next to each). Expected values: the
 * operand times/over 2^fbits (exact here), truncated toward zero for FCVTZ*, with
 * FPToFixed's saturation (IOC) and FixedToFP's rounding (IXC) where the operands
 * are chosen to need them.
 */
import { describe, expect, it } from 'vitest';
import { CODE, HLT_STOP, makeMachine } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { R } from '../../core/a64/sysregs.js';

const IOC = 1;
const IXC = 1 << 4;
const f2b = (x: number): number => new Int32Array(new Float32Array([x]).buffer)[0];
const d2w = (x: number): [number, number] => {
  const w = new Int32Array(new Float64Array([x]).buffer);
  return [w[0], w[1]];
};
const VBAR = 0x4000_0000;

function run(word: number, v1: number[], fpcr = 0): Cpu {
  const m = makeMachine({ model: 'max' });
  const c = m.c;
  c.sys.set64(R.VBAR_EL1, BigInt(VBAR));
  m.poke32(CODE, [word, HLT_STOP]);
  m.poke32(VBAR + 0x200, [HLT_STOP]);
  for (let i = 0; i < 4; i++) {
    c.v32[4 + i] = v1[i] ?? 0;
    c.v32[i] = 0x5a5a5a5a; // stale destination
  }
  c.fpcr = fpcr;
  m.run(100);
  return c;
}
const words = (c: Cpu, r = 0): number[] => [0, 1, 2, 3].map((i) => c.v32[4 * r + i]);
const undef = (c: Cpu): boolean => c.pc === BigInt(VBAR + 0x200) && c.sys.get64(R.ESR_EL1) >> 26n === 0n;

describe('FCVTZS/FCVTZU (vector, fixed-point)', () => {
  it('fcvtzs v0.4s, v1.4s, #4: scales by 16, truncates, saturates', () => {
    const c = run(0x4f3cfc20, [f2b(1.5), f2b(-2.27), f2b(1e10), 0x7fc00000]);
    expect(words(c)).toEqual([24, -36, 0x7fffffff, 0]);
    expect(c.fpsr & (IOC | IXC)).toBe(IOC | IXC);
  });
  it('fcvtzu v0.2s, v1.2s, #32: 0.5 → 2^31, negative → 0 (IOC), upper half cleared', () => {
    const c = run(0x2f20fc20, [f2b(0.5), f2b(-1), f2b(3), f2b(3)]);
    expect(words(c)).toEqual([0x80000000 | 0, 0, 0, 0]);
    expect(c.fpsr & IOC).toBe(IOC);
  });
  it('fcvtzs d0, d1, #64: 0.25 → 2^62, scalar clears the rest', () => {
    const c = run(0x5f40fc20, [...d2w(0.25), 7, 7]);
    expect(words(c)).toEqual([0, 0x40000000, 0, 0]);
  });
  it('fcvtzu s0, s1, #1: 3.75 → 7 (toward zero whatever FPCR.RMode says)', () => {
    const c = run(0x7f3ffc20, [f2b(3.75), 9, 9, 9], 1 << 22 /* RP */);
    expect(words(c)).toEqual([7, 0, 0, 0]);
    expect(c.fpsr & IXC).toBe(IXC);
  });
});

describe('SCVTF/UCVTF (vector, fixed-point)', () => {
  it('scvtf v0.4s, v1.4s, #4: divides by 16, rounds per FPCR', () => {
    const c = run(0x4f3ce420, [24, -36, 1, 0x7fffffff]);
    expect(words(c)).toEqual([f2b(1.5), f2b(-2.25), f2b(0.0625), f2b(134217728)]);
    expect(c.fpsr & IXC).toBe(IXC);
    const z = run(0x4f3ce420, [0, 0, 0, 0x7fffffff], 3 << 22 /* RZ */);
    expect(z.v32[3]).toBe(f2b(134217720));
  });
  it('ucvtf v0.2d, v1.2d, #60: 2^60 → 1.0, 2^64-1 → 16.0 (rounded)', () => {
    const c = run(0x6f44e420, [0, 0x10000000, -1, -1]);
    expect(words(c)).toEqual([...d2w(1), ...d2w(16)]);
  });
  it('scvtf s0, s1, #3 and ucvtf d0, d1, #1 (scalar)', () => {
    expect(words(run(0x5f3de420, [-8, 5, 5, 5]))).toEqual([f2b(-1), 0, 0, 0]);
    expect(words(run(0x7f7fe420, [3, 0, 5, 5]))).toEqual([...d2w(1.5), 0, 0]);
  });
});

describe('UNDEFINED forms', () => {
  it('2D with Q = 0, and half precision (immh = 001x, FEAT_FP16 not implemented)', () => {
    expect(undef(run(0x2f44e420 /* ucvtf v0.2d with Q=0 */, []))).toBe(true);
    expect(undef(run(0x0f1cfc20 /* fcvtzs v0.4h, v1.4h, #4 */, []))).toBe(true);
    expect(undef(run(0x5f1de420 /* scvtf h0, h1, #3 */, []))).toBe(true);
    expect(undef(run(0x0f3cfc20 /* fcvtzs v0.2s, v1.2s, #4 */, []))).toBe(false);
  });
});
