/**
 * Advanced SIMD integer data processing. Each case is the assembler's encoding of the
 * instruction text next to it; the test parses the arrangement from that text and
 * computes the expected lanes with BigInt reference functions written from the Arm
 * ARM pseudocode (independently of core/a64/exec/simd*.ts).
 * Inputs: V1 = A, V2 = B, V0 = D (destination's previous value), V3 = C.
 */
import { describe, it, expect } from 'vitest';
import { runCode } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { QC, getV, setV } from '../helpers/vreg.js';

const A = 0x807f01ff_00fe8081_7fffffff_80000000n;
const B = 0x01ff807f_ff0180fe_80000001_7fffffffn;
const D = 0x11223344_55667788_99aabbcc_ddeeff00n;
const C = 0xfedcba98_76543210_0123456f_8899aabbn;
const M128 = (1n << 128n) - 1n;

const mask = (e: number): bigint => (1n << BigInt(e)) - 1n;
const lane = (x: bigint, e: number, i: number): bigint => (x >> BigInt(e * i)) & mask(e);
const sx = (v: bigint, e: number): bigint => (v >> BigInt(e - 1) ? v - (1n << BigInt(e)) : v);
function join(ls: bigint[], e: number): bigint {
  let r = 0n;
  ls.forEach((l, i) => (r |= (l & mask(e)) << BigInt(e * i)));
  return r;
}
function satS(v: bigint, e: number): [bigint, boolean] {
  const max = (1n << BigInt(e - 1)) - 1n;
  if (v > max) return [max, true];
  if (v < -max - 1n) return [-max - 1n, true];
  return [v, false];
}
function satU(v: bigint, e: number): [bigint, boolean] {
  if (v > mask(e)) return [mask(e), true];
  if (v < 0n) return [0n, true];
  return [v, false];
}
const ES: Record<string, number> = { b: 8, h: 16, s: 32, d: 64 };
/** Arrangement "4s" → [count, esize]. */
function arr(t: string): [number, number] {
  const m = /^(\d+)([bhsd])$/.exec(t)!;
  return [Number(m[1]), ES[m[2]]];
}
const ops = (text: string): string[] => text.replace(/^\S+\s+/, '').split(/,\s*/);
const mnem = (text: string): string => text.split(/\s/)[0];

type Res = bigint | [bigint, boolean];
type Bin = (a: bigint, b: bigint, d: bigint, e: number) => Res;
const abs = (v: bigint): bigint => (v < 0n ? -v : v);
const shiftBy = (a: bigint, b: bigint): bigint => {
  const sh = sx(b & 0xffn, 8);
  return sh >= 0n ? a << sh : a >> -sh;
};

const REF3: Record<string, Bin> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  mla: (a, b, d) => d + a * b,
  mls: (a, b, d) => d - a * b,
  cmeq: (a, b) => (a === b ? -1n : 0n),
  cmtst: (a, b) => ((a & b) !== 0n ? -1n : 0n),
  cmgt: (a, b, _d, e) => (sx(a, e) > sx(b, e) ? -1n : 0n),
  cmge: (a, b, _d, e) => (sx(a, e) >= sx(b, e) ? -1n : 0n),
  cmhi: (a, b) => (a > b ? -1n : 0n),
  cmhs: (a, b) => (a >= b ? -1n : 0n),
  smax: (a, b, _d, e) => (sx(a, e) > sx(b, e) ? a : b),
  smin: (a, b, _d, e) => (sx(a, e) < sx(b, e) ? a : b),
  umax: (a, b) => (a > b ? a : b),
  umin: (a, b) => (a < b ? a : b),
  sabd: (a, b, _d, e) => abs(sx(a, e) - sx(b, e)),
  uabd: (a, b) => abs(a - b),
  saba: (a, b, d, e) => d + abs(sx(a, e) - sx(b, e)),
  uaba: (a, b, d) => d + abs(a - b),
  sqadd: (a, b, _d, e) => satS(sx(a, e) + sx(b, e), e),
  uqadd: (a, b, _d, e) => satU(a + b, e),
  sqsub: (a, b, _d, e) => satS(sx(a, e) - sx(b, e), e),
  uqsub: (a, b, _d, e) => satU(a - b, e),
  sshl: (a, b, _d, e) => shiftBy(sx(a, e), b),
  ushl: (a, b) => shiftBy(a, b),
  shadd: (a, b, _d, e) => (sx(a, e) + sx(b, e)) >> 1n,
  uhadd: (a, b) => (a + b) >> 1n,
  srhadd: (a, b, _d, e) => (sx(a, e) + sx(b, e) + 1n) >> 1n,
  urhadd: (a, b) => (a + b + 1n) >> 1n,
  shsub: (a, b, _d, e) => (sx(a, e) - sx(b, e)) >> 1n,
  uhsub: (a, b) => (a - b) >> 1n,
  pmul: (a, b) => {
    let r = 0n;
    for (let i = 0n; i < 8n; i++) if ((b >> i) & 1n) r ^= a << i;
    return r;
  },
};

/** Runs `word` with V0 = D, V1 = A, V2 = B, V3 = C; returns the CPU. */
function run(word: number, init?: (c: Cpu) => void): Cpu {
  return runCode([word], (c) => {
    setV(c, 0, D);
    setV(c, 1, A);
    setV(c, 2, B);
    setV(c, 3, C);
    init?.(c);
  });
}

/** Expected Vd for a lane-wise op over `count` lanes of `e` bits (scalar: clear the rest). */
function lanewise(count: number, e: number, f: (i: number) => Res): [bigint, boolean] {
  let q = false;
  const ls: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const r = f(i);
    if (Array.isArray(r)) {
      ls.push(r[0]);
      q ||= r[1];
    } else ls.push(r);
  }
  return [join(ls, e), q];
}

function check(word: number, text: string, expected: bigint, qc: boolean, c = run(word)): void {
  expect(getV(c, 0).toString(16), text).toBe((expected & M128).toString(16));
  expect((c.fpsr & QC) !== 0, `${text} QC`).toBe(qc);
}

// ---- three same ----------------------------------------------------------------------------

