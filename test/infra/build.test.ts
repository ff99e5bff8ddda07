// The desktop app builds (`npm run build` = electron-vite build) without the
// Electron binary, and its output has the shape main/index.ts relies on:
// an ES-module main process, a CommonJS preload (a sandboxed renderer cannot
// load an ES-module preload) and a renderer page with its assets.
// The build takes about a second, so it runs in every test run, into a
// temporary directory so it never touches a developer's out/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-build-'));

describe('electron-vite build', () => {
  beforeAll(() => {
    const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    execFileSync(process.execPath, [cli, 'build', '--outDir', outDir, '--logLevel', 'error'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      timeout: 120_000,
    });
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('emits the main process as an ES module that loads the preload and the page', () => {
    const main = readFileSync(path.join(outDir, 'main', 'index.js'), 'utf8');
    expect(main).toMatch(/^import .* from "electron";/m);
    expect(main).toContain('../preload/preload.cjs');
    expect(main).toContain('../renderer/index.html');
    expect(main).toMatch(/contextIsolation: true/);
    expect(main).toMatch(/sandbox: true/);
  });

  it('emits the preload as CommonJS', () => {
    const preload = readFileSync(path.join(outDir, 'preload', 'preload.cjs'), 'utf8');
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld("armlab"');
  });

  it('emits the renderer page with relative asset paths (loaded from file://)', () => {
    const html = readFileSync(path.join(outDir, 'renderer', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) {
      expect(s.startsWith('./')).toBe(true);
      expect(existsSync(path.join(outDir, 'renderer', s))).toBe(true);
    }
    expect(readdirSync(path.join(outDir, 'renderer', 'assets')).some((f) => f.endsWith('.css'))).toBe(true);
  });

  it('does not bundle the emulator into the renderer', () => {
    const assets = path.join(outDir, 'renderer', 'assets');
    for (const f of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
      const js = readFileSync(path.join(assets, f), 'utf8');
      expect(js, f).not.toContain('ID_AA64MMFR0_EL1');
      expect(js, f).not.toContain('ipcRenderer');
    }
  });
});
