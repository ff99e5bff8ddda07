/**
 * Electron main process: one window, sandboxed renderer with context isolation,
 * the VmHost (core/host) behind the preload's typed bridge (main/api.ts):
 * requests arrive on one IPC channel, host events go to every window.
 */
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { dispatch } from '../core/host/dispatch.js';
import { VmHost } from '../core/host/vmhost.js';
import { RESOURCES_ENV } from '../core/kvm/paths.js';
import { IPC } from './api.js';
import { packagedLayout } from './layout.js';

const here = import.meta.dirname;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'armlab',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Links open in the user's browser, never inside the app window: no new windows, no navigation away
  // from the app's page (a guest's console output or a pasted link cannot replace the UI).
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    e.preventDefault();
    if (url.startsWith('https://')) void shell.openExternal(url);
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

// The VM worker and the vCPU worker of SMP machines are bundled next to this file
// (out/main/vm-worker.js, out/main/vcpu-worker.js: electron.vite.config.ts); packaged, they start from
// app.asar.unpacked, and the presets' programs, the KVM addon and the guest fetcher are under the
// resources directory (electron-builder.yml).
const layout = packagedLayout({ packaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, mainDir: here });
if (layout.resourcesEnv) process.env[RESOURCES_ENV] = layout.resourcesEnv;
const host = new VmHost({
  root: layout.root,
  workerUrl: join(layout.workerDir, 'vm-worker.js'),
  vcpuWorkerUrl: join(layout.workerDir, 'vcpu-worker.js'),
  dataDir: app.getPath('userData'),
  transport: 'electron',
  version: app.getVersion(),
});
host.on((event) => {
  for (const w of BrowserWindow.getAllWindows()) if (!w.webContents.isDestroyed()) w.webContents.send(IPC.event, event);
});

ipcMain.handle(IPC.request, (_e, req: unknown) => dispatch(host, req));

app.whenReady().then(() => {
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void host.dispose());
