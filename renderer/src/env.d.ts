/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { ArmlabBridge } from '../../main/api';

declare global {
  interface Window {
    /** Present inside the Electron app (main/preload.ts); absent in a plain browser. */
    armlab?: ArmlabBridge;
  }
}
