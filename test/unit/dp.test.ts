// Integer data processing, unit level: every family with edge values, flags
// checked exactly, 32-bit forms clearing the upper half, UNDEFINED encodings.
// Encodings come from aarch64-linux-gnu-as; UNDEFINED ones are valid encodings
// with one field changed (objdump shows them as undefined). Expected values come
// from the reference below, written in BigInt from the Arm ARM pseudocode.
import { describe, it, expect } from 'vitest';
import { makeMachine, runCode, CODE, DATA, HLT_STOP, type TestMachine } from '../helpers/cpu.js';
import { MODELS } from '../../core/a64/models.js';
import { enterAt } from '../../core/a64/reset.js';
import { R } from '../../core/a64/sysregs.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { decodeBitMasks } from '../../core/a64/exec/int-bitmask.js';
import { udiv64, sdiv64 } from '../../core/a64/exec/int-div.js';
import { umulh64, smulh64, mul64 } from '../../core/a64/exec/int-mul.js';

// ---------------------------------------------------------------- reference

const mask = (bits: number): bigint => (1n << BigInt(bits)) - 1n;
const u = (v: bigint, bits: number): bigint => v & mask(bits);
const s = (v: bigint, bits: number): bigint => {
  const x = u(v, bits);
  return x >> BigInt(bits - 1) ? x - (1n << BigInt(bits)) : x;
};
const lsl = (b: number, v: bigint, n: number): bigint => u(v << BigInt(n), b);
const lsr = (b: number, v: bigint, n: number): bigint => u(v, b) >> BigInt(n);
const asr = (b: number, v: bigint, n: number): bigint => u(s(v, b) >> BigInt(n), b);
const ror = (b: number, v: bigint, n: number): bigint => (n === 0 ? u(v, b) : u((u(v, b) >> BigInt(n)) | (v << BigInt(b - n)), b));

interface Res {
  v?: bigint;
  f?: number;
}

/** AddWithCarry: result and NZCV. */
function awc(b: number, x: bigint, y: bigint, cin: number): Res {
  const us = u(x, b) + u(y, b) + BigInt(cin);
  const ss = s(x, b) + s(y, b) + BigInt(cin);
  const r = u(us, b);
  const n = Number(r >> BigInt(b - 1));
  const z = r === 0n ? 1 : 0;
  const c = r === us ? 0 : 1;
  const v = s(r, b) === ss ? 0 : 1;
  return { v: r, f: (n << 3) | (z << 2) | (c << 1) | v };
}
const adds = (b: number, x: bigint, y: bigint): Res => awc(b, x, y, 0);
const subs = (b: number, x: bigint, y: bigint): Res => awc(b, x, ~y, 1);
const add = (b: number, x: bigint, y: bigint): bigint => u(x + y, b);
const sub = (b: number, x: bigint, y: bigint): bigint => u(x - y, b);
const flagsOnly = (r: Res): Res => ({ f: r.f });
/** Result and NZCV of a logical op with flags: N, Z from the result, C = V = 0. */
const lflags = (b: number, r: bigint): Res => ({ v: u(r, b), f: (Number(u(r, b) >> BigInt(b - 1)) << 3) | (u(r, b) === 0n ? 4 : 0) });
/** ExtendReg: UXTB..SXTX then LSL. */
function ext(b: number, v: bigint, kind: string, sh: number): bigint {
  const len = { b: 8, h: 16, w: 32, x: 64 }[kind[3]]!;
  const e = kind[0] === 's' ? s(v, len) : u(v, len);
  return u(e << BigInt(sh), b);
}
/** ConditionHolds, from the pseudocode. */
function condHolds(cond: number, nzcv: number): boolean {
  const [n, z, c, v] = [(nzcv >> 3) & 1, (nzcv >> 2) & 1, (nzcv >> 1) & 1, nzcv & 1];
  const base = [z === 1, c === 1, n === 1, v === 1, c === 1 && z === 0, n === v, n === v && z === 0, true][cond >> 1];
  return (cond & 1) === 1 && cond !== 15 ? !base : base;
}
const COND_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

// ---------------------------------------------------------------- harness

const VBAR = DATA; // EL1 vectors; the current-EL/SP_ELx synchronous slot holds HLT (stops the run)
const SYNC_VECTOR = BigInt(VBAR + 0x200);
let mach: TestMachine | undefined;
let loaded = '';

function machine(): TestMachine {
  if (!mach) {
    mach = makeMachine();
    mach.poke32(VBAR + 0x200, [HLT_STOP]);
  }
  return mach;
}

/** Garbage in every register so that a 32-bit write that forgets the upper half shows. */
const garbage = (i: number): bigint => 0xdead_0000_0000_0000n | (BigInt(i) * 0x0101_0101_0101n);

/** Run `words` (+ HLT) at CODE from EL1 with X1.. from `regs`, NZCV = nzcv. */
function exec(words: number[], regs: Record<number, bigint>, nzcv = 0): Cpu {
  const m = machine();
  const c = m.c;
  const key = words.join(',');
  if (key !== loaded) {
    m.poke32(CODE, [...words, HLT_STOP]);
    m.blocks.invalidateAll(c);
    loaded = key;
  }
  c.sys.set(R.VBAR_EL1, VBAR, 0);
  enterAt(c, 1, BigInt(CODE));
  for (let i = 0; i < 31; i++) c.setX(i, garbage(i));
  for (const [k, v] of Object.entries(regs)) c.setX(Number(k), u(v, 64)); // 31 = SP_EL1
  c.nzcv = nzcv;
  m.run(1000);
  return c;
}

const hex = (v: bigint | undefined): string => (v === undefined ? '-' : '0x' + v.toString(16));

/** The CPU took an UNDEFINED exception at CODE: EL1 sync vector, ESR_EL1.EC = 0, ELR = CODE. */
function expectUndefined(word: number, what: string): void {
  const c = exec([word], {});
  const esr = c.sys.get64(R.ESR_EL1);
  expect({ what, pc: hex(c.pc), ec: Number(esr >> 26n), elr: hex(c.sys.get64(R.ELR_EL1)) }).toEqual({
    what,
    pc: hex(SYNC_VECTOR),
    ec: 0,
    elr: hex(BigInt(CODE)),
  });
}

/** Edge values: 0, ±1, the signed limits of both widths, carries across bit 32, garbage upper halves. */
const V: bigint[] = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffn,
  0xffffn,
  0x7fffffffn,
  0x80000000n,
  0xfffffffen,
  0xffffffffn,
  0x100000000n,
  0x1_ffff_ffffn,
  0x7fff_ffff_ffff_ffffn,
  0x8000_0000_0000_0000n,
  0xffff_ffff_ffff_fffen,
  mask(64),
  0x1234_5678_9abc_def0n,
  0xfedc_ba98_7654_3210n,
  0xffff_ffff_0000_0000n,
  0x8000_0000_7fff_ffffn,
];

/** A deterministic PRNG for random 64-bit operands (xorshift64*). */
function rng(seed: bigint): () => bigint {
  let x = seed;
  return () => {
    x ^= x >> 12n;
    x ^= u(x << 25n, 64);
    x ^= x >> 27n;
    return u(x * 0x2545f4914f6cdd1dn, 64);
  };
}
const rand = rng(0x9e3779b97f4a7c15n);
/** Random values of assorted magnitudes (dividends ≥ 2^53 and small divisors included). */
const R64: bigint[] = Array.from({ length: 48 }, (_, i) => {
  const r = rand();
  return i % 4 === 0 ? r : i % 4 === 1 ? r >> BigInt(rand() % 64n) : i % 4 === 2 ? u(-(r >> BigInt(rand() % 64n)), 64) : r >> 11n;
});

