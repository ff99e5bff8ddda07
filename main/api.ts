/**
 * The contract between the Electron main process, the preload and the renderer.
 *
 * The renderer imports only the *types* from this file (enforced by the
 * armlab/layers lint rule); the channel names are used by main/ and the preload.
 * When the VmHost API (core/host/api.ts) lands, the VM operations join it there
 * and this file keeps only what is specific to the desktop app.
 */

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

/** What the preload exposes to the renderer as `window.armlab`. */
export interface ArmlabBridge {
  getInfo(): Promise<AppInfo>;
}

/** IPC channel names (main ↔ preload). */
export const IPC = {
  getInfo: 'armlab:get-info',
} as const;
