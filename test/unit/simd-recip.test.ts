/**
 * FMULX, FRECPS, FRSQRTS, FRECPE, FRSQRTE (vector, scalar, by element). Encodings from
 * aarch64-linux-gnu-as (text next to each). Expected values: the Arm pseudocode's
 * special cases (0 × ∞ = ±2.0 / 2.0 / 1.5, zero → ∞ with DZC, negative → default NaN
 * for FRSQRTE, tiny → ∞ or MaxNormal by rounding mode), RecipEstimate(256) = 511 (so
 * FRECPE(1.0) = FRSQRTE(1.0) = 511/512), exact step results, and Newton-Raphson
 * refinement converging to 1/x and 1/sqrt(x).
 */
import { describe, expect, it } from 'vitest';
import { CODE, HLT_STOP, makeMachine } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';

const IOC = 1;
const DZC = 2;
const OFC = 4;
const IXC = 16;
const RZ = 3 << 22;

const f2b = (x: number): number => new Int32Array(new Float32Array([x]).buffer)[0];
const b2f = (b: number): number => new Float32Array(new Int32Array([b]).buffer)[0];
const d2w = (x: number): [number, number] => {
  const w = new Int32Array(new Float64Array([x]).buffer);
  return [w[0], w[1]];
};
const w2d = (lo: number, hi: number): number => new Float64Array(new Int32Array([lo, hi]).buffer)[0];

function run(word: number, v1: number[], v2: number[] = [], fpcr = 0): Cpu {
  const m = makeMachine({ model: 'max' });
  m.poke32(CODE, [word, HLT_STOP]);
  for (let i = 0; i < 4; i++) {
    m.c.v32[i] = 0x11111111;
    m.c.v32[4 + i] = v1[i] ?? 0;
    m.c.v32[8 + i] = v2[i] ?? 0;
  }
  m.c.fpcr = fpcr;
  m.run(100);
  return m.c;
}
const out = (c: Cpu): number[] => [0, 1, 2, 3].map((i) => c.v32[i]);
const S = (...xs: number[]): number[] => xs.map(f2b);
const D = (...xs: number[]): number[] => xs.flatMap(d2w);

const FRECPE_4S = 0x4ea1d820; // frecpe v0.4s, v1.4s
const FRSQRTE_4S = 0x6ea1d820; // frsqrte v0.4s, v1.4s
const FRECPS_4S = 0x4e22fc20; // frecps v0.4s, v1.4s, v2.4s
const FRSQRTS_4S = 0x4ea2fc20; // frsqrts v0.4s, v1.4s, v2.4s
const FMULX_4S = 0x4e22dc20; // fmulx v0.4s, v1.4s, v2.4s

describe('FRECPE / FRSQRTE', () => {
  it('frecpe v0.4s: 1.0, 2.0, ±0 (DZC), ∞', () => {
    const c = run(FRECPE_4S, S(1, 2, -0, Infinity));
    expect(out(c)).toEqual(S(511 / 512, 511 / 1024, -Infinity, 0));
    expect(c.fpsr & DZC).toBe(DZC);
  });
  it('frecpe of a value below 2^-128 overflows: ∞ under RN, MaxNormal under RZ (OFC, IXC)', () => {
    const tiny = [0x00000001, 0x80000001 | 0, 0, 0];
    const rn = run(FRECPE_4S, tiny);
    expect(out(rn).slice(0, 2)).toEqual([0x7f800000, 0xff800000 | 0]);
    expect(rn.fpsr & (OFC | IXC)).toBe(OFC | IXC);
    expect(out(run(FRECPE_4S, tiny, [], RZ)).slice(0, 2)).toEqual([0x7f7fffff, 0xff7fffff | 0]);
  });
  it('frsqrte v0.4s: 1.0, 4.0, -1 (default NaN, IOC), +0 (∞, DZC)', () => {
    const c = run(FRSQRTE_4S, S(1, 4, -1, 0));
    expect(out(c)).toEqual([f2b(511 / 512), f2b(511 / 1024), 0x7fc00000, 0x7f800000]);
    expect(c.fpsr & (IOC | DZC)).toBe(IOC | DZC);
  });
  it('estimates are within 1/256 relative of the true value (single and double)', () => {
    const xs = [3, 0.1, 1234.5, 7e-20];
    const rc = out(run(FRECPE_4S, S(...xs)));
    const sc = out(run(FRSQRTE_4S, S(...xs)));
    xs.forEach((x, i) => {
      const fx = Math.fround(x);
      expect(Math.abs(b2f(rc[i]) * fx - 1)).toBeLessThan(1 / 256);
      expect(Math.abs(b2f(sc[i]) * Math.sqrt(fx) - 1)).toBeLessThan(1 / 256);
    });
    const d = out(run(0x5ee1d820 /* frecpe d0, d1 */, D(3e300)));
    expect(Math.abs(w2d(d[0], d[1]) * 3e300 - 1)).toBeLessThan(1 / 256);
    expect(d.slice(2)).toEqual([0, 0]);
    const r = out(run(0x7ee1d820 /* frsqrte d0, d1 */, D(2e-300)));
    expect(Math.abs(w2d(r[0], r[1]) * Math.sqrt(2e-300) - 1)).toBeLessThan(1 / 256);
  });
});

