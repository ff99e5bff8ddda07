/**
 * Advanced SIMD data movement (DUP, INS, UMOV/SMOV, MOVI/MVNI/ORR/BIC/FMOV immediate,
 * ZIP/UZP/TRN, EXT, TBL/TBX), reserved encodings and the SIMD&FP access trap.
 * Encodings from aarch64-linux-gnu-as (text next to each); `.inst` words are
 * reserved encodings that objdump reports as "undefined".
 */
import { describe, it, expect } from 'vitest';
import { runCode, CODE, DATA, HLT_STOP } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { getV, setV } from '../helpers/vreg.js';
import { R } from '../../core/a64/sysregs.js';

const A = 0x807f01ff_00fe8081_7fffffff_80000000n;
const B = 0x01ff807f_ff0180fe_80000001_7fffffffn;
const D = 0x11223344_55667788_99aabbcc_ddeeff00n;
const C = 0xfedcba98_76543210_0123456f_8899aabbn;
const M64 = (1n << 64n) - 1n;

const mask = (e: number): bigint => (1n << BigInt(e)) - 1n;
const lane = (x: bigint, e: number, i: number): bigint => (x >> BigInt(e * i)) & mask(e);
function join(ls: bigint[], e: number): bigint {
  let r = 0n;
  ls.forEach((l, i) => (r |= (l & mask(e)) << BigInt(e * i)));
  return r;
}
const rep = (v: bigint, e: number, n: number): bigint => join(Array<bigint>(n).fill(v), e);

function run(words: number[], init?: (c: Cpu) => void): Cpu {
  return runCode(words, (c) => {
    setV(c, 0, D);
    setV(c, 1, A);
    setV(c, 2, B);
    setV(c, 3, C);
    c.setX(1, 0x0123456789abcdefn);
    c.setX(2, 0xfedcba9876543210n);
    init?.(c);
  });
}

