/**
 * Scalar FP arithmetic, FMA, min/max, compare, select and moves.
 * Encodings from aarch64-linux-gnu-as; expected bit patterns derived by hand from
 * IEEE 754 / the Arm ARM pseudocode (FPAdd, FPMulAdd, FPProcessNaNs, FPRoundBase …).
 * Cases marked "QEMU agreed" were also run on qemu-system-aarch64 (-cpu cortex-a57).
 * Beyond these vectors, the differential fuzzer runs random FP programs on both
 * emulators under every FPCR mode: `npm run fuzz -- --fpcr` (cli/fuzz.ts).
 */
import { describe, it, expect } from 'vitest';
import { CODE, HLT_STOP, makeMachine, runCode } from '../helpers/cpu.js';
import { R } from '../../core/a64/sysregs.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { FZ, DN, RP, RM, RZ, IOC, DZC, OFC, UFC, IXC, IDC, getV, setV } from '../helpers/vreg.js';
import {
  fpAdd64,
  fpMul64,
  fpDiv64,
  fpSqrt64,
  fpMulAdd64,
  fpMulAdd32,
  fpAdd32,
  fpMul32,
  fpDiv32,
  fpSqrt32,
} from '../../core/a64/exec/fp-arith.js';
import { fpMulAddX, fpAddX, fpMulX, fpDivX, fpSqrtX } from '../../core/a64/exec/fp-exact.js';

const ONES128 = (1n << 128n) - 1n;

/** Run one instruction with V1, V2, V3 = v[0..2] (V0 pre-filled with ones), X1.. = x. */
function exec(insn: number, v: bigint[], opts: { fpcr?: number; nzcv?: number; x?: bigint[] } = {}): Cpu {
  return runCode([insn], (c) => {
    setV(c, 0, ONES128);
    v.forEach((val, i) => setV(c, i + 1, val));
    (opts.x ?? []).forEach((val, i) => c.setX(i + 1, val));
    c.fpcr = opts.fpcr ?? 0;
    c.fpsr = 0;
    c.nzcv = opts.nzcv ?? 0;
  });
}

/** [encoding, FPCR, inputs, expected V0 (128 bits: upper bits must be cleared), FPSR] */
type Row = [number, number, bigint[], bigint, number];

function runRows(rows: [string, ...Row][]): void {
  for (const [label, insn, fpcr, inputs, want, flags] of rows) {
    it(label, () => {
      const c = exec(insn, inputs, { fpcr });
      expect(getV(c, 0).toString(16)).toBe(want.toString(16));
      expect(c.fpsr).toBe(flags);
    });
  }
}

const FADD_S = 0x1e222820; // fadd s0, s1, s2
const FADD_D = 0x1e622820; // fadd d0, d1, d2
const FSUB_D = 0x1e623820; // fsub d0, d1, d2
const FSUB_S = 0x1e223820; // fsub s0, s1, s2
const FMUL_S = 0x1e220820; // fmul s0, s1, s2
const FMUL_D = 0x1e620820; // fmul d0, d1, d2
const FDIV_S = 0x1e221820; // fdiv s0, s1, s2
const FDIV_D = 0x1e621820; // fdiv d0, d1, d2
const FNMUL_S = 0x1e228820; // fnmul s0, s1, s2
const FNMUL_D = 0x1e628820; // fnmul d0, d1, d2
const FSQRT_S = 0x1e21c020; // fsqrt s0, s1
const FSQRT_D = 0x1e61c020; // fsqrt d0, d1

const ONE_D = 0x3ff0000000000000n;
const MAX_D = 0x7fefffffffffffffn;
const INF_D = 0x7ff0000000000000n;
const DNAN_D = 0x7ff8000000000000n;
const ONE_S = 0x3f800000n;
const THREE_S = 0x40400000n;
const THREE_D = 0x4008000000000000n;