const SAME_CASES: [number, string][] = [
  [0x4e228420, 'add v0.16b, v1.16b, v2.16b'],
  [0x0e228420, 'add v0.8b, v1.8b, v2.8b'],
  [0x0e628420, 'add v0.4h, v1.4h, v2.4h'],
  [0x4ea28420, 'add v0.4s, v1.4s, v2.4s'],
  [0x4ee28420, 'add v0.2d, v1.2d, v2.2d'],
  [0x6e628420, 'sub v0.8h, v1.8h, v2.8h'],
  [0x2ea28420, 'sub v0.2s, v1.2s, v2.2s'],
  [0x6ee28420, 'sub v0.2d, v1.2d, v2.2d'],
  [0x4e229c20, 'mul v0.16b, v1.16b, v2.16b'],
  [0x4e629c20, 'mul v0.8h, v1.8h, v2.8h'],
  [0x4ea29c20, 'mul v0.4s, v1.4s, v2.4s'],
  [0x0ea29c20, 'mul v0.2s, v1.2s, v2.2s'],
  [0x0e229420, 'mla v0.8b, v1.8b, v2.8b'],
  [0x4ea29420, 'mla v0.4s, v1.4s, v2.4s'],
  [0x6e629420, 'mls v0.8h, v1.8h, v2.8h'],
  [0x2ea29420, 'mls v0.2s, v1.2s, v2.2s'],
  [0x6e228c20, 'cmeq v0.16b, v1.16b, v2.16b'],
  [0x6ee18c20, 'cmeq v0.2d, v1.2d, v1.2d'],
  [0x6ea28c20, 'cmeq v0.4s, v1.4s, v2.4s'],
  [0x4e223420, 'cmgt v0.16b, v1.16b, v2.16b'],
  [0x4ea23420, 'cmgt v0.4s, v1.4s, v2.4s'],
  [0x4ee23420, 'cmgt v0.2d, v1.2d, v2.2d'],
  [0x4ee13440, 'cmgt v0.2d, v2.2d, v1.2d'],
  [0x4e623c20, 'cmge v0.8h, v1.8h, v2.8h'],
  [0x4ee23c20, 'cmge v0.2d, v1.2d, v2.2d'],
  [0x4ee13c20, 'cmge v0.2d, v1.2d, v1.2d'],
  [0x6e223420, 'cmhi v0.16b, v1.16b, v2.16b'],
  [0x2ea23420, 'cmhi v0.2s, v1.2s, v2.2s'],
  [0x6ee23420, 'cmhi v0.2d, v1.2d, v2.2d'],
  [0x6ee13440, 'cmhi v0.2d, v2.2d, v1.2d'],
  [0x2e623c20, 'cmhs v0.4h, v1.4h, v2.4h'],
  [0x6ee23c20, 'cmhs v0.2d, v1.2d, v2.2d'],
  [0x6ee33c60, 'cmhs v0.2d, v3.2d, v3.2d'],
  [0x4e228c20, 'cmtst v0.16b, v1.16b, v2.16b'],
  [0x4ee28c20, 'cmtst v0.2d, v1.2d, v2.2d'],
  [0x0e628c60, 'cmtst v0.4h, v3.4h, v2.4h'],
  [0x4e226420, 'smax v0.16b, v1.16b, v2.16b'],
  [0x4ea26420, 'smax v0.4s, v1.4s, v2.4s'],
  [0x4e626c20, 'smin v0.8h, v1.8h, v2.8h'],
  [0x0ea26c20, 'smin v0.2s, v1.2s, v2.2s'],
  [0x6e226420, 'umax v0.16b, v1.16b, v2.16b'],
  [0x6ea26420, 'umax v0.4s, v1.4s, v2.4s'],
  [0x2e226c20, 'umin v0.8b, v1.8b, v2.8b'],
  [0x6ea26c20, 'umin v0.4s, v1.4s, v2.4s'],
  [0x4e227420, 'sabd v0.16b, v1.16b, v2.16b'],
  [0x4ea27420, 'sabd v0.4s, v1.4s, v2.4s'],
  [0x6e627420, 'uabd v0.8h, v1.8h, v2.8h'],
  [0x6ea27420, 'uabd v0.4s, v1.4s, v2.4s'],
  [0x4e227c20, 'saba v0.16b, v1.16b, v2.16b'],
  [0x4ea27c20, 'saba v0.4s, v1.4s, v2.4s'],
  [0x2e627c20, 'uaba v0.4h, v1.4h, v2.4h'],
  [0x6ea27c20, 'uaba v0.4s, v1.4s, v2.4s'],
  [0x4e220c20, 'sqadd v0.16b, v1.16b, v2.16b'],
  [0x4ea10c20, 'sqadd v0.4s, v1.4s, v1.4s'],
  [0x4ee10c20, 'sqadd v0.2d, v1.2d, v1.2d'],
  [0x4ee20c60, 'sqadd v0.2d, v3.2d, v2.2d'],
  [0x4ea20c60, 'sqadd v0.4s, v3.4s, v2.4s'],
  [0x6e620c20, 'uqadd v0.8h, v1.8h, v2.8h'],
  [0x6ee20c20, 'uqadd v0.2d, v1.2d, v2.2d'],
  [0x6ee00c40, 'uqadd v0.2d, v2.2d, v0.2d'],
  [0x2e200c00, 'uqadd v0.8b, v0.8b, v0.8b'],
  [0x4ea22c20, 'sqsub v0.4s, v1.4s, v2.4s'],
  [0x4ee22c20, 'sqsub v0.2d, v1.2d, v2.2d'],
  [0x4ee32c00, 'sqsub v0.2d, v0.2d, v3.2d'],
  [0x4e632c00, 'sqsub v0.8h, v0.8h, v3.8h'],
  [0x6e222c20, 'uqsub v0.16b, v1.16b, v2.16b'],
  [0x6ee22c20, 'uqsub v0.2d, v1.2d, v2.2d'],
  [0x6ee02c20, 'uqsub v0.2d, v1.2d, v0.2d'],
  [0x6ea32c20, 'uqsub v0.4s, v1.4s, v3.4s'],
  [0x4e224420, 'sshl v0.16b, v1.16b, v2.16b'],
  [0x4ea24460, 'sshl v0.4s, v3.4s, v2.4s'],
  [0x4ee24420, 'sshl v0.2d, v1.2d, v2.2d'],
  [0x4ee14460, 'sshl v0.2d, v3.2d, v1.2d'],
  [0x6e624420, 'ushl v0.8h, v1.8h, v2.8h'],
  [0x2ea14460, 'ushl v0.2s, v3.2s, v1.2s'],
  [0x6ee24460, 'ushl v0.2d, v3.2d, v2.2d'],
  [0x6ee14460, 'ushl v0.2d, v3.2d, v1.2d'],
  [0x4e220420, 'shadd v0.16b, v1.16b, v2.16b'],
  [0x6ea20420, 'uhadd v0.4s, v1.4s, v2.4s'],
  [0x4e621420, 'srhadd v0.8h, v1.8h, v2.8h'],
  [0x6ea21420, 'urhadd v0.4s, v1.4s, v2.4s'],
  [0x4ea22420, 'shsub v0.4s, v1.4s, v2.4s'],
  [0x6e222420, 'uhsub v0.16b, v1.16b, v2.16b'],
  [0x6e229c20, 'pmul v0.16b, v1.16b, v2.16b'],
  [0x2e229c60, 'pmul v0.8b, v3.8b, v2.8b'],
  // Destination overlapping a source.
  [0x4ea18421, 'add v1.4s, v1.4s, v1.4s'],
  [0x4e619442, 'mla v2.8h, v2.8h, v1.8h'],
  [0x6ee18441, 'sub v1.2d, v2.2d, v1.2d'],
  [0x6e222c62, 'uqsub v2.16b, v3.16b, v2.16b'],
];

