// Browser mode end to end: `armlab serve` + Debian's Chromium (playwright-core). Creates a VM from
// the demo preset, starts it, sees console output; runs a long guest and sees the counters move on
// the plot; pauses, resumes, stops it; compares the two runs; runs an SMP guest on 2 vCPUs (one worker
// thread each) and sees both vCPUs' counters on the plots; runs the TLB-maintenance checker and sees its
// reports; compares an SMP run with a one-vCPU run; saves a configuration and loads it back after a
// reload; runs a VM with a RAM region above 4 GiB; fetches the Debian guest with progress (a fake
// fetch script: no network); types into the console of a guest that reads the UART (uart_echo) and
// sees its echo and exit status. Screenshots of each screen go to test-results/screenshots/. Also: the
// API refuses connections without the token or from another origin.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { writeFakeFetchScript } from '../host/fake-fetch.js';
import { buildApp, CHROMIUM, CHROMIUM_ARGS, haveChromium, root, serve, shots, type Server } from './helpers.js';

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
    // The Debian guest: an empty cache of our own and a fake fetcher (hermetic, whatever this machine has cached).
    server = await serve(path.join(outDir, 'renderer'), dataDir, [], {
      ARMLAB_CACHE: path.join(dataDir, 'cache'),
      ARMLAB_FETCH_GUEST_SCRIPT: writeFakeFetchScript(dataDir, { stepMs: 400 }),
    });
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
    // x86_64 (CI): KVM cannot execute A64 code, and the setup view says so.
    if (process.arch === 'x64')
      await expect.poll(() => page.getByTestId('backend-reason-kvm').textContent()).toMatch(/this x64 CPU cannot execute A64 code/);
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('mem-size-0').fill('64K');
    await page.getByTestId('cpu-count').fill('9');
    await page.getByTestId('cpu-count').dispatchEvent('change');
    const problems = page.getByTestId('problems');
    await expect.poll(() => problems.textContent()).toMatch(/too small, at least 1 MiB/);
    await expect.poll(() => problems.textContent()).toMatch(/9 vCPUs: a VM has at most 8 vCPUs/);
    expect(await page.getByTestId('launch').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'setup-invalid.png'), fullPage: true });
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('valid').waitFor();
    await page.screenshot({ path: path.join(shots, 'setup.png'), fullPage: true });
  });

  it('creates a VM from the demo preset, starts it and shows its console output and outcome', async () => {
    await page.getByTestId('launch').click();
    // The terminal shows its last 24 rows: wait for the end of the output, then scroll back to the banner
    // (the whole output may arrive in one batch, before the banner was ever on screen).
    await page.getByTestId('console').getByText('bye').waitFor({ timeout: 20_000 });
    await page.getByTestId('console').click();
    await page.keyboard.press('Shift+PageUp');
    await page.keyboard.press('Shift+PageUp');
    await page.getByTestId('console').getByText('armlab demo guest').waitFor({ timeout: 5_000 });
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

  const plot = (metric: string) => page.locator(`[data-testid=plot][data-metric=${metric}]`).first();

  it('SMP from the setup: 2 vCPUs run the shootdown storm; both vCPUs have counters on the plots and in the table', async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-smp-shootdown').click();
    expect(await page.getByTestId('cpu-count').inputValue()).toBe('2');
    await expect.poll(() => page.getByTestId('cpu-summary').textContent()).toMatch(/2 vCPUs: one worker thread each/);
    await page.getByTestId('valid').waitFor();
    await page.screenshot({ path: path.join(shots, 'setup-smp.png'), fullPage: true });
    await page.getByTestId('launch').click();
    // One line per vCPU on the plots, from the per-vCPU counters of the SMP machine.
    await expect.poll(async () => Number(await plot('mips').getAttribute('data-cpus')), { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => Number(await plot('tlbiSent').getAttribute('data-cpus')), { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => Number(await plot('tlbiReceived').getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await plot('mips').locator('.u-legend').textContent()).toMatch(/vCPU 0.*vCPU 1/);
    await expect.poll(() => page.getByTestId('vcpu-row').count()).toBe(2);
    if ((await page.getByTestId('run-state').textContent()) === 'running') {
      await page.screenshot({ path: path.join(shots, 'run-smp-live.png'), fullPage: true });
    }
    await expect.poll(() => page.getByTestId('outcome').first().textContent(), { timeout: 30_000 }).toBe('exit status 0');
    await page.getByTestId('console').getByText('stale reads after the flush point: 0').waitFor();
    const table = await page.getByTestId('vcpu-counters').textContent();
    expect(table).toContain('TLBI sent');
    expect(table).toContain('ack max');
    // vCPU 0 broadcast 300 TLBIs, vCPU 1 acknowledged them (the guest's own count).
    const rows = await page.getByTestId('vcpu-row').allTextContents();
    expect(rows).toHaveLength(2);
    expect(await page.getByTestId('control-notes').textContent()).toMatch(/inspector answers while the VM is paused/);
    await page.screenshot({ path: path.join(shots, 'run-smp.png'), fullPage: true });
  });

  it('the checker: "Check TLB maintenance" runs tlb_maint and shows its two reports', async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-tlb-check').click();
    expect(await page.getByTestId('check-tlb').isChecked()).toBe(true);
    await page.getByTestId('valid').waitFor();
    await page.getByTestId('launch').click();
    await expect.poll(() => page.getByTestId('outcome').first().textContent(), { timeout: 20_000 }).toBe('exit status 0');
    await expect.poll(() => page.getByTestId('checker-report').count()).toBe(2);
    const kinds = await page.getByTestId('checker-report').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds).toEqual(['bbm', 'bbm']);
    const text = await page.getByTestId('checker').textContent();
    expect(text).toContain('0x80000000');
    expect(text).toContain('0x80001000');
    expect(text).toMatch(/0x[0-9a-f]{16} → 0x[0-9a-f]{16}/);
    expect(await page.getByTestId('summary').textContent()).toMatch(/checker reports\s*2/);
    await page.screenshot({ path: path.join(shots, 'run-checker.png'), fullPage: true });
  });

  it('compares an SMP run with a one-vCPU run', async () => {
    await page.getByTestId('nav-compare').click();
    await page.getByTestId('compare-0').selectOption({ label: await optionLabel('pagestride') });
    await page.getByTestId('compare-1').selectOption({ label: await optionLabel('smp-shootdown') });
    await expect.poll(() => page.getByTestId('compare-side').count()).toBe(2);
    const sides = await page.getByTestId('compare-side').all();
    expect(await sides[0].locator('[data-testid=plot][data-metric=mips]').getAttribute('data-cpus')).toBe('1');
    expect(await sides[1].locator('[data-testid=plot][data-metric=mips]').getAttribute('data-cpus')).toBe('2');
    expect(await sides[1].locator('[data-testid=plot][data-metric=tlbiSent]').count()).toBe(1);
    const table = await page.getByTestId('summary').textContent();
    expect(table).toContain('2× max');
    expect(table).toContain('TLBIs broadcast');
    await page.screenshot({ path: path.join(shots, 'compare-smp.png'), fullPage: true });
  });

  it('big.LITTLE from a CPU list: one Cortex-A72 and one Cortex-A53 in two clusters print their MPIDRs and MIDRs', async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-biglittle').click();
    await page.getByTestId('cpu-list').fill('1xcortex-a72,1xcortex-a53');
    await page.getByTestId('cpu-list-apply').click();
    expect(await page.getByTestId('cpu-count').inputValue()).toBe('2');
    await page.getByTestId('valid').waitFor();
    await page.getByTestId('launch').click();
    await expect.poll(() => page.getByTestId('outcome').first().textContent(), { timeout: 20_000 }).toBe('exit status 0');
    await page.getByTestId('console').getByText('cpu1 mpidr 100 midr 410fd034').waitFor();
    expect(await page.getByTestId('summary').textContent()).toContain('cortex-a72 (cluster 0), cortex-a53 (cluster 1)');
    await page.screenshot({ path: path.join(shots, 'run-biglittle.png'), fullPage: true });
  });

  it('saves a configuration, lists it after a reload (it persists in the data directory) and loads it back', async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('vm-name').fill('saved-a72');
    await page.getByTestId('cpu-list').fill('cortex-a72');
    await page.getByTestId('cpu-list-apply').click();
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByRole('button', { name: 'saved-a72', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'saved-a72', exact: true }).waitFor();
    await page.getByTestId('preset-pagestride').click();
    expect(await page.getByTestId('vm-name').inputValue()).toBe('pagestride');
    await page.getByRole('button', { name: 'saved-a72', exact: true }).click();
    expect(await page.getByTestId('vm-name').inputValue()).toBe('saved-a72');
    expect(await page.locator('tbody select').first().inputValue()).toBe('cortex-a72');
    await page.screenshot({ path: path.join(shots, 'setup-saved.png'), fullPage: true });
    await page.getByTitle('forget saved-a72').click();
    await expect.poll(() => page.getByRole('button', { name: 'saved-a72', exact: true }).count()).toBe(0);
  });

  it('starts a VM with a second RAM region above 4 GiB from the setup', async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('vm-name').fill('highmem');
    await page.getByRole('button', { name: /Add a region/ }).click();
    expect(await page.getByTestId('mem-base-1').inputValue()).toBe('0x100000000');
    await page.getByTestId('mem-size-1').fill('256M');
    await page.getByTestId('valid').waitFor();
    await page.screenshot({ path: path.join(shots, 'setup-highmem.png'), fullPage: true });
    await page.getByTestId('launch').click();
    await expect.poll(() => page.getByTestId('outcome').first().textContent(), { timeout: 20_000 }).toBe('exit status 0');
    await page.getByTestId('console').getByText('bye').waitFor();
    // The run's configuration, as the host keeps it: two regions, the second at 4 GiB.
    const vms = (await apiCall('list')) as { spec: { name: string; memory: { base: number; size: number }[] } }[];
    expect(vms.find((v) => v.spec.name === 'highmem')?.spec.memory).toEqual([
      { base: 0x4000_0000, size: 128 * 2 ** 20 },
      { base: 2 ** 32, size: 256 * 2 ** 20 },
    ]);
    await page.screenshot({ path: path.join(shots, 'run-highmem.png'), fullPage: true });
  });

  it("shows a kernel boot's progress: milestone k of n from the console, with the run time", async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('vm-name').fill('boot-log');
    await page.getByLabel('Linux kernel (Image, Image.gz)').check();
    // A stand-in boot log (resources/guest/tests/lab_boot_log.c): a kernel's milestones on the console.
    await page.getByTestId('boot-path').fill(path.join(root, 'resources', 'guest', 'out', 'lab_boot_log.elf'));
    await page.getByTestId('valid').waitFor();
    await page.getByTestId('launch').click();
    const boot = page.getByTestId('boot-progress');
    await expect.poll(() => boot.getAttribute('data-step'), { timeout: 30_000 }).toBe('6');
    expect(await boot.textContent()).toMatch(/booting: init reached\s*milestone 6 of 6, \d+\.\d s of run time/);
    await expect.poll(() => page.getByTestId('outcome').first().textContent(), { timeout: 20_000 }).toBe('exit status 0');
    await page.screenshot({ path: path.join(shots, 'run-boot-progress.png'), fullPage: true });
  });

  it('console input: typing into the terminal reaches the guest UART (uart_echo echoes the line; "quit" ends it with 0)', async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('vm-name').fill('uart-echo');
    // resources/guest/tests/uart_echo.c: polls UARTFR.RXFE, reads UARTDR; gives up after 120 s without input.
    await page.getByTestId('boot-path').fill(path.join(root, 'resources', 'guest', 'out', 'uart_echo.elf'));
    await page.getByTestId('boot-append').fill('120');
    await page.getByTestId('valid').waitFor();
    await page.getByTestId('launch').click();
    const term = page.getByTestId('console');
    await term.getByText("uart_echo: type a line, 'quit' ends").waitFor({ timeout: 20_000 });
    await term.click();
    await page.keyboard.type('hello');
    await page.keyboard.press('Enter');
    await term.getByText('echo: hello').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('run-state').textContent()).toBe('running');
    await page.screenshot({ path: path.join(shots, 'run-console-input.png'), fullPage: true });
    await page.keyboard.type('quit');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('outcome').first().textContent(), { timeout: 20_000 }).toBe('exit status 0');
    await term.getByText('bye').waitFor();
    expect(await term.textContent()).not.toContain('no input for');
    await page.screenshot({ path: path.join(shots, 'run-console-input-done.png'), fullPage: true });
  });

  it('GICv2 from the setup: gicv2_irq runs on a GICv2 (on a GICv3 it would not find the GICv2 CPU interface)', async () => {
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('preset-demo').click();
    await page.getByTestId('vm-name').fill('gicv2');
    expect(await page.getByTestId('gic-3').isChecked()).toBe(true);
    await page.getByTestId('boot-path').fill(path.join(root, 'resources', 'guest', 'out', 'gicv2_irq.elf'));
    await page.getByTestId('gic-2').check();
    await page.getByTestId('valid').waitFor();
    await page.screenshot({ path: path.join(shots, 'setup-gicv2.png'), fullPage: true });
    await page.getByTestId('launch').click();
    await expect.poll(() => page.getByTestId('outcome').first().textContent(), { timeout: 30_000 }).toBe('exit status 0');
    const vms = (await apiCall('list')) as { spec: { name: string; gic?: number } }[];
    expect(vms.find((v) => v.spec.name === 'gicv2')?.spec.gic).toBe(2);
  });

  it('fetches the Debian guest with progress (step k of n, package, bytes); the preset becomes available', async () => {
    await page.getByTestId('nav-setup').click();
    const card = page.getByTestId('preset-debian-linux');
    expect(await card.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Fetch Debian guest' }).click();
    // The whole fetch box: its text says what went wrong when the expected step does not come.
    const box = page.getByTestId('fetch-guest');
    await expect.poll(() => box.textContent(), { timeout: 10_000 }).toMatch(/step 2 of 6: downloading linux-image-6\.1\.0-99-cloud-arm64/);
    await expect.poll(() => box.textContent(), { timeout: 10_000 }).toMatch(/\(\d+\.\d MiB\)/);
    await page.screenshot({ path: path.join(shots, 'setup-fetch-progress.png'), fullPage: true });
    await expect.poll(() => page.getByTestId('fetch-result').textContent(), { timeout: 20_000 }).toContain('Fetched');
    await expect.poll(() => card.isDisabled()).toBe(false);
    await page.screenshot({ path: path.join(shots, 'setup-fetched.png'), fullPage: true });
  });

  /** One host API call over the WebSocket, as the page makes it (token and same-origin header). */
  async function apiCall(method: string, params: unknown[] = []): Promise<unknown> {
    const u = new URL(server.url);
    const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`, { origin: `http://${u.host}` });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ kind: 'request', id: 1, method, params }));
    const reply = await new Promise<{ ok: boolean; result: unknown }>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { kind: string; ok: boolean; result: unknown };
        if (m.kind === 'reply') resolve(m);
      }),
    );
    ws.close();
    return reply.result;
  }

  async function optionLabel(name: string): Promise<string> {
    const labels = await page.getByTestId('compare-0').locator('option').allTextContents();
    const l = labels.find((x) => x.startsWith(`${name} ·`));
    if (!l) throw new Error(`no run named ${name} among ${labels.join(' | ')}`);
    return l;
  }
});