describe('DUP, INS, UMOV, SMOV', () => {
  const cases: [number, string, bigint][] = [
    [0x4e0b0460 /* dup v0.16b, v3.b[5] */, 'dup 16b elem', rep(lane(C, 8, 5), 8, 16)],
    [0x0e1f0460 /* dup v0.8b, v3.b[15] */, 'dup 8b elem', rep(lane(C, 8, 15), 8, 8)],
    [0x4e0e0460 /* dup v0.8h, v3.h[3] */, 'dup 8h elem', rep(lane(C, 16, 3), 16, 8)],
    [0x0e140460 /* dup v0.2s, v3.s[2] */, 'dup 2s elem', rep(lane(C, 32, 2), 32, 2)],
    [0x4e0c0460 /* dup v0.4s, v3.s[1] */, 'dup 4s elem', rep(lane(C, 32, 1), 32, 4)],
    [0x4e180460 /* dup v0.2d, v3.d[1] */, 'dup 2d elem', rep(lane(C, 64, 1), 64, 2)],
    [0x4e010c20 /* dup v0.16b, w1 */, 'dup 16b gen', rep(0xefn, 8, 16)],
    [0x0e020c40 /* dup v0.4h, w2 */, 'dup 4h gen', rep(0x3210n, 16, 4)],
    [0x4e040c20 /* dup v0.4s, w1 */, 'dup 4s gen', rep(0x89abcdefn, 32, 4)],
    [0x0e040fe0 /* dup v0.2s, wzr */, 'dup 2s wzr', 0n],
    [0x4e080c40 /* dup v0.2d, x2 */, 'dup 2d gen', rep(0xfedcba9876543210n, 64, 2)],
    [0x5e130460 /* mov b0, v3.b[9] */, 'dup scalar b', lane(C, 8, 9)],
    [0x5e1e0460 /* mov h0, v3.h[7] */, 'dup scalar h', lane(C, 16, 7)],
    [0x5e0c0460 /* mov s0, v3.s[1] */, 'dup scalar s', lane(C, 32, 1)],
    [0x5e180460 /* mov d0, v3.d[1] */, 'dup scalar d', lane(C, 64, 1)],
    [0x4e071c20 /* mov v0.b[3], w1 */, 'ins b gen', (D & ~(0xffn << 24n)) | (0xefn << 24n)],
    [0x4e1e1c40 /* mov v0.h[7], w2 */, 'ins h gen', (D & ~(0xffffn << 112n)) | (0x3210n << 112n)],
    [0x4e141c20 /* mov v0.s[2], w1 */, 'ins s gen', (D & ~(mask(32) << 64n)) | (0x89abcdefn << 64n)],
    [0x4e181c40 /* mov v0.d[1], x2 */, 'ins d gen', (D & M64) | (0xfedcba9876543210n << 64n)],
    [0x4e081fe0 /* mov v0.d[0], xzr */, 'ins d xzr', D & ~M64],
    [0x6e1f0460 /* mov v0.b[15], v3.b[0] */, 'ins b elem', (D & ~(0xffn << 120n)) | (lane(C, 8, 0) << 120n)],
    [0x6e066460 /* mov v0.h[1], v3.h[6] */, 'ins h elem', (D & ~(0xffffn << 16n)) | (lane(C, 16, 6) << 16n)],
    [0x6e046460 /* mov v0.s[0], v3.s[3] */, 'ins s elem', (D & ~mask(32)) | lane(C, 32, 3)],
    [0x6e180460 /* mov v0.d[1], v3.d[0] */, 'ins d elem', (D & M64) | (lane(C, 64, 0) << 64n)],
    [0x6e0c4400 /* mov v0.s[1], v0.s[2] */, 'ins same reg', (D & ~(mask(32) << 32n)) | (lane(D, 32, 2) << 32n)],
  ];
  for (const [word, name, exp] of cases) it(name, () => expect(getV(run([word]), 0).toString(16)).toBe(exp.toString(16)));
  it('dup in place', () => expect(getV(run([0x4e1c0463 /* dup v3.4s, v3.s[3] */]), 3)).toBe(rep(lane(C, 32, 3), 32, 4)));

  const toGen: [number, string, bigint][] = [
    [0x0e1f3c60 /* umov w0, v3.b[15] */, 'umov b', 0xfen],
    [0x0e0a3c60 /* umov w0, v3.h[2] */, 'umov h', 0x456fn],
    [0x0e0c3c20 /* mov w0, v1.s[1] */, 'umov s', 0x7fffffffn],
    [0x4e183c60 /* mov x0, v3.d[1] */, 'umov d', 0xfedcba9876543210n],
    [0x0e1f2c60 /* smov w0, v3.b[15] */, 'smov w b', 0xfffffffen],
    [0x0e062c60 /* smov w0, v3.h[1] */, 'smov w h', 0xffff8899n],
    [0x4e032c60 /* smov x0, v3.b[1] */, 'smov x b', 0xffffffffffffffaan],
    [0x4e0a2c60 /* smov x0, v3.h[2] */, 'smov x h', 0x456fn],
    [0x4e042c20 /* smov x0, v1.s[0] */, 'smov x s', 0xffffffff80000000n],
    [0x4e0c2c20 /* smov x0, v1.s[1] */, 'smov x s positive', 0x7fffffffn],
  ];
  for (const [word, name, exp] of toGen) {
    it(name, () => {
      const c = run([word], (cc) => cc.setX(0, 0xdeadbeefdeadbeefn));
      expect(c.getX(0).toString(16)).toBe(exp.toString(16));
    });
  }
  it('umov to xzr is discarded', () => {
    const c = run([0x4e083c61 /* mov x1, v3.d[0] */, 0x0e043c7f /* umov wzr, v3.s[0] */]);
    expect(c.getX(1)).toBe(lane(C, 64, 0));
  });
});