type Ref = (n: bigint, m: bigint, nzcv: number, a: bigint) => bigint | Res;
type Row = [word: number, ref: Ref];

/**
 * Runs each row (Rd = X0, Rn = X1, Rm = X2, Ra = X3) over every pair of `vals`;
 * checks X0 and NZCV (unchanged when the reference gives no flags; X0 unchanged
 * when it gives no value).
 */
/** Rm values for rows that do not read Rm (immediate and one-source forms). */
const UNARY = [0x5a5a_5a5a_5a5a_5a5an];

function runRows(rows: Row[], vals: bigint[] = V, nzcvs: number[] = [0b0000, 0b1111], mvals: bigint[] = vals): void {
  const fails: string[] = [];
  const a = 0x0123_4567_89ab_cdefn;
  for (const [w, ref] of rows) {
    for (const n of vals)
      for (const m of mvals)
        for (const nz of nzcvs) {
          const c = exec([w], { 1: n, 2: m, 3: a }, nz);
          const r = ref(n, m, nz, a);
          const want: Res = typeof r === 'bigint' ? { v: r, f: nz } : { v: r.v, f: r.f ?? nz };
          const gotV = c.getX(0);
          const expV = want.v ?? garbage(0);
          if (gotV !== expV || c.nzcv !== want.f || c.pc !== BigInt(CODE)) {
            if (fails.length < 20)
              fails.push(
                `0x${(w >>> 0).toString(16)} n=${hex(n)} m=${hex(m)} nzcv=${nz}: x0=${hex(gotV)} nzcv=${c.nzcv} pc=${hex(c.pc)}; want ${hex(expV)} ${want.f}`,
              );
          }
        }
  }
  expect(fails).toEqual([]);
}

// ---------------------------------------------------------------- tests

describe('add/subtract (immediate)', () => {
  it('computes results and flags', () => {
    runRows(
      [
        [0x91000420 /* add x0, x1, #1 */, (n) => add(64, n, 1n)],
        [0x913ffc20 /* add x0, x1, #0xfff */, (n) => add(64, n, 0xfffn)],
        [0x917ffc20 /* add x0, x1, #0xfff, lsl #12 */, (n) => add(64, n, 0xfff000n)],
        [0xd1000420 /* sub x0, x1, #1 */, (n) => sub(64, n, 1n)],
        [0xd1600020 /* sub x0, x1, #0x800, lsl #12 */, (n) => sub(64, n, 0x800000n)],
        [0x11000420 /* add w0, w1, #1 */, (n) => add(32, n, 1n)],
        [0x517ffc20 /* sub w0, w1, #0xfff, lsl #12 */, (n) => sub(32, n, 0xfff000n)],
        [0xb1000420 /* adds x0, x1, #1 */, (n) => adds(64, n, 1n)],
        [0x313ffc20 /* adds w0, w1, #0xfff */, (n) => adds(32, n, 0xfffn)],
        [0xf1000420 /* subs x0, x1, #1 */, (n) => subs(64, n, 1n)],
        [0x71400420 /* subs w0, w1, #0x1, lsl #12 */, (n) => subs(32, n, 0x1000n)],
        [0xf1000020 /* subs x0, x1, #0 */, (n) => subs(64, n, 0n)],
        [0xf100143f /* cmp x1, #5 */, (n) => flagsOnly(subs(64, n, 5n))],
        [0x3100043f /* cmn w1, #1 */, (n) => flagsOnly(adds(32, n, 1n))],
      ],
      V,
      [0b0000, 0b1111],
      UNARY,
    );
  });
  it('uses SP for Rn and for Rd unless S', () => {
    const c = exec(
      [
        0x910043ff /* add sp, sp, #0x10 */, 0x910003e0 /* mov x0, sp */, 0xd10083e1 /* sub x1, sp, #0x20 */,
        0xb10007e2 /* adds x2, sp, #1 */,
      ],
      { 31: 0xffff_fff8n },
    );
    expect([hex(c.getX(31)), hex(c.getX(0)), hex(c.getX(1)), hex(c.getX(2))]).toEqual([
      '0x100000008',
      '0x100000008',
      '0xffffffe8',
      '0x100000009',
    ]);
  });
});

describe('add/subtract (shifted register)', () => {
  it('computes results and flags for each shift', () => {
    runRows([
      [0x8b020020 /* add x0, x1, x2 */, (n, m) => add(64, n, m)],
      [0x8b020420 /* add x0, x1, x2, lsl #1 */, (n, m) => add(64, n, lsl(64, m, 1))],
      [0x8b028020 /* add x0, x1, x2, lsl #32 */, (n, m) => add(64, n, lsl(64, m, 32))],
      [0x8b42fc20 /* add x0, x1, x2, lsr #63 */, (n, m) => add(64, n, lsr(64, m, 63))],
      [0x8b828420 /* add x0, x1, x2, asr #33 */, (n, m) => add(64, n, asr(64, m, 33))],
      [0xcb020020 /* sub x0, x1, x2 */, (n, m) => sub(64, n, m)],
      [0xcb821c20 /* sub x0, x1, x2, asr #7 */, (n, m) => sub(64, n, asr(64, m, 7))],
      [0xcb02ffe0 /* neg x0, x2, lsl #63 */, (_n, m) => sub(64, 0n, lsl(64, m, 63))],
      [0x0b020020 /* add w0, w1, w2 */, (n, m) => add(32, n, m)],
      [0x0b427c20 /* add w0, w1, w2, lsr #31 */, (n, m) => add(32, n, lsr(32, m, 31))],
      [0x4b020020 /* sub w0, w1, w2 */, (n, m) => sub(32, n, m)],
      [0x4b820420 /* sub w0, w1, w2, asr #1 */, (n, m) => sub(32, n, asr(32, m, 1))],
      [0xab020020 /* adds x0, x1, x2 */, (n, m) => adds(64, n, m)],
      [0xab428020 /* adds x0, x1, x2, lsr #32 */, (n, m) => adds(64, n, lsr(64, m, 32))],
      [0xeb020020 /* subs x0, x1, x2 */, (n, m) => subs(64, n, m)],
      [0xeb82fc20 /* subs x0, x1, x2, asr #63 */, (n, m) => subs(64, n, asr(64, m, 63))],
      [0x2b020020 /* adds w0, w1, w2 */, (n, m) => adds(32, n, m)],
      [0x2b027c20 /* adds w0, w1, w2, lsl #31 */, (n, m) => adds(32, n, lsl(32, m, 31))],
      [0x6b020020 /* subs w0, w1, w2 */, (n, m) => subs(32, n, m)],
      [0x6b827c20 /* subs w0, w1, w2, asr #31 */, (n, m) => subs(32, n, asr(32, m, 31))],
      [0xeb02003f /* cmp x1, x2 */, (n, m) => flagsOnly(subs(64, n, m))],
      [0x2b02003f /* cmn w1, w2 */, (n, m) => flagsOnly(adds(32, n, m))],
      [0x6b0203e0 /* negs w0, w2 */, (_n, m) => subs(32, 0n, m)],
    ]);
  });
  it('is UNDEFINED for ROR and for 32-bit shifts of 32 or more', () => {
    expectUndefined(0x8bc20020, 'add x0, x1, x2, ror #0 (shift = 11)');
    expectUndefined(0x0b028020, 'add w0, w1, w2, lsl #32 (imm6<5> = 1)');
  });
});