const REGS: Record<string, bigint> = { v0: D, v1: A, v2: B, v3: C };
const regOf = (op: string): string => op.split('.')[0].replace(/^[bhsd]/, 'v');

describe('three same (vector)', () => {
  for (const [word, text] of SAME_CASES) {
    it(text, () => {
      const [rd, rn, rm] = ops(text);
      const [count, e] = arr(rd.split('.')[1]);
      const a = REGS[regOf(rn)];
      const b = REGS[regOf(rm)];
      const d = REGS[regOf(rd)];
      const f = REF3[mnem(text)];
      const [exp, q] = lanewise(count, e, (i) => f(lane(a, e, i), lane(b, e, i), lane(d, e, i), e));
      const c = run(word);
      expect(getV(c, Number(regOf(rd).slice(1))).toString(16), text).toBe(exp.toString(16));
      expect((c.fpsr & QC) !== 0, `${text} QC`).toBe(q);
    });
  }
});

const SAME_SCALAR: [number, string][] = [
  [0x5ee28420, 'add d0, d1, d2'],
  [0x7ee28420, 'sub d0, d1, d2'],
  [0x7ee18c20, 'cmeq d0, d1, d1'],
  [0x7ee28c20, 'cmeq d0, d1, d2'],
  [0x5ee13440, 'cmgt d0, d2, d1'],
  [0x5ee23c20, 'cmge d0, d1, d2'],
  [0x7ee23420, 'cmhi d0, d1, d2'],
  [0x7ee13c40, 'cmhs d0, d2, d1'],
  [0x5ee28c20, 'cmtst d0, d1, d2'],
  [0x5ee24460, 'sshl d0, d3, d2'],
  [0x7ee14460, 'ushl d0, d3, d1'],
  [0x5e220c20, 'sqadd b0, b1, b2'],
  [0x5e610c20, 'sqadd h0, h1, h1'],
  [0x5ea10c20, 'sqadd s0, s1, s1'],
  [0x5ee10c20, 'sqadd d0, d1, d1'],
  [0x7ea20c20, 'uqadd s0, s1, s2'],
  [0x7e230c60, 'uqadd b0, b3, b3'],
  [0x5ea22c20, 'sqsub s0, s1, s2'],
  [0x5e612c40, 'sqsub h0, h2, h1'],
  [0x7ee22c20, 'uqsub d0, d1, d2'],
  [0x7e212c40, 'uqsub b0, b2, b1'],
];

describe('three same (scalar)', () => {
  for (const [word, text] of SAME_SCALAR) {
    it(text, () => {
      const [rd, rn, rm] = ops(text);
      const e = ES[rd[0]];
      const f = REF3[mnem(text)];
      const [exp, q] = lanewise(1, e, () => f(lane(REGS[regOf(rn)], e, 0), lane(REGS[regOf(rm)], e, 0), 0n, e));
      check(word, text, exp, q);
    });
  }
});

const PAIR_CASES: [number, string][] = [
  [0x4e22bc20, 'addp v0.16b, v1.16b, v2.16b'],
  [0x0e22bc20, 'addp v0.8b, v1.8b, v2.8b'],
  [0x4ea2bc20, 'addp v0.4s, v1.4s, v2.4s'],
  [0x4ee2bc20, 'addp v0.2d, v1.2d, v2.2d'],
  [0x0e62bc20, 'addp v0.4h, v1.4h, v2.4h'],
  [0x4e22a420, 'smaxp v0.16b, v1.16b, v2.16b'],
  [0x6e22a420, 'umaxp v0.16b, v1.16b, v2.16b'],
  [0x2ea2a420, 'umaxp v0.2s, v1.2s, v2.2s'],
  [0x4e62ac20, 'sminp v0.8h, v1.8h, v2.8h'],
  [0x6ea2ac20, 'uminp v0.4s, v1.4s, v2.4s'],
  [0x4ea1bc41, 'addp v1.4s, v2.4s, v1.4s'],
];
const PAIR_REF: Record<string, Bin> = { addp: REF3.add, smaxp: REF3.smax, umaxp: REF3.umax, sminp: REF3.smin, uminp: REF3.umin };

describe('pairwise', () => {
  for (const [word, text] of PAIR_CASES) {
    it(text, () => {
      const [rd, rn, rm] = ops(text);
      const [count, e] = arr(rd.split('.')[1]);
      const cat: bigint[] = [];
      for (let i = 0; i < count; i++) cat.push(lane(REGS[regOf(rn)], e, i));
      for (let i = 0; i < count; i++) cat.push(lane(REGS[regOf(rm)], e, i));
      const f = PAIR_REF[mnem(text)];
      const [exp] = lanewise(count, e, (i) => f(cat[2 * i], cat[2 * i + 1], 0n, e));
      const c = run(word);
      expect(getV(c, Number(regOf(rd).slice(1))).toString(16), text).toBe(exp.toString(16));
    });
  }
  it('addp d0, v1.2d', () => {
    check(0x5ef1b820 /* addp d0, v1.2d */, 'addp d0, v1.2d', (lane(A, 64, 0) + lane(A, 64, 1)) & mask(64), false);
  });
});

describe('bitwise logical', () => {
  const cases: [number, string, bigint][] = [
    [0x4e221c20 /* and v0.16b, v1.16b, v2.16b */, 'and', A & B],
    [0x4e621c20 /* bic v0.16b, v1.16b, v2.16b */, 'bic', A & ~B],
    [0x4ea21c20 /* orr v0.16b, v1.16b, v2.16b */, 'orr', A | B],
    [0x4ee21c20 /* orn v0.16b, v1.16b, v2.16b */, 'orn', A | ~B],
    [0x6e221c20 /* eor v0.16b, v1.16b, v2.16b */, 'eor', A ^ B],
    [0x6e621c20 /* bsl v0.16b, v1.16b, v2.16b */, 'bsl', (D & A) | (~D & B)],
    [0x6ea21c20 /* bit v0.16b, v1.16b, v2.16b */, 'bit', (D & ~B) | (A & B)],
    [0x6ee21c20 /* bif v0.16b, v1.16b, v2.16b */, 'bif', (D & B) | (A & ~B)],
    [0x2e221c20 /* eor v0.8b, v1.8b, v2.8b */, 'eor 8b', (A ^ B) & mask(64)],
    [0x2e621c20 /* bsl v0.8b, v1.8b, v2.8b */, 'bsl 8b', ((D & A) | (~D & B)) & mask(64)],
    [0x4ea31c60 /* mov v0.16b, v3.16b */, 'mov', C],
    [0x2e205820 /* mvn v0.8b, v1.8b */, 'not 8b', ~A & mask(64)],
    [0x6e205860 /* not v0.16b, v3.16b */, 'not', ~C],
  ];
  for (const [word, name, exp] of cases) it(name, () => check(word, name, exp, false));
});

// ---- two-register misc ---------------------------------------------------------------------

