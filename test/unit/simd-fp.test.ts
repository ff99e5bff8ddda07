/**
 * Advanced SIMD floating point. Encodings from aarch64-linux-gnu-as (text next to each).
 * Expected values: JS double arithmetic rounded with Math.fround where that is exactly
 * the IEEE single result for the chosen operands (exact sums/products), and bit
 * patterns written out for NaNs, infinities and saturation (Arm ARM FPProcessNaN,
 * FPToFixed, FPDefaultNaN).
 */
import { describe, it, expect } from 'vitest';
import { runCode } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';

const IOC = 1;
const IXC = 1 << 4;
const OFC = 1 << 2;
const DN = 1 << 25;

const f2b = (x: number): number => new Int32Array(new Float32Array([x]).buffer)[0];
const b2f = (b: number): number => new Float32Array(new Int32Array([b]).buffer)[0];
const d2b = (x: number): [number, number] => {
  const w = new Int32Array(new Float64Array([x]).buffer);
  return [w[0], w[1]];
};

/** Sets V[r] to four single-precision lanes given as bit patterns. */
function setS(c: Cpu, r: number, bits: number[]): void {
  for (let i = 0; i < 4; i++) c.v32[4 * r + i] = bits[i] ?? 0;
}
function setD(c: Cpu, r: number, xs: number[]): void {
  xs.forEach((x, i) => {
    const [lo, hi] = d2b(x);
    c.v32[4 * r + 2 * i] = lo;
    c.v32[4 * r + 2 * i + 1] = hi;
  });
}
const words = (c: Cpu, r: number): number[] => [0, 1, 2, 3].map((i) => c.v32[4 * r + i]);
const dbl = (c: Cpu, r: number, i: number): number => new Float64Array(c.vbuf, 16 * r + 8 * i, 1)[0];

const QNAN_P = 0x7fc12345; // quiet NaN with a payload
const SNAN_P = 0x7f812345; // signalling NaN with a payload
const SNAN_Q = 0x7fc12345; // ... quietened
const NEG_QNAN = 0xffc00042 | 0;

const V1 = [1.5, -2.25, 3, 1e10].map(f2b);
const V2 = [0.25, 4, -3, 1e10].map(f2b);

function run(words_: number[], init?: (c: Cpu) => void): Cpu {
  return runCode(words_, (c) => {
    setS(c, 1, V1);
    setS(c, 2, V2);
    setS(c, 0, [0x11111111, 0x22222222, 0x33333333, 0x44444444]);
    init?.(c);
  });
}

const fl = (a: number[], b: number[], f: (x: number, y: number) => number): number[] =>
  a.map((x, i) => f2b(Math.fround(f(b2f(x), b2f(b[i])))));

