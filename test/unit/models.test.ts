import { describe, it, expect } from 'vitest';
import { MODELS, idField, type CpuModel, type Features } from '../../core/a64/models.js';
import { allSysRegs } from '../../core/a64/sysreg-access.js';
import { allSysOps } from '../../core/a64/sysreg-ops.js';
import { a64Decoder } from '../../core/a64/table/index.js';

/** Each feature flag and the ID register field (register, lsb, minimum value) that advertises it. */
const FIELDS: Record<keyof Features, (m: CpuModel) => boolean> = {
  crc32: (m) => idField(m, 'ID_AA64ISAR0_EL1', 16) >= 1,
  lse: (m) => idField(m, 'ID_AA64ISAR0_EL1', 20) >= 2,
  aes: (m) => idField(m, 'ID_AA64ISAR0_EL1', 4) >= 1,
  pmull: (m) => idField(m, 'ID_AA64ISAR0_EL1', 4) >= 2,
  sha1: (m) => idField(m, 'ID_AA64ISAR0_EL1', 8) >= 1,
  sha2: (m) => idField(m, 'ID_AA64ISAR0_EL1', 12) >= 1,
  tlbios: (m) => idField(m, 'ID_AA64ISAR0_EL1', 56) >= 1,
  tlbirange: (m) => idField(m, 'ID_AA64ISAR0_EL1', 56) >= 2,
  dpb: (m) => idField(m, 'ID_AA64ISAR1_EL1', 0) >= 1,
  rcpc: (m) => idField(m, 'ID_AA64ISAR1_EL1', 20) >= 1,
  sb: (m) => idField(m, 'ID_AA64ISAR1_EL1', 36) >= 1,
  pauth: (m) => [4, 8, 24, 28].some((lsb) => idField(m, 'ID_AA64ISAR1_EL1', lsb) !== 0),
  pan: (m) => idField(m, 'ID_AA64MMFR1_EL1', 20) >= 1,
  pan2: (m) => idField(m, 'ID_AA64MMFR1_EL1', 20) >= 2,
  vhe: (m) => idField(m, 'ID_AA64MMFR1_EL1', 8) >= 1,
  hafdbs: (m) => idField(m, 'ID_AA64MMFR1_EL1', 0) >= 1,
  uao: (m) => idField(m, 'ID_AA64MMFR2_EL1', 4) >= 1,
  lva: (m) => idField(m, 'ID_AA64MMFR2_EL1', 16) >= 1,
  lpa: (m) => idField(m, 'ID_AA64MMFR0_EL1', 0) >= 6,
  lpa2: (m) => idField(m, 'ID_AA64MMFR0_EL1', 28) === 1,
  fp16: (m) => idField(m, 'ID_AA64PFR0_EL1', 16) === 1,
  sve: (m) => idField(m, 'ID_AA64PFR0_EL1', 32) >= 1,
  dit: (m) => idField(m, 'ID_AA64PFR0_EL1', 48) >= 1,
  bti: (m) => idField(m, 'ID_AA64PFR1_EL1', 0) >= 1,
  ssbs: (m) => idField(m, 'ID_AA64PFR1_EL1', 4) >= 1,
  mte: (m) => idField(m, 'ID_AA64PFR1_EL1', 8) >= 1,
  aarch32: (m) => idField(m, 'ID_AA64PFR0_EL1', 0) === 2,
  el2: (m) => idField(m, 'ID_AA64PFR0_EL1', 8) !== 0,
  el3: (m) => idField(m, 'ID_AA64PFR0_EL1', 12) !== 0,
};

const PARANGE_BITS = [32, 36, 40, 42, 44, 48, 52];

describe('CPU models', () => {
  for (const m of Object.values(MODELS)) {
    it(`${m.name}: every feature flag agrees with its ID register field`, () => {
      for (const [flag, advertised] of Object.entries(FIELDS) as [keyof Features, (m: CpuModel) => boolean][]) {
        expect(m.features[flag], `${m.name}.${flag}`).toBe(advertised(m));
      }
    });

    it(`${m.name}: paBits matches PARange, the PMU and cache geometry are present`, () => {
      expect(m.paBits).toBe(PARANGE_BITS[idField(m, 'ID_AA64MMFR0_EL1', 0)]);
      expect(idField(m, 'ID_AA64DFR0_EL1', 8)).toBeGreaterThan(0); // PMUv3
      expect((m.pmcr >>> 11) & 0x1f).toBe(6);
      expect(m.ccsidr.length).toBe(3);
      expect(m.dczidBs).toBe(4);
      // CTR_EL0 bit 31 RES1, DminLine/IminLine 64-byte lines.
      expect(Number(m.id.CTR_EL0 >> 31n) & 1).toBe(1);
    });
  }

  it('max advertises no SVE, PAuth, MTE, FP16, GIC system registers or AArch32', () => {
    const m = MODELS.max;
    expect(idField(m, 'ID_AA64PFR0_EL1', 24)).toBe(0);
    expect(m.features.sve || m.features.pauth || m.features.mte || m.features.fp16 || m.features.aarch32).toBe(false);
  });

  it('TRM identification values (as QEMU 7.2 reports them)', () => {
    expect(MODELS['cortex-a53'].midr).toBe(0x410fd034n);
    expect(MODELS['cortex-a57'].midr).toBe(0x411fd070n);
    expect(MODELS['cortex-a72'].midr).toBe(0x410fd083n);
    expect(MODELS['cortex-a72'].id.ID_MMFR0_EL1).toBe(0x10201105n);
    expect(MODELS['cortex-a53'].pmcr).toBe(0x41033000);
    expect(MODELS['cortex-a72'].pmcr).toBe(0x41023000);
  });

  it('the sysreg and SYS tables only gate on known features, and the decoder builds', () => {
    const known = new Set(Object.keys(FIELDS));
    for (const d of allSysRegs()) if (d.feat) expect(known.has(d.feat), d.name).toBe(true);
    for (const d of allSysOps()) if (d.feat) expect(known.has(d.feat), d.name).toBe(true);
    expect(a64Decoder().encodings.length).toBeGreaterThan(10);
  });
});
