/**
 * FP conversions: FCVT between H/S/D (AHP, DN, FZ, NaN payloads), FCVT[NPMZA][SU] to
 * general registers (saturation, IOC/IXC), fixed-point FCVTZ[SU]/[SU]CVTF, [SU]CVTF from
 * 32/64-bit integers (one rounding per FPCR mode), FRINT*.
 * Encodings from aarch64-linux-gnu-as; expected values derived by hand from the Arm ARM
 * pseudocode (FPConvert, FPToFixed, FixedToFP, FPRoundInt). All instructions here were
 * also checked against qemu-system-aarch64 on random vectors (see fp-arith.test.ts).
 */
import { describe, it, expect } from 'vitest';
import { runCode } from '../helpers/cpu.js';
import { a64Decoder } from '../../core/a64/table/index.js';
import { extractFields } from '../../core/a64/decoder.js';
import { getModel } from '../../core/a64/models.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { FZ, DN, AHP, RP, RM, RZ, IOC, OFC, UFC, IXC, IDC, getV, setV } from '../helpers/vreg.js';

const dv = new DataView(new ArrayBuffer(8));
/** Bits of a double literal. */
const D = (x: number): bigint => (dv.setFloat64(0, x), dv.getBigUint64(0));
/** Bits of a single literal (exactly representable). */
const S = (x: number): bigint => (dv.setFloat32(0, x), BigInt(dv.getUint32(0)));

/** Run `insn` with V1 = vin (or X1 = xin), V0/X0 pre-filled with ones. */
function exec(insn: number, vin: bigint, fpcr = 0, xin?: bigint): Cpu {
  return runCode([insn], (c) => {
    setV(c, 0, (1n << 128n) - 1n);
    c.setX(0, 0xffffffffffffffffn);
    setV(c, 1, vin);
    if (xin !== undefined) c.setX(1, xin & 0xffffffffffffffffn);
    c.fpcr = fpcr;
    c.fpsr = 0;
  });
}

/** [label, encoding, FPCR, V1 input, expected V0 (128 bits), FPSR] */
type VRow = [string, number, number, bigint, bigint, number];
function vRows(rows: VRow[]): void {
  for (const [label, insn, fpcr, vin, want, flags] of rows) {
    it(label, () => {
      const c = exec(insn, vin, fpcr);
      expect(getV(c, 0).toString(16)).toBe(want.toString(16));
      expect(c.fpsr).toBe(flags);
    });
  }
}

const FCVT_DS = 0x1e22c020; // fcvt d0, s1
const FCVT_SD = 0x1e624020; // fcvt s0, d1
const FCVT_HS = 0x1e23c020; // fcvt h0, s1
const FCVT_HD = 0x1e63c020; // fcvt h0, d1
const FCVT_SH = 0x1ee24020; // fcvt s0, h1
const FCVT_DH = 0x1ee2c020; // fcvt d0, h1