describe('add/subtract (extended register)', () => {
  it('extends, shifts and adds', () => {
    runRows([
      [0x8b220020 /* add x0, x1, w2, uxtb */, (n, m) => add(64, n, ext(64, m, 'uxtb', 0))],
      [0x8b222420 /* add x0, x1, w2, uxth #1 */, (n, m) => add(64, n, ext(64, m, 'uxth', 1))],
      [0x8b224820 /* add x0, x1, w2, uxtw #2 */, (n, m) => add(64, n, ext(64, m, 'uxtw', 2))],
      [0x8b226c20 /* add x0, x1, x2, uxtx #3 */, (n, m) => add(64, n, ext(64, m, 'uxtx', 3))],
      [0x8b229020 /* add x0, x1, w2, sxtb #4 */, (n, m) => add(64, n, ext(64, m, 'sxtb', 4))],
      [0x8b22a020 /* add x0, x1, w2, sxth */, (n, m) => add(64, n, ext(64, m, 'sxth', 0))],
      [0x8b22cc20 /* add x0, x1, w2, sxtw #3 */, (n, m) => add(64, n, ext(64, m, 'sxtw', 3))],
      [0xcb22e420 /* sub x0, x1, x2, sxtx #1 */, (n, m) => sub(64, n, ext(64, m, 'sxtx', 1))],
      [0x0b220820 /* add w0, w1, w2, uxtb #2 */, (n, m) => add(32, n, ext(32, m, 'uxtb', 2))],
      [0x4b22b020 /* sub w0, w1, w2, sxth #4 */, (n, m) => sub(32, n, ext(32, m, 'sxth', 4))],
      [0x0b22c020 /* add w0, w1, w2, sxtw */, (n, m) => add(32, n, ext(32, m, 'sxtw', 0))],
      [0xab22c820 /* adds x0, x1, w2, sxtw #2 */, (n, m) => adds(64, n, ext(64, m, 'sxtw', 2))],
      [0xeb220020 /* subs x0, x1, w2, uxtb */, (n, m) => subs(64, n, ext(64, m, 'uxtb', 0))],
      [0x6b228420 /* subs w0, w1, w2, sxtb #1 */, (n, m) => subs(32, n, ext(32, m, 'sxtb', 1))],
      [0xeb22403f /* cmp x1, w2, uxtw */, (n, m) => flagsOnly(subs(64, n, ext(64, m, 'uxtw', 0)))],
    ]);
  });
  it('uses SP for Rn and for Rd unless S', () => {
    const c = exec(
      [
        0x8b2263ff /* add sp, sp, x2 */, 0x8b2353e0 /* add x0, sp, w3, uxtw #4 */, 0xcb23c03f /* sub sp, x1, w3, sxtw */,
        0xab2263e4 /* adds x4, sp, x2 */,
      ],
      {
        31: 0x1000n,
        1: 0x5000n,
        2: 0xfffffff0n,
        3: 0xffff_ffffn,
      },
    );
    expect([hex(c.getX(31)), hex(c.getX(0)), hex(c.getX(4))]).toEqual(['0x5001', '0x1100000fe0', '0x100004ff1']);
  });
  it('is UNDEFINED for shifts above 4 and for opt != 00', () => {
    expectUndefined(0x8b221420, 'add x0, x1, w2, uxtb #5');
    expectUndefined(0x8b221c20, 'add x0, x1, w2, uxtb #7');
    expectUndefined(0x8b620020, 'add (extended) with opt = 01');
  });
});

describe('add/subtract with carry', () => {
  it('adds the carry flag', () => {
    const cin = (nz: number): number => (nz >> 1) & 1;
    runRows(
      [
        [0x9a020020 /* adc x0, x1, x2 */, (n, m, nz) => u(n + m + BigInt(cin(nz)), 64)],
        [0xba020020 /* adcs x0, x1, x2 */, (n, m, nz) => awc(64, n, m, cin(nz))],
        [0xda020020 /* sbc x0, x1, x2 */, (n, m, nz) => awc(64, n, ~m, cin(nz)).v!],
        [0xfa020020 /* sbcs x0, x1, x2 */, (n, m, nz) => awc(64, n, ~m, cin(nz))],
        [0x1a020020 /* adc w0, w1, w2 */, (n, m, nz) => u(n + m + BigInt(cin(nz)), 32)],
        [0x3a020020 /* adcs w0, w1, w2 */, (n, m, nz) => awc(32, n, m, cin(nz))],
        [0x7a020020 /* sbcs w0, w1, w2 */, (n, m, nz) => awc(32, n, ~m, cin(nz))],
        [0xfa0203e0 /* ngcs x0, x2 */, (_n, m, nz) => awc(64, 0n, ~m, cin(nz))],
      ],
      V,
      [0b0000, 0b0010, 0b1101],
    );
  });
});

