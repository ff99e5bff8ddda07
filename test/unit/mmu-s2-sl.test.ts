// AArch64.S2InvalidSL / S2InconsistentSL / S2StartLevel and the stage-2 minimum TxSZ
// (AArch64.S2MinTxSZ: 52-bit IPAs with 64K need FEAT_LPA, not FEAT_LVA).
import { describe, it, expect } from 'vitest';
import { makeMachine } from '../helpers/cpu.js';
import { R } from '../../core/a64/sysregs.js';
import { MODELS, type CpuModel } from '../../core/a64/models.js';
import { s2InconsistentSL, s2InvalidSL, s2Params, s2StartLevel, s1StartLevel, isParamsFault } from '../../core/mmu/params.js';

describe('S2InvalidSL with PAMax', () => {
  it('4K: SL0=2 (level 0) needs PAMax >= 44; SL0=3 needs FEAT_TTST; SL2 only with DS and SL0=0', () => {
    expect(s2InvalidSL(40, 12, 2, 0, false)).toBe(true);
    expect(s2InvalidSL(44, 12, 2, 0, false)).toBe(false);
    expect(s2InvalidSL(52, 12, 3, 0, false)).toBe(true);
    expect(s2InvalidSL(52, 12, 0, 1, true)).toBe(false);
    expect(s2InvalidSL(52, 12, 1, 1, true)).toBe(true);
    expect(s2InvalidSL(52, 12, 0, 1, false)).toBe(true);
  });
  it('16K: SL0=2 (level 1) needs PAMax >= 42; SL0=3 (level 0) needs DS', () => {
    expect(s2InvalidSL(40, 14, 2, 0, false)).toBe(true);
    expect(s2InvalidSL(42, 14, 2, 0, false)).toBe(false);
    expect(s2InvalidSL(52, 14, 3, 0, false)).toBe(true);
    expect(s2InvalidSL(52, 14, 3, 0, true)).toBe(false);
  });
  it('64K: SL0=2 (level 1) needs PAMax >= 44; SL0=3 is reserved', () => {
    expect(s2InvalidSL(40, 16, 2, 0, false)).toBe(true);
    expect(s2InvalidSL(44, 16, 2, 0, false)).toBe(false);
    expect(s2InvalidSL(52, 16, 3, 0, false)).toBe(true);
  });
  it('start levels and the inconsistent-SL input sizes (1 bit at the start level .. 16 concatenated tables)', () => {
    expect([0, 1, 2, 3].map((sl0) => s2StartLevel(12, sl0, 0))).toEqual([2, 1, 0, -1]);
    expect(s2StartLevel(12, 0, 1)).toBe(-1);
    expect([0, 1, 2, 3].map((sl0) => s2StartLevel(16, sl0, 0))).toEqual([3, 2, 1, 0]);
    // 4K level 1: 31..43 bits of IPA; 4K level 0: 40..52.
    expect([30, 31, 43, 44].map((n) => s2InconsistentSL(n, 12, 1))).toEqual([true, false, false, true]);
    expect([39, 40, 48, 52, 53].map((n) => s2InconsistentSL(n, 12, 0))).toEqual([true, false, false, false, true]);
    expect(s1StartLevel(48, 12)).toBe(0);
    expect(s1StartLevel(52, 12)).toBe(-1);
  });
});

function s2(model: CpuModel, vtcr: bigint) {
  const m = makeMachine({ model, el2: true });
  m.c.sys.set64(R.VTCR_EL2, vtcr);
  return s2Params(m.c);
}

describe('VTCR_EL2 decode', () => {
  const VTCR_64K = (t0sz: bigint, sl0: bigint, ps: bigint): bigint => t0sz | (sl0 << 6n) | (1n << 14n) | (ps << 16n);
  it('64K, 52-bit IPA (T0SZ=12, SL0=2: level 1 with 2^(52-42-...) concatenation) on max: FEAT_LPA allows it', () => {
    const p = s2(MODELS.max, VTCR_64K(12n, 2n, 6n));
    expect(isParamsFault(p)).toBe(false);
    expect(!isParamsFault(p) && [p.inputSize, p.startLevel]).toEqual([52, 1]);
  });
  it('64K T0SZ=12 without FEAT_LPA (and without FEAT_LVA): clamped to a 48-bit IPA', () => {
    const noLpa: CpuModel = { ...MODELS.max, features: { ...MODELS.max.features, lpa: false, lva: false }, paBits: 48 };
    const p = s2(noLpa, VTCR_64K(12n, 2n, 5n));
    expect(!isParamsFault(p) && p.inputSize).toBe(48);
  });
  it('64K T0SZ=12 with FEAT_LVA but not FEAT_LPA: still 48 bits (an IPA is bounded by the PA size, not the VA size)', () => {
    const lvaOnly: CpuModel = { ...MODELS.max, features: { ...MODELS.max.features, lpa: false, lva: true }, paBits: 48 };
    const p = s2(lvaOnly, VTCR_64K(12n, 2n, 5n));
    expect(!isParamsFault(p) && p.inputSize).toBe(48);
  });
  it('cortex-a53 (PAMax 40): 4K SL0=2 (level 0) gives a level-0 translation fault; cortex-a57 (44) accepts it', () => {
    const vtcr = 16n | (2n << 6n) | (2n << 16n); // T0SZ=16 (48-bit IPA), SL0=2, 4K, PS=40-bit
    expect(s2(MODELS['cortex-a53'], vtcr)).toEqual({ fault: 'translation', level: 0 });
    expect(isParamsFault(s2(MODELS['cortex-a57'], vtcr))).toBe(false);
  });
});