describe('FCVT between precisions', () => {
  vRows([
    ['d←s 1.0', FCVT_DS, 0, S(1), D(1), 0],
    // FPConvertNaN: single frac<21:0> goes to double frac<50:29>, quiet bit set
    ['d←s sNaN payload 1 → bit 29, IOC', FCVT_DS, 0, 0x7f800001n, 0x7ff8000020000000n, IOC],
    ['d←s negative qNaN', FCVT_DS, 0, 0xffc00001n, 0xfff8000020000000n, 0],
    ['d←s qNaN with DN', FCVT_DS, DN, 0xffc00001n, 0x7ff8000000000000n, 0],
    ['d←s min denormal = 2^-149', FCVT_DS, 0, 1n, 0x36a0000000000000n, 0],
    ['d←s denormal with FZ → 0, IDC', FCVT_DS, FZ, 0x80000001n, 0x8000000000000000n, IDC],
    ['d←s -inf', FCVT_DS, 0, 0xff800000n, 0xfff0000000000000n, 0],
    ['s←d 1/3 RN', FCVT_SD, 0, 0x3fd5555555555555n, 0x3eaaaaabn, IXC],
    ['s←d 1/3 RZ', FCVT_SD, RZ, 0x3fd5555555555555n, 0x3eaaaaaan, IXC],
    ['s←d -1/3 RM', FCVT_SD, RM, 0xbfd5555555555555n, 0xbeaaaaabn, IXC],
    ['s←d MAX overflows RN', FCVT_SD, 0, 0x7fefffffffffffffn, 0x7f800000n, OFC | IXC],
    ['s←d MAX overflows RZ → FLT_MAX', FCVT_SD, RZ, 0x7fefffffffffffffn, 0x7f7fffffn, OFC | IXC],
    ['s←d 2^-149 exact denormal', FCVT_SD, 0, 0x36a0000000000000n, 1n, 0],
    ['s←d 2^-150 ties to even (0)', FCVT_SD, 0, 0x3690000000000000n, 0n, UFC | IXC],
    ['s←d 2^-150 RP', FCVT_SD, RP, 0x3690000000000000n, 1n, UFC | IXC],
    ['s←d 2^-149 with FZ flushes: UFC only', FCVT_SD, FZ, 0x36a0000000000000n, 0n, UFC],
    ['s←d sNaN payload in low bits is lost', FCVT_SD, 0, 0x7ff0000000000001n, 0x7fc00000n, IOC],
    ['s←d qNaN payload frac<50:29>', FCVT_SD, 0, 0x7ff8000020000000n, 0x7fc00001n, 0],
    ['h←s 1.0', FCVT_HS, 0, S(1), 0x3c00n, 0],
    ['h←s 65504 (max half)', FCVT_HS, 0, S(65504), 0x7bffn, 0],
    // 65520 rounds (tie, to even) up to 2^16: overflow in IEEE half, exactly 0x7c00 in the alternative format
    ['h←s 65520 overflows', FCVT_HS, 0, S(65520), 0x7c00n, OFC | IXC],
    ['h←s 65520 AHP = 65536, no overflow', FCVT_HS, AHP, S(65520), 0x7c00n, IXC],
    ['h←s 200000 AHP saturates with IOC', FCVT_HS, AHP, S(200000), 0x7fffn, IOC],
    ['h←s -inf AHP', FCVT_HS, AHP, 0xff800000n, 0xffffn, IOC],
    ['h←s NaN AHP → signed zero', FCVT_HS, AHP, 0xffc00000n, 0x8000n, IOC],
    ['h←s sNaN → default payload 0, IOC', FCVT_HS, 0, 0x7f800001n, 0x7e00n, IOC],
    ['h←s qNaN payload frac<50:42>', FCVT_HS, 0, 0x7fc02000n, 0x7e01n, 0],
    ['h←s 2^-24 min half denormal; FZ does not flush half', FCVT_HS, FZ, S(2 ** -24), 0x0001n, 0],
    ['h←s 2^-25 ties to 0', FCVT_HS, 0, S(2 ** -25), 0x0000n, UFC | IXC],
    ['h←s 1 + 2^-11 tie RN → 1', FCVT_HS, 0, S(1 + 2 ** -11), 0x3c00n, IXC],
    ['h←s 1 + 2^-11 RP', FCVT_HS, RP, S(1 + 2 ** -11), 0x3c01n, IXC],
    ['h←d -2.5', FCVT_HD, 0, D(-2.5), 0xc100n, 0],
    ['h←d 1/3', FCVT_HD, 0, 0x3fd5555555555555n, 0x3555n, IXC],
    ['s←h 1.0', FCVT_SH, 0, 0x3c00n, S(1), 0],
    ['s←h min denormal, not flushed by FZ', FCVT_SH, FZ, 0x0001n, S(2 ** -24), 0],
    ['s←h inf', FCVT_SH, 0, 0x7c00n, 0x7f800000n, 0],
    ['s←h 0x7c00 with AHP is 65536', FCVT_SH, AHP, 0x7c00n, S(65536), 0],
    ['s←h qNaN payload', FCVT_SH, 0, 0x7e01n, 0x7fc02000n, 0],
    ['s←h sNaN', FCVT_SH, 0, 0xfc01n, 0xffc02000n, IOC],
    ['d←h -65504', FCVT_DH, 0, 0xfbffn, D(-65504), 0],
  ]);
});

/** [label, encoding, FPCR, V1 input, expected X0, FPSR] */
type XRow = [string, number, number, bigint, bigint, number];
function xRows(rows: XRow[]): void {
  for (const [label, insn, fpcr, vin, want, flags] of rows) {
    it(label, () => {
      const c = exec(insn, vin, fpcr);
      expect(c.getX(0).toString(16)).toBe(want.toString(16));
      expect(c.fpsr).toBe(flags);
    });
  }
}