describe('logical (immediate)', () => {
  it('DecodeBitMasks matches the pseudocode for every N:immr:imms', () => {
    const ref = (N: number, imms: number, immr: number, immediate: boolean): [bigint, bigint] | null => {
      const combined = (N << 6) | (~imms & 0x3f);
      let len = -1;
      for (let i = 6; i >= 0; i--)
        if ((combined >> i) & 1) {
          len = i;
          break;
        }
      if (len < 1) return null;
      const levels = (1 << len) - 1;
      if (immediate && (imms & levels) === levels) return null;
      const S = imms & levels;
      const Rr = immr & levels;
      const d = (S - Rr) & levels;
      const esize = 1 << len;
      const welem = mask(S + 1);
      const telem = mask(d + 1);
      const rotated = ror(esize, welem, Rr);
      let w = 0n;
      let t = 0n;
      for (let i = 0; i < 64; i += esize) {
        w |= rotated << BigInt(i);
        t |= telem << BigInt(i);
      }
      return [w, t];
    };
    const bad: string[] = [];
    for (const immediate of [true, false])
      for (let N = 0; N < 2; N++)
        for (let immr = 0; immr < 64; immr++)
          for (let imms = 0; imms < 64; imms++) {
            const want = ref(N, imms, immr, immediate);
            const got = decodeBitMasks(N, imms, immr, immediate);
            const g =
              got === null
                ? null
                : [(BigInt(got.whi >>> 0) << 32n) | BigInt(got.wlo >>> 0), (BigInt(got.thi >>> 0) << 32n) | BigInt(got.tlo >>> 0)];
            if (
              JSON.stringify(g, (_k, v) => (typeof v === 'bigint' ? hex(v) : v)) !==
              JSON.stringify(want, (_k, v) => (typeof v === 'bigint' ? hex(v) : v))
            )
              if (bad.length < 10) bad.push(`N=${N} immr=${immr} imms=${imms} imm=${immediate}`);
          }
    expect(bad).toEqual([]);
  });
  it('computes AND/ORR/EOR/ANDS', () => {
    runRows(
      [
        [0x92401c20 /* and x0, x1, #0xff */, (n) => n & 0xffn],
        [0x927cec20 /* and x0, x1, #0xfffffffffffffff0 */, (n) => n & 0xfffffffffffffff0n],
        [0xb2410420 /* orr x0, x1, #0x8000000000000001 */, (n) => n | 0x8000000000000001n],
        [0xd200f020 /* eor x0, x1, #0x5555555555555555 */, (n) => n ^ 0x5555555555555555n],
        [0xd2607c20 /* eor x0, x1, #0xffffffff00000000 */, (n) => n ^ 0xffffffff00000000n],
        [0xf204cc20 /* ands x0, x1, #0xf0f0f0f0f0f0f0f0 */, (n) => lflags(64, n & 0xf0f0f0f0f0f0f0f0n)],
        [0xf241003f /* tst x1, #0x8000000000000000 */, (n) => flagsOnly(lflags(64, n & 0x8000000000000000n))],
        [0x121f3820 /* and w0, w1, #0xfffe */, (n) => n & 0xfffen],
        [0x32010420 /* orr w0, w1, #0x80000001 */, (n) => u(n | 0x80000001n, 32)],
        [0x5201f020 /* eor w0, w1, #0xaaaaaaaa */, (n) => u(n ^ 0xaaaaaaaan, 32)],
        [0x72010020 /* ands w0, w1, #0x80000000 */, (n) => lflags(32, n & 0x80000000n)],
        [0x7200003f /* tst w1, #0x1 */, (n) => flagsOnly(lflags(32, n & 1n))],
        [0xb2103fe0 /* mov x0, #0xffff0000ffff0000 */, () => 0xffff0000ffff0000n],
        [0x12b00000 /* mov w0, #0x7fffffff */, () => 0x7fffffffn],
      ],
      V,
      [0b0000, 0b1111],
      UNARY,
    );
  });
  it('writes SP for AND/ORR/EOR with Rd = 31', () => {
    const c = exec([0x927cec3f /* and sp, x1, #0xfffffffffffffff0 */, 0xb24007e2 /* orr x2, xzr, #0x3 */], { 1: 0x1234_5678_9abc_def7n });
    expect([hex(c.getX(31)), hex(c.getX(2))]).toEqual(['0x123456789abcdef0', '0x3']);
  });
  it('is UNDEFINED for sf = 0 with N = 1 and for reserved immr/imms', () => {
    expectUndefined(0x12400020, 'and w0, w1 with N = 1');
    expectUndefined(0x9240fc20, 'and x0, x1, N = 1 imms = 111111 (all ones)');
    expectUndefined(0x9200f420, 'and x0, x1, N = 0 imms = 111101 (2-bit element of ones)');
    expectUndefined(0x9200f820, 'and x0, x1, N = 0 imms = 111110 (len < 1)');
  });
});

describe('move wide', () => {
  it('MOVZ/MOVN/MOVK', () => {
    runRows(
      [
        [0xd2e24680 /* movz x0, #0x1234, lsl #48 */, () => 0x1234n << 48n],
        [0x52bfffe0 /* movz w0, #0xffff, lsl #16 */, () => 0xffff0000n],
        [0x92800000 /* movn x0, #0 */, () => mask(64)],
        [0x92c24680 /* movn x0, #0x1234, lsl #32 */, () => u(~(0x1234n << 32n), 64)],
        [0x12824680 /* movn w0, #0x1234 */, () => u(~0x1234n, 32)],
        [0x12bfffe0 /* movn w0, #0xffff, lsl #16 */, () => 0xffffn],
        [0xf2b7dde0 /* movk x0, #0xbeef, lsl #16 */, (_n, _m, _f) => (garbage(0) & ~(0xffffn << 16n)) | (0xbeefn << 16n)],
        [0xf2f00020 /* movk x0, #0x8001, lsl #48 */, () => (garbage(0) & ~(0xffffn << 48n)) | (0x8001n << 48n)],
        [0x72bfffe0 /* movk w0, #0xffff, lsl #16 */, () => u(garbage(0), 16) | 0xffff0000n],
        [0x72800020 /* movk w0, #0x1 */, () => (garbage(0) & 0xffff0000n) | 1n],
      ],
      [0n],
    );
  });
  it('is UNDEFINED for opc = 01 and for 32-bit hw >= 2', () => {
    expectUndefined(0x32800020, 'move wide opc = 01');
    expectUndefined(0x52c00020, 'movz w0, #1, lsl #32');
  });
});

describe('PC-relative addressing', () => {
  it('ADR and ADRP, with carries into and borrows from the high word', () => {
    // The ADRP words are hand-assembled (page offsets out of a relocatable object's
    // reach); objdump -b binary --adjust-vma=0x40080008 shows the targets given here.
    const c = exec(
      [
        0x300091a0 /* adr x0, .+0x1235 */,
        0x10800001 /* adr x1, .-0x100000 */,
        0xf03fffe2, // adrp x2, 0xc007f000
        0x90dffc03, // adrp x3, 0x0
        0x90800004, // adrp x4, 0xffffffff40080000
        0xf07fffe5, // adrp x5, 0x14007f000
      ],
      {},
    );
    expect([1, 2, 3, 4, 5].map((i) => hex(c.getX(i))).concat(hex(c.getX(0)))).toEqual([
      hex(BigInt(CODE) + 4n - 0x100000n),
      '0xc007f000',
      '0x0',
      '0xffffffff40080000',
      '0x14007f000',
      hex(BigInt(CODE) + 0x1235n),
    ]);
  });
});