describe('FRECPS / FRSQRTS', () => {
  it('frecps = 2 - a*b, 0 × ∞ = 2.0; frsqrts = (3 - a*b)/2, 0 × ∞ = 1.5', () => {
    expect(out(run(FRECPS_4S, S(2, 3, 0, Infinity), S(0.5, 0.25, -Infinity, 2)))).toEqual(S(1, 1.25, 2, -Infinity));
    expect(out(run(FRSQRTS_4S, S(1.5, 1, -0, 2), S(1, 1, Infinity, 1.5)))).toEqual(S(0.75, 1, 1.5, 0));
  });
  it('frsqrts rounds (3 - a*b)/2 once: 2^64 × -2^64 gives 2^127, not an overflow', () => {
    const c = run(FRSQRTS_4S, S(2 ** 64), S(-(2 ** 64)));
    expect(out(c)[0]).toBe(f2b(2 ** 127));
    expect(c.fpsr & OFC).toBe(0);
    expect(c.fpsr & IXC).toBe(IXC);
  });
  it('the NaN of operand 1 propagates negated (op1 is negated before NaN processing)', () => {
    expect(out(run(FRECPS_4S, [0x7fc00001], [f2b(1)]))[0]).toBe(0xffc00001 | 0);
  });
  it('Newton-Raphson: frecpe then two frecps steps give 1/x to single precision', () => {
    const xs = [3, 0.1, 1234.5, 7e-20];
    let est = out(run(FRECPE_4S, S(...xs)));
    for (let k = 0; k < 3; k++) {
      const step = out(run(FRECPS_4S, S(...xs), est));
      est = est.map((e, i) => f2b(Math.fround(b2f(e) * b2f(step[i]))));
    }
    xs.forEach((x, i) => expect(Math.abs(b2f(est[i]) * Math.fround(x) - 1)).toBeLessThan(2 ** -22));
  });
  it('frecps d0 and frsqrts s0 (scalar forms clear the rest)', () => {
    const d = out(run(0x5e62fc20 /* frecps d0, d1, d2 */, D(4), D(0.25)));
    expect(d).toEqual([...d2w(1), 0, 0]);
    expect(out(run(0x5ea2fc20 /* frsqrts s0, s1, s2 */, S(2, 9), S(0.5, 9)))).toEqual([f2b(1), 0, 0, 0]);
  });
});

describe('FMULX', () => {
  it('fmulx v0.4s: products, and ±0 × ±∞ = ±2.0 without IOC', () => {
    const c = run(FMULX_4S, S(3, 0, -0, Infinity), S(2, Infinity, Infinity, -0));
    expect(out(c)).toEqual(S(6, 2, -2, -2));
    expect(c.fpsr & IOC).toBe(0);
  });
  it('by element and scalar forms', () => {
    expect(out(run(0x6fa29020 /* fmulx v0.4s, v1.4s, v2.s[1] */, S(1, 2, 3, 0), S(9, -Infinity)))).toEqual(
      S(-Infinity, -Infinity, -Infinity, -2),
    );
    expect(out(run(0x7fa29020 /* fmulx s0, s1, v2.s[1] */, S(0, 5), S(9, Infinity)))).toEqual([f2b(2), 0, 0, 0]);
    expect(out(run(0x5e62dc20 /* fmulx d0, d1, d2 */, D(-0), D(Infinity)))).toEqual([...d2w(-2), 0, 0]);
  });
});