describe('FADD/FSUB: rounding modes, signed zeros, overflow', () => {
  runRows([
    // 1 + 2^-53 is a tie: RN to even (1.0), RP up, RM/RZ down
    ['fadd d tie RN', FADD_D, 0, [ONE_D, 0x3ca0000000000000n], ONE_D, IXC],
    ['fadd d tie RP', FADD_D, RP, [ONE_D, 0x3ca0000000000000n], 0x3ff0000000000001n, IXC],
    ['fadd d tie RM', FADD_D, RM, [ONE_D, 0x3ca0000000000000n], ONE_D, IXC],
    ['fadd d tie RZ', FADD_D, RZ, [ONE_D, 0x3ca0000000000000n], ONE_D, IXC],
    // 1 + 0.75 ulp (1.5 × 2^-53): above the tie, RN rounds up; 0.375 ulp rounds down
    ['fadd d above tie RN', FADD_D, 0, [ONE_D, 0x3ca8000000000000n], 0x3ff0000000000001n, IXC],
    ['fadd d below tie RN', FADD_D, 0, [ONE_D, 0x3c98000000000000n], ONE_D, IXC],
    // -1 - 2^-53: RM rounds away from zero, RP/RZ towards
    ['fadd d negative RM', FADD_D, RM, [0xbff0000000000000n, 0xbca0000000000000n], 0xbff0000000000001n, IXC],
    ['fadd d negative RP', FADD_D, RP, [0xbff0000000000000n, 0xbca0000000000000n], 0xbff0000000000000n, IXC],
    ['fadd d exact', FADD_D, 0, [ONE_D, ONE_D], 0x4000000000000000n, 0],
    // x + (-x) = +0, but -0 in RM; -0 + -0 = -0
    ['fadd d x-x RN', FADD_D, 0, [ONE_D, 0xbff0000000000000n], 0n, 0],
    ['fadd d x-x RM', FADD_D, RM, [ONE_D, 0xbff0000000000000n], 0x8000000000000000n, 0],
    ['fadd d -0+-0', FADD_D, 0, [0x8000000000000000n, 0x8000000000000000n], 0x8000000000000000n, 0],
    ['fsub d +0-+0 RN', FSUB_D, 0, [0n, 0n], 0n, 0],
    ['fsub d +0-+0 RM', FSUB_D, RM, [0n, 0n], 0x8000000000000000n, 0],
    ['fsub s 3-1', FSUB_S, 0, [THREE_S, ONE_S], 0x40000000n, 0],
    // MAX + MAX overflows: RN/RP to +inf, RM/RZ to MAX; OFC and IXC
    ['fadd d overflow RN', FADD_D, 0, [MAX_D, MAX_D], INF_D, OFC | IXC],
    ['fadd d overflow RP', FADD_D, RP, [MAX_D, MAX_D], INF_D, OFC | IXC],
    ['fadd d overflow RM', FADD_D, RM, [MAX_D, MAX_D], MAX_D, OFC | IXC],
    ['fadd d overflow RZ', FADD_D, RZ, [MAX_D, MAX_D], MAX_D, OFC | IXC],
    ['fadd d -overflow RP', FADD_D, RP, [0xffefffffffffffffn, 0xffefffffffffffffn], 0xffefffffffffffffn, OFC | IXC],
    ['fadd d -overflow RM', FADD_D, RM, [0xffefffffffffffffn, 0xffefffffffffffffn], 0xfff0000000000000n, OFC | IXC],
    ['fadd s 1 + 2^-24 RN', FADD_S, 0, [ONE_S, 0x33800000n], ONE_S, IXC],
    ['fadd s 1 + 2^-24 RP', FADD_S, RP, [ONE_S, 0x33800000n], 0x3f800001n, IXC],
    ['fadd d inf + 1', FADD_D, 0, [INF_D, ONE_D], INF_D, 0],
    ['fadd d inf - inf', FADD_D, 0, [INF_D, 0xfff0000000000000n], DNAN_D, IOC],
    ['fsub d inf - inf', FSUB_D, 0, [INF_D, INF_D], DNAN_D, IOC],
  ]);
});

describe('NaN propagation (FPProcessNaNs): payloads, signalling priority, DN', () => {
  runRows([
    ['s: qNaN op1 wins over qNaN op2', FADD_S, 0, [0x7fc00001n, 0xffc00002n], 0x7fc00001n, 0],
    ['s: sNaN op2 beats qNaN op1, quieted, IOC', FADD_S, 0, [0x7fc12345n, 0x7f812345n], 0x7fc12345n, IOC],
    ['s: sNaN op1 beats sNaN op2', FADD_S, 0, [0xff800001n, 0x7f800002n], 0xffc00001n, IOC],
    ['s: number + sNaN keeps sign and payload', FMUL_S, 0, [ONE_S, 0xff800001n], 0xffc00001n, IOC],
    ['s: DN gives the default NaN', FADD_S, DN, [0xffc00005n, ONE_S], 0x7fc00000n, 0],
    ['s: DN with sNaN still signals', FADD_S, DN, [0x7f800005n, ONE_S], 0x7fc00000n, IOC],
    ['d: sNaN payload 1 quieted', FADD_D, 0, [0x7ff0000000000001n, ONE_D], 0x7ff8000000000001n, IOC],
    ['d: negative sNaN payload kept', FMUL_D, 0, [ONE_D, 0xfff4000000000abcn], 0xfffc000000000abcn, IOC],
    ['d: qNaN payload kept through fsub (op2 sign not flipped)', FSUB_D, 0, [ONE_D, 0xfff8000000000123n], 0xfff8000000000123n, 0],
    ['d: DN', FDIV_D, DN, [0x7ff8dead0000beefn, ONE_D], DNAN_D, 0],
    // FNMUL is FPNeg(FPMul): the NaN result's sign flips (QEMU agreed)
    ['s: fnmul flips a NaN result', FNMUL_S, 0, [0x7fc00001n, ONE_S], 0xffc00001n, 0],
    ['d: fnmul flips the default NaN', FNMUL_D, DN, [DNAN_D, ONE_D], 0xfff8000000000000n, 0],
    ['d: fnmul 2*3', FNMUL_D, 0, [0x4000000000000000n, THREE_D], 0xc018000000000000n, 0],
  ]);
});