describe('bitfield', () => {
  const ubfx = (b: number, v: bigint, lsb: number, w: number): bigint => u(v >> BigInt(lsb), w);
  const sbfx = (b: number, v: bigint, lsb: number, w: number): bigint => u(s(u(v, b) >> BigInt(lsb), w), b);
  const bfi = (b: number, d: bigint, v: bigint, lsb: number, w: number): bigint =>
    u((d & ~(mask(w) << BigInt(lsb))) | (u(v, w) << BigInt(lsb)), b);
  it('computes the aliases', () => {
    runRows(
      [
        [0xd37ff820 /* lsl x0, x1, #1 */, (n) => lsl(64, n, 1)],
        [0xd3410020 /* lsl x0, x1, #63 */, (n) => lsl(64, n, 63)],
        [0xd3607c20 /* lsl x0, x1, #32 */, (n) => lsl(64, n, 32)],
        [0xd361fc20 /* lsr x0, x1, #33 */, (n) => lsr(64, n, 33)],
        [0xd340fc20 /* lsr x0, x1, #0 */, (n) => n],
        [0x937ffc20 /* asr x0, x1, #63 */, (n) => asr(64, n, 63)],
        [0x9344fc20 /* asr x0, x1, #4 */, (n) => asr(64, n, 4)],
        [0x53010020 /* lsl w0, w1, #31 */, (n) => lsl(32, n, 31)],
        [0x53077c20 /* lsr w0, w1, #7 */, (n) => lsr(32, n, 7)],
        [0x131f7c20 /* asr w0, w1, #31 */, (n) => asr(32, n, 31)],
        [0xd354ac20 /* ubfx x0, x1, #20, #24 */, (n) => ubfx(64, n, 20, 24)],
        [0x53037c20 /* ubfx w0, w1, #3, #29 */, (n) => ubfx(32, n, 3, 29)],
        [0xd3610420 /* ubfiz x0, x1, #31, #2 */, (n) => u(u(n, 2) << 31n, 64)],
        [0x531f7420 /* ubfiz w0, w1, #1, #30 */, (n) => u(u(n, 30) << 1n, 32)],
        [0x935e8420 /* sbfx x0, x1, #30, #4 */, (n) => sbfx(64, n, 30, 4)],
        [0x13007820 /* sbfx w0, w1, #0, #31 */, (n) => sbfx(32, n, 0, 31)],
        [0x93440820 /* sbfiz x0, x1, #60, #3 */, (n) => u(s(n, 3) << 60n, 64)],
        [0x131c1c20 /* sbfiz w0, w1, #4, #8 */, (n) => u(s(n, 8) << 4n, 32)],
        [0x93401c20 /* sxtb x0, w1 */, (n) => u(s(n, 8), 64)],
        [0x13003c20 /* sxth w0, w1 */, (n) => u(s(n, 16), 32)],
        [0x93407c20 /* sxtw x0, w1 */, (n) => u(s(n, 32), 64)],
        [0x53001c20 /* uxtb w0, w1 */, (n) => u(n, 8)],
        [0x53003c20 /* uxth w0, w1 */, (n) => u(n, 16)],
        [0xb3641c20 /* bfi x0, x1, #28, #8 */, (n) => bfi(64, garbage(0), n, 28, 8)],
        [0xb340fc20 /* bfi x0, x1, #0, #64 */, (n) => n],
        [0x33010020 /* bfi w0, w1, #31, #1 */, (n) => bfi(32, garbage(0), n, 31, 1)],
        [0xb35e8c20 /* bfxil x0, x1, #30, #6 */, (n) => bfi(64, garbage(0), ubfx(64, n, 30, 6), 0, 6)],
        [0x33085c20 /* bfxil w0, w1, #8, #16 */, (n) => bfi(32, garbage(0), ubfx(32, n, 8, 16), 0, 16)],
      ],
      V,
      [0b0000, 0b1111],
      UNARY,
    );
  });
  it('matches the alias definitions for every immr/imms (64 and 32 bits)', () => {
    // Base words from the assembler; immr (bits 21:16) and imms (15:10) swept.
    const bases: [number, string][] = [
      [0x93400020 /* sbfm x0, x1, #0, #0 */, 'sbfm'],
      [0xb3400020 /* bfm x0, x1, #0, #0 */, 'bfm'],
      [0xd3400020 /* ubfm x0, x1, #0, #0 */, 'ubfm'],
      [0x13000020 /* sbfm w0, w1, #0, #0 */, 'sbfm'],
      [0x33000020 /* bfm w0, w1, #0, #0 */, 'bfm'],
      [0x53000020 /* ubfm w0, w1, #0, #0 */, 'ubfm'],
    ];
    const fails: string[] = [];
    const n = 0x9234_5678_9abc_def1n;
    for (const [base, op] of bases) {
      const b = base >>> 31 ? 64 : 32;
      for (let immr = 0; immr < b; immr += b === 64 ? 3 : 1)
        for (let imms = 0; imms < b; imms += b === 64 ? 1 : 3) {
          const w = (base | (immr << 16) | (imms << 10)) >>> 0;
          const d0 = garbage(0);
          let want: bigint;
          // imms >= immr: field [imms:immr] to bit 0; otherwise field [imms:0] to bit b - immr.
          const [lsb, width, dst] = imms >= immr ? [immr, imms - immr + 1, 0] : [0, imms + 1, b - immr];
          const field = u(n >> BigInt(lsb), width);
          if (op === 'ubfm') want = u(field << BigInt(dst), b);
          else if (op === 'sbfm') want = u(s(field, width) << BigInt(dst), b);
          else want = bfi(b, d0, field, dst, width);
          const c = exec([w], { 1: n });
          if (c.getX(0) !== want && fails.length < 10)
            fails.push(`${op}${b} immr=${immr} imms=${imms}: ${hex(c.getX(0))} want ${hex(want)}`);
        }
    }
    expect(fails).toEqual([]);
  });
  it('is UNDEFINED for opc = 11, sf != N, and 32-bit immr/imms >= 32', () => {
    expectUndefined(0x73000020, 'bitfield opc = 11');
    expectUndefined(0x93000020, 'sbfm x0, x1 with N = 0');
    expectUndefined(0x13400020, 'sbfm w0, w1 with N = 1');
    expectUndefined(0x13200020, 'sbfm w0, w1, #32, #0');
    expectUndefined(0x13008020, 'sbfm w0, w1, #0, #32');
  });
});

describe('extract', () => {
  it('EXTR and ROR (immediate)', () => {
    const extr = (b: number, n: bigint, m: bigint, lsb: number): bigint => u(((u(n, b) << BigInt(b)) | u(m, b)) >> BigInt(lsb), b);
    runRows([
      [0x93c20020 /* extr x0, x1, x2, #0 */, (n, m) => extr(64, n, m, 0)],
      [0x93c20420 /* extr x0, x1, x2, #1 */, (n, m) => extr(64, n, m, 1)],
      [0x93c27c20 /* extr x0, x1, x2, #31 */, (n, m) => extr(64, n, m, 31)],
      [0x93c28020 /* extr x0, x1, x2, #32 */, (n, m) => extr(64, n, m, 32)],
      [0x93c28420 /* extr x0, x1, x2, #33 */, (n, m) => extr(64, n, m, 33)],
      [0x93c2fc20 /* extr x0, x1, x2, #63 */, (n, m) => extr(64, n, m, 63)],
      [0x93c13420 /* ror x0, x1, #13 */, (n) => ror(64, n, 13)],
      [0x13820020 /* extr w0, w1, w2, #0 */, (n, m) => extr(32, n, m, 0)],
      [0x13820420 /* extr w0, w1, w2, #1 */, (n, m) => extr(32, n, m, 1)],
      [0x13827c20 /* extr w0, w1, w2, #31 */, (n, m) => extr(32, n, m, 31)],
      [0x13814020 /* ror w0, w1, #16 */, (n) => ror(32, n, 16)],
    ]);
  });
  it('is UNDEFINED for sf != N and 32-bit lsb >= 32', () => {
    expectUndefined(0x93820020, 'extr x0, x1, x2 with N = 0');
    expectUndefined(0x13c20020, 'extr w0, w1, w2 with N = 1');
    expectUndefined(0x13828020, 'extr w0, w1, w2, #32');
  });
});

