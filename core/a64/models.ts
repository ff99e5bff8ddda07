/**
 * CPU model table: identification, ID registers and the features the decoder and
 * MMU gate on. One model per vCPU (heterogeneous systems pick different models).
 *
 * ID register values follow the Arm Technical Reference Manuals of each core;
 * `max` enables every feature armlab implements.
 */

/** Features the decoder/MMU gate on (FEAT_* names without the prefix, lower case). */
export interface Features {
  crc32: boolean;
  lse: boolean;
  /** FEAT_RDM, FEAT_DotProd etc. are not implemented yet; add flags as they land. */
  pan: boolean;
  lpa: boolean;
  lpa2: boolean;
  lva: boolean;
  vhe: boolean;
  hafdbs: boolean;
  tlbirange: boolean;
  el2: boolean;
  el3: boolean;
}

export interface CpuModel {
  name: string;
  midr: bigint;
  /** ID registers by name (ID_AA64PFR0_EL1, ID_AA64ISAR0_EL1, ID_AA64MMFR0_EL1, CTR_EL0, ...). */
  id: Record<string, bigint>;
  /** DCZID_EL0.BS: log2 of the DC ZVA block size in 4-byte words. */
  dczidBs: number;
  /** Physical address size in bits (from ID_AA64MMFR0_EL1.PARange). */
  paBits: number;
  features: Features;
}

const BASE_FEATURES: Features = {
  crc32: true,
  lse: false,
  pan: false,
  lpa: false,
  lpa2: false,
  lva: false,
  vhe: false,
  hafdbs: false,
  tlbirange: false,
  el2: true,
  el3: true,
};

/** ID_AA64PFR0_EL1 with EL0..EL3 AArch64 only (0x1 each), FP and AdvSIMD present (0). */
const PFR0_V8 = 0x1111n;

export const MODELS: Record<string, CpuModel> = {
  'cortex-a53': {
    name: 'cortex-a53',
    midr: 0x410fd034n,
    id: {
      ID_AA64PFR0_EL1: 0x2222n,
      ID_AA64ISAR0_EL1: 0x11120n,
      ID_AA64MMFR0_EL1: 0x1122n,
      CTR_EL0: 0x84448004n,
    },
    dczidBs: 4,
    paBits: 40,
    features: { ...BASE_FEATURES },
  },
  'cortex-a57': {
    name: 'cortex-a57',
    midr: 0x411fd070n,
    id: {
      ID_AA64PFR0_EL1: 0x2222n,
      ID_AA64ISAR0_EL1: 0x11120n,
      ID_AA64MMFR0_EL1: 0x1124n,
      CTR_EL0: 0x8444c004n,
    },
    dczidBs: 4,
    paBits: 44,
    features: { ...BASE_FEATURES },
  },
  'cortex-a72': {
    name: 'cortex-a72',
    midr: 0x410fd083n,
    id: {
      ID_AA64PFR0_EL1: 0x2222n,
      ID_AA64ISAR0_EL1: 0x11120n,
      ID_AA64MMFR0_EL1: 0x1124n,
      CTR_EL0: 0x8444c004n,
    },
    dczidBs: 4,
    paBits: 44,
    features: { ...BASE_FEATURES },
  },
  max: {
    name: 'max',
    midr: 0x000f0510n,
    id: {
      ID_AA64PFR0_EL1: PFR0_V8,
      ID_AA64ISAR0_EL1: 0x0000000000210120n,
      ID_AA64MMFR0_EL1: 0x0000000000001126n,
      CTR_EL0: 0x8444c004n,
    },
    dczidBs: 4,
    paBits: 48,
    features: { ...BASE_FEATURES, lse: true, pan: true },
  },
};

export function getModel(name: string): CpuModel {
  const m = MODELS[name];
  if (!m) {
    throw new Error(`unknown CPU model '${name}' (known: ${Object.keys(MODELS).join(', ')})`);
  }
  return m;
}