describe('FMUL/FDIV/FSQRT: rounding, exceptions, underflow and flush-to-zero', () => {
  runRows([
    // 1/3: single 0x3eaaaaab (RN, RP), 0x3eaaaaaa (RM, RZ)
    ['fdiv s 1/3 RN', FDIV_S, 0, [ONE_S, THREE_S], 0x3eaaaaabn, IXC],
    ['fdiv s 1/3 RZ', FDIV_S, RZ, [ONE_S, THREE_S], 0x3eaaaaaan, IXC],
    ['fdiv s 1/3 RM', FDIV_S, RM, [ONE_S, THREE_S], 0x3eaaaaaan, IXC],
    ['fdiv s 1/3 RP', FDIV_S, RP, [ONE_S, THREE_S], 0x3eaaaaabn, IXC],
    // 1/3 double: 0x3fd5555555555555 (RN, RM, RZ), ...56 (RP); -1/3 mirrors
    ['fdiv d 1/3 RN', FDIV_D, 0, [ONE_D, THREE_D], 0x3fd5555555555555n, IXC],
    ['fdiv d 1/3 RP', FDIV_D, RP, [ONE_D, THREE_D], 0x3fd5555555555556n, IXC],
    ['fdiv d -1/3 RM', FDIV_D, RM, [0xbff0000000000000n, THREE_D], 0xbfd5555555555556n, IXC],
    ['fdiv d -1/3 RP', FDIV_D, RP, [0xbff0000000000000n, THREE_D], 0xbfd5555555555555n, IXC],
    ['fdiv d 6/3 exact', FDIV_D, 0, [0x4018000000000000n, THREE_D], 0x4000000000000000n, 0],
    ['fdiv d 1/0', FDIV_D, 0, [ONE_D, 0n], INF_D, DZC],
    ['fdiv d -1/+0', FDIV_D, 0, [0xbff0000000000000n, 0n], 0xfff0000000000000n, DZC],
    ['fdiv d inf/0: no DZC', FDIV_D, 0, [INF_D, 0n], INF_D, 0],
    ['fdiv d 0/0', FDIV_D, 0, [0n, 0n], DNAN_D, IOC],
    ['fdiv d inf/inf', FDIV_D, 0, [INF_D, INF_D], DNAN_D, IOC],
    ['fdiv d 0/-3', FDIV_D, 0, [0n, 0xc008000000000000n], 0x8000000000000000n, 0],
    ['fmul d 0*inf', FMUL_D, 0, [0n, INF_D], DNAN_D, IOC],
    ['fmul d -0*3', FMUL_D, 0, [0x8000000000000000n, THREE_D], 0x8000000000000000n, 0],
    ['fmul d MAX*2 RZ', FMUL_D, RZ, [MAX_D, 0x4000000000000000n], MAX_D, OFC | IXC],
    // 2^-126 * 0.5 = 2^-127: exact denormal, no UFC; flushed to +0 with FZ (UFC, no IXC)
    ['fmul s exact denormal', FMUL_S, 0, [0x00800000n, 0x3f000000n], 0x00400000n, 0],
    ['fmul s denormal result, FZ', FMUL_S, FZ, [0x00800000n, 0x3f000000n], 0n, UFC],
    ['fmul s negative denormal result, FZ', FMUL_S, FZ, [0x80800000n, 0x3f000000n], 0x80000000n, UFC],
    // (2^-126 + 2^-149) * 0.5: a tie on the denormal grid, RN to even; UFC + IXC (QEMU agreed)
    ['fmul s inexact denormal RN', FMUL_S, 0, [0x00800001n, 0x3f000000n], 0x00400000n, UFC | IXC],
    ['fmul s inexact denormal RP', FMUL_S, RP, [0x00800001n, 0x3f000000n], 0x00400001n, UFC | IXC],
    // (1 - 2^-24) * 2^-126 rounds up to the smallest normal; tininess is detected
    // before rounding on Arm, so UFC is set (QEMU agreed)
    ['fmul s tiny before rounding', FMUL_S, 0, [0x3f7fffffn, 0x00800000n], 0x00800000n, UFC | IXC],
    ['fmul d tiny before rounding', FMUL_D, 0, [0x3fefffffffffffffn, 0x0010000000000000n], 0x0010000000000000n, UFC | IXC],
    ['fmul d underflow to zero', FMUL_D, 0, [0x0010000000000000n, 0x0010000000000000n], 0n, UFC | IXC],
    ['fmul d underflow RP gives min denormal', FMUL_D, RP, [0x0010000000000000n, 0x0010000000000000n], 1n, UFC | IXC],
    // FZ: denormal inputs become zero with IDC
    ['fadd s denormal + 1, FZ', FADD_S, FZ, [0x00000001n, ONE_S], ONE_S, IDC],
    ['fadd s denormal + 1, no FZ', FADD_S, 0, [0x00000001n, ONE_S], ONE_S, IXC],
    ['fadd s denormal + denormal, no FZ', FADD_S, 0, [0x00000001n, 0x00000001n], 0x00000002n, 0],
    ['fmul d denormal * 1, FZ keeps sign', FMUL_D, FZ, [0x800fffffffffffffn, ONE_D], 0x8000000000000000n, IDC],
    ['fdiv d 1 / denormal, FZ', FDIV_D, FZ, [ONE_D, 0x0000000000000001n], INF_D, IDC | DZC],
    // sqrt(2): double RN rounds up (...cd), RZ down; single RN rounds down, RP up
    ['fsqrt d 2 RN', FSQRT_D, 0, [0x4000000000000000n], 0x3ff6a09e667f3bcdn, IXC],
    ['fsqrt d 2 RZ', FSQRT_D, RZ, [0x4000000000000000n], 0x3ff6a09e667f3bccn, IXC],
    ['fsqrt s 2 RN', FSQRT_S, 0, [0x40000000n], 0x3fb504f3n, IXC],
    ['fsqrt s 2 RP', FSQRT_S, RP, [0x40000000n], 0x3fb504f4n, IXC],
    ['fsqrt d 4 exact', FSQRT_D, 0, [0x4010000000000000n], 0x4000000000000000n, 0],
    ['fsqrt d -0', FSQRT_D, 0, [0x8000000000000000n], 0x8000000000000000n, 0],
    ['fsqrt d -1', FSQRT_D, 0, [0xbff0000000000000n], DNAN_D, IOC],
    ['fsqrt d -inf', FSQRT_D, 0, [0xfff0000000000000n], DNAN_D, IOC],
    ['fsqrt d inf', FSQRT_D, 0, [INF_D], INF_D, 0],
    ['fsqrt s sNaN', FSQRT_S, 0, [0xff800009n], 0xffc00009n, IOC],
    ['fsqrt d min denormal', FSQRT_D, 0, [1n], 0x1e60000000000000n, 0],
  ]);
});

