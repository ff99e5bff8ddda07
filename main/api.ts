/**
 * The contract between the Electron main process, the preload and the renderer.
 *
 * The VM operations are the host API (core/host/api.ts), carried over IPC as
 * its request/reply messages; this file names the bridge and the channels. The
 * renderer imports only the *types* from this file (enforced by the
 * armlab/layers lint rule). App and CPU-model information come from the host
 * API's `info` method, the same in the desktop app and in browser mode.
 */
import type { IpcBridge } from '../core/host/api.js';

/** What the preload exposes to the renderer as `window.armlab`: the host API transport. */
export type ArmlabBridge = IpcBridge;

/** IPC channel names (main ↔ preload). */
export const IPC = {
  /** invoke: a host API Request → its Reply. */
  request: 'armlab:request',
  /** main → renderer: one HostEvent. */
  event: 'armlab:event',
} as const;
