/**
 * The contract between the Electron main process, the preload and the renderer.
 *
 * The VM operations are the host API (core/host/api.ts), carried over IPC as
 * its request/reply messages; this file adds what is specific to the desktop
 * app (app information) and the channel names. The renderer imports only the
 * *types* from this file (enforced by the armlab/layers lint rule).
 */
import type { IpcBridge } from '../core/host/api.js';

/** A CPU model as the UI lists it (from core/a64/models.ts). */
export interface CpuModelSummary {
  name: string;
  /** MIDR_EL1 as 0x-prefixed hex (bigint does not cross IPC as such). */
  midr: string;
  /** Implementer and part number decoded from MIDR_EL1, e.g. "Arm Cortex-A57 r1p0" where known. */
  midrText: string;
  /** Physical address size in bits. */
  paBits: number;
  /** Enabled feature flags (FEAT_* names without the prefix). */
  features: string[];
}

export interface AppInfo {
  name: string;
  version: string;
  versions: { electron: string; chrome: string; node: string };
  platform: string;
  cpuModels: CpuModelSummary[];
}

/** What the preload exposes to the renderer as `window.armlab`: the host API transport plus app information. */
export interface ArmlabBridge extends IpcBridge {
  getInfo(): Promise<AppInfo>;
}

/** IPC channel names (main ↔ preload). */
export const IPC = {
  getInfo: 'armlab:get-info',
  /** invoke: a host API Request → its Reply. */
  request: 'armlab:request',
  /** main → renderer: one HostEvent. */
  event: 'armlab:event',
} as const;