const FMADD_S = 0x1f020c20; // fmadd s0, s1, s2, s3
const FMADD_D = 0x1f420c20; // fmadd d0, d1, d2, d3
const FMSUB_D = 0x1f428c20; // fmsub d0, d1, d2, d3
const FNMADD_D = 0x1f620c20; // fnmadd d0, d1, d2, d3
const FNMSUB_D = 0x1f628c20; // fnmsub d0, d1, d2, d3
const FNMSUB_S = 0x1f228c20; // fnmsub s0, s1, s2, s3

describe('FMADD family: a single rounding', () => {
  runRows([
    // (1+2^-52)(1-2^-52) - 1 = -2^-104 exactly; an unfused multiply-add gives 0
    ['fmadd d cancellation', FMADD_D, 0, [0x3ff0000000000001n, 0x3feffffffffffffen, 0xbff0000000000000n], 0xb970000000000000n, 0],
    // (1+2^-52)^2 - (1+2^-51) = 2^-104
    ['fmadd d cancellation 2', FMADD_D, 0, [0x3ff0000000000001n, 0x3ff0000000000001n, 0xbff0000000000002n], 0x3970000000000000n, 0],
    // (1+2^-52)^2 + 2^-53 = 1 + 2^-51 + 2^-53 + 2^-104: just above the tie → 1 + 3 ulp
    // (rounding the product first would give 1 + 2^-51, then a tie to even: 1 + 2 ulp)
    [
      'fmadd d double rounding avoided',
      FMADD_D,
      0,
      [0x3ff0000000000001n, 0x3ff0000000000001n, 0x3ca0000000000000n],
      0x3ff0000000000003n,
      IXC,
    ],
    // single: (1+2^-23) + 2^-24(1+2^-23)(1-2^-23) = 1 + 2^-23 + 2^-24 - 2^-70: just below the
    // tie → 1 + 2^-23; rounding to double first would land on the tie (QEMU agreed: 0x3f800001)
    ['fmadd s double rounding avoided', FMADD_S, 0, [0x33800001n, 0x3f7ffffen, 0x3f800001n], 0x3f800001n, IXC],
    ['fmadd d 1*1 + 2^-60 RN', FMADD_D, 0, [ONE_D, ONE_D, 0x3c30000000000000n], ONE_D, IXC],
    ['fmadd d 1*1 + 2^-60 RP', FMADD_D, RP, [ONE_D, ONE_D, 0x3c30000000000000n], 0x3ff0000000000001n, IXC],
    ['fmadd d 1*1 - 1 RN = +0', FMADD_D, 0, [ONE_D, ONE_D, 0xbff0000000000000n], 0n, 0],
    ['fmadd d 1*1 - 1 RM = -0', FMADD_D, RM, [ONE_D, ONE_D, 0xbff0000000000000n], 0x8000000000000000n, 0],
    ['fmadd d -0*1 + -0 = -0', FMADD_D, 0, [0x8000000000000000n, ONE_D, 0x8000000000000000n], 0x8000000000000000n, 0],
    // FMSUB: a - n*m; FNMADD: -a - n*m; FNMSUB: n*m - a  (n=2, m=3, a=10)
    ['fmsub d', FMSUB_D, 0, [0x4000000000000000n, THREE_D, 0x4024000000000000n], 0x4010000000000000n, 0],
    ['fnmadd d', FNMADD_D, 0, [0x4000000000000000n, THREE_D, 0x4024000000000000n], 0xc030000000000000n, 0],
    ['fnmsub d', FNMSUB_D, 0, [0x4000000000000000n, THREE_D, 0x4024000000000000n], 0xc010000000000000n, 0],
    ['fnmsub s', FNMSUB_S, 0, [0x40000000n, THREE_S, 0x41200000n], 0xc0800000n, 0],
    // NaNs: the addend is first in priority; 0*inf with a quiet NaN addend is still Invalid
    ['fmadd d qNaN addend, 0*inf → default NaN', FMADD_D, 0, [0n, INF_D, 0x7ff8000000000077n], DNAN_D, IOC],
    ['fmadd d qNaN addend', FMADD_D, 0, [ONE_D, ONE_D, 0x7ff8000000000077n], 0x7ff8000000000077n, 0],
    ['fmadd d sNaN n beats qNaN addend', FMADD_D, 0, [0x7ff0000000000005n, ONE_D, 0x7ff8000000000077n], 0x7ff8000000000005n, IOC],
    ['fmadd d sNaN addend beats sNaN n', FMADD_D, 0, [0x7ff0000000000005n, ONE_D, 0x7ff0000000000006n], 0x7ff8000000000006n, IOC],
    // FMSUB negates n before NaN processing: the NaN's sign flips
    ['fmsub d NaN n sign flips', FMSUB_D, 0, [0x7ff8000000000123n, ONE_D, ONE_D], 0xfff8000000000123n, 0],
    ['fmadd d inf + -inf', FMADD_D, 0, [INF_D, ONE_D, 0xfff0000000000000n], DNAN_D, IOC],
    ['fmadd d overflow', FMADD_D, 0, [MAX_D, 0x4000000000000000n, 0xffefffffffffffffn], MAX_D, 0],
    ['fmadd d tiny result, FZ', FMADD_D, FZ, [0x0010000000000000n, 0x3fe0000000000000n, 0n], 0n, UFC],
  ]);
});