describe('modified immediate', () => {
  const f32 = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]);
  const f64 = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];
  const cases: [number, string, bigint][] = [
    [0x4f05e4a0 /* movi v0.16b, #0xa5 */, 'movi 16b', rep(0xa5n, 8, 16)],
    [0x0f07e7e0 /* movi v0.8b, #0xff */, 'movi 8b', M64],
    [0x0f00a640 /* movi v0.4h, #0x12, lsl #8 */, 'movi 4h lsl 8', rep(0x1200n, 16, 4)],
    [0x4f018680 /* movi v0.8h, #0x34 */, 'movi 8h', rep(0x34n, 16, 8)],
    [0x4f0266c0 /* movi v0.4s, #0x56, lsl #24 */, 'movi 4s lsl 24', rep(0x56000000n, 32, 4)],
    [0x0f0246c0 /* movi v0.2s, #0x56, lsl #16 */, 'movi 2s lsl 16', rep(0x560000n, 32, 2)],
    [0x4f04c740 /* movi v0.4s, #0x9a, msl #8 */, 'movi 4s msl 8', rep(0x9affn, 32, 4)],
    [0x4f04d740 /* movi v0.4s, #0x9a, msl #16 */, 'movi 4s msl 16', rep(0x9affffn, 32, 4)],
    [0x2f05e4c0 /* movi d0, #0xff00ff0000ffff00 */, 'movi d', 0xff00ff0000ffff00n],
    [0x6f02e440 /* movi v0.2d, #0x00ff00000000ff00 */, 'movi 2d', rep(0x00ff00000000ff00n, 64, 2)],
    [0x6f000640 /* mvni v0.4s, #0x12 */, 'mvni 4s', rep(0xffffffedn, 32, 4)],
    [0x2f00a640 /* mvni v0.4h, #0x12, lsl #8 */, 'mvni 4h', rep(0xedffn, 16, 4)],
    [0x2f04d400 /* mvni v0.2s, #0x80, msl #16 */, 'mvni 2s msl', rep(0xff7f0000n, 32, 2)],
    [
      0x4f043400 /* orr v0.4s, #0x80, lsl #8 */,
      'orr 4s',
      join(
        [0, 1, 2, 3].map((i) => lane(D, 32, i) | 0x8000n),
        32,
      ),
    ],
    [
      0x0f079600 /* orr v0.4h, #0xf0 */,
      'orr 4h',
      join(
        [0, 1, 2, 3].map((i) => lane(D, 16, i) | 0xf0n),
        16,
      ),
    ],
    [
      0x6f07b7e0 /* bic v0.8h, #0xff, lsl #8 */,
      'bic 8h',
      join(
        [0, 1, 2, 3, 4, 5, 6, 7].map((i) => lane(D, 16, i) & 0xffn),
        16,
      ),
    ],
    [
      0x2f0075e0 /* bic v0.2s, #0x0f, lsl #24 */,
      'bic 2s',
      join(
        [0, 1].map((i) => lane(D, 32, i) & 0xf0ffffffn),
        32,
      ),
    ],
    [0x4f03f600 /* fmov v0.4s, #1.0 */, 'fmov 4s 1.0', rep(f32(1.0), 32, 4)],
    [0x0f06f400 /* fmov v0.2s, #-0.125 */, 'fmov 2s', rep(f32(-0.125), 32, 2)],
    [0x4f01f7e0 /* fmov v0.4s, #31.0 */, 'fmov 4s 31', rep(f32(31.0), 32, 4)],
    [0x6f04f480 /* fmov v0.2d, #-2.5 */, 'fmov 2d', rep(f64(-2.5), 64, 2)],
    [0x6f02f500 /* fmov v0.2d, #0.1875 */, 'fmov 2d small', rep(f64(0.1875), 64, 2)],
  ];
  for (const [word, name, exp] of cases) it(name, () => expect(getV(run([word]), 0).toString(16)).toBe(exp.toString(16)));
});

