// The desktop app launches: Electron starts the built main process, the sandboxed window loads
// the renderer, and the preload's bridge reaches the VmHost (the setup screen lists the presets).
// Runs where Electron's binary exists; npm ci never downloads it (ELECTRON_SKIP_BINARY_DOWNLOAD),
// so here it is skipped with the reason printed.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, root, shots } from './helpers.js';

/** The Electron binary as node_modules/electron would run it, or why there is none. */
function electronBinary(): { bin: string } | { reason: string } {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile))
    return {
      reason:
        'the Electron binary is not installed (npm ci skips its download; fetch it with node node_modules/electron/install.js where that is possible)',
    };
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? { bin } : { reason: `${bin} is missing` };
}

const found = electronBinary();
if ('reason' in found) console.warn(`test/e2e/electron: skipped: ${found.reason}`);

describe.skipIf('reason' in found)('desktop app (Electron)', () => {
  let outDir: string | undefined;
  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('opens the window and reaches the host through the preload', async () => {
    outDir = buildApp();
    const app = await electron.launch({
      executablePath: (found as { bin: string }).bin,
      args: [path.join(outDir, 'main', 'index.js'), '--no-sandbox'],
      cwd: root,
    });
    try {
      const win = await app.firstWindow();
      await win.getByTestId('preset-demo').waitFor({ timeout: 30_000 });
      expect(await win.title()).toBe('armlab');
      expect(await win.locator('header').textContent()).toContain('desktop app');
      await win.screenshot({ path: path.join(shots, 'electron-setup.png') });
    } finally {
      await app.close();
    }
  });
});