const FCVTNS_W = 0x1e600020; // fcvtns w0, d1
const FCVTNS_X = 0x9e600020; // fcvtns x0, d1
const FCVTNU_X = 0x9e610020; // fcvtnu x0, d1
const FCVTPS_X = 0x9e680020; // fcvtps x0, d1
const FCVTMS_X = 0x9e700020; // fcvtms x0, d1
const FCVTZS_WD = 0x1e780020; // fcvtzs w0, d1
const FCVTZS_XD = 0x9e780020; // fcvtzs x0, d1
const FCVTZU_WD = 0x1e790020; // fcvtzu w0, d1
const FCVTZU_XD = 0x9e790020; // fcvtzu x0, d1
const FCVTAS_X = 0x9e640020; // fcvtas x0, d1
const FCVTAU_WS = 0x1e250020; // fcvtau w0, s1
const FCVTZS_WS = 0x1e380020; // fcvtzs w0, s1
const FCVTZS_XS = 0x9e380020; // fcvtzs x0, s1
const FCVTZS_WD16 = 0x1e58c020; // fcvtzs w0, d1, #16
const FCVTZU_XD64 = 0x9e590020; // fcvtzu x0, d1, #64
const FCVTZS_XS8 = 0x9e18e020; // fcvtzs x0, s1, #8

