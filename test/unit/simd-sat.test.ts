/**
 * AdvSIMD rounding/saturating shifts by register (SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/
 * UQRSHL), doubling multiply high (SQDMULH/SQRDMULH, vector, scalar, by element) and
 * SUQADD/USQADD. Encodings from aarch64-linux-gnu-as (text next to each). Expected
 * values: the pseudocode's integer arithmetic done with BigInt on the same lanes.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CODE, HLT_STOP, makeMachine } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';

const QC = 1 << 27;

function run(word: number, v1: Uint8Array, v2: Uint8Array, v0?: Uint8Array): Cpu {
  const m = makeMachine({ model: 'max' });
  m.poke32(CODE, [word, HLT_STOP]);
  m.c.v8.set(v0 ?? new Uint8Array(16).fill(0x5a), 0);
  m.c.v8.set(v1, 16);
  m.c.v8.set(v2, 32);
  m.run(100);
  return m.c;
}

/** Lanes of `bits` of a 16-byte buffer as BigInt, signed or unsigned. */
function lanes(b: Uint8Array, bits: number, signed: boolean, count = 128 / bits): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    let v = 0n;
    for (let k = bits / 8 - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[(i * bits) / 8 + k]);
    out.push(signed ? BigInt.asIntN(bits, v) : v);
  }
  return out;
}
const result = (c: Cpu, bits: number, count?: number): bigint[] => lanes(c.v8.slice(0, 16), bits, false, count);

function satB(v: bigint, bits: number, unsigned: boolean): [bigint, boolean] {
  const b = BigInt(bits);
  const [lo, hi] = unsigned ? [0n, (1n << b) - 1n] : [-(1n << (b - 1n)), (1n << (b - 1n)) - 1n];
  if (v > hi) return [hi, true];
  if (v < lo) return [lo, true];
  return [v, false];
}
const u = (v: bigint, bits: number): bigint => BigInt.asUintN(bits, v);

/** Inputs with interesting shift bytes: small positive/negative shifts and out-of-range ones. */
function operands(bits: number): [Uint8Array, Uint8Array] {
  const a = randomBytes(16);
  const b = randomBytes(16);
  const shifts = [0, 1, -1, 3, -3, bits - 1, -(bits - 1), bits, -bits, bits + 1, -bits - 1, 100, -100, 127, -128, 5];
  for (let i = 0; i < 128 / bits; i++) b[(i * bits) / 8] = shifts[(i + b[1]) % shifts.length] & 0xff;
  return [a, b];
}

function shiftRef(x: bigint, sh: number, bits: number, kind: 'r' | 'q' | 'qr', unsigned: boolean): [bigint, boolean] {
  if (sh >= 0) {
    const v = x << BigInt(sh);
    return kind === 'r' ? [u(v, bits), false] : satB(v, bits, unsigned);
  }
  const n = BigInt(-sh);
  const v = kind === 'q' ? x >> n : (x + (1n << (n - 1n))) >> n;
  return [u(v, bits), false];
}

describe('shifts by register', () => {
  const cases: [number, string, number, 'r' | 'q' | 'qr', boolean][] = [
    [0x4ea25420, 'srshl v0.4s, v1.4s, v2.4s', 32, 'r', false],
    [0x6e225420, 'urshl v0.16b, v1.16b, v2.16b', 8, 'r', true],
    [0x4e624c20, 'sqshl v0.8h, v1.8h, v2.8h', 16, 'q', false],
    [0x6ea24c20, 'uqshl v0.4s, v1.4s, v2.4s', 32, 'q', true],
    [0x4ee25c20, 'sqrshl v0.2d, v1.2d, v2.2d', 64, 'qr', false],
    [0x6ee25c20, 'uqrshl v0.2d, v1.2d, v2.2d', 64, 'qr', true],
    [0x4ee25420, 'srshl v0.2d, v1.2d, v2.2d', 64, 'r', false],
    [0x6ee24c20, 'uqshl v0.2d, v1.2d, v2.2d', 64, 'q', true],
    [0x4ee24c20, 'sqshl v0.2d, v1.2d, v2.2d', 64, 'q', false],
  ];
  for (const [word, text, bits, kind, unsigned] of cases) {
    it(text, () => {
      for (let t = 0; t < 15; t++) {
        const [a, b] = operands(bits);
        const c = run(word, a, b);
        const xs = lanes(a, bits, !unsigned);
        const ss = lanes(b, bits, false).map((v) => Number(BigInt.asIntN(8, v)));
        let q = false;
        const want = xs.map((x, i) => {
          const [v, s] = shiftRef(x, ss[i], bits, kind, unsigned);
          q ||= s;
          return u(v, bits);
        });
        expect(result(c, bits)).toEqual(want);
        expect((c.fpsr & QC) !== 0).toBe(q);
      }
    });
  }
  it('uqrshl d0, d1, d2 and srshl d0, d1, d2 clear the upper half', () => {
    const a = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8]);
    const b = Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9]); // shift -1
    // (2^64 - 1 + 1) >> 1 = 2^63 (no wrap), signed: (-1 + 1) >> 1 = 0
    expect(result(run(0x7ee25c20, a, b), 64)).toEqual([1n << 63n, 0n]);
    expect(result(run(0x5ee25420, a, b), 64)).toEqual([0n, 0n]);
  });
  it('sqshl b0, b1, b2 saturates and sets QC', () => {
    const c = run(0x5e224c20, Uint8Array.of(0x40), Uint8Array.of(2));
    expect(result(c, 8)[0]).toBe(0x7fn);
    expect(c.fpsr & QC).toBe(QC);
  });
});

