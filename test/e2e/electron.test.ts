// The desktop app end to end over its own transport: Electron starts the built main process, the
// sandboxed window loads the renderer, and the preload's IPC bridge reaches the VmHost: the demo
// preset is offered enabled (its program found under the app's root), a VM created from it runs to
// the demo's last console line and the exit status shows. Launched as `electron-vite preview` (npm run
// start) does it: the app built into the checkout's out/ and Electron given the checkout directory,
// whose package.json "main" is out/main/index.js; app.getAppPath() is then the checkout, where the
// presets' programs are (a path to out/main/index.js would make it out/main, with no presets).
// Runs where Electron's binary exists; npm ci never downloads it (ELECTRON_SKIP_BINARY_DOWNLOAD),
// so here it is skipped with the reason printed.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
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

/** What Electron must be given for app.getAppPath() to be the checkout: its directory, whose package.json names the built main. */
function appLaunchArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main?: string };
  if (pkg.main !== 'out/main/index.js') throw new Error(`package.json "main" is ${String(pkg.main)}, not the built main out/main/index.js`);
  return [root, '--no-sandbox'];
}

const found = electronBinary();
if ('reason' in found) console.warn(`test/e2e/electron: skipped: ${found.reason}`);

describe('Electron launch arguments', () => {
  it('name the checkout directory (app.getAppPath() = the root the presets resolve against), not a script under out/', () => {
    const args = appLaunchArgs();
    expect(args[0]).toBe(root);
    expect(existsSync(path.join(args[0], 'resources', 'demo'))).toBe(true);
  });
});

describe.skipIf('reason' in found)('desktop app (Electron)', () => {
  const userData = mkdtempSync(path.join(os.tmpdir(), 'armlab-electron-data-'));
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  it('opens the window, runs the demo preset over IPC to its last console line and shows the exit status', async () => {
    buildApp(path.join(root, 'out'));
    const app = await electron.launch({
      executablePath: (found as { bin: string }).bin,
      args: [...appLaunchArgs(), `--user-data-dir=${userData}`],
      cwd: root,
    });
    try {
      expect(await app.evaluate(({ app: a }) => a.getAppPath())).toBe(root);
      const win = await app.firstWindow();
      const demo = win.getByTestId('preset-demo');
      await demo.waitFor({ timeout: 30_000 });
      expect(await win.title()).toBe('armlab');
      expect(await win.locator('header').textContent()).toContain('desktop app');
      expect(await demo.isDisabled()).toBe(false);
      await win.screenshot({ path: path.join(shots, 'electron-setup.png') });
      await demo.click();
      await win.getByTestId('valid').waitFor({ timeout: 10_000 });
      await win.getByTestId('launch').click();
      // The demo's last line (resources/demo/demo.c).
      await win.getByTestId('console').getByText('bye').waitFor({ timeout: 30_000 });
      await expect.poll(() => win.getByTestId('outcome').first().textContent(), { timeout: 20_000 }).toBe('exit status 0');
      await win.screenshot({ path: path.join(shots, 'electron-run-demo.png') });
    } finally {
      await app.close();
    }
  });
});