describe('three same (single)', () => {
  const cases: [number, string, number[]][] = [
    [0x4e22d420 /* fadd v0.4s, v1.4s, v2.4s */, 'fadd', fl(V1, V2, (x, y) => x + y)],
    [0x4ea2d420 /* fsub v0.4s, v1.4s, v2.4s */, 'fsub', fl(V1, V2, (x, y) => x - y)],
    [0x6e22dc20 /* fmul v0.4s, v1.4s, v2.4s */, 'fmul', fl(V1, V2, (x, y) => x * y)],
    [0x6e22fc20 /* fdiv v0.4s, v1.4s, v2.4s */, 'fdiv', fl(V1, V2, (x, y) => x / y)],
    [0x6ea2d420 /* fabd v0.4s, v1.4s, v2.4s */, 'fabd', fl(V1, V2, (x, y) => Math.abs(x - y))],
    [0x4e22f420 /* fmax v0.4s, v1.4s, v2.4s */, 'fmax', fl(V1, V2, Math.max)],
    [0x4ea2f420 /* fmin v0.4s, v1.4s, v2.4s */, 'fmin', fl(V1, V2, Math.min)],
    [0x4e22c420 /* fmaxnm v0.4s, v1.4s, v2.4s */, 'fmaxnm', fl(V1, V2, Math.max)],
    [0x4ea2c420 /* fminnm v0.4s, v1.4s, v2.4s */, 'fminnm', fl(V1, V2, Math.min)],
    [0x4e22e420 /* fcmeq v0.4s, v1.4s, v2.4s */, 'fcmeq', [0, 0, 0, -1]],
    [0x6e22e420 /* fcmge v0.4s, v1.4s, v2.4s */, 'fcmge', [-1, 0, -1, -1]],
    [0x6ea2e420 /* fcmgt v0.4s, v1.4s, v2.4s */, 'fcmgt', [-1, 0, -1, 0]],
    [0x6e22ec20 /* facge v0.4s, v1.4s, v2.4s */, 'facge', [-1, 0, -1, -1]],
    [0x6ea2ec20 /* facgt v0.4s, v1.4s, v2.4s */, 'facgt', [-1, 0, 0, 0]],
    [0x0e22d420 /* fadd v0.2s, v1.2s, v2.2s */, 'fadd 2s', [...fl(V1, V2, (x, y) => x + y).slice(0, 2), 0, 0]],
    [
      0x4e22cc20 /* fmla v0.4s, v1.4s, v2.4s */,
      'fmla',
      [0x11111111, 0x22222222, 0x33333333, 0x44444444].map((d, i) => f2b(Math.fround(b2f(d) + b2f(V1[i]) * b2f(V2[i])))),
    ],
    [
      0x6e22d420 /* faddp v0.4s, v1.4s, v2.4s */,
      'faddp',
      [V1[0], V1[2], V2[0], V2[2]].map((x, i) => f2b(Math.fround(b2f(x) + b2f([V1[1], V1[3], V2[1], V2[3]][i])))),
    ],
    [0x6e22f420 /* fmaxp v0.4s, v1.4s, v2.4s */, 'fmaxp', [V1[0], V1[3], V2[1], V2[3]]],
    [0x2ea2f420 /* fminp v0.2s, v1.2s, v2.2s */, 'fminp 2s', [V1[1], V2[0], 0, 0]],
    [0x6e22c420 /* fmaxnmp v0.4s, v1.4s, v2.4s */, 'fmaxnmp', [V1[0], V1[3], V2[1], V2[3]]],
    [0x6ea2c420 /* fminnmp v0.4s, v1.4s, v2.4s */, 'fminnmp', [V1[1], V1[2], V2[0], V2[2]]],
  ];
  for (const [w, name, exp] of cases) it(name, () => expect(words(run([w]), 0)).toEqual(exp));
  it('fmla is fused (one rounding)', () => {
    const a = f2b(1 + 2 ** -23);
    const d = f2b(-(1 + 2 ** -22));
    const c = run([0x4e22cc20 /* fmla v0.4s, v1.4s, v2.4s */], (cc) => {
      setS(cc, 1, [a, a, a, a]);
      setS(cc, 2, [a, a, a, a]);
      setS(cc, 0, [d, d, d, d]);
    });
    expect(words(c, 0).map(b2f)).toEqual([2 ** -46, 2 ** -46, 2 ** -46, 2 ** -46]);
  });
  it('fmls negates the first operand', () => {
    const c = run([0x4ea2cc20 /* fmls v0.4s, v1.4s, v2.4s */], (cc) => setS(cc, 0, [1, 2, 3, 4].map(f2b)));
    expect(words(c, 0)).toEqual([1, 2, 3, 4].map((d, i) => f2b(Math.fround(d - b2f(V1[i]) * b2f(V2[i])))));
  });
  it('overlapping Vd = Vn = Vm', () => {
    const c = run([0x4e21d421 /* fadd v1.4s, v1.4s, v1.4s */]);
    expect(words(c, 1)).toEqual(fl(V1, V1, (x, y) => x + y));
  });
  it('inexact results set FPSR.IXC', () => {
    const c = run([0x6e22fc20 /* fdiv v0.4s, v1.4s, v2.4s */], (cc) => setS(cc, 2, [3, 3, 3, 3].map(f2b)));
    expect(c.fpsr & IXC).toBe(IXC);
  });
});