type Un = (a: bigint, e: number) => Res;
const clz = (a: bigint, e: number): bigint => {
  let n = 0n;
  for (let i = e - 1; i >= 0 && ((a >> BigInt(i)) & 1n) === 0n; i--) n++;
  return n;
};
const REF1: Record<string, Un> = {
  abs: (a, e) => abs(sx(a, e)),
  neg: (a) => -a,
  sqabs: (a, e) => satS(abs(sx(a, e)), e),
  sqneg: (a, e) => satS(-sx(a, e), e),
  cmgt: (a, e) => (sx(a, e) > 0n ? -1n : 0n),
  cmge: (a, e) => (sx(a, e) >= 0n ? -1n : 0n),
  cmeq: (a) => (a === 0n ? -1n : 0n),
  cmle: (a, e) => (sx(a, e) <= 0n ? -1n : 0n),
  cmlt: (a, e) => (sx(a, e) < 0n ? -1n : 0n),
  clz: (a, e) => clz(a, e),
  cls: (a, e) => clz(sx(a, e) < 0n ? ~a & mask(e) : a, e) - 1n,
  cnt: (a) => BigInt([...a.toString(2)].filter((x) => x === '1').length),
  rbit: (a) => BigInt('0b' + [...a.toString(2).padStart(8, '0')].reverse().join('')),
};

const MISC_CASES: [number, string][] = [
  [0x4e20b820, 'abs v0.16b, v1.16b'],
  [0x4ea0b820, 'abs v0.4s, v1.4s'],
  [0x4ee0b820, 'abs v0.2d, v1.2d'],
  [0x4ee0b840, 'abs v0.2d, v2.2d'],
  [0x0e60b840, 'abs v0.4h, v2.4h'],
  [0x6e60b820, 'neg v0.8h, v1.8h'],
  [0x6ee0b820, 'neg v0.2d, v1.2d'],
  [0x2ea0b860, 'neg v0.2s, v3.2s'],
  [0x4e207820, 'sqabs v0.16b, v1.16b'],
  [0x4ea07840, 'sqabs v0.4s, v2.4s'],
  [0x4ee07820, 'sqabs v0.2d, v1.2d'],
  [0x6e607820, 'sqneg v0.8h, v1.8h'],
  [0x6ea07820, 'sqneg v0.4s, v1.4s'],
  [0x6ee07840, 'sqneg v0.2d, v2.2d'],
  [0x6ee07860, 'sqneg v0.2d, v3.2d'],
  [0x4e208820, 'cmgt v0.16b, v1.16b, #0'],
  [0x4ee08820, 'cmgt v0.2d, v1.2d, #0'],
  [0x4ee08840, 'cmgt v0.2d, v2.2d, #0'],
  [0x6ea08820, 'cmge v0.4s, v1.4s, #0'],
  [0x6ee08860, 'cmge v0.2d, v3.2d, #0'],
  [0x4e209820, 'cmeq v0.16b, v1.16b, #0'],
  [0x4ee09820, 'cmeq v0.2d, v1.2d, #0'],
  [0x4ea09820, 'cmeq v0.4s, v1.4s, #0'],
  [0x6e609820, 'cmle v0.8h, v1.8h, #0'],
  [0x6ee09860, 'cmle v0.2d, v3.2d, #0'],
  [0x4e20a820, 'cmlt v0.16b, v1.16b, #0'],
  [0x4ee0a820, 'cmlt v0.2d, v1.2d, #0'],
  [0x0ea0a860, 'cmlt v0.2s, v3.2s, #0'],
  [0x6e204820, 'clz v0.16b, v1.16b'],
  [0x6e604860, 'clz v0.8h, v3.8h'],
  [0x6ea04860, 'clz v0.4s, v3.4s'],
  [0x4e204820, 'cls v0.16b, v1.16b'],
  [0x0e604860, 'cls v0.4h, v3.4h'],
  [0x4ea04820, 'cls v0.4s, v1.4s'],
  [0x4ea04860, 'cls v0.4s, v3.4s'],
  [0x4e205820, 'cnt v0.16b, v1.16b'],
  [0x0e205860, 'cnt v0.8b, v3.8b'],
  [0x6e605860, 'rbit v0.16b, v3.16b'],
  [0x2e605820, 'rbit v0.8b, v1.8b'],
  [0x4ea0b821, 'abs v1.4s, v1.4s'],
  [0x6ee0b863, 'neg v3.2d, v3.2d'],
];

describe('two-register misc', () => {
  for (const [word, text] of MISC_CASES) {
    it(text, () => {
      const [rd, rn] = ops(text);
      const [count, e] = arr(rd.split('.')[1]);
      const f = REF1[mnem(text)];
      const [exp, q] = lanewise(count, e, (i) => f(lane(REGS[regOf(rn)], e, i), e));
      const c = run(word);
      expect(getV(c, Number(regOf(rd).slice(1))).toString(16), text).toBe(exp.toString(16));
      expect((c.fpsr & QC) !== 0, `${text} QC`).toBe(q);
    });
  }
  const SCALAR: [number, string][] = [
    [0x5ee0b820, 'abs d0, d1'],
    [0x5ee0b840, 'abs d0, d2'],
    [0x7ee0b820, 'neg d0, d1'],
    [0x5ee08820, 'cmgt d0, d1, #0'],
    [0x7ee08840, 'cmge d0, d2, #0'],
    [0x5ee09820, 'cmeq d0, d1, #0'],
    [0x7ee09860, 'cmle d0, d3, #0'],
    [0x5ee0a820, 'cmlt d0, d1, #0'],
    [0x5e207820, 'sqabs b0, b1'],
    [0x5ea07820, 'sqabs s0, s1'],
    [0x7e607840, 'sqneg h0, h2'],
    [0x7ee07860, 'sqneg d0, d3'],
  ];
  for (const [word, text] of SCALAR) {
    it(text, () => {
      const [rd, rn] = ops(text);
      const e = ES[rd[0]];
      const [exp, q] = lanewise(1, e, () => REF1[mnem(text)](lane(REGS[regOf(rn)], e, 0), e));
      check(word, text, exp, q);
    });
  }
  it('rev16/rev32/rev64', () => {
    const revs = (x: bigint, e: number, cont: number, n: number): bigint => {
      const per = cont / e;
      return join(
        Array.from({ length: n }, (_, i) => lane(x, e, i - (i % per) + (per - 1 - (i % per)))),
        e,
      );
    };
    check(0x4e201860 /* rev16 v0.16b, v3.16b */, 'rev16', revs(C, 8, 16, 16), false);
    check(0x6e600860 /* rev32 v0.8h, v3.8h */, 'rev32 8h', revs(C, 16, 32, 8), false);
    check(0x2e200860 /* rev32 v0.8b, v3.8b */, 'rev32 8b', revs(C, 8, 32, 8), false);
    check(0x4ea00860 /* rev64 v0.4s, v3.4s */, 'rev64 4s', revs(C, 32, 64, 4), false);
    check(0x4e200860 /* rev64 v0.16b, v3.16b */, 'rev64 16b', revs(C, 8, 64, 16), false);
    check(0x0e600860 /* rev64 v0.4h, v3.4h */, 'rev64 4h', revs(C, 16, 64, 4), false);
  });
  it('saddlp/uaddlp/sadalp/uadalp', () => {
    const lp = (x: bigint, e: number, n: number, signed: boolean, acc: bigint | null): bigint =>
      join(
        Array.from({ length: n }, (_, i) => {
          const g = (j: number) => (signed ? sx(lane(x, e, j), e) : lane(x, e, j));
          return g(2 * i) + g(2 * i + 1) + (acc === null ? 0n : lane(acc, 2 * e, i));
        }),
        2 * e,
      );
    check(0x4e202820 /* saddlp v0.8h, v1.16b */, 'saddlp 8h', lp(A, 8, 8, true, null), false);
    check(0x6e602820 /* uaddlp v0.4s, v1.8h */, 'uaddlp 4s', lp(A, 16, 4, false, null), false);
    check(0x4ea02820 /* saddlp v0.2d, v1.4s */, 'saddlp 2d', lp(A, 32, 2, true, null), false);
    check(0x2ea02820 /* uaddlp v0.1d, v1.2s */, 'uaddlp 1d', lp(A, 32, 1, false, null), false);
    check(0x4ea06820 /* sadalp v0.2d, v1.4s */, 'sadalp 2d', lp(A, 32, 2, true, D), false);
    check(0x6ea06820 /* uadalp v0.2d, v1.4s */, 'uadalp 2d', lp(A, 32, 2, false, D), false);
    check(0x2e206820 /* uadalp v0.4h, v1.8b */, 'uadalp 4h', lp(A, 8, 4, false, D), false);
    check(0x4e606820 /* sadalp v0.4s, v1.8h */, 'sadalp 4s', lp(A, 16, 4, true, D), false);
  });
  it('shll/shll2', () => {
    const sl = (x: bigint, e: number, hi: boolean): bigint =>
      join(
        Array.from({ length: 64 / e }, (_, i) => lane(x, e, i + (hi ? 64 / e : 0)) << BigInt(e)),
        2 * e,
      );
    check(0x2e213820 /* shll v0.8h, v1.8b, #8 */, 'shll 8h', sl(A, 8, false), false);
    check(0x6e613820 /* shll2 v0.4s, v1.8h, #16 */, 'shll2 4s', sl(A, 16, true), false);
    check(0x2ea13820 /* shll v0.2d, v1.2s, #32 */, 'shll 2d', sl(A, 32, false), false);
  });
});