const M64 = 0xffffffffffffffffn;
describe('FCVT* to general registers: rounding, saturation, IOC/IXC', () => {
  xRows([
    ['fcvtzs w ← 2^31 saturates', FCVTZS_WD, 0, D(2 ** 31), 0x7fffffffn, IOC],
    ['fcvtzs w ← -2^31 exact (zero-extended W)', FCVTZS_WD, 0, D(-(2 ** 31)), 0x80000000n, 0],
    ['fcvtzs w ← -2^31 - 0.5 truncates into range', FCVTZS_WD, 0, D(-(2 ** 31) - 0.5), 0x80000000n, IXC],
    ['fcvtzs w ← -2^31 - 1 saturates', FCVTZS_WD, 0, D(-(2 ** 31) - 1), 0x80000000n, IOC],
    ['fcvtzs w ← 2^31 - 0.5', FCVTZS_WD, 0, D(2 ** 31 - 0.5), 0x7fffffffn, IXC],
    ['fcvtzs w ← -1.5', FCVTZS_WD, 0, D(-1.5), 0xffffffffn, IXC],
    ['fcvtzs x ← 2^63 saturates', FCVTZS_XD, 0, D(2 ** 63), 0x7fffffffffffffffn, IOC],
    ['fcvtzs x ← -2^63 exact', FCVTZS_XD, 0, D(-(2 ** 63)), 0x8000000000000000n, 0],
    ['fcvtzs x ← largest double below 2^63', FCVTZS_XD, 0, 0x43dfffffffffffffn, 0x7ffffffffffffc00n, 0],
    ['fcvtzs x ← NaN → 0, IOC', FCVTZS_XD, 0, 0x7ff8000000000000n, 0n, IOC],
    ['fcvtzs x ← -inf', FCVTZS_XD, 0, 0xfff0000000000000n, 0x8000000000000000n, IOC],
    ['fcvtzs x ← 1e300', FCVTZS_XD, 0, D(1e300), 0x7fffffffffffffffn, IOC],
    ['fcvtzs x ← denormal, FZ: 0 with IDC only', FCVTZS_XD, FZ, 1n, 0n, IDC],
    ['fcvtzs x ← denormal, no FZ: 0 inexact', FCVTZS_XD, 0, 1n, 0n, IXC],
    ['fcvtzs x ← -0', FCVTZS_XD, 0, 0x8000000000000000n, 0n, 0],
    ['fcvtzu x ← -0.5 → 0 inexact (not invalid)', FCVTZU_XD, 0, D(-0.5), 0n, IXC],
    ['fcvtzu x ← -1 saturates to 0', FCVTZU_XD, 0, D(-1), 0n, IOC],
    ['fcvtzu x ← 2^64 saturates', FCVTZU_XD, 0, D(2 ** 64), M64, IOC],
    ['fcvtzu x ← largest double below 2^64', FCVTZU_XD, 0, 0x43efffffffffffffn, 0xfffffffffffff800n, 0],
    ['fcvtzu w ← 2^32 - 0.5', FCVTZU_WD, 0, D(2 ** 32 - 0.5), 0xffffffffn, IXC],
    ['fcvtzu w ← 2^32 saturates', FCVTZU_WD, 0, D(2 ** 32), 0xffffffffn, IOC],
    ['fcvtns x ← 2.5 ties to even', FCVTNS_X, 0, D(2.5), 2n, IXC],
    ['fcvtns x ← 3.5', FCVTNS_X, 0, D(3.5), 4n, IXC],
    ['fcvtns x ← -2.5', FCVTNS_X, 0, D(-2.5), M64 - 1n, IXC],
    ['fcvtns w ← 2^31 - 0.5 rounds out of range', FCVTNS_W, 0, D(2 ** 31 - 0.5), 0x7fffffffn, IOC],
    ['fcvtns: FPCR.RMode is ignored', FCVTNS_X, RM, D(2.7), 3n, IXC],
    ['fcvtnu x ← 0.5 → 0', FCVTNU_X, 0, D(0.5), 0n, IXC],
    ['fcvtas x ← 2.5 → 3', FCVTAS_X, 0, D(2.5), 3n, IXC],
    ['fcvtas x ← -2.5 → -3', FCVTAS_X, 0, D(-2.5), M64 - 2n, IXC],
    ['fcvtps x ← 1.1 → 2', FCVTPS_X, 0, D(1.1), 2n, IXC],
    ['fcvtps x ← -1.1 → -1', FCVTPS_X, 0, D(-1.1), M64, IXC],
    ['fcvtms x ← -1.1 → -2', FCVTMS_X, 0, D(-1.1), M64 - 1n, IXC],
    ['fcvtms x ← 7 exact', FCVTMS_X, 0, D(7), 7n, 0],
    ['fcvtau w ← 2.5f → 3', FCVTAU_WS, 0, S(2.5), 3n, IXC],
    ['fcvtzs w ← 2^31 (single) saturates', FCVTZS_WS, 0, S(2 ** 31), 0x7fffffffn, IOC],
    ['fcvtzs x ← -2^63 (single)', FCVTZS_XS, 0, S(-(2 ** 63)), 0x8000000000000000n, 0],
    ['fcvtzs x ← sNaN (single)', FCVTZS_XS, 0, 0x7f800001n, 0n, IOC],
    // fixed point: fbits = 64 - scale
    ['fcvtzs w, #16 ← 1.5', FCVTZS_WD16, 0, D(1.5), 0x18000n, 0],
    ['fcvtzs w, #16 ← -1/3 → -21845', FCVTZS_WD16, 0, 0xbfd5555555555555n, 0xffffaaabn, IXC],
    ['fcvtzs w, #16 ← 32768 saturates', FCVTZS_WD16, 0, D(32768), 0x7fffffffn, IOC],
    ['fcvtzu x, #64 ← 0.5 = 2^63', FCVTZU_XD64, 0, D(0.5), 0x8000000000000000n, 0],
    ['fcvtzu x, #64 ← 1.0 saturates', FCVTZU_XD64, 0, D(1), M64, IOC],
    ['fcvtzu x, #64 ← 2^-65 → 0 inexact', FCVTZU_XD64, 0, D(2 ** -65), 0n, IXC],
    ['fcvtzs x, #8 ← 1.5f', FCVTZS_XS8, 0, S(1.5), 0x180n, 0],
  ]);
});

const SCVTF_DX = 0x9e620020; // scvtf d0, x1
const SCVTF_SX = 0x9e220020; // scvtf s0, x1
const UCVTF_DX = 0x9e630020; // ucvtf d0, x1
const UCVTF_SX = 0x9e230020; // ucvtf s0, x1
const SCVTF_SW = 0x1e220020; // scvtf s0, w1
const UCVTF_DW = 0x1e630020; // ucvtf d0, w1
const SCVTF_DX64 = 0x9e420020; // scvtf d0, x1, #64
const UCVTF_SW16 = 0x1e03c020; // ucvtf s0, w1, #16
const SCVTF_DW1 = 0x1e42fc20; // scvtf d0, w1, #1