describe('permute, EXT, TBL/TBX', () => {
  const el = (x: bigint, e: number, n: number): bigint[] => Array.from({ length: n }, (_, i) => lane(x, e, i));
  const zip = (part: number, e: number, n: number) => {
    const a = el(A, e, n);
    const b = el(B, e, n);
    const r: bigint[] = [];
    for (let i = 0; i < n / 2; i++) r.push(a[part * (n / 2) + i], b[part * (n / 2) + i]);
    return join(r, e);
  };
  const uzp = (part: number, e: number, n: number) => {
    const cat = [...el(A, e, n), ...el(B, e, n)];
    return join(
      Array.from({ length: n }, (_, i) => cat[2 * i + part]),
      e,
    );
  };
  const trn = (part: number, e: number, n: number) => {
    const a = el(A, e, n);
    const b = el(B, e, n);
    const r: bigint[] = [];
    for (let i = 0; i < n / 2; i++) r.push(a[2 * i + part], b[2 * i + part]);
    return join(r, e);
  };
  const cases: [number, string, bigint][] = [
    [0x4e023820 /* zip1 v0.16b, v1.16b, v2.16b */, 'zip1 16b', zip(0, 8, 16)],
    [0x4e027820 /* zip2 v0.16b, v1.16b, v2.16b */, 'zip2 16b', zip(1, 8, 16)],
    [0x0e423820 /* zip1 v0.4h, v1.4h, v2.4h */, 'zip1 4h', zip(0, 16, 4)],
    [0x0e827820 /* zip2 v0.2s, v1.2s, v2.2s */, 'zip2 2s', zip(1, 32, 2)],
    [0x4ec23820 /* zip1 v0.2d, v1.2d, v2.2d */, 'zip1 2d', zip(0, 64, 2)],
    [0x4e021820 /* uzp1 v0.16b, v1.16b, v2.16b */, 'uzp1 16b', uzp(0, 8, 16)],
    [0x4e425820 /* uzp2 v0.8h, v1.8h, v2.8h */, 'uzp2 8h', uzp(1, 16, 8)],
    [0x0e021820 /* uzp1 v0.8b, v1.8b, v2.8b */, 'uzp1 8b', uzp(0, 8, 8)],
    [0x4e825820 /* uzp2 v0.4s, v1.4s, v2.4s */, 'uzp2 4s', uzp(1, 32, 4)],
    [0x4e022820 /* trn1 v0.16b, v1.16b, v2.16b */, 'trn1 16b', trn(0, 8, 16)],
    [0x4e826820 /* trn2 v0.4s, v1.4s, v2.4s */, 'trn2 4s', trn(1, 32, 4)],
    [0x0e422820 /* trn1 v0.4h, v1.4h, v2.4h */, 'trn1 4h', trn(0, 16, 4)],
    [0x4ec26820 /* trn2 v0.2d, v1.2d, v2.2d */, 'trn2 2d', trn(1, 64, 2)],
    [0x6e021820 /* ext v0.16b, v1.16b, v2.16b, #3 */, 'ext 16b #3', ((A >> 24n) | (B << 104n)) & ((1n << 128n) - 1n)],
    [0x6e020020 /* ext v0.16b, v1.16b, v2.16b, #0 */, 'ext 16b #0', A],
    [0x6e027820 /* ext v0.16b, v1.16b, v2.16b, #15 */, 'ext 16b #15', ((A >> 120n) | (B << 8n)) & ((1n << 128n) - 1n)],
    [0x2e022820 /* ext v0.8b, v1.8b, v2.8b, #5 */, 'ext 8b #5', ((A & M64) >> 40n) | (((B & M64) << 24n) & M64)],
  ];
  for (const [word, name, exp] of cases) it(name, () => expect(getV(run([word]), 0).toString(16)).toBe(exp.toString(16)));
  it('zip1 with Vd = Vn = Vm', () => {
    const c = run([0x4e013821 /* zip1 v1.16b, v1.16b, v1.16b */]);
    const a = el(A, 8, 16);
    expect(getV(c, 1)).toBe(
      join(
        Array.from({ length: 16 }, (_, i) => a[i >> 1]),
        8,
      ),
    );
  });

  // Table registers V4..V7 hold bytes 0x40.. ascending; indices in V8.
  const table = (c: Cpu) => {
    for (let i = 0; i < 64; i++) c.v8[16 * 4 + i] = 0x40 + i;
    setV(c, 8, 0x00_3f_10_0f_20_2f_30_01_40_ff_41_05_1f_11_3e_02n);
  };
  const idx = el(0x00_3f_10_0f_20_2f_30_01_40_ff_41_05_1f_11_3e_02n, 8, 16);
  const tblRef = (regs: number, q: boolean, tbx: boolean, dflt: bigint) =>
    join(
      Array.from({ length: q ? 16 : 8 }, (_, i) => (idx[i] < BigInt(16 * regs) ? 0x40n + idx[i] : tbx ? lane(dflt, 8, i) : 0n)),
      8,
    );
  const tcases: [number, string, bigint][] = [
    [0x4e080080 /* tbl v0.16b, {v4.16b}, v8.16b */, 'tbl 1', tblRef(1, true, false, D)],
    [0x4e082080 /* tbl v0.16b, {v4.16b, v5.16b}, v8.16b */, 'tbl 2', tblRef(2, true, false, D)],
    [0x0e084080 /* tbl v0.8b, {v4.16b, v5.16b, v6.16b}, v8.8b */, 'tbl 3 8b', tblRef(3, false, false, D)],
    [0x4e086080 /* tbl v0.16b, {v4.16b, v5.16b, v6.16b, v7.16b}, v8.16b */, 'tbl 4', tblRef(4, true, false, D)],
    [0x4e081080 /* tbx v0.16b, {v4.16b}, v8.16b */, 'tbx 1', tblRef(1, true, true, D)],
    [0x0e083080 /* tbx v0.8b, {v4.16b, v5.16b}, v8.8b */, 'tbx 2 8b', tblRef(2, false, true, D) & M64],
    [0x4e087080 /* tbx v0.16b, {v4.16b, v5.16b, v6.16b, v7.16b}, v8.16b */, 'tbx 4', tblRef(4, true, true, D)],
  ];
  for (const [word, name, exp] of tcases) it(name, () => expect(getV(run([word], table), 0).toString(16)).toBe(exp.toString(16)));
  it('tbl with Vd in the table and as the index register', () => {
    const c = run([0x4e0820e8 /* tbl v8.16b, {v7.16b, v8.16b}, v8.16b */], table);
    // Table = V7 (0x70..0x7f), V8 (the indices themselves).
    const t = [...Array.from({ length: 16 }, (_, i) => 0x70n + BigInt(i)), ...idx];
    expect(getV(c, 8)).toBe(
      join(
        idx.map((j) => (j < 32n ? t[Number(j)] : 0n)),
        8,
      ),
    );
  });
  it('tbl wraps the register list from V31 to V0', () => {
    const c = run([0x4e0823e9 /* tbl v9.16b, {v31.16b, v0.16b}, v8.16b */], (cc) => {
      table(cc);
      setV(cc, 31, 0x0f0e0d0c0b0a09080706050403020100n);
    });
    const t = [...Array.from({ length: 16 }, (_, i) => BigInt(i)), ...el(D, 8, 16)];
    expect(getV(c, 9)).toBe(
      join(
        idx.map((j) => (j < 32n ? t[Number(j)] : 0n)),
        8,
      ),
    );
  });
});