// ---- narrowing -----------------------------------------------------------------------------

describe('narrowing (xtn, sqxtn, uqxtn, sqxtun)', () => {
  const narrowRef = (kind: string, src: bigint, e: number, i: number): Res => {
    const w = lane(src, 2 * e, i);
    if (kind === 'xtn') return w;
    if (kind === 'sqxtn') return satS(sx(w, 2 * e), e);
    if (kind === 'uqxtn') return satU(w, e);
    return satU(sx(w, 2 * e), e);
  };
  const CASES: [number, string][] = [
    [0x0e212820, 'xtn v0.8b, v1.8h'],
    [0x4e212820, 'xtn2 v0.16b, v1.8h'],
    [0x0ea12820, 'xtn v0.2s, v1.2d'],
    [0x4ea12860, 'xtn2 v0.4s, v3.2d'],
    [0x0e612860, 'xtn v0.4h, v3.4s'],
    [0x0e214820, 'sqxtn v0.8b, v1.8h'],
    [0x4e614820, 'sqxtn2 v0.8h, v1.4s'],
    [0x0ea14820, 'sqxtn v0.2s, v1.2d'],
    [0x0ea14860, 'sqxtn v0.2s, v3.2d'],
    [0x0e214860, 'sqxtn v0.8b, v3.8h'],
    [0x2e214820, 'uqxtn v0.8b, v1.8h'],
    [0x2e614860, 'uqxtn v0.4h, v3.4s'],
    [0x6ea14820, 'uqxtn2 v0.4s, v1.2d'],
    [0x2ea14800, 'uqxtn v0.2s, v0.2d'],
    [0x2e212820, 'sqxtun v0.8b, v1.8h'],
    [0x2e612820, 'sqxtun v0.4h, v1.4s'],
    [0x6ea12820, 'sqxtun2 v0.4s, v1.2d'],
    [0x2ea12800, 'sqxtun v0.2s, v0.2d'],
    [0x2e212800, 'sqxtun v0.8b, v0.8h'],
  ];
  for (const [word, text] of CASES) {
    it(text, () => {
      const [rd, rn] = ops(text);
      const [count, e] = arr(rd.split('.')[1]);
      const kind = mnem(text).replace(/2$/, '');
      const upper = mnem(text).endsWith('2');
      const n = count / (upper ? 2 : 1);
      const [lo, q] = lanewise(n, e, (i) => narrowRef(kind, REGS[regOf(rn)], e, i));
      const exp = upper ? (D & mask(64)) | (lo << 64n) : lo;
      check(word, text, exp, q);
    });
  }
  const SCALAR: [number, string][] = [
    [0x5e214820, 'sqxtn b0, h1'],
    [0x5ea14820, 'sqxtn s0, d1'],
    [0x7e614820, 'uqxtn h0, s1'],
    [0x7ea14860, 'uqxtn s0, d3'],
    [0x7e612820, 'sqxtun h0, s1'],
    [0x7ea12840, 'sqxtun s0, d2'],
  ];
  for (const [word, text] of SCALAR) {
    it(text, () => {
      const [rd, rn] = ops(text);
      const e = ES[rd[0]];
      const [exp, q] = lanewise(1, e, () => narrowRef(mnem(text), REGS[regOf(rn)], e, 0));
      check(word, text, exp, q);
    });
  }
});

// ---- across lanes --------------------------------------------------------------------------

describe('across lanes', () => {
  const CASES: [number, string][] = [
    [0x4e31b820, 'addv b0, v1.16b'],
    [0x0e31b820, 'addv b0, v1.8b'],
    [0x4e71b860, 'addv h0, v3.8h'],
    [0x4eb1b860, 'addv s0, v3.4s'],
    [0x6e30a820, 'umaxv b0, v1.16b'],
    [0x6eb0a820, 'umaxv s0, v1.4s'],
    [0x4e30a820, 'smaxv b0, v1.16b'],
    [0x0e70a860, 'smaxv h0, v3.4h'],
    [0x4eb0a860, 'smaxv s0, v3.4s'],
    [0x6e31a820, 'uminv b0, v1.16b'],
    [0x6e71a860, 'uminv h0, v3.8h'],
    [0x0e31a820, 'sminv b0, v1.8b'],
    [0x4eb1a820, 'sminv s0, v1.4s'],
    [0x6e303820, 'uaddlv h0, v1.16b'],
    [0x6e703860, 'uaddlv s0, v3.8h'],
    [0x6eb03820, 'uaddlv d0, v1.4s'],
    [0x0e303820, 'saddlv h0, v1.8b'],
    [0x4eb03820, 'saddlv d0, v1.4s'],
    [0x0e703860, 'saddlv s0, v3.4h'],
  ];
  for (const [word, text] of CASES) {
    it(text, () => {
      const [rd, rn] = ops(text);
      const [count, e] = arr(rn.split('.')[1]);
      const m = mnem(text);
      const signed = m[0] === 's';
      const xs = Array.from({ length: count }, (_, i) => (signed ? sx(lane(REGS[regOf(rn)], e, i), e) : lane(REGS[regOf(rn)], e, i)));
      let r: bigint;
      if (m.endsWith('maxv')) r = xs.reduce((p, x) => (x > p ? x : p));
      else if (m.endsWith('minv')) r = xs.reduce((p, x) => (x < p ? x : p));
      else r = xs.reduce((p, x) => p + x);
      check(word, text, r & mask(ES[rd[0]]), false);
    });
  }
});