// ---- FMA: the fast double path (TwoProduct + round-to-odd) equals the exact pseudocode ----

/** xorshift64 PRNG (deterministic). */
function prng(seed: bigint): () => bigint {
  let s = seed;
  return () => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return s;
  };
}
const lo32 = (b: bigint): number => Number(b & 0xffffffffn) | 0;
const hi32 = (b: bigint): number => Number((b >> 32n) & 0xffffffffn) | 0;
const dv = new DataView(new ArrayBuffer(8));
const bitsD = (x: number): bigint => (dv.setFloat64(0, x), dv.getBigUint64(0));
const valD = (b: bigint): number => (dv.setBigUint64(0, b), dv.getFloat64(0));
const bitsS = (x: number): bigint => (dv.setFloat32(0, x), BigInt(dv.getUint32(0)));
const valS = (b: bigint): number => (dv.setUint32(0, Number(b)), dv.getFloat32(0));

/** A double with a random sign, exponent in [lo, hi] (unbiased) and random fraction. */
function randD(r: () => bigint, lo: number, hi: number): bigint {
  const e = BigInt(lo + Number(r() % BigInt(hi - lo + 1)) + 1023);
  return ((r() & 1n) << 63n) | (e << 52n) | (r() & ((1n << 52n) - 1n));
}

describe('FMA fast path agrees with the exact (BigInt) pseudocode', () => {
  const m = makeMachine();
  const c = m.c;
  function check64(d: bigint, a: bigint, b: bigint, fpcr = 0): void {
    c.fpcr = fpcr;
    c.fpsr = 0;
    const lo = fpMulAdd64(c, lo32(d), hi32(d), lo32(a), hi32(a), lo32(b), hi32(b));
    const got = (BigInt(c.hi >>> 0) << 32n) | BigInt(lo >>> 0);
    const fastFlags = c.fpsr;
    c.fpsr = 0;
    const want = fpMulAddX(c, d, a, b, 64, fpcr);
    if (got !== want || fastFlags !== c.fpsr) {
      throw new Error(
        `fma(${d.toString(16)}, ${a.toString(16)}, ${b.toString(16)}): fast ${got.toString(16)}/${fastFlags} exact ${want.toString(16)}/${c.fpsr}`,
      );
    }
  }
  function check32(d: bigint, a: bigint, b: bigint, fpcr = 0): void {
    c.fpcr = fpcr;
    c.fpsr = 0;
    const got = BigInt(fpMulAdd32(c, Number(d) | 0, Number(a) | 0, Number(b) | 0) >>> 0);
    const fastFlags = c.fpsr;
    c.fpsr = 0;
    const want = fpMulAddX(c, d, a, b, 32, fpcr);
    if (got !== want || fastFlags !== c.fpsr) {
      throw new Error(
        `fma32(${d.toString(16)}, ${a.toString(16)}, ${b.toString(16)}): fast ${got.toString(16)}/${fastFlags} exact ${want.toString(16)}/${c.fpsr}`,
      );
    }
  }

  it('random operands of similar and very different magnitudes', () => {
    const r = prng(0x1234567n);
    for (let i = 0; i < 20000; i++) {
      const a = randD(r, -40, 40);
      const b = randD(r, -40, 40);
      const d = i % 2 ? randD(r, -80, 80) : randD(r, -200, 200);
      check64(d, a, b);
    }
  });

  it('catastrophic cancellation: addend = -RN(a*b) ± a few ulps', () => {
    const r = prng(0xfeedn);
    for (let i = 0; i < 20000; i++) {
      const a = randD(r, -30, 30);
      const b = randD(r, -30, 30);
      const p = bitsD(valD(a) * valD(b)) ^ (1n << 63n);
      const d = p + BigInt(Number(r() % 7n) - 3);
      check64(d, a, b);
    }
  });

  it('results near a rounding tie: addend = ±ulp(a*b)/2 (± a few ulps of the addend)', () => {
    const r = prng(0xabcdefn);
    for (let i = 0; i < 20000; i++) {
      // short a, b: a*b exact, so a*b ± ulp/2 is an exact tie; full a, b: the product's low part decides
      const short = i % 2 === 0;
      const fr = (): bigint => (short ? (r() & 0xffffffn) << 28n : r() & ((1n << 52n) - 1n));
      const a = (BigInt(1023 + Number(r() % 9n) - 4) << 52n) | fr();
      const b = (BigInt(1023 + Number(r() % 9n) - 4) << 52n) | fr();
      const e = (bitsD(valD(a) * valD(b)) >> 52n) & 0x7ffn;
      const half = ((e - 53n) << 52n) | ((r() & 1n) << 63n);
      for (const k of [-2n, -1n, 0n, 1n, 2n]) check64(half + k, a, b);
    }
  });

  it('single precision: random, cancellation and tie cases', () => {
    const r = prng(0x5151n);
    const randS = (lo: number, hi: number): bigint => {
      const e = BigInt(lo + Number(r() % BigInt(hi - lo + 1)) + 127);
      return ((r() & 1n) << 31n) | (e << 23n) | (r() & 0x7fffffn);
    };
    for (let i = 0; i < 20000; i++) {
      const a = randS(-20, 20);
      const b = randS(-20, 20);
      check32(randS(-60, 60), a, b);
      const p = bitsS(Math.fround(valS(a) * valS(b))) ^ 0x80000000n;
      check32(p + BigInt(Number(r() % 5n) - 2), a, b);
    }
  });

  it('the exact path itself: every rounding mode against known results', () => {
    c.fpcr = 0;
    // (1+2^-52)^2 + 2^-53 in RZ: 1 + 2^-51 + 2^-53 + 2^-104 truncates to 1 + 2 ulp
    c.fpsr = 0;
    expect(fpMulAddX(c, 0x3ca0000000000000n, 0x3ff0000000000001n, 0x3ff0000000000001n, 64, RZ)).toBe(0x3ff0000000000002n);
    expect(fpMulAddX(c, 0x3ca0000000000000n, 0x3ff0000000000001n, 0x3ff0000000000001n, 64, RP)).toBe(0x3ff0000000000003n);
    expect(c.fpsr).toBe(IXC);
  });
});

