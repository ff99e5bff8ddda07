// Shared pieces of the end-to-end tests: a renderer build in a temporary directory,
// `armlab serve` on a free port, and Debian's Chromium through playwright-core.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const shots = path.join(root, 'test-results', 'screenshots');

/**
 * The desktop app built (main, preload, renderer) as `npm run build` does: into a fresh directory, or
 * into `outDir` (the Electron test builds the checkout's out/, which package.json's "main" names).
 */
export function buildApp(outDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-e2e-'))): string {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      timeout: 120_000,
    },
  );
  mkdirSync(shots, { recursive: true });
  return outDir;
}

export interface Server {
  url: string;
  proc: ChildProcess;
  stderr: () => string;
}

/** Starts `armlab serve` and resolves with the URL it prints. */
export function serve(staticDir: string, dataDir: string, extra: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const proc = spawn(process.execPath, [path.join(root, 'bin', 'armlab.mjs'), 'serve', '--port', '0', '--static', staticDir, ...extra], {
    cwd: root,
    env: { ...process.env, ARMLAB_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`armlab serve printed no URL in 60 s; stderr: ${err}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], proc, stderr: () => err });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`armlab serve exited with ${code}: ${err}`));
    });
  });
}

export const haveChromium = (): boolean => existsSync(CHROMIUM);