// ---- long / wide / narrow-high -------------------------------------------------------------

describe('three different', () => {
  const CASES: [number, string][] = [
    [0x0e220020, 'saddl v0.8h, v1.8b, v2.8b'],
    [0x4e620020, 'saddl2 v0.4s, v1.8h, v2.8h'],
    [0x2ea20020, 'uaddl v0.2d, v1.2s, v2.2s'],
    [0x6ea20020, 'uaddl2 v0.2d, v1.4s, v2.4s'],
    [0x0ea20020, 'saddl v0.2d, v1.2s, v2.2s'],
    [0x2e222020, 'usubl v0.8h, v1.8b, v2.8b'],
    [0x4ea22020, 'ssubl2 v0.2d, v1.4s, v2.4s'],
    [0x2ea22020, 'usubl v0.2d, v1.2s, v2.2s'],
    [0x0e221020, 'saddw v0.8h, v1.8h, v2.8b'],
    [0x6e621020, 'uaddw2 v0.4s, v1.4s, v2.8h'],
    [0x2ea21020, 'uaddw v0.2d, v1.2d, v2.2s'],
    [0x4ea21020, 'saddw2 v0.2d, v1.2d, v2.4s'],
    [0x0ea23020, 'ssubw v0.2d, v1.2d, v2.2s'],
    [0x6e623060, 'usubw2 v0.4s, v3.4s, v2.8h'],
    [0x0e227020, 'sabdl v0.8h, v1.8b, v2.8b'],
    [0x6ea27020, 'uabdl2 v0.2d, v1.4s, v2.4s'],
    [0x0ea25020, 'sabal v0.2d, v1.2s, v2.2s'],
    [0x6e625020, 'uabal2 v0.4s, v1.8h, v2.8h'],
    [0x0e22c020, 'smull v0.8h, v1.8b, v2.8b'],
    [0x2e62c020, 'umull v0.4s, v1.4h, v2.4h'],
    [0x0ea2c020, 'smull v0.2d, v1.2s, v2.2s'],
    [0x6ea2c020, 'umull2 v0.2d, v1.4s, v2.4s'],
    [0x4ea1c060, 'smull2 v0.2d, v3.4s, v1.4s'],
    [0x2ea3c060, 'umull v0.2d, v3.2s, v3.2s'],
    [0x0ea28020, 'smlal v0.2d, v1.2s, v2.2s'],
    [0x6ea18060, 'umlal2 v0.2d, v3.4s, v1.4s'],
    [0x4e228020, 'smlal2 v0.8h, v1.16b, v2.16b'],
    [0x2e62a020, 'umlsl v0.4s, v1.4h, v2.4h'],
    [0x4ea2a060, 'smlsl2 v0.2d, v3.4s, v2.4s'],
    [0x2ea3a020, 'umlsl v0.2d, v1.2s, v3.2s'],
    [0x2ea2c021, 'umull v1.2d, v1.2s, v2.2s'],
    [0x4ea21042, 'saddw2 v2.2d, v2.2d, v2.4s'],
  ];
  const wide = (m: string) => /w2?$/.test(m);
  for (const [word, text] of CASES) {
    it(text, () => {
      const [rd, rn, rm] = ops(text);
      const [count, de] = arr(rd.split('.')[1]);
      const e = de / 2;
      let m = mnem(text);
      const hi = m.endsWith('2');
      if (hi) m = m.slice(0, -1);
      const signed = m[0] === 's';
      const base = hi ? count : 0;
      const ext = (v: bigint, w: number) => (signed ? sx(v, w) : v);
      const [exp] = lanewise(count, de, (i) => {
        const a = wide(m) ? ext(lane(REGS[regOf(rn)], de, i), de) : ext(lane(REGS[regOf(rn)], e, base + i), e);
        const b = ext(lane(REGS[regOf(rm)], e, base + i), e);
        const d = lane(REGS[regOf(rd)], de, i);
        switch (m.slice(1)) {
          case 'addl':
          case 'addw':
            return a + b;
          case 'subl':
          case 'subw':
            return a - b;
          case 'abdl':
            return abs(a - b);
          case 'abal':
            return d + abs(a - b);
          case 'mull':
            return a * b;
          case 'mlal':
            return d + a * b;
          default:
            return d - a * b;
        }
      });
      const c = run(word);
      expect(getV(c, Number(regOf(rd).slice(1))).toString(16), text).toBe(exp.toString(16));
    });
  }
  const HN: [number, string][] = [
    [0x0e224020, 'addhn v0.8b, v1.8h, v2.8h'],
    [0x4e624020, 'addhn2 v0.8h, v1.4s, v2.4s'],
    [0x0ea24020, 'addhn v0.2s, v1.2d, v2.2d'],
    [0x2ea34020, 'raddhn v0.2s, v1.2d, v3.2d'],
    [0x6e234020, 'raddhn2 v0.16b, v1.8h, v3.8h'],
    [0x0e626020, 'subhn v0.4h, v1.4s, v2.4s'],
    [0x4ea26020, 'subhn2 v0.4s, v1.2d, v2.2d'],
    [0x2ea16060, 'rsubhn v0.2s, v3.2d, v1.2d'],
    [0x2e216060, 'rsubhn v0.8b, v3.8h, v1.8h'],
  ];
  for (const [word, text] of HN) {
    it(text, () => {
      const [rd, rn, rm] = ops(text);
      const [count, e] = arr(rd.split('.')[1]);
      let m = mnem(text);
      const hi = m.endsWith('2');
      if (hi) m = m.slice(0, -1);
      const n = hi ? count / 2 : count;
      const [lo] = lanewise(n, e, (i) => {
        const a = lane(REGS[regOf(rn)], 2 * e, i);
        const b = lane(REGS[regOf(rm)], 2 * e, i);
        const r = (m.includes('add') ? a + b : a - b) + (m[0] === 'r' ? 1n << BigInt(e - 1) : 0n);
        return r >> BigInt(e);
      });
      check(word, text, hi ? (D & mask(64)) | (lo << 64n) : lo, false);
    });
  }
});

