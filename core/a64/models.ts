/**
 * CPU model table: identification, ID registers and the features the decoder and
 * MMU gate on. One model per vCPU (heterogeneous systems pick different models).
 *
 * cortex-a53/a57/a72: the values of the Arm Technical Reference Manuals as QEMU
 * 7.2 gives them (target/arm/cpu64.c; read back under qemu-system-aarch64).
 * They advertise what the silicon has — including AArch32 at every EL and the
 * Cryptographic Extension — whether or not armlab implements it (see README
 * notes in the report: armlab executes AArch64 only).
 *
 * `max` advertises exactly what armlab implements; `features` must agree with
 * the ID registers (test/unit/models.test.ts checks every flag against its field).
 * Whoever implements a feature sets the flag and the ID field together.
 */

/** Features the decoder/MMU gate on (FEAT_* names without the prefix, lower case). */
export interface Features {
  crc32: boolean;
  lse: boolean;
  /** Cryptographic Extension parts (ID_AA64ISAR0 AES/SHA1/SHA2; pmull = AES field 2). */
  aes: boolean;
  pmull: boolean;
  sha1: boolean;
  sha2: boolean;
  /** FEAT_PAN (PSTATE.PAN, MSR PAN), FEAT_PAN2 (AT S1E1RP/WP). */
  pan: boolean;
  pan2: boolean;
  uao: boolean;
  dit: boolean;
  ssbs: boolean;
  mte: boolean;
  bti: boolean;
  pauth: boolean;
  sve: boolean;
  fp16: boolean;
  /** FEAT_SB (SB barrier), FEAT_DPB (DC CVAP). */
  sb: boolean;
  dpb: boolean;
  /** FEAT_TLBIOS (outer-shareable TLBI), FEAT_TLBIRANGE (range TLBI). */
  tlbios: boolean;
  tlbirange: boolean;
  lpa: boolean;
  lpa2: boolean;
  lva: boolean;
  vhe: boolean;
  hafdbs: boolean;
  /** FEAT_LRCPC: LDAPR/LDAPRB/LDAPRH (ID_AA64ISAR1_EL1.LRCPC). */
  rcpc: boolean;
  /** AArch32 at EL0 (ID_AA64PFR0.EL0 = 2). armlab does not execute AArch32: see exceptionReturn. */
  aarch32: boolean;
  el2: boolean;
  el3: boolean;
}

export interface CpuModel {
  name: string;
  midr: bigint;
  /**
   * ID and identification registers by name (ID_AA64PFR0_EL1, ID_AA64ISAR0_EL1, ID_AA64MMFR0_EL1,
   * CTR_EL0, CLIDR_EL1, REVIDR_EL1, the AArch32 ID_* registers, ...). Missing ones read as zero.
   */
  id: Record<string, bigint>;
  /** CCSIDR_EL1 for CSSELR = L1 data, L1 instruction, L2 (unified), in that order. */
  ccsidr: number[];
  /** PMCR_EL0 reset value (IMP, IDCODE, N). */
  pmcr: number;
  /** SCTLR_ELx reset value (QEMU's reset_sctlr for the model). */
  sctlrReset: number;
  /** DCZID_EL0.BS: log2 of the DC ZVA block size in 4-byte words. */
  dczidBs: number;
  /** Physical address size in bits (from ID_AA64MMFR0_EL1.PARange). */
  paBits: number;
  features: Features;
}

const NONE: Features = {
  crc32: false,
  lse: false,
  aes: false,
  pmull: false,
  sha1: false,
  sha2: false,
  pan: false,
  pan2: false,
  uao: false,
  dit: false,
  ssbs: false,
  mte: false,
  bti: false,
  pauth: false,
  sve: false,
  fp16: false,
  sb: false,
  dpb: false,
  tlbios: false,
  tlbirange: false,
  lpa: false,
  lpa2: false,
  lva: false,
  vhe: false,
  hafdbs: false,
  rcpc: false,
  aarch32: false,
  el2: true,
  el3: true,
};

/** ARMv8.0 Cortex-A5x/A72 features as their ID registers advertise them. */
const V8_CORTEX: Features = { ...NONE, crc32: true, aes: true, pmull: true, sha1: true, sha2: true, aarch32: true };

/** The AArch32 ID registers the three Cortex models share (TRM values as QEMU gives them). */
const CORTEX_AARCH32_ID: Record<string, bigint> = {
  ID_PFR0_EL1: 0x00000131n,
  ID_PFR1_EL1: 0x00011011n,
  ID_DFR0_EL1: 0x03010066n,
  ID_AFR0_EL1: 0n,
  ID_MMFR1_EL1: 0x40000000n,
  ID_MMFR2_EL1: 0x01260000n,
  ID_MMFR3_EL1: 0x02102211n,
  ID_ISAR0_EL1: 0x02101110n,
  ID_ISAR1_EL1: 0x13112111n,
  ID_ISAR2_EL1: 0x21232042n,
  ID_ISAR3_EL1: 0x01112131n,
  ID_ISAR4_EL1: 0x00011142n,
  ID_ISAR5_EL1: 0x00011121n,
  MVFR0_EL1: 0x10110222n,
  MVFR1_EL1: 0x12111111n,
  MVFR2_EL1: 0x00000043n,
};

const CORTEX_AA64_ID: Record<string, bigint> = {
  ID_AA64PFR0_EL1: 0x00002222n,
  ID_AA64DFR0_EL1: 0x10305106n,
  ID_AA64ISAR0_EL1: 0x00011120n,
  CLIDR_EL1: 0x0a200023n,
  REVIDR_EL1: 0n,
  AIDR_EL1: 0n,
};