describe('NaNs keep their bits', () => {
  it('fadd propagates a quiet NaN payload, quietens a signalling NaN (IOC)', () => {
    const c = run([0x4e22d420 /* fadd v0.4s, v1.4s, v2.4s */], (cc) => {
      setS(cc, 1, [QNAN_P, SNAN_P, NEG_QNAN, f2b(1)]);
      setS(cc, 2, [f2b(1), f2b(1), f2b(2), QNAN_P]);
    });
    expect(words(c, 0)).toEqual([QNAN_P, SNAN_Q, NEG_QNAN, QNAN_P]);
    expect(c.fpsr & IOC).toBe(IOC);
  });
  it('FPCR.DN gives the default NaN', () => {
    const c = run([0x6e22dc20 /* fmul v0.4s, v1.4s, v2.4s */], (cc) => {
      cc.fpcr = DN;
      setS(cc, 1, [QNAN_P, f2b(1), f2b(0), f2b(2)]);
      setS(cc, 2, [f2b(1), f2b(1), f2b(Infinity), f2b(3)]);
    });
    expect(words(c, 0)).toEqual([0x7fc00000, f2b(1), 0x7fc00000, f2b(6)]);
  });
  it('fabs/fneg only touch the sign bit', () => {
    const c = run([0x4ea0f820 /* fabs v0.4s, v1.4s */, 0x6ea0f823 /* fneg v3.4s, v1.4s */], (cc) =>
      setS(cc, 1, [NEG_QNAN, SNAN_P, f2b(-0), f2b(-5)]),
    );
    expect(words(c, 0)).toEqual([NEG_QNAN & 0x7fffffff, SNAN_P, 0, f2b(5)]);
    expect(words(c, 3)).toEqual([0x7fc00042, SNAN_P | 0x80000000, 0, f2b(5)]);
    expect(c.fpsr & IOC).toBe(0);
  });
  it('fmaxnm prefers the number to a quiet NaN; fmax returns the NaN', () => {
    const c = run([0x4e22c420 /* fmaxnm v0.4s, v1.4s, v2.4s */, 0x4e22f423 /* fmax v3.4s, v1.4s, v2.4s */], (cc) => {
      setS(cc, 1, [QNAN_P, f2b(1), f2b(-0), f2b(0)]);
      setS(cc, 2, [f2b(-7), QNAN_P, f2b(0), f2b(-0)]);
    });
    expect(words(c, 0)).toEqual([f2b(-7), f2b(1), 0, 0]);
    expect(words(c, 3)).toEqual([QNAN_P, QNAN_P, 0, 0]);
  });
  it('fcmeq is quiet on quiet NaNs; fcmge signals', () => {
    const c1 = run([0x4e22e420 /* fcmeq v0.4s, v1.4s, v2.4s */], (cc) => setS(cc, 1, [QNAN_P, QNAN_P, QNAN_P, QNAN_P]));
    expect(words(c1, 0)).toEqual([0, 0, 0, 0]);
    expect(c1.fpsr & IOC).toBe(0);
    const c2 = run([0x6e22e420 /* fcmge v0.4s, v1.4s, v2.4s */], (cc) => setS(cc, 1, [QNAN_P, QNAN_P, QNAN_P, QNAN_P]));
    expect(words(c2, 0)).toEqual([0, 0, 0, 0]);
    expect(c2.fpsr & IOC).toBe(IOC);
  });
});

describe('compare against zero', () => {
  const Z = [f2b(-1), f2b(0), f2b(-0), f2b(2)];
  const cases: [number, string, number[]][] = [
    [0x4ea0d820 /* fcmeq v0.4s, v1.4s, #0.0 */, 'fcmeq', [0, -1, -1, 0]],
    [0x6ea0c820 /* fcmge v0.4s, v1.4s, #0.0 */, 'fcmge', [0, -1, -1, -1]],
    [0x4ea0c820 /* fcmgt v0.4s, v1.4s, #0.0 */, 'fcmgt', [0, 0, 0, -1]],
    [0x6ea0d820 /* fcmle v0.4s, v1.4s, #0.0 */, 'fcmle', [-1, -1, -1, 0]],
    [0x4ea0e820 /* fcmlt v0.4s, v1.4s, #0.0 */, 'fcmlt', [-1, 0, 0, 0]],
    [0x0ea0e820 /* fcmlt v0.2s, v1.2s, #0.0 */, 'fcmlt 2s', [-1, 0, 0, 0]],
  ];
  for (const [w, name, exp] of cases)
    it(name, () =>
      expect(
        words(
          run([w], (c) => setS(c, 1, Z)),
          0,
        ),
      ).toEqual(exp),
    );
});