describe('logical (shifted register)', () => {
  it('computes all eight ops with all four shifts', () => {
    runRows([
      [0x8a020020 /* and x0, x1, x2 */, (n, m) => n & m],
      [0x8ac20420 /* and x0, x1, x2, ror #1 */, (n, m) => n & ror(64, m, 1)],
      [0x8a228020 /* bic x0, x1, x2, lsl #32 */, (n, m) => n & u(~lsl(64, m, 32), 64)],
      [0xaa42fc20 /* orr x0, x1, x2, lsr #63 */, (n, m) => n | lsr(64, m, 63)],
      [0xaaa28020 /* orn x0, x1, x2, asr #32 */, (n, m) => u(n | ~asr(64, m, 32), 64)],
      [0xcac28420 /* eor x0, x1, x2, ror #33 */, (n, m) => n ^ ror(64, m, 33)],
      [0xca220020 /* eon x0, x1, x2 */, (n, m) => u(n ^ ~m, 64)],
      [0xeac2fc20 /* ands x0, x1, x2, ror #63 */, (n, m) => lflags(64, n & ror(64, m, 63))],
      [0xea220020 /* bics x0, x1, x2 */, (n, m) => lflags(64, n & ~m)],
      [0xea02043f /* tst x1, x2, lsl #1 */, (n, m) => flagsOnly(lflags(64, n & lsl(64, m, 1)))],
      [0xaa0203e0 /* mov x0, x2 */, (_n, m) => m],
      [0xaae21fe0 /* mvn x0, x2, ror #7 */, (_n, m) => u(~ror(64, m, 7), 64)],
      [0x0a020020 /* and w0, w1, w2 */, (n, m) => u(n & m, 32)],
      [0x0ae27c20 /* bic w0, w1, w2, ror #31 */, (n, m) => u(n & ~ror(32, m, 31), 32)],
      [0x2a027c20 /* orr w0, w1, w2, lsl #31 */, (n, m) => u(n | lsl(32, m, 31), 32)],
      [0x2a220020 /* orn w0, w1, w2 */, (n, m) => u(n | ~m, 32)],
      [0x4a822420 /* eor w0, w1, w2, asr #9 */, (n, m) => u(n ^ asr(32, m, 9), 32)],
      [0x4a620420 /* eon w0, w1, w2, lsr #1 */, (n, m) => u(n ^ ~lsr(32, m, 1), 32)],
      [0x6a827c20 /* ands w0, w1, w2, asr #31 */, (n, m) => lflags(32, n & asr(32, m, 31))],
      [0x6ae24020 /* bics w0, w1, w2, ror #16 */, (n, m) => lflags(32, n & ~ror(32, m, 16))],
      [0x2a0203e0 /* mov w0, w2 */, (_n, m) => u(m, 32)],
      [0x2a2203e0 /* mvn w0, w2 */, (_n, m) => u(~m, 32)],
    ]);
  });
  it('is UNDEFINED for 32-bit shifts of 32 or more', () => {
    expectUndefined(0x0a028020, 'and w0, w1, w2, lsl #32');
  });
});

describe('variable shifts', () => {
  it('shift by Rm MOD datasize', () => {
    const sh = [0n, 1n, 31n, 32n, 33n, 63n, 64n, 65n, 0xffff_ffff_ffff_ffc1n];
    const vals = [...V.slice(0, 12), ...sh];
    runRows(
      [
        [0x9ac22020 /* lsl x0, x1, x2 */, (n, m) => lsl(64, n, Number(m & 63n))],
        [0x9ac22420 /* lsr x0, x1, x2 */, (n, m) => lsr(64, n, Number(m & 63n))],
        [0x9ac22820 /* asr x0, x1, x2 */, (n, m) => asr(64, n, Number(m & 63n))],
        [0x9ac22c20 /* ror x0, x1, x2 */, (n, m) => ror(64, n, Number(m & 63n))],
        [0x1ac22020 /* lsl w0, w1, w2 */, (n, m) => lsl(32, n, Number(m & 31n))],
        [0x1ac22420 /* lsr w0, w1, w2 */, (n, m) => lsr(32, n, Number(m & 31n))],
        [0x1ac22820 /* asr w0, w1, w2 */, (n, m) => asr(32, n, Number(m & 31n))],
        [0x1ac22c20 /* ror w0, w1, w2 */, (n, m) => ror(32, n, Number(m & 31n))],
      ],
      vals,
      [0b0110],
    );
  });
});

describe('conditional select and compare', () => {
  it('CSEL/CSINC/CSINV/CSNEG for every condition and NZCV', () => {
    const fails: string[] = [];
    const words = [
      0x9a820020 /* csel x0, x1, x2, eq */, 0x9a821020 /* csel x0, x1, x2, ne */, 0x9a822020 /* csel x0, x1, x2, cs */,
      0x9a823020 /* csel x0, x1, x2, cc */, 0x9a824020 /* csel x0, x1, x2, mi */, 0x9a825020 /* csel x0, x1, x2, pl */,
      0x9a826020 /* csel x0, x1, x2, vs */, 0x9a827020 /* csel x0, x1, x2, vc */, 0x9a828020 /* csel x0, x1, x2, hi */,
      0x9a829020 /* csel x0, x1, x2, ls */, 0x9a82a020 /* csel x0, x1, x2, ge */, 0x9a82b020 /* csel x0, x1, x2, lt */,
      0x9a82c020 /* csel x0, x1, x2, gt */, 0x9a82d020 /* csel x0, x1, x2, le */, 0x9a82e020 /* csel x0, x1, x2, al */,
      0x9a82f020 /* csel x0, x1, x2, nv */,
    ];
    for (let cond = 0; cond < 16; cond++)
      for (let nz = 0; nz < 16; nz++) {
        const c = exec([words[cond]], { 1: 0x1111n, 2: 0x2222n }, nz);
        const want = condHolds(cond, nz) ? 0x1111n : 0x2222n;
        if (c.getX(0) !== want || c.nzcv !== nz) fails.push(`${COND_NAMES[cond]} nzcv=${nz}: ${hex(c.getX(0))}`);
      }
    expect(fails).toEqual([]);
    runRows(
      [
        [0x9a82a420 /* csinc x0, x1, x2, ge */, (n, m, nz) => (condHolds(10, nz) ? n : add(64, m, 1n))],
        [0xda82b020 /* csinv x0, x1, x2, lt */, (n, m, nz) => (condHolds(11, nz) ? n : u(~m, 64))],
        [0xda828420 /* csneg x0, x1, x2, hi */, (n, m, nz) => (condHolds(8, nz) ? n : sub(64, 0n, m))],
        [0x1a820020 /* csel w0, w1, w2, eq */, (n, m, nz) => u(condHolds(0, nz) ? n : m, 32)],
        [0x1a821420 /* csinc w0, w1, w2, ne */, (n, m, nz) => u(condHolds(1, nz) ? n : m + 1n, 32)],
        [0x5a826020 /* csinv w0, w1, w2, vs */, (n, m, nz) => u(condHolds(6, nz) ? n : ~m, 32)],
        [0x5a827420 /* csneg w0, w1, w2, vc */, (n, m, nz) => u(condHolds(7, nz) ? n : -m, 32)],
        [0x9a9f37e0 /* cset x0, cs */, (_n, _m, nz) => (condHolds(2, nz) ? 1n : 0n)],
        [0x5a9fc3e0 /* csetm w0, le */, (_n, _m, nz) => (condHolds(13, nz) ? 0xffffffffn : 0n)],
        [0xda815420 /* cneg x0, x1, mi */, (n, _m, nz) => (condHolds(4, nz) ? sub(64, 0n, n) : n)],
      ],
      V,
      [0b0000, 0b0100, 0b1001, 0b0110, 0b1111],
    );
  });
  it('CCMP/CCMN (register and immediate)', () => {
    runRows(
      [
        [0xfa421025 /* ccmp x1, x2, #0x5, ne */, (n, m, nz) => ({ f: condHolds(1, nz) ? subs(64, n, m).f : 5 })],
        [0xba42a02a /* ccmn x1, x2, #0xa, ge */, (n, m, nz) => ({ f: condHolds(10, nz) ? adds(64, n, m).f : 0xa })],
        [0x7a42202f /* ccmp w1, w2, #0xf, cs */, (n, m, nz) => ({ f: condHolds(2, nz) ? subs(32, n, m).f : 0xf })],
        [0x3a424020 /* ccmn w1, w2, #0x0, mi */, (n, m, nz) => ({ f: condHolds(4, nz) ? adds(32, n, m).f : 0 })],
        [0xfa5f8822 /* ccmp x1, #31, #0x2, hi */, (n, _m, nz) => ({ f: condHolds(8, nz) ? subs(64, n, 31n).f : 2 })],
        [0xba41e828 /* ccmn x1, #1, #0x8, al */, (n) => ({ f: adds(64, n, 1n).f })],
        [0x7a400823 /* ccmp w1, #0, #0x3, eq */, (n, _m, nz) => ({ f: condHolds(0, nz) ? subs(32, n, 0n).f : 3 })],
        [0x3a51b82c /* ccmn w1, #17, #0xc, lt */, (n, _m, nz) => ({ f: condHolds(11, nz) ? adds(32, n, 17n).f : 0xc })],
      ],
      V,
      [0b0000, 0b0100, 0b1001, 0b0010],
    );
  });
  it('is UNDEFINED for CSEL with S = 1 or op2<1> = 1 and CCMP with o2/o3 set', () => {
    expectUndefined(0xba820020, 'csel with S = 1');
    expectUndefined(0x9a820820, 'csel with op2 = 10');
    expectUndefined(0xfa421425, 'ccmp x1, x2, #5, ne with o3 = 1');
  });
});