export const MODELS: Record<string, CpuModel> = {
  'cortex-a53': {
    name: 'cortex-a53',
    midr: 0x410fd034n,
    id: {
      ...CORTEX_AA64_ID,
      ...CORTEX_AARCH32_ID,
      ID_AA64MMFR0_EL1: 0x00001122n,
      ID_MMFR0_EL1: 0x10101105n,
      CTR_EL0: 0x84448004n,
    },
    ccsidr: [0x700fe01a, 0x201fe00a, 0x707fe07a],
    pmcr: 0x41033000,
    sctlrReset: 0x00c50838,
    dczidBs: 4,
    paBits: 40,
    features: { ...V8_CORTEX },
  },
  'cortex-a57': {
    name: 'cortex-a57',
    midr: 0x411fd070n,
    id: {
      ...CORTEX_AA64_ID,
      ...CORTEX_AARCH32_ID,
      ID_AA64MMFR0_EL1: 0x00001124n,
      ID_MMFR0_EL1: 0x10101105n,
      CTR_EL0: 0x8444c004n,
    },
    ccsidr: [0x701fe00a, 0x201fe012, 0x70ffe07a],
    pmcr: 0x41013000,
    sctlrReset: 0x00c50838,
    dczidBs: 4,
    paBits: 44,
    features: { ...V8_CORTEX },
  },
  'cortex-a72': {
    name: 'cortex-a72',
    midr: 0x410fd083n,
    id: {
      ...CORTEX_AA64_ID,
      ...CORTEX_AARCH32_ID,
      ID_AA64MMFR0_EL1: 0x00001124n,
      ID_MMFR0_EL1: 0x10201105n,
      CTR_EL0: 0x8444c004n,
    },
    ccsidr: [0x701fe00a, 0x201fe012, 0x707fe07a],
    pmcr: 0x41023000,
    sctlrReset: 0x00c50838,
    dczidBs: 4,
    paBits: 44,
    features: { ...V8_CORTEX },
  },
  max: {
    name: 'max',
    // QEMU's max: implementer 0, architecture 0xf (ID registers), part 0x051.
    midr: 0x000f0510n,
    id: {
      // EL0..EL3 AArch64 only, FP and AdvSIMD without FP16, no GIC system registers,
      // CSV2 = CSV3 = 1: an interpreter does not speculate.
      ID_AA64PFR0_EL1: 0x1100000000001111n,
      // Debug v8, PMUv3, 6 breakpoints, 4 watchpoints, 2 context-aware breakpoints.
      ID_AA64DFR0_EL1: 0x10305106n,
      // AES with PMULL (AES = 2), SHA1, SHA2 (SHA256 only), CRC32, LSE atomics (Atomic = 2),
      // TLBI outer shareable and range forms (TLB = 2: FEAT_TLBIOS + FEAT_TLBIRANGE).
      ID_AA64ISAR0_EL1: 0x0200000000211120n,
      // DC CVAP (DPB = 1), LDAPR (LRCPC = 1), SB barrier.
      ID_AA64ISAR1_EL1: 0x0000001000100001n,
      // PARange 52 bits (FEAT_LPA), 16-bit ASIDs, little-endian only; 4K and 16K granules
      // with 52-bit addresses (FEAT_LPA2: TGran4 = 1, TGran16 = 2), 64K granule.
      ID_AA64MMFR0_EL1: 0x10201026n,
      // PAN with AT S1E1RP/WP (PAN = 2: FEAT_PAN2; not 3, SCTLR.EPAN is not implemented);
      // VHE (VH = 1: FEAT_VHE, the EL2&0 regime); hardware Access flag and dirty state (HAFDBS = 2).
      ID_AA64MMFR1_EL1: 0x00200102n,
      // 52-bit VAs with the 64K granule (FEAT_LVA: VARange = 1).
      ID_AA64MMFR2_EL1: 0x00010000n,
      CTR_EL0: 0x8444c004n,
      CLIDR_EL1: 0x0a200023n,
    },
    ccsidr: [0x701fe00a, 0x201fe012, 0x70ffe07a],
    pmcr: 0x41013000,
    sctlrReset: 0x00c50838,
    dczidBs: 4,
    paBits: 52,
    features: {
      ...NONE,
      crc32: true,
      aes: true,
      pmull: true,
      sha1: true,
      sha2: true,
      lse: true,
      pan: true,
      pan2: true,
      sb: true,
      dpb: true,
      tlbios: true,
      tlbirange: true,
      rcpc: true,
      lpa: true,
      lpa2: true,
      lva: true,
      vhe: true,
      hafdbs: true,
    },
  },
};

export function getModel(name: string): CpuModel {
  const m = MODELS[name];
  if (!m) {
    throw new Error(`unknown CPU model '${name}' (known: ${Object.keys(MODELS).join(', ')})`);
  }
  return m;
}

/** Unsigned 4-bit ID register field at `lsb` of a model's register (0 when the register is absent). */
export function idField(m: CpuModel, reg: string, lsb: number): number {
  return Number(((m.id[reg] ?? 0n) >> BigInt(lsb)) & 0xfn);
}

/** Breakpoints and watchpoints the model implements (ID_AA64DFR0_EL1.BRPs/WRPs + 1). */
export function debugCounts(m: CpuModel): { brps: number; wrps: number } {
  return { brps: idField(m, 'ID_AA64DFR0_EL1', 12) + 1, wrps: idField(m, 'ID_AA64DFR0_EL1', 20) + 1 };
}