describe('SCVTF/UCVTF: one rounding of the exact integer, per FPCR.RMode', () => {
  /** [label, encoding, FPCR, X1, expected V0, FPSR] */
  const rows: [string, number, number, bigint, bigint, number][] = [
    ['scvtf d ← 2^53 + 1 RN ties to even', SCVTF_DX, 0, 2n ** 53n + 1n, 0x4340000000000000n, IXC],
    ['scvtf d ← 2^53 + 1 RP', SCVTF_DX, RP, 2n ** 53n + 1n, 0x4340000000000001n, IXC],
    ['scvtf d ← 2^53 + 1 RZ', SCVTF_DX, RZ, 2n ** 53n + 1n, 0x4340000000000000n, IXC],
    ['scvtf d ← 2^53 + 3 RN ties to even (up)', SCVTF_DX, 0, 2n ** 53n + 3n, 0x4340000000000002n, IXC],
    ['scvtf d ← -1', SCVTF_DX, 0, -1n, D(-1), 0],
    ['scvtf d ← INT64_MIN', SCVTF_DX, 0, -(2n ** 63n), 0xc3e0000000000000n, 0],
    ['scvtf d ← INT64_MAX RN', SCVTF_DX, 0, 2n ** 63n - 1n, 0x43e0000000000000n, IXC],
    ['scvtf d ← INT64_MAX RZ', SCVTF_DX, RZ, 2n ** 63n - 1n, 0x43dfffffffffffffn, IXC],
    ['scvtf d ← -(2^53 + 1) RM', SCVTF_DX, RM, -(2n ** 53n + 1n), 0xc340000000000001n, IXC],
    ['scvtf d ← 0 is +0 even in RM', SCVTF_DX, RM, 0n, 0n, 0],
    ['ucvtf d ← 2^64 - 1 RN', UCVTF_DX, 0, M64, 0x43f0000000000000n, IXC],
    ['ucvtf d ← 2^64 - 1 RM', UCVTF_DX, RM, M64, 0x43efffffffffffffn, IXC],
    // 2^60 + 2^36 + 1: above the single-precision tie by 1; rounding to double first
    // would land exactly on the tie and then round to even (down)
    ['scvtf s ← 2^60 + 2^36 + 1 (no double rounding)', SCVTF_SX, 0, 2n ** 60n + 2n ** 36n + 1n, 0x5d800001n, IXC],
    ['scvtf s ← 2^60 + 2^36 (tie, even)', SCVTF_SX, 0, 2n ** 60n + 2n ** 36n, 0x5d800000n, IXC],
    ['scvtf s ← 2^24 + 1 RP', SCVTF_SX, RP, 2n ** 24n + 1n, 0x4b800001n, IXC],
    ['ucvtf s ← 2^64 - 1', UCVTF_SX, 0, M64, 0x5f800000n, IXC],
    ['ucvtf s ← 2^64 - 1 RZ', UCVTF_SX, RZ, M64, 0x5f7fffffn, IXC],
    ['scvtf s ← w 0x7fffffff', SCVTF_SW, 0, 0x7fffffffn, 0x4f000000n, IXC],
    ['scvtf s ← w -1 (upper X bits ignored)', SCVTF_SW, 0, 0x12345678ffffffffn, 0xbf800000n, 0],
    ['ucvtf d ← w 0xffffffff', UCVTF_DW, 0, 0xffffffffn, 0x41efffffffe00000n, 0],
    ['scvtf d, #64 ← 1 = 2^-64', SCVTF_DX64, 0, 1n, 0x3bf0000000000000n, 0],
    ['scvtf d, #64 ← INT64_MIN = -0.5', SCVTF_DX64, 0, -(2n ** 63n), D(-0.5), 0],
    ['ucvtf s, #16 ← 0x18000 = 1.5', UCVTF_SW16, 0, 0x18000n, S(1.5), 0],
    ['scvtf d, #1 ← w -3 = -1.5', SCVTF_DW1, 0, 0xfffffffdn, D(-1.5), 0],
  ];
  for (const [label, insn, fpcr, xin, want, flags] of rows) {
    it(label, () => {
      const c = exec(insn, 0n, fpcr, xin);
      expect(getV(c, 0).toString(16)).toBe(want.toString(16));
      expect(c.fpsr).toBe(flags);
    });
  }
});

const FRINTN_D = 0x1e644020; // frintn d0, d1
const FRINTP_D = 0x1e64c020; // frintp d0, d1
const FRINTM_D = 0x1e654020; // frintm d0, d1
const FRINTZ_D = 0x1e65c020; // frintz d0, d1
const FRINTA_D = 0x1e664020; // frinta d0, d1
const FRINTX_D = 0x1e674020; // frintx d0, d1
const FRINTI_D = 0x1e67c020; // frinti d0, d1
const FRINTN_S = 0x1e244020; // frintn s0, s1
const FRINTA_S = 0x1e264020; // frinta s0, s1
const FRINTX_S = 0x1e274020; // frintx s0, s1