describe('multiply', () => {
  const vals = [...V, ...R64.slice(0, 16)];
  it('MADD/MSUB/MUL/MNEG', () => {
    runRows(
      [
        [0x9b020c20 /* madd x0, x1, x2, x3 */, (n, m, _f, a) => u(a + n * m, 64)],
        [0x9b028c20 /* msub x0, x1, x2, x3 */, (n, m, _f, a) => u(a - n * m, 64)],
        [0x9b027c20 /* mul x0, x1, x2 */, (n, m) => u(n * m, 64)],
        [0x9b02fc20 /* mneg x0, x1, x2 */, (n, m) => u(-n * m, 64)],
        [0x1b020c20 /* madd w0, w1, w2, w3 */, (n, m, _f, a) => u(a + n * m, 32)],
        [0x1b028c20 /* msub w0, w1, w2, w3 */, (n, m, _f, a) => u(a - n * m, 32)],
        [0x1b027c20 /* mul w0, w1, w2 */, (n, m) => u(n * m, 32)],
      ],
      vals,
      [0b1010],
    );
  });
  it('SMADDL/SMSUBL/UMADDL/UMSUBL/SMULL/UMULL', () => {
    runRows(
      [
        [0x9b220c20 /* smaddl x0, w1, w2, x3 */, (n, m, _f, a) => u(a + s(n, 32) * s(m, 32), 64)],
        [0x9b228c20 /* smsubl x0, w1, w2, x3 */, (n, m, _f, a) => u(a - s(n, 32) * s(m, 32), 64)],
        [0x9ba20c20 /* umaddl x0, w1, w2, x3 */, (n, m, _f, a) => u(a + u(n, 32) * u(m, 32), 64)],
        [0x9ba28c20 /* umsubl x0, w1, w2, x3 */, (n, m, _f, a) => u(a - u(n, 32) * u(m, 32), 64)],
        [0x9b227c20 /* smull x0, w1, w2 */, (n, m) => u(s(n, 32) * s(m, 32), 64)],
        [0x9ba27c20 /* umull x0, w1, w2 */, (n, m) => u(n, 32) * u(m, 32)],
      ],
      vals,
      [0b1010],
    );
  });
  it('SMULH/UMULH', () => {
    runRows(
      [
        [0x9b427c20 /* smulh x0, x1, x2 */, (n, m) => u((s(n, 64) * s(m, 64)) >> 64n, 64)],
        [0x9bc27c20 /* umulh x0, x1, x2 */, (n, m) => (n * m) >> 64n],
      ],
      vals,
      [0b1010],
    );
  });
  it('exact 64×64 products on random operands (helpers)', () => {
    const c = machine().c;
    const r = rng(12345n);
    const fails: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = r() >> BigInt(i % 7 === 0 ? Number(r() % 64n) : 0);
      const b = r() >> BigInt(i % 5 === 0 ? Number(r() % 64n) : 0);
      const [alo, ahi, blo, bhi] = [Number(a & M32) | 0, Number(a >> 32n) | 0, Number(b & M32) | 0, Number(b >> 32n) | 0];
      const pair = (lo: number): bigint => (BigInt(c.hi >>> 0) << 32n) | BigInt(lo >>> 0);
      const uh = pair(umulh64(c, alo, ahi, blo, bhi));
      const sh = pair(smulh64(c, alo, ahi, blo, bhi));
      const lo = pair(mul64(c, alo, ahi, blo, bhi));
      if (uh !== (a * b) >> 64n || sh !== u((s(a, 64) * s(b, 64)) >> 64n, 64) || lo !== u(a * b, 64)) fails.push(`${hex(a)} ${hex(b)}`);
    }
    expect(fails.slice(0, 10)).toEqual([]);
  });
});

const M32 = 0xffff_ffffn;

describe('divide', () => {
  const udiv = (b: number, n: bigint, m: bigint): bigint => (u(m, b) === 0n ? 0n : u(n, b) / u(m, b));
  const sdiv = (b: number, n: bigint, m: bigint): bigint => (u(m, b) === 0n ? 0n : u(s(n, b) / s(m, b), b)); // BigInt / truncates
  it('UDIV/SDIV: by zero gives 0, INT_MIN / -1 gives INT_MIN', () => {
    runRows(
      [
        [0x9ac20820 /* udiv x0, x1, x2 */, (n, m) => udiv(64, n, m)],
        [0x9ac20c20 /* sdiv x0, x1, x2 */, (n, m) => sdiv(64, n, m)],
        [0x1ac20820 /* udiv w0, w1, w2 */, (n, m) => udiv(32, n, m)],
        [0x1ac20c20 /* sdiv w0, w1, w2 */, (n, m) => sdiv(32, n, m)],
      ],
      [...V, ...R64],
      [0b0101],
    );
  });
  it('exact 64-bit division on random operands of every magnitude (helpers)', () => {
    const c = machine().c;
    const r = rng(777n);
    const fails: string[] = [];
    for (let i = 0; i < 50000; i++) {
      const a = r() >> BigInt(Number(r() % 64n) * (i & 1));
      const b = r() >> BigInt(Number(r() % 64n));
      const [alo, ahi, blo, bhi] = [Number(a & M32) | 0, Number(a >> 32n) | 0, Number(b & M32) | 0, Number(b >> 32n) | 0];
      const pair = (lo: number): bigint => (BigInt(c.hi >>> 0) << 32n) | BigInt(lo >>> 0);
      const q = pair(udiv64(c, alo, ahi, blo, bhi));
      const sq = pair(sdiv64(c, alo, ahi, blo, bhi));
      if (q !== udiv(64, a, b) || sq !== sdiv(64, a, b)) fails.push(`${hex(a)} / ${hex(b)}: ${hex(q)} ${hex(sq)}`);
    }
    // Quotients next to a power of two and dividends next to 2^53 and 2^64.
    for (const a of [mask(64), mask(64) - 1n, 1n << 63n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, 0xffff_ffff_ffff_f800n])
      for (const b of [
        1n,
        2n,
        3n,
        7n,
        0xffffffffn,
        0x100000000n,
        0x100000001n,
        (1n << 53n) - 1n,
        (1n << 62n) - 1n,
        1n << 62n,
        (1n << 63n) + 1n,
        mask(64),
      ]) {
        const q = udiv64(c, Number(a & M32) | 0, Number(a >> 32n) | 0, Number(b & M32) | 0, Number(b >> 32n) | 0);
        const got = (BigInt(c.hi >>> 0) << 32n) | BigInt(q >>> 0);
        if (got !== a / b) fails.push(`${hex(a)} / ${hex(b)}: ${hex(got)}`);
      }
    expect(fails.slice(0, 10)).toEqual([]);
  });
});