describe('double precision', () => {
  it('fadd/fmul/fdiv/fsqrt 2d', () => {
    const c = run(
      [
        0x4e62d420 /* fadd v0.2d, v1.2d, v2.2d */, 0x6e62dc23 /* fmul v3.2d, v1.2d, v2.2d */, 0x6e62fc24 /* fdiv v4.2d, v1.2d, v2.2d */,
        0x6ee1f845 /* fsqrt v5.2d, v2.2d */,
      ],
      (cc) => {
        setD(cc, 1, [1.1, -3]);
        setD(cc, 2, [2.2, 16]);
      },
    );
    expect([dbl(c, 0, 0), dbl(c, 0, 1)]).toEqual([1.1 + 2.2, 13]);
    expect([dbl(c, 3, 0), dbl(c, 3, 1)]).toEqual([1.1 * 2.2, -48]);
    expect([dbl(c, 4, 0), dbl(c, 4, 1)]).toEqual([1.1 / 2.2, -3 / 16]);
    expect([dbl(c, 5, 0), dbl(c, 5, 1)]).toEqual([Math.sqrt(2.2), 4]);
  });
  it('fcmgt 2d and fabd 2d', () => {
    const c = run([0x6ee2e420 /* fcmgt v0.2d, v1.2d, v2.2d */, 0x6ee2d423 /* fabd v3.2d, v1.2d, v2.2d */], (cc) => {
      setD(cc, 1, [5, -1]);
      setD(cc, 2, [4, 1]);
    });
    expect(words(c, 0)).toEqual([-1, -1, 0, 0]);
    expect([dbl(c, 3, 0), dbl(c, 3, 1)]).toEqual([1, 2]);
  });
  it('faddp d0, v1.2d and faddp s0, v1.2s', () => {
    const c = run([0x7e70d860 /* faddp d0, v3.2d */, 0x7e30d824 /* faddp s4, v1.2s */], (cc) => setD(cc, 3, [0.5, 0.25]));
    expect(words(c, 0).slice(2)).toEqual([0, 0]);
    expect(dbl(c, 0, 0)).toBe(0.75);
    expect(words(c, 4)).toEqual([f2b(1.5 - 2.25), 0, 0, 0]);
  });
  it('fmaxp/fminnmp scalar', () => {
    const c = run([0x7e30f820 /* fmaxp s0, v1.2s */, 0x7ef0c883 /* fminnmp d3, v4.2d */], (cc) => setD(cc, 4, [7, -7]));
    expect(words(c, 0)).toEqual([V1[0], 0, 0, 0]);
    expect(dbl(c, 3, 0)).toBe(-7);
  });
  it('fneg 2d keeps NaN payload bits', () => {
    const c = run([0x6ee0f820 /* fneg v0.2d, v1.2d */], (cc) => setS(cc, 1, [0x1234, 0x7ff01234, 0, 0]));
    expect(words(c, 0)).toEqual([0x1234, 0xfff01234 | 0, 0, 0x80000000 | 0]);
  });
});

describe('by element', () => {
  it('fmul v0.4s, v1.4s, v2.s[1]', () => {
    const c = run([0x4fa29020 /* fmul v0.4s, v1.4s, v2.s[1] */]);
    expect(words(c, 0)).toEqual(V1.map((x) => f2b(Math.fround(b2f(x) * 4))));
  });
  it('fmla v0.2s, v1.2s, v2.s[3] (zeroes the top half)', () => {
    const c = run([0x0fa21820 /* fmla v0.2s, v1.2s, v2.s[3] */], (cc) => setS(cc, 0, [f2b(1), f2b(2), -1, -1]));
    expect(words(c, 0)).toEqual([f2b(Math.fround(1 + 1.5 * 1e10)), f2b(Math.fround(2 - 2.25 * Math.fround(1e10))), 0, 0]);
  });
  it('fmls v0.2d, v1.2d, v2.d[1]', () => {
    const c = run([0x4fc25820 /* fmls v0.2d, v1.2d, v2.d[1] */], (cc) => {
      setD(cc, 0, [10, 20]);
      setD(cc, 1, [2, 3]);
      setD(cc, 2, [100, 4]);
    });
    expect([dbl(c, 0, 0), dbl(c, 0, 1)]).toEqual([2, 8]);
  });
  it('fmul s0, s1, v2.s[2] and fmla d0, d1, v2.d[0]', () => {
    const c = run([0x5f829820 /* fmul s0, s1, v2.s[2] */, 0x5fc51083 /* fmla d3, d4, v5.d[0] */], (cc) => {
      setD(cc, 3, [1, 99]);
      setD(cc, 4, [3, 99]);
      setD(cc, 5, [0.5, 99]);
    });
    expect(words(c, 0)).toEqual([f2b(-4.5), 0, 0, 0]);
    expect(dbl(c, 3, 0)).toBe(2.5);
    expect(words(c, 3).slice(2)).toEqual([0, 0]);
  });
  it('element register equal to the destination is read before writing', () => {
    const c = run([0x4f829022 /* fmul v2.4s, v1.4s, v2.s[0] */]);
    expect(words(c, 2)).toEqual(V1.map((x) => f2b(Math.fround(b2f(x) * 0.25))));
  });
});

