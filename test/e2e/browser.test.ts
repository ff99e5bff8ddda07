// Browser mode end to end: `armlab serve` + Debian's Chromium (playwright-core). Creates a VM from
// the demo preset, starts it, sees console output; runs a long guest and sees the counters move on
// the plot; pauses, resumes, stops it; compares the two runs. Screenshots of each screen go to
// test-results/screenshots/. Also: the API refuses connections without the token or from another origin.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, CHROMIUM, CHROMIUM_ARGS, haveChromium, serve, shots, type Server } from './helpers.js';

const skip = haveChromium() ? false : `${CHROMIUM} is not installed (Debian package chromium; scripts/ensure.sh test installs it)`;
if (skip) console.warn(`test/e2e/browser: skipped: ${skip}`);

describe.skipIf(skip !== false)('browser mode (armlab serve + Chromium)', () => {
  let outDir: string;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-e2e-data-'));
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    outDir = buildApp();
    server = await serve(path.join(outDir, 'renderer'), dataDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const plotPoints = async (metric: string): Promise<number> =>
    Number(await page.locator(`[data-testid=plot][data-metric=${metric}]`).first().getAttribute('data-points'));

  it('refuses API connections without the token, with a wrong token, or from another origin', async () => {
    const u = new URL(server.url);
    const attempt = (url: string, origin?: string): Promise<string> =>
      new Promise((resolve) => {
        const ws = new WebSocket(url, origin ? { origin } : {});
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.on('error', () => resolve('error'));
      });
    const api = `ws://${u.host}/api`;
    expect(await attempt(api)).toBe('403');
    expect(await attempt(`${api}?token=wrong`)).toBe('403');
    expect(await attempt(`${api}?token=${u.searchParams.get('token')}`, 'http://evil.example')).toBe('403');
    expect(await attempt(`${api}?token=${u.searchParams.get('token')}`, `http://${u.host}`)).toBe('open');
    expect(u.hostname).toBe('127.0.0.1'); // loopback unless --host says otherwise
  });

  it('setup: KVM is disabled with its reason; an invalid configuration is explained before launch', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('backend-reason-kvm').textContent()).toMatch(/KVM backend not/);
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('mem-size-0').fill('64K');
    await page.getByTestId('cpu-count').fill('3');
    await page.getByTestId('cpu-count').dispatchEvent('change');
    const problems = page.getByTestId('problems');
    await expect.poll(() => problems.textContent()).toMatch(/too small, at least 1 MiB/);
    await expect.poll(() => problems.textContent()).toMatch(/SMP is not implemented yet/);
    expect(await page.getByTestId('launch').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'setup-invalid.png'), fullPage: true });
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('valid').waitFor();
    await page.screenshot({ path: path.join(shots, 'setup.png'), fullPage: true });
  });

  it('creates a VM from the demo preset, starts it and shows its console output and outcome', async () => {
    await page.getByTestId('launch').click();
    await page.getByTestId('console').getByText('armlab demo guest').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('outcome').first().textContent(), { timeout: 20_000 }).toBe('exit status 0');
    expect(await plotPoints('mips')).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'run-demo.png'), fullPage: true });
  });

  it('runs a long guest: the counters move on the plot; pause, resume and stop work', async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-pagestride').click();
    await page.getByTestId('valid').waitFor();
    await page.getByTestId('launch').click();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 20_000 }).toBe('running');
    await expect.poll(() => plotPoints('mips'), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
    const before = await plotPoints('mips');
    await expect.poll(() => plotPoints('mips'), { timeout: 10_000 }).toBeGreaterThan(before + 2);
    expect(Number(await page.locator('[data-testid=plot][data-metric=mips]').getAttribute('data-latest'))).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'run-live.png'), fullPage: true });

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('run-state').textContent()).toBe('paused');
    const paused = await plotPoints('mips');
    await page.waitForTimeout(400);
    expect(await plotPoints('mips')).toBeLessThanOrEqual(paused + 1);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('run-state').textContent()).toBe('running');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByTestId('run-state').textContent()).toBe('exited');
    expect(await page.getByTestId('outcome').first().textContent()).toBe('stopped by the user');
  });

  it('compares the two runs side by side with the same plots and a summary table', async () => {
    await page.getByTestId('nav-compare').click();
    await expect.poll(() => page.getByTestId('compare-side').count()).toBe(2);
    const table = await page.getByTestId('summary').textContent();
    expect(table).toContain('demo');
    expect(table).toContain('pagestride');
    expect(table).toContain('exit status 0');
    expect(table).toContain('stopped by the user');
    for (const side of await page.getByTestId('compare-side').all()) {
      expect(await side.locator('[data-testid=plot][data-metric=mips]').count()).toBe(1);
    }
    await page.screenshot({ path: path.join(shots, 'compare.png'), fullPage: true });
  });
});
