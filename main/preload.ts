/**
 * Preload (bundled to CommonJS: a sandboxed renderer cannot load an ES module
 * preload). Exposes `window.armlab`, the typed bridge of main/api.ts, and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC, type AppInfo, type ArmlabBridge } from './api.js';

const bridge: ArmlabBridge = {
  getInfo: () => ipcRenderer.invoke(IPC.getInfo) as Promise<AppInfo>,
};

contextBridge.exposeInMainWorld('armlab', bridge);