describe('Q=0 forms zero the upper half', () => {
  const words: [number, string][] = [
    [0x0e228420, 'add v0.8b, v1.8b, v2.8b'],
    [0x0ea21c20, 'orr v0.8b, v1.8b, v2.8b'],
    [0x0f000420, 'movi v0.2s, #1'],
    [0x0f001420, 'orr v0.2s, #1'],
    [0x0e010c20, 'dup v0.8b, w1'],
    [0x0e1e0460, 'dup v0.4h, v3.h[7]'],
    [0x0e023820, 'zip1 v0.8b, v1.8b, v2.8b'],
    [0x0e020020, 'tbl v0.8b, {v1.16b}, v2.8b'],
    [0x2f1e0420, 'ushr v0.4h, v1.4h, #2'],
    [0x0e205820, 'cnt v0.8b, v1.8b'],
    [0x0e212820, 'xtn v0.8b, v1.8h'],
    [0x0f1d8420, 'shrn v0.4h, v1.4s, #3'],
    [0x0ea00820, 'rev64 v0.2s, v1.2s'],
    [0x0ea2bc20, 'addp v0.2s, v1.2s, v2.2s'],
    [0x0e609820, 'cmeq v0.4h, v1.4h, #0'],
    [0x0fa28820, 'mul v0.2s, v1.2s, v2.s[3]'],
    [0x0f03f600, 'fmov v0.2s, #1.0'],
    [0x2ea02820, 'uaddlp v0.1d, v1.2s'],
    [0x0e220c20, 'sqadd v0.8b, v1.8b, v2.8b'],
    [0x2e020820, 'ext v0.8b, v1.8b, v2.8b, #1'],
    [0x5ee28420, 'add d0, d1, d2'],
    [0x0e31b820, 'addv b0, v1.8b'],
  ];
  for (const [word, text] of words) {
    it(text, () => {
      const c = run([word], (cc) => setV(cc, 0, (1n << 128n) - 1n));
      expect(getV(c, 0) >> 64n).toBe(0n);
    });
  }
});

