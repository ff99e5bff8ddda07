// The Matrix screen end to end in browser mode (`armlab serve` + Debian's Chromium): builds a 2×2 matrix
// on the demo preset (CPU model cortex-a53, max × 1, 2 vCPUs) plus an invalid third model value shown
// before launch, runs it, sees the overall progress move cell by cell and every valid cell pass, opens a
// cell's console tail, and saves a screenshot (test-results/screenshots/matrix.png).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, CHROMIUM, CHROMIUM_ARGS, haveChromium, serve, shots, type Server } from './helpers.js';

const skip = haveChromium() ? false : `${CHROMIUM} is not installed (Debian package chromium; scripts/ensure.sh test installs it)`;
if (skip) console.warn(`test/e2e/matrix: skipped: ${skip}`);

describe.skipIf(skip !== false)('Matrix screen (armlab serve + Chromium)', () => {
  let outDir: string;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-e2e-matrix-'));
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    outDir = buildApp();
    server = await serve(path.join(outDir, 'renderer'), dataDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.proc.kill('SIGTERM');
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds a 2×2 matrix on the demo preset, runs it with live progress, every cell passes', async () => {
    await page.goto(server.url);
    await page.getByTestId('nav-matrix').click();
    await expect
      .poll(() => page.getByTestId('matrix-base-summary').textContent())
      .toMatch(/TCG · cortex-a57 · EL1 · GICv3 · 128M at 0x40000000 · demo\.elf/);

    await page.getByTestId('matrix-name').fill('demo-2x2');
    await page.getByTestId('matrix-add-axis').click();
    await page.getByTestId('axis-choice-0-cortex-a53').check();
    await page.getByTestId('axis-choice-0-max').check();
    await page.getByTestId('matrix-add-axis').click();
    await page.getByTestId('axis-field-1').selectOption('cpus');
    // 9 vCPUs: more than the host allows, so those cells are invalid and explained before launch.
    await page.getByTestId('axis-values-1').fill('1, 2, 9');
    await expect.poll(() => page.getByTestId('matrix-cell-count').textContent()).toMatch(/6 cells, 2 invalid \(will not run\)/);
    expect(await page.getByTestId('matrix-invalid').textContent()).toMatch(
      /#3 cpus\.model=cortex-a53 cpus=9: 9 vCPUs: a VM has at most \d+ vCPUs/,
    );
    await page.getByTestId('axis-values-1').fill('1, 2');
    await expect.poll(() => page.getByTestId('matrix-cell-count').textContent()).toMatch(/4 cells, all valid/);
    await page.getByTestId('matrix-jobs').fill('1');

    // Record every change of the overall progress (one per cell event), to see it move.
    // (A string: the root tsconfig has no DOM library.)
    await page.evaluate(`{
      const seen = [];
      globalThis.progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=matrix-progress]');
        const v = bar ? bar.getAttribute('data-done') + '/' + bar.getAttribute('data-total') : '';
        if (v && seen.at(-1) !== v) seen.push(v);
        if (document.querySelector('[data-testid^=matrix-cell-][data-state=running]') && !seen.includes('running')) seen.push('running');
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    }`);
    await page.getByTestId('matrix-run').click();
    await expect
      .poll(() => page.getByTestId('matrix-progress').getAttribute('data-state'), { timeout: 120_000, interval: 250 })
      .toBe('finished');
    const seen = (await page.evaluate('globalThis.progressSeen')) as string[];
    expect(seen).toContain('running');
    const done = seen.filter((s, i, all) => s.includes('/') && s !== all.slice(0, i).findLast((x) => x.includes('/')));
    expect(done).toEqual(['0/4', '1/4', '2/4', '3/4', '4/4']);
    expect(await page.getByTestId('matrix-summary').textContent()).toBe('4 passed, 0 failed, 0 invalid');
    for (let i = 0; i < 4; i++) expect(await page.getByTestId(`matrix-cell-${i}`).getAttribute('data-state')).toBe('passed');
    expect(await page.getByTestId('matrix-cell-3').textContent()).toMatch(/max\s*2\s*passed\s*exit 0\s*\d+\.\d\d s/);

    await page.getByTestId('matrix-cell-3').click();
    await expect.poll(() => page.getByTestId('matrix-console-3').textContent()).toContain('bye');
    expect(await page.getByTestId('matrix-details-3').textContent()).toContain('Passed: exit status 0');
    await page.screenshot({ path: path.join(shots, 'matrix.png'), fullPage: true });
  }, 180_000);
});