function qdmulhRef(a: bigint, b: bigint, bits: number, round: boolean): [bigint, boolean] {
  const v = (2n * a * b + (round ? 1n << BigInt(bits - 1) : 0n)) >> BigInt(bits);
  return satB(v, bits, false);
}

describe('SQDMULH / SQRDMULH', () => {
  const cases: [number, string, number, boolean, number | null, boolean][] = [
    [0x4ea2b420, 'sqdmulh v0.4s, v1.4s, v2.4s', 32, false, null, false],
    [0x6e62b420, 'sqrdmulh v0.8h, v1.8h, v2.8h', 16, true, null, false],
    [0x4fa2d820, 'sqrdmulh v0.4s, v1.4s, v2.s[3]', 32, true, 3, false],
    [0x5ea2b420, 'sqdmulh s0, s1, s2', 32, false, null, true],
    [0x5f52c820, 'sqdmulh h0, h1, v2.h[5]', 16, false, 5, true],
  ];
  for (const [word, text, bits, round, idx, scalar] of cases) {
    it(text, () => {
      for (let t = 0; t < 15; t++) {
        const a = randomBytes(16);
        const b = randomBytes(16);
        if (t === 0) {
          a.fill(0);
          b.fill(0);
          a[bits / 8 - 1] = 0x80; // INT_MIN × INT_MIN saturates
          b[bits / 8 - 1] = 0x80;
          if (idx !== null) b[((idx + 1) * bits) / 8 - 1] = 0x80;
        }
        const c = run(word, a, b);
        const xs = lanes(a, bits, true);
        const ys = lanes(b, bits, true);
        const n = scalar ? 1 : 128 / bits;
        let q = false;
        const want = xs.slice(0, n).map((x, i) => {
          const [v, s] = qdmulhRef(x, idx === null ? ys[i] : ys[idx], bits, round);
          q ||= s;
          return u(v, bits);
        });
        while (want.length < 128 / bits) want.push(0n);
        expect(result(c, bits)).toEqual(want);
        expect((c.fpsr & QC) !== 0).toBe(q);
      }
    });
  }
});

describe('SUQADD / USQADD', () => {
  const cases: [number, string, number, boolean, boolean][] = [
    [0x4e203820, 'suqadd v0.16b, v1.16b', 8, false, false],
    [0x6ee03820, 'usqadd v0.2d, v1.2d', 64, true, false],
    [0x5ee03820, 'suqadd d0, d1', 64, false, true],
    [0x7ea03820, 'usqadd s0, s1', 32, true, true],
    [0x4ee03820, 'suqadd v0.2d, v1.2d', 64, false, false],
  ];
  for (const [word, text, bits, usq, scalar] of cases) {
    it(text, () => {
      for (let t = 0; t < 20; t++) {
        const n = randomBytes(16);
        const d = randomBytes(16);
        if (t % 3 === 0) for (let i = bits / 8 - 1; i < 16; i += bits / 8) d[i] = t % 2 ? 0x7f : 0x80;
        const c = run(word, n, new Uint8Array(16), d);
        const nv = lanes(n, bits, usq);
        const dv = lanes(d, bits, !usq);
        const count = scalar ? 1 : 128 / bits;
        let q = false;
        const want = dv.slice(0, count).map((x, i) => {
          const [v, s] = satB(x + nv[i], bits, usq);
          q ||= s;
          return u(v, bits);
        });
        while (want.length < 128 / bits) want.push(0n);
        expect(result(c, bits)).toEqual(want);
        expect((c.fpsr & QC) !== 0).toBe(q);
      }
    });
  }
});