describe('reserved encodings are UNDEFINED', () => {
  const words: [number, string][] = [
    [0x0ee28420, '.inst 0x0ee28420'], // add v0.1d
    [0x4ee29c20, '.inst 0x4ee29c20'], // mul v0.2d
    [0x4e605820, '.inst 0x4e605820'], // cnt v0.8h
    [0x0e080c20, '.inst 0x0e080c20'], // dup v0.1d, x1
    [0x0e083c20, '.inst 0x0e083c20'], // umov w0, v1.d[0]
    [0x0e042c20, '.inst 0x0e042c20'], // smov w0, v1.s[0]
    [0x2e024020, '.inst 0x2e024020'], // ext v0.8b, #8
    [0x0ee12820, '.inst 0x0ee12820'], // xtn from 1q
    [0x0eb1b820, '.inst 0x0eb1b820'], // addv s0, v1.2s
    [0x0f7f0420, '.inst 0x0f7f0420'], // sshr v0.1d
    [0x0f7f8420, '.inst 0x0f7f8420'], // shrn from 64-bit immh=1xxx
    [0x2f03f600, '.inst 0x2f03f600'], // fmov v0.1d, #imm
    [0x5ea28420, '.inst 0x5ea28420'], // add s0, s1, s2
    [0x0ec23820, '.inst 0x0ec23820'], // zip1 v0.1d
    [0x4f228020, '.inst 0x4f228020'], // mul by element, size 00
    [0x4ee05820, '.inst 0x4ee05820'], // cnt, size 11
  ];
  for (const [word, text] of words) {
    it(text, () => {
      const c = runCode([word], (cc, m) => {
        cc.sys.set(R.VBAR_EL1, DATA, 0);
        m.poke32(DATA + 0x200, [HLT_STOP]);
        setV(cc, 0, D);
      });
      expect(c.sys.lo(R.ESR_EL1) >>> 26).toBe(0); // EC = Unknown
      expect(c.sys.lo(R.ELR_EL1)).toBe(CODE);
      expect(getV(c, 0)).toBe(D);
    });
  }
});

describe('SIMD&FP access trap', () => {
  it('CPACR_EL1.FPEN = 0 traps before any register changes', () => {
    const c = runCode(
      [0x4ea28420 /* add v0.4s, v1.4s, v2.4s */],
      (cc, m) => {
        cc.sys.set(R.VBAR_EL1, DATA, 0);
        m.poke32(DATA + 0x200, [HLT_STOP]);
        setV(cc, 0, D);
        setV(cc, 1, A);
      },
      { fp: false },
    );
    expect(c.sys.lo(R.ESR_EL1) >>> 26).toBe(0x07);
    expect(c.sys.lo(R.ELR_EL1)).toBe(CODE);
    expect(getV(c, 0)).toBe(D);
  });
  it('UMOV traps too (general-register destination untouched)', () => {
    const c = runCode(
      [0x4e083c20 /* mov x0, v1.d[0] */],
      (cc, m) => {
        cc.sys.set(R.VBAR_EL1, DATA, 0);
        m.poke32(DATA + 0x200, [HLT_STOP]);
        cc.setX(0, 5n);
      },
      { fp: false },
    );
    expect(c.sys.lo(R.ESR_EL1) >>> 26).toBe(0x07);
    expect(c.getX(0)).toBe(5n);
  });
});
