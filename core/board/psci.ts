/**
 * PSCI firmware emulation (Arm DEN 0022, PSCI 1.1), as QEMU's virt board provides
 * it when the guest runs below the conduit's exception level.
 * Function IDs in X0/W0, arguments in X1..X3, result in X0.
 */
import type { Cpu } from '../a64/cpu.js';

export const PSCI_VERSION = 0x84000000;
export const PSCI_CPU_SUSPEND_32 = 0x84000001;
export const PSCI_CPU_OFF = 0x84000002;
export const PSCI_CPU_ON_32 = 0x84000003;
export const PSCI_AFFINITY_INFO_32 = 0x84000004;
export const PSCI_MIGRATE_INFO_TYPE = 0x84000006;
export const PSCI_SYSTEM_OFF = 0x84000008;
export const PSCI_SYSTEM_RESET = 0x84000009;
export const PSCI_FEATURES = 0x8400000a;
export const PSCI_CPU_SUSPEND_64 = 0xc4000001;
export const PSCI_CPU_ON_64 = 0xc4000003;
export const PSCI_AFFINITY_INFO_64 = 0xc4000004;

export const PSCI_SUCCESS = 0;
export const PSCI_NOT_SUPPORTED = -1;
export const PSCI_INVALID_PARAMETERS = -2;
export const PSCI_ALREADY_ON = -4;

/** PSCI 1.1. */
const VERSION_1_1 = 0x10001;

export interface PsciHost {
  systemOff(): void;
  systemReset(): void;
  /** CPU_ON: returns a PSCI status. Single-CPU machines answer for themselves. */
  cpuOn(c: Cpu, targetMpidr: bigint, entry: bigint, context: bigint): number;
  cpuOff(c: Cpu): number;
  affinityInfo(targetMpidr: bigint, lowestLevel: number): number;
}

/** True if `fn` is in the PSCI function ID ranges (SMC32 0x84000000.., SMC64 0xC4000000..). */
export function isPsciFunction(fn: number): boolean {
  const f = fn >>> 0;
  return (f >= 0x84000000 && f <= 0x8400001f) || (f >= 0xc4000000 && f <= 0xc400001f);
}

const SUPPORTED = new Set([
  PSCI_VERSION,
  PSCI_CPU_SUSPEND_32,
  PSCI_CPU_OFF,
  PSCI_CPU_ON_32,
  PSCI_AFFINITY_INFO_32,
  PSCI_MIGRATE_INFO_TYPE,
  PSCI_SYSTEM_OFF,
  PSCI_SYSTEM_RESET,
  PSCI_FEATURES,
  PSCI_CPU_SUSPEND_64,
  PSCI_CPU_ON_64,
  PSCI_AFFINITY_INFO_64,
]);

/**
 * Handles an HVC/SMC on the firmware conduit. As on QEMU's virt, every call on the
 * conduit is a firmware call: IDs that are not PSCI functions (e.g. the SMCCC
 * VERSION/ARCH_FEATURES probes Linux makes) return NOT_SUPPORTED in X0.
 * Returns true (handled) always; kept boolean for boards with selective firmware.
 */
export function psciCall(c: Cpu, host: PsciHost): boolean {
  const fn = c.x[0] >>> 0;
  if (!isPsciFunction(fn)) {
    c.setX(0, BigInt.asUintN(64, BigInt(PSCI_NOT_SUPPORTED)));
    return true;
  }
  const is64 = fn >= 0xc4000000;
  const arg = (n: number): bigint => (is64 ? c.getX(n) : c.getX(n) & 0xffffffffn);
  let r: number;
  switch (fn) {
    case PSCI_VERSION:
      r = VERSION_1_1;
      break;
    case PSCI_FEATURES:
      r = SUPPORTED.has(Number(arg(1)) >>> 0) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
      break;
    case PSCI_MIGRATE_INFO_TYPE:
      r = 2; // Trusted OS not present or does not require migration.
      break;
    case PSCI_SYSTEM_OFF:
      host.systemOff();
      c.stopRequested = true;
      return true;
    case PSCI_SYSTEM_RESET:
      host.systemReset();
      c.stopRequested = true;
      return true;
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
      r = host.cpuOn(c, arg(1), arg(2), arg(3));
      break;
    case PSCI_CPU_OFF:
      r = host.cpuOff(c);
      break;
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
      r = host.affinityInfo(arg(1), Number(arg(2)));
      break;
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
      // Treated as a standby (retention) state whatever the power_state says, which PSCI
      // permits: the CPU sleeps as in WFI and returns SUCCESS when an interrupt wakes it.
      c.halted = true;
      r = PSCI_SUCCESS;
      break;
    default:
      r = PSCI_NOT_SUPPORTED;
  }
  c.setX(0, BigInt.asUintN(64, BigInt(r)));
  return true;
}