describe('FRINT*: round to integral; only FRINTX signals Inexact', () => {
  vRows([
    ['frintn 2.5 → 2', FRINTN_D, 0, D(2.5), D(2), 0],
    ['frintn 3.5 → 4', FRINTN_D, 0, D(3.5), D(4), 0],
    ['frintn -0.5 → -0', FRINTN_D, 0, D(-0.5), 0x8000000000000000n, 0],
    ['frintn 0.5 → +0', FRINTN_D, 0, D(0.5), 0n, 0],
    ['frintp 1.1 → 2', FRINTP_D, 0, D(1.1), D(2), 0],
    ['frintp -0.5 → -0', FRINTP_D, 0, D(-0.5), 0x8000000000000000n, 0],
    ['frintm -1.1 → -2', FRINTM_D, 0, D(-1.1), D(-2), 0],
    ['frintm 0.5 → +0', FRINTM_D, 0, D(0.5), 0n, 0],
    ['frintz -1.9 → -1', FRINTZ_D, 0, D(-1.9), D(-1), 0],
    ['frinta 2.5 → 3', FRINTA_D, 0, D(2.5), D(3), 0],
    ['frinta -2.5 → -3', FRINTA_D, 0, D(-2.5), D(-3), 0],
    ['frinta 0.4 → +0', FRINTA_D, 0, D(0.4), 0n, 0],
    ['frintx 2.5 RN → 2, IXC', FRINTX_D, 0, D(2.5), D(2), IXC],
    ['frintx 2.5 RP → 3, IXC', FRINTX_D, RP, D(2.5), D(3), IXC],
    ['frintx 2.0 exact', FRINTX_D, 0, D(2), D(2), 0],
    ['frinti 2.5 RM → 2, no IXC', FRINTI_D, RM, D(2.5), D(2), 0],
    ['frinti -2.5 RZ → -2', FRINTI_D, RZ, D(-2.5), D(-2), 0],
    ['frintx 2^52 + 1 already integral', FRINTX_D, 0, D(2 ** 52 + 1), D(2 ** 52 + 1), 0],
    ['frintx 2^52 - 0.5 RN ties to even', FRINTX_D, 0, D(2 ** 52 - 0.5), D(2 ** 52), IXC],
    ['frintx -inf', FRINTX_D, 0, 0xfff0000000000000n, 0xfff0000000000000n, 0],
    ['frintx denormal, FZ → -0, IDC', FRINTX_D, FZ, 0x8000000000000001n, 0x8000000000000000n, IDC],
    ['frintx denormal, no FZ → -0, IXC', FRINTX_D, 0, 0x8000000000000001n, 0x8000000000000000n, IXC],
    ['frintp denormal → 1', FRINTP_D, 0, 1n, D(1), 0],
    ['frintn 8388607.5f ties to even', FRINTN_S, 0, S(8388607.5), S(8388608), 0],
    ['frinta -0.5f → -1', FRINTA_S, 0, S(-0.5), S(-1), 0],
    ['frintx sNaN (single) quieted', FRINTX_S, 0, 0xff800003n, 0xffc00003n, IOC],
    ['frintx qNaN with DN', FRINTX_S, DN, 0x7fc00003n, 0x7fc00000n, 0],
    ['frinta 1e30f already integral', FRINTA_S, 0, S(1e30), S(1e30), 0],
  ]);
});

describe('unallocated or unimplemented encodings decode as UNDEFINED', () => {
  const ctx = { pcLo: 0, pcHi: 0, insn: 0, features: getModel('max').features };
  const words: [string, number][] = [
    ['fcvt s0, s1 (same precision)', 0x1e224020],
    ['fadd h0, h1, h2 (FEAT_FP16)', 0x1ee22820],
    ['fcvtzs w0, d1, #33 (scale < 32 with sf = 0)', 0x1e587c20],
    ['fjcvtzs w0, d1 (FEAT_JSCVT)', 0x1e7e0020],
    ['frint with rmode 101', 0x1e66c020],
  ];
  for (const [label, w] of words) {
    it(label, () => {
      const e = a64Decoder().lookup(w);
      expect(e === undefined || e.emit(extractFields(e, w), { ...ctx, insn: w }) === null).toBe(true);
    });
  }
});
