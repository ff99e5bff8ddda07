/** `armlab kvm` reports, and exits 0, with or without KVM. */
import { afterEach, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { kvmCommand } from '../../cli/kvm.js';
import { describeKvm } from '../../core/kvm/info.js';

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.ARMLAB_KVM_DEVICE;
});

function capture(): { text: () => string } {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  return { text: () => out };
}

it('without /dev/kvm: says so, runs nothing, explains why AArch64 cannot run on x86', () => {
  const i = describeKvm('/nonexistent/kvm');
  expect(i.device).toMatchObject({ present: false, accessible: false });
  expect(i.device.reason).toMatch(/does not exist/);
  expect(i.guests.every((g) => !g.runnable)).toBe(true);
  if (process.arch === 'x64') expect(i.guests.find((g) => g.arch === 'aarch64')!.why).toMatch(/instruction set.*A64/);
});

it('armlab kvm exits 0 and reports when /dev/kvm is absent', async () => {
  process.env.ARMLAB_KVM_DEVICE = '/nonexistent/kvm';
  const out = capture();
  expect(await kvmCommand([])).toBe(0);
  expect(out.text()).toMatch(/\/dev\/kvm:\s+not usable: \/nonexistent\/kvm does not exist/);
  expect(out.text()).toMatch(/aarch64\s+no/);
});

it('armlab kvm --selftest exits 0 (skipping) when /dev/kvm is absent', async () => {
  process.env.ARMLAB_KVM_DEVICE = '/nonexistent/kvm';
  const out = capture();
  expect(await kvmCommand(['--selftest'])).toBe(0);
  expect(out.text()).toMatch(/^SKIP/m);
});

it('armlab kvm on this host: API version and capabilities when KVM is usable', async () => {
  const i = describeKvm();
  const out = capture();
  expect(await kvmCommand([])).toBe(0);
  if (i.device.accessible && i.addon.loaded) {
    expect(i.apiVersion).toBe(12);
    expect(out.text()).toMatch(/API version: 12/);
    expect(i.caps.KVM_CAP_IMMEDIATE_EXIT).toBe(1);
  } else {
    expect(out.text()).toMatch(/not (usable|loaded)/);
  }
});

it('bad arguments: usage, status 2', async () => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect(await kvmCommand(['--frobnicate'])).toBe(2);
});

it('the installed CLI (npx armlab kvm --selftest, the dist/ bundle) runs the self-tests with the vCPU worker bundled beside it', () => {
  // The bundle must not depend on building the worker on demand (esbuild cannot run from inside a bundle).
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/armlab.mjs'), 'kvm', '--selftest'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).not.toMatch(/ReferenceError|__filename/);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const i = describeKvm();
  if (i.device.accessible && i.addon.loaded) expect(r.stdout).toMatch(/^PASS +no fd leaks across/m);
  else expect(r.stdout).toMatch(/^SKIP/m);
});
