/**
 * Preload (bundled to CommonJS: a sandboxed renderer cannot load an ES module
 * preload). Exposes `window.armlab`, the typed bridge of main/api.ts, and nothing else:
 * host API requests go to the main process, host events come back.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { HostEvent, Reply, Request } from '../core/host/api.js';
import { IPC, type ArmlabBridge } from './api.js';

const bridge: ArmlabBridge = {
  request: (req: Request) => ipcRenderer.invoke(IPC.request, req) as Promise<Reply>,
  onEvent: (listener: (e: HostEvent) => void) => {
    const handler = (_e: IpcRendererEvent, event: HostEvent): void => listener(event);
    ipcRenderer.on(IPC.event, handler);
    return () => void ipcRenderer.off(IPC.event, handler);
  },
};

contextBridge.exposeInMainWorld('armlab', bridge);