describe('fast paths of the other operations agree with the exact pseudocode (RN)', () => {
  const m = makeMachine();
  const c = m.c;
  it('add, mul, div, sqrt on random doubles and singles', () => {
    const r = prng(0x77n);
    for (let i = 0; i < 10000; i++) {
      const wide = i % 3 === 0;
      const a = wide ? randD(r, -1022, 1023) : randD(r, -60, 60);
      const b = wide ? randD(r, -1022, 1023) : randD(r, -60, 60);
      const cases: [string, () => number, () => bigint][] = [
        ['add', () => fpAdd64(c, lo32(a), hi32(a), lo32(b), hi32(b)), () => fpAddX(c, a, b, 64, 0, false)],
        ['mul', () => fpMul64(c, lo32(a), hi32(a), lo32(b), hi32(b)), () => fpMulX(c, a, b, 64, 0)],
        ['div', () => fpDiv64(c, lo32(a), hi32(a), lo32(b), hi32(b)), () => fpDivX(c, a, b, 64, 0)],
        ['sqrt', () => fpSqrt64(c, lo32(a), hi32(a)), () => fpSqrtX(c, a, 64, 0)],
      ];
      for (const [name, fast, exact] of cases) {
        c.fpcr = 0;
        c.fpsr = 0;
        const lo = fast();
        const got = (BigInt(c.hi >>> 0) << 32n) | BigInt(lo >>> 0);
        const f1 = c.fpsr;
        c.fpsr = 0;
        const want = exact();
        expect(`${name} ${got.toString(16)} ${f1}`).toBe(`${name} ${want.toString(16)} ${c.fpsr}`);
      }
      const sa = Number(a >> 32n) | 0;
      const sb = Number(b >> 32n) | 0;
      const scases: [string, () => number, () => bigint][] = [
        ['add32', () => fpAdd32(c, sa, sb), () => fpAddX(c, BigInt(sa >>> 0), BigInt(sb >>> 0), 32, 0, false)],
        ['mul32', () => fpMul32(c, sa, sb), () => fpMulX(c, BigInt(sa >>> 0), BigInt(sb >>> 0), 32, 0)],
        ['div32', () => fpDiv32(c, sa, sb), () => fpDivX(c, BigInt(sa >>> 0), BigInt(sb >>> 0), 32, 0)],
        ['sqrt32', () => fpSqrt32(c, sa), () => fpSqrtX(c, BigInt(sa >>> 0), 32, 0)],
      ];
      for (const [name, fast, exact] of scases) {
        c.fpsr = 0;
        const got = BigInt(fast() >>> 0);
        const f1 = c.fpsr;
        c.fpsr = 0;
        const want = exact();
        expect(`${name} ${got.toString(16)} ${f1}`).toBe(`${name} ${want.toString(16)} ${c.fpsr}`);
      }
    }
  });
});

const FMAX_S = 0x1e224820; // fmax s0, s1, s2
const FMIN_S = 0x1e225820; // fmin s0, s1, s2
const FMAX_D = 0x1e624820; // fmax d0, d1, d2
const FMAXNM_S = 0x1e226820; // fmaxnm s0, s1, s2
const FMINNM_D = 0x1e627820; // fminnm d0, d1, d2
const FMAXNM_D = 0x1e626820; // fmaxnm d0, d1, d2