describe('by element', () => {
  const CASES: [number, string][] = [
    [0x4fa28020, 'mul v0.4s, v1.4s, v2.s[1]'],
    [0x4f728820, 'mul v0.8h, v1.8h, v2.h[7]'],
    [0x0f6f8060, 'mul v0.4h, v3.4h, v15.h[2]'],
    [0x2fa30820, 'mla v0.2s, v1.2s, v3.s[3]'],
    [0x6f524820, 'mls v0.8h, v1.8h, v2.h[5]'],
    [0x0f82a020, 'smull v0.2d, v1.2s, v2.s[0]'],
    [0x6f83a820, 'umull2 v0.2d, v1.4s, v3.s[2]'],
    [0x4f622820, 'smlal2 v0.4s, v1.8h, v2.h[6]'],
    [0x2fa12860, 'umlal v0.2d, v3.2s, v1.s[3]'],
    [0x0fa36020, 'smlsl v0.2d, v1.2s, v3.s[1]'],
    [0x6f516060, 'umlsl2 v0.4s, v3.8h, v1.h[1]'],
    [0x4f918831, 'mul v17.4s, v1.4s, v17.s[2]'],
  ];
  for (const [word, text] of CASES) {
    it(text, () => {
      const [rd, rn, rmi] = ops(text);
      const mm = /^v(\d+)\.([hs])\[(\d)\]$/.exec(rmi)!;
      const [count, de] = arr(rd.split('.')[1]);
      let m = mnem(text);
      const hi = m.endsWith('2');
      if (hi) m = m.slice(0, -1);
      const long = m.length > 3;
      const e = long ? de / 2 : de;
      const signed = m[0] === 's';
      const regs = { ...REGS, v15: C, v17: B };
      const ext = (v: bigint) => (long && signed ? sx(v, e) : v);
      const b = ext(lane(regs[`v${mm[1]}` as keyof typeof regs], e, Number(mm[3])));
      const base = hi ? count : 0;
      const [exp] = lanewise(count, de, (i) => {
        const a = ext(lane(regs[regOf(rn) as keyof typeof regs], e, (long ? base : 0) + i));
        const d = lane(regs[regOf(rd) as keyof typeof regs], de, i);
        if (m === 'mul' || m.endsWith('mull')) return a * b;
        if (m === 'mla' || m.endsWith('mlal')) return d + a * b;
        return d - a * b;
      });
      const c = run(word, (cc) => {
        setV(cc, 15, C);
        setV(cc, 17, B);
      });
      expect(getV(c, Number(regOf(rd).slice(1))).toString(16), text).toBe(exp.toString(16));
    });
  }
});

// ---- shifts by immediate -------------------------------------------------------------------