describe('CRC32', () => {
  /** The pseudocode: BitReverse, Poly32Mod2 of acc:Zeros(size) EOR val:Zeros(32), BitReverse. */
  const crcRef = (poly: bigint, acc: bigint, val: bigint, size: number): bigint => {
    const rev = (v: bigint, n: number): bigint => {
      let r = 0n;
      for (let i = 0; i < n; i++) r |= ((v >> BigInt(i)) & 1n) << BigInt(n - 1 - i);
      return r;
    };
    let t = (rev(u(acc, 32), 32) << BigInt(size)) ^ (rev(u(val, size), size) << 32n);
    for (let i = size + 31; i >= 32; i--) if ((t >> BigInt(i)) & 1n) t ^= ((1n << 32n) | poly) << BigInt(i - 32);
    return rev(u(t, 32), 32);
  };
  const P = 0x04c11db7n;
  const PC = 0x1edc6f41n;
  it('CRC32B/H/W/X and CRC32CB/H/W/X', () => {
    runRows(
      [
        [0x1ac24020 /* crc32b w0, w1, w2 */, (n, m) => crcRef(P, n, m, 8)],
        [0x1ac24420 /* crc32h w0, w1, w2 */, (n, m) => crcRef(P, n, m, 16)],
        [0x1ac24820 /* crc32w w0, w1, w2 */, (n, m) => crcRef(P, n, m, 32)],
        [0x9ac24c20 /* crc32x w0, w1, x2 */, (n, m) => crcRef(P, n, m, 64)],
        [0x1ac25020 /* crc32cb w0, w1, w2 */, (n, m) => crcRef(PC, n, m, 8)],
        [0x1ac25420 /* crc32ch w0, w1, w2 */, (n, m) => crcRef(PC, n, m, 16)],
        [0x1ac25820 /* crc32cw w0, w1, w2 */, (n, m) => crcRef(PC, n, m, 32)],
        [0x9ac25c20 /* crc32cx w0, w1, x2 */, (n, m) => crcRef(PC, n, m, 64)],
      ],
      [...V.slice(0, 10), ...R64.slice(0, 10)],
      [0b1000],
    );
  });
  it('gives the standard check values for "123456789"', () => {
    // CRC-32 and CRC-32C with the usual pre- and post-inversion (done here with MVN).
    const bytes = [...'123456789'].map((ch) => BigInt(ch.charCodeAt(0)));
    let acc = mask(32);
    let accC = mask(32);
    for (const b of bytes) {
      acc = exec([0x1ac24020 /* crc32b w0, w1, w2 */], { 1: acc, 2: b }).getX(0);
      accC = exec([0x1ac25020 /* crc32cb w0, w1, w2 */], { 1: accC, 2: b }).getX(0);
    }
    expect([hex(u(~acc, 32)), hex(u(~accC, 32))]).toEqual(['0xcbf43926', '0xe3069283']);
  });
  it('is UNDEFINED for sf/sz mismatches and without FEAT_CRC32', () => {
    expectUndefined(0x9ac24020, 'crc32b with sf = 1');
    expectUndefined(0x1ac24c20, 'crc32x with sf = 0');
    const noCrc = { ...MODELS.max, features: { ...MODELS.max.features, crc32: false } };
    const c = runCode(
      [0x1ac24020 /* crc32b w0, w1, w2 */],
      (cpu, m) => {
        m.poke32(VBAR + 0x200, [HLT_STOP]);
        cpu.sys.set(R.VBAR_EL1, VBAR, 0);
      },
      { model: noCrc },
    );
    expect([hex(c.pc), Number(c.sys.get64(R.ESR_EL1) >> 26n)]).toEqual([hex(SYNC_VECTOR), 0]);
  });
});

describe('data processing (1 source)', () => {
  const rbit = (b: number, v: bigint): bigint => {
    let r = 0n;
    for (let i = 0; i < b; i++) r |= ((v >> BigInt(i)) & 1n) << BigInt(b - 1 - i);
    return r;
  };
  const revBytes = (b: number, v: bigint, chunk: number): bigint => {
    let r = 0n;
    for (let c = 0; c < b; c += chunk) for (let i = 0; i < chunk; i += 8) r |= ((v >> BigInt(c + i)) & 0xffn) << BigInt(c + chunk - 8 - i);
    return r;
  };
  const clz = (b: number, v: bigint): bigint => {
    let n = 0;
    for (let i = b - 1; i >= 0 && ((v >> BigInt(i)) & 1n) === 0n; i--) n++;
    return BigInt(n);
  };
  // CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>)
  const cls = (b: number, v: bigint): bigint => clz(b - 1, u((u(v, b) >> 1n) ^ v, b - 1));
  it('RBIT/REV16/REV32/REV/CLZ/CLS', () => {
    runRows(
      [
        [0xdac00020 /* rbit x0, x1 */, (n) => rbit(64, n)],
        [0x5ac00020 /* rbit w0, w1 */, (n) => rbit(32, n)],
        [0xdac00420 /* rev16 x0, x1 */, (n) => revBytes(64, n, 16)],
        [0x5ac00420 /* rev16 w0, w1 */, (n) => revBytes(32, n, 16)],
        [0xdac00820 /* rev32 x0, x1 */, (n) => revBytes(64, n, 32)],
        [0x5ac00820 /* rev w0, w1 */, (n) => revBytes(32, n, 32)],
        [0xdac00c20 /* rev x0, x1 */, (n) => revBytes(64, n, 64)],
        [0xdac01020 /* clz x0, x1 */, (n) => clz(64, n)],
        [0x5ac01020 /* clz w0, w1 */, (n) => clz(32, n)],
        [0xdac01420 /* cls x0, x1 */, (n) => cls(64, n)],
        [0x5ac01420 /* cls w0, w1 */, (n) => cls(32, n)],
      ],
      [...V, ...R64],
      [0b0011],
      UNARY,
    );
  });
  it('is UNDEFINED for 32-bit opc = 11', () => {
    expectUndefined(0x5ac00c20, 'rev (64-bit opc) with sf = 0');
  });
});

describe('encodings left out (UNDEFINED in our models)', () => {
  it('ADDG, RMIF, PACGA, PACIA, ABS (CSSC)', () => {
    expectUndefined(0x91800020, 'addg x0, x1, #0, #0 (FEAT_MTE)');
    expectUndefined(0xba000420, 'rmif x1, #0, #0 (FEAT_FlagM)');
    expectUndefined(0x9ac23020, 'pacga x0, x1, x2 (FEAT_PAuth)');
    expectUndefined(0xdac10020, 'pacia x0, x1 (FEAT_PAuth)');
    expectUndefined(0xdac02020, 'abs x0, x1 (FEAT_CSSC)');
  });
});