describe('FMAX/FMIN/FMAXNM/FMINNM', () => {
  runRows([
    ['fmax s 1, 3', FMAX_S, 0, [ONE_S, THREE_S], THREE_S, 0],
    ['fmin s 1, 3', FMIN_S, 0, [ONE_S, THREE_S], ONE_S, 0],
    ['fmax s +0, -0', FMAX_S, 0, [0n, 0x80000000n], 0n, 0],
    ['fmax s -0, +0', FMAX_S, 0, [0x80000000n, 0n], 0n, 0],
    ['fmin s +0, -0', FMIN_S, 0, [0n, 0x80000000n], 0x80000000n, 0],
    ['fmax s qNaN propagates', FMAX_S, 0, [ONE_S, 0x7fc00011n], 0x7fc00011n, 0],
    ['fmax d -inf, 1', FMAX_D, 0, [0xfff0000000000000n, ONE_D], ONE_D, 0],
    ['fmax d sNaN', FMAX_D, 0, [ONE_D, 0x7ff0000000000003n], 0x7ff8000000000003n, IOC],
    ['fmaxnm s number beats qNaN', FMAXNM_S, 0, [0x7fc00011n, ONE_S], ONE_S, 0],
    ['fmaxnm s qNaN, -inf → -inf', FMAXNM_S, 0, [0x7fc00011n, 0xff800000n], 0xff800000n, 0],
    ['fmaxnm s qNaN, sNaN → quieted sNaN', FMAXNM_S, 0, [0x7fc00011n, 0x7f800022n], 0x7fc00022n, IOC],
    ['fmaxnm s qNaN, qNaN → first', FMAXNM_S, 0, [0xffc00011n, 0x7fc00022n], 0xffc00011n, 0],
    ['fmaxnm s sNaN, number → NaN', FMAXNM_S, 0, [0x7f800022n, ONE_S], 0x7fc00022n, IOC],
    ['fminnm d qNaN, +inf → +inf', FMINNM_D, 0, [DNAN_D, INF_D], INF_D, 0],
    ['fminnm d number beats qNaN', FMINNM_D, 0, [THREE_D, 0xfff8000000000001n], THREE_D, 0],
    ['fmaxnm d denormal vs -0, FZ', FMAXNM_D, FZ, [0x0000000000000001n, 0x8000000000000000n], 0n, IDC],
    ['fmaxnm d denormal vs -0, no FZ', FMAXNM_D, 0, [0x0000000000000001n, 0x8000000000000000n], 1n, 0],
  ]);
});

const FABS_S = 0x1e20c020; // fabs s0, s1
const FABS_D = 0x1e60c020; // fabs d0, d1
const FNEG_S = 0x1e214020; // fneg s0, s1
const FNEG_D = 0x1e614020; // fneg d0, d1
const FMOV_S = 0x1e204020; // fmov s0, s1
const FMOV_D = 0x1e604020; // fmov d0, d1

describe('FABS/FNEG/FMOV (register): bit operations, NaNs untouched, no flags', () => {
  runRows([
    ['fneg s sNaN stays signalling', FNEG_S, 0, [0x7f800001n], 0xff800001n, 0],
    ['fabs d sNaN', FABS_D, 0, [0xfff0000000000001n], 0x7ff0000000000001n, 0],
    ['fabs s -0', FABS_S, 0, [0x80000000n], 0n, 0],
    ['fneg d 1', FNEG_D, DN, [ONE_D], 0xbff0000000000000n, 0],
    ['fneg d denormal, FZ: not flushed', FNEG_D, FZ, [1n], 0x8000000000000001n, 0],
    ['fmov s clears the upper bits', FMOV_S, 0, [0xffffffff_12345678_ffffffff_7f800001n], 0x7f800001n, 0],
    ['fmov d', FMOV_D, 0, [0xffffffff_ffffffff_fff0000000000001n], 0xfff0000000000001n, 0],
  ]);
});

const FCMP_S = 0x1e222020; // fcmp s1, s2
const FCMP_D = 0x1e622020; // fcmp d1, d2
const FCMPE_S = 0x1e222030; // fcmpe s1, s2
const FCMPE_D = 0x1e622030; // fcmpe d1, d2
const FCMP_S0 = 0x1e202028; // fcmp s1, #0.0
const FCMP_D0 = 0x1e602028; // fcmp d1, #0.0
const FCMPE_D0 = 0x1e602038; // fcmpe d1, #0.0

describe('FCMP/FCMPE: NZCV and Invalid Operation', () => {
  const rows: [string, number, number, bigint[], number, number][] = [
    ['less', FCMP_S, 0, [ONE_S, THREE_S], 0b1000, 0],
    ['greater', FCMP_S, 0, [THREE_S, ONE_S], 0b0010, 0],
    ['equal', FCMP_D, 0, [ONE_D, ONE_D], 0b0110, 0],
    ['-0 == +0', FCMP_D, 0, [0x8000000000000000n, 0n], 0b0110, 0],
    ['-inf < MAX', FCMP_D, 0, [0xfff0000000000000n, MAX_D], 0b1000, 0],
    ['fcmp quiet NaN: unordered, no IOC', FCMP_S, 0, [0x7fc00000n, ONE_S], 0b0011, 0],
    ['fcmpe quiet NaN: IOC', FCMPE_S, 0, [ONE_S, 0x7fc00000n], 0b0011, IOC],
    ['fcmp signalling NaN: IOC', FCMP_D, 0, [0x7ff0000000000001n, ONE_D], 0b0011, IOC],
    ['fcmpe d equal', FCMPE_D, 0, [THREE_D, THREE_D], 0b0110, 0],
    ['fcmp #0.0 with -0', FCMP_D0, 0, [0x8000000000000000n], 0b0110, 0],
    ['fcmp #0.0 with -1', FCMP_S0, 0, [0xbf800000n], 0b1000, 0],
    ['fcmpe #0.0 with qNaN', FCMPE_D0, 0, [DNAN_D], 0b0011, IOC],
    ['fcmp denormal vs 0, FZ', FCMP_D0, FZ, [1n], 0b0110, IDC],
    ['fcmp denormal vs 0, no FZ', FCMP_D0, 0, [1n], 0b0010, 0],
  ];
  for (const [label, insn, fpcr, inputs, nzcv, flags] of rows) {
    it(label, () => {
      const c = exec(insn, inputs, { fpcr, nzcv: 0b0101 });
      expect(c.nzcv).toBe(nzcv);
      expect(c.fpsr).toBe(flags);
    });
  }
});