describe('across lanes', () => {
  it('fmaxv/fminv/fmaxnmv/fminnmv', () => {
    const c = run(
      [
        0x6e30f820 /* fmaxv s0, v1.4s */, 0x6eb0f823 /* fminv s3, v1.4s */, 0x6e30c8a4 /* fmaxnmv s4, v5.4s */,
        0x6eb0c8a6 /* fminnmv s6, v5.4s */,
      ],
      (cc) => setS(cc, 5, [QNAN_P, f2b(3), f2b(-8), f2b(1)]),
    );
    expect(words(c, 0)).toEqual([f2b(1e10), 0, 0, 0]);
    expect(words(c, 3)).toEqual([f2b(-2.25), 0, 0, 0]);
    expect(words(c, 4)).toEqual([f2b(3), 0, 0, 0]);
    expect(words(c, 6)).toEqual([f2b(-8), 0, 0, 0]);
  });
});

describe('conversions and rounding', () => {
  const X = [2.5, -2.5, 3.7, -0.4].map(f2b);
  const cases: [number, string, number[]][] = [
    [0x4e218820 /* frintn v0.4s, v1.4s */, 'frintn', [2, -2, 4, -0].map(f2b)],
    [0x6e218820 /* frinta v0.4s, v1.4s */, 'frinta', [3, -3, 4, -0].map(f2b)],
    [0x4ea18820 /* frintp v0.4s, v1.4s */, 'frintp', [3, -2, 4, -0].map(f2b)],
    [0x4e219820 /* frintm v0.4s, v1.4s */, 'frintm', [2, -3, 3, -1].map(f2b)],
    [0x4ea19820 /* frintz v0.4s, v1.4s */, 'frintz', [2, -2, 3, -0].map(f2b)],
    [0x6ea19820 /* frinti v0.4s, v1.4s */, 'frinti', [2, -2, 4, -0].map(f2b)],
    [0x6e219820 /* frintx v0.4s, v1.4s */, 'frintx', [2, -2, 4, -0].map(f2b)],
    [0x4ea1b820 /* fcvtzs v0.4s, v1.4s */, 'fcvtzs', [2, -2, 3, 0]],
    [0x6ea1b820 /* fcvtzu v0.4s, v1.4s */, 'fcvtzu', [2, 0, 3, 0]],
    [0x4e21a820 /* fcvtns v0.4s, v1.4s */, 'fcvtns', [2, -2, 4, 0]],
    [0x4e21c820 /* fcvtas v0.4s, v1.4s */, 'fcvtas', [3, -3, 4, 0]],
    [0x4e21b820 /* fcvtms v0.4s, v1.4s */, 'fcvtms', [2, -3, 3, -1]],
    [0x4ea1a820 /* fcvtps v0.4s, v1.4s */, 'fcvtps', [3, -2, 4, 0]],
    [0x2e21a820 /* fcvtnu v0.2s, v1.2s */, 'fcvtnu 2s', [2, 0, 0, 0]],
  ];
  for (const [w, name, exp] of cases)
    it(name, () =>
      expect(
        words(
          run([w], (c) => setS(c, 1, X)),
          0,
        ),
      ).toEqual(exp),
    );
  it('fcvtzs saturates and gives 0 for NaN with IOC', () => {
    const c = run([0x4ea1b820 /* fcvtzs v0.4s, v1.4s */], (cc) => setS(cc, 1, [f2b(1e20), f2b(-1e20), QNAN_P, f2b(-2147483648)]));
    expect(words(c, 0)).toEqual([0x7fffffff, 0x80000000 | 0, 0, 0x80000000 | 0]);
    expect(c.fpsr & IOC).toBe(IOC);
  });
  it('fcvtzu 2d and fcvtzs d0, d1', () => {
    const c = run([0x6ee1b820 /* fcvtzu v0.2d, v1.2d */, 0x5ee1b883 /* fcvtzs d3, d4 */], (cc) => {
      setD(cc, 1, [4294967296.5, -1]);
      setD(cc, 4, [-8589934593.9, 5]);
    });
    expect(words(c, 0)).toEqual([0, 1, 0, 0]);
    expect(words(c, 3)).toEqual([-1, -3, 0, 0]);
  });
  it('scvtf/ucvtf 4s and 2d', () => {
    const c = run(
      [
        0x4e21d820 /* scvtf v0.4s, v1.4s */, 0x6e21d823 /* ucvtf v3.4s, v1.4s */, 0x4e61d8a4 /* scvtf v4.2d, v5.2d */,
        0x7e21d826 /* ucvtf s6, s1 */,
      ],
      (cc) => {
        setS(cc, 1, [-1, 16777217, 0x7fffffff, 5]);
        setS(cc, 5, [-2, -1, 3, 0]);
      },
    );
    expect(words(c, 0)).toEqual([-1, 16777216, 2147483648, 5].map(f2b));
    expect(words(c, 3)).toEqual([4294967296, 16777216, 2147483648, 5].map(f2b));
    expect([dbl(c, 4, 0), dbl(c, 4, 1)]).toEqual([-2, 3]);
    expect(words(c, 6)).toEqual([f2b(4294967296), 0, 0, 0]);
  });
  it('fcvtl/fcvtl2/fcvtn/fcvtn2 between single and double', () => {
    const c = run(
      [
        0x0e617820 /* fcvtl v0.2d, v1.2s */, 0x4e617823 /* fcvtl2 v3.2d, v1.4s */, 0x0e616804 /* fcvtn v4.2s, v0.2d */,
        0x4e616864 /* fcvtn2 v4.4s, v3.2d */,
      ],
      (cc) => setS(cc, 4, [-1, -1, -1, -1]),
    );
    expect([dbl(c, 0, 0), dbl(c, 0, 1)]).toEqual([1.5, -2.25]);
    expect([dbl(c, 3, 0), dbl(c, 3, 1)]).toEqual([3, Math.fround(1e10)]);
    expect(words(c, 4)).toEqual(V1);
  });
  it('fcvtl/fcvtn between half and single', () => {
    const c = run(
      [0x0e217820 /* fcvtl v0.4s, v1.4h */, 0x4e216801 /* fcvtn2 v1.8h, v0.4s */, 0x0e216843 /* fcvtn v3.4h, v2.4s */],
      (cc) => {
        setS(cc, 1, [0xc1003c00 | 0, 0x7e007bff, 0, 0]); // halves 1.0, -2.5, 65504, NaN
        setS(cc, 2, [f2b(1e6), f2b(0.1), f2b(-0), f2b(2)]);
      },
    );
    expect(words(c, 0)).toEqual([f2b(1), f2b(-2.5), f2b(65504), 0x7fc00000]);
    expect(words(c, 1)).toEqual([0xc1003c00 | 0, 0x7e007bff, 0xc1003c00 | 0, 0x7e007bff]);
    expect(words(c, 3)).toEqual([0x2e667c00, 0x40008000, 0, 0]);
    expect(c.fpsr & (OFC | IXC)).toBe(OFC | IXC);
  });
  it('fsqrt of a negative is the default NaN with IOC', () => {
    const c = run([0x6ea1f820 /* fsqrt v0.4s, v1.4s */]);
    expect(words(c, 0)).toEqual([f2b(Math.sqrt(1.5)), 0x7fc00000, f2b(Math.sqrt(3)), f2b(100000)]);
    expect(c.fpsr & IOC).toBe(IOC);
  });
});

describe('scalar compares and FABD', () => {
  it('fcmeq s0, s1, s2 / fcmgt d0, d1, #0.0 / fabd s0, s1, s2', () => {
    const c = run(
      [
        0x7ea2e420 /* fcmgt s0, s1, s2 */, 0x5ee0e883 /* fcmlt d3, d4, #0.0 */, 0x7ea2d425 /* fabd s5, s1, s2 */,
        0x7ea1ec46 /* facgt s6, s2, s1 */,
      ],
      (cc) => setD(cc, 4, [-1, 1]),
    );
    expect(words(c, 0)).toEqual([-1, 0, 0, 0]);
    expect(words(c, 3)).toEqual([-1, -1, 0, 0]);
    expect(words(c, 5)).toEqual([f2b(1.25), 0, 0, 0]);
    expect(words(c, 6)).toEqual([0, 0, 0, 0]);
  });
});