describe('shift by immediate', () => {
  const CASES: [number, string][] = [
    [0x4f0b5420, 'shl v0.16b, v1.16b, #3'],
    [0x4f3f5460, 'shl v0.4s, v3.4s, #31'],
    [0x4f685460, 'shl v0.2d, v3.2d, #40'],
    [0x0f105460, 'shl v0.4h, v3.4h, #0'],
    [0x5f4c5460, 'shl d0, d3, #12'],
    [0x6f080420, 'ushr v0.16b, v1.16b, #8'],
    [0x6f3f0460, 'ushr v0.4s, v3.4s, #1'],
    [0x6f400460, 'ushr v0.2d, v3.2d, #64'],
    [0x6f5c0460, 'ushr v0.2d, v3.2d, #36'],
    [0x7f410420, 'ushr d0, d1, #63'],
    [0x4f100420, 'sshr v0.8h, v1.8h, #16'],
    [0x4f390460, 'sshr v0.4s, v3.4s, #7'],
    [0x4f400420, 'sshr v0.2d, v1.2d, #64'],
    [0x4f5f0460, 'sshr v0.2d, v3.2d, #33'],
    [0x5f7c0460, 'sshr d0, d3, #4'],
    [0x6f0f1420, 'usra v0.16b, v1.16b, #1'],
    [0x6f7d1460, 'usra v0.2d, v3.2d, #3'],
    [0x4f201420, 'ssra v0.4s, v1.4s, #32'],
    [0x5f441460, 'ssra d0, d3, #60'],
    [0x6f0f2420, 'urshr v0.16b, v1.16b, #1'],
    [0x6f202420, 'urshr v0.4s, v1.4s, #32'],
    [0x6f402460, 'urshr v0.2d, v3.2d, #64'],
    [0x6f792460, 'urshr v0.2d, v3.2d, #7'],
    [0x4f1d2420, 'srshr v0.8h, v1.8h, #3'],
    [0x4f402420, 'srshr v0.2d, v1.2d, #64'],
    [0x4f7b2460, 'srshr v0.2d, v3.2d, #5'],
    [0x5f7f2420, 'srshr d0, d1, #1'],
    [0x6f373460, 'ursra v0.4s, v3.4s, #9'],
    [0x4f6f3460, 'srsra v0.2d, v3.2d, #17'],
    [0x0f083420, 'srsra v0.8b, v1.8b, #8'],
    [0x6f0b5420, 'sli v0.16b, v1.16b, #3'],
    [0x6f205460, 'sli v0.4s, v3.4s, #0'],
    [0x6f545460, 'sli v0.2d, v3.2d, #20'],
    [0x7f7f5460, 'sli d0, d3, #63'],
    [0x6f104420, 'sri v0.8h, v1.8h, #16'],
    [0x6f3b4460, 'sri v0.4s, v3.4s, #5'],
    [0x6f404460, 'sri v0.2d, v3.2d, #64'],
    [0x6f584460, 'sri v0.2d, v3.2d, #40'],
    [0x7f7f4420, 'sri d0, d1, #1'],
    [0x6f3c0421, 'ushr v1.4s, v1.4s, #4'],
  ];
  for (const [word, text] of CASES) {
    it(text, () => {
      const [rd, rn, imm] = ops(text);
      const scalar = !rd.includes('.');
      const [count, e] = scalar ? [1, 64] : arr(rd.split('.')[1]);
      const sh = BigInt(imm.slice(1));
      const m = mnem(text);
      const signed = m[0] === 's' && m !== 'shl' && m !== 'sli' && m !== 'sri';
      const [exp] = lanewise(count, e, (i) => {
        const a0 = lane(REGS[regOf(rn)], e, i);
        const a = signed ? sx(a0, e) : a0;
        const d = lane(REGS[regOf(rd)], e, i);
        const rnd = m.includes('rs') ? (sh === 0n ? 0n : 1n << (sh - 1n)) : 0n;
        switch (m.replace(/^[su]/, '')) {
          case 'hl':
            return a << sh;
          case 'li':
            return (a << sh) | (d & ((1n << sh) - 1n));
          case 'ri':
            return (a >> sh) | (d & ~(mask(e) >> sh));
          case 'shr':
          case 'rshr':
            return (a + rnd) >> sh;
          default:
            return d + ((a + rnd) >> sh);
        }
      });
      const c = run(word);
      expect(getV(c, Number(regOf(rd).slice(1))).toString(16), text).toBe(exp.toString(16));
    });
  }

  const NARROW: [number, string][] = [
    [0x0f0d8420, 'shrn v0.8b, v1.8h, #3'],
    [0x4f108460, 'shrn2 v0.8h, v3.4s, #16'],
    [0x0f208460, 'shrn v0.2s, v3.2d, #32'],
    [0x0f398460, 'shrn v0.2s, v3.2d, #7'],
    [0x0f0f8c20, 'rshrn v0.8b, v1.8h, #1'],
    [0x4f218c60, 'rshrn2 v0.4s, v3.2d, #31'],
    [0x0f108c60, 'rshrn v0.4h, v3.4s, #16'],
    [0x0f0f9420, 'sqshrn v0.8b, v1.8h, #1'],
    [0x0f389460, 'sqshrn v0.2s, v3.2d, #8'],
    [0x4f209460, 'sqshrn2 v0.4s, v3.2d, #32'],
    [0x2f1c9420, 'uqshrn v0.4h, v1.4s, #4'],
    [0x2f229460, 'uqshrn v0.2s, v3.2d, #30'],
    [0x0f0e9c60, 'sqrshrn v0.8b, v3.8h, #2'],
    [0x2f209c60, 'uqrshrn v0.2s, v3.2d, #32'],
    [0x2f0e8420, 'sqshrun v0.8b, v1.8h, #2'],
    [0x2f2c8460, 'sqshrun v0.2s, v3.2d, #20'],
    [0x6f188c20, 'sqrshrun2 v0.8h, v1.4s, #8'],
    [0x5f309460, 'sqshrn s0, d3, #16'],
    [0x7f1d9c20, 'uqrshrn h0, s1, #3'],
    [0x7f0f8420, 'sqshrun b0, h1, #1'],
    [0x7f208c60, 'sqrshrun s0, d3, #32'],
  ];
  for (const [word, text] of NARROW) {
    it(text, () => {
      const [rd, rn, imm] = ops(text);
      const scalar = !rd.includes('.');
      const [all, e] = scalar ? [1, ES[rd[0]]] : arr(rd.split('.')[1]);
      const m0 = mnem(text);
      const hi = m0.endsWith('2');
      const m = hi ? m0.slice(0, -1) : m0;
      const count = hi ? all / 2 : all;
      const sh = BigInt(imm.slice(1));
      const signed = m.startsWith('sq');
      const rnd = m.includes('rshr') ? 1n << (sh - 1n) : 0n;
      const [lo, q] = lanewise(count, e, (i) => {
        const w = lane(REGS[regOf(rn)], 2 * e, i);
        const r = ((signed ? sx(w, 2 * e) : w) + rnd) >> sh;
        if (!m.includes('q')) return r;
        return m.endsWith('un') || m.startsWith('uq') ? satU(r, e) : satS(r, e);
      });
      check(word, text, hi ? (D & mask(64)) | (lo << 64n) : lo, q);
    });
  }

  const LONG: [number, string][] = [
    [0x0f08a420, 'sshll v0.8h, v1.8b, #0'],
    [0x4f15a420, 'sshll2 v0.4s, v1.8h, #5'],
    [0x2f3fa420, 'ushll v0.2d, v1.2s, #31'],
    [0x0f3fa420, 'sshll v0.2d, v1.2s, #31'],
    [0x6f20a460, 'ushll2 v0.2d, v3.4s, #0'],
    [0x2f08a460, 'uxtl v0.8h, v3.8b'],
    [0x4f20a460, 'sxtl2 v0.2d, v3.4s'],
    [0x0f10a463, 'sxtl v3.4s, v3.4h'],
  ];
  for (const [word, text] of LONG) {
    it(text, () => {
      const [rd, rn, imm] = ops(text);
      const [count, de] = arr(rd.split('.')[1]);
      const e = de / 2;
      const m = mnem(text);
      const hi = m.endsWith('2');
      const sh = imm === undefined ? 0n : BigInt(imm.slice(1));
      const [exp] = lanewise(count, de, (i) => {
        const a = lane(REGS[regOf(rn)], e, i + (hi ? count : 0));
        return (m[0] === 's' ? sx(a, e) : a) << sh;
      });
      const c = run(word);
      expect(getV(c, Number(regOf(rd).slice(1))).toString(16), text).toBe(exp.toString(16));
    });
  }
});

describe('saturation sets FPSR.QC and keeps it set', () => {
  it('QC is cumulative and untouched by non-saturating ops', () => {
    const c = runCode(
      [0x4ea10c20 /* sqadd v0.4s, v1.4s, v1.4s */, 0x4ea28424 /* add v4.4s, v1.4s, v2.4s */, 0x6e260cc5 /* uqadd v5.16b, v6.16b, v6.16b */],
      (cc) => setV(cc, 1, A),
    );
    expect(c.fpsr & QC).toBe(QC);
  });
  it('non-saturating SQADD leaves QC clear', () => {
    const c = runCode([0x4e250c80 /* sqadd v0.16b, v4.16b, v5.16b */], (cc) => {
      setV(cc, 4, 0x01020304n);
      setV(cc, 5, 0x10203040n);
    });
    expect(c.fpsr & QC).toBe(0);
    expect(getV(c, 0)).toBe(0x11223344n);
  });
});

describe('regressions', () => {
  // Fuzzer, seed 1 slot 250: `sli v8.2s, v11.2s, #27` lost Vd's low bits to double rounding
  // (a * 2^27 exceeds 2^53 before Vd's bits were added).
  it('SLI keeps the destination bits exactly when the shifted lane exceeds 2^53', async () => {
    const { runCode } = await import('../helpers/cpu.js');
    const c = runCode(
      [
        0x2f3b5568, // sli v8.2s, v11.2s, #27
        0x6f3f5441, // sli v1.4s, v2.4s, #31
      ],
      (c) => {
        for (let i = 0; i < 4; i++) {
          c.v32[4 * 11 + i] = -1; // 0xffffffff
          c.v32[4 * 8 + i] = 0x07ffffff;
          c.v32[4 * 2 + i] = 0x12345677 + i;
          c.v32[4 * 1 + i] = 0x7fffffff - i;
        }
      },
    );
    const lane = (r: number, i: number) => BigInt(c.v32[4 * r + i] >>> 0);
    const sli = (d: bigint, n: bigint, sh: bigint) => ((n << sh) & 0xffffffffn) | (d & ((1n << sh) - 1n));
    expect([lane(8, 0), lane(8, 1), lane(8, 2)]).toEqual([sli(0x07ffffffn, 0xffffffffn, 27n), sli(0x07ffffffn, 0xffffffffn, 27n), 0n]);
    for (let i = 0; i < 4; i++) expect(lane(1, i)).toBe(sli(BigInt(0x7fffffff - i), BigInt(0x12345677 + i), 31n));
  });
});