const FCCMP_S = 0x1e220423; // fccmp s1, s2, #0x3, eq
const FCCMPE_D = 0x1e620433; // fccmpe d1, d2, #0x3, eq
const FCSEL_S = 0x1e221c20; // fcsel s0, s1, s2, ne
const FCSEL_D = 0x1e621c20; // fcsel d0, d1, d2, ne

describe('FCCMP/FCCMPE/FCSEL', () => {
  it('fccmp compares when the condition holds', () => {
    const c = exec(FCCMP_S, [ONE_S, THREE_S], { nzcv: 0b0100 });
    expect(c.nzcv).toBe(0b1000);
  });
  it('fccmp takes #nzcv when it does not (and signals nothing)', () => {
    const c = exec(FCCMP_S, [0x7f800001n, THREE_S], { nzcv: 0b0000 });
    expect(c.nzcv).toBe(0b0011);
    expect(c.fpsr).toBe(0);
  });
  it('fccmpe signals on a quiet NaN', () => {
    const c = exec(FCCMPE_D, [DNAN_D, ONE_D], { nzcv: 0b0100 });
    expect(c.nzcv).toBe(0b0011);
    expect(c.fpsr).toBe(IOC);
  });
  it('fcsel ne picks Rn when Z is clear, Rm when set; upper bits cleared', () => {
    let c = exec(FCSEL_S, [0xaaaa_0000_0000_3f800000n, 0x40400000n], { nzcv: 0 });
    expect(getV(c, 0)).toBe(0x3f800000n);
    c = exec(FCSEL_D, [ONE_D, 0x1_7ff0000000000001n], { nzcv: 0b0100 });
    expect(getV(c, 0)).toBe(0x7ff0000000000001n);
  });
});

describe('FMOV (immediate, general)', () => {
  const imm: [string, number, bigint][] = [
    ['fmov s0, #1.0', 0x1e2e1000, 0x3f800000n],
    ['fmov d0, #-0.125', 0x1e781000, 0xbfc0000000000000n],
    ['fmov d0, #31.0', 0x1e67f000, 0x403f000000000000n],
    ['fmov s0, #0.1875', 0x1e291000, 0x3e400000n],
  ];
  for (const [label, insn, want] of imm) {
    it(label, () => expect(getV(exec(insn, []), 0)).toBe(want));
  }
  it('fmov w0, s1 zero-extends; fmov x0, d1', () => {
    let c = runCode([0x1e260020], (c) => {
      // fmov w0, s1
      setV(c, 1, 0x1234_5678_9abc_def0_ffff_ffff_8765_4321n);
      c.setX(0, -1n & 0xffffffffffffffffn);
    });
    expect(c.getX(0)).toBe(0x87654321n);
    c = runCode([0x9e660020], (c) => setV(c, 1, 0x1234_5678_9abc_def0_ffff_ffff_8765_4321n)); // fmov x0, d1
    expect(c.getX(0)).toBe(0xffffffff87654321n);
  });
  it('fmov s0, w1 / d0, x1 clear the rest of V0', () => {
    let c = exec(0x1e270020, [], { x: [0xdeadbeef_7fc00001n] }); // fmov s0, w1
    expect(getV(c, 0)).toBe(0x7fc00001n);
    c = exec(0x9e670020, [], { x: [0xfff0000000000001n] }); // fmov d0, x1
    expect(getV(c, 0)).toBe(0xfff0000000000001n);
  });
  it('fmov v0.d[1], x1 writes only the top half; fmov x0, v1.d[1] reads it', () => {
    let c = exec(0x9eaf0020, [], { x: [0x0123456789abcdefn] }); // fmov v0.d[1], x1
    expect(getV(c, 0)).toBe(0x0123456789abcdef_ffffffffffffffffn);
    c = runCode([0x9eae0020], (c) => setV(c, 1, 0xfedcba98_76543210_00000000_00000001n)); // fmov x0, v1.d[1]
    expect(c.getX(0)).toBe(0xfedcba9876543210n);
  });
});

describe('SIMD&FP access trap', () => {
  it('FADD with CPACR_EL1.FPEN = 0 takes EC 0x07 to EL1 and does not write V0', () => {
    const m = makeMachine({ fp: false });
    const VBAR = CODE + 0x1000;
    m.poke32(CODE, [FADD_D, HLT_STOP]);
    m.poke32(VBAR + 0x200, [HLT_STOP]); // current EL, SP_ELx, synchronous
    m.c.sys.set(R.VBAR_EL1, VBAR, 0);
    setV(m.c, 0, 0x55n);
    setV(m.c, 1, ONE_D);
    m.run(100);
    expect(getV(m.c, 0)).toBe(0x55n);
    expect(m.c.sys.lo(R.ESR_EL1) >>> 26).toBe(0x07);
    expect(m.c.sys.lo(R.ELR_EL1) >>> 0).toBe(CODE);
  });
});
